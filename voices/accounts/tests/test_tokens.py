"""Personal API tokens: shown once, stored as a hash, revocable only by their owner."""

import datetime
import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from voices.accounts.models import PersonalAccessToken
from voices.accounts.services import (
    TOKEN_PREFIX,
    token_authenticate,
    token_create,
    token_revoke,
)
from voices.accounts.tests.factories import TokenFactory

SECRET = re.compile(r'<code class="secret">([^<]+)</code>')


@pytest.fixture
def signed_in(client, participant):
    client.force_login(participant)
    return client


# The tokens page


@pytest.mark.django_db
def test_the_tokens_page_needs_a_signed_in_user(client):
    response = client.get(reverse("accounts:tokens"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_creating_a_token_shows_its_secret_once(signed_in, participant):
    response = signed_in.post(reverse("accounts:tokens"), {"name": "data export"})

    secret = SECRET.search(response.content.decode()).group(1)
    assert secret.startswith(TOKEN_PREFIX)
    token = PersonalAccessToken.objects.get(user=participant)
    assert token.name == "data export"
    assert token.prefix == secret[:10]
    assert token.expires_at is None

    again = signed_in.get(reverse("accounts:tokens"))

    assert secret not in again.content.decode()
    assert "data export" in again.content.decode()


@pytest.mark.django_db
def test_only_the_hash_of_the_secret_is_stored(signed_in, participant):
    response = signed_in.post(reverse("accounts:tokens"), {"name": "script"})
    secret = SECRET.search(response.content.decode()).group(1)

    token = PersonalAccessToken.objects.get(user=participant)

    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = PersonalAccessToken.objects.filter(pk=token.pk).values().get()
    assert secret not in {str(v) for v in stored.values()}
    assert token_authenticate(secret) == participant


@pytest.mark.django_db
def test_the_form_is_empty_again_after_creating(signed_in):
    response = signed_in.post(reverse("accounts:tokens"), {"name": "script"})

    assert not response.context["form"].is_bound


@pytest.mark.django_db
def test_a_token_needs_a_name(signed_in, participant):
    response = signed_in.post(reverse("accounts:tokens"), {"name": ""})

    assert "name" in response.context["form"].errors
    assert not PersonalAccessToken.objects.exists()


@pytest.mark.django_db
def test_an_expiry_day_in_the_past_is_refused(signed_in):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = signed_in.post(
        reverse("accounts:tokens"), {"name": "script", "expires_on": yesterday.isoformat()}
    )

    assert response.context["form"].errors["expires_on"] == ["Choose today or a later day."]
    assert response.context["new_secret"] is None
    assert not PersonalAccessToken.objects.exists()


@pytest.mark.django_db
def test_a_token_expires_at_the_end_of_the_chosen_day_in_the_users_time_zone(
    signed_in, participant
):
    participant.time_zone = "Asia/Tokyo"
    participant.save()
    day = timezone.localdate() + datetime.timedelta(days=10)

    signed_in.post(reverse("accounts:tokens"), {"name": "script", "expires_on": day.isoformat()})

    token = PersonalAccessToken.objects.get()
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    assert token.expires_at == datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(), tokyo
    )


@pytest.mark.django_db
def test_the_page_lists_only_the_users_own_tokens(signed_in, participant, outsider):
    TokenFactory(user=participant, name="mine")
    TokenFactory(user=outsider, name="theirs")

    response = signed_in.get(reverse("accounts:tokens"))

    assert [t.name for t in response.context["tokens"]] == ["mine"]


# Revoking


@pytest.mark.django_db
def test_the_owner_can_revoke_a_token(signed_in, participant):
    token = TokenFactory(user=participant, name="old script")

    response = signed_in.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:tokens")
    assert "The token “old script” no longer works." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_revoking_needs_a_post(signed_in, participant):
    token = TokenFactory(user=participant)

    response = signed_in.get(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_someone_elses_token_is_a_404(signed_in, outsider):
    token = TokenFactory(user=outsider)

    response = signed_in.post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_revoking_needs_a_signed_in_user(client, participant):
    token = TokenFactory(user=participant)

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


# The services


@pytest.mark.django_db
def test_token_create_refuses_an_expiry_in_the_past(participant):
    with pytest.raises(ValidationError) as exc:
        token_create(
            user=participant,
            name="x",
            expires_at=timezone.now() - datetime.timedelta(minutes=1),
        )

    assert "expires_at" in exc.value.message_dict
    assert not PersonalAccessToken.objects.exists()


@pytest.mark.django_db
def test_each_token_gets_a_different_secret(participant):
    _a, first = token_create(user=participant, name="a")
    _b, second = token_create(user=participant, name="b")

    assert first != second
    assert len(first) > 40


@pytest.mark.django_db
def test_revoking_twice_keeps_the_first_time(participant):
    token, _secret = token_create(user=participant, name="a")
    token_revoke(token=token)
    token.refresh_from_db()
    first = token.revoked_at

    token_revoke(token=token)

    token.refresh_from_db()
    assert token.revoked_at == first


@pytest.mark.django_db
def test_a_revoked_token_no_longer_authenticates(participant):
    token, secret = token_create(user=participant, name="a")

    token_revoke(token=token)

    assert token_authenticate(secret) is None


@pytest.mark.django_db
def test_an_expired_token_no_longer_authenticates(participant):
    token, secret = token_create(
        user=participant, name="a", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert token_authenticate(secret) is None


@pytest.mark.django_db
def test_a_deactivated_users_token_no_longer_authenticates(participant):
    _token, secret = token_create(user=participant, name="a")
    participant.is_active = False
    participant.save()

    assert token_authenticate(secret) is None


@pytest.mark.parametrize("raw", ["", "abc", "vx_" + "a" * 200, "Bearer vx_abc"])
@pytest.mark.django_db
def test_malformed_tokens_do_not_authenticate(raw):
    assert token_authenticate(raw) is None


@pytest.mark.django_db
def test_using_a_token_records_when_at_most_once_a_minute(participant, django_assert_num_queries):
    token, secret = token_create(user=participant, name="a")

    token_authenticate(secret)
    token.refresh_from_db()
    first_use = token.last_used_at

    with django_assert_num_queries(1):  # the lookup only, no write
        token_authenticate(secret)

    token.refresh_from_db()
    assert first_use is not None
    assert token.last_used_at == first_use
