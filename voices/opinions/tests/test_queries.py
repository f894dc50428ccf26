"""The voting page, the statement list and the map run a fixed number of queries, whether a map
has three statements and three voters or thirty of each."""

import random

import pytest
from django.urls import reverse

from voices.consultations.models import Participant
from voices.consultations.tests.test_queries import queries_of, visitor
from voices.opinions import services
from voices.opinions.models import OpinionMap, Statement, Vote
from voices.opinions.tests.factories import ParticipantFactory, StatementFactory, VoteFactory

AGREE, DISAGREE, PASS = Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS


def grow(opinion_map: OpinionMap, *, statements: int, people: int, rolls: random.Random) -> None:
    """Add statements and voters; everyone votes on every statement, in two camps (the first
    statement of all is one nearly everyone agrees with), and the map is analysed again."""
    for _ in range(statements):
        StatementFactory(map=opinion_map)
    for _ in range(people):
        ParticipantFactory(consultation=opinion_map.consultation)
    everyone = Participant.objects.filter(consultation=opinion_map.consultation).exclude(
        user__username="participant"
    )
    for n, person in enumerate(everyone.order_by("pk")):
        voted = set(Vote.objects.filter(participant=person).values_list("statement", flat=True))
        for statement in Statement.objects.filter(map=opinion_map).exclude(pk__in=voted):
            side = AGREE if (n % 2 == 0) == (statement.number % 2 == 0) else DISAGREE
            value = AGREE if statement.number == 1 else side
            if rolls.random() < 0.2:
                value = PASS
            VoteFactory(statement=statement, participant=person, value=value)
    services.analysis_run(map_id=opinion_map.pk)


@pytest.fixture
def own_votes(opinion_map, participant):
    """The signed-in visitor has voted on the map's first statement."""
    statement = StatementFactory(map=opinion_map)
    me = ParticipantFactory(consultation=opinion_map.consultation, user=participant)
    VoteFactory(statement=statement, participant=me, value=AGREE)
    return me


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "participant"])
@pytest.mark.parametrize("page", ["vote", "statements", "map"])
def test_a_page_runs_as_many_queries_with_30_statements_and_voters_as_with_3(
    opinion_map, participant, own_votes, django_assert_num_queries, page, who
):
    rolls = random.Random(0)
    client = visitor(who, participant)
    address = reverse(f"opinions:{page}", kwargs={"consultation_id": opinion_map.consultation_id})
    grow(opinion_map, statements=2, people=3, rolls=rolls)
    few = queries_of(client, address)

    grow(opinion_map, statements=27, people=27, rolls=rolls)

    with django_assert_num_queries(few):
        response = client.get(address)
    assert response.status_code == 200
    if page == "statements":
        assert len(response.context["page"].object_list) == 30
    if page == "map":
        assert response.context["results"].groups
