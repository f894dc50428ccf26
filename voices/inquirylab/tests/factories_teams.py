"""Objects for the team tests: people registered for a challenge, teams of a given size, and
open requests, written directly (the services are what the tests exercise)."""

from __future__ import annotations

import factory

from voices.accounts.tests.factories import UserFactory
from voices.inquirylab.models import Challenge, Registration, Stage, Team, TeamRequest
from voices.inquirylab.tests.factories import ChallengeFactory, RegistrationFactory, TeamFactory


def team_challenge(**kwargs) -> Challenge:
    """A published challenge in its team-formation stage, teams of 2 to 3, in en, uk and ar."""
    kwargs.setdefault("stage", Stage.TEAM_FORMATION)
    kwargs.setdefault("team_min", 2)
    kwargs.setdefault("team_max", 3)
    return ChallengeFactory(**kwargs)


def participant(
    challenge: Challenge, *, status: str = Registration.Status.CONFIRMED, **kwargs
) -> Registration:
    """A person registered for `challenge` (confirmed unless told), with a public name."""
    kwargs.setdefault("user", UserFactory())
    return RegistrationFactory(challenge=challenge, status=status, **kwargs)


def person(challenge: Challenge, **kwargs):
    """The user of a confirmed participant."""
    return participant(challenge, **kwargs).user


def team_of(challenge: Challenge, size: int = 1, **kwargs) -> Team:
    """A team whose lead and `size - 1` others are confirmed members."""
    others = [UserFactory() for _ in range(size - 1)]
    return TeamFactory(challenge=challenge, members=others, **kwargs)


class TeamRequestFactory(factory.django.DjangoModelFactory):
    """An open join request from a confirmed participant; `invitation=True` makes the team's
    lead invite them instead."""

    class Meta:
        model = TeamRequest

    team = factory.SubFactory(TeamFactory)
    user = factory.LazyAttribute(lambda r: person(r.team.challenge))
    kind = TeamRequest.Kind.JOIN_REQUEST
    created_by = factory.LazyAttribute(lambda r: r.user)

    class Params:
        invitation = factory.Trait(
            kind=TeamRequest.Kind.INVITATION,
            created_by=factory.LazyAttribute(lambda r: r.team.lead),
        )
