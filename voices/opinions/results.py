"""A stored analysis as pages and the PDF report show it: groups named by letter and drawn with
their own marker shape (never told apart by colour alone), sizes of groups only through
disclosure control, and the statements the analysis names (by number) with their text.

Shares of a set of people (a group, or everyone outside it) are shown only where that set is
large enough to be published (`core.disclosure`): a percentage of three people says what each
of them voted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voices.core.disclosure import Disclosed, disclose_count, drawn_size

from . import selectors
from .models import Analysis, OpinionMap, Statement

# analysis.stats.Z90 and analysis.pipeline.MIN_VOTES, repeated so that a web page does not load
# numpy (tests check that they agree).
CLEARLY = 1.2816
MIN_VOTES_FOR_GROUP = 7
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# One marker shape per group (the analysis makes at most five), then a colour as well.
SHAPES = ("circle", "square", "triangle", "diamond", "pentagon")
COLOURS = ("#1d4e89", "#a4161a", "#1e6b34", "#8a4b00", "#5b2a86")
SHAPE_NAMES = {
    "circle": gettext_lazy("circles"),
    "square": gettext_lazy("squares"),
    "triangle": gettext_lazy("triangles"),
    "diamond": gettext_lazy("diamonds"),
    "pentagon": gettext_lazy("pentagons"),
}
# The drawing in words: one whole sentence per shape, so that no shape name is put into a sentence.
DRAWN_AS = {
    "circle": gettext_lazy("%(group)s is drawn as circles. People in it: %(people)s."),
    "square": gettext_lazy("%(group)s is drawn as squares. People in it: %(people)s."),
    "triangle": gettext_lazy("%(group)s is drawn as triangles. People in it: %(people)s."),
    "diamond": gettext_lazy("%(group)s is drawn as diamonds. People in it: %(people)s."),
    "pentagon": gettext_lazy("%(group)s is drawn as pentagons. People in it: %(people)s."),
}
# Corners, and the angle of the first one, of the shapes drawn as polygons.
SIDES = {"square": (4, 45), "triangle": (3, -90), "diamond": (4, -90), "pentagon": (5, -90)}
GROUP_CONSENSUS_SHOWN = 5
GROUP_CONSENSUS_CANDIDATES = 20

# The drawing: a fixed coordinate system, scaled to the page's width by the browser.
WIDTH, HEIGHT, MARGIN = 600, 400, 40
LARGEST_RADIUS = 28
SMALLEST_RADIUS = 4
# A group whose size is not published is drawn as one mark of this size, whatever its size.
SMALL_GROUP_RADIUS = 10


def letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Share:
    """How one group (or everyone else) voted on a statement; `percent` is None when hidden."""

    percent: int | None
    group: Group | None = None


@dataclass
class Represents:
    statement: Statement
    direction: str  # "agree" | "disagree"
    group_share: int | None
    others_share: int | None
    is_clear: bool


@dataclass
class Group:
    id: int
    index: int
    size: Disclosed
    unverified: Disclosed
    share: int | None  # percent of the people in groups; None when the size is suppressed
    raw_size: int = field(repr=False)
    represents: list[Represents] = field(default_factory=list)

    @property
    def letter(self) -> str:
        return letter(self.index)

    @property
    def label(self) -> str:
        return _("Group %(letter)s") % {"letter": self.letter}

    @property
    def shape(self) -> str:
        return SHAPES[self.index % len(SHAPES)]

    @property
    def shape_name(self) -> str:
        return str(SHAPE_NAMES[self.shape])

    @property
    def colour(self) -> str:
        return COLOURS[self.index % len(COLOURS)]

    @property
    def is_small(self) -> bool:
        return self.size.is_suppressed


@dataclass
class StatementResult:
    """A statement in the consensus or divisive lists, with every group's agree share."""

    statement: Statement
    percent: int | None = None  # of everyone who voted on it (agree or disagree, by list)
    by_group: list[Share] = field(default_factory=list)


@dataclass
class Marker:
    """One base cluster on the drawing (or a whole group too small to show its size): its
    group's shape, its area by the people in it, rounded (`core.disclosure.drawn_size`)."""

    group: Group
    x: float
    y: float
    r: float
    points: str = ""  # the polygon of every shape but the circle


@dataclass
class YouMarker:
    """The viewer's own place: a cross (a shape no group has) and the word "You" above it."""

    x: float
    y: float

    @property
    def path(self) -> str:
        x, y, a = self.x, self.y, 8
        corners = [(x - a, y - a), (x + a, y + a), (x - a, y + a), (x + a, y - a)]
        (x1, y1), (x2, y2), (x3, y3), (x4, y4) = corners
        return f"M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}M{x3:.1f} {y3:.1f}L{x4:.1f} {y4:.1f}"

    @property
    def label_y(self) -> float:
        return round(self.y - 14, 1)


