"""Objects for the forwarding tests: a challenge with published results, winning briefs (their
Result rows written directly, as the results publication would), active councils with a
decision item to come, and forwardings."""

from __future__ import annotations

import factory
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.councils.models import Council
from voices.councils.tests.factories import AgendaItemFactory, CouncilFactory, MeetingFactory
from voices.inquirylab.models import Brief, Challenge, Forwarding, Result, Stage
from voices.inquirylab.tests.factories import ChallengeFactory, TeamFactory, brief_for


def finished_challenge(**fields) -> Challenge:
    """A published challenge in its results stage, its results published."""
    fields.setdefault("results_published_at", timezone.now())
    return ChallengeFactory(stage=Stage.RESULTS, **fields)


def ranked_brief(
    challenge: Challenge, *, rank: int, is_winner: bool, title: str = "Evening classes for all"
) -> Brief:
    """A submitted brief of a new team of two, with its place in the published results."""
    team = TeamFactory(challenge=challenge, members=[UserFactory()])
    brief = brief_for(team, title=title)
    Result.objects.create(
        challenge=challenge, brief=brief, rank=rank, raw_score=80.0 - rank,
        normalised_score=1.0 - rank / 10, is_winner=is_winner,
    )  # fmt: skip
    return brief


def winning_brief(challenge: Challenge | None = None, **kwargs) -> Brief:
    challenge = challenge or finished_challenge()
    kwargs.setdefault("rank", challenge.results.count() + 1)
    return ranked_brief(challenge, is_winner=True, **kwargs)


class ActiveCouncilFactory(CouncilFactory):
    status = Council.Status.ACTIVE
    working_languages = factory.LazyFunction(lambda: ["en"])


def decision_item(council: Council, **meeting_fields):
    """A decision item on the agenda of the council's meeting a week from now."""
    meeting = MeetingFactory(council=council, **meeting_fields)
    return AgendaItemFactory(meeting=meeting, kind="decision")


class ForwardingFactory(factory.django.DjangoModelFactory):
    """A winning brief sent to an active council (written directly)."""

    class Meta:
        model = Forwarding

    brief = factory.LazyFunction(winning_brief)
    council = factory.SubFactory(ActiveCouncilFactory)
    note = "Please look at the evening classes."
    forwarded_by = factory.SubFactory(UserFactory)
