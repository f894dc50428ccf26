"""Edge cases found in review: far deadlines, publishing what one read, former facilitators,
local dates in the export, one bad filter, digests grouped per person."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.core.models import Notification
from voices.core.notifications import notification_digests_send, notification_send
from voices.councils.tests.factories import CouncilFactory, MembershipFactory
from voices.recommendations import selectors, services
from voices.recommendations.models import AuthorityResponse, Outcome
from voices.recommendations.tests.factories import (
    RecommendationFactory,
    recommendation_sent,
    sent_at,
)


@pytest.fixture
def council(db):
    return CouncilFactory(slug="athens", time_zone="Europe/Athens", response_days=60)


@pytest.mark.django_db
def test_an_answer_date_more_than_two_years_away_is_refused(coordinator, council, authority):
    recommendation = RecommendationFactory(council=council, addressees=[authority])
    too_far = timezone.localdate() + datetime.timedelta(days=3 * 365)

    with pytest.raises(ValidationError) as refused:
        services.recommendation_update(
            actor=coordinator, recommendation=recommendation, due_on_override=too_far
        )

    assert refused.value.error_dict["due_on_override"][0].code == "due_too_far"
    recommendation.refresh_from_db()
    assert recommendation.due_on_override is None


@pytest.mark.django_db
def test_publishing_stores_the_text_the_publisher_read_not_a_later_draft(
    coordinator, council, authority, officer
):
    track = recommendation_sent(actor=coordinator, council=council, addressees=[authority])
    track = track.addressees.get()
    colleague = UserFactory(username="colleague")
    grant(colleague, Role.OFFICER, authority)
    services.response_save_draft(
        actor=colleague, addressee=track, outcome=Outcome.REJECTED, reasons="No.", language="en"
    )

    services.response_publish(
        actor=officer, addressee=track, outcome=Outcome.ACCEPTED, reasons="Yes, gladly.",
        language="en",
    )  # fmt: skip

    response = AuthorityResponse.objects.get()
    assert (response.outcome, response.reasons) == (Outcome.ACCEPTED, "Yes, gladly.")
    assert response.drafted_by == officer and response.published_by == officer


@pytest.mark.django_db
def test_a_facilitator_whose_seat_ended_is_not_told_of_an_overdue_answer(
    coordinator, council, authority
):
    chair = MembershipFactory(council=council, role="chair").user
    former = UserFactory(username="former")
    grant(former, Role.FACILITATOR, council)
    MembershipFactory(
        council=council, user=former, role="facilitator",
        term_start=timezone.localdate() - datetime.timedelta(days=800),
        term_end=timezone.localdate() - datetime.timedelta(days=10),
    )  # fmt: skip
    recommendation = recommendation_sent(actor=coordinator, council=council, addressees=[authority])
    sent_at(recommendation, timezone.now() - datetime.timedelta(days=90))

    services.deadlines_check()

    escalated = Notification.objects.filter(kind="recommendation_escalated")
    assert set(escalated.values_list("recipient", flat=True)) == {chair.pk}


@pytest.mark.django_db
def test_the_export_gives_the_councils_local_dates(client, coordinator, council, authority):
    recommendation = recommendation_sent(actor=coordinator, council=council, addressees=[authority])
    # 23:30 UTC on 28 February is already 1 March in Athens.
    sent_at(recommendation, datetime.datetime(2026, 2, 28, 23, 30, tzinfo=datetime.UTC))

    rows = client.get(reverse("recommendations:export")).content.decode().splitlines()

    assert ",2026-03-01,2026-04-30," in rows[1]


@pytest.mark.django_db
def test_one_wrong_filter_leaves_the_others_working(client, coordinator, council, authority):
    recommendation_sent(actor=coordinator, council=council, addressees=[authority])
    recommendation_sent(actor=coordinator, council=CouncilFactory(slug="elsewhere"))

    response = client.get(reverse("recommendations:list"), {"council": "athens", "state": "nope"})

    assert response.status_code == 200
    assert "state" in response.context["form"].errors
    assert [r.council.slug for r in response.context["page"].object_list] == ["athens"]


@pytest.mark.django_db
def test_digests_look_up_each_person_once(participant, outsider):
    for person in (participant, outsider):
        person.email, person.email_digest = f"{person.username}@example.org", True
        person.save()
        for n in range(3):
            notification_send(recipient=person, kind="test", template="core/notifications/digest",
                              context={"notifications": [], "count": n})  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        assert notification_digests_send() == 2

    # One query for the people, then a fixed few per person: not one round per notification.
    assert len(queries) <= 1 + 2 * 4


@pytest.mark.django_db
def test_the_answer_rate_counts_only_what_is_answered_or_past_its_deadline(
    coordinator, council, authority
):
    for _ in range(10):
        recommendation_sent(actor=coordinator, council=council, addressees=[authority])

    [card] = selectors.scorecards(by="authority")

    # Sent today: nothing is late yet, so there is no rate to hold against the authority.
    assert card.received == 10 and card.due == 0
    assert card.answered_share is None and card.on_time_share is None
