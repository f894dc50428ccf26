"""Writes for the assessment engine: rubrics, rounds, reviewers, conflicts, assignments, scores.

Who runs a round is the owner's rule (`registry.Owner.can_manage`, through the permission
`assessments.manage_round`); whether reviewers may score now is the owner's stage rule
(`Owner.scoring_refusal`). The rubric is fixed once reviewing starts, and a submitted review is
locked: both keep the scores comparable (docs/assessments.md).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from voices.accounts.models import User
from voices.core.audit import audit_record, snapshot
from voices.core.notifications import notification_send
from voices.core.translation import TranslatedText

from . import assignment as planner
from .models import Assignment, Conflict, Criterion, Item, Reviewer, Round, Rubric, ScaleLevel
from .models import Score as ScoreRow
from .registry import owner_for_model, owner_of

# More levels than this cannot each be described in a way reviewers can tell apart.
MAX_LEVELS = 11


@dataclass(frozen=True)
class CriterionSpec:
    title: TranslatedText
    description: TranslatedText
    weight: int
    scale_min: int
    scale_max: int
    levels: dict[int, TranslatedText]  # every score of the scale, described


@dataclass(frozen=True)
class ItemSpec:
    target: models.Model
    code: str
    submitted_at: datetime.datetime
    organisation_ids: frozenset[int] = frozenset()
    conflicts: dict[int, str] = field(default_factory=dict)  # user id -> Conflict.Reason value


def _check(actor, perm: str, obj) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(perm, obj)):
        raise PermissionDenied


def _locked_round(round: Round) -> Round:
    return Round.objects.select_for_update(of=("self",)).select_related("rubric").get(pk=round.pk)


# Rubrics


def _spec_check(spec: CriterionSpec) -> None:
    if spec.scale_max <= spec.scale_min:
        raise ValidationError(
            _("The highest score must be above the lowest score."), code="scale_order"
        )
    if spec.scale_max - spec.scale_min + 1 > MAX_LEVELS:
        raise ValidationError(
            _("A scale can have at most %(max)d scores.") % {"max": MAX_LEVELS},
            code="scale_too_wide",
        )
    missing = [
        s
        for s in range(spec.scale_min, spec.scale_max + 1)
        if not TranslatedText.from_json(spec.levels.get(s))
    ]
    if missing:
        raise ValidationError(
            _("Describe every score of the scale. Missing: %(scores)s.")
            % {"scores": ", ".join(str(s) for s in missing)},
            code="levels_missing",
        )


def _criterion_save(criterion: Criterion, spec: CriterionSpec) -> Criterion:
    _spec_check(spec)
    criterion.title = spec.title
    criterion.description = spec.description
    criterion.weight = spec.weight
    criterion.scale_min = spec.scale_min
    criterion.scale_max = spec.scale_max
    criterion.full_clean()
    criterion.save()
    scores = range(spec.scale_min, spec.scale_max + 1)
    criterion.levels.exclude(score__in=list(scores)).delete()
    existing = {level.score: level for level in criterion.levels.all()}
    for score in scores:
        level = existing.get(score) or ScaleLevel(criterion=criterion, score=score)
        level.description = TranslatedText.from_json(spec.levels[score])
        level.full_clean(exclude=["criterion"])
        level.save()
    return criterion


@transaction.atomic
def rubric_create(*, title: TranslatedText, criteria: list[CriterionSpec]) -> Rubric:
    """Make a rubric of weighted criteria, each score of each scale described."""
    if not criteria:
        raise ValidationError(_("A rubric needs at least one criterion."), code="no_criteria")
    rubric = Rubric(title=title)
    rubric.full_clean()
    rubric.save()
    for position, spec in enumerate(criteria):
        _criterion_save(Criterion(rubric=rubric, position=position), spec)
    return rubric


def _rubric_editable(actor, round: Round) -> Round:
    _check(actor, "assessments.manage_round", round)
    round = _locked_round(round)
    # A rubric shared with a round already reviewing would change the meaning of its scores.
    if round.rubric.rounds.exclude(status=Round.Status.SETUP).exists():
        raise ValidationError(
            _("The criteria cannot change once reviewers have started scoring."), code="started"
        )
    return round


@transaction.atomic
def criterion_add(*, actor: User, round: Round, spec: CriterionSpec) -> Criterion:
    """Add a criterion at the end of the round's rubric, while the round is being prepared."""
    round = _rubric_editable(actor, round)
    last = round.rubric.criteria.aggregate(m=models.Max("position"))["m"]
    criterion = _criterion_save(
        Criterion(rubric=round.rubric, position=0 if last is None else last + 1), spec
    )
    audit_record(actor=actor, action="create", obj=criterion, after=snapshot(criterion))
    return criterion


