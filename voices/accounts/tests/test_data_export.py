import json

import pytest
from django.urls import reverse

from voices.accounts.models import Role
from voices.accounts.services import token_create
from voices.accounts.tests.factories import UserFactory, grant


@pytest.mark.django_db
def test_a_person_downloads_everything_held_about_them(client, participant):
    grant(participant, Role.RESEARCHER)
    token_create(user=participant, name="my script")
    client.force_login(participant)

    response = client.get(reverse("accounts:data"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["username"] == "participant"
    assert data["account"]["public_name"] == "Amal"
    assert [r["role"] for r in data["roles"]] == ["researcher"]
    assert [t["name"] for t in data["api_tokens"]] == ["my script"]
    assert "token_hash" not in response.content.decode()


@pytest.mark.django_db
def test_the_download_holds_nobody_elses_data(client, participant):
    UserFactory(username="neighbour", display_name="Neighbour")
    client.force_login(participant)

    content = client.get(reverse("accounts:data")).content.decode()

    assert "neighbour" not in content.lower()
