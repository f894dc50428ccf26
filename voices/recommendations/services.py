"""Writes for recommendations: drafting, sending, the authorities' answers, progress, deadlines.

Every change of state goes through `_move` (a recommendation) or `_move_track` (one authority's
track), which refuse any step not in the allowed table and write the timeline event that the
tracker and the scorecards are computed from.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from voices.accounts.models import Role, User
from voices.accounts.selectors import users_with_role
from voices.core.audit import audit_record, snapshot
from voices.core.notifications import notification_send
from voices.core.translation import TranslatedText
from voices.councils.decision_selectors import motion_get, motions_adopted
from voices.councils.models import Council, PolicyDomain
from voices.councils.selectors import council_leaders, members_current
from voices.directory.models import Organisation

from . import deadlines
from .models import (
    AWAITING_ANSWER,
    TRACK_ORDER,
    Addressee,
    AuthorityResponse,
    Event,
    Evidence,
    Follower,
    Outcome,
    ProgressUpdate,
    Recommendation,
    Reminder,
    State,
)
from .rules import answers_for_addressee

# The steps a recommendation may take; anything else is refused.
ALLOWED = {
    State.DRAFT: {State.ADOPTED, State.WITHDRAWN},
    State.ADOPTED: {State.SENT, State.WITHDRAWN},
}
# The steps of one authority's track. Withdrawing is a step of the recommendation, not of a track.
TRACK_ALLOWED = {
    "": {State.SENT},
    State.SENT: {State.ACKNOWLEDGED, State.ANSWERED},
    State.ACKNOWLEDGED: {State.ANSWERED},
    State.ANSWERED: {State.IN_IMPLEMENTATION, State.IMPLEMENTED, State.NOT_IMPLEMENTED},
    State.IN_IMPLEMENTATION: {State.IMPLEMENTED, State.NOT_IMPLEMENTED},
}
FINISHED = {State.IMPLEMENTED, State.NOT_IMPLEMENTED, State.WITHDRAWN}
EDITABLE_FIELDS = ("domain", "title", "text", "reasons", "due_on_override")
MAX_DEADLINE_DAYS = 730


def _refuse(current: str, wanted: str) -> ValidationError:
    return ValidationError(
        _("A recommendation that is “%(current)s” cannot become “%(wanted)s”.")
        % {
            "current": State(current).label if current else _("Not sent"),
            "wanted": State(wanted).label,
        },
        code="transition_not_allowed",
    )


def _check(actor: User, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _event(recommendation, *, to: str = "", frm: str = "", actor=None, addressee=None,
           kind=Event.Kind.STATE, note: str = "", at=None) -> Event:  # fmt: skip
    return Event.objects.create(
        recommendation=recommendation, addressee=addressee, kind=kind, from_state=frm,
        to_state=to, actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note, at=at or timezone.now(),
    )  # fmt: skip


def _move(recommendation: Recommendation, to: str, *, actor, note: str = "", at=None) -> None:
    current = recommendation.state
    if to not in ALLOWED.get(current, set()) and not (
        to == State.WITHDRAWN and current not in FINISHED
    ):
        raise _refuse(current, to)
    recommendation.state = to
    _event(recommendation, frm=current, to=to, actor=actor, note=note, at=at)


def _move_track(addressee: Addressee, to: str, *, actor, note: str = "", at=None) -> None:
    recommendation = addressee.recommendation
    if recommendation.state == State.WITHDRAWN:
        raise ValidationError(
            _("This recommendation was withdrawn by the council."), code="withdrawn"
        )
    current = addressee.state
    if to not in TRACK_ALLOWED.get(current, set()):
        raise _refuse(current, to)
    if current == State.ANSWERED and addressee.outcome == Outcome.REJECTED:
        raise ValidationError(
            _("A rejected recommendation has no implementation to report."), code="rejected"
        )
    addressee.state = to
    addressee.save(update_fields=["state", "outcome", "progress", "closing_note"])
    _event(recommendation, addressee=addressee, frm=current, to=to, actor=actor, note=note, at=at)
    _sync_state(recommendation)


def _sync_state(recommendation: Recommendation) -> None:
    """A sent recommendation shows the least advanced of its authorities' tracks."""
    if recommendation.state in (State.DRAFT, State.ADOPTED, State.WITHDRAWN):
        return
    states = [a.state for a in recommendation.addressees.all() if a.state]
    order = {state: n for n, state in enumerate(TRACK_ORDER)}
    recommendation.state = min(states, key=lambda s: order.get(s, 0)) if states else State.SENT
    recommendation.save(update_fields=["state", "updated_at"])


