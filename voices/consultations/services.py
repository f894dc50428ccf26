"""Writes for consultations: setting one up, taking part, answering, and linking to motions.

Taking part is checked twice in the same words: by the phase (`eligibility.phase_refusal`) and by
the consultation's rule (`eligibility.refusal`). People without an account act through a
`Participant` keyed by a hash of their browser's token; everyone else through their account.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from voices.accounts.models import User
from voices.core.audit import audit_record, snapshot
from voices.core.models import ModerationState
from voices.core.notifications import notification_send
from voices.core.translation import TranslatedText
from voices.core.uploads import attachment_create
from voices.councils.decision_services import motion_evidence_add

from . import components, eligibility
from .models import (
    Action,
    Comment,
    Consultation,
    MotionCitation,
    Participant,
    Phase,
    Proposal,
    Support,
)

IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
MAX_MENTIONS = 5
MENTION = re.compile(r"(?<![\w@])@([^\s@,;:!?()\[\]{}<>\"']{2,60})")

CONSULTATION_FIELDS = (
    "title", "question", "background", "domain", "country", "region", "municipality",
    "languages", "information_at", "contributions_at", "deliberation_at", "answers_at",
    "closes_at", "eligibility", "eligible_council", "min_age", "max_age", "allows_anonymous",
    "premoderation", "report_threshold", "supports_per_person", "support_threshold",
    "edit_minutes", "components",
)  # fmt: skip


def _check(actor, perm: str, obj) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(perm, obj)):
        raise PermissionDenied


def _clean_components(keys) -> list[str]:
    known = {c.key for c in components.available()}
    keys = [k for k in dict.fromkeys(keys or []) if k in known]
    return keys or [components.PROPOSALS.key]


def _owner_allowed(actor: User, *, owner_organisation, owner_council) -> None:
    probe = Consultation(owner_organisation=owner_organisation, owner_council=owner_council)
    if not actor.has_perm("consultations.change_consultation", probe):
        raise PermissionDenied


@transaction.atomic
def consultation_create(
    *, actor: User, owner_organisation=None, owner_council=None, **fields
) -> Consultation:
    """Set up a consultation (unpublished) for an authority or a council the actor acts for."""
    _check(actor, "consultations.add_consultation", None)
    _owner_allowed(actor, owner_organisation=owner_organisation, owner_council=owner_council)
    fields = {k: v for k, v in fields.items() if k in CONSULTATION_FIELDS}
    fields["components"] = _clean_components(fields.get("components"))
    if fields.get("eligibility") == Consultation.Eligibility.COUNCIL_MEMBERS and not fields.get(
        "eligible_council"
    ):
        fields["eligible_council"] = owner_council
    consultation = Consultation(
        owner_organisation=owner_organisation, owner_council=owner_council, created_by=actor,
        **fields,
    )  # fmt: skip
    consultation.full_clean()
    consultation.save()
    audit_record(actor=actor, action="create", obj=consultation, after=snapshot(consultation))
    return consultation


@transaction.atomic
def consultation_update(*, actor: User, consultation: Consultation, **fields) -> Consultation:
    """Change a consultation's settings and dates."""
    _check(actor, "consultations.change_consultation", consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    before = snapshot(consultation)
    for name, value in fields.items():
        if name in CONSULTATION_FIELDS:
            setattr(consultation, name, value)
    consultation.components = _clean_components(consultation.components)
    consultation.full_clean()
    consultation.save()
    if before.get("support_threshold") != consultation.support_threshold:
        _reached_recompute(consultation)
    audit_record(
        actor=actor, action="update", obj=consultation, before=before, after=snapshot(consultation)
    )
    return consultation


@transaction.atomic
def consultation_publish(*, actor: User, consultation: Consultation) -> Consultation:
    """Make a consultation public."""
    _check(actor, "consultations.change_consultation", consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.is_published:
        raise ValidationError(_("This consultation is already published."), code="published")
    consultation.is_published = True
    consultation.save(update_fields=["is_published", "updated_at"])
    audit_record(actor=actor, action="update", obj=consultation, after={"is_published": True})
    return consultation


@transaction.atomic
def consultation_unpublish(*, actor: User, consultation: Consultation) -> Consultation:
    """Take a consultation back to draft, only while nobody has taken part yet."""
    _check(actor, "consultations.change_consultation", consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.participants.exists():
        raise ValidationError(
            _("People have already taken part, so the consultation stays published."),
            code="has_participants",
        )
    consultation.is_published = False
    consultation.save(update_fields=["is_published", "updated_at"])
    audit_record(actor=actor, action="update", obj=consultation, after={"is_published": False})
    return consultation


@transaction.atomic
def closing_statement_save(
    *, actor: User, consultation: Consultation, statement: TranslatedText
) -> Consultation:
    """Write the owner's closing statement ("you said, we did")."""
    _check(actor, "consultations.answer_proposals", consultation)
    if consultation.phase_at(timezone.now()) not in (Phase.ANSWERS, Phase.CLOSED):
        raise ValidationError(
            _("The closing statement is written from the answers phase on."), code="phase"
        )
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    before = {"closing_statement": consultation.closing_statement.to_json()}
    consultation.closing_statement = statement
    consultation.full_clean()
    consultation.save(update_fields=["closing_statement", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=consultation, before=before,
        after={"closing_statement": statement.to_json()},
    )  # fmt: skip
    return consultation


# Taking part


def _participant(consultation: Consultation, *, user, anon_key: str, lock: bool) -> Participant:
    """Find or make the actor's participant row, locked when `lock` (limits count under it)."""
    lookup = {"user": user} if user is not None else {"anon_key": anon_key, "user": None}
    if user is None and not anon_key:
        raise PermissionDenied
    qs = Participant.objects.filter(consultation=consultation, **lookup)
    if lock:
        qs = qs.select_for_update()
    participant = qs.first()
    if participant is None:
        try:
            with transaction.atomic():
                participant = Participant.objects.create(consultation=consultation, **lookup)
        except IntegrityError:  # made by a simultaneous request of the same person
            participant = qs.get()
    return participant


def _actor(user) -> User | None:
    return user if (user is not None and user.is_authenticated) else None


def _may_act(consultation: Consultation, action: str, *, user, anon_key: str) -> Participant:
    now = timezone.now()
    reason = eligibility.phase_refusal(consultation, action, at=now)
    if reason:
        raise ValidationError(reason, code="phase")
    user = _actor(user)
    # Someone without an account is refused before a row is made for their browser.
    if user is None and (reason := eligibility.refusal(None, consultation)):
        raise ValidationError(reason, code="not_eligible")
    # The row is read once, locked, and carries the residence declaration the rule may need;
    # a refusal rolls back a row made here.
    participant = _participant(consultation, user=user, anon_key=anon_key, lock=True)
    if user is not None and (
        reason := eligibility.refusal(user, consultation, participant=participant)
    ):
        raise ValidationError(reason, code="not_eligible")
    return participant


def participant_for_action(
    consultation: Consultation, action: str, *, user, anon_key: str = ""
) -> Participant:
    """Return the actor's participant row, locked, if they may take `action` now; else raise.

    For the parts that plug into a consultation (opinion maps): the same phase, eligibility,
    block and anonymity rules as proposals and supports. Call it inside a transaction.
    """
    return _may_act(consultation, action, user=user, anon_key=anon_key)


@transaction.atomic
def participation_prepare(
    *, user: User, consultation: Consultation, birth_year: int | None, lives_there: bool
) -> Participant:
    """Record what an eligibility rule needs and nothing more: the birth year where there is an
    age range and none was given, and a declaration of living in the area where it is asked."""
    if not user.is_authenticated:
        raise PermissionDenied
    has_age_rule = consultation.has_age_rule
    if has_age_rule and not user.birth_year:
        if not birth_year:
            raise ValidationError(_("Please give your birth year."), code="birth_year")
        user.birth_year = birth_year
        user.full_clean(validate_unique=False)
        user.save(update_fields=["birth_year"])
    participant = _participant(consultation, user=user, anon_key="", lock=True)
    if eligibility.needs_residence_declaration(consultation):
        if not lives_there:
            raise ValidationError(
                _("Please confirm that you live in %(place)s.") % {"place": consultation.territory},
                code="residence",
            )
        participant.declared_resident = True
        participant.save(update_fields=["declared_resident"])
    return participant


def _initial_state(consultation: Consultation) -> str:
    return ModerationState.PENDING if consultation.premoderation else ModerationState.VISIBLE


@transaction.atomic
def proposal_create(
    *, user, anon_key: str = "", consultation: Consultation, title: str, body: str, language: str,
    image=None, attachment=None,
) -> Proposal:  # fmt: skip
    """Publish a proposal (or hold it for a moderator where the consultation asks for that)."""
    participant = _may_act(consultation, Action.PROPOSE, user=user, anon_key=anon_key)
    author = _actor(user)
    proposal = Proposal(
        consultation=consultation, author=author, participant=participant,
        is_anonymous=author is None, title=title.strip(), body=body.strip(), language=language,
        moderation_state=_initial_state(consultation),
    )  # fmt: skip
    proposal.full_clean()
    proposal.save()
    changed = []
    if image is not None:
        proposal.image = attachment_create(
            owner=proposal, upload=image, uploaded_by=author, allowed=IMAGE_TYPES
        )
        changed.append("image")
    if attachment is not None:
        proposal.attachment = attachment_create(
            owner=proposal, upload=attachment, uploaded_by=author
        )
        changed.append("attachment")
    if changed:
        proposal.save(update_fields=changed)
    return proposal


def proposal_is_editable(proposal: Proposal, *, at=None) -> bool:
    """Authors may correct their proposal for a short while, and never once someone supports it
    (they supported what they read)."""
    at = at or timezone.now()
    window = proposal.consultation.edit_minutes * 60
    return (
        not proposal.is_withdrawn
        # Reported or hidden text stays as the moderators saw it.
        and proposal.moderation_state in (ModerationState.VISIBLE, ModerationState.PENDING)
        and proposal.supports_count == 0
        and proposal.unverified_supports_count == 0
        and not proposal.answer
        and (at - proposal.created_at).total_seconds() <= window
    )


def _own(user, contribution) -> None:
    if not (user and user.is_authenticated and contribution.author_id == user.pk):
        raise PermissionDenied


@transaction.atomic
def proposal_update(*, user: User, proposal: Proposal, title: str, body: str) -> Proposal:
    """Correct one's own proposal while it is still editable."""
    _own(user, proposal)
    proposal = (
        Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
    )
    if not proposal_is_editable(proposal):
        raise ValidationError(
            _("This proposal can no longer be changed: the time to edit it is over or someone "
              "already supports it."),
            code="not_editable",
        )  # fmt: skip
    consultation = proposal.consultation
    reason = eligibility.phase_refusal(consultation, Action.PROPOSE, at=timezone.now())
    reason = reason or eligibility.refusal(user, consultation, participant=proposal.participant)
    if reason:
        raise ValidationError(reason, code="not_eligible")
    proposal.title, proposal.body = title.strip(), body.strip()
    proposal.edited_at = timezone.now()
    # Where a moderator approves each contribution, they approve the new text too.
    proposal.moderation_state = _initial_state(consultation)
    proposal.full_clean()
    proposal.save(update_fields=["title", "body", "edited_at", "moderation_state"])
    return proposal


@transaction.atomic
def proposal_withdraw(*, user: User, proposal: Proposal, undo: bool = False) -> Proposal:
    """Withdraw one's own proposal (or take the withdrawal back while proposals are open)."""
    _own(user, proposal)
    proposal = (
        Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
    )
    if proposal.answer:
        raise ValidationError(_("This proposal has already been answered."), code="answered")
    if undo:
        if not proposal.is_withdrawn:
            raise ValidationError(_("This proposal is not withdrawn."), code="not_withdrawn")
        if not proposal.consultation.allows(Action.PROPOSE, at=timezone.now()):
            raise ValidationError(
                _("Proposals are closed, so a withdrawal can no longer be taken back."),
                code="phase",
            )
        proposal.withdrawn_at = None
    else:
        if proposal.is_withdrawn:
            raise ValidationError(_("This proposal is already withdrawn."), code="withdrawn")
        proposal.withdrawn_at = timezone.now()
    proposal.save(update_fields=["withdrawn_at"])
    return proposal


def _supportable(proposal: Proposal) -> None:
    if proposal.is_withdrawn or not proposal.is_visible:
        raise ValidationError(_("This proposal cannot be supported."), code="not_supportable")
    if proposal.answer:
        raise ValidationError(_("This proposal has already been answered."), code="answered")


def _reached_recompute(consultation: Consultation) -> None:
    """Mark again which proposals reached the threshold, after it changed."""
    threshold = consultation.support_threshold
    proposals = Proposal.objects.filter(consultation=consultation)
    if threshold is None:
        proposals.update(reached_at=None)
        return
    proposals.filter(supports_count__lt=threshold).update(reached_at=None)
    proposals.filter(supports_count__gte=threshold, reached_at__isnull=True).update(
        reached_at=timezone.now()
    )


def _counter(participant: Participant) -> str:
    return "unverified_supports_count" if participant.is_anonymous else "supports_count"


def _mark_reached(proposal: Proposal) -> None:
    threshold = proposal.consultation.support_threshold
    reached = threshold is not None and proposal.supports_count >= threshold
    if reached and proposal.reached_at is None:
        proposal.reached_at = timezone.now()
        proposal.save(update_fields=["reached_at"])
    elif not reached and proposal.reached_at is not None:
        proposal.reached_at = None
        proposal.save(update_fields=["reached_at"])


@transaction.atomic
def support_add(*, user, anon_key: str = "", proposal: Proposal) -> Support:
    """Support a proposal: once per person (by constraint), within the consultation's limit."""
    consultation = proposal.consultation
    participant = _may_act(consultation, Action.SUPPORT, user=user, anon_key=anon_key)
    proposal = Proposal.objects.select_related("consultation").get(pk=proposal.pk)
    _supportable(proposal)
    limit = consultation.supports_per_person
    # The participant row is locked, so two simultaneous supports cannot both pass the limit.
    # Supports on proposals since hidden or withdrawn cannot be taken back, so they do not count.
    live = Support.objects.filter(
        participant=participant,
        proposal__moderation_state=ModerationState.VISIBLE,
        proposal__withdrawn_at__isnull=True,
    )
    if limit is not None and live.count() >= limit:
        raise ValidationError(
            _("You have used all %(limit)d of your supports in this consultation. Take one back "
              "to support another proposal.") % {"limit": limit},
            code="support_limit",
        )  # fmt: skip
    try:
        with transaction.atomic():
            support = Support.objects.create(
                consultation=consultation, proposal=proposal, participant=participant
            )
    except IntegrityError:
        raise ValidationError(
            _("You already support this proposal."), code="already_supported"
        ) from None
    counter = _counter(participant)
    Proposal.objects.filter(pk=proposal.pk).update(**{counter: F(counter) + 1})
    proposal.refresh_from_db(fields=["supports_count", "unverified_supports_count", "reached_at"])
    _mark_reached(proposal)
    return support


@transaction.atomic
def support_remove(*, user, anon_key: str = "", proposal: Proposal) -> None:
    """Take one's support back while supports are open."""
    consultation = proposal.consultation
    participant = _may_act(consultation, Action.SUPPORT, user=user, anon_key=anon_key)
    deleted, _rows = Support.objects.filter(proposal=proposal, participant=participant).delete()
    if not deleted:
        raise ValidationError(_("You do not support this proposal."), code="not_supported")
    counter = _counter(participant)
    Proposal.objects.filter(pk=proposal.pk).update(**{counter: F(counter) - 1})
    proposal.refresh_from_db(fields=["supports_count", "unverified_supports_count", "reached_at"])
    _mark_reached(proposal)


def _mentioned_users(consultation: Consultation, body: str, *, author) -> list[User]:
    """People named as @public_name (spaces written as _) who took part in this consultation.

    A name that fits several participants mentions nobody: a notification to the wrong person
    would be worse than none.
    """
    names = []
    for raw in MENTION.findall(body):
        name = raw.rstrip(".").replace("_", " ").strip().casefold()
        if name and name not in names:
            names.append(name)
    names = names[:MAX_MENTIONS]
    if not names:
        return []
    named = Q()
    for name in names:
        named |= Q(display_name__iexact=name)
    people = User.objects.filter(named, is_active=True).filter(
        pk__in=Participant.objects.filter(consultation=consultation).values("user")
    )
    by_name: dict[str, list[User]] = {}
    for person in people[: MAX_MENTIONS * 10]:
        by_name.setdefault(person.display_name.casefold(), []).append(person)
    found = []
    for name in names:
        matches = by_name.get(name, [])
        if len(matches) == 1 and (author is None or matches[0].pk != author.pk):
            found.append(matches[0])
    return found


@transaction.atomic
def comment_create(
    *, user, anon_key: str = "", consultation: Consultation, body: str, stance: str,
    language: str, proposal: Proposal | None = None, parent: Comment | None = None,
) -> Comment:  # fmt: skip
    """Comment on a proposal or on the consultation itself, or reply to a comment."""
    participant = _may_act(consultation, Action.COMMENT, user=user, anon_key=anon_key)
    if proposal is not None and (
        proposal.consultation_id != consultation.pk or not proposal.is_visible
    ):
        raise ValidationError(_("This proposal cannot be commented on."), code="proposal")
    if parent is not None:
        if (
            parent.consultation_id != consultation.pk
            or parent.proposal_id != (proposal.pk if proposal else None)
            or not parent.is_visible
            or parent.removed_at is not None
        ):
            raise ValidationError(_("This comment cannot be answered."), code="parent")
    if parent is not None and parent.depth >= Comment.MAX_DEPTH and parent.parent_id:
        # Past the deepest level a reply joins its parent's level, so threads stay readable
        # on a small screen.
        parent = parent.parent
    author = _actor(user)
    comment = Comment(
        consultation=consultation, proposal=proposal, parent=parent, author=author,
        participant=participant, is_anonymous=author is None, body=body.strip(), stance=stance,
        language=language, moderation_state=_initial_state(consultation),
        thread_id=(parent.thread_id or parent.pk) if parent else None,
        depth=min(parent.depth + 1, Comment.MAX_DEPTH) if parent else 0,
    )  # fmt: skip
    comment.full_clean()
    comment.save()
    if comment.is_visible:
        mentions_notify(comment)
    return comment


def mentions_notify(comment: Comment) -> None:
    """Tell the people a published comment mentions (on creation, or on a moderator's approval)."""
    consultation = comment.consultation
    for person in _mentioned_users(consultation, comment.body, author=comment.author):
        notification_send(
            recipient=person,
            kind="consultation_mention",
            template="consultations/notifications/mention",
            context={
                "comment": comment,
                "consultation": consultation,
                "who": comment.author_label(),
            },
            url=comment.get_absolute_url(),
        )


@transaction.atomic
def comment_remove(*, user: User, comment: Comment) -> Comment:
    """Remove one's own comment; replies stay, under a note that it was removed."""
    _own(user, comment)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.removed_at is not None:
        raise ValidationError(_("This comment is already removed."), code="removed")
    comment.removed_at = timezone.now()
    comment.save(update_fields=["removed_at"])
    return comment


# Answers


@transaction.atomic
def proposal_answer(
    *, actor: User, proposal: Proposal, answer: str, text: TranslatedText,
    merged_into: Proposal | None = None,
) -> Proposal:  # fmt: skip
    """Answer a proposal for the owner; its author and supporters are told after commit."""
    consultation = proposal.consultation
    _check(actor, "consultations.answer_proposals", consultation)
    if consultation.phase_at(timezone.now()) not in (Phase.ANSWERS, Phase.CLOSED):
        raise ValidationError(_("Proposals are answered from the answers phase on."), code="phase")
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.is_withdrawn or proposal.moderation_state != ModerationState.VISIBLE:
        raise ValidationError(_("Only published proposals are answered."), code="not_answerable")
    if answer not in Proposal.Answer.values:
        raise ValidationError(_("Choose an answer."), code="answer")
    if answer in (Proposal.Answer.NOT_ACCEPTED, Proposal.Answer.MERGED) and not text:
        raise ValidationError(
            _("Give the reasons: the people who proposed and supported it will read them."),
            code="reasons_required",
        )
    if answer == Proposal.Answer.MERGED:
        if (
            merged_into is None
            or merged_into.pk == proposal.pk
            or merged_into.consultation_id != consultation.pk
            or merged_into.merged_into_id == proposal.pk
            or merged_into.answer == Proposal.Answer.MERGED
            # Supporters are told its title and follow it: it must be one they can read.
            or not merged_into.is_visible
            or merged_into.is_withdrawn
        ):
            raise ValidationError(
                _("Choose another proposal of this consultation to merge it into."),
                code="merged_into",
            )
    else:
        merged_into = None
    before = snapshot(proposal)
    proposal.answer, proposal.answer_text, proposal.merged_into = answer, text, merged_into
    proposal.answered_at, proposal.answered_by = timezone.now(), actor
    proposal.full_clean()
    proposal.save()
    audit_record(
        actor=actor, action="update", obj=proposal, before=before, after=snapshot(proposal)
    )
    from .tasks import answer_notify

    transaction.on_commit(lambda: answer_notify.enqueue(proposal_id=proposal.pk, actor_id=actor.pk))
    return proposal


def answer_notices_send(*, proposal_id: int, actor_id: int | None) -> int:
    """Tell the author and every supporter with an account how their proposal was answered."""
    proposal = Proposal.objects.select_related("consultation", "merged_into").get(pk=proposal_id)
    supporters = User.objects.filter(
        pk__in=Support.objects.filter(proposal=proposal, participant__user__isnull=False).values(
            "participant__user"
        )
    )
    people = {u.pk: u for u in supporters.filter(is_active=True)}
    if proposal.author_id and proposal.author.is_active:
        people[proposal.author_id] = proposal.author
    people.pop(actor_id, None)
    for person in people.values():
        with transaction.atomic():
            notification_send(
                recipient=person,
                kind="consultation_answer",
                template="consultations/notifications/answered",
                context={
                    "proposal": proposal,
                    "consultation": proposal.consultation,
                    "is_author": person.pk == proposal.author_id,
                },
                url=proposal.get_absolute_url(),
            )
    return len(people)


@transaction.atomic
def proposal_cite(*, actor: User, proposal: Proposal, motion, url: str) -> MotionCitation:
    """Link a published proposal as evidence to a council motion that is not decided yet."""
    if not (proposal.consultation.is_published and proposal.is_visible):
        raise ValidationError(_("Only published proposals can be cited."), code="not_public")
    if MotionCitation.objects.filter(proposal=proposal, motion=motion).exists():
        raise ValidationError(
            _("This proposal is already evidence for that motion."), code="already_cited"
        )
    label = _("Consultation proposal: %(title)s") % {"title": proposal.title}
    motion_evidence_add(actor=actor, motion=motion, label=label, url=url)
    return MotionCitation.objects.create(proposal=proposal, motion=motion, cited_by=actor)
