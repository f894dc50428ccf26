"""Recommendations in the JSON API: /api/v1/recommendations, one of them, and the scorecards."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from voices.core.tests.api_checks import assert_error
from voices.councils.tests.factories import CouncilFactory
from voices.directory.tests.factories import CountryFactory, OrganisationFactory, text
from voices.recommendations import services
from voices.recommendations.models import Evidence, Outcome
from voices.recommendations.tests.factories import (
    RecommendationFactory,
    days_ago,
    domain,
    officer_of,
    recommendation_sent,
    sent_at,
)

API = "/api/v1"


def titles(body: dict) -> list[str]:
    return [r["title"] for r in body["items"]]


def answer(track, *, outcome=Outcome.ACCEPTED, reasons="Yes.", publish=True):
    officer = officer_of(track.organisation)
    services.response_save_draft(
        actor=officer, addressee=track, outcome=outcome, reasons=reasons, language="en"
    )
    if publish:
        services.response_publish(actor=officer, addressee=track)
    track.refresh_from_db()
    return officer


# The list


@pytest.mark.django_db
def test_the_list_gives_sent_recommendations_newest_first_without_drafts(client, tracker):
    housing, _health, _schools = tracker

    response = client.get(f"{API}/recommendations")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3
    assert titles(body) == ["Schools in Lyon", "Health in Graz", "Housing in Graz"]
    item = body["items"][2]
    assert item == {
        "id": housing.pk,
        "title": "Housing in Graz",
        "titles": {"en": "Housing in Graz", "de": "Wohnen in Graz"},
        "council": "graz",
        "country": "AT",
        "domain": "housing",
        "state": "sent",
        "sent_at": item["sent_at"],
        "due_on": housing.due_on.isoformat(),
        "due_at": item["due_at"],
        "authorities": [
            {
                "authority": "city-of-graz",
                "authority_name": str(housing.addressees.get().organisation.name),
                "state": "sent",
                "outcome": "",
                "progress": 0,
                "overdue": True,
            }
        ],
    }
    # Times are given to the millisecond.
    sent = datetime.datetime.fromisoformat(item["sent_at"])
    assert abs(sent - housing.sent_at) < datetime.timedelta(milliseconds=1)
    assert datetime.datetime.fromisoformat(item["due_at"]) == housing.due_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "FR"}, ["Schools in Lyon"]),
        ({"country": "at"}, ["Health in Graz", "Housing in Graz"]),
        ({"country": "ZZ"}, []),
        ({"council": "graz"}, ["Health in Graz", "Housing in Graz"]),
        ({"authority": "city-of-graz"}, ["Housing in Graz"]),
        ({"domain": "education"}, ["Schools in Lyon"]),
        ({"state": "acknowledged"}, ["Health in Graz"]),
        ({"state": "sent"}, ["Schools in Lyon", "Housing in Graz"]),
        ({"state": "draft"}, []),
        ({"overdue": "true"}, ["Housing in Graz"]),
        ({"council": "graz", "domain": "housing"}, ["Housing in Graz"]),
    ],
)
def test_the_list_can_be_filtered_as_the_tracker(client, tracker, query, expected):
    body = client.get(f"{API}/recommendations", query).json()

    assert titles(body) == expected
    assert body["count"] == len(expected)


@pytest.mark.django_db
@pytest.mark.parametrize("parameter", ["council", "authority", "domain"])
def test_an_unknown_council_authority_or_domain_is_not_found(client, tracker, parameter):
    assert_error(client.get(f"{API}/recommendations", {parameter: "nowhere"}), 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"state": "asleep"}, {"overdue": "perhaps"}])
def test_an_unknown_state_or_a_bad_flag_is_invalid_input(client, tracker, query):
    body = assert_error(client.get(f"{API}/recommendations", query), 422, "invalid_input")

    assert body["details"][0]["loc"] == ["query", next(iter(query))]


@pytest.mark.django_db
def test_the_list_is_paginated_with_limit_and_offset(client, council, authority, coordinator):
    for n in range(5):
        recommendation = recommendation_sent(
            actor=coordinator, council=council, addressees=[authority], title=text(f"R{n}")
        )
        sent_at(recommendation, days_ago(10 - n))

    first = client.get(f"{API}/recommendations", {"limit": 2}).json()
    rest = client.get(f"{API}/recommendations", {"limit": 2, "offset": 2}).json()
    beyond = client.get(f"{API}/recommendations", {"offset": 10}).json()

    assert first["count"] == rest["count"] == beyond["count"] == 5
    assert titles(first) == ["R4", "R3"]
    assert titles(rest) == ["R2", "R1"]
    assert beyond["items"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"limit": 0}, {"offset": -1}, {"limit": "many"}])
def test_a_bad_limit_or_offset_is_invalid_input(client, query):
    assert_error(client.get(f"{API}/recommendations", query), 422, "invalid_input")


@pytest.mark.django_db
def test_the_list_needs_the_same_number_of_queries_for_3_or_15_recommendations(
    client, council, coordinator, django_assert_num_queries
):
    authorities = [OrganisationFactory() for _n in range(2)]

    def make(count: int) -> None:
        for _n in range(count):
            recommendation_sent(actor=coordinator, council=council, addressees=authorities)

    make(3)
    client.get(f"{API}/recommendations")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/recommendations")
    make(12)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/recommendations", {"limit": 50}).json()

    assert body["count"] == 15


# One recommendation


@pytest.fixture
def two_asked(council, coordinator):
    """Sent to two authorities: one published its answer, the other only drafted one."""
    first = OrganisationFactory(slug="city-of-graz")
    second = OrganisationFactory(slug="land-styria", kind="regional_authority")
    recommendation = recommendation_sent(
        actor=coordinator, council=council, addressees=[first, second],
        title=text("Open the housing office on Saturdays"), domain=domain("housing"),
    )  # fmt: skip
    Evidence.objects.create(
        recommendation=recommendation, label="Survey", url="https://example.org/survey"
    )
    return recommendation


@pytest.mark.django_db
def test_a_recommendation_gives_only_published_answers_and_its_progress(client, two_asked):
    published, drafted = two_asked.addressees.order_by("organisation__slug")
    officer = answer(published, reasons="We will open on Saturdays.")
    services.progress_report(
        actor=officer, addressee=published, percent=30, note="Staff hired.", language="en",
        milestone="First Saturday", milestone_on=datetime.date(2031, 5, 3),
    )  # fmt: skip
    answer(drafted, outcome=Outcome.REJECTED, reasons="Secret draft.", publish=False)

    response = client.get(f"{API}/recommendations/{two_asked.pk}")

    body = response.json()
    assert response.status_code == 200
    assert "Secret draft." not in response.content.decode()
    assert body["title"] == "Open the housing office on Saturdays"
    assert body["text"] == str(two_asked.text)
    assert body["evidence"] == [{"label": "Survey", "url": "https://example.org/survey"}]
    assert body["withdrawn_reason"] == ""
    graz, styria = body["authorities"]
    assert (graz["authority"], graz["state"], graz["outcome"]) == (
        "city-of-graz", "implementing", "accepted",
    )  # fmt: skip
    assert graz["answer"]["reasons"] == "We will open on Saturdays."
    assert (graz["answer"]["outcome"], graz["answer"]["language"]) == ("accepted", "en")
    assert graz["progress"] == 30
    [update] = graz["progress_updates"]
    assert (update["percent"], update["note"], update["milestone"], update["milestone_on"]) == (
        30, "Staff hired.", "First Saturday", "2031-05-03",
    )  # fmt: skip
    assert (styria["authority"], styria["state"], styria["answer"]) == (
        "land-styria", "sent", None,
    )  # fmt: skip
    assert (styria["outcome"], styria["progress_updates"]) == ("", [])


@pytest.mark.django_db
def test_the_authority_s_own_officer_does_not_get_its_draft_answer_from_the_api(client, two_asked):
    _published, drafted = two_asked.addressees.order_by("organisation__slug")
    officer = answer(drafted, reasons="Secret draft.", publish=False)
    client.force_login(officer)

    response = client.get(f"{API}/recommendations/{two_asked.pk}")

    assert response.status_code == 200
    assert "Secret draft." not in response.content.decode()


@pytest.mark.django_db
def test_a_recommendation_gives_its_whole_timeline(client, two_asked):
    published, _drafted = two_asked.addressees.order_by("organisation__slug")
    services.addressee_acknowledge(actor=officer_of(published.organisation), addressee=published)

    body = client.get(f"{API}/recommendations/{two_asked.pk}").json()

    steps = [(e["kind"], e["authority"], e["from_state"], e["to_state"]) for e in body["timeline"]]
    assert steps[:2] == [
        ("state", None, "draft", "adopted"),
        ("state", None, "adopted", "sent"),
    ]
    assert sorted(steps[2:4]) == [
        ("state", "city-of-graz", "", "sent"),
        ("state", "land-styria", "", "sent"),
    ]
    assert steps[4:] == [("state", "city-of-graz", "sent", "acknowledged")]
    moments = [datetime.datetime.fromisoformat(e["at"]) for e in body["timeline"]]
    assert moments == sorted(moments)


@pytest.mark.django_db
def test_a_withdrawn_recommendation_stays_public_with_its_reason(client, two_asked, coordinator):
    services.recommendation_withdraw(
        actor=coordinator, recommendation=two_asked, reason="The city already decided."
    )

    body = client.get(f"{API}/recommendations/{two_asked.pk}").json()

    assert (body["state"], body["withdrawn_reason"]) == ("withdrawn", "The city already decided.")
    assert body["timeline"][-1]["to_state"] == "withdrawn"


@pytest.mark.django_db
def test_a_draft_is_not_found(client, council, participant):
    draft = RecommendationFactory(council=council)

    assert_error(client.get(f"{API}/recommendations/{draft.pk}"), 404, "not_found")
    client.force_login(participant)
    assert_error(client.get(f"{API}/recommendations/{draft.pk}"), 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize("recommendation_id", ["0", "999999", str(2**63), str(2**70)])
def test_an_unknown_or_absurd_id_is_not_found(client, db, recommendation_id):
    response = client.get(f"{API}/recommendations/{recommendation_id}")

    assert_error(response, 404, "not_found")


@pytest.mark.django_db
def test_one_recommendation_needs_the_same_queries_for_1_or_5_progress_updates(
    client, two_asked, django_assert_num_queries
):
    published, _drafted = two_asked.addressees.order_by("organisation__slug")
    officer = answer(published)

    def report(count: int) -> None:
        for n in range(count):
            services.progress_report(
                actor=officer, addressee=published, percent=10 * (n + 1), note=f"Step {n}.",
                language="en",
            )  # fmt: skip

    page = f"{API}/recommendations/{two_asked.pk}"
    report(1)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    report(4)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(page).json()

    assert len(body["authorities"][0]["progress_updates"]) == 5


# Scorecards


@pytest.fixture
def answered_ten(council, authority, coordinator):
    """Ten recommendations to the city of Graz; five answered, four of them accepted."""
    for n in range(10):
        recommendation = recommendation_sent(
            actor=coordinator, council=council, addressees=[authority]
        )
        if n < 5:
            answer(
                recommendation.addressees.get(),
                outcome=Outcome.ACCEPTED if n < 4 else Outcome.REJECTED,
            )
        else:
            # Unanswered past the deadline: they count against the answer rate.
            sent_at(recommendation, timezone.now() - datetime.timedelta(days=100))
    # Another council asks another authority once: too few to publish its figures.
    recommendation_sent(actor=coordinator, council=CouncilFactory(slug="lyon"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "by, key, small",
    [
        (None, "city-of-graz", None),
        ("authority", "city-of-graz", None),
        ("council", "graz", "lyon"),
    ],
)
def test_the_scorecards_publish_shares_of_ten_and_more(client, answered_ten, by, key, small):
    query = {"by": by} if by else {}

    response = client.get(f"{API}/recommendations/scorecards", query)

    assert response.status_code == 200
    cards = {card["key"]: card for card in response.json()}
    card = cards[key]
    assert card["received"] == {"value": 10, "suppressed": False}
    assert card["answered_share"] == 50
    assert card["answered_on_time_share"] == 50
    assert card["accepted_share"] == 80
    assert card["implemented_share"] == 0
    assert card["median_days_to_answer"] == 0.0
    if small:
        assert cards[small]["received"] == {"value": None, "suppressed": True}
        assert cards[small]["answered_share"] is None
    assert len(cards) == 2


@pytest.mark.django_db
def test_the_scorecards_can_be_limited_to_a_country(client, answered_ten, coordinator):
    france = CountryFactory(code="FR", language="fr")
    recommendation_sent(actor=coordinator, council=CouncilFactory(slug="paris", country=france))

    body = client.get(f"{API}/recommendations/scorecards", {"by": "council", "country": "fr"})

    assert [card["key"] for card in body.json()] == ["paris"]


@pytest.mark.django_db
def test_the_scorecards_leave_out_withdrawn_recommendations(client, council, coordinator):
    recommendation = recommendation_sent(actor=coordinator, council=council)
    services.recommendation_withdraw(
        actor=coordinator, recommendation=recommendation, reason="Wrong."
    )

    assert client.get(f"{API}/recommendations/scorecards").json() == []


@pytest.mark.django_db
def test_an_unknown_kind_of_scorecard_is_invalid_input(client, db):
    body = assert_error(
        client.get(f"{API}/recommendations/scorecards", {"by": "planet"}), 422, "invalid_input"
    )

    assert body["details"][0]["loc"] == ["query", "by"]
