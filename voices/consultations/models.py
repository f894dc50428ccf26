"""Consultations: an authority or a council asks, participants propose, comment and support, and
every proposal gets an answer ("you said, we did").

The phase a consultation is in comes from its dates, never from a status someone must remember
to change: information → contributions → deliberation → answers → closed. What participants may
do in each phase is one table (`PHASE_ACTIONS`), checked by the services.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from voices.core.dates import step_at, steps_out_of_order, steps_timeline
from voices.core.models import ModerationState, TimeStampedModel
from voices.core.names import public_name
from voices.core.translation import TranslatableField


def _language_choices():
    return settings.LANGUAGES


class Phase(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("consultation phase", "Not started")
    INFORMATION = "information", pgettext_lazy("consultation phase", "Information")
    CONTRIBUTIONS = "contributions", pgettext_lazy("consultation phase", "Contributions")
    DELIBERATION = "deliberation", pgettext_lazy("consultation phase", "Deliberation")
    ANSWERS = "answers", pgettext_lazy("consultation phase", "Answers")
    CLOSED = "closed", pgettext_lazy("consultation phase", "Closed")


class Action(models.TextChoices):
    PROPOSE = "propose", _("make a proposal")
    COMMENT = "comment", _("comment")
    SUPPORT = "support", _("support proposals")


# What participants may do in each phase; the owner answers in the answers phase.
PHASE_ACTIONS: dict[str, frozenset[str]] = {
    Phase.CONTRIBUTIONS: frozenset({Action.PROPOSE, Action.COMMENT, Action.SUPPORT}),
    Phase.DELIBERATION: frozenset({Action.COMMENT, Action.SUPPORT}),
}
# The date field at which each phase starts, in order.
PHASE_STARTS = (
    (Phase.INFORMATION, "information_at"),
    (Phase.CONTRIBUTIONS, "contributions_at"),
    (Phase.DELIBERATION, "deliberation_at"),
    (Phase.ANSWERS, "answers_at"),
    (Phase.CLOSED, "closes_at"),
)


class Consultation(TimeStampedModel):
    class Eligibility(models.TextChoices):
        REGISTERED = "registered", _("Anyone with an account")
        RESIDENTS = "residents", _("People who live in the area")
        COUNCIL_MEMBERS = "council_members", _("Members of a council")

    title = TranslatableField(_("title"), max_length=200)
    question = TranslatableField(_("question"), max_length=500, multiline=True)
    background = TranslatableField(_("background"), max_length=20_000, multiline=True, blank=True)
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("authority asking"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    owner_council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council asking"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    domain = models.ForeignKey(
        "councils.PolicyDomain", verbose_name=_("policy domain"), on_delete=models.PROTECT
    )
    country = models.ForeignKey(
        "directory.Country", verbose_name=_("country"), on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    municipality = models.ForeignKey(
        "directory.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    languages = models.JSONField(_("languages it runs in"), default=list)
    is_published = models.BooleanField(_("published"), default=False)
    information_at = models.DateTimeField(_("information from"))
    contributions_at = models.DateTimeField(_("contributions from"))
    deliberation_at = models.DateTimeField(_("deliberation from"))
    answers_at = models.DateTimeField(_("answers from"))
    closes_at = models.DateTimeField(_("closes on"))
    eligibility = models.CharField(
        _("who may take part"), max_length=20, choices=Eligibility, default=Eligibility.REGISTERED
    )
    eligible_council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council whose members take part"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_age = models.PositiveSmallIntegerField(
        _("youngest age"), null=True, blank=True, validators=[MinValueValidator(14)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    allows_anonymous = models.BooleanField(
        _("people without an account may take part"),
        default=False,
        help_text=_("Their contributions are marked as unverified in the results."),
    )
    premoderation = models.BooleanField(
        _("a moderator approves each contribution before it is shown"), default=False
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports that hide a contribution until a moderator checks it"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    supports_per_person = models.PositiveSmallIntegerField(
        _("supports each person may give"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    support_threshold = models.PositiveIntegerField(
        _("supports a proposal needs to be marked as reached"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no threshold."),
    )
    edit_minutes = models.PositiveSmallIntegerField(
        _("minutes during which authors may edit their proposal"),
        default=15,
        validators=[MaxValueValidator(24 * 60)],
    )
    components = models.JSONField(_("parts"), default=list)
    closing_statement = TranslatableField(
        _("closing statement"), max_length=20_000, multiline=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-contributions_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_organisation__isnull=False) & Q(owner_council__isnull=True))
                | (Q(owner_organisation__isnull=True) & Q(owner_council__isnull=False)),
                name="consultation_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(information_at__lte=models.F("contributions_at"))
                & Q(contributions_at__lte=models.F("deliberation_at"))
                & Q(deliberation_at__lte=models.F("answers_at"))
                & Q(answers_at__lte=models.F("closes_at")),
                name="consultation_phases_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(eligibility="council_members") | Q(eligible_council__isnull=False),
                name="consultation_members_rule_names_council",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="consultation_age_range_in_order",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "closes_at"])]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"consultation_id": self.pk})

    @property
    def owner(self):
        return self.owner_organisation or self.owner_council

    @property
    def territory(self):
        return self.municipality or self.region or self.country

    def phase_at(self, at: datetime.datetime) -> str:
        return step_at(self, PHASE_STARTS, at, Phase.UPCOMING)

    @property
    def has_age_rule(self) -> bool:
        return self.min_age is not None or self.max_age is not None

    @property
    def has_person_rules(self) -> bool:
        """True when taking part depends on who the person is (residence, membership, age)."""
        return self.eligibility != self.Eligibility.REGISTERED or self.has_age_rule

    def allows(self, action: str, *, at: datetime.datetime) -> bool:
        return self.is_published and action in PHASE_ACTIONS.get(self.phase_at(at), ())

    def timeline(self) -> list[tuple[str, str, datetime.datetime, datetime.datetime | None]]:
        """Each phase with its label, start and end (the closed phase has no end)."""
        return steps_timeline(self, PHASE_STARTS, Phase)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for field in steps_out_of_order(self, PHASE_STARTS):
            errors[field] = _("Each phase must start after the one before it.")
        if self.eligibility == self.Eligibility.COUNCIL_MEMBERS and not self.eligible_council_id:
            errors["eligible_council"] = _("Choose the council whose members may take part.")
        if self.allows_anonymous and self.has_person_rules:
            # Nothing about a person without an account can be checked.
            errors["allows_anonymous"] = _(
                "People without an account can only take part when anyone may take part, with no "
                "age range."
            )
        if self.min_age and self.max_age and self.min_age > self.max_age:
            errors["max_age"] = _("The oldest age must not be below the youngest age.")
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            errors["municipality"] = _("This municipality is not in the chosen region.")
        elif self.municipality_id and self.municipality.region.country_id != self.country_id:
            errors["municipality"] = _("This municipality is not in the chosen country.")
        if self.region_id and self.region.country_id != self.country_id:
            errors["region"] = _("This region is not in the chosen country.")
        if errors:
            raise ValidationError(errors)


class Participant(models.Model):
    """Someone who took part in one consultation: the row the participation figures count, and
    the lock that keeps a person's support limit exact under simultaneous clicks."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    # Kept when the account is deleted (its supports still count; nothing links them to anyone).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For people without an account: a hash of the random token in their browser's cookie.
    anon_key = models.CharField(max_length=64, blank=True, default="")
    declared_resident = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=Q(user__isnull=False),
                name="one_participant_per_user",
            ),
            models.UniqueConstraint(
                fields=["consultation", "anon_key"],
                condition=~Q(anon_key=""),
                name="one_participant_per_browser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.user_id or 'anonymous'}"

    @property
    def is_anonymous(self) -> bool:
        return bool(self.anon_key)


class Contribution(models.Model):
    """What proposals and comments share: who wrote it, in which language, and its moderation."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_anonymous = models.BooleanField(_("without an account"), default=False)
    language = models.CharField(_("written in"), max_length=10, choices=_language_choices)
    moderation_state = models.CharField(
        _("moderation"), max_length=10, choices=ModerationState, default=ModerationState.VISIBLE
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        return self.moderation_state == ModerationState.VISIBLE

    def author_label(self) -> str:
        return author_label(self.author, is_anonymous=self.is_anonymous)


def author_label(author, *, is_anonymous: bool) -> str:
    """How a contribution's author is shown, here and in apps that build on consultations."""
    if is_anonymous:
        return str(_("Anonymous participant (unverified)"))
    if author is None:
        return str(_("Former participant"))
    # A public name left blank at sign-up defaults to the login name, which is never shown
    # beside what someone wrote (it is half of what signs them in).
    return public_name(author)


class Proposal(Contribution):
    class Answer(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("proposal answer", "Accepted")
        EVALUATING = "evaluating", pgettext_lazy("proposal answer", "Being evaluated")
        NOT_ACCEPTED = "not_accepted", pgettext_lazy("proposal answer", "Not accepted")
        MERGED = "merged", pgettext_lazy("proposal answer", "Merged into another proposal")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=150)
    # A text field's max_length is only a form hint; the validator makes full_clean() hold it.
    body = models.TextField(
        _("your proposal"), max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    image = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attachment = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Counted in the same transaction as each support, so lists sort by it without a count
    # per row. Comments are counted per page instead: moderation changes which ones count.
    # Supports from accounts only: they decide the threshold and the order. Supports without an
    # account (where allowed) are counted apart and shown as unverified.
    supports_count = models.PositiveIntegerField(_("supports"), default=0)
    unverified_supports_count = models.PositiveIntegerField(_("unverified supports"), default=0)
    reached_at = models.DateTimeField(_("threshold reached at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=15, choices=Answer, blank=True)
    answer_text = TranslatableField(_("answer"), max_length=10_000, multiline=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["consultation", "moderation_state", "created_at"]),
            models.Index(fields=["consultation", "moderation_state", "supports_count"]),
        ]
        # "Merged" names its target in the service, not by a check constraint: deleting a
        # consultation first empties `merged_into` of rows it deletes next, which a check refuses.

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:proposal_detail", kwargs={"proposal_id": self.pk})

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Comment(Contribution):
    class Stance(models.TextChoices):
        IN_FAVOUR = "for", _("In favour")
        AGAINST = "against", _("Against")
        NEUTRAL = "neutral", _("Neutral")

    MAX_DEPTH = 4

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    # Empty: a comment on the consultation itself.
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The first comment of the thread (empty for that first comment), so one query fetches
    # every reply of a page of threads.
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(_("comment"), max_length=2000, validators=[MaxLengthValidator(2000)])
    stance = models.CharField(_("your position"), max_length=10, choices=Stance)
    removed_at = models.DateTimeField(_("removed by its author at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["consultation", "proposal", "thread", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        base = self.proposal.get_absolute_url() if self.proposal_id else None
        base = base or reverse(
            "consultations:detail", kwargs={"consultation_id": self.consultation_id}
        )
        return f"{base}#comment-{self.pk}"


class Support(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "participant"], name="one_support_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.proposal_id}"


class MotionCitation(models.Model):
    """A proposal used as evidence for a council motion (linked, not copied)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="citations")
    motion = models.ForeignKey(
        "councils.Motion", on_delete=models.CASCADE, related_name="consultation_citations"
    )
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "motion"], name="cite_proposal_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.motion_id}"
