"""The demo Inquiry Lab: one finished challenge, played from registration to the council, and one
open for registration.

The finished challenge ("Youth Voices on Housing") is written through the services, so it holds
only what the rules let through: registrations checked for eligibility and confirmed, teams
formed by invitation, office hours booked, briefs saved in versions and submitted before the
deadline, judges assigned by the engine (their organisations exclude them from the teams of their
own organisation), reviews submitted, people's-choice votes cast during judging, results
published, and the winning brief sent to the Athens council, which acknowledged it.

The services check every step against the clock ("briefs only during the work stage"), so each
step runs on a stepped clock (`_at`) set to the day it happened, weeks ago: the challenge's dates
are its real, final dates from the start, and every stored moment (registered at, submitted at,
published at) is when the step took place. Only the finished challenge is played that way; the
open one runs on the real clock.

The judges are chosen to show what normalisation does: one scores harshly, one leniently, and
each has a conflict of interest with a different team, so the harsh judge's low scores fall on
one brief and not on another. The raw means then rank two briefs the other way round from the
normalised scores, which correct for each judge's own scale.

Running the seeder again changes nothing: each challenge is looked up by its slug first.
"""

from __future__ import annotations

import contextlib
import datetime
from unittest import mock

from allauth.account.models import EmailAddress
from django.utils import timezone

from voices.accounts.models import User
from voices.assessments import selectors as reviews
from voices.assessments import services as review_services
from voices.assessments.models import Assignment
from voices.core.translation import TranslatedText
from voices.councils.models import Council, Membership
from voices.directory.models import Organisation

from . import (
    brief_services,
    challenge_services,
    forwarding_services,
    mentor_services,
    result_services,
    team_services,
)
from .models import Brief, Challenge, Team

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
PROGRAMME = ["AT", "BG", "FR", "GR", "HU", "IT", "RO"]
LANGUAGES = ["en", "uk", "ar", "fa", "fr", "de", "it", "el", "bg", "hu", "ro"]


@contextlib.contextmanager
def _at(moment: datetime.datetime):
    """Run the services as if it were `moment`: their stage rules and the dates they store.

    `django.utils.timezone.now` is what the services, the stage checks and Django's automatic
    dates all read, so one patch puts them all on the same day in the challenge's past.
    """
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _texts(**values: str) -> TranslatedText:
    return TranslatedText(values, original="en")


