"""Writes for the Inquiry Lab's experts: mentors, office hours, team threads and the Q&A board.

Getting help (booking, writing in a thread, asking and answering) is the stage's
`Action.GET_HELP`: from registration to the submission deadline. After the deadline the threads
and the board stay readable, and nobody writes in them any more, mentors included.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from voices.accounts.models import User
from voices.core.audit import audit_record, snapshot
from voices.core.models import ModerationState, Notification
from voices.core.notifications import notification_send

from . import stages
from .mentor_selectors import MAX_FUTURE_BOOKINGS
from .models import (
    Action,
    Challenge,
    Mentor,
    OfficeHour,
    Question,
    Registration,
    Team,
    TeamMember,
    TeamMessage,
)
from .rules import may

MESSAGE_MAX = 5000
QUESTION_MAX = 2000
ANSWER_MAX = 5000
# One notification per person and thread (or board) an hour: see `_notify_batched`.
NOTICE_INTERVAL = datetime.timedelta(hours=1)
LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]
LANGUAGE_CODES = frozenset(LANGUAGE_ORDER)


def _check(actor, perm: str, obj) -> None:
    if not (actor and actor.is_authenticated and may(actor, perm, obj)):
        raise PermissionDenied


def _when(moment: datetime.datetime) -> str:
    """A moment in the viewer's time zone and language, for a sentence."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _plain_text(text: str, *, limit: int, empty: str, too_long: str) -> str:
    """Participant text as typed: trimmed, line breaks kept (as \\n), within `limit`."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if not text:
        raise ValidationError(empty, code="empty")
    if len(text) > limit:
        raise ValidationError(too_long % {"limit": limit}, code="too_long")
    return text


def _clean_languages(codes) -> list[str]:
    """The site's languages among `codes`, in the site's order (as every list shows them)."""
    chosen = set(codes or [])
    return [code for code in LANGUAGE_ORDER if code in chosen]


# Mentors


def _find_person(identifier: str) -> User:
    """The active account with this username, or the only one with this e-mail address."""
    identifier = (identifier or "").strip()
    if not identifier:
        raise ValidationError(_("Give a username or an e-mail address."), code="unknown_person")
    person = User.objects.filter(username=identifier, is_active=True).first()
    if person is not None:
        return person
    if "@" in identifier:
        matches = list(User.objects.filter(email__iexact=identifier, is_active=True)[:2])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValidationError(
                _("Several accounts use this e-mail address. Give the username instead."),
                code="ambiguous_person",
            )
    raise ValidationError(
        _("No account has this username or e-mail address. Ask the person to sign up first."),
        code="unknown_person",
    )


@transaction.atomic
def mentor_add(*, actor: User, challenge: Challenge, identifier: str, areas: str) -> Mentor:
    """Make someone a mentor of the challenge (by username or e-mail) and tell them."""
    _check(actor, "inquirylab.manage_mentors", challenge)
    person = _find_person(identifier)
    existing = Mentor.objects.filter(challenge=challenge, user=person).first()
    if existing is not None:
        if existing.is_active:
            message = _("This person is already a mentor of this challenge.")
        else:
            message = _("This person was a mentor of this challenge. Reactivate them in the list.")
        raise ValidationError(message, code="already_mentor")
    # A mentor sees every team's private thread, so nobody taking part can be one.
    active = (Registration.Status.PENDING, Registration.Status.CONFIRMED)
    if challenge.registrations.filter(user=person, status__in=active).exists():
        raise ValidationError(
            _("This person takes part in the challenge, so they cannot be one of its mentors."),
            code="participant",
        )
    mentor = Mentor(
        challenge=challenge,
        user=person,
        areas=(areas or "").strip(),
        languages=_clean_languages(person.language_list()),
    )
    mentor.full_clean()
    mentor.save()
    audit_record(actor=actor, action="create", obj=mentor, after=snapshot(mentor))
    notification_send(
        recipient=person,
        kind="lab_mentor_added",
        template="inquirylab/mentor_added",
        context={"challenge": challenge},
        url=reverse("inquirylab:mentor_profile", kwargs={"slug": challenge.slug}),
    )
    return mentor


@transaction.atomic
def mentor_set_active(*, actor: User, mentor: Mentor, is_active: bool) -> Mentor:
    """Deactivate a mentor (hidden from the list, no more threads or bookings) or reactivate."""
    _check(actor, "inquirylab.change_mentor", mentor)
    mentor = Mentor.objects.select_for_update(of=("self",)).get(pk=mentor.pk)
    if mentor.is_active == is_active:
        return mentor
    before = snapshot(mentor)
    mentor.is_active = is_active
    mentor.save(update_fields=["is_active"])
    audit_record(actor=actor, action="update", obj=mentor, before=before, after=snapshot(mentor))
    return mentor


@transaction.atomic
def mentor_profile_update(
    *, actor: User, mentor: Mentor, areas: str, languages: list[str], organisation=None,
    bio: str = "",
) -> Mentor:  # fmt: skip
    """Let a mentor describe themselves: areas, languages, organisation and a short bio."""
    _check(actor, "inquirylab.change_mentor_profile", mentor)
    mentor = Mentor.objects.select_for_update(of=("self",)).get(pk=mentor.pk)
    languages = _clean_languages(languages)
    if not languages:
        raise ValidationError(_("Choose at least one language you can help in."), code="languages")
    mentor.areas = (areas or "").strip()
    mentor.languages = languages
    mentor.organisation = organisation
    mentor.bio = (bio or "").replace("\r\n", "\n").strip()
    mentor.full_clean()
    mentor.save()
    return mentor


# Office hours


def _active_mentor(actor: User, challenge: Challenge) -> Mentor:
    _check(actor, "inquirylab.publish_office_hours", challenge)
    # The mentor row is locked, so two forms sent at once cannot both add overlapping slots.
    return Mentor.objects.select_for_update(of=("self",)).get(
        challenge=challenge, user=actor, is_active=True
    )


@transaction.atomic
def office_hour_create(
    *, actor: User, challenge: Challenge, starts_at: datetime.datetime, minutes: int,
    where: str = "",
) -> OfficeHour:  # fmt: skip
    """Publish a slot a team can book; it must start in the future and end by the deadline."""
    mentor = _active_mentor(actor, challenge)
    stages.require(challenge, Action.GET_HELP)
    now = timezone.now()
    if starts_at <= now:
        raise ValidationError(_("An office hour must start in the future."), code="past")
    ends_at = starts_at + datetime.timedelta(minutes=minutes or 0)
    if ends_at > challenge.deadline_at:
        raise ValidationError(
            _("An office hour must end by the submission deadline, %(deadline)s.")
            % {"deadline": _when(challenge.deadline_at)},
            code="after_deadline",
        )
    # A slot lasts at most 180 minutes, so only those starting in that window can overlap.
    nearby = OfficeHour.objects.filter(
        mentor=mentor,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - datetime.timedelta(minutes=180),
    )
    for other in nearby:
        if other.starts_at + datetime.timedelta(minutes=other.minutes) > starts_at:
            raise ValidationError(
                _("This overlaps your office hour at %(time)s.") % {"time": _when(other.starts_at)},
                code="overlap",
            )
    slot = OfficeHour(mentor=mentor, starts_at=starts_at, minutes=minutes, where=where.strip())
    slot.full_clean()
    slot.save()
    return slot


def _team_users(team: Team) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=TeamMember.objects.filter(team=team).values("user"), is_active=True
        )
    )


@transaction.atomic
def office_hour_delete(*, actor: User, slot: OfficeHour, note: str = "") -> None:
    """Remove one's own slot; a booked one is cancelled and the team is told (with `note`)."""
    _check(actor, "inquirylab.change_office_hour", slot)
    slot = (
        OfficeHour.objects.select_for_update(of=("self",))
        .select_related("mentor__challenge")
        .get(pk=slot.pk)
    )
    now = timezone.now()
    if slot.team_id is not None and slot.starts_at <= now:
        raise ValidationError(
            _("This office hour has already started, so it stays in the team's history."),
            code="started",
        )
    team = slot.team
    context = {
        "challenge": slot.mentor.challenge,
        "mentor": slot.mentor.user,
        "starts_at": slot.starts_at,
        "note": (note or "").strip()[:500],
    }
    slot.delete()
    if team is not None:
        for person in _team_users(team):
            notification_send(
                recipient=person,
                kind="lab_office_hour_cancelled",
                template="inquirylab/office_hour_cancelled",
                context=context,
                url=reverse("inquirylab:mentors", kwargs={"slug": context["challenge"].slug}),
            )


