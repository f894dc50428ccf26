"""Demo opinion maps: three of the demo consultations ask a question that people answer by
agreeing or disagreeing with short statements, written for Voices about each council's policy
domain, in the local language and in the languages participants write in.

The votes are generated with planted groups of opinion: each voter belongs to one group (drawn
from a seeded generator, so `planted_groups` tells them again), and each statement has a profile
saying how each group tends to vote on it, from strong agreement to strong disagreement, with
passes and noise. Some statements everyone agrees with, a few divide the groups. The analysis
then runs once per map, so the map pages show their groups at once.

Maps, seed statements and participants' statements go through the services where the
consultation's phase still allows them (as in the consultations demo); the votes are written in
bulk, counted on their statements as `services.vote_cast` counts them, and dated over the weeks
the consultation took votes. Running the seeder again skips every consultation that already has
a map.
"""

import datetime
import hashlib
import random

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from voices.accounts.models import User
from voices.consultations.demo import CONSULTATIONS, RESIDENTS, _acting_for
from voices.consultations.eligibility import needs_residence_declaration
from voices.consultations.models import Action, Consultation, Participant, Phase
from voices.core import moderation
from voices.core.models import ModerationDecision, ModerationState
from voices.core.translation import TranslatedText
from voices.councils.demo import PSEUDONYMS

from . import services
from .models import Analysis, OpinionMap, Statement, Vote

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)

# How a group tends to vote on a statement: (agree, disagree, pass) weights, before each
# voter's own leaning to pass. "A" strongly agree, "a" rather agree, "?" split, "d" rather
# disagree, "D" strongly disagree.
PROFILES = {
    "A": (0.82, 0.06, 0.12),
    "a": (0.62, 0.18, 0.20),
    "?": (0.38, 0.36, 0.26),
    "d": (0.18, 0.62, 0.20),
    "D": (0.06, 0.82, 0.12),
}
# Each voter votes on this share of the statements they see (the rest they never reach).
COVERAGE = (0.5, 0.9)
# Display names of the extra demo voters (`<country>-voter-<n>`): pseudonyms, never real names.
_COLOURS = ["Amber", "Blue", "Coral", "Dusk", "Golden", "Green", "Ivory", "Jade", "Misty",
            "Quiet", "Silver", "Sunny"]  # fmt: skip
_THINGS = ["Ash", "Brook", "Cloud", "Dune", "Finch", "Hill", "Lark", "Moss", "Pine", "Reed",
           "Stone", "Wren"]  # fmt: skip

