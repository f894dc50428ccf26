from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def email_send(*, to: list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send one already-rendered email (rendered in the recipient's language by the caller)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@task()
def notification_email(*, notification_id: int) -> None:
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.email:
        return  # The notification or the account was deleted before the worker got to it.
    email_send.call(
        to=[notification.recipient.email], subject=notification.subject, body=notification.body
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


@task()
def notification_digests() -> None:
    """The daily digest of notifications, for those who chose one email a day."""
    from .notifications import notification_digests_send

    notification_digests_send()


def email_enqueue(*, to: list[str], subject: str, body: str, html: str | None = None) -> None:
    """Queue an email to be sent once the current transaction has committed."""
    transaction.on_commit(lambda: email_send.enqueue(to=to, subject=subject, body=body, html=html))
