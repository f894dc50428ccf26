"""Pages for winning briefs sent to councils: forward, withdraw, the council's list, uptake."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.core.permissions import check_perm, staff_page
from voices.councils.selectors import council_get

from . import forwarding_selectors as selectors
from . import forwarding_services as services
from .forwarding_forms import ForwardForm, MotionDraftForm

PAGE_SIZE = 50


def _refusal(brief) -> str:
    """Why this brief cannot be sent now, in words; "" when it can."""
    if brief.challenge.results_published_at is None:
        return _("The results of this challenge are not published yet.")
    if not selectors.is_winner(brief):
        return _("Only winning briefs can be sent to a council.")
    return ""


@staff_page
def forward(request: HttpRequest, brief_id: int) -> HttpResponse:
    brief = selectors.brief_get_for_forwarding(brief_id)
    challenge = brief.challenge
    check_perm(request.user, "inquirylab.forward_brief", challenge)
    forwardings = selectors.forwardings_of_brief(brief)
    sent_to = {f.council_id for f in forwardings}
    councils = [c for c in selectors.councils_for_forwarding(challenge) if c.pk not in sent_to]
    form = ForwardForm(request.POST or None, councils=councils)
    refusal = _refusal(brief)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            forwarding = services.forwarding_create(
                actor=request.user, brief=brief, council=form.cleaned_data["council"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The brief was sent to %(council)s. Its chair, secretary and facilitators "
                  "are told.") % {"council": forwarding.council.name},
            )  # fmt: skip
            return redirect("inquirylab:forward", brief_id=brief.pk)
    context = {
        "brief": brief, "challenge": challenge, "forwardings": forwardings, "form": form,
        "refusal": refusal, "has_councils": bool(councils),
    }  # fmt: skip
    return render(request, "inquirylab/forwarding_form.html", context)


@require_POST
@staff_page
def forward_withdraw(request: HttpRequest, forwarding_id: int) -> HttpResponse:
    forwarding = selectors.forwarding_get(forwarding_id)
    try:
        services.forwarding_withdraw(actor=request.user, forwarding=forwarding)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("The brief was taken back from %(council)s. The council is told.")
            % {"council": forwarding.council.name},
        )
    return redirect("inquirylab:forward", brief_id=forwarding.brief_id)


@login_required
def council_briefs(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_get(slug)
    check_perm(request.user, "inquirylab.view_council_briefs", council)
    page = Paginator(selectors.council_forwardings(council), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for forwarding in page.object_list:
        forwarding.may_draft = services.may_draft_motion(forwarding)
    context = {
        "council": council,
        "page": page,
        # Whoever may propose motions in the council takes briefs up (councils' rule).
        "can_take_up": request.user.has_perm("councils.propose_motions", council),
    }
    return render(request, "inquirylab/forwarding_council_briefs.html", context)


def _to_council_briefs(forwarding) -> HttpResponse:
    return redirect("inquirylab:council_briefs", slug=forwarding.council.slug)


@require_POST
@login_required
def forwarding_acknowledge(request: HttpRequest, forwarding_id: int) -> HttpResponse:
    forwarding = selectors.forwarding_get(forwarding_id)
    try:
        services.forwarding_acknowledge(actor=request.user, forwarding=forwarding)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The team can now see that the council has their brief."))
    return _to_council_briefs(forwarding)


@login_required
def forwarding_motion(request: HttpRequest, forwarding_id: int) -> HttpResponse:
    forwarding = selectors.forwarding_get(forwarding_id)
    council = forwarding.council
    check_perm(request.user, "inquirylab.draft_motion_from_forwarding", forwarding)
    brief = forwarding.brief
    version = brief.submitted_version
    items = list(selectors.decision_items_for(council))
    initial = {"title": str(brief)[:200]}
    if version is not None:
        summary, language = selectors.summary_for(
            version, languages=selectors.council_languages(council)
        )
        initial.update(text=summary, language=language)
    form = MotionDraftForm(request.POST or None, items=items, initial=initial)
    may_draft = services.may_draft_motion(forwarding)
    if request.method == "POST" and may_draft and form.is_valid():
        try:
            motion = services.forwarding_motion_draft(
                actor=request.user, forwarding=forwarding, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The motion was put on the agenda, with the brief as its evidence.")
            )
            return redirect(motion)
    context = {
        "forwarding": forwarding, "council": council, "brief": brief, "version": version,
        "form": form, "may_draft": may_draft, "has_items": bool(items),
        "meetings_url": reverse("councils:meetings", kwargs={"slug": council.slug}),
    }  # fmt: skip
    return render(request, "inquirylab/forwarding_motion.html", context)


def forwarded(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_forwarded(slug, user=request.user)
    page = Paginator(selectors.challenge_forwardings(challenge), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for forwarding in page.object_list:
        forwarding.follow_url = selectors.forwarding_url(forwarding)
    can_forward = request.user.has_perm("inquirylab.forward_brief", challenge)
    context = {
        "challenge": challenge,
        "page": page,
        "can_forward": can_forward,
        "winners": list(selectors.winners_of(challenge)) if can_forward else [],
        "results_public": selectors.results_are_public(challenge),
    }
    return render(request, "inquirylab/forwarding_list.html", context)
