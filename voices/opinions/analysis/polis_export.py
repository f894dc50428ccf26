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

from . import index_votes, latest_cells
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
            val = np.fromiter((int(v["vote"]) for v in votes), np.int8, len(votes))
            ts = np.fromiter((float(v["timestamp"]) / 1000 for v in votes), np.float64, len(votes))
        elif matrix:
            # Only the final matrix: one vote per filled cell, in the file's order.
            cells = [
                (pid, int(t), int(x))
                for pid, r in matrix
                for t, x in r.items()
                if t.isdigit() and x not in ("", None)
            ]
            p, s, val = (
                (
                    np.array(a, dtype=d)
                    for a, d in zip(
                        zip(*cells, strict=True), (np.int64, np.int64, np.int8), strict=True
                    )
                )
                if cells
                else (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8))
            )
            ts = None
        else:
            raise ExportError(f"{folder}: neither votes.csv nor participants-votes.csv")
    except (KeyError, ValueError) as exc:
        raise ExportError(f"{folder}: not a Pol.is export ({exc})") from exc
    if np.any((val < -1) | (val > 1)):
        raise ExportError(f"{folder}: votes must be -1, 0 or 1")
    return Export(p, s, val, ts, mod_out, groups)


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


def replay(export: Export, *, updates: int = REPLAY_UPDATES) -> Result:
    """Analyse an export as Pol.is would have seen it: votes in order of arrival, one update per
    wave of votes; without timestamps, one update of the final matrix."""
    started = time.perf_counter()
    p, s, v = export.participants, export.statements, export.values
    if export.timestamps is not None:
        order = np.argsort(export.timestamps, kind="stable")
        p, s, v = p[order], s[order], v[order]
        cuts = schedule(export.timestamps, updates)
    else:
        cuts = np.array([len(v)], dtype=np.int64)
    state = State()
    rows_seen: list[np.ndarray] = []
    cols_seen: list[np.ndarray] = []
    vals_seen: list[np.ndarray] = []
    lo = 0
    t = None
    mod_out = np.zeros(0, bool)
    n_votes = 0
    for hi in cuts.tolist():
        # Within one update Pol.is reads new votes ordered by statement, then participant.
        order = lo + np.lexsort((np.arange(hi - lo), p[lo:hi], s[lo:hi]))
        r, c = index_votes(state, p[order], s[order])
        rows_seen.append(r)
        cols_seen.append(c)
        vals_seen.append(v[order])
        lo = hi
        rows, cols, vals = latest_cells(
            np.concatenate(rows_seen),
            np.concatenate(cols_seen),
            np.concatenate(vals_seen),
            max(len(state.col_ids), 1),
        )
        n_votes = len(vals)
        mod_out = np.isin(state.col_ids, export.moderated_out)
        t = tick(state, rows, cols, vals, mod_out)
    if t is None:
        raise ExportError("the export holds no votes")
    return summarise(state, t, mod_out, n_votes, started)
