"""Writes for formal decisions: minutes, motions, amendments, ballots and votes.

The rules that OpenSlides and Decidim leave to people are checked here: quorum when a ballot
opens and when it closes, amendments before their motion, one vote per member (a database
constraint), no change after close, secret votes kept apart from who voted, results stored once.
"""

import math
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from voices.accounts.models import User
from voices.core.audit import audit_record, snapshot

from . import handoff
from .decision_models import (
    Amendment,
    Ballot,
    BallotParticipation,
    Minutes,
    Motion,
    MotionEvidence,
    Vote,
)
from .meeting_models import AgendaItem, Attendance, Meeting
from .meeting_selectors import meeting_day, quorum_for
from .models import Council, Membership
from .selectors import membership_current, voting_members_on


def _check(actor: User, perm: str, council: Council) -> None:
    if not actor.has_perm(perm, council):
        raise PermissionDenied


# Minutes


@transaction.atomic
def minutes_save(*, actor: User, meeting: Meeting, text: str, language: str) -> Minutes:
    """Write or change the draft minutes of a meeting that has taken place."""
    _check(actor, "councils.write_minutes", meeting.council)
    if meeting.status != Meeting.Status.ENDED:
        raise ValidationError(_("Minutes are written after the meeting has ended."), code="early")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    current = Minutes.objects.filter(meeting=meeting).order_by("-version").first()
    if current is not None and current.is_locked:
        raise ValidationError(
            _("Approved minutes cannot be changed. Write a correction instead."), code="locked"
        )
    if current is not None and current.status == Minutes.Status.PROPOSED:
        raise ValidationError(
            _("These minutes are proposed for approval; take the proposal back to change them."),
            code="proposed",
        )
    minutes = current or Minutes(meeting=meeting, version=1, written_by=actor)
    before = snapshot(minutes) if current else None
    minutes.text = text
    minutes.language = language
    minutes.full_clean()
    minutes.save()
    audit_record(actor=actor, action="update" if current else "create", obj=minutes,
                 before=before, after=snapshot(minutes))  # fmt: skip
    return minutes


def _lock(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__council").get(pk=minutes.pk)


@transaction.atomic
def minutes_propose(*, actor: User, minutes: Minutes) -> Minutes:
    """Put draft minutes forward for approval (by vote or by the chair, as the charter says)."""
    _check(actor, "councils.write_minutes", minutes.meeting.council)
    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Only draft minutes can be proposed."), code="not_draft")
    before = snapshot(minutes)
    minutes.status = Minutes.Status.PROPOSED
    minutes.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=minutes, before=before, after=snapshot(minutes))
    return minutes


@transaction.atomic
def minutes_unpropose(*, actor: User, minutes: Minutes) -> Minutes:
    """Take a proposal back to draft (before any ballot on it has opened)."""
    _check(actor, "councils.write_minutes", minutes.meeting.council)
    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.PROPOSED:
        raise ValidationError(_("These minutes are not proposed."), code="not_proposed")
    if minutes.ballots.exclude(status=Ballot.Status.PREPARED).exists():
        raise ValidationError(_("A vote on these minutes has started."), code="in_vote")
    minutes.ballots.filter(status=Ballot.Status.PREPARED).delete()
    before = snapshot(minutes)
    minutes.status = Minutes.Status.DRAFT
    minutes.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=minutes, before=before, after=snapshot(minutes))
    return minutes


@transaction.atomic
def minutes_approve_by_chair(*, actor: User, minutes: Minutes) -> Minutes:
    """The chair approves proposed minutes, where the charter gives the chair that power."""
    council = minutes.meeting.council
    if council.minutes_approval != Council.MinutesApproval.CHAIR:
        raise ValidationError(
            _("In this council, minutes are approved by a vote at the next meeting."),
            code="vote_needed",
        )
    own = membership_current(user=actor, council=council)
    if own is None or own.role != Membership.Role.CHAIR:
        raise PermissionDenied
    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.PROPOSED:
        raise ValidationError(_("Only proposed minutes can be approved."), code="not_proposed")
    before = snapshot(minutes)
    _approve(minutes, by=actor)
    audit_record(actor=actor, action="update", obj=minutes, before=before, after=snapshot(minutes))
    return minutes


def _approve(minutes: Minutes, *, by: User | None) -> None:
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = by
    minutes.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])


@transaction.atomic
def minutes_publish(*, actor: User, minutes: Minutes) -> Minutes:
    """Make approved minutes public."""
    _check(actor, "councils.write_minutes", minutes.meeting.council)
    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Only approved minutes can be published."), code="not_approved")
    minutes.status = Minutes.Status.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="update", obj=minutes, after=snapshot(minutes))
    return minutes


