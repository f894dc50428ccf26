"""A stand-in owner for the engine's tests (the engine never imports the apps that own rounds):
an organisation owns the round, programme staff run it, and organisations are the items."""

from __future__ import annotations

import datetime

from django.utils import timezone

from voices.accounts.rules import is_programme_staff
from voices.accounts.tests.factories import UserFactory
from voices.directory.models import Organisation
from voices.directory.tests.factories import OrganisationFactory, text

from .. import registry, services
from ..models import Round, Rubric
from ..services import CriterionSpec, ItemSpec

START = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)


def _title(item, blind: bool) -> str:
    if blind:
        return item.code
    return f"{item.code} · {item.target.name}"


def _refusal(owner: Organisation) -> str:
    # An inactive owner stands for an owner app whose stage does not allow scoring now.
    return "" if owner.is_active else "Judging is not open now."


TEST_OWNER = registry.Owner(
    model=Organisation,
    can_manage=lambda user, owner: bool(is_programme_staff(user)),
    item_title=_title,
    item_template="assessments/_item.html",
    owner_url=lambda owner: owner.get_absolute_url(),
    scoring_refusal=_refusal,
    target_queryset=lambda: Organisation.objects.all(),
)


def register_test_owner() -> None:
    registry.register(TEST_OWNER)


def spec(
    title: str = "Evidence",
    *,
    weight: int = 1,
    scale: tuple[int, int] = (1, 5),
) -> CriterionSpec:
    low, high = scale
    return CriterionSpec(
        title=text(title),
        description=text(f"How well the brief does on {title.lower()}."),
        weight=weight,
        scale_min=low,
        scale_max=high,
        levels={s: text(f"{title}: level {s}") for s in range(low, high + 1)},
    )


def make_rubric(*specs: CriterionSpec) -> Rubric:
    return services.rubric_create(title=text("Jury rubric"), criteria=list(specs) or [spec()])


def make_round(*specs: CriterionSpec, owner=None, per_item: int = 3, blind: bool = False) -> Round:
    register_test_owner()
    return services.round_create(
        owner=owner or OrganisationFactory(),
        rubric=make_rubric(*specs),
        reviewers_per_item=per_item,
        is_blind=blind,
    )


def add_items(round: Round, count: int, *, start: int = 1, **per_code) -> list:
    """`count` items "Entry <start>"…, each an organisation, submitted a minute apart."""
    specs = []
    for n in range(start, start + count):
        code = f"Entry {n}"
        specs.append(
            ItemSpec(
                target=OrganisationFactory(),
                code=code,
                submitted_at=START + datetime.timedelta(minutes=n),
                **per_code.get(code, {}),
            )
        )
    return services.items_sync(round=round, items=specs)


def add_reviewers(round: Round, count: int, *, actor, **kwargs) -> list:
    return [
        services.reviewer_add(actor=actor, round=round, user=UserFactory(), **kwargs).user
        for _n in range(count)
    ]


def now() -> datetime.datetime:
    return timezone.now()
