"""Pages of the Inquiry Lab's challenges: the list, a challenge's page, setting one up,
registering and withdrawing, and the organisers' review of registrations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.core.permissions import check_perm, staff_page

from . import challenge_selectors as selectors
from . import challenge_services as services
from . import eligibility
from .challenge_forms import ChallengeForm, DecisionForm, RegistrationForm
from .models import Registration, Stage

PAGE_SIZE = 20
REVIEW_PAGE_SIZE = 50


def challenge_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.challenge_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for challenge in page.object_list:
        challenge.stage_now = Stage(challenge.stage_at(now))
    context = {
        "page": page,
        "drafts": list(selectors.challenge_drafts_for(request.user)[:50]),
        "can_add": request.user.has_perm("inquirylab.add_challenge"),
    }
    return render(request, "inquirylab/challenge_list.html", context)


def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    state = selectors.viewer_state(challenge, user=request.user)
    is_runner = request.user.has_perm("inquirylab.change_challenge", challenge)
    context = {
        "challenge": challenge,
        "state": state,
        "timeline": challenge.timeline(),
        "is_runner": is_runner,
        "has_registrations": is_runner and challenge.registrations.exists(),
        "countries": eligibility.country_names(challenge.allowed_countries),
        "age_text": eligibility.age_rule_text(challenge),
    }
    return render(request, "inquirylab/challenge_detail.html", context)


@staff_page
def challenge_create(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, "inquirylab.add_challenge")
    form = ChallengeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The challenge is saved as a draft. Publish it when it is ready.")
            )
            return redirect(challenge)
    return render(request, "inquirylab/challenge_form.html", {"form": form})


@staff_page
def challenge_edit(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.change_challenge", challenge)
    initial = {name: getattr(challenge, name) for name in services.CHALLENGE_FIELDS}
    initial["organiser"] = challenge.organiser
    form = ChallengeForm(
        request.POST or None, user=request.user, challenge=challenge, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_update(
                actor=request.user, challenge=challenge, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(challenge)
    context = {"form": form, "challenge": challenge}
    return render(request, "inquirylab/challenge_form.html", context)


@require_POST
@staff_page
def challenge_publish(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.publish_challenge", challenge)
    try:
        if request.POST.get("publish") != "0":
            services.challenge_publish(actor=request.user, challenge=challenge)
            messages.success(request, _("The challenge is published."))
        else:
            services.challenge_unpublish(actor=request.user, challenge=challenge)
            messages.success(request, _("The challenge is a draft again."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(challenge)


# Registering


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.register", challenge)
    state = selectors.viewer_state(challenge, user=request.user)
    registration = state.registration
    if registration is not None and registration.status != Registration.Status.WITHDRAWN:
        if registration.is_active:
            messages.info(request, _("You are already registered for this challenge."))
        else:
            messages.info(
                request,
                _("The organisers did not accept your registration. The reason is shown below."),
            )
        return redirect(challenge)
    form = RegistrationForm(request.POST or None, challenge=challenge, user=request.user)
    if request.method == "POST" and not state.register_refusal and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_create(
                user=request.user, challenge=challenge, birth=data["birth"],
                country=data["country"], consent=data["consent"], languages=data["languages"],
                skills=data["skills"], is_looking_for_team=data["is_looking_for_team"],
                organisation=data["organisation"],
            )  # fmt: skip
        except services.NotEligible as exc:
            if exc.reasons == [eligibility.NEEDS_FULL_DATE]:
                form.ask_full_date()
            else:
                context = {"challenge": challenge, "reasons": exc.messages}
                return render(request, "inquirylab/registration_ineligible.html", context)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Thank you, you are registered. The organisers will confirm your registration."),
            )
            return redirect(challenge)
    context = {"challenge": challenge, "form": form, "state": state}
    return render(request, "inquirylab/registration_form.html", context)


@require_POST
@login_required
def registration_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    registration = selectors.registration_of(challenge, user=request.user)
    if registration is None:
        raise Http404
    try:
        services.registration_withdraw(user=request.user, registration=registration)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("You have withdrawn. You can register again while registration is open."),
        )
    return redirect(challenge)


# The organisers' review


def _status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", "pending")
    return status if status in selectors.REVIEW_FILTERS else "pending"


@staff_page
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.review_registrations", challenge)
    status = _status_filter(request)
    qs = selectors.registrations_for_review(challenge, status=status)
    page = Paginator(qs, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    for registration in page.object_list:
        registration.country_name = eligibility.country_name(registration.country)
    counts = selectors.registration_counts(challenge)
    context = {
        "challenge": challenge,
        "page": page,
        "query": f"status={status}",
        "status": status,
        "filters": [(key, counts.get(key, 0)) for key in selectors.REVIEW_FILTERS],
        "can_decide": challenge.stage_at(timezone.now()) not in (Stage.JUDGING, Stage.RESULTS),
    }
    return render(request, "inquirylab/registration_list.html", context)


@require_POST
@staff_page
def registration_decide(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = selectors.registration_get_for_review(registration_id, user=request.user)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.registration_decide(actor=request.user, registration=registration,
                                         **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The decision is saved and the person is told."))
    else:
        messages.error(request, _("Choose to confirm or to reject."))
    back = reverse("inquirylab:registrations", kwargs={"slug": registration.challenge.slug})
    status = request.POST.get("status", "")
    if status in selectors.REVIEW_FILTERS:
        back = f"{back}?status={status}"
    return redirect(f"{back}#registration-{registration.pk}")
