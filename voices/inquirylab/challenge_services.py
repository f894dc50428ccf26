"""Writes for challenges and registrations: setting a challenge up, publishing it, registering,
withdrawing, and the organiser's decision on each registration.

Registration keeps only the outcome of the eligibility check: the birth date or year given for it
is passed to `eligibility.check` and then forgotten.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from voices.accounts.models import User
from voices.core.audit import audit_record, snapshot
from voices.core.notifications import notification_send

from . import eligibility, stages
from .models import Action, Challenge, Registration, Stage, TeamMember

CHALLENGE_FIELDS = (
    "slug", "title", "theme", "brief", "policy_questions", "resources", "languages",
    "allowed_countries", "min_age", "max_age", "starts_on", "team_min", "team_max",
    "registration_at", "teams_at", "work_at", "deadline_at", "results_at", "has_public_vote",
)  # fmt: skip
# What a registration was checked against: fixed once someone registered, so that every
# registration was checked by the same rule.
ELIGIBILITY_FIELDS = ("min_age", "max_age", "starts_on")
# Paths under /lab/ that are not challenges.
RESERVED_SLUGS = frozenset({"new", "registrations"})


class NotEligible(ValidationError):
    """The person does not meet the rules; `reasons` are `eligibility` codes."""

    def __init__(self, reasons: list[str], challenge: Challenge):
        self.reasons = reasons
        super().__init__(eligibility.explain(reasons, challenge), code="not_eligible")


def _check(actor, perm: str, obj=None) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(perm, obj)):
        raise PermissionDenied


def _clean_fields(fields: dict) -> dict:
    fields = {k: v for k, v in fields.items() if k in CHALLENGE_FIELDS}
    if fields.get("slug") in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": _("This short web name is reserved. Please choose another one.")}
        )
    for name in ("languages", "allowed_countries"):
        if name in fields:
            fields[name] = list(dict.fromkeys(fields[name] or []))
    if "allowed_countries" in fields:
        fields["allowed_countries"] = [c.upper() for c in fields["allowed_countries"]]
    return fields


def _require_lists(challenge: Challenge) -> None:
    errors = {}
    if not challenge.languages:
        errors["languages"] = _("Choose at least one language.")
    if not challenge.allowed_countries:
        errors["allowed_countries"] = _("Choose at least one country.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def challenge_create(*, actor: User, organiser=None, **fields) -> Challenge:
    """Set up a challenge as a draft (programme staff)."""
    _check(actor, "inquirylab.add_challenge")
    challenge = Challenge(organiser=organiser, created_by=actor, **_clean_fields(fields))
    _require_lists(challenge)
    challenge.full_clean()
    challenge.save()
    audit_record(actor=actor, action="create", obj=challenge, after=snapshot(challenge))
    return challenge


@transaction.atomic
def challenge_update(*, actor: User, challenge: Challenge, **fields) -> Challenge:
    """Change a challenge's texts, rules and dates; the organiser only by programme staff."""
    _check(actor, "inquirylab.change_challenge", challenge)
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    before = snapshot(challenge)
    if "organiser" in fields and fields["organiser"] != challenge.organiser:
        # The organiser's people run the challenge: moving it is the programme's decision.
        _check(actor, "inquirylab.add_challenge")
        challenge.organiser = fields["organiser"]
    fields = _clean_fields(fields)
    if challenge.is_published and fields.get("slug", challenge.slug) != challenge.slug:
        raise ValidationError(
            {"slug": _("The web address stays the same once published, so shared links work.")}
        )
    for name, value in fields.items():
        setattr(challenge, name, value)
    if challenge.registrations.exists():
        _eligibility_kept(challenge, before)
    _require_lists(challenge)
    challenge.full_clean()
    challenge.save()
    audit_record(
        actor=actor, action="update", obj=challenge, before=before, after=snapshot(challenge)
    )
    return challenge


def _eligibility_kept(challenge: Challenge, before: dict) -> None:
    errors = {}
    for name in ELIGIBILITY_FIELDS:
        if eligibility_value(getattr(challenge, name)) != before[name]:
            errors[name] = _("People have registered under this rule, so it can no longer change.")
    in_use = set(
        challenge.registrations.filter(status__in=("pending", "confirmed")).values_list(
            "country", flat=True
        )
    )
    removed = in_use - set(challenge.allowed_countries)
    if removed:
        errors["allowed_countries"] = _(
            "People who live in %(countries)s have registered, so these countries stay allowed."
        ) % {"countries": ", ".join(eligibility.country_names(sorted(removed)))}
    if errors:
        raise ValidationError(errors)


