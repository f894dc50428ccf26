"""Personas shared by every test: one fixture per kind of person on Voices."""

import pytest

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.directory.tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Start each test in English: a request to /fr/... leaves French active in the thread."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def participant(db):
    return UserFactory(username="participant", display_name="Amal")


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider", display_name="Someone else")


@pytest.fixture
def admin_user(db):
    return with_second_factor(UserFactory(username="admin", is_superuser=True))


@pytest.fixture
def coordinator(db):
    user = UserFactory(username="coordinator")
    grant(user, Role.COORDINATOR)
    return with_second_factor(user)


@pytest.fixture
def authority(db):
    return OrganisationFactory(slug="city-of-graz")


@pytest.fixture
def officer(authority):
    user = UserFactory(username="officer")
    grant(user, Role.OFFICER, authority)
    return with_second_factor(user)


@pytest.fixture
def staff_without_second_factor(db):
    user = UserFactory(username="newcoordinator")
    grant(user, Role.COORDINATOR)
    return user