# Each map, keyed by its consultation's English title. groups: each planted group's share of
# the voters. voters: extra demo accounts and browsers without an account (on top of the
# consultation's council members, residents and named demo users; staff never vote).
# statements: the moderators' seeds, (language, text, profile) where the profile has one
# letter of PROFILES per group. contributions: participants' statements, (author, language,
# text, profile, when: share of the contributions phase, kept pending), authors keyed as in
# the consultations demo (m1 member, r1 resident, a1 browser, or a username).
MAPS = [
    {
        "consultation": "School enrolment for newcomers' children",
        "question": (
            "Che cosa serve perché i bambini appena arrivati a Roma trovino presto il loro posto "
            "a scuola?",
            "What is needed so that children newly arrived in Rome quickly find their place at "
            "school?",
        ),
        "premoderation": True,
        # Inclusion from day one / Italian first / worried about crowded classes.
        "groups": (0.45, 0.35, 0.20),
        "voters": {"accounts": 30, "anonymous": 56},
        "statements": [
            ("it", "I moduli di iscrizione dovrebbero essere tradotti nelle lingue più parlate "
                   "dalle famiglie.", "AAa"),
            ("it", "Ogni famiglia dovrebbe sapere entro una settimana in quale scuola andrà il "
                   "figlio.", "AAA"),
            ("it", "I bambini che non parlano italiano dovrebbero entrare subito in una classe "
                   "normale.", "ADD"),
            ("it", "Le prime settimane servono a imparare l'italiano in una classe di "
                   "accoglienza separata.", "DAa"),
            ("it", "Ai colloqui con gli insegnanti dovrebbe esserci un mediatore culturale.",
             "Aa?"),
            ("it", "Le classi sono già troppo numerose: prima di tutto servono più insegnanti.",
             "aAA"),
            ("it", "Le scuole vicine ai centri di accoglienza non dovrebbero ricevere tutti i "
                   "nuovi arrivati.", "?dA"),
            ("it", "Un test di livello rapido eviterebbe di mettere un ragazzo di 14 anni con "
                   "bambini di 10.", "AAa"),
            ("it", "Il doposcuola gratuito in biblioteca aiuterebbe chi non ha genitori che "
                   "parlano italiano.", "Aa?"),
            ("it", "I posti liberi dovrebbero andare prima ai bambini del quartiere, poi agli "
                   "altri.", "DdA"),
            ("it", "La scuola dovrebbe insegnare anche la lingua madre dei bambini, almeno "
                   "un'ora a settimana.", "AD?"),
            ("it", "Serve uno sportello unico per iscrizione, vaccini e mensa.", "AAA"),
            ("it", "Il costo della mensa non dovrebbe impedire a un bambino di restare a scuola "
                   "il pomeriggio.", "Aad"),
            ("it", "Chi arriva a metà anno dovrebbe poter iniziare subito, senza aspettare "
                   "settembre.", "Aad"),
            ("it", "Prima dell'iscrizione i genitori dovrebbero seguire un incontro sulle regole "
                   "della scuola.", "DAA"),
            ("it", "Non è giusto spendere per i nuovi arrivati quando mancano fondi per tutte le "
                   "scuole.", "DdA"),
            ("it", "Lo scuolabus dovrebbe passare anche dai centri di accoglienza lontani.",
             "Aad"),
            ("en", "Teachers need training in how to teach children who are still learning "
                   "Italian.", "AAa"),
            ("en", "No child should repeat a year just because they do not speak Italian yet.",
             "ADd"),
            ("en", "Welcome classes should last three months at most.", "A?D"),
            ("ar", "يجب أن تصل رسائل المدرسة إلى الأهل بلغة يفهمونها.", "AAa"),
            ("ar", "نحتاج إلى وسيط ثقافي يتكلم العربية في كل مدرسة فيها أطفال عرب.", "Aad"),
            ("uk", "Українські діти хочуть вчитися разом з італійськими, а не окремо.", "ADd"),
            ("uk", "Потрібні безкоштовні курси італійської для батьків просто в школі.", "AAa"),
        ],
        "contributions": [
            ("a2", "en", "Older pupils could be buddies for newcomers in their first month.",
             "AAa", 0.2, False),
            # The same words as the first seed: flagged as a duplicate for the moderators.
            ("r3", "it", "I moduli di iscrizione dovrebbero essere tradotti nelle lingue più "
                         "parlate dalle famiglie!", "AAa", 0.35, False),
            ("m4", "it", "I genitori dovrebbero poter scegliere la scuola anche se arrivano "
                         "durante l'anno.", "A?d", 0.55, False),
            ("r6", "it", "Servono psicologi a scuola per i bambini che hanno vissuto la guerra.",
             "AAa", 0.9, True),
        ],
    },
    {
        "consultation": "Finding a home in Lyon: deposits and a first flat",
        "question": (
            "Que devrait faire la Ville pour que les personnes nouvellement arrivées trouvent un "
            "logement à Lyon ?",
            "What should the City do so that newcomers find a home in Lyon?",
        ),
        "premoderation": False,
        # Rent caps and public guarantees / job first / residents' fairness.
        "groups": (0.40, 0.35, 0.25),
        "voters": {"accounts": 68, "anonymous": 0},
        "statements": [
            ("fr", "Les loyers à Lyon devraient être plafonnés, surtout ceux des petits "
                   "appartements.", "ADa"),
            ("fr", "La Ville devrait se porter garante pour les locataires qui n'ont pas de "
                   "garant en France.", "AdD"),
            ("fr", "Le dépôt de garantie devrait pouvoir être payé en plusieurs mois.", "AAA"),
            ("fr", "D'abord un emploi : le logement suit quand on a un salaire.", "DAd"),
            ("fr", "Les employeurs qui recrutent des personnes réfugiées pourraient les aider à "
                   "se loger.", "aAd"),
            ("fr", "Les cours de français devraient avoir lieu au travail, pendant les heures "
                   "payées.", "Add"),
            ("fr", "Les logements sociaux doivent aller d'abord à ceux qui attendent depuis des "
                   "années.", "DdA"),
            ("fr", "Un propriétaire qui refuse un locataire à cause de son origine doit être "
                   "sanctionné.", "AAa"),
            ("fr", "Les annonces et les baux devraient être expliqués dans plusieurs langues.",
             "AAa"),
            ("fr", "Les nouveaux arrivants devraient être logés dans tous les quartiers, pas "
                   "seulement en périphérie.", "Aad"),
            ("fr", "Un prêt sans intérêts vaut mieux qu'une aide qui ne se rembourse pas.",
             "dAa"),
            ("fr", "La colocation accompagnée est une bonne solution pour les moins de 25 ans.",
             "aAd"),
            ("fr", "La Ville devrait construire plus de logements sociaux pour tout le monde "
                   "avant d'aider un groupe.", "?dA"),
            ("fr", "Personne ne devrait dormir dehors en attendant une place en foyer.", "AAA"),
            ("fr", "Les faux logements en ligne piègent surtout ceux qui lisent mal le "
                   "français.", "AAa"),
            ("fr", "Les aides au logement ne devraient pas dépendre d'un contrat de travail.",
             "ADd"),
            ("fr", "Il faudrait un niveau de français minimum pour obtenir un logement social.",
             "DaA"),
            ("fr", "Les entreprises qui logent leurs salariés devraient recevoir une aide de la "
                   "Ville.", "dAd"),
            ("fr", "Les quartiers qui accueillent déjà beaucoup de nouveaux arrivants ont besoin "
                   "de plus de services.", "aaA"),
            ("en", "Landlords may check a tenant's income, but never their nationality.", "AAa"),
            ("en", "Rent caps would make landlords stop renting to newcomers altogether.",
             "DAa"),
            ("en", "A city guarantee costs less than months in an emergency shelter.", "Ad?"),
            ("ar", "نريد أن نعمل وندفع إيجارنا بأنفسنا، لكننا نحتاج إلى فرصة أولى.", "AAa"),
            ("ar", "لا يجوز أن يطلب المالك كفيلاً يعيش في فرنسا.", "ADd"),
        ],
        "contributions": [
            ("amina", "ar", "صندوق يسبّق مبلغ التأمين ويُسدَّد شهرياً سيساعد عائلات كثيرة.",
             "Aa?", 0.15, False),
            ("r5", "fr", "Les étudiants étrangers ont les mêmes difficultés et devraient aussi "
                         "être aidés.", "a?d", 0.4, False),
            ("m6", "en", "Employers should pay for French lessons right after the shift.",
             "aAd", 0.7, False),
        ],
    },
    {
        "consultation": "Interpreters in the city's clinics",
        "question": (
            "Πώς μπορούν τα δημοτικά ιατρεία να γίνουν κατανοητά σε κάθε ασθενή;",
            "How can the city's clinics become understandable to every patient?",
        ),
        "premoderation": False,
        # Professional interpreters in person / practical, low-cost help.
        "groups": (0.55, 0.45),
        "voters": {"accounts": 53, "anonymous": 0},
        "statements": [
            ("el", "Κανένα παιδί δεν πρέπει να μεταφράζει για τους γονείς του στον γιατρό.",
             "AA"),
            ("el", "Κάθε ιατρείο χρειάζεται επαγγελματία διερμηνέα, όχι εθελοντές.", "AD"),
            ("el", "Μια εφαρμογή μετάφρασης στο κινητό αρκεί για τα απλά ραντεβού.", "DA"),
            ("el", "Η διερμηνεία μέσω τηλεφώνου είναι καλή λύση για τις σπάνιες γλώσσες.", "aA"),
            ("el", "Οι διαμεσολαβητές από τις κοινότητες των μεταναστών χτίζουν εμπιστοσύνη.",
             "?A"),
            ("el", "Τα χρήματα για διερμηνείς θα ήταν καλύτερα να πάνε σε περισσότερους "
                   "γιατρούς.", "DA"),
            ("el", "Οι πινακίδες στα ιατρεία πρέπει να έχουν εικονίδια και πολλές γλώσσες.",
             "AA"),
            ("el", "Ο γιατρός πρέπει να ελέγχει ότι ο ασθενής κατάλαβε τη θεραπεία.", "AA"),
            ("el", "Όποιος ζει χρόνια στην Ελλάδα πρέπει να μιλά ελληνικά στον γιατρό.", "Da"),
            ("el", "Η ψυχολογική υποστήριξη χωρίς διερμηνέα δεν λειτουργεί.", "Aa"),
            ("el", "Η διερμηνεία πρέπει να είναι δωρεάν για τον ασθενή.", "A?"),
            ("el", "Τα απογευματινά ραντεβού είναι πιο σημαντικά από τους διερμηνείς.", "dA"),
            ("el", "Οι διερμηνείς πρέπει να δεσμεύονται από το ιατρικό απόρρητο.", "AA"),
            ("el", "Ο Δήμος πρέπει να ζητήσει ευρωπαϊκά κονδύλια για διερμηνείς.", "Aa"),
            ("el", "Οι εθελοντές διερμηνείς κάνουν λάθη που μπορεί να είναι επικίνδυνα.", "Ad"),
            ("en", "Women should be able to ask for a female interpreter.", "A?"),
            ("en", "Video interpreting would let one interpreter serve all the clinics.", "?A"),
            ("en", "Leaflets about vaccinations should be in the five most spoken languages.",
             "AA"),
            ("fa", "من مترجم حضوری را ترجیح می‌دهم، نه مترجم تلفنی.", "AD"),
            ("fa", "ساعت‌های عصر برای کسانی که کار می‌کنند خیلی مهم است.", "aA"),
            ("ar", "يجب أن يشرح الطبيب الدواء بلغة يفهمها المريض.", "AA"),
            ("ar", "المترجمون المتطوعون من مجتمعنا أفضل من لا أحد.", "?A"),
        ],
        "contributions": [
            ("reza", "fa", "خط تلفنی مترجم باید هر روز تا ساعت هشت شب کار کند.", "aA", 0.3,
             False),
            ("r4", "en", "Pharmacists could explain prescriptions with pictures.", "AA", 0.6,
             False),
        ],
    },
]  # fmt: skip


