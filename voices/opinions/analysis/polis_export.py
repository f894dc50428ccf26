"""Read a Pol.is export folder (comments.csv, votes.csv, participants-votes.csv) and analyse it.

Pol.is's groups come from its history: it recomputes as votes arrive, and each update starts
from the previous one. `replay()` therefore feeds the votes in their order of arrival, in a
bounded number of updates, instead of clustering the final matrix once.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numba import njit

from . import analyse, index_votes, pca
from .pipeline import Result, State, summarise, tick


class ExportError(ValueError):
    """The folder is not a readable Pol.is export."""


@dataclass
class Export:
    participants: np.ndarray  # int64 per vote
    statements: np.ndarray  # int64 per vote
    values: np.ndarray  # int8 per vote
    timestamps: np.ndarray | None  # float64 seconds per vote, None without votes.csv
    moderated_out: np.ndarray  # statement ids
    polis_groups: dict[int, int]  # Pol.is's own group per participant (for comparison)


def _rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(10**8)
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_export(folder: str | Path) -> Export:
    folder = Path(folder)
    if not (folder / "comments.csv").is_file():
        raise ExportError(f"{folder}: no comments.csv")
    try:
        comments = _rows(folder / "comments.csv")
        mod_out = np.array(
            [int(c["comment-id"]) for c in comments if c.get("moderated", "").strip() == "-1"],
            dtype=np.int64,
        )
        groups: dict[int, int] = {}
        matrix = []
        pv_path = folder / "participants-votes.csv"
        if pv_path.is_file():
            for r in _rows(pv_path):
                pid = int(r["participant"])
                if (r.get("group-id") or "").strip() != "":
                    groups[pid] = int(r["group-id"])
                matrix.append((pid, r))
        if (folder / "votes.csv").is_file():
            votes = _rows(folder / "votes.csv")
            p = np.fromiter((int(v["voter-id"]) for v in votes), np.int64, len(votes))
            s = np.fromiter((int(v["comment-id"]) for v in votes), np.int64, len(votes))
            val = np.fromiter((int(v["vote"]) for v in votes), np.int64, len(votes))
            ts = np.fromiter((float(v["timestamp"]) / 1000 for v in votes), np.float64, len(votes))
        elif matrix:
            # Only the final matrix: one vote per filled cell, in the file's order.
            cells = [
                (pid, int(t), int(x))
                for pid, r in matrix
                for t, x in r.items()
                if t.isdigit() and x not in ("", None)
            ]
            p = np.array([c[0] for c in cells], dtype=np.int64)
            s = np.array([c[1] for c in cells], dtype=np.int64)
            val = np.array([c[2] for c in cells], dtype=np.int64)
            ts = None
        else:
            raise ExportError(f"{folder}: neither votes.csv nor participants-votes.csv")
    except (KeyError, ValueError, OverflowError) as exc:
        raise ExportError(f"{folder}: not a Pol.is export ({exc})") from exc
    # Checked before narrowing to int8, where 255 would silently become -1.
    if np.any((val < -1) | (val > 1)):
        raise ExportError(f"{folder}: votes must be -1, 0 or 1")
    return Export(p, s, val.astype(np.int8), ts, mod_out, groups)


# Updates replayed at most: enough for groups to follow the conversation's history, few enough
# for a conversation of 50,000 votes to take a fraction of a second.
REPLAY_UPDATES = 200


def schedule(timestamps: np.ndarray, updates: int = REPLAY_UPDATES) -> np.ndarray:
    """Where to cut the time-sorted votes into updates: at the longest pauses in voting.

    Pol.is recomputes about once a second while votes arrive; a pause is where its state settled
    before the next wave of votes, so cutting there keeps the order in which groups formed.
    """
    ts = np.sort(np.asarray(timestamps, dtype=np.float64))
    if len(ts) == 0:
        return np.zeros(0, dtype=np.int64)
    pauses = np.diff(ts)
    cuts = np.argsort(-pauses, kind="stable")[: max(updates - 1, 0)]
    cuts = np.sort(cuts[pauses[cuts] > 0]) + 1
    return np.append(cuts, len(ts)).astype(np.int64)


@njit(cache=True)
def _set_cells(
    values, cast, voted, slot_vals, n_voted, vv, ov, oo, rows, cols, vals, keep, n_cols
) -> None:
    """Write the votes into the matrix one cell at a time, keeping the three sums up to date:
    changing cell (i, j) changes only row and column j of each, by that person's other votes.
    Sums of −1/0/1 products are exact in float64, so the order of the updates does not matter."""
    for at in range(len(rows)):
        i, j = rows[at], cols[at]
        new = float(vals[at])
        old = float(values[i, j])
        was = 1.0 if cast[i, j] else 0.0
        values[i, j] = vals[at]
        if cast[i, j]:
            # A changed vote: rewrite it where the person's list holds it.
            for slot in range(n_voted[i]):
                if voted[i, slot] == j:
                    slot_vals[i, slot] = vals[at]
        else:
            cast[i, j] = True
            voted[i, n_voted[i]] = j
            slot_vals[i, n_voted[i]] = vals[at]
            n_voted[i] += 1
        if not keep[j]:
            continue
        dv, do = new - old, 1.0 - was
        for b in range(n_cols):
            if b == j or not keep[b]:
                continue
            vb = float(values[i, b])
            ob = 1.0 if cast[i, b] else 0.0
            vv[j, b] += dv * vb
            vv[b, j] += dv * vb
            ov[j, b] += do * vb
            ov[b, j] += ob * dv
            oo[j, b] += do * ob
            oo[b, j] += do * ob
        vv[j, j] += new * new - old * old
        ov[j, j] += new - was * old
        oo[j, j] += do


@njit(cache=True)
def _cells(voted, slot_vals, n_voted, n_rows):
    """Every vote cast, by row (within a row in the order the statements were first voted on)."""
    n = n_voted[:n_rows].sum()
    rows = np.empty(n, dtype=np.int64)
    cols = np.empty(n, dtype=np.int64)
    vals = np.empty(n, dtype=np.int8)
    at = 0
    for i in range(n_rows):
        for slot in range(n_voted[i]):
            rows[at], cols[at], vals[at] = i, voted[i, slot], slot_vals[i, slot]
            at += 1
    return rows, cols, vals


@njit(cache=True)
def _means(ov, oo, n_cols):
    """Column means from the sums' diagonals: Σ votes / votes cast (0 where none are kept)."""
    means = np.zeros(n_cols)
    for j in range(n_cols):
        if oo[j, j] > 0:
            means[j] = ov[j, j] / oo[j, j]
    return means


