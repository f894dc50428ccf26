"""Council services: the charter's seat and term rules, invitations, requests to join, the log."""

import datetime
import hashlib
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from voices.accounts.models import Role, RoleGrant, User
from voices.accounts.tests.factories import UserFactory
from voices.core.models import AuditEntry, Notification
from voices.councils.models import (
    Council,
    CouncilStatusChange,
    Invitation,
    JoinRequest,
    Membership,
    PolicyDomain,
)
from voices.councils.services import (
    council_create,
    council_update,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    join_request_create,
    join_request_decide,
    join_request_withdraw,
    membership_add,
    membership_end,
    membership_update_own,
    term_end_for,
)
from voices.councils.tests.factories import (
    CouncilFactory,
    JoinRequestFactory,
    MembershipFactory,
    facilitator_of,
)
from voices.directory.tests.factories import (
    CountryFactory,
    OrganisationFactory,
    RegionFactory,
    text,
)

Seat = Membership.Role
TODAY = timezone.localdate


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def code_of(excinfo) -> str | None:
    return excinfo.value.code


@pytest.fixture
def council(db):
    return CouncilFactory(slug="graz", voting_seats=2, term_months=24, max_terms=2)


def add(actor, council, user=None, role=Seat.MEMBER, **extra) -> Membership:
    return membership_add(
        actor=actor,
        council=council,
        user=user or UserFactory(),
        role=role,
        entry=extra.pop("entry", Membership.Entry.ELECTED),
        term_start=extra.pop("term_start", TODAY()),
        **extra,
    )


def past_term(council, user, role=Seat.MEMBER, years_ago: int = 2) -> Membership:
    start = TODAY() - days(365 * years_ago + 30)
    return MembershipFactory(
        council=council, user=user, role=role, term_start=start, term_end=start + days(364)
    )


# Terms


@pytest.mark.django_db
def test_a_full_term_ends_the_day_before_the_same_date_term_months_later(coordinator, council):
    membership = add(coordinator, council, term_start=datetime.date(2025, 3, 15))

    assert membership.term_end == datetime.date(2027, 3, 14)
    assert term_end_for(council, datetime.date(2025, 3, 15)) == datetime.date(2027, 3, 14)


@pytest.mark.django_db
def test_a_full_term_follows_the_councils_own_term_length(coordinator):
    council = CouncilFactory(term_months=6)

    membership = add(coordinator, council, term_start=datetime.date(2025, 1, 1))

    assert membership.term_end == datetime.date(2025, 6, 30)


@pytest.mark.django_db
def test_a_term_longer_than_the_charter_allows_is_refused(coordinator, council):
    start = datetime.date(2025, 3, 15)

    with pytest.raises(ValidationError) as excinfo:
        add(coordinator, council, term_start=start, term_end=datetime.date(2027, 3, 15))

    assert code_of(excinfo) == "term_too_long"
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_a_term_of_exactly_the_charters_length_or_shorter_is_accepted(coordinator, council):
    start = datetime.date(2025, 3, 15)

    full = add(coordinator, council, term_start=start, term_end=datetime.date(2027, 3, 14))
    short = add(coordinator, council, term_start=start, term_end=datetime.date(2025, 9, 30))

    assert full.term_end == datetime.date(2027, 3, 14)
    assert short.term_end == datetime.date(2025, 9, 30)


@pytest.mark.django_db
def test_a_term_that_ends_before_it_starts_is_refused(coordinator, council):
    with pytest.raises(ValidationError):
        add(coordinator, council, term_start=TODAY(), term_end=TODAY() - days(1))

    assert not Membership.objects.exists()


# Voting seats


@pytest.mark.django_db
def test_when_every_voting_seat_is_taken_another_voting_member_is_refused(coordinator, council):
    add(coordinator, council)
    add(coordinator, council, role=Seat.CHAIR)

    with pytest.raises(ValidationError) as excinfo:
        add(coordinator, council)

    assert code_of(excinfo) == "seats_full"
    assert council.memberships.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Seat.OBSERVER, Seat.AUTHORITY_LIAISON, Seat.FACILITATOR])
