"""Meeting pages, calendar files and the API: what each person sees and may send."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from voices.core.models import Notification
from voices.councils.meeting_models import AgendaItem, Attendance, Meeting, MeetingResponse
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
LINK = "https://meet.example.org/graz-spring-7f3k"


def url(name: str, **kwargs) -> str:
    return reverse(f"councils:{name}", kwargs=kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def templates_of(response) -> list[str]:
    return [t.name for t in response.templates]


@pytest.fixture
def council(db):
    return CouncilFactory(slug="graz", name=text("Graz Migrant Council"))


def seat(council: Council, role: str = Seat.MEMBER, **fields) -> Membership:
    return MembershipFactory(council=council, role=role, **fields)


@pytest.fixture
def secretary(council):
    return seat(council, Seat.SECRETARY).user


@pytest.fixture
def member(council):
    return seat(council).user


@pytest.fixture
def meeting(council):
    """A hybrid meeting next week: a place everyone may know, a link only members may."""
    start = datetime.datetime.combine(
        timezone.now().date() + 7 * DAY, datetime.time(17), tzinfo=datetime.UTC
    )
    return MeetingFactory(
        council=council,
        title=text("Spring meeting"),
        format=Meeting.Format.HYBRID,
        place="City hall, room 2",
        online_link=LINK,
        starts_at=start,
    )


@pytest.fixture
def live(council):
    return MeetingFactory(council=council, in_progress=True, title=text("Live meeting"))


def persona(name: str, council: Council, request):
    if name == "facilitator":
        return facilitator_of(council)
    if name == "liaison":
        return seat(council, Seat.AUTHORITY_LIAISON).user
    if name == "former member":
        return seat(council, ended_on=timezone.localdate() - DAY).user
    if name == "member elsewhere":
        return seat(CouncilFactory()).user
    return request.getfixturevalue(name)


# Who may reach the pages that manage a meeting


MANAGE_PAGES = [
    ("meeting_create", "get", {}),
    ("meeting_edit", "get", {}),
    ("agenda", "get", {}),
    ("agenda", "post", {"title_en": "Budget", "kind": "decision"}),
    ("meeting_cancel", "post", {}),
    ("agenda_item", "post", {"action": "delete"}),
    ("meeting_open", "post", {}),
    ("attendance", "get", {}),
]


def manage_url(name: str, meeting: Meeting, item: AgendaItem) -> str:
    if name == "meeting_create":
        return url(name, slug=meeting.council.slug)
    if name == "agenda_item":
        return url(name, meeting_id=meeting.pk, item_id=item.pk)
    return url(name, meeting_id=meeting.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "member", "liaison", "member elsewhere"])
@pytest.mark.parametrize(("name", "method", "data"), MANAGE_PAGES)
def test_people_who_do_not_run_the_council_get_403_and_change_nothing(
    client, request, council, meeting, who, name, method, data
):
    item = AgendaItemFactory(meeting=meeting, title=text("Welcome"))
    client.force_login(persona(who, council, request))

    response = getattr(client, method)(manage_url(name, meeting, item), data)

    assert response.status_code == 403
    assert Meeting.objects.get().status == Meeting.Status.SCHEDULED
    assert list(AgendaItem.objects.values_list("pk", flat=True)) == [item.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "data"), MANAGE_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, meeting, name, method, data):
    item = AgendaItemFactory(meeting=meeting)

    response = getattr(client, method)(manage_url(name, meeting, item), data)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert Meeting.objects.get().status == Meeting.Status.SCHEDULED


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), [("meeting_open", "post"), ("attendance", "get")])
def test_the_vice_chair_may_not_start_the_meeting_nor_take_attendance(
    client, council, meeting, name, method
):
    client.force_login(seat(council, Seat.VICE_CHAIR).user)

    response = getattr(client, method)(url(name, meeting_id=meeting.pk))

    assert response.status_code == 403
    assert Meeting.objects.get().status == Meeting.Status.SCHEDULED


# Planning a meeting


def form_data(**overrides) -> dict:
    day = timezone.now().date() + 7 * DAY
    return {
        "title_en": "Spring meeting",
        "format": Meeting.Format.IN_PERSON,
        "place": "City hall, room 2",
        "online_link": "",
        "starts_at": f"{day:%Y-%m-%d}T18:00",
        "ends_at": f"{day:%Y-%m-%d}T20:00",
        **overrides,
    }


@pytest.mark.django_db
def test_the_coordinator_plans_a_meeting_and_the_members_are_invited(
    client, coordinator, council, member
):
    client.force_login(coordinator)

    response = client.post(url("meeting_create", slug=council.slug), form_data())

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("agenda", meeting_id=meeting.pk)
    assert (meeting.council, str(meeting.title), meeting.created_by) == (
        council,
        "Spring meeting",
        coordinator,
    )
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (member.pk, "meeting_invitation")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": f"{timezone.now().date() + 7 * DAY:%Y-%m-%d}T17:00"}, "ends_at"),
        ({"place": ""}, "place"),
        ({"format": Meeting.Format.ONLINE, "place": ""}, "online_link"),
        ({"starts_at": "2020-03-02T18:00", "ends_at": "2020-03-02T20:00"}, "starts_at"),
    ],
    ids=["end before start", "no place", "online without link", "in the past"],
)
def test_the_meeting_form_shows_errors_next_to_the_field(
    client, secretary, council, overrides, field
):
    client.force_login(secretary)

    response = client.post(url("meeting_create", slug=council.slug), form_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert not Meeting.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_moving_the_meeting_to_another_place_tells_the_members(client, secretary, member, meeting):
    client.force_login(secretary)
    start, end = meeting.starts_at, meeting.ends_at  # the form reads times in UTC, as set
    data = form_data(
        format=Meeting.Format.HYBRID,
        place="Library, first floor",
        online_link=LINK,
        starts_at=f"{start:%Y-%m-%dT%H:%M}",
        ends_at=f"{end:%Y-%m-%dT%H:%M}",
    )

    response = client.post(url("meeting_edit", meeting_id=meeting.pk), data)

    assert response.status_code == 302
    assert Meeting.objects.get().place == "Library, first floor"
    assert set(Notification.objects.values_list("recipient", "kind")) == {
        (member.pk, "meeting_changed"),
        (secretary.pk, "meeting_changed"),
    }


@pytest.mark.django_db
def test_the_secretary_cancels_the_meeting(client, secretary, member, meeting):
    client.force_login(secretary)

    response = client.post(url("meeting_cancel", meeting_id=meeting.pk))

    assert response.status_code == 302
    assert Meeting.objects.get().status == Meeting.Status.CANCELLED
    assert Notification.objects.filter(recipient=member, kind="meeting_cancelled").count() == 1


@pytest.mark.django_db
def test_the_secretary_starts_the_meeting_then_ends_it(client, secretary, meeting):
    client.force_login(secretary)

    started = client.post(url("meeting_open", meeting_id=meeting.pk))
    status_during = Meeting.objects.get().status
    ended = client.post(url("meeting_close", meeting_id=meeting.pk))

    assert started["Location"] == url("attendance", meeting_id=meeting.pk)
    assert status_during == Meeting.Status.IN_PROGRESS
    assert ended["Location"] == meeting.get_absolute_url()
    assert Meeting.objects.get().status == Meeting.Status.ENDED


# The agenda


def titles(meeting: Meeting) -> list[tuple[int, str]]:
    return [(i.position, str(i.title)) for i in AgendaItem.objects.filter(meeting=meeting)]


@pytest.mark.django_db
def test_the_secretary_adds_items_at_the_end_of_the_agenda(client, secretary, meeting):
    AgendaItemFactory(meeting=meeting, title=text("Welcome"))
    client.force_login(secretary)

    response = client.post(
        url("agenda", meeting_id=meeting.pk),
        {"title_en": "Budget", "kind": "decision", "description_en": "Vote on it."},
    )

    assert response.status_code == 302
    assert titles(meeting) == [(1, "Welcome"), (2, "Budget")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("index", "action", "expected"),
    [
        (1, "up", ["B", "A", "C", "D"]),
        (1, "down", ["A", "C", "B", "D"]),
        (0, "up", ["A", "B", "C", "D"]),
        (3, "down", ["A", "B", "C", "D"]),
        (1, "delete", ["A", "C", "D"]),
        (0, "delete", ["B", "C", "D"]),
    ],
)
def test_moving_and_removing_items_keeps_the_agenda_numbered_from_one(
    client, secretary, meeting, index, action, expected
):
    items = [AgendaItemFactory(meeting=meeting, title=text(t)) for t in "ABCD"]
    client.force_login(secretary)

    response = client.post(
        url("agenda_item", meeting_id=meeting.pk, item_id=items[index].pk), {"action": action}
    )

    assert response.status_code == 302
    assert titles(meeting) == list(enumerate(expected, start=1))


@pytest.mark.django_db
def test_an_item_cannot_be_reached_through_another_meeting(client, secretary, council, meeting):
    elsewhere = AgendaItemFactory(meeting=MeetingFactory(council=council))
    client.force_login(secretary)

    response = client.post(
        url("agenda_item", meeting_id=meeting.pk, item_id=elsewhere.pk), {"action": "delete"}
    )

    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=elsewhere.pk).exists()


# Answers


@pytest.mark.django_db
def test_a_member_answers_and_changes_their_mind(client, member, meeting):
    client.force_login(member)

    client.post(url("meeting_respond", meeting_id=meeting.pk), {"answer": "attending"})
    response = client.post(url("meeting_respond", meeting_id=meeting.pk), {"answer": "excused"})

    assert response["Location"] == meeting.get_absolute_url()
    answer = MeetingResponse.objects.get()
    assert (answer.membership.user, answer.answer) == (member, "excused")


@pytest.mark.django_db
def test_answers_sent_after_the_start_are_refused_with_a_message(client, member, live):
    client.force_login(member)

    response = client.post(url("meeting_respond", meeting_id=live.pk), {"answer": "attending"})

    assert response.status_code == 302
    assert not MeetingResponse.objects.exists()
    assert any("Answers are closed" in m for m in messages_of(response))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "former member", "member elsewhere"])
def test_people_without_a_seat_cannot_answer(client, request, council, meeting, who):
    client.force_login(persona(who, council, request))

    response = client.post(url("meeting_respond", meeting_id=meeting.pk), {"answer": "attending"})

    assert response.status_code == 403
    assert not MeetingResponse.objects.exists()


# Attendance


@pytest.fixture
def voters(council):
    """Two voting members besides the secretary: three in all, two needed at a share of 0.50."""
    return [seat(council, user__display_name=name) for name in ("Adil", "Bea")]


def present_ids(meeting: Meeting) -> set[int]:
    rows = Attendance.objects.filter(meeting=meeting, is_present=True)
    return set(rows.values_list("membership_id", flat=True))


@pytest.mark.django_db
def test_saving_the_sheet_marks_the_ticked_members_and_unmarks_the_others(
    client, secretary, live, voters
):
    adil, bea = voters
    client.force_login(secretary)
    sheet = url("attendance", meeting_id=live.pk)

    first = client.post(sheet, {"present": [adil.pk, bea.pk]})
    after_first = present_ids(live)
    client.post(sheet, {"present": [adil.pk]})

    assert first["Location"] == sheet
    assert after_first == {adil.pk, bea.pk}
    assert present_ids(live) == {adil.pk}
    assert Attendance.objects.filter(membership=bea).count() == 1


@pytest.mark.django_db
def test_htmx_gets_back_only_the_quorum(client, secretary, live, voters):
    adil, bea = voters
    client.force_login(secretary)

    response = client.post(
        url("attendance", meeting_id=live.pk),
        {"present": [adil.pk, bea.pk]},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert templates_of(response) == ["councils/_quorum.html"]
    # Only the box: the live region around it stays in the page, so screen readers announce it.
    assert content.lstrip().startswith('<div class="quorum')
    assert "aria-live" not in content
    assert "Quorum reached" in content
    assert "2 of 3 voting members present; 2 needed." in content
    assert present_ids(live) == {adil.pk, bea.pk}


@pytest.mark.django_db
def test_htmx_shows_when_the_quorum_is_lost(client, secretary, live, voters):
    adil, bea = voters
    client.force_login(secretary)
    client.post(url("attendance", meeting_id=live.pk), {"present": [adil.pk, bea.pk]})

    response = client.post(
        url("attendance", meeting_id=live.pk),
        {"present": [adil.pk]},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert "No quorum" in content
    assert "1 of 3 voting members present; 2 needed." in content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["liaison", "outsider", "member"])
def test_people_who_do_not_keep_the_record_cannot_save_attendance(
    client, request, council, live, voters, who
):
    client.force_login(persona(who, council, request))

    response = client.post(
        url("attendance", meeting_id=live.pk),
        {"present": [m.pk for m in voters]},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 403
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_attendance_sent_before_the_meeting_starts_is_refused(client, secretary, meeting, voters):
    client.force_login(secretary)

    response = client.post(url("attendance", meeting_id=meeting.pk), {"present": [voters[0].pk]})

    assert response.status_code == 302
    assert not Attendance.objects.exists()
    assert any("only while the meeting is in progress" in m for m in messages_of(response))


@pytest.mark.django_db
def test_the_sheet_lists_current_members_and_the_quorum(client, council, secretary, live, voters):
    gone_on = timezone.localtime(live.starts_at).date() - DAY  # before the meeting day
    seat(council, ended_on=gone_on, user__display_name="Gone Member")
    client.force_login(secretary)

    response = client.get(url("attendance", meeting_id=live.pk))

    content = response.content.decode()
    assert [row[0] for row in response.context["sheet"]][1:] == voters
    assert "Gone Member" not in content
    assert "0 of 3 voting members present; 2 needed." in content


# The meeting page and the online link


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "sees_link"),
    [
        ("member", True),
        ("liaison", True),
        ("facilitator", True),
        ("coordinator", True),
        ("outsider", False),
        ("former member", False),
        ("member elsewhere", False),
        (None, False),
    ],
)
def test_only_members_facilitators_and_staff_see_the_online_link(
    client, request, council, meeting, who, sees_link
):
    if who:
        client.force_login(persona(who, council, request))

    response = client.get(meeting.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "City hall, room 2" in content
    assert (LINK in content) is sees_link


@pytest.mark.django_db
def test_the_meeting_page_offers_members_the_answer_form(client, member, meeting):
    client.force_login(member)

    response = client.get(meeting.get_absolute_url())

    assert url("meeting_respond", meeting_id=meeting.pk) in response.content.decode()


@pytest.mark.django_db
def test_the_meeting_page_shows_the_agenda_in_order(client, meeting):
    AgendaItemFactory(meeting=meeting, title=text("Welcome"))
    AgendaItemFactory(meeting=meeting, title=text("Budget"))

    response = client.get(meeting.get_absolute_url())

    content = response.content.decode()
    assert content.index("Welcome") < content.index("Budget")


# Calendar files and the API never carry the online link


@pytest.mark.django_db
def test_the_meeting_calendar_file_parses_and_starts_on_time(client, meeting):
    response = client.get(url("meeting_ical", meeting_id=meeting.pk))

    assert response["Content-Type"].startswith("text/calendar")
    assert LINK.encode() not in response.content
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") == meeting.ends_at
    assert str(event["location"]) == "City hall, room 2"
    assert "Spring meeting" in str(event["summary"])


@pytest.mark.django_db
def test_the_council_calendar_holds_its_meetings_only(client, council, meeting):
    cancelled = MeetingFactory(
        council=council,
        status=Meeting.Status.CANCELLED,
        online_link=LINK,
        starts_at=meeting.starts_at + DAY,  # whole seconds: iCalendar has no fractions
    )
    MeetingFactory(council=CouncilFactory(), title=text("Elsewhere"))

    response = client.get(url("council_ical", slug=council.slug))

    assert LINK.encode() not in response.content
    events = Calendar.from_ical(response.content).walk("VEVENT")
    statuses = {event.decoded("dtstart"): str(event["status"]) for event in events}
    assert statuses == {meeting.starts_at: "CONFIRMED", cancelled.starts_at: "CANCELLED"}


@pytest.mark.django_db
def test_the_api_lists_meetings_without_the_online_link(client, council, meeting):
    MeetingFactory(council=CouncilFactory())

    response = client.get(f"/api/v1/councils/{council.slug}/meetings")

    body = response.json()
    assert response.status_code == 200
    assert [item["id"] for item in body["items"]] == [meeting.pk]
    assert "online_link" not in body["items"][0]
    assert LINK not in response.content.decode()


@pytest.mark.django_db
def test_the_api_shows_a_meeting_with_its_agenda_but_not_the_link(client, meeting):
    AgendaItemFactory(meeting=meeting, title=text("Welcome"))
    AgendaItemFactory(meeting=meeting, title=text("Budget"))

    response = client.get(f"/api/v1/meetings/{meeting.pk}")

    body = response.json()
    assert response.status_code == 200
    assert [(i["position"], i["title"]) for i in body["agenda"]] == [(1, "Welcome"), (2, "Budget")]
    assert body["place"] == "City hall, room 2"
    assert LINK not in response.content.decode()


# Constant query counts


def grow_meeting(meeting: Meeting, *, items: int, members: int) -> None:
    for _ in range(items):
        AgendaItemFactory(meeting=meeting, description=text("Some **notes**."))
    for _ in range(members):
        membership = seat(meeting.council)
        MeetingResponse.objects.create(meeting=meeting, membership=membership, answer="attending")
        Attendance.objects.create(meeting=meeting, membership=membership, is_present=True)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "secretary", "coordinator", None])
def test_the_meeting_page_needs_the_same_queries_for_any_agenda_and_council_size(
    client, request, live, who, django_assert_num_queries
):
    if who:
        client.force_login(request.getfixturevalue(who))
    grow_meeting(live, items=1, members=2)
    page = live.get_absolute_url()
    client.get(page)  # warm per-process caches

    with CaptureQueriesContext(connection) as few:
        client.get(page)
    grow_meeting(live, items=9, members=12)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(page)

    assert response.context["quorum"].present == 14
    assert len(response.context["agenda"]) == 10


def add_meetings(council: Council, count: int) -> None:
    now = timezone.now()
    for number in range(count):
        MeetingFactory(council=council, starts_at=now + (number + 1) * DAY)
        past = MeetingFactory(council=council, starts_at=now - (number + 1) * DAY, status="ended")
        AgendaItemFactory(meeting=past)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "coordinator", None])
def test_the_meeting_list_needs_the_same_queries_for_2_or_16_meetings(
    client, request, council, who, django_assert_num_queries
):
    if who:
        client.force_login(request.getfixturevalue(who))
    add_meetings(council, 1)
    page = url("meetings", slug=council.slug)
    client.get(page)

    with CaptureQueriesContext(connection) as few:
        client.get(page)
    add_meetings(council, 7)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(page)

    assert len(response.context["upcoming"]) == 8
    assert len(response.context["page"].object_list) == 8


@pytest.mark.django_db
def test_htmx_shows_a_refusal_inside_the_quorum_box(client, secretary, council):
    planned = MeetingFactory(council=council)  # not started: attendance is refused
    voter = MembershipFactory(council=council)
    client.force_login(secretary)

    response = client.post(
        url("attendance", meeting_id=planned.pk),
        {"present": [voter.pk]},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "only while the meeting is in progress" in response.content.decode()
    assert not Attendance.objects.filter(meeting=planned).exists()
