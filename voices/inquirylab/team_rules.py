"""Permissions of the Inquiry Lab's team pages (see rules.py).

Who may act is decided here; whether the stage allows it now, and whether the team has room,
is decided by the services, which say why in plain words.

Acting as a participant (creating, joining, leading or leaving a team, answering for oneself) is
never granted by being an administrator: `acts_as` tests those permissions' predicates without
Django's superuser shortcut, so nobody is put in a team or speaks for a team but its people.
"""

import rules

from .rules import (
    in_team,
    is_confirmed,
    is_published,
    is_registered,
    leads_team,
    may,
    mentors,
    runs_challenge,
    runs_team_challenge,
)

# Permissions a person has only as themselves, never through the administrator's shortcut.
PERSONAL = frozenset(
    {
        "inquirylab.create_team",
        "inquirylab.change_team",
        "inquirylab.invite_to_team",
        "inquirylab.join_team",
        "inquirylab.answer_team_request",
        "inquirylab.cancel_team_request",
        "inquirylab.leave_team",
        "inquirylab.hand_over_team",
        "inquirylab.remove_team_member",
        "inquirylab.change_participant_profile",
    }
)


def acts_as(user, perm: str, obj) -> bool:
    """Whether `user` may use `perm` on `obj`; personal permissions skip the superuser rule."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if perm in PERSONAL:
        return may(user, perm, obj)
    return user.has_perm(perm, obj)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def team_challenge_published(user, team) -> bool:
    return team is not None and team.challenge.is_published


@rules.predicate
def registered_in_team_challenge(user, team) -> bool:
    return team is not None and is_registered(user, team.challenge)


@rules.predicate
def answers_request(user, request) -> bool:
    """The invited person answers an invitation; the team's lead answers a join request."""
    if request is None or not _signed_in(user):
        return False
    if request.kind == "invite":
        return request.user_id == user.pk
    return request.team.lead_id == user.pk


@rules.predicate
def sent_request(user, request) -> bool:
    """The person who asked to join, or the team's lead for an invitation (leads change)."""
    if request is None or not _signed_in(user):
        return False
    if request.kind == "join":
        return request.user_id == user.pk
    return request.team.lead_id == user.pk or request.created_by_id == user.pk


# Lists of teams, and each team's name and members' public names: public where the challenge is.
rules.add_perm("inquirylab.view_teams", is_published | runs_challenge)
rules.add_perm("inquirylab.view_team", team_challenge_published | runs_team_challenge)
# Requests, invitations and what a team is about to do: its members and the organisers.
rules.add_perm("inquirylab.view_team_requests", in_team | runs_team_challenge)
# The people looking for a team show skills, languages and country: not public.
rules.add_perm("inquirylab.view_people", is_confirmed | mentors | runs_challenge)

# Registered people (pending too): the service tells someone waiting for confirmation why not.
rules.add_perm("inquirylab.create_team", is_registered)
rules.add_perm("inquirylab.change_team", leads_team)
rules.add_perm("inquirylab.invite_to_team", leads_team)
rules.add_perm("inquirylab.join_team", registered_in_team_challenge)
rules.add_perm("inquirylab.answer_team_request", answers_request)
rules.add_perm("inquirylab.cancel_team_request", sent_request)
rules.add_perm("inquirylab.leave_team", in_team)
rules.add_perm("inquirylab.hand_over_team", leads_team)
rules.add_perm("inquirylab.remove_team_member", leads_team)

# Skills, languages and "looking for a team" of one's own registration.
rules.add_perm("inquirylab.change_participant_profile", is_registered)
# Proposing teams for the people still alone, and applying or discarding the proposal.
rules.add_perm("inquirylab.match_teams", runs_challenge)
