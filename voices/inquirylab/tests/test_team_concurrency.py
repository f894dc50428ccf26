"""Acceptances at the same moment: a team with one free place takes exactly one more person, and
nobody ends up in two teams, however the requests interleave.

These run in real transactions with one database connection per thread, on SQLite and PostgreSQL
alike (as the consultations' simultaneous supports test does).
"""

import pytest

from voices.core.tests.concurrency import at_once
from voices.inquirylab import team_services as services
from voices.inquirylab.models import TeamMember, TeamRequest
from voices.inquirylab.tests.factories_teams import TeamRequestFactory, team_challenge, team_of


@pytest.mark.django_db(transaction=True)
def test_two_invitations_accepted_at_once_into_the_last_place_admit_one():
    challenge = team_challenge(team_max=3)
    team = team_of(challenge, size=2)
    invitations = [TeamRequestFactory(team=team, invitation=True) for _ in range(2)]

    outcomes = at_once(
        2,
        lambda n: services.team_request_answer(
            actor=invitations[n].user, request=invitations[n], accept=True
        ),
    )

    assert outcomes.count("stored") == 1
    assert set(outcomes) <= {"stored", "team_full", "locked"}
    assert TeamMember.objects.filter(team=team).count() == 3
    statuses = sorted(TeamRequest.objects.filter(team=team).values_list("status", flat=True))
    assert statuses == ["accepted", "pending"]


@pytest.mark.django_db(transaction=True)
def test_join_requests_accepted_at_once_never_pass_the_largest_size():
    challenge = team_challenge(team_max=4)
    team = team_of(challenge, size=3)
    requests = [TeamRequestFactory(team=team) for _ in range(4)]

    outcomes = at_once(
        4,
        lambda n: services.team_request_answer(actor=team.lead, request=requests[n], accept=True),
    )

    assert outcomes.count("stored") == 1
    assert TeamMember.objects.filter(team=team).count() == 4


@pytest.mark.django_db(transaction=True)
def test_one_person_accepted_by_two_teams_at_once_joins_only_one():
    challenge = team_challenge()
    first = TeamRequestFactory(team=team_of(challenge))
    second = TeamRequestFactory(team=team_of(challenge), user=first.user)
    requests = [first, second]

    outcomes = at_once(
        2,
        lambda n: services.team_request_answer(
            actor=requests[n].team.lead, request=requests[n], accept=True
        ),
    )

    assert outcomes.count("stored") == 1
    assert set(outcomes) <= {"stored", "in_team", "answered", "locked"}
    assert TeamMember.objects.filter(user=first.user).count() == 1
