"""The team rules, enforced by the services: confirmed people only, nobody in two teams, never
above the largest size, the working language among the challenge's, what each stage allows,
who answers what, and who is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from voices.accounts.tests.factories import UserFactory
from voices.core.models import Notification
from voices.inquirylab import team_services as services
from voices.inquirylab.models import Registration, Stage, Team, TeamMember, TeamRequest
from voices.inquirylab.tests.factories import brief_for, move_to
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


def notices(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# Creating a team


def test_a_confirmed_participant_creates_a_team_and_leads_it(challenge):
    registration = participant(challenge, is_looking_for_team=True)
    lead = registration.user

    team = services.team_create(actor=lead, challenge=challenge, name="Night buses", language="uk")

    assert team.lead == lead
    assert list(team.members.values_list("user", flat=True)) == [lead.pk]
    registration.refresh_from_db()
    assert registration.is_looking_for_team is False


def test_someone_waiting_for_confirmation_is_told_so(challenge):
    waiting = person(challenge, status=Registration.Status.PENDING)

    with pytest.raises(ValidationError) as caught:
        services.team_create(actor=waiting, challenge=challenge, name="Ours", language="en")

    assert caught.value.messages == ["The organisers have not confirmed your registration yet."]
    assert not Team.objects.exists()


def test_someone_not_registered_may_not_create_a_team(challenge):
    with pytest.raises(PermissionDenied):
        services.team_create(actor=UserFactory(), challenge=challenge, name="Ours", language="en")


def test_an_administrator_is_not_a_participant(challenge):
    admin = UserFactory(is_superuser=True)

    with pytest.raises(PermissionDenied):
        services.team_create(actor=admin, challenge=challenge, name="Ours", language="en")


def test_the_working_language_must_be_one_the_challenge_runs_in(challenge):
    with pytest.raises(ValidationError) as caught:
        services.team_create(
            actor=person(challenge), challenge=challenge, name="Ours", language="fr"
        )

    assert "language" in caught.value.message_dict


def test_a_team_name_is_taken_once_per_challenge_whatever_the_case(challenge):
    team_of(challenge, name="Night buses")

    with pytest.raises(ValidationError) as caught:
        services.team_create(
            actor=person(challenge), challenge=challenge, name="night  BUSES", language="en"
        )

    assert caught.value.message_dict["name"] == [
        "A team with this name already exists in this challenge."
    ]


def test_someone_in_a_team_cannot_create_another(challenge):
    team = team_of(challenge)

    with pytest.raises(ValidationError) as caught:
        services.team_create(actor=team.lead, challenge=challenge, name="Second", language="en")

    assert caught.value.code == "in_team"
    assert Team.objects.count() == 1


def test_teams_are_formed_only_in_the_team_formation_stage(challenge):
    move_to(challenge, Stage.WORK)

    with pytest.raises(ValidationError) as caught:
        services.team_create(
            actor=person(challenge), challenge=challenge, name="Late", language="en"
        )

    assert caught.value.code == "stage"


def test_creating_a_team_cancels_ones_open_requests(challenge):
    asked = TeamRequestFactory(team=team_of(challenge))

    services.team_create(actor=asked.user, challenge=challenge, name="Own", language="en")

    asked.refresh_from_db()
    assert asked.status == TeamRequest.Status.CANCELLED


# Invitations


def test_the_lead_invites_a_confirmed_participant_who_is_told(challenge):
    team = team_of(challenge)
    guest = person(challenge)

    invitation = services.team_invite(actor=team.lead, team=team, user=guest, message="Join us!")

    assert invitation.kind == TeamRequest.Kind.INVITATION
    assert invitation.status == TeamRequest.Status.PENDING
    assert notices(guest) == ["lab_team_invited"]


def test_only_the_lead_invites(challenge):
    team = team_of(challenge, size=2)
    member = team.members.exclude(user=team.lead).get().user

    with pytest.raises(PermissionDenied):
        services.team_invite(actor=member, team=team, user=person(challenge))


def test_people_in_a_team_or_not_confirmed_cannot_be_invited(challenge):
    team = team_of(challenge)
    in_other_team = team_of(challenge).lead
    waiting = person(challenge, status=Registration.Status.PENDING)

    for guest in (in_other_team, waiting):
        with pytest.raises(ValidationError):
            services.team_invite(actor=team.lead, team=team, user=guest)

    assert not TeamRequest.objects.exists()


def test_a_second_open_invitation_to_the_same_person_is_refused_kindly(challenge):
    team = team_of(challenge)
    guest = person(challenge)
    services.team_invite(actor=team.lead, team=team, user=guest)

    with pytest.raises(ValidationError) as caught:
        services.team_invite(actor=team.lead, team=team, user=guest)

    assert caught.value.code == "pending_exists"


def test_a_full_team_invites_nobody(challenge):
    team = team_of(challenge, size=3)

    with pytest.raises(ValidationError) as caught:
        services.team_invite(actor=team.lead, team=team, user=person(challenge))

    assert caught.value.code == "team_full"


def test_accepting_an_invitation_joins_the_team_and_cancels_other_requests(challenge):
    registration = participant(challenge, is_looking_for_team=True)
    guest = registration.user
    team, other = team_of(challenge), team_of(challenge)
    invitation = TeamRequestFactory(team=team, user=guest, invitation=True)
    elsewhere = TeamRequestFactory(team=other, user=guest, invitation=True)
    asked = TeamRequestFactory(team=team_of(challenge), user=guest)

    services.team_request_answer(actor=guest, request=invitation, accept=True)

    assert TeamMember.objects.get(user=guest).team == team
    invitation.refresh_from_db()
    assert invitation.status == TeamRequest.Status.ACCEPTED
    for request in (elsewhere, asked):
        request.refresh_from_db()
        assert request.status == TeamRequest.Status.CANCELLED
    registration.refresh_from_db()
    assert registration.is_looking_for_team is False
    assert notices(team.lead) == ["lab_team_invitation_accepted"]


def test_only_the_invited_person_answers_an_invitation(challenge):
    invitation = TeamRequestFactory(team=team_of(challenge), invitation=True)

    with pytest.raises(PermissionDenied):
        services.team_request_answer(actor=invitation.team.lead, request=invitation, accept=True)


def test_declining_an_invitation_tells_the_lead(challenge):
    invitation = TeamRequestFactory(team=team_of(challenge), invitation=True)

    services.team_request_answer(actor=invitation.user, request=invitation, accept=False)

    invitation.refresh_from_db()
    assert invitation.status == TeamRequest.Status.DECLINED
    assert not TeamMember.objects.filter(user=invitation.user).exists()
    assert notices(invitation.team.lead) == ["lab_team_invitation_declined"]


def test_the_lead_cancels_an_invitation_and_it_can_no_longer_be_accepted(challenge):
    invitation = TeamRequestFactory(team=team_of(challenge), invitation=True)

    services.team_request_cancel(actor=invitation.team.lead, request=invitation)
    with pytest.raises(ValidationError) as caught:
        services.team_request_answer(actor=invitation.user, request=invitation, accept=True)

    assert caught.value.code == "answered"


# Join requests


def test_a_confirmed_participant_asks_to_join_and_the_lead_is_told(challenge):
    team = team_of(challenge)
    asker = person(challenge)

    request = services.team_join_request(actor=asker, team=team, message="I can write.")

    assert request.kind == TeamRequest.Kind.JOIN_REQUEST
    assert notices(team.lead) == ["lab_team_join_requested"]


def test_a_team_closed_to_requests_refuses_them(challenge):
    team = team_of(challenge, is_open=False)

    with pytest.raises(ValidationError) as caught:
        services.team_join_request(actor=person(challenge), team=team)

    assert caught.value.code == "closed"


def test_someone_in_a_team_cannot_ask_to_join_another(challenge):
    member = team_of(challenge).lead

    with pytest.raises(ValidationError) as caught:
        services.team_join_request(actor=member, team=team_of(challenge))

    assert caught.value.code == "in_team"


def test_the_lead_accepts_a_join_request_and_the_person_is_told(challenge):
    request = TeamRequestFactory(team=team_of(challenge))

    services.team_request_answer(actor=request.team.lead, request=request, accept=True)

    assert TeamMember.objects.filter(team=request.team, user=request.user).exists()
    assert notices(request.user) == ["lab_team_request_accepted"]


def test_accepting_when_the_team_is_full_is_refused_with_a_message(challenge):
    team = team_of(challenge, size=2)
    first, second = TeamRequestFactory(team=team), TeamRequestFactory(team=team)
    services.team_request_answer(actor=team.lead, request=first, accept=True)

    with pytest.raises(ValidationError) as caught:
        services.team_request_answer(actor=team.lead, request=second, accept=True)

    assert caught.value.messages == [
        "The team is full: it already has 3 members, the most this challenge allows."
    ]
    assert team.members.count() == 3
    second.refresh_from_db()
    assert second.status == TeamRequest.Status.PENDING


def test_a_person_who_joined_elsewhere_meanwhile_cannot_be_accepted(challenge):
    request = TeamRequestFactory(team=team_of(challenge))
    TeamMember.objects.create(team=team_of(challenge), challenge=challenge, user=request.user)

    with pytest.raises(ValidationError) as caught:
        services.team_request_answer(actor=request.team.lead, request=request, accept=True)

    assert caught.value.code == "in_team"


def test_only_the_asker_cancels_a_join_request(challenge):
    request = TeamRequestFactory(team=team_of(challenge))

    with pytest.raises(PermissionDenied):
        services.team_request_cancel(actor=request.team.lead, request=request)
    services.team_request_cancel(actor=request.user, request=request)

    request.refresh_from_db()
    assert request.status == TeamRequest.Status.CANCELLED


# Leaving, handing over, removing


def test_the_lead_must_hand_over_before_leaving(challenge):
    team = team_of(challenge, size=2)

    with pytest.raises(ValidationError) as caught:
        services.team_leave(actor=team.lead, team=team)

    assert caught.value.code == "lead_must_hand_over"


def test_a_lead_alone_leaving_deletes_the_team(challenge):
    team = team_of(challenge)

    assert services.team_leave(actor=team.lead, team=team) is None
    assert not Team.objects.filter(pk=team.pk).exists()


def test_a_team_with_a_brief_is_not_deleted_when_its_last_member_leaves(challenge):
    team = team_of(challenge)
    move_to(challenge, Stage.WORK)
    brief_for(team, submitted=False)

    with pytest.raises(ValidationError) as caught:
        services.team_leave(actor=team.lead, team=team)

    assert caught.value.code == "has_brief"


def test_a_member_leaves_and_the_lead_is_told(challenge):
    team = team_of(challenge, size=2)
    member = team.members.exclude(user=team.lead).get().user

    services.team_leave(actor=member, team=team)

    assert list(team.members.values_list("user", flat=True)) == [team.lead_id]
    assert notices(team.lead) == ["lab_team_member_left"]


def test_handing_over_makes_another_member_the_lead(challenge):
    team = team_of(challenge, size=2)
    member = team.members.exclude(user=team.lead).get().user
    old_lead = team.lead

    services.team_handover(actor=old_lead, team=team, new_lead=member)
    team.refresh_from_db()
    services.team_leave(actor=old_lead, team=team)

    team.refresh_from_db()
    assert team.lead == member
    assert list(team.members.values_list("user", flat=True)) == [member.pk]
    assert "lab_team_new_lead" in notices(member)


def test_the_lead_cannot_hand_over_to_someone_outside_the_team(challenge):
    team = team_of(challenge)

    with pytest.raises(ValidationError):
        services.team_handover(actor=team.lead, team=team, new_lead=person(challenge))


def test_the_lead_removes_a_member_who_is_told(challenge):
    team = team_of(challenge, size=2)
    member = team.members.exclude(user=team.lead).get().user

    services.team_member_remove(actor=team.lead, team=team, user=member)

    assert not team.members.filter(user=member).exists()
    assert notices(member) == ["lab_team_removed"]


def test_a_member_may_not_remove_another(challenge):
    team = team_of(challenge, size=3)
    member, other = [m.user for m in team.members.exclude(user=team.lead)]

    with pytest.raises(PermissionDenied):
        services.team_member_remove(actor=member, team=team, user=other)


def test_teams_change_in_the_work_stage_but_not_after_the_deadline(challenge):
    team = team_of(challenge, size=3)
    first, second = [m.user for m in team.members.exclude(user=team.lead)]
    move_to(challenge, Stage.WORK)

    services.team_leave(actor=first, team=team)
    move_to(challenge, Stage.JUDGING)
    with pytest.raises(ValidationError) as caught:
        services.team_leave(actor=second, team=team)

    assert caught.value.code == "stage"


# The participant's team profile


def test_a_participant_sets_skills_languages_in_order_and_looking(challenge):
    registration = participant(challenge)

    services.participant_profile_update(
        actor=registration.user, challenge=challenge, skills="Writing, data",
        languages=["uk", "en", "uk"], is_looking_for_team=True,
    )  # fmt: skip

    registration.refresh_from_db()
    assert registration.languages == ["uk", "en"]
    assert registration.skills == "Writing, data"
    assert registration.is_looking_for_team is True


def test_someone_in_a_team_is_never_marked_looking(challenge):
    lead = team_of(challenge).lead

    registration = services.participant_profile_update(
        actor=lead, challenge=challenge, skills="", languages=["en"], is_looking_for_team=True
    )

    assert registration.is_looking_for_team is False


def test_profile_languages_must_be_the_challenges(challenge):
    with pytest.raises(ValidationError):
        services.participant_profile_update(
            actor=person(challenge), challenge=challenge, skills="", languages=["de"],
            is_looking_for_team=True,
        )  # fmt: skip