def test_non_voting_places_can_still_be_given_when_the_voting_seats_are_full(
    coordinator, council, role
):
    add(coordinator, council)
    add(coordinator, council)

    membership = add(coordinator, council, role=role)

    assert membership.is_voting is False
    assert council.memberships.count() == 3


@pytest.mark.django_db
def test_non_voting_places_do_not_take_a_voting_seat(coordinator, council):
    add(coordinator, council, role=Seat.OBSERVER)
    add(coordinator, council, role=Seat.FACILITATOR)
    add(coordinator, council)

    membership = add(coordinator, council)

    assert membership.is_voting


@pytest.mark.django_db
def test_a_seat_left_early_can_be_filled_again(coordinator, council):
    leaving = MembershipFactory(council=council, term_start=TODAY() - days(60))
    add(coordinator, council)
    membership_end(actor=coordinator, membership=leaving, on=TODAY() - days(1))

    newcomer = add(coordinator, council)

    assert newcomer.term_start == TODAY()


@pytest.mark.django_db
def test_a_seat_that_is_only_taken_later_counts_for_the_overlapping_period(coordinator, council):
    MembershipFactory.create_batch(
        2, council=council, term_start=TODAY() + days(100), term_end=TODAY() + days(400)
    )

    with pytest.raises(ValidationError) as excinfo:
        add(coordinator, council)  # a full term from today overlaps the later ones
    short = add(coordinator, council, term_end=TODAY() + days(99))

    assert code_of(excinfo) == "seats_full"
    assert short.term_end == TODAY() + days(99)


# Maximum number of terms


@pytest.mark.django_db
def test_a_person_who_served_the_most_voting_terms_cannot_take_another_one(coordinator, council):
    person = UserFactory()
    past_term(council, person, years_ago=4)
    past_term(council, person, role=Seat.SECRETARY, years_ago=2)

    with pytest.raises(ValidationError) as excinfo:
        add(coordinator, council, user=person)

    assert code_of(excinfo) == "max_terms"


@pytest.mark.django_db
def test_a_person_below_the_most_terms_can_serve_again(coordinator, council):
    person = UserFactory()
    past_term(council, person, years_ago=2)

    membership = add(coordinator, council, user=person)

    assert membership.user == person


@pytest.mark.django_db
def test_past_non_voting_places_do_not_count_as_terms(coordinator, council):
    person = UserFactory()
    past_term(council, person, role=Seat.OBSERVER, years_ago=4)
    past_term(council, person, role=Seat.FACILITATOR, years_ago=2)

    membership = add(coordinator, council, user=person)

    assert membership.is_voting


@pytest.mark.django_db
def test_terms_served_in_another_council_do_not_count(coordinator, council):
    person = UserFactory()
    elsewhere = CouncilFactory()
    past_term(elsewhere, person, years_ago=4)
    past_term(elsewhere, person, years_ago=2)

    assert add(coordinator, council, user=person).user == person


@pytest.mark.django_db
def test_a_person_who_served_the_most_terms_may_still_observe(coordinator, council):
    person = UserFactory()
    past_term(council, person, years_ago=4)
    past_term(council, person, years_ago=2)

    assert add(coordinator, council, user=person, role=Seat.OBSERVER).role == Seat.OBSERVER


# Roles held by one person at a time


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Seat.CHAIR, Seat.VICE_CHAIR, Seat.SECRETARY])
def test_only_one_person_at_a_time_holds_a_single_role(coordinator, role):
    council = CouncilFactory(voting_seats=10)
    add(coordinator, council, role=role)

    with pytest.raises(ValidationError) as excinfo:
        add(coordinator, council, role=role)

    assert code_of(excinfo) == "role_taken"


@pytest.mark.django_db
def test_a_single_role_can_be_given_again_once_its_holder_has_left(coordinator, council):
    chair = MembershipFactory(council=council, role=Seat.CHAIR, term_start=TODAY() - days(60))
    membership_end(actor=coordinator, membership=chair, on=TODAY() - days(1))

    assert add(coordinator, council, role=Seat.CHAIR).role == Seat.CHAIR