@transaction.atomic
def office_hour_book(*, actor: User, slot: OfficeHour, topic: str) -> OfficeHour:
    """Book a free slot for the actor's team; of two teams at once, exactly one gets it."""
    challenge = slot.mentor.challenge
    _check(actor, "inquirylab.book_office_hour", challenge)
    stages.require(challenge, Action.GET_HELP)
    topic = _plain_text(
        topic, limit=300,
        empty=_("Say what your team wants to talk about, so that the mentor can prepare."),
        too_long=_("Please keep the topic within %(limit)d characters."),
    )  # fmt: skip
    now = timezone.now()
    # The team row is locked, so two members booking at once cannot pass the limit together.
    team = Team.objects.select_for_update(of=("self",)).get(
        challenge=challenge, members__user=actor
    )
    slot = OfficeHour.objects.select_related("mentor__user").get(pk=slot.pk)
    if not slot.mentor.is_active:
        raise ValidationError(_("This mentor is not taking bookings now."), code="inactive")
    if slot.starts_at <= now:
        raise ValidationError(_("This office hour has already started."), code="past")
    if slot.team_id == team.pk:
        raise ValidationError(_("Your team has already booked this office hour."), code="booked")
    if OfficeHour.objects.filter(team=team, starts_at__gt=now).count() >= MAX_FUTURE_BOOKINGS:
        raise ValidationError(
            _("Your team already has %(limit)d office hours booked. Cancel one, or wait until "
              "one has taken place, to book another.") % {"limit": MAX_FUTURE_BOOKINGS},
            code="booking_limit",
        )  # fmt: skip
    # The booking is one conditional UPDATE: of two teams booking at once, the database lets
    # exactly one change the row while it is still free.
    booked = OfficeHour.objects.filter(pk=slot.pk, team__isnull=True, starts_at__gt=now).update(
        team=team, booked_by=actor, booked_at=now, topic=topic
    )
    if not booked:
        raise ValidationError(
            _("Another team has just booked this office hour. Please choose another one."),
            code="taken",
        )
    slot.refresh_from_db()
    notification_send(
        recipient=slot.mentor.user,
        kind="lab_office_hour_booked",
        template="inquirylab/office_hour_booked",
        context={"challenge": challenge, "team": team, "slot": slot},
        url=reverse("inquirylab:office_hours", kwargs={"slug": challenge.slug}),
    )
    return slot


