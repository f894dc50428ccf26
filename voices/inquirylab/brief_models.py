"""Policy briefs: one per team, saved as numbered versions; the submitted one is judged."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Brief(models.Model):
    team = models.OneToOneField("inquirylab.Team", on_delete=models.CASCADE, related_name="brief")
    challenge = models.ForeignKey(
        "inquirylab.Challenge", on_delete=models.CASCADE, related_name="briefs"
    )
    # The version judged; the team may keep drafting, but only a resubmission before the
    # deadline changes what is judged.
    submitted_version = models.ForeignKey(
        "inquirylab.BriefVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["challenge", "id"]
        verbose_name = _("policy brief")
        verbose_name_plural = _("policy briefs")

    def __str__(self) -> str:
        version = self.submitted_version
        return version.title if version else str(self.team)

    def get_absolute_url(self) -> str:
        return reverse("inquirylab:brief", kwargs={"brief_id": self.pk})


class BriefVersion(models.Model):
    """One saved state of a brief, in the fixed structure every brief follows."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    # Sections may stay empty in a draft; submitting checks that every one is written.
    problem = models.TextField(_("the problem"), max_length=5000, blank=True)
    affected = models.TextField(_("who is affected"), max_length=3000, blank=True)
    proposal = models.TextField(_("the proposal"), max_length=8000, blank=True)
    evidence = models.TextField(
        _("evidence"),
        max_length=5000,
        blank=True,
        help_text=_("The facts behind the proposal. Say where each fact comes from."),
    )
    sources = models.TextField(
        _("sources"),
        max_length=3000,
        blank=True,
        help_text=_(
            "One source on each line: a web address (https://…) or a reference "
            "(author, title, year). At least one source is needed to submit."
        ),
    )
    institution = models.CharField(_("institution addressed"), max_length=300, blank=True)
    feasibility = models.TextField(_("feasibility and cost"), max_length=3000, blank=True)
    steps = models.TextField(_("next steps"), max_length=3000, blank=True)
    summary = models.TextField(_("summary"), max_length=1500, blank=True)
    summary_language = models.CharField(_("language of the summary"), max_length=10)
    second_summary = models.TextField(
        _("summary in a second language"), max_length=1500, blank=True
    )
    second_summary_language = models.CharField(_("second language"), max_length=10)
    # A plain link, never embedded (no third-party requests); https only.
    video_url = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        validators=[
            URLValidator(
                schemes=["https"], message=_("Enter a web address that starts with https://.")
            )
        ],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["brief", "-number"]
        verbose_name = _("brief version")
        verbose_name_plural = _("brief versions")
        constraints = [
            models.UniqueConstraint(fields=["brief", "number"], name="brief_version_number_once"),
            models.CheckConstraint(
                condition=~models.Q(summary_language=models.F("second_summary_language")),
                name="brief_summaries_in_two_languages",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · v{self.number}"

    @property
    def source_lines(self) -> list[str]:
        """The sources, one per non-empty line."""
        return [line.strip() for line in self.sources.splitlines() if line.strip()]
