"""Deadlines: counted in the council's time zone, reminded once each, escalated once when late."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.core.models import Notification
from voices.councils.models import Membership
from voices.councils.tests.factories import CouncilFactory, MembershipFactory, facilitator_of
from voices.directory.tests.factories import OrganisationFactory, text
from voices.recommendations import deadlines, selectors, services
from voices.recommendations.models import Addressee, Event, Outcome, Reminder, State
from voices.recommendations.tests.factories import (
    RecommendationFactory,
    domain,
    recommendation_sent,
    sent_at,
)

UTC = datetime.UTC
TICK = datetime.timedelta(microseconds=1)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def local(moment: datetime.datetime, zone: str) -> datetime.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(zone))


# Deadline arithmetic


@pytest.mark.parametrize(
    ("sent", "days", "zone", "due_on", "due_at"),
    [
        # Sent in winter time, due in summer time: the deadline is the end of the local day.
        (utc(2026, 3, 1, 10), 60, "Europe/Vienna", (2026, 4, 30), utc(2026, 4, 30, 22)),
        # 23:30 UTC is already 2 March in Athens: the days are counted from there.
        (utc(2026, 3, 1, 23, 30), 60, "Europe/Athens", (2026, 5, 1), utc(2026, 5, 1, 21)),
        # The same moment in Vienna is still 2 March only from 23:00 UTC on.
        (utc(2026, 3, 1, 22, 59), 60, "Europe/Vienna", (2026, 4, 30), utc(2026, 4, 30, 22)),
        (utc(2026, 3, 1, 23, 0), 60, "Europe/Vienna", (2026, 5, 1), utc(2026, 5, 1, 22)),
        # Sent in summer time, due after the October change: midnight is an hour later in UTC.
        (utc(2026, 9, 1, 10), 60, "Europe/Vienna", (2026, 10, 31), utc(2026, 10, 31, 23)),
        # The last day is the day of the change itself, 25 hours long.
        (utc(2026, 8, 26, 10), 60, "Europe/Vienna", (2026, 10, 25), utc(2026, 10, 25, 23)),
        (utc(2026, 8, 25, 10), 60, "Europe/Vienna", (2026, 10, 24), utc(2026, 10, 24, 22)),
        # 03:00 UTC is still the evening of 28 February in New York; due in daylight time.
        (utc(2026, 3, 1, 3), 60, "America/New_York", (2026, 4, 29), utc(2026, 4, 30, 4)),
        (utc(2026, 1, 10, 12), 30, "America/New_York", (2026, 2, 9), utc(2026, 2, 10, 5)),
        # An unknown zone falls back to the site's zone (UTC) rather than failing.
        (utc(2026, 3, 1, 23, 30), 7, "Mars/Olympus_Mons", (2026, 3, 8), utc(2026, 3, 9)),
    ],
)
def test_the_deadline_is_the_end_of_a_local_day_in_the_councils_time_zone(
    sent, days, zone, due_on, due_at
):
    day = deadlines.due_date(sent_at=sent, days=days, zone=zone)

    assert day == datetime.date(*due_on)
    assert deadlines.end_of_day(day, zone) == due_at


@pytest.mark.parametrize(
    ("due_on", "days_before", "zone", "expected"),
    [
        ((2026, 4, 30), 14, "Europe/Vienna", utc(2026, 4, 16, 7)),  # CEST
        ((2026, 4, 30), 3, "Europe/Vienna", utc(2026, 4, 27, 7)),
        ((2026, 3, 20), 14, "Europe/Vienna", utc(2026, 3, 6, 8)),  # CET
        # Due after the March change, the early reminder still in winter time.
        ((2026, 4, 5), 14, "Europe/Vienna", utc(2026, 3, 22, 8)),
        ((2026, 4, 5), 3, "Europe/Vienna", utc(2026, 4, 2, 7)),
        ((2026, 4, 29), 3, "America/New_York", utc(2026, 4, 26, 13)),  # EDT
        ((2026, 12, 10), 3, "Europe/Athens", utc(2026, 12, 7, 7)),  # EET
    ],
)
def test_a_reminder_goes_out_at_nine_in_the_morning_of_the_councils_day(
    due_on, days_before, zone, expected
):
    at = deadlines.reminder_at(due_on=datetime.date(*due_on), days_before=days_before, zone=zone)

    assert at == expected
    assert local(at, zone).time() == datetime.time(9, 0)


# Sending sets the deadline


@pytest.fixture
def council(db):
    return CouncilFactory(slug="graz", time_zone="Europe/Vienna", response_days=60)


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Europe/Vienna", "America/New_York", "Pacific/Kiritimati"])
def test_sending_counts_the_councils_days_from_the_local_day_it_is_sent(
    coordinator, authority, zone
):
    council = CouncilFactory(time_zone=zone, response_days=45)
    before = timezone.now()

    recommendation = recommendation_sent(actor=coordinator, council=council, addressees=[authority])

    after = timezone.now()
    possible = {
        deadlines.local_date(moment, zone) + datetime.timedelta(days=45)
        for moment in (before, after)
    }
    assert recommendation.due_on in possible
    midnight = local(recommendation.due_at, zone)
    assert midnight.time() == datetime.time(0, 0)
    assert midnight.date() == recommendation.due_on + datetime.timedelta(days=1)


@pytest.mark.django_db
def test_a_chosen_answer_date_replaces_the_councils_rule(coordinator, council, authority):
    today = deadlines.local_date(timezone.now(), council.time_zone)
    chosen = today + datetime.timedelta(days=10)
    recommendation = RecommendationFactory(
        council=council, addressees=[authority], due_on_override=chosen
    )
    services.recommendation_adopt(actor=coordinator, recommendation=recommendation)

    recommendation = services.recommendation_send(actor=coordinator, recommendation=recommendation)

    assert recommendation.due_on == chosen
    assert recommendation.due_at == deadlines.end_of_day(chosen, "Europe/Vienna")


@pytest.mark.django_db
@pytest.mark.parametrize("days_from_today", [0, -1, -30])
def test_a_chosen_answer_date_must_be_after_the_councils_today(
    coordinator, council, authority, days_from_today
):
    today = deadlines.local_date(timezone.now(), council.time_zone)

    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_create(
            actor=coordinator, council=council, title=text("T"), text=text("X"),
            addressees=[authority], domain=domain(),
            due_on_override=today + datetime.timedelta(days=days_from_today),
        )  # fmt: skip

    assert "due_on_override" in excinfo.value.message_dict


@pytest.mark.django_db
def test_a_chosen_answer_date_cannot_be_moved_into_the_past(coordinator, council, authority):
    recommendation = RecommendationFactory(council=council, addressees=[authority])
    today = deadlines.local_date(timezone.now(), council.time_zone)

    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_update(
            actor=coordinator, recommendation=recommendation, due_on_override=today
        )

    assert "due_on_override" in excinfo.value.message_dict
    recommendation.refresh_from_db()
    assert recommendation.due_on_override is None


@pytest.mark.django_db
def test_a_chosen_answer_date_that_passed_before_sending_stops_the_sending(
    coordinator, council, authority
):
    today = deadlines.local_date(timezone.now(), council.time_zone)
    recommendation = RecommendationFactory(
        council=council, addressees=[authority], due_on_override=today + datetime.timedelta(days=5)
    )
    services.recommendation_adopt(actor=coordinator, recommendation=recommendation)
    # The council took its time: the date it chose is today now.
    type(recommendation).objects.filter(pk=recommendation.pk).update(due_on_override=today)

    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_send(actor=coordinator, recommendation=recommendation)

    assert "due_on_override" in excinfo.value.message_dict
    recommendation.refresh_from_db()
    assert (recommendation.state, recommendation.sent_at) == (State.ADOPTED, None)
    assert not Addressee.objects.filter(state=State.SENT).exists()


# Reminders and escalation

SENT = utc(2026, 3, 1, 10)  # in Vienna with 60 days: due by the end of 30 April (CEST)
DUE_AT = utc(2026, 4, 30, 22)
BEFORE_14 = utc(2026, 4, 16, 7)  # 09:00 in Vienna
BEFORE_3 = utc(2026, 4, 27, 7)


@pytest.fixture
def recommendation(coordinator, council, authority, officer):
    recommendation = recommendation_sent(actor=coordinator, council=council, addressees=[authority])
    return sent_at(recommendation, SENT)


@pytest.fixture
def track(recommendation):
    return recommendation.addressees.get()


def kinds(track) -> list[str]:
    return sorted(track.reminders.values_list("kind", flat=True))


def told(user, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.mark.django_db
def test_the_fixture_deadline_is_the_one_these_tests_count_with(recommendation):
    assert (recommendation.due_on, recommendation.due_at) == (datetime.date(2026, 4, 30), DUE_AT)
    assert recommendation.events.get(addressee=None, to_state=State.SENT).at == SENT


@pytest.mark.django_db
def test_no_reminder_before_its_moment(track):
    assert services.deadlines_check(now=SENT + datetime.timedelta(days=1)) == 0
    assert services.deadlines_check(now=BEFORE_14 - TICK) == 0

    assert kinds(track) == []


@pytest.mark.django_db
def test_the_reminders_fourteen_and_three_days_before_go_out_once_each(track, officer):
    assert services.deadlines_check(now=BEFORE_14) == 1
    assert services.deadlines_check(now=BEFORE_14) == 0  # run again at once
    assert services.deadlines_check(now=BEFORE_14 + datetime.timedelta(days=5)) == 0
    assert kinds(track) == ["before-14"]

    assert services.deadlines_check(now=BEFORE_3 - TICK) == 0
    assert services.deadlines_check(now=BEFORE_3) == 1
    assert services.deadlines_check(now=BEFORE_3 + datetime.timedelta(hours=1)) == 0
    assert services.deadlines_check(now=DUE_AT - TICK) == 0

    assert kinds(track) == ["before-14", "before-3"]
    assert told(officer, "recommendation_reminder") == 2
    reminders = track.events.filter(kind=Event.Kind.REMINDER).order_by("at")
    assert [e.at for e in reminders] == [BEFORE_14, BEFORE_3]
    assert all(
        (e.from_state, e.to_state, e.actor) == (State.SENT, State.SENT, None) for e in reminders
    )


@pytest.mark.django_db
def test_a_run_that_raced_another_sends_nothing_more(monkeypatch, track, officer):
    assert services.deadlines_check(now=BEFORE_14) == 1
    # A second run that looked before the first one committed still thinks it is due; the
    # unique reminder row is what stops it.
    monkeypatch.setattr(services, "_reminder_due", lambda addressee, *, now: "before-14")

    assert services.deadlines_check(now=BEFORE_14) == 0

    assert kinds(track) == ["before-14"]
    assert told(officer, "recommendation_reminder") == 1
    assert track.events.filter(kind=Event.Kind.REMINDER).count() == 1


@pytest.mark.django_db
def test_after_a_pause_only_the_latest_reminder_goes_out(track, officer):
    two_days_before = utc(2026, 4, 28, 10)

    assert services.deadlines_check(now=two_days_before) == 1
    assert services.deadlines_check(now=two_days_before + datetime.timedelta(hours=1)) == 0
    assert services.deadlines_check(now=DUE_AT - TICK) == 0

    # The earlier reminder would only repeat the later one: it is never sent afterwards.
    assert kinds(track) == ["before-3"]
    assert told(officer, "recommendation_reminder") == 1


@pytest.mark.django_db
def test_an_acknowledged_track_is_still_reminded(track, officer):
    services.addressee_acknowledge(actor=officer, addressee=track)

    assert services.deadlines_check(now=BEFORE_14) == 1


@pytest.mark.django_db
def test_no_reminder_whose_moment_came_before_the_sending(coordinator, authority, officer):
    council = CouncilFactory(time_zone="Europe/Vienna", response_days=7)
    recommendation = recommendation_sent(actor=coordinator, council=council, addressees=[authority])
    # Sent on 1 March at 11:00 in Vienna: due by the end of 8 March; "14 days before" was in
    # February and "3 days before" is 5 March at 09:00 (08:00 UTC).
    recommendation = sent_at(recommendation, SENT)
    track = recommendation.addressees.get()

    assert services.deadlines_check(now=SENT + datetime.timedelta(minutes=1)) == 0
    assert services.deadlines_check(now=utc(2026, 3, 5, 8) - TICK) == 0
    assert services.deadlines_check(now=utc(2026, 3, 5, 8)) == 1

    assert kinds(track) == ["before-3"]


@pytest.mark.django_db
def test_a_reminder_of_the_morning_is_not_sent_for_a_recommendation_sent_that_afternoon(
    coordinator, authority
):
    council = CouncilFactory(time_zone="Europe/Vienna", response_days=7)
    recommendation = recommendation_sent(actor=coordinator, council=council, addressees=[authority])
    # Sent at 14:00 in Vienna, due three days later: "3 days before" was at 09:00 that day.
    sent = utc(2026, 3, 5, 13)
    due_on = datetime.date(2026, 3, 8)
    type(recommendation).objects.filter(pk=recommendation.pk).update(
        sent_at=sent, due_on=due_on, due_at=deadlines.end_of_day(due_on, "Europe/Vienna")
    )
    track = recommendation.addressees.get()

    assert services.deadlines_check(now=sent + datetime.timedelta(hours=1)) == 0
    assert services.deadlines_check(now=utc(2026, 3, 8, 20)) == 0

    assert kinds(track) == []


@pytest.mark.django_db
def test_an_unanswered_track_becomes_overdue_and_is_escalated_once(
    council, track, officer, recommendation
):
    chair = MembershipFactory(council=council, role=Membership.Role.CHAIR).user
    facilitator = facilitator_of(council)
    member = MembershipFactory(council=council).user
    services.deadlines_check(now=BEFORE_3)

    assert services.deadlines_check(now=DUE_AT - TICK) == 0
    assert services.deadlines_check(now=DUE_AT) == 1
    assert services.deadlines_check(now=DUE_AT) == 0
    assert services.deadlines_check(now=DUE_AT + datetime.timedelta(days=30)) == 0

    assert kinds(track) == ["before-3", "overdue"]
    assert told(officer, "recommendation_overdue") == 1
    for leader in (chair, facilitator):
        assert told(leader, "recommendation_escalated") == 1
    assert told(member, "recommendation_escalated") == 0
    assert told(officer, "recommendation_escalated") == 0
    overdue = track.events.get(kind=Event.Kind.OVERDUE)
    assert (overdue.at, overdue.from_state, overdue.to_state) == (DUE_AT, State.SENT, State.SENT)


@pytest.mark.django_db
def test_after_a_long_pause_only_the_overdue_notice_goes_out(track, officer):
    assert services.deadlines_check(now=DUE_AT + datetime.timedelta(days=2)) == 1

    assert kinds(track) == ["overdue"]
    assert told(officer, "recommendation_reminder") == 0


@pytest.mark.django_db
def test_every_authority_asked_is_reminded_on_its_own_track(
    coordinator, council, authority, officer
):
    second = OrganisationFactory()
    second_officer = UserFactory()
    grant(second_officer, Role.OFFICER, second)
    recommendation = recommendation_sent(
        actor=coordinator, council=council, addressees=[authority, second]
    )
    sent_at(recommendation, SENT)
    services.addressee_acknowledge(
        actor=second_officer, addressee=recommendation.addressees.get(organisation=second)
    )

    assert services.deadlines_check(now=BEFORE_14) == 2

    assert told(officer, "recommendation_reminder") == 1
    assert told(second_officer, "recommendation_reminder") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", [Outcome.ACCEPTED, Outcome.REJECTED])
def test_an_answered_track_gets_no_reminder_and_never_becomes_overdue(track, officer, outcome):
    services.response_save_draft(
        actor=officer, addressee=track, outcome=outcome, reasons="Our answer.", language="en"
    )
    services.response_publish(actor=officer, addressee=track)

    for moment in (BEFORE_14, BEFORE_3, DUE_AT, DUE_AT + datetime.timedelta(days=3)):
        assert services.deadlines_check(now=moment) == 0

    assert kinds(track) == []
    assert not Notification.objects.filter(kind__startswith="recommendation_overdue").exists()


@pytest.mark.django_db
def test_a_withdrawn_recommendation_gets_no_reminder_and_never_becomes_overdue(
    coordinator, recommendation, track
):
    services.recommendation_withdraw(
        actor=coordinator, recommendation=recommendation, reason="Done already."
    )

    for moment in (BEFORE_14, BEFORE_3, DUE_AT, DUE_AT + datetime.timedelta(days=3)):
        assert services.deadlines_check(now=moment) == 0

    assert kinds(track) == []
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_a_draft_or_adopted_recommendation_has_no_deadline_to_check(coordinator, council):
    RecommendationFactory(council=council)
    services.recommendation_adopt(actor=coordinator, recommendation=RecommendationFactory())

    assert services.deadlines_check(now=utc(2030, 1, 1)) == 0


# Overdue, seen from outside


@pytest.mark.django_db
def test_a_track_is_overdue_from_the_exact_moment_of_its_deadline(recommendation, track):
    track = Addressee.objects.select_related("recommendation").get(pk=track.pk)

    assert not track.is_overdue(at=DUE_AT - TICK)
    assert track.is_overdue(at=DUE_AT)
    assert track.is_overdue(at=DUE_AT + datetime.timedelta(days=400))


@pytest.mark.django_db
def test_the_overdue_filter_of_the_tracker_agrees_with_the_track(recommendation):
    assert list(selectors.recommendation_list(overdue=True, now=DUE_AT - TICK)) == []
    assert list(selectors.recommendation_list(overdue=True, now=DUE_AT)) == [recommendation]


@pytest.mark.django_db
def test_an_answered_or_withdrawn_track_is_never_overdue(
    coordinator, council, authority, officer, recommendation, track
):
    services.response_save_draft(
        actor=officer, addressee=track, outcome=Outcome.ACCEPTED, reasons="Yes.", language="en"
    )
    services.response_publish(actor=officer, addressee=track)
    withdrawn = sent_at(
        recommendation_sent(actor=coordinator, council=council, addressees=[authority]), SENT
    )
    services.recommendation_withdraw(actor=coordinator, recommendation=withdrawn, reason="No.")

    for addressee in Addressee.objects.select_related("recommendation"):
        assert not addressee.is_overdue(at=DUE_AT + datetime.timedelta(days=1))
    assert list(selectors.recommendation_list(overdue=True, now=DUE_AT)) == []
