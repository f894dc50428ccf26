"""Documents attached to any object (a charter, the papers of an agenda item, an agreement).

Who may see, add or remove them is decided by the owner's app through three permissions named
`<app>.view_<model>_document`, `<app>.add_<model>_document` and `<app>.delete_<model>_document`.
"""

import rules
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from .audit import audit_record, snapshot
from .models import Attachment
from .uploads import attachment_create, attachment_delete


def _perm(verb: str, owner_model: type[models.Model]) -> str:
    meta = owner_model._meta
    return f"{meta.app_label}.{verb}_{meta.model_name}_document"


def owner_from_reference(reference: str) -> models.Model | None:
    """Resolve "app_label.model:pk" to an object that can hold documents, or None."""
    label, _sep, pk = (reference or "").partition(":")
    app_label, _dot, model_name = label.partition(".")
    if not (app_label and model_name and pk.isdecimal() and len(pk) <= 18):
        return None
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    if not rules.perm_exists(_perm("add", model)):
        return None
    return model.objects.filter(pk=int(pk)).first()


def owner_reference(owner: models.Model) -> str:
    meta = owner._meta
    return f"{meta.app_label}.{meta.model_name}:{owner.pk}"


def can_add_document(user, owner: models.Model) -> bool:
    return user.has_perm(_perm("add", type(owner)), owner)


@transaction.atomic
def document_add(*, actor, owner: models.Model, upload) -> Attachment:
    """Attach a checked upload to `owner` and log it."""
    if not can_add_document(actor, owner):
        raise PermissionDenied
    attachment = attachment_create(owner=owner, upload=upload, uploaded_by=actor)
    audit_record(actor=actor, action="create", obj=attachment, after=snapshot(attachment))
    return attachment


@transaction.atomic
def document_delete(*, actor, attachment: Attachment) -> None:
    """Remove a document (and its file once the transaction has committed) and log it."""
    if not actor.has_perm("core.delete_attachment", attachment):
        raise PermissionDenied
    audit_record(actor=actor, action="delete", obj=attachment, before=snapshot(attachment))
    attachment_delete(attachment=attachment)
