"""Reads for challenges and registrations, including who may see what (hidden things are a 404).

List pages run a fixed number of queries whatever their length: what a row shows is joined in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from voices.accounts.models import Role
from voices.directory.models import Organisation

from . import stages
from .models import Action, Challenge, Registration, Stage, TeamMember


def challenge_list(*, now: datetime.datetime | None = None) -> QuerySet[Challenge]:
    """Published challenges: the ones not finished first (newest first), then finished ones."""
    now = now or timezone.now()
    is_over = Case(When(results_at__lte=now, then=Value(1)), default=Value(0))
    return (
        Challenge.objects.filter(is_published=True)
        .select_related("organiser")
        .annotate(is_over=is_over)
        .order_by("is_over", "-registration_at", "-id")
    )


def organisations_run_by(user) -> list[int]:
    """The organisations whose challenges the user runs (as officer or representative)."""
    ids: set[str] = set()
    for role in (Role.OFFICER, Role.REPRESENTATIVE):
        ids |= user.scope_ids(role, Organisation)
    return sorted(int(i) for i in ids if i.isdigit())


def challenge_drafts_for(user) -> QuerySet[Challenge]:
    """Unpublished challenges the user runs (all of them for programme staff)."""
    if not (user and user.is_authenticated):
        return Challenge.objects.none()
    qs = Challenge.objects.filter(is_published=False).select_related("organiser")
    if user.is_superuser or user.has_role(Role.COORDINATOR):
        return qs
    return qs.filter(organiser_id__in=organisations_run_by(user))


def challenge_get_for_user(
    slug: str, *, user, perm: str = "inquirylab.view_challenge"
) -> Challenge:
    """Return the challenge if `user` has `perm` on it (may see it, by default), else raise
    Http404 (which hides drafts). Every area's pages find their challenge through this."""
    challenge = get_object_or_404(Challenge.objects.select_related("organiser"), slug=slug)
    if not user.has_perm(perm, challenge):
        raise Http404
    return challenge


def registration_of(challenge: Challenge, user) -> Registration | None:
    if not (user and user.is_authenticated):
        return None
    return Registration.objects.filter(challenge=challenge, user=user).first()


def team_id_of(challenge: Challenge, *, user) -> int | None:
    """The id of the user's team in this challenge, if they are in one."""
    if not (user and user.is_authenticated):
        return None
    return (
        TeamMember.objects.filter(challenge=challenge, user=user)
        .values_list("team_id", flat=True)
        .first()
    )


@dataclass(frozen=True)
class ViewerState:
    """What the viewer of a challenge page can do now, given the stage and where they stand."""

    stage: Stage
    registration: Registration | None
    team_id: int | None
    register_refusal: str

    @property
    def is_registered(self) -> bool:
        return self.registration is not None and self.registration.is_active

    @property
    def can_register(self) -> bool:
        withdrawn = Registration.Status.WITHDRAWN
        fresh = self.registration is None or self.registration.status == withdrawn
        return fresh and not self.register_refusal

    @property
    def can_withdraw(self) -> bool:
        return self.is_registered and not self.register_refusal and self.team_id is None


def viewer_state(
    challenge: Challenge, *, user, now: datetime.datetime | None = None
) -> ViewerState:
    now = now or timezone.now()
    return ViewerState(
        stage=Stage(challenge.stage_at(now)),
        registration=registration_of(challenge, user=user),
        team_id=team_id_of(challenge, user=user),
        register_refusal=stages.refusal(challenge, Action.REGISTER, at=now),
    )


REVIEW_FILTERS = ("pending", "confirmed", "rejected", "withdrawn", "all")


def registrations_for_review(challenge: Challenge, *, status: str) -> QuerySet[Registration]:
    """The challenge's registrations for its organisers, oldest first, with what a row shows."""
    qs = Registration.objects.filter(challenge=challenge).select_related("user", "organisation")
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def registration_counts(challenge: Challenge) -> dict[str, int]:
    """How many registrations are in each status, and in all (one query)."""
    counts = Registration.objects.filter(challenge=challenge).aggregate(
        all=Count("pk"),
        **{
            status: Count("pk", filter=Q(status=status), output_field=IntegerField())
            for status in Registration.Status.values
        },
    )
    return {key: value or 0 for key, value in counts.items()}


def registration_get_for_review(registration_id: int, *, user) -> Registration:
    """A registration for a person who reviews its challenge's registrations, else a 404."""
    registration = get_object_or_404(
        Registration.objects.select_related("challenge", "user"), pk=registration_id
    )
    if not user.has_perm("inquirylab.review_registrations", registration.challenge):
        raise Http404
    return registration
