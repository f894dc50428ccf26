import datetime

import factory
from django.utils import timezone

from voices.accounts.models import Role, User
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.councils.models import Council, JoinRequest, Membership
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


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    message = "I would like to help."


def facilitator_of(council: Council, **user_fields) -> User:
    """A person who facilitates `council`: a facilitator seat, the scoped role, a second factor."""
    user = UserFactory(**user_fields)
    MembershipFactory(council=council, user=user, role=Membership.Role.FACILITATOR)
    grant(user, Role.FACILITATOR, council)
    return with_second_factor(user)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting in person a week from now; `in_progress=True` started half an hour ago."""

    class Meta:
        model = "councils.Meeting"

    council = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: text(f"Meeting {n}"))
    format = "in_person"
    place = "City hall, room 2"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=2))

    class Params:
        in_progress = factory.Trait(
            status="in_progress",
            starts_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=30)),
            opened_at=factory.LazyFunction(timezone.now),
        )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    """An agenda item placed after the meeting's last one."""

    class Meta:
        model = "councils.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.LazyAttribute(lambda i: i.meeting.agenda_items.count() + 1)
    title = factory.Sequence(lambda n: text(f"Item {n}"))