@njit(cache=True)
def _gram(vv, ov, oo, means, n_cols):
    g = np.empty((n_cols, n_cols))
    for a in range(n_cols):
        for b in range(n_cols):
            g[a, b] = (
                vv[a, b]
                - means[a] * ov[a, b]
                - means[b] * ov[b, a]
                + (means[a] * means[b] * oo[a, b])
            )
    return g


class _Matrix:
    """The vote matrix of a replay (a `pipeline.Votes`), kept dense (conversations replayed here
    are small) with XᵀX maintained from three sums, so an update costs what changed, not the
    whole matrix: for centred values x = (v − c)·o,

        XᵀX = VᵀV − c∘(OᵀV) − (c∘(OᵀV))ᵀ + ccᵀ∘(OᵀO)

    where V holds the votes (0 where missing) and O marks the votes cast. Statements moderated
    out are left out of all three (they add nothing to the components). Each update sees the
    first `n_rows` people and `n_cols` statements (indices are given in order of first vote).
    """

    def __init__(self, n_rows: int, n_cols: int, keep: np.ndarray) -> None:
        self.values = np.zeros((n_rows, n_cols), dtype=np.int8)
        self.cast = np.zeros((n_rows, n_cols), dtype=bool)
        # Each person's votes as a list (statement, vote) in the order of their first vote,
        # in a fixed stretch of columns per person: the projection reads what was cast, not
        # the whole row.
        self.voted = np.zeros((n_rows, n_cols), dtype=np.int32)
        self.slot_vals = np.zeros((n_rows, n_cols), dtype=np.int8)
        self.n_voted = np.zeros(n_rows, dtype=np.int64)
        self.start = np.arange(n_rows, dtype=np.int64) * n_cols
        self.keep = keep  # per column: not moderated out
        self.vv = np.zeros((n_cols, n_cols))
        self.ov = np.zeros((n_cols, n_cols))
        self.oo = np.zeros((n_cols, n_cols))
        self.n_rows = self.n_cols = 0

    def apply(self, rows, cols, vals, n_rows: int, n_cols: int) -> None:
        self.n_rows, self.n_cols = n_rows, n_cols
        lists = self.voted, self.slot_vals, self.n_voted
        sums = self.vv, self.ov, self.oo
        _set_cells(self.values, self.cast, *lists, *sums, rows, cols, vals, self.keep, n_cols)

    def counts(self) -> np.ndarray:
        return self.n_voted[: self.n_rows]

    def means(self, mod_out: np.ndarray) -> np.ndarray:
        return _means(self.ov, self.oo, self.n_cols)

    def gram(self, means: np.ndarray, mod_out: np.ndarray) -> np.ndarray:
        return _gram(self.vv, self.ov, self.oo, means, self.n_cols)

    def project(self, means, mod_out, comps, which) -> np.ndarray:
        n = self.n_rows
        start, count = self.start[:n], self.n_voted[:n]
        cols, vals = self.voted.reshape(-1), self.slot_vals.reshape(-1)
        return pca.project(start, count, cols, vals, means, mod_out, comps, which)

    def cells(self):
        return _cells(self.voted, self.slot_vals, self.n_voted, self.n_rows)


