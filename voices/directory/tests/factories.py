import factory

from voices.core.translation import TranslatedText
from voices.directory.models import Country, Municipality, Organisation, Region


def text(en: str, **others: str) -> TranslatedText:
    return TranslatedText({"en": en, **others}, original="en")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "AT"
    is_programme = True
    language = "de"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: text(f"Region {n}"))
    code = factory.Sequence(lambda n: f"r{n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: text(f"Town {n}"))
    code = factory.Sequence(lambda n: f"m{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: text(f"Organisation {n}"))
    kind = Organisation.Kind.LOCAL_AUTHORITY
    country = factory.SubFactory(CountryFactory)
    description = factory.LazyFunction(lambda: text("Works with the **migrant council**."))
