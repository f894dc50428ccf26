"""Pages of the Inquiry Lab's judging set-up, results, people's choice and certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from voices.core.pdf import PdfUnavailable, render_pdf
from voices.core.permissions import check_perm, staff_page

from . import challenge_selectors, stages, team_selectors
from . import judging as lab_judging
from . import result_selectors as selectors
from . import result_services as services
from .models import Action, Brief, Challenge, Stage
from .result_forms import JudgeAddForm, JudgingStartForm, ResultsPublishForm
from .rules import may

PAGE_SIZE = 50


def _managed(request: HttpRequest, slug: str) -> Challenge:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.run_judging", challenge)
    return challenge


def _back_to_judging(challenge: Challenge) -> HttpResponse:
    return redirect("inquirylab:judging", slug=challenge.slug)


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# Judging set-up (those who run the challenge)


def _judging_page(request: HttpRequest, challenge: Challenge, **forms) -> HttpResponse:
    overview = selectors.judging_overview(challenge)
    now = timezone.now()
    stage = challenge.stage_at(now)
    briefs = overview["briefs"]
    context = {
        "challenge": challenge,
        **overview,
        "stage": Stage(stage),
        "rubric": [
            (title, weight, len(levels)) for title, _d, weight, levels in lab_judging.RUBRIC
        ],
        "judging_refusal": stages.refusal(challenge, Action.JUDGE, at=now),
        "can_publish": stage == Stage.RESULTS,
        "start_form": forms.get("start_form") or JudgingStartForm(),
        "judge_form": forms.get("judge_form") or JudgeAddForm(),
        "publish_form": forms.get("publish_form")
        or ResultsPublishForm(briefs=briefs, results=overview["results"]),
    }
    return render(request, "inquirylab/judging_page.html", context)


@staff_page
def judging(request: HttpRequest, slug: str) -> HttpResponse:
    return _judging_page(request, _managed(request, slug))


@require_POST
@staff_page
def judging_start(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _managed(request, slug)
    form = JudgingStartForm(request.POST)
    if not form.is_valid():
        return _judging_page(request, challenge, start_form=form)
    try:
        services.judging_start(actor=request.user, challenge=challenge, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The judging is set up. Now add the judges."))
    return _back_to_judging(challenge)


@require_POST
@staff_page
def judging_judge_add(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _managed(request, slug)
    form = JudgeAddForm(request.POST)
    if form.is_valid():
        try:
            reviewer = services.judge_add(
                actor=request.user, challenge=challenge, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is a judge of this challenge.") % {"name": reviewer.user.display_name},
            )
            return _back_to_judging(challenge)
    return _judging_page(request, challenge, judge_form=form)


@require_POST
@staff_page
def judging_judge_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    challenge = _managed(request, slug)
    user = get_object_or_404(get_user_model(), pk=user_id)
    try:
        services.judge_remove(actor=request.user, challenge=challenge, user=user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The judge was removed."))
    return _back_to_judging(challenge)


@require_POST
@staff_page
def judging_items(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _managed(request, slug)
    try:
        items = services.judging_items_prepare(actor=request.user, challenge=challenge)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d brief is ready for judging.",
                "%(count)d briefs are ready for judging.",
                len(items),
            )
            % {"count": len(items)},
        )
    return _back_to_judging(challenge)


@require_POST
@staff_page
def judging_assign(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _managed(request, slug)
    try:
        created = services.judging_reviewers_assign(actor=request.user, challenge=challenge)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d review was assigned. The judges find it on their reviews page.",
                "%(count)d reviews were assigned. The judges find them on their reviews page.",
                created,
            )
            % {"count": created},
        )
    return _back_to_judging(challenge)


# Results


@require_POST
@staff_page
def results_publish(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.publish_results", challenge)
    form = ResultsPublishForm(
        request.POST,
        briefs=selectors.briefs_submitted(challenge),
        results=selectors.results_table(challenge),
    )
    if form.is_valid():
        try:
            services.results_publish(
                actor=request.user,
                challenge=challenge,
                winners=form.cleaned_data["winners"],
                feedback=form.feedback(),
                allow_missing=form.cleaned_data["allow_missing"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The results are published. The teams have been told."))
            return redirect("inquirylab:results", slug=challenge.slug)
    return _judging_page(request, challenge, publish_form=form)


@require_POST
@staff_page
def results_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.publish_results", challenge)
    try:
        services.results_unpublish(actor=request.user, challenge=challenge)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("The results are taken back. Correct them and publish them again.")
        )
    return _back_to_judging(challenge)


def results(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    now = timezone.now()
    is_published = challenge.results_published_at is not None
    context = {
        "challenge": challenge,
        "is_published": is_published,
        "results": list(selectors.results_table(challenge)) if is_published else [],
        "choice": selectors.peoples_choice(challenge, at=now),
        "feedback": selectors.team_feedback(request.user, challenge),
        "can_run": request.user.has_perm("inquirylab.run_judging", challenge),
        "can_get_certificate": may(request.user, "inquirylab.get_certificate", challenge),
    }
    return render(request, "inquirylab/results_page.html", context)


# The people's choice


def vote(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    if request.method == "POST":
        return _vote_post(request, challenge)
    now = timezone.now()
    user = request.user
    page = Paginator(selectors.briefs_submitted(challenge), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    refusal = stages.refusal(challenge, Action.VOTE, at=now)
    if not challenge.has_public_vote:
        refusal = _("This challenge has no people's choice vote.")
    team = team_selectors.team_of(challenge, user)
    context = {
        "challenge": challenge,
        "page": page,
        "refusal": refusal,
        "is_closed": selectors.vote_is_closed(challenge, at=now),
        "is_verified": user.is_authenticated and selectors.has_verified_email(user),
        "my_vote": selectors.vote_of(user, challenge),
        "own_team_id": team.pk if team else None,
    }
    return render(request, "inquirylab/vote_page.html", context)


def _vote_post(request: HttpRequest, challenge: Challenge) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        if "withdraw" in request.POST:
            services.vote_withdraw(user=request.user, challenge=challenge)
            messages.success(request, _("Your vote is taken back."))
        else:
            brief_id = request.POST.get("brief", "")
            if not brief_id.isdigit():
                raise ValidationError(_("Choose a brief."), code="no_brief")
            brief = get_object_or_404(Brief, pk=int(brief_id), challenge=challenge)
            services.vote_cast(user=request.user, challenge=challenge, brief=brief)
            messages.success(
                request,
                _("Thank you. Your vote is counted. You can change it until the vote closes."),
            )
    except ValidationError as exc:
        _error(request, exc)
    return redirect("inquirylab:vote", slug=challenge.slug)


# Certificates


@login_required
def certificate(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.challenge_get_for_user(slug, user=request.user)
    if challenge.results_published_at is None:
        raise Http404
    if not may(request.user, "inquirylab.get_certificate", challenge):
        raise PermissionDenied
    context = selectors.certificate_context(request.user, challenge)
    try:
        pdf = render_pdf("inquirylab/certificate_pdf.html", context, request=request)
    except PdfUnavailable:
        messages.error(request, _("The certificate cannot be made on this server right now."))
        return redirect("inquirylab:results", slug=challenge.slug)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{challenge.slug}.pdf"'
    return response