def replay(export: Export, *, updates: int = REPLAY_UPDATES) -> Result:
    """Analyse an export as Pol.is would have seen it: votes in order of arrival, one update per
    wave of votes; without timestamps, one update of the final matrix."""
    started = time.perf_counter()
    p, s, v = export.participants, export.statements, export.values
    if len(v) == 0:
        raise ExportError("the export holds no votes")
    if export.timestamps is None:
        # One update of the final matrix: nothing to keep up to date between updates, so XᵀX
        # is computed once from the cells (in the order Pol.is reads a batch of votes).
        order = np.lexsort((np.arange(len(v)), p, s))
        result = analyse(p[order], s[order], v[order], moderated_out=export.moderated_out)
        result.seconds = time.perf_counter() - started
        return result
    order = np.argsort(export.timestamps, kind="stable")
    p, s, v = p[order], s[order], v[order]
    cuts = schedule(export.timestamps, updates)
    # Within one update Pol.is reads new votes ordered by statement, then participant; people
    # and statements get their rows and columns in order of first vote in that stream, so all
    # indices can be found once, and each update sees the first rows and columns of them.
    starts = np.concatenate([[0], cuts[:-1]])
    waves = zip(starts.tolist(), cuts.tolist(), strict=True)
    order = np.concatenate(
        [lo + np.lexsort((np.arange(hi - lo), p[lo:hi], s[lo:hi])) for lo, hi in waves]
    )
    p, s, v = p[order], s[order], v[order]
    everyone = State()
    rows, cols = index_votes(everyone, p, s)
    rows_seen = np.maximum.accumulate(rows)[cuts - 1] + 1
    cols_seen = np.maximum.accumulate(cols)[cuts - 1] + 1
    mod_out_all = np.isin(everyone.col_ids, export.moderated_out)
    state = State()
    matrix = _Matrix(len(everyone.row_ids), len(everyone.col_ids), ~mod_out_all)
    t = None
    last = len(cuts) - 1
    waves = zip(starts, cuts, rows_seen, cols_seen, strict=True)
    for at, (lo, hi, n_rows, n_cols) in enumerate(waves):
        state.row_ids = everyone.row_ids[:n_rows]
        state.col_ids = everyone.col_ids[:n_cols]
        mod_out = mod_out_all[:n_cols]
        matrix.apply(rows[lo:hi], cols[lo:hi], v[lo:hi], int(n_rows), int(n_cols))
        # Only the last update's positions are shown.
        t = tick(state, matrix, mod_out, positions=at == last)
    return summarise(state, t, mod_out, started)
