from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One staff write: who did what to which object, and the fields before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        GRANT = "grant", _("Role given")
        REVOKE = "revoke", _("Role removed")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept even after the account is deleted, so the log still reads sensibly.
    actor_label = models.CharField(_("who (as shown then)"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of object"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    target = GenericForeignKey("content_type", "object_id")
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Attachment(TimeStampedModel):
    """An uploaded file, attached to one object, served only through a permission check."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    owner = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """An in-app message to one user; its email copy is sent by a task."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Waiting for the recipient's daily digest email (they chose one email a day).
    in_digest = models.BooleanField(default=False, db_index=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject


class PeriodicRun(models.Model):
    """When a recurring task (see core.periodic) was last enqueued."""

    name = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ModerationState(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    PENDING = "pending", _("Waiting for a moderator")
    REPORTED = "reported", _("Hidden while reports are checked")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Report(models.Model):
    """Someone's report that a piece of content breaks the rules, waiting for a moderator."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Insults, threats or hate")
        PERSONAL = "personal", _("Personal data about someone")
        OFF_TOPIC = "off_topic", _("Not about this consultation")
        OTHER = "other", _("Something else")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Content hidden")
        DISMISSED = "dismissed", _("Content kept")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    # Where the content lives (a consultation): the moderators of the scope see the report.
    scope_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    scope_id = models.CharField(max_length=64)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    note = models.TextField(
        _("details"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)]
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "reporter"], name="one_report_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["scope_type", "scope_id", "resolved_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.content_type_id}:{self.object_id})"


class ModerationDecision(models.Model):
    """What a moderator did to a piece of content or a person, and why; the author is told."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Shown again")
        APPROVE = "approve", _("Approved")
        BLOCK = "block", _("Author blocked")
        UNBLOCK = "unblock", _("Author unblocked")

    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    scope_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    scope_id = models.CharField(max_length=64)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        indexes = [models.Index(fields=["scope_type", "scope_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Block(models.Model):
    """A person may not take part in one scope (a consultation) until the block is lifted."""

    scope_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    scope_id = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_type", "scope_id", "user"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_active_block_per_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.scope_type_id}:{self.scope_id}"
