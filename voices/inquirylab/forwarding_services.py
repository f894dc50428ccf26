"""Writes for winning briefs sent to councils and what the councils do with them.

A brief is linked, never copied: the council's motion carries the brief's page as evidence, so
readers of the motion always find the brief as the team wrote it. Uptake only moves forward:
none → acknowledged → discussed (a motion was drafted) → adopted as a recommendation.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from voices.accounts.models import User
from voices.core.audit import audit_record, snapshot
from voices.core.notifications import notification_send
from voices.councils.decision_models import Motion
from voices.councils.decision_services import motion_propose
from voices.councils.meeting_models import AgendaItem
from voices.councils.models import Council, Membership
from voices.councils.selectors import council_leaders, current_q
from voices.directory.models import Organisation

from .forwarding_selectors import ACTIVE_COUNCIL_STATUSES, is_winner
from .models import Brief, Forwarding, TeamMember

Uptake = Forwarding.Uptake


def _check(actor: User, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def council_officers(council: Council) -> list[User]:
    """Who hears that a brief arrived: the chair, the secretary and the facilitators."""
    people = {user.pk: user for user in council_leaders(council=council)}
    secretaries = Membership.objects.filter(
        current_q(), council=council, role=Membership.Role.SECRETARY
    ).select_related("user")
    for membership in secretaries:
        people.setdefault(membership.user_id, membership.user)
    return [user for user in people.values() if user.is_active]


def _notify_council(forwarding: Forwarding, *, template: str, kind: str) -> None:
    council = forwarding.council
    url = reverse("inquirylab:council_briefs", kwargs={"slug": council.slug})
    for officer in council_officers(council):
        notification_send(
            recipient=officer, kind=kind, template=template, url=url,
            context={"forwarding": forwarding, "brief": forwarding.brief, "council": council,
                     "challenge": forwarding.brief.challenge},
        )  # fmt: skip


def _notify_team(forwarding: Forwarding, *, withdrawn: bool = False) -> None:
    """Tell the brief's team where their brief stands (in each member's language)."""
    challenge = forwarding.brief.challenge
    url = reverse("inquirylab:forwarded", kwargs={"slug": challenge.slug})
    members = TeamMember.objects.filter(team_id=forwarding.brief.team_id).select_related("user")
    for member in members:
        notification_send(
            recipient=member.user, kind="lab_brief_uptake",
            template="inquirylab/forwarding_team_notice", url=url,
            context={"forwarding": forwarding, "brief": forwarding.brief,
                     "council": forwarding.council, "challenge": challenge,
                     "withdrawn": withdrawn},
        )  # fmt: skip


def _locked(forwarding: Forwarding) -> Forwarding:
    return (
        Forwarding.objects.select_for_update(of=("self",))
        .select_related("brief__challenge", "brief__submitted_version", "council", "motion")
        .get(pk=forwarding.pk)
    )


@transaction.atomic
def forwarding_create(*, actor: User, brief: Brief, council: Council, note: str = "") -> Forwarding:
    """Send a winning brief to a council as the basis of a draft motion, and tell the council."""
    challenge = brief.challenge
    _check(actor, "inquirylab.forward_brief", challenge)
    if challenge.results_published_at is None:
        raise ValidationError(
            _("The results of this challenge are not published yet."), code="no_results"
        )
    if not is_winner(brief):
        raise ValidationError(_("Only winning briefs can be sent to a council."), code="not_winner")
    if council.status not in ACTIVE_COUNCIL_STATUSES:
        raise ValidationError(
            _("This council is not active, so it cannot take up a brief now."), code="inactive"
        )
    already = _("This brief has already been sent to this council.")
    if Forwarding.objects.filter(brief=brief, council=council).exists():
        raise ValidationError(already, code="already_forwarded")
    forwarding = Forwarding(brief=brief, council=council, note=note.strip(), forwarded_by=actor)
    forwarding.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            forwarding.save()
    except IntegrityError:  # sent by someone else at the same moment
        raise ValidationError(already, code="already_forwarded") from None
    audit_record(actor=actor, action="create", obj=forwarding, after=snapshot(forwarding))
    _notify_council(forwarding, template="inquirylab/forwarding_notice", kind="lab_brief_forwarded")
    _notify_team(forwarding)
    return forwarding


@transaction.atomic
def forwarding_withdraw(*, actor: User, forwarding: Forwarding) -> None:
    """Take a brief back from a council that has not acted on it yet (a mistaken council)."""
    _check(actor, "inquirylab.withdraw_forwarding", forwarding)
    forwarding = _locked(forwarding)
    if forwarding.uptake != Uptake.NONE or forwarding.motion_id is not None:
        raise ValidationError(
            _("The council has already taken up this brief, so it can no longer be withdrawn."),
            code="taken_up",
        )
    before = snapshot(forwarding)
    # The council was told the brief arrived; it is told it was taken back, before the row goes.
    _notify_council(
        forwarding, template="inquirylab/forwarding_withdrawn_notice", kind="lab_brief_withdrawn"
    )
    _notify_team(forwarding, withdrawn=True)
    audit_record(actor=actor, action="delete", obj=forwarding, before=before)
    forwarding.delete()


@transaction.atomic
def forwarding_acknowledge(*, actor: User, forwarding: Forwarding) -> Forwarding:
    """Record that the council has received the brief and will look at it."""
    _check(actor, "inquirylab.acknowledge_forwarding", forwarding)
    forwarding = _locked(forwarding)
    if forwarding.uptake != Uptake.NONE:
        raise ValidationError(
            _("The council has already taken note of this brief."), code="already_acknowledged"
        )
    before = snapshot(forwarding)
    forwarding.uptake = Uptake.ACKNOWLEDGED
    forwarding.uptake_changed_at = timezone.now()
    forwarding.save(update_fields=["uptake", "uptake_changed_at"])
    audit_record(actor=actor, action="update", obj=forwarding, before=before,
                 after=snapshot(forwarding))  # fmt: skip
    _notify_team(forwarding)
    return forwarding


def may_draft_motion(forwarding: Forwarding) -> bool:
    """A motion can be drafted while there is none, or after the last one was withdrawn.

    A rejected motion stays the brief's motion: the council has decided, and the uptake it
    reached (discussed) is what happened.
    """
    motion = forwarding.motion
    return motion is None or motion.status == Motion.Status.WITHDRAWN


@transaction.atomic
def forwarding_motion_draft(
    *, actor: User, forwarding: Forwarding, agenda_item: AgendaItem, title: str, text: str,
    language: str, reasons: str = "", is_request_to_authority: bool = False,
    addressed_to: Organisation | None = None,
) -> Motion:  # fmt: skip
    """Put a motion built on the brief on a decision item of one of the council's meetings."""
    _check(actor, "inquirylab.draft_motion_from_forwarding", forwarding)
    forwarding = _locked(forwarding)
    if not may_draft_motion(forwarding):
        raise ValidationError(
            _("A motion has already been drafted from this brief."), code="has_motion"
        )
    if agenda_item.meeting.council_id != forwarding.council_id:
        raise ValidationError(_("Choose an item of this council's agenda."), code="other_council")
    brief = forwarding.brief
    with translation.override(language):
        # The label is read on the motion's page, in the motion's language.
        label = _("Brief from the Inquiry Lab: %(title)s") % {"title": str(brief)}
    evidence = [(label[:200], reverse("inquirylab:brief", kwargs={"brief_id": brief.pk}))]
    motion = motion_propose(
        actor=actor, agenda_item=agenda_item, title=title, text=text, reasons=reasons,
        language=language, is_request_to_authority=is_request_to_authority,
        addressed_to=addressed_to, evidence=evidence,
    )  # fmt: skip
    before = snapshot(forwarding)
    forwarding.motion = motion
    if forwarding.uptake in (Uptake.NONE, Uptake.ACKNOWLEDGED):
        forwarding.uptake = Uptake.DISCUSSED
        forwarding.uptake_changed_at = timezone.now()
    forwarding.save(update_fields=["motion", "uptake", "uptake_changed_at"])
    audit_record(actor=actor, action="update", obj=forwarding, before=before,
                 after=snapshot(forwarding))  # fmt: skip
    _notify_team(forwarding)
    return motion