def seed(out) -> list:
    titles = {spec["consultation"] for spec in MAPS}
    by_title = {
        c.title.values.get("en"): c
        for c in Consultation.objects.select_related("country").only("title", "country")
        if c.title.values.get("en") in titles
    }
    with_map = set(
        OpinionMap.objects.filter(consultation__in=by_title.values()).values_list(
            "consultation_id", flat=True
        )
    )
    for spec in MAPS:
        consultation = by_title.get(spec["consultation"])
        if consultation is not None and consultation.pk not in with_map:
            _Seeder(Consultation.objects.get(pk=consultation.pk), spec).seed()
    out.write(
        f"opinions: {OpinionMap.objects.count()} opinion maps, "
        f"{Statement.objects.count()} statements, {Vote.objects.count()} votes"
    )
    return []


def _spec_of(consultation: Consultation) -> tuple[dict, dict]:
    """The map's spec and the consultation's spec in the consultations demo."""
    title = consultation.title.values.get("en")
    spec = next(s for s in MAPS if s["consultation"] == title)
    return spec, next(c for c in CONSULTATIONS if c["title"][1] == title)


def _anon_key(code: str, n: int) -> str:
    """A browser without an account, as the consultations demo keys its browsers."""
    return hashlib.sha256(f"voices-demo-{code}-browser-{n}".encode()).hexdigest()


