"""Permission-matrix cases of the Inquiry Lab's judging, results, vote and certificates (see
matrix.py).

The world gets judging set up on `other_challenge` (one judge without reviews) and
`lab_finished`, another organisation's challenge whose results are published.
"""

from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.core.tests.matrix import EVERYONE, NOBODY, PROGRAMME_STAFF, Case
from voices.inquirylab import result_services
from voices.inquirylab.models import Result, Stage
from voices.inquirylab.tests.factories import ChallengeFactory, TeamFactory, brief_for, move_to


def extend(world) -> None:
    """Add this area's objects to the world."""
    admin = world.people["admin"]
    result_services.judging_start(actor=admin, challenge=world.other_challenge)
    world.lab_judge = UserFactory(username="lab-judge")
    result_services.judge_add(
        actor=admin, challenge=world.other_challenge, identifier=world.lab_judge.username
    )
    world.lab_judge_candidate = UserFactory(username="lab-judge-candidate")
    world.lab_finished = ChallengeFactory(
        organiser=world.other_org, stage=Stage.WORK, slug="lab-finished"
    )
    brief = brief_for(TeamFactory(challenge=world.lab_finished))
    move_to(world.lab_finished, Stage.RESULTS)
    world.lab_finished.results_published_at = timezone.now()
    world.lab_finished.save()
    Result.objects.create(
        challenge=world.lab_finished, brief=brief, rank=1, raw_score=80, normalised_score=78
    )


def _running(w) -> dict:
    return {"slug": w.other_challenge.slug}


def _finished(w) -> dict:
    return {"slug": w.lab_finished.slug}


CASES = [
    # Judging: those who run the challenge (here programme staff), with a second factor.
    Case("inquirylab:judging", PROGRAMME_STAFF, kwargs=_running),
    Case(
        "inquirylab:judging_start",
        PROGRAMME_STAFF,
        kwargs=_running,
        method="post",
        data=lambda w: {"reviewers_per_item": 3},
        reason="set up already: staff are told so on the judging page",
    ),
    Case(
        "inquirylab:judging_judge_add",
        PROGRAMME_STAFF,
        kwargs=_running,
        method="post",
        data=lambda w: {"identifier": w.lab_judge_candidate.username},
    ),
    Case(
        "inquirylab:judging_judge_remove",
        PROGRAMME_STAFF,
        kwargs=lambda w: {**_running(w), "user_id": w.lab_judge.pk},
        method="post",
    ),
    Case(
        "inquirylab:judging_items",
        PROGRAMME_STAFF,
        kwargs=_running,
        method="post",
        reason="in the work stage staff are told that judging is not open",
    ),
    Case(
        "inquirylab:judging_assign",
        PROGRAMME_STAFF,
        kwargs=_running,
        method="post",
        reason="in the work stage staff are told that judging is not open",
    ),
    Case(
        "inquirylab:results_publish",
        PROGRAMME_STAFF,
        kwargs=_finished,
        method="post",
        data=lambda w: {"winners": 1},
        reason="no review round: staff see the refusal on the judging page",
    ),
    Case("inquirylab:results_unpublish", PROGRAMME_STAFF, kwargs=_finished, method="post"),
    # Public pages of a published challenge.
    Case("inquirylab:results", EVERYONE, kwargs=_finished),
    Case(
        "inquirylab:vote",
        EVERYONE,
        kwargs=_running,
        reason="the list of briefs is public; the vote itself (POST) needs a confirmed e-mail "
        "address and the judging stage: see test_public_vote",
    ),
    Case(
        "inquirylab:certificate",
        NOBODY,
        kwargs=_finished,
        reason="only its participants, mentors and judges: none of the personas is one",
    ),
]
