"""Staff need a second factor before staff pages; Django's admin is for superusers with one."""

import types

import pytest
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from voices.accounts.models import Role
from voices.accounts.tests.factories import (
    TEST_TOTP_SECRET,
    UserFactory,
    grant,
    with_second_factor,
)

PASSWORD = "correct horse battery"
STAFF_PAGES = ["core:audit_log", "directory:organisation_create"]


# The second factor's clock stands still in these tests: a code computed by the test and
# checked by the server a moment later could otherwise fall on either side of a 30-second step.
NOW = 1_800_000_015


@pytest.fixture(autouse=True)
def _totp_clock(monkeypatch):
    monkeypatch.setattr(totp_auth, "time", types.SimpleNamespace(time=lambda: NOW))


def code_at(step: int = 0) -> str:
    """The code of the 30-second step `step` steps away from now."""
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, NOW // 30 + step))


def current_code() -> str:
    return code_at(0)


def sign_in(client, code: str) -> None:
    """The coordinator's password, then `code` as their second factor."""
    client.post(reverse("account_login"), {"login": "coordinator", "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})


@pytest.mark.django_db
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_without_a_second_factor_are_sent_to_set_one_up(
    client, staff_without_second_factor, page
):
    client.force_login(staff_without_second_factor)

    response = client.get(reverse(page), follow=True)

    assert response.redirect_chain[0] == (reverse("mfa_activate_totp"), 302)
    assert "Staff accounts need a second factor." in response.content.decode()


@pytest.mark.django_db
def test_an_officer_without_a_second_factor_is_sent_to_set_one_up(client, authority):
    officer = UserFactory()
    grant(officer, Role.OFFICER, authority)
    client.force_login(officer)

    response = client.get(reverse("core:audit_log"))

    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_with_a_second_factor_reach_the_page(client, coordinator, page):
    client.force_login(coordinator)

    assert client.get(reverse(page)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_non_staff_are_not_asked_for_a_second_factor(client, participant, page):
    client.force_login(participant)

    response = client.get(reverse(page))

    assert response.status_code == 403  # refused by the page's own permission, not redirected


@pytest.mark.django_db
def test_a_researcher_is_not_staff_and_needs_no_second_factor():
    researcher = UserFactory()
    grant(researcher, Role.RESEARCHER)

    assert not researcher.needs_second_factor()


@pytest.mark.django_db
def test_setting_up_a_second_factor_lifts_the_requirement(staff_without_second_factor):
    assert staff_without_second_factor.needs_second_factor()

    with_second_factor(staff_without_second_factor)

    assert not staff_without_second_factor.needs_second_factor()


@pytest.mark.django_db
def test_staff_logging_in_with_a_password_are_asked_for_their_code(client, coordinator):
    response = client.post(reverse("account_login"), {"login": "coordinator", "password": PASSWORD})

    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session

    client.post(reverse("mfa_authenticate"), {"code": current_code()})

    assert client.session[SESSION_KEY] == str(coordinator.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("step", [-1, 1])
def test_a_code_one_step_early_or_late_is_still_accepted(client, coordinator, step):
    sign_in(client, code_at(step))

    assert client.session[SESSION_KEY] == str(coordinator.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("step", [-2, 2])
def test_a_code_two_steps_away_is_refused(client, coordinator, step):
    sign_in(client, code_at(step))

    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_code_works_only_once(client, coordinator):
    sign_in(client, current_code())
    client.logout()

    sign_in(client, current_code())

    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_wrong_code_does_not_log_staff_in(client, coordinator):
    wrong = f"{(int(current_code()) + 1) % 1_000_000:06d}"

    sign_in(client, wrong)

    assert SESSION_KEY not in client.session


# Django's admin


@pytest.mark.django_db
def test_a_superuser_with_a_second_factor_reaches_the_admin(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_superuser_without_a_second_factor_is_sent_to_set_one_up(client):
    superuser = UserFactory(is_superuser=True)
    client.force_login(superuser)

    response = client.get(reverse("admin:index"))

    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "officer", "participant"])
def test_anyone_signed_in_who_is_not_a_superuser_is_refused_the_admin(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:index"))

    # A 403, not a redirect to the login page, which sends signed-in users back: a loop.
    assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_site_login_for_the_admin(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "next=" in response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_admin_model_pages_are_closed_to_staff_who_are_not_superusers(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 403


@pytest.mark.django_db
def test_a_superuser_with_a_second_factor_can_open_admin_model_pages(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
