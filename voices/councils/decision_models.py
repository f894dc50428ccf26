"""Formal decisions of a council: minutes, motions, amendments, ballots and votes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from voices.core.models import TimeStampedModel


def _language_choices():
    return settings.LANGUAGES


class Minutes(TimeStampedModel):
    """One version of a meeting's minutes. Approved minutes are never edited: a correction is
    a new version that points at the one it corrects."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed for approval")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    meeting = models.ForeignKey(
        "councils.Meeting", on_delete=models.CASCADE, related_name="minutes_versions"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    text = models.TextField(_("text"), max_length=100_000)
    language = models.CharField(_("written in"), max_length=10, choices=_language_choices)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_reason = models.CharField(_("why it is corrected"), max_length=500, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("councils:minutes", kwargs={"minutes_id": self.pk})

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)


class Motion(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("motion status", "Withdrawn")

    agenda_item = models.ForeignKey(
        "councils.AgendaItem", on_delete=models.CASCADE, related_name="motions"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text of the motion"), max_length=20_000)
    original_text = models.TextField(_("text as first proposed"), max_length=20_000, blank=True)
    reasons = models.TextField(_("reasons"), max_length=20_000, blank=True)
    language = models.CharField(_("written in"), max_length=10, choices=_language_choices)
    proposer = models.ForeignKey(
        "councils.Membership",
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="motions",
    )
    is_request_to_authority = models.BooleanField(
        _("this motion asks an authority to act"),
        default=False,
        help_text=_("If adopted, it becomes a recommendation to the authority."),
    )
    addressed_to = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("authority asked"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_motions",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["agenda_item", "created_at", "id"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_request_to_authority=False) | Q(addressed_to__isnull=False),
                name="motion_request_names_authority",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("councils:motion_detail", kwargs={"motion_id": self.pk})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.is_request_to_authority and not self.addressed_to_id:
            raise ValidationError({"addressed_to": _("Choose the authority the motion asks.")})


def evidence_link(value: str) -> None:
    """Accept an http(s) address or a path on this site (never a protocol-relative //host)."""
    from django.core.validators import URLValidator

    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return
    URLValidator(schemes=["http", "https"])(value)


class MotionEvidence(models.Model):
    """What a motion rests on: a consultation result, a survey, a hackathon brief, a document."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField(_("what it is"), max_length=200)
    # A link elsewhere, or a path on this site (a consultation proposal): a path stays right
    # whatever host name the site is served under.
    url = models.CharField(_("link"), max_length=500, validators=[evidence_link])

    class Meta:
        ordering = ["motion", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.label


class Amendment(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("motion status", "Withdrawn")

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="amendments")
    text = models.TextField(
        _("new text of the motion"),
        max_length=20_000,
        help_text=_("If the amendment is adopted, this text replaces the motion's text."),
    )
    reasons = models.TextField(_("reasons"), max_length=20_000, blank=True)
    proposer = models.ForeignKey(
        "councils.Membership",
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)

    class Meta:
        ordering = ["motion", "created_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.motion} · {self.pk}"


class Ballot(TimeStampedModel):
    """A formal vote in a meeting on one motion, amendment or version of minutes."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Prepared")
        OPEN = "open", pgettext_lazy("ballot status", "Open")
        CLOSED = "closed", _("Closed")

    meeting = models.ForeignKey(
        "councils.Meeting", on_delete=models.PROTECT, related_name="ballots"
    )
    motion = models.ForeignKey(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    amendment = models.ForeignKey(
        Amendment, null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    minutes = models.ForeignKey(
        Minutes, null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    is_secret = models.BooleanField(_("secret ballot"), default=False)
    majority = models.CharField(_("majority needed"), max_length=12)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PREPARED)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Quorum when the ballot opened.
    open_entitled = models.PositiveSmallIntegerField(null=True, blank=True)
    open_present = models.PositiveSmallIntegerField(null=True, blank=True)
    # The result, stored once at close and never computed again.
    entitled = models.PositiveSmallIntegerField(_("voting members"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("voting members present"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(motion__isnull=False, amendment__isnull=True, minutes__isnull=True)
                    | Q(motion__isnull=True, amendment__isnull=False, minutes__isnull=True)
                    | Q(motion__isnull=True, amendment__isnull=True, minutes__isnull=False)
                ),
                name="ballot_has_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(passed__isnull=False),
                name="ballot_closed_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("councils:ballot_detail", kwargs={"ballot_id": self.pk})

    @property
    def subject(self):
        return self.motion or self.amendment or self.minutes


class Vote(models.Model):
    """One member's vote. In a secret ballot `membership` is empty: who voted is kept apart,
    in BallotParticipation, and the order of the votes is shuffled at close."""

    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    membership = models.ForeignKey(
        "councils.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice)

    class Meta:
        ordering = ["ballot", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "membership"], name="vote_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} · {self.choice}"


class BallotParticipation(models.Model):
    """That a member has voted in a ballot (not what): one per member, also in secret ballots."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="participations")
    membership = models.ForeignKey(
        "councils.Membership", on_delete=models.PROTECT, related_name="ballot_participations"
    )

    class Meta:
        ordering = ["ballot", "membership"]
        verbose_name = _("participation in a ballot")
        verbose_name_plural = _("participations in ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "membership"], name="participation_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} · {self.membership_id}"
