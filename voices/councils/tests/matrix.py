import datetime

from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import grant
from voices.core.tests.matrix import EVERYONE, NOBODY, PROGRAMME_STAFF, SIGNED_IN, Case
from voices.councils.models import AgendaItem, Ballot, JoinRequest, Meeting, Minutes, Motion
from voices.councils.services import invitation_create
from voices.councils.tests.factories import CouncilFactory, MembershipFactory
from voices.directory.tests.factories import text


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
    starts = timezone.now() + datetime.timedelta(days=7)
    world.other_meeting = Meeting.objects.create(
        council=other, title=text("Spring meeting"), place="City hall", starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )  # fmt: skip
    world.other_agenda_item = AgendaItem.objects.create(
        meeting=world.other_meeting, position=1, title=text("Welcome"), kind="decision"
    )
    world.other_motion = Motion.objects.create(
        agenda_item=world.other_agenda_item, title="More language courses", text="We ask.",
        language="en",
    )  # fmt: skip
    world.other_ballot = Ballot.objects.create(
        meeting=world.other_meeting, motion=world.other_motion, majority="simple"
    )
    past = timezone.now() - datetime.timedelta(days=30)
    ended = Meeting.objects.create(
        council=other, title=text("Autumn meeting"), place="City hall", starts_at=past,
        ends_at=past + datetime.timedelta(hours=2), status=Meeting.Status.ENDED,
    )  # fmt: skip
    world.other_minutes = Minutes.objects.create(
        meeting=ended, text="We met.", language="en", status=Minutes.Status.PUBLISHED
    )


def _council(w) -> dict:
    return {"slug": w.other_council.slug}


def _meeting(w) -> dict:
    return {"meeting_id": w.other_meeting.pk}


def _motion(w) -> dict:
    return {"motion_id": w.other_motion.pk}


def _ballot(w) -> dict:
    return {"ballot_id": w.other_ballot.pk}


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
        "councils:member_end_undo",
        PROGRAMME_STAFF,
        kwargs=lambda w: {**_council(w), "membership_id": w.other_membership.pk},
        method="post",
        reason="for those allowed, the answer explains that nothing was ended today",
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
    Case("councils:meetings", EVERYONE, kwargs=_council),
    Case("councils:meeting_create", PROGRAMME_STAFF, kwargs=_council),
    Case("councils:council_ical", EVERYONE, kwargs=_council),
    Case("councils:meeting_detail", EVERYONE, kwargs=_meeting),
    Case("councils:meeting_edit", PROGRAMME_STAFF, kwargs=_meeting),
    Case("councils:meeting_cancel", PROGRAMME_STAFF, kwargs=_meeting, method="post"),
    Case("councils:meeting_open", PROGRAMME_STAFF, kwargs=_meeting, method="post"),
    Case("councils:meeting_close", PROGRAMME_STAFF, kwargs=_meeting, method="post"),
    Case("councils:agenda", PROGRAMME_STAFF, kwargs=_meeting),
    Case(
        "councils:agenda_item",
        PROGRAMME_STAFF,
        kwargs=lambda w: {**_meeting(w), "item_id": w.other_agenda_item.pk},
        method="post",
        data=lambda w: {"action": "down"},
    ),
    Case(
        "councils:meeting_respond",
        NOBODY,
        kwargs=_meeting,
        method="post",
        data=lambda w: {"answer": "attending"},
        reason="only the council's members answer its invitations",
    ),
    Case("councils:attendance", PROGRAMME_STAFF, kwargs=_meeting),
    Case("councils:meeting_ical", EVERYONE, kwargs=_meeting),
    Case("councils:minutes_edit", PROGRAMME_STAFF, kwargs=_meeting),
    Case("councils:minutes", EVERYONE, kwargs=lambda w: {"minutes_id": w.other_minutes.pk}),
    Case(
        "councils:minutes_action",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"minutes_id": w.other_minutes.pk},
        method="post",
        data=lambda w: {"action": "publish"},
    ),
    Case(
        "councils:minutes_correct",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"minutes_id": w.other_minutes.pk},
        method="post",
    ),
    Case(
        "councils:motion_create",
        PROGRAMME_STAFF,
        kwargs=lambda w: {**_meeting(w), "item_id": w.other_agenda_item.pk},
    ),
    Case("councils:motion_detail", EVERYONE, kwargs=_motion),
    Case("councils:motion_withdraw", PROGRAMME_STAFF, kwargs=_motion, method="post"),
    Case("councils:amendment_create", PROGRAMME_STAFF, kwargs=_motion, method="post"),
    Case(
        "councils:ballot_prepare",
        PROGRAMME_STAFF,
        kwargs=_meeting,
        method="post",
        data=lambda w: {"subject": "motion", "subject_id": str(w.other_motion.pk)},
    ),
    Case("councils:ballot_detail", EVERYONE, kwargs=_ballot),
    Case(
        "councils:ballot_action",
        PROGRAMME_STAFF,
        kwargs=_ballot,
        method="post",
        data=lambda w: {"action": "open"},
    ),
    Case(
        "councils:vote",
        NOBODY,
        kwargs=_ballot,
        method="post",
        data=lambda w: {"choice": "for"},
        reason="only voting members recorded as present vote",
    ),
]
