from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from voices.accounts.models import Role, RoleGrant, User
from voices.accounts.services import role_grant, role_revoke
from voices.core.audit import audit_record, snapshot
from voices.core.documents import document_add
from voices.core.models import Attachment

from .models import Organisation

# Who can act for which kind of organisation.
ROLES_FOR_ORGANISATIONS = (Role.OFFICER, Role.REPRESENTATIVE)

ORGANISATION_FIELDS = (
    "slug", "name", "kind", "country", "region", "municipality", "website", "description",
    "is_active",
)  # fmt: skip


@transaction.atomic
def organisation_create(*, actor: User, **fields) -> Organisation:
    """Add an organisation to the directory and log it."""
    if not actor.has_perm("directory.add_organisation"):
        raise PermissionDenied
    organisation = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
    organisation.full_clean()
    organisation.save()
    audit_record(actor=actor, action="create", obj=organisation, after=snapshot(organisation))
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation and log what changed."""
    if not actor.has_perm("directory.change_organisation", organisation):
        raise PermissionDenied
    # Lock the row so two editors cannot interleave; the second sees the first's result.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(organisation)
    for name, value in fields.items():
        if name in ORGANISATION_FIELDS:
            setattr(organisation, name, value)
    organisation.full_clean()
    # Compare before saving: save() moves updated_at, so afterwards every snapshot differs.
    if snapshot(organisation) == before:
        return organisation
    organisation.save()
    after = snapshot(organisation)
    audit_record(actor=actor, action="update", obj=organisation, before=before, after=after)
    return organisation


@transaction.atomic
def organisation_document_add(*, actor: User, organisation: Organisation, upload) -> Attachment:
    """Attach a checked document to an organisation and log it."""
    return document_add(actor=actor, owner=organisation, upload=upload)


def organisation_person_add(
    *, actor: User, organisation: Organisation, user: User, role: str
) -> RoleGrant:
    """Record that `user` acts for `organisation` (as officer or representative)."""
    if not actor.has_perm("directory.manage_organisation_people", organisation):
        raise PermissionDenied
    if role not in ROLES_FOR_ORGANISATIONS:
        raise ValueError(role)
    return role_grant(actor=actor, user=user, role=role, scope=organisation)


def organisation_person_remove(
    *, actor: User, organisation: Organisation, grant: RoleGrant
) -> None:
    """Record that someone no longer acts for `organisation`."""
    if not actor.has_perm("directory.manage_organisation_people", organisation):
        raise PermissionDenied
    expected = ContentType.objects.get_for_model(Organisation)
    if grant.scope_type_id != expected.pk or grant.scope_id != str(organisation.pk):
        raise PermissionDenied
    role_revoke(actor=actor, grant=grant)
