"""Opinion maps: a consultation's question, short statements, and agree / disagree / pass votes
on them, from which a background analysis draws the groups of opinion (Pol.is's method, in
`analysis/`).

A map belongs to one consultation and follows its rules: who may take part, in which phase,
anonymously or not, and its moderators. Statements are moderated like proposals; votes are one
row per participant and statement, changed in place.
"""

import unicodedata

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voices.consultations.models import author_label
from voices.core.models import ModerationState, TimeStampedModel
from voices.core.translation import TranslatableField

# Bounds of a map's statement length; the text column holds the longest.
STATEMENT_MIN_LIMIT = 20
STATEMENT_MAX_LIMIT = 500


def _language_choices():
    return settings.LANGUAGES


def text_key(text: str) -> str:
    """The form two statements are compared in to find duplicates: case folded, punctuation and
    symbols dropped, runs of spaces made one ("Free buses!" and "free  buses" are the same)."""
    kept = (
        " " if unicodedata.category(ch)[0] in "PSZC" else ch
        for ch in unicodedata.normalize("NFKC", text).casefold()
    )
    # NFKC can lengthen a text (ligatures); the key only has to tell equal texts apart.
    return " ".join("".join(kept).split())[:STATEMENT_MAX_LIMIT]


class OpinionMap(TimeStampedModel):
    consultation = models.OneToOneField(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="opinion_map",
    )
    question = TranslatableField(_("question"), max_length=500, multiline=True)
    premoderation = models.BooleanField(
        _("a moderator approves each statement before it is shown"), default=False
    )
    statement_max_length = models.PositiveSmallIntegerField(
        _("longest statement, in characters"),
        default=140,
        validators=[
            MinValueValidator(STATEMENT_MIN_LIMIT),
            MaxValueValidator(STATEMENT_MAX_LIMIT),
        ],
    )
    participants_may_add = models.BooleanField(_("participants may add statements"), default=True)
    # The analysis runs after this many new votes, or this long after the last one, whichever
    # comes first (see services.analysis_enqueue_if_due).
    analysis_every_votes = models.PositiveIntegerField(
        _("new votes that start a new analysis"), default=20, validators=[MinValueValidator(1)]
    )
    analysis_every_seconds = models.PositiveIntegerField(
        _("seconds between analyses"), default=60, validators=[MinValueValidator(10)]
    )
    # Bookkeeping of the debounce: votes counted since the last analysis loaded its votes, and
    # when an analysis was enqueued (empty once it ran).
    votes_since_analysis = models.PositiveIntegerField(default=0, editable=False)
    analysis_queued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")

    def __str__(self) -> str:
        return str(self.question)


class Statement(models.Model):
    map = models.ForeignKey(OpinionMap, on_delete=models.CASCADE, related_name="statements")
    # Denormalised from the map: moderation, blocks and reports are scoped to the consultation
    # (core.moderation finds content by a direct foreign key to its scope).
    consultation = models.ForeignKey(
        "consultations.Consultation", on_delete=models.CASCADE, related_name="+"
    )
    # Per map, 1, 2, 3…: the statement's id for the analysis and in exports (Pol.is's tid).
    number = models.PositiveIntegerField(_("number"))
    # The map's own limit (statement_max_length) is checked by the service; this is the ceiling.
    text = models.TextField(
        _("statement"),
        max_length=STATEMENT_MAX_LIMIT,
        validators=[MaxLengthValidator(STATEMENT_MAX_LIMIT)],
    )
    text_key = models.CharField(max_length=STATEMENT_MAX_LIMIT, editable=False)
    language = models.CharField(_("written in"), max_length=10, choices=_language_choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participant = models.ForeignKey(
        "consultations.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_anonymous = models.BooleanField(_("without an account"), default=False)
    is_seed = models.BooleanField(_("written by a moderator"), default=False)
    moderation_state = models.CharField(
        _("moderation"), max_length=10, choices=ModerationState, default=ModerationState.VISIBLE
    )
    # Flagged, not refused: the same words as an earlier statement of the map (see text_key).
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Counted in the same transaction as each vote, so choosing the next statement and showing
    # the totals never counts millions of votes.
    agree_count = models.PositiveIntegerField(_("agree"), default=0)
    disagree_count = models.PositiveIntegerField(_("disagree"), default=0)
    pass_count = models.PositiveIntegerField(_("pass"), default=0)
    # A default, not auto_now_add: an imported statement keeps the time it was written.
    created_at = models.DateTimeField(
        _("written at"), default=timezone.now, db_index=True, editable=False
    )

    class Meta:
        ordering = ["map", "number"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(fields=["map", "number"], name="statement_number_per_map"),
        ]
        indexes = [
            models.Index(fields=["map", "moderation_state", "number"]),
            models.Index(fields=["map", "text_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"

    @property
    def is_visible(self) -> bool:
        return self.moderation_state == ModerationState.VISIBLE

    @property
    def votes_count(self) -> int:
        return self.agree_count + self.disagree_count + self.pass_count

    def author_label(self) -> str:
        if self.is_seed:
            return str(_("Moderators"))
        return author_label(self.author, is_anonymous=self.is_anonymous)


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass / unsure")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(
        "consultations.Participant", on_delete=models.CASCADE, related_name="+"
    )
    value = models.SmallIntegerField(_("vote"), choices=Value)
    # Defaults rather than auto_now(_add), so that an import or the demo can store the times
    # it was given (bulk_create would stamp the present over them).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # A changed vote is updated in place; this is its time for the analysis and the export,
    # which services.vote_cast sets on each change.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["updated_at", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="one_vote_per_participant"
            ),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_known"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.statement_id}: {self.value}"


class Analysis(models.Model):
    """One run of the analysis of a map: the groups, positions and statistics, as the math
    package returned them. A map keeps its latest few (KEEP) versions."""

    KEEP = 5

    map = models.ForeignKey(OpinionMap, on_delete=models.CASCADE, related_name="analyses")
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    n_votes = models.PositiveIntegerField(_("votes"))
    n_participants = models.PositiveIntegerField(_("participants"))
    seconds = models.FloatField(_("seconds taken"))
    result = models.JSONField(_("result"), default=dict)  # analysis.Result.to_json()
    # What the next run continues from (the group count smoother, for one): Result.state.
    state = models.JSONField(_("state"), default=dict)
    # Each participant's [group or None, x, y], keyed position_key(participant id): the result's
    # "group_of" and "positions" again, in a form the database reads one participant of (Django
    # reads a key that looks like a number as a list index on SQLite).
    positions = models.JSONField(_("positions"), default=dict)
    # Participants without an account per group ("unverified" in the results).
    unverified_per_group = models.JSONField(_("unverified participants per group"), default=dict)

    class Meta:
        ordering = ["map", "-version"]
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")
        constraints = [
            models.UniqueConstraint(fields=["map", "version"], name="analysis_version_per_map"),
        ]

    def __str__(self) -> str:
        return f"{self.map_id} v{self.version}"

    @staticmethod
    def position_key(participant_id: int) -> str:
        return f"p{participant_id}"
