"""One update of an opinion map ("tick"): votes in, groups and their statements out.

The state carried from one update to the next is what makes groups stable while votes arrive, as
in Pol.is: who is clustered (never removed), the components (warm start), the base clusters with
their members, each k's groups and the k smoother. `State.to_json()` keeps all of it, so a restart
of the worker changes nothing (Pol.is loses the per-k groups and the smoother at each restart).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numba import njit
from numpy.typing import NDArray

from . import pca, stats
from .clusters import Clustering, Smoother, distances, kmeans, lookup, regroup

# Pol.is's constants (docs/opinion-maps-math.md).
MIN_VOTES = 7  # votes (or every statement, if fewer) before someone is clustered
MIN_CLUSTERED = 15  # while fewer are clustered, the most active voters are taken in
BASE_K = 100
BASE_ITERS = 100
GROUP_ITERS = 20
MAX_GROUPS = 5


@dataclass
class State:
    """What one update hands to the next. Rows and columns keep their order of first vote."""

    row_ids: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    col_ids: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    in_conv: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, bool))
    comps: NDArray[np.float64] | None = None  # (2, columns)
    base_ids: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    base_of_row: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))  # id|-1
    # k → (group ids, group id per base cluster id as two aligned arrays)
    groups_by_k: dict[int, tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]] = field(
        default_factory=dict
    )
    smoother: Smoother = field(default_factory=Smoother)

    def to_json(self) -> dict:
        return {
            "rows": self.row_ids.tolist(),
            "cols": self.col_ids.tolist(),
            "in": np.flatnonzero(self.in_conv).tolist(),
            "comps": None if self.comps is None else self.comps.tolist(),
            "base": self.base_of_row.tolist(),
            "groups": {
                str(k): [ids.tolist(), base.tolist(), grp.tolist()]
                for k, (ids, base, grp) in self.groups_by_k.items()
            },
            "smoother": [self.smoother.last_k, self.smoother.count, self.smoother.shown_k],
        }

    @classmethod
    def from_json(cls, data: dict) -> State:
        rows = np.asarray(data["rows"], dtype=np.int64)
        in_conv = np.zeros(len(rows), bool)
        in_conv[np.asarray(data["in"], dtype=np.int64)] = True
        base_of_row = np.asarray(data["base"], dtype=np.int64)
        return cls(
            row_ids=rows,
            col_ids=np.asarray(data["cols"], dtype=np.int64),
            in_conv=in_conv,
            comps=_comps(data["comps"], len(data["cols"])),
            base_ids=np.unique(base_of_row[base_of_row >= 0]),
            base_of_row=base_of_row,
            groups_by_k={
                int(k): tuple(np.asarray(a, dtype=np.int64) for a in v)
                for k, v in data["groups"].items()
            },
            smoother=Smoother(*data["smoother"]),
        )


def _comps(data, n_cols: int) -> NDArray[np.float64] | None:
    """Components from JSON; none when there were no statements (an empty list has no shape)."""
    if not data or n_cols == 0:
        return None
    return np.asarray(data, dtype=np.float64).reshape(-1, n_cols)


class Votes(Protocol):
    """The latest vote per person and statement, as one update reads them: each way of keeping
    votes (cells from the database, a replay's growing matrix) answers these in its own way."""

    def counts(self) -> NDArray[np.int64]:
        """Statements voted on, per row."""

    def means(self, mod_out: NDArray[np.bool_]) -> NDArray[np.float64]:
        """Mean vote per column (0 without votes, and for those moderated out)."""

    def gram(self, means: NDArray[np.float64], mod_out: NDArray[np.bool_]) -> NDArray[np.float64]:
        """XᵀX of the centred matrix (pca.gram)."""

    def project(
        self,
        means: NDArray[np.float64],
        mod_out: NDArray[np.bool_],
        comps: NDArray[np.float64],
        which: NDArray[np.bool_],
    ) -> NDArray[np.float64]:
        """The points of the rows in `which` (pca.project)."""

    def cells(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8]]:
        """Every cell as (rows, columns, votes), sorted by row."""


class Cells:
    """Votes as cells sorted by row, packed back to back: one update from the database."""

    def __init__(self, rows, cols, vals, n_rows: int, n_cols: int) -> None:
        self.rows, self.cols, self.vals, self.n_cols = rows, cols, vals, n_cols
        self.count = np.bincount(rows, minlength=n_rows)
        self.start = np.cumsum(self.count) - self.count

    def counts(self) -> NDArray[np.int64]:
        return self.count

    def means(self, mod_out):
        return pca.column_means(self.cols, self.vals, mod_out, self.n_cols)

    def gram(self, means, mod_out):
        return pca.gram(self.start, self.count, self.cols, self.vals, means, mod_out, self.n_cols)

    def project(self, means, mod_out, comps, which):
        return pca.project(
            self.start, self.count, self.cols, self.vals, means, mod_out, comps, which
        )

    def cells(self):
        return self.rows, self.cols, self.vals


