"""Pages of the Inquiry Lab's teams: the list, a team, forming and changing teams, the people
looking for a team, one's team profile, and the organisers' team matching."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from voices.accounts.models import User
from voices.core.names import public_name
from voices.core.permissions import staff_page

from . import challenge_selectors, stages
from . import team_selectors as selectors
from . import team_services as services
from .eligibility import country_name
from .models import Action, MatchProposal, Registration, TeamRequest
from .team_forms import (
    AnswerForm,
    InviteForm,
    JoinRequestForm,
    MemberChoiceForm,
    ProfileForm,
    TeamForm,
    language_choices,
)
from .team_rules import acts_as

PAGE_SIZE = 50


def check_perm(user, perm: str, obj) -> None:
    """Raise PermissionDenied (403) unless `user` may use `perm` on `obj` (see `acts_as`)."""
    if not acts_as(user, perm, obj):
        raise PermissionDenied


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _describe(registrations, challenge) -> list[Registration]:
    """Name each person's languages and country in the reader's language, for the page."""
    names = dict(language_choices(challenge))
    registrations = list(registrations)
    for registration in registrations:
        registration.language_names = [
            (code, names.get(code, code)) for code in registration.languages or []
        ]
        registration.country_name = country_name(registration.country)
    return registrations


# The teams of a challenge


def teams(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    user = request.user
    page = Paginator(selectors.team_list(challenge), PAGE_SIZE).get_page(request.GET.get("page"))
    languages = dict(language_choices(challenge))
    page.object_list = list(page.object_list)
    for team in page.object_list:
        team.language_name = languages.get(team.language, team.language)
    registration = challenge_selectors.registration_of(challenge, user)
    own_team = selectors.team_of(challenge, user)
    open_requests = selectors.requests_of(challenge, user)
    can_form = challenge.allows(Action.FORM_TEAMS, at=timezone.now())
    is_confirmed = registration is not None and registration.status == Registration.Status.CONFIRMED
    context = {
        "challenge": challenge,
        "page": page,
        "registration": registration,
        "own_team": own_team,
        "invitations": [r for r in open_requests if r.kind == TeamRequest.Kind.INVITATION],
        "join_requests": [r for r in open_requests if r.kind == TeamRequest.Kind.JOIN_REQUEST],
        "requested_team_ids": {r.team_id for r in open_requests},
        "can_form": can_form,
        "can_join": can_form and is_confirmed and own_team is None,
        "stage_note": stages.refusal(challenge, Action.FORM_TEAMS),
        "can_see_people": user.has_perm("inquirylab.view_people", challenge),
        "can_match": user.has_perm("inquirylab.match_teams", challenge),
    }
    return render(request, "inquirylab/team_list.html", context)


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.view_people", challenge)
    page = Paginator(selectors.people_looking(challenge), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _describe(page.object_list, challenge)
    own_team = selectors.team_of(challenge, request.user)
    can_invite = (
        own_team is not None
        and own_team.lead_id == request.user.pk
        and challenge.allows(Action.FORM_TEAMS, at=timezone.now())
    )
    context = {
        "challenge": challenge,
        "page": page,
        "own_team": own_team,
        "can_invite": can_invite,
        "already_asked": selectors.invited_by(own_team) if can_invite else set(),
    }
    return render(request, "inquirylab/people_list.html", context)


@login_required
def participant_profile(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.change_participant_profile", challenge)
    registration = get_object_or_404(Registration, challenge=challenge, user=request.user)
    in_team = selectors.team_of(challenge, request.user) is not None
    form = ProfileForm(
        request.POST or None,
        challenge=challenge,
        in_team=in_team,
        initial=ProfileForm.initial_for(registration),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_profile_update(
                actor=request.user, challenge=challenge, skills=form.cleaned_data["skills"],
                languages=form.languages(),
                is_looking_for_team=form.cleaned_data["is_looking_for_team"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your team profile is saved."))
            return redirect("inquirylab:teams", slug=challenge.slug)
    context = {"challenge": challenge, "form": form, "registration": registration}
    return render(request, "inquirylab/team_profile.html", context)


# Forming a team


@login_required
def team_create(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.create_team", challenge)
    form = TeamForm(request.POST or None, challenge=challenge)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=request.user, challenge=challenge, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your team is created. Invite people to join it."))
            return redirect(team)
    context = {
        "challenge": challenge,
        "form": form,
        "stage_note": stages.refusal(challenge, Action.FORM_TEAMS),
    }
    return render(request, "inquirylab/team_form.html", context)


def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_user(team_id, user=request.user)
    challenge, user = team.challenge, request.user
    now = timezone.now()
    members = team.member_list
    is_member = user.is_authenticated and any(m.user_id == user.pk for m in members)
    is_lead = user.is_authenticated and team.lead_id == user.pk
    sees_requests = user.has_perm("inquirylab.view_team_requests", team)
    pending = selectors.team_requests_pending(team) if sees_requests else []
    own_requests = [r for r in selectors.requests_of(challenge, user) if r.team_id == team.pk]
    registration = challenge_selectors.registration_of(challenge, user)
    can_form = challenge.allows(Action.FORM_TEAMS, at=now)
    context = {
        "challenge": challenge,
        "team": team,
        "members": members,
        "size": len(members),
        "is_full": len(members) >= challenge.team_max,
        "is_member": is_member,
        "is_lead": is_lead,
        "sees_requests": sees_requests,
        "join_requests": [r for r in pending if r.kind == TeamRequest.Kind.JOIN_REQUEST],
        "invitations": [r for r in pending if r.kind == TeamRequest.Kind.INVITATION],
        "own_request": own_requests[0] if own_requests else None,
        "can_form": can_form,
        "can_change": challenge.allows(Action.CHANGE_TEAM, at=now),
        "can_ask_to_join": (
            can_form
            and team.is_open
            and registration is not None
            and registration.status == Registration.Status.CONFIRMED
            and selectors.team_of(challenge, user) is None
            and not own_requests
        ),
        "join_form": JoinRequestForm(),
        "member_form": MemberChoiceForm(team=team, members=members) if is_lead else None,
        "language": dict(language_choices(challenge)).get(team.language, team.language),
    }
    return render(request, "inquirylab/team_detail.html", context)


@login_required
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_user(team_id, user=request.user)
    check_perm(request.user, "inquirylab.change_team", team)
    challenge = team.challenge
    initial = {f: getattr(team, f) for f in services.TEAM_FIELDS}
    form = TeamForm(request.POST or None, challenge=challenge, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(team)
    context = {
        "challenge": challenge,
        "team": team,
        "form": form,
        "stage_note": stages.refusal(challenge, Action.CHANGE_TEAM),
    }
    return render(request, "inquirylab/team_form.html", context)


@require_POST
@login_required
def team_invite(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_user(team_id, user=request.user)
    check_perm(request.user, "inquirylab.invite_to_team", team)
    form = InviteForm(request.POST)
    back = request.POST.get("back") == "people"
    person = None
    if form.is_valid():
        person = User.objects.filter(pk=form.cleaned_data["user"], is_active=True).first()
    if person is None:
        messages.error(request, _("Choose a person from the list of people looking for a team."))
    else:
        try:
            services.team_invite(
                actor=request.user, team=team, user=person, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s is invited. They will be told and can accept or decline.")
                % {"name": public_name(person)},
            )
    if back:
        return redirect("inquirylab:people", slug=team.challenge.slug)
    return redirect(team)


@require_POST
@login_required
def team_join(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_user(team_id, user=request.user)
    check_perm(request.user, "inquirylab.join_team", team)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(team)
    try:
        services.team_join_request(
            actor=request.user, team=team, message=form.cleaned_data["message"]
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("Your request is sent. The team's lead will accept or decline it.")
        )
    return redirect(team)


@require_POST
@login_required
def team_request_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    team_request = selectors.request_get_for_user(request_id, user=request.user)
    form = AnswerForm(request.POST)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    perm = "inquirylab.cancel_team_request" if action == "cancel" else (
        "inquirylab.answer_team_request"
    )  # fmt: skip
    check_perm(request.user, perm, team_request)
    team = team_request.team
    try:
        if action == "cancel":
            services.team_request_cancel(actor=request.user, request=team_request)
            messages.success(request, _("The request is cancelled."))
        elif action in ("accept", "decline"):
            accept = action == "accept"
            services.team_request_answer(actor=request.user, request=team_request, accept=accept)
            messages.success(request, _answer_message(team_request, accept))
        else:
            messages.error(request, _("Choose to accept or decline."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(team)


def _answer_message(team_request: TeamRequest, accept: bool) -> str:
    if team_request.kind == TeamRequest.Kind.INVITATION:
        if accept:
            return _("Welcome to the team %(team)s.") % {"team": team_request.team.name}
        return _("You declined the invitation. The team's lead is told.")
    if accept:
        return _("%(name)s is now in the team.") % {"name": public_name(team_request.user)}
    return _("You declined the request. The person is told.")


# Changing a team


@login_required
def team_leave(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_user(team_id, user=request.user)
    check_perm(request.user, "inquirylab.leave_team", team)
    challenge = team.challenge
    if request.method == "POST":
        try:
            remaining = services.team_leave(actor=request.user, team=team)
        except ValidationError as exc:
            _error(request, exc)
            return redirect(team)
        if remaining is None:
            messages.success(request, _("You left, and the team is deleted."))
        else:
            messages.success(request, _("You left the team %(team)s.") % {"team": team.name})
        return redirect("inquirylab:teams", slug=challenge.slug)
    members = team.member_list
    context = {
        "challenge": challenge,
        "team": team,
        "is_alone": len(members) == 1,
        "must_hand_over": team.lead_id == request.user.pk and len(members) > 1,
        "stage_note": stages.refusal(challenge, Action.CHANGE_TEAM),
    }
    return render(request, "inquirylab/team_leave.html", context)


@require_POST
@login_required
def team_handover(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_user(team_id, user=request.user)
    check_perm(request.user, "inquirylab.hand_over_team", team)
    form = MemberChoiceForm(request.POST, team=team, members=team.member_list)
    if not form.is_valid():
        messages.error(request, _("Choose another member of the team."))
        return redirect(team)
    new_lead = form.cleaned_data["user"]
    try:
        services.team_handover(actor=request.user, team=team, new_lead=new_lead)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("%(name)s now leads the team.") % {"name": public_name(new_lead)}
        )
    return redirect(team)


@require_POST
@login_required
def team_remove_member(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_get_for_user(team_id, user=request.user)
    check_perm(request.user, "inquirylab.remove_team_member", team)
    form = MemberChoiceForm(request.POST, team=team, members=team.member_list)
    if not form.is_valid():
        messages.error(request, _("Choose another member of the team."))
        return redirect(team)
    person = form.cleaned_data["user"]
    try:
        services.team_member_remove(actor=request.user, team=team, user=person)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s is no longer in the team and is told.") % {"name": public_name(person)},
        )
    return redirect(team)


# Team matching (organisers)


@staff_page
def matching(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.match_teams", challenge)
    page = Paginator(selectors.people_looking(challenge), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _describe(page.object_list, challenge)
    proposal = (
        selectors.match_proposals(challenge).filter(status=MatchProposal.Status.PROPOSED).first()
    )
    proposed, unmatched = selectors.proposal_review(proposal) if proposal else ([], [])
    for planned in proposed:
        planned["members"] = _describe(planned["members"], challenge)
        planned["language_name"] = dict(language_choices(challenge)).get(planned["language"])
        planned["country_names"] = [country_name(c) for c in planned["countries"]]
    unmatched = _describe(unmatched, challenge)
    context = {
        "challenge": challenge,
        "page": page,
        "proposal": proposal,
        "proposed": proposed,
        "unmatched": unmatched,
        "blocked": [r for t in proposed for r in t["members"] if r.now_in_team],
        "counts": selectors.team_counts(challenge),
        "stage_note": stages.refusal(challenge, Action.FORM_TEAMS),
        "history": selectors.match_proposals(challenge).exclude(
            status=MatchProposal.Status.PROPOSED
        )[:10],
    }
    return render(request, "inquirylab/matching_review.html", context)


@require_POST
@staff_page
def matching_propose(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.challenge_get_for_user(slug, user=request.user)
    check_perm(request.user, "inquirylab.match_teams", challenge)
    try:
        proposal = services.match_propose(actor=request.user, challenge=challenge)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("Teams are proposed. Nothing changes until you apply the proposal.")
            if proposal.teams
            else _("No team can be formed from the people looking right now."),
        )
    return redirect("inquirylab:matching", slug=challenge.slug)


@require_POST
@staff_page
def matching_apply(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(proposal_id, user=request.user)
    try:
        created = services.match_apply(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d team is created and its members are told.",
                "%(count)d teams are created and their members are told.",
                len(created),
            )
            % {"count": len(created)},
        )
    return redirect("inquirylab:matching", slug=proposal.challenge.slug)


@require_POST
@staff_page
def matching_discard(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(proposal_id, user=request.user)
    try:
        services.match_discard(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The proposal is discarded. No team was changed."))
    return redirect("inquirylab:matching", slug=proposal.challenge.slug)
