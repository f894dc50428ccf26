"""Scorecards: how authorities answered, computed from the timeline, published with disclosure."""

import datetime

import pytest

from voices.councils.tests.factories import CouncilFactory
from voices.directory.tests.factories import CountryFactory, OrganisationFactory, text
from voices.recommendations import selectors, services
from voices.recommendations.models import Event, Outcome, Recommendation, State
from voices.recommendations.tests.factories import (
    RecommendationFactory,
    recommendation_sent,
    sent_at,
)

START = datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
RULE = 60 * DAY  # every track below is due 60 days after it was sent


def track(
    council,
    authority,
    *,
    n: int,
    answered_after: datetime.timedelta | None = None,
    outcome: str = "",
    state: str | None = None,
    withdrawn: bool = False,
):
    """One sent track with its timeline written directly: sent on day `n`, answered after."""
    recommendation = RecommendationFactory(council=council, addressees=[authority])
    addressee = recommendation.addressees.get()
    sent = START + n * DAY
    state = state or (State.ANSWERED if answered_after is not None else State.SENT)
    Recommendation.objects.filter(pk=recommendation.pk).update(
        state=State.WITHDRAWN if withdrawn else state,
        sent_at=sent,
        due_on=(sent + RULE).date(),
        due_at=sent + RULE,
    )
    addressee.state, addressee.outcome = state, outcome
    addressee.save()
    Event.objects.create(recommendation=recommendation, from_state=State.ADOPTED,
                         to_state=State.SENT, at=sent)  # fmt: skip
    Event.objects.create(recommendation=recommendation, addressee=addressee, to_state=State.SENT,
                         at=sent)  # fmt: skip
    if answered_after is not None:
        Event.objects.create(
            recommendation=recommendation, addressee=addressee, from_state=State.SENT,
            to_state=State.ANSWERED, at=sent + answered_after,
        )  # fmt: skip
    return addressee


def card_of(cards, key):
    (card,) = [c for c in cards if c.key == key]
    return card


@pytest.fixture
def council(db):
    return CouncilFactory(slug="graz")


@pytest.fixture
def graz(db):
    return OrganisationFactory(slug="city-of-graz", name=text("City of Graz"))


@pytest.fixture
def linz(db):
    return OrganisationFactory(slug="city-of-linz", name=text("City of Linz"))


@pytest.fixture
def thirteen_tracks(council, graz):
    """Thirteen tracks of Graz, counted by hand below."""
    second = datetime.timedelta(seconds=1)
    rows = [
        # answered after, outcome, state now
        (10 * DAY, Outcome.ACCEPTED, State.IMPLEMENTED),
        (20 * DAY, Outcome.ACCEPTED, State.IN_IMPLEMENTATION),
        (30 * DAY, Outcome.PARTLY_ACCEPTED, State.IMPLEMENTED),
        (40 * DAY, Outcome.REJECTED, State.ANSWERED),
        (RULE, Outcome.ACCEPTED, State.ANSWERED),  # exactly at the deadline: late
        (RULE - second, Outcome.PARTLY_ACCEPTED, State.NOT_IMPLEMENTED),  # just in time
        (90 * DAY, Outcome.ACCEPTED, State.IMPLEMENTED),  # late
        (5 * DAY, Outcome.REJECTED, State.ANSWERED),
        (15 * DAY, Outcome.ACCEPTED, State.ANSWERED),
        (None, "", State.SENT),
        (None, "", State.ACKNOWLEDGED),
        (None, "", State.SENT),
        (None, "", State.SENT),
    ]
    for n, (after, outcome, state) in enumerate(rows):
        track(council, graz, n=n, answered_after=after, outcome=outcome, state=state)