@dataclass
class Drawing:
    width: int
    height: int
    markers: list[Marker]
    labels: list[tuple[Group, float, float]]  # the group letter at its centre
    you: YouMarker | None


@dataclass
class MapResults:
    analysis: Analysis
    participants: Disclosed
    statements: int
    votes: int
    groups: list[Group]
    agreed: list[StatementResult]
    disagreed: list[StatementResult]
    every_group_agrees: list[StatementResult]
    divisive: list[StatementResult]
    drawing: Drawing | None
    you: Group | None = None

    def description(self) -> str:
        """The drawing in words (its SVG <desc>); the tables below it say the same."""
        parts = [
            _(
                "People who voted alike are close together; the larger a shape, the more "
                "people it stands for."
            )
        ]
        for group in self.groups:
            parts.append(DRAWN_AS[group.shape] % {"group": group.label, "people": group.size})
        if self.drawing is not None and self.drawing.you is not None:
            parts.append(_("A cross marks where you are."))
        parts.append(_("The tables below the map give the same information."))
        return " ".join(parts)


def _groups(result: dict, unverified: dict) -> list[Group]:
    raw = sorted((int(g), int(size)) for g, size in result.get("groups") or [])
    total = disclose_count(sum(size for _g, size in raw))
    groups = []
    for index, (gid, size) in enumerate(raw):
        shown = disclose_count(size)
        share = None
        if not shown.is_suppressed and total.value:
            share = _percent(shown.value, total.value)
        groups.append(
            Group(
                id=gid,
                index=index,
                size=shown,
                raw_size=size,
                share=share,
                unverified=disclose_count(int(unverified.get(str(gid), 0))),
            )  # fmt: skip
        )
    return groups


class _Votes:
    """The result's group votes: {group: {statement: [agree, disagree, votes]}}."""

    def __init__(self, result: dict, groups: list[Group]):
        self.votes = result.get("group_votes") or {}
        self.groups = groups

    def counts(self, group: Group, number: int) -> tuple[int, int, int]:
        agree, disagree, votes = self.votes.get(str(group.id), {}).get(str(number), (0, 0, 0))
        return int(agree), int(disagree), int(votes)

    def share(self, group: Group, number: int, direction: str) -> int | None:
        if group.is_small:
            return None
        agree, disagree, votes = self.counts(group, number)
        return _percent(agree if direction == "agree" else disagree, votes)

    def others_share(self, group: Group, number: int, direction: str) -> int | None:
        others = [g for g in self.groups if g.id != group.id]
        if not others or disclose_count(sum(g.raw_size for g in others)).is_suppressed:
            return None
        agree = disagree = votes = 0
        for other in others:
            a, d, v = self.counts(other, number)
            agree, disagree, votes = agree + a, disagree + d, votes + v
        return _percent(agree if direction == "agree" else disagree, votes)

    def every_group_agrees(self, number: int) -> bool:
        """More than half of each group agrees (the raw counts decide; only shares of groups
        large enough are shown)."""
        for group in self.groups:
            agree, _disagree, votes = self.counts(group, number)
            if not votes or 2 * agree <= votes:
                return False
        return True

    def by_group(self, number: int) -> list[Share]:
        return [Share(self.share(g, number, "agree"), g) for g in self.groups]


def _numbers(result: dict) -> set[int]:
    numbers = {int(r["statement"]) for rs in (result.get("repness") or {}).values() for r in rs}
    for side in (result.get("consensus") or {}).values():
        numbers.update(int(c["statement"]) for c in side)
    numbers.update(int(d["statement"]) for d in result.get("divisive") or [])
    numbers.update(int(s) for s in _group_consensus_top(result))
    return numbers


def _group_consensus_top(result: dict) -> list[str]:
    ranked = sorted(
        (result.get("group_consensus") or {}).items(), key=lambda item: (-item[1], int(item[0]))
    )
    # The best few are enough to find five that every group agrees with.
    return [number for number, _value in ranked][:GROUP_CONSENSUS_CANDIDATES]


