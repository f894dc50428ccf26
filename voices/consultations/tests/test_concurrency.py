"""Supports under simultaneous clicks: one per person and proposal, and never more than the
consultation's limit per person, however many requests arrive at once.

These run in real transactions with one database connection per thread, on SQLite and PostgreSQL
alike (as the councils' simultaneous votes test does).
"""

import pytest

from voices.consultations import services
from voices.consultations.models import Proposal, Support
from voices.consultations.tests.factories import ProposalFactory
from voices.core.tests.concurrency import at_once


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
