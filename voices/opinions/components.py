"""The opinion map's part of a consultation page, and what of it waits on the consultation's
moderation page (registered with consultations.components)."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from voices.consultations.components import Component, Waiting


def _map_block(consultation, *, user, context: dict) -> tuple[str, dict] | None:
    from .selectors import map_of, map_totals

    opinion_map = map_of(consultation)
    if opinion_map is None:
        # Chosen among the consultation's parts but not set up yet: only its runners see that.
        if user.has_perm("opinions.add_opinionmap", consultation):
            return "opinions/_map_block.html", {"opinion_map": None}
        return None
    statements, votes = map_totals(opinion_map)
    return "opinions/_map_block.html", {
        "opinion_map": opinion_map,
        "statements": statements,
        "votes": votes,
        "can_change": user.has_perm("opinions.change_opinionmap", opinion_map),
    }


def _map_url(consultation) -> str:
    return reverse("opinions:map", kwargs={"consultation_id": consultation.pk})


def _map_moderation(consultation, *, user) -> Waiting | None:
    """The statements that wait for a moderator on the map's own moderation page."""
    from .selectors import statements_waiting_count

    # The map's moderators are the consultation's (opinions.rules).
    if not user.has_perm("consultations.moderate_consultation", consultation):
        return None
    count = statements_waiting_count(consultation)
    if count is None:
        return None
    if count:
        text = ngettext(
            "%(count)d statement waits for a moderator",
            "%(count)d statements wait for a moderator",
            count,
        ) % {"count": count}
    else:
        text = gettext("no statement waits for a moderator")
    url = reverse("opinions:seed", kwargs={"consultation_id": consultation.pk})
    return Waiting(text=text, url=url, count=count)


OPINIONS = Component(
    key="opinions",
    label=_("Opinion map"),
    block=_map_block,
    url=_map_url,
    moderation=_map_moderation,
)
