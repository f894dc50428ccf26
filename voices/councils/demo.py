import datetime

from django.utils import timezone

from voices.accounts.models import User
from voices.core.translation import TranslatedText
from voices.directory.models import Country, Municipality, Organisation

from .models import (
    AgendaItem,
    Amendment,
    Attendance,
    Ballot,
    Council,
    CouncilStatusChange,
    Meeting,
    Membership,
    Minutes,
    Motion,
    PolicyDomain,
)
from .services import _membership_create

# country: (status, local name, English name, domains)
COUNCILS = {
    "AT": ("establishing", "Migrant:innenbeirat Wien", "Vienna Migrant Council",
           ["education", "employment"]),
    "BG": ("establishing", "Съвет на мигрантите в София", "Sofia Migrant Council",
           ["employment", "housing"]),
    "FR": ("establishing", "Conseil des migrants de Lyon", "Lyon Migrant Council",
           ["housing", "health"]),
    "GR": ("strengthened", "Συμβούλιο Μεταναστών Αθήνας", "Athens Migrant Council",
           ["education", "housing", "health"]),
    "HU": ("establishing", "Budapesti Migráns Tanács", "Budapest Migrant Council",
           ["employment", "education"]),
    "IT": ("strengthened", "Consiglio dei migranti di Roma", "Rome Migrant Council",
           ["employment", "health", "housing"]),
    "RO": ("establishing", "Consiliul Migranților București", "Bucharest Migrant Council",
           ["education", "health"]),
}  # fmt: skip

# Pseudonyms of demo members; real names are never used.
PSEUDONYMS = ["Sun", "River", "Cedar", "Swallow", "Olive", "Harbour", "Lantern", "Meadow"]
ROLES = [Membership.Role.CHAIR, Membership.Role.SECRETARY, Membership.Role.VICE_CHAIR] + [
    Membership.Role.MEMBER
] * 5
NAMED = {  # demo logins with a place: (country, username, role)
    "FR": [("amina", Membership.Role.MEMBER), ("facilitator", Membership.Role.FACILITATOR)],
    "AT": [("dmytro", Membership.Role.MEMBER), ("officer", Membership.Role.AUTHORITY_LIAISON)],
    "GR": [("reza", Membership.Role.MEMBER)],
}


def _text(language: str, local: str, english: str) -> TranslatedText:
    return TranslatedText({language: local, "en": english}, original=language)


TIME_ZONES = {
    "AT": "Europe/Vienna", "BG": "Europe/Sofia", "FR": "Europe/Paris", "GR": "Europe/Athens",
    "HU": "Europe/Budapest", "IT": "Europe/Rome", "RO": "Europe/Bucharest",
}  # fmt: skip


