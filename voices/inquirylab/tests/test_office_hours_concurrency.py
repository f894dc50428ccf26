"""Office hours booked by several people at the same moment: one team gets a slot, and a team
never passes its limit of future bookings, however many requests arrive at once.

These run in real transactions with one database connection per thread, on SQLite and PostgreSQL
alike (as the consultations' simultaneous supports test does, whose `at_once` they share).
"""

import pytest
from django.utils import timezone

from voices.core.tests.concurrency import at_once
from voices.inquirylab import mentor_services
from voices.inquirylab.models import OfficeHour
from voices.inquirylab.tests.factories_mentors import (
    HOUR,
    OfficeHourFactory,
    mentor_for,
    team_of,
    users_of,
    work_challenge,
)


def _reloaded(slot: OfficeHour) -> OfficeHour:
    return OfficeHour.objects.select_related("mentor__challenge", "mentor__user").get(pk=slot.pk)


@pytest.mark.django_db(transaction=True)
def test_two_teams_booking_the_same_slot_at_once_one_gets_it():
    challenge = work_challenge()
    slot = _reloaded(OfficeHourFactory(mentor=mentor_for(challenge)))
    leads = [team_of(challenge).lead, team_of(challenge).lead]

    outcomes = at_once(
        2, lambda n: mentor_services.office_hour_book(actor=leads[n], slot=slot, topic="Evidence")
    )

    assert outcomes.count("stored") == 1
    assert set(outcomes) <= {"stored", "taken", "locked"}
    slot.refresh_from_db()
    assert slot.team is not None and slot.booked_by in leads


@pytest.mark.django_db(transaction=True)
def test_ten_teams_booking_the_same_slot_at_once_leave_one_booking():
    challenge = work_challenge()
    slot = _reloaded(OfficeHourFactory(mentor=mentor_for(challenge)))
    leads = [team_of(challenge).lead for _n in range(10)]

    outcomes = at_once(
        10, lambda n: mentor_services.office_hour_book(actor=leads[n], slot=slot, topic="Cost")
    )

    assert outcomes.count("stored") == 1
    assert set(outcomes) <= {"stored", "taken", "locked"}


@pytest.mark.django_db(transaction=True)
def test_members_of_one_team_booking_four_slots_at_once_stay_within_two():
    challenge = work_challenge()
    mentor = mentor_for(challenge)
    slots = [
        _reloaded(OfficeHourFactory(mentor=mentor, starts_at=timezone.now() + (24 + n) * HOUR))
        for n in range(4)
    ]
    team = team_of(challenge, size=4)
    members = users_of(team)

    outcomes = at_once(
        4,
        lambda n: mentor_services.office_hour_book(actor=members[n], slot=slots[n], topic="Steps"),
    )

    assert outcomes.count("stored") == 2
    assert set(outcomes) <= {"stored", "booking_limit", "locked"}
    assert OfficeHour.objects.filter(team=team).count() == 2