@transaction.atomic
def criterion_change(
    *, actor: User, round: Round, criterion: Criterion, spec: CriterionSpec
) -> Criterion:
    """Change a criterion of the round's rubric, while the round is being prepared."""
    round = _rubric_editable(actor, round)
    criterion = Criterion.objects.select_for_update(of=("self",)).get(
        pk=criterion.pk, rubric=round.rubric
    )
    before = snapshot(criterion)
    criterion = _criterion_save(criterion, spec)
    audit_record(
        actor=actor, action="update", obj=criterion, before=before, after=snapshot(criterion)
    )
    return criterion


@transaction.atomic
def criterion_remove(*, actor: User, round: Round, criterion: Criterion) -> None:
    """Remove a criterion from the round's rubric, keeping at least one."""
    round = _rubric_editable(actor, round)
    criterion = Criterion.objects.get(pk=criterion.pk, rubric=round.rubric)
    if round.rubric.criteria.count() <= 1:
        raise ValidationError(
            _("A rubric needs at least one criterion. Add another one first."),
            code="last_criterion",
        )
    audit_record(actor=actor, action="delete", obj=criterion, before=snapshot(criterion))
    # Drafts saved in SETUP cannot exist (nobody is assigned yet), so no score refers to it.
    criterion.delete()


@transaction.atomic
def criterion_move(*, actor: User, round: Round, criterion: Criterion, up: bool) -> None:
    """Swap a criterion with the one before (up) or after it; the first one decides ties."""
    round = _rubric_editable(actor, round)
    ordered = list(round.rubric.criteria.order_by("position", "id"))
    index = next(i for i, c in enumerate(ordered) if c.pk == criterion.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit_record(
        actor=actor, action="update", obj=criterion, after={"order": [c.pk for c in ordered]}
    )


# Rounds


@transaction.atomic
def round_create(
    *, owner: models.Model, rubric: Rubric, reviewers_per_item: int = 3, is_blind: bool = False
) -> Round:
    """Open the preparation of a review round for `owner` (one round per owner)."""
    owner_for_model(type(owner))  # LookupError: the owner app forgot to register
    owner_type = ContentType.objects.get_for_model(owner)
    if Round.objects.filter(owner_type=owner_type, owner_id=str(owner.pk)).exists():
        raise ValidationError(_("This already has a review round."), code="exists")
    round = Round(
        owner_type=owner_type,
        owner_id=str(owner.pk),
        rubric=rubric,
        reviewers_per_item=reviewers_per_item,
        is_blind=is_blind,
    )
    round.full_clean()
    round.save()
    return round


@transaction.atomic
def round_settings_change(
    *, actor: User, round: Round, reviewers_per_item: int, is_blind: bool
) -> Round:
    """Change how many reviewers each item gets and blind mode, before reviewing starts."""
    _check(actor, "assessments.manage_round", round)
    round = _locked_round(round)
    if round.status != Round.Status.SETUP:
        raise ValidationError(
            _("The settings cannot change once reviewers have been assigned."), code="started"
        )
    before = snapshot(round)
    round.reviewers_per_item = reviewers_per_item
    round.is_blind = is_blind
    round.full_clean()
    round.save(update_fields=["reviewers_per_item", "is_blind", "updated_at"])
    audit_record(actor=actor, action="update", obj=round, before=before, after=snapshot(round))
    return round


@transaction.atomic
def round_close(*, actor: User, round: Round) -> Round:
    """Stop the scoring; the results stay as they are."""
    _check(actor, "assessments.manage_round", round)
    round = _locked_round(round)
    if round.status != Round.Status.OPEN:
        raise ValidationError(_("Only a round that is open can be closed."), code="not_open")
    round.status = Round.Status.CLOSED
    round.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=round, after={"status": round.status})
    return round


