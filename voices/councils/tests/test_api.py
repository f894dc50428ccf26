"""The councils in the JSON API: /api/v1/councils and /api/v1/councils/{slug}."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from voices.core.tests.api_checks import assert_error
from voices.councils.models import Membership, PolicyDomain
from voices.councils.tests.factories import CouncilFactory, MembershipFactory
from voices.directory.tests.factories import CountryFactory, OrganisationFactory, text

API = "/api/v1"


def slugs(body: dict) -> list[str]:
    return [c["slug"] for c in body["items"]]


@pytest.fixture
def councils(db):
    austria, france = CountryFactory(code="AT"), CountryFactory(code="FR", language="fr")
    network = CouncilFactory(slug="network", level="european", country=None)
    graz = CouncilFactory(
        slug="graz", name=text("Graz council", de="Migrant:innenbeirat Graz"), country=austria,
        parent=network, host_authority=OrganisationFactory(slug="city-of-graz"),
        founded_on=datetime.date(2024, 9, 1), status="strengthened",
    )  # fmt: skip
    graz.domains.set(PolicyDomain.objects.filter(code__in=["housing", "health"]))
    styria = CouncilFactory(slug="styria", country=austria, level="regional", parent=network)
    styria.domains.set(PolicyDomain.objects.filter(code="education"))
    lyon = CouncilFactory(slug="lyon", country=france, parent=network)
    lyon.domains.set(PolicyDomain.objects.filter(code="housing"))
    return {c.slug: c for c in (network, graz, styria, lyon)}


# The list


@pytest.mark.django_db
def test_the_list_describes_each_council(client, councils):
    response = client.get(f"{API}/councils")

    body = response.json()
    graz = next(c for c in body["items"] if c["slug"] == "graz")
    assert response.status_code == 200
    assert body["count"] == 4
    assert graz == {
        "slug": "graz",
        "name": "Graz council",
        "names": {"en": "Graz council", "de": "Migrant:innenbeirat Graz"},
        "level": "local",
        "status": "strengthened",
        "country": "AT",
        "host_authority": "city-of-graz",
        "domains": ["housing", "health"],
        "parent": "network",
        "founded_on": "2024-09-01",
    }
    network = next(c for c in body["items"] if c["slug"] == "network")
    assert (network["country"], network["parent"], network["founded_on"]) == (None, None, None)


@pytest.mark.django_db
def test_the_list_leaves_out_members_and_their_contacts(client, councils):
    MembershipFactory(
        council=councils["graz"], is_public=True, contact_email="nadia@example.org",
        user__display_name="Nadia Shown",
    )  # fmt: skip

    content = client.get(f"{API}/councils").content.decode()

    assert "Nadia Shown" not in content
    assert "nadia@example.org" not in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "AT"}, ["graz", "styria"]),
        ({"country": "at"}, ["graz", "styria"]),
        ({"level": "european"}, ["network"]),
        ({"level": "regional"}, ["styria"]),
        ({"domain": "housing"}, ["graz", "lyon"]),
        ({"country": "at", "domain": "housing"}, ["graz"]),
        ({"country": "at", "level": "local", "domain": "education"}, []),
        ({"country": "ZZ"}, []),
        ({"domain": "astronomy"}, []),
    ],
)
def test_the_list_can_be_filtered_by_country_level_and_domain(client, councils, query, expected):
    body = client.get(f"{API}/councils", query).json()

    assert sorted(slugs(body)) == expected
    assert body["count"] == len(expected)


@pytest.mark.django_db
def test_an_unknown_level_is_invalid_input(client, councils):
    body = assert_error(client.get(f"{API}/councils", {"level": "galactic"}), 422, "invalid_input")

    assert body["details"][0]["loc"] == ["query", "level"]


@pytest.mark.django_db
def test_the_list_is_paginated_with_limit_and_offset(client):
    CouncilFactory.create_batch(5)

    everything = slugs(client.get(f"{API}/councils", {"limit": 50}).json())
    first = client.get(f"{API}/councils", {"limit": 2}).json()
    rest = client.get(f"{API}/councils", {"limit": 2, "offset": 2}).json()
    beyond = client.get(f"{API}/councils", {"offset": 10}).json()

    assert first["count"] == rest["count"] == beyond["count"] == 5
    assert slugs(first) + slugs(rest) == everything[:4]
    assert len(set(everything)) == 5
    assert beyond["items"] == []


@pytest.mark.django_db
def test_a_bad_limit_is_invalid_input(client):
    assert_error(client.get(f"{API}/councils", {"limit": 0}), 422, "invalid_input")


@pytest.mark.django_db
def test_the_list_needs_the_same_number_of_queries_for_3_or_20_councils(
    client, django_assert_num_queries
):
    austria = CountryFactory(code="AT")
    network = CouncilFactory(level="european", country=None)

    def make(count: int) -> None:
        for _n in range(count):
            council = CouncilFactory(
                country=austria, parent=network, host_authority=OrganisationFactory()
            )
            council.domains.set(PolicyDomain.objects.all()[:2])

    make(2)
    client.get(f"{API}/councils")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/councils")
    make(17)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/councils").json()

    assert body["count"] == 20


# One council


@pytest.mark.django_db
def test_a_council_lists_only_current_members_who_agreed_to_be_shown(client, councils):
    graz = councils["graz"]
    MembershipFactory(
        council=graz, role=Membership.Role.CHAIR, is_public=True, user__display_name="Nadia",
        contact_email="nadia@example.org", contact_phone="+43 660 111",
    )  # fmt: skip
    MembershipFactory(
        council=graz, is_public=False, user__display_name="Karim Hidden",
        contact_email="karim@example.org",
    )  # fmt: skip
    start = timezone.localdate() - datetime.timedelta(days=800)
    MembershipFactory(
        council=graz, is_public=True, user__display_name="Former Member",
        term_start=start, term_end=start + datetime.timedelta(days=700),
    )  # fmt: skip

    response = client.get(f"{API}/councils/graz")

    body = response.json()
    content = response.content.decode()
    assert response.status_code == 200
    assert body["members"] == [{"public_name": "Nadia", "role": "chair"}]
    assert "Karim Hidden" not in content
    assert "Former Member" not in content
    for secret in ("nadia@example.org", "karim@example.org", "+43 660 111", "username"):
        assert secret not in content


@pytest.mark.django_db
def test_a_council_shows_its_rules_and_description(client, councils):
    body = client.get(f"{API}/councils/graz").json()

    assert (body["slug"], body["country"], body["parent"]) == ("graz", "AT", "network")
    assert body["description"] == "Migrants advise the city."
    assert (body["voting_seats"], body["term_months"]) == (5, 24)
    assert sorted(body["domains"]) == ["health", "housing"]


@pytest.mark.django_db
def test_an_unknown_council_is_a_404_in_the_error_format(client, councils):
    body = assert_error(client.get(f"{API}/councils/nowhere"), 404, "not_found")

    assert body["details"] is None


@pytest.mark.django_db
def test_the_api_is_read_only(client, councils):
    response = client.post(f"{API}/councils", {"slug": "new"}, content_type="application/json")

    assert_error(response, 405, "method_not_allowed")
    assert not CouncilFactory._meta.model.objects.filter(slug="new").exists()
