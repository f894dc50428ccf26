"""Fixtures the Inquiry Lab tests share."""

import pytest

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.inquirylab.tests.factories import ChallengeFactory


@pytest.fixture
def challenge(db):
    """A published challenge in its registration stage, organised by an NGO."""
    return ChallengeFactory()


@pytest.fixture
def organiser(challenge):
    """A representative of the organising NGO, with a second factor."""
    user = with_second_factor(UserFactory(username="organiser", display_name="Lab organiser"))
    grant(user, Role.REPRESENTATIVE, challenge.organiser)
    return user
