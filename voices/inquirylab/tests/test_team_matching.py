"""The organisers' team matching: a stored proposal that changes nothing, reviewed, then applied
in one go (or refused, with nothing written, when someone moved meanwhile) or discarded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voices.core.models import AuditEntry, Notification
from voices.inquirylab import team_services as services
from voices.inquirylab.models import MatchProposal, Registration, Stage, Team, TeamMember
from voices.inquirylab.tests.factories import move_to
from voices.inquirylab.tests.factories_teams import participant, team_challenge, team_of


@pytest.fixture
def challenge(db):
    return team_challenge(team_min=2, team_max=3)


def looking(challenge, count: int, *, languages=("en",), countries=("AT", "IT")) -> list:
    return [
        participant(
            challenge, is_looking_for_team=True, languages=list(languages),
            country=countries[i % len(countries)],
        )
        for i in range(count)
    ]  # fmt: skip


def test_proposing_stores_teams_and_changes_nothing_else(challenge, organiser):
    people = looking(challenge, 5)
    participant(challenge, is_looking_for_team=False)  # not looking: left alone
    team_of(challenge)  # in a team: left alone

    proposal = services.match_propose(actor=organiser, challenge=challenge)

    assert proposal.status == MatchProposal.Status.PROPOSED
    assert sorted(m for t in proposal.teams for m in t["members"]) == sorted(
        r.user_id for r in people
    )
    assert [len(t["members"]) for t in proposal.teams] == [3, 2]
    assert Team.objects.count() == 1
    assert AuditEntry.objects.filter(object_repr=str(proposal)).exists()


def test_a_new_proposal_sets_the_open_one_aside(challenge, organiser):
    looking(challenge, 2)
    first = services.match_propose(actor=organiser, challenge=challenge)

    services.match_propose(actor=organiser, challenge=challenge)

    first.refresh_from_db()
    assert first.status == MatchProposal.Status.DISCARDED


def test_participants_do_not_propose_teams(challenge):
    someone = looking(challenge, 2)[0].user

    with pytest.raises(PermissionDenied):
        services.match_propose(actor=someone, challenge=challenge)


def test_teams_are_proposed_only_in_the_team_formation_stage(challenge, organiser):
    looking(challenge, 2)
    move_to(challenge, Stage.WORK)

    with pytest.raises(ValidationError) as caught:
        services.match_propose(actor=organiser, challenge=challenge)

    assert caught.value.code == "stage"


def test_applying_creates_the_teams_led_by_their_first_member_and_tells_everyone(
    challenge, organiser
):
    people = looking(challenge, 4)
    proposal = services.match_propose(actor=organiser, challenge=challenge)

    teams = services.match_apply(actor=organiser, proposal=proposal)

    assert len(teams) == 2
    for team, planned in zip(teams, proposal.teams, strict=True):
        assert team.lead_id == planned["members"][0]
        assert team.language == "en"
        assert sorted(team.members.values_list("user", flat=True)) == planned["members"]
    assert [t.name for t in teams] == ["Team 1", "Team 2"]
    proposal.refresh_from_db()
    assert proposal.status == MatchProposal.Status.APPLIED
    for registration in people:
        registration.refresh_from_db()
        assert registration.is_looking_for_team is False
        assert Notification.objects.filter(
            recipient=registration.user, kind="lab_team_matched"
        ).exists()


def test_applying_is_refused_naming_who_joined_a_team_meanwhile(challenge, organiser):
    people = looking(challenge, 4)
    proposal = services.match_propose(actor=organiser, challenge=challenge)
    moved = people[0].user
    moved.display_name = "Olena"
    moved.save()
    team = team_of(challenge)
    TeamMember.objects.create(team=team, challenge=challenge, user=moved)

    with pytest.raises(ValidationError) as caught:
        services.match_apply(actor=organiser, proposal=proposal)

    assert "Olena" in caught.value.messages[0]
    assert Team.objects.count() == 1
    assert not Notification.objects.filter(kind="lab_team_matched").exists()
    proposal.refresh_from_db()
    assert proposal.status == MatchProposal.Status.PROPOSED


def test_applying_is_refused_when_a_registration_was_withdrawn_meanwhile(challenge, organiser):
    people = looking(challenge, 2)
    proposal = services.match_propose(actor=organiser, challenge=challenge)
    Registration.objects.filter(pk=people[1].pk).update(status=Registration.Status.WITHDRAWN)

    with pytest.raises(ValidationError):
        services.match_apply(actor=organiser, proposal=proposal)

    assert not Team.objects.exists()


def test_team_names_skip_those_already_taken(challenge, organiser):
    team_of(challenge, name="Team 1")
    looking(challenge, 2)
    proposal = services.match_propose(actor=organiser, challenge=challenge)

    (team,) = services.match_apply(actor=organiser, proposal=proposal)

    assert team.name == "Team 2"


def test_a_discarded_proposal_cannot_be_applied(challenge, organiser):
    looking(challenge, 2)
    proposal = services.match_propose(actor=organiser, challenge=challenge)

    services.match_discard(actor=organiser, proposal=proposal)
    with pytest.raises(ValidationError) as caught:
        services.match_apply(actor=organiser, proposal=proposal)

    assert caught.value.code == "decided"
    assert not Team.objects.exists()


# The pages


def test_the_organiser_proposes_reviews_and_applies_through_the_pages(client, challenge, organiser):
    looking(challenge, 3, languages=("uk", "en"), countries=("AT", "BG", "RO"))
    client.force_login(organiser)
    page = reverse("inquirylab:matching", kwargs={"slug": challenge.slug})

    response = client.post(reverse("inquirylab:matching_propose", kwargs={"slug": challenge.slug}))
    assert response.status_code == 302
    review = client.get(page)
    proposal = MatchProposal.objects.get()

    assert review.status_code == 200
    content = review.content.decode()
    assert "The proposal to review" in content
    assert "Austria" in content and "Bulgaria" in content and "Українська" in content
    response = client.post(reverse("inquirylab:matching_apply", args=[proposal.pk]), follow=True)
    assert "1 team is created and its members are told." in response.content.decode()
    assert Team.objects.count() == 1


def test_the_review_warns_about_people_who_joined_a_team_meanwhile(client, challenge, organiser):
    people = looking(challenge, 2)
    services.match_propose(actor=organiser, challenge=challenge)
    TeamMember.objects.create(team=team_of(challenge), challenge=challenge, user=people[0].user)
    client.force_login(organiser)

    response = client.get(reverse("inquirylab:matching", kwargs={"slug": challenge.slug}))

    assert "cannot be applied" in response.content.decode()
    assert "Apply: create these teams" not in response.content.decode()


def test_the_matching_page_runs_the_same_queries_for_many_people(
    client, challenge, organiser, django_assert_max_num_queries
):
    looking(challenge, 4)
    services.match_propose(actor=organiser, challenge=challenge)
    client.force_login(organiser)
    url = reverse("inquirylab:matching", kwargs={"slug": challenge.slug})
    client.get(url)  # warm the per-process caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    looking(challenge, 30, countries=("AT", "BG", "FR", "GR"))
    services.match_propose(actor=organiser, challenge=challenge)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_participants_do_not_see_the_matching_page(client, challenge):
    client.force_login(looking(challenge, 1)[0].user)

    response = client.get(reverse("inquirylab:matching", kwargs={"slug": challenge.slug}))

    assert response.status_code == 403