def _locked(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update()
        .select_related("council")
        .get(pk=recommendation.pk)
    )


def _locked_track(addressee: Addressee) -> Addressee:
    Recommendation.objects.select_for_update().filter(pk=addressee.recommendation_id).first()
    return Addressee.objects.select_related("recommendation__council", "organisation").get(
        pk=addressee.pk
    )


def _set_addressees(recommendation: Recommendation, organisations: Iterable[Organisation]) -> None:
    wanted = {o.pk: o for o in organisations}
    if not wanted:
        raise ValidationError(
            {
                "addressees": ValidationError(
                    _("Choose at least one authority."), code="no_addressee"
                )
            }
        )
    not_authorities = [o for o in wanted.values() if not o.is_authority]
    if not_authorities:
        raise ValidationError(
            {
                "addressees": ValidationError(
                    _("Recommendations are addressed to public authorities only."),
                    code="not_authority",
                )
            }
        )
    recommendation.addressees.exclude(organisation_id__in=wanted).delete()
    existing = set(recommendation.addressees.values_list("organisation_id", flat=True))
    Addressee.objects.bulk_create(
        [Addressee(recommendation=recommendation, organisation=o) for pk, o in wanted.items()
         if pk not in existing]
    )  # fmt: skip


def _check_override(due_on_override: datetime.date | None, council: Council) -> None:
    if due_on_override is None:
        return
    today = deadlines.local_date(timezone.now(), council.time_zone)
    if due_on_override > today + datetime.timedelta(days=MAX_DEADLINE_DAYS):
        message = _("The deadline for the answer can be at most two years away.")
        raise ValidationError({"due_on_override": ValidationError(message, code="due_too_far")})
    if due_on_override <= today:
        message = _("The deadline for the answer must be after today.")
        raise ValidationError({"due_on_override": ValidationError(message, code="due_in_past")})


# Drafting


@transaction.atomic
def recommendation_create(
    *,
    actor: User,
    council: Council,
    title,
    text,
    addressees: Iterable[Organisation],
    domain: PolicyDomain | None = None,
    reasons=None,
    due_on_override: datetime.date | None = None,
    evidence: Iterable[tuple[str, str]] = (),
    motion=None,
) -> Recommendation:
    """Draft a recommendation of a council, from one of its adopted motions if given."""
    _check(actor, "recommendations.add_recommendation", council)
    _check_override(due_on_override, council)
    if motion is not None:
        if not motions_adopted(council=council).filter(pk=motion.pk).exists():
            message = _("Choose a motion this council has adopted.")
            raise ValidationError({"motion": ValidationError(message, code="motion_not_adopted")})
        evidence = [*evidence, *((e.label, e.url) for e in motion.evidence.all())]
    recommendation = Recommendation(
        council=council, domain=domain, title=title, text=text, reasons=reasons or "",
        due_on_override=due_on_override, created_by=actor, motion=motion,
    )  # fmt: skip
    recommendation.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            recommendation.save()
    except IntegrityError:
        # The motion has its recommendation already (the unique link says so, also when the
        # motion's hand-off task made it at the same moment).
        message = _("This motion already has its recommendation.")
        raise ValidationError({"motion": ValidationError(message, code="motion_taken")}) from None
    _set_addressees(recommendation, addressees)
    for label, url in evidence:
        Evidence.objects.create(recommendation=recommendation, label=label, url=url)
    _event(recommendation, to=State.DRAFT, actor=actor)
    audit_record(actor=actor, action="create", obj=recommendation, after=snapshot(recommendation))
    return recommendation


