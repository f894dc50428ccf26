"""Reads for the Inquiry Lab's teams, with who may see what (404 for what a user may not see).

List pages run a fixed number of queries however many teams and people a challenge has.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from voices.accounts.models import User

from . import challenge_selectors
from .models import Challenge, MatchProposal, Registration, Team, TeamMember, TeamRequest


def challenge_get_for_user(slug: str, *, user) -> Challenge:
    """Return the challenge if `user` may see its teams, else raise Http404 (hides drafts)."""
    return challenge_selectors.challenge_get_for_user(slug, user=user, perm="inquirylab.view_teams")


def _members_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=TeamMember.objects.select_related("user").order_by("joined_at", "id"),
        to_attr="member_list",
    )


def team_list(challenge: Challenge) -> QuerySet[Team]:
    """The challenge's teams with their members (as `member_list`) and `member_count`."""
    return (
        Team.objects.filter(challenge=challenge)
        .select_related("lead")
        .annotate(member_count=Count("members"))
        .prefetch_related(_members_prefetch())
        .order_by("name", "id")
    )


def team_get_for_user(team_id: int, *, user) -> Team:
    """Return the team with its challenge, lead and members, if `user` may see it."""
    qs = Team.objects.select_related("challenge__organiser", "lead").prefetch_related(
        _members_prefetch()
    )
    team = get_object_or_404(qs, pk=team_id)
    if not user.has_perm("inquirylab.view_team", team):
        raise Http404
    return team


def team_requests_pending(team: Team) -> list[TeamRequest]:
    """The team's open invitations and join requests, oldest first."""
    qs = TeamRequest.objects.filter(team=team, status=TeamRequest.Status.PENDING)
    return list(qs.select_related("user", "created_by").order_by("created_at", "id"))


def team_of(challenge: Challenge, user) -> Team | None:
    """The team `user` is in for this challenge, or None."""
    if not (user and user.is_authenticated):
        return None
    member = (
        TeamMember.objects.filter(challenge=challenge, user=user).select_related("team").first()
    )
    return member.team if member else None


def requests_of(challenge: Challenge, user) -> list[TeamRequest]:
    """The open invitations to `user` and the join requests they sent, in this challenge."""
    if not (user and user.is_authenticated):
        return []
    qs = TeamRequest.objects.filter(
        team__challenge=challenge, user=user, status=TeamRequest.Status.PENDING
    )
    return list(qs.select_related("team", "created_by").order_by("created_at", "id"))


def request_get_for_user(request_id: int, *, user) -> TeamRequest:
    """Return the request if `user` is its person, in its team, or runs its challenge."""
    qs = TeamRequest.objects.select_related("team__challenge", "user", "created_by")
    request = get_object_or_404(qs, pk=request_id)
    team = request.team
    if not (
        request.user_id == getattr(user, "pk", None)
        or user.has_perm("inquirylab.view_team_requests", team)
    ):
        raise Http404
    return request


def people_looking(challenge: Challenge) -> QuerySet[Registration]:
    """Confirmed participants without a team who are looking for one, first registered first."""
    in_team = TeamMember.objects.filter(challenge=challenge, user=OuterRef("user"))
    return (
        Registration.objects.filter(
            challenge=challenge,
            status=Registration.Status.CONFIRMED,
            is_looking_for_team=True,
        )
        .filter(~Exists(in_team))
        .select_related("user")
        .order_by("created_at", "id")
    )


def invited_by(team: Team | None) -> set[int]:
    """Ids of the people with an open invitation or join request with `team`."""
    if team is None:
        return set()
    qs = TeamRequest.objects.filter(team=team, status=TeamRequest.Status.PENDING)
    return set(qs.values_list("user_id", flat=True))


def match_proposals(challenge: Challenge) -> QuerySet[MatchProposal]:
    return MatchProposal.objects.filter(challenge=challenge).select_related("created_by")


def proposal_get_for_user(proposal_id: int, *, user) -> MatchProposal:
    """Return the proposal if `user` runs its challenge, else raise Http404."""
    qs = MatchProposal.objects.select_related("challenge", "created_by")
    proposal = get_object_or_404(qs, pk=proposal_id)
    if not user.has_perm("inquirylab.match_teams", proposal.challenge):
        raise Http404
    return proposal


def proposal_review(proposal: MatchProposal) -> tuple[list[dict], list[Registration]]:
    """The proposed teams with each member's registration (user, languages, country), and the
    registrations left unmatched; two queries however large the proposal."""
    ids = {u for team in proposal.teams for u in team["members"]} | set(proposal.unmatched)
    registrations = {
        r.user_id: r
        for r in Registration.objects.filter(challenge=proposal.challenge, user_id__in=ids)
        .select_related("user")
        .order_by()
    }
    in_team = set(
        TeamMember.objects.filter(challenge=proposal.challenge, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    teams = []
    for number, team in enumerate(proposal.teams, start=1):
        members = [registrations[u] for u in team["members"] if u in registrations]
        for registration in members:
            registration.now_in_team = registration.user_id in in_team
        teams.append(
            {
                "number": number,
                "language": team["language"],
                "members": members,
                "countries": sorted({r.country for r in members}),
            }
        )
    unmatched = [registrations[u] for u in proposal.unmatched if u in registrations]
    return teams, unmatched


def users_by_id(ids: list[int]) -> dict[int, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=ids)}


def team_counts(challenge: Challenge) -> dict[str, int]:
    """How many teams, and how many confirmed people are in one or still alone."""
    confirmed = Registration.objects.filter(
        challenge=challenge, status=Registration.Status.CONFIRMED
    )
    in_team = TeamMember.objects.filter(challenge=challenge, user=OuterRef("user"))
    return confirmed.aggregate(
        in_team=Count("pk", filter=Exists(in_team)),
        alone=Count("pk", filter=~Exists(in_team)),
    )
