"""Meetings: quorum, invitations, answers, attendance, agenda and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.core.models import Notification
from voices.councils.meeting_models import AgendaItem, Attendance, Meeting, MeetingResponse
from voices.councils.meeting_selectors import (
    attendance_sheet,
    meeting_day,
    meeting_list_for_council,
    quorum_for,
)
from voices.councils.meeting_services import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    attendance_set,
    meeting_cancel,
    meeting_close,
    meeting_open,
    meeting_respond,
    meeting_schedule,
    meeting_update,
)
from voices.councils.models import Council, Membership
from voices.councils.tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    MeetingFactory,
    MembershipFactory,
    facilitator_of,
)
from voices.directory.tests.factories import text

Seat = Membership.Role
DAY = datetime.timedelta(days=1)
NON_VOTING_SEATS = [Seat.AUTHORITY_LIAISON, Seat.FACILITATOR, Seat.OBSERVER]


@pytest.fixture
def council(db):
    name = text(
        "Graz Migrant Council", fr="Conseil des migrants de Graz", de="Migrantenbeirat Graz"
    )
    return CouncilFactory(slug="graz", name=name, quorum_share=Decimal("0.50"), voting_seats=15)


def seat(council: Council, role: str = Seat.MEMBER, **fields) -> Membership:
    """A current seat in `council` for a new person (user fields go to the person)."""
    user_fields = {
        k: fields.pop(k) for k in ("languages", "time_zone", "display_name", "email") if k in fields
    }
    return MembershipFactory(council=council, role=role, user=UserFactory(**user_fields), **fields)


def ended_seat(council: Council, role: str = Seat.MEMBER) -> Membership:
    """A seat its holder left yesterday."""
    today = timezone.localdate()
    return MembershipFactory(council=council, role=role, ended_on=today - DAY)


@pytest.fixture
def secretary(council):
    return seat(council, Seat.SECRETARY).user


@pytest.fixture
def meeting(council):
    return MeetingFactory(council=council, title=text("Spring meeting"))


@pytest.fixture
def live(council):
    """A meeting that started half an hour ago."""
    return MeetingFactory(council=council, in_progress=True, title=text("Live meeting"))


def next_week_at(hour: int) -> datetime.datetime:
    day = timezone.now().date() + datetime.timedelta(days=7)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def schedule(actor, council: Council, **overrides) -> Meeting:
    fields = {
        "title": text("Spring meeting", fr="Réunion de printemps", de="Frühjahrssitzung"),
        "format": Meeting.Format.IN_PERSON,
        "place": "City hall, room 2",
        "online_link": "",
        "starts_at": next_week_at(17),
        "ends_at": next_week_at(19),
    }
    return meeting_schedule(actor=actor, council=council, **{**fields, **overrides})


def mark(meeting: Meeting, actor, *memberships: Membership, present: bool = True) -> None:
    for membership in memberships:
        attendance_set(actor=actor, meeting=meeting, membership=membership, is_present=present)


# Quorum


@pytest.mark.django_db
def test_seven_voting_members_with_a_half_share_need_four_present(council, secretary, live):
    others = [seat(council, role) for role in (Seat.CHAIR, Seat.VICE_CHAIR)]
    others += [seat(council) for _ in range(4)]  # with the secretary: 7 voting members
    mark(live, secretary, *others[:3])

    short = quorum_for(live)
    mark(live, secretary, others[3])
    reached = quorum_for(live)

    assert (short.entitled, short.required, short.present, short.is_met) == (7, 4, 3, False)
    assert (reached.present, reached.is_met) == (4, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("voting", "share", "required"),
    [
        (7, "0.50", 4),
        (6, "0.50", 3),
        (10, "0.67", 7),
        (9, "0.67", 7),
        (3, "1.00", 3),
        (1, "0.01", 1),
    ],
)
def test_the_quorum_is_the_share_of_voting_members_rounded_up(
    council, meeting, voting, share, required
):
    Council.objects.filter(pk=council.pk).update(quorum_share=Decimal(share))
    meeting.council.refresh_from_db()
    for _ in range(voting):
        seat(council)

    quorum = quorum_for(meeting)

    assert (quorum.entitled, quorum.required) == (voting, required)


@pytest.mark.django_db
def test_non_voting_members_who_are_present_do_not_count(council, secretary, live):
    voter = seat(council)
    non_voting = [seat(council, role) for role in NON_VOTING_SEATS]
    mark(live, secretary, *non_voting)

    before = quorum_for(live)
    mark(live, secretary, voter)
    after = quorum_for(live)

    assert (before.entitled, before.present, before.required, before.is_met) == (2, 0, 1, False)
    assert (after.present, after.is_met) == (1, True)


@pytest.mark.django_db
def test_members_whose_seat_ends_before_the_meeting_day_are_not_entitled(council):
    meeting = MeetingFactory(council=council, starts_at=timezone.now() + 10 * DAY)
    day = meeting_day(meeting)
    entitled = [
        seat(council),
        seat(council, ended_on=day),  # leaves on the day itself: still there
        seat(council, term_start=day, term_end=day + 700 * DAY),  # starts on the day
    ]
    not_entitled = [
        seat(council, term_start=day - 700 * DAY, term_end=day - DAY),
        seat(council, ended_on=day - DAY),
        seat(council, term_start=day + DAY, term_end=day + 700 * DAY),
    ]
    # Marked present directly: the count must ignore them even if a row exists.
    for membership in entitled[:1] + not_entitled:
        Attendance.objects.create(meeting=meeting, membership=membership, is_present=True)

    quorum = quorum_for(meeting)

    assert (quorum.entitled, quorum.present, quorum.required) == (3, 1, 2)


@pytest.mark.django_db
def test_the_quorum_is_lost_when_someone_is_unmarked(council, secretary, live):
    voters = [seat(council) for _ in range(3)]  # 4 voting members with the secretary: 2 needed
    mark(live, secretary, *voters[:2])
    assert quorum_for(live).is_met

    mark(live, secretary, voters[1], present=False)

    quorum = quorum_for(live)
    assert (quorum.present, quorum.required, quorum.is_met) == (1, 2, False)
    assert Attendance.objects.get(membership=voters[1]).is_present is False


@pytest.mark.django_db
def test_a_council_without_voting_members_never_has_quorum(council, meeting):
    seat(council, Seat.OBSERVER)

    quorum = quorum_for(meeting)

    assert (quorum.entitled, quorum.required, quorum.is_met) == (0, 0, False)


@pytest.mark.django_db
def test_only_this_meetings_attendance_counts(council, secretary, live):
    voter = seat(council)
    earlier = MeetingFactory(council=council, status=Meeting.Status.ENDED)
    Attendance.objects.create(meeting=earlier, membership=voter, is_present=True)

    assert quorum_for(live).present == 0


# Attendance


@pytest.mark.django_db
def test_the_secretary_records_who_is_present_once_per_member(council, secretary, live):
    voter = seat(council)

    mark(live, secretary, voter)
    mark(live, secretary, voter)

    attendance = Attendance.objects.get()
    assert (attendance.membership, attendance.is_present, attendance.marked_by) == (
        voter,
        True,
        secretary,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Meeting.Status.SCHEDULED, Meeting.Status.ENDED, Meeting.Status.CANCELLED]
)
def test_attendance_is_refused_unless_the_meeting_is_in_progress(council, secretary, status):
    meeting = MeetingFactory(council=council, status=status)
    voter = seat(council)

    with pytest.raises(ValidationError) as excinfo:
        mark(meeting, secretary, voter)

    assert excinfo.value.code == "not_in_progress"
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_attendance_is_refused_for_a_member_of_another_council(council, secretary, live):
    stranger = seat(CouncilFactory())

    with pytest.raises(ValidationError) as excinfo:
        mark(live, secretary, stranger)

    assert excinfo.value.code == "not_member"
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_attendance_is_refused_for_someone_who_left_before_the_meeting_day(
    council, secretary, live
):
    former = seat(council, ended_on=meeting_day(live) - DAY)

    with pytest.raises(ValidationError) as excinfo:
        mark(live, secretary, former)

    assert excinfo.value.code == "not_member"
    assert not Attendance.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Seat.AUTHORITY_LIAISON, Seat.VICE_CHAIR, Seat.MEMBER, Seat.OBSERVER]
)
def test_only_the_secretary_chair_or_staff_record_attendance(council, live, role):
    actor = seat(council, role).user
    voter = seat(council)

    with pytest.raises(PermissionDenied):
        mark(live, actor, voter)

    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_secretary_of_another_council_cannot_record_attendance(council, live):
    actor = seat(CouncilFactory(), Seat.SECRETARY).user

    with pytest.raises(PermissionDenied):
        mark(live, actor, seat(council))

    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_attendance_sheet_lists_current_members_with_their_answer(council, secretary, live):
    chair = seat(council, Seat.CHAIR, display_name="Zora")
    excused = seat(council, display_name="Adil")
    seat(council, ended_on=meeting_day(live) - DAY)
    seat(CouncilFactory())
    MeetingResponse.objects.create(meeting=live, membership=excused, answer="excused")
    mark(live, secretary, chair)

    sheet = attendance_sheet(live)

    rows = {membership: (present, answer) for membership, present, answer in sheet}
    assert sheet[0][0] == chair  # the chair comes first, whatever the name
    assert rows == {
        chair: (True, None),
        excused: (False, "excused"),
        Membership.objects.get(user=secretary): (False, None),
    }


# Answers to the invitation


@pytest.mark.django_db
def test_a_member_changing_their_answer_updates_the_one_row(council, meeting):
    member = seat(council)

    meeting_respond(user=member.user, meeting=meeting, answer="attending")
    meeting_respond(user=member.user, meeting=meeting, answer="excused")

    response = MeetingResponse.objects.get()
    assert (response.membership, response.answer) == (member, "excused")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Meeting.Status.IN_PROGRESS, Meeting.Status.ENDED, Meeting.Status.CANCELLED]
)
def test_answers_are_refused_once_the_meeting_has_started_or_was_cancelled(council, status):
    meeting = MeetingFactory(council=council, status=status)
    member = seat(council)

    with pytest.raises(ValidationError) as excinfo:
        meeting_respond(user=member.user, meeting=meeting, answer="attending")

    assert excinfo.value.code == "answers_closed"
    assert not MeetingResponse.objects.exists()


@pytest.mark.django_db
def test_an_earlier_answer_stays_as_it_was_once_the_meeting_has_started(council, meeting):
    member = seat(council)
    meeting_respond(user=member.user, meeting=meeting, answer="attending")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.IN_PROGRESS)
    meeting.refresh_from_db()

    with pytest.raises(ValidationError):
        meeting_respond(user=member.user, meeting=meeting, answer="excused")

    assert MeetingResponse.objects.get().answer == "attending"


@pytest.mark.django_db
def test_people_without_a_current_seat_cannot_answer(council, meeting, outsider):
    former = ended_seat(council).user
    other_council = seat(CouncilFactory()).user

    for person in (outsider, former, other_council):
        with pytest.raises(PermissionDenied):
            meeting_respond(user=person, meeting=meeting, answer="attending")

    assert not MeetingResponse.objects.exists()


@pytest.mark.django_db
def test_an_unknown_answer_is_refused(council, meeting):
    member = seat(council)

    with pytest.raises(ValidationError) as excinfo:
        meeting_respond(user=member.user, meeting=meeting, answer="maybe")

    assert excinfo.value.code == "invalid_answer"
    assert not MeetingResponse.objects.exists()


# Scheduling and invitations


@pytest.mark.django_db
def test_scheduling_invites_every_current_member_once(council, secretary):
    current = [seat(council, role) for role in (Seat.CHAIR, Seat.AUTHORITY_LIAISON, Seat.OBSERVER)]
    former = [
        ended_seat(council),
        seat(
            council,
            term_start=timezone.localdate() - 800 * DAY,
            term_end=timezone.localdate() - DAY,
        ),
    ]
    seat(CouncilFactory())

    meeting = schedule(secretary, council)

    invited = Notification.objects.filter(kind="meeting_invitation")
    recipients = sorted(invited.values_list("recipient_id", flat=True))
    assert recipients == sorted([secretary.pk, *(m.user_id for m in current)])
    assert not invited.filter(recipient__in=[m.user for m in former]).exists()
    assert set(invited.values_list("url", flat=True)) == {meeting.get_absolute_url()}


@pytest.mark.django_db
def test_each_member_is_invited_in_their_own_language(council, secretary):
    french = seat(council, languages=["fr"]).user
    german = seat(council, languages=["de", "fr"]).user

    schedule(secretary, council)

    subject_fr = Notification.objects.get(recipient=french).subject
    subject_de = Notification.objects.get(recipient=german).subject
    assert subject_fr != subject_de
    assert "Conseil des migrants de Graz" in subject_fr
    assert "Réunion de printemps" in subject_fr
    assert "Migrantenbeirat Graz" in subject_de
    assert "Frühjahrssitzung" in subject_de


@pytest.mark.django_db
def test_each_member_reads_the_time_in_their_own_time_zone(council, secretary):
    tokyo = seat(council, time_zone="Asia/Tokyo").user
    lima = seat(council, time_zone="America/Lima").user  # no daylight saving time

    schedule(secretary, council, starts_at=next_week_at(17), ends_at=next_week_at(19))

    # 17:00 UTC is 02:00 the next day in Tokyo and 12:00 in Lima.
    assert " 02:00 " in Notification.objects.get(recipient=tokyo).body
    assert " 12:00 " in Notification.objects.get(recipient=lima).body


@pytest.mark.django_db
def test_invitations_are_emailed_only_once_the_meeting_is_saved(
    council, secretary, django_capture_on_commit_callbacks
):
    seat(council, email="nour@example.org")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        schedule(secretary, council)
        assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Membership.objects.filter(council=council).values_list("user__email", flat=True)
    )


@pytest.mark.django_db
def test_a_meeting_cannot_be_planned_in_the_past(council, secretary):
    start = timezone.now() - datetime.timedelta(hours=1)

    with pytest.raises(ValidationError) as excinfo:
        schedule(secretary, council, starts_at=start, ends_at=start + datetime.timedelta(hours=2))

    assert "starts_at" in excinfo.value.error_dict
    assert not Meeting.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "place", "link", "field"),
    [
        (Meeting.Format.IN_PERSON, "  ", "", "place"),
        (Meeting.Format.HYBRID, "", "https://meet.example.org/graz", "place"),
        (Meeting.Format.ONLINE, "", "", "online_link"),
        (Meeting.Format.HYBRID, "City hall", "", "online_link"),
    ],
)
def test_the_format_decides_whether_place_and_link_are_needed(
    council, secretary, fmt, place, link, field
):
    with pytest.raises(ValidationError) as excinfo:
        schedule(secretary, council, format=fmt, place=place, online_link=link)

    assert field in excinfo.value.error_dict
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_an_online_meeting_needs_no_place(council, secretary):
    meeting = schedule(
        secretary,
        council,
        format=Meeting.Format.ONLINE,
        place="",
        online_link="https://meet.example.org/graz",
    )

    assert meeting.pk is not None


@pytest.mark.django_db
def test_a_meeting_must_end_after_it_starts(council, secretary):
    with pytest.raises(ValidationError) as excinfo:
        schedule(secretary, council, starts_at=next_week_at(17), ends_at=next_week_at(16))

    assert "ends_at" in excinfo.value.error_dict
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_plain_member_cannot_plan_a_meeting(council):
    member = seat(council).user

    with pytest.raises(PermissionDenied):
        schedule(member, council)

    assert not Meeting.objects.exists()


# Changes, cancellation, start and end


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": next_week_at(15), "ends_at": next_week_at(16)},
        {"place": "Library, first floor"},
    ],
)
def test_moving_the_meeting_tells_every_member(council, secretary, change):
    member = seat(council).user
    meeting = schedule(secretary, council)

    meeting_update(actor=secretary, meeting=meeting, **change)

    changed = Notification.objects.filter(kind="meeting_changed")
    assert sorted(changed.values_list("recipient_id", flat=True)) == sorted(
        [secretary.pk, member.pk]
    )


@pytest.mark.django_db
def test_renaming_the_meeting_tells_nobody(council, secretary):
    meeting = schedule(secretary, council)

    meeting_update(actor=secretary, meeting=meeting, title=text("Renamed meeting"))

    assert not Notification.objects.filter(kind="meeting_changed").exists()
    assert str(Meeting.objects.get().title) == "Renamed meeting"


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Meeting.Status.ENDED, Meeting.Status.CANCELLED])
def test_a_finished_meeting_can_no_longer_be_changed(council, secretary, status):
    meeting = MeetingFactory(council=council, status=status, place="City hall")

    with pytest.raises(ValidationError):
        meeting_update(actor=secretary, meeting=meeting, place="Library")

    assert Meeting.objects.get().place == "City hall"


@pytest.mark.django_db
def test_cancelling_tells_the_members_and_cannot_be_done_twice(council, secretary, meeting):
    member = seat(council).user

    meeting_cancel(actor=secretary, meeting=meeting)
    with pytest.raises(ValidationError):
        meeting_cancel(actor=secretary, meeting=meeting)

    assert Meeting.objects.get().status == Meeting.Status.CANCELLED
    cancelled = Notification.objects.filter(kind="meeting_cancelled")
    assert sorted(cancelled.values_list("recipient_id", flat=True)) == sorted(
        [secretary.pk, member.pk]
    )


@pytest.mark.django_db
def test_the_secretary_starts_and_ends_the_meeting(council, secretary, meeting):
    meeting_open(actor=secretary, meeting=meeting)
    started = Meeting.objects.get()
    meeting_close(actor=secretary, meeting=meeting)
    ended = Meeting.objects.get()

    assert (started.status, ended.status) == (Meeting.Status.IN_PROGRESS, Meeting.Status.ENDED)
    assert started.opened_at is not None
    assert ended.closed_at is not None


@pytest.mark.django_db
def test_a_meeting_cannot_be_started_twice_nor_ended_before_it_starts(council, secretary, meeting):
    with pytest.raises(ValidationError):
        meeting_close(actor=secretary, meeting=meeting)
    meeting_open(actor=secretary, meeting=meeting)
    with pytest.raises(ValidationError):
        meeting_open(actor=secretary, meeting=meeting)

    assert Meeting.objects.get().status == Meeting.Status.IN_PROGRESS


@pytest.mark.django_db
def test_the_vice_chair_plans_meetings_but_does_not_start_them(council, meeting):
    vice_chair = seat(council, Seat.VICE_CHAIR).user

    with pytest.raises(PermissionDenied):
        meeting_open(actor=vice_chair, meeting=meeting)

    assert Meeting.objects.get().status == Meeting.Status.SCHEDULED


# Agenda


def positions(meeting: Meeting) -> list[tuple[int, str]]:
    items = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    return [(item.position, str(item.title)) for item in items]


@pytest.fixture
def agenda(meeting):
    return [AgendaItemFactory(meeting=meeting, title=text(title)) for title in "ABCD"]


@pytest.mark.django_db
def test_items_are_added_at_the_end_of_the_agenda(council, secretary, meeting, agenda):
    agenda_item_add(
        actor=secretary,
        meeting=meeting,
        title=text("E"),
        kind="decision",
        description=text("Vote on the budget."),
    )

    assert positions(meeting) == [(1, "A"), (2, "B"), (3, "C"), (4, "D"), (5, "E")]


@pytest.mark.django_db
def test_the_first_item_is_numbered_one(council, secretary, meeting):
    agenda_item_add(
        actor=secretary,
        meeting=meeting,
        title=text("Welcome"),
        kind="information",
        description=text(""),
    )

    assert positions(meeting) == [(1, "Welcome")]


@pytest.mark.django_db
def test_moving_items_up_and_down_swaps_neighbours(council, secretary, meeting, agenda):
    a, b, c, d = agenda

    agenda_item_move(actor=secretary, item=c, up=True)
    agenda_item_move(actor=secretary, item=a, up=False)

    assert positions(meeting) == [(1, "C"), (2, "A"), (3, "B"), (4, "D")]


@pytest.mark.django_db
def test_moving_past_either_end_changes_nothing(council, secretary, meeting, agenda):
    a, b, c, d = agenda

    agenda_item_move(actor=secretary, item=a, up=True)
    agenda_item_move(actor=secretary, item=d, up=False)

    assert positions(meeting) == [(1, "A"), (2, "B"), (3, "C"), (4, "D")]


@pytest.mark.django_db
def test_deleting_an_item_closes_the_gap(council, secretary, meeting, agenda):
    a, b, c, d = agenda

    agenda_item_delete(actor=secretary, item=b)
    after_delete = positions(meeting)
    agenda_item_add(
        actor=secretary, meeting=meeting, title=text("E"), kind="discussion", description=text("")
    )

    assert after_delete == [(1, "A"), (2, "C"), (3, "D")]
    assert positions(meeting) == [(1, "A"), (2, "C"), (3, "D"), (4, "E")]


@pytest.mark.django_db
def test_items_of_another_meeting_keep_their_places(council, secretary, meeting, agenda):
    other = AgendaItemFactory(meeting=MeetingFactory(council=council), title=text("Other"))

    agenda_item_delete(actor=secretary, item=agenda[0])

    assert positions(other.meeting) == [(1, "Other")]


@pytest.mark.django_db
def test_the_agenda_of_an_ended_meeting_cannot_change(council, secretary, agenda, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.ENDED)
    meeting.refresh_from_db()
    item = AgendaItem.objects.get(pk=agenda[0].pk)

    with pytest.raises(ValidationError):
        agenda_item_delete(actor=secretary, item=item)
    with pytest.raises(ValidationError):
        agenda_item_add(
            actor=secretary,
            meeting=meeting,
            title=text("Late"),
            kind="discussion",
            description=text(""),
        )

    assert positions(meeting) == [(1, "A"), (2, "B"), (3, "C"), (4, "D")]


@pytest.mark.django_db
def test_a_plain_member_cannot_change_the_agenda(council, meeting, agenda):
    member = seat(council).user

    with pytest.raises(PermissionDenied):
        agenda_item_move(actor=member, item=agenda[1], up=True)
    with pytest.raises(PermissionDenied):
        agenda_item_delete(actor=member, item=agenda[1])

    assert positions(meeting) == [(1, "A"), (2, "B"), (3, "C"), (4, "D")]


# Lists


@pytest.mark.django_db
def test_the_list_splits_coming_and_past_meetings(council):
    now = timezone.now()
    later = MeetingFactory(council=council, starts_at=now + 9 * DAY)
    soon = MeetingFactory(council=council, starts_at=now + 2 * DAY)
    cancelled = MeetingFactory(council=council, starts_at=now + 5 * DAY, status="cancelled")
    ended_early = MeetingFactory(council=council, in_progress=True, status="ended")
    last_month = MeetingFactory(council=council, starts_at=now - 30 * DAY, status="ended")
    MeetingFactory(council=CouncilFactory())

    upcoming, past = meeting_list_for_council(council=council)

    assert list(upcoming) == [soon, cancelled, later]
    assert list(past) == [ended_early, last_month]


# Who may do what


PERMS = (
    "councils.manage_meetings",
    "councils.record_attendance",
    "councils.respond_to_meeting",
    "councils.see_meeting_link",
)


def persona(name: str, council: Council, request):
    """Build the person called `name` in relation to `council`."""
    seats = {
        "chair": Seat.CHAIR,
        "vice_chair": Seat.VICE_CHAIR,
        "secretary": Seat.SECRETARY,
        "member": Seat.MEMBER,
        "association": Seat.ASSOCIATION_REPRESENTATIVE,
        "liaison": Seat.AUTHORITY_LIAISON,
        "observer": Seat.OBSERVER,
    }
    if name in seats:
        return seat(council, seats[name]).user
    if name == "facilitator":
        return facilitator_of(council)
    if name == "facilitator_elsewhere":
        return facilitator_of(CouncilFactory())
    if name == "chair_elsewhere":
        return seat(CouncilFactory(), Seat.CHAIR).user
    if name == "former_chair":
        return ended_seat(council, Seat.CHAIR).user
    if name == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # manage, record attendance, answer, see the link
        ("coordinator", (True, True, False, True)),
        ("facilitator", (True, True, True, True)),
        ("chair", (True, True, True, True)),
        ("vice_chair", (True, False, True, True)),
        ("secretary", (True, True, True, True)),
        ("member", (False, False, True, True)),
        ("association", (False, False, True, True)),
        ("liaison", (False, False, True, True)),
        ("observer", (False, False, True, True)),
        ("former_chair", (False, False, False, False)),
        ("chair_elsewhere", (False, False, False, False)),
        ("facilitator_elsewhere", (False, False, False, False)),
        ("outsider", (False, False, False, False)),
        ("anonymous", (False, False, False, False)),
    ],
)
def test_who_may_do_what_with_meetings(council, request, name, expected):
    user = persona(name, council, request)

    assert tuple(user.has_perm(perm, council) for perm in PERMS) == expected