@transaction.atomic
def office_hour_booking_cancel(*, actor: User, slot: OfficeHour) -> OfficeHour:
    """Give a booked slot back (a member of the booking team, until it starts); tell the mentor."""
    # Read again: the booking may have changed since the caller read the slot.
    slot = OfficeHour.objects.select_related("team", "mentor__user", "mentor__challenge").get(
        pk=slot.pk
    )
    _check(actor, "inquirylab.cancel_office_hour_booking", slot)
    now = timezone.now()
    team = slot.team
    if slot.starts_at <= now:
        raise ValidationError(
            _("This office hour has already started, so it can no longer be cancelled."),
            code="started",
        )
    freed = OfficeHour.objects.filter(pk=slot.pk, team=team, starts_at__gt=now).update(
        team=None, booked_by=None, booked_at=None, topic=""
    )
    if not freed:
        raise ValidationError(
            _("Your team has no booking for this office hour."), code="not_booked"
        )
    slot.refresh_from_db()
    challenge = slot.mentor.challenge
    notification_send(
        recipient=slot.mentor.user,
        kind="lab_office_hour_freed",
        template="inquirylab/office_hour_freed",
        context={"challenge": challenge, "team": team, "slot": slot},
        url=reverse("inquirylab:office_hours", kwargs={"slug": challenge.slug}),
    )
    return slot


# Batched notices


def _notify_batched(
    *, people: list[User], kind: str, template: str, context: dict, url: str
) -> int:
    """Tell each person, unless they were told about the same thread (or board) in the last hour.

    A lively thread would otherwise send an e-mail for every message. The notice says there is
    something new and links to the page, where all the new messages are; one an hour is enough
    to bring a person back, and the page shows them the rest.
    """
    if not people:
        return 0
    recent = set(
        Notification.objects.filter(
            recipient__in=people,
            kind=kind,
            url=url,
            created_at__gte=timezone.now() - NOTICE_INTERVAL,
        ).values_list("recipient_id", flat=True)
    )
    told = 0
    for person in people:
        if person.pk in recent:
            continue
        notification_send(recipient=person, kind=kind, template=template, context=context, url=url)
        told += 1
    return told


