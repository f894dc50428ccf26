"""The team pages through the client: what each person sees, the forms that change teams, the
refusals, and a fixed number of queries on the list pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voices.accounts.tests.factories import UserFactory
from voices.inquirylab.models import Registration, Team, TeamMember, TeamRequest
from voices.inquirylab.tests.factories_teams import (
    TeamRequestFactory,
    participant,
    person,
    team_challenge,
    team_of,
)


@pytest.fixture
def challenge(db):
    return team_challenge()


def url(name: str, *args) -> str:
    return reverse(f"inquirylab:{name}", args=args)


def page(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def queries_of(client, address: str) -> int:
    client.get(address)  # warm the per-process caches (sessions, content types, roles)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured.captured_queries)


# The list of teams


def test_the_teams_page_is_public_with_public_names_only(client, challenge):
    lead = UserFactory(username="olena-login", display_name="Olena")
    team_of(challenge, name="Night buses", lead=lead, description="Buses after midnight.")

    content = page(client, url("teams", challenge.slug))

    assert "Night buses" in content
    assert "Olena" in content and "olena-login" not in content
    assert "1 of 3 member" in content and "Open to requests" in content


def test_the_teams_page_says_when_there_are_none(client, challenge):
    assert "No teams yet." in page(client, url("teams", challenge.slug))


def test_a_confirmed_participant_without_a_team_can_create_or_ask_to_join(client, challenge):
    team = team_of(challenge)
    client.force_login(person(challenge))

    content = page(client, url("teams", challenge.slug))

    assert url("team_create", challenge.slug) in content
    assert url("team_join", team.pk) in content
    assert url("people", challenge.slug) in content


def test_someone_waiting_for_confirmation_is_told_on_the_teams_page(client, challenge):
    client.force_login(person(challenge, status=Registration.Status.PENDING))

    content = page(client, url("teams", challenge.slug))

    assert "The organisers have not confirmed your registration yet." in content
    assert url("team_create", challenge.slug) not in content


def test_an_invited_person_answers_from_the_teams_page(client, challenge):
    invitation = TeamRequestFactory(team=team_of(challenge, name="Night buses"), invitation=True)
    client.force_login(invitation.user)

    content = page(client, url("teams", challenge.slug))

    assert "Invitations to you" in content
    assert url("team_request_answer", invitation.pk) in content


def test_the_teams_page_runs_the_same_queries_for_many_teams(client, challenge):
    client.force_login(person(challenge))
    team_of(challenge, size=2)
    few = queries_of(client, url("teams", challenge.slug))
    for _ in range(12):
        team_of(challenge, size=3)

    assert queries_of(client, url("teams", challenge.slug)) == few


def test_the_teams_page_works_in_ukrainian(client, challenge):
    team_of(challenge, language="uk")

    content = page(client, "/uk" + url("teams", challenge.slug)[3:])

    assert '<html lang="uk"' in content
    assert "Українська" in content


# The people looking for a team


def test_the_people_looking_are_not_public(client, challenge):
    response = client.get(url("people", challenge.slug))

    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(url("people", challenge.slug)).status_code == 403


def test_a_confirmed_participant_sees_who_is_looking_with_skills_languages_and_country(
    client, challenge
):
    participant(
        challenge, user=UserFactory(display_name="Amir"), is_looking_for_team=True,
        skills="Data analysis", languages=["ar", "en"], country="GR",
    )  # fmt: skip
    participant(challenge, user=UserFactory(display_name="Not looking"))
    client.force_login(person(challenge))

    content = page(client, url("people", challenge.slug))

    assert "Amir" in content and "Data analysis" in content and "Greece" in content
    assert "العربية" in content
    assert "Not looking" not in content


def test_the_lead_invites_from_the_people_list(client, challenge):
    team = team_of(challenge)
    guest = participant(challenge, is_looking_for_team=True).user
    client.force_login(team.lead)

    content = page(client, url("people", challenge.slug))
    assert url("team_invite", team.pk) in content
    response = client.post(
        url("team_invite", team.pk), {"user": guest.pk, "back": "people"}, follow=True
    )

    assert response.redirect_chain[-1][0] == url("people", challenge.slug)
    assert "is invited" in response.content.decode()
    assert TeamRequest.objects.get().user == guest
    assert "Invited or asked to join" in response.content.decode()


def test_the_people_list_runs_the_same_queries_for_many_people_and_pages_by_50(client, challenge):
    team = team_of(challenge)
    client.force_login(team.lead)
    for _ in range(3):
        participant(challenge, is_looking_for_team=True)
    few = queries_of(client, url("people", challenge.slug))
    for _ in range(50):
        participant(challenge, is_looking_for_team=True)

    assert queries_of(client, url("people", challenge.slug)) == few
    content = page(client, url("people", challenge.slug))
    assert "Page 1 of 2" in content


# A team's page


def test_anyone_sees_a_teams_members_but_not_its_requests(client, challenge):
    request = TeamRequestFactory(team=team_of(challenge), message="Please let me in.")

    content = page(client, url("team", request.team.pk))

    assert "Please let me in." not in content
    assert "Requests to join" not in content


def test_the_lead_accepts_a_join_request_from_the_team_page(client, challenge):
    request = TeamRequestFactory(team=team_of(challenge), message="Please let me in.")
    client.force_login(request.team.lead)

    assert "Please let me in." in page(client, url("team", request.team.pk))
    response = client.post(
        url("team_request_answer", request.pk), {"action": "accept"}, follow=True
    )

    assert "is now in the team." in response.content.decode()
    assert TeamMember.objects.filter(team=request.team, user=request.user).exists()


def test_accepting_into_a_full_team_shows_why_not(client, challenge):
    team = team_of(challenge, size=3)
    request = TeamRequestFactory(team=team)
    client.force_login(team.lead)

    response = client.post(
        url("team_request_answer", request.pk), {"action": "accept"}, follow=True
    )

    assert "The team is full" in response.content.decode()
    assert team.members.count() == 3


def test_a_participant_asks_to_join_with_a_message_and_can_cancel(client, challenge):
    team = team_of(challenge)
    asker = person(challenge)
    client.force_login(asker)

    assert "Ask to join" in page(client, url("team", team.pk))
    client.post(url("team_join", team.pk), {"message": "I speak Farsi."})
    request = TeamRequest.objects.get()
    assert request.message == "I speak Farsi."
    assert "You asked to join this team" in page(client, url("team", team.pk))
    client.post(url("team_request_answer", request.pk), {"action": "cancel"})

    request.refresh_from_db()
    assert request.status == TeamRequest.Status.CANCELLED


def test_someone_else_cannot_answer_a_join_request(client, challenge):
    request = TeamRequestFactory(team=team_of(challenge))
    client.force_login(request.user)

    response = client.post(url("team_request_answer", request.pk), {"action": "accept"})

    assert response.status_code == 403


def test_creating_a_team_through_the_form(client, challenge):
    client.force_login(person(challenge))

    response = client.post(
        url("team_create", challenge.slug),
        {"name": "Night buses", "language": "uk", "description": "", "is_open": "on"},
    )

    team = Team.objects.get()
    assert response.status_code == 302 and response["Location"] == team.get_absolute_url()
    assert team.language == "uk"


def test_the_create_form_shows_a_taken_name_as_an_error(client, challenge):
    team_of(challenge, name="Night buses")
    client.force_login(person(challenge))

    response = client.post(
        url("team_create", challenge.slug), {"name": "Night buses", "language": "en"}
    )

    assert response.status_code == 200
    assert "A team with this name already exists" in response.content.decode()


def test_the_lead_edits_the_team(client, challenge):
    team = team_of(challenge)
    client.force_login(team.lead)

    client.post(url("team_edit", team.pk), {"name": "Day buses", "language": "ar"})

    team.refresh_from_db()
    assert (team.name, team.language, team.is_open) == ("Day buses", "ar", False)


def test_leaving_asks_first_then_leaves(client, challenge):
    team = team_of(challenge, size=2)
    member = team.members.exclude(user=team.lead).get().user
    client.force_login(member)

    assert "The team's lead is told." in page(client, url("team_leave", team.pk))
    response = client.post(url("team_leave", team.pk))

    assert response["Location"] == url("teams", challenge.slug)
    assert not team.members.filter(user=member).exists()


def test_the_lead_of_others_is_asked_to_hand_over_before_leaving(client, challenge):
    team = team_of(challenge, size=2)
    client.force_login(team.lead)

    assert "hand it over to another member" in page(client, url("team_leave", team.pk))
    client.post(url("team_leave", team.pk))

    assert team.members.count() == 2


def test_the_lead_hands_over_and_removes_through_the_team_page(client, challenge):
    team = team_of(challenge, size=3)
    first, second = [m.user for m in team.members.exclude(user=team.lead)]
    client.force_login(team.lead)

    content = page(client, url("team", team.pk))
    assert url("team_handover", team.pk) in content
    client.post(url("team_remove_member", team.pk), {"user": second.pk})
    client.post(url("team_handover", team.pk), {"user": first.pk})

    team.refresh_from_db()
    assert team.lead == first
    assert not team.members.filter(user=second).exists()


def test_handing_over_to_a_stranger_is_refused(client, challenge):
    team = team_of(challenge, size=2)
    client.force_login(team.lead)

    response = client.post(url("team_handover", team.pk), {"user": person(challenge).pk})

    assert response.status_code == 302
    team.refresh_from_db()
    assert team.lead_id != team.members.exclude(user=team.lead).get().user_id


def test_teams_of_an_unpublished_challenge_are_hidden(client, challenge):
    team = team_of(challenge)
    challenge.is_published = False
    challenge.save()

    assert client.get(url("teams", challenge.slug)).status_code == 404
    assert client.get(url("team", team.pk)).status_code == 404


# One's team profile


def test_a_participant_edits_the_team_profile(client, challenge):
    registration = participant(challenge)
    client.force_login(registration.user)

    assert "I am looking for a team" in page(client, url("participant_profile", challenge.slug))
    client.post(
        url("participant_profile", challenge.slug),
        {"skills": "Design", "first_language": "uk", "other_languages": ["en", "uk"],
         "is_looking_for_team": "on"},
    )  # fmt: skip

    registration.refresh_from_db()
    assert registration.skills == "Design"
    assert registration.languages == ["uk", "en"]
    assert registration.is_looking_for_team is True


def test_someone_not_registered_has_no_team_profile(client, challenge):
    client.force_login(UserFactory())

    assert client.get(url("participant_profile", challenge.slug)).status_code == 403
