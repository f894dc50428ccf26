"""Deleting one's account takes the password and removes the personal data hanging on it."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from voices.accounts.models import PersonalAccessToken, RoleGrant, User
from voices.accounts.services import user_delete
from voices.accounts.tests.factories import EmailAddressFactory, TokenFactory
from voices.core.audit import audit_record
from voices.core.models import AuditEntry, Notification

PASSWORD = "correct horse battery"


@pytest.fixture
def full_account(coordinator, authority):
    """A staff account with everything that can hang on it."""
    EmailAddressFactory(user=coordinator)
    TokenFactory(user=coordinator)
    Notification.objects.create(recipient=coordinator, kind="k", subject="s", body="b")
    audit_record(actor=coordinator, action="update", obj=authority, before={}, after={})
    return coordinator


@pytest.mark.django_db
def test_the_page_needs_a_signed_in_user(client):
    response = client.get(reverse("accounts:delete"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_page_asks_for_the_password(client, participant):
    client.force_login(participant)

    response = client.get(reverse("accounts:delete"))

    assert response.status_code == 200
    assert "password" in response.context["form"].fields


@pytest.mark.django_db
def test_a_wrong_password_deletes_nothing(client, participant):
    client.force_login(participant)

    response = client.post(reverse("accounts:delete"), {"password": "not it"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["The password is not correct."]
    assert User.objects.filter(pk=participant.pk).exists()
    assert client.session.get(SESSION_KEY) == str(participant.pk)


@pytest.mark.django_db
def test_a_missing_password_deletes_nothing(client, participant):
    client.force_login(participant)

    response = client.post(reverse("accounts:delete"), {"password": ""})

    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=participant.pk).exists()


@pytest.mark.django_db
def test_the_right_password_deletes_the_account_and_signs_out(client, full_account):
    client.force_login(full_account)

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account and your personal data were deleted." in response.content.decode()
    assert not User.objects.filter(username="coordinator").exists()
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_deleting_removes_email_addresses_roles_tokens_authenticators_and_notifications(
    full_account,
):
    user_id = full_account.pk

    user_delete(user=full_account)

    assert not EmailAddress.objects.filter(user_id=user_id).exists()
    assert not RoleGrant.objects.filter(user_id=user_id).exists()
    assert not PersonalAccessToken.objects.filter(user_id=user_id).exists()
    assert not Authenticator.objects.filter(user_id=user_id).exists()
    assert not Notification.objects.filter(recipient_id=user_id).exists()


@pytest.mark.django_db
def test_the_audit_log_keeps_the_name_the_actor_had(full_account):
    user_delete(user=full_account)

    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_label == "coordinator"


@pytest.mark.django_db
def test_roles_the_person_granted_to_others_survive(coordinator, participant):
    from voices.accounts.models import Role
    from voices.accounts.services import role_grant

    given = role_grant(actor=coordinator, user=participant, role=Role.MENTOR)

    user_delete(user=coordinator)

    given.refresh_from_db()
    assert given.granted_by is None


@pytest.mark.django_db
def test_deleting_leaves_other_people_alone(full_account, participant):
    EmailAddressFactory(user=participant)
    TokenFactory(user=participant)

    user_delete(user=full_account)

    assert User.objects.filter(pk=participant.pk).exists()
    assert EmailAddress.objects.filter(user=participant).exists()
    assert PersonalAccessToken.objects.filter(user=participant).exists()
