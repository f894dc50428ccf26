import datetime

import factory
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.councils.models import PolicyDomain
from voices.councils.tests.factories import CouncilFactory
from voices.directory.tests.factories import OrganisationFactory, text
from voices.recommendations import services
from voices.recommendations.models import Addressee, Recommendation, State


def domain(code: str = "housing") -> PolicyDomain:
    """The policy domains are loaded by a migration, but a transactional test's flush removes
    them for the tests that run after it on the same worker."""
    return PolicyDomain.objects.get_or_create(code=code, defaults={"name": text(code.title())})[0]


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A draft; use `recommendation_sent()` for one that went through the real services."""

    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory, time_zone="Europe/Vienna")
    domain = factory.LazyFunction(domain)
    title = factory.Sequence(lambda n: text(f"Recommendation {n}"))
    text = factory.LazyFunction(lambda: text("The council asks the city to act."))
    reasons = factory.LazyFunction(lambda: text("Members heard it often."))
    state = State.DRAFT

    @factory.post_generation
    def addressees(self, create, extracted, **kwargs):
        if not create:
            return
        for organisation in extracted or [OrganisationFactory(country=self.council.country)]:
            Addressee.objects.create(recommendation=self, organisation=organisation)


def recommendation_sent(*, actor, **fields) -> Recommendation:
    """A recommendation adopted and sent by `actor` (programme staff or its facilitator)."""
    recommendation = RecommendationFactory(**fields)
    services.recommendation_adopt(actor=actor, recommendation=recommendation)
    return services.recommendation_send(actor=actor, recommendation=recommendation)


def sent_at(recommendation: Recommendation, when) -> Recommendation:
    """Move a sent recommendation's sending (and its timeline) to `when`, deadline included."""
    from voices.recommendations import deadlines

    council = recommendation.council
    due_on = deadlines.due_date(sent_at=when, days=council.response_days, zone=council.time_zone)
    Recommendation.objects.filter(pk=recommendation.pk).update(
        sent_at=when, due_on=due_on, due_at=deadlines.end_of_day(due_on, council.time_zone)
    )
    recommendation.events.filter(to_state=State.SENT).update(at=when)
    recommendation.refresh_from_db()
    return recommendation


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def officer_of(organisation, **user_fields):
    """A user who answers for `organisation` (an officer with a second factor)."""
    user = UserFactory(**user_fields)
    grant(user, Role.OFFICER, organisation)
    return with_second_factor(user)
