"""Reads for the assessment engine, with who may see what (hidden things are a 404), and the
results: raw and normalised scores, ranked with the documented tie-break (docs/assessments.md).

Every list here runs a fixed number of queries however many items or reviews there are.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Assignment, Conflict, Criterion, Item, Reviewer, Round, Score
from .registry import owner_of, registered

# Below this a standard deviation is rounding noise: the reviewer gave equal scores.
EPSILON = 1e-9
# Scores are compared at this many decimals, so that float noise never decides a rank.
DECIMALS = 9


def _target_prefetch(lookup: str) -> GenericPrefetch | str:
    """Prefetch items' targets with each owner's queryset (what its item_title reads)."""
    querysets = [o.target_queryset() for o in registered() if o.target_queryset is not None]
    return GenericPrefetch(lookup, querysets) if querysets else lookup


def round_for(owner: models.Model) -> Round | None:
    owner_type = ContentType.objects.get_for_model(owner)
    return (
        Round.objects.select_related("rubric")
        .filter(owner_type=owner_type, owner_id=str(owner.pk))
        .first()
    )


def round_get_for_user(round_id: int, *, user) -> Round:
    """The round, if `user` runs it; else 404."""
    round = get_object_or_404(Round.objects.select_related("rubric"), pk=round_id)
    if not user.has_perm("assessments.manage_round", round):
        raise Http404
    return round


def criteria_of(rubric) -> list[Criterion]:
    """The rubric's criteria in order, each with its described levels."""
    return list(rubric.criteria.order_by("position", "id").prefetch_related("levels"))


def top_criterion(criteria: list[Criterion]) -> Criterion | None:
    """The criterion that breaks ties: highest weight, the first of those in rubric order."""
    best = None
    for criterion in criteria:
        if best is None or criterion.weight > best.weight:
            best = criterion
    return best


def assignments_of(user) -> QuerySet[Assignment]:
    """The reviewer's own assignments in every round: to do first, then done."""
    if not (user and user.is_authenticated):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(reviewer__user=user)
        .select_related("item__round__rubric", "reviewer")
        .prefetch_related(_target_prefetch("item__target"), "item__round__owner", "scores")
        .order_by(
            models.F("submitted_at").desc(nulls_first=True), "item__round_id", "item__code", "pk"
        )
    )


def is_reviewer_of(user, target: models.Model) -> bool:
    """Whether `user` is assigned to review `target` (an owner's object) in any round."""
    return Assignment.objects.filter(
        item__object_type=ContentType.objects.get_for_model(target),
        item__object_id=str(target.pk),
        reviewer__user=user,
    ).exists()


def _owned_by(owner: models.Model, prefix: str = "") -> dict:
    """Filter arguments for rows of the round `owner` owns (one query, no round lookup first)."""
    return {
        f"{prefix}round__owner_type": ContentType.objects.get_for_model(owner),
        f"{prefix}round__owner_id": str(owner.pk),
    }


def item_of(owner: models.Model, target: models.Model) -> Item | None:
    """The item assessing `target` in the round of `owner`, if it was added."""
    return Item.objects.filter(
        **_owned_by(owner),
        object_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
    ).first()


def has_submitted_review(user, owner: models.Model) -> bool:
    """Whether `user` submitted at least one review in the round of `owner`."""
    return Reviewer.objects.filter(
        **_owned_by(owner), user=user, assignments__submitted_at__isnull=False
    ).exists()


def assignment_get_for_user(assignment_id: int, *, user) -> Assignment:
    """The assignment, if it is `user`'s own; else 404."""
    if not (user and user.is_authenticated):
        raise Http404
    qs = Assignment.objects.select_related("item__round__rubric", "reviewer").prefetch_related(
        "scores"
    )
    return get_object_or_404(qs, pk=assignment_id, reviewer__user=user)


def items_of(round: Round) -> QuerySet[Item]:
    return (
        Item.objects.filter(round=round)
        .prefetch_related(_target_prefetch("target"))
        .annotate(assigned=Count("assignments"))
        .order_by("code", "pk")
    )


def item_title(item: Item, round: Round, *, blind: bool) -> str:
    return owner_of(round).item_title(item, blind)


def progress(round: Round) -> dict:
    """How far reviewing is: counts, each reviewer's load, and items lacking reviewers."""
    reviewers = list(
        Reviewer.objects.filter(round=round)
        .select_related("user", "organisation")
        .annotate(
            assigned=Count("assignments"),
            submitted=Count("assignments", filter=Q(assignments__submitted_at__isnull=False)),
        )
        .order_by("pk")
    )
    items = list(Item.objects.filter(round=round).annotate(assigned=Count("assignments")))
    short = [i for i in items if i.assigned < round.reviewers_per_item]
    return {
        "items": len(items),
        "assignments": sum(r.assigned for r in reviewers),
        "submitted": sum(r.submitted for r in reviewers),
        "per_reviewer": [
            {"reviewer": r, "assigned": r.assigned, "submitted": r.submitted} for r in reviewers
        ],
        "short": sorted(short, key=lambda i: (i.code, i.pk)),
    }


# Results


@dataclass(frozen=True)
class ItemResult:
    item: Item
    rank: int
    raw: float | None
    normalised: float | None
    z: float | None
    reviews: int
    criteria: dict[int, float]
    decided_by: str


