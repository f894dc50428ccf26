"""Who may use the Inquiry Lab's pages on another organisation's challenge.

The world gets `other_challenge` (organised by `world.other_org`, none of the personas runs it,
in its work stage) with a team of strangers; each area declares its URLs and adds its objects in
`matrix_<area>.py`.
"""

from voices.accounts.tests.factories import UserFactory
from voices.inquirylab.models import Stage
from voices.inquirylab.tests import (
    matrix_briefs,
    matrix_challenges,
    matrix_forwarding,
    matrix_mentors,
    matrix_results,
    matrix_teams,
)
from voices.inquirylab.tests.factories import ChallengeFactory, TeamFactory

AREAS = (
    matrix_challenges,
    matrix_teams,
    matrix_mentors,
    matrix_briefs,
    matrix_results,
    matrix_forwarding,
)


def extend_world(world) -> None:
    world.other_challenge = ChallengeFactory(organiser=world.other_org, stage=Stage.WORK)
    world.other_team = TeamFactory(
        challenge=world.other_challenge, lead=world.someone, members=[UserFactory()]
    )
    for area in AREAS:
        area.extend(world)


CASES = [case for area in AREAS for case in area.CASES]
