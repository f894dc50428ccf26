"""Writes for opinion maps: setting a map up, statements, votes, and the analysis that follows
the votes.

Taking part goes through the consultation's own rules (`participant_for_action`): adding a
statement is making a proposal (contributions phase), voting is supporting (contributions and
deliberation phases); eligibility, blocks and people without an account are decided there.

The analysis is debounced. Each vote is counted on the map (`votes_since_analysis`); after it
commits, a run is enqueued if enough new votes arrived or the last run is old enough, and never
while another one waits (`analysis_queued_at`). A periodic task enqueues the runs that the last
votes before a quiet period left due.
"""

from __future__ import annotations

import datetime
import time
from array import array

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from voices.accounts.models import User
from voices.consultations.models import Action, Consultation, Participant, Phase
from voices.consultations.services import consultation_update, participant_for_action
from voices.core.audit import audit_record, snapshot
from voices.core.models import ModerationState

from .models import Analysis, OpinionMap, Statement, Vote, text_key

COMPONENT_KEY = "opinions"
MAP_FIELDS = (
    "question", "premoderation", "statement_max_length", "participants_may_add",
    "analysis_every_votes", "analysis_every_seconds",
)  # fmt: skip
# An enqueued analysis that has not run after this long is taken as lost (a worker stopped),
# and the next vote or the periodic task enqueues another.
ANALYSIS_STALE = datetime.timedelta(minutes=10)
COUNTERS = {
    Vote.Value.AGREE: "agree_count",
    Vote.Value.DISAGREE: "disagree_count",
    Vote.Value.PASS: "pass_count",
}
# Statements the analysis keeps out of its lists: hidden by a moderator, or hidden while
# reports are checked (nobody may read them, so none is shown as representative).
MODERATED_OUT = (ModerationState.HIDDEN, ModerationState.REPORTED)


def _check(actor, perm: str, obj) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(perm, obj)):
        raise PermissionDenied


# Setting a map up


@transaction.atomic
def opinion_map_create(*, actor: User, consultation: Consultation, **fields) -> OpinionMap:
    """Add an opinion map to a consultation the actor runs, and show it among its parts."""
    _check(actor, "opinions.add_opinionmap", consultation)
    if OpinionMap.objects.filter(consultation=consultation).exists():
        raise ValidationError(_("This consultation already has an opinion map."), code="map_exists")
    fields = {k: v for k, v in fields.items() if k in MAP_FIELDS}
    opinion_map = OpinionMap(consultation=consultation, **fields)
    opinion_map.full_clean()
    opinion_map.save()
    audit_record(actor=actor, action="create", obj=opinion_map, after=snapshot(opinion_map))
    if COMPONENT_KEY not in consultation.components:
        consultation_update(
            actor=actor,
            consultation=consultation,
            components=[*consultation.components, COMPONENT_KEY],
        )
    return opinion_map


@transaction.atomic
def opinion_map_update(*, actor: User, opinion_map: OpinionMap, **fields) -> OpinionMap:
    """Change a map's question and settings (statements already written keep their length)."""
    _check(actor, "opinions.change_opinionmap", opinion_map)
    opinion_map = OpinionMap.objects.select_for_update().get(pk=opinion_map.pk)
    before = snapshot(opinion_map)
    for name, value in fields.items():
        if name in MAP_FIELDS:
            setattr(opinion_map, name, value)
    opinion_map.full_clean()
    opinion_map.save()
    audit_record(
        actor=actor, action="update", obj=opinion_map, before=before, after=snapshot(opinion_map)
    )
    return opinion_map


# Statements


def too_long_message(limit: int, length: int) -> str:
    """The refusal of a statement over the map's limit (the form says it in the same words)."""
    return ngettext(
        "A statement has at most %(limit)d character; this one has %(length)d.",
        "A statement has at most %(limit)d characters; this one has %(length)d.",
        limit,
    ) % {"limit": limit, "length": length}


def _clean_text(opinion_map: OpinionMap, text: str) -> str:
    text = " ".join(text.split())
    if not text_key(text):
        raise ValidationError(_("Write a statement."), code="blank")
    limit = opinion_map.statement_max_length
    if len(text) > limit:
        raise ValidationError(too_long_message(limit, len(text)), code="too_long")
    return text


