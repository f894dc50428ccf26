"""Fixtures the consultations tests share: a city consultation in its contributions phase."""

import pytest

from voices.consultations.tests.factories import ConsultationFactory


@pytest.fixture
def consultation(authority):
    """The City of Graz asks; its officer (the `officer` fixture) runs it."""
    return ConsultationFactory(owner_organisation=authority)
