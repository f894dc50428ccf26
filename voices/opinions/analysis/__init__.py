"""Opinion-map analysis: votes in, opinion groups and what they stand for out.

numpy, with the inner loops compiled by numba; no Django: `analyse()` runs one update from the
latest votes and the previous `State`; `polis_export` reads a Pol.is export folder and replays
its votes. The method is Pol.is's (docs/opinion-maps-math.md); the reasons for each choice are
in the modules. `python -m voices.opinions.analysis.warm` compiles the loops ahead of first use.
"""

from __future__ import annotations

import copy
import time

import numpy as np
from numba import njit
from numpy.typing import ArrayLike

from .clusters import lookup
from .pipeline import BaseCluster, Cells, Group, Result, State, summarise, tick
from .stats import Consensus, Divisive, Repness

__all__ = [
    "BaseCluster",
    "Consensus",
    "Divisive",
    "Group",
    "Repness",
    "Result",
    "State",
    "analyse",
]


def index_votes(
    state: State, participants: np.ndarray, statements: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column index of every vote; people and statements seen for the first time are
    appended in order of first appearance (Pol.is's order, which its k-means depends on)."""
    rows = _extend(state, "row_ids", participants)
    cols = _extend(state, "col_ids", statements)
    return rows, cols


def _extend(state: State, attr: str, ids: np.ndarray) -> np.ndarray:
    known = getattr(state, attr)
    if len(ids):
        lo = min(ids.min(), known.min(initial=ids[0]))
        span = max(ids.max(), known.max(initial=ids[0])) - lo + 1
        # Ids from one conversation are usually close together (Pol.is numbers its people
        # 0, 1, 2, …): a table indexed by id then finds every index in one pass, no sorting.
        if span <= len(ids) + len(known) + 65536:
            index, new_ids = _index_in_table(known, ids, lo, span)
            setattr(state, attr, np.concatenate([known, new_ids]))
            return index
    order = np.argsort(known, kind="stable")
    at = lookup(known[order], ids)
    found = at >= 0
    new_ids, first = np.unique(ids[~found], return_index=True)
    new_ids = new_ids[np.argsort(first, kind="stable")]
    setattr(state, attr, np.concatenate([known, new_ids]))
    index = np.empty(len(ids), dtype=np.int64)
    index[found] = order[at[found]]
    if len(new_ids):
        srt = np.argsort(new_ids, kind="stable")
        index[~found] = len(known) + srt[lookup(new_ids[srt], ids[~found])]
    return index


@njit(cache=True)
def _index_in_table(known, ids, lo: int, span: int):
    """Index of each id (known ones first, new ones appended in order of first appearance),
    through a table with one entry per possible id from `lo` on."""
    table = np.full(span, -1, dtype=np.int32)
    for i in range(len(known)):
        table[known[i] - lo] = i
    index = np.empty(len(ids), dtype=np.int64)
    new_ids = np.empty(len(ids), dtype=np.int64)
    n_new = 0
    for i in range(len(ids)):
        at = ids[i] - lo
        if table[at] < 0:
            table[at] = len(known) + n_new
            new_ids[n_new] = ids[i]
            n_new += 1
        index[i] = table[at]
    return index, new_ids[:n_new]


def latest_cells(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_cols: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The last vote per (row, column), sorted by row then column: a changed vote replaces the
    earlier one."""
    last = last_per_cell(rows, cols, rows.max(initial=-1) + 1, n_cols)
    return rows[last], cols[last], values[last].astype(np.int8)


@njit(cache=True)
def _counting_order(keys, n_keys: int, order):
    """`order` stably sorted by keys[order] (a counting sort: O(votes + keys))."""
    starts = np.zeros(n_keys + 1, dtype=np.int64)
    for i in order:
        starts[keys[i] + 1] += 1
    for k in range(n_keys):
        starts[k + 1] += starts[k]
    out = np.empty(len(order), dtype=np.int64)
    for i in order:
        out[starts[keys[i]]] = i
        starts[keys[i]] += 1
    return out


@njit(cache=True)
def last_per_cell(rows, cols, n_rows: int, n_cols: int):
    """Positions of the last vote in each (row, column), in row-then-column order (a changed
    vote replaces the earlier one): sorted by column, then stably by row, the votes of one cell
    end up together in order of arrival."""
    order = _counting_order(rows, n_rows, _counting_order(cols, n_cols, np.arange(len(rows))))
    last = np.empty(len(order), dtype=np.int64)
    n = 0
    for t in range(len(order)):
        i = order[t]
        if t + 1 < len(order):
            j = order[t + 1]
            if rows[j] == rows[i] and cols[j] == cols[i]:
                continue
        last[n] = i
        n += 1
    return last[:n]


def analyse(
    participants: ArrayLike,
    statements: ArrayLike,
    values: ArrayLike,
    *,
    timestamps: ArrayLike | None = None,
    moderated_out=(),
    state: State | None = None,
) -> Result:
    """One update of an opinion map from its votes (the latest per person and statement wins;
    `timestamps` give the order of arrival, else the given order is used)."""
    started = time.perf_counter()
    state = copy.deepcopy(state) if state is not None else State()
    p = np.asarray(participants, dtype=np.int64)
    s = np.asarray(statements, dtype=np.int64)
    raw = np.asarray(values)
    if not (len(p) == len(s) == len(raw)):
        raise ValueError("participants, statements and values must have the same length")
    # Checked before narrowing to int8 (where 256 would become a pass) and for fractions.
    if raw.size and (
        not np.issubdtype(raw.dtype, np.number)
        or np.any((raw < -1) | (raw > 1))
        or np.any(raw != np.round(raw))
    ):
        raise ValueError("votes are -1 (disagree), 0 (pass) or 1 (agree)")
    v = raw.astype(np.int8)
    if timestamps is not None:
        order = np.argsort(np.asarray(timestamps, dtype=np.float64), kind="stable")
        p, s, v = p[order], s[order], v[order]
    rows, cols = index_votes(state, p, s)
    n_cols = len(state.col_ids)
    rows, cols, vals = latest_cells(rows, cols, v, max(n_cols, 1))
    mod_out = np.isin(state.col_ids, np.asarray(list(moderated_out), dtype=np.int64))
    t = tick(state, Cells(rows, cols, vals, len(state.row_ids), n_cols), mod_out)
    return summarise(state, t, mod_out, started)