@pytest.mark.django_db
def test_an_authoritys_scorecard_is_computed_from_its_timeline(graz, thirteen_tracks):
    card = card_of(selectors.scorecards(by="authority"), "city-of-graz")

    assert (card.received, card.answered, card.on_time, card.accepted, card.implemented) == (
        13,
        9,
        7,
        7,
        3,
    )
    assert card.published_received.value == 15  # 13 rounded to 5
    assert card.is_shown
    assert card.answered_share == 69  # 9 of 13
    assert card.on_time_share == 54  # 7 of 13: strictly before the deadline
    # 5, 10, 15, 20, 30, 40, 60 less a second, 60, 90 days
    assert card.median_days == 30.0
    assert card.accepted_share == 78  # 7 of the 9 answered, partly accepted included
    assert card.implemented_share == 43  # 3 of the 7 accepted
    assert str(card.label) == "City of Graz"
    assert card.url == graz.get_absolute_url()


@pytest.mark.django_db
def test_the_published_scorecard_carries_the_disclosed_figures_only(thirteen_tracks):
    card = card_of(selectors.scorecards(by="authority"), "city-of-graz")

    assert card.as_json() == {
        "key": "city-of-graz",
        "name": "City of Graz",
        "received": {"value": 15, "suppressed": False},
        "answered_share": 69,
        "answered_on_time_share": 54,
        "median_days_to_answer": 30.0,
        "accepted_share": 78,
        "implemented_share": 43,
    }


@pytest.mark.django_db
def test_withdrawn_and_unsent_recommendations_do_not_count(council, graz, thirteen_tracks):
    # Both would raise every share if they counted.
    track(council, graz, n=20, answered_after=DAY, outcome=Outcome.ACCEPTED,
          state=State.IMPLEMENTED, withdrawn=True)  # fmt: skip
    RecommendationFactory(council=council, addressees=[graz])

    card = card_of(selectors.scorecards(by="authority"), "city-of-graz")

    assert (card.received, card.answered, card.accepted, card.implemented) == (13, 9, 7, 3)
    assert card.median_days == 30.0


@pytest.mark.django_db
def test_fewer_than_ten_received_are_suppressed_with_every_share(council, linz):
    for n in range(9):
        track(council, linz, n=n, answered_after=DAY, outcome=Outcome.ACCEPTED,
              state=State.IMPLEMENTED)  # fmt: skip

    card = card_of(selectors.scorecards(by="authority"), "city-of-linz")

    assert card.received == 9
    assert card.published_received.is_suppressed
    assert not card.is_shown
    # Shares of a hidden count would give the count away.
    shares = (
        card.answered_share,
        card.on_time_share,
        card.median_days,
        card.accepted_share,
        card.implemented_share,
    )
    assert shares == (None, None, None, None, None)
    assert card.as_json()["received"] == {"value": None, "suppressed": True}


@pytest.mark.django_db
def test_ten_received_are_shown(council, linz):
    for n in range(10):
        track(council, linz, n=n, answered_after=(n + 1) * DAY, outcome=Outcome.ACCEPTED)

    card = card_of(selectors.scorecards(by="authority"), "city-of-linz")

    assert card.published_received.value == 10
    assert (card.answered_share, card.on_time_share, card.accepted_share) == (100, 100, 100)
    assert card.median_days == 5.5  # between 5 and 6 days
    assert card.implemented_share == 0  # accepted, none implemented yet


@pytest.mark.django_db
def test_a_share_of_nothing_is_not_shown_as_zero(council, linz):
    for n in range(10):
        track(council, linz, n=n)

    card = card_of(selectors.scorecards(by="authority"), "city-of-linz")

    assert (card.answered_share, card.on_time_share) == (0, 0)
    # Nothing answered, so nothing accepted: there is no share to show.
    assert (card.accepted_share, card.implemented_share, card.median_days) == (None, None, None)