def statement_save(opinion_map: OpinionMap, *, text: str, **fields) -> Statement:
    """Number, flag and store a statement, with no permission or phase check: the services
    below check those first; the demo writes statements for phases already over."""
    # Numbers are given under the map's row lock, so two statements never get the same one.
    opinion_map = OpinionMap.objects.select_for_update().get(pk=opinion_map.pk)
    last = Statement.objects.filter(map=opinion_map).aggregate(n=Max("number"))["n"] or 0
    key = text_key(text)
    # The earliest statement with the same words that readers can still see; flagged, not
    # refused, so the author is told and moderators can merge by hiding one.
    duplicate_of = (
        Statement.objects.filter(map=opinion_map, text_key=key)
        .exclude(moderation_state=ModerationState.HIDDEN)
        .order_by("number")
        .first()
    )
    statement = Statement(
        map=opinion_map, consultation_id=opinion_map.consultation_id, number=last + 1,
        text=text, text_key=key, duplicate_of=duplicate_of, **fields,
    )  # fmt: skip
    statement.full_clean()
    statement.save()
    return statement


@transaction.atomic
def statement_seed_add(
    *, actor: User, opinion_map: OpinionMap, text: str, language: str
) -> Statement:
    """Add a moderator's statement (a seed), shown at once, to start or steer the map."""
    _check(actor, "opinions.moderate_opinionmap", opinion_map)
    phase = opinion_map.consultation.phase_at(timezone.now())
    if phase in (Phase.ANSWERS, Phase.CLOSED):
        raise ValidationError(
            _("Voting on this map is over, so a new statement would get no votes."),
            code="phase",
        )
    statement = statement_save(
        opinion_map, text=_clean_text(opinion_map, text), language=language, author=actor,
        is_seed=True, moderation_state=ModerationState.VISIBLE,
    )  # fmt: skip
    audit_record(actor=actor, action="create", obj=statement, after=snapshot(statement))
    return statement


@transaction.atomic
def statement_add(
    *, user, anon_key: str = "", opinion_map: OpinionMap, text: str, language: str
) -> Statement:
    """Add a participant's statement (held for a moderator where the map asks for that).

    The statement's `duplicate_of` names an earlier one with the same words, if any, so the
    page can say that a similar statement exists.
    """
    if not opinion_map.participants_may_add:
        raise ValidationError(
            _("Only the moderators add statements to this opinion map."), code="closed"
        )
    consultation = opinion_map.consultation
    participant = participant_for_action(consultation, Action.PROPOSE, user=user, anon_key=anon_key)
    state = ModerationState.PENDING if opinion_map.premoderation else ModerationState.VISIBLE
    return statement_save(
        opinion_map, text=_clean_text(opinion_map, text), language=language,
        author=participant.user, participant=participant, is_anonymous=participant.is_anonymous,
        moderation_state=state,
    )  # fmt: skip


# Votes


@transaction.atomic
def vote_cast(*, user, anon_key: str = "", statement: Statement, value: int) -> Vote:
    """Agree, disagree or pass on a statement: one vote per participant and statement (by
    constraint), changed in place when they change their mind."""
    if value not in Vote.Value.values:
        raise ValidationError(_("Choose agree, disagree or pass."), code="value")
    statement = Statement.objects.select_related("consultation").get(pk=statement.pk)
    participant = participant_for_action(
        statement.consultation, Action.SUPPORT, user=user, anon_key=anon_key
    )
    if not statement.is_visible:
        raise ValidationError(_("This statement cannot be voted on."), code="not_votable")
    # The participant's row is locked, so one person's simultaneous votes arrive one by one;
    # the constraint still settles any two that got past it.
    vote = Vote.objects.filter(participant=participant, statement=statement).first()
    counters: dict[str, F] = {}
    now = timezone.now()
    if vote is None:
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    statement=statement, participant=participant, value=value,
                    created_at=now, updated_at=now,
                )  # fmt: skip
        except IntegrityError:
            vote = Vote.objects.select_for_update().get(
                participant=participant, statement=statement
            )
        else:
            counters[COUNTERS[value]] = F(COUNTERS[value]) + 1
    if not counters:
        if vote.value == value:
            return vote
        old, new = COUNTERS[vote.value], COUNTERS[value]
        counters = {old: F(old) - 1, new: F(new) + 1}
        vote.value = value
        vote.updated_at = now  # no auto_now: a change is timed here
        vote.save(update_fields=["value", "updated_at"])
    Statement.objects.filter(pk=statement.pk).update(**counters)
    # Counted last, so the map's row, which every voter updates, stays locked only until the
    # commit; counted in the vote's transaction, so a vote is never stored uncounted.
    OpinionMap.objects.filter(pk=statement.map_id).update(
        votes_since_analysis=F("votes_since_analysis") + 1
    )
    # Robust: the vote is stored whatever happens here; a run not enqueued now is enqueued by
    # the next vote or by the periodic task.
    map_id = statement.map_id
    transaction.on_commit(lambda: analysis_enqueue_if_due(map_id=map_id), robust=True)
    return vote


