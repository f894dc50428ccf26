"""Reads for the Inquiry Lab's experts: mentors, office hours, team threads and the Q&A board.

Who may see what is decided here (a 404 for what a user may not see). List pages run the same
number of queries however many rows they show: related rows come with `select_related` or one
prefetch per list.
"""

from __future__ import annotations

import datetime

from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from voices.core.models import ModerationState

from .models import Challenge, Mentor, OfficeHour, Question, Team, TeamMessage
from .rules import may

# A team holds at most this many future bookings at a time, so that one team cannot take every
# slot of the week; a booking frees its place once the slot has started (or is cancelled).
MAX_FUTURE_BOOKINGS = 2


def mentor_of(challenge: Challenge, *, user) -> Mentor | None:
    """The user's mentor row in this challenge (active or not), if they have one."""
    if not (user and user.is_authenticated):
        return None
    return Mentor.objects.filter(challenge=challenge, user=user).select_related("user").first()


def _free_slots(now: datetime.datetime) -> QuerySet[OfficeHour]:
    return OfficeHour.objects.filter(team__isnull=True, starts_at__gt=now).order_by("starts_at")


def mentors_public(challenge: Challenge, *, now: datetime.datetime | None = None) -> QuerySet:
    """Active mentors with their upcoming free office hours (`free_slots`), in two queries."""
    now = now or timezone.now()
    return (
        Mentor.objects.filter(challenge=challenge, is_active=True)
        .select_related("user", "organisation")
        .prefetch_related(Prefetch("office_hours", _free_slots(now), to_attr="free_slots"))
        .order_by("user__display_name", "id")
    )


def mentors_inactive(challenge: Challenge) -> QuerySet[Mentor]:
    """Mentors the organisers deactivated, for the organisers' view of the list."""
    return (
        Mentor.objects.filter(challenge=challenge, is_active=False)
        .select_related("user", "organisation")
        .order_by("user__display_name", "id")
    )


def mentor_get(mentor_id: int) -> Mentor:
    return get_object_or_404(
        Mentor.objects.select_related("user", "challenge__organiser"), pk=mentor_id
    )


def slot_get(slot_id: int) -> OfficeHour:
    return get_object_or_404(
        OfficeHour.objects.select_related("mentor__user", "mentor__challenge__organiser", "team"),
        pk=slot_id,
    )


def office_hours_of(mentor: Mentor) -> QuerySet[OfficeHour]:
    """All of a mentor's slots, soonest first, with the booking team."""
    return mentor.office_hours.select_related("team", "booked_by").order_by("starts_at", "id")


def team_bookings(team: Team, *, now: datetime.datetime | None = None) -> QuerySet[OfficeHour]:
    """A team's office hours that have not ended yet (the "where" is for them to see)."""
    now = now or timezone.now()
    # A slot lasts at most 180 minutes; the exact end is checked in Python by the caller.
    return (
        OfficeHour.objects.filter(team=team, starts_at__gt=now - datetime.timedelta(minutes=180))
        .select_related("mentor__user")
        .order_by("starts_at", "id")
    )


def team_future_bookings_count(team: Team, *, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return OfficeHour.objects.filter(team=team, starts_at__gt=now).count()


def mentor_user_ids_for_team(team: Team) -> set[int]:
    """Mentors who helped this team (an office hour with it, or a message in its thread).

    For the judging's conflicts of interest: someone who mentored a team does not judge it.
    """
    booked = OfficeHour.objects.filter(team=team).values_list("mentor__user_id", flat=True)
    mentor_users = Mentor.objects.filter(challenge_id=team.challenge_id).values_list(
        "user_id", flat=True
    )
    wrote = TeamMessage.objects.filter(team=team, author_id__in=mentor_users).values_list(
        "author_id", flat=True
    )
    return set(booked) | set(wrote)


# Team threads


def team_thread_get(team_id: int, *, user) -> Team:
    """Return the team if `user` may read its thread, else 404 (nobody learns it exists)."""
    team = get_object_or_404(Team.objects.select_related("challenge__organiser"), pk=team_id)
    if not may(user, "inquirylab.view_team_thread", team):
        raise Http404
    return team


def team_messages(team: Team) -> QuerySet[TeamMessage]:
    """The thread's messages, oldest first (the newest at the bottom)."""
    return (
        TeamMessage.objects.filter(team=team).select_related("author").order_by("created_at", "id")
    )


def mentor_ids(challenge: Challenge) -> set[int]:
    """User ids of the challenge's active mentors (to mark their messages in a thread)."""
    return set(
        Mentor.objects.filter(challenge=challenge, is_active=True).values_list("user_id", flat=True)
    )


def teams_with_threads(challenge: Challenge) -> QuerySet[Team]:
    """The challenge's teams with their message count and last message, latest first."""
    return (
        Team.objects.filter(challenge=challenge)
        .annotate(message_count=Count("messages"), last_message_at=Max("messages__created_at"))
        .order_by(F("last_message_at").desc(nulls_last=True), "name", "id")
    )


# The Q&A board


def question_list(
    challenge: Challenge, *, user, unanswered_first: bool = False, show_hidden: bool = False
) -> QuerySet[Question]:
    """The board's questions, newest first; the unanswered ones first for those who answer.

    Everyone sees the visible ones; an author also sees their own hidden question (marked), and
    the organisers see every question, to show a hidden one again.
    """
    qs = Question.objects.filter(challenge=challenge)
    if not show_hidden:
        visible = Q(moderation_state=ModerationState.VISIBLE)
        if user and user.is_authenticated:
            visible |= Q(author=user)
        qs = qs.filter(visible)
    qs = qs.select_related("author", "answered_by")
    order = ["-created_at", "-id"]
    if unanswered_first:
        qs = qs.annotate(
            is_open=SqlCase(
                When(answer="", then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        order = ["-is_open", *order]
    return qs.order_by(*order)


def question_get(question_id: int, *, user) -> Question:
    """Return the question if `user` may see it, else 404."""
    question = get_object_or_404(
        Question.objects.select_related("challenge__organiser", "author", "answered_by"),
        pk=question_id,
    )
    challenge = question.challenge
    if not may(user, "inquirylab.view_questions", challenge):
        raise Http404
    is_visible = question.moderation_state == ModerationState.VISIBLE
    is_author = user.is_authenticated and question.author_id == user.pk
    if not (is_visible or is_author or may(user, "inquirylab.hide_question", challenge)):
        raise Http404
    return question
