"""Writes for the Inquiry Lab's teams: forming them, inviting and asking to join, answering,
leaving and handing over, a participant's team profile, and applying the matching helper.

Every write that changes who is in a team locks the team's row first (`select_for_update`), so
two acceptances at the same moment cannot both take the last free place; the unique constraint
on (challenge, user) keeps anyone from being in two teams even across teams.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from voices.accounts.models import User
from voices.core.audit import audit_record, snapshot
from voices.core.names import public_name
from voices.core.notifications import notification_send

from . import matching, stages
from .models import (
    Action,
    Challenge,
    MatchProposal,
    Registration,
    Stage,
    Team,
    TeamMember,
    TeamRequest,
)
from .team_rules import acts_as
from .team_selectors import people_looking

NOTICE = "inquirylab/team_notice"
TEAM_FIELDS = ("name", "language", "description", "is_open")
PROFILE_STAGES = (Stage.REGISTRATION, Stage.TEAM_FORMATION, Stage.WORK)


def _check(actor, perm: str, obj) -> None:
    if not acts_as(actor, perm, obj):
        raise PermissionDenied


def _locked(team: Team) -> Team:
    return Team.objects.select_for_update(of=("self",)).select_related("challenge").get(pk=team.pk)


def _notify(recipient: User, event: str, team: Team, *, who: User | None = None, **extra) -> None:
    """Tell one person what happened to a team (in their language, emailed after commit)."""
    if recipient is None or not recipient.is_active:
        return
    context = {"event": event, "team": team, "challenge": team.challenge, **extra}
    context["who"] = public_name(who) if who is not None else ""
    notification_send(
        recipient=recipient,
        kind=f"lab_team_{event}",
        template=NOTICE,
        context=context,
        url=team.get_absolute_url(),
    )


def _size(team: Team) -> int:
    return TeamMember.objects.filter(team=team).count()


def _refuse_if_full(team: Team) -> None:
    size, most = _size(team), team.challenge.team_max
    if size >= most:
        raise ValidationError(
            _("The team is full: it already has %(size)d members, the most this challenge "
              "allows.") % {"size": size},
            code="team_full",
        )  # fmt: skip


def _confirmed(challenge: Challenge, user: User, *, own: bool = True) -> Registration:
    """Return the user's confirmed registration (locked), or say why they cannot take part."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .filter(challenge=challenge, user=user)
        .first()
    )
    if registration is not None and registration.status == Registration.Status.CONFIRMED:
        return registration
    if not own:
        raise ValidationError(
            _("%(name)s is not a confirmed participant of this challenge.")
            % {"name": public_name(user)},
            code="not_confirmed",
        )
    if registration is not None and registration.status == Registration.Status.PENDING:
        raise ValidationError(
            _("The organisers have not confirmed your registration yet."), code="not_confirmed"
        )
    raise ValidationError(
        _("Only confirmed participants of this challenge can take part in teams."),
        code="not_confirmed",
    )


def _refuse_if_in_team(challenge: Challenge, user: User, *, own: bool = True) -> None:
    if TeamMember.objects.filter(challenge=challenge, user=user).exists():
        raise ValidationError(_already_in_team(user, own=own), code="in_team")


def _already_in_team(user: User, *, own: bool) -> str:
    if own:
        return _("You are already in a team in this challenge. Leave it first to join another.")
    return _("%(name)s is already in a team.") % {"name": public_name(user)}


def _add_member(team: Team, user: User, registration: Registration, *, own: bool) -> TeamMember:
    """Put `user` in `team`; close their other open requests and their "looking" mark."""
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(team=team, challenge=team.challenge, user=user)
    except IntegrityError:  # joined another team at the same moment
        raise ValidationError(_already_in_team(user, own=own), code="in_team") from None
    TeamRequest.objects.filter(
        team__challenge=team.challenge, user=user, status=TeamRequest.Status.PENDING
    ).update(status=TeamRequest.Status.CANCELLED, answered_at=timezone.now())
    if registration.is_looking_for_team:
        registration.is_looking_for_team = False
        registration.save(update_fields=["is_looking_for_team"])
    return member


def _clean_language(challenge: Challenge, language: str) -> None:
    if language not in (challenge.languages or []):
        raise ValidationError(
            {"language": _("Choose one of the languages this challenge runs in.")},
            code="language",
        )


def _clean_name(challenge: Challenge, name: str, *, team: Team | None = None) -> str:
    name = " ".join((name or "").split())
    others = Team.objects.filter(challenge=challenge, name__iexact=name)
    if team is not None:
        others = others.exclude(pk=team.pk)
    if others.exists():
        raise ValidationError(
            {"name": _("A team with this name already exists in this challenge.")},
            code="name_taken",
        )
    return name


