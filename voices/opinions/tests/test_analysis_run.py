"""The analysis of a map: votes loaded from the database, handed to the math package, and the
result stored as the map's next version."""

import datetime

import pytest
from django.utils import timezone

from voices.consultations.models import Participant
from voices.core.models import ModerationState
from voices.opinions import analysis as math
from voices.opinions import selectors, services
from voices.opinions.models import Analysis, OpinionMap, Statement, Vote
from voices.opinions.tasks import map_analyse
from voices.opinions.tests.factories import ParticipantFactory, StatementFactory, VoteFactory

AGREE, DISAGREE, PASS = Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS


def vote_in_camps(statements: list[Statement], people: list[Participant]) -> None:
    """The first fifteen of `people` agree with statements 1-4 and disagree with 5-8, the
    others the other way round."""
    for n, person in enumerate(people):
        camp = AGREE if n < 15 else DISAGREE
        for statement in statements:
            value = camp if statement.number <= 4 else -camp
            VoteFactory(statement=statement, participant=person, value=value)


@pytest.fixture
def two_camps(opinion_map):
    """Thirty people on eight statements: fifteen agree with 1-4 and disagree with 5-8, fifteen
    the other way round. Two clear groups."""
    statements = [StatementFactory(map=opinion_map) for _ in range(8)]
    people = [ParticipantFactory(consultation=opinion_map.consultation) for _ in range(30)]
    vote_in_camps(statements, people)
    OpinionMap.objects.filter(pk=opinion_map.pk).update(
        votes_since_analysis=240, analysis_queued_at=timezone.now()
    )
    return statements, people


class Spy:
    """Records what `analyse` was given, then runs the real one."""

    def __init__(self, monkeypatch, during=None):
        self.calls: list[dict] = []
        self.during = during
        real = math.analyse

        def spy(*args, **kwargs):
            self.calls.append(kwargs)
            if self.during:
                self.during()
            return real(*args, **kwargs)

        monkeypatch.setattr(math, "analyse", spy)


@pytest.mark.django_db
def test_a_run_stores_the_first_version_with_groups_and_everyones_position(opinion_map, two_camps):
    statements, people = two_camps

    stored = services.analysis_run(map_id=opinion_map.pk)

    assert stored.version == 1
    assert (stored.n_votes, stored.n_participants) == (240, 30)
    assert stored.seconds > 0
    result = math.Result.from_json(stored.result)
    assert set(result.priority) == {s.number for s in statements}
    assert sorted(math.State.from_json(stored.state).row_ids.tolist()) == [p.pk for p in people]
    # Each participant's own position is stored where it is read one participant at a time.
    for person in people:
        position = selectors.participant_position(opinion_map, person)
        assert (position.x, position.y) == tuple(result.positions[person.pk])
        assert position.group == result.group_of.get(person.pk)
        assert position.version == 1
    opinion_map.refresh_from_db()
    assert opinion_map.votes_since_analysis == 0
    assert opinion_map.analysis_queued_at is None


@pytest.mark.django_db
def test_the_votes_go_to_the_math_by_participant_and_statement_number_oldest_change_first(
    opinion_map, monkeypatch
):
    one, two = StatementFactory(map=opinion_map), StatementFactory(map=opinion_map)
    alice = ParticipantFactory(consultation=opinion_map.consultation)
    bob = ParticipantFactory(consultation=opinion_map.consultation)
    now = timezone.now()
    for statement, person, value, minutes_ago in (
        (two, bob, DISAGREE, 1),
        (one, alice, AGREE, 3),
        (two, alice, PASS, 2),
    ):
        vote = VoteFactory(statement=statement, participant=person, value=value)
        Vote.objects.filter(pk=vote.pk).update(
            updated_at=now - datetime.timedelta(minutes=minutes_ago)
        )
    spy = Spy(monkeypatch)

    services.analysis_run(map_id=opinion_map.pk)

    (given,) = spy.calls
    assert given["participants"].tolist() == [alice.pk, alice.pk, bob.pk]
    assert given["statements"].tolist() == [one.number, two.number, two.number]
    assert given["values"].tolist() == [AGREE, PASS, DISAGREE]
    assert given["timestamps"].tolist() == sorted(given["timestamps"].tolist())
    assert given["state"] is None


