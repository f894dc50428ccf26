"""Pages of the Inquiry Lab's experts: mentors, office hours, team threads and the Q&A board."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.core.names import public_name
from voices.core.permissions import staff_page

from . import challenge_selectors, stages, team_selectors
from . import mentor_selectors as selectors
from . import mentor_services as services
from .mentor_forms import (
    AnswerForm,
    BookingForm,
    MentorAddForm,
    MentorProfileForm,
    MessageForm,
    OfficeHourCancelForm,
    OfficeHourForm,
    QuestionForm,
)
from .models import Action, Challenge
from .rules import may

PAGE_SIZE = 50


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return _("Please check what you entered.")


def _require(user, perm: str, obj) -> None:
    if not may(user, perm, obj):
        raise PermissionDenied


def _help_state(challenge: Challenge) -> dict:
    """Whether help is open now, and if not, why (said on every page that offers it)."""
    refusal = stages.refusal(challenge, Action.GET_HELP)
    return {"help_open": not refusal, "help_refusal": refusal}


def _mentors_url(challenge: Challenge) -> str:
    return reverse("inquirylab:mentors", kwargs={"slug": challenge.slug})


# Mentors


def mentors(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    user = request.user
    now = timezone.now()
    page = Paginator(selectors.mentors_public(challenge, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_manage = may(user, "inquirylab.manage_mentors", challenge)
    my_mentor = selectors.mentor_of(challenge, user=user)
    team = team_selectors.team_of(challenge, user=user)
    bookings = []
    if team is not None:
        for slot in selectors.team_bookings(team, now=now):
            if slot.starts_at + datetime.timedelta(minutes=slot.minutes) > now:
                slot.has_started = slot.starts_at <= now
                bookings.append(slot)
    sees_threads = can_manage or (my_mentor is not None and my_mentor.is_active)
    context = {
        "challenge": challenge,
        "page": page,
        "can_manage": can_manage,
        "inactive": selectors.mentors_inactive(challenge) if can_manage else [],
        "my_mentor": my_mentor,
        "team": team,
        "bookings": bookings,
        "max_bookings": selectors.MAX_FUTURE_BOOKINGS,
        "can_book": team is not None and may(user, "inquirylab.book_office_hour", challenge),
        "booking_form": BookingForm(),
        "threads": selectors.teams_with_threads(challenge) if sees_threads else [],
        "sees_threads": sees_threads,
        **_help_state(challenge),
    }
    return render(request, "inquirylab/mentor_list.html", context)


@staff_page
def mentor_add(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    _require(request.user, "inquirylab.manage_mentors", challenge)
    form = MentorAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mentor = services.mentor_add(
                actor=request.user, challenge=challenge, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is a mentor now and has been told.")
                % {"name": public_name(mentor.user)},
            )
            return redirect(_mentors_url(challenge))
    return render(request, "inquirylab/mentor_add.html", {"challenge": challenge, "form": form})


@require_POST
@staff_page
def mentor_toggle(request: HttpRequest, mentor_id: int) -> HttpResponse:
    mentor = selectors.mentor_get(mentor_id)
    challenge = mentor.challenge
    if not may(request.user, "inquirylab.view_challenge", challenge):
        raise Http404
    is_active = request.POST.get("active") == "1"
    services.mentor_set_active(actor=request.user, mentor=mentor, is_active=is_active)
    name = public_name(mentor.user)
    if is_active:
        messages.success(request, _("%(name)s is shown as a mentor again.") % {"name": name})
    else:
        messages.success(
            request,
            _("%(name)s is no longer shown as a mentor and no longer reads the team threads. "
              "Office hours already booked stay as they are.") % {"name": name},
        )  # fmt: skip
    return redirect(_mentors_url(challenge))


@login_required
def mentor_profile(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    mentor = selectors.mentor_of(challenge, user=request.user)
    if mentor is None:
        raise Http404
    initial = {
        "areas": mentor.areas, "languages": mentor.languages,
        "organisation": mentor.organisation_id, "bio": mentor.bio,
    }  # fmt: skip
    form = MentorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_profile_update(actor=request.user, mentor=mentor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your mentor profile is saved."))
            return redirect(_mentors_url(challenge))
    context = {"challenge": challenge, "mentor": mentor, "form": form}
    return render(request, "inquirylab/mentor_profile.html", context)


# Office hours


@login_required
def office_hours(request: HttpRequest, slug: str) -> HttpResponse:
    """A mentor's own slots, and the form to add one."""
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    mentor = selectors.mentor_of(challenge, user=request.user)
    if mentor is None:
        raise Http404
    form = OfficeHourForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.office_hour_create(
                    actor=request.user, challenge=challenge, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The office hour is published. Teams can book it."))
                return redirect("inquirylab:office_hours", slug=challenge.slug)
    now = timezone.now()
    slots = list(selectors.office_hours_of(mentor))
    context = {
        "challenge": challenge,
        "mentor": mentor,
        "form": form,
        "cancel_form": OfficeHourCancelForm(),
        "upcoming": [s for s in slots if s.starts_at > now],
        "past": [s for s in slots if s.starts_at <= now][::-1][:PAGE_SIZE],
        **_help_state(challenge),
    }
    return render(request, "inquirylab/office_hour_list.html", context)


@require_POST
@login_required
def office_hour_delete(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.slot_get(slot_id)
    challenge = slot.mentor.challenge
    if not may(request.user, "inquirylab.change_office_hour", slot):
        raise Http404
    form = OfficeHourCancelForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    was_booked = slot.team_id is not None
    try:
        services.office_hour_delete(actor=request.user, slot=slot, note=note)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if was_booked:
            messages.success(request, _("The office hour is cancelled. The team has been told."))
        else:
            messages.success(request, _("The office hour is removed."))
    return redirect("inquirylab:office_hours", slug=challenge.slug)


@require_POST
@login_required
def office_hour_book(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.slot_get(slot_id)
    challenge = slot.mentor.challenge
    if not may(request.user, "inquirylab.view_mentors", challenge):
        raise Http404
    form = BookingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(f"{_mentors_url(challenge)}#slot-{slot.pk}")
    try:
        services.office_hour_book(actor=request.user, slot=slot, topic=form.cleaned_data["topic"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(f"{_mentors_url(challenge)}#slot-{slot.pk}")
    messages.success(
        request, _("The office hour is booked for your team. The mentor has been told.")
    )
    return redirect(f"{_mentors_url(challenge)}#bookings")


@require_POST
@login_required
def office_hour_cancel(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = selectors.slot_get(slot_id)
    challenge = slot.mentor.challenge
    if not may(request.user, "inquirylab.cancel_office_hour_booking", slot):
        raise Http404
    try:
        services.office_hour_booking_cancel(actor=request.user, slot=slot)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your booking is cancelled. The mentor has been told."))
    return redirect(f"{_mentors_url(challenge)}#bookings")


# Team threads


def _thread_page(request: HttpRequest, team, form: MessageForm | None = None) -> HttpResponse:
    challenge = team.challenge
    user = request.user
    paginator = Paginator(selectors.team_messages(team), PAGE_SIZE)
    # The newest messages are at the bottom of the last page, which opens first.
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    help_state = _help_state(challenge)
    can_post = may(user, "inquirylab.post_team_message", team)
    context = {
        "challenge": challenge,
        "team": team,
        "page": page,
        "mentor_ids": selectors.mentor_ids(challenge),
        "can_post": can_post and help_state["help_open"],
        "is_reader_only": not can_post,
        "form": form or MessageForm(),
        **help_state,
    }
    return render(request, "inquirylab/thread_detail.html", context)


@login_required
def team_thread(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_thread_get(team_id, user=request.user)
    return _thread_page(request, team)


@require_POST
@login_required
def thread_post(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_thread_get(team_id, user=request.user)
    if not may(request.user, "inquirylab.post_team_message", team):
        raise PermissionDenied
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message = services.message_post(
                actor=request.user, team=team, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your message is sent."))
            url = reverse("inquirylab:team_thread", kwargs={"team_id": team.pk})
            return redirect(f"{url}#message-{message.pk}")
    return _thread_page(request, team, form)


# The Q&A board


def _questions_page(
    request: HttpRequest, challenge: Challenge, form: QuestionForm | None = None
) -> HttpResponse:
    user = request.user
    can_answer = may(user, "inquirylab.answer_question", challenge)
    can_moderate = may(user, "inquirylab.hide_question", challenge)
    qs = selectors.question_list(
        challenge, user=user, unanswered_first=can_answer, show_hidden=can_moderate
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    help_state = _help_state(challenge)
    context = {
        "challenge": challenge,
        "page": page,
        "can_answer": can_answer and help_state["help_open"],
        "can_moderate": can_moderate,
        "can_ask": may(user, "inquirylab.ask_question", challenge) and help_state["help_open"],
        "form": form or QuestionForm(),
        **help_state,
    }
    return render(request, "inquirylab/question_list.html", context)


def questions(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    return _questions_page(request, challenge)


@require_POST
@login_required
def question_ask(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question = services.question_ask(
                actor=request.user, challenge=challenge, body=form.cleaned_data["body"],
                # The question keeps the language of the page it was written on.
                language=translation.get_language(),
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Thank you. Your question is on the board; the mentors will answer it.")
            )
            url = reverse("inquirylab:questions", kwargs={"slug": challenge.slug})
            return redirect(f"{url}#question-{question.pk}")
    return _questions_page(request, challenge, form)


@staff_page
def question_answer(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.question_get(question_id, user=request.user)
    challenge = question.challenge
    _require(request.user, "inquirylab.answer_question", challenge)
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_answer(
                actor=request.user, question=question, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The answer is published."))
            url = reverse("inquirylab:questions", kwargs={"slug": challenge.slug})
            return redirect(f"{url}#question-{question.pk}")
    context = {"challenge": challenge, "question": question, "form": form,
               **_help_state(challenge)}  # fmt: skip
    return render(request, "inquirylab/question_answer.html", context)


@require_POST
@staff_page
def question_hide(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.question_get(question_id, user=request.user)
    challenge = question.challenge
    _require(request.user, "inquirylab.hide_question", challenge)
    hidden = request.POST.get("hidden") != "0"
    services.question_set_hidden(actor=request.user, question=question, hidden=hidden)
    if hidden:
        messages.success(
            request, _("The question is hidden from the board. You can show it again below.")
        )
    else:
        messages.success(request, _("The question is on the board again."))
    url = reverse("inquirylab:questions", kwargs={"slug": challenge.slug})
    return redirect(f"{url}#question-{question.pk}")