# The analysis


def _with_last_analysis(qs):
    last = Analysis.objects.filter(map=OuterRef("pk")).order_by("-version").values("created_at")
    return qs.annotate(last_analysis_at=Subquery(last[:1])).only(
        "pk", "votes_since_analysis", "analysis_queued_at", "analysis_every_votes",
        "analysis_every_seconds",
    )  # fmt: skip


def _run_waits(opinion_map: OpinionMap, now: datetime.datetime) -> bool:
    """A run was enqueued and has not finished; after ANALYSIS_STALE it is taken as lost."""
    queued = opinion_map.analysis_queued_at
    return queued is not None and now - queued < ANALYSIS_STALE


def _is_due(opinion_map: OpinionMap, now: datetime.datetime) -> bool:
    if opinion_map.votes_since_analysis <= 0:
        return False
    if _run_waits(opinion_map, now):
        return False
    if opinion_map.votes_since_analysis >= opinion_map.analysis_every_votes:
        return True
    last = opinion_map.last_analysis_at
    every = datetime.timedelta(seconds=opinion_map.analysis_every_seconds)
    return last is None or now - last >= every


def _claim(opinion_map: OpinionMap, now: datetime.datetime) -> bool:
    """Mark the map's analysis as enqueued and enqueue it, unless someone else just did."""
    from .tasks import map_analyse

    # Compare and set: of simultaneous voters who all found the run due, one changes the
    # timestamp they read; the others then match no row.
    seen = opinion_map.analysis_queued_at
    unchanged = Q(analysis_queued_at__isnull=True) if seen is None else Q(analysis_queued_at=seen)
    with transaction.atomic():
        claimed = (
            OpinionMap.objects.filter(unchanged, pk=opinion_map.pk).update(analysis_queued_at=now)
            == 1
        )
        if claimed:
            map_id = opinion_map.pk
            transaction.on_commit(lambda: map_analyse.enqueue(map_id=map_id))
    return claimed


def analysis_enqueue_if_due(*, map_id: int, now: datetime.datetime | None = None) -> bool:
    """Enqueue the map's analysis if enough votes arrived or the last one is old enough
    (called after each vote commits); return True if this call enqueued it."""
    now = now or timezone.now()
    opinion_map = _with_last_analysis(OpinionMap.objects.filter(pk=map_id)).first()
    return opinion_map is not None and _is_due(opinion_map, now) and _claim(opinion_map, now)


def analysis_enqueue_now(
    *, actor: User, opinion_map: OpinionMap, now: datetime.datetime | None = None
) -> bool:
    """Enqueue the map's analysis at a moderator's request, however few votes are new (after
    statements were hidden, for one); return False if a run already waits."""
    _check(actor, "opinions.moderate_opinionmap", opinion_map)
    now = now or timezone.now()
    current = OpinionMap.objects.only("pk", "analysis_queued_at").get(pk=opinion_map.pk)
    if _run_waits(current, now):
        return False
    return _claim(current, now)


