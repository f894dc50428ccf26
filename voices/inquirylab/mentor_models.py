"""Experts who help the teams: mentor profiles, office hours, private team threads, public Q&A."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from voices.core.models import ModerationState


class Mentor(models.Model):
    """An expert helping the teams of one challenge."""

    challenge = models.ForeignKey(
        "inquirylab.Challenge", on_delete=models.CASCADE, related_name="mentors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_mentoring"
    )
    areas = models.CharField(_("areas of expertise"), max_length=300)
    languages = models.JSONField(_("languages"), default=list)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("about you"), max_length=1500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["challenge", "id"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="mentor_once_per_challenge")
        ]

    def __str__(self) -> str:
        return str(self.user)


class OfficeHour(models.Model):
    """A slot a mentor offers; one team books it (the booking is a conditional update)."""

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="office_hours")
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(180)],
    )
    where = models.CharField(
        _("where or how to meet"), max_length=300, blank=True,
        help_text=_("A room, or a video call address shared only with the team that books."),
    )  # fmt: skip
    team = models.ForeignKey(
        "inquirylab.Team",
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="office_hours",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    topic = models.CharField(_("what the team wants to talk about"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("office hour")
        verbose_name_plural = _("office hours")
        constraints = [
            models.UniqueConstraint(fields=["mentor", "starts_at"], name="office_hour_once"),
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(booked_at__isnull=False),
                name="office_hour_booking_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} · {self.starts_at:%Y-%m-%d %H:%M}"


class TeamMessage(models.Model):
    """A message in a team's private thread with the mentors."""

    team = models.ForeignKey("inquirylab.Team", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["team", "created_at", "id"]
        verbose_name = _("team message")
        verbose_name_plural = _("team messages")

    def __str__(self) -> str:
        return f"{self.team} · {self.created_at:%Y-%m-%d %H:%M}"


class Question(models.Model):
    """A question on the challenge's public board, answered by a mentor or an organiser."""

    challenge = models.ForeignKey(
        "inquirylab.Challenge", on_delete=models.CASCADE, related_name="questions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("question"), max_length=2000)
    language = models.CharField(_("written in"), max_length=10)
    moderation_state = models.CharField(
        max_length=10, choices=ModerationState, default=ModerationState.VISIBLE
    )
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.body[:60]
