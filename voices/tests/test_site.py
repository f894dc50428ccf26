"""Site-wide behaviour: language choice, security headers, error pages, the home page."""

import pytest
from django.urls import reverse

from voices.accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_the_root_sends_a_visitor_to_their_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.django_db
def test_a_signed_in_users_first_language_comes_before_the_browsers(client):
    user = UserFactory(languages=["uk", "de"])
    client.force_login(user)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == "/uk/"


@pytest.mark.django_db
def test_the_language_in_the_address_wins_over_everything(client):
    client.force_login(UserFactory(languages=["uk"]))
    response = client.get("/ar/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.django_db
def test_every_page_offers_every_language(client):
    html = client.get("/de/countries/").content.decode()
    for code in ("en", "fr", "de", "it", "el", "bg", "hu", "ro", "ar", "fa", "uk"):
        assert f'hreflang="{code}"' in html
    assert 'href="/fa/countries/"' in html


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_no_page_refers_to_another_host(client):
    html = client.get("/en/").content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


@pytest.mark.django_db
def test_an_unknown_page_gets_a_translated_404(client):
    response = client.get("/el/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="el"' in response.content.decode()
    assert "Page not found" not in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_shows_real_empty_states_and_disclosed_figures(client):
    for n in range(3):
        UserFactory(username=f"u{n}")
    html = client.get(reverse("home")).content.decode()
    assert "No council has been set up yet." in html
    assert "No consultation is open right now." in html
    # Three accounts are too few to publish: disclosure control hides the exact number.
    assert "fewer than 10" in html


@pytest.mark.django_db
def test_the_home_page_runs_the_same_queries_however_many_countries(
    client, django_assert_max_num_queries
):
    from voices.directory.tests.factories import CountryFactory, OrganisationFactory

    for code in ("AT", "BG", "FR"):
        OrganisationFactory(country=CountryFactory(code=code))
    client.get("/en/")  # warm the content-type cache
    with django_assert_max_num_queries(8) as few:
        client.get("/en/")
    for code in ("GR", "HU", "IT", "RO", "PT", "ES", "DE"):
        OrganisationFactory(country=CountryFactory(code=code))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/en/")
