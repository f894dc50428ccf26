"""Meetings of a council: agenda, invitations and answers, attendance (imported by models.py)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from voices.core.models import TimeStampedModel
from voices.core.translation import TranslatableField


class Meeting(TimeStampedModel):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(
        "councils.Council", on_delete=models.CASCADE, related_name="meetings"
    )
    title = TranslatableField(_("title"), max_length=200)
    format = models.CharField(_("format"), max_length=10, choices=Format, default=Format.IN_PERSON)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Only members see this link.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SCHEDULED)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["council", "starts_at"])]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting_detail", kwargs={"meeting_id": self.pk})

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.format in (self.Format.IN_PERSON, self.Format.HYBRID) and not self.place.strip():
            errors["place"] = _("Say where the meeting takes place.")
        if self.format in (self.Format.ONLINE, self.Format.HYBRID) and not self.online_link:
            errors["online_link"] = _("Give the link of the online meeting.")
        if errors:
            raise ValidationError(errors)


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        DISCUSSION = "discussion", _("Discussion")
        DECISION = "decision", _("Decision")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = TranslatableField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.DISCUSSION)
    description = TranslatableField(_("description"), blank=True, multiline=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()


class MeetingResponse(models.Model):
    """A member's answer to the invitation to a meeting."""

    class Answer(models.TextChoices):
        ATTENDING = "attending", _("I will attend")
        EXCUSED = "excused", _("I cannot attend")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="responses")
    membership = models.ForeignKey(
        "councils.Membership", on_delete=models.CASCADE, related_name="meeting_responses"
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer)
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        ordering = ["meeting", "membership"]
        verbose_name = _("answer to a meeting invitation")
        verbose_name_plural = _("answers to meeting invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="meetingresponse_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.get_answer_display()}"


class Attendance(models.Model):
    """Who was present, as recorded by the secretary during the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(
        "councils.Membership", on_delete=models.CASCADE, related_name="attendances"
    )
    is_present = models.BooleanField(_("present"), default=False)
    marked_at = models.DateTimeField(_("recorded at"), auto_now=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "membership"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="attendance_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.is_present}"
