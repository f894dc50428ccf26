from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.core.htmx import is_htmx
from voices.core.permissions import check_perm, staff_page

from . import decision_selectors as ds
from . import meeting_selectors as ms
from . import selectors
from .ical import council_calendar, meeting_calendar
from .meeting_forms import AgendaItemForm, MeetingForm, ResponseForm
from .meeting_models import AgendaItem, Meeting
from .meeting_services import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    attendance_set,
    meeting_cancel,
    meeting_close,
    meeting_open,
    meeting_respond,
    meeting_schedule,
    meeting_update,
)

PAST_PAGE_SIZE = 10


def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_get(slug)
    upcoming, past = ms.meeting_list_for_council(council=council)
    page = Paginator(past, PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"council": council, "upcoming": upcoming, "page": page}
    return render(request, "councils/meeting_list.html", context)


@staff_page
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_get(slug)
    check_perm(request.user, "councils.manage_meetings", council)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_schedule(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting is planned and the members are invited."))
            return redirect("councils:agenda", meeting_id=meeting.pk)
    return render(request, "councils/meeting_form.html", {"council": council, "form": form})


@staff_page
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    check_perm(request.user, "councils.manage_meetings", meeting.council)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(meeting)
    context = {"council": meeting.council, "form": form, "meeting": meeting}
    return render(request, "councils/meeting_form.html", context)


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    council = meeting.council
    user = request.user
    own = ms.own_response(meeting=meeting, user=user) if user.is_authenticated else None
    context = {
        "meeting": meeting,
        "council": council,
        "agenda": ms.agenda_with_documents(meeting),
        "can_manage": user.has_perm("councils.manage_meetings", council),
        "can_record": user.has_perm("councils.record_attendance", council),
        "sees_link": user.has_perm("councils.see_meeting_link", council),
        "can_respond": user.is_authenticated
        and selectors.membership_current(user=user, council=council) is not None,
        "own_response": own,
        "response_form": ResponseForm(initial={"answer": own.answer} if own else None),
        "counts": ms.response_counts(meeting),
        "quorum": ms.quorum_for(meeting)
        if meeting.status in (Meeting.Status.IN_PROGRESS, Meeting.Status.ENDED)
        else None,
        "motions": ds.motions_for_meeting(meeting=meeting),
        "ballots": ds.ballots_for_meeting(meeting=meeting),
        "minutes": ds.minutes_for_meeting(meeting=meeting, user=user),
        "minutes_waiting": ds.minutes_waiting_for_vote(meeting=meeting)
        if meeting.status != Meeting.Status.ENDED
        else [],
        "can_propose": user.has_perm("councils.propose_motions", council),
        "can_run": user.has_perm("councils.run_ballots", council),
        "can_write_minutes": user.has_perm("councils.write_minutes", council),
    }
    return render(request, "councils/meeting_detail.html", context)


@require_POST
@staff_page
def meeting_cancel_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    check_perm(request.user, "councils.manage_meetings", meeting.council)
    _run(request, meeting_cancel, _("The meeting was cancelled and the members were told."),
         actor=request.user, meeting=meeting)  # fmt: skip
    return redirect(meeting)


@require_POST
@staff_page
def meeting_open_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    check_perm(request.user, "councils.record_attendance", meeting.council)
    if _run(request, meeting_open, _("The meeting has started."), actor=request.user,
            meeting=meeting):  # fmt: skip
        return redirect("councils:attendance", meeting_id=meeting.pk)
    return redirect(meeting)


@require_POST
@staff_page
def meeting_close_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    check_perm(request.user, "councils.record_attendance", meeting.council)
    _run(request, meeting_close, _("The meeting has ended."), actor=request.user, meeting=meeting)
    return redirect(meeting)


def _run(request: HttpRequest, service, success: str, **kwargs) -> bool:
    try:
        service(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


@staff_page
def agenda_manage(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    check_perm(request.user, "councils.manage_meetings", meeting.council)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The item was added to the agenda."))
            return redirect("councils:agenda", meeting_id=meeting.pk)
    context = {"meeting": meeting, "council": meeting.council, "form": form,
               "agenda": ms.agenda_with_documents(meeting)}  # fmt: skip
    return render(request, "councils/agenda_manage.html", context)


@require_POST
@staff_page
def agenda_item_action(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    check_perm(request.user, "councils.manage_meetings", meeting.council)
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            agenda_item_move(actor=request.user, item=item, up=action == "up")
        elif action == "delete":
            agenda_item_delete(actor=request.user, item=item)
            messages.success(request, _("The item was removed from the agenda."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("councils:agenda", meeting_id=meeting.pk)


@require_POST
def meeting_respond_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    if not request.user.is_authenticated:
        return redirect("account_login")
    check_perm(request.user, "councils.respond_to_meeting", meeting.council)
    form = ResponseForm(request.POST)
    if form.is_valid():
        _run(request, meeting_respond, _("Thank you. Your answer was saved."),
             user=request.user, meeting=meeting, answer=form.cleaned_data["answer"])  # fmt: skip
    else:
        messages.error(request, _("Choose one of the answers."))
    return redirect(meeting)


@staff_page
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    check_perm(request.user, "councils.record_attendance", meeting.council)
    if request.method == "POST":
        present = set(request.POST.getlist("present"))
        membership_id = request.POST.get("membership")
        sheet = ms.attendance_sheet(meeting)
        # One box sent by htmx as it changes, or the whole sheet saved without JavaScript.
        targets = [row for row in sheet if membership_id is None or str(row[0].pk) == membership_id]
        try:
            for membership, was_present, _answer in targets:
                now_present = str(membership.pk) in present
                if now_present != was_present:
                    attendance_set(actor=request.user, meeting=meeting, membership=membership,
                                   is_present=now_present)  # fmt: skip
        except ValidationError as exc:
            error = " ".join(exc.messages)
            if not is_htmx(request):
                messages.error(request, error)
        else:
            error = None
            if not is_htmx(request):
                messages.success(request, _("Attendance saved."))
        if is_htmx(request):
            # htmx swaps in the box only, so a refusal is shown inside it, not on the next page.
            context = {"meeting": meeting, "quorum": ms.quorum_for(meeting), "error": error}
            return render(request, "councils/_quorum.html", context)
        return redirect("councils:attendance", meeting_id=meeting.pk)
    context = {
        "meeting": meeting,
        "council": meeting.council,
        "sheet": ms.attendance_sheet(meeting),
        "quorum": ms.quorum_for(meeting),
    }
    return render(request, "councils/attendance.html", context)


def meeting_ical(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    return _calendar_response(meeting_calendar(meeting), f"meeting-{meeting.pk}.ics")


def council_ical(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_get(slug)
    return _calendar_response(council_calendar(council), f"{council.slug}.ics")


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
