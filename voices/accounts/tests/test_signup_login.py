"""Signing up, logging in and out, resetting a password, and slowing down password guessing."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import translation

from voices.accounts.models import User
from voices.accounts.tests.factories import EmailAddressFactory, UserFactory

PASSWORD = "correct horse battery"  # what UserFactory sets
NEW_PASSWORD = "a long and unusual passphrase 42"


def url_in(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


# Sign-up


@pytest.mark.django_db
def test_it_signs_up_with_a_username_and_a_password_only(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"username": "yusuf", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    user = User.objects.get(username="yusuf")
    assert user.email == ""
    assert user.display_name == "yusuf"  # no public name given: the username stands in
    assert user.languages == ["en"]
    assert signed_in_user_id(client) == str(user.pk)
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_keeps_the_public_name_given_at_sign_up(client):
    client.post(
        reverse("account_signup"),
        {
            "username": "yusuf",
            "display_name": "  Yusuf from Lyon ",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert User.objects.get(username="yusuf").display_name == "Yusuf from Lyon"


@pytest.mark.django_db
def test_an_email_given_at_sign_up_is_verified_by_an_email_in_the_users_language(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url_in("fr", "account_signup"),
            {
                "username": "mariam",
                "email": "mariam@example.org",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

    assert response.status_code == 302
    user = User.objects.get(username="mariam")
    assert user.languages == ["fr"]
    address = EmailAddress.objects.get(user=user)
    assert address.email == "mariam@example.org"
    assert not address.verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mariam@example.org"]
    assert "Confirmez votre adresse e-mail" in message.subject
    assert "/accounts/confirm-email/" in message.body


@pytest.mark.django_db
def test_the_verification_email_waits_for_the_sign_up_to_commit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("account_signup"),
            {
                "username": "mariam",
                "email": "mariam@example.org",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_refuses_a_taken_username(client, participant):
    response = client.post(
        reverse("account_signup"),
        {"username": "participant", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert User.objects.filter(username="participant").count() == 1


@pytest.mark.django_db
def test_it_refuses_a_weak_password(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "yusuf", "password1": "12345678", "password2": "12345678"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(username="yusuf").exists()


@pytest.mark.django_db
def test_it_refuses_an_email_someone_else_uses(client):
    EmailAddressFactory(user=UserFactory(email="taken@example.org"))

    response = client.post(
        reverse("account_signup"),
        {
            "username": "yusuf",
            "email": "taken@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not User.objects.filter(username="yusuf").exists()


# Login and logout


@pytest.mark.django_db
def test_it_logs_in_with_username_and_password(client, participant):
    response = client.post(reverse("account_login"), {"login": "participant", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(participant.pk)


@pytest.mark.django_db
def test_it_logs_in_with_an_email_address(client, participant):
    EmailAddressFactory(user=participant)

    client.post(reverse("account_login"), {"login": participant.email, "password": PASSWORD})

    assert signed_in_user_id(client) == str(participant.pk)


@pytest.mark.django_db
def test_it_refuses_a_wrong_password(client, participant):
    response = client.post(
        reverse("account_login"), {"login": "participant", "password": "not the password"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert signed_in_user_id(client) is None


@pytest.mark.django_db
def test_it_logs_out_on_post(client, participant):
    client.force_login(participant)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def fail_logins(client, username: str, times: int) -> None:
    for _ in range(times):
        response = client.post(reverse("account_login"), {"login": username, "password": "wrong"})
        assert signed_in_user_id(client) is None
        assert response.status_code == 200


@pytest.mark.django_db
def test_a_few_failed_logins_do_not_lock_the_account(client, participant):
    fail_logins(client, "participant", 4)

    client.post(reverse("account_login"), {"login": "participant", "password": PASSWORD})

    assert signed_in_user_id(client) == str(participant.pk)


@pytest.mark.django_db
def test_after_five_failed_logins_even_the_right_password_is_refused(client, participant):
    fail_logins(client, "participant", 5)

    response = client.post(reverse("account_login"), {"login": "participant", "password": PASSWORD})

    assert signed_in_user_id(client) is None
    assert "Too many failed login attempts. Try again later." in response.content.decode()


@pytest.mark.django_db
def test_the_failed_login_limit_also_counts_per_account_across_addresses(client, participant):
    for number in range(5):
        client.post(
            reverse("account_login"),
            {"login": "participant", "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{number + 1}",
        )

    client.post(
        reverse("account_login"),
        {"login": "participant", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.99",
    )

    assert signed_in_user_id(client) is None


# Password reset


@pytest.mark.django_db
def test_a_password_reset_email_goes_out_in_the_users_language(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="amira@example.org", languages=["de", "en"])
    EmailAddressFactory(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "amira@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amira@example.org"]
    assert "E-Mail zum Zurücksetzen des Passworts" in message.subject  # German, not English
    assert "/accounts/password/reset/key/" in message.body


@pytest.mark.django_db
def test_the_reset_link_lets_the_user_choose_a_new_password(
    client, django_capture_on_commit_callbacks
):
    import re

    user = UserFactory(email="amira@example.org")
    EmailAddressFactory(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "amira@example.org"})
    link = re.search(r"http://testserver(/\S+/password/reset/key/\S+/)", mail.outbox[0].body)

    form_page = client.get(link.group(1), follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