# Forming a team


@transaction.atomic
def team_create(
    *, actor: User, challenge: Challenge, name: str, language: str, description: str = "",
    is_open: bool = True,
) -> Team:  # fmt: skip
    """Create a team led by the actor, who becomes its first member."""
    _check(actor, "inquirylab.create_team", challenge)
    stages.require(challenge, Action.FORM_TEAMS)
    registration = _confirmed(challenge, actor)
    _refuse_if_in_team(challenge, actor)
    _clean_language(challenge, language)
    team = Team(
        challenge=challenge, name=_clean_name(challenge, name), lead=actor, language=language,
        description=description.strip(), is_open=is_open,
    )  # fmt: skip
    team.full_clean()
    team.save()
    _add_member(team, actor, registration, own=True)
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, **fields) -> Team:
    """Change the team's name, working language, description, or whether it takes requests."""
    _check(actor, "inquirylab.change_team", team)
    team = _locked(team)
    _check(actor, "inquirylab.change_team", team)  # the lead may have changed meanwhile
    stages.require(team.challenge, Action.CHANGE_TEAM)
    fields = {k: v for k, v in fields.items() if k in TEAM_FIELDS}
    if "language" in fields:
        _clean_language(team.challenge, fields["language"])
    if "name" in fields:
        fields["name"] = _clean_name(team.challenge, fields["name"], team=team)
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    for name, value in fields.items():
        setattr(team, name, value)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_invite(*, actor: User, team: Team, user: User, message: str = "") -> TeamRequest:
    """Invite a confirmed participant without a team; they accept or decline."""
    _check(actor, "inquirylab.invite_to_team", team)
    team = _locked(team)
    _check(actor, "inquirylab.invite_to_team", team)
    challenge = team.challenge
    stages.require(challenge, Action.FORM_TEAMS)
    if user.pk == actor.pk:
        raise ValidationError(_("You are already in this team."), code="self")
    _refuse_if_full(team)
    _confirmed(challenge, user, own=False)
    _refuse_if_in_team(challenge, user, own=False)
    invitation = _request_create(
        team, user=user, kind=TeamRequest.Kind.INVITATION, message=message, created_by=actor
    )
    _notify(user, "invited", team, who=actor, message=invitation.message)
    return invitation


@transaction.atomic
def team_join_request(*, actor: User, team: Team, message: str = "") -> TeamRequest:
    """Ask to join a team that takes requests; its lead accepts or declines."""
    _check(actor, "inquirylab.join_team", team)
    team = _locked(team)
    challenge = team.challenge
    stages.require(challenge, Action.FORM_TEAMS)
    _confirmed(challenge, actor)
    _refuse_if_in_team(challenge, actor)
    if not team.is_open:
        raise ValidationError(_("This team does not take join requests."), code="closed")
    _refuse_if_full(team)
    request = _request_create(
        team, user=actor, kind=TeamRequest.Kind.JOIN_REQUEST, message=message, created_by=actor
    )
    _notify(team.lead, "join_requested", team, who=actor, message=request.message)
    return request


def _request_create(team: Team, *, user: User, kind: str, message: str, created_by: User):
    request = TeamRequest(
        team=team, user=user, kind=kind, message=(message or "").strip(), created_by=created_by
    )
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(
            _("There is already an open invitation or join request between this person and "
              "the team."),
            code="pending_exists",
        ) from None  # fmt: skip
    return request


@transaction.atomic
def team_request_answer(*, actor: User, request: TeamRequest, accept: bool) -> TeamRequest:
    """Accept or decline: the invited person answers an invitation, the lead a join request."""
    _check(actor, "inquirylab.answer_team_request", request)
    team = _locked(request.team)
    request = (
        TeamRequest.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=request.pk)
    )
    request.team = team
    _check(actor, "inquirylab.answer_team_request", request)  # the lead may have changed
    if request.status != TeamRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."), code="answered")
    is_invitation = request.kind == TeamRequest.Kind.INVITATION
    if accept:
        challenge = team.challenge
        stages.require(challenge, Action.FORM_TEAMS)
        registration = _confirmed(challenge, request.user, own=is_invitation)
        _refuse_if_in_team(challenge, request.user, own=is_invitation)
        _refuse_if_full(team)
        _add_member(team, request.user, registration, own=is_invitation)
        request.status = TeamRequest.Status.ACCEPTED
    else:
        request.status = TeamRequest.Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    # The one who asked learns the answer: the lead for an invitation, the person for a request.
    event = ("invitation_" if is_invitation else "request_") + request.status
    recipient = team.lead if is_invitation else request.user
    _notify(recipient, event, team, who=actor)
    return request


