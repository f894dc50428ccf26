"""Permission-matrix cases of the Inquiry Lab's challenges pages (see matrix.py).

`world.other_challenge` is published, in its work stage (registration closed), organised by
`world.other_org`, which none of the personas acts for: only programme staff run it.
"""

from voices.core.tests.matrix import EVERYONE, NOBODY, PROGRAMME_STAFF, SIGNED_IN, Case
from voices.inquirylab.models import Registration
from voices.inquirylab.tests.factories import ChallengeFactory, RegistrationFactory


def extend(world) -> None:
    """A stranger's pending registration, and a draft of the same organiser."""
    world.other_registration = RegistrationFactory(
        challenge=world.other_challenge, status=Registration.Status.PENDING, country="AT"
    )
    world.other_draft_challenge = ChallengeFactory(organiser=world.other_org, is_published=False)


def _slug(w) -> dict:
    return {"slug": w.other_challenge.slug}


def _draft(w) -> dict:
    return {"slug": w.other_draft_challenge.slug}


def _registration(w) -> dict:
    return {"registration_id": w.other_registration.pk}


CASES = [
    Case("inquirylab:list", EVERYONE),
    Case("inquirylab:detail", EVERYONE, kwargs=_slug),
    Case("inquirylab:create", PROGRAMME_STAFF),
    Case(
        "inquirylab:edit",
        PROGRAMME_STAFF,
        kwargs=_draft,
        reason="a draft of an organisation the persona does not act for",
    ),
    Case("inquirylab:publish", PROGRAMME_STAFF, kwargs=_draft, method="post"),
    Case(
        "inquirylab:register",
        SIGNED_IN,
        kwargs=_slug,
        reason="anyone signed in sees the form, or why registration is closed",
    ),
    Case(
        "inquirylab:registration_withdraw",
        NOBODY,
        kwargs=_slug,
        method="post",
        reason="none of the personas is registered for it",
    ),
    Case("inquirylab:registrations", PROGRAMME_STAFF, kwargs=_slug),
    Case(
        "inquirylab:registration_decide",
        PROGRAMME_STAFF,
        kwargs=_registration,
        method="post",
        data=lambda w: {"decision": "confirm"},
    ),
]
