"""Schemathesis explores the whole API against its own OpenAPI document, in-process.

The schema is read from the Django WSGI app (no network); every operation becomes a test whose
generated requests (valid ones, invalid ones, other HTTP methods) must get a documented status code
and a body matching the schema, and every 4xx must have the error format.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings

from voices.accounts.models import User
from voices.accounts.services import token_create
from voices.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

EXPLORE = settings(
    max_examples=30,
    deadline=None,
    # The fixtures only hand out the module's demo data: nothing to reset between examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def errors_have_the_error_format(ctx, response, case) -> None:
    """Every 4xx, documented or not (e.g. a 405), is `{"code", "message", "details"}`."""
    if 400 <= response.status_code < 500:
        content_type = response.headers.get("content-type", [""])
        assert "application/json" in str(content_type), f"{response.status_code}: {content_type}"
        body = response.json()
        assert isinstance(body, dict), body
        assert set(body) == {"code", "message", "details"}, body
        assert isinstance(body["code"], str) and body["code"], body
        assert isinstance(body["message"], str) and body["message"], body


@pytest.fixture(scope="module")
def _keep_connection_open():
    """Requests go through the real WSGI handler, which closes the database connection when a
    request ends inside a transaction (as tests are); Django's test client switches that off
    too. Without this, PostgreSQL loses the test transaction after the first request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_token(django_db_setup, django_db_blocker, _keep_connection_open) -> str:
    """Seed the demo programme once for the module (it hashes ten passwords), then roll back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--quiet-logins")
        _token, raw = token_create(user=User.objects.get(username="amina"), name="schemathesis")
        yield raw
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_token, db) -> None:
    """Each test runs in a savepoint inside the module's transaction, so sees the demo data."""


@pytest.fixture
def bearer(demo_token, db) -> dict[str, str]:
    return {"Authorization": f"Bearer {demo_token}"}


@schema.parametrize()
@EXPLORE
def test_every_anonymous_request_gets_a_documented_answer(case, demo):
    case.call_and_validate(additional_checks=[errors_have_the_error_format])


@schema.parametrize()
@EXPLORE
def test_every_request_with_a_token_gets_a_documented_answer(case, bearer):
    case.call_and_validate(headers=bearer, additional_checks=[errors_have_the_error_format])