def _voters(consultation: Consultation) -> list[tuple[str, str, str]]:
    """Everyone who votes on the map, in a fixed order: (key in the specs, username, anonymous
    key); the username is empty for a browser and the anonymous key for an account."""
    spec, people = _spec_of(consultation)
    code = people["country"]
    prefix = code.lower()
    voters = []
    if people.get("members", True):
        voters += [(f"m{n}", f"{prefix}-member-{n}", "") for n in range(1, len(PSEUDONYMS) + 1)]
    voters += [(f"r{n}", f"{prefix}-resident-{n}", "") for n in range(1, len(RESIDENTS) + 1)]
    voters += [(name, name, "") for name in people.get("named", [])]
    voters += [
        (f"v{n}", f"{prefix}-voter-{n}", "") for n in range(1, spec["voters"]["accounts"] + 1)
    ]
    browsers = people.get("anonymous", 0) + spec["voters"]["anonymous"]
    if consultation.allows_anonymous:
        voters += [(f"a{n}", "", _anon_key(code, n)) for n in range(1, browsers + 1)]
    return voters


def _planted(consultation: Consultation) -> list[int]:
    """The planted group of each voter, in the order of `_voters`."""
    spec, people = _spec_of(consultation)
    n = len(_voters(consultation))
    shares = spec["groups"]
    sizes = [round(share * n) for share in shares[:-1]]
    labels = [g for g, size in enumerate(sizes) for _ in range(size)]
    labels += [len(shares) - 1] * (n - len(labels))
    random.Random(f"voices-demo-opinions-{people['country']}-groups").shuffle(labels)  # noqa: S311
    return labels


