import datetime

import factory
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.councils.models import Council, Membership
from voices.directory.tests.factories import CountryFactory, text


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    slug = factory.Sequence(lambda n: f"council-{n}")
    name = factory.Sequence(lambda n: text(f"Council {n}"))
    description = factory.LazyFunction(lambda: text("Migrants advise the city."))
    level = Council.Level.LOCAL
    country = factory.SubFactory(CountryFactory)
    voting_seats = 5
    term_months = 24
    max_terms = 2


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
    entry = Membership.Entry.ELECTED
    term_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    term_end = factory.LazyAttribute(lambda m: m.term_start + datetime.timedelta(days=700))
