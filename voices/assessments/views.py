from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.core.permissions import staff_page
from voices.core.spreadsheets import csv_lines

from . import selectors, services
from .forms import ConflictForm, CriterionForm, ReviewerAddForm, ReviewForm, RoundSettingsForm
from .models import Criterion, Reviewer, Round
from .registry import owner_of

PAGE_SIZE = 50


def _round_url(round: Round):
    return redirect("assessments:round", round_id=round.pk)


def _owner_context(round: Round) -> dict:
    owner = owner_of(round)
    return {"owner_name": str(round.owner), "owner_url": owner.owner_url(round.owner)}


def _refusal(round: Round) -> str:
    """Why the round takes no scores now, in words; "" when it does."""
    if round.status == Round.Status.SETUP:
        return _("Reviewing has not started yet.")
    if round.status == Round.Status.CLOSED:
        return _("This round is closed. Reviews can no longer be changed.")
    return owner_of(round).scoring_refusal(round.owner)


# Reviewers


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.assignments_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "assignment": a,
            "title": selectors.item_title(a.item, a.item.round, blind=a.item.round.is_blind),
        }
        for a in page.object_list
    ]
    context = {
        "page": page,
        "to_do": [r for r in rows if not r["assignment"].is_submitted],
        "done": [r for r in rows if r["assignment"].is_submitted],
    }
    return render(request, "assessments/my_reviews.html", context)


