"""Inquiry Lab objects for tests. `in_stage()` places the stage dates around now, so a challenge
is in the stage a test needs without waiting. Areas add their own factories in
`factories_<area>.py` next to this file."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.directory.models import Organisation
from voices.directory.tests.factories import OrganisationFactory, text
from voices.inquirylab.models import (
    STAGE_STARTS,
    Brief,
    BriefVersion,
    Challenge,
    Mentor,
    Registration,
    Stage,
    Team,
    TeamMember,
)

DAY = datetime.timedelta(days=1)


def in_stage(stage: str, now: datetime.datetime | None = None) -> dict:
    """Stage dates (10 days apart) that put a challenge in `stage` at `now`."""
    now = now or timezone.now()
    order = [s for s, _f in STAGE_STARTS]
    if stage == Stage.UPCOMING:
        return {f: now + DAY + i * 10 * DAY for i, (_s, f) in enumerate(STAGE_STARTS)}
    index = order.index(stage)
    return {field: now - DAY + (i - index) * 10 * DAY for i, (_s, field) in enumerate(STAGE_STARTS)}


def move_to(challenge: Challenge, stage: str) -> Challenge:
    """Put the challenge's dates around now so that it is in `stage`, and save it."""
    for field, value in in_stage(stage).items():
        setattr(challenge, field, value)
    challenge.save()
    return challenge


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A published challenge of an NGO, in its registration stage, starting in 21 days."""

    class Meta:
        model = Challenge

    slug = factory.Sequence(lambda n: f"challenge-{n}")
    title = factory.Sequence(lambda n: text(f"Challenge {n}"))
    theme = factory.LazyFunction(lambda: text("Young people and the right to study"))
    brief = factory.LazyFunction(lambda: text("Write a policy brief for your city."))
    policy_questions = factory.LazyFunction(lambda: text("How can a city help young newcomers?"))
    languages = factory.LazyFunction(lambda: ["en", "uk", "ar"])
    allowed_countries = factory.LazyFunction(lambda: ["AT", "BG", "FR", "GR", "HU", "IT", "RO"])
    organiser = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.NGO)
    is_published = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        stage = kwargs.pop("stage", Stage.REGISTRATION)
        for field, value in in_stage(stage).items():
            kwargs.setdefault(field, value)
        kwargs.setdefault("starts_on", kwargs["work_at"].date())
        return kwargs


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration written directly (use the services to test the rules)."""

    class Meta:
        model = Registration

    challenge = factory.SubFactory(ChallengeFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
    country = "AT"
    languages = factory.LazyFunction(lambda: ["en"])
    consented_at = factory.LazyFunction(timezone.now)


class TeamFactory(factory.django.DjangoModelFactory):
    """A team whose lead is a registered member; `members=[users]` adds more (registered too)."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    challenge = factory.SubFactory(ChallengeFactory, stage=Stage.WORK)
    name = factory.Sequence(lambda n: f"Team {n}")
    lead = factory.SubFactory(UserFactory)
    language = "en"

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if not create:
            return
        for user in [obj.lead, *(extracted or [])]:
            Registration.objects.get_or_create(
                challenge=obj.challenge,
                user=user,
                defaults={
                    "status": Registration.Status.CONFIRMED,
                    "country": "AT",
                    "languages": [obj.language],
                    "consented_at": timezone.now(),
                },
            )
            TeamMember.objects.get_or_create(
                challenge=obj.challenge, user=user, defaults={"team": obj}
            )


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    challenge = factory.SubFactory(ChallengeFactory)
    user = factory.SubFactory(UserFactory)
    areas = "Housing law, youth work"
    languages = factory.LazyFunction(lambda: ["en", "uk"])


def brief_for(
    team: Team, *, submitted: bool = True, title: str = "Evening classes for all"
) -> Brief:
    """A brief with one version, submitted unless told otherwise (written directly)."""
    brief = Brief.objects.create(team=team, challenge=team.challenge)
    version = BriefVersion.objects.create(
        brief=brief, number=1, title=title, problem="Classes end at 16:00.",
        affected="Young people who work during the day.", proposal="Open classes until 21:00.",
        evidence="City statistics 2025 (https://example.org/stats).", institution="City council",
        feasibility="Two teachers, EUR 60,000 a year.", steps="Pilot in one school.",
        summary="Evening classes.", summary_language="en",
        second_summary="Вечірні заняття.", second_summary_language="uk", created_by=team.lead,
    )  # fmt: skip
    if submitted:
        brief.submitted_version = version
        brief.submitted_at = timezone.now()
        brief.save()
    return brief