@transaction.atomic
def forwardings_mark_adopted(*, motion_id: int) -> list[Forwarding]:
    """Mark the briefs behind an adopted request to an authority "adopted as a recommendation".

    Called by councils after the ballot commits (councils.handoff.on_request_adopted). Only an
    adopted request counts: a rejected or withdrawn motion leaves the uptake at "discussed",
    which is what happened. A second call changes nothing.
    """
    motion = Motion.objects.filter(pk=motion_id).first()
    if (
        motion is None
        or motion.status != Motion.Status.ADOPTED
        or not motion.is_request_to_authority
    ):
        return []
    changed = []
    forwardings = (
        Forwarding.objects.select_for_update(of=("self",))
        .filter(motion=motion)
        .exclude(uptake=Uptake.ADOPTED)
        .select_related("brief__challenge", "brief__submitted_version", "council", "motion")
    )
    for forwarding in forwardings:
        before = snapshot(forwarding)
        forwarding.uptake = Uptake.ADOPTED
        forwarding.uptake_changed_at = motion.decided_at or timezone.now()
        forwarding.save(update_fields=["uptake", "uptake_changed_at"])
        audit_record(actor=None, action="update", obj=forwarding, before=before,
                     after=snapshot(forwarding))  # fmt: skip
        _notify_team(forwarding)
        changed.append(forwarding)
    return changed
