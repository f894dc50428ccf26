"""How forwarded briefs follow the council's decisions (see voices/councils/handoff.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task


def connect() -> None:
    """Listen to the councils' hand-off points."""
    from voices.councils import handoff

    handoff.on_request_adopted(forwardings_adopted_enqueue)
    handoff.on_council_page(council_link)
    handoff.on_motion_page(motion_link)


@task()
def forwardings_adopted(*, motion_id: int) -> None:
    from . import forwarding_services

    forwarding_services.forwardings_mark_adopted(motion_id=motion_id)


def forwardings_adopted_enqueue(motion_id: int) -> None:
    """Called by councils after the ballot that adopted the request has committed; a task, so
    that a failure here never reaches the council's vote."""
    forwardings_adopted.enqueue(motion_id=motion_id)


def council_link(council, user) -> tuple[str, str] | None:
    """ "Briefs from the Inquiry Lab", for the council's members and staff, once one arrived."""
    from .forwarding_selectors import council_has_forwardings

    # The permission reads the membership the council page has already read (it is cached on
    # the user), so the link costs one query: whether any brief was sent.
    if not user.has_perm("inquirylab.view_council_briefs", council):
        return None
    if not council_has_forwardings(council):
        return None
    return _("Briefs from the Inquiry Lab"), reverse(
        "inquirylab:council_briefs", kwargs={"slug": council.slug}
    )


def motion_link(motion, user) -> tuple[str, str] | None:
    """From a motion back to the winning brief it was drafted from."""
    from .forwarding_selectors import forwarding_for_motion

    forwarding = forwarding_for_motion(motion)
    if forwarding is None:
        return None
    label = _("Drafted from a winning brief of the Inquiry Lab: %(title)s") % {
        "title": str(forwarding.brief)
    }
    return label, reverse("inquirylab:brief", kwargs={"brief_id": forwarding.brief_id})
