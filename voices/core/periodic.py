"""Recurring background work: apps register a task and how often it should run.

`manage.py periodic` (run by `make worker`, or by cron with `--once`) enqueues each registered task
when its interval has passed. The last run of each is a row locked while it is checked, so two
schedulers never enqueue the same round twice; the tasks themselves are written to be safe to run
twice anyway (a reminder is a unique row, a digest marks what it sent).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from .models import PeriodicRun


@dataclass(frozen=True)
class Periodic:
    task: Any  # a django-tasks Task taking no arguments
    every: datetime.timedelta


_registry: dict[str, Periodic] = {}


def register(task: Any, *, every: datetime.timedelta = datetime.timedelta(minutes=15)) -> Any:
    """Run `task` (no arguments) about every `every`."""
    _registry[task.module_path] = Periodic(task=task, every=every)
    return task


def registered() -> dict[str, Periodic]:
    return dict(_registry)


def periodic_enqueue_due(*, now: datetime.datetime) -> list[str]:
    """Enqueue every registered task whose interval has passed; return their names."""
    enqueued = []
    for name, entry in sorted(_registry.items()):
        with transaction.atomic():
            run, _created = PeriodicRun.objects.select_for_update().get_or_create(name=name)
            if run.last_enqueued_at and now - run.last_enqueued_at < entry.every:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            transaction.on_commit(entry.task.enqueue)
        enqueued.append(name)
    return enqueued
