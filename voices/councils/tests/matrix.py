from voices.accounts.models import Role
from voices.accounts.tests.factories import grant
from voices.core.tests.matrix import EVERYONE, NOBODY, PROGRAMME_STAFF, SIGNED_IN, Case
from voices.councils.models import JoinRequest
from voices.councils.services import invitation_create
from voices.councils.tests.factories import CouncilFactory, MembershipFactory


def extend_world(world) -> None:
    """The facilitator persona runs its own council; the objects below are another council's."""
    own = CouncilFactory(slug="own-council", country=world.country)
    grant(world.people["facilitator"], Role.FACILITATOR, own)
    other = CouncilFactory(slug="other-council", country=world.country)
    world.other_council = other
    world.other_membership = MembershipFactory(council=other, user=world.someone)
    world.other_join_request = JoinRequest.objects.create(council=other, user=world.someone)
    _invitation, world.other_invitation_token = invitation_create(
        actor=world.people["admin"], council=other, role="member", entry="elected"
    )
    world.other_invitation = _invitation


def _council(w) -> dict:
    return {"slug": w.other_council.slug}


CASES = [
    Case("councils:list", EVERYONE),
    Case("councils:create", PROGRAMME_STAFF),
    Case("councils:detail", EVERYONE, kwargs=_council),
    Case("councils:edit", PROGRAMME_STAFF, kwargs=_council),
    Case("councils:members", PROGRAMME_STAFF, kwargs=_council),
    Case(
        "councils:member_end",
        PROGRAMME_STAFF,
        kwargs=lambda w: {**_council(w), "membership_id": w.other_membership.pk},
        method="post",
    ),
    Case(
        "councils:join_request_decide",
        PROGRAMME_STAFF,
        kwargs=lambda w: {**_council(w), "request_id": w.other_join_request.pk},
        method="post",
        data=lambda w: {"decision": "decline"},
    ),
    Case("councils:invitations", PROGRAMME_STAFF, kwargs=_council),
    Case(
        "councils:invitation_revoke",
        PROGRAMME_STAFF,
        kwargs=lambda w: {**_council(w), "invitation_id": w.other_invitation.pk},
        method="post",
    ),
    Case(
        "councils:invitation_accept",
        SIGNED_IN,
        kwargs=lambda w: {"token": w.other_invitation_token},
        reason="whoever holds a valid link may use it: it is the link that grants the seat",
    ),
    Case("councils:join", SIGNED_IN, kwargs=_council),
    Case(
        "councils:own_membership",
        NOBODY,
        kwargs=_council,
        reason="none of the personas is a member of the other council",
    ),
]