def seed(out) -> list:
    today = timezone.localdate()
    network, _ = Council.objects.get_or_create(
        slug="european-network",
        defaults={
            "name": TranslatedText({"en": "European Network of Migrant Councils"}, "en"),
            "description": TranslatedText(
                {"en": "Links the migrant councils of the seven programme countries."}, "en"
            ),
            "level": Council.Level.EUROPEAN,
            "status": Council.Status.ACTIVE,
            "host_authority": Organisation.objects.filter(slug="eu-network").first(),
            "founded_on": today - datetime.timedelta(days=400),
            "working_languages": ["en", "fr"],
            "voting_seats": 14,
        },
    )
    for code, (status, local, english, domains) in COUNCILS.items():
        country = Country.objects.get(code=code)
        lang = country.language or "en"
        city = Municipality.objects.filter(region__country=country, code="capital").first()
        council, created = Council.objects.get_or_create(
            slug=f"{code.lower()}-council",
            defaults={
                "name": _text(lang, local, english),
                "description": _text(
                    lang,
                    local,
                    f"{english} gives migrants and refugees a voice in the city's integration "
                    "policy: education, employment, housing and health.",
                ),
                "level": Council.Level.LOCAL,
                "country": country,
                "region": city.region if city else None,
                "municipality": city,
                "host_authority": Organisation.objects.filter(slug=f"{code.lower()}-city").first(),
                "status": status,
                "founded_on": today
                - datetime.timedelta(days=200 if status == "establishing" else 900),
                "working_languages": sorted({lang, "en", "ar", "fa", "uk"}),
                "parent": network,
                "voting_seats": 11,
                # The demo charters let the chair approve minutes; real councils choose.
                "minutes_approval": Council.MinutesApproval.CHAIR,
                "time_zone": TIME_ZONES[code],
            },
        )
        if not created:
            continue
        council.domains.set(PolicyDomain.objects.filter(code__in=domains))
        council.supporting_organisations.set(
            Organisation.objects.filter(slug__in=[f"{code.lower()}-ngo", f"{code.lower()}-uni"])
        )
        CouncilStatusChange.objects.create(
            council=council, status=Council.Status.ESTABLISHING, changed_on=council.founded_on
        )
        if status == "strengthened":
            CouncilStatusChange.objects.create(
                council=council, status=status, changed_on=today - datetime.timedelta(days=120)
            )
        start = today - datetime.timedelta(days=90)
        for n, (pseudonym, role) in enumerate(zip(PSEUDONYMS, ROLES, strict=True)):
            user, _ = User.objects.get_or_create(
                username=f"{code.lower()}-member-{n + 1}",
                defaults={"display_name": pseudonym, "languages": [lang, "en"], "country": code},
            )
            if user.has_usable_password():
                user.set_unusable_password()  # demo members only appear; they never log in
                user.save(update_fields=["password"])
            membership = _membership_create(
                council=council, user=user, role=role, entry=Membership.Entry.ELECTED,
                term_start=start, term_end=None, granted_by=None,
            )  # fmt: skip
            membership.is_public = n % 3 != 2  # most agreed to be shown, some did not
            membership.save(update_fields=["is_public"])
        for username, role in NAMED.get(code, []):
            user = User.objects.filter(username=username).first()
            if user:
                _membership_create(
                    council=council, user=user, role=role, entry=Membership.Entry.APPOINTED,
                    term_start=start, term_end=None, granted_by=None,
                )  # fmt: skip
    for council in Council.objects.filter(level=Council.Level.LOCAL):
        _seed_meetings(council)
    out.write(f"councils: {Council.objects.count()} councils, {Meeting.objects.count()} meetings")
    return []


# Agenda items in English and in the language of each council's country.
AGENDA = [
    (AgendaItem.Kind.INFORMATION, {
        "en": "Welcome and news from the city", "de": "Begrüßung und Neues aus der Stadt",
        "bg": "Откриване и новини от общината", "fr": "Accueil et nouvelles de la ville",
        "el": "Καλωσόρισμα και νέα από τον δήμο", "hu": "Köszöntő és hírek a városból",
        "it": "Benvenuto e notizie dal comune", "ro": "Bun venit și noutăți de la primărie",
    }),
    (AgendaItem.Kind.DISCUSSION, {
        "en": "Access to language courses", "de": "Zugang zu Sprachkursen",
        "bg": "Достъп до езикови курсове", "fr": "Accès aux cours de langue",
        "el": "Πρόσβαση σε μαθήματα γλώσσας", "hu": "Hozzáférés a nyelvtanfolyamokhoz",
        "it": "Accesso ai corsi di lingua", "ro": "Acces la cursuri de limbă",
    }),
    (AgendaItem.Kind.DECISION, {
        "en": "Recommendation on housing support", "de": "Empfehlung zur Wohnungshilfe",
        "bg": "Препоръка за помощ с жилище", "fr": "Recommandation sur l’aide au logement",
        "el": "Σύσταση για στήριξη στη στέγαση", "hu": "Ajánlás a lakhatási támogatásról",
        "it": "Raccomandazione sul sostegno all’abitare",
        "ro": "Recomandare privind sprijinul pentru locuință",
    }),
]  # fmt: skip


