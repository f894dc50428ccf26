"""Fixtures the engine's tests share: the stand-in owner is registered for every test."""

import pytest

from .factories import register_test_owner


@pytest.fixture(autouse=True)
def _test_owner():
    register_test_owner()
