"""Who may use the opinion map's pages on another authority's consultation."""

from voices.core.tests.matrix import EVERYONE, PROGRAMME_STAFF, SIGNED_IN, Case
from voices.opinions.tests.factories import OpinionMapFactory, StatementFactory


def extend_world(world) -> None:
    """An opinion map on the consultations module's `other_consultation` (published, in its
    contributions phase, run by an authority none of the personas serves), with a statement.

    Runs after the consultations' module, which made `world.other_consultation`.
    """
    world.other_map = OpinionMapFactory(consultation=world.other_consultation)
    world.other_statement = StatementFactory(
        map=world.other_map, text="Evening language classes should be free"
    )


def _map(w) -> dict:
    return {"consultation_id": w.other_consultation.pk}


def _statement(w) -> dict:
    return {**_map(w), "number": w.other_statement.number}


CASES = [
    # A published consultation's map is public; taking part needs an account (this consultation
    # takes no contributions without one).
    Case("opinions:vote", EVERYONE, kwargs=_map),
    Case("opinions:statements", EVERYONE, kwargs=_map),
    Case("opinions:map", EVERYONE, kwargs=_map),
    Case("opinions:report_pdf", EVERYONE, kwargs=_map),
    # The statements are public; each participant's votes are for those who run or moderate
    # the map (test_exports checks both).
    Case("opinions:export", EVERYONE, kwargs=lambda w: {**_map(w), "file": "comments"}),
    Case(
        "opinions:vote_cast",
        SIGNED_IN,
        kwargs=_statement,
        method="post",
        data=lambda w: {"value": "1"},
        reason="anyone with an account may take part in it",
    ),
    Case("opinions:participation", SIGNED_IN, kwargs=_map, method="post"),
    # Running and moderating the map: whoever runs the consultation, with a second factor.
    Case("opinions:settings", PROGRAMME_STAFF, kwargs=_map),
    Case("opinions:seed", PROGRAMME_STAFF, kwargs=_map),
    Case("opinions:analyse", PROGRAMME_STAFF, kwargs=_map, method="post"),
    Case(
        "opinions:moderate",
        PROGRAMME_STAFF,
        kwargs=_statement,
        method="post",
        data=lambda w: {"action": "hide", "reason": "An insult."},
    ),
]