@pytest.mark.django_db
def test_statements_hidden_by_moderators_or_by_reports_are_moderated_out(
    opinion_map, two_camps, monkeypatch
):
    statements, _people = two_camps
    Statement.objects.filter(pk=statements[1].pk).update(moderation_state=ModerationState.HIDDEN)
    Statement.objects.filter(pk=statements[5].pk).update(moderation_state=ModerationState.REPORTED)
    StatementFactory(map=opinion_map, moderation_state=ModerationState.PENDING)
    spy = Spy(monkeypatch)

    stored = services.analysis_run(map_id=opinion_map.pk)

    assert list(spy.calls[0]["moderated_out"]) == [2, 6]
    # Their votes still count (Pol.is keeps them), but neither is listed as representative.
    assert stored.n_votes == 240
    result = math.Result.from_json(stored.result)
    listed = {r.statement for reps in result.repness.values() for r in reps}
    listed |= {c.statement for side in result.consensus.values() for c in side}
    assert not listed & {2, 6}


@pytest.mark.django_db
def test_each_run_continues_from_the_previous_runs_state(opinion_map, two_camps, monkeypatch):
    first = services.analysis_run(map_id=opinion_map.pk)
    spy = Spy(monkeypatch)

    second = services.analysis_run(map_id=opinion_map.pk)

    assert second.version == 2
    assert spy.calls[0]["state"].to_json() == math.State.from_json(first.state).to_json()


@pytest.mark.django_db
def test_a_map_keeps_its_latest_five_analyses(opinion_map, two_camps):
    for _ in range(7):
        services.analysis_run(map_id=opinion_map.pk)

    kept = Analysis.objects.filter(map=opinion_map).values_list("version", flat=True)
    assert sorted(kept) == [3, 4, 5, 6, 7]
    assert selectors.latest_analysis(opinion_map).version == 7


@pytest.mark.django_db
def test_votes_counted_while_the_math_runs_stay_counted_for_the_next_run(
    opinion_map, two_camps, monkeypatch
):
    def vote_arrives():
        OpinionMap.objects.filter(pk=opinion_map.pk).update(votes_since_analysis=241)

    Spy(monkeypatch, during=vote_arrives)

    services.analysis_run(map_id=opinion_map.pk)

    opinion_map.refresh_from_db()
    assert opinion_map.votes_since_analysis == 1
    assert opinion_map.analysis_queued_at is None


@pytest.mark.django_db
def test_participants_without_an_account_are_counted_per_group_as_unverified(
    opinion_map, open_to_anonymous
):
    statements = [StatementFactory(map=opinion_map) for _ in range(8)]
    people = [
        ParticipantFactory(
            consultation=opinion_map.consultation,
            **({"user": None, "anon_key": f"browser-{n}"} if n in (0, 1, 20) else {}),
        )
        for n in range(30)
    ]
    vote_in_camps(statements, people)

    stored = services.analysis_run(map_id=opinion_map.pk)

    group_of = math.Result.from_json(stored.result).group_of
    unverified = Participant.objects.exclude(anon_key="").values_list("pk", flat=True)
    expected: dict[str, int] = {}
    for pk in unverified:
        if pk in group_of:
            expected[str(group_of[pk])] = expected.get(str(group_of[pk]), 0) + 1
    assert stored.unverified_per_group == expected
    assert sum(expected.values()) == 3  # all three have enough votes to be grouped


@pytest.mark.django_db
def test_a_map_without_votes_stores_no_analysis_and_waits_for_votes(opinion_map):
    OpinionMap.objects.filter(pk=opinion_map.pk).update(analysis_queued_at=timezone.now())

    assert services.analysis_run(map_id=opinion_map.pk) is None

    assert not Analysis.objects.exists()
    opinion_map.refresh_from_db()
    assert opinion_map.analysis_queued_at is None


@pytest.mark.django_db
def test_a_deleted_map_is_not_analysed():
    assert services.analysis_run(map_id=123_456) is None


@pytest.mark.django_db
def test_the_task_runs_the_analysis(opinion_map, two_camps):
    map_analyse.call(map_id=opinion_map.pk)

    assert Analysis.objects.get(map=opinion_map).version == 1


@pytest.mark.django_db
def test_votes_cast_through_the_service_lead_to_a_stored_analysis(
    opinion_map, participant, django_capture_on_commit_callbacks
):
    statement = StatementFactory(map=opinion_map)

    # The test settings run tasks at once: the first vote's analysis runs after its commit.
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=participant, statement=statement, value=AGREE)

    stored = selectors.latest_analysis(opinion_map)
    assert (stored.version, stored.n_votes, stored.n_participants) == (1, 1, 1)