# Team threads


@transaction.atomic
def message_post(*, actor: User, team: Team, body: str) -> TeamMessage:
    """Write in a team's private thread (its members and the active mentors); tell the others."""
    _check(actor, "inquirylab.post_team_message", team)
    challenge = team.challenge
    stages.require(challenge, Action.GET_HELP)
    body = _plain_text(
        body, limit=MESSAGE_MAX, empty=_("Write a message first."),
        too_long=_("Please keep your message within %(limit)d characters."),
    )  # fmt: skip
    message = TeamMessage(team=team, author=actor, body=body)
    message.full_clean()
    message.save()
    mentor_users = Mentor.objects.filter(challenge=challenge, is_active=True).values("user")
    people = User.objects.filter(
        Q(pk__in=TeamMember.objects.filter(team=team).values("user")) | Q(pk__in=mentor_users),
        is_active=True,
    ).exclude(pk=actor.pk)
    _notify_batched(
        people=list(people),
        kind="lab_thread",
        template="inquirylab/thread_message",
        context={"challenge": challenge, "team": team},
        url=reverse("inquirylab:team_thread", kwargs={"team_id": team.pk}),
    )
    return message


# The Q&A board


@transaction.atomic
def question_ask(*, actor: User, challenge: Challenge, body: str, language: str) -> Question:
    """Put a question on the challenge's public board, in the language it was written in."""
    _check(actor, "inquirylab.ask_question", challenge)
    stages.require(challenge, Action.GET_HELP)
    body = _plain_text(
        body, limit=QUESTION_MAX, empty=_("Write your question first."),
        too_long=_("Please keep your question within %(limit)d characters."),
    )  # fmt: skip
    language = language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE
    question = Question(challenge=challenge, author=actor, body=body, language=language)
    question.full_clean()
    question.save()
    mentor_users = Mentor.objects.filter(challenge=challenge, is_active=True).values("user")
    _notify_batched(
        people=list(User.objects.filter(pk__in=mentor_users, is_active=True).exclude(pk=actor.pk)),
        kind="lab_question",
        template="inquirylab/question_asked",
        context={"challenge": challenge},
        url=reverse("inquirylab:questions", kwargs={"slug": challenge.slug}),
    )
    return question


@transaction.atomic
def question_answer(*, actor: User, question: Question, answer: str) -> Question:
    """Answer a question on the board, or correct the answer; the asker is told the first time."""
    challenge = question.challenge
    _check(actor, "inquirylab.answer_question", challenge)
    stages.require(challenge, Action.GET_HELP)
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("author")
        .get(pk=question.pk)
    )
    if question.moderation_state != ModerationState.VISIBLE:
        raise ValidationError(
            _("This question is hidden. Show it again before answering it."), code="hidden"
        )
    answer = _plain_text(
        answer, limit=ANSWER_MAX, empty=_("Write an answer first."),
        too_long=_("Please keep the answer within %(limit)d characters."),
    )  # fmt: skip
    is_first = not question.answer
    before = snapshot(question)
    question.answer = answer
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.full_clean()
    question.save()
    audit_record(
        actor=actor, action="update", obj=question, before=before, after=snapshot(question)
    )
    author = question.author
    if is_first and author is not None and author.is_active and author.pk != actor.pk:
        notification_send(
            recipient=author,
            kind="lab_question_answered",
            template="inquirylab/question_answered",
            context={"challenge": challenge, "question": question},
            url=reverse("inquirylab:questions", kwargs={"slug": challenge.slug})
            + f"#question-{question.pk}",
        )
    return question


@transaction.atomic
def question_set_hidden(*, actor: User, question: Question, hidden: bool) -> Question:
    """Hide a question from the board, or show it again (the undo)."""
    _check(actor, "inquirylab.hide_question", question.challenge)
    question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
    state = ModerationState.HIDDEN if hidden else ModerationState.VISIBLE
    if question.moderation_state == state:
        return question
    before = {"moderation_state": question.moderation_state}
    question.moderation_state = state
    question.save(update_fields=["moderation_state"])
    audit_record(
        actor=actor, action="update", obj=question, before=before,
        after={"moderation_state": state},
    )  # fmt: skip
    return question
