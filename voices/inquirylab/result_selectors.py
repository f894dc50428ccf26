"""Reads of the Inquiry Lab's judging, results, people's choice and certificates (who sees what)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from voices.assessments import selectors as reviews
from voices.assessments.models import Reviewer, Round
from voices.core.disclosure import Disclosed, disclose_count
from voices.core.names import public_name

from . import brief_selectors
from .models import (
    Brief,
    Challenge,
    Mentor,
    PublicVote,
    Registration,
    Result,
    Stage,
    Team,
)
from .team_selectors import team_of


def has_verified_email(user) -> bool:
    """Whether the account confirmed an e-mail address (read once per user object)."""
    cached = getattr(user, "_lab_verified_email", None)
    if cached is None:
        from allauth.account.models import EmailAddress

        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._lab_verified_email = cached
    return cached


# Judging


def judging_round(challenge: Challenge) -> Round | None:
    return reviews.round_for(challenge)


def judges(round: Round) -> QuerySet[Reviewer]:
    """The round's judges by public name, with how many reviews they have and have submitted."""
    return (
        round.reviewers.select_related("user", "organisation")
        .annotate(
            assigned=Count("assignments"),
            submitted=Count("assignments", filter=Q(assignments__submitted_at__isnull=False)),
        )
        .order_by("user__display_name", "id")
    )


def briefs_submitted(challenge: Challenge) -> QuerySet[Brief]:
    """The submitted briefs, for lists: title order (no place on the list is first by merit)."""
    return brief_selectors.briefs_submitted(challenge, order_by=("submitted_version__title", "id"))


def judging_overview(challenge: Challenge) -> dict:
    """What the judging page shows: the round, its judges, progress, and the submitted briefs."""
    round = judging_round(challenge)
    overview = {
        "round": round,
        "judges": [],
        "progress": None,
        "briefs": list(briefs_submitted(challenge)),
        "results": list(results_table(challenge)),
    }
    if round is not None:
        overview["judges"] = list(judges(round))
        overview["progress"] = reviews.progress(round)
    return overview


# Results


def results_table(challenge: Challenge) -> QuerySet[Result]:
    """The published jury ranking, best first."""
    return (
        Result.objects.filter(challenge=challenge)
        .select_related("brief__team", "brief__submitted_version")
        .order_by("rank")
    )


@dataclass(frozen=True)
class ChoiceRow:
    brief: Brief
    votes: Disclosed
    is_top: bool


@dataclass(frozen=True)
class PeoplesChoice:
    rows: list[ChoiceRow]
    voters: Disclosed


def vote_is_closed(challenge: Challenge, *, at: datetime.datetime) -> bool:
    """The vote closes when judging ends; until then nobody sees a count (no bandwagon)."""
    return challenge.stage_at(at) == Stage.RESULTS


def peoples_choice(challenge: Challenge, *, at: datetime.datetime) -> PeoplesChoice | None:
    """The people's choice, counts through disclosure control; None until the vote closed."""
    if not challenge.has_public_vote or not vote_is_closed(challenge, at=at):
        return None
    counts = dict(
        PublicVote.objects.filter(challenge=challenge)
        .order_by()
        .values_list("brief")
        .annotate(n=Count("id"))
    )
    briefs = sorted(
        briefs_submitted(challenge), key=lambda b: (-counts.get(b.pk, 0), b.submitted_version.title)
    )
    most = max(counts.values(), default=0)
    rows = [
        ChoiceRow(
            brief=b,
            votes=disclose_count(counts.get(b.pk, 0)),
            is_top=most > 0 and counts.get(b.pk, 0) == most,
        )
        for b in briefs
    ]
    return PeoplesChoice(rows=rows, voters=disclose_count(sum(counts.values())))


@dataclass(frozen=True)
class TeamFeedback:
    team: Team
    brief: Brief
    result: Result | None
    comments: list[str] = field(default_factory=list)


def team_feedback(user, challenge: Challenge) -> TeamFeedback | None:
    """The judges' comments (without names) and the organisers' feedback on the user's team's
    brief, once the results are published; None for everyone else."""
    if challenge.results_published_at is None:
        return None
    team = team_of(challenge, user)
    if team is None:
        return None
    brief = (
        Brief.objects.filter(team=team, submitted_version__isnull=False)
        .select_related("submitted_version")
        .first()
    )
    if brief is None:
        return None
    result = Result.objects.filter(brief=brief).first()
    item = reviews.item_of(challenge, brief)
    comments = [c for c in reviews.feedback_for(item) if c.strip()] if item else []
    return TeamFeedback(team=team, brief=brief, result=result, comments=comments)


# The people's choice


def vote_of(user, challenge: Challenge) -> PublicVote | None:
    if not (user and user.is_authenticated):
        return None
    return (
        PublicVote.objects.filter(challenge=challenge, user=user)
        .select_related("brief__submitted_version")
        .first()
    )


# Certificates


@dataclass(frozen=True)
class CertificateRole:
    kind: str  # "participant", "mentor" or "judge"
    team: Team | None = None
    is_winner: bool = False


def certificate_roles(user, challenge: Challenge) -> list[CertificateRole]:
    """What `user` did in the challenge, as a certificate states it (read once per user object).

    A participant: confirmed, in a team that submitted a brief. A mentor: still active. A judge:
    in the round and submitted at least one review.
    """
    cache = user.__dict__.setdefault("_lab_certificate_roles", {})
    if challenge.pk in cache:
        return cache[challenge.pk]
    roles = []
    confirmed = Registration.objects.filter(
        challenge=challenge, user=user, status=Registration.Status.CONFIRMED
    ).exists()
    team = team_of(challenge, user)
    if confirmed and team is not None:
        brief = Brief.objects.filter(team=team, submitted_version__isnull=False).first()
        if brief is not None:
            is_winner = Result.objects.filter(brief=brief, is_winner=True).exists()
            roles.append(CertificateRole(kind="participant", team=team, is_winner=is_winner))
    if Mentor.objects.filter(challenge=challenge, user=user, is_active=True).exists():
        roles.append(CertificateRole(kind="mentor"))
    if reviews.has_submitted_review(user, challenge):
        roles.append(CertificateRole(kind="judge"))
    cache[challenge.pk] = roles
    return roles


def certificate_context(user, challenge: Challenge) -> dict:
    """What a certificate states: the person's public name, the challenge, roles and dates."""
    return {
        "name": public_name(user),
        "challenge": challenge,
        "organiser": challenge.organiser,
        "roles": certificate_roles(user, challenge),
        "starts_on": challenge.starts_on,
        "ends_on": timezone.localdate(challenge.results_at),
        "issued_on": timezone.localdate(),
    }