@transaction.atomic
def minutes_correct(
    *, actor: User, minutes: Minutes, text: str, reason: str, language: str | None = None
) -> Minutes:
    """Start a corrected version of approved minutes; it goes through approval again."""
    _check(actor, "councils.write_minutes", minutes.meeting.council)
    minutes = _lock(minutes)
    if not minutes.is_locked:
        raise ValidationError(_("Only approved minutes need a correction."), code="not_locked")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the minutes are corrected.")})
    latest = Minutes.objects.filter(meeting=minutes.meeting).aggregate(v=Max("version"))["v"]
    if latest != minutes.version:
        raise ValidationError(_("A newer version exists already."), code="not_latest")
    correction = Minutes(
        meeting=minutes.meeting, version=minutes.version + 1, text=text,
        language=language or minutes.language,
        corrects=minutes, correction_reason=reason.strip(), written_by=actor,
    )  # fmt: skip
    correction.full_clean()
    correction.save()
    audit_record(actor=actor, action="create", obj=correction, after=snapshot(correction))
    return correction


# Motions and amendments


def _proposer(actor: User, council: Council) -> Membership | None:
    membership = membership_current(user=actor, council=council)
    if membership is None and not actor.has_perm("councils.manage_meetings", council):
        raise PermissionDenied
    return membership


@transaction.atomic
def motion_propose(
    *, actor: User, agenda_item: AgendaItem, title: str, text: str, reasons: str, language: str,
    is_request_to_authority: bool = False, addressed_to=None, evidence: list | None = None,
) -> Motion:  # fmt: skip
    """Put a motion on a decision item of the agenda."""
    council = agenda_item.meeting.council
    proposer = _proposer(actor, council)
    if agenda_item.kind != AgendaItem.Kind.DECISION:
        raise ValidationError(_("Motions belong to decision items of the agenda."), code="kind")
    if agenda_item.meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
        raise ValidationError(_("This meeting is over."), code="meeting_closed")
    motion = Motion(
        agenda_item=agenda_item, title=title.strip(), text=text.strip(), original_text=text.strip(),
        reasons=reasons.strip(), language=language, proposer=proposer,
        is_request_to_authority=is_request_to_authority,
        addressed_to=addressed_to if is_request_to_authority else None,
    )  # fmt: skip
    motion.full_clean()
    motion.save()
    for label, url in evidence or []:
        item = MotionEvidence(motion=motion, label=label, url=url)
        item.full_clean()
        item.save()
    audit_record(actor=actor, action="create", obj=motion, after=snapshot(motion))
    return motion


@transaction.atomic
def motion_evidence_add(*, actor: User, motion: Motion, label: str, url: str) -> MotionEvidence:
    """Add what a motion rests on (a consultation proposal, a brief) while it is still open."""
    council = motion.agenda_item.meeting.council
    if not actor.has_perm("councils.propose_motions", council):
        raise PermissionDenied
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    if motion.status != Motion.Status.PROPOSED:
        raise ValidationError(
            _("Evidence can only be added to a motion that is not decided yet."), code="decided"
        )
    item = MotionEvidence(motion=motion, label=label.strip()[:200], url=url)
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="create", obj=item, after={"label": item.label, "url": url})
    return item


@transaction.atomic
def motion_withdraw(*, actor: User, motion: Motion) -> Motion:
    """Withdraw a motion before it is voted on."""
    council = motion.agenda_item.meeting.council
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    is_proposer = motion.proposer is not None and motion.proposer.user_id == actor.pk
    if not (is_proposer or actor.has_perm("councils.manage_meetings", council)):
        raise PermissionDenied
    if (
        motion.status != Motion.Status.PROPOSED
        or motion.ballots.exclude(status=Ballot.Status.PREPARED).exists()
    ):
        raise ValidationError(_("This motion can no longer be withdrawn."), code="too_late")
    motion.status = Motion.Status.WITHDRAWN
    motion.save(update_fields=["status", "updated_at"])
    motion.amendments.filter(status=Amendment.Status.PROPOSED).update(
        status=Amendment.Status.WITHDRAWN
    )
    motion.ballots.filter(status=Ballot.Status.PREPARED).delete()
    return motion


@transaction.atomic
def amendment_propose(*, actor: User, motion: Motion, text: str, reasons: str) -> Amendment:
    """Propose new wording for a motion; it is voted on before the motion."""
    council = motion.agenda_item.meeting.council
    proposer = _proposer(actor, council)
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    if motion.status != Motion.Status.PROPOSED or motion.ballots.exists():
        raise ValidationError(
            _("Amendments can be proposed only before the motion is put to the vote."),
            code="too_late",
        )
    amendment = Amendment(motion=motion, text=text.strip(), reasons=reasons.strip(),
                          proposer=proposer)  # fmt: skip
    amendment.full_clean()
    amendment.save()
    audit_record(actor=actor, action="create", obj=amendment, after=snapshot(amendment))
    return amendment


