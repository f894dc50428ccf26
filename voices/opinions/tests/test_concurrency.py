"""Votes and statements under simultaneous requests: one vote per person and statement, counters
that match the rows, statement numbers that never repeat, and one analysis enqueued.

These run in real transactions with one database connection per thread, on SQLite and PostgreSQL
alike (as the consultations' simultaneous supports test does).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from voices.accounts.tests.factories import UserFactory
from voices.core.tests.concurrency import at_once
from voices.opinions import services
from voices.opinions.models import OpinionMap, Statement, Vote
from voices.opinions.tests.factories import OpinionMapFactory, StatementFactory

# Enqueued analyses are kept, not run, so the threads only vote; the consultation lets people
# without an account take part (one test votes from a browser without an account).
pytestmark = pytest.mark.usefixtures("tasks_kept", "open_to_anonymous")


@pytest.fixture
def statement(consultation) -> Statement:
    statement = StatementFactory(map=OpinionMapFactory(consultation=consultation))
    return Statement.objects.select_related("consultation").get(pk=statement.pk)


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_identical_votes_from_one_person_store_one(statement, participant):
    outcomes = at_once(
        50, lambda _n: services.vote_cast(user=participant, statement=statement, value=1)
    )

    assert set(outcomes) <= {"stored", "locked"}
    assert outcomes.count("stored") == 50
    assert Vote.objects.filter(statement=statement).count() == 1
    statement.refresh_from_db()
    assert (statement.agree_count, statement.disagree_count, statement.pass_count) == (1, 0, 0)
    assert OpinionMap.objects.get(pk=statement.map_id).votes_since_analysis == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_changes_of_one_persons_vote_keep_the_counters_exact(statement):
    outcomes = at_once(
        30,
        lambda n: services.vote_cast(
            user=AnonymousUser(), anon_key="browser", statement=statement, value=n % 3 - 1
        ),
    )

    assert outcomes.count("stored") == 30
    vote = Vote.objects.get(statement=statement)
    statement.refresh_from_db()
    counters = {1: statement.agree_count, -1: statement.disagree_count, 0: statement.pass_count}
    assert counters == {v: int(v == vote.value) for v in (1, -1, 0)}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_votes_of_many_people_are_all_counted(statement):
    people = UserFactory.create_batch(20)

    outcomes = at_once(
        20, lambda n: services.vote_cast(user=people[n], statement=statement, value=n % 2)
    )

    assert outcomes.count("stored") == 20
    statement.refresh_from_db()
    assert (statement.agree_count, statement.pass_count) == (10, 10)
    assert Vote.objects.filter(statement=statement).count() == 20
    assert OpinionMap.objects.get(pk=statement.map_id).votes_since_analysis == 20


@pytest.mark.django_db(transaction=True)
def test_simultaneous_statements_get_distinct_numbers(consultation):
    opinion_map = OpinionMapFactory(consultation=consultation)
    people = UserFactory.create_batch(15)

    outcomes = at_once(
        15,
        lambda n: services.statement_add(
            user=people[n], opinion_map=opinion_map, text=f"Idea number {n}.", language="en"
        ),
    )

    assert outcomes.count("stored") == 15
    numbers = Statement.objects.filter(map=opinion_map).values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, 16))


@pytest.mark.django_db(transaction=True)
def test_of_many_simultaneous_voters_who_find_the_analysis_due_one_enqueues_it(consultation):
    opinion_map = OpinionMapFactory(consultation=consultation)
    OpinionMap.objects.filter(pk=opinion_map.pk).update(votes_since_analysis=50)
    enqueued: list[bool] = []

    outcomes = at_once(
        20, lambda _n: enqueued.append(services.analysis_enqueue_if_due(map_id=opinion_map.pk))
    )

    assert outcomes.count("stored") == 20
    assert enqueued.count(True) == 1
    assert OpinionMap.objects.get(pk=opinion_map.pk).analysis_queued_at is not None