@transaction.atomic
def recommendation_update(
    *, actor: User, recommendation: Recommendation, addressees=None, **fields
) -> Recommendation:
    """Change a recommendation the council has not sent yet."""
    _check(actor, "recommendations.change_recommendation", recommendation)
    recommendation = _locked(recommendation)
    if not recommendation.is_editable:
        raise ValidationError(
            _("A sent recommendation cannot be changed. Withdraw it and write a new one."),
            code="not_editable",
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    before = snapshot(recommendation)
    for name, value in fields.items():
        setattr(recommendation, name, value)
    if "due_on_override" in fields:
        _check_override(recommendation.due_on_override, recommendation.council)
    recommendation.full_clean()
    recommendation.save()
    if addressees is not None:
        _set_addressees(recommendation, addressees)
    audit_record(
        actor=actor, action="update", obj=recommendation, before=before,
        after=snapshot(recommendation),
    )  # fmt: skip
    return recommendation


@transaction.atomic
def evidence_add(*, actor: User, recommendation: Recommendation, label: str, url: str) -> Evidence:
    """Add a link to what the recommendation rests on."""
    _check(actor, "recommendations.change_recommendation", recommendation)
    if not _locked(recommendation).is_editable:
        raise ValidationError(_("A sent recommendation cannot be changed."), code="not_editable")
    item = Evidence(recommendation=recommendation, label=label, url=url)
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="create", obj=item, after=snapshot(item))
    return item


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    """Remove a link from a recommendation not sent yet."""
    recommendation = evidence.recommendation
    _check(actor, "recommendations.change_recommendation", recommendation)
    if not _locked(recommendation).is_editable:
        raise ValidationError(_("A sent recommendation cannot be changed."), code="not_editable")
    audit_record(actor=actor, action="delete", obj=evidence, before=snapshot(evidence))
    evidence.delete()


@transaction.atomic
def recommendation_from_motion(*, motion_id: int) -> Recommendation | None:
    """Turn an adopted council motion that asks an authority to act into a recommendation.

    Runs after the ballot's commit (see councils.handoff); a second run finds the one it made.
    """
    motion = motion_get(motion_id)
    existing = Recommendation.objects.filter(motion=motion).first()
    if existing is not None or motion.addressed_to_id is None:
        return existing
    if motion.status != motion.Status.ADOPTED or not motion.is_request_to_authority:
        return None  # Only an adopted request becomes a recommendation.
    council = motion.agenda_item.meeting.council
    lang = motion.language
    recommendation = Recommendation(
        council=council, motion=motion, title=TranslatedText({lang: motion.title}, lang),
        text=TranslatedText({lang: motion.text}, lang),
        reasons=TranslatedText({lang: motion.reasons}, lang),
        domain=council.domains.order_by("position", "pk").first(), state=State.ADOPTED,
        adopted_at=motion.decided_at or timezone.now(),
    )  # fmt: skip
    try:
        with transaction.atomic():
            recommendation.save()
    except IntegrityError:
        return Recommendation.objects.get(motion=motion)  # made at the same moment by another run
    Addressee.objects.create(recommendation=recommendation, organisation=motion.addressed_to)
    for item in motion.evidence.all():
        Evidence.objects.create(recommendation=recommendation, label=item.label, url=item.url)
    _event(recommendation, frm=State.DRAFT, to=State.ADOPTED, at=recommendation.adopted_at,
           note=_("Adopted by the council's vote on the motion."))  # fmt: skip
    for leader in council_leaders(council=council):
        notification_send(
            recipient=leader, kind="recommendation_adopted",
            template="recommendations/notifications/adopted",
            context={"recommendation": recommendation}, url=recommendation.get_absolute_url(),
        )  # fmt: skip
    return recommendation


# The council's steps


@transaction.atomic
def recommendation_adopt(*, actor: User, recommendation: Recommendation) -> Recommendation:
    """Record that the council adopted a drafted recommendation."""
    _check(actor, "recommendations.change_recommendation", recommendation)
    recommendation = _locked(recommendation)
    now = timezone.now()
    _move(recommendation, State.ADOPTED, actor=actor, at=now)
    recommendation.adopted_at = now
    recommendation.save(update_fields=["state", "adopted_at", "updated_at"])
    audit_record(actor=actor, action="update", obj=recommendation, after=snapshot(recommendation))
    return recommendation