# Ballots


def _has_live_ballot(ballots) -> bool:
    """A ballot that is prepared, open, or closed with quorum (one without decided nothing)."""
    return ballots.exclude(status=Ballot.Status.CLOSED, quorum_met=False).exists()


@transaction.atomic
def ballot_prepare(
    *, actor: User, meeting: Meeting, motion: Motion | None = None,
    amendment: Amendment | None = None, minutes: Minutes | None = None, is_secret: bool = False,
) -> Ballot:  # fmt: skip
    """Prepare a vote on one motion, amendment or version of minutes in this meeting."""
    council = meeting.council
    _check(actor, "councils.run_ballots", council)
    if sum(x is not None for x in (motion, amendment, minutes)) != 1:
        raise ValueError("A ballot has exactly one subject.")
    if meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
        raise ValidationError(_("This meeting is over."), code="meeting_closed")
    if motion is not None:
        if motion.agenda_item.meeting_id != meeting.pk or motion.status != Motion.Status.PROPOSED:
            raise ValidationError(_("This motion cannot be voted on here."), code="subject")
        if _has_live_ballot(motion.ballots):
            raise ValidationError(_("This motion already has a ballot."), code="duplicate")
    if amendment is not None:
        usable = (
            amendment.motion.agenda_item.meeting_id == meeting.pk
            and amendment.status == Amendment.Status.PROPOSED
            and not _has_live_ballot(amendment.ballots)
        )
        if not usable:
            raise ValidationError(_("This amendment cannot be voted on here."), code="subject")
    if minutes is not None:
        if minutes.meeting.council_id != council.pk or minutes.status != Minutes.Status.PROPOSED:
            raise ValidationError(_("Only proposed minutes can be voted on."), code="subject")
        if council.minutes_approval != Council.MinutesApproval.VOTE:
            raise ValidationError(
                _("In this council the chair approves the minutes."), code="chair"
            )
        if minutes.meeting.starts_at >= meeting.starts_at:
            raise ValidationError(
                _("Minutes are approved at a later meeting."), code="same_meeting"
            )
        if minutes.ballots.filter(status__in=[Ballot.Status.PREPARED, Ballot.Status.OPEN]).exists():
            raise ValidationError(_("These minutes already have a ballot."), code="duplicate")
    ballot = Ballot(meeting=meeting, motion=motion, amendment=amendment, minutes=minutes,
                    is_secret=is_secret, majority=council.majority)  # fmt: skip
    ballot.full_clean()
    ballot.save()
    audit_record(actor=actor, action="create", obj=ballot, after=snapshot(ballot))
    return ballot


