"""Notifications: an in-app message plus an email copy, both in the recipient's language."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification
from .tasks import notification_email


def recipient_language(user) -> str:
    languages = getattr(user, "language_list", lambda: [])()
    return languages[0] if languages else settings.LANGUAGE_CODE


@transaction.atomic
def notification_send(
    *, recipient, kind: str, template: str, context: dict, url: str = ""
) -> Notification:
    """Store a notification for `recipient` and email it after commit if they want emails."""
    zone = getattr(recipient, "time_zone", None) or settings.TIME_ZONE
    # Dates in the message are shown in the recipient's language and time zone.
    with translation.override(recipient_language(recipient)), timezone.override(zone):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context).strip()
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, subject=subject[:200], body=body, url=url
    )
    if recipient.email and getattr(recipient, "email_notifications", True):
        transaction.on_commit(lambda: notification_email.enqueue(notification_id=notification.pk))
    return notification


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
