"""Consultations for tests. `in_phase()` places the phase dates around now, so a consultation
is in the phase a test needs without waiting."""

import datetime

import factory
from django.utils import timezone

from voices.consultations.models import PHASE_STARTS, Comment, Consultation, Phase, Proposal
from voices.councils.models import PolicyDomain
from voices.directory.tests.factories import CountryFactory, OrganisationFactory, text

DAY = datetime.timedelta(days=1)


def in_phase(phase: str, now: datetime.datetime | None = None) -> dict:
    """Phase dates (10 days apart) that put a consultation in `phase` at `now`."""
    now = now or timezone.now()
    order = [p for p, _f in PHASE_STARTS]
    # The current phase started a day ago; earlier ones 10 days before each other.
    index = order.index(phase) if phase != Phase.UPCOMING else -1
    dates = {}
    for i, (_p, field) in enumerate(PHASE_STARTS):
        dates[field] = now - DAY + (i - index) * 10 * DAY
    if phase == Phase.UPCOMING:
        dates = {f: now + DAY + i * 10 * DAY for i, (_p, f) in enumerate(PHASE_STARTS)}
    return dates


def move_to(consultation: Consultation, phase: str) -> Consultation:
    """Put the consultation's dates around now so that it is in `phase`, and save it."""
    for field, value in in_phase(phase).items():
        setattr(consultation, field, value)
    consultation.save()
    return consultation


def domain_of(code: str) -> PolicyDomain:
    """The policy domains come from a migration; a transactional test's flush removes them."""
    return PolicyDomain.objects.get_or_create(code=code, defaults={"name": text(code.title())})[0]


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A published consultation of an authority, open for contributions."""

    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: text(f"Consultation {n}"))
    question = factory.LazyFunction(lambda: text("How should the city welcome newcomers?"))
    background = factory.LazyFunction(lambda: text("The city is writing its integration plan."))
    owner_organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.LazyFunction(lambda: domain_of("housing"))
    country = factory.LazyFunction(lambda: CountryFactory(code="AT"))
    languages = factory.LazyFunction(lambda: ["en", "de"])
    is_published = True
    components = factory.LazyFunction(lambda: ["proposals"])

    class Params:
        phase = Phase.CONTRIBUTIONS

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        phase = kwargs.pop("phase", Phase.CONTRIBUTIONS)
        for field, value in in_phase(phase).items():
            kwargs.setdefault(field, value)
        return kwargs


class ProposalFactory(factory.django.DjangoModelFactory):
    """A published proposal written directly (use services.proposal_create to test rules)."""

    class Meta:
        model = Proposal

    consultation = factory.SubFactory(ConsultationFactory)
    author = factory.SubFactory("voices.accounts.tests.factories.UserFactory")
    title = factory.Sequence(lambda n: f"Proposal {n}")
    body = "More evening language classes near the train station."
    language = "en"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    consultation = factory.LazyAttribute(
        lambda c: c.proposal.consultation if c.proposal else ConsultationFactory()
    )
    proposal = None
    author = factory.SubFactory("voices.accounts.tests.factories.UserFactory")
    body = "I agree, the classes are full."
    stance = Comment.Stance.IN_FAVOUR
    language = "en"
