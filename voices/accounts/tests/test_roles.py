"""Giving and taking roles: only programme staff may, duplicates are explained, all is logged."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from voices.accounts.models import Role, RoleGrant, User
from voices.accounts.services import role_grant, role_revoke
from voices.accounts.tests.factories import grant
from voices.core.models import AuditEntry
from voices.directory.tests.factories import OrganisationFactory

# role_grant


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "admin_user"])
def test_programme_staff_can_give_a_global_role(persona, request, participant):
    actor = request.getfixturevalue(persona)

    given = role_grant(actor=actor, user=participant, role=Role.COORDINATOR)

    assert given.scope_type is None
    assert given.scope_id == ""
    assert given.granted_by == actor
    assert User.objects.get(pk=participant.pk).has_role(Role.COORDINATOR)


@pytest.mark.django_db
def test_programme_staff_can_give_a_role_for_an_organisation(coordinator, participant, authority):
    given = role_grant(actor=coordinator, user=participant, role=Role.OFFICER, scope=authority)

    assert given.scope_type == ContentType.objects.get_for_model(authority)
    assert given.scope_id == str(authority.pk)
    fresh = User.objects.get(pk=participant.pk)
    assert fresh.has_role(Role.OFFICER, authority)
    assert not fresh.has_role(Role.OFFICER, OrganisationFactory())


@pytest.mark.django_db
def test_giving_a_role_is_logged(coordinator, participant, authority):
    given = role_grant(actor=coordinator, user=participant, role=Role.OFFICER, scope=authority)

    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.GRANT
    assert entry.actor == coordinator
    assert entry.actor_label == "coordinator"
    assert entry.target == given
    assert entry.before is None
    assert entry.after["role"] == "officer"
    assert entry.after["user"] == participant.pk
    assert entry.after["scope_id"] == str(authority.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "officer", "outsider"])
def test_others_cannot_give_roles(persona, request, authority):
    actor = request.getfixturevalue(persona)
    someone = request.getfixturevalue("outsider" if persona != "outsider" else "participant")

    with pytest.raises(PermissionDenied):
        role_grant(actor=actor, user=someone, role=Role.REPRESENTATIVE, scope=authority)

    assert not RoleGrant.objects.filter(user=someone).exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_service_asks_for_the_role_not_for_a_second_factor(
    staff_without_second_factor, participant
):
    # The second factor gates staff pages; services check the permission predicate only.
    given = role_grant(actor=staff_without_second_factor, user=participant, role=Role.MENTOR)

    assert given.pk


@pytest.mark.django_db
def test_a_global_role_given_twice_is_a_clear_error(coordinator, participant):
    role_grant(actor=coordinator, user=participant, role=Role.RESEARCHER)

    with pytest.raises(ValidationError) as exc:
        role_grant(actor=coordinator, user=participant, role=Role.RESEARCHER)

    assert exc.value.code == "duplicate_role"
    assert exc.value.messages == ["Amal already has this role."]
    assert RoleGrant.objects.filter(user=participant, role=Role.RESEARCHER).count() == 1
    assert AuditEntry.objects.filter(action="grant").count() == 1


@pytest.mark.django_db
def test_a_scoped_role_given_twice_for_the_same_organisation_is_a_clear_error(
    coordinator, participant, authority
):
    role_grant(actor=coordinator, user=participant, role=Role.OFFICER, scope=authority)

    with pytest.raises(ValidationError) as exc:
        role_grant(actor=coordinator, user=participant, role=Role.OFFICER, scope=authority)

    assert exc.value.code == "duplicate_role"
    assert RoleGrant.objects.filter(user=participant).count() == 1


@pytest.mark.django_db
def test_the_same_role_for_two_organisations_is_fine(coordinator, participant, authority):
    role_grant(actor=coordinator, user=participant, role=Role.OFFICER, scope=authority)
    role_grant(actor=coordinator, user=participant, role=Role.OFFICER, scope=OrganisationFactory())

    assert RoleGrant.objects.filter(user=participant, role=Role.OFFICER).count() == 2


@pytest.mark.django_db
def test_a_programme_wide_role_cannot_be_limited_to_an_organisation(
    coordinator, participant, authority
):
    with pytest.raises(ValidationError) as exc:
        role_grant(actor=coordinator, user=participant, role=Role.COORDINATOR, scope=authority)

    assert exc.value.messages == ["This role applies to the whole programme."]
    assert not RoleGrant.objects.filter(user=participant).exists()


@pytest.mark.django_db
def test_an_organisation_role_needs_an_organisation(coordinator, participant):
    with pytest.raises(ValidationError) as exc:
        role_grant(actor=coordinator, user=participant, role=Role.OFFICER)

    assert exc.value.messages == ["This role needs a council or organisation."]
    assert not RoleGrant.objects.filter(user=participant).exists()


@pytest.mark.django_db
def test_an_unknown_role_is_refused(coordinator, participant):
    with pytest.raises(ValueError):
        role_grant(actor=coordinator, user=participant, role="emperor")

    assert not RoleGrant.objects.filter(user=participant).exists()


# role_revoke


@pytest.mark.django_db
def test_programme_staff_can_take_a_role_away_and_it_is_logged(coordinator, officer, authority):
    officer_grant = RoleGrant.objects.get(user=officer, role=Role.OFFICER)
    grant_id = officer_grant.pk

    role_revoke(actor=coordinator, grant=officer_grant)

    assert not RoleGrant.objects.filter(pk=grant_id).exists()
    assert not User.objects.get(pk=officer.pk).has_role(Role.OFFICER, authority)
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.REVOKE
    assert entry.actor_label == "coordinator"
    assert entry.object_id == str(grant_id)
    assert entry.before["role"] == "officer"
    assert entry.before["user"] == officer.pk
    assert entry.after is None


@pytest.mark.django_db
def test_a_global_role_can_be_taken_away(admin_user, staff_without_second_factor):
    coordinator_grant = RoleGrant.objects.get(user=staff_without_second_factor)

    role_revoke(actor=admin_user, grant=coordinator_grant)

    assert not RoleGrant.objects.filter(user=staff_without_second_factor).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "officer"])
def test_others_cannot_take_roles_away(persona, request, authority):
    actor = request.getfixturevalue(persona)
    representative_grant = grant(
        request.getfixturevalue("outsider"), Role.REPRESENTATIVE, authority
    )

    with pytest.raises(PermissionDenied):
        role_revoke(actor=actor, grant=representative_grant)

    assert RoleGrant.objects.filter(pk=representative_grant.pk).exists()
    assert not AuditEntry.objects.exists()