def map_results(
    opinion_map: OpinionMap, analysis: Analysis, *, you_at: selectors.Position | None = None
) -> MapResults:
    """What the map page shows of `analysis` (from `selectors.latest_analysis`); `you_at` is the
    viewer's own position, marked on the drawing."""
    result = analysis.result
    groups = _groups(result, analysis.unverified_per_group or {})
    by_id = {g.id: g for g in groups}
    votes = _Votes(result, groups)
    texts = selectors.statements_by_number(opinion_map, _numbers(result))

    for gid, items in (result.get("repness") or {}).items():
        group = by_id.get(int(gid))
        if group is None:
            continue
        for r in items:
            statement = texts.get(int(r["statement"]))
            if statement is None:
                continue
            number, direction = statement.number, r["direction"]
            group.represents.append(
                Represents(
                    statement=statement,
                    direction=direction,
                    group_share=votes.share(group, number, direction),
                    others_share=votes.others_share(group, number, direction),
                    is_clear=float(r.get("repness_test", 0)) > CLEARLY,
                )  # fmt: skip
            )

    def listed(items, direction: str | None = None) -> list[StatementResult]:
        shown = []
        for item in items:
            statement = texts.get(int(item["statement"]))
            if statement is not None:
                percent = None
                if direction and item.get("n_trials"):
                    percent = _percent(int(item["n_success"]), int(item["n_trials"]))
                shown.append(StatementResult(statement, percent, votes.by_group(statement.number)))
        return shown

    consensus = result.get("consensus") or {}
    top = [{"statement": n} for n in _group_consensus_top(result)]
    agreed_by_all = []
    if len(groups) > 1:
        agreed_by_all = [i for i in listed(top) if votes.every_group_agrees(i.statement.number)]
    you = by_id.get(you_at.group) if you_at is not None and you_at.group is not None else None
    return MapResults(
        analysis=analysis,
        participants=disclose_count(int(result.get("n_participants") or analysis.n_participants)),
        statements=int(result.get("n_statements") or 0),
        votes=int(result.get("n_votes") or analysis.n_votes),
        groups=groups,
        agreed=listed(consensus.get("agree", []), "agree"),
        disagreed=listed(consensus.get("disagree", []), "disagree"),
        every_group_agrees=agreed_by_all[:GROUP_CONSENSUS_SHOWN],
        divisive=listed(result.get("divisive") or []) if len(groups) > 1 else [],
        drawing=_drawing(result.get("base_clusters") or [], by_id, you_at),
        you=you,
    )


# The drawing


def _polygon(shape: str, x: float, y: float, r: float) -> str:
    sides, turn = SIDES[shape]
    # A polygon of the same area as the circle of radius r reads as the same size.
    area = math.pi * r * r
    circumradius = math.sqrt(2 * area / (sides * math.sin(2 * math.pi / sides)))
    corners = []
    for i in range(sides):
        angle = math.radians(turn + 360 * i / sides)
        corners.append(
            f"{x + circumradius * math.cos(angle):.1f},{y + circumradius * math.sin(angle):.1f}"
        )
    return " ".join(corners)


def _drawing(
    clusters: list, groups: dict[int, Group], you_at: selectors.Position | None
) -> Drawing | None:
    clusters = [c for c in clusters if int(c[3]) in groups and int(c[2]) > 0]
    if not clusters:
        return None
    xs = [float(c[0]) for c in clusters] + ([you_at.x] if you_at else [])
    ys = [float(c[1]) for c in clusters] + ([you_at.y] if you_at else [])
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    # One scale for both axes, so distances on the drawing mean the same in every direction.
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def place(x: float, y: float) -> tuple[float, float]:
        # Up is up: the drawing's y axis points down.
        return round(WIDTH / 2 + (x - mid_x) * scale, 1), round(HEIGHT / 2 - (y - mid_y) * scale, 1)

    sums: dict[int, tuple[float, float, int]] = {}
    places = []
    for cx, cy, size, gid in clusters:
        group = groups[int(gid)]
        x, y = place(float(cx), float(cy))
        places.append((group, x, y, int(size)))
        sx, sy, n = sums.get(group.id, (0.0, 0.0, 0))
        sums[group.id] = (sx + x * int(size), sy + y * int(size), n + int(size))
    # A group too small for its size to be published is one mark of a fixed size at its centre:
    # its places and their areas would give away how many people it has.
    marks = [(g, x, y, drawn_size(n)) for g, x, y, n in places if not g.is_small]
    marks += [
        (groups[gid], sx / n, sy / n, None)
        for gid, (sx, sy, n) in sums.items()
        if groups[gid].is_small
    ]
    largest = max((n for *_xy, n in marks if n is not None), default=1)
    markers = []
    for group, x, y, n in marks:
        if n is None:
            r = SMALL_GROUP_RADIUS
        else:
            r = max(SMALLEST_RADIUS, round(LARGEST_RADIUS * math.sqrt(n / largest), 1))
        x, y = round(x, 1), round(y, 1)
        marker = Marker(group, x, y, r)
        if group.shape != "circle":
            marker.points = _polygon(group.shape, x, y, r)
        markers.append(marker)
    # Largest first, so small markers stay visible on top of large ones.
    markers.sort(key=lambda m: -m.r)
    labels = [
        (groups[gid], round(sx / n, 1), round(sy / n, 1)) for gid, (sx, sy, n) in sums.items()
    ]
    labels.sort(key=lambda item: item[0].index)
    you = YouMarker(*place(you_at.x, you_at.y)) if you_at is not None else None
    return Drawing(WIDTH, HEIGHT, markers, labels, you)