@pytest.mark.django_db
def test_many_people_can_be_plain_members_at_once(coordinator):
    council = CouncilFactory(voting_seats=10)

    for _n in range(3):
        add(coordinator, council)

    assert council.memberships.filter(role=Seat.MEMBER).count() == 3


@pytest.mark.django_db
def test_the_same_role_in_another_council_is_no_obstacle(coordinator, council):
    add(coordinator, CouncilFactory(), role=Seat.CHAIR)

    assert add(coordinator, council, role=Seat.CHAIR).role == Seat.CHAIR


# One place per person


@pytest.mark.django_db
@pytest.mark.parametrize("second_role", [Seat.MEMBER, Seat.OBSERVER, Seat.FACILITATOR])
def test_a_person_cannot_hold_two_overlapping_places(coordinator, council, second_role):
    person = UserFactory()
    add(coordinator, council, user=person)

    with pytest.raises(ValidationError) as excinfo:
        add(coordinator, council, user=person, role=second_role, term_start=TODAY() + days(30))

    assert code_of(excinfo) == "already_member"
    assert council.memberships.filter(user=person).count() == 1


@pytest.mark.django_db
def test_a_person_can_take_a_new_place_after_the_old_one_ended(coordinator, council):
    person = UserFactory()
    old = MembershipFactory(council=council, user=person, term_start=TODAY() - days(60))
    membership_end(actor=coordinator, membership=old, on=TODAY() - days(1))

    assert add(coordinator, council, user=person, role=Seat.OBSERVER).user == person


@pytest.mark.django_db
def test_a_person_can_sit_in_two_councils(coordinator, council):
    person = UserFactory()
    add(coordinator, CouncilFactory(), user=person)

    assert add(coordinator, council, user=person).user == person


# Association representatives


@pytest.mark.django_db
def test_an_association_representative_needs_the_association_they_represent(coordinator, council):
    with pytest.raises(ValidationError) as excinfo:
        add(coordinator, council, role=Seat.ASSOCIATION_REPRESENTATIVE)

    assert "association" in excinfo.value.message_dict
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_an_association_representative_with_an_association_takes_a_voting_seat(
    coordinator, council
):
    association = OrganisationFactory(kind="migrant_association")

    membership = add(
        coordinator, council, role=Seat.ASSOCIATION_REPRESENTATIVE, association=association
    )

    assert membership.association == association
    assert membership.is_voting


# Ending a membership


@pytest.mark.django_db
def test_ending_a_membership_keeps_it_in_the_history_with_the_day_it_ended(coordinator, council):
    membership = MembershipFactory(council=council, term_start=TODAY() - days(60))

    ended = membership_end(actor=coordinator, membership=membership)

    ended.refresh_from_db()
    assert ended.ended_on == TODAY()
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_a_membership_cannot_be_ended_twice(coordinator, council):
    membership = MembershipFactory(council=council, term_start=TODAY() - days(60))
    membership_end(actor=coordinator, membership=membership, on=TODAY() - days(2))

    with pytest.raises(ValidationError) as excinfo:
        membership_end(actor=coordinator, membership=membership)

    membership.refresh_from_db()
    assert code_of(excinfo) == "already_ended"
    assert membership.ended_on == TODAY() - days(2)


@pytest.mark.django_db
def test_a_membership_cannot_end_after_its_term(coordinator, council):
    membership = MembershipFactory(
        council=council, term_start=TODAY() - days(60), term_end=TODAY() + days(10)
    )

    ended = membership_end(actor=coordinator, membership=membership, on=TODAY() + days(50))

    assert ended.ended_on == TODAY() + days(10)


# Facilitators


def facilitator_grants(user: User, council: Council):
    return RoleGrant.objects.filter(
        user=user,
        role=Role.FACILITATOR,
        scope_type=ContentType.objects.get_for_model(Council),
        scope_id=str(council.pk),
    )