def _demo_person(username: str, display_name: str, country: str, languages: list[str]) -> User:
    """A demo person who only appears (no password), with a verified e-mail address so that they
    may vote for the people's choice, as a real verified account would."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "languages": languages,
            "country": country,
            "email": f"{username}@demo.voices.invalid",
            # Demo accounts live on notifications pages only: no e-mail is queued for them.
            "email_notifications": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return user


def seed(out) -> list:
    coordinator = User.objects.filter(username="coordinator").first()
    if coordinator is not None:
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        if not Challenge.objects.filter(slug=FINISHED["slug"]).exists():
            _Finished(now, coordinator).play()
        if not Challenge.objects.filter(slug=OPEN["slug"]).exists():
            _seed_open(now, coordinator)
    submitted = Brief.objects.filter(submitted_version__isnull=False).count()
    out.write(
        f"inquirylab: {Challenge.objects.count()} challenges, {Team.objects.count()} teams, "
        f"{submitted} briefs"
    )
    return []


# The finished challenge

# Days from now at which each stage started; the challenge is in its results stage.
STAGE_DAYS = {
    "registration_at": -120,
    "teams_at": -100,
    "work_at": -88,
    "deadline_at": -45,
    "results_at": -21,
}

FINISHED = {
    "slug": "youth-voices-housing",
    "organiser": "fr-ngo",
    "title": _texts(
        en="Youth Voices on Housing {year}",
        fr="Voix des jeunes sur le logement {year}",
        uk="Голоси молоді про житло {year}",
        ar="أصوات الشباب حول السكن {year}",
    ),
    "theme": _texts(
        en="A first home of one's own: how cities can help young migrants and refugees find "
        "and keep a decent place to live.",
        fr="Un premier logement à soi : comment les villes peuvent aider les jeunes migrants et "
        "réfugiés à trouver et garder un logement digne.",
        uk="Перше власне житло: як міста можуть допомогти молодим мігрантам і біженцям знайти "
        "й зберегти гідне житло.",
    ),
    "brief": _texts(
        en="Leaving a reception centre or a shared room is one of the hardest steps for young "
        "people who arrived in Europe alone. Rents are high, landlords ask for deposits, payslips "
        "and guarantors, and many adverts say “no refugees”.\n\n"
        "In teams of three to five, write a policy brief that a city council could act on: "
        "describe one problem precisely, say who it affects, propose what the city (or another "
        "public body) should do, show your evidence and what it would cost.\n\n"
        "The three best briefs, chosen by an independent jury, are published and sent to a "
        "migrant council as the basis of a recommendation.",
        fr="Quitter un centre d’accueil ou une chambre partagée est l’une des étapes les plus "
        "difficiles pour les jeunes arrivés seuls en Europe. Les loyers sont élevés, les "
        "propriétaires demandent une caution, des fiches de paie et un garant, et beaucoup "
        "d’annonces disent « pas de réfugiés ».\n\n"
        "En équipes de trois à cinq, rédigez une note de politique publique sur laquelle un "
        "conseil municipal pourrait agir : décrivez un problème précis, dites qui il touche, "
        "proposez ce que la ville devrait faire, montrez vos preuves et ce que cela coûterait.\n\n"
        "Les trois meilleures notes, choisies par un jury indépendant, sont publiées et envoyées "
        "à un conseil des migrants comme base d’une recommandation.",
        uk="Вийти з центру прийому чи спільної кімнати — один із найважчих кроків для молодих "
        "людей, які приїхали до Європи самі. Оренда дорога, власники просять депозит, довідки "
        "про доходи й поручителів, а в багатьох оголошеннях написано «не для біженців».\n\n"
        "У командах від трьох до п’яти осіб напишіть аналітичну записку, на яку міська рада "
        "могла б відреагувати: опишіть одну проблему, скажіть, кого вона зачіпає, запропонуйте, "
        "що має зробити місто, покажіть докази й вартість.",
    ),
    "policy_questions": _texts(
        en="1. What stops young migrants and refugees from renting their first flat?\n"
        "2. What could a city do within a year, with the money and powers it has?\n"
        "3. How can young people themselves take part in the solution?",
        fr="1. Qu’est-ce qui empêche les jeunes migrants et réfugiés de louer leur premier "
        "appartement ?\n"
        "2. Que pourrait faire une ville en un an, avec les moyens et les pouvoirs qu’elle a ?\n"
        "3. Comment les jeunes eux-mêmes peuvent-ils prendre part à la solution ?",
    ),
    "resources": _texts(
        en="FEANTSA, Youth homelessness in the EU: https://www.feantsa.org/\n"
        "European Commission, Action plan on integration and inclusion 2021–2027: "
        "https://ec.europa.eu/migrant-integration/\n"
        "UNHCR Europe, housing for refugees: https://www.unhcr.org/europe/\n"
        "A short guide to writing a policy brief, by the Voices team (on the challenge page).",
        fr="FEANTSA, le sans-abrisme des jeunes dans l’UE : https://www.feantsa.org/\n"
        "Commission européenne, plan d’action sur l’intégration et l’inclusion 2021–2027 : "
        "https://ec.europa.eu/migrant-integration/\n"
        "HCR Europe, le logement des réfugiés : https://www.unhcr.org/europe/",
    ),
}

# Fourteen young participants, by pseudonym: (key, name, country, languages, age, organisation
# they registered with or None, skills).
PARTICIPANTS = [
    ("lark", "Lark", "GR", ["fa", "en", "el"], 22, None, "Interviews, Persian–Greek interpreting"),
    ("juniper", "Juniper", "IT", ["ar", "it", "en"], 24, None, "Budgets and spreadsheets"),
    ("comet", "Comet", "AT", ["uk", "de", "en"], 20, None, "Design, short videos"),
    ("saffron", "Saffron", "BG", ["ar", "bg", "en"], 25, None, "Law student: tenancy law"),
    ("pebble", "Pebble", "RO", ["uk", "ro", "en"], 23, None, "Surveys and data"),
    ("maple", "Maple", "HU", ["ar", "hu", "en"], 26, None, "Social work placement"),
    ("orchid", "Orchid", "IT", ["fa", "it", "en"], 21, "it-ngo", "Volunteer at a help desk"),
    ("falcon", "Falcon", "FR", ["ar", "fr", "en"], 19, None, "Writing, Arabic–French"),
    ("willow", "Willow", "FR", ["fr", "ar"], 24, None, "Student in urban planning"),
    ("indigo", "Indigo", "AT", ["fa", "fr", "de"], 22, None, "Housing association intern"),
    ("ember", "Ember", "RO", ["ro", "fr", "en"], 20, "ro-uni", "Sociology student"),
    ("coral", "Coral", "HU", ["uk", "hu", "en"], 21, None, "Online research, fact-checking"),
    ("aspen", "Aspen", "GR", ["ar", "el", "en"], 25, None, "Community organising"),
    ("nova", "Nova", "BG", ["fa", "bg", "en"], 23, None, "Photography, social media"),
]

# Teams in the order they were formed: (key, name, language, lead, members, description).
TEAMS = [
    ("keys", "Keys First", "en", "lark", ["juniper", "comet", "saffron"],
     "Deposits and guarantees: the money wall in front of a first flat."),
    ("roof", "Roof and Rights", "en", "pebble", ["maple", "orchid", "falcon"],
     "Young people do not know their rights as tenants, or where to ask."),
    ("toits", "Nos Toits", "fr", "willow", ["indigo", "ember"],
     "Colocations entre jeunes réfugiés et étudiants."),
    ("doors", "Open Doors", "en", "coral", ["aspen", "nova"],
     "Rental adverts that say “no refugees”, and what a city can do about it."),
]  # fmt: skip

# Each team's brief: the sections of its final version. The first draft (by another member)
# has the title, the problem and who is affected only.
BRIEFS = {
    "keys": {
        "title": "A city deposit guarantee for young refugees’ first flat",
        "problem": "Young refugees who leave reception centres at 18 to 21 often have the "
        "income to pay a monthly rent (a job, a grant or housing benefit) but not the two or "
        "three months of deposit that landlords ask for, nor a guarantor with a payslip. They "
        "stay in shelters or overcrowded rooms long after they could live on their own.",
        "affected": "Young refugees and migrants aged 18 to 26 leaving reception or care in "
        "Athens: about 1,200 a year according to the city’s social services. Also the shelters, "
        "whose places stay taken, and landlords, who fear unpaid rent.",
        "proposal": "The City of Athens sets up a deposit guarantee: instead of paying a "
        "deposit, the young tenant gives the landlord a city guarantee certificate covering up to "
        "three months of rent for two years. The young person pays the guarantee back in small "
        "monthly amounts (10 euros) into a savings account that becomes their own deposit after "
        "two years. A housing adviser meets each tenant and landlord once before signing.",
        "evidence": "We interviewed 23 young people leaving reception in Athens: 17 had a "
        "regular income, 19 had been refused a flat because of the deposit or the guarantor. "
        "Similar schemes in Vienna and Barcelona show that fewer than 4% of guarantees are "
        "called in. The city’s shelter costs about 25 euros a night per person.",
        "sources": "https://www.feantsa.org/\n"
        "Interviews with 23 young people leaving reception in Athens, Keys First team, 2026\n"
        "City of Vienna, Wohnbeihilfe and deposit loans, annual report 2024",
        "institution": "City of Athens, Department of Social Solidarity",
        "feasibility": "For 300 young people a year, the guarantees would tie up about 450,000 "
        "euros, of which we expect under 20,000 euros to be called in. One housing adviser costs "
        "about 30,000 euros a year. The city saves shelter nights: one young person leaving a "
        "shelter three months earlier saves about 2,250 euros.",
        "steps": "1. The council votes a pilot for 100 young people in 2027.\n"
        "2. The city signs an agreement with two landlords’ associations.\n"
        "3. Young people who used the scheme are on the pilot’s steering group.\n"
        "4. After a year, the council reviews the pilot and decides on the full scheme.",
        "summary": "Many young refugees in Athens can pay a monthly rent but not a deposit or a "
        "guarantor. We propose a city deposit guarantee: the city guarantees up to three "
        "months of rent, the young tenant saves 10 euros a month into their own deposit, and a "
        "housing adviser helps both sides. It costs little and frees shelter places.",
        "summary_language": "en",
        "second_summary": "بسیاری از پناهندگان جوان در آتن می‌توانند اجاره‌ی ماهانه را بپردازند "
        "اما ودیعه یا ضامن ندارند. ما پیشنهاد می‌کنیم شهر تا سه ماه اجاره را ضمانت کند، "
        "مستأجر جوان ماهی ۱۰ یورو برای ودیعه‌ی خودش پس‌انداز کند و یک مشاور مسکن به هر دو طرف "
        "کمک کند.",
        "second_summary_language": "fa",
    },
    "roof": {
        "title": "Know your rights: a housing help desk in young newcomers’ languages",
        "problem": "Young migrants in Rome sign leases they cannot read, pay rent without "
        "receipts and are evicted without notice, because they do not know their rights and "
        "the help that exists is only in Italian and only in office hours.",
        "affected": "Young migrants and refugees renting rooms in Rome, most of them without a "
        "written contract; according to the help desks we visited, about one in three of the "
        "young people they see has no lease at all.",
        "proposal": "The City of Rome opens a housing help desk two evenings a week in three "
        "community centres, with trained peer advisers (young migrants themselves) who speak "
        "Arabic, Persian, Ukrainian, Bengali and Tigrinya, and a lawyer on call. It checks "
        "leases before signing, explains rights and refers cases to the tenants’ union.",
        "evidence": "Our survey of 61 young migrants in Rome: 38 had no written lease, 44 did not "
        "know a landlord must give a receipt, 12 had been evicted without notice. The city’s "
        "existing desk sees few young people: its hours clash with work and school.",
        "sources": "Survey of 61 young migrants in Rome, Roof and Rights team, 2026\n"
        "https://www.unhcr.org/europe/\n"
        "Italian Civil Code, articles 1571–1614 (lease)",
        "institution": "City of Rome, Department of Social Policies",
        "feasibility": "Six peer advisers paid for 8 hours a week, training and a lawyer on call "
        "cost about 95,000 euros a year. The community centres already exist and are open in "
        "the evening. The tenants’ union has offered to train the advisers.",
        "steps": "1. The city and the tenants’ union agree on the training.\n"
        "2. Peer advisers are recruited among young migrants.\n"
        "3. The desk opens in one centre, then in three after six months.",
        "summary": "Young migrants in Rome often rent without a lease and do not know their "
        "rights. We propose an evening housing help desk in three community centres, run by "
        "trained peer advisers who speak their languages, with a lawyer on call. It costs about "
        "95,000 euros a year.",
        "summary_language": "en",
        "second_summary": "كثير من المهاجرين الشباب في روما يستأجرون دون عقد ولا يعرفون حقوقهم. "
        "نقترح مكتب مساعدة مسائياً للسكن في ثلاثة مراكز مجتمعية، يديره مستشارون شباب مدرَّبون "
        "يتكلمون لغاتهم، مع محامٍ عند الحاجة.",
        "second_summary_language": "ar",
    },
    "toits": {
        "title": "Colocations solidaires entre jeunes réfugiés et étudiants",
        "problem": "À Lyon, les jeunes réfugiés qui sortent des foyers ne trouvent pas de "
        "logement à un prix abordable, tandis que beaucoup d’étudiants cherchent aussi une "
        "chambre. Les deux groupes vivent dans la même ville sans se rencontrer.",
        "affected": "Les jeunes réfugiés de 18 à 26 ans qui quittent l’hébergement d’urgence "
        "à Lyon, et les étudiants qui cherchent un logement à loyer modéré.",
        "proposal": "La Ville de Lyon et la Métropole réservent chaque année 40 appartements "
        "du parc social à des colocations d’un jeune réfugié et d’un ou deux étudiants. Une "
        "association accompagne chaque colocation : charte commune, médiation en cas de "
        "conflit, aide aux démarches. Le loyer est partagé à parts égales.",
        "evidence": "Des colocations de ce type existent à Paris, Grenoble et Lille depuis 2018 : "
        "plus de 80 % des jeunes réfugiés y trouvent ensuite un logement autonome. Nous avons "
        "interrogé 35 étudiants de Lyon 2 : 22 seraient prêts à partager un appartement avec "
        "un jeune réfugié.",
        "sources": "https://www.lyon.fr/\n"
        "Enquête auprès de 35 étudiants de l’Université Lumière Lyon 2, équipe Nos Toits, 2026\n"
        "Rapport d’activité d’une association de colocations solidaires, 2024",
        "institution": "Ville de Lyon et Métropole de Lyon",
        "feasibility": "Les appartements existent déjà dans le parc social ; le coût nouveau "
        "est l’accompagnement, environ 1 500 euros par colocation et par an, soit 60 000 euros "
        "pour 40 colocations.",
        "steps": "1. Un bailleur social pilote 10 colocations à la rentrée.\n"
        "2. Les universités diffusent l’appel aux étudiants.\n"
        "3. Bilan avec les colocataires après un an, puis 40 colocations.",
        "summary": "À Lyon, nous proposons de réserver 40 appartements sociaux par an à des "
        "colocations entre un jeune réfugié et des étudiants, avec l’accompagnement d’une "
        "association. Le coût nouveau est d’environ 60 000 euros par an.",
        "summary_language": "fr",
        "second_summary": "In Lyon, we propose that 40 social flats a year are shared by a young "
        "refugee and one or two students, supported by an association. The new cost is about "
        "60,000 euros a year.",
        "second_summary_language": "en",
    },
    "doors": {
        "title": "No more “no refugees”: stopping discrimination in rental adverts",
        "problem": "Many rental adverts in Budapest say openly that foreigners, refugees or "
        "“people without a Hungarian job” need not apply. Young migrants give up looking, or "
        "pay more to agents who find them a landlord who accepts them.",
        "affected": "Young migrants and refugees looking for a room or flat in Budapest; also "
        "Roma and other groups who face the same adverts.",
        "proposal": "The City of Budapest asks the main rental websites to remove adverts that "
        "exclude people by origin, sets up a simple online form to report them, and runs a "
        "yearly test with the equal treatment authority: pairs of young people apply for the "
        "same flats, and the results are published.",
        "evidence": "We read 200 adverts on two websites in March: 31 excluded foreigners or "
        "refugees. Discrimination in housing is forbidden by Hungarian law on equal treatment.",
        "sources": "Reading of 200 rental adverts in Budapest, Open Doors team, March 2026\n"
        "Hungarian Act CXXV of 2003 on equal treatment",
        "institution": "Budapest City, Mayor’s Office",
        "feasibility": "The reporting form and the yearly test cost about 20,000 euros. The "
        "websites’ cooperation is voluntary, so the city needs to convince them.",
        "steps": "1. Meet the two largest rental websites.\n"
        "2. Open the reporting form.\n"
        "3. First test in autumn, results published in winter.",
        "summary": "Many rental adverts in Budapest exclude foreigners and refugees. We propose "
        "that the city asks rental websites to remove them, opens a reporting form and publishes "
        "a yearly test of discrimination in renting.",
        "summary_language": "en",
        "second_summary": "Багато оголошень про оренду в Будапешті відкрито виключають "
        "іноземців і біженців. Ми пропонуємо, щоб місто попросило сайти їх прибрати, відкрило "
        "форму для скарг і щороку публікувало перевірку дискримінації.",
        "second_summary_language": "uk",
    },
}

# The judges: the demo "judge" and three more, each from another organisation. Ember studies at
# the University of Bucharest and Orchid volunteers with the Rome network, so Linden and Rowan
# each have a conflict of interest with one team and the engine gives them the other three.
JUDGES = [
    # username, display name, country, languages, organisation, bias (points out of 100)
    ("judge", "Judge", "RO", ["ro", "en"], None, 0),
    ("lab-judge-linden", "Linden", "RO", ["ro", "en"], "ro-uni", -16),  # harsh
    ("lab-judge-rowan", "Rowan", "IT", ["it", "en"], "it-ngo", 13),  # lenient
    ("lab-judge-hazel", "Hazel", "AT", ["de", "en"], "at-city", 2),
]
# What a neutral judge would give each brief, and each brief's strengths and weaknesses by
# criterion (in levels of the scale): relevance, evidence, feasibility, clarity, participation.
QUALITY = {"keys": 84, "roof": 73, "toits": 68, "doors": 55}
PROFILE = {
    "keys": (0.3, 0.0, -0.2, 0.2, 0.0),
    "roof": (0.2, -0.3, 0.2, 0.0, 0.1),
    "toits": (0.0, 0.1, -0.3, 0.2, 0.4),
    "doors": (0.3, -0.4, -0.2, 0.0, -0.2),
}
# A judge is never exactly on their own average: a small offset per judge and brief.
JITTER = {
    ("judge", "keys"): 1, ("judge", "roof"): -1, ("judge", "toits"): 2, ("judge", "doors"): 0,
    ("lab-judge-hazel", "keys"): -2, ("lab-judge-hazel", "roof"): 1,
    ("lab-judge-hazel", "toits"): 0, ("lab-judge-hazel", "doors"): 1,
}  # fmt: skip
COMMENTS = {
    ("judge", "keys"): "A precise problem and a proposal the city could start next year. The "
    "cost estimate is careful. Say more about what happens when a guarantee is called in.",
    ("judge", "roof"): "A real need, well shown by your survey. The proposal is clear; the "
    "budget would be more convincing with the cost of each part.",
    ("judge", "toits"): "Une idée simple et concrète, avec des exemples qui marchent ailleurs. "
    "Précisez qui paie l’accompagnement après la première année.",
    ("judge", "doors"): "An important problem. The proposal depends on the websites’ goodwill: "
    "what can the city do if they refuse?",
    ("lab-judge-hazel", "keys"): "Convincing and well costed. The steering group of young "
    "tenants is a good idea; say how its members are chosen.",
    ("lab-judge-hazel", "roof"): "Peer advisers who speak the tenants’ languages are the "
    "strength of this brief. The evening hours answer a real gap.",
    ("lab-judge-hazel", "toits"): "Well argued, with students and refugees both asked. The "
    "feasibility part is short.",
    ("lab-judge-hazel", "doors"): "Clear and useful. The testing method needs more detail to be "
    "credible in court.",
    ("lab-judge-linden", "keys"): "Sound idea, but the figures from other cities are not "
    "referenced precisely, and the risk for the city budget is underestimated.",
    ("lab-judge-linden", "roof"): "The survey is small and the sample is not described. The "
    "proposal is reasonable but the budget is a single number.",
    ("lab-judge-linden", "doors"): "The evidence is thin (one reading of adverts) and the "
    "proposal relies on voluntary cooperation. Needs a stronger legal basis.",
    ("lab-judge-rowan", "keys"): "Excellent work: a clear problem, strong evidence from young "
    "people themselves, and a realistic plan. Ready to send to the city.",
    ("lab-judge-rowan", "toits"): "Très beau projet, bien construit, qui rapproche deux groupes. "
    "Bravo pour l’enquête auprès des étudiants !",
    ("lab-judge-rowan", "doors"): "A brave topic and a clear brief. The yearly test is a great "
    "idea that other cities could copy.",
}
FEEDBACK = {
    "keys": "Congratulations: first place. The jury praised a precise problem, careful costs "
    "and a pilot the city can start next year. We are sending your brief to the Athens Migrant "
    "Council.",
    "roof": "Second place. The jury liked the peer advisers and your survey; a detailed budget "
    "would make the brief stronger when you present it to the city.",
    "toits": "Troisième place, et le choix du public ! Le jury a apprécié l’enquête auprès des "
    "étudiants ; précisez le financement après la première année.",
    "doors": "Thank you for a brave brief on a topic few dare to raise. The jury asks for "
    "stronger evidence and a plan for websites that refuse to cooperate.",
}
# People's choice: who voted for which team's brief (never their own).
VOTES = {
    "toits": ["lark", "juniper", "comet", "saffron", "pebble", "maple", "orchid", "falcon",
              "coral", "aspen"],
    "keys": ["willow", "indigo", "nova", "reza"],
    "roof": ["ember", "researcher"],
    "doors": ["amina", "dmytro"],
}  # fmt: skip


def _levels(target: float, profile: tuple[float, ...], criteria) -> dict[int, int]:
    """Scores 1–5 per criterion whose weighted score is as close to `target` as the scale allows,
    keeping the brief's profile (stronger on some criteria, weaker on others)."""
    best, best_gap = None, None
    for step in range(0, 121):
        base = step * 0.05
        values = {
            c.pk: min(c.scale_max, max(c.scale_min, round(c.scale_min + base + offset)))
            for c, offset in zip(criteria, profile, strict=True)
        }
        gap = abs(reviews.review_score(values, criteria) - target)
        if best_gap is None or gap < best_gap - 1e-9:
            best, best_gap = values, gap
    return best