@pytest.mark.django_db
def test_council_scorecards_group_the_tracks_by_the_council_that_asked(graz, linz):
    big, small = CouncilFactory(slug="big"), CouncilFactory(slug="small")
    # Big asked Graz six times and Linz five; small asked Graz twice and Linz once.
    for n, (after, outcome, state) in enumerate(
        [
            (2 * DAY, Outcome.ACCEPTED, State.IMPLEMENTED),
            (4 * DAY, Outcome.ACCEPTED, State.ANSWERED),
            (6 * DAY, Outcome.PARTLY_ACCEPTED, State.IN_IMPLEMENTATION),
            (8 * DAY, Outcome.REJECTED, State.ANSWERED),
            (10 * DAY, Outcome.REJECTED, State.ANSWERED),
            (None, "", State.SENT),
        ]
    ):
        track(big, graz, n=n, answered_after=after, outcome=outcome, state=state)
    for n in range(5):
        track(big, linz, n=n)
    for n in range(2):
        track(small, graz, n=n, answered_after=DAY, outcome=Outcome.ACCEPTED)
    track(small, linz, n=0)

    by_council = selectors.scorecards(by="council")
    by_authority = selectors.scorecards(by="authority")

    assert [c.key for c in by_council] == ["big", "small"]
    big_card, small_card = by_council
    assert (big_card.received, big_card.published_received.value) == (11, 10)
    assert big_card.answered_share == 45  # 5 of 11
    assert big_card.on_time_share == 45
    assert big_card.median_days == 6.0
    assert big_card.accepted_share == 60  # 3 of 5
    assert big_card.implemented_share == 33  # 1 of 3
    assert big_card.url == big.get_absolute_url()
    assert (small_card.received, small_card.answered_share) == (3, None)
    # Counted per authority, neither has ten: the same tracks are suppressed there.
    assert {c.key: c.received for c in by_authority} == {"city-of-graz": 8, "city-of-linz": 6}
    assert all(not c.is_shown for c in by_authority)


@pytest.mark.django_db
def test_scorecards_can_be_limited_to_one_country(graz):
    austrian = CouncilFactory(slug="graz", country=CountryFactory(code="AT"))
    french = CouncilFactory(slug="lyon", country=CountryFactory(code="FR"))
    lyon = OrganisationFactory(slug="ville-de-lyon", country=french.country)
    track(austrian, graz, n=0)
    track(french, lyon, n=0)

    assert [c.key for c in selectors.scorecards(by="authority", country="fr")] == ["ville-de-lyon"]
    assert [c.key for c in selectors.scorecards(by="council", country="AT")] == ["graz"]
    assert [c.key for c in selectors.scorecards(by="authority", country="de")] == []
    assert {c.key for c in selectors.scorecards(by="authority")} == {
        "city-of-graz",
        "ville-de-lyon",
    }


@pytest.mark.django_db
def test_the_moments_come_from_the_timeline_written_by_the_services(
    coordinator, officer, council, authority
):
    # Ten recommendations sent and answered for real, then moved back in time: the scorecard
    # follows the timeline events, whatever the clock said when the services ran.
    for n in range(10):
        recommendation = recommendation_sent(
            actor=coordinator, council=council, addressees=[authority]
        )
        sent = START + n * DAY
        recommendation = sent_at(recommendation, sent)
        addressee = recommendation.addressees.get()
        if n < 8:
            services.response_save_draft(
                actor=officer, addressee=addressee, outcome=Outcome.ACCEPTED, reasons="Yes.",
                language="en",
            )  # fmt: skip
            services.response_publish(actor=officer, addressee=addressee)
            # Answered after 3 days, or for the last two after 100 days: late.
            after = 3 * DAY if n < 6 else 100 * DAY
            addressee.events.filter(to_state=State.ANSWERED).update(at=sent + after)

    card = card_of(selectors.scorecards(by="authority"), authority.slug)

    assert (card.received, card.answered, card.on_time) == (10, 8, 6)
    assert card.answered_share == 80
    assert card.on_time_share == 60
    assert card.median_days == 3.0
    assert card.accepted_share == 100
