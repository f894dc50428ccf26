"""Mentors: added by those who run the challenge, paused and brought back, their own profiles."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from voices.accounts.tests.factories import UserFactory
from voices.core.models import AuditEntry, Notification
from voices.directory.tests.factories import OrganisationFactory
from voices.inquirylab import mentor_selectors, mentor_services
from voices.inquirylab.models import Mentor
from voices.inquirylab.tests.factories import RegistrationFactory
from voices.inquirylab.tests.factories_mentors import (
    OfficeHourFactory,
    booked,
    mentor_for,
    team_of,
    work_challenge,
)


@pytest.fixture
def challenge(db):
    """The shared `organiser` fixture runs this one: a challenge in its work stage."""
    return work_challenge()


@pytest.fixture
def expert(db):
    return UserFactory(
        username="expert7", email="expert@example.org", display_name="Dr Nadia", languages=["uk"]
    )


@pytest.mark.django_db
def test_an_organiser_adds_a_mentor_by_username_and_the_mentor_is_told(
    challenge, organiser, expert
):
    mentor = mentor_services.mentor_add(
        actor=organiser, challenge=challenge, identifier="expert7", areas="Housing law"
    )

    assert mentor.user == expert and mentor.is_active
    assert mentor.areas == "Housing law"
    assert mentor.languages == ["uk"]  # taken from the account, to be corrected in the profile
    notice = Notification.objects.get(recipient=expert)
    assert notice.kind == "lab_mentor_added"
    assert notice.url.endswith(f"/lab/{challenge.slug}/mentors/profile/")
    assert AuditEntry.objects.filter(object_id=str(mentor.pk), action="create").exists()


@pytest.mark.django_db
def test_an_organiser_adds_a_mentor_by_e_mail_in_any_case(challenge, organiser, expert):
    mentor = mentor_services.mentor_add(
        actor=organiser, challenge=challenge, identifier=" Expert@Example.org ", areas="Law"
    )

    assert mentor.user == expert


@pytest.mark.django_db
def test_an_e_mail_shared_by_two_accounts_asks_for_the_username(challenge, organiser, expert):
    UserFactory(email="expert@example.org")

    with pytest.raises(ValidationError) as refused:
        mentor_services.mentor_add(
            actor=organiser, challenge=challenge, identifier="expert@example.org", areas="Law"
        )

    assert refused.value.code == "ambiguous_person"
    assert not Mentor.objects.exists()


@pytest.mark.django_db
def test_an_unknown_person_is_refused_with_a_hint_to_sign_up(challenge, organiser):
    with pytest.raises(ValidationError) as refused:
        mentor_services.mentor_add(
            actor=organiser, challenge=challenge, identifier="nobody@example.org", areas="Law"
        )

    assert refused.value.code == "unknown_person"
    assert "sign up" in refused.value.messages[0]


@pytest.mark.django_db
def test_someone_already_a_mentor_is_not_added_twice(challenge, organiser, expert):
    mentor_for(challenge, user=expert, is_active=False)

    with pytest.raises(ValidationError) as refused:
        mentor_services.mentor_add(
            actor=organiser, challenge=challenge, identifier="expert7", areas="Law"
        )

    assert refused.value.code == "already_mentor"
    assert "Reactivate" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_participant_of_the_challenge_cannot_be_its_mentor(challenge, organiser, expert):
    RegistrationFactory(challenge=challenge, user=expert)

    with pytest.raises(ValidationError) as refused:
        mentor_services.mentor_add(
            actor=organiser, challenge=challenge, identifier="expert7", areas="Law"
        )

    assert refused.value.code == "participant"


@pytest.mark.django_db
def test_the_areas_are_required(challenge, organiser, expert):
    with pytest.raises(ValidationError):
        mentor_services.mentor_add(
            actor=organiser, challenge=challenge, identifier="expert7", areas="  "
        )

    assert not Mentor.objects.exists()


@pytest.mark.django_db
def test_only_those_who_run_the_challenge_add_mentors(challenge, expert):
    someone = UserFactory()
    other_mentor = mentor_for(challenge)

    for actor in (someone, other_mentor.user):
        with pytest.raises(PermissionDenied):
            mentor_services.mentor_add(
                actor=actor, challenge=challenge, identifier="expert7", areas="Law"
            )


@pytest.mark.django_db
def test_programme_staff_add_mentors_to_any_challenge(challenge, coordinator, expert):
    mentor = mentor_services.mentor_add(
        actor=coordinator, challenge=challenge, identifier="expert7", areas="Law"
    )

    assert mentor.challenge == challenge


@pytest.mark.django_db
def test_a_deactivated_mentor_leaves_the_list_and_comes_back(challenge, organiser):
    mentor = mentor_for(challenge)

    mentor_services.mentor_set_active(actor=organiser, mentor=mentor, is_active=False)
    assert list(mentor_selectors.mentors_public(challenge)) == []
    assert list(mentor_selectors.mentors_inactive(challenge)) == [mentor]
    assert not mentor.user.has_perm("inquirylab.publish_office_hours", challenge)

    mentor_services.mentor_set_active(actor=organiser, mentor=mentor, is_active=True)
    assert list(mentor_selectors.mentors_public(challenge)) == [mentor]
    assert AuditEntry.objects.filter(object_id=str(mentor.pk), action="update").count() == 2


@pytest.mark.django_db
def test_deactivating_keeps_the_bookings_already_made(challenge, organiser):
    slot = OfficeHourFactory(mentor=mentor_for(challenge))
    team = team_of(challenge)
    booked(slot, team)

    mentor_services.mentor_set_active(actor=organiser, mentor=slot.mentor, is_active=False)

    slot.refresh_from_db()
    assert slot.team == team


@pytest.mark.django_db
def test_nobody_else_deactivates_a_mentor(challenge):
    mentor = mentor_for(challenge)

    with pytest.raises(PermissionDenied):
        mentor_services.mentor_set_active(actor=mentor.user, mentor=mentor, is_active=False)


@pytest.mark.django_db
def test_a_mentor_writes_their_own_profile(challenge):
    mentor = mentor_for(challenge)
    ngo = OrganisationFactory()

    mentor_services.mentor_profile_update(
        actor=mentor.user, mentor=mentor, areas="Asylum law, housing",
        languages=["ar", "en", "xx", "ar"], organisation=ngo, bio="Lawyer.\r\nTen years.",
    )  # fmt: skip

    mentor.refresh_from_db()
    assert mentor.areas == "Asylum law, housing"
    assert mentor.languages == ["en", "ar"]  # the site's order; unknown and repeated ones dropped
    assert mentor.organisation == ngo
    assert mentor.bio == "Lawyer.\nTen years."


@pytest.mark.django_db
def test_a_profile_needs_at_least_one_language(challenge):
    mentor = mentor_for(challenge)

    with pytest.raises(ValidationError) as refused:
        mentor_services.mentor_profile_update(
            actor=mentor.user, mentor=mentor, areas="Law", languages=[]
        )

    assert refused.value.code == "languages"


@pytest.mark.django_db
def test_nobody_edits_another_mentors_profile(challenge, organiser):
    mentor = mentor_for(challenge)

    for actor in (organiser, mentor_for(challenge).user):
        with pytest.raises(PermissionDenied):
            mentor_services.mentor_profile_update(
                actor=actor, mentor=mentor, areas="Nothing", languages=["en"]
            )


@pytest.mark.django_db
def test_the_mentors_of_a_team_are_those_who_met_it_or_wrote_to_it(challenge):
    team = team_of(challenge)
    met, wrote, neither = mentor_for(challenge), mentor_for(challenge), mentor_for(challenge)
    booked(OfficeHourFactory(mentor=met), team)
    team.messages.create(author=wrote.user, body="How is the evidence section going?")
    team.messages.create(author=team.lead, body="Fine, thanks.")

    assert mentor_selectors.mentor_user_ids_for_team(team) == {met.user_id, wrote.user_id}
    assert neither.user_id not in mentor_selectors.mentor_user_ids_for_team(team)