def review_score(values: dict[int, int], criteria: list[Criterion]) -> float:
    """100 · Σ w·(v − min)/(max − min) / Σ w over the criteria scored."""
    total = weights = 0.0
    for criterion in criteria:
        if criterion.pk not in values:
            continue
        span = criterion.scale_max - criterion.scale_min
        total += criterion.weight * (values[criterion.pk] - criterion.scale_min) / span
        weights += criterion.weight
    return 100 * total / weights if weights else 0.0


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _pstdev(values: list[float], mean: float) -> float:
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def _rank_key(result: dict) -> list[tuple[str, object]]:
    """What decides between two items, in order, each with the name of that tie-break."""
    reviewed = result["raw"] is not None

    def rounded(value):
        return -round(value, DECIMALS) if reviewed and value is not None else 0.0

    return [
        ("", 0 if reviewed else 1),
        ("", rounded(result["normalised"])),
        ("raw", rounded(result["raw"])),
        ("top_criterion", rounded(result["top"])),
        ("submitted_at", result["item"].submitted_at),
        # Numbers as codes sort as numbers: "9" before "10".
        ("code", (len(result["item"].code), result["item"].code)),
    ]


def results(round: Round) -> list[ItemResult]:
    """Every item of the round, ranked (see the module docstring and docs/assessments.md)."""
    criteria = list(Criterion.objects.filter(rubric=round.rubric_id).order_by("position", "id"))
    top = top_criterion(criteria)
    items = list(
        Item.objects.filter(round=round)
        .prefetch_related(_target_prefetch("target"))
        .order_by("code", "pk")
    )
    rows = Score.objects.filter(
        assignment__item__round=round, assignment__submitted_at__isnull=False
    ).values_list(
        "assignment_id", "assignment__item_id", "assignment__reviewer_id", "criterion_id", "value"
    )
    reviews: dict[int, dict] = {}
    for assignment_id, item_id, reviewer_id, criterion_id, value in rows:
        review = reviews.setdefault(
            assignment_id, {"item": item_id, "reviewer": reviewer_id, "values": {}}
        )
        review["values"][criterion_id] = value
    for review in reviews.values():
        review["score"] = review_score(review["values"], criteria)

    # Each reviewer's own mean and spread: z says how far above their usual a review is.
    by_reviewer: dict[int, list[dict]] = defaultdict(list)
    for review in reviews.values():
        by_reviewer[review["reviewer"]].append(review)
    for own in by_reviewer.values():
        scores = [r["score"] for r in own]
        mean = _mean(scores)
        spread = _pstdev(scores, mean)
        for review in own:
            small = len(own) < 2 or spread < EPSILON
            review["z"] = 0.0 if small else (review["score"] - mean) / spread

    all_scores = [r["score"] for r in reviews.values()]
    round_mean = _mean(all_scores) if all_scores else 0.0
    round_spread = _pstdev(all_scores, round_mean) if all_scores else 0.0

    by_item: dict[int, list[dict]] = defaultdict(list)
    for review in reviews.values():
        by_item[review["item"]].append(review)
    computed = []
    for item in items:
        own = by_item.get(item.pk, [])
        entry = {"item": item, "reviews": len(own), "raw": None, "normalised": None, "z": None}
        entry["top"] = None
        entry["criteria"] = {}
        if own:
            entry["raw"] = _mean([r["score"] for r in own])
            entry["z"] = _mean([r["z"] for r in own])
            entry["normalised"] = round_mean + entry["z"] * round_spread
            for criterion in criteria:
                values = [r["values"][criterion.pk] for r in own if criterion.pk in r["values"]]
                if values:
                    entry["criteria"][criterion.pk] = _mean(values)
            entry["top"] = entry["criteria"].get(top.pk) if top else None
        computed.append(entry)

    ranked = sorted(computed, key=lambda e: [value for _name, value in _rank_key(e)])
    out = []
    previous = None
    for rank, entry in enumerate(ranked, start=1):
        decided_by = ""
        if previous is not None:
            for (name, mine), (_n, theirs) in zip(
                _rank_key(entry), _rank_key(previous), strict=True
            ):
                if mine != theirs:
                    decided_by = name
                    break
        out.append(
            ItemResult(
                item=entry["item"],
                rank=rank,
                raw=entry["raw"],
                normalised=entry["normalised"],
                z=entry["z"],
                reviews=entry["reviews"],
                criteria=entry["criteria"],
                decided_by=decided_by,
            )
        )
        previous = entry
    return out


def feedback_for(item: Item) -> list[str]:
    """The comments of the item's submitted reviews, without the reviewers' names."""
    comments = (
        Assignment.objects.filter(item=item, submitted_at__isnull=False)
        .exclude(comment="")
        .order_by("submitted_at", "pk")
        .values_list("comment", flat=True)
    )
    return list(comments)


def declared_conflicts(round: Round) -> list[Conflict]:
    """Conflicts reviewers declared themselves, with their notes (for those who run the round)."""
    return list(
        Conflict.objects.filter(item__round=round, reason=Conflict.Reason.DECLARED)
        .select_related("item", "user")
        .order_by("item__code", "pk")
    )
