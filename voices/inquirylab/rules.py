"""Who may do what in the Inquiry Lab: one predicate per action (ARCHITECTURE: Permissions).

The predicates every area shares live here; each area adds its permissions in its own module
(`team_rules`, `mentor_rules`, `brief_rules`, `result_rules`, `challenge_rules`), imported below.
What the stage allows is checked apart by `stages.require`, which says why in plain words.
"""

import rules

from voices.accounts.models import Role
from voices.accounts.rules import is_programme_staff


def may(user, perm: str, obj=None) -> bool:
    """Whether `user` may `perm` on `obj`, by the rule alone.

    Django's `has_perm` lets a superuser do anything, including what only a person taking part
    does (book for their team, write in its thread, vote, download a certificate); through this
    an administrator has the powers of programme staff, which the rules give them, and no more.
    """
    return rules.has_perm(perm, user, obj)


@rules.predicate
def is_published(user, challenge) -> bool:
    return challenge is not None and challenge.is_published


@rules.predicate
def organises(user, challenge) -> bool:
    """Acts for the organiser: an officer or representative of the organising organisation."""
    if challenge is None or not (user and user.is_authenticated) or not challenge.organiser_id:
        return False
    return user.has_role(Role.OFFICER, challenge.organiser) or user.has_role(
        Role.REPRESENTATIVE, challenge.organiser
    )


@rules.predicate
def is_registered(user, challenge) -> bool:
    """Has an active (pending or confirmed) registration."""
    if challenge is None or not (user and user.is_authenticated):
        return False
    return challenge.registrations.filter(user=user, status__in=("pending", "confirmed")).exists()


@rules.predicate
def is_confirmed(user, challenge) -> bool:
    if challenge is None or not (user and user.is_authenticated):
        return False
    return challenge.registrations.filter(user=user, status="confirmed").exists()


@rules.predicate
def mentors(user, challenge) -> bool:
    if challenge is None or not (user and user.is_authenticated):
        return False
    return challenge.mentors.filter(user=user, is_active=True).exists()


# Run the challenge: programme staff, or the organiser's people.
runs_challenge = is_programme_staff | organises


@rules.predicate
def in_team(user, team) -> bool:
    if team is None or not (user and user.is_authenticated):
        return False
    return team.members.filter(user=user).exists()


@rules.predicate
def leads_team(user, team) -> bool:
    return team is not None and bool(user and user.is_authenticated) and team.lead_id == user.pk


@rules.predicate
def mentors_team(user, team) -> bool:
    """An active mentor of the team's challenge: every team's thread is open to them."""
    return team is not None and mentors(user, team.challenge)


@rules.predicate
def runs_team_challenge(user, team) -> bool:
    return team is not None and runs_challenge(user, team.challenge)


rules.add_perm("inquirylab.add_challenge", is_programme_staff)
rules.add_perm("inquirylab.view_challenge", is_published | runs_challenge)
rules.add_perm("inquirylab.change_challenge", runs_challenge)

from . import (  # noqa: E402, F401  (each registers its permissions)
    brief_rules,
    challenge_rules,
    forwarding_rules,
    mentor_rules,
    result_rules,
    team_rules,
)
