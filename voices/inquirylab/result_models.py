"""After judging: the people's choice, the published ranking, and briefs forwarded to councils."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicVote(models.Model):
    """One people's-choice vote per verified account and challenge (by constraint)."""

    challenge = models.ForeignKey(
        "inquirylab.Challenge", on_delete=models.CASCADE, related_name="public_votes"
    )
    brief = models.ForeignKey("inquirylab.Brief", on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["challenge", "id"]
        verbose_name = _("people's choice vote")
        verbose_name_plural = _("people's choice votes")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="public_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.brief_id}"


class Result(models.Model):
    """A brief's place in the published jury ranking, fixed when the results are published."""

    challenge = models.ForeignKey(
        "inquirylab.Challenge", on_delete=models.CASCADE, related_name="results"
    )
    brief = models.OneToOneField(
        "inquirylab.Brief", on_delete=models.CASCADE, related_name="result"
    )
    rank = models.PositiveIntegerField(_("place"))
    raw_score = models.FloatField(_("raw score"))
    normalised_score = models.FloatField(_("normalised score"))
    is_winner = models.BooleanField(_("winner"), default=False)
    feedback = models.TextField(_("feedback from the organisers"), max_length=5000, blank=True)

    class Meta:
        ordering = ["challenge", "rank"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "rank"], name="result_rank_once")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.brief}"


class Forwarding(models.Model):
    """A brief sent to a council as the basis of a draft motion, and what became of it."""

    class Uptake(models.TextChoices):
        NONE = "none", _("No answer yet")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        DISCUSSED = "discussed", _("Discussed")
        ADOPTED = "adopted", _("Adopted as a recommendation")

    brief = models.ForeignKey(
        "inquirylab.Brief", on_delete=models.CASCADE, related_name="forwardings"
    )
    council = models.ForeignKey(
        "councils.Council", on_delete=models.CASCADE, related_name="lab_forwardings"
    )
    note = models.TextField(_("note to the council"), max_length=2000, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    forwarded_at = models.DateTimeField(auto_now_add=True)
    # The council's motion built on the brief (the brief is its evidence, linked not copied).
    motion = models.ForeignKey(
        "councils.Motion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uptake = models.CharField(_("uptake"), max_length=15, choices=Uptake, default=Uptake.NONE)
    uptake_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-forwarded_at", "-id"]
        verbose_name = _("brief sent to a council")
        verbose_name_plural = _("briefs sent to councils")
        constraints = [models.UniqueConstraint(fields=["brief", "council"], name="forwarding_once")]

    def __str__(self) -> str:
        return f"{self.brief} → {self.council}"