@dataclass
class Tick:
    """What one update computed, in row/column index space."""

    points: NDArray[np.float64]  # (rows, 2)
    row_group: NDArray[np.int64]  # group index per row, -1 if not clustered
    k: int
    base: Clustering
    base_group: NDArray[np.int64]  # group index per base cluster
    votes: Votes  # what the update saw
    means: NDArray[np.float64]
    comps: NDArray[np.float64]


@njit(cache=True)
def admit(counts: NDArray[np.int64], in_conv: NDArray[np.bool_], n_cols: int) -> NDArray[np.bool_]:
    """Who is clustered: everyone already in (`in_conv`, the first rows), everyone with enough
    votes, and while fewer than 15 are in, the most active voters (ties: earliest first).
    Nobody is ever removed."""
    admitted = counts >= min(MIN_VOTES, n_cols)
    admitted[: len(in_conv)] |= in_conv
    missing = MIN_CLUSTERED - admitted.sum()
    if missing > 0:
        candidates = np.flatnonzero(~admitted & (counts > 0))
        order = candidates[np.argsort(-counts[candidates], kind="mergesort")]
        admitted[order[:missing]] = True
    return admitted


def tick(state: State, votes: Votes, mod_out: NDArray[np.bool_], *, positions: bool = True) -> Tick:
    """Update `state` in place from the latest votes. Without `positions` only the clustered
    people are projected (an update whose points nobody will see: a replay's earlier ones)."""
    n_rows, n_cols = len(state.row_ids), len(state.col_ids)
    state.in_conv = admit(votes.counts(), state.in_conv, n_cols)

    means = votes.means(mod_out)
    g = votes.gram(means, mod_out)
    start = None
    if state.comps is not None:
        start = np.ones((len(state.comps), n_cols))
        start[:, : state.comps.shape[1]] = state.comps
    comps = pca.power_components(g, start)
    state.comps = comps
    which = np.ones(n_rows, bool) if positions else state.in_conv
    points = votes.project(means, mod_out, comps, which)

    # Base clusters of the clustered people's points, in row order.
    members = np.flatnonzero(state.in_conv)
    base_prev = np.full(n_rows, -1)
    base_prev[: len(state.base_of_row)] = state.base_of_row
    base = kmeans(
        points[members],
        BASE_K,
        max_iters=BASE_ITERS,
        prev_ids=state.base_ids,
        prev_labels=lookup(state.base_ids, base_prev[members]),
    )
    state.base_ids = base.ids
    state.base_of_row = np.full(n_rows, -1)
    state.base_of_row[members] = base.ids[base.labels]

    # Groups of base clusters for each k, warm-started from that k's last groups; the best k by
    # silhouette (ties: the larger) is shown once it has won four updates in a row.
    sizes = base.sizes().astype(np.float64)
    # No groups without base clusters (nobody has voted yet).
    max_k = min(MAX_GROUPS, 2 + base.k // 12) if base.k else 1
    scored: dict[int, tuple[float, Clustering]] = {}
    between = distances(base.centres)
    for k in range(2, max_k + 1):
        clustering, score = regroup(base, k, GROUP_ITERS, sizes, between, state.groups_by_k.get(k))
        state.groups_by_k[k] = (clustering.ids, base.ids.copy(), clustering.ids[clustering.labels])
        scored[k] = (score, clustering)
    for k in list(state.groups_by_k):
        if k > max_k:
            del state.groups_by_k[k]

    row_group = np.full(n_rows, -1)
    base_group = np.zeros(base.k, dtype=np.int64)
    k_shown = 0
    if scored:
        best = max(scored, key=lambda k: (scored[k][0], k))
        shown = state.smoother.update(best)
        if shown not in scored:
            shown = best
        chosen = scored[shown][1]
        base_group = chosen.labels
        k_shown = chosen.k
        row_group[members] = base_group[base.labels]
    elif base.k:
        k_shown = 1
        row_group[members] = 0

    return Tick(points, row_group, k_shown, base, base_group, votes, means, comps)


@dataclass
class Group:
    id: int
    size: int


@dataclass
class BaseCluster:
    x: float
    y: float
    size: int
    group: int


@dataclass
class Result:
    k: int
    group_of: dict[int, int]
    positions: dict[int, tuple[float, float]]
    groups: list[Group]
    base_clusters: list[BaseCluster]
    repness: dict[int, list[stats.Repness]]
    consensus: dict[str, list[stats.Consensus]]
    group_consensus: dict[int, float]
    divisive: list[stats.Divisive]
    group_votes: dict[int, dict[int, tuple[int, int, int]]]
    priority: dict[int, float]
    n_participants: int
    n_statements: int
    n_votes: int
    seconds: float
    state: State

    def to_json(self) -> dict:
        return {
            "k": self.k,
            "group_of": {str(p): g for p, g in self.group_of.items()},
            "positions": {
                str(p): [round(x, 5), round(y, 5)] for p, (x, y) in self.positions.items()
            },
            "groups": [[g.id, g.size] for g in self.groups],
            "base_clusters": [[b.x, b.y, b.size, b.group] for b in self.base_clusters],
            "repness": {str(g): [r.to_json() for r in rs] for g, rs in self.repness.items()},
            "consensus": {s: [c.to_json() for c in cs] for s, cs in self.consensus.items()},
            "group_consensus": {str(s): v for s, v in self.group_consensus.items()},
            "divisive": [d.to_json() for d in self.divisive],
            "group_votes": {
                str(g): {str(s): list(v) for s, v in per.items()}
                for g, per in self.group_votes.items()
            },
            "priority": {str(s): v for s, v in self.priority.items()},
            "n_participants": self.n_participants,
            "n_statements": self.n_statements,
            "n_votes": self.n_votes,
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, data: dict, state: State | None = None) -> Result:
        return cls(
            k=data["k"],
            group_of={int(p): g for p, g in data["group_of"].items()},
            positions={int(p): tuple(xy) for p, xy in data["positions"].items()},
            groups=[Group(*g) for g in data["groups"]],
            base_clusters=[BaseCluster(*b) for b in data["base_clusters"]],
            repness={int(g): [stats.Repness(**r) for r in rs] for g, rs in data["repness"].items()},
            consensus={
                s: [stats.Consensus(**c) for c in cs] for s, cs in data["consensus"].items()
            },
            group_consensus={int(s): v for s, v in data["group_consensus"].items()},
            divisive=[stats.Divisive(**d) for d in data["divisive"]],
            group_votes={
                int(g): {int(s): tuple(v) for s, v in per.items()}
                for g, per in data["group_votes"].items()
            },
            priority={int(s): v for s, v in data["priority"].items()},
            n_participants=data["n_participants"],
            n_statements=data["n_statements"],
            n_votes=data["n_votes"],
            seconds=data["seconds"],
            state=state or State(),
        )


def summarise(state: State, t: Tick, mod_out: NDArray[np.bool_], started: float) -> Result:
    """Statistics of the last update, turned into ids and plain numbers for storage and display."""
    col_ids = state.col_ids
    n_cols = len(col_ids)
    selectable = ~mod_out
    rows, cols, vals = t.votes.cells()
    agree, disagree, votes = stats.group_counts(rows, cols, vals, t.row_group, t.k, n_cols)
    everyone = np.zeros(len(state.row_ids), dtype=np.int64)
    all_agree, all_disagree, all_votes = stats.group_counts(rows, cols, vals, everyone, 1, n_cols)
    extremity = np.sqrt(n_cols) * np.abs(1 - t.means) * np.sqrt((t.comps**2).sum(axis=0))
    clustered = t.row_group >= 0
    group_of = dict(
        zip(state.row_ids[clustered].tolist(), t.row_group[clustered].tolist(), strict=True)
    )
    sizes = np.bincount(t.row_group[clustered], minlength=t.k)
    gac = stats.group_consensus(agree, votes) if t.k else np.zeros(n_cols)
    return Result(
        k=t.k,
        group_of=group_of,
        positions=dict(zip(state.row_ids.tolist(), map(tuple, t.points.tolist()), strict=True)),
        groups=[Group(g, int(sizes[g])) for g in range(t.k)],
        base_clusters=[
            BaseCluster(float(x), float(y), int(n), int(g))
            for (x, y), n, g in zip(
                t.base.centres.tolist(),
                t.base.sizes().tolist(),
                t.base_group.tolist(),
                strict=True,
            )
        ],
        repness=stats.representative(agree, disagree, votes, selectable, col_ids)
        if t.k > 1
        else {},
        consensus=stats.consensus(all_agree[0], all_disagree[0], all_votes[0], selectable, col_ids),
        group_consensus={
            int(s): float(v) for s, v in zip(col_ids[selectable], gac[selectable], strict=True)
        }
        if t.k
        else {},
        divisive=stats.divisive(agree, votes, selectable, col_ids),
        group_votes={
            g: {
                int(s): (int(a), int(d), int(n))
                for s, a, d, n in zip(col_ids, agree[g], disagree[g], votes[g], strict=True)
                if n
            }
            for g in range(t.k)
        },
        priority=dict(
            zip(
                col_ids.tolist(),
                stats.priority(all_agree, all_disagree, all_votes, extremity).tolist(),
                strict=True,
            )
        ),
        n_participants=len(state.row_ids),
        n_statements=n_cols,
        n_votes=len(vals),
        seconds=time.perf_counter() - started,
        state=state,
    )
