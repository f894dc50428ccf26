from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Attachment, AuditEntry, Notification


def attachment_list_for(owner: models.Model) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(owner), object_id=str(owner.pk)
    )


def attachment_get_for_user(attachment_id: int, *, user) -> Attachment:
    """Return the attachment if `user` may see it; otherwise 404, hiding that it exists."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("content_type"), pk=attachment_id
    )
    if not user.has_perm("core.view_attachment", attachment):
        raise Http404
    return attachment


def audit_entry_list(
    *, actor: str | None = None, content_type_id: int | None = None, action: str | None = None
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("content_type")
    if actor:
        qs = qs.filter(actor_label__iexact=actor.strip())
    if content_type_id:
        qs = qs.filter(content_type_id=content_type_id)
    if action:
        qs = qs.filter(action=action)
    return qs


def audit_content_types() -> QuerySet[ContentType]:
    used = AuditEntry.objects.values("content_type_id").distinct()
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")


def notification_list_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
