"""The hand-off point after a council adopts a motion that asks an authority to act.

A higher app (recommendations) registers a handler; it is called after the ballot's transaction
commits, with the adopted motion's id. Councils does not know who listens.
"""

from collections.abc import Callable

_adopted_request_handlers: list[Callable[[int], None]] = []


def on_request_adopted(handler: Callable[[int], None]) -> Callable[[int], None]:
    """Register `handler(motion_id)` for adopted motions that ask an authority to act."""
    if handler not in _adopted_request_handlers:
        _adopted_request_handlers.append(handler)
    return handler


def request_adopted(motion_id: int) -> None:
    for handler in list(_adopted_request_handlers):
        handler(motion_id)


# Links a higher app adds to a council's page (its recommendations, its consultations...).
_council_link_providers: list[Callable] = []


def on_council_page(provider: Callable) -> Callable:
    """Register `provider(council, user) -> (label, url) | None` for the council page."""
    if provider not in _council_link_providers:
        _council_link_providers.append(provider)
    return provider


def council_links(council, user) -> list[tuple[str, str]]:
    return [link for p in _council_link_providers if (link := p(council, user)) is not None]


# Links a higher app adds to a motion's page (the recommendation it became...).
_motion_link_providers: list[Callable] = []


def on_motion_page(provider: Callable) -> Callable:
    """Register `provider(motion, user) -> (label, url) | None` for the motion page."""
    if provider not in _motion_link_providers:
        _motion_link_providers.append(provider)
    return provider


def motion_links(motion, user) -> list[tuple[str, str]]:
    return [link for p in _motion_link_providers if (link := p(motion, user)) is not None]
