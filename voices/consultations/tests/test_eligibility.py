"""Who may take part: people with an account (or without, where allowed), residents of the area,
members of a council, an age range, and people a moderator blocked."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.consultations import eligibility, services
from voices.consultations.models import Comment, Consultation, Participant, Proposal, Support
from voices.consultations.tests.factories import ConsultationFactory, ProposalFactory
from voices.core import moderation
from voices.councils.tests.factories import CouncilFactory, MembershipFactory
from voices.directory.tests.factories import MunicipalityFactory, RegionFactory

Rule = Consultation.Eligibility


def code_of(exc_info) -> str | None:
    return exc_info.value.code


def propose(user, consultation: Consultation, **fields) -> Proposal:
    return services.proposal_create(
        user=user, consultation=consultation, title="Evening classes",
        body="More language classes after work.", language="en", **fields,
    )  # fmt: skip


def refused(user, consultation: Consultation, **fields) -> ValidationError:
    """Try to make a proposal; return the refusal, checking that nothing was stored."""
    with pytest.raises(ValidationError) as exc:
        propose(user, consultation, **fields)
    assert code_of(exc) == "not_eligible"
    assert not Proposal.objects.filter(consultation=consultation, title="Evening classes").exists()
    return exc.value


def this_year() -> int:
    return timezone.localdate().year


# Anyone with an account


@pytest.mark.django_db
def test_anyone_with_an_account_takes_part_by_default(consultation, participant):
    assert consultation.eligibility == Rule.REGISTERED

    proposal = propose(participant, consultation)

    assert proposal.author == participant


@pytest.mark.django_db
def test_people_without_an_account_are_asked_to_sign_in(consultation):
    error = refused(AnonymousUser(), consultation, anon_key="abc")

    assert error.messages == ["Please sign in to take part."]
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_people_without_an_account_take_part_where_the_owner_allows_it(consultation):
    consultation.allows_anonymous = True
    consultation.save()

    proposal = propose(AnonymousUser(), consultation, anon_key="abc")

    assert proposal.is_anonymous
    assert Participant.objects.get().anon_key == "abc"


@pytest.mark.django_db
def test_people_without_an_account_need_a_browser_token(consultation):
    consultation.allows_anonymous = True
    consultation.save()

    with pytest.raises(PermissionDenied):
        propose(AnonymousUser(), consultation, anon_key="")

    assert not Proposal.objects.exists()


# Residents


@pytest.mark.django_db
@pytest.mark.parametrize(("country", "allowed"), [("AT", True), ("DE", False), ("", False)])
def test_a_residents_consultation_takes_people_whose_country_matches(
    consultation, country, allowed
):
    consultation.eligibility = Rule.RESIDENTS
    consultation.save()
    person = UserFactory(country=country)

    if allowed:
        assert propose(person, consultation).author == person
    else:
        error = refused(person, consultation)
        assert "set your country of residence" in error.messages[0]


@pytest.fixture
def regional(consultation):
    consultation.eligibility = Rule.RESIDENTS
    consultation.region = RegionFactory(country=consultation.country)
    consultation.save()
    return consultation


@pytest.fixture
def municipal(consultation):
    consultation.eligibility = Rule.RESIDENTS
    consultation.municipality = MunicipalityFactory(region__country=consultation.country)
    consultation.save()
    return consultation


@pytest.mark.django_db
@pytest.mark.parametrize("area", ["regional", "municipal"])
def test_a_regional_or_local_consultation_needs_a_declaration_of_residence(request, area):
    consultation = request.getfixturevalue(area)
    person = UserFactory(country="AT")

    error = refused(person, consultation)

    assert error.messages[0].startswith("Please confirm that you live in")


@pytest.mark.django_db
@pytest.mark.parametrize("area", ["regional", "municipal"])
def test_after_declaring_residence_a_person_takes_part(request, area):
    consultation = request.getfixturevalue(area)
    person = UserFactory(country="AT")

    services.participation_prepare(
        user=person, consultation=consultation, birth_year=None, lives_there=True
    )
    proposal = propose(person, consultation)

    assert proposal.participant.declared_resident
    assert Participant.objects.filter(consultation=consultation).count() == 1


@pytest.mark.django_db
def test_a_declaration_must_say_the_person_lives_there(regional):
    person = UserFactory(country="AT")

    with pytest.raises(ValidationError) as exc:
        services.participation_prepare(
            user=person, consultation=regional, birth_year=None, lives_there=False
        )

    assert code_of(exc) == "residence"
    assert not Participant.objects.filter(declared_resident=True).exists()
    refused(person, regional)


@pytest.mark.django_db
def test_a_declaration_does_not_replace_the_country_of_residence(regional):
    person = UserFactory(country="DE")
    services.participation_prepare(
        user=person, consultation=regional, birth_year=None, lives_there=True
    )

    error = refused(person, regional)

    assert "set your country of residence" in error.messages[0]


@pytest.mark.django_db
def test_a_country_wide_residents_consultation_needs_no_declaration(consultation):
    consultation.eligibility = Rule.RESIDENTS
    consultation.save()

    assert not eligibility.needs_residence_declaration(consultation)
    assert propose(UserFactory(country="AT"), consultation).participant.declared_resident is False


# Council members


@pytest.fixture
def council_consultation(consultation):
    consultation.eligibility = Rule.COUNCIL_MEMBERS
    consultation.eligible_council = CouncilFactory()
    consultation.save()
    return consultation


@pytest.mark.django_db
def test_a_current_member_takes_part_in_a_council_consultation(council_consultation, participant):
    MembershipFactory(council=council_consultation.eligible_council, user=participant)

    assert propose(participant, council_consultation).author == participant


@pytest.mark.django_db
def test_a_former_member_does_not_take_part_in_a_council_consultation(
    council_consultation, participant
):
    today = timezone.localdate()
    MembershipFactory(
        council=council_consultation.eligible_council,
        user=participant,
        term_start=today - datetime.timedelta(days=400),
        ended_on=today - datetime.timedelta(days=10),
    )

    error = refused(participant, council_consultation)

    assert error.messages[0].startswith("Only members of")


@pytest.mark.django_db
def test_a_member_of_another_council_does_not_take_part(council_consultation, participant):
    MembershipFactory(council=CouncilFactory(), user=participant)

    refused(participant, council_consultation)


@pytest.mark.django_db
def test_someone_outside_any_council_does_not_take_part(council_consultation, outsider):
    refused(outsider, council_consultation)


# Age range


@pytest.fixture
def youth(consultation):
    """For people aged 16 to 25 this year."""
    consultation.min_age, consultation.max_age = 16, 25
    consultation.save()
    return consultation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("age", "allowed"), [(15, False), (16, True), (20, True), (25, True), (26, False)]
)
def test_the_age_range_counts_the_age_reached_this_year(youth, age, allowed):
    person = UserFactory(birth_year=this_year() - age)

    if allowed:
        assert propose(person, youth).author == person
    else:
        error = refused(person, youth)
        assert error.messages == ["This consultation is for people aged 16 to 25."]


@pytest.mark.django_db
@pytest.mark.parametrize(("low", "high", "age"), [(18, None, 17), (None, 30, 31)])
def test_an_open_ended_age_range_has_one_limit(consultation, low, high, age):
    consultation.min_age, consultation.max_age = low, high
    consultation.save()

    assert eligibility.refusal(UserFactory(birth_year=this_year() - age), consultation)
    assert (
        eligibility.refusal(UserFactory(birth_year=this_year() - (low or high)), consultation)
        is None
    )


@pytest.mark.django_db
def test_without_a_birth_year_a_person_is_asked_for_it(youth, participant):
    assert participant.birth_year is None

    error = refused(participant, youth)

    assert error.messages == ["Please give your birth year: this consultation has an age range."]
    assert eligibility.fixable_by_form(participant, youth)


@pytest.mark.django_db
def test_the_birth_year_given_for_an_age_range_is_kept(youth, participant):
    services.participation_prepare(
        user=participant, consultation=youth, birth_year=this_year() - 20, lives_there=False
    )

    participant.refresh_from_db()
    assert participant.birth_year == this_year() - 20
    assert propose(participant, youth).author == participant


@pytest.mark.django_db
def test_an_age_range_without_a_birth_year_asks_for_one(youth, participant):
    with pytest.raises(ValidationError) as exc:
        services.participation_prepare(
            user=participant, consultation=youth, birth_year=None, lives_there=False
        )

    assert code_of(exc) == "birth_year"
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_birth_year_already_on_the_profile_is_never_overwritten(youth):
    person = UserFactory(birth_year=this_year() - 30)

    services.participation_prepare(
        user=person, consultation=youth, birth_year=this_year() - 20, lives_there=False
    )

    person.refresh_from_db()
    assert person.birth_year == this_year() - 30
    refused(person, youth)


@pytest.mark.django_db
def test_no_birth_year_is_stored_where_there_is_no_age_range(consultation, participant):
    services.participation_prepare(
        user=participant, consultation=consultation, birth_year=1990, lives_there=False
    )

    participant.refresh_from_db()
    assert participant.birth_year is None


@pytest.mark.django_db
def test_preparing_participation_needs_an_account(youth):
    with pytest.raises(PermissionDenied):
        services.participation_prepare(
            user=AnonymousUser(), consultation=youth, birth_year=2000, lives_there=True
        )


# Blocked people


def block(officer, consultation: Consultation, user):
    return moderation.user_block(
        actor=officer, scope=consultation, model=Proposal, user=user, reason="Repeated insults."
    )


@pytest.mark.django_db
def test_a_blocked_person_takes_no_part_until_the_block_is_lifted(
    consultation, officer, participant
):
    proposal = ProposalFactory(consultation=consultation)
    lock = block(officer, consultation, participant)

    error = refused(participant, consultation)
    assert "blocked" in error.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.support_add(user=participant, proposal=proposal)
    assert code_of(exc) == "not_eligible"
    with pytest.raises(ValidationError) as exc:
        services.comment_create(
            user=participant, consultation=consultation, body="Hello.", stance="for", language="en"
        )
    assert code_of(exc) == "not_eligible"
    assert not Support.objects.exists()
    assert not Comment.objects.exists()

    moderation.user_unblock(actor=officer, block=lock, model=Proposal)

    assert propose(participant, consultation).author == participant
    services.support_add(user=participant, proposal=proposal)


@pytest.mark.django_db
def test_a_block_holds_only_in_its_own_consultation(authority, consultation, officer, participant):
    other = ConsultationFactory(owner_organisation=authority)
    block(officer, consultation, participant)

    assert propose(participant, other).author == participant
