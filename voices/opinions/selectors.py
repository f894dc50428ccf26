"""Reads for opinion maps, including who may see what (what a viewer may not see is a 404).

Built for large maps (100,000 participants, 1,000 statements, millions of votes): totals come
from counters kept on each statement, and the stored analysis is read a part at a time (JSON key
lookups), never a whole result holding every participant's position for one of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, When
from django.db.models.fields.json import KeyTransform
from django.shortcuts import get_object_or_404

from voices.consultations.models import Participant
from voices.consultations.selectors import consultation_get_for_user
from voices.core.models import ModerationState

from .models import Analysis, OpinionMap, Statement, Vote

VISIBLE = ModerationState.VISIBLE
# A moderator's decision is awaited: approval (pre-moderation), or reports that hid it.
WAITING = (ModerationState.PENDING, ModerationState.REPORTED)


def map_for_consultation(consultation_id: int, *, user) -> OpinionMap:
    """Return the consultation's opinion map if `user` may see the consultation, else 404."""
    consultation = consultation_get_for_user(consultation_id, user=user)
    opinion_map = get_object_or_404(OpinionMap, consultation=consultation)
    # The consultation is already loaded (and checked); reuse it rather than query it again.
    opinion_map.consultation = consultation
    return opinion_map


def map_of(consultation) -> OpinionMap | None:
    """The consultation's map, for its page (which has already checked who may see it)."""
    opinion_map = OpinionMap.objects.filter(consultation=consultation).first()
    if opinion_map is not None:
        opinion_map.consultation = consultation
    return opinion_map


def statements_visible(opinion_map: OpinionMap) -> QuerySet[Statement]:
    """The map's published statements, by number."""
    return Statement.objects.filter(map=opinion_map, moderation_state=VISIBLE).order_by("number")


def statement_by_number(number: int, *, opinion_map: OpinionMap) -> Statement:
    """A published statement of this map by its number (the one votes are cast on), else 404."""
    return get_object_or_404(
        Statement,
        map=opinion_map,
        number=number,
        moderation_state=VISIBLE,
    )


def statements_by_number(opinion_map: OpinionMap, numbers: Iterable[int]) -> dict[int, Statement]:
    """The published statements among `numbers`, by number, in one query (the analysis names
    statements by number; one hidden since is left out)."""
    qs = statements_visible(opinion_map).filter(number__in=set(numbers))
    return {s.number: s for s in qs.only("pk", "number", "text", "language", "map_id")}


def statements_for_moderators(opinion_map: OpinionMap) -> QuerySet[Statement]:
    """Every statement of the map, whatever its moderation state: those waiting for a moderator
    (approval, or reports) first, then by number."""
    waiting = Case(When(moderation_state__in=WAITING, then=0), default=1)
    return (
        Statement.objects.filter(map=opinion_map)
        .select_related("author")
        .order_by(waiting, "number")
    )


def statements_waiting_count(consultation) -> int | None:
    """How many statements of the consultation's map wait for a moderator (those that
    `statements_for_moderators` lists first), or None where it has no map; in one query."""
    return (
        OpinionMap.objects.filter(consultation=consultation)
        .annotate(waiting=Count("statements", filter=Q(statements__moderation_state__in=WAITING)))
        .values_list("waiting", flat=True)
        .first()
    )


def statement_for_moderators(number: int, *, opinion_map: OpinionMap) -> Statement:
    """A statement of this map by its number, whatever its moderation state, else 404."""
    return get_object_or_404(
        Statement.objects.select_related("author", "consultation"), map=opinion_map, number=number
    )


def statements_pending_for(
    *, opinion_map: OpinionMap, user, participant: Participant | None = None
) -> QuerySet[Statement]:
    """The person's own statements that wait for a moderator (nobody else sees them yet): by
    their account, or without one by their `participant` (the browser's, from its cookie)."""
    if user and user.is_authenticated:
        mine = Q(author=user)
    elif participant is not None and participant.user_id is None:
        mine = Q(participant=participant)
    else:
        return Statement.objects.none()
    return Statement.objects.filter(
        mine, map=opinion_map, moderation_state=ModerationState.PENDING
    ).order_by("number")


# The analysis

# The parts of a stored result that a page showing the map needs; "positions" and "group_of"
# hold every participant and are read one participant at a time (participant_position).
MAP_PARTS = (
    "k", "groups", "base_clusters", "repness", "consensus", "group_consensus", "divisive",
    "group_votes", "n_participants", "n_statements", "n_votes",
)  # fmt: skip


def latest_analysis(
    opinion_map: OpinionMap, *, parts: Iterable[str] | None = MAP_PARTS
) -> Analysis | None:
    """The map's latest analysis, or None before the first one.

    Its `result` holds only `parts` (top-level keys of `Result.to_json()`); pass `parts=None`
    for the whole result, e.g. to rebuild a `Result`.
    """
    qs = Analysis.objects.filter(map=opinion_map).order_by("-version")
    if parts is None:
        return qs.defer("state", "positions").first()
    parts = list(parts)
    analysis = (
        qs.defer("result", "state", "positions")
        .annotate(**{f"part_{name}": KeyTransform(name, "result") for name in parts})
        .first()
    )
    if analysis is not None:
        analysis.result = {name: getattr(analysis, f"part_{name}") for name in parts}
    return analysis


