"""Opinion map pages: voting, the statements and one's own votes, the map of opinion groups and
its printable report, and the pages of those who run and moderate the map.

Taking part follows the consultation's rules, in the consultation's words: the same phases,
eligibility, blocks and browser identity for people without an account (`voices_anon`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from voices.consultations import taking_part
from voices.consultations.forms import DecisionForm
from voices.consultations.models import Action, Consultation, Phase
from voices.consultations.selectors import consultation_get_for_user, participant_of
from voices.core import moderation
from voices.core.pdf import PdfUnavailable, render_pdf
from voices.core.permissions import check_perm, staff_page

from . import results, selectors, services
from .forms import OpinionMapForm, StatementForm, VoteForm
from .models import OpinionMap, Statement, Vote

PAGE_SIZE = 50


# One sentence per vote: a button's label ("Pass / unsure") does not fit inside a sentence.
_VOTE_SAVED = {
    Vote.Value.AGREE: gettext_lazy("Saved: you agree with statement %(number)d."),
    Vote.Value.DISAGREE: gettext_lazy("Saved: you disagree with statement %(number)d."),
    Vote.Value.PASS: gettext_lazy("Saved: you passed on statement %(number)d."),
}


def _url(name: str, consultation: Consultation, **kwargs) -> str:
    return reverse(f"opinions:{name}", kwargs={"consultation_id": consultation.pk, **kwargs})


def _login(request: HttpRequest, back: str) -> HttpResponse:
    return redirect(f"{reverse('account_login')}?next={back}")


def _taking_part(request: HttpRequest, opinion_map: OpinionMap) -> dict:
    """Whether the person may vote and add statements now, and if not, why in their words (and
    whether a short form fixes it), as the consultation decides it for supporting proposals."""
    consultation, user, now = opinion_map.consultation, request.user, timezone.now()
    state = taking_part.state(request, consultation, Action.SUPPORT)
    reason = state["refusal"]
    adding = None
    if not opinion_map.participants_may_add:
        adding = _("Only the moderators add statements to this opinion map.")
    elif not consultation.allows(Action.PROPOSE, at=now) and not reason:
        adding = _("New statements are closed. You can still vote on the statements.")
    return {
        "participant": state["participant"],
        "refusal": reason,
        "participation_form": state["participation_form"],
        "can_vote": reason is None,
        "adding_refusal": adding,
        "can_add": reason is None and adding is None,
        "can_moderate": user.has_perm("opinions.moderate_opinionmap", opinion_map),
        "can_change": user.has_perm("opinions.change_opinionmap", opinion_map),
    }


def _added(request: HttpRequest, statement: Statement, consultation: Consultation) -> None:
    """Tell the author what happens to their statement, and name an earlier one with its words."""
    if statement.is_visible:
        messages.success(
            request, _("Thank you. Your statement is published: others can vote on it.")
        )
    else:
        messages.success(
            request, _("Thank you. A moderator will check your statement before it is shown.")
        )
    earlier = statement.duplicate_of
    if earlier is not None and earlier.is_visible:
        address = _url("statements", consultation) + f"#statement-{earlier.number}"
        link = format_html(
            '<a href="{}">{}</a>', address, _("statement %(number)d") % {"number": earlier.number}
        )
        messages.warning(
            request,
            format_html(
                _("A statement with the same words already exists: {link}. You can vote on it."),
                link=link,
            ),
        )
    elif earlier is not None:
        messages.warning(request, _("A statement with the same words already exists."))


# Taking part


def vote(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The next statement to vote on, one's progress, and the form to add a statement."""
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    consultation = opinion_map.consultation
    form = StatementForm(request.POST or None, max_length=opinion_map.statement_max_length)
    if request.method == "POST":
        if not (request.user.is_authenticated or consultation.allows_anonymous):
            return _login(request, request.path)
        if form.is_valid():
            anon_key = taking_part.ensure_anon(request, consultation)
            try:
                statement = services.statement_add(
                    user=request.user, anon_key=anon_key, opinion_map=opinion_map,
                    **form.cleaned_data,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                _added(request, statement, consultation)
                return taking_part.finish(request, redirect(_url("vote", consultation)))
    state = _taking_part(request, opinion_map)
    participant = state["participant"]
    voted, total = selectors.vote_progress(opinion_map, participant)
    context = {
        **state,
        "consultation": consultation, "opinion_map": opinion_map, "form": form,
        "statement": selectors.next_statement(opinion_map=opinion_map, participant=participant),
        "voted": voted, "total": total,
        "pending": selectors.statements_pending_for(
            opinion_map=opinion_map, user=request.user, participant=participant
        ),
    }  # fmt: skip
    return render(request, "opinions/vote.html", context)


@require_POST
def vote_cast(request: HttpRequest, consultation_id: int, number: int) -> HttpResponse:
    """Agree, disagree or pass on a statement, or change one's vote (from the statement list)."""
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    consultation = opinion_map.consultation
    statement = selectors.statement_by_number(number, opinion_map=opinion_map)
    form = VoteForm(request.POST)
    back = _url("vote", consultation)
    if form.is_valid() and form.cleaned_data["back"] == "list":
        back = _url("statements", consultation) + f"?page={form.cleaned_data['page'] or 1}"
        back += f"#statement-{statement.number}"
    if not (request.user.is_authenticated or consultation.allows_anonymous):
        return _login(request, _url("vote", consultation))
    if not form.is_valid():
        messages.error(request, _("Choose agree, disagree or pass."))
        return redirect(back)
    anon_key = taking_part.ensure_anon(request, consultation)
    value = form.cleaned_data["value"]
    try:
        services.vote_cast(user=request.user, anon_key=anon_key, statement=statement, value=value)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _VOTE_SAVED[value] % {"number": statement.number})
    return taking_part.finish(request, redirect(back))