def _seed_meetings(council: Council) -> None:
    if council.meetings.exists():
        return
    lang = council.country.language if council.country else "en"
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    place = f"{council.municipality or council.country}, city hall"
    for days, status, title_en in (
        (-30, Meeting.Status.ENDED, "Council meeting (autumn)"),
        (14, Meeting.Status.SCHEDULED, "Council meeting (winter)"),
    ):
        starts = now + datetime.timedelta(days=days)
        meeting = Meeting.objects.create(
            council=council,
            title=_text(lang, f"{council.name.get(lang)} · {starts:%Y-%m-%d}", title_en),
            format=Meeting.Format.HYBRID,
            place=place,
            online_link="https://meet.example.org/voices-demo",
            starts_at=starts.replace(hour=17),
            ends_at=starts.replace(hour=19),
            status=status,
            opened_at=starts if status == Meeting.Status.ENDED else None,
            closed_at=starts + datetime.timedelta(hours=2)
            if status == Meeting.Status.ENDED
            else None,
        )
        for position, (kind, names) in enumerate(AGENDA, start=1):
            title = TranslatedText({"en": names["en"], lang: names.get(lang, names["en"])}, lang)
            AgendaItem.objects.create(meeting=meeting, position=position, title=title, kind=kind)
        decision_item = meeting.agenda_items.get(kind=AgendaItem.Kind.DECISION)
        if status == Meeting.Status.ENDED:
            members = list(council.memberships.filter(role__in=Membership.VOTING_ROLES))
            for n, membership in enumerate(members):
                Attendance.objects.create(
                    meeting=meeting, membership=membership, is_present=n % 4 != 3
                )
            _seed_decisions(council, meeting, decision_item, members)
        else:
            Motion.objects.create(
                agenda_item=decision_item,
                title="Evening language courses",
                text="The council asks the city to offer free language courses in the evening.",
                original_text="The council asks the city to offer free language courses "
                "in the evening.",
                reasons="Many members work during the day.",
                language="en",
                proposer=council.memberships.filter(role=Membership.Role.CHAIR).first(),
                is_request_to_authority=council.host_authority_id is not None,
                addressed_to=council.host_authority,
            )


def _seed_decisions(council: Council, meeting: Meeting, item, members: list) -> None:
    """Decided ballots and published minutes, as the services would have left them."""
    present = sum(1 for n, _m in enumerate(members) if n % 4 != 3)
    chair = next((m for m in members if m.role == Membership.Role.CHAIR), None)
    adopted = Motion.objects.create(
        agenda_item=item,
        title="Housing support for newcomers",
        text="The council asks the city to open a housing advice desk for newcomers.",
        original_text="The council asks the city to open a housing advice desk.",
        reasons="Newcomers do not know their rights as tenants.",
        language="en",
        proposer=chair,
        is_request_to_authority=council.host_authority_id is not None,
        addressed_to=council.host_authority,
        status=Motion.Status.ADOPTED,
        decided_at=meeting.ends_at,
    )
    amendment = Amendment.objects.create(
        motion=adopted,
        text=adopted.text,
        reasons="Say who the desk is for.",
        proposer=chair,
        status=Amendment.Status.ADOPTED,
    )
    rejected = Motion.objects.create(
        agenda_item=item,
        title="Council meetings on Sundays",
        text="The council meets on Sundays.",
        original_text="The council meets on Sundays.",
        language="en",
        status=Motion.Status.REJECTED,
        decided_at=meeting.ends_at,
    )
    for subject, is_secret, result in (
        ({"amendment": amendment}, False, (present - 1, 1, 0)),
        ({"motion": adopted}, False, (present - 2, 1, 1)),
        ({"motion": rejected}, True, (1, present - 2, 1)),
    ):
        votes_for, against, abstain = result
        Ballot.objects.create(
            meeting=meeting, is_secret=is_secret, majority=council.majority,
            status=Ballot.Status.CLOSED, opened_at=meeting.starts_at, closed_at=meeting.ends_at,
            open_entitled=len(members), open_present=present, entitled=len(members),
            present=present, votes_for=votes_for, votes_against=against, votes_abstain=abstain,
            quorum_met=True, passed=votes_for > against, **subject,
        )  # fmt: skip
    Minutes.objects.create(
        meeting=meeting,
        text=(
            f"**Present:** {present} of {len(members)} voting members.\n\n"
            "1. The city presented its new integration plan.\n"
            "2. Members discussed access to language courses.\n"
            "3. The council adopted the motion on housing support (amended) and rejected "
            "the motion on Sunday meetings."
        ),
        language="en",
        status=Minutes.Status.PUBLISHED,
        approved_at=meeting.ends_at + datetime.timedelta(days=3),
        approved_by=chair.user if chair else None,
        published_at=meeting.ends_at + datetime.timedelta(days=3),
    )