@transaction.atomic
def recommendation_send(*, actor: User, recommendation: Recommendation) -> Recommendation:
    """Send an adopted recommendation to its authorities; their answer is due from now."""
    _check(actor, "recommendations.send_recommendation", recommendation)
    recommendation = _locked(recommendation)
    if recommendation.state == State.ADOPTED:
        if recommendation.domain_id is None:
            raise ValidationError(_("Choose the policy domain first."), code="no_domain")
        if not recommendation.addressees.exists():
            raise ValidationError(_("Choose at least one authority."), code="no_addressee")
    council = recommendation.council
    now = timezone.now()
    _move(recommendation, State.SENT, actor=actor, at=now)
    if recommendation.due_on_override is not None:
        _check_override(recommendation.due_on_override, council)
        recommendation.due_on = recommendation.due_on_override
    else:
        recommendation.due_on = deadlines.due_date(
            sent_at=now, days=council.response_days, zone=council.time_zone
        )
    recommendation.due_at = deadlines.end_of_day(recommendation.due_on, council.time_zone)
    recommendation.sent_at = now
    recommendation.save(update_fields=["state", "due_on", "due_at", "sent_at", "updated_at"])
    for addressee in recommendation.addressees.select_related("organisation"):
        _move_track(addressee, State.SENT, actor=actor, at=now)
        for officer in users_with_role(role=Role.OFFICER, scope=addressee.organisation):
            notification_send(
                recipient=officer, kind="recommendation_received",
                template="recommendations/notifications/received",
                context={"recommendation": recommendation, "authority": addressee.organisation},
                url=reverse("recommendations:inbox"),
            )  # fmt: skip
    # Members of the council follow what they asked for; they can stop following.
    Follower.objects.bulk_create(
        [Follower(recommendation=recommendation, user=m.user)
         for m in members_current(council=council, public_only=False)],
        ignore_conflicts=True,
    )  # fmt: skip
    _notify_followers(recommendation, actor=actor)
    audit_record(actor=actor, action="update", obj=recommendation, after=snapshot(recommendation))
    return recommendation


@transaction.atomic
def recommendation_withdraw(
    *, actor: User, recommendation: Recommendation, reason: str
) -> Recommendation:
    """Withdraw a recommendation, with the council's reason."""
    _check(actor, "recommendations.withdraw_recommendation", recommendation)
    if not reason.strip():
        message = _("Say why it is withdrawn.")
        raise ValidationError({"reason": ValidationError(message, code="reason_required")})
    recommendation = _locked(recommendation)
    _move(recommendation, State.WITHDRAWN, actor=actor, note=reason.strip())
    recommendation.withdrawn_reason = reason.strip()
    recommendation.save(update_fields=["state", "withdrawn_reason", "updated_at"])
    if recommendation.is_public:
        _notify_followers(recommendation, actor=actor)
    audit_record(actor=actor, action="update", obj=recommendation, after=snapshot(recommendation))
    return recommendation


# The authority's steps


def _answerer(actor: User, addressee: Addressee) -> None:
    # Checked on the relationship itself: administrators do not answer for an authority either.
    if not answers_for_addressee(actor, addressee):
        raise PermissionDenied


@transaction.atomic
def addressee_acknowledge(*, actor: User, addressee: Addressee) -> Addressee:
    """Confirm that the authority received the recommendation."""
    _answerer(actor, addressee)
    addressee = _locked_track(addressee)
    _move_track(addressee, State.ACKNOWLEDGED, actor=actor)
    _notify_followers(addressee.recommendation, actor=actor, addressee=addressee)
    audit_record(actor=actor, action="update", obj=addressee, after=snapshot(addressee))
    return addressee


@transaction.atomic
def response_save_draft(
    *, actor: User, addressee: Addressee, outcome: str, reasons: str, language: str
) -> AuthorityResponse:
    """Save the authority's answer as a draft that colleagues can review."""
    _answerer(actor, addressee)
    return _draft_save(
        actor=actor, addressee=_locked_track(addressee), outcome=outcome, reasons=reasons,
        language=language,
    )  # fmt: skip