def planted_groups(consultation: Consultation) -> dict[int, int]:
    """Each demo voter's planted group, by participant id (to compare the analysis with)."""
    voters = _voters(consultation)
    rows = Participant.objects.filter(consultation=consultation)
    by_user = dict(rows.filter(user__isnull=False).values_list("user__username", "pk"))
    by_browser = dict(rows.exclude(anon_key="").values_list("anon_key", "pk"))
    groups = {}
    for (_key, username, anon_key), group in zip(voters, _planted(consultation), strict=True):
        pk = by_user.get(username) if username else by_browser.get(anon_key)
        if pk is not None:
            groups[pk] = group
    return groups


def _pseudonym(username: str) -> str:
    """An extra voter's public name ("Amber Ash" for `<country>-voter-1`)."""
    kind, _sep, n = username.rpartition("-")
    if not (kind.endswith("-voter") and n.isdigit()):
        return username
    n = int(n) - 1
    return f"{_COLOURS[n % len(_COLOURS)]} {_THINGS[n // len(_COLOURS) % len(_THINGS)]}"


def _restamp(model, fields: list[str], rows: list[tuple[int, datetime.datetime]]) -> None:
    """Set the time fields of many rows, each to its own time, in one statement run for all
    (bulk_update builds one CASE per row, seconds for a few thousand votes)."""
    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    columns = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {columns} WHERE {quote('id')} = %s"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*[adapt(at)] * len(fields), pk) for pk, at in rows])


