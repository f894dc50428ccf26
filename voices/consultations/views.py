from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.core import moderation
from voices.core.machine_translation import TranslationUnavailable, machine_translate
from voices.core.pdf import PdfUnavailable, render_pdf
from voices.core.permissions import check_perm, staff_page
from voices.core.spreadsheets import csv_lines

from . import components, eligibility, selectors, services, taking_part
from .forms import (
    AnswerForm,
    BlockForm,
    CiteForm,
    ClosingStatementForm,
    CommentForm,
    ConsultationFilterForm,
    ConsultationForm,
    DecisionForm,
    ProposalEditForm,
    ProposalForm,
    ReportForm,
    SearchForm,
)
from .models import Action, Comment, Consultation, Phase, Proposal
from .taking_part import ANON_COOKIE  # noqa: F401  (its name, for the tests)

PAGE_SIZE = 20
THREADS_PER_PAGE = 20
KINDS = {"proposal": Proposal, "comment": Comment}


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Lists and search


def consultation_list(request: HttpRequest) -> HttpResponse:
    form = ConsultationFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    country, domain = data.get("country"), data.get("domain")
    qs = selectors.consultation_list(
        country=country.code.code if country else "",
        domain=domain.code if domain else "",
        phase=data.get("phase") or "",
        council=request.GET.get("council", "")[:80],
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for consultation in page.object_list:
        consultation.phase_now = Phase(consultation.phase_at(now))
    context = {
        "form": form, "page": page, "query": _page_query(request),
        "drafts": selectors.consultations_run_by(request.user)[:50],
        "can_add": request.user.has_perm("consultations.add_consultation"),
        "search_form": SearchForm(),
    }  # fmt: skip
    return render(request, "consultations/consultation_list.html", context)


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    consultations, proposals = [], []
    if form.is_valid() and form.cleaned_data["q"].strip():
        consultations, proposals = selectors.search(query=form.cleaned_data["q"])
    context = {"form": form, "consultations": consultations, "proposals": proposals}
    return render(request, "consultations/search.html", context)


# Setting up


@staff_page
def consultation_create(request: HttpRequest) -> HttpResponse:
    check_perm(request.user, "consultations.add_consultation")
    form = ConsultationForm(request.POST or None, user=request.user)
    if not form.fields["owner"].choices:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner")
        try:
            consultation = services.consultation_create(actor=request.user, **owner, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The consultation is saved as a draft. Publish it when it is ready.")
            )
            return redirect(consultation)
    return render(request, "consultations/consultation_form.html", {"form": form})


@staff_page
def consultation_edit(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    check_perm(request.user, "consultations.change_consultation", consultation)
    initial = {name: getattr(consultation, name) for name in services.CONSULTATION_FIELDS}
    form = ConsultationForm(
        request.POST or None, user=request.user, consultation=consultation, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                actor=request.user, consultation=consultation, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(consultation)
    context = {"form": form, "consultation": consultation}
    return render(request, "consultations/consultation_form.html", context)


@require_POST
@staff_page
def consultation_publish(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    publish = request.POST.get("publish") != "0"
    try:
        if publish:
            services.consultation_publish(actor=request.user, consultation=consultation)
            messages.success(request, _("The consultation is published."))
        else:
            services.consultation_unpublish(actor=request.user, consultation=consultation)
            messages.success(request, _("The consultation is a draft again."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(consultation)


# The consultation page


def _threads(request, consultation, proposal, *, moderator: bool) -> tuple:
    roots = selectors.comment_threads(
        consultation=consultation, proposal=proposal, user=request.user, moderator=moderator
    )
    page = Paginator(roots, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    threads = selectors.threads_with_replies(
        list(page.object_list), user=request.user, moderator=moderator
    )
    return page, threads


def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    now = timezone.now()
    user = request.user
    is_runner = user.has_perm("consultations.change_consultation", consultation)
    blocks = []
    for component in components.for_consultation(consultation):
        block = component.block(consultation, user=user, context={})
        if block is not None:
            blocks.append((component, block[0], block[1]))
    page, threads = _threads(request, consultation, None, moderator=is_runner)
    phase = Phase(consultation.phase_at(now))
    context = {
        "consultation": consultation,
        "phase": phase,
        "timeline": consultation.timeline(),
        "can_propose": consultation.allows(Action.PROPOSE, at=now),
        "can_comment_now": consultation.allows(Action.COMMENT, at=now),
        "can_support_now": consultation.allows(Action.SUPPORT, at=now),
        "is_runner": is_runner,
        "can_moderate": user.has_perm("consultations.moderate_consultation", consultation),
        "blocks": blocks,
        "page": page,
        "threads": threads,
        "stances": Comment.Stance.choices,
        "pending": selectors.proposals_pending_for(consultation=consultation, user=user),
        "age_text": (eligibility.age_range_text(consultation) if consultation.has_age_rule else ""),
        **taking_part.state(request, consultation, Action.COMMENT),
    }
    return render(request, "consultations/consultation_detail.html", context)


@require_POST
def participation(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={consultation.get_absolute_url()}")
    # Back to the proposal the form was on, or to the consultation.
    back = consultation.get_absolute_url()
    pk = request.POST.get("next_proposal", "")
    if pk.isdecimal() and len(pk) < 18:
        back = reverse("consultations:proposal_detail", kwargs={"proposal_id": int(pk)})
    return taking_part.form_submit(request, consultation, back=back)


# Proposals


def proposal_list(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    order = request.GET.get("order", "new")
    order = order if order in selectors.ORDERS else "new"
    answer = request.GET.get("answer", "")
    query = request.GET.get("q", "").replace("\x00", "")[:200].strip()
    qs = selectors.proposal_list(consultation=consultation, order=order, answer=answer, query=query)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    state = taking_part.state(request, consultation, Action.SUPPORT)
    now = timezone.now()
    context = {
        **state,
        "consultation": consultation, "page": page, "order": order, "answer": answer,
        "q": query, "query": _page_query(request),
        "supported": selectors.supported_ids(
            consultation=consultation, participant=state["participant"]
        ),
        "can_propose": consultation.allows(Action.PROPOSE, at=now),
        "can_support_now": consultation.allows(Action.SUPPORT, at=now),
        "answer_choices": Proposal.Answer.choices,
        "pending": selectors.proposals_pending_for(consultation=consultation, user=request.user),
    }  # fmt: skip
    return render(request, "consultations/proposal_list.html", context)


def proposal_create(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    if not (request.user.is_authenticated or consultation.allows_anonymous):
        return redirect(f"{reverse('account_login')}?next={request.path}")
    form = ProposalForm(request.POST or None, request.FILES or None)
    similar = []
    state = taking_part.state(request, consultation, Action.PROPOSE)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        similar = selectors.proposals_similar(consultation=consultation, title=data["title"])
        if similar and not data["confirmed"]:
            # Show the similar ones first; the same form, confirmed, publishes.
            form = ProposalForm(
                initial={**data, "confirmed": True, "image": None, "attachment": None}
            )
            if data.get("image") or data.get("attachment"):
                messages.info(request, _("Please choose your files again before publishing."))
        else:
            anon_key = taking_part.ensure_anon(request, consultation)
            try:
                proposal = services.proposal_create(
                    user=request.user, anon_key=anon_key, consultation=consultation,
                    title=data["title"], body=data["body"], language=data["language"],
                    image=data.get("image"), attachment=data.get("attachment"),
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if proposal.is_visible:
                    messages.success(request, _("Thank you. Your proposal is published."))
                else:
                    messages.success(
                        request,
                        _("Thank you. A moderator will check your proposal before it is shown."),
                    )
                target = (
                    proposal
                    if request.user.is_authenticated or proposal.is_visible
                    else consultation
                )
                return taking_part.finish(request, redirect(target))
    context = {"consultation": consultation, "form": form, "similar": similar, **state}
    return render(request, "consultations/proposal_form.html", context)


def _proposal_context(request, proposal: Proposal) -> dict:
    consultation = proposal.consultation
    user = request.user
    is_runner = user.has_perm("consultations.change_consultation", consultation)
    page, threads = _threads(request, consultation, proposal, moderator=is_runner)
    state = taking_part.state(request, consultation, Action.COMMENT)
    participant = state["participant"]
    now = timezone.now()
    return {
        "consultation": consultation,
        "proposal": proposal,
        "phase": Phase(consultation.phase_at(now)),
        "page": page,
        "threads": threads,
        "stances": Comment.Stance.choices,
        "is_author": user.is_authenticated and proposal.author_id == user.pk,
        "is_editable": services.proposal_is_editable(proposal, at=now),
        "is_supported": proposal.pk
        in selectors.supported_ids(consultation=consultation, participant=participant),
        "supports_used": selectors.supports_used(participant=participant),
        "can_support_now": consultation.allows(Action.SUPPORT, at=now),
        "can_comment_now": consultation.allows(Action.COMMENT, at=now),
        "can_answer": user.has_perm("consultations.answer_proposals", consultation)
        and consultation.phase_at(now) in (Phase.ANSWERS, Phase.CLOSED),
        "can_moderate": user.has_perm("consultations.moderate_consultation", consultation),
        "can_cite": selectors.may_cite(user),
        "citations": list(selectors.citations_for(proposal)),
        **state,
    }


def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(proposal_id, user=request.user)
    context = _proposal_context(request, proposal)
    return render(request, "consultations/proposal_detail.html", context)


@login_required
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(proposal_id, user=request.user)
    if proposal.author_id != request.user.pk:
        raise PermissionDenied
    form = ProposalEditForm(
        request.POST or None, initial={"title": proposal.title, "body": proposal.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(user=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(proposal)
    context = {"form": form, "proposal": proposal, "consultation": proposal.consultation,
               "is_editable": services.proposal_is_editable(proposal)}  # fmt: skip
    return render(request, "consultations/proposal_edit.html", context)


@require_POST
@login_required
def proposal_withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(proposal_id, user=request.user)
    undo = request.POST.get("undo") == "1"
    try:
        services.proposal_withdraw(user=request.user, proposal=proposal, undo=undo)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if undo:
            messages.success(request, _("Your proposal is back."))
        else:
            messages.success(request, _("Your proposal is withdrawn. You can undo this below."))
    return redirect(proposal)


@require_POST
def proposal_support(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(proposal_id, user=request.user)
    consultation = proposal.consultation
    if not (request.user.is_authenticated or consultation.allows_anonymous):
        return redirect(f"{reverse('account_login')}?next={proposal.get_absolute_url()}")
    anon_key = taking_part.ensure_anon(request, consultation)
    remove = request.POST.get("support") == "0"
    try:
        if remove:
            services.support_remove(user=request.user, anon_key=anon_key, proposal=proposal)
            messages.success(request, _("You no longer support this proposal."))
        else:
            services.support_add(user=request.user, anon_key=anon_key, proposal=proposal)
            messages.success(request, _("Thank you. You support this proposal."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    target = request.POST.get("back") == "list" and reverse(
        "consultations:proposals", kwargs={"consultation_id": consultation.pk}
    )
    return taking_part.finish(request, redirect(target or proposal))


# Comments


@require_POST
def comment_create(
    request: HttpRequest, consultation_id: int, proposal_id: int | None = None
) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    proposal = None
    if proposal_id is not None:
        proposal = selectors.proposal_get_for_user(proposal_id, user=request.user)
        if proposal.consultation_id != consultation.pk:
            raise Http404
    back = proposal or consultation
    if not (request.user.is_authenticated or consultation.allows_anonymous):
        return redirect(f"{reverse('account_login')}?next={back.get_absolute_url()}")
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = Comment.objects.filter(pk=data["parent"], consultation=consultation).first()
            if parent is None:
                raise Http404
        anon_key = taking_part.ensure_anon(request, consultation)
        try:
            comment = services.comment_create(
                user=request.user, anon_key=anon_key, consultation=consultation,
                proposal=proposal, parent=parent, body=data["body"], stance=data["stance"],
                language=data["language"],
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            if comment.is_visible:
                messages.success(request, _("Thank you. Your comment is published."))
            else:
                messages.success(
                    request, _("Thank you. A moderator will check your comment before it is shown.")
                )
            return taking_part.finish(request, redirect(comment.get_absolute_url()))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            message = _("%(field)s: %(error)s") % {"field": label, "error": errors[0]}
            messages.error(request, message if label else errors[0])
    return redirect(back)


@require_POST
@login_required
def comment_remove(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = selectors.comment_get(comment_id)
    try:
        services.comment_remove(user=request.user, comment=comment)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your comment is removed."))
    return redirect(comment.get_absolute_url())


# Reports and moderation


def _content(kind: str, object_id: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.select_related("consultation", "author"), pk=object_id)


def _content_visible_to(user, obj) -> None:
    if not user.has_perm("consultations.view_consultation", obj.consultation):
        raise Http404
    if isinstance(obj, Comment) and obj.proposal_id:
        if not user.has_perm("consultations.view_proposal", obj.proposal):
            raise Http404


@login_required
def report(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    target = _content(kind, object_id)
    _content_visible_to(request.user, target)
    if not target.is_visible or getattr(target, "removed_at", None):
        raise Http404
    check_perm(request.user, "consultations.report_content", target)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report_create(reporter=request.user, target=target, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
        return redirect(target.get_absolute_url())
    context = {"form": form, "target": target, "kind": kind, "consultation": target.consultation}
    return render(request, "consultations/report_form.html", context)


@staff_page
def moderation_queue(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    check_perm(request.user, "consultations.moderate_consultation", consultation)
    # Parts that plug into a consultation (opinion maps) moderate their content in the same
    # scope but on their own pages; this queue's forms act on proposals and comments by id, and
    # the page says what waits on the parts' pages, with a link to each.
    kinds = tuple(KINDS.values())
    entries = moderation.moderation_queue(consultation, kinds=kinds)
    for entry in entries:
        entry.kind = "proposal" if isinstance(entry.target, Proposal) else "comment"
    elsewhere = components.waiting_for_moderators(consultation, user=request.user)
    context = {
        "consultation": consultation,
        "entries": entries,
        "elsewhere": elsewhere,
        "waits_elsewhere": any(waiting.count for _component, waiting in elsewhere),
        "blocks": moderation.blocks_active(consultation),
        "decisions": moderation.decisions_for(consultation)[:50],
        "decision_form": DecisionForm(),
        "block_form": BlockForm(),
    }
    return render(request, "consultations/moderation_queue.html", context)


@require_POST
@staff_page
def moderation_decide(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    target = _content(kind, object_id)
    consultation = target.consultation
    check_perm(request.user, "consultations.moderate_consultation", consultation)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            moderation.moderation_decide(
                actor=request.user, target=target, action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"], url=target.get_absolute_url(),
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Done. The author has been told."))
    else:
        messages.error(request, _("Choose what to do with this contribution."))
    return redirect("consultations:moderation", consultation_id=consultation.pk)


@require_POST
@staff_page
def moderation_block(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """Block the author of a contribution (moderators never see account ids)."""
    target = _content(kind, object_id)
    consultation = target.consultation
    check_perm(request.user, "consultations.moderate_consultation", consultation)
    form = BlockForm(request.POST)
    if target.author is None:
        messages.error(request, _("This contribution has no account behind it to block."))
    elif form.is_valid():
        try:
            moderation.user_block(
                actor=request.user, scope=consultation, model=type(target), user=target.author,
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request, _("The person is blocked from this consultation and has been told.")
            )
    else:
        messages.error(request, _("Say why the person is blocked: they will be told."))
    return redirect("consultations:moderation", consultation_id=consultation.pk)


@require_POST
@staff_page
def moderation_unblock(request: HttpRequest, consultation_id: int, block_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    check_perm(request.user, "consultations.moderate_consultation", consultation)
    block = get_object_or_404(moderation.blocks_active(consultation), pk=block_id)
    try:
        moderation.user_unblock(actor=request.user, block=block, model=Proposal)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The block is lifted."))
    return redirect("consultations:moderation", consultation_id=consultation.pk)


# Answers and results


@staff_page
def proposal_answer(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(proposal_id, user=request.user)
    consultation = proposal.consultation
    check_perm(request.user, "consultations.answer_proposals", consultation)
    initial = {"answer": proposal.answer, "text": proposal.answer_text,
               "merged_into": proposal.merged_into_id}  # fmt: skip
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        merged_into = None
        if data["merged_into"]:
            merged_into = Proposal.objects.filter(
                pk=data["merged_into"], consultation=consultation
            ).first()
        try:
            services.proposal_answer(
                actor=request.user, proposal=proposal, answer=data["answer"], text=data["text"],
                merged_into=merged_into,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The answer is published. The author and supporters are told.")
            )
            return redirect(proposal)
    context = {"form": form, "proposal": proposal, "consultation": consultation}
    return render(request, "consultations/proposal_answer.html", context)


@staff_page
def closing_statement(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    check_perm(request.user, "consultations.answer_proposals", consultation)
    form = ClosingStatementForm(
        request.POST or None, initial={"statement": consultation.closing_statement}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.closing_statement_save(
                actor=request.user, consultation=consultation,
                statement=form.cleaned_data["statement"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The closing statement is published."))
            return redirect("consultations:results", consultation_id=consultation.pk)
    context = {"form": form, "consultation": consultation}
    return render(request, "consultations/closing_statement.html", context)


def results(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    context = {
        "consultation": consultation,
        "results": selectors.results_for(consultation),
        "phase": Phase(consultation.phase_at(timezone.now())),
        "can_answer": request.user.has_perm("consultations.answer_proposals", consultation),
    }
    return render(request, "consultations/results.html", context)


EXPORT_COLUMNS = [
    "type", "id", "proposal_id", "reply_to", "created_at", "language", "author",
    "unverified", "stance", "title", "text", "supports", "answer", "answer_text", "merged_into",
]  # fmt: skip


def _export_rows(consultation: Consultation):
    yield EXPORT_COLUMNS
    for p in selectors.export_proposals(consultation).iterator(chunk_size=1000):
        yield [
            "proposal", p.pk, "", "", p.created_at.isoformat(), p.language, p.author_label(),
            p.is_anonymous, "", p.title, p.body, p.supports_count, p.answer,
            str(p.answer_text), p.merged_into_id or "",
        ]  # fmt: skip
    for c in selectors.export_comments(consultation).iterator(chunk_size=1000):
        yield [
            "comment", c.pk, c.proposal_id or "", c.parent_id or "", c.created_at.isoformat(),
            c.language, c.author_label(), c.is_anonymous, c.stance, "", c.body, "", "", "", "",
        ]  # fmt: skip


def export_csv(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """Every published contribution, streamed (a large consultation has 100,000 comments)."""
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    check_perm(request.user, "consultations.export_consultation", consultation)
    rows = csv_lines(_export_rows(consultation))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.pk}-contributions.csv"'
    )
    return response


def report_pdf(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_user(consultation_id, user=request.user)
    check_perm(request.user, "consultations.export_consultation", consultation)
    proposals = selectors.export_proposals(consultation).filter(answer__gt="")[:500]
    context = {
        "consultation": consultation,
        "results": selectors.results_for(consultation),
        "answered": proposals,
        "generated_at": timezone.now(),
    }
    try:
        pdf = render_pdf("consultations/report_pdf.html", context, request=request)
    except PdfUnavailable:
        messages.error(request, _("The PDF report cannot be made on this server right now."))
        return redirect("consultations:results", consultation_id=consultation.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.pdf"'
    return response


# Machine translation and motions


def translate(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    target = _content(kind, object_id)
    _content_visible_to(request.user, target)
    if not target.is_visible or (isinstance(target, Comment) and target.removed_at):
        raise Http404
    language = request.GET.get("to") or request.LANGUAGE_CODE
    languages = dict(settings.LANGUAGES)
    if language not in languages:
        language = request.LANGUAGE_CODE
    translated_title, translated, error = "", "", ""
    try:
        if isinstance(target, Proposal):
            translated_title = machine_translate(
                target.title, source=target.language, target=language
            )
        translated = machine_translate(target.body, source=target.language, target=language)
    except TranslationUnavailable as exc:
        error = str(exc)
    context = {
        "target": target, "kind": kind, "consultation": target.consultation, "language": language,
        "language_name": languages[language], "translated": translated, "error": error,
        "translated_title": translated_title,
    }  # fmt: skip
    return render(request, "consultations/translation.html", context, status=200)


@login_required
def proposal_cite(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(proposal_id, user=request.user)
    motions = selectors.motions_citable_by(request.user)
    if not motions:
        raise PermissionDenied
    form = CiteForm(request.POST or None, motions=motions)
    if request.method == "POST" and form.is_valid():
        motion = next(m for m in motions if m.pk == form.cleaned_data["motion"])
        try:
            services.proposal_cite(
                actor=request.user, proposal=proposal, motion=motion,
                url=proposal.get_absolute_url(),
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The proposal is now evidence for the motion."))
            return redirect(proposal)
    context = {"form": form, "proposal": proposal, "consultation": proposal.consultation}
    return render(request, "consultations/proposal_cite.html", context)