@login_required
def review(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(assignment_id, user=request.user)
    round = assignment.item.round
    criteria = selectors.criteria_of(round.rubric)
    saved = {s.criterion_id: s.value for s in assignment.scores.all()}
    initial = {"comment": assignment.comment} | {f"criterion_{k}": v for k, v in saved.items()}
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    refusal = "" if assignment.is_submitted else _refusal(round)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.review_save(
                user=request.user, assignment=assignment, scores=form.scores(),
                comment=form.cleaned_data["comment"], submit=submit,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if submit:
                messages.success(request, _("Thank you. Your review is submitted."))
                return redirect("assessments:my_reviews")
            messages.success(request, _("Your draft is saved. You can come back to it."))
            return redirect("assessments:review", assignment_id=assignment.pk)
    blind = round.is_blind
    context = {
        "assignment": assignment,
        "round": round,
        "item": assignment.item,
        "target": assignment.item.target,
        "blind": blind,
        "title": selectors.item_title(assignment.item, round, blind=blind),
        "item_template": owner_of(round).item_template,
        "form": form,
        "criteria": criteria,
        "answers": [
            (c, next((lv for lv in c.levels.all() if lv.score == saved.get(c.pk)), None))
            for c in criteria
        ],
        "refusal": refusal,
        "conflict_form": ConflictForm(),
    }
    return render(request, "assessments/review.html", context)


@require_POST
@login_required
def conflict(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(assignment_id, user=request.user)
    form = ConflictForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.conflict_declare(user=request.user, item=assignment.item, note=note)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("assessments:review", assignment_id=assignment.pk)
    messages.success(
        request,
        _("Thank you for telling us. This item is no longer yours to review."),
    )
    return redirect("assessments:my_reviews")


# Running a round


def _round_context(request, round: Round, **forms) -> dict:
    is_setup = round.status == Round.Status.SETUP
    settings_form = forms.get("settings_form") or RoundSettingsForm(
        initial={"reviewers_per_item": round.reviewers_per_item, "is_blind": round.is_blind}
    )
    return {
        "round": round,
        "is_setup": is_setup,
        "criteria": selectors.criteria_of(round.rubric),
        "settings_form": settings_form if is_setup else None,
        "reviewer_form": forms.get("reviewer_form") or ReviewerAddForm(),
        "progress": selectors.progress(round),
        "declared": selectors.declared_conflicts(round),
        **_owner_context(round),
    }


@staff_page
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    return render(request, "assessments/round_detail.html", _round_context(request, round))


@require_POST
@staff_page
def round_settings(request: HttpRequest, round_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    form = RoundSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.round_settings_change(actor=request.user, round=round, **form.cleaned_data)
        except ValidationError as exc:
            # Refused once reviewing started, when the form is no longer on the page.
            messages.error(request, exc.messages[0])
            return _round_url(round)
        else:
            messages.success(request, _("Your changes are saved."))
            return _round_url(round)
    context = _round_context(request, round, settings_form=form)
    return render(request, "assessments/round_detail.html", context, status=400)


@require_POST
@staff_page
def reviewer_add(request: HttpRequest, round_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    form = ReviewerAddForm(request.POST)
    if form.is_valid():
        try:
            services.reviewer_add(
                actor=request.user, round=round, user=form.cleaned_data["username"],
                organisation=form.cleaned_data["organisation"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The reviewer is in the pool."))
            return _round_url(round)
    context = _round_context(request, round, reviewer_form=form)
    return render(request, "assessments/round_detail.html", context, status=400)


@require_POST
@staff_page
def reviewer_remove(request: HttpRequest, round_id: int, reviewer_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    reviewer = get_object_or_404(
        Reviewer.objects.select_related("user"), pk=reviewer_id, round=round
    )
    try:
        services.reviewer_remove(actor=request.user, round=round, user=reviewer.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The reviewer is no longer in the pool."))
    return _round_url(round)


@require_POST
@staff_page
def assign(request: HttpRequest, round_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    try:
        created = services.reviewers_assign(actor=request.user, round=round)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Reviewers are assigned (%(count)d new assignments). Reviewing is open.")
            % {"count": created},
        )
    return _round_url(round)


@require_POST
@staff_page
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    try:
        services.round_close(actor=request.user, round=round)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The round is closed. Reviewers can no longer score."))
    return _round_url(round)


@require_POST
@staff_page
def round_reopen(request: HttpRequest, round_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    try:
        services.round_reopen(actor=request.user, round=round)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The round is open again. Reviewers can score."))
    return _round_url(round)


# The rubric


@staff_page
def rubric(request: HttpRequest, round_id: int) -> HttpResponse:
    """The criteria; while the round is being prepared, add one with the form below them."""
    round = selectors.round_get_for_user(round_id, user=request.user)
    is_editable = round.status == Round.Status.SETUP
    form = CriterionForm(request.POST or None) if is_editable else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.criterion_add(actor=request.user, round=round, spec=form.spec())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The criterion is added."))
            return redirect("assessments:rubric", round_id=round.pk)
    context = {
        "round": round,
        "criteria": selectors.criteria_of(round.rubric),
        "form": form,
        "is_editable": is_editable,
        **_owner_context(round),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/rubric.html", context, status=status)


@staff_page
def criterion_edit(request: HttpRequest, round_id: int, criterion_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    criterion = get_object_or_404(Criterion, pk=criterion_id, rubric=round.rubric)
    if round.status != Round.Status.SETUP:
        messages.error(
            request, _("The criteria cannot change once reviewers have started scoring.")
        )
        return redirect("assessments:rubric", round_id=round.pk)
    form = CriterionForm(request.POST or None, criterion=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_change(
                actor=request.user, round=round, criterion=criterion, spec=form.spec()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("assessments:rubric", round_id=round.pk)
    context = {"round": round, "criterion": criterion, "form": form, **_owner_context(round)}
    return render(request, "assessments/criterion_form.html", context)


@require_POST
@staff_page
def criterion_remove(request: HttpRequest, round_id: int, criterion_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    criterion = get_object_or_404(Criterion, pk=criterion_id, rubric=round.rubric)
    try:
        services.criterion_remove(actor=request.user, round=round, criterion=criterion)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The criterion is removed."))
    return redirect("assessments:rubric", round_id=round.pk)


@require_POST
@staff_page
def criterion_move(request: HttpRequest, round_id: int, criterion_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    criterion = get_object_or_404(Criterion, pk=criterion_id, rubric=round.rubric)
    try:
        services.criterion_move(
            actor=request.user, round=round, criterion=criterion,
            up=request.POST.get("direction") != "down",
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("assessments:rubric", round_id=round.pk)


# Results


def decided_by_label(name: str, top) -> str:
    labels = {
        "raw": _("Higher raw score"),
        "top_criterion": _("Higher score on “%(criterion)s”") % {"criterion": top.title}
        if top
        else "",
        "submitted_at": _("Submitted earlier"),
        "code": _("Code order"),
    }
    return labels.get(name, "")


def _results_rows(round: Round) -> tuple[list, list[Criterion], object]:
    criteria = selectors.criteria_of(round.rubric)
    top = selectors.top_criterion(criteria)
    rows = [
        {
            "result": r,
            "title": selectors.item_title(r.item, round, blind=False),
            "criteria": [r.criteria.get(c.pk) for c in criteria],
            "decided_by": decided_by_label(r.decided_by, top),
        }
        for r in selectors.results(round)
    ]
    return rows, criteria, top


@staff_page
def results(request: HttpRequest, round_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    rows, criteria, top = _results_rows(round)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "round": round, "page": page, "criteria": criteria, "top": top,
        **_owner_context(round),
    }  # fmt: skip
    return render(request, "assessments/results.html", context)


def _rounded(value, digits: int):
    return "" if value is None else round(value, digits)


@staff_page
def results_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    round = selectors.round_get_for_user(round_id, user=request.user)
    rows, criteria, _top = _results_rows(round)
    header = [
        _("Rank"), _("Code"), _("Title"), _("Normalised score"), _("Raw score"), _("Mean z"),
        _("Reviews"), *[str(c.title) for c in criteria], _("Tie decided by"),
    ]  # fmt: skip
    lines = [header] + [
        [
            row["result"].rank,
            row["result"].item.code,
            row["title"],
            _rounded(row["result"].normalised, 2),
            _rounded(row["result"].raw, 2),
            _rounded(row["result"].z, 3),
            row["result"].reviews,
            *[_rounded(v, 2) for v in row["criteria"]],
            row["decided_by"],
        ]  # fmt: skip
        for row in rows
    ]
    response = StreamingHttpResponse(csv_lines(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="review-round-{round.pk}-results.csv"'
    return response