class _Finished:
    """Plays the finished challenge through the services, day by day."""

    def __init__(self, now: datetime.datetime, coordinator: User):
        # Days are counted from midnight (UTC), so that `hours` are the time of day.
        self.now = now.replace(hour=0)
        self.coordinator = coordinator
        self.people: dict[str, User] = {}
        self.teams: dict[str, Team] = {}

    def day(self, days: float, hours: float = 0) -> datetime.datetime:
        return self.now + days * DAY + hours * HOUR

    def brief(self, key: str) -> Brief:
        # Read again: the team's cached brief is the draft as it was first saved.
        return Brief.objects.get(team=self.teams[key])

    def at(self, days: float, hours: float = 0):
        return _at(self.day(days, hours))

    def play(self) -> None:
        self._challenge()
        self._register()
        self._mentor_and_questions()
        self._teams()
        self._help()
        self._briefs()
        self._judging()
        self._results()

    def _challenge(self) -> None:
        dates = {field: self.day(days, 9) for field, days in STAGE_DAYS.items()}
        year = str(dates["work_at"].year)
        title = {k: v.format(year=year) for k, v in FINISHED["title"].values.items()}
        with self.at(-130, 10):
            self.challenge = challenge_services.challenge_create(
                actor=self.coordinator,
                organiser=Organisation.objects.filter(slug=FINISHED["organiser"]).first(),
                slug=FINISHED["slug"],
                title=TranslatedText(title, original="en"),
                theme=FINISHED["theme"],
                brief=FINISHED["brief"],
                policy_questions=FINISHED["policy_questions"],
                resources=FINISHED["resources"],
                languages=LANGUAGES,
                allowed_countries=PROGRAMME,
                starts_on=dates["teams_at"].date(),
                team_min=3,
                team_max=5,
                **dates,
            )
        with self.at(-128, 11):
            self.challenge = challenge_services.challenge_publish(
                actor=self.coordinator, challenge=self.challenge
            )

    def _register(self) -> None:
        starts = self.challenge.starts_on
        for n, (key, name, country, languages, age, org, skills) in enumerate(PARTICIPANTS):
            user = _demo_person(f"lab-{key}", name, country, languages)
            self.people[key] = user
            with self.at(-119 + n, 14):
                challenge_services.registration_create(
                    user=user,
                    challenge=self.challenge,
                    # Used for the check only, never stored: someone of `age` on the start day.
                    birth=datetime.date(starts.year - age, 1, 1),
                    country=country,
                    consent=True,
                    languages=languages,
                    skills=skills,
                    is_looking_for_team=True,
                    organisation=Organisation.objects.filter(slug=org).first() if org else None,
                )
        for n, registration in enumerate(self.challenge.registrations.order_by("pk")):
            with self.at(-104 + n // 5, 10 + n % 5):
                challenge_services.registration_decide(
                    actor=self.coordinator, registration=registration, decision="confirm"
                )
        for username in ("amina", "reza", "dmytro", "researcher"):
            user = User.objects.filter(username=username).first()
            if user is not None:
                self.people[username] = user

    def _mentor_and_questions(self) -> None:
        with self.at(-126, 9):
            self.mentor = mentor_services.mentor_add(
                actor=self.coordinator,
                challenge=self.challenge,
                identifier="mentor",
                areas="Housing policy, tenants’ rights, EU funding",
            )
        with self.at(-125, 18):
            self.mentor = mentor_services.mentor_profile_update(
                actor=self.mentor.user,
                mentor=self.mentor,
                areas="Housing policy, tenants’ rights, EU funding",
                languages=["el", "en"],
                organisation=Organisation.objects.filter(slug="gr-ngo").first(),
                bio="I have advised young refugees on housing in Athens for eight years, and I "
                "help councils write housing programmes. Ask me about leases, deposits and how "
                "to find the right person at the city.",
            )
        questions = [
            (-112, "falcon", "en",
             "Can our brief address a national ministry instead of a city?",
             "Yes, if the ministry is the body that can act. The jury will ask whether the "
             "institution you address has the power and the money to do what you propose, so "
             "say why you chose it."),
            (-108, "comet", "uk",
             "Чи можна додати до брифу коротке відео?",
             "Yes: the brief has a field for a video link (https). The video is optional and the "
             "jury judges the written brief."),
            (-95, "willow", "fr",
             "Pouvons-nous citer des entretiens que nous avons menés nous-mêmes ?",
             "Oui, c’est même encouragé : indiquez combien de personnes vous avez interrogées, "
             "quand et comment, dans la partie « sources »."),
        ]  # fmt: skip
        for days, asker, language, body, answer in questions:
            with self.at(days, 16):
                question = mentor_services.question_ask(
                    actor=self.people[asker], challenge=self.challenge, body=body, language=language
                )
            with self.at(days + 1, 10):
                mentor_services.question_answer(
                    actor=self.mentor.user, question=question, answer=answer
                )

    def _teams(self) -> None:
        for n, (key, name, language, lead, members, description) in enumerate(TEAMS):
            with self.at(-99 + n * 0.5, 11):
                team = team_services.team_create(
                    actor=self.people[lead], challenge=self.challenge, name=name,
                    language=language, description=description,
                )  # fmt: skip
            self.teams[key] = team
            for m, member in enumerate(members):
                with self.at(-98 + n * 0.5, 10 + m):
                    invitation = team_services.team_invite(
                        actor=self.people[lead], team=team, user=self.people[member],
                        message="We would love to work with you on this brief.",
                    )  # fmt: skip
                with self.at(-97 + n * 0.5, 9 + m):
                    team_services.team_request_answer(
                        actor=self.people[member], request=invitation, accept=True
                    )

    def _help(self) -> None:
        """Office hours (two booked by teams) and the teams' threads with the mentor."""
        mentor_user = self.mentor.user
        slots = []
        with self.at(-87, 9):
            for days in (-80, -74, -66):
                slots.append(
                    mentor_services.office_hour_create(
                        actor=mentor_user,
                        challenge=self.challenge,
                        starts_at=self.day(days, 16),
                        minutes=45,
                        where="Video call (the link is sent to the team that books)",
                    )  # fmt: skip
                )
        bookings = [
            (slots[0], "lark", "How to estimate the cost of a deposit guarantee"),
            (slots[1], "indigo", "Trouver des exemples de colocations solidaires"),
        ]
        for n, (slot, person, topic) in enumerate(bookings):
            with self.at(-85 + n, 20):
                mentor_services.office_hour_book(actor=self.people[person], slot=slot, topic=topic)
        thread = [
            (-84, "keys", "juniper", "Hello! We want to propose a deposit guarantee run by the "
             "city. Do you know a city that already does this?"),
            (-83.75, "keys", None, "Vienna and Barcelona both have schemes. Look for how many "
             "guarantees were called in: that is the figure a council will ask for."),
            (-83, "keys", "saffron", "Thank you! I found the Vienna report. We booked your office "
             "hour to check our cost estimate."),
            (-82, "toits", "willow", "Bonjour, pouvez-vous nous dire à qui adresser la note : la "
             "Ville ou la Métropole ?"),
            (-81.75, "toits", None, "Both are possible; the Métropole manages most social housing "
             "in Lyon, so naming both is wise. Say what each one should do."),
        ]  # fmt: skip
        for days, team, person, body in thread:
            author = mentor_user if person is None else self.people[person]
            with self.at(days, 18):
                mentor_services.message_post(actor=author, team=self.teams[team], body=body)

    def _briefs(self) -> None:
        for n, (key, _name, _language, lead, members, _description) in enumerate(TEAMS):
            team, sections = self.teams[key], BRIEFS[key]
            draft = {field: sections[field] for field in ("title", "problem", "affected")}
            draft |= {
                "summary_language": sections["summary_language"],
                "second_summary_language": sections["second_summary_language"],
            }
            with self.at(-70 + n, 15):
                version, _new = brief_services.brief_save(
                    actor=self.people[members[0]], team=team, **draft
                )
            with self.at(-55 + n, 17):
                brief_services.brief_save(
                    actor=self.people[lead], team=team, based_on=version.number, **sections
                )
            with self.at(-50 + n, 12):
                brief_services.brief_submit(actor=self.people[lead], team=team)

    def _judging(self) -> None:
        with self.at(-60, 9):
            result_services.judging_start(actor=self.coordinator, challenge=self.challenge)
        self.judges: dict[str, User] = {}
        for n, (username, name, country, languages, org, _bias) in enumerate(JUDGES):
            user = User.objects.filter(username=username).first() or _demo_person(
                username, name, country, languages
            )
            self.judges[username] = user
            with self.at(-59, 10 + n):
                result_services.judge_add(
                    actor=self.coordinator, challenge=self.challenge, identifier=user.username,
                    organisation=Organisation.objects.filter(slug=org).first() if org else None,
                )  # fmt: skip
        with self.at(-44, 10):
            result_services.judging_reviewers_assign(
                actor=self.coordinator, challenge=self.challenge
            )
        round = reviews.round_for(self.challenge)
        criteria = reviews.criteria_of(round.rubric)
        key_of = {str(self.brief(key).pk): key for key in self.teams}
        bias = {row[0]: row[5] for row in JUDGES}
        assignments = Assignment.objects.filter(item__round=round).select_related(
            "item", "reviewer__user"
        )
        for n, assignment in enumerate(assignments.order_by("reviewer_id", "item__code")):
            key, username = key_of[assignment.item.object_id], assignment.reviewer.user.username
            target = QUALITY[key] + bias[username] + JITTER.get((username, key), 0)
            with self.at(-42 + n, 19):
                review_services.review_save(
                    user=assignment.reviewer.user,
                    assignment=assignment,
                    scores=_levels(target, PROFILE[key], criteria),
                    comment=COMMENTS[(username, key)],
                    submit=True,
                )
        n = 0
        for key, voters in VOTES.items():
            brief = self.brief(key)
            for person in voters:
                if person in self.people:
                    n += 1
                    with self.at(-44 + n, 21):
                        result_services.vote_cast(
                            user=self.people[person], challenge=self.challenge, brief=brief
                        )

    def _results(self) -> None:
        feedback = {self.brief(key).pk: text for key, text in FEEDBACK.items()}
        with self.at(-20, 12):
            results = result_services.results_publish(
                actor=self.coordinator, challenge=self.challenge, winners=3, feedback=feedback
            )
        council = Council.objects.filter(slug="gr-council").first()
        if council is None:
            return
        with self.at(-14, 10):
            forwarding = forwarding_services.forwarding_create(
                actor=self.coordinator,
                brief=results[0].brief,
                council=council,
                note="The winning brief of Youth Voices on Housing, addressed to the City of "
                "Athens. The team would be glad to present it at a council meeting.",
            )
        chair = (
            Membership.objects.filter(council=council, role=Membership.Role.CHAIR)
            .select_related("user")
            .first()
        )
        with self.at(-7, 17):
            forwarding_services.forwarding_acknowledge(
                actor=chair.user if chair else self.coordinator, forwarding=forwarding
            )


# The challenge open for registration

OPEN = {
    "slug": "young-migrants-first-job",
    "organiser": "at-city",
    "title": _texts(
        en="Young migrants and the first job",
        de="Junge Migrantinnen und Migranten und der erste Job",
        uk="Молоді мігранти і перша робота",
        ar="المهاجرون الشباب والوظيفة الأولى",
    ),
    "theme": _texts(
        en="From school or a course to a first real job: what stands in the way of young "
        "migrants and refugees, and what cities and employers can change.",
        de="Von der Schule oder dem Kurs zum ersten richtigen Job: was jungen Migrantinnen, "
        "Migranten und Geflüchteten im Weg steht, und was Städte und Betriebe ändern können.",
        uk="Від школи чи курсів до першої справжньої роботи: що заважає молодим мігрантам і "
        "біженцям і що можуть змінити міста та роботодавці.",
    ),
    "brief": _texts(
        en="Many young people who arrived in Europe in recent years have finished school, a "
        "language course or training, and still cannot find a first job: their diplomas are not "
        "recognised, employers ask for experience, and work permits are hard to understand.\n\n"
        "Form a team of three to five, choose one obstacle, and write a policy brief that tells "
        "a city, an employment service or a chamber of commerce what to change. Mentors help "
        "you on the way; an independent jury chooses the best three briefs, which go to a "
        "migrant council.",
        de="Viele junge Menschen, die in den letzten Jahren nach Europa gekommen sind, haben "
        "die Schule, einen Sprachkurs oder eine Ausbildung abgeschlossen und finden trotzdem "
        "keinen ersten Job: Abschlüsse werden nicht anerkannt, Betriebe verlangen Erfahrung, "
        "und Arbeitsbewilligungen sind schwer zu verstehen.\n\n"
        "Bildet ein Team von drei bis fünf Personen, wählt ein Hindernis und schreibt ein "
        "Politikpapier, das einer Stadt, dem Arbeitsmarktservice oder einer Kammer sagt, was "
        "sich ändern soll.",
        uk="Багато молодих людей, які приїхали до Європи останніми роками, закінчили школу, "
        "мовні курси чи навчання, але не можуть знайти першу роботу: дипломи не визнають, "
        "роботодавці просять досвід, а дозволи на роботу важко зрозуміти.\n\n"
        "Створіть команду з трьох–п’яти осіб, оберіть одну перешкоду й напишіть аналітичну "
        "записку для міста, служби зайнятості чи торговельної палати.",
    ),
    "policy_questions": _texts(
        en="1. Which obstacle keeps young migrants from a first job most often?\n"
        "2. Who could remove it: a city, the employment service, employers?\n"
        "3. What would it cost, and who would pay?",
        de="1. Welches Hindernis hält junge Migrantinnen und Migranten am häufigsten vom ersten "
        "Job ab?\n"
        "2. Wer könnte es beseitigen: die Stadt, das AMS, die Betriebe?\n"
        "3. Was würde es kosten, und wer würde zahlen?",
    ),
    "resources": _texts(
        en="OECD, Young people with migrant parents: https://www.oecd.org/migration/\n"
        "European Commission, Youth Guarantee: https://ec.europa.eu/social/\n"
        "The winning briefs of Youth Voices on Housing (on Voices).",
        de="OECD, Junge Menschen mit Migrationshintergrund: https://www.oecd.org/migration/\n"
        "Europäische Kommission, Jugendgarantie: https://ec.europa.eu/social/",
    ),
}


def _seed_open(now: datetime.datetime, coordinator: User) -> None:
    dates = {
        "registration_at": now - 5 * DAY,
        "teams_at": now + 14 * DAY,
        "work_at": now + 28 * DAY,
        "deadline_at": now + 70 * DAY,
        "results_at": now + 98 * DAY,
    }
    challenge = challenge_services.challenge_create(
        actor=coordinator,
        organiser=Organisation.objects.filter(slug=OPEN["organiser"]).first(),
        slug=OPEN["slug"],
        title=OPEN["title"],
        theme=OPEN["theme"],
        brief=OPEN["brief"],
        policy_questions=OPEN["policy_questions"],
        resources=OPEN["resources"],
        languages=LANGUAGES,
        allowed_countries=PROGRAMME,
        starts_on=dates["teams_at"].date(),
        team_min=3,
        team_max=5,
        **dates,
    )
    challenge = challenge_services.challenge_publish(actor=coordinator, challenge=challenge)
    mentor_user = User.objects.filter(username="mentor").first()
    if mentor_user is not None:
        mentor = mentor_services.mentor_add(
            actor=coordinator, challenge=challenge, identifier=mentor_user.username,
            areas="Work permits, recognition of diplomas, first job applications",
        )  # fmt: skip
        mentor_services.mentor_profile_update(
            actor=mentor_user, mentor=mentor,
            areas="Work permits, recognition of diplomas, first job applications",
            languages=["el", "en"],
            organisation=Organisation.objects.filter(slug="gr-ngo").first(),
            bio="I help young refugees in Athens with their first job applications and with "
            "getting their diplomas recognised.",
        )  # fmt: skip
        for days in (20, 25, 35):
            start = (now + days * DAY).replace(hour=16)
            mentor_services.office_hour_create(
                actor=mentor_user, challenge=challenge, starts_at=start, minutes=45,
                where="Video call (the link is sent to the team that books)",
            )  # fmt: skip
    dmytro = User.objects.filter(username="dmytro").first()
    if dmytro is not None:
        registration = challenge_services.registration_create(
            user=dmytro,
            challenge=challenge,
            birth=datetime.date(challenge.starts_on.year - 24, 1, 1),
            country="AT",
            consent=True,
            languages=["uk", "de"],
            skills="IT apprenticeship, German B2",
            is_looking_for_team=True,
        )
        challenge_services.registration_decide(
            actor=coordinator, registration=registration, decision="confirm"
        )
        mentor_services.question_ask(
            actor=dmytro, challenge=challenge, language="uk",
            body="Чи можна писати бриф українською, якщо команда говорить різними мовами?",
        )  # fmt: skip
    reza = User.objects.filter(username="reza").first()
    if reza is not None:
        question = mentor_services.question_ask(
            actor=reza, challenge=challenge, language="en",
            body="I live in Greece but want to write about Austria. Is that allowed?",
        )  # fmt: skip
        if mentor_user is not None:
            mentor_services.question_answer(
                actor=mentor_user, question=question,
                answer="Yes. You can write about any programme country; what matters is that "
                "the institution you address can act on your proposal.",
            )  # fmt: skip
