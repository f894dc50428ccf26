"""The audit log: staff writes are recorded with before/after, and staff can read them."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voices.accounts.models import Role, RoleGrant
from voices.accounts.tests.factories import UserFactory, grant
from voices.core.audit import audit_record, snapshot
from voices.core.models import AuditEntry
from voices.core.translation import TranslatedText
from voices.directory.models import Organisation
from voices.directory.services import organisation_update
from voices.directory.tests.factories import OrganisationFactory, text

# audit_record and snapshot


@pytest.mark.django_db
def test_it_records_who_did_what_to_which_object(coordinator, authority):
    entry = audit_record(
        actor=coordinator, action="update", obj=authority, before={"a": 1}, after={"a": 2}
    )

    entry.refresh_from_db()
    assert entry.actor == coordinator
    assert entry.actor_label == "coordinator"
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.target == authority
    assert entry.object_repr == str(authority)
    assert entry.before == {"a": 1}
    assert entry.after == {"a": 2}


@pytest.mark.django_db
def test_a_write_without_a_signed_in_actor_is_recorded_as_the_system(authority):
    entry = audit_record(actor=None, action="create", obj=authority)

    assert entry.actor is None
    assert entry.actor_label == "system"


@pytest.mark.django_db
def test_a_snapshot_is_plain_json_data_without_the_password(participant):
    participant.birth_year = 1990

    data = snapshot(participant)

    assert "password" not in data
    assert data["username"] == "participant"
    assert data["languages"] == ["en"]
    assert isinstance(data["date_joined"], str)
    datetime.datetime.fromisoformat(data["date_joined"])


@pytest.mark.django_db
def test_a_snapshot_keeps_translated_text_and_foreign_keys_as_json(authority):
    data = snapshot(authority, exclude=("description",))

    assert data["name"] == authority.name.to_json()
    assert data["country"] == authority.country_id
    assert "description" not in data


@pytest.mark.django_db
def test_changed_fields_lists_only_what_changed():
    entry = AuditEntry(before={"a": 1, "b": 2, "c": 3}, after={"a": 1, "b": 5, "d": 4})

    assert entry.changed_fields() == [("b", 2, 5), ("c", 3, None), ("d", None, 4)]


@pytest.mark.django_db
def test_a_staff_write_is_logged_with_before_and_after(coordinator, authority):
    old_name = authority.name.to_json()

    organisation_update(
        actor=coordinator, organisation=authority, name=text("Graz City Council"), website=""
    )

    entry = AuditEntry.objects.get()
    assert entry.actor_label == "coordinator"
    assert entry.action == "update"
    assert entry.before["name"] == old_name
    assert entry.after["name"] == {"orig": "en", "en": "Graz City Council"}
    assert [name for name, _b, _a in entry.changed_fields()] == ["name", "updated_at"]


# The audit log page


def audit_url(**params) -> str:
    from urllib.parse import urlencode

    url = reverse("core:audit_log")
    return f"{url}?{urlencode(params)}" if params else url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "admin_user"])
def test_programme_staff_can_read_the_audit_log(client, persona, request, authority):
    user = request.getfixturevalue(persona)
    audit_record(actor=user, action="update", obj=authority, before={"x": 1}, after={"x": 2})
    client.force_login(user)

    response = client.get(audit_url())

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == list(AuditEntry.objects.all())
    assert "1 field" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "officer"])
def test_others_are_refused(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(audit_url())

    assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(audit_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


@pytest.mark.django_db
def test_an_empty_log_says_so(client, coordinator):
    client.force_login(coordinator)

    response = client.get(audit_url())

    assert "No staff action has been recorded yet." in response.content.decode()


@pytest.fixture
def mixed_entries(coordinator, admin_user, authority):
    role = grant(UserFactory(), Role.OFFICER, authority)
    return {
        "coordinator_update": audit_record(actor=coordinator, action="update", obj=authority),
        "coordinator_grant": audit_record(actor=coordinator, action="grant", obj=role),
        "admin_create": audit_record(actor=admin_user, action="create", obj=authority),
    }


@pytest.mark.django_db
def test_it_filters_by_actor(client, coordinator, mixed_entries):
    client.force_login(coordinator)

    response = client.get(audit_url(actor="ADMIN "))

    assert list(response.context["page"].object_list) == [mixed_entries["admin_create"]]


@pytest.mark.django_db
def test_it_filters_by_kind_of_object(client, coordinator, mixed_entries):
    client.force_login(coordinator)
    role_type = ContentType.objects.get_for_model(RoleGrant)

    response = client.get(audit_url(content_type=role_type.pk))

    assert list(response.context["page"].object_list) == [mixed_entries["coordinator_grant"]]


@pytest.mark.django_db
def test_it_filters_by_action(client, coordinator, mixed_entries):
    client.force_login(coordinator)

    response = client.get(audit_url(action="update", actor="coordinator"))

    assert list(response.context["page"].object_list) == [mixed_entries["coordinator_update"]]


@pytest.mark.django_db
def test_it_offers_only_the_kinds_of_object_in_the_log(client, coordinator, mixed_entries):
    client.force_login(coordinator)

    response = client.get(audit_url())

    choices = dict(response.context["form"].fields["content_type"].choices)
    assert set(choices) == {
        "",
        ContentType.objects.get_for_model(Organisation).pk,
        ContentType.objects.get_for_model(RoleGrant).pk,
    }


@pytest.mark.django_db
def test_an_invalid_filter_shows_everything(client, coordinator, mixed_entries):
    client.force_login(coordinator)

    response = client.get(audit_url(action="explode"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


def make_entries(count: int, *, actor, objects) -> None:
    for i in range(count):
        obj = objects[i % len(objects)]
        audit_record(actor=actor, action="update", obj=obj, before={"n": i}, after={"n": i + 1})


@pytest.mark.django_db
def test_it_pages_through_long_logs_keeping_the_filters(client, coordinator, authority):
    make_entries(60, actor=coordinator, objects=[authority])
    client.force_login(coordinator)

    first = client.get(audit_url(actor="coordinator"))
    second = client.get(audit_url(actor="coordinator", page=2))

    assert len(first.context["page"].object_list) == 50
    assert "actor=coordinator&amp;page=2" in first.content.decode()
    assert len(second.context["page"].object_list) == 10
    assert not set(first.context["page"].object_list) & set(second.context["page"].object_list)


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_entries(
    client, coordinator, django_assert_num_queries
):
    users = [UserFactory() for _ in range(3)]
    objects = [OrganisationFactory(), *users, grant(users[0], Role.MENTOR)]
    client.force_login(coordinator)
    make_entries(5, actor=coordinator, objects=objects)
    client.get(audit_url())  # warm per-process caches (content types, templates)

    with CaptureQueriesContext(connection) as few:
        client.get(audit_url())
    make_entries(35, actor=users[1], objects=objects)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(audit_url())

    assert len(response.context["page"].object_list) == 40


@pytest.mark.django_db
def test_entries_show_translated_names_as_recorded(client, coordinator):
    organisation = OrganisationFactory(name=TranslatedText({"en": "Lyon"}, original="en"))
    audit_record(actor=coordinator, action="create", obj=organisation)
    client.force_login(coordinator)

    response = client.get(audit_url())

    assert "“Lyon”" in response.content.decode()
