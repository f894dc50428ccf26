"""Who may do what with review rounds: one predicate per action (ARCHITECTURE: Permissions).

Who runs a round is the owner app's rule (`registry.Owner.can_manage`); the engine only asks it.
"""

import rules

from .registry import owner_of


@rules.predicate
def manages_round(user, round) -> bool:
    if round is None or not (user and user.is_authenticated):
        return False
    try:
        owner = owner_of(round)
    except LookupError:
        return False
    target = round.owner
    return target is not None and bool(owner.can_manage(user, target))


@rules.predicate
def reviews_assignment(user, assignment) -> bool:
    return bool(
        assignment is not None
        and user
        and user.is_authenticated
        and assignment.reviewer.user_id == user.pk
    )


rules.add_perm("assessments.manage_round", manages_round)
rules.add_perm("assessments.view_results", manages_round)
rules.add_perm("assessments.review", reviews_assignment)
rules.add_perm("assessments.declare_conflict", reviews_assignment)