@transaction.atomic
def team_request_cancel(*, actor: User, request: TeamRequest) -> TeamRequest:
    """Take back an open invitation (the lead) or one's own join request."""
    _check(actor, "inquirylab.cancel_team_request", request)
    request = (
        TeamRequest.objects.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=request.pk)
    )
    if request.status != TeamRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."), code="answered")
    request.status = TeamRequest.Status.CANCELLED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    return request


# Changing a team


@transaction.atomic
def team_leave(*, actor: User, team: Team) -> Team | None:
    """Leave the team; a lead hands over first, unless alone (then the team is deleted)."""
    _check(actor, "inquirylab.leave_team", team)
    team = _locked(team)
    stages.require(team.challenge, Action.CHANGE_TEAM)
    others = list(TeamMember.objects.filter(team=team).exclude(user=actor).select_related("user"))
    if team.lead_id == actor.pk:
        if others:
            raise ValidationError(
                _("You lead this team: hand it over to another member before you leave."),
                code="lead_must_hand_over",
            )
        if hasattr(team, "brief"):
            raise ValidationError(
                _("This team has started a brief, so it cannot be deleted. Ask the organisers "
                  "if you want to stop."),
                code="has_brief",
            )  # fmt: skip
        team.delete()
        return None
    deleted, _rows = TeamMember.objects.filter(team=team, user=actor).delete()
    if not deleted:
        raise ValidationError(_("You are not in this team."), code="not_member")
    _notify(team.lead, "member_left", team, who=actor)
    return team


@transaction.atomic
def team_handover(*, actor: User, team: Team, new_lead: User) -> Team:
    """Make another member the team's lead."""
    _check(actor, "inquirylab.hand_over_team", team)
    team = _locked(team)
    _check(actor, "inquirylab.hand_over_team", team)
    stages.require(team.challenge, Action.CHANGE_TEAM)
    if new_lead.pk == actor.pk or not team.members.filter(user=new_lead).exists():
        raise ValidationError(_("Choose another member of the team."), code="not_member")
    team.lead = new_lead
    team.save(update_fields=["lead", "updated_at"])
    _notify(new_lead, "new_lead", team, who=actor)
    return team


@transaction.atomic
def team_member_remove(*, actor: User, team: Team, user: User) -> Team:
    """Remove a member from the team (the lead does); they are told."""
    _check(actor, "inquirylab.remove_team_member", team)
    team = _locked(team)
    _check(actor, "inquirylab.remove_team_member", team)
    stages.require(team.challenge, Action.CHANGE_TEAM)
    if user.pk == actor.pk:
        raise ValidationError(
            _("You cannot remove yourself. To leave, hand the team over first."), code="self"
        )
    deleted, _rows = TeamMember.objects.filter(team=team, user=user).delete()
    if not deleted:
        raise ValidationError(_("This person is not in the team."), code="not_member")
    _notify(user, "removed", team, who=actor)
    return team


# The participant's team profile


@transaction.atomic
def participant_profile_update(
    *, actor: User, challenge: Challenge, skills: str, languages: list[str],
    is_looking_for_team: bool,
) -> Registration:  # fmt: skip
    """Change one's skills, working languages (in order of preference) and "looking" mark."""
    _check(actor, "inquirylab.change_participant_profile", challenge)
    if challenge.stage_at(timezone.now()) not in PROFILE_STAGES:
        raise ValidationError(
            _("Team profiles can be changed only until the submission deadline."), code="stage"
        )
    registration = Registration.objects.select_for_update(of=("self",)).get(
        challenge=challenge, user=actor
    )
    languages = list(dict.fromkeys(languages))
    if not languages:
        raise ValidationError(
            {"languages": _("Choose at least one language you can work in.")}, code="languages"
        )
    if any(code not in (challenge.languages or []) for code in languages):
        raise ValidationError(
            {"languages": _("Choose languages this challenge runs in.")}, code="languages"
        )
    in_team = TeamMember.objects.filter(challenge=challenge, user=actor).exists()
    registration.skills = (skills or "").strip()
    registration.languages = languages
    # Someone in a team is not looking for one: the list of people looking stays true.
    registration.is_looking_for_team = bool(is_looking_for_team) and not in_team
    registration.full_clean()
    registration.save(update_fields=["skills", "languages", "is_looking_for_team"])
    return registration


