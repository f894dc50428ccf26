"""Who may do what with opinion maps: the consultation's own permissions, asked of the map's
consultation, so that a map is run and moderated by whoever runs and moderates its consultation.

Taking part (adding statements, voting) follows the consultation's phase and eligibility rules,
checked by `consultations.services.participant_for_action`.
"""

import rules


def _on_consultation(perm: str, name: str):
    """A predicate on a map (or on a statement) that asks `perm` of its consultation."""

    @rules.predicate(name=name)
    def predicate(user, obj) -> bool:
        if obj is None or not (user and user.is_authenticated):
            return False
        return user.has_perm(perm, obj.consultation)

    return predicate


@rules.predicate
def runs_consultation(user, consultation) -> bool:
    return consultation is not None and bool(
        user and user.is_authenticated
        and user.has_perm("consultations.change_consultation", consultation)
    )  # fmt: skip


runs_map = _on_consultation("consultations.change_consultation", "runs_map")
moderates_map = _on_consultation("consultations.moderate_consultation", "moderates_map")

# The object of `add_opinionmap` is the consultation the map is added to.
rules.add_perm("opinions.add_opinionmap", runs_consultation)
rules.add_perm("opinions.change_opinionmap", runs_map)
# Seed statements, and seeing statements that wait for a moderator.
rules.add_perm("opinions.moderate_opinionmap", moderates_map)
# Votes per (pseudonymous) participant, with their groups: microdata that the map page only
# publishes through disclosure control, so only those who run or moderate the map download it.
PERSON_LEVEL_FILES = frozenset({"votes", "participants-votes"})
rules.add_perm("opinions.export_votes", runs_map | moderates_map)
