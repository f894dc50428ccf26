"""Writes of the Inquiry Lab's judging, results and people's choice.

Judging runs on the shared assessment engine (voices/assessments): this module sets up the
challenge's round with the Inquiry Lab's rubric, adds judges, turns the submitted briefs into
items (with the conflicts of interest the Lab knows about), and publishes the engine's ranking as
fixed `Result` rows.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from voices.assessments import selectors as reviews
from voices.assessments import services as review_services
from voices.assessments.models import Item, Reviewer, Round
from voices.core.audit import audit_record, snapshot
from voices.core.notifications import notification_send

from . import judging, stages
from .models import (
    Action,
    Brief,
    Challenge,
    PublicVote,
    Registration,
    Result,
    Stage,
    TeamMember,
)
from .rules import may

DEFAULT_WINNERS = 3
FEEDBACK_MAX_LENGTH = 5000


def _require(actor, perm: str, challenge: Challenge) -> None:
    if not actor.has_perm(perm, challenge):
        raise PermissionDenied


def _round(challenge: Challenge) -> Round:
    round = reviews.round_for(challenge)
    if round is None:
        raise ValidationError(_("Set up the judging first."), code="no_round")
    return round


def _when(moment) -> str:
    """A moment in the active language and time zone (the viewer's, in a request)."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# Setting up the judging


@transaction.atomic
def judging_start(
    *, actor, challenge: Challenge, reviewers_per_item: int = 3, is_blind: bool = False
) -> Round:
    """Create the challenge's review round with the Inquiry Lab's default rubric."""
    _require(actor, "inquirylab.run_judging", challenge)
    # Locked, so two organisers pressing the button at once do not both make a rubric.
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    if challenge.stage_at(timezone.now()) == Stage.RESULTS:
        raise ValidationError(
            _("Judging can no longer be set up: the results stage has begun."), code="stage"
        )
    if reviews.round_for(challenge) is not None:
        raise ValidationError(_("The judging of this challenge is already set up."), code="exists")
    rubric = review_services.rubric_create(
        title=judging.in_every_language(judging.RUBRIC_TITLE), criteria=judging.default_criteria()
    )
    round = review_services.round_create(
        owner=challenge, rubric=rubric, reviewers_per_item=reviewers_per_item, is_blind=is_blind
    )
    audit_record(actor=actor, action="create", obj=round, after=snapshot(round))
    return round


def _user_by_identifier(identifier: str):
    """The active account with this username, or this (unique) e-mail address."""
    identifier = identifier.strip()
    users = get_user_model().objects.filter(is_active=True)
    matches = list(users.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))[:2])
    if len(matches) != 1:
        raise ValidationError(
            _("No single account has this username or e-mail address."), code="unknown_user"
        )
    return matches[0]


@transaction.atomic
def judge_add(*, actor, challenge: Challenge, identifier: str, organisation=None) -> Reviewer:
    """Add the account named by username or e-mail to the challenge's judges, and tell them."""
    _require(actor, "inquirylab.run_judging", challenge)
    round = _round(challenge)
    user = _user_by_identifier(identifier)
    if Registration.objects.filter(
        challenge=challenge, user=user, status__in=("pending", "confirmed")
    ).exists():
        raise ValidationError(
            _("Participants of this challenge cannot judge it."), code="participant"
        )
    is_new = not round.reviewers.filter(user=user).exists()
    reviewer = review_services.reviewer_add(
        actor=actor, round=round, user=user, organisation=organisation
    )
    # The engine records the change in the audit log.
    if is_new:
        notification_send(
            recipient=user,
            kind="lab_judge_added",
            template="inquirylab/judging_notice",
            context={"challenge": challenge},
            url=reverse("assessments:my_reviews"),
        )
    return reviewer


