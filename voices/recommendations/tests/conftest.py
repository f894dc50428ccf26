"""Fixtures the recommendations tests share: the Graz council and a small public tracker."""

import pytest

from voices.councils.tests.factories import CouncilFactory
from voices.directory.tests.factories import CountryFactory, OrganisationFactory, text
from voices.recommendations import services
from voices.recommendations.tests.factories import (
    RecommendationFactory,
    days_ago,
    domain,
    officer_of,
    recommendation_sent,
    sent_at,
)


@pytest.fixture
def council(db):
    return CouncilFactory(slug="graz", name=text("Graz council"), time_zone="Europe/Vienna")


@pytest.fixture
def tracker(council, authority, coordinator):
    """Three sent recommendations in two countries, and a draft nobody outside may see."""
    styria = OrganisationFactory(slug="land-styria", kind="regional_authority")
    france = CountryFactory(code="FR", language="fr")
    lyon = CouncilFactory(slug="lyon", name=text("Lyon council"), country=france)
    city_of_lyon = OrganisationFactory(slug="city-of-lyon", country=france)

    housing = recommendation_sent(
        actor=coordinator, council=council, addressees=[authority], domain=domain("housing"),
        title=text("Housing in Graz", de="Wohnen in Graz"),
    )  # fmt: skip
    sent_at(housing, days_ago(100))  # its 60 days ran out: overdue
    health = recommendation_sent(
        actor=coordinator, council=council, addressees=[styria], domain=domain("health"),
        title=text("Health in Graz"),
    )  # fmt: skip
    sent_at(health, days_ago(10))
    services.addressee_acknowledge(actor=officer_of(styria), addressee=health.addressees.get())
    schools = recommendation_sent(
        actor=coordinator, council=lyon, addressees=[city_of_lyon], domain=domain("education"),
        title=text("Schools in Lyon"),
    )  # fmt: skip
    sent_at(schools, days_ago(5))
    RecommendationFactory(council=council, title=text("Draft in Graz"))
    return housing, health, schools
