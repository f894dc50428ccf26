"""Who may use the engine's pages on a round run by none of the personas.

The round belongs to `world.other_org` through the stand-in owner of the engine's tests (the
engine cannot import the apps that own rounds); programme staff run it, `world.someone` reviews.
"""

from voices.accounts.tests.factories import UserFactory
from voices.assessments import services
from voices.assessments.tests.factories import add_items, make_round, spec
from voices.core.tests.matrix import NOBODY, PROGRAMME_STAFF, SIGNED_IN, Case


def extend_world(world) -> None:
    admin = world.people["admin"]
    round = make_round(spec("Evidence", weight=2), spec("Feasibility"), owner=world.other_org)
    add_items(round, 2)
    for user in (world.someone, UserFactory(), UserFactory()):
        services.reviewer_add(actor=admin, round=round, user=user)
    services.reviewers_assign(actor=admin, round=round)
    world.other_round = round
    world.other_assignment = round.items.first().assignments.get(reviewer__user=world.someone)
    world.other_criterion = round.rubric.criteria.first()
    world.other_reviewer = round.reviewers.get(user=world.someone)


def _round(w) -> dict:
    return {"round_id": w.other_round.pk}


def _criterion(w) -> dict:
    return {"round_id": w.other_round.pk, "criterion_id": w.other_criterion.pk}


def _assignment(w) -> dict:
    return {"assignment_id": w.other_assignment.pk}


CASES = [
    Case("assessments:my_reviews", SIGNED_IN, reason="each person sees only their own reviews"),
    Case("assessments:review", NOBODY, kwargs=_assignment, reason="someone else's review"),
    Case("assessments:conflict", NOBODY, kwargs=_assignment, method="post"),
    # Running the round: the owner's rule (here programme staff), with a second factor.
    Case("assessments:round", PROGRAMME_STAFF, kwargs=_round),
    Case(
        "assessments:round_settings",
        PROGRAMME_STAFF,
        kwargs=_round,
        method="post",
        data=lambda w: {"reviewers_per_item": 3},
        reason="refused with a message once reviewing started, but only to those who run it",
    ),
    Case(
        "assessments:reviewer_add",
        PROGRAMME_STAFF,
        kwargs=_round,
        method="post",
        data=lambda w: {"username": "p-judge"},
    ),
    Case(
        "assessments:reviewer_remove",
        PROGRAMME_STAFF,
        kwargs=lambda w: {**_round(w), "reviewer_id": w.other_reviewer.pk},
        method="post",
    ),
    Case("assessments:assign", PROGRAMME_STAFF, kwargs=_round, method="post"),
    Case("assessments:close", PROGRAMME_STAFF, kwargs=_round, method="post"),
    Case("assessments:reopen", PROGRAMME_STAFF, kwargs=_round, method="post"),
    Case("assessments:rubric", PROGRAMME_STAFF, kwargs=_round),
    Case("assessments:criterion_edit", PROGRAMME_STAFF, kwargs=_criterion),
    Case("assessments:criterion_remove", PROGRAMME_STAFF, kwargs=_criterion, method="post"),
    Case(
        "assessments:criterion_move",
        PROGRAMME_STAFF,
        kwargs=_criterion,
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    Case("assessments:results", PROGRAMME_STAFF, kwargs=_round),
    Case("assessments:results_csv", PROGRAMME_STAFF, kwargs=_round),
]
