"""Supports under simultaneous clicks: one per person and proposal, and never more than the
consultation's limit per person, however many requests arrive at once.

These run in real transactions with one database connection per thread, on SQLite and PostgreSQL
alike (as the councils' simultaneous votes test does).
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections

from voices.consultations import services
from voices.consultations.models import Proposal, Support
from voices.consultations.tests.factories import ProposalFactory


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


@pytest.mark.django_db(transaction=True)
def test_forty_simultaneous_supports_from_one_person_store_exactly_one(consultation, participant):
    proposal = Proposal.objects.select_related("consultation").get(
        pk=ProposalFactory(consultation=consultation).pk
    )

    outcomes = at_once(40, lambda _n: services.support_add(user=participant, proposal=proposal))

    assert outcomes.count("stored") == 1
    assert set(outcomes) <= {"stored", "already_supported", "locked"}
    assert Support.objects.filter(proposal=proposal).count() == 1
    proposal.refresh_from_db()
    assert proposal.supports_count == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_supports_for_different_proposals_stay_within_the_limit(
    consultation, participant
):
    consultation.supports_per_person = 3
    consultation.save()
    proposals = [
        Proposal.objects.select_related("consultation").get(pk=p.pk)
        for p in ProposalFactory.create_batch(10, consultation=consultation)
    ]

    outcomes = at_once(
        30, lambda n: services.support_add(user=participant, proposal=proposals[n % 10])
    )

    assert outcomes.count("stored") == 3
    assert set(outcomes) <= {"stored", "support_limit", "already_supported", "locked"}
    assert Support.objects.filter(participant__user=participant).count() == 3
    counts = Proposal.objects.filter(consultation=consultation).values_list(
        "supports_count", flat=True
    )
    assert sorted(counts, reverse=True) == [1, 1, 1] + [0] * 7
