"""Permission-matrix cases of the Inquiry Lab's teams pages (see matrix.py).

None of the personas is registered for `world.other_challenge`, leads or is in `other_team`, or
runs the challenge except programme staff; so team actions are nobody's, and the organisers'
pages are programme staff's.
"""

from voices.accounts.tests.factories import UserFactory
from voices.core.tests.matrix import EVERYONE, NOBODY, PROGRAMME_STAFF, Case
from voices.inquirylab.models import MatchProposal, Registration, TeamRequest
from voices.inquirylab.tests.factories import RegistrationFactory


def extend(world) -> None:
    """A stranger's join request to `other_team`, and a proposal of teams for two strangers."""
    challenge = world.other_challenge
    asker = RegistrationFactory(challenge=challenge, is_looking_for_team=True).user
    world.other_team_request = TeamRequest.objects.create(
        team=world.other_team, user=asker, kind=TeamRequest.Kind.JOIN_REQUEST,
        created_by=asker, message="I write well.",
    )  # fmt: skip
    alone = [
        RegistrationFactory(
            challenge=challenge, user=UserFactory(), status=Registration.Status.CONFIRMED,
            is_looking_for_team=True, country=country,
        ).user_id
        for country in ("AT", "IT")
    ]  # fmt: skip
    world.other_match_proposal = MatchProposal.objects.create(
        challenge=challenge, teams=[{"language": "en", "members": alone}], unmatched=[]
    )


def _slug(w) -> dict:
    return {"slug": w.other_challenge.slug}


def _team(w) -> dict:
    return {"team_id": w.other_team.pk}


def _proposal(w) -> dict:
    return {"proposal_id": w.other_match_proposal.pk}


def _a_member(w) -> dict:
    member = w.other_team.members.exclude(user=w.other_team.lead).first()
    return {"user": member.user_id}


CASES = [
    # The teams, their names and members' public names are public with the challenge.
    Case("inquirylab:teams", EVERYONE, kwargs=_slug),
    Case("inquirylab:team", EVERYONE, kwargs=_team),
    # Skills, languages and countries: the challenge's confirmed people, mentors, organisers.
    Case(
        "inquirylab:people",
        PROGRAMME_STAFF,
        kwargs=_slug,
        reason="no persona takes part in or mentors another organisation's challenge",
    ),
    Case(
        "inquirylab:participant_profile",
        NOBODY,
        kwargs=_slug,
        reason="one's own registration only, and no persona registered",
    ),
    # Forming and changing teams: confirmed participants, leads and members only.
    Case("inquirylab:team_create", NOBODY, kwargs=_slug),
    Case("inquirylab:team_edit", NOBODY, kwargs=_team, reason="the team's lead only"),
    Case(
        "inquirylab:team_invite",
        NOBODY,
        kwargs=_team,
        method="post",
        data=lambda w: {"user": w.other_team_request.user_id},
    ),
    Case(
        "inquirylab:team_join",
        NOBODY,
        kwargs=_team,
        method="post",
        data=lambda w: {"message": "I can write."},
        reason="only the challenge's confirmed participants ask to join",
    ),
    Case(
        "inquirylab:team_request_answer",
        NOBODY,
        kwargs=lambda w: {"request_id": w.other_team_request.pk},
        method="post",
        data=lambda w: {"action": "accept"},
        reason="the lead answers join requests; the invited person answers invitations",
    ),
    Case("inquirylab:team_leave", NOBODY, kwargs=_team, method="post"),
    Case("inquirylab:team_handover", NOBODY, kwargs=_team, method="post", data=_a_member),
    Case("inquirylab:team_remove_member", NOBODY, kwargs=_team, method="post", data=_a_member),
    # The organisers' team matching.
    Case("inquirylab:matching", PROGRAMME_STAFF, kwargs=_slug),
    Case("inquirylab:matching_propose", PROGRAMME_STAFF, kwargs=_slug, method="post"),
    Case(
        "inquirylab:matching_apply",
        PROGRAMME_STAFF,
        kwargs=_proposal,
        method="post",
        reason="the work stage refuses it with a message; the permission is what is checked",
    ),
    Case("inquirylab:matching_discard", PROGRAMME_STAFF, kwargs=_proposal, method="post"),
]