# The matching helper


@transaction.atomic
def match_propose(*, actor: User, challenge: Challenge) -> MatchProposal:
    """Store the helper's proposal for the people still alone; nothing else changes yet."""
    _check(actor, "inquirylab.match_teams", challenge)
    stages.require(challenge, Action.FORM_TEAMS)
    people = [(r.user_id, r.languages or [], r.country) for r in people_looking(challenge)]
    if not people:
        raise ValidationError(_("Nobody is looking for a team right now."), code="nobody")
    teams, unmatched = matching.propose(
        people, size_min=challenge.team_min, size_max=challenge.team_max,
        languages=challenge.languages or [],
    )  # fmt: skip
    # An older proposal would be reviewed against people who have moved on since.
    now = timezone.now()
    MatchProposal.objects.filter(challenge=challenge, status=MatchProposal.Status.PROPOSED).update(
        status=MatchProposal.Status.DISCARDED, decided_at=now
    )
    proposal = MatchProposal.objects.create(
        challenge=challenge, teams=teams, unmatched=unmatched, created_by=actor
    )
    audit_record(actor=actor, action="create", obj=proposal, after=snapshot(proposal))
    return proposal


def _locked_proposal(actor: User, proposal: MatchProposal) -> MatchProposal:
    _check(actor, "inquirylab.match_teams", proposal.challenge)
    proposal = (
        MatchProposal.objects.select_for_update(of=("self",))
        .select_related("challenge")
        .get(pk=proposal.pk)
    )
    if proposal.status != MatchProposal.Status.PROPOSED:
        raise ValidationError(
            _("This proposal has already been applied or discarded."), code="decided"
        )
    return proposal


def _next_team_names(challenge: Challenge, count: int) -> list[str]:
    names = Team.objects.filter(challenge=challenge).values_list("name", flat=True)
    taken = {name.casefold() for name in names}
    chosen: list[str] = []
    number = 1
    while len(chosen) < count:
        name = _("Team %(number)d") % {"number": number}
        if name.casefold() not in taken:
            chosen.append(name)
        number += 1
    return chosen


@transaction.atomic
def match_apply(*, actor: User, proposal: MatchProposal) -> list[Team]:
    """Create the proposed teams (first member leads) in one go, and tell their members.

    Refused, with nothing written, if anyone proposed has meanwhile joined a team or is no
    longer a confirmed participant.
    """
    proposal = _locked_proposal(actor, proposal)
    challenge = proposal.challenge
    stages.require(challenge, Action.FORM_TEAMS)
    ids = [u for team in proposal.teams for u in team["members"]]
    registrations = {
        r.user_id: r
        for r in Registration.objects.select_for_update(of=("self",))
        .filter(challenge=challenge, user_id__in=ids, status=Registration.Status.CONFIRMED)
        .select_related("user")
    }
    moved = set(
        TeamMember.objects.filter(challenge=challenge, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    moved |= {u for u in ids if u not in registrations}
    if moved:
        names = sorted(public_name(u) for u in User.objects.filter(pk__in=moved))
        raise ValidationError(
            _("The proposal was not applied, because some people joined a team or left the "
              "challenge since it was made: %(names)s. Propose teams again.")
            % {"names": ", ".join(names)},
            code="moved",
        )  # fmt: skip
    formed: list[tuple[Team, list[Registration]]] = []
    names = _next_team_names(challenge, len(proposal.teams))
    for name, planned in zip(names, proposal.teams, strict=True):
        members = [registrations[u] for u in planned["members"]]
        team = Team(
            challenge=challenge, name=name, lead=members[0].user, language=planned["language"]
        )
        team.full_clean()
        team.save()
        for registration in members:
            _add_member(team, registration.user, registration, own=False)
        formed.append((team, members))
    proposal.status = MatchProposal.Status.APPLIED
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=actor, action="update", obj=proposal,
        after={"status": proposal.status, "teams": [team.pk for team, _m in formed]},
    )  # fmt: skip
    for team, members in formed:
        for registration in members:
            is_lead = registration.user_id == team.lead_id
            _notify(registration.user, "matched", team, is_lead=is_lead)
    return [team for team, _m in formed]


@transaction.atomic
def match_discard(*, actor: User, proposal: MatchProposal) -> MatchProposal:
    """Set a proposal aside without changing any team."""
    proposal = _locked_proposal(actor, proposal)
    proposal.status = MatchProposal.Status.DISCARDED
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_at"])
    audit_record(actor=actor, action="update", obj=proposal, after={"status": proposal.status})
    return proposal