def eligibility_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def challenge_publish(*, actor: User, challenge: Challenge) -> Challenge:
    """Make a challenge public."""
    _check(actor, "inquirylab.publish_challenge", challenge)
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    if challenge.is_published:
        raise ValidationError(_("This challenge is already published."), code="published")
    challenge.is_published = True
    challenge.save(update_fields=["is_published", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=challenge,
        before={"is_published": False}, after={"is_published": True},
    )  # fmt: skip
    return challenge


@transaction.atomic
def challenge_unpublish(*, actor: User, challenge: Challenge) -> Challenge:
    """Take a challenge back to draft, only while nobody has registered."""
    _check(actor, "inquirylab.publish_challenge", challenge)
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    if not challenge.is_published:
        raise ValidationError(_("This challenge is already a draft."), code="draft")
    if challenge.registrations.exists():
        raise ValidationError(
            _("People have already registered, so the challenge stays published."),
            code="has_registrations",
        )
    challenge.is_published = False
    challenge.save(update_fields=["is_published", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=challenge,
        before={"is_published": True}, after={"is_published": False},
    )  # fmt: skip
    return challenge


# Registration


@transaction.atomic
def registration_create(
    *,
    user: User,
    challenge: Challenge,
    birth: datetime.date | int,
    country: str,
    consent: bool,
    languages: list[str],
    skills: str = "",
    is_looking_for_team: bool = False,
    organisation=None,
) -> Registration:
    """Register `user` if they meet the rules; nothing is stored when they do not.

    Raises NotEligible (with the reasons) for someone outside the rules, and ValidationError when
    the stage is closed or the person is already registered. A withdrawn registration is reused.
    """
    _check(user, "inquirylab.register", challenge)
    stages.require(challenge, Action.REGISTER)
    reasons = eligibility.check(birth, country, consent, challenge)
    if reasons:
        raise NotEligible(reasons, challenge)
    existing = (
        Registration.objects.select_for_update(of=("self",))
        .filter(challenge=challenge, user=user)
        .first()
    )
    if existing is not None and existing.status != Registration.Status.WITHDRAWN:
        raise ValidationError(_("You are already registered for this challenge."), code="twice")
    registration = existing or Registration(challenge=challenge, user=user)
    registration.status = Registration.Status.PENDING
    registration.country = country.upper()
    registration.languages = list(dict.fromkeys(languages))
    registration.skills = skills.strip()
    registration.is_looking_for_team = is_looking_for_team
    registration.organisation = organisation
    registration.consented_at = timezone.now()
    # A new registration is a new request: an earlier decision does not carry over.
    registration.decision_reason, registration.decided_by, registration.decided_at = "", None, None
    known = {code for code, _name in settings.LANGUAGES}
    if not registration.languages or not set(registration.languages) <= known:
        raise ValidationError(
            {"languages": _("Choose at least one language you can work in.")}, code="languages"
        )
    registration.full_clean()
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # a simultaneous second request of the same person
        raise ValidationError(
            _("You are already registered for this challenge."), code="twice"
        ) from exc
    return registration


@transaction.atomic
def registration_withdraw(*, user: User, registration: Registration) -> Registration:
    """Withdraw one's own registration while registration is open; registering again undoes it."""
    _check(user, "inquirylab.withdraw_registration", registration)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("challenge")
        .get(pk=registration.pk)
    )
    if not registration.is_active:
        raise ValidationError(_("This registration is not active."), code="not_active")
    stages.require(registration.challenge, Action.REGISTER)
    # Teams belong to the teams' pages: leaving one is done there, with what it means for the
    # team (a new lead, a size below the minimum).
    if TeamMember.objects.filter(challenge=registration.challenge, user=user).exists():
        raise ValidationError(_("Leave your team first."), code="in_team")
    registration.status = Registration.Status.WITHDRAWN
    registration.save(update_fields=["status"])
    return registration


DECISIONS = {"confirm": Registration.Status.CONFIRMED, "reject": Registration.Status.REJECTED}


@transaction.atomic
def registration_decide(
    *, actor: User, registration: Registration, decision: str, reason: str = ""
) -> Registration:
    """Confirm or reject (with a reason) a registration; the person is told in their language.

    A decision can be changed until judging starts.
    """
    _check(actor, "inquirylab.review_registrations", registration.challenge)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("challenge", "user")
        .get(pk=registration.pk)
    )
    challenge = registration.challenge
    if challenge.stage_at(timezone.now()) in (Stage.JUDGING, Stage.RESULTS):
        raise ValidationError(
            _("Judging has started, so registrations can no longer be decided."), code="stage"
        )
    if decision not in DECISIONS:
        raise ValidationError(_("Choose to confirm or to reject."), code="decision")
    if registration.status == Registration.Status.WITHDRAWN:
        raise ValidationError(_("This person has withdrawn."), code="withdrawn")
    status = DECISIONS[decision]
    reason = reason.strip()
    if status == Registration.Status.REJECTED and not reason:
        raise ValidationError(
            {"reason": _("Give the reason: the person will read it.")}, code="reason_required"
        )
    if status == Registration.Status.REJECTED:
        # A rejected person must not stay on a team's brief; who replaces a lead is the team's
        # choice, so the organiser asks the team first instead of Voices picking someone.
        member = (
            TeamMember.objects.filter(challenge=challenge, user=registration.user)
            .select_related("team")
            .first()
        )
        if member is not None:
            raise ValidationError(
                _(
                    "This person is in the team “%(team)s”. Ask the team to remove them (or, if "
                    "they lead it, to choose a new lead) before rejecting the registration."
                )
                % {"team": member.team.name},
                code="in_team",
            )
    if status == registration.status and reason == registration.decision_reason:
        raise ValidationError(_("This decision is already recorded."), code="unchanged")
    before = snapshot(registration)
    registration.status = status
    registration.decision_reason = reason if status == Registration.Status.REJECTED else ""
    registration.decided_by, registration.decided_at = actor, timezone.now()
    registration.full_clean()
    registration.save()
    audit_record(
        actor=actor, action="update", obj=registration, before=before,
        after=snapshot(registration),
    )  # fmt: skip
    notification_send(
        recipient=registration.user,
        kind="inquirylab_registration",
        template="inquirylab/registration_decided",
        context={"registration": registration, "challenge": challenge},
        url=challenge.get_absolute_url(),
    )
    return registration
