import datetime

from django.utils import timezone

from voices.accounts.models import User
from voices.core.translation import TranslatedText
from voices.directory.models import Country, Municipality, Organisation

from .models import Council, CouncilStatusChange, Membership, PolicyDomain
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
    out.write(f"councils: {Council.objects.count()} councils")
    return []