@transaction.atomic
def round_reopen(*, actor: User, round: Round) -> Round:
    """Let reviewers score again after a round was closed too early."""
    _check(actor, "assessments.manage_round", round)
    round = _locked_round(round)
    if round.status != Round.Status.CLOSED:
        raise ValidationError(_("Only a closed round can be opened again."), code="not_closed")
    round.status = Round.Status.OPEN
    round.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=round, after={"status": round.status})
    return round


# Reviewers and conflicts


def _organisation_conflicts(reviewer: Reviewer) -> None:
    """Record "same organisation" conflicts of one reviewer with the round's items."""
    if reviewer.organisation_id is None:
        return
    taken = set(
        Conflict.objects.filter(item__round=reviewer.round_id, user=reviewer.user_id).values_list(
            "item_id", flat=True
        )
    )
    for item in Item.objects.filter(round=reviewer.round_id).order_by("pk"):
        if reviewer.organisation_id in item.organisation_ids and item.pk not in taken:
            Conflict.objects.create(
                item=item, user_id=reviewer.user_id, reason=Conflict.Reason.SAME_ORGANISATION
            )


def _drop_conflicted(round: Round) -> set[int]:
    """Remove unsubmitted assignments that now have a conflict; return the items concerned."""
    conflicted = Assignment.objects.filter(
        item__round=round,
        submitted_at__isnull=True,
        item__conflicts__user=models.F("reviewer__user"),
    )
    items = set(conflicted.values_list("item_id", flat=True))
    Assignment.objects.filter(pk__in=list(conflicted.values_list("pk", flat=True))).delete()
    return items


@transaction.atomic
def reviewer_add(*, actor: User, round: Round, user: User, organisation=None) -> Reviewer:
    """Put someone in the round's pool of reviewers (again: only their organisation changes)."""
    _check(actor, "assessments.manage_round", round)
    round = _locked_round(round)
    if round.status == Round.Status.CLOSED:
        raise ValidationError(_("This round is closed."), code="closed")
    reviewer = Reviewer.objects.filter(round=round, user=user).first()
    if reviewer is not None and (organisation is None or reviewer.organisation == organisation):
        return reviewer
    is_new = reviewer is None
    reviewer = reviewer or Reviewer(round=round, user=user)
    reviewer.organisation = organisation
    reviewer.full_clean(validate_unique=False)
    reviewer.save()
    _organisation_conflicts(reviewer)
    gaps = _drop_conflicted(round)
    if gaps and round.status == Round.Status.OPEN:
        _fill(round, items=gaps)
    audit_record(
        actor=actor,
        action="create" if is_new else "update",
        obj=reviewer,
        after={"user": user.pk, "organisation": getattr(organisation, "pk", None)},
    )
    return reviewer


@transaction.atomic
def reviewer_remove(*, actor: User, round: Round, user: User) -> None:
    """Take someone out of the pool, with their drafts; not once they submitted a review."""
    _check(actor, "assessments.manage_round", round)
    round = _locked_round(round)
    reviewer = Reviewer.objects.filter(round=round, user=user).first()
    if reviewer is None:
        return
    if reviewer.assignments.filter(submitted_at__isnull=False).exists():
        raise ValidationError(
            _("This reviewer has submitted reviews, so they stay in the round."),
            code="has_reviews",
        )
    items = set(reviewer.assignments.values_list("item_id", flat=True))
    audit_record(actor=actor, action="delete", obj=reviewer, before={"user": user.pk})
    reviewer.delete()
    if items and round.status == Round.Status.OPEN:
        _fill(round, items=items)