@transaction.atomic
def judge_remove(*, actor, challenge: Challenge, user) -> None:
    """Take a judge out of the round (refused by the engine once they submitted a review)."""
    _require(actor, "inquirylab.run_judging", challenge)
    round = _round(challenge)
    reviewer = round.reviewers.filter(user=user).first()
    if reviewer is None:
        raise ValidationError(_("This person is not a judge of this challenge."), code="not_judge")
    review_services.reviewer_remove(actor=actor, round=round, user=user)


def _judging_round(actor, challenge: Challenge) -> Round:
    _require(actor, "inquirylab.run_judging", challenge)
    stages.require(challenge, Action.JUDGE)
    round = _round(challenge)
    if round.status == Round.Status.CLOSED:
        raise ValidationError(_("The judging is closed."), code="closed")
    return round


@transaction.atomic
def judging_items_prepare(*, actor, challenge: Challenge) -> list[Item]:
    """Make every submitted brief an item of the round, with its conflicts of interest."""
    round = _judging_round(actor, challenge)
    specs = judging.item_specs(challenge)
    if not specs:
        raise ValidationError(
            _("No brief was submitted, so there is nothing to judge."), code="none"
        )
    items = review_services.items_sync(round=round, items=specs)
    audit_record(actor=actor, action="update", obj=round, after={"items": len(items)})
    return items


@transaction.atomic
def judging_reviewers_assign(*, actor, challenge: Challenge) -> int:
    """Bring the items up to date, then give every brief its judges (balanced, no conflict)."""
    judging_items_prepare(actor=actor, challenge=challenge)
    round = _round(challenge)
    return review_services.reviewers_assign(actor=actor, round=round)


# Results