def analyses_enqueue_due(*, now: datetime.datetime) -> list[int]:
    """Enqueue the analysis of every map whose new votes wait longer than its interval (the
    last votes before a quiet period); return the maps' ids."""
    waiting = _with_last_analysis(OpinionMap.objects.filter(votes_since_analysis__gt=0))
    return [m.pk for m in waiting.order_by("pk") if _is_due(m, now) and _claim(m, now)]


def _votes_of(map_id: int) -> tuple:
    """The map's votes as arrays, oldest change first (the order the analysis reads them in)."""
    participants, statements = array("q"), array("q")
    values, stamps = array("b"), array("d")
    rows = (
        Vote.objects.filter(statement__map_id=map_id)
        .order_by("updated_at", "id")
        .values_list("participant_id", "statement__number", "value", "updated_at")
    )
    for participant_id, number, value, updated_at in rows.iterator(chunk_size=20_000):
        participants.append(participant_id)
        statements.append(number)
        values.append(value)
        stamps.append(updated_at.timestamp())
    return participants, statements, values, stamps


def _positions(result) -> dict[str, list]:
    group_of = result.group_of
    return {
        Analysis.position_key(pid): [group_of.get(pid), round(x, 5), round(y, 5)]
        for pid, (x, y) in result.positions.items()
    }


def _unverified_per_group(result, *, map_id: int) -> dict[str, int]:
    anonymous = Participant.objects.filter(consultation__opinion_map=map_id).exclude(anon_key="")
    counts: dict[str, int] = {}
    for pid in anonymous.values_list("pk", flat=True).iterator(chunk_size=20_000):
        if pid in result.group_of:
            group = str(result.group_of[pid])
            counts[group] = counts.get(group, 0) + 1
    return counts


def analysis_run(*, map_id: int) -> Analysis | None:
    """Analyse a map's votes and store the result as its next version (keeping the last few).

    Deliberately not one transaction: the map's row is locked only to read where the last run
    ended and then to store this one, so votes keep arriving, and being counted, while the
    math runs.
    """
    # numpy and the math are loaded by the worker that runs an analysis, not by every web
    # process that imports the services.
    import numpy as np

    from .analysis import State, analyse

    started = time.monotonic()
    with transaction.atomic():
        opinion_map = OpinionMap.objects.select_for_update().filter(pk=map_id).first()
        if opinion_map is None:
            return None
        seen = opinion_map.votes_since_analysis
        previous = Analysis.objects.filter(map=opinion_map).order_by("-version").first()
    # Read after `seen`: every vote it counted is among these. A vote arriving in between is
    # analysed now and counted again for the next run: an extra run at worst, never a lost vote.
    participants, statements, values, stamps = _votes_of(map_id)
    moderated_out = list(
        Statement.objects.filter(map_id=map_id, moderation_state__in=MODERATED_OUT)
        .order_by("number")
        .values_list("number", flat=True)
    )
    result = None
    if len(values):
        result = analyse(
            participants=np.frombuffer(participants, dtype=np.int64),
            statements=np.frombuffer(statements, dtype=np.int64),
            values=np.frombuffer(values, dtype=np.int8),
            timestamps=np.frombuffer(stamps, dtype=np.float64),
            moderated_out=moderated_out,
            state=State.from_json(previous.state) if previous and previous.state else None,
        )
    with transaction.atomic():
        OpinionMap.objects.select_for_update().filter(pk=map_id).first()
        analysis = None
        if result is not None:
            last = Analysis.objects.filter(map_id=map_id).aggregate(v=Max("version"))["v"] or 0
            analysis = Analysis.objects.create(
                map_id=map_id, version=last + 1, n_votes=result.n_votes,
                n_participants=result.n_participants,
                seconds=time.monotonic() - started,  # loading the votes included
                result=result.to_json(), state=result.state.to_json(),
                positions=_positions(result),
                unverified_per_group=_unverified_per_group(result, map_id=map_id),
            )  # fmt: skip
            Analysis.objects.filter(
                map_id=map_id, version__lte=analysis.version - Analysis.KEEP
            ).delete()
        # Greatest: a second run that overlapped this one may already have taken these off.
        OpinionMap.objects.filter(pk=map_id).update(
            votes_since_analysis=Greatest(F("votes_since_analysis") - seen, Value(0)),
            analysis_queued_at=None,
        )
    return analysis
