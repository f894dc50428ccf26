"""The JSON API at /api/v1/, through the Django test client."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from voices.accounts.models import PersonalAccessToken
from voices.accounts.services import token_create, token_revoke
from voices.accounts.tests.factories import UserFactory
from voices.api import api
from voices.core.tests.api_checks import assert_error
from voices.core.translation import TranslatedText
from voices.directory.models import Organisation
from voices.directory.tests.factories import CountryFactory, OrganisationFactory

API = "/api/v1"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def token(participant) -> str:
    _token, raw = token_create(user=participant, name="script")
    return raw


# Pagination


@pytest.mark.django_db
def test_organisations_are_paginated_with_limit_and_offset_and_counted(client):
    OrganisationFactory.create_batch(5)
    slugs = sorted(Organisation.objects.values_list("slug", flat=True))

    first = client.get(f"{API}/organisations", {"limit": 2}).json()
    rest = client.get(f"{API}/organisations", {"limit": 2, "offset": 2}).json()
    beyond = client.get(f"{API}/organisations", {"offset": 10}).json()

    assert first["count"] == rest["count"] == beyond["count"] == 5
    assert [o["slug"] for o in first["items"] + rest["items"]] == slugs[:4]
    assert beyond["items"] == []


@pytest.mark.django_db
def test_a_list_without_a_limit_gives_the_first_fifty(client):
    OrganisationFactory.create_batch(51)

    body = client.get(f"{API}/organisations").json()

    assert body["count"] == 51
    assert len(body["items"]) == 50


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"limit": 0}, {"limit": 201}, {"limit": "ten"}, {"offset": -1}, {"offset": "x"}],
    ids=["zero", "above-maximum", "not-a-number", "negative-offset", "offset-not-a-number"],
)
def test_a_bad_limit_or_offset_is_invalid_input_that_names_the_parameter(client, query):
    body = assert_error(client.get(f"{API}/organisations", query), 422, "invalid_input")

    assert [error["loc"][-1] for error in body["details"]] == list(query)


@pytest.mark.django_db
def test_countries_are_paginated_and_count_only_active_organisations(client):
    # The seven programme countries come with the database (a data migration).
    austria = CountryFactory(code="AT")
    CountryFactory(code="BE", is_programme=False, language="nl")
    OrganisationFactory(country=austria)
    OrganisationFactory(country=austria, is_active=False)

    everything = client.get(f"{API}/countries").json()
    programme = client.get(f"{API}/countries", {"programme_only": "true"}).json()
    second = client.get(f"{API}/countries", {"limit": 1, "offset": 1}).json()

    assert everything["count"] == 8
    assert everything["items"][0] == {
        "code": "AT", "name": "Austria", "is_programme": True, "organisation_count": 1,
    }  # fmt: skip
    assert programme["count"] == 7
    assert "BE" not in [c["code"] for c in programme["items"]]
    assert [c["code"] for c in second["items"]] == ["BE"]  # by name: Austria, Belgium, ...


# Filters


@pytest.mark.django_db
def test_organisations_can_be_filtered_by_country_whatever_its_case(client):
    OrganisationFactory(slug="graz", country=CountryFactory(code="AT"))
    OrganisationFactory(slug="lyon", country=CountryFactory(code="FR", language="fr"))

    for code in ("FR", "fr"):
        body = client.get(f"{API}/organisations", {"country": code}).json()
        assert [o["slug"] for o in body["items"]] == ["lyon"]
        assert body["count"] == 1


@pytest.mark.django_db
def test_organisations_can_be_filtered_by_kind_and_country_together(client):
    austria = CountryFactory(code="AT")
    OrganisationFactory(slug="graz", country=austria)
    OrganisationFactory(slug="ngo", country=austria, kind=Organisation.Kind.NGO)
    OrganisationFactory(slug="lyon-ngo", country=CountryFactory(code="FR"), kind="ngo")

    ngos = client.get(f"{API}/organisations", {"kind": "ngo"}).json()
    austrian_ngos = client.get(f"{API}/organisations", {"kind": "ngo", "country": "at"}).json()

    assert sorted(o["slug"] for o in ngos["items"]) == ["lyon-ngo", "ngo"]
    assert [o["slug"] for o in austrian_ngos["items"]] == ["ngo"]


@pytest.mark.django_db
def test_an_unknown_kind_is_invalid_input(client):
    body = assert_error(client.get(f"{API}/organisations", {"kind": "club"}), 422, "invalid_input")

    assert body["details"][0]["loc"] == ["query", "kind"]


@pytest.mark.django_db
def test_an_unknown_country_filter_finds_nothing_rather_than_failing(client):
    OrganisationFactory()

    body = client.get(f"{API}/organisations", {"country": "ZZ"}).json()

    assert body == {"items": [], "count": 0}


@pytest.mark.django_db
def test_inactive_organisations_are_not_listed(client):
    OrganisationFactory(slug="open")
    OrganisationFactory(slug="closed", is_active=False)

    body = client.get(f"{API}/organisations").json()

    assert [o["slug"] for o in body["items"]] == ["open"]
    assert body["count"] == 1


@pytest.mark.django_db
def test_an_inactive_organisation_is_not_found_by_an_anonymous_reader(client):
    OrganisationFactory(slug="closed", is_active=False)

    assert_error(client.get(f"{API}/organisations/closed"), 404, "not_found")


# One organisation, one country


@pytest.mark.django_db
def test_an_organisation_is_shown_with_its_names_in_every_language(client):
    OrganisationFactory(
        slug="vienna",
        name=TranslatedText({"de": "Stadt Wien", "en": "City of Vienna"}, original="de"),
        website="https://www.wien.gv.at",
    )

    body = client.get(f"{API}/organisations/vienna").json()

    assert body == {
        "slug": "vienna",
        "name": "City of Vienna",
        "names": {"de": "Stadt Wien", "en": "City of Vienna"},
        "kind": "local_authority",
        "country": "AT",
        "website": "https://www.wien.gv.at",
        "description": "Works with the **migrant council**.",
    }


@pytest.mark.django_db
def test_a_european_body_has_no_country(client):
    OrganisationFactory(slug="eu", kind=Organisation.Kind.EU_BODY, country=None)

    assert client.get(f"{API}/organisations/eu").json()["country"] is None


@pytest.mark.django_db
def test_a_country_is_found_by_its_code_in_either_case(client):
    CountryFactory(code="AT")

    for code in ("AT", "at"):
        body = client.get(f"{API}/countries/{code}").json()
        assert body["code"] == "AT"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/organisations/nobody", "/countries/ZZ", "/countries/AUT", "/countries/1x"]
)
def test_an_unknown_organisation_or_country_is_not_found(client, path):
    CountryFactory(code="AT")

    assert_error(client.get(API + path), 404, "not_found")


# Errors outside the operations


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/nothing-here", "/organisations/", "/"])
def test_an_address_the_api_does_not_have_is_not_found_in_the_error_format(client, path):
    assert_error(client.get(API + path), 404, "not_found")


@pytest.mark.django_db
def test_a_method_an_endpoint_does_not_take_is_refused_in_the_error_format(client):
    response = client.post(f"{API}/organisations", {})

    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


# Authentication: /me


@pytest.mark.django_db
def test_me_with_a_valid_token_shows_the_users_own_profile(client, participant, token):
    participant.country = "FR"
    participant.languages = ["ar", "fr"]
    participant.save()

    response = client.get(f"{API}/me", **bearer(token))

    assert response.status_code == 200
    assert response.json() == {
        "username": "participant",
        "display_name": "Amal",
        "languages": ["ar", "fr"],
        "country": "FR",
        "is_staff_member": False,
    }


@pytest.mark.django_db
def test_me_tells_a_staff_member_so(client, coordinator):
    _token, raw = token_create(user=coordinator, name="script")

    body = client.get(f"{API}/me", **bearer(raw)).json()

    assert body["username"] == "coordinator"
    assert body["is_staff_member"] is True


@pytest.mark.django_db
def test_me_with_a_session_shows_the_signed_in_users_profile(client, participant):
    client.force_login(participant)

    response = client.get(f"{API}/me")

    assert response.status_code == 200
    assert response.json()["username"] == "participant"


@pytest.mark.django_db
def test_me_without_credentials_is_not_authenticated(client):
    assert_error(client.get(f"{API}/me"), 401, "not_authenticated")


@pytest.mark.django_db
def test_me_with_a_revoked_token_is_not_authenticated(client, participant):
    token, raw = token_create(user=participant, name="script")
    token_revoke(token=token)

    assert_error(client.get(f"{API}/me", **bearer(raw)), 401, "not_authenticated")


@pytest.mark.django_db
def test_me_with_an_expired_token_is_not_authenticated(client, participant):
    token, raw = token_create(
        user=participant, name="script", expires_at=timezone.now() + timedelta(days=1)
    )
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert_error(client.get(f"{API}/me", **bearer(raw)), 401, "not_authenticated")


@pytest.mark.django_db
def test_me_with_a_token_not_yet_expired_is_authenticated(client, participant):
    _token, raw = token_create(
        user=participant, name="script", expires_at=timezone.now() + timedelta(hours=1)
    )

    assert client.get(f"{API}/me", **bearer(raw)).status_code == 200


@pytest.mark.django_db
def test_me_with_the_token_of_a_deactivated_user_is_not_authenticated(client, participant, token):
    participant.is_active = False
    participant.save()

    assert_error(client.get(f"{API}/me", **bearer(token)), 401, "not_authenticated")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer nonsense",
        "Bearer vx_" + "a" * 43,
        "Bearer vx_" + "a" * 200,
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "vx_abc",
    ],
    ids=["garbage", "unknown-token", "too-long", "empty", "basic", "no-scheme"],
)
def test_me_with_a_garbage_token_is_not_authenticated(client, token, authorization):
    response = client.get(f"{API}/me", HTTP_AUTHORIZATION=authorization)

    assert_error(response, 401, "not_authenticated")


@pytest.mark.django_db
def test_a_token_is_tied_to_its_user_not_to_the_session(client, participant, outsider):
    _token, raw = token_create(user=outsider, name="script")
    client.force_login(participant)

    assert client.get(f"{API}/me", **bearer(raw)).json()["username"] == "outsider"


@pytest.mark.django_db
def test_using_a_token_records_when_it_was_last_used(client, participant):
    token, raw = token_create(user=participant, name="script")
    assert token.last_used_at is None
    before = timezone.now()

    client.get(f"{API}/me", **bearer(raw))

    token.refresh_from_db()
    assert before <= token.last_used_at <= timezone.now()


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(client, participant):
    token, raw = token_create(user=participant, name="script")
    recently = timezone.now() - timedelta(seconds=30)
    long_ago = timezone.now() - timedelta(minutes=5)

    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=recently)
    client.get(f"{API}/me", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == recently

    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    client.get(f"{API}/me", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at > recently


@pytest.mark.django_db
def test_a_refused_token_records_no_use(client, participant):
    token, raw = token_create(user=participant, name="script")
    token_revoke(token=token)

    client.get(f"{API}/me", **bearer(raw))

    token.refresh_from_db()
    assert token.last_used_at is None


# Languages


@pytest.fixture
def vienna(db) -> Organisation:
    names = {"de": "Stadt Wien", "en": "City of Vienna", "fr": "Ville de Vienne"}
    return OrganisationFactory(slug="vienna", name=TranslatedText(names, original="de"))


@pytest.mark.parametrize(
    ("accept_language", "name"),
    [
        ("fr", "Ville de Vienne"),
        ("de-AT,de;q=0.9", "Stadt Wien"),
        ("en-GB", "City of Vienna"),
        # Not written in Italian: the original, German.
        ("it", "Stadt Wien"),
        # Not in Italian, but the reader also reads French.
        ("it,fr;q=0.8,en;q=0.5", "Ville de Vienne"),
    ],
)
def test_names_come_in_the_language_asked_for_with_the_fallback_chain(
    client, vienna, accept_language, name
):
    detail = client.get(f"{API}/organisations/vienna", HTTP_ACCEPT_LANGUAGE=accept_language)
    listed = client.get(f"{API}/organisations", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert detail.json()["name"] == name
    assert listed.json()["items"][0]["name"] == name
    assert detail.json()["names"] == {
        "de": "Stadt Wien", "en": "City of Vienna", "fr": "Ville de Vienne",
    }  # fmt: skip


def test_a_signed_in_readers_own_languages_come_before_the_original(client, vienna):
    reader = UserFactory(languages=["uk", "fr"])
    client.force_login(reader)

    body = client.get(f"{API}/organisations/vienna", HTTP_ACCEPT_LANGUAGE="it").json()

    assert body["name"] == "Ville de Vienne"


# Performance


@pytest.mark.django_db
@pytest.mark.parametrize("how_many", [3, 30])
def test_the_organisation_list_runs_the_same_queries_however_many_there_are(
    client, django_assert_num_queries, how_many
):
    austria = CountryFactory(code="AT")
    OrganisationFactory.create_batch(how_many, country=austria)
    OrganisationFactory.create_batch(
        how_many, country=CountryFactory(code="FR"), kind=Organisation.Kind.NGO
    )

    with django_assert_num_queries(2):  # the count and the page
        response = client.get(f"{API}/organisations", {"limit": 100})

    assert response.json()["count"] == 2 * how_many


@pytest.mark.django_db
@pytest.mark.parametrize("how_many", [3, 30])
def test_the_country_list_runs_the_same_queries_however_many_organisations_there_are(
    client, django_assert_num_queries, how_many
):
    OrganisationFactory.create_batch(how_many, country=CountryFactory(code="AT"))

    with django_assert_num_queries(1):
        response = client.get(f"{API}/countries")

    assert response.json()["items"][0]["organisation_count"] == how_many


# The OpenAPI document


@pytest.mark.django_db
def test_the_openapi_document_lists_every_endpoint(client):
    served = {
        API + "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        for pattern in api.urls[0]
        if pattern.name not in {"api-root", "openapi-json", "openapi-view"}
    }

    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Voices API"
    assert set(document["paths"]) == served
    assert {f"{API}/organisations", f"{API}/organisations/{{slug}}", f"{API}/me"} <= served


@pytest.mark.django_db
def test_the_openapi_document_describes_the_error_format_and_the_errors(client):
    document = client.get(f"{API}/openapi.json").json()
    paths = document["paths"]

    assert set(document["components"]["schemas"]["ErrorOut"]["properties"]) == {
        "code", "message", "details",
    }  # fmt: skip
    assert "422" in paths[f"{API}/organisations"]["get"]["responses"]
    assert "404" in paths[f"{API}/organisations/{{slug}}"]["get"]["responses"]
    assert "401" in paths[f"{API}/me"]["get"]["responses"]
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
