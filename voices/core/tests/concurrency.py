"""Simultaneous requests in tests: many threads, one database connection each, released together.

Every app's concurrency tests use it (votes, supports, bookings, team places), on SQLite and
PostgreSQL alike; it lives in core so that apps on one line need not import each other's tests.
"""

import threading
import time

from django.core.exceptions import ValidationError
from django.db import OperationalError, connections


def at_once(count: int, work) -> list[str]:
    """Run `work(n)` in `count` threads released together; return each one's outcome."""
    start = threading.Barrier(count)
    outcomes: list[str] = []

    def attempt(n: int) -> None:
        try:
            start.wait(timeout=30)
            # A deadline, not a number of tries: on a busy machine fifty SQLite writers can keep
            # one waiting for longer than a fixed count of short sleeps.
            deadline = time.monotonic() + 30
            while True:
                try:
                    work(n)
                except OperationalError:
                    # SQLite answers "database is locked" to a writer that has to wait: that is a
                    # refusal too, but trying again reaches the check that matters.
                    outcome = "locked"
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.005)
                    continue
                except ValidationError as exc:
                    outcome = exc.code
                else:
                    outcome = "stored"
                break
            outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert len(outcomes) == count
    return outcomes
