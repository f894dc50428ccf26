"""Registering, withdrawing and the organisers' decision, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.core.models import AuditEntry, Notification
from voices.directory.tests.factories import text
from voices.inquirylab import eligibility
from voices.inquirylab.challenge_services import (
    NotEligible,
    registration_create,
    registration_decide,
    registration_withdraw,
)
from voices.inquirylab.models import Registration, Stage
from voices.inquirylab.tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    TeamFactory,
    move_to,
)
from voices.inquirylab.tests.factories_challenges import born, registration_input


def register(challenge, user, **overrides) -> Registration:
    return registration_create(user=user, challenge=challenge, **registration_input(**overrides))


@pytest.mark.django_db
def test_an_eligible_person_is_registered_and_waits_for_the_organisers(challenge, participant):
    registration = register(challenge, participant, organisation=challenge.organiser)

    assert registration.status == Registration.Status.PENDING
    assert registration.country == "AT"
    assert registration.languages == ["en", "uk"]
    assert registration.is_looking_for_team
    assert registration.organisation == challenge.organiser
    assert registration.consented_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("years", "days", "accepted"),
    [(19, 1, False), (19, 0, True), (27, 1, True), (27, 0, False)],
    ids=["day before 19th birthday", "19th birthday", "day before 27th birthday", "27th birthday"],
)
def test_the_age_is_counted_on_the_start_date(challenge, participant, years, days, accepted):
    birth = born(years, days=days, start=challenge.starts_on)

    if accepted:
        register(challenge, participant, birth=birth)
        assert Registration.objects.filter(user=participant).exists()
    else:
        with pytest.raises(NotEligible):
            register(challenge, participant, birth=birth)
        assert not Registration.objects.exists()


@pytest.mark.django_db
def test_an_ineligible_person_is_told_why_and_nothing_is_stored(challenge, participant):
    too_old = challenge.starts_on.year - 40

    with pytest.raises(NotEligible) as refused:
        register(challenge, participant, birth=too_old, country="DE", consent=False)

    assert refused.value.reasons == [
        eligibility.TOO_OLD,
        eligibility.COUNTRY_NOT_ALLOWED,
        eligibility.NO_CONSENT,
    ]
    assert refused.value.messages[0].startswith("This challenge is for people aged 19 to 26 on ")
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_year_at_the_edge_of_the_range_asks_for_the_full_date(challenge, participant):
    edge = challenge.starts_on.year - 19

    with pytest.raises(NotEligible) as refused:
        register(challenge, participant, birth=edge)

    assert refused.value.reasons == [eligibility.NEEDS_FULL_DATE]
    assert not Registration.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [Stage.UPCOMING, Stage.WORK, Stage.RESULTS])
def test_registration_is_refused_outside_its_stages(participant, stage):
    challenge = ChallengeFactory(stage=stage)

    with pytest.raises(ValidationError) as refused:
        register(challenge, participant)

    assert refused.value.code == "stage"
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_registration_stays_open_during_team_formation(participant):
    challenge = ChallengeFactory(stage=Stage.TEAM_FORMATION)

    assert register(challenge, participant).status == Registration.Status.PENDING


@pytest.mark.django_db
def test_a_draft_challenge_takes_no_registrations(participant):
    challenge = ChallengeFactory(is_published=False)

    with pytest.raises(PermissionDenied):
        register(challenge, participant)


@pytest.mark.django_db
@pytest.mark.parametrize("languages", [[], ["xx"]])
def test_at_least_one_known_working_language_is_needed(challenge, participant, languages):
    with pytest.raises(ValidationError) as refused:
        register(challenge, participant, languages=languages)
    assert "languages" in refused.value.message_dict
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_registering_twice_says_the_person_is_already_registered(challenge, participant):
    register(challenge, participant)

    with pytest.raises(ValidationError, match="already registered"):
        register(challenge, participant)

    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_a_rejected_person_cannot_register_again_over_the_decision(challenge, participant):
    RegistrationFactory(
        challenge=challenge, user=participant, status="rejected", decision_reason="Not resident."
    )

    with pytest.raises(ValidationError, match="already registered"):
        register(challenge, participant)


@pytest.mark.django_db
def test_withdrawing_and_registering_again_reuses_the_registration(challenge, participant):
    first = register(challenge, participant)

    registration_withdraw(user=participant, registration=first)
    first.refresh_from_db()
    assert first.status == Registration.Status.WITHDRAWN

    again = register(challenge, participant, languages=["ar"], is_looking_for_team=False)
    assert again.pk == first.pk
    assert again.status == Registration.Status.PENDING
    assert again.languages == ["ar"]
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_only_the_person_withdraws_their_registration(challenge, participant, outsider):
    registration = register(challenge, participant)

    with pytest.raises(PermissionDenied):
        registration_withdraw(user=outsider, registration=registration)


@pytest.mark.django_db
def test_withdrawing_is_refused_after_registration_closes(challenge, participant):
    registration = register(challenge, participant)
    move_to(challenge, Stage.WORK)

    with pytest.raises(ValidationError, match="Registration for this challenge is closed"):
        registration_withdraw(user=participant, registration=registration)


@pytest.mark.django_db
def test_withdrawing_is_refused_while_the_person_is_in_a_team(participant):
    team = TeamFactory(challenge=ChallengeFactory(stage=Stage.TEAM_FORMATION), lead=participant)
    registration = Registration.objects.get(user=participant)

    with pytest.raises(ValidationError, match="Leave your team first."):
        registration_withdraw(user=participant, registration=registration)

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert team.members.filter(user=participant).exists()


# The organisers' decision


@pytest.fixture
def pending(challenge, participant):
    return register(challenge, participant)


@pytest.mark.django_db
def test_the_organiser_confirms_a_registration_and_the_person_is_told(organiser, pending):
    registration_decide(actor=organiser, registration=pending, decision="confirm")

    pending.refresh_from_db()
    assert pending.status == Registration.Status.CONFIRMED
    assert pending.decided_by == organiser
    notice = Notification.objects.get(recipient=pending.user)
    assert "is confirmed" in notice.subject
    assert notice.url == pending.challenge.get_absolute_url()
    entry = AuditEntry.objects.get(object_id=str(pending.pk), action="update")
    assert entry.before["status"] == "pending"
    assert entry.after["status"] == "confirmed"


@pytest.mark.django_db
def test_a_rejection_needs_a_reason_which_the_person_reads(organiser, pending):
    with pytest.raises(ValidationError):
        registration_decide(actor=organiser, registration=pending, decision="reject", reason=" ")

    registration_decide(
        actor=organiser, registration=pending, decision="reject",
        reason="We could not confirm where you live.",
    )  # fmt: skip

    pending.refresh_from_db()
    assert pending.status == Registration.Status.REJECTED
    assert "We could not confirm where you live." in Notification.objects.get().body


@pytest.mark.django_db
def test_the_person_is_told_in_their_own_language(organiser, participant):
    challenge = ChallengeFactory(title=text("Youth and the city", uk="Молодь і місто"))
    participant.languages = ["uk"]
    participant.save()
    registration = register(challenge, participant)

    registration_decide(
        actor=organiser_of(challenge), registration=registration, decision="confirm"
    )

    assert "Молодь і місто" in Notification.objects.get().subject


def organiser_of(challenge):
    user = UserFactory()
    grant(user, Role.REPRESENTATIVE, challenge.organiser)
    return user


@pytest.mark.django_db
def test_a_decision_can_be_changed_until_judging_starts(organiser, pending):
    registration_decide(actor=organiser, registration=pending, decision="reject", reason="Unclear.")
    registration_decide(actor=organiser, registration=pending, decision="confirm")
    pending.refresh_from_db()
    assert pending.status == Registration.Status.CONFIRMED
    assert pending.decision_reason == ""

    move_to(pending.challenge, Stage.JUDGING)
    with pytest.raises(ValidationError, match="Judging has started"):
        registration_decide(actor=organiser, registration=pending, decision="reject", reason="No.")


@pytest.mark.django_db
def test_the_same_decision_twice_is_refused(organiser, pending):
    registration_decide(actor=organiser, registration=pending, decision="confirm")

    with pytest.raises(ValidationError, match="already recorded"):
        registration_decide(actor=organiser, registration=pending, decision="confirm")


@pytest.mark.django_db
def test_a_withdrawn_registration_is_not_decided(organiser, pending, participant):
    registration_withdraw(user=participant, registration=pending)

    with pytest.raises(ValidationError, match="withdrawn"):
        registration_decide(actor=organiser, registration=pending, decision="confirm")


@pytest.mark.django_db
def test_only_those_who_run_the_challenge_decide(pending, outsider, participant, coordinator):
    for person in (outsider, participant):
        with pytest.raises(PermissionDenied):
            registration_decide(actor=person, registration=pending, decision="confirm")

    registration_decide(actor=coordinator, registration=pending, decision="confirm")
    assert Registration.objects.get().decided_at <= timezone.now()


@pytest.mark.django_db
def test_someone_in_a_team_is_not_rejected_until_the_team_removed_them(organiser, challenge):
    move_to(challenge, Stage.TEAM_FORMATION)
    member = UserFactory()
    team = TeamFactory(challenge=challenge, members=[member])
    registration = Registration.objects.get(challenge=challenge, user=member)

    with pytest.raises(ValidationError) as refused:
        registration_decide(
            actor=organiser, registration=registration, decision="reject", reason="Not resident"
        )

    assert refused.value.code == "in_team"
    assert team.name in refused.value.messages[0]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
