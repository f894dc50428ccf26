"""Moderation, one mechanism for every kind of participant content.

An app registers each model it lets people report (`register`), naming the field that points at
the scope the content lives in (a consultation) and the permission that moderates that scope.
Reports hide content once enough people report it; moderators hide, restore, approve
(pre-moderation) or block its author from the scope. Every decision is logged and the author is
told why, in their language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import Block, ModerationDecision, ModerationState, Report
from .notifications import notification_send


@dataclass(frozen=True)
class Moderated:
    """How one model takes part in moderation."""

    model: type[models.Model]
    scope_field: str  # the foreign key to the scope, e.g. "consultation"
    perm: str  # checked on the scope object, e.g. "consultations.moderate_consultation"
    author: Callable[[models.Model], object | None]
    excerpt: Callable[[models.Model], str]
    threshold: Callable[[models.Model], int]  # reports that hide it pending review
    select_related: tuple[str, ...] = ()  # what the queue shows of each item
    # Called when a held contribution is approved: what creation does for visible ones
    # (mentions, for instance) happens then.
    on_published: Callable[[models.Model], None] | None = None


_registry: dict[str, Moderated] = {}
# Reasons are read by the author in a notification; the forms stop longer ones first.
REASON_MAX = 1000


def register(config: Moderated) -> Moderated:
    _registry[config.model._meta.label_lower] = config
    return config


def config_for(obj_or_model) -> Moderated:
    try:
        return _registry[obj_or_model._meta.label_lower]
    except KeyError:
        raise LookupError(f"{obj_or_model._meta.label} is not registered for moderation") from None


def registered() -> list[Moderated]:
    return list(_registry.values())


def scope_of(obj: models.Model) -> models.Model:
    return getattr(obj, config_for(obj).scope_field)


def _ref(obj: models.Model) -> dict:
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk)}


def _scope_ref(scope: models.Model) -> dict:
    return {"scope_type": ContentType.objects.get_for_model(scope), "scope_id": str(scope.pk)}


def can_moderate(user, scope: models.Model, model: type[models.Model]) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(config_for(model).perm, scope))


def is_blocked(user, scope: models.Model) -> bool:
    if not (user and user.is_authenticated):
        return False
    return Block.objects.filter(user=user, lifted_at__isnull=True, **_scope_ref(scope)).exists()


def _lock(obj: models.Model) -> models.Model:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


@transaction.atomic
def report_create(*, reporter, target: models.Model, reason: str, note: str = "") -> Report:
    """Record a report; enough open reports hide the content until a moderator looks."""
    config = config_for(target)
    if not (reporter and reporter.is_authenticated):
        raise PermissionDenied
    target = _lock(target)
    author = config.author(target)
    if author is not None and getattr(author, "pk", None) == reporter.pk:
        raise ValidationError(_("You cannot report your own contribution."), code="own_content")
    if target.moderation_state != ModerationState.VISIBLE:
        raise ValidationError(
            _("This contribution is already waiting for a moderator."), code="already_hidden"
        )
    report = Report(
        reporter=reporter, reason=reason, note=note.strip(), **_ref(target),
        **_scope_ref(scope_of(target)),
    )  # fmt: skip
    report.full_clean(exclude=["content_type", "scope_type"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this contribution. Thank you."), code="already_reported"
        ) from None
    open_reports = Report.objects.filter(resolved_at__isnull=True, **_ref(target)).count()
    if open_reports >= config.threshold(target):
        target.moderation_state = ModerationState.REPORTED
        target.save(update_fields=["moderation_state"])
    return report


def _tell_author(config: Moderated, target, *, action: str, reason: str, url: str) -> None:
    author = config.author(target)
    if author is None or not getattr(author, "is_active", False):
        return
    notification_send(
        recipient=author,
        kind=f"moderation_{action}",
        template="core/notifications/moderation",
        context={
            "action": action,
            "reason": reason,
            "excerpt": config.excerpt(target)[:200],
        },
        url=url,
    )


# Which state each moderator action leads to, and from which states it may be taken.
_ACTIONS = {
    ModerationDecision.Action.HIDE: (
        {ModerationState.VISIBLE, ModerationState.REPORTED, ModerationState.PENDING},
        ModerationState.HIDDEN,
    ),
    # From visible: keep it and dismiss the reports that did not reach the threshold.
    ModerationDecision.Action.RESTORE: (
        {ModerationState.VISIBLE, ModerationState.REPORTED, ModerationState.HIDDEN},
        ModerationState.VISIBLE,
    ),
    ModerationDecision.Action.APPROVE: ({ModerationState.PENDING}, ModerationState.VISIBLE),
}


@transaction.atomic
def moderation_decide(
    *, actor, target: models.Model, action: str, reason: str = "", url: str = ""
) -> ModerationDecision:
    """Hide, restore or approve a contribution, close its reports and tell its author why."""
    config = config_for(target)
    scope = scope_of(target)
    if not can_moderate(actor, scope, type(target)):
        raise PermissionDenied
    if action not in _ACTIONS:
        raise ValidationError(_("Choose what to do with this contribution."), code="action")
    target = _lock(target)
    allowed_from, new_state = _ACTIONS[action]
    open_reports = Report.objects.filter(resolved_at__isnull=True, **_ref(target))
    kept_without_reports = (
        action == ModerationDecision.Action.RESTORE
        and target.moderation_state == ModerationState.VISIBLE
        and not open_reports.exists()
    )
    if target.moderation_state not in allowed_from or kept_without_reports:
        raise ValidationError(
            _("Someone else has already dealt with this contribution."), code="already_decided"
        )
    reason = reason.strip()[:REASON_MAX]
    if action == ModerationDecision.Action.HIDE and not reason:
        raise ValidationError(
            _("Say why it is hidden: the author will be told."), code="reason_required"
        )
    before = target.moderation_state
    target.moderation_state = new_state
    target.save(update_fields=["moderation_state"])
    now = timezone.now()
    outcome = (
        Report.Outcome.UPHELD if new_state == ModerationState.HIDDEN else Report.Outcome.DISMISSED
    )
    open_reports.update(resolved_at=now, outcome=outcome)
    author = config.author(target)
    decision = ModerationDecision.objects.create(
        actor=actor, action=action, reason=reason, subject=author, **_ref(target),
        **_scope_ref(scope),
    )  # fmt: skip
    audit_record(
        actor=actor, action="update", obj=target,
        before={"moderation_state": before}, after={"moderation_state": new_state},
    )  # fmt: skip
    # The author is told whenever what others see of their words changes: hidden, shown again,
    # or published after approval. Reports dismissed on a visible contribution change nothing.
    if before != new_state:
        _tell_author(config, target, action=action, reason=reason, url=url)
    if before == ModerationState.PENDING and new_state == ModerationState.VISIBLE:
        if config.on_published is not None:
            config.on_published(target)
    return decision


@transaction.atomic
def user_block(
    *, actor, scope: models.Model, model: type[models.Model], user, reason: str
) -> Block:
    """Stop `user` from taking part in `scope`; they are told why."""
    if not can_moderate(actor, scope, model):
        raise PermissionDenied
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."), code="self")
    reason = reason.strip()[:REASON_MAX]
    if not reason:
        raise ValidationError(
            _("Say why the person is blocked: they will be told."), code="reason_required"
        )
    try:
        with transaction.atomic():
            block = Block.objects.create(
                user=user, reason=reason, blocked_by=actor, **_scope_ref(scope)
            )
    except IntegrityError:
        raise ValidationError(_("This person is already blocked here."), code="already") from None
    ModerationDecision.objects.create(
        actor=actor, action=ModerationDecision.Action.BLOCK, reason=reason, subject=user,
        **_scope_ref(scope),
    )  # fmt: skip
    audit_record(actor=actor, action="create", obj=block, after={"reason": reason})
    if user.is_active:
        notification_send(
            recipient=user,
            kind="moderation_block",
            template="core/notifications/moderation_block",
            context={"reason": reason, "scope": str(scope)},
            url=getattr(scope, "get_absolute_url", lambda: "")(),
        )
    return block


@transaction.atomic
def user_unblock(*, actor, block: Block, model: type[models.Model]) -> Block:
    """Lift a block (a moderator's mistake, or the person's second chance)."""
    scope = block.scope_type.get_object_for_this_type(pk=block.scope_id)
    if not can_moderate(actor, scope, model):
        raise PermissionDenied
    block = Block.objects.select_for_update().get(pk=block.pk)
    if block.lifted_at is not None:
        raise ValidationError(_("This block was already lifted."), code="already")
    block.lifted_at = timezone.now()
    block.save(update_fields=["lifted_at"])
    ModerationDecision.objects.create(
        actor=actor, action=ModerationDecision.Action.UNBLOCK, subject=block.user,
        **_scope_ref(scope),
    )  # fmt: skip
    audit_record(actor=actor, action="update", obj=block, after={"lifted": True})
    return block


# Reads for the moderators' queue.


def reports_open(scope: models.Model) -> models.QuerySet[Report]:
    return Report.objects.filter(resolved_at__isnull=True, **_scope_ref(scope)).select_related(
        "reporter"
    )


def blocks_active(scope: models.Model) -> models.QuerySet[Block]:
    return Block.objects.filter(lifted_at__isnull=True, **_scope_ref(scope)).select_related(
        "user", "blocked_by"
    )


def decisions_for(scope: models.Model) -> models.QuerySet[ModerationDecision]:
    return ModerationDecision.objects.filter(**_scope_ref(scope)).select_related(
        "actor", "subject", "content_type"
    )


# The queue shows the most urgent items first; past this many, the rest wait for the next page
# load (a moderator works through them from the top).
QUEUE_LIMIT = 200


@dataclass
class QueueEntry:
    target: models.Model
    config: Moderated
    reports: list[Report]


def moderation_queue(
    scope: models.Model, *, kinds: tuple[type[models.Model], ...] | None = None
) -> list[QueueEntry]:
    """What waits for the scope's moderators: reported content and content held for approval.

    One query for the reports, then one per registered kind of content (not per item). With
    `kinds`, only those models are looked at (a page that shows some kinds queries no others).
    """
    reports = list(reports_open(scope))
    wanted: dict[tuple[int, str], list[Report]] = {}
    for report in reports:
        wanted.setdefault((report.content_type_id, report.object_id), []).append(report)
    entries: list[QueueEntry] = []
    for config in registered():
        # Only the kinds of content that live in this kind of scope (a consultation's queue
        # has nothing to do with models scoped to something else).
        if config.model._meta.get_field(config.scope_field).related_model is not type(scope):
            continue
        if kinds is not None and config.model not in kinds:
            continue
        ct = ContentType.objects.get_for_model(config.model)
        ids = [oid for (ct_id, oid) in wanted if ct_id == ct.pk]
        waiting = models.Q(moderation_state__in=[ModerationState.PENDING, ModerationState.REPORTED])
        rows = (
            config.model.objects.filter(**{config.scope_field: scope})
            .filter(waiting | models.Q(pk__in=ids))
            .select_related(*config.select_related)[:QUEUE_LIMIT]
        )
        for row in rows:
            entries.append(QueueEntry(row, config, wanted.get((ct.pk, str(row.pk)), [])))
    # Hidden-by-reports first, then the most reported, then the oldest.
    entries.sort(
        key=lambda e: (
            e.target.moderation_state != ModerationState.REPORTED,
            -len(e.reports),
            e.target.pk,
        )
    )
    return entries
