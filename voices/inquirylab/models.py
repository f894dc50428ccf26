"""The Inquiry Lab: an online challenge where teams of young migrants (19–26) write policy briefs.

The stage a challenge is in comes from its dates, never from a status to remember:
registration → team formation → work → judging (from the submission deadline) → results.
What people may do in each stage is one table (`STAGE_ACTIONS`), checked by the services.

Models are split by area: this module (challenges, registrations, teams), `mentor_models`
(mentors, office hours, team threads, the public Q&A), `brief_models` (briefs and their versions)
and `result_models` (people's choice, published results, forwarding to a council).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from voices.core.dates import step_at, steps_out_of_order, steps_timeline
from voices.core.models import TimeStampedModel
from voices.core.translation import TranslatableField


def _language_choices():
    return settings.LANGUAGES


class Stage(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("challenge stage", "Not started")
    REGISTRATION = "registration", pgettext_lazy("challenge stage", "Registration")
    TEAM_FORMATION = "teams", pgettext_lazy("challenge stage", "Team formation")
    WORK = "work", pgettext_lazy("challenge stage", "Work on the briefs")
    JUDGING = "judging", pgettext_lazy("challenge stage", "Judging")
    RESULTS = "results", pgettext_lazy("challenge stage", "Results")


class Action(models.TextChoices):
    REGISTER = "register", _("register")
    FORM_TEAMS = "form_teams", _("form teams")
    CHANGE_TEAM = "change_team", _("leave a team or hand it over")
    GET_HELP = "get_help", _("ask the mentors")
    WRITE_BRIEF = "write_brief", _("write and submit a brief")
    JUDGE = "judge", _("judge the briefs")
    VOTE = "vote", _("vote for the people's choice")


# What each stage allows; the services check it, so no view or API can bypass it.
STAGE_ACTIONS: dict[str, frozenset[str]] = {
    Stage.REGISTRATION: frozenset({Action.REGISTER, Action.GET_HELP}),
    Stage.TEAM_FORMATION: frozenset(
        {Action.REGISTER, Action.FORM_TEAMS, Action.CHANGE_TEAM, Action.GET_HELP}
    ),
    Stage.WORK: frozenset({Action.CHANGE_TEAM, Action.GET_HELP, Action.WRITE_BRIEF}),
    Stage.JUDGING: frozenset({Action.JUDGE, Action.VOTE}),
}
# The date field at which each stage starts, in order. Judging starts at the submission deadline.
STAGE_STARTS = (
    (Stage.REGISTRATION, "registration_at"),
    (Stage.TEAM_FORMATION, "teams_at"),
    (Stage.WORK, "work_at"),
    (Stage.JUDGING, "deadline_at"),
    (Stage.RESULTS, "results_at"),
)


class Challenge(TimeStampedModel):
    slug = models.SlugField(_("short web name"), max_length=80, unique=True)
    title = TranslatableField(_("title"), max_length=200)
    theme = TranslatableField(_("theme"), max_length=300)
    brief = TranslatableField(_("the challenge"), max_length=20_000, multiline=True)
    policy_questions = TranslatableField(
        _("policy questions"), max_length=5_000, multiline=True, blank=True
    )
    resources = TranslatableField(_("resources"), max_length=20_000, multiline=True, blank=True)
    languages = models.JSONField(_("languages it runs in"), default=list)
    allowed_countries = models.JSONField(
        _("countries of residence that may take part"),
        default=list,
        help_text=_("Two-letter country codes."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("youngest age"), default=19, validators=[MinValueValidator(14), MaxValueValidator(99)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age"), default=26, validators=[MinValueValidator(14), MaxValueValidator(99)]
    )
    starts_on = models.DateField(_("start date"), help_text=_("Ages are counted on this day."))
    team_min = models.PositiveSmallIntegerField(
        _("smallest team"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    team_max = models.PositiveSmallIntegerField(
        _("largest team"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    registration_at = models.DateTimeField(_("registration opens"))
    teams_at = models.DateTimeField(_("team formation starts"))
    work_at = models.DateTimeField(_("work starts"))
    deadline_at = models.DateTimeField(_("submission deadline"))
    results_at = models.DateTimeField(_("results from"))
    organiser = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    is_published = models.BooleanField(_("published"), default=False)
    has_public_vote = models.BooleanField(
        _("people's choice vote"),
        default=True,
        help_text=_("Signed-in people vote for one brief during judging; shown after the results."),
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-registration_at", "-id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_at__lte=F("teams_at"))
                & Q(teams_at__lte=F("work_at"))
                & Q(work_at__lt=F("deadline_at"))
                & Q(deadline_at__lte=F("results_at")),
                name="challenge_stages_in_order",
            ),
            models.CheckConstraint(
                condition=Q(min_age__lte=F("max_age")), name="challenge_age_range_in_order"
            ),
            models.CheckConstraint(
                condition=Q(team_min__lte=F("team_max")), name="challenge_team_size_in_order"
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("inquirylab:detail", kwargs={"slug": self.slug})

    def stage_at(self, at: datetime.datetime) -> str:
        return step_at(self, STAGE_STARTS, at, Stage.UPCOMING)

    def allows(self, action: str, *, at: datetime.datetime) -> bool:
        return self.is_published and action in STAGE_ACTIONS.get(self.stage_at(at), ())

    def timeline(self) -> list[tuple[str, str, datetime.datetime, datetime.datetime | None]]:
        """Each stage with its label, start and end (results have no end)."""
        return steps_timeline(self, STAGE_STARTS, Stage)

    def clean(self):
        errors = {}
        for field in steps_out_of_order(self, STAGE_STARTS):
            errors[field] = _("Each stage must start after the one before it.")
        if self.work_at and self.deadline_at and self.deadline_at <= self.work_at:
            errors["deadline_at"] = _("The deadline must come after work starts.")
        if self.min_age and self.max_age and self.min_age > self.max_age:
            errors["max_age"] = _("The oldest age must not be below the youngest age.")
        if self.team_min and self.team_max and self.team_min > self.team_max:
            errors["team_max"] = _("The largest team must not be smaller than the smallest team.")
        if errors:
            raise ValidationError(errors)


class Registration(models.Model):
    """Someone who registered and met the rules on the day they registered.

    Only the outcome of the eligibility check is kept: the birth date given for it is not stored.
    The organiser confirms or rejects (with a reason) what the person declared.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the organisers")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", pgettext_lazy("registration status", "Withdrawn")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_registrations"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    # Needed to propose teams that mix countries; checked against the allowed ones.
    country = models.CharField(_("country of residence"), max_length=2)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation you belong to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. Judges from it will not judge your team."),
    )
    skills = models.CharField(_("skills you bring"), max_length=500, blank=True)
    languages = models.JSONField(_("languages you can work in"), default=list)
    is_looking_for_team = models.BooleanField(_("looking for a team"), default=False)
    consented_at = models.DateTimeField(_("accepted the rules at"))
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["challenge", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "user"], name="registration_once_per_challenge"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="registration_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.challenge}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.CONFIRMED)


