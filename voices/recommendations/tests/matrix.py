"""Who may use the recommendations' pages and API routes on another council's or authority's."""

from voices.core.tests.matrix import EVERYONE, NOBODY, PROGRAMME_STAFF, SIGNED_IN, Case
from voices.recommendations import services
from voices.recommendations.models import Evidence
from voices.recommendations.tests.factories import (
    RecommendationFactory,
    domain,
    recommendation_sent,
)


def extend_world(world) -> None:
    """Recommendations of another council, addressed to an authority none of the personas serves.

    Runs after the councils' module, which made `world.other_council`.
    """
    admin = world.people["admin"]
    council, authority = world.other_council, world.other_org
    world.other_recommendation = recommendation_sent(
        actor=admin, council=council, addressees=[authority]
    )
    world.other_addressee = world.other_recommendation.addressees.get()
    world.other_draft = RecommendationFactory(council=council, addressees=[authority])
    world.other_evidence = Evidence.objects.create(
        recommendation=world.other_draft, label="Survey of 2024", url="https://example.org/s"
    )
    world.other_adopted = services.recommendation_adopt(
        actor=admin,
        recommendation=RecommendationFactory(council=council, addressees=[authority]),
    )


def _sent(w) -> dict:
    return {"recommendation_id": w.other_recommendation.pk}


def _draft(w) -> dict:
    return {"recommendation_id": w.other_draft.pk}


def _track(w) -> dict:
    return {"addressee_id": w.other_addressee.pk}


def _recommendation_form(w) -> dict:
    return {
        "title_en": "Open the housing office on Saturdays",
        "text_en": "The council asks the city to open the office on Saturdays.",
        "domain": str(domain("housing").pk),
        "addressees": [str(w.other_org.pk)],
    }


CASES = [
    Case("recommendations:list", EVERYONE),
    Case("recommendations:export", EVERYONE),
    Case("recommendations:scorecards", EVERYONE),
    Case(
        "recommendations:inbox",
        frozenset({"officer", "admin"}),
        reason="officers see their authority's tracks; a superuser passes every has_perm and "
        "sees an empty inbox, since he answers for no authority",
    ),
    Case(
        "recommendations:council",
        EVERYONE,
        kwargs=lambda w: {"slug": w.other_council.slug},
        reason="everyone sees the sent ones; the drafts only the council's people",
    ),
    Case(
        "recommendations:create",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"slug": w.other_council.slug},
        method="post",
        data=_recommendation_form,
        reason="drafting a recommendation of another council",
    ),
    Case(
        "recommendations:detail",
        PROGRAMME_STAFF,
        kwargs=_draft,
        reason="a draft stays inside its council; a sent one is public (see api:recommendation "
        "and test_views)",
    ),
    Case(
        "recommendations:edit",
        PROGRAMME_STAFF,
        kwargs=_draft,
        method="post",
        data=_recommendation_form,
    ),  # fmt: skip
    Case("recommendations:adopt", PROGRAMME_STAFF, kwargs=_draft, method="post"),
    Case(
        "recommendations:send",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"recommendation_id": w.other_adopted.pk},
        method="post",
    ),
    Case(
        "recommendations:withdraw",
        PROGRAMME_STAFF,
        kwargs=_sent,
        method="post",
        data=lambda w: {"reason": "The city already decided."},
    ),
    Case(
        "recommendations:follow",
        SIGNED_IN,
        kwargs=_sent,
        method="post",
        data=lambda w: {"follow": "1"},
        reason="anyone signed in may follow a public recommendation",
    ),
    Case(
        "recommendations:evidence_add",
        PROGRAMME_STAFF,
        kwargs=_draft,
        method="post",
        data=lambda w: {"label": "Consultation results", "url": "https://example.org/c"},
    ),
    Case(
        "recommendations:evidence_remove",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"evidence_id": w.other_evidence.pk},
        method="post",
    ),
    Case(
        "recommendations:respond",
        NOBODY,
        kwargs=_track,
        reason="only the authority's own officers answer; administrators do not either",
    ),
    Case("recommendations:acknowledge", NOBODY, kwargs=_track, method="post"),
    Case(
        "recommendations:progress",
        NOBODY,
        kwargs=_track,
        method="post",
        data=lambda w: {"percent": "50", "note": "Half done.", "language": "en"},
    ),
    Case(
        "recommendations:close",
        NOBODY,
        kwargs=_track,
        method="post",
        data=lambda w: {"implemented": "yes", "note": "Done."},
    ),
    # The open-data API: what is public, to anyone.
    Case("api:recommendations", EVERYONE),
    Case("api:recommendation_scorecards", EVERYONE),
    Case("api:recommendation", EVERYONE, kwargs=_sent, reason="a sent one is public"),
]