@transaction.atomic
def items_sync(*, round: Round, items: list[ItemSpec]) -> list[Item]:
    """Create or update the items to review and their automatic conflicts of interest."""
    round = _locked_round(round)
    reviewers = list(Reviewer.objects.filter(round=round, organisation__isnull=False))
    automatic = {value for value in Conflict.Reason.values if value != Conflict.Reason.DECLARED}
    result = []
    for spec in items:
        object_type = ContentType.objects.get_for_model(spec.target)
        item = Item.objects.filter(
            round=round, object_type=object_type, object_id=str(spec.target.pk)
        ).first() or Item(round=round, object_type=object_type, object_id=str(spec.target.pk))
        item.code = spec.code
        item.submitted_at = spec.submitted_at
        item.organisation_ids = sorted(spec.organisation_ids)
        item.full_clean(exclude=["round", "object_type"])
        item.save()
        wanted = {
            r.user_id: Conflict.Reason.SAME_ORGANISATION
            for r in reviewers
            if r.organisation_id in spec.organisation_ids
        }
        for user_id, reason in spec.conflicts.items():
            if reason not in automatic:
                raise ValueError(f"Not an automatic conflict reason: {reason!r}")
            wanted[user_id] = reason
        for conflict in list(item.conflicts.all()):
            if conflict.reason == Conflict.Reason.DECLARED:
                wanted.pop(conflict.user_id, None)
            elif conflict.user_id not in wanted:
                conflict.delete()
            else:
                reason = wanted.pop(conflict.user_id)
                if conflict.reason != reason:
                    conflict.reason = reason
                    conflict.save(update_fields=["reason"])
        Conflict.objects.bulk_create(
            [Conflict(item=item, user_id=u, reason=r) for u, r in sorted(wanted.items())]
        )
        result.append(item)
    gaps = _drop_conflicted(round)
    if gaps and round.status == Round.Status.OPEN:
        _fill(round, items=gaps)
    return result


def _plan_input(round: Round, item_ids: list[int]) -> dict:
    pool = list(Reviewer.objects.filter(round=round).values_list("pk", "user_id"))
    by_user = {user_id: pk for pk, user_id in pool}
    existing = list(
        Assignment.objects.filter(item__round=round).values_list("item_id", "reviewer_id")
    )
    blocked = {
        (item_id, by_user[user_id])
        for item_id, user_id in Conflict.objects.filter(item__round=round).values_list(
            "item_id", "user_id"
        )
        if user_id in by_user
    }
    loads: dict[int, int] = defaultdict(int)
    for _item, reviewer in existing:
        loads[reviewer] += 1
    return {
        "items": item_ids,
        "reviewers": [pk for pk, _user in pool],
        "per_item": round.reviewers_per_item,
        "existing": existing,
        "blocked": blocked,
        "loads": dict(loads),
    }


def _fill(round: Round, *, items, strict: bool = False) -> list[Assignment]:
    """Give `items` the reviewers they lack; without `strict`, skip items that cannot be covered
    (the round page lists them) instead of refusing."""
    item_ids = sorted(items)
    data = _plan_input(round, item_ids)
    try:
        pairs = planner.plan(**data)
    except planner.Uncoverable as exc:
        if strict:
            codes = list(Item.objects.filter(pk__in=exc.items).values_list("code", flat=True))
            raise ValidationError(
                ngettext(
                    "This item cannot get %(count)d reviewers without a conflict of interest: "
                    "%(items)s. Add reviewers to the pool.",
                    "These items cannot get %(count)d reviewers without a conflict of interest: "
                    "%(items)s. Add reviewers to the pool.",
                    len(codes),
                )
                % {"count": round.reviewers_per_item, "items": ", ".join(codes)},
                code="not_enough_reviewers",
                params={"items": codes},
            ) from None
        data["items"] = [i for i in item_ids if i not in set(exc.items)]
        pairs = planner.plan(**data)
    created = Assignment.objects.bulk_create(
        [Assignment(item_id=i, reviewer_id=r) for i, r in pairs]
    )
    _tell_reviewers(round, [r for _i, r in pairs])
    return created


def _tell_reviewers(round: Round, reviewer_ids: list[int]) -> None:
    counts: dict[int, int] = defaultdict(int)
    for reviewer_id in reviewer_ids:
        counts[reviewer_id] += 1
    reviewers = Reviewer.objects.filter(pk__in=list(counts)).select_related("user")
    for reviewer in reviewers.order_by("pk"):
        notification_send(
            recipient=reviewer.user,
            kind="assessment_assigned",
            template="assessments/notifications/assigned",
            context={"count": counts[reviewer.pk], "round": round},
            url=reverse("assessments:my_reviews"),
        )