def _draft_save(*, actor, addressee, outcome: str, reasons: str, language: str):
    if not addressee.awaits_answer or addressee.recommendation.state == State.WITHDRAWN:
        raise ValidationError(_("This recommendation is not waiting for an answer."), code="closed")
    response = AuthorityResponse.objects.filter(addressee=addressee).first()
    before = snapshot(response) if response else None
    response = response or AuthorityResponse(addressee=addressee)
    response.outcome, response.reasons, response.language = outcome, reasons.strip(), language
    response.drafted_by = actor
    response.full_clean()
    response.save()
    audit_record(
        actor=actor, action="update" if before else "create", obj=response, before=before,
        after=snapshot(response),
    )  # fmt: skip
    return response


@transaction.atomic
def response_publish(
    *, actor: User, addressee: Addressee, outcome: str | None = None, reasons: str = "",
    language: str = "",
) -> AuthorityResponse:  # fmt: skip
    """Publish the reviewed answer: the track becomes answered, followers are told.

    With `outcome`, the text as the publisher last saw it is saved first, in the same
    transaction, so nobody publishes a colleague's later draft they never read.
    """
    _answerer(actor, addressee)
    addressee = _locked_track(addressee)
    if outcome is not None:
        _draft_save(
            actor=actor, addressee=addressee, outcome=outcome, reasons=reasons, language=language
        )
    response = AuthorityResponse.objects.filter(addressee=addressee).first()
    if response is None:
        raise ValidationError(_("Write and save the answer first."), code="no_draft")
    if response.is_published:
        raise ValidationError(_("This answer is already published."), code="published")
    now = timezone.now()
    addressee.outcome = response.outcome
    _move_track(addressee, State.ANSWERED, actor=actor, at=now)
    response.published_by, response.published_at = actor, now
    response.save(update_fields=["published_by", "published_at", "updated_at"])
    _notify_followers(addressee.recommendation, actor=actor, addressee=addressee)
    audit_record(actor=actor, action="update", obj=response, after=snapshot(response))
    return response


@transaction.atomic
def progress_report(
    *, actor: User, addressee: Addressee, percent: int, note: str, language: str,
    milestone: str = "", milestone_on: datetime.date | None = None,
) -> ProgressUpdate:  # fmt: skip
    """Report how far the authority has got with an accepted recommendation."""
    _answerer(actor, addressee)
    addressee = _locked_track(addressee)
    if addressee.recommendation.state == State.WITHDRAWN:
        raise ValidationError(
            _("This recommendation was withdrawn by the council."), code="withdrawn"
        )
    if addressee.state not in (State.ANSWERED, State.IN_IMPLEMENTATION):
        raise ValidationError(
            _("Progress is reported after an answer that accepts the recommendation."),
            code="not_in_implementation",
        )
    update = ProgressUpdate(
        addressee=addressee, percent=percent, note=note.strip(), milestone=milestone.strip(),
        milestone_on=milestone_on, language=language, author=actor,
    )  # fmt: skip
    update.full_clean()
    update.save()
    addressee.progress = percent
    if addressee.state == State.ANSWERED:
        _move_track(addressee, State.IN_IMPLEMENTATION, actor=actor, note=update.note)
    else:
        addressee.save(update_fields=["progress"])
        _event(
            addressee.recommendation, addressee=addressee, kind=Event.Kind.PROGRESS,
            frm=addressee.state, to=addressee.state, actor=actor, note=update.note,
        )  # fmt: skip
    _notify_followers(addressee.recommendation, actor=actor, addressee=addressee)
    audit_record(actor=actor, action="create", obj=update, after=snapshot(update))
    return update


@transaction.atomic
def addressee_close(
    *, actor: User, addressee: Addressee, implemented: bool, note: str
) -> Addressee:
    """Close the track: implemented, or not implemented with the authority's reasons."""
    _answerer(actor, addressee)
    addressee = _locked_track(addressee)
    note = note.strip()
    if not implemented and not note:
        message = _("Say why it was not implemented.")
        raise ValidationError({"note": ValidationError(message, code="reason_required")})
    to = State.IMPLEMENTED if implemented else State.NOT_IMPLEMENTED
    addressee.closing_note = note
    if implemented:
        addressee.progress = 100
    _move_track(addressee, to, actor=actor, note=note)
    _notify_followers(addressee.recommendation, actor=actor, addressee=addressee)
    audit_record(actor=actor, action="update", obj=addressee, after=snapshot(addressee))
    return addressee


