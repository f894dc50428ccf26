"""Directory pages: countries, the organisation list and page, and the staff pages behind them."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voices.accounts.models import Role, RoleGrant
from voices.accounts.tests.factories import UserFactory, grant
from voices.core.models import Attachment, AuditEntry
from voices.core.selectors import attachment_list_for
from voices.directory.models import Organisation
from voices.directory.tests.factories import (
    CountryFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    text,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def names(response) -> list[str]:
    return [str(o.name) for o in response.context["page"].object_list]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Countries


@pytest.mark.django_db
def test_the_country_list_separates_programme_countries_from_others(client):
    CountryFactory(code="AT")
    CountryFactory(code="DE", is_programme=False, language="de")
    OrganisationFactory(country=CountryFactory(code="AT"))
    OrganisationFactory(country=CountryFactory(code="AT"), is_active=False)

    response = client.get(reverse("directory:country_list"))

    programme = {c.code.code: c for c in response.context["programme"]}
    assert response.status_code == 200
    assert "AT" in programme
    assert [c.code.code for c in response.context["others"]] == ["DE"]
    assert programme["AT"].organisation_count == 1  # active ones only
    assert "Austria" in response.content.decode()


@pytest.mark.django_db
def test_the_country_page_lists_its_active_organisations_and_regions(client):
    austria = CountryFactory(code="AT")
    styria = RegionFactory(country=austria, name=text("Styria"))
    MunicipalityFactory(region=styria, name=text("Graz"))
    OrganisationFactory(country=austria, name=text("City of Graz"))
    OrganisationFactory(country=austria, name=text("Closed office"), is_active=False)
    OrganisationFactory(country=CountryFactory(code="FR"), name=text("Ville de Lyon"))

    response = client.get(reverse("directory:country_detail", args=["at"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert [str(o.name) for o in response.context["organisations"]] == ["City of Graz"]
    assert "Styria: Graz" in content
    assert "Closed office" not in content


@pytest.mark.django_db
def test_an_unknown_country_is_a_404(client):
    CountryFactory(code="AT")

    assert client.get(reverse("directory:country_detail", args=["xx"])).status_code == 404


# The organisation list


@pytest.fixture
def organisations(db):
    austria, france = CountryFactory(code="AT"), CountryFactory(code="FR")
    return {
        "graz": OrganisationFactory(country=austria, name=text("City of Graz"), slug="a-graz"),
        "ngo": OrganisationFactory(
            country=austria,
            name=text("Help NGO"),
            slug="b-help",
            kind=Organisation.Kind.NGO,
        ),
        "lyon": OrganisationFactory(country=france, name=text("Ville de Lyon"), slug="c-lyon"),
        "closed": OrganisationFactory(
            country=france, name=text("Closed office"), slug="d-closed", is_active=False
        ),
    }


@pytest.mark.django_db
def test_the_list_shows_active_organisations(client, organisations):
    response = client.get(reverse("directory:organisation_list"))

    assert response.status_code == 200
    assert sorted(names(response)) == ["City of Graz", "Help NGO", "Ville de Lyon"]


@pytest.mark.django_db
def test_the_list_filters_by_country(client, organisations):
    response = client.get(reverse("directory:organisation_list"), {"country": "fr"})

    assert names(response) == ["Ville de Lyon"]


@pytest.mark.django_db
def test_the_list_filters_by_kind(client, organisations):
    response = client.get(reverse("directory:organisation_list"), {"kind": "ngo"})

    assert names(response) == ["Help NGO"]


@pytest.mark.django_db
def test_the_list_combines_filters(client, organisations):
    response = client.get(reverse("directory:organisation_list"), {"country": "fr", "kind": "ngo"})

    assert names(response) == []
    assert "No organisation matches these filters." in response.content.decode()


@pytest.mark.django_db
def test_an_empty_directory_says_so(client):
    response = client.get(reverse("directory:organisation_list"))

    assert "No organisation matches these filters." in response.content.decode()


@pytest.mark.django_db
def test_the_list_pages_keeping_the_filters(client):
    austria = CountryFactory(code="AT")
    for number in range(30):
        OrganisationFactory(country=austria, slug=f"org-{number:02d}")
    OrganisationFactory(country=CountryFactory(code="FR"))

    first = client.get(reverse("directory:organisation_list"), {"country": "at"})
    second = client.get(reverse("directory:organisation_list"), {"country": "at", "page": 2})

    assert len(first.context["page"].object_list) == 25
    assert "country=at&amp;page=2" in first.content.decode()
    assert "30 organisations" in first.content.decode()
    assert len(second.context["page"].object_list) == 5
    assert not set(first.context["page"].object_list) & set(second.context["page"].object_list)


@pytest.mark.django_db
def test_the_list_shows_the_add_button_only_to_coordinators(client, coordinator, participant):
    add_url = reverse("directory:organisation_create")

    client.force_login(participant)
    assert add_url not in client.get(reverse("directory:organisation_list")).content.decode()

    client.force_login(coordinator)
    assert add_url in client.get(reverse("directory:organisation_list")).content.decode()


def make_organisations(count: int) -> None:
    countries = [CountryFactory(code=code) for code in ("AT", "FR", "IT")]
    for number in range(count):
        country = countries[number % 3]
        region = RegionFactory(country=country)
        OrganisationFactory(
            country=country, region=region, municipality=MunicipalityFactory(region=region)
        )


@pytest.mark.django_db
def test_the_list_needs_the_same_number_of_queries_for_3_or_30_organisations(
    client, django_assert_num_queries
):
    make_organisations(3)
    client.get(reverse("directory:organisation_list"))  # warm per-process caches

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("directory:organisation_list"))
    make_organisations(27)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("directory:organisation_list"))

    assert len(response.context["page"].object_list) == 25


# The organisation page


@pytest.mark.django_db
def test_anyone_can_see_an_active_organisation(client, authority):
    response = client.get(reverse("directory:organisation_detail", args=[authority.slug]))

    content = response.content.decode()
    assert response.status_code == 200
    assert str(authority.name) in content
    assert "<strong>migrant council</strong>" in content  # the description's Markdown
    assert "Documents" not in content  # only for staff and the organisation's people


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, "participant", "officer"])
def test_an_inactive_organisation_is_a_404_for_non_staff(client, persona, request, authority):
    authority.is_active = False
    authority.save()
    if persona:
        client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("directory:organisation_detail", args=[authority.slug]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_a_coordinator_sees_an_inactive_organisation_marked_as_such(client, coordinator, authority):
    authority.is_active = False
    authority.save()
    client.force_login(coordinator)

    response = client.get(reverse("directory:organisation_detail", args=[authority.slug]))

    assert response.status_code == 200
    assert "No longer active" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_organisation_is_a_404(client):
    assert client.get(reverse("directory:organisation_detail", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_an_officer_sees_the_organisations_documents_and_people(client, officer, authority):
    client.force_login(officer)

    response = client.get(reverse("directory:organisation_detail", args=[authority.slug]))

    assert response.context["documents"] is not None
    assert [g.user for g in response.context["people"]] == [officer]
    assert reverse("directory:organisation_document_upload", args=[authority.slug]) in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_an_officer_of_another_organisation_sees_neither(client, authority):
    other = UserFactory()
    grant(other, Role.OFFICER, OrganisationFactory())
    client.force_login(other)

    response = client.get(reverse("directory:organisation_detail", args=[authority.slug]))

    assert response.context["documents"] is None
    assert response.context["people"] is None


# Adding and editing organisations


def organisation_post(country, **changes) -> dict:
    data = {
        "name_en": "Migrant council of Linz",
        "name_de": "Migrantenbeirat Linz",
        "slug": "migrant-council-linz",
        "kind": "migrant_association",
        "country": str(country.pk),
        "region": "",
        "municipality": "",
        "website": "https://linz.example",
        "description_en": "We meet **monthly**.",
        "is_active": "on",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_coordinator_sees_the_form_with_a_box_per_language(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("directory:organisation_create"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="name_en"' in content
    assert 'name="name_ar"' in content
    assert 'lang="ar" dir="rtl"' in content


@pytest.mark.django_db
def test_a_coordinator_adds_an_organisation(client, coordinator):
    austria = CountryFactory(code="AT")
    client.force_login(coordinator)

    response = client.post(reverse("directory:organisation_create"), organisation_post(austria))

    organisation = Organisation.objects.get(slug="migrant-council-linz")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.name.get("de") == "Migrantenbeirat Linz"
    assert organisation.name.original == "en"
    assert organisation.description.get("en") == "We meet **monthly**."
    assert AuditEntry.objects.get().action == "create"


@pytest.mark.django_db
def test_the_form_shows_field_errors(client, coordinator):
    austria, france = CountryFactory(code="AT"), CountryFactory(code="FR")
    brittany = RegionFactory(country=france)
    client.force_login(coordinator)

    response = client.post(
        reverse("directory:organisation_create"),
        organisation_post(austria, name_en="", name_de="", region=str(brittany.pk)),
    )

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["name"] == ["Write this in at least one language."]
    assert errors["region"] == ["This region is not in the chosen country."]
    assert not Organisation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "officer"])
def test_others_cannot_open_the_add_page(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("directory:organisation_create")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "officer"])
def test_others_cannot_add_by_posting(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("directory:organisation_create"), organisation_post(CountryFactory())
    )

    assert response.status_code == 403
    assert not Organisation.objects.filter(slug="migrant-council-linz").exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_for_the_add_page(client):
    response = client.get(reverse("directory:organisation_create"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_edit_form_shows_the_current_values(client, coordinator, authority):
    client.force_login(coordinator)

    response = client.get(reverse("directory:organisation_edit", args=[authority.slug]))

    assert response.status_code == 200
    assert f'value="{authority.name.get("en")}"' in response.content.decode()


@pytest.mark.django_db
def test_a_coordinator_edits_an_organisation(client, coordinator, authority):
    client.force_login(coordinator)

    response = client.post(
        reverse("directory:organisation_edit", args=[authority.slug]),
        organisation_post(
            authority.country, slug=authority.slug, name_en="City of Graz", name_de="Stadt Graz"
        ),
    )

    assert response.status_code == 302
    authority.refresh_from_db()
    assert authority.name.get("de") == "Stadt Graz"
    assert authority.website == "https://linz.example"
    entry = AuditEntry.objects.get()
    assert entry.action == "update"
    assert entry.after["name"]["de"] == "Stadt Graz"


@pytest.mark.django_db
def test_a_coordinator_can_edit_an_inactive_organisation(client, coordinator, authority):
    authority.is_active = False
    authority.save()
    client.force_login(coordinator)

    response = client.get(reverse("directory:organisation_edit", args=[authority.slug]))

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "officer"])
def test_others_cannot_edit(client, persona, request, authority):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("directory:organisation_edit", args=[authority.slug]),
        organisation_post(authority.country, slug=authority.slug, name_en="Hacked"),
    )

    assert response.status_code == 403
    authority.refresh_from_db()
    assert str(authority.name) != "Hacked"


# People acting for an organisation


@pytest.mark.django_db
def test_a_coordinator_adds_a_person_by_username(client, coordinator, participant, authority):
    client.force_login(coordinator)
    url = reverse("directory:organisation_people", args=[authority.slug])

    response = client.post(url, {"username": " Participant ", "role": "representative"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert participant.role_grants.get().role == Role.REPRESENTATIVE
    assert AuditEntry.objects.get().action == "grant"


@pytest.mark.django_db
def test_an_unknown_username_is_a_field_error(client, coordinator, authority):
    client.force_login(coordinator)

    response = client.post(
        reverse("directory:organisation_people", args=[authority.slug]),
        {"username": "nobody", "role": "officer"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["No active account has this username."]


@pytest.mark.django_db
def test_a_deactivated_account_cannot_be_added(client, coordinator, authority):
    UserFactory(username="gone", is_active=False)
    client.force_login(coordinator)

    response = client.post(
        reverse("directory:organisation_people", args=[authority.slug]),
        {"username": "gone", "role": "officer"},
    )

    assert "username" in response.context["form"].errors


@pytest.mark.django_db
def test_adding_someone_twice_explains_why_not(client, coordinator, officer, authority):
    client.force_login(coordinator)

    response = client.post(
        reverse("directory:organisation_people", args=[authority.slug]),
        {"username": "officer", "role": "officer"},
    )

    assert response.status_code == 200
    assert "already has this role." in response.context["form"].non_field_errors()[0]
    assert RoleGrant.objects.filter(user=officer).count() == 1


@pytest.mark.django_db
def test_only_organisation_roles_are_offered(client, coordinator, participant, authority):
    client.force_login(coordinator)

    response = client.post(
        reverse("directory:organisation_people", args=[authority.slug]),
        {"username": "participant", "role": "coordinator"},
    )

    assert "role" in response.context["form"].errors
    assert not participant.role_grants.exists()


@pytest.mark.django_db
def test_the_people_page_lists_who_acts_for_the_organisation(
    client, coordinator, officer, authority
):
    client.force_login(coordinator)

    response = client.get(reverse("directory:organisation_people", args=[authority.slug]))

    assert [g.user for g in response.context["people"]] == [officer]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "officer"])
def test_others_cannot_manage_people(client, persona, request, authority):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("directory:organisation_people", args=[authority.slug]),
        {"username": "outsider", "role": "officer"},
    )

    assert response.status_code == 403


@pytest.mark.django_db
def test_a_coordinator_removes_a_person(client, coordinator, officer, authority):
    officer_grant = RoleGrant.objects.get(user=officer)
    client.force_login(coordinator)

    response = client.post(
        reverse("directory:organisation_person_remove", args=[authority.slug, officer_grant.pk])
    )

    assert response["Location"] == reverse("directory:organisation_people", args=[authority.slug])
    assert not RoleGrant.objects.filter(pk=officer_grant.pk).exists()
    assert AuditEntry.objects.get().action == "revoke"


@pytest.mark.django_db
def test_removing_a_person_needs_a_post(client, coordinator, officer, authority):
    officer_grant = RoleGrant.objects.get(user=officer)
    client.force_login(coordinator)

    response = client.get(
        reverse("directory:organisation_person_remove", args=[authority.slug, officer_grant.pk])
    )

    assert response.status_code == 405
    assert RoleGrant.objects.filter(pk=officer_grant.pk).exists()


@pytest.mark.django_db
def test_a_role_for_another_organisation_is_a_404_here(client, coordinator, participant, authority):
    elsewhere = grant(participant, Role.OFFICER, OrganisationFactory())
    client.force_login(coordinator)

    response = client.post(
        reverse("directory:organisation_person_remove", args=[authority.slug, elsewhere.pk])
    )

    assert response.status_code == 404
    assert RoleGrant.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.django_db
def test_an_officer_cannot_remove_people(client, officer, authority):
    client.force_login(officer)
    officer_grant = RoleGrant.objects.get(user=officer)

    response = client.post(
        reverse("directory:organisation_person_remove", args=[authority.slug, officer_grant.pk])
    )

    assert response.status_code == 403
    assert RoleGrant.objects.filter(pk=officer_grant.pk).exists()


# Documents


def upload_to(client, organisation, content=PDF, name="minutes.pdf"):
    return client.post(
        reverse("directory:organisation_document_upload", args=[organisation.slug]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "officer"])
def test_staff_and_the_organisations_officers_upload_documents(client, persona, request, authority):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = upload_to(client, authority)

    assert response["Location"] == authority.get_absolute_url()
    assert messages_of(response) == ["The document was uploaded."]
    document = attachment_list_for(authority).get()
    assert document.name == "minutes.pdf"
    assert document.uploaded_by == user


@pytest.mark.django_db
def test_an_uploaded_document_is_listed_and_downloadable(client, coordinator, authority):
    client.force_login(coordinator)
    upload_to(client, authority)
    document = Attachment.objects.get()

    page = client.get(authority.get_absolute_url())
    download = client.get(reverse("core:attachment_download", args=[document.pk]))

    assert reverse("core:attachment_download", args=[document.pk]) in page.content.decode()
    assert b"".join(download.streaming_content) == PDF
    download.close()


@pytest.mark.django_db
def test_a_refused_file_is_explained_and_not_stored(client, coordinator, authority):
    client.force_login(coordinator)

    response = upload_to(client, authority, content=b"MZ" + b"\x90\x00" * 100, name="x.pdf")

    assert response.status_code == 302
    assert messages_of(response)[0].startswith("This kind of file is not accepted.")
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_upload_without_a_file_is_explained(client, coordinator, authority):
    client.force_login(coordinator)

    response = client.post(
        reverse("directory:organisation_document_upload", args=[authority.slug]), {}
    )

    assert response.status_code == 302
    assert messages_of(response) == ["This field is required."]
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_representative_cannot_upload(client, authority):
    representative = UserFactory()
    grant(representative, Role.REPRESENTATIVE, authority)
    client.force_login(representative)

    response = upload_to(client, authority)

    assert response.status_code == 403
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_officer_of_another_organisation_cannot_upload(client, officer):
    other = OrganisationFactory()
    client.force_login(officer)

    response = upload_to(client, other)

    assert response.status_code == 403
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_uploading_needs_a_post(client, coordinator, authority):
    client.force_login(coordinator)

    response = client.get(reverse("directory:organisation_document_upload", args=[authority.slug]))

    assert response.status_code == 405