@dataclass(frozen=True)
class Position:
    """Where a participant stands in the latest analysis: their group (None while they have
    too few votes to be placed in one) and their point on the map."""

    group: int | None
    x: float
    y: float
    version: int


def participant_position(
    opinion_map: OpinionMap, participant: Participant | None
) -> Position | None:
    """The participant's position in the latest analysis, or None if it does not have them."""
    if participant is None:
        return None
    row = (
        Analysis.objects.filter(map=opinion_map)
        .order_by("-version")
        .annotate(point=KeyTransform(Analysis.position_key(participant.pk), "positions"))
        .values_list("version", "point")
        .first()
    )
    if row is None or row[1] is None:
        return None
    version, (group, x, y) = row
    return Position(group=group, x=x, y=y, version=version)


# Choosing the next statement


def _written_by(participant: Participant) -> Q:
    """Statements the participant wrote (under this consultation or with their account)."""
    written = Q(participant=participant)
    if participant.user_id is not None:
        written |= Q(author_id=participant.user_id)
    return written


def _voted_by(participant: Participant) -> Exists:
    return Exists(Vote.objects.filter(participant=participant, statement=OuterRef("pk")))


def next_statement(*, opinion_map: OpinionMap, participant: Participant | None) -> Statement | None:
    """The statement to show a voter next, or None when they have voted on every one.

    Never one they voted on or wrote. Among the others, in this order:

    1. statements the latest analysis does not know yet (new, or nobody voted on them), newest
       first, so new statements get their first votes quickly;
    2. the analysis's routing priority, highest first (Pol.is's formula: statements few have
       seen, that people do not simply pass, and that separate the groups);
    3. the fewest votes so far;
    4. the lowest number.

    Three queries, however large the map: the priorities, the candidates' numbers and counts,
    and the chosen statement.
    """
    priority = (
        Analysis.objects.filter(map=opinion_map)
        .order_by("-version")
        .annotate(priority_part=KeyTransform("priority", "result"))
        .values_list("priority_part", flat=True)
        .first()
    ) or {}
    candidates = Statement.objects.filter(map=opinion_map, moderation_state=VISIBLE)
    if participant is not None:
        candidates = candidates.exclude(_written_by(participant)).exclude(_voted_by(participant))
    rows = candidates.values_list("pk", "number", "agree_count", "disagree_count", "pass_count")

    def rank(row: tuple) -> tuple:
        pk, number, agree, disagree, passes = row
        known = priority.get(str(number))
        if known is None:
            return (0, -number, 0.0, 0, number)
        return (1, 0, -known, agree + disagree + passes, number)

    best = min(rows, key=rank, default=None)
    if best is None:
        return None
    return Statement.objects.select_related("author").get(pk=best[0])


# Counts and one's own votes


def map_totals(opinion_map: OpinionMap) -> tuple[int, int]:
    """Published statements and their votes, in one query (for the consultation page)."""
    totals = statements_visible(opinion_map).aggregate(
        statements=Count("pk"),
        votes=Sum("agree_count") + Sum("disagree_count") + Sum("pass_count"),
    )
    return totals["statements"], totals["votes"] or 0


def vote_progress(opinion_map: OpinionMap, participant: Participant | None) -> tuple[int, int]:
    """How many of the map's published statements the participant voted on, and how many there
    are to vote on (their own left out, as `next_statement` leaves them out), in one query."""
    qs = statements_visible(opinion_map).order_by()
    if participant is None:
        return 0, qs.count()
    qs = qs.exclude(_written_by(participant))
    counts = qs.aggregate(total=Count("pk"), voted=Count("pk", filter=Q(_voted_by(participant))))
    return counts["voted"], counts["total"]


def my_votes(
    opinion_map: OpinionMap, participant: Participant | None, *, statements=None
) -> dict[int, int]:
    """The participant's votes on the map (or on `statements` only, e.g. one page of them):
    statement pk → value (1, -1 or 0)."""
    if participant is None:
        return {}
    votes = Vote.objects.filter(participant=participant, statement__map=opinion_map)
    if statements is not None:
        votes = votes.filter(statement__in=statements)
    return dict(votes.values_list("statement_id", "value"))


def opinions_of(user) -> list[dict]:
    """What a person wrote and how they voted on opinion maps, for their own data download."""
    rows: list[dict] = []
    statements = Statement.objects.filter(author=user).select_related("consultation")
    for s in statements.order_by("created_at", "id"):
        rows.append({
            "kind": "statement", "consultation": str(s.consultation.title), "number": s.number,
            "text": s.text, "language": s.language, "written": s.created_at.isoformat(),
            "moderation": s.moderation_state,
        })  # fmt: skip
    votes = Vote.objects.filter(participant__user=user).select_related("statement__consultation")
    for v in votes.order_by("created_at", "id"):
        rows.append({
            "kind": "vote", "consultation": str(v.statement.consultation.title),
            "statement": v.statement.text, "vote": Vote.Value(v.value).name.lower(),
            "given": v.created_at.isoformat(), "changed": v.updated_at.isoformat(),
        })  # fmt: skip
    return rows