# Followers


@transaction.atomic
def follow_set(*, user: User, recommendation: Recommendation, following: bool) -> bool:
    """Start or stop following a recommendation; return whether the user now follows it."""
    _check(user, "recommendations.follow_recommendation", recommendation)
    if following:
        Follower.objects.get_or_create(recommendation=recommendation, user=user)
    else:
        Follower.objects.filter(recommendation=recommendation, user=user).delete()
    return following


def _notify_followers(recommendation: Recommendation, *, actor=None, addressee=None) -> None:
    followers = Follower.objects.filter(recommendation=recommendation).select_related("user")
    for follower in followers:
        if actor is not None and follower.user_id == getattr(actor, "pk", None):
            continue
        notification_send(
            recipient=follower.user, kind="recommendation_changed",
            template="recommendations/notifications/changed",
            context={"recommendation": recommendation, "addressee": addressee},
            url=recommendation.get_absolute_url(),
        )  # fmt: skip


# Deadlines


def deadlines_check(*, now: datetime.datetime | None = None) -> int:
    """Send the reminders and overdue notices that are due; return how many were sent.

    Each message is a unique `Reminder` row written in the same transaction as its
    notifications, so running this twice, or twice at once, sends every message once.
    """
    now = now or timezone.now()
    sent = 0
    tracks = (
        Addressee.objects.filter(state__in=AWAITING_ANSWER, recommendation__due_at__isnull=False)
        .exclude(recommendation__state=State.WITHDRAWN)
        .select_related("recommendation__council", "organisation")
        .prefetch_related("reminders")
    )
    for addressee in tracks:
        kind = _reminder_due(addressee, now=now)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(addressee=addressee, kind=kind, sent_at=now)
                _remind(addressee, kind=kind, now=now)
        except IntegrityError:
            continue  # Sent already, by an earlier or a simultaneous run.
        sent += 1
    return sent


def _reminder_due(addressee: Addressee, *, now: datetime.datetime) -> str | None:
    """The one message this track should get now, if it has not had it (or a later one)."""
    recommendation = addressee.recommendation
    done = {reminder.kind for reminder in addressee.reminders.all()}
    if now >= recommendation.due_at:
        return None if "overdue" in done else "overdue"
    zone = recommendation.council.time_zone
    due: list[tuple[datetime.datetime, str]] = []
    for days in sorted(settings.RECOMMENDATION_REMINDER_DAYS, reverse=True):
        at = deadlines.reminder_at(due_on=recommendation.due_on, days_before=days, zone=zone)
        # A reminder whose moment came before the sending makes no sense (short deadlines).
        if recommendation.sent_at <= at <= now:
            due.append((at, f"before-{days}"))
    if not due:
        return None
    # After a pause only the latest reminder goes out; the earlier ones would only repeat it.
    _at, latest = max(due)
    return None if latest in done else latest


def _remind(addressee: Addressee, *, kind: str, now: datetime.datetime) -> None:
    recommendation = addressee.recommendation
    officers = list(users_with_role(role=Role.OFFICER, scope=addressee.organisation))
    context = {"recommendation": recommendation, "authority": addressee.organisation}
    url = reverse("recommendations:inbox")
    if kind == "overdue":
        _event(recommendation, addressee=addressee, kind=Event.Kind.OVERDUE, at=now,
               frm=addressee.state, to=addressee.state)  # fmt: skip
        for officer in officers:
            notification_send(
                recipient=officer, kind="recommendation_overdue",
                template="recommendations/notifications/overdue", context=context, url=url,
            )  # fmt: skip
        # Escalation: those answerable for the council's follow-up are told too.
        for leader in council_leaders(council=recommendation.council):
            notification_send(
                recipient=leader, kind="recommendation_escalated",
                template="recommendations/notifications/escalated", context=context,
                url=recommendation.get_absolute_url(),
            )  # fmt: skip
        return
    _event(recommendation, addressee=addressee, kind=Event.Kind.REMINDER, at=now,
           frm=addressee.state, to=addressee.state)  # fmt: skip
    for officer in officers:
        notification_send(
            recipient=officer, kind="recommendation_reminder",
            template="recommendations/notifications/reminder", context=context, url=url,
        )  # fmt: skip
