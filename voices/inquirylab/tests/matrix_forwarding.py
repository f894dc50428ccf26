"""Permission-matrix cases of the Inquiry Lab's forwarding pages (see matrix.py)."""

from voices.core.tests.matrix import EVERYONE, PROGRAMME_STAFF, Case
from voices.inquirylab.models import Forwarding
from voices.inquirylab.tests.factories_forwarding import finished_challenge, winning_brief


def extend(world) -> None:
    """Add this area's objects to the world: a finished challenge of another organisation, its
    winning brief, and that brief sent to the other council (councils' matrix adds it)."""
    world.finished_challenge = finished_challenge(organiser=world.other_org)
    world.winning_brief = winning_brief(world.finished_challenge)
    world.other_forwarding = Forwarding.objects.create(
        brief=world.winning_brief, council=world.other_council, forwarded_by=world.someone
    )


def _forwarding(w) -> dict:
    return {"forwarding_id": w.other_forwarding.pk}


CASES = [
    Case(
        "inquirylab:forward",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"brief_id": w.winning_brief.pk},
        reason="only those who run the challenge send its briefs to councils",
    ),
    Case("inquirylab:forward_withdraw", PROGRAMME_STAFF, kwargs=_forwarding, method="post"),
    Case(
        "inquirylab:council_briefs",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"slug": w.other_council.slug},
        reason="none of the personas is a member or facilitator of the other council",
    ),
    Case(
        "inquirylab:forwarding_acknowledge",
        PROGRAMME_STAFF,
        kwargs=_forwarding,
        method="post",
        reason="only those who may propose motions in the council take a brief up",
    ),
    Case("inquirylab:forwarding_motion", PROGRAMME_STAFF, kwargs=_forwarding),
    Case(
        "inquirylab:forwarded",
        EVERYONE,
        kwargs=lambda w: {"slug": w.finished_challenge.slug},
        reason="what became of the winning briefs is public once the results are",
    ),
]