@pytest.mark.django_db
def test_a_facilitator_place_also_gives_the_facilitator_role_for_that_council(coordinator, council):
    person = UserFactory()

    add(coordinator, council, user=person, role=Seat.FACILITATOR)

    person = User.objects.get(pk=person.pk)
    assert facilitator_grants(person, council).get().granted_by == coordinator
    assert person.has_role(Role.FACILITATOR, council)
    assert not person.has_role(Role.FACILITATOR, CouncilFactory())
    # Facilitation is a staff role: without an authenticator app, staff pages stay closed.
    assert person.needs_second_factor()


@pytest.mark.django_db
def test_ending_a_facilitator_place_takes_the_facilitator_role_away(coordinator, council):
    person = UserFactory()
    membership = add(coordinator, council, user=person, role=Seat.FACILITATOR)

    membership_end(actor=coordinator, membership=membership)

    person = User.objects.get(pk=person.pk)
    assert not facilitator_grants(person, council).exists()
    assert not person.has_perm("councils.manage_members", council)
    assert AuditEntry.objects.filter(action="revoke", actor=coordinator).exists()


@pytest.mark.django_db
def test_a_facilitator_can_end_a_fellow_facilitators_place_and_role(council):
    colleague = facilitator_of(council)
    leaving = facilitator_of(council)
    membership = leaving.council_memberships.get()

    membership_end(actor=colleague, membership=membership)

    assert not facilitator_grants(leaving, council).exists()
    assert facilitator_grants(colleague, council).exists()


@pytest.mark.django_db
def test_ending_a_plain_membership_leaves_the_persons_roles_alone(coordinator, council):
    person = facilitator_of(CouncilFactory())
    membership = add(coordinator, council, user=person)

    membership_end(actor=coordinator, membership=membership)

    assert RoleGrant.objects.filter(user=person, role=Role.FACILITATOR).count() == 1


# Who may manage members


@pytest.mark.django_db
def test_the_councils_facilitator_can_add_members(council):
    facilitator = facilitator_of(council)

    membership = add(facilitator, council)

    assert membership.council == council


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "outsider", "officer", "other_facilitator"])
def test_only_programme_staff_and_the_councils_facilitators_manage_members(
    request, council, persona
):
    actor = (
        facilitator_of(CouncilFactory())
        if persona == "other_facilitator"
        else request.getfixturevalue(persona)
    )
    membership = MembershipFactory(council=council)
    join = JoinRequestFactory(council=council)
    invitation, _raw = invitation_create(
        actor=request.getfixturevalue("coordinator"),
        council=council,
        role="member",
        entry="elected",
    )

    with pytest.raises(PermissionDenied):
        add(actor, council)
    with pytest.raises(PermissionDenied):
        membership_end(actor=actor, membership=membership)
    with pytest.raises(PermissionDenied):
        invitation_create(actor=actor, council=council, role="member", entry="elected")
    with pytest.raises(PermissionDenied):
        invitation_revoke(actor=actor, invitation=invitation)
    with pytest.raises(PermissionDenied):
        join_request_decide(actor=actor, join_request=join, accept=True)
    with pytest.raises(PermissionDenied):
        council_update(actor=actor, council=council, voting_seats=30)

    membership.refresh_from_db()
    invitation.refresh_from_db()
    join.refresh_from_db()
    council.refresh_from_db()
    assert membership.ended_on is None
    assert invitation.revoked_at is None
    assert join.status == JoinRequest.Status.PENDING
    assert council.voting_seats == 2
    assert council.memberships.count() == 1


@pytest.mark.django_db
def test_an_administrator_manages_any_council(admin_user, council):
    assert add(admin_user, council).council == council


