"""/healthz: the database answers and the task queue is being worked."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from voices.core.tasks import email_send


def waiting_task(*, minutes: int, run_after: datetime.datetime | None = None, **fields):
    """A task the worker has not picked up, enqueued `minutes` ago."""
    result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=email_send.module_path,
        backend_name="default",
        run_after=run_after,
        **fields,
    )
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return result


@pytest.mark.django_db
def test_it_reports_ok_when_the_database_answers_and_nothing_waits(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "tasks": "ok",
        "tasks_waiting": 0,
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_needs_no_sign_in_and_no_language_prefix(client):
    response = client.get("/healthz", follow=False)

    assert response.status_code == 200


@pytest.mark.django_db
def test_recently_queued_tasks_are_fine(client):
    waiting_task(minutes=5)
    waiting_task(minutes=14)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["tasks"] == "ok"
    assert response.json()["tasks_waiting"] == 2


@pytest.mark.django_db
def test_it_reports_a_stalled_queue_when_a_task_waited_over_fifteen_minutes(client):
    waiting_task(minutes=16)
    waiting_task(minutes=1)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["tasks"] == "stalled"
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["SUCCESSFUL", "FAILED", "RUNNING"])
def test_old_tasks_that_are_not_waiting_do_not_count(client, status):
    waiting_task(minutes=120, status=status)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["tasks_waiting"] == 0


@pytest.mark.django_db
def test_a_task_scheduled_for_later_is_not_stalled(client):
    waiting_task(minutes=120, run_after=timezone.now() + datetime.timedelta(hours=1))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["tasks"] == "ok"


@pytest.mark.django_db
def test_a_scheduled_task_counts_as_waiting_only_from_when_it_was_due(client):
    # Enqueued two hours ago to run five minutes ago: it has waited five minutes, not two hours.
    waiting_task(minutes=120, run_after=timezone.now() - datetime.timedelta(minutes=5))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["tasks"] == "ok"


@pytest.mark.django_db
def test_a_scheduled_task_overdue_by_more_than_fifteen_minutes_is_stalled(client):
    waiting_task(minutes=120, run_after=timezone.now() - datetime.timedelta(minutes=20))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["tasks"] == "stalled"


@pytest.mark.django_db
def test_it_reports_503_when_the_database_does_not_answer(client, monkeypatch):
    import voices.views

    class BrokenConnection:
        def cursor(self):
            raise OSError("connection refused")

    monkeypatch.setattr(voices.views, "connection", BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
