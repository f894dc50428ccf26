"""Office hours: mentors publish slots, teams book them (two at a time at most), either side
cancels, and the other side is told."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.core.models import Notification
from voices.inquirylab import mentor_services
from voices.inquirylab.models import OfficeHour, Registration, Stage
from voices.inquirylab.tests.factories import RegistrationFactory, move_to
from voices.inquirylab.tests.factories_mentors import (
    HOUR,
    OfficeHourFactory,
    booked,
    mentor_for,
    team_of,
    users_of,
    work_challenge,
)


@pytest.fixture
def challenge(db):
    return work_challenge()


@pytest.fixture
def mentor(challenge):
    return mentor_for(challenge)


@pytest.fixture
def slot(mentor):
    return OfficeHourFactory(mentor=mentor)


@pytest.fixture
def team(challenge):
    return team_of(challenge, size=3)


def _slots(mentor, count: int) -> list[OfficeHour]:
    return [
        OfficeHourFactory(mentor=mentor, starts_at=timezone.now() + (24 + n) * HOUR)
        for n in range(count)
    ]


# Publishing


@pytest.mark.django_db
def test_a_mentor_publishes_a_slot(challenge, mentor):
    starts = timezone.now() + 48 * HOUR

    slot = mentor_services.office_hour_create(
        actor=mentor.user, challenge=challenge, starts_at=starts, minutes=45, where=" Room 3 "
    )

    assert slot.mentor == mentor and slot.team is None
    assert (slot.starts_at, slot.minutes, slot.where) == (starts, 45, "Room 3")


@pytest.mark.django_db
def test_a_slot_in_the_past_is_refused(challenge, mentor):
    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_create(
            actor=mentor.user, challenge=challenge, starts_at=timezone.now() - HOUR, minutes=30
        )

    assert refused.value.code == "past"


@pytest.mark.django_db
def test_a_slot_ending_after_the_deadline_is_refused(challenge, mentor):
    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_create(
            actor=mentor.user, challenge=challenge,
            starts_at=challenge.deadline_at - datetime.timedelta(minutes=20), minutes=30,
        )  # fmt: skip

    assert refused.value.code == "after_deadline"


@pytest.mark.django_db
def test_a_slot_overlapping_another_of_the_same_mentor_is_refused(challenge, mentor, slot):
    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_create(
            actor=mentor.user, challenge=challenge,
            starts_at=slot.starts_at + datetime.timedelta(minutes=29), minutes=30,
        )  # fmt: skip

    assert refused.value.code == "overlap"
    right_after = mentor_services.office_hour_create(
        actor=mentor.user, challenge=challenge,
        starts_at=slot.starts_at + datetime.timedelta(minutes=30), minutes=30,
    )  # fmt: skip
    assert right_after.pk


@pytest.mark.django_db
def test_only_active_mentors_publish_slots(challenge, mentor, organiser):
    mentor.is_active = False
    mentor.save()

    for actor in (mentor.user, organiser, UserFactory()):
        with pytest.raises(PermissionDenied):
            mentor_services.office_hour_create(
                actor=actor, challenge=challenge, starts_at=timezone.now() + HOUR, minutes=30
            )


@pytest.mark.django_db
def test_no_slot_is_published_after_the_deadline(challenge, mentor):
    move_to(challenge, Stage.JUDGING)

    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_create(
            actor=mentor.user, challenge=challenge, starts_at=timezone.now() + HOUR, minutes=30
        )

    assert refused.value.code == "stage"


# Booking


@pytest.mark.django_db
def test_a_confirmed_participant_books_a_slot_for_the_team_and_the_mentor_is_told(slot, team):
    member = users_of(team)[1]

    result = mentor_services.office_hour_book(actor=member, slot=slot, topic="  Our evidence  ")

    assert result.team == team and result.booked_by == member and result.booked_at
    assert result.topic == "Our evidence"
    notice = Notification.objects.get(recipient=slot.mentor.user)
    assert notice.kind == "lab_office_hour_booked"
    assert team.name in notice.subject
    assert "Our evidence" in notice.body


@pytest.mark.django_db
def test_a_booking_needs_a_topic(slot, team):
    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_book(actor=team.lead, slot=slot, topic="   ")

    assert refused.value.code == "empty"


@pytest.mark.django_db
def test_a_slot_booked_by_another_team_is_taken(challenge, slot, team):
    booked(slot, team_of(challenge))

    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_book(actor=team.lead, slot=slot, topic="Evidence")

    assert refused.value.code == "taken"


@pytest.mark.django_db
def test_a_slot_that_has_started_is_not_bookable(mentor, team):
    past = OfficeHourFactory(
        mentor=mentor, starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_book(actor=team.lead, slot=past, topic="Evidence")

    assert refused.value.code == "past"
    past.refresh_from_db()
    assert past.team is None


@pytest.mark.django_db
def test_a_team_holds_at_most_two_future_bookings(mentor, team):
    first, second, third = _slots(mentor, 3)
    mentor_services.office_hour_book(actor=team.lead, slot=first, topic="A")
    mentor_services.office_hour_book(actor=users_of(team)[1], slot=second, topic="B")

    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_book(actor=users_of(team)[2], slot=third, topic="C")

    assert refused.value.code == "booking_limit"
    assert "2 office hours" in refused.value.messages[0]
    mentor_services.office_hour_booking_cancel(actor=team.lead, slot=first)
    mentor_services.office_hour_book(actor=users_of(team)[2], slot=third, topic="C")


@pytest.mark.django_db
def test_a_past_booking_no_longer_counts_towards_the_limit(mentor, team):
    booked(OfficeHourFactory(mentor=mentor, starts_at=timezone.now() - 2 * HOUR), team)
    booked(OfficeHourFactory(mentor=mentor, starts_at=timezone.now() + 50 * HOUR), team)
    slot = OfficeHourFactory(mentor=mentor)

    assert mentor_services.office_hour_book(actor=team.lead, slot=slot, topic="A").team == team


@pytest.mark.django_db
def test_only_confirmed_participants_in_a_team_book(challenge, slot, team):
    alone = RegistrationFactory(challenge=challenge).user
    pending = users_of(team)[1]
    Registration.objects.filter(user=pending).update(status=Registration.Status.PENDING)

    for actor in (alone, pending, slot.mentor.user, UserFactory()):
        with pytest.raises(PermissionDenied):
            mentor_services.office_hour_book(actor=actor, slot=slot, topic="Evidence")


@pytest.mark.django_db
def test_a_paused_mentors_slot_is_not_bookable(slot, team):
    slot.mentor.is_active = False
    slot.mentor.save()

    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_book(actor=team.lead, slot=slot, topic="Evidence")

    assert refused.value.code == "inactive"


@pytest.mark.django_db
def test_no_booking_after_the_deadline(challenge, slot, team):
    move_to(challenge, Stage.JUDGING)

    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_book(actor=team.lead, slot=slot, topic="Evidence")

    assert refused.value.code == "stage"
    assert "submission deadline" in refused.value.messages[0]


# Cancelling


@pytest.mark.django_db
def test_a_team_member_cancels_the_booking_and_the_mentor_is_told(slot, team):
    booked(slot, team)

    mentor_services.office_hour_booking_cancel(actor=users_of(team)[2], slot=slot)

    slot.refresh_from_db()
    assert slot.team is None and slot.booked_by is None and slot.topic == ""
    assert Notification.objects.filter(
        recipient=slot.mentor.user, kind="lab_office_hour_freed"
    ).exists()


@pytest.mark.django_db
def test_nobody_outside_the_team_cancels_its_booking(challenge, slot, team):
    booked(slot, team)

    for actor in (team_of(challenge).lead, slot.mentor.user, UserFactory()):
        with pytest.raises(PermissionDenied):
            mentor_services.office_hour_booking_cancel(actor=actor, slot=slot)


@pytest.mark.django_db
def test_a_booking_is_not_cancelled_once_the_slot_has_started(mentor, team):
    slot = booked(OfficeHourFactory(mentor=mentor, starts_at=timezone.now() - HOUR / 6), team)

    with pytest.raises(ValidationError) as refused:
        mentor_services.office_hour_booking_cancel(actor=team.lead, slot=slot)

    assert refused.value.code == "started"


@pytest.mark.django_db
def test_a_mentor_removes_a_free_slot_without_telling_anyone(slot):
    mentor_services.office_hour_delete(actor=slot.mentor.user, slot=slot)

    assert not OfficeHour.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_mentor_cancels_a_booked_slot_and_every_member_is_told(slot, team):
    booked(slot, team)

    mentor_services.office_hour_delete(actor=slot.mentor.user, slot=slot, note="I am ill, sorry.")

    assert not OfficeHour.objects.exists()
    notices = Notification.objects.filter(kind="lab_office_hour_cancelled")
    assert {n.recipient for n in notices} == set(users_of(team))
    assert "I am ill, sorry." in notices[0].body


@pytest.mark.django_db
def test_the_cancellation_notice_shows_the_time_in_the_members_time_zone(slot, team):
    slot.starts_at = datetime.datetime(2099, 3, 1, 9, 0, tzinfo=datetime.UTC)
    booked(slot, team)
    member = users_of(team)[1]
    member.time_zone = "Asia/Tokyo"
    member.save()

    mentor_services.office_hour_delete(actor=slot.mentor.user, slot=slot)

    body = Notification.objects.get(recipient=member).body
    assert "6 p.m." in body  # 09:00 UTC is 18:00 in Tokyo


@pytest.mark.django_db
def test_only_the_slots_mentor_removes_it(challenge, slot, organiser):
    for actor in (mentor_for(challenge).user, organiser):
        with pytest.raises(PermissionDenied):
            mentor_services.office_hour_delete(actor=actor, slot=slot)


# Pages


@pytest.mark.django_db
def test_a_mentor_types_the_start_in_their_own_time_zone_and_it_is_stored_in_utc(
    client, challenge, mentor
):
    mentor.user.time_zone = "Europe/Athens"
    mentor.user.save()
    client.force_login(mentor.user)
    day = (timezone.now() + 72 * HOUR).astimezone(zoneinfo.ZoneInfo("Europe/Athens")).date()

    response = client.post(
        reverse("inquirylab:office_hours", kwargs={"slug": challenge.slug}),
        {"starts_at": f"{day.isoformat()}T15:00", "minutes": "30", "where": "Room 3"},
    )

    assert response.status_code == 302
    slot = OfficeHour.objects.get()
    local = datetime.datetime.combine(day, datetime.time(15), zoneinfo.ZoneInfo("Europe/Athens"))
    assert slot.starts_at == local.astimezone(datetime.UTC)


@pytest.mark.django_db
def test_the_office_hours_page_is_the_mentors_own(client, challenge, slot, team):
    booked(slot, team, topic="Our evidence section")
    page = reverse("inquirylab:office_hours", kwargs={"slug": challenge.slug})

    client.force_login(slot.mentor.user)
    response = client.get(page)
    assert response.status_code == 200
    assert "https://meet.example.org/room-7" in response.content.decode()
    assert "Our evidence section" in response.content.decode()

    client.force_login(team.lead)
    assert client.get(page).status_code == 404


@pytest.mark.django_db
def test_the_where_is_shown_only_to_the_booking_team(client, challenge, mentor, team):
    free, taken = _slots(mentor, 2)
    booked(taken, team)
    page = reverse("inquirylab:mentors", kwargs={"slug": challenge.slug})

    client.force_login(team.lead)
    content = client.get(page).content.decode()
    assert content.count("https://meet.example.org/room-7") == 1  # their booking, not the free one
    assert f'id="booking-{taken.pk}"' in content

    client.force_login(team_of(challenge).lead)
    content = client.get(page).content.decode()
    assert "https://meet.example.org/room-7" not in content
    assert f'id="slot-{free.pk}"' in content
    assert f'id="slot-{taken.pk}"' not in content


@pytest.mark.django_db
def test_booking_through_the_page(client, challenge, slot, team):
    client.force_login(users_of(team)[1])
    url = reverse("inquirylab:office_hour_book", kwargs={"slot_id": slot.pk})

    response = client.post(url, {"topic": "Feasibility and cost"}, follow=True)

    assert response.redirect_chain[-1][0].endswith("#bookings")
    assert "The office hour is booked for your team." in response.content.decode()
    slot.refresh_from_db()
    assert slot.team == team


@pytest.mark.django_db
def test_a_refused_booking_says_why_on_the_page(client, challenge, slot, team):
    booked(slot, team_of(challenge))
    client.force_login(team.lead)

    response = client.post(
        reverse("inquirylab:office_hour_book", kwargs={"slot_id": slot.pk}),
        {"topic": "Evidence"},
        follow=True,
    )

    assert "Another team has just booked this office hour." in response.content.decode()


@pytest.mark.django_db
def test_the_booking_form_is_offered_only_to_those_who_may_book(client, challenge, slot, team):
    page = reverse("inquirylab:mentors", kwargs={"slug": challenge.slug})
    book = reverse("inquirylab:office_hour_book", kwargs={"slot_id": slot.pk})

    assert book not in client.get(page).content.decode()
    client.force_login(team.lead)
    assert book in client.get(page).content.decode()


@pytest.mark.django_db
def test_cancelling_through_the_pages(client, challenge, slot, team):
    booked(slot, team)
    client.force_login(team.lead)

    client.post(reverse("inquirylab:office_hour_cancel", kwargs={"slot_id": slot.pk}))
    slot.refresh_from_db()
    assert slot.team is None

    booked(slot, team)
    client.force_login(slot.mentor.user)
    response = client.post(
        reverse("inquirylab:office_hour_delete", kwargs={"slot_id": slot.pk}),
        {"note": "Moved to Friday."},
        follow=True,
    )
    assert "The team has been told." in response.content.decode()
    assert not OfficeHour.objects.exists()


@pytest.mark.django_db
def test_the_office_hours_page_in_ukrainian(client, challenge, mentor):
    client.force_login(mentor.user)

    response = client.get(f"/uk/lab/{challenge.slug}/office-hours/")

    assert response.status_code == 200
    assert '<html lang="uk"' in response.content.decode()
