"""Writes for meetings: scheduling (members are invited), agenda, answers, attendance."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from voices.accounts.models import User
from voices.core.audit import audit_record, snapshot
from voices.core.notifications import notification_send

from .meeting_models import AgendaItem, Attendance, Meeting, MeetingResponse
from .meeting_selectors import meeting_day
from .models import Council, Membership
from .selectors import current_q

MEETING_FIELDS = ("title", "format", "place", "online_link", "starts_at", "ends_at")


def _notify_members(meeting: Meeting, *, template: str, kind: str) -> None:
    members = Membership.objects.filter(
        current_q(meeting_day(meeting)), council_id=meeting.council_id
    ).select_related("user")
    for membership in members:
        notification_send(
            recipient=membership.user, kind=kind, template=template,
            context={"meeting": meeting, "council": meeting.council},
            url=meeting.get_absolute_url(),
        )  # fmt: skip


def _check_manage(actor: User, council: Council) -> None:
    if not actor.has_perm("councils.manage_meetings", council):
        raise PermissionDenied


@transaction.atomic
def meeting_schedule(*, actor: User, council: Council, **fields) -> Meeting:
    """Plan a meeting and invite every member (each in their own language)."""
    _check_manage(actor, council)
    meeting = Meeting(council=council, created_by=actor,
                      **{k: v for k, v in fields.items() if k in MEETING_FIELDS})  # fmt: skip
    meeting.full_clean()
    if meeting.starts_at < timezone.now():
        raise ValidationError({"starts_at": _("A new meeting cannot start in the past.")})
    meeting.save()
    audit_record(actor=actor, action="create", obj=meeting, after=snapshot(meeting))
    _notify_members(meeting, template="councils/notifications/meeting_invitation",
                    kind="meeting_invitation")  # fmt: skip
    return meeting


def _editable(meeting: Meeting) -> None:
    if meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
        raise ValidationError(
            _("This meeting has ended or was cancelled; it can no longer be changed."),
            code="meeting_closed",
        )


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **fields) -> Meeting:
    """Change a planned meeting; members are told when its time or place changes."""
    _check_manage(actor, meeting.council)
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
    _editable(meeting)
    before = snapshot(meeting)
    for name, value in fields.items():
        if name in MEETING_FIELDS:
            setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    after = snapshot(meeting)
    if before != after:
        audit_record(actor=actor, action="update", obj=meeting, before=before, after=after)
    moved = any(before[k] != after[k] for k in ("starts_at", "ends_at", "place", "format"))
    if moved:
        _notify_members(meeting, template="councils/notifications/meeting_changed",
                        kind="meeting_changed")  # fmt: skip
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting and tell the members."""
    _check_manage(actor, meeting.council)
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a planned meeting can be cancelled."), code="not_scheduled")
    before = snapshot(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=meeting, before=before, after=snapshot(meeting))
    _notify_members(meeting, template="councils/notifications/meeting_cancelled",
                    kind="meeting_cancelled")  # fmt: skip
    return meeting


@transaction.atomic
def meeting_open(*, actor: User, meeting: Meeting) -> Meeting:
    """Start the meeting: attendance can now be recorded."""
    if not actor.has_perm("councils.record_attendance", meeting.council):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("This meeting is not waiting to start."), code="not_scheduled")
    meeting.status = Meeting.Status.IN_PROGRESS
    meeting.opened_at = timezone.now()
    meeting.save(update_fields=["status", "opened_at", "updated_at"])
    return meeting


@transaction.atomic
def meeting_close(*, actor: User, meeting: Meeting) -> Meeting:
    """End the meeting: attendance is final."""
    if not actor.has_perm("councils.record_attendance", meeting.council):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise ValidationError(_("This meeting is not in progress."), code="not_in_progress")
    if meeting.ballots.filter(status="open").exists():
        raise ValidationError(_("A vote is still open. Close it first."), code="ballot_open")
    meeting.status = Meeting.Status.ENDED
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["status", "closed_at", "updated_at"])
    return meeting


@transaction.atomic
def agenda_item_add(*, actor: User, meeting: Meeting, title, kind: str, description) -> AgendaItem:
    """Add an item at the end of the agenda."""
    _check_manage(actor, meeting.council)
    _editable(meeting)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem(meeting=meeting, position=last + 1, title=title, kind=kind,
                      description=description)  # fmt: skip
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="create", obj=item, after=snapshot(item))
    return item


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, up: bool) -> None:
    """Swap an item with its neighbour above (or below)."""
    _check_manage(actor, item.meeting.council)
    _editable(item.meeting)
    items = list(
        AgendaItem.objects.select_for_update().filter(meeting_id=item.meeting_id)
        .order_by("position", "id")
    )  # fmt: skip
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


@transaction.atomic
def agenda_item_delete(*, actor: User, item: AgendaItem) -> None:
    """Remove an item; the ones after it move up."""
    _check_manage(actor, item.meeting.council)
    _editable(item.meeting)
    audit_record(actor=actor, action="delete", obj=item, before=snapshot(item))
    meeting_id = item.meeting_id
    item.delete()
    for position, other in enumerate(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=meeting_id)
        .order_by("position", "id"),
        start=1,
    ):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


@transaction.atomic
def meeting_respond(*, user: User, meeting: Meeting, answer: str) -> MeetingResponse:
    """A member says whether they will attend; they may change their mind until it starts."""
    # Those invited are the members on the day of the meeting; they are the ones who answer.
    membership = (
        Membership.objects.filter(current_q(meeting_day(meeting)), council_id=meeting.council_id,
                                  user=user)
        .first()
    )  # fmt: skip
    if membership is None:
        raise PermissionDenied
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            _("Answers are closed: the meeting has started, ended or was cancelled."),
            code="answers_closed",
        )
    if answer not in MeetingResponse.Answer.values:
        raise ValidationError(_("Choose one of the answers."), code="invalid_answer")
    response, _created = MeetingResponse.objects.update_or_create(
        meeting=meeting, membership=membership, defaults={"answer": answer}
    )
    return response


@transaction.atomic
def attendance_set(
    *, actor: User, meeting: Meeting, membership: Membership, is_present: bool
) -> Attendance:
    """Record whether a member is present (only while the meeting is in progress)."""
    if not actor.has_perm("councils.record_attendance", meeting.council):
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise ValidationError(
            _("Attendance is recorded only while the meeting is in progress."),
            code="not_in_progress",
        )
    # A seat of this council that had ended (or not begun) on the meeting day does not count.
    seated = Membership.objects.filter(
        current_q(meeting_day(meeting)), pk=membership.pk, council_id=meeting.council_id
    )
    if not seated.exists():
        raise ValidationError(_("This person is not a member of this council."), code="not_member")
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, membership=membership,
        defaults={"is_present": is_present, "marked_by": actor},
    )  # fmt: skip
    return attendance
