"""How a higher app owns review rounds without the engine importing it (ARCHITECTURE: layers).

The owner app (the Inquiry Lab, later the good-practice evaluation) registers its model once, in
its AppConfig.ready(): who runs a round, how an item is named and shown to reviewers, where its
own page is, and whether its stage lets reviewers score now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models

if TYPE_CHECKING:
    from voices.accounts.models import User

    from .models import Item, Round


@dataclass(frozen=True)
class Owner:
    model: type[models.Model]
    # Who runs the round: changes its settings, assigns reviewers, sees the results.
    can_manage: Callable[[User, models.Model], bool]
    # The title reviewers see; the second argument says the round is blind (no authors' names).
    item_title: Callable[[Item, bool], str]
    # Renders the item on the review page; context: item, target, round, blind, title.
    item_template: str
    owner_url: Callable[[models.Model], str]
    # "" when reviewers may score now, else a sentence saying why not (the owner's stage rule).
    scoring_refusal: Callable[[models.Model], str]
    # Optional: the queryset items' targets are read with (select_related for item_title), so a
    # list of reviews runs the same number of queries however long it is.
    target_queryset: Callable[[], models.QuerySet] | None = None


_owners: dict[str, Owner] = {}


def _key(model: type[models.Model]) -> str:
    return model._meta.label_lower


def register(owner: Owner) -> None:
    """Let rounds be owned by `owner.model` (registering the same model again replaces it)."""
    _owners[_key(owner.model)] = owner


def owner_for_model(model: type[models.Model]) -> Owner:
    try:
        return _owners[_key(model)]
    except KeyError:
        raise LookupError(f"No assessment owner is registered for {_key(model)}.") from None


def owner_of(round: Round) -> Owner:
    """The registered owner of `round`; LookupError if its model registered none."""
    content_type = ContentType.objects.get_for_id(round.owner_type_id)
    model = content_type.model_class()
    if model is None:
        raise LookupError(f"The owner model of round {round.pk} no longer exists.")
    return owner_for_model(model)


def registered() -> list[Owner]:
    return list(_owners.values())
