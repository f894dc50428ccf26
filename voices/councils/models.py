import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voices.accounts.models import time_zone_choices
from voices.core.models import TimeStampedModel
from voices.core.translation import TranslatableField


class PolicyDomain(models.Model):
    """A policy field a council works on (education, employment, housing, health...)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = TranslatableField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("policy domain")
        verbose_name_plural = _("policy domains")

    def __str__(self) -> str:
        return str(self.name)


class Council(TimeStampedModel):
    """A permanent consultative body of migrants and refugees, set up with an authority."""

    class Level(models.TextChoices):
        LOCAL = "local", _("Local")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")
        EUROPEAN = "european", _("European")

    class Status(models.TextChoices):
        ESTABLISHING = "establishing", _("Being established")
        ACTIVE = "active", _("Active")
        STRENGTHENED = "strengthened", _("Strengthened")
        DORMANT = "dormant", _("Dormant")

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("Simple majority (more for than against)")
        ABSOLUTE = "absolute", _("Absolute majority (more than half of voting members present)")
        TWO_THIRDS = "two_thirds", _("Two-thirds majority (of the votes cast)")

    class MinutesApproval(models.TextChoices):
        VOTE = "vote", _("By a vote at the next meeting")
        CHAIR = "chair", _("By the chair")

    slug = models.SlugField(_("short web name"), max_length=80, unique=True)
    name = TranslatableField(_("name"), max_length=200)
    description = TranslatableField(_("description"), blank=True, multiline=True)
    level = models.CharField(_("level"), max_length=10, choices=Level)
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    municipality = models.ForeignKey(
        "directory.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    host_authority = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("host authority"),
        on_delete=models.PROTECT,
        related_name="hosted_councils",
        null=True,
        blank=True,
    )
    supporting_organisations = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("supporting organisations"),
        related_name="supported_councils",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status, default=Status.ESTABLISHING
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    working_languages = models.JSONField(_("working languages"), default=list, blank=True)
    domains = models.ManyToManyField(
        PolicyDomain, verbose_name=_("policy domains"), related_name="councils", blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Seat and decision rules, from the council's charter.
    voting_seats = models.PositiveSmallIntegerField(
        _("voting seats"), default=15, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    term_months = models.PositiveSmallIntegerField(
        _("term length in months"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    max_terms = models.PositiveSmallIntegerField(
        _("maximum terms per person"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    quorum_share = models.DecimalField(
        _("quorum (share of voting members present)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )
    majority = models.CharField(
        _("majority needed"), max_length=12, choices=Majority, default=Majority.SIMPLE
    )
    minutes_approval = models.CharField(
        _("minutes are approved"),
        max_length=6,
        choices=MinutesApproval,
        default=MinutesApproval.VOTE,
    )
    response_days = models.PositiveSmallIntegerField(
        _("days an authority has to answer a recommendation"),
        default=60,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
        help_text=_("Counted from the day a recommendation is sent."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        choices=time_zone_choices,
        help_text=_("Deadlines end at midnight in this time zone."),
    )

    class Meta:
        ordering = ["country__code", "slug"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False) | Q(level="european"),
                name="council_country_unless_european",
            ),
            models.CheckConstraint(
                condition=Q(quorum_share__gt=0) & Q(quorum_share__lte=1),
                name="council_quorum_share_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("councils:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.country_id is None and self.level != self.Level.EUROPEAN:
            errors["country"] = _("Choose the country of the council.")
        if self.region_id and self.region.country_id != self.country_id:
            errors["region"] = _("This region is not in the chosen country.")
        if self.municipality_id and self.municipality.region_id != self.region_id:
            errors["municipality"] = _("This municipality is not in the chosen region.")
        if self.parent_id and self._parent_chain_loops():
            errors["parent"] = _("A council cannot be part of itself.")
        known = {code for code, _name in settings.LANGUAGES}
        if not isinstance(self.working_languages, list) or not set(self.working_languages) <= known:
            errors["working_languages"] = _("Choose languages from the list.")
        if errors:
            raise ValidationError(errors)

    def _parent_chain_loops(self) -> bool:
        seen = {self.pk} if self.pk else set()
        parent_id = self.parent_id
        while parent_id is not None:
            if parent_id in seen:
                return True
            seen.add(parent_id)
            parent_id = (
                Council.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
            )
        return False


class CouncilStatusChange(models.Model):
    """When a council's status changed, so its history can be told."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=15, choices=Council.Status)
    changed_on = models.DateField(_("changed on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_on", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.council} · {self.get_status_display()} · {self.changed_on}"


class Membership(TimeStampedModel):
    """A person's seat (or non-voting place) in a council for one term."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")
        ASSOCIATION_REPRESENTATIVE = "association", _("Association representative")
        AUTHORITY_LIAISON = "liaison", _("Authority liaison")
        FACILITATOR = "facilitator", _("Facilitator")
        OBSERVER = "observer", _("Observer")

    class Entry(models.TextChoices):
        ELECTED = "elected", _("Elected")
        APPOINTED = "appointed", _("Appointed")
        COOPTED = "coopted", _("Co-opted")

    VOTING_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARY, Role.MEMBER,
                    Role.ASSOCIATION_REPRESENTATIVE)  # fmt: skip
    # One person at a time may hold each of these in a council.
    SINGLE_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARY)

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.MEMBER)
    entry = models.CharField(_("came in by"), max_length=10, choices=Entry, default=Entry.APPOINTED)
    association = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("association represented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_seats",
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    is_public = models.BooleanField(
        _("show my public name and role on the council's public page"), default=False
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["council", "role", "user__display_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="membership_term_positive"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("term_start")),
                name="membership_ended_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.council}"

    @property
    def is_voting(self) -> bool:
        return self.role in self.VOTING_ROLES

    def is_current(self, *, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        last = min(d for d in (self.term_end, self.ended_on) if d is not None)
        return self.term_start <= on <= last

    def clean(self):
        if self.role == self.Role.ASSOCIATION_REPRESENTATIVE and not self.association_id:
            raise ValidationError(
                {"association": _("Choose the association this member represents.")}
            )
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            raise ValidationError({"term_end": _("The term must end after it starts.")})


class Invitation(TimeStampedModel):
    """A link that lets a person join a council in a given role. Only its hash is stored."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=12, choices=Membership.Role)
    entry = models.CharField(_("came in by"), max_length=10, choices=Membership.Entry)
    note = models.CharField(_("for whom (only facilitators see this)"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.council} · {self.get_role_display()}"

    def is_usable(self, *, at: datetime.datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and at < self.expires_at


class JoinRequest(TimeStampedModel):
    """A person asks to join; a facilitator accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_join_requests"
    )
    message = models.TextField(_("why you want to join"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"],
                condition=Q(status="pending"),
                name="joinrequest_one_pending_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.council}"


# Meetings live in their own module; importing them here registers them with the app.
from .decision_models import (  # noqa: E402, F401
    Amendment,
    Ballot,
    BallotParticipation,
    Minutes,
    Motion,
    MotionEvidence,
    Vote,
)
from .meeting_models import AgendaItem, Attendance, Meeting, MeetingResponse  # noqa: E402, F401
