"""Directory writes: adding and changing organisations, and who acts for them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from voices.accounts.models import Role, RoleGrant
from voices.accounts.tests.factories import grant
from voices.core.models import AuditEntry
from voices.directory.models import Organisation
from voices.directory.services import (
    organisation_create,
    organisation_person_add,
    organisation_person_remove,
    organisation_update,
)
from voices.directory.tests.factories import (
    CountryFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    text,
)


@pytest.fixture
def austria(db):
    return CountryFactory(code="AT")


@pytest.fixture
def france(db):
    return CountryFactory(code="FR", language="fr")


def new_organisation(**fields) -> dict:
    return {
        "slug": "migrant-council-linz",
        "name": text("Migrant council of Linz", de="Migrantenbeirat Linz"),
        "kind": Organisation.Kind.MIGRANT_ASSOCIATION,
        **fields,
    }


# organisation_create


@pytest.mark.django_db
def test_a_coordinator_adds_an_organisation_and_it_is_logged(coordinator, austria):
    organisation = organisation_create(actor=coordinator, **new_organisation(country=austria))

    organisation.refresh_from_db()
    assert organisation.name.get("de") == "Migrantenbeirat Linz"
    assert organisation.country == austria
    assert organisation.is_active
    entry = AuditEntry.objects.get()
    assert entry.action == "create"
    assert entry.actor_label == "coordinator"
    assert entry.target == organisation
    assert entry.before is None
    assert entry.after["slug"] == "migrant-council-linz"
    assert entry.after["country"] == austria.pk
    assert entry.after["name"]["de"] == "Migrantenbeirat Linz"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "officer"])
def test_others_cannot_add_organisations(persona, request, austria):
    with pytest.raises(PermissionDenied):
        organisation_create(
            actor=request.getfixturevalue(persona), **new_organisation(country=austria)
        )

    assert not Organisation.objects.filter(slug="migrant-council-linz").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_region_of_another_country(coordinator, austria, france):
    brittany = RegionFactory(country=france)

    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=coordinator, **new_organisation(country=austria, region=brittany))

    assert exc.value.message_dict["region"] == ["This region is not in the chosen country."]
    assert not Organisation.objects.filter(slug="migrant-council-linz").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_municipality_of_another_region(coordinator, austria):
    upper_austria, styria = RegionFactory(country=austria), RegionFactory(country=austria)
    graz = MunicipalityFactory(region=styria)

    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=coordinator,
            **new_organisation(country=austria, region=upper_austria, municipality=graz),
        )

    assert "municipality" in exc.value.message_dict


@pytest.mark.django_db
def test_it_needs_a_country_unless_it_is_a_european_body(coordinator):
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=coordinator, **new_organisation())

    assert exc.value.message_dict["country"] == ["Choose the country the organisation works in."]

    eu_body = organisation_create(
        actor=coordinator,
        **new_organisation(slug="eu-commission", kind=Organisation.Kind.EU_BODY),
    )
    assert eu_body.country is None


@pytest.mark.django_db
def test_it_refuses_a_name_in_no_language(coordinator, austria):
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=coordinator, **new_organisation(country=austria, name=text("")))

    assert "name" in exc.value.message_dict


@pytest.mark.django_db
def test_it_refuses_a_slug_already_taken(coordinator, austria):
    OrganisationFactory(slug="migrant-council-linz")

    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=coordinator, **new_organisation(country=austria))

    assert "slug" in exc.value.message_dict
    assert Organisation.objects.filter(slug="migrant-council-linz").count() == 1


@pytest.mark.django_db
def test_it_ignores_fields_that_are_not_its_own(coordinator, austria):
    organisation = organisation_create(
        actor=coordinator, **new_organisation(country=austria, pk=999, created_at=None)
    )

    assert organisation.pk != 999


# organisation_update


@pytest.mark.django_db
def test_a_coordinator_changes_an_organisation_and_the_change_is_logged(coordinator, authority):
    before_name = authority.name.to_json()

    organisation = organisation_update(
        actor=coordinator,
        organisation=authority,
        website="https://graz.example",
        name=text("City of Graz"),
    )

    assert organisation.website == "https://graz.example"
    authority.refresh_from_db()
    assert str(authority.name) == "City of Graz"
    entry = AuditEntry.objects.get()
    assert entry.action == "update"
    assert entry.before["website"] == ""
    assert entry.after["website"] == "https://graz.example"
    assert entry.before["name"] == before_name
    assert entry.after["name"] == {"orig": "en", "en": "City of Graz"}


@pytest.mark.django_db
def test_an_update_that_changes_nothing_is_not_logged(coordinator, authority):
    organisation_update(actor=coordinator, organisation=authority, slug=authority.slug)

    assert not AuditEntry.objects.filter(action="update").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "officer"])
def test_others_cannot_change_an_organisation(persona, request, authority):
    with pytest.raises(PermissionDenied):
        organisation_update(
            actor=request.getfixturevalue(persona), organisation=authority, is_active=False
        )

    authority.refresh_from_db()
    assert authority.is_active


@pytest.mark.django_db
def test_an_invalid_update_changes_nothing(coordinator, authority, france):
    brittany = RegionFactory(country=france)

    with pytest.raises(ValidationError) as exc:
        organisation_update(
            actor=coordinator, organisation=authority, region=brittany, website="https://x.example"
        )

    assert "region" in exc.value.message_dict
    authority.refresh_from_db()
    assert authority.region is None
    assert authority.website == ""
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_update_works_from_the_current_row_not_a_stale_copy(coordinator, authority):
    stale = Organisation.objects.get(pk=authority.pk)
    organisation_update(actor=coordinator, organisation=authority, website="https://a.example")

    organisation_update(actor=coordinator, organisation=stale, is_active=False)

    authority.refresh_from_db()
    assert authority.website == "https://a.example"
    assert not authority.is_active
    last = AuditEntry.objects.first()
    assert last.before["website"] == "https://a.example"


# People acting for an organisation


@pytest.mark.django_db
def test_a_coordinator_adds_a_person_to_an_organisation(coordinator, participant, authority):
    added = organisation_person_add(
        actor=coordinator, organisation=authority, user=participant, role=Role.REPRESENTATIVE
    )

    assert added.role == Role.REPRESENTATIVE
    assert added.scope_id == str(authority.pk)
    assert AuditEntry.objects.get().action == "grant"


@pytest.mark.django_db
def test_only_organisation_roles_can_be_given_this_way(coordinator, participant, authority):
    with pytest.raises(ValueError):
        organisation_person_add(
            actor=coordinator, organisation=authority, user=participant, role=Role.COORDINATOR
        )

    assert not RoleGrant.objects.filter(user=participant).exists()


@pytest.mark.django_db
def test_an_officer_cannot_add_people_to_their_own_organisation(officer, participant, authority):
    with pytest.raises(PermissionDenied):
        organisation_person_add(
            actor=officer, organisation=authority, user=participant, role=Role.REPRESENTATIVE
        )


@pytest.mark.django_db
def test_a_coordinator_removes_a_person_from_an_organisation(coordinator, officer, authority):
    officer_grant = RoleGrant.objects.get(user=officer)

    organisation_person_remove(actor=coordinator, organisation=authority, grant=officer_grant)

    assert not RoleGrant.objects.filter(pk=officer_grant.pk).exists()
    assert AuditEntry.objects.get().action == "revoke"


@pytest.mark.django_db
def test_a_role_for_another_organisation_cannot_be_removed_through_this_one(
    coordinator, participant, authority
):
    elsewhere = grant(participant, Role.OFFICER, OrganisationFactory())

    with pytest.raises(PermissionDenied):
        organisation_person_remove(actor=coordinator, organisation=authority, grant=elsewhere)

    assert RoleGrant.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.django_db
def test_a_global_role_cannot_be_removed_through_an_organisation(
    coordinator, staff_without_second_factor, authority
):
    global_grant = RoleGrant.objects.get(user=staff_without_second_factor)

    with pytest.raises(PermissionDenied):
        organisation_person_remove(actor=coordinator, organisation=authority, grant=global_grant)

    assert RoleGrant.objects.filter(pk=global_grant.pk).exists()
