"""Opinion map reads: the next statement to vote on, one's position, counts, what a viewer may
see, and the map's part of the consultation page and of a person's data download."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from voices.accounts.selectors import user_data_export
from voices.accounts.tests.factories import UserFactory
from voices.consultations import components
from voices.consultations.tests.factories import ConsultationFactory
from voices.core.models import ModerationState
from voices.opinions import selectors, services
from voices.opinions.models import Analysis, Statement, Vote
from voices.opinions.tests.factories import (
    OpinionMapFactory,
    ParticipantFactory,
    StatementFactory,
    VoteFactory,
)

AGREE, DISAGREE, PASS = Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS


def analysis(opinion_map, *, version: int = 1, priority=None, positions=None, **result):
    return Analysis.objects.create(
        map=opinion_map,
        version=version,
        n_votes=0,
        n_participants=0,
        seconds=0.1,
        result={"priority": {str(n): p for n, p in (priority or {}).items()}, **result},
        positions=positions or {},
    )


def statements(opinion_map, count: int) -> list[Statement]:
    return [StatementFactory(map=opinion_map) for _ in range(count)]


def numbers_in_order(opinion_map, participant) -> list[int]:
    """Vote (pass) on each statement offered next until none is left; return their numbers."""
    shown = []
    while statement := selectors.next_statement(opinion_map=opinion_map, participant=participant):
        shown.append(statement.number)
        VoteFactory(statement=statement, participant=participant, value=PASS)
    return shown


@pytest.fixture
def voter(opinion_map):
    return ParticipantFactory(consultation=opinion_map.consultation)


# The next statement


@pytest.mark.django_db
def test_before_any_analysis_the_newest_statement_comes_first(opinion_map, voter):
    statements(opinion_map, 4)

    assert numbers_in_order(opinion_map, voter) == [4, 3, 2, 1]


@pytest.mark.django_db
def test_statements_the_analysis_does_not_know_come_first_then_by_its_priority(opinion_map, voter):
    statements(opinion_map, 6)
    # 1-4 were analysed; 5 and 6 came after (or had no votes then).
    analysis(opinion_map, priority={1: 0.5, 2: 4.0, 3: 0.1, 4: 2.0})

    assert numbers_in_order(opinion_map, voter) == [6, 5, 2, 4, 1, 3]


@pytest.mark.django_db
def test_at_equal_priority_the_statement_with_fewest_votes_comes_first_then_the_lowest_number(
    opinion_map, voter
):
    one, two, three, four = statements(opinion_map, 4)
    analysis(opinion_map, priority={1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0})
    for _ in range(3):
        VoteFactory(statement=one)
    VoteFactory(statement=two, value=DISAGREE)
    VoteFactory(statement=four, value=PASS)

    assert numbers_in_order(opinion_map, voter) == [3, 2, 4, 1]


@pytest.mark.django_db
def test_the_latest_analysis_decides(opinion_map, voter):
    statements(opinion_map, 2)
    analysis(opinion_map, version=1, priority={1: 9.0, 2: 1.0})
    analysis(opinion_map, version=2, priority={1: 1.0, 2: 9.0})

    assert numbers_in_order(opinion_map, voter) == [2, 1]


@pytest.mark.django_db
def test_a_statement_already_voted_on_or_written_by_the_voter_is_never_offered(opinion_map, voter):
    voted, own, open_ = statements(opinion_map, 3)
    own.participant = voter
    own.save()
    authored = StatementFactory(map=opinion_map, author=voter.user, is_seed=False)
    VoteFactory(statement=voted, participant=voter)

    assert numbers_in_order(opinion_map, voter) == [open_.number]
    assert authored.number not in numbers_in_order(opinion_map, voter)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state", [ModerationState.PENDING, ModerationState.REPORTED, ModerationState.HIDDEN]
)
def test_a_statement_that_is_not_published_is_never_offered(opinion_map, voter, state):
    shown, held = statements(opinion_map, 2)
    held.moderation_state = state
    held.save()

    assert numbers_in_order(opinion_map, voter) == [shown.number]


@pytest.mark.django_db
def test_someone_who_has_not_voted_yet_is_offered_the_first_statement(opinion_map):
    statements(opinion_map, 3)

    assert selectors.next_statement(opinion_map=opinion_map, participant=None).number == 3


@pytest.mark.django_db
def test_nothing_is_offered_once_every_statement_has_a_vote(opinion_map, voter):
    for statement in statements(opinion_map, 2):
        VoteFactory(statement=statement, participant=voter)

    assert selectors.next_statement(opinion_map=opinion_map, participant=voter) is None


@pytest.mark.django_db
def test_statements_of_another_map_are_never_offered(opinion_map, voter):
    StatementFactory(map=OpinionMapFactory())

    assert selectors.next_statement(opinion_map=opinion_map, participant=voter) is None


@pytest.mark.django_db
def test_choosing_the_next_statement_takes_three_queries_however_large_the_map(
    opinion_map, voter, django_assert_num_queries
):
    few = statements(opinion_map, 3)
    analysis(opinion_map, priority={s.number: 1.0 for s in few})
    VoteFactory(statement=few[0], participant=voter)
    with django_assert_num_queries(3):
        selectors.next_statement(opinion_map=opinion_map, participant=voter)

    many = statements(opinion_map, 60)
    analysis(opinion_map, version=2, priority={s.number: float(s.number) for s in many[:30]})
    for statement in many[:20]:
        VoteFactory(statement=statement, participant=voter)
        VoteFactory(statement=statement)

    with django_assert_num_queries(3):
        chosen = selectors.next_statement(opinion_map=opinion_map, participant=voter)
    assert chosen.number == many[-1].number


# Position and the stored analysis


@pytest.mark.django_db
def test_a_participant_sees_their_position_in_the_latest_analysis(opinion_map, voter):
    key = Analysis.position_key(voter.pk)
    analysis(opinion_map, version=1, positions={key: [0, 0.5, -0.5]})
    analysis(opinion_map, version=2, positions={key: [1, 1.25, 2.5]})

    position = selectors.participant_position(opinion_map, voter)

    assert position == selectors.Position(group=1, x=1.25, y=2.5, version=2)


@pytest.mark.django_db
def test_a_participant_placed_in_no_group_yet_still_has_a_point(opinion_map, voter):
    analysis(opinion_map, positions={Analysis.position_key(voter.pk): [None, 0.1, 0.2]})

    assert selectors.participant_position(opinion_map, voter).group is None


@pytest.mark.django_db
def test_no_position_before_an_analysis_includes_the_participant(opinion_map, voter):
    assert selectors.participant_position(opinion_map, voter) is None
    assert selectors.participant_position(opinion_map, None) is None

    analysis(opinion_map, positions={Analysis.position_key(voter.pk + 1): [0, 1.0, 1.0]})

    assert selectors.participant_position(opinion_map, voter) is None


@pytest.mark.django_db
def test_the_latest_analysis_is_read_with_only_the_parts_a_page_needs(opinion_map):
    assert selectors.latest_analysis(opinion_map) is None
    analysis(opinion_map, version=1, k=1)
    analysis(opinion_map, version=2, k=2, groups=[[0, 12], [1, 14]], positions={"p1": [0, 1, 1]})

    latest = selectors.latest_analysis(opinion_map, parts=["k", "groups", "divisive"])

    assert latest.version == 2
    assert latest.result == {"k": 2, "groups": [[0, 12], [1, 14]], "divisive": None}
    whole = selectors.latest_analysis(opinion_map, parts=None)
    assert whole.result["priority"] == {}
    assert set(selectors.latest_analysis(opinion_map).result) == set(selectors.MAP_PARTS)


# Counts and one's own votes


@pytest.mark.django_db
def test_the_map_totals_count_the_published_statements_and_their_votes(opinion_map):
    first, second, hidden = statements(opinion_map, 3)
    hidden.moderation_state = ModerationState.HIDDEN
    hidden.save()
    for n in range(12):
        VoteFactory(statement=first, value=[AGREE, DISAGREE, PASS][n % 3])
    for _n in range(3):
        VoteFactory(statement=second)
    VoteFactory(statement=hidden)

    assert selectors.map_totals(opinion_map) == (2, 15)


@pytest.mark.django_db
def test_an_empty_map_counts_nothing(opinion_map):
    assert selectors.map_totals(opinion_map) == (0, 0)


@pytest.mark.django_db
def test_my_votes_are_only_mine_and_only_on_this_map(opinion_map, voter):
    mine, other = statements(opinion_map, 2)
    VoteFactory(statement=mine, participant=voter, value=DISAGREE)
    VoteFactory(statement=other)
    VoteFactory(statement=StatementFactory(map=OpinionMapFactory()))

    assert selectors.my_votes(opinion_map, voter) == {mine.pk: DISAGREE}
    assert selectors.my_votes(opinion_map, None) == {}


# Who may see what


@pytest.mark.django_db
def test_the_map_of_a_published_consultation_is_found_by_anyone(opinion_map):
    found = selectors.map_for_consultation(opinion_map.consultation_id, user=AnonymousUser())

    assert found == opinion_map


@pytest.mark.django_db
def test_the_map_of_a_draft_consultation_is_found_only_by_those_who_run_it(
    opinion_map, officer, outsider
):
    opinion_map.consultation.is_published = False
    opinion_map.consultation.save()

    assert selectors.map_for_consultation(opinion_map.consultation_id, user=officer)
    for user in (outsider, AnonymousUser()):
        with pytest.raises(Http404):
            selectors.map_for_consultation(opinion_map.consultation_id, user=user)


@pytest.mark.django_db
def test_a_consultation_without_a_map_has_no_map_page(consultation):
    with pytest.raises(Http404):
        selectors.map_for_consultation(consultation.pk, user=AnonymousUser())


# The map's part of the consultation page, and of a person's data


@pytest.mark.django_db
def test_the_opinion_map_is_a_part_a_consultation_can_hold(opinion_map):
    component = next(c for c in components.available() if c.key == "opinions")
    statement = StatementFactory(map=opinion_map)
    VoteFactory(statement=statement)

    template, context = component.block(opinion_map.consultation, user=AnonymousUser(), context={})

    assert template == "opinions/_map_block.html"
    assert context["opinion_map"] == opinion_map
    assert (context["statements"], context["votes"]) == (1, 1)
    assert component.block(ConsultationFactory(), user=AnonymousUser(), context={}) is None


@pytest.mark.django_db
def test_a_persons_statements_and_votes_are_in_their_data_download(opinion_map, participant):
    statement = services.statement_add(
        user=participant, opinion_map=opinion_map, text="Free classes.", language="en"
    )
    other = StatementFactory(map=opinion_map)
    services.vote_cast(user=participant, statement=other, value=DISAGREE)
    VoteFactory(statement=statement)  # someone else's vote on their statement

    rows = user_data_export(user=participant)["opinions"]

    assert [(r["kind"], r.get("text") or r.get("statement")) for r in rows] == [
        ("statement", "Free classes."),
        ("vote", other.text),
    ]
    assert rows[1]["vote"] == "disagree"
    assert user_data_export(user=UserFactory())["opinions"] == []