@transaction.atomic
def reviewers_assign(*, actor: User, round: Round) -> int:
    """Give every item its reviewers, balanced and free of conflicts, and open the round."""
    _check(actor, "assessments.manage_round", round)
    round = _locked_round(round)
    if round.status == Round.Status.CLOSED:
        raise ValidationError(_("This round is closed."), code="closed")
    item_ids = list(Item.objects.filter(round=round).values_list("pk", flat=True))
    if not item_ids:
        raise ValidationError(_("There is nothing to review yet."), code="no_items")
    created = _fill(round, items=item_ids, strict=True)
    if round.status != Round.Status.OPEN:
        round.status = Round.Status.OPEN
        round.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=round,
        after={"status": round.status, "assignments_created": len(created)},
    )
    return len(created)


@transaction.atomic
def conflict_declare(*, user: User, item: Item, note: str = "") -> Conflict:
    """Record a reviewer's own conflict with an item; hand their review of it to someone else."""
    round = _locked_round(item.round)
    reviewer = Reviewer.objects.filter(round=round, user=user).first()
    if reviewer is None or not user.is_authenticated:
        raise PermissionDenied
    if round.status == Round.Status.CLOSED:
        raise ValidationError(_("This round is closed."), code="closed")
    mine = Assignment.objects.filter(item=item, reviewer=reviewer).first()
    if mine is not None and mine.is_submitted:
        raise ValidationError(
            _("You have already submitted your review of this item."), code="submitted"
        )
    conflict = Conflict.objects.filter(item=item, user=user).first()
    if conflict is None:
        conflict = Conflict(item=item, user=user, reason=Conflict.Reason.DECLARED, note=note)
        conflict.full_clean()
        conflict.save()
    if mine is not None:
        mine.delete()
        if round.status == Round.Status.OPEN:
            _fill(round, items=[item.pk])
    return conflict


# Reviews


@transaction.atomic
def review_save(
    *, user: User, assignment: Assignment, scores: dict[int, int], comment: str, submit: bool
) -> Assignment:
    """Save a review as a draft, or submit it (then it is locked)."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("reviewer", "item__round__rubric")
        .get(pk=assignment.pk)
    )
    if not (user and user.is_authenticated and assignment.reviewer.user_id == user.pk):
        raise PermissionDenied
    round = assignment.item.round
    if assignment.is_submitted:
        raise ValidationError(
            _("This review is submitted and can no longer be changed."), code="locked"
        )
    if round.status != Round.Status.OPEN:
        raise ValidationError(_("This round is not taking reviews."), code="not_open")
    refusal = owner_of(round).scoring_refusal(round.owner)
    if refusal:
        raise ValidationError(refusal, code="stage")
    criteria = {c.pk: c for c in round.rubric.criteria.all()}
    for criterion_id, value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(
                _("A score was given for a criterion that is not in this rubric."),
                code="unknown_criterion",
            )
        if not (isinstance(value, int) and criterion.scale_min <= value <= criterion.scale_max):
            raise ValidationError(
                _("The score for “%(criterion)s” must be between %(min)d and %(max)d.")
                % {
                    "criterion": criterion.title,
                    "min": criterion.scale_min,
                    "max": criterion.scale_max,
                },
                code="out_of_scale",
            )
    if submit:
        missing = [str(c.title) for pk, c in criteria.items() if pk not in scores]
        if missing:
            raise ValidationError(
                _("Score every criterion before you submit. Missing: %(criteria)s.")
                % {"criteria": ", ".join(missing)},
                code="incomplete",
            )
    assignment.comment = comment
    if submit:
        assignment.submitted_at = timezone.now()
    assignment.full_clean(exclude=["item", "reviewer"])
    assignment.save(update_fields=["comment", "submitted_at"])
    assignment.scores.exclude(criterion_id__in=list(scores)).delete()
    existing = {s.criterion_id: s for s in assignment.scores.all()}
    for criterion_id, value in scores.items():
        row = existing.get(criterion_id)
        if row is None:
            ScoreRow.objects.create(assignment=assignment, criterion_id=criterion_id, value=value)
        elif row.value != value:
            row.value = value
            row.save(update_fields=["value"])
    return assignment