class _Seeder:
    """Makes one map: question, statements, voters and their votes, and the first analysis."""

    def __init__(self, consultation: Consultation, spec: dict):
        self.consultation = consultation
        self.spec = spec
        # On the hour, as the consultations' dates are, so the votes' order (and with it the
        # analysis) does not depend on the minute the demo is made.
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.code = str(consultation.country.code)
        self.lang = consultation.country.language
        owner = consultation.owner_organisation or consultation.owner_council
        self.actor = _acting_for(owner)
        self.rng = random.Random(f"voices-demo-opinions-{self.code}")  # noqa: S311
        # The map is prepared a couple of days before the contributions phase; votes come in
        # from its start until the answers phase (or now).
        self.made_at = consultation.contributions_at - 2 * DAY
        self.votes_from = consultation.contributions_at
        self.votes_until = min(consultation.answers_at, self.now) - HOUR
        self.statements_until = min(consultation.deliberation_at, self.now) - HOUR

    def seed(self) -> None:
        if self.actor is None:
            return
        opinion_map = services.opinion_map_create(
            actor=self.actor, consultation=self.consultation,
            question=TranslatedText(
                {self.lang: self.spec["question"][0], "en": self.spec["question"][1]},
                original=self.lang,
            ),
            premoderation=self.spec["premoderation"],
        )  # fmt: skip
        self.map = opinion_map
        participants = self._participants()
        profiles = self._seeds()
        profiles |= self._contributions(participants)
        votes = self._votes(participants, profiles)
        self._count(votes)
        # The map, and the consultation's list of parts that now shows it, date from when the
        # map was prepared.
        OpinionMap.objects.filter(pk=opinion_map.pk).update(
            created_at=self.made_at, updated_at=self.made_at
        )
        Consultation.objects.filter(pk=self.consultation.pk).update(updated_at=self.made_at)
        analysis = services.analysis_run(map_id=opinion_map.pk)
        if analysis is not None:
            last = max(vote.updated_at for vote in votes)
            Analysis.objects.filter(pk=analysis.pk).update(
                created_at=min(last + 2 * MINUTE, self.now)
            )

    # Who votes

    def _participants(self) -> list[Participant]:
        """A participant row for every voter (existing rows kept), in the order of `_voters`."""
        voters = _voters(self.consultation)
        names = {username for _key, username, _anon in voters if username}
        users = {u.username: u for u in User.objects.filter(username__in=names)}
        missing = [
            User(
                username=username,
                display_name=_pseudonym(username),
                languages=[self.lang, "en"],
                country=self.code,
                password=make_password(None),
            )
            for _key, username, _anon in voters
            if username and username not in users
        ]
        for user in User.objects.bulk_create(missing):
            users[user.username] = user
        rows = Participant.objects.filter(consultation=self.consultation)
        by_user = {p.user_id: p for p in rows.filter(user__isnull=False)}
        by_browser = {p.anon_key: p for p in rows.exclude(anon_key="")}
        declared = needs_residence_declaration(self.consultation)
        new = []
        for _key, username, anon_key in voters:
            found = by_user.get(users[username].pk) if username else by_browser.get(anon_key)
            if found is None:
                new.append(
                    Participant(
                        consultation=self.consultation,
                        user=users[username] if username else None,
                        anon_key=anon_key,
                        declared_resident=declared,
                    )
                )
        Participant.objects.bulk_create(new)
        rows = Participant.objects.filter(consultation=self.consultation).select_related("user")
        by_user = {p.user.username: p for p in rows.filter(user__isnull=False)}
        by_browser = {p.anon_key: p for p in rows.exclude(anon_key="")}
        return [
            by_user[username] if username else by_browser[anon_key]
            for _key, username, anon_key in voters
        ]

    # Statements

    def _seeds(self) -> dict[int, tuple[str, datetime.datetime, int | None]]:
        """The moderators' statements; returns each one's profile, time and author by pk."""
        profiles = {}
        closed = self.consultation.phase_at(timezone.now()) in (Phase.ANSWERS, Phase.CLOSED)
        for n, (language, text, profile) in enumerate(self.spec["statements"]):
            if closed:
                statement = self._statement_direct(
                    text=text, language=language, author=self.actor, is_seed=True
                )
            else:
                statement = services.statement_seed_add(
                    actor=self.actor, opinion_map=self.map, text=text, language=language
                )
            at = self.made_at + (n + 1) * 3 * MINUTE
            Statement.objects.filter(pk=statement.pk).update(created_at=at)
            profiles[statement.pk] = (profile, at, None)
        return profiles

    def _contributions(
        self, participants: list[Participant]
    ) -> dict[int, tuple[str, datetime.datetime, int | None]]:
        """Participants' statements; a pending one stays out of the votes."""
        by_key = {
            key: participant
            for (key, _u, _a), participant in zip(
                _voters(self.consultation), participants, strict=True
            )
        }
        profiles = {}
        start = self.consultation.contributions_at
        for author_key, language, text, profile, when, keep_pending in self.spec["contributions"]:
            participant = by_key[author_key]
            at = start + (self.statements_until - start) * when
            if self.consultation.allows(Action.PROPOSE, at=timezone.now()):
                statement = services.statement_add(
                    user=participant.user, anon_key=participant.anon_key,
                    opinion_map=self.map, text=text, language=language,
                )  # fmt: skip
            else:
                held = self.map.premoderation and keep_pending
                statement = self._statement_direct(
                    text=text, language=language, author=participant.user,
                    participant=participant, is_anonymous=participant.is_anonymous,
                    moderation_state=ModerationState.PENDING if held else ModerationState.VISIBLE,
                )  # fmt: skip
            Statement.objects.filter(pk=statement.pk).update(created_at=at)
            self._seen(participant, at)
            if statement.moderation_state == ModerationState.PENDING and not keep_pending:
                decision = moderation.moderation_decide(
                    actor=self.actor, target=statement, action=ModerationDecision.Action.APPROVE
                )
                ModerationDecision.objects.filter(pk=decision.pk).update(
                    created_at=min(at + 2 * HOUR, self.now)
                )
                statement.moderation_state = ModerationState.VISIBLE
            if statement.moderation_state == ModerationState.VISIBLE:
                profiles[statement.pk] = (profile, at, participant.pk)
        return profiles

    def _statement_direct(self, *, text: str, language: str, **fields) -> Statement:
        """A statement written where the phase is over, numbered and checked for duplicates by
        the same service function."""
        return services.statement_save(self.map, text=text, language=language, **fields)

    # Votes

    def _votes(self, participants: list[Participant], profiles: dict) -> list[Vote]:
        """Each voter comes once, at a time of their own, and votes on a share of the
        statements published by then, as their planted group tends to, with some noise."""
        rng = self.rng
        span = self.votes_until - self.votes_from
        votes: list[Vote] = []
        for participant, group in zip(participants, _planted(self.consultation), strict=True):
            came = self.votes_from + span * rng.random()
            seen = [
                pk
                for pk, (_p, at, author) in profiles.items()
                if at < came and author != participant.pk
            ]
            rng.shuffle(seen)
            share = rng.uniform(*COVERAGE)
            passes = rng.uniform(0.5, 1.5)  # some pass more often than others
            at = came
            for pk in seen[: max(1, int(share * len(seen)))]:
                agree, disagree, unsure = PROFILES[profiles[pk][0][group]]
                value = rng.choices((1, -1, 0), weights=(agree, disagree, unsure * passes))[0]
                at += datetime.timedelta(seconds=rng.uniform(6, 50))
                vote = Vote(statement_id=pk, participant=participant, value=value)
                vote.created_at = vote.updated_at = at
                votes.append(vote)
            self._seen(participant, came)
        # The votes keep their times (the analysis reads votes in the order of `updated_at`);
        # a participant's row, stamped with the present by its own app, is dated afterwards.
        Vote.objects.bulk_create(votes, batch_size=2000)
        _restamp(Participant, ["created_at"], [(p.pk, p.created_at) for p in participants])
        return votes

    def _seen(self, participant: Participant, at: datetime.datetime) -> None:
        """A participant dates from the first thing they did (they may have taken part in the
        consultation earlier)."""
        if at < participant.created_at:
            participant.created_at = at

    def _count(self, votes: list[Vote]) -> None:
        """The counters `vote_cast` keeps: per statement, and new votes on the map."""
        counts = (
            Vote.objects.filter(statement__map=self.map)
            .values("statement")
            .annotate(
                agree=Count("pk", filter=Q(value=Vote.Value.AGREE)),
                disagree=Count("pk", filter=Q(value=Vote.Value.DISAGREE)),
                passes=Count("pk", filter=Q(value=Vote.Value.PASS)),
            )
        )
        for row in counts:
            Statement.objects.filter(pk=row["statement"]).update(
                agree_count=row["agree"], disagree_count=row["disagree"], pass_count=row["passes"]
            )
        OpinionMap.objects.filter(pk=self.map.pk).update(votes_since_analysis=len(votes))
