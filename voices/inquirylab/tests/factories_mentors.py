"""Objects for the experts' tests: a challenge in its work stage with a mentor, office hours,
teams of confirmed participants, thread messages and board questions (written directly)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.inquirylab.models import Challenge, Mentor, OfficeHour, Question, Stage, Team
from voices.inquirylab.tests.factories import ChallengeFactory, MentorFactory, TeamFactory

HOUR = datetime.timedelta(hours=1)


def work_challenge(**fields) -> Challenge:
    """A published challenge in its work stage (its deadline 9 days away)."""
    return ChallengeFactory(stage=Stage.WORK, **fields)


def team_of(challenge: Challenge, *, size: int = 2, **fields) -> Team:
    """A team of `size` confirmed participants (the lead first)."""
    others = [UserFactory() for _n in range(size - 1)]
    return TeamFactory(challenge=challenge, members=others, **fields)


def users_of(team: Team) -> list:
    return [member.user for member in team.members.select_related("user").order_by("id")]


class OfficeHourFactory(factory.django.DjangoModelFactory):
    """A free slot tomorrow, of a mentor of a challenge in its work stage."""

    class Meta:
        model = OfficeHour

    mentor = factory.SubFactory(MentorFactory, challenge=factory.LazyFunction(work_challenge))
    starts_at = factory.LazyFunction(lambda: timezone.now() + 24 * HOUR)
    minutes = 30
    where = "https://meet.example.org/room-7"


def booked(slot: OfficeHour, team: Team, *, topic: str = "Our evidence") -> OfficeHour:
    """Book `slot` for `team` directly (use the services to test the rules)."""
    slot.team, slot.booked_by, slot.booked_at, slot.topic = team, team.lead, timezone.now(), topic
    slot.save()
    return slot


def mentor_for(challenge: Challenge, **fields) -> Mentor:
    fields.setdefault("user", UserFactory())
    return MentorFactory(challenge=challenge, **fields)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    challenge = factory.LazyFunction(work_challenge)
    author = factory.SubFactory(UserFactory)
    body = "Can a brief address a regional authority?"
    language = "en"