def _lock_ballot(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().select_related("meeting__council").get(pk=ballot.pk)


@transaction.atomic
def ballot_open(*, actor: User, ballot: Ballot) -> Ballot:
    """Open voting; refused without quorum, or while amendments to the motion are undecided."""
    _check(actor, "councils.run_ballots", ballot.meeting.council)
    # Lock the meeting first: two ballots opened at once must not both become the open one.
    Meeting.objects.select_for_update().filter(pk=ballot.meeting_id).first()
    ballot = _lock_ballot(ballot)
    if ballot.status != Ballot.Status.PREPARED:
        raise ValidationError(_("This ballot has already been opened."), code="not_prepared")
    if ballot.meeting.status != Meeting.Status.IN_PROGRESS:
        raise ValidationError(_("Votes take place while the meeting is in progress."),
                              code="not_in_progress")  # fmt: skip
    if (
        ballot.motion_id
        and ballot.motion.amendments.filter(status=Amendment.Status.PROPOSED).exists()
    ):
        raise ValidationError(
            _("Vote on the amendments first: each amendment is decided before the motion."),
            code="amendments_pending",
        )
    if Ballot.objects.filter(meeting=ballot.meeting, status=Ballot.Status.OPEN).exists():
        raise ValidationError(_("Another ballot is open. Close it first."), code="one_at_a_time")
    quorum = quorum_for(ballot.meeting)
    if not quorum.is_met:
        raise ValidationError(
            _("No quorum: %(present)d of %(entitled)d voting members are present, "
              "%(required)d are needed.")
            % {"present": quorum.present, "entitled": quorum.entitled,
               "required": quorum.required},
            code="no_quorum",
        )  # fmt: skip
    ballot.status = Ballot.Status.OPEN
    ballot.opened_at = timezone.now()
    ballot.open_entitled = quorum.entitled
    ballot.open_present = quorum.present
    ballot.save(update_fields=["status", "opened_at", "open_entitled", "open_present",
                               "updated_at"])  # fmt: skip
    return ballot


def voter_membership(*, user: User, ballot: Ballot) -> Membership | None:
    """The membership through which `user` may vote in `ballot`, if any."""
    meeting = ballot.meeting
    membership = (
        voting_members_on(council=meeting.council, on=meeting_day(meeting))
        .filter(user=user)
        .first()
    )
    if membership is None:
        return None
    present = Attendance.objects.filter(
        meeting=meeting, membership=membership, is_present=True
    ).exists()
    return membership if present else None


@transaction.atomic
def vote_cast(*, user: User, ballot: Ballot, choice: str) -> None:
    """Record one vote. Only voting members present may vote, once; nothing else is stored."""
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Choose for, against or abstain."), code="invalid_choice")
    membership = voter_membership(user=user, ballot=ballot)
    if membership is None:
        raise PermissionDenied
    # Lock the ballot so a vote and the close cannot interleave.
    ballot = _lock_ballot(ballot)
    if ballot.status != Ballot.Status.OPEN or ballot.meeting.status != Meeting.Status.IN_PROGRESS:
        raise ValidationError(_("This ballot is not open."), code="not_open")
    try:
        with transaction.atomic():
            BallotParticipation.objects.create(ballot=ballot, membership=membership)
            Vote.objects.create(
                ballot=ballot, membership=None if ballot.is_secret else membership, choice=choice
            )
    except IntegrityError:
        raise ValidationError(_("You have already voted."), code="already_voted") from None


def passes(*, majority: str, votes_for: int, against: int, abstain: int, present: int) -> bool:
    """Whether the votes meet the majority rule (quorum is checked separately)."""
    if majority == Council.Majority.ABSOLUTE:
        return votes_for > present / 2
    if majority == Council.Majority.TWO_THIRDS:
        cast = votes_for + against + abstain
        return cast > 0 and votes_for >= math.ceil(cast * 2 / 3)
    return votes_for > against


@transaction.atomic
def ballot_close(*, actor: User, ballot: Ballot) -> Ballot:
    """Close voting, check quorum again, store the result once and apply it to the subject."""
    _check(actor, "councils.run_ballots", ballot.meeting.council)
    ballot = _lock_ballot(ballot)
    if ballot.status != Ballot.Status.OPEN:
        raise ValidationError(_("This ballot is not open."), code="not_open")
    quorum = quorum_for(ballot.meeting)
    choices = list(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True))
    counts = {c: choices.count(c) for c in Vote.Choice.values}
    ballot.entitled = quorum.entitled
    ballot.present = quorum.present
    ballot.votes_for = counts["for"]
    ballot.votes_against = counts["against"]
    ballot.votes_abstain = counts["abstain"]
    ballot.quorum_met = quorum.is_met
    ballot.passed = quorum.is_met and passes(
        majority=ballot.majority, votes_for=counts["for"], against=counts["against"],
        abstain=counts["abstain"], present=quorum.present,
    )  # fmt: skip
    ballot.status = Ballot.Status.CLOSED
    ballot.closed_at = timezone.now()
    ballot.save()
    if ballot.is_secret:
        # Cut the link between who voted and what: the rows are written again in random order.
        Vote.objects.filter(ballot=ballot).delete()
        random.SystemRandom().shuffle(choices)
        Vote.objects.bulk_create([Vote(ballot=ballot, choice=c) for c in choices])
    _apply_result(ballot, actor=actor)
    audit_record(actor=actor, action="update", obj=ballot, after=snapshot(ballot))
    return ballot


def _apply_result(ballot: Ballot, *, actor: User) -> None:
    if not ballot.quorum_met:
        return  # Without quorum nothing was decided: the subject can be put to the vote again.
    now = timezone.now()
    if ballot.amendment_id:
        amendment = Amendment.objects.select_for_update().get(pk=ballot.amendment_id)
        amendment.status = Amendment.Status.ADOPTED if ballot.passed else Amendment.Status.REJECTED
        amendment.save(update_fields=["status", "updated_at"])
        if ballot.passed:
            Motion.objects.filter(pk=amendment.motion_id).update(
                text=amendment.text, updated_at=now
            )
    elif ballot.motion_id:
        motion = Motion.objects.select_for_update().get(pk=ballot.motion_id)
        motion.status = Motion.Status.ADOPTED if ballot.passed else Motion.Status.REJECTED
        motion.decided_at = now
        motion.save(update_fields=["status", "decided_at", "updated_at"])
        if ballot.passed and motion.is_request_to_authority:
            transaction.on_commit(lambda: handoff.request_adopted(motion.pk))
    elif ballot.minutes_id and ballot.passed:
        # Approved by the council's vote (the ballot says so), not by whoever closed it.
        _approve(Minutes.objects.select_for_update().get(pk=ballot.minutes_id), by=None)
