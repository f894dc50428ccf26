"""Notifications: an in-app message plus an email copy, both in the recipient's language."""

from django.conf import settings
from django.db import transaction
from django.template import Context, engines
from django.utils import timezone, translation

from .models import Notification
from .tasks import email_enqueue, notification_email


def render_plain(template_name: str, context: dict) -> str:
    """Render a text template without HTML escaping: messages are plain text, and the pages
    that show them escape them when they do."""
    template = engines["django"].get_template(template_name).template
    return template.render(Context(context, autoescape=False))


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
        subject = " ".join(render_plain(f"{template}_subject.txt", context).split())
        body = render_plain(f"{template}_body.txt", context).strip()
    wants_email = bool(recipient.email) and getattr(recipient, "email_notifications", True)
    in_digest = wants_email and getattr(recipient, "email_digest", False)
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, subject=subject[:200], body=body, url=url,
        in_digest=in_digest,
    )  # fmt: skip
    if wants_email and not in_digest:
        transaction.on_commit(lambda: notification_email.enqueue(notification_id=notification.pk))
    return notification


def notification_digests_send(*, now=None) -> int:
    """Email each recipient one message with all notifications waiting for their digest.

    Each recipient's rows are locked and marked in one transaction, so a second run at the same
    time, or after this one, finds nothing left to send.
    """
    now = now or timezone.now()
    recipients = (
        Notification.objects.filter(in_digest=True, emailed_at__isnull=True)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in list(recipients):
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(recipient_id=recipient_id, in_digest=True, emailed_at__isnull=True)
                .select_related("recipient")
                .order_by("created_at", "id")
            )
            if not pending:
                continue
            recipient = pending[0].recipient
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            if not recipient.email or not getattr(recipient, "email_notifications", True):
                continue  # They turned emails off since: marked, not sent.
            zone = getattr(recipient, "time_zone", None) or settings.TIME_ZONE
            with translation.override(recipient_language(recipient)), timezone.override(zone):
                context = {"notifications": pending, "count": len(pending)}
                subject = " ".join(
                    render_plain("core/notifications/digest_subject.txt", context).split()
                )
                body = render_plain("core/notifications/digest_body.txt", context).strip()
            email_enqueue(to=[recipient.email], subject=subject, body=body)
            sent += 1
    return sent


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