def statement_list(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """Every published statement with its votes, and one's own vote on each, to change."""
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    state = _taking_part(request, opinion_map)
    statements = selectors.statements_visible(opinion_map).select_related("author")
    page = Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    mine = selectors.my_votes(opinion_map, state["participant"], statements=page.object_list)
    for statement in page.object_list:
        statement.my_vote = mine.get(statement.pk)
    context = {
        **state,
        "consultation": opinion_map.consultation, "opinion_map": opinion_map, "page": page,
        "pending": selectors.statements_pending_for(
            opinion_map=opinion_map, user=request.user, participant=state["participant"]
        ),
    }  # fmt: skip
    return render(request, "opinions/statement_list.html", context)


@require_POST
def participation(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """Give what the consultation's rule asks (birth year, living in the area), then vote."""
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    consultation = opinion_map.consultation
    back = _url("vote", consultation)
    if not request.user.is_authenticated:
        return _login(request, back)
    return taking_part.form_submit(request, consultation, back=back)


# The map


def _results(request: HttpRequest, opinion_map: OpinionMap, *, mark_you: bool) -> dict:
    analysis = selectors.latest_analysis(opinion_map)
    context = {"consultation": opinion_map.consultation, "opinion_map": opinion_map}
    if analysis is None:
        return {**context, "results": None}
    you_at = None
    if mark_you:
        consultation = opinion_map.consultation
        participant = participant_of(
            consultation, user=request.user, anon_key=taking_part.anon_key(request, consultation)
        )
        you_at = selectors.participant_position(opinion_map, participant)
        voted, _total = selectors.vote_progress(opinion_map, participant)
        context.update(you_at=you_at, voted=voted)
    data = results.map_results(opinion_map, analysis, you_at=you_at)
    return {
        **context, "results": data, "analysis": analysis,
        "min_votes": results.MIN_VOTES_FOR_GROUP,
    }  # fmt: skip


def map_results(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The latest analysis: the groups, what each stands for, where people agree and differ."""
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    context = _results(request, opinion_map, mark_you=True)
    context["can_moderate"] = request.user.has_perm("opinions.moderate_opinionmap", opinion_map)
    context["can_export_votes"] = request.user.has_perm("opinions.export_votes", opinion_map)
    context["phase"] = Phase(opinion_map.consultation.phase_at(timezone.now()))
    return render(request, "opinions/map.html", context)


def report_pdf(request: HttpRequest, consultation_id: int) -> HttpResponse:
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    consultation = opinion_map.consultation
    check_perm(request.user, "consultations.export_consultation", consultation)
    context = {**_results(request, opinion_map, mark_you=False), "generated_at": timezone.now()}
    try:
        pdf = render_pdf("opinions/report_pdf.html", context, request=request)
    except PdfUnavailable:
        messages.error(request, _("The PDF report cannot be made on this server right now."))
        return redirect(_url("map", consultation))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="opinion-map-{consultation.pk}.pdf"'
    return response


# Running the map


@staff_page
def map_settings(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """Add an opinion map to the consultation, or change its question and settings."""
    consultation = consultation_get_for_user(consultation_id, user=request.user)
    opinion_map = selectors.map_of(consultation)
    if opinion_map is None:
        check_perm(request.user, "opinions.add_opinionmap", consultation)
        initial = {"question": consultation.question}
    else:
        check_perm(request.user, "opinions.change_opinionmap", opinion_map)
        initial = {name: getattr(opinion_map, name) for name in services.MAP_FIELDS}
    form = OpinionMapForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if opinion_map is None:
                services.opinion_map_create(
                    actor=request.user, consultation=consultation, **form.cleaned_data
                )
                messages.success(request, _("The opinion map is ready. Add a few statements."))
                return redirect(_url("seed", consultation))
            services.opinion_map_update(
                actor=request.user, opinion_map=opinion_map, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_url("settings", consultation))
    context = {"consultation": consultation, "opinion_map": opinion_map, "form": form}
    return render(request, "opinions/map_settings.html", context)


@staff_page
def seed(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The moderators' list of every statement, the form to add a seed statement, and the
    button that updates the map now."""
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    check_perm(request.user, "opinions.moderate_opinionmap", opinion_map)
    consultation = opinion_map.consultation
    form = StatementForm(request.POST or None, max_length=opinion_map.statement_max_length)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.statement_seed_add(
                actor=request.user, opinion_map=opinion_map, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Statement %(number)d is published.") % {"number": statement.number}
            )
            return redirect(_url("seed", consultation))
    statements = selectors.statements_for_moderators(opinion_map)
    context = {
        "consultation": consultation, "opinion_map": opinion_map, "form": form,
        "page": Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page")),
        "analysis": selectors.latest_analysis(opinion_map, parts=()),
    }  # fmt: skip
    return render(request, "opinions/seed.html", context)


@require_POST
@staff_page
def analyse(request: HttpRequest, consultation_id: int) -> HttpResponse:
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    check_perm(request.user, "opinions.moderate_opinionmap", opinion_map)
    if services.analysis_enqueue_now(actor=request.user, opinion_map=opinion_map):
        messages.success(request, _("The map is being updated. It takes a moment."))
    else:
        messages.info(request, _("An update of the map is already on its way."))
    return redirect(_url("seed", opinion_map.consultation))


@require_POST
@staff_page
def statement_moderate(request: HttpRequest, consultation_id: int, number: int) -> HttpResponse:
    """Approve, hide or show again a statement (the author is told why)."""
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    check_perm(request.user, "opinions.moderate_opinionmap", opinion_map)
    statement = selectors.statement_for_moderators(number, opinion_map=opinion_map)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            moderation.moderation_decide(
                actor=request.user, target=statement, action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                url=_url("statements", opinion_map.consultation),
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Done. The author has been told."))
    else:
        messages.error(request, _("Choose what to do with this statement."))
    page = request.POST.get("page", "")
    query = f"?page={page}" if page.isdecimal() and len(page) < 8 else ""
    return redirect(_url("seed", opinion_map.consultation) + query)
