"""Recommendations: what a council asks of authorities, and what each authority does with it.

A recommendation has its own short life (draft → adopted → sent, or withdrawn). Once sent, each
addressed authority has its own track (sent → acknowledged → answered → in implementation →
implemented / not implemented), because two authorities asked the same thing may answer
differently. Every change of either is an `Event`: the timeline the tracker and the scorecards
are computed from.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from voices.core.models import TimeStampedModel
from voices.core.translation import TranslatableField


def _language_choices():
    return settings.LANGUAGES


class State(models.TextChoices):
    """Every state a recommendation or one authority's track can be in, in their usual order."""

    DRAFT = "draft", pgettext_lazy("recommendation state", "Draft")
    ADOPTED = "adopted", pgettext_lazy("recommendation state", "Adopted")
    SENT = "sent", pgettext_lazy("recommendation state", "Sent")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("recommendation state", "Acknowledged")
    ANSWERED = "answered", pgettext_lazy("recommendation state", "Answered")
    IN_IMPLEMENTATION = "implementing", pgettext_lazy("recommendation state", "In implementation")
    IMPLEMENTED = "implemented", pgettext_lazy("recommendation state", "Implemented")
    NOT_IMPLEMENTED = "not_implemented", pgettext_lazy("recommendation state", "Not implemented")
    WITHDRAWN = "withdrawn", pgettext_lazy("recommendation state", "Withdrawn")


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


# States of one authority's track, from least to most advanced. A recommendation sent to several
# authorities shows the least advanced of them, so "implemented" means implemented by all.
TRACK_ORDER = [
    State.SENT,
    State.ACKNOWLEDGED,
    State.ANSWERED,
    State.IN_IMPLEMENTATION,
    State.NOT_IMPLEMENTED,
    State.IMPLEMENTED,
]
# Tracks still waiting for an answer: the only ones that can be reminded or become overdue.
AWAITING_ANSWER = (State.SENT, State.ACKNOWLEDGED)


class Recommendation(TimeStampedModel):
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    motion = models.OneToOneField(
        "councils.Motion",
        verbose_name=_("adopted motion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendation",
    )
    domain = models.ForeignKey(
        "councils.PolicyDomain",
        verbose_name=_("policy domain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    title = TranslatableField(_("title"), max_length=200)
    text = TranslatableField(_("what the council recommends"), max_length=20_000, multiline=True)
    reasons = TranslatableField(_("reasons"), max_length=20_000, multiline=True, blank=True)
    state = models.CharField(
        _("status"), max_length=16, choices=State, default=State.DRAFT, db_index=True
    )
    due_on_override = models.DateField(
        _("answer due by (instead of the council's rule)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the council's rule, counted from the day it is sent."),
    )
    due_on = models.DateField(_("answer due by"), null=True, blank=True)
    # The end of `due_on` in the council's time zone, in UTC: the moment it becomes overdue.
    due_at = models.DateTimeField(_("answer due at"), null=True, blank=True, db_index=True)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(due_at__isnull=False),
                name="recommendation_sent_has_deadline",
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", kwargs={"recommendation_id": self.pk})

    @property
    def is_public(self) -> bool:
        """Sent ones are public, also once withdrawn; drafts stay inside the council."""
        return self.sent_at is not None

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.ADOPTED)


class Addressee(models.Model):
    """One authority asked by a recommendation, and where its answer stands."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="addressees"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="recommendations_received",
    )
    state = models.CharField(_("status"), max_length=16, choices=State, blank=True)
    outcome = models.CharField(_("answer"), max_length=10, choices=Outcome, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    closing_note = models.TextField(_("closing note"), max_length=5000, blank=True)

    class Meta:
        ordering = ["recommendation", "id"]
        verbose_name = _("addressed authority")
        verbose_name_plural = _("addressed authorities")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation"], name="addressee_unique"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="addressee_progress_range"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} → {self.organisation}"

    @property
    def awaits_answer(self) -> bool:
        return self.state in AWAITING_ANSWER

    def is_overdue(self, *, at=None) -> bool:
        due_at = self.recommendation.due_at
        at = at or timezone.now()
        return (
            self.awaits_answer
            and self.recommendation.state != State.WITHDRAWN
            and due_at is not None
            and at >= due_at
        )


class AuthorityResponse(TimeStampedModel):
    """An authority's written answer: drafted and reviewed inside the authority, then published."""

    addressee = models.OneToOneField(Addressee, on_delete=models.CASCADE, related_name="response")
    outcome = models.CharField(_("answer"), max_length=10, choices=Outcome)
    reasons = models.TextField(_("reasons for the answer"), max_length=20_000)
    language = models.CharField(_("written in"), max_length=10, choices=_language_choices)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["addressee"]
        verbose_name = _("authority's answer")
        verbose_name_plural = _("authorities' answers")

    def __str__(self) -> str:
        return f"{self.addressee}: {self.get_outcome_display()}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ProgressUpdate(TimeStampedModel):
    addressee = models.ForeignKey(
        Addressee, on_delete=models.CASCADE, related_name="progress_updates"
    )
    percent = models.PositiveSmallIntegerField(
        _("how far it is done (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField(_("what was done"), max_length=5000)
    milestone = models.CharField(_("next milestone"), max_length=200, blank=True)
    milestone_on = models.DateField(_("milestone date"), null=True, blank=True)
    language = models.CharField(_("written in"), max_length=10, choices=_language_choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["addressee", "created_at", "id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_range")
        ]

    def __str__(self) -> str:
        return f"{self.addressee}: {self.percent} %"


class Event(models.Model):
    """One step in a recommendation's timeline: who moved what from which state to which, when."""

    class Kind(models.TextChoices):
        STATE = "state", _("Status changed")
        PROGRESS = "progress", _("Progress reported")
        REMINDER = "reminder", _("Reminder sent")
        OVERDUE = "overdue", _("Answer overdue")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="events"
    )
    addressee = models.ForeignKey(
        Addressee, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.STATE)
    from_state = models.CharField(_("status before"), max_length=16, choices=State, blank=True)
    to_state = models.CharField(_("status after"), max_length=16, choices=State, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), max_length=5000, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [models.Index(fields=["addressee", "to_state"], name="event_track_state")]

    def __str__(self) -> str:
        return f"{self.recommendation} · {self.kind} {self.from_state}→{self.to_state}"


class Reminder(models.Model):
    """A deadline message sent for one authority's track; unique, so a rerun sends nothing."""

    addressee = models.ForeignKey(Addressee, on_delete=models.CASCADE, related_name="reminders")
    # "before-14", "before-3"... or "overdue" (the escalation).
    kind = models.CharField(max_length=16)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["addressee", "sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["addressee", "kind"], name="reminder_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.addressee} · {self.kind}"


class Evidence(models.Model):
    """What a recommendation rests on: a consultation result, a survey, a study, a document."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="evidence"
    )
    label = models.CharField(_("what it is"), max_length=200)
    url = models.URLField(_("link"), max_length=500)

    class Meta:
        ordering = ["recommendation", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.label


class Follower(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_recommendations"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recommendation", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "user"], name="follower_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.recommendation}"