class Team(TimeStampedModel):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=100)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("working language"), max_length=10, choices=_language_choices)
    description = models.CharField(_("what the team wants to work on"), max_length=1000, blank=True)
    is_open = models.BooleanField(_("open to join requests"), default=True)

    class Meta:
        ordering = ["challenge", "name", "id"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "name"], name="team_name_per_challenge")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inquirylab:team", kwargs={"team_id": self.pk})


class TeamMember(models.Model):
    """One person in one team; nobody is in two teams of the same challenge (by constraint)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_teams"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "joined_at", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="one_team_per_challenge")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.team}"


class TeamRequest(models.Model):
    """An invitation from a team to a person, or a person's request to join a team."""

    class Kind(models.TextChoices):
        INVITATION = "invite", _("Invitation")
        JOIN_REQUEST = "join", _("Request to join")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_team_requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("team request")
        verbose_name_plural = _("team requests")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(status="pending"),
                name="one_pending_request_per_team_and_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user} · {self.team}"


class MatchProposal(models.Model):
    """Teams the matching helper proposes for people still alone; the organiser reviews them
    before anything changes."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="match_proposals"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    # [{"language": "uk", "members": [user ids]}], and the user ids left without a team.
    teams = models.JSONField(default=list)
    unmatched = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("team proposal")
        verbose_name_plural = _("team proposals")

    def __str__(self) -> str:
        return f"{self.challenge} · {self.created_at:%Y-%m-%d}"


from .brief_models import Brief, BriefVersion  # noqa: E402
from .mentor_models import Mentor, OfficeHour, Question, TeamMessage  # noqa: E402
from .result_models import Forwarding, PublicVote, Result  # noqa: E402

__all__ = [
    "Brief",
    "BriefVersion",
    "Challenge",
    "Forwarding",
    "MatchProposal",
    "Mentor",
    "OfficeHour",
    "PublicVote",
    "Question",
    "Registration",
    "Result",
    "Team",
    "TeamMember",
    "TeamMessage",
    "TeamRequest",
]
