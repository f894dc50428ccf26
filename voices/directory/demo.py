from voices.accounts.models import Role, RoleGrant, User
from voices.core.translation import TranslatedText

from .models import Country, Municipality, Organisation, Region

# country: (language, region (local, en), city (local, en), authority, NGO, university)
DEMO = {
    "AT": ("de", ("Wien", "Vienna"), ("Wien", "Vienna"),
           ("Stadt Wien", "City of Vienna"),
           ("Verein Ankommen", "Arrival Association"),
           ("Universität Wien", "University of Vienna")),
    "BG": ("bg", ("София-град", "Sofia City"), ("София", "Sofia"),
           ("Столична община", "Sofia Municipality"),
           ("Мисия Интеграция", "Integration Mission"),
           ("Софийски университет", "Sofia University")),
    "FR": ("fr", ("Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"), ("Lyon", "Lyon"),
           ("Ville de Lyon", "City of Lyon"),
           ("Accueil et Dialogue", "Welcome and Dialogue"),
           ("Université Lumière Lyon 2", "Lumière University Lyon 2")),
    "GR": ("el", ("Αττική", "Attica"), ("Αθήνα", "Athens"),
           ("Δήμος Αθηναίων", "City of Athens"),
           ("Δίκτυο Ένταξης", "Integration Network"),
           ("Πανεπιστήμιο Αθηνών", "University of Athens")),
    "HU": ("hu", ("Közép-Magyarország", "Central Hungary"), ("Budapest", "Budapest"),
           ("Budapest Főváros", "Budapest City"),
           ("Befogadás Egyesület", "Inclusion Association"),
           ("ELTE", "Eötvös Loránd University")),
    "IT": ("it", ("Lazio", "Lazio"), ("Roma", "Rome"),
           ("Roma Capitale", "City of Rome"),
           ("Rete Accoglienza", "Welcome Network"),
           ("Sapienza Università di Roma", "Sapienza University of Rome")),
    "RO": ("ro", ("București-Ilfov", "Bucharest-Ilfov"), ("București", "Bucharest"),
           ("Primăria Municipiului București", "Bucharest City Hall"),
           ("Asociația Incluziune", "Inclusion Association"),
           ("Universitatea din București", "University of Bucharest")),
}  # fmt: skip


def _text(language: str, local: str, english: str) -> TranslatedText:
    return TranslatedText({language: local, "en": english}, original=language)


def seed(out) -> list:
    for code, (lang, region_names, city_names, authority, ngo, university) in DEMO.items():
        country, _ = Country.objects.get_or_create(
            code=code, defaults={"is_programme": True, "language": lang}
        )
        region, _ = Region.objects.get_or_create(
            country=country, code="capital", defaults={"name": _text(lang, *region_names)}
        )
        city, _ = Municipality.objects.get_or_create(
            region=region, code="capital", defaults={"name": _text(lang, *city_names)}
        )
        for suffix, kind, names in (
            ("city", Organisation.Kind.LOCAL_AUTHORITY, authority),
            ("ngo", Organisation.Kind.NGO, ngo),
            ("uni", Organisation.Kind.UNIVERSITY, university),
        ):
            Organisation.objects.get_or_create(
                slug=f"{code.lower()}-{suffix}",
                defaults={
                    "name": _text(lang, *names),
                    "kind": kind,
                    "country": country,
                    "region": region,
                    "municipality": city if kind != Organisation.Kind.UNIVERSITY else None,
                    "description": _text(
                        lang,
                        names[0],
                        f"{names[1]} is a partner of the migrant councils programme "
                        f"in {city_names[1]}.",
                    ),
                },
            )
    Organisation.objects.get_or_create(
        slug="eu-network",
        defaults={
            "name": TranslatedText({"en": "European Network of Migrant Councils"}, "en"),
            "kind": Organisation.Kind.EU_BODY,
            "description": TranslatedText(
                {"en": "Links the migrant councils of the seven programme countries."}, "en"
            ),
        },
    )
    _grant("officer", Role.OFFICER, Organisation.objects.get(slug="at-city"))
    _grant("facilitator", Role.FACILITATOR, Organisation.objects.get(slug="fr-ngo"))
    out.write(f"directory: {Organisation.objects.count()} organisations")
    return []


def _grant(username: str, role: str, scope) -> None:
    from django.contrib.contenttypes.models import ContentType

    user = User.objects.filter(username=username).first()
    if user is None:
        return
    RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        scope_type=ContentType.objects.get_for_model(scope),
        scope_id=str(scope.pk),
    )
