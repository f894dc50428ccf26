"""Judged challenges for the results tests: teams with submitted briefs, judges and scores.

Everything goes through the services (the Lab's and the engine's), so the objects are the ones
the product makes.
"""

from __future__ import annotations

from types import SimpleNamespace

from voices.accounts.tests.factories import EmailAddressFactory, UserFactory
from voices.assessments import services as review_services
from voices.assessments.models import Assignment
from voices.inquirylab import result_services
from voices.inquirylab.models import Stage
from voices.inquirylab.tests.factories import TeamFactory, brief_for, move_to


def verified(user):
    """Give `user` a confirmed e-mail address (what the people's choice asks for)."""
    EmailAddressFactory(user=user, email=user.email, verified=True)
    user.__dict__.pop("_lab_verified_email", None)
    return user


def judging_under_way(challenge, *, organiser, teams: int = 3, judges: int = 3, **settings):
    """Move `challenge` through work (teams write and submit briefs) into judging, set up the
    judging, add judges and assign them. Briefs are titled "Brief 1", "Brief 2"... in the order
    of their codes ("Entry 1"...)."""
    move_to(challenge, Stage.WORK)
    made = []
    for n in range(1, teams + 1):
        team = TeamFactory(challenge=challenge, name=f"Team {n}", members=[UserFactory()])
        made.append((team, brief_for(team, title=f"Brief {n}")))
    move_to(challenge, Stage.JUDGING)
    round = result_services.judging_start(actor=organiser, challenge=challenge, **settings)
    people = [UserFactory() for _n in range(judges)]
    for person in people:
        result_services.judge_add(actor=organiser, challenge=challenge, identifier=person.username)
    result_services.judging_reviewers_assign(actor=organiser, challenge=challenge)
    round.refresh_from_db()
    return SimpleNamespace(
        challenge=challenge,
        round=round,
        teams=[t for t, _b in made],
        briefs=[b for _t, b in made],
        judges=people,
    )


def score_all(world, *, value=None, comment: str = "Clear and well argued.", leave: int = 0):
    """Submit every review (but the last `leave`): every criterion gets `value(item)`, by
    default 5 for "Entry 1", 4 for "Entry 2"... (never below 1)."""
    value = value or (lambda item: max(1, 6 - int(item.code.split()[-1])))
    criteria = list(world.round.rubric.criteria.all())
    assignments = list(
        Assignment.objects.filter(item__round=world.round)
        .select_related("item", "reviewer__user")
        .order_by("item__code", "reviewer_id")
    )
    for assignment in assignments[: len(assignments) - leave]:
        review_services.review_save(
            user=assignment.reviewer.user,
            assignment=assignment,
            scores={c.pk: value(assignment.item) for c in criteria},
            comment=comment,
            submit=True,
        )
    return assignments


def judged(challenge, *, organiser, **kwargs):
    """A challenge whose judges submitted every review, now in its results stage."""
    world = judging_under_way(challenge, organiser=organiser, **kwargs)
    score_all(world)
    move_to(challenge, Stage.RESULTS)
    return world


def published(challenge, *, organiser, winners: int = 1, **kwargs):
    """A judged challenge whose results are published."""
    world = judged(challenge, organiser=organiser, **kwargs)
    result_services.results_publish(actor=organiser, challenge=challenge, winners=winners)
    challenge.refresh_from_db()
    return world
