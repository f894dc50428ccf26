"""The parts a consultation can hold: proposals here; opinion maps, questionnaires and events
plug in from their own apps (which sit above this one) by registering a `Component`.

A consultation lists the keys of its parts in `components`; the page shows each one's block, in
that order, and the owner chooses among the registered ones in the consultation form. A part
whose content is moderated on its own pages tells the consultation's moderation page what waits
there (`moderation`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _


class Waiting(NamedTuple):
    """What of a part waits for a moderator, for the consultation's moderation page."""

    # In the part's words, with the number: "3 statements wait for a moderator".
    text: str
    # The page where the part's moderators decide on it.
    url: str
    # Items (statements, answers…), not people: no disclosure control applies.
    count: int


@dataclass(frozen=True)
class Component:
    key: str
    label: object  # a lazy translated string
    # Renders the part's block on the consultation page: (template name, context) or None to
    # show nothing for this viewer.
    block: Callable[..., tuple[str, dict] | None]
    # The part's own page, if it has one.
    url: Callable[..., str] | None = None
    # Called as moderation(consultation, user=user) for the consultation's moderation page (a
    # constant number of queries): what waits for the part's moderators, or None to show
    # nothing (not set up, or not this user's to moderate).
    moderation: Callable[..., Waiting | None] | None = None


_components: dict[str, Component] = {}


def register(component: Component) -> Component:
    _components[component.key] = component
    return component


def available() -> list[Component]:
    return list(_components.values())


def choices() -> list[tuple[str, object]]:
    return [(c.key, c.label) for c in _components.values()]


def for_consultation(consultation) -> list[Component]:
    return [_components[key] for key in consultation.components if key in _components]


def waiting_for_moderators(consultation, *, user) -> list[tuple[Component, Waiting]]:
    """What waits for a moderator in the consultation's parts that are moderated on their own
    pages, in the consultation's order of its parts."""
    found = []
    for component in for_consultation(consultation):
        if component.moderation is not None:
            waiting = component.moderation(consultation, user=user)
            if waiting is not None:
                found.append((component, waiting))
    return found


def _proposals_block(consultation, *, user, context: dict) -> tuple[str, dict]:
    from .selectors import proposal_list_preview

    return "consultations/_proposals_block.html", {
        "preview": proposal_list_preview(consultation=consultation, user=user),
    }


def _proposals_url(consultation) -> str:
    from django.urls import reverse

    return reverse("consultations:proposals", kwargs={"consultation_id": consultation.pk})


PROPOSALS = Component(
    key="proposals", label=_("Proposals"), block=_proposals_block, url=_proposals_url
)
