"""Reads about meetings, including the live quorum."""

import math
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from voices.core.documents import owner_reference
from voices.core.models import Attachment

from .meeting_models import AgendaItem, Attendance, Meeting, MeetingResponse
from .models import Council, Membership
from .selectors import ROLE_ORDER, current_q, membership_current, voting_members_on

OFFICER_ROLES = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.SECRETARY)


@dataclass(frozen=True)
class Quorum:
    entitled: int  # voting members on the day of the meeting
    present: int  # of them, recorded as present
    required: int

    @property
    def is_met(self) -> bool:
        return self.entitled > 0 and self.present >= self.required


def meeting_day(meeting: Meeting):
    return timezone.localtime(meeting.starts_at).date()


def quorum_for(meeting: Meeting) -> Quorum:
    """Count, now, whether enough voting members are present (the council's quorum rule)."""
    voting = voting_members_on(council=meeting.council, on=meeting_day(meeting))
    entitled = voting.count()
    present = Attendance.objects.filter(
        meeting=meeting, is_present=True, membership__in=voting
    ).count()
    share = meeting.council.quorum_share
    required = max(1, math.ceil(entitled * share)) if entitled else 0
    return Quorum(entitled=entitled, present=present, required=required)


def meeting_list_for_council(*, council: Council) -> tuple[QuerySet[Meeting], QuerySet[Meeting]]:
    """Upcoming (soonest first) and past (latest first) meetings."""
    now = timezone.now()
    base = Meeting.objects.filter(council=council).annotate(item_count=Count("agenda_items"))
    upcoming = (
        base.filter(ends_at__gte=now).exclude(status=Meeting.Status.ENDED).order_by("starts_at")
    )
    past = base.filter(Q(ends_at__lt=now) | Q(status=Meeting.Status.ENDED)).order_by("-starts_at")
    return upcoming, past


def meeting_get(meeting_id: int) -> Meeting:
    qs = Meeting.objects.select_related("council", "council__country")
    return get_object_or_404(qs, pk=meeting_id)


def agenda_for(meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting=meeting).order_by("position", "id")


def response_counts(meeting: Meeting) -> dict[str, int]:
    rows = MeetingResponse.objects.filter(meeting=meeting).values("answer").annotate(n=Count("id"))
    return {row["answer"]: row["n"] for row in rows}


def own_response(*, meeting: Meeting, user) -> MeetingResponse | None:
    membership = membership_current(user=user, council=meeting.council)
    if membership is None:
        return None
    return MeetingResponse.objects.filter(meeting=meeting, membership=membership).first()


def attendance_sheet(meeting: Meeting) -> list[tuple[Membership, bool, str | None]]:
    """Every member on the day of the meeting, whether present, and their answer."""
    members = (
        Membership.objects.filter(current_q(meeting_day(meeting)), council_id=meeting.council_id)
        .select_related("user")
        .order_by(ROLE_ORDER, "user__display_name")
    )
    present = set(
        Attendance.objects.filter(meeting=meeting, is_present=True).values_list(
            "membership_id", flat=True
        )
    )
    answers = dict(
        MeetingResponse.objects.filter(meeting=meeting).values_list("membership_id", "answer")
    )
    return [(m, m.pk in present, answers.get(m.pk)) for m in members]


def agenda_with_documents(meeting: Meeting) -> list[AgendaItem]:
    """The agenda, each item with its `documents`, in two queries whatever their number."""
    items = list(agenda_for(meeting))
    by_item: dict[str, list[Attachment]] = {}
    for doc in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(AgendaItem),
        object_id__in=[str(item.pk) for item in items],
    ).order_by("name"):
        by_item.setdefault(doc.object_id, []).append(doc)
    for item in items:
        item.documents = by_item.get(str(item.pk), [])
        item.owner_ref = owner_reference(item)
    return items