@pytest.mark.django_db
def test_a_member_can_change_only_their_own_consent_and_contacts(council):
    membership = MembershipFactory(council=council)
    other = MembershipFactory(council=council)

    membership_update_own(
        user=membership.user, membership=membership, is_public=True,
        contact_email=" me@example.org ", contact_phone="+43 1 234",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        membership_update_own(
            user=membership.user, membership=other, is_public=True, contact_email="",
            contact_phone="",
        )  # fmt: skip

    membership.refresh_from_db()
    other.refresh_from_db()
    assert (membership.is_public, membership.contact_email) == (True, "me@example.org")
    assert other.is_public is False


# The audit log


def audit_for(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


@pytest.mark.django_db
def test_adding_and_ending_a_membership_is_logged(coordinator, council):
    membership = add(coordinator, council)
    membership_end(actor=coordinator, membership=membership)

    entries = list(audit_for(membership).order_by("id"))
    assert [(e.action, e.actor) for e in entries] == [
        ("create", coordinator),
        ("update", coordinator),
    ]
    assert entries[0].after["role"] == "member"
    assert entries[1].before["ended_on"] is None
    assert entries[1].after["ended_on"] == TODAY().isoformat()


@pytest.mark.django_db
def test_creating_and_withdrawing_an_invitation_is_logged(coordinator, council):
    invitation, _raw = invitation_create(
        actor=coordinator, council=council, role="member", entry="elected"
    )
    invitation_revoke(actor=coordinator, invitation=invitation)

    assert list(audit_for(invitation).order_by("id").values_list("action", flat=True)) == [
        "create",
        "update",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("accept, status", [(True, "accepted"), (False, "declined")])
def test_answering_a_request_to_join_is_logged(coordinator, council, participant, accept, status):
    join = join_request_create(user=participant, council=council)

    join_request_decide(actor=coordinator, join_request=join, accept=accept)

    entry = audit_for(join).get()
    assert (entry.action, entry.actor) == ("update", coordinator)
    assert (entry.before["status"], entry.after["status"]) == ("pending", status)


@pytest.mark.django_db
def test_setting_up_and_changing_a_council_is_logged(coordinator):
    council = council_create(
        actor=coordinator, slug="linz", name=text("Linz council"), level="local",
        country=CountryFactory(code="AT"), domains=PolicyDomain.objects.filter(code="health"),
    )  # fmt: skip
    council_update(actor=coordinator, council=council, voting_seats=9)
    council_update(actor=coordinator, council=council, voting_seats=9)  # no change, no entry

    entries = list(audit_for(council).order_by("id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].after["domains"] == ["health"]
    assert (entries[1].before["voting_seats"], entries[1].after["voting_seats"]) == (15, 9)


# Setting up and changing councils


@pytest.mark.django_db
def test_a_new_council_starts_its_history_on_the_day_it_was_founded(coordinator):
    council = council_create(
        actor=coordinator, slug="linz", name=text("Linz council"), level="local",
        country=CountryFactory(code="AT"), founded_on=datetime.date(2024, 5, 2),
    )  # fmt: skip

    change = council.status_changes.get()
    assert (change.status, change.changed_on, change.changed_by) == (
        Council.Status.ESTABLISHING,
        datetime.date(2024, 5, 2),
        coordinator,
    )


@pytest.mark.django_db
def test_a_new_council_saves_its_domains_and_supporting_organisations(coordinator):
    austria = CountryFactory(code="AT")
    ngo, university = OrganisationFactory(kind="ngo"), OrganisationFactory(kind="university")

    council = council_create(
        actor=coordinator, slug="linz", name=text("Linz council"), level="local", country=austria,
        domains=PolicyDomain.objects.filter(code__in=["education", "housing"]),
        supporting_organisations=[ngo, university], working_languages=["de", "en"],
    )  # fmt: skip

    council.refresh_from_db()
    assert sorted(council.domains.values_list("code", flat=True)) == ["education", "housing"]
    assert set(council.supporting_organisations.all()) == {ngo, university}
    assert council.working_languages == ["de", "en"]


@pytest.mark.django_db
def test_only_programme_staff_set_up_councils(council):
    facilitator = facilitator_of(council)

    with pytest.raises(PermissionDenied):
        council_create(
            actor=facilitator, slug="linz", name=text("Linz"), level="local",
            country=council.country,
        )  # fmt: skip

    assert not Council.objects.filter(slug="linz").exists()


@pytest.mark.django_db
def test_a_region_must_lie_in_the_councils_country(coordinator):
    austria, france = CountryFactory(code="AT"), CountryFactory(code="FR", language="fr")
    brittany = RegionFactory(country=france)

    with pytest.raises(ValidationError) as excinfo:
        council_create(
            actor=coordinator, slug="linz", name=text("Linz"), level="local", country=austria,
            region=brittany,
        )  # fmt: skip

    assert "region" in excinfo.value.message_dict
    assert not Council.objects.exists()


@pytest.mark.django_db
def test_a_european_council_needs_no_country(coordinator):
    council = council_create(
        actor=coordinator, slug="network", name=text("Network"), level="european"
    )

    assert council.country is None


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["local", "regional", "national"])
def test_a_council_below_european_level_needs_a_country(coordinator, level):
    with pytest.raises(ValidationError) as excinfo:
        council_create(actor=coordinator, slug="nowhere", name=text("Nowhere"), level=level)

    assert "country" in excinfo.value.message_dict
    assert not Council.objects.exists()


@pytest.mark.django_db
def test_a_new_status_is_recorded_with_the_day_it_changed(coordinator, council):
    CouncilStatusChange.objects.create(
        council=council, status=council.status, changed_on=datetime.date(2024, 1, 1)
    )

    council_update(actor=coordinator, council=council, status=Council.Status.STRENGTHENED)
    council_update(actor=coordinator, council=council, voting_seats=7)

    latest = council.status_changes.first()
    assert council.status_changes.count() == 2
    assert (latest.status, latest.changed_on, latest.changed_by) == (
        Council.Status.STRENGTHENED,
        TODAY(),
        coordinator,
    )


@pytest.mark.django_db
def test_a_councils_facilitator_can_change_its_details_and_domains(council):
    facilitator = facilitator_of(council)
    council.domains.set(PolicyDomain.objects.filter(code="health"))

    updated = council_update(
        actor=facilitator, council=council, voting_seats=11,
        domains=PolicyDomain.objects.filter(code__in=["employment", "other"]),
        supporting_organisations=[],
    )  # fmt: skip

    updated.refresh_from_db()
    assert updated.voting_seats == 11
    assert sorted(updated.domains.values_list("code", flat=True)) == ["employment", "other"]


@pytest.mark.django_db
def test_changing_a_council_without_domains_keeps_its_domains(coordinator, council):
    council.domains.set(PolicyDomain.objects.filter(code="health"))

    council_update(actor=coordinator, council=council, voting_seats=4)

    assert list(council.domains.values_list("code", flat=True)) == ["health"]


@pytest.mark.django_db
def test_a_council_cannot_be_part_of_itself(coordinator, council):
    with pytest.raises(ValidationError) as excinfo:
        council_update(actor=coordinator, council=council, parent=council)

    assert "parent" in excinfo.value.message_dict


# Invitations


@pytest.fixture
def invitation(coordinator, council):
    return invitation_create(
        actor=coordinator, council=council, role=Seat.SECRETARY, entry="appointed", note="Lena"
    )


@pytest.mark.django_db
def test_only_the_hash_of_an_invitation_link_is_stored(invitation):
    invitation, raw = invitation

    stored = Invitation.objects.values().get(pk=invitation.pk)
    assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert len(raw) >= 24
    assert all(raw not in str(value) for value in stored.values())


@pytest.mark.django_db
def test_an_invitation_link_is_valid_for_fourteen_days(invitation):
    invitation, _raw = invitation

    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - datetime.timedelta(days=14)) < datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_accepting_an_invitation_gives_the_offered_place_from_today(invitation, participant):
    invitation, raw = invitation

    membership = invitation_accept(user=participant, raw=raw)

    invitation.refresh_from_db()
    assert (membership.user, membership.role, membership.entry) == (
        participant,
        Seat.SECRETARY,
        "appointed",
    )
    assert membership.term_start == TODAY()
    assert membership.term_end == term_end_for(membership.council, TODAY())
    assert invitation.used_by == participant
    assert invitation.used_at is not None


@pytest.mark.django_db
def test_an_invitation_link_works_only_once(invitation, participant, outsider):
    invitation, raw = invitation
    invitation_accept(user=participant, raw=raw)

    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(user=outsider, raw=raw)

    assert code_of(excinfo) == "invitation_used"
    assert not Membership.objects.filter(user=outsider).exists()


@pytest.mark.django_db
def test_an_expired_invitation_is_refused(invitation, participant):
    invitation, raw = invitation
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(user=participant, raw=raw)

    assert code_of(excinfo) == "invitation_used"
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_a_withdrawn_invitation_is_refused(coordinator, invitation, participant):
    invitation, raw = invitation

    invitation_revoke(actor=coordinator, invitation=invitation)
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(user=participant, raw=raw)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert code_of(excinfo) == "invitation_used"
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_a_used_invitation_stays_used_when_withdrawn(coordinator, invitation, participant):
    invitation, raw = invitation
    invitation_accept(user=participant, raw=raw)

    invitation_revoke(actor=coordinator, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert invitation.used_by == participant


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["", "not-a-token", "x" * 500])
def test_an_unknown_invitation_link_is_refused(participant, raw):
    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(user=participant, raw=raw)

    assert code_of(excinfo) == "invalid_invitation"


@pytest.mark.django_db
def test_an_invitation_obeys_the_seat_rules_and_stays_usable_when_refused(
    coordinator, council, participant
):
    add(coordinator, council)
    add(coordinator, council)
    invitation, raw = invitation_create(
        actor=coordinator, council=council, role="member", entry="elected"
    )

    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(user=participant, raw=raw)

    invitation.refresh_from_db()
    assert code_of(excinfo) == "seats_full"
    assert invitation.used_at is None


@pytest.mark.django_db
def test_a_facilitator_invitation_gives_the_facilitator_role(coordinator, council, participant):
    _invitation, raw = invitation_create(
        actor=coordinator, council=council, role=Seat.FACILITATOR, entry="appointed"
    )

    invitation_accept(user=participant, raw=raw)

    assert facilitator_grants(participant, council).exists()


@pytest.mark.django_db
def test_the_councils_facilitator_can_create_invitations(council):
    facilitator = facilitator_of(council)

    invitation, _raw = invitation_create(
        actor=facilitator, council=council, role="observer", entry="coopted"
    )

    assert invitation.created_by == facilitator


# Requests to join


@pytest.fixture
def french_facilitator(council):
    return facilitator_of(council, languages=["fr", "en"], email="claire@example.org")


@pytest.mark.django_db
def test_a_person_can_ask_to_join_once_while_waiting(council, participant):
    join_request_create(user=participant, council=council, message="  I teach German.  ")

    with pytest.raises(ValidationError) as excinfo:
        join_request_create(user=participant, council=council)

    pending = JoinRequest.objects.get()
    assert code_of(excinfo) == "already_requested"
    assert (pending.status, pending.message) == (JoinRequest.Status.PENDING, "I teach German.")


@pytest.mark.django_db
def test_a_person_can_ask_again_after_an_answer(coordinator, council, participant):
    first = join_request_create(user=participant, council=council)
    join_request_decide(actor=coordinator, join_request=first, accept=False)

    second = join_request_create(user=participant, council=council)

    assert second.pk != first.pk


@pytest.mark.django_db
def test_a_member_cannot_ask_to_join_their_own_council(council):
    member = MembershipFactory(council=council).user

    with pytest.raises(ValidationError) as excinfo:
        join_request_create(user=member, council=council)

    assert code_of(excinfo) == "member"
    assert not JoinRequest.objects.exists()


@pytest.mark.django_db
def test_a_former_member_can_ask_to_join_again(council):
    start = TODAY() - days(800)
    former = MembershipFactory(council=council, term_start=start, term_end=start + days(700))

    assert join_request_create(user=former.user, council=council).user == former.user


@pytest.mark.django_db
def test_the_councils_facilitators_are_told_of_a_request_in_their_language(
    council, french_facilitator, coordinator, participant, django_capture_on_commit_callbacks
):
    council.name = text("Graz council", fr="Conseil de Graz")
    council.save()
    elsewhere = facilitator_of(CouncilFactory())

    with django_capture_on_commit_callbacks(execute=True):
        join_request_create(user=participant, council=council)

    notification = Notification.objects.get()
    assert notification.recipient == french_facilitator
    assert notification.kind == "council_join_request"
    assert "Amal" in notification.subject
    assert "Conseil de Graz" in notification.subject
    # The link leads where the facilitator answers: the members page.
    assert notification.url == reverse("councils:members", kwargs={"slug": council.slug})
    assert not Notification.objects.filter(recipient__in=[coordinator, elsewhere]).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["claire@example.org"]
    assert "Conseil de Graz" in mail.outbox[0].subject


@pytest.mark.django_db
def test_accepting_a_request_gives_a_place_from_today_and_tells_the_person(
    council, french_facilitator, participant, django_capture_on_commit_callbacks
):
    join = join_request_create(user=participant, council=council)

    with django_capture_on_commit_callbacks(execute=True):
        answered = join_request_decide(actor=french_facilitator, join_request=join, accept=True)

    membership = Membership.objects.get(user=participant)
    told = Notification.objects.get(recipient=participant)
    assert (answered.status, answered.decided_by) == ("accepted", french_facilitator)
    assert answered.decided_at is not None
    assert (membership.council, membership.role, membership.entry) == (council, "member", "coopted")
    assert membership.term_start == TODAY()
    assert told.kind == "council_join_answer"
    assert "now a member" in told.subject
    assert [m.to for m in mail.outbox] == [[participant.email]]


@pytest.mark.django_db
def test_declining_a_request_gives_no_place_and_tells_the_person(
    council, french_facilitator, participant
):
    join = join_request_create(user=participant, council=council)

    answered = join_request_decide(actor=french_facilitator, join_request=join, accept=False)

    told = Notification.objects.get(recipient=participant)
    assert answered.status == JoinRequest.Status.DECLINED
    assert not Membership.objects.filter(user=participant).exists()
    assert "declined" in told.body


@pytest.mark.django_db
def test_accepting_a_request_obeys_the_seat_rules(coordinator, council, participant):
    add(coordinator, council)
    add(coordinator, council)
    join = join_request_create(user=participant, council=council)

    with pytest.raises(ValidationError) as excinfo:
        join_request_decide(actor=coordinator, join_request=join, accept=True)

    join.refresh_from_db()
    assert code_of(excinfo) == "seats_full"
    assert join.status == JoinRequest.Status.PENDING
    assert not Notification.objects.filter(recipient=participant).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("first, second", [(True, False), (False, True), (False, False)])
def test_a_request_cannot_be_answered_twice(coordinator, council, participant, first, second):
    join = join_request_create(user=participant, council=council)
    join_request_decide(actor=coordinator, join_request=join, accept=first)

    with pytest.raises(ValidationError) as excinfo:
        join_request_decide(actor=coordinator, join_request=join, accept=second)

    join.refresh_from_db()
    assert code_of(excinfo) == "decided"
    assert join.status == ("accepted" if first else "declined")
    assert Membership.objects.filter(user=participant).count() == int(first)
    assert Notification.objects.filter(recipient=participant).count() == 1


@pytest.mark.django_db
def test_a_person_can_withdraw_only_their_own_request(council, participant, outsider):
    join = join_request_create(user=participant, council=council)

    with pytest.raises(PermissionDenied):
        join_request_withdraw(user=outsider, join_request=join)
    join_request_withdraw(user=participant, join_request=join)

    join.refresh_from_db()
    assert join.status == JoinRequest.Status.WITHDRAWN


# The demo programme


@pytest.mark.django_db
def test_the_demo_has_seven_local_councils_in_a_european_network_even_when_run_twice():
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())
    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())

    network = Council.objects.get(level=Council.Level.EUROPEAN)
    local = Council.objects.filter(level=Council.Level.LOCAL)
    assert Council.objects.count() == 8
    assert sorted(local.values_list("country__code", flat=True)) == [
        "AT", "BG", "FR", "GR", "HU", "IT", "RO",
    ]  # fmt: skip
    assert local.filter(status="establishing").count() == 5
    assert local.filter(status="strengthened").count() == 2
    assert all(c.parent == network for c in local)
    for council in local:
        members = council.memberships.filter(role__in=Membership.VOTING_ROLES)
        assert members.count() >= 8, council.slug
        assert council.memberships.filter(is_public=True).exists()
        assert council.domains.exists()
