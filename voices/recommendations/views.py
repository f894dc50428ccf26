import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.core.documents import owner_reference
from voices.core.permissions import check_perm, staff_page
from voices.core.selectors import attachment_list_for
from voices.core.spreadsheets import csv_cell
from voices.councils.selectors import council_get

from . import selectors, services
from .forms import (
    CloseForm,
    EvidenceForm,
    ProgressForm,
    RecommendationCreateForm,
    RecommendationForm,
    ResponseForm,
    ScorecardFilterForm,
    TrackerFilterForm,
    WithdrawForm,
)
from .models import Evidence

PAGE_SIZE = 20


def _tracker_filters(request: HttpRequest) -> tuple[TrackerFilterForm, dict]:
    form = TrackerFilterForm(request.GET or None)
    form.is_valid()
    # A wrong value drops that one filter (the form says why), not all of them.
    data = getattr(form, "cleaned_data", {})
    country = data.get("country")
    filters = {
        "country": country.code.code if country else None,
        "council": data.get("council"),
        "authority": data.get("authority"),
        "domain": data.get("domain"),
        "state": data.get("state") or None,
        "overdue": bool(data.get("overdue")),
    }
    return form, filters


def recommendation_list(request: HttpRequest) -> HttpResponse:
    form, filters = _tracker_filters(request)
    page = Paginator(selectors.recommendation_list(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "recommendations/recommendation_list.html", context)


def recommendation_export(request: HttpRequest) -> HttpResponse:
    """The tracker as open data: one row per recommendation and authority asked."""
    _form, filters = _tracker_filters(request)
    now = timezone.now()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recommendations.csv"'
    writer = csv.writer(response)
    writer.writerow(selectors.EXPORT_COLUMNS)
    for row in selectors.export_rows(selectors.recommendation_list(**filters), now=now):
        writer.writerow([csv_cell(value) for value in row])
    return response


def scorecard_list(request: HttpRequest) -> HttpResponse:
    form = ScorecardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    by = data.get("by") or "authority"
    country = data.get("country")
    cards = selectors.scorecards(by=by, country=country.code.code if country else None)
    return render(
        request,
        "recommendations/scorecard_list.html",
        {"form": form, "cards": cards, "by": by},
    )


def recommendation_detail(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = selectors.recommendation_get(recommendation_id, user=request.user)
    user = request.user
    context = {
        "recommendation": recommendation,
        "tracks": selectors.tracks_for(recommendation, user=user),
        "timeline": selectors.timeline_for(recommendation),
        "evidence": recommendation.evidence.all(),
        "is_following": selectors.is_following(recommendation=recommendation, user=user),
        "can_change": user.has_perm("recommendations.change_recommendation", recommendation),
        "can_follow": user.has_perm("recommendations.follow_recommendation", recommendation),
        "evidence_form": EvidenceForm(),
        "documents": attachment_list_for(recommendation),
        "owner_ref": owner_reference(recommendation),
        "can_add_document": user.has_perm(
            "recommendations.add_recommendation_document", recommendation
        ),
        "can_delete_document": user.has_perm(
            "recommendations.delete_recommendation_document", recommendation
        ),
    }
    return render(request, "recommendations/recommendation_detail.html", context)


def council_recommendations(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_get(slug)
    qs = selectors.recommendation_list_for_council(council=council, user=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "council": council,
        "page": page,
        "can_add": request.user.has_perm("recommendations.add_recommendation", council),
    }
    return render(request, "recommendations/council_recommendations.html", context)


@staff_page
def recommendation_create(request: HttpRequest, slug: str) -> HttpResponse:
    council = council_get(slug)
    check_perm(request.user, "recommendations.add_recommendation", council)
    form = RecommendationCreateForm(
        request.POST or None, council=council, initial={"motion": request.GET.get("motion")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_create(
                actor=request.user, council=council, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The recommendation was saved as a draft."))
            return redirect(recommendation)
    return render(
        request, "recommendations/recommendation_form.html", {"form": form, "council": council}
    )


@staff_page
def recommendation_edit(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = selectors.recommendation_get(recommendation_id, user=request.user)
    check_perm(request.user, "recommendations.change_recommendation", recommendation)
    current = list(recommendation.addressees.values_list("organisation_id", flat=True))
    initial = {
        "title": recommendation.title, "text": recommendation.text,
        "reasons": recommendation.reasons, "domain": recommendation.domain,
        "addressees": current, "due_on_override": recommendation.due_on_override,
    }  # fmt: skip
    form = RecommendationForm(
        request.POST or None, initial=initial, council=recommendation.council, current_ids=current
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(
                actor=request.user, recommendation=recommendation, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The recommendation was saved."))
            return redirect(recommendation)
    context = {"form": form, "council": recommendation.council, "recommendation": recommendation}
    return render(request, "recommendations/recommendation_form.html", context)


def _step(request: HttpRequest, recommendation_id: int, perm: str, service, done: str):
    recommendation = selectors.recommendation_get(recommendation_id, user=request.user)
    check_perm(request.user, perm, recommendation)
    try:
        service(actor=request.user, recommendation=recommendation)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(recommendation)


@require_POST
@staff_page
def recommendation_adopt(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    return _step(
        request, recommendation_id, "recommendations.change_recommendation",
        services.recommendation_adopt, _("The recommendation is marked as adopted."),
    )  # fmt: skip


@require_POST
@staff_page
def recommendation_send(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    return _step(
        request, recommendation_id, "recommendations.send_recommendation",
        services.recommendation_send,
        _("The recommendation was sent. The authorities were told, and the deadline runs."),
    )  # fmt: skip


@staff_page
def recommendation_withdraw(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = selectors.recommendation_get(recommendation_id, user=request.user)
    check_perm(request.user, "recommendations.withdraw_recommendation", recommendation)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_withdraw(
                actor=request.user, recommendation=recommendation, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The recommendation was withdrawn."))
            return redirect(recommendation)
    return render(
        request,
        "recommendations/recommendation_withdraw.html",
        {"form": form, "recommendation": recommendation},
    )


@require_POST
@staff_page
def evidence_add(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = selectors.recommendation_get(recommendation_id, user=request.user)
    check_perm(request.user, "recommendations.change_recommendation", recommendation)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_add(
                actor=request.user, recommendation=recommendation, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("The evidence was added."))
    return redirect(recommendation)


@require_POST
@staff_page
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("recommendation"), pk=evidence_id)
    recommendation = selectors.recommendation_get(evidence.recommendation_id, user=request.user)
    check_perm(request.user, "recommendations.change_recommendation", recommendation)
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The evidence was removed."))
    return redirect(recommendation)


@require_POST
@login_required
def recommendation_follow(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = selectors.recommendation_get(recommendation_id, user=request.user)
    check_perm(request.user, "recommendations.follow_recommendation", recommendation)
    following = request.POST.get("follow") == "1"
    services.follow_set(user=request.user, recommendation=recommendation, following=following)
    if following:
        messages.success(request, _("You follow this recommendation. You will hear of each step."))
    else:
        messages.success(request, _("You no longer follow this recommendation."))
    return redirect(recommendation)


# The authority's side


@staff_page
def inbox(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, "recommendations.view_inbox")
    show_all = request.GET.get("show") == "all"
    qs = selectors.inbox_for(user=request.user, pending_only=not show_all)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "show=all" if show_all else ""
    context = {"page": page, "show_all": show_all, "query": query}
    return render(request, "recommendations/inbox.html", context)


@require_POST
@staff_page
def acknowledge(request: HttpRequest, addressee_id: int) -> HttpResponse:
    addressee = selectors.addressee_get_for_officer(addressee_id, user=request.user)
    try:
        services.addressee_acknowledge(actor=request.user, addressee=addressee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Receipt confirmed. The council can see it."))
    return redirect("recommendations:respond", addressee_id=addressee.pk)


@staff_page
def respond(request: HttpRequest, addressee_id: int) -> HttpResponse:
    """Write the authority's answer: save a draft for review, then publish it."""
    addressee = selectors.addressee_get_for_officer(addressee_id, user=request.user)
    draft = getattr(addressee, "response", None)
    initial = (
        {"outcome": draft.outcome, "reasons": draft.reasons, "language": draft.language}
        if draft
        else {}
    )
    form = ResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        save = services.response_publish if publish else services.response_save_draft
        try:
            save(actor=request.user, addressee=addressee, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if publish:
                messages.success(request, _("Your answer is published. The council was told."))
                return redirect(addressee.recommendation)
            messages.success(request, _("Draft saved. Only your authority's officers can see it."))
            return redirect("recommendations:respond", addressee_id=addressee.pk)
    return _respond_page(request, addressee, form=form)


@require_POST
@staff_page
def progress_add(request: HttpRequest, addressee_id: int) -> HttpResponse:
    addressee = selectors.addressee_get_for_officer(addressee_id, user=request.user)
    form = ProgressForm(request.POST, prefix="progress")
    if form.is_valid():
        try:
            services.progress_report(actor=request.user, addressee=addressee, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The progress update is published."))
            return redirect("recommendations:respond", addressee_id=addressee.pk)
    return _respond_page(request, addressee, status=400, progress_form=form)


@require_POST
@staff_page
def close(request: HttpRequest, addressee_id: int) -> HttpResponse:
    addressee = selectors.addressee_get_for_officer(addressee_id, user=request.user)
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.addressee_close(actor=request.user, addressee=addressee, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The result is published."))
            return redirect(addressee.recommendation)
    return _respond_page(request, addressee, status=400, close_form=form)


def _respond_page(request: HttpRequest, addressee, *, status: int = 200, **forms) -> HttpResponse:
    """The answer page; a form given in `forms` (with its errors) replaces the empty one."""
    context = {
        "addressee": addressee,
        "recommendation": addressee.recommendation,
        "draft": getattr(addressee, "response", None),
        "form": ResponseForm(),
        "progress_form": ProgressForm(prefix="progress"),
        "close_form": CloseForm(prefix="close"),
        **forms,
    }
    return render(request, "recommendations/respond.html", context, status=status)
