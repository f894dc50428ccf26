"""Fixtures the opinion map tests share: a city consultation in its contributions phase with an
opinion map, run by the `officer` fixture's authority."""

import pytest
from django_tasks import default_task_backend

from voices.consultations.tests.factories import ConsultationFactory
from voices.opinions.tests.factories import OpinionMapFactory


@pytest.fixture
def consultation(authority):
    """The City of Graz asks; its officer (the `officer` fixture) runs and moderates it."""
    return ConsultationFactory(owner_organisation=authority, components=["proposals", "opinions"])


@pytest.fixture
def opinion_map(consultation):
    return OpinionMapFactory(consultation=consultation)


@pytest.fixture
def open_to_anonymous(consultation):
    """People without an account may take part (the owner's choice)."""
    consultation.allows_anonymous = True
    consultation.save()
    return consultation


@pytest.fixture
def tasks_kept(settings):
    """Enqueued tasks are kept (not run), so a test sees what was enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend
