from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voices.core.permissions import check_perm, staff_page

from . import decision_selectors as ds
from . import handoff
from . import meeting_selectors as ms
from .decision_forms import AmendmentForm, CorrectionForm, MinutesForm, MotionForm, VoteForm
from .decision_models import Amendment, Minutes, Motion
from .decision_services import (
    amendment_propose,
    ballot_close,
    ballot_open,
    ballot_prepare,
    minutes_approve_by_chair,
    minutes_correct,
    minutes_propose,
    minutes_publish,
    minutes_save,
    minutes_unpropose,
    motion_propose,
    motion_withdraw,
    vote_cast,
    voter_membership,
)
from .meeting_models import AgendaItem


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# Minutes


@staff_page
def minutes_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    check_perm(request.user, "councils.write_minutes", meeting.council)
    current = ds.minutes_for_meeting(meeting=meeting, user=request.user)
    initial = {"text": current.text, "language": current.language} if current else None
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            minutes = minutes_save(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The minutes were saved as a draft."))
            return redirect(minutes)
    context = {"meeting": meeting, "council": meeting.council, "form": form, "current": current}
    return render(request, "councils/minutes_form.html", context)


def minutes_detail(request: HttpRequest, minutes_id: int) -> HttpResponse:
    minutes = ds.minutes_get_for_user(minutes_id, user=request.user)
    council = minutes.meeting.council
    own = (
        ms.membership_current(user=request.user, council=council)
        if request.user.is_authenticated
        else None
    )
    context = {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "council": council,
        "can_write": request.user.has_perm("councils.write_minutes", council),
        "is_chair": own is not None and own.role == "chair",
        "correction_form": CorrectionForm(initial={"text": minutes.text,
                                                   "language": minutes.language}),
    }  # fmt: skip
    return render(request, "councils/minutes_detail.html", context)


@require_POST
@login_required
def minutes_action(request: HttpRequest, minutes_id: int) -> HttpResponse:
    minutes = ds.minutes_get_for_user(minutes_id, user=request.user)
    action = request.POST.get("action")
    services = {
        "propose": (minutes_propose, _("The minutes are proposed for approval.")),
        "unpropose": (
            minutes_unpropose,
            _("The proposal was taken back; the minutes are a draft."),
        ),
        "approve": (minutes_approve_by_chair, _("The minutes are approved.")),
        "publish": (minutes_publish, _("The minutes are published.")),
    }
    if action not in services:
        messages.error(request, _("Choose one of the actions."))
        return redirect(minutes)
    service, success = services[action]
    try:
        service(actor=request.user, minutes=minutes)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, success)
    return redirect(minutes)


@require_POST
@staff_page
def minutes_correct_view(request: HttpRequest, minutes_id: int) -> HttpResponse:
    minutes = ds.minutes_get_for_user(minutes_id, user=request.user)
    check_perm(request.user, "councils.write_minutes", minutes.meeting.council)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            correction = minutes_correct(actor=request.user, minutes=minutes,
                                         text=form.cleaned_data["text"],
                                         reason=form.cleaned_data["reason"],
                                         language=form.cleaned_data["language"])  # fmt: skip
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("A corrected version was started. It needs approval."))
            return redirect(correction)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(minutes)


# Motions and amendments


@login_required
def motion_create(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    check_perm(request.user, "councils.propose_motions", meeting.council)
    form = MotionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            motion = motion_propose(actor=request.user, agenda_item=item, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The motion was put on the agenda."))
            return redirect(motion)
    context = {"meeting": meeting, "council": meeting.council, "item": item, "form": form}
    return render(request, "councils/motion_form.html", context)


def motion_detail(request: HttpRequest, motion_id: int, amendment_form=None) -> HttpResponse:
    motion = ds.motion_get(motion_id)
    meeting = motion.agenda_item.meeting
    council = meeting.council
    user = request.user
    context = {
        "motion": motion,
        "meeting": meeting,
        "council": council,
        "can_propose": user.has_perm("councils.propose_motions", council)
        and motion.status == Motion.Status.PROPOSED
        and not motion.ballots.all(),
        "can_run": user.has_perm("councils.run_ballots", council),
        "amendment_form": amendment_form or AmendmentForm(),
        "links": handoff.motion_links(motion, user),
    }
    return render(request, "councils/motion_detail.html", context)


@require_POST
@login_required
def motion_withdraw_view(request: HttpRequest, motion_id: int) -> HttpResponse:
    motion = ds.motion_get(motion_id)
    try:
        motion_withdraw(actor=request.user, motion=motion)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The motion was withdrawn."))
    return redirect(motion)


@require_POST
@login_required
def amendment_create(request: HttpRequest, motion_id: int) -> HttpResponse:
    motion = ds.motion_get(motion_id)
    check_perm(request.user, "councils.propose_motions", motion.agenda_item.meeting.council)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            amendment_propose(actor=request.user, motion=motion, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The amendment was proposed."))
            return redirect(motion)
    return motion_detail(request, motion_id, amendment_form=form)


# Ballots


@require_POST
@staff_page
def ballot_prepare_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = ms.meeting_get(meeting_id)
    check_perm(request.user, "councils.run_ballots", meeting.council)
    subject = {}
    kind, raw_id = request.POST.get("subject", ""), request.POST.get("subject_id", "")
    models = {"motion": Motion, "amendment": Amendment, "minutes": Minutes}
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if kind not in models or not raw_id.isdecimal() or len(raw_id) > 18:
        messages.error(request, _("Choose what to vote on."))
        return redirect(meeting)
    subject[kind] = get_object_or_404(models[kind], pk=int(raw_id))
    try:
        ballot = ballot_prepare(
            actor=request.user,
            meeting=meeting,
            is_secret=request.POST.get("is_secret") == "on",
            **subject,
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(meeting)
    messages.success(request, _("The ballot is prepared. Open it when the members are ready."))
    return redirect(ballot)


def ballot_detail(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = ds.ballot_get(ballot_id)
    council = ballot.meeting.council
    user = request.user
    voter = voter_membership(user=user, ballot=ballot) if user.is_authenticated else None
    context = {
        "ballot": ballot,
        "meeting": ballot.meeting,
        "council": council,
        "can_run": user.has_perm("councils.run_ballots", council),
        "voter": voter,
        "has_voted": ds.has_voted(ballot=ballot, membership=voter),
        "votes_cast": ds.votes_cast(ballot),
        "form": VoteForm(),
    }
    return render(request, "councils/ballot_detail.html", context)


@require_POST
@staff_page
def ballot_action(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = ds.ballot_get(ballot_id)
    check_perm(request.user, "councils.run_ballots", ballot.meeting.council)
    action = request.POST.get("action")
    try:
        if action == "open":
            ballot_open(actor=request.user, ballot=ballot)
            messages.success(request, _("The ballot is open. Members present can vote now."))
        elif action == "close":
            ballot = ballot_close(actor=request.user, ballot=ballot)
            messages.success(request, _("The ballot is closed and the result is recorded."))
        else:
            messages.error(request, _("Choose one of the actions."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(ballot)


@require_POST
@login_required
def vote(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = ds.ballot_get(ballot_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose for, against or abstain."))
        return redirect(ballot)
    try:
        vote_cast(user=request.user, ballot=ballot, choice=form.cleaned_data["choice"])
    except PermissionDenied:
        raise
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your vote was recorded."))
    return redirect(ballot)