@transaction.atomic
def results_publish(
    *,
    actor,
    challenge: Challenge,
    winners: int = DEFAULT_WINNERS,
    feedback: dict[int, str] | None = None,
    allow_missing: bool = False,
) -> list[Result]:
    """Fix the jury ranking as published results, close the judging, and tell the teams.

    Publishing again (after a correction) replaces the earlier results.
    """
    _require(actor, "inquirylab.publish_results", challenge)
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    now = timezone.now()
    if challenge.stage_at(now) != Stage.RESULTS:
        raise ValidationError(
            _("Results can be published once judging has ended, from %(when)s.")
            % {"when": _when(challenge.results_at)},
            code="stage",
        )
    round = _round(challenge)
    progress = reviews.progress(round)
    missing = progress["assignments"] - progress["submitted"]
    if missing and not allow_missing:
        raise ValidationError(
            ngettext(
                "%(count)d review is not submitted yet. Wait for it, or confirm that the results "
                "are published without it.",
                "%(count)d reviews are not submitted yet. Wait for them, or confirm that the "
                "results are published without them.",
                missing,
            )
            % {"count": missing},
            code="missing_reviews",
        )
    ranked = [r for r in reviews.results(round) if r.reviews > 0 and r.raw is not None]
    if not ranked:
        raise ValidationError(_("No brief has a submitted review yet."), code="no_scores")
    if not 0 <= winners <= len(ranked):
        raise ValidationError(
            _("Choose between 0 and %(count)d winners.") % {"count": len(ranked)}, code="winners"
        )
    brief_ids = {int(r.item.object_id) for r in ranked}
    briefs = Brief.objects.in_bulk(brief_ids)
    feedback = {int(k): (v or "").strip() for k, v in (feedback or {}).items()}
    before = [snapshot(r) for r in Result.objects.filter(challenge=challenge)]
    Result.objects.filter(challenge=challenge).delete()
    rows = []
    for place, entry in enumerate(ranked, 1):
        brief = briefs[int(entry.item.object_id)]
        row = Result(
            challenge=challenge,
            brief=brief,
            rank=place,
            raw_score=round_score(entry.raw),
            normalised_score=round_score(
                entry.normalised if entry.normalised is not None else entry.raw
            ),
            is_winner=place <= winners,
            feedback=feedback.get(brief.pk, ""),
        )
        row.full_clean(exclude=["challenge", "brief"])
        rows.append(row)
    Result.objects.bulk_create(rows)
    if round.status != Round.Status.CLOSED:
        review_services.round_close(actor=actor, round=round)
    challenge.results_published_at = now
    challenge.save(update_fields=["results_published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=challenge,
        before={"results": before},
        after={"results": [snapshot(r) for r in rows], "results_published_at": now.isoformat()},
    )
    transaction.on_commit(lambda: results_notices_send(challenge_id=challenge.pk))
    return rows


def round_score(value: float) -> float:
    """Scores are published with two decimals: more would suggest a precision judges lack."""
    return round(float(value), 2)


def results_notices_send(*, challenge_id: int) -> int:
    """Tell every member of every team that submitted a brief that the results are out."""
    challenge = Challenge.objects.get(pk=challenge_id)
    results = {
        r.brief.team_id: r
        for r in Result.objects.filter(challenge=challenge).select_related("brief")
    }
    members = (
        TeamMember.objects.filter(
            challenge=challenge,
            team__brief__submitted_version__isnull=False,
            user__is_active=True,
        )
        .select_related("user", "team")
        .order_by("id")
    )
    url = reverse("inquirylab:results", kwargs={"slug": challenge.slug})
    sent = 0
    for member in members:
        with transaction.atomic():
            notification_send(
                recipient=member.user,
                kind="lab_results",
                template="inquirylab/results_notice",
                context={
                    "challenge": challenge,
                    "team": member.team,
                    "result": results.get(member.team_id),
                },
                url=url,
            )
        sent += 1
    return sent


@transaction.atomic
def results_unpublish(*, actor, challenge: Challenge) -> None:
    """Take the published results back, to correct and publish them again.

    The rows stay (unseen) so that the organisers' feedback is not lost, and the judges' scores
    stay locked: publishing again replaces the rows from the same scores.
    """
    _require(actor, "inquirylab.publish_results", challenge)
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    if challenge.results_published_at is None:
        raise ValidationError(_("The results are not published."), code="not_published")
    before = snapshot(challenge)
    challenge.results_published_at = None
    challenge.save(update_fields=["results_published_at", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=challenge, before=before, after=snapshot(challenge)
    )


# The people's choice


def _may_vote(user, challenge: Challenge) -> None:
    if not may(user, "inquirylab.vote", challenge):
        raise PermissionDenied
    stages.require(challenge, Action.VOTE)
    if not challenge.has_public_vote:
        raise ValidationError(
            _("This challenge has no people's choice vote."), code="no_public_vote"
        )


@transaction.atomic
def vote_cast(*, user, challenge: Challenge, brief: Brief) -> PublicVote:
    """Vote for a brief, or move one's vote to it: one vote per account and challenge."""
    _may_vote(user, challenge)
    if brief.challenge_id != challenge.pk or brief.submitted_version_id is None:
        raise ValidationError(_("Choose one of the submitted briefs."), code="not_submitted")
    if TeamMember.objects.filter(challenge=challenge, user=user, team_id=brief.team_id).exists():
        raise ValidationError(
            _("You cannot vote for your own team's brief. Choose another one."), code="own_team"
        )
    try:
        # A savepoint: when a vote exists (or a simultaneous request just stored one), the
        # unique constraint refuses this row and the existing vote moves instead.
        with transaction.atomic():
            return PublicVote.objects.create(challenge=challenge, user=user, brief=brief)
    except IntegrityError:
        pass
    PublicVote.objects.filter(challenge=challenge, user=user).update(brief=brief)
    return PublicVote.objects.get(challenge=challenge, user=user)


@transaction.atomic
def vote_withdraw(*, user, challenge: Challenge) -> None:
    """Take one's vote back while the vote is open."""
    _may_vote(user, challenge)
    deleted, _rows = PublicVote.objects.filter(challenge=challenge, user=user).delete()
    if not deleted:
        raise ValidationError(_("You have not voted."), code="not_voted")
