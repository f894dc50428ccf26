"""The shared assessment engine: rubrics, rounds of review, reviewers, conflicts, scores.

A higher app (the Inquiry Lab's judging, later the good-practice evaluation) owns a `Round`: it
adds the items to assess (a generic link to its own objects), names the reviewers and says, through
the registry in `registry.py`, who runs the round, how an item is shown and which reviewers have a
conflict of interest with it. The engine assigns reviewers, takes scores, locks them once
submitted and computes raw and normalised results (docs/assessments.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from voices.core.models import TimeStampedModel
from voices.core.translation import TranslatableField


class Rubric(TimeStampedModel):
    """Weighted criteria, each scored on its own described scale."""

    title = TranslatableField(_("title"), max_length=200)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return str(self.title)


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = TranslatableField(_("criterion"), max_length=200)
    description = TranslatableField(_("what reviewers look at"), max_length=2000, multiline=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How much this criterion counts compared with the others."),
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)

    class Meta:
        ordering = ["rubric", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="criterion_scale_in_order"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return str(self.title)


class ScaleLevel(models.Model):
    """What one score on a criterion's scale means, in every language."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    score = models.SmallIntegerField(_("score"))
    description = TranslatableField(_("what this score means"), max_length=500)

    class Meta:
        ordering = ["criterion", "score"]
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "score"], name="scale_level_once")
        ]

    def __str__(self) -> str:
        return f"{self.score}: {self.description}"


class Round(TimeStampedModel):
    """One review of a set of items against a rubric (the judging of a challenge...)."""

    class Status(models.TextChoices):
        SETUP = "setup", _("Being prepared")
        OPEN = "open", _("Reviewers are scoring")
        CLOSED = "closed", _("Closed")

    # The owner app's object this round belongs to (a challenge), for the registry.
    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.CharField(max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="rounds")
    reviewers_per_item = models.PositiveSmallIntegerField(
        _("reviewers per item"), default=3, validators=[MinValueValidator(3)]
    )
    is_blind = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Reviewers do not see who wrote what they review."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SETUP)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        constraints = [
            models.UniqueConstraint(fields=["owner_type", "owner_id"], name="round_per_owner"),
            models.CheckConstraint(
                condition=Q(reviewers_per_item__gte=3), name="round_three_reviewers_or_more"
            ),
        ]

    def __str__(self) -> str:
        return str(self.rubric)


class Reviewer(models.Model):
    """A person in a round's pool of reviewers."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_pools"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Items from this organisation are never given to this reviewer."),
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="reviewer_once_per_round")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Item(models.Model):
    """One thing to assess (a submitted brief), linked, never copied."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="items")
    object_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("object_type", "object_id")
    # A short identifier from the owner ("4"); reviewers in blind mode see `label`, never the
    # authors. Stored without words, so it reads the same in every language.
    code = models.CharField(_("code"), max_length=20)
    # Final submission time from the owner app: the last tie-break (earlier wins).
    submitted_at = models.DateTimeField(_("submitted at"))
    # The authors' organisations, kept so that a reviewer added later (or whose organisation
    # changes) gets the same automatic conflict as one present when the items were synced.
    organisation_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["round", "code", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "object_type", "object_id"], name="item_once_per_round"
            ),
            models.UniqueConstraint(fields=["round", "code"], name="item_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """What people see for the item without its title: "Entry 4", in their language."""
        return gettext("Entry %(code)s") % {"code": self.code}


class Conflict(models.Model):
    """A reviewer who must not review an item, found automatically or declared."""

    class Reason(models.TextChoices):
        SAME_ORGANISATION = "organisation", _("Same organisation as the authors")
        MENTOR = "mentor", _("Mentored the authors")
        DECLARED = "declared", _("Declared by the reviewer")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="conflict_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.item}"


class Assignment(models.Model):
    """One reviewer's review of one item: scores, feedback, and once submitted, locked."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    comment = models.TextField(
        _("feedback for the authors"), max_length=5000, blank=True, default=""
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["item", "reviewer", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["item", "reviewer"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.item}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(_("score"))

    class Meta:
        ordering = ["assignment", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
