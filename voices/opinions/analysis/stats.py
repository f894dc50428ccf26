"""What each group stands for, what everyone agrees on, and which statement to show next.

The formulas are Pol.is's (docs/opinion-maps-math.md, section 4): Laplace-smoothed shares, a
one-proportion test against one half, a two-proportion test of a group against the rest, and
significance at z > 1.2816 (one-sided 90 %).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial

import numpy as np
from numba import njit
from numpy.typing import NDArray

Z90 = 1.2816
REPNESS_PER_GROUP = 5
CONSENSUS_PER_SIDE = 5
DIVISIVE_SHOWN = 5


@dataclass(frozen=True)
class Repness:
    statement: int
    direction: str  # "agree" | "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Consensus:
    statement: int
    n_success: int
    n_trials: int
    p_success: float
    p_test: float

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Divisive:
    statement: int
    spread: float  # largest minus smallest agree share between groups

    def to_json(self) -> dict:
        return asdict(self)


def prop_test(s, n):
    return 2.0 * np.sqrt(n + 1.0) * ((s + 1.0) / (n + 1.0) - 0.5)


def two_prop_test(s1, s2, n1, n2):
    s1, s2, n1, n2 = s1 + 1.0, s2 + 1.0, n1 + 1.0, n2 + 1.0
    p1, p2 = s1 / n1, s2 / n2
    p = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / denom
    return np.where(p == 1.0, 0.0, z)


@njit(cache=True)
def group_counts(
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    vals: NDArray[np.int8],
    row_group: NDArray[np.int64],
    k: int,
    n_cols: int,
) -> tuple[NDArray, NDArray, NDArray]:
    """Agree, disagree and vote counts per (group, statement); people in no group are left out.
    One compiled pass over the votes (numpy needed five, each as long)."""
    agree = np.zeros((k, n_cols), dtype=np.int64)
    disagree = np.zeros((k, n_cols), dtype=np.int64)
    votes = np.zeros((k, n_cols), dtype=np.int64)
    for i in range(len(rows)):
        g = row_group[rows[i]]
        if g < 0:
            continue
        c = cols[i]
        votes[g, c] += 1
        if vals[i] > 0:
            agree[g, c] += 1
        elif vals[i] < 0:
            disagree[g, c] += 1
    return agree, disagree, votes


def representative(
    agree: NDArray, disagree: NDArray, votes: NDArray, selectable: NDArray[np.bool_], col_ids
) -> dict[int, list[Repness]]:
    """Up to five statements per group that set it apart from the others."""
    k = agree.shape[0]
    result: dict[int, list[Repness]] = {}
    rest_a, rest_d, rest_s = (x.sum(axis=0) - x for x in (agree, disagree, votes))
    for g in range(k):
        na, nd, ns = agree[g], disagree[g], votes[g]
        pa, pd = (na + 1.0) / (ns + 2.0), (nd + 1.0) / (ns + 2.0)
        ta, td = prop_test(na, ns), prop_test(nd, ns)
        ra = pa / ((1.0 + rest_a[g]) / (2.0 + rest_s[g]))
        rd = pd / ((1.0 + rest_d[g]) / (2.0 + rest_s[g]))
        rta = two_prop_test(na, rest_a[g], ns, rest_s[g])
        rtd = two_prop_test(nd, rest_d[g], ns, rest_s[g])

        agree_side = (na, ns, pa, ta, ra, rta)
        disagree_side = (nd, ns, pd, td, rd, rtd)
        entry = partial(_entry, col_ids, agree_side, disagree_side)
        sufficient = selectable & (((rta > Z90) & (ta > Z90)) | ((rtd > Z90) & (td > Z90)))
        best_agree = None
        for j in np.flatnonzero(selectable & ((na > 0) | (nd > 0))):
            if best_agree is None:
                if ta[j] > Z90 or (ra[j] > 1 and pa[j] > 0.5):
                    best_agree = j
            elif ra[best_agree] > 1:
                if ra[j] * rta[j] * pa[j] * ta[j] > (
                    ra[best_agree] * rta[best_agree] * pa[best_agree] * ta[best_agree]
                ):
                    best_agree = j
            elif pa[j] * ta[j] > pa[best_agree] * ta[best_agree]:
                best_agree = j
        if not sufficient.any():
            if best_agree is not None:
                result[g] = [entry(best_agree, agree=True)]
            elif selectable.any():
                score = np.where(selectable, np.maximum(rta, rtd), -np.inf)
                result[g] = [entry(int(np.argmax(score)))]
            else:
                result[g] = []
            continue
        chosen = [entry(int(j)) for j in np.flatnonzero(sufficient) if j != best_agree]
        chosen.sort(key=lambda r: -(r.repness * r.repness_test * r.p_success * r.p_test))
        if best_agree is not None:
            chosen.insert(0, entry(best_agree, agree=True))
        chosen = chosen[:REPNESS_PER_GROUP]
        result[g] = [r for r in chosen if r.direction == "agree"] + [
            r for r in chosen if r.direction == "disagree"
        ]
    return result


def _entry(col_ids, agree_side, disagree_side, j: int, *, agree: bool = False) -> Repness:
    """A statement reported in the direction whose test against the rest is stronger, or as
    agreed when it was chosen as what the group agrees with most.

    Pol.is reports its "best agree" statement in the stronger direction too, so a statement a
    group agreed with 31 times out of 32 could be shown as that group's disagreement (6 %); we
    show it as what it was chosen for.
    """
    side, direction = (
        (agree_side, "agree")
        if agree or agree_side[5][j] > disagree_side[5][j]
        else (disagree_side, "disagree")
    )
    n, trials, p, test, rep, rep_test = (x[j] for x in side)
    return Repness(
        int(col_ids[j]),
        direction,
        int(n),
        int(trials),
        float(p),
        float(test),
        float(rep),
        float(rep_test),
    )


def consensus(
    agree: NDArray, disagree: NDArray, votes: NDArray, selectable: NDArray[np.bool_], col_ids
) -> dict[str, list[Consensus]]:
    """Statements most people agree (or disagree) with, over everyone who voted."""
    out: dict[str, list[Consensus]] = {}
    for side, n in (("agree", agree), ("disagree", disagree)):
        p = (n + 1.0) / (votes + 2.0)
        t = prop_test(n, votes)
        ok = np.flatnonzero(selectable & (p > 0.5) & (t > Z90))
        order = ok[np.argsort(-(p[ok] * t[ok]), kind="stable")][:CONSENSUS_PER_SIDE]
        out[side] = [
            Consensus(int(col_ids[j]), int(n[j]), int(votes[j]), float(p[j]), float(t[j]))
            for j in order
        ]
    return out


def group_consensus(agree: NDArray, votes: NDArray) -> NDArray[np.float64]:
    """Group-informed consensus: the product over groups of each group's agree share, so a
    statement scores high only when every group agrees."""
    return np.prod((agree + 1.0) / (votes + 2.0), axis=0)


def divisive(
    agree: NDArray, votes: NDArray, selectable: NDArray[np.bool_], col_ids
) -> list[Divisive]:
    """Statements on which the groups' agree shares differ the most."""
    if agree.shape[0] < 2:
        return []
    share = (agree + 1.0) / (votes + 2.0)
    spread = share.max(axis=0) - share.min(axis=0)
    ok = np.flatnonzero(selectable & (votes.min(axis=0) > 0))
    order = ok[np.argsort(-spread[ok], kind="stable")][:DIVISIVE_SHOWN]
    return [Divisive(int(col_ids[j]), float(spread[j])) for j in order]


def priority(
    agree: NDArray, disagree: NDArray, votes: NDArray, extremity: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Pol.is's routing priority: statements few have seen, that people do not just pass, and
    that sit far out on the map come first."""
    a, d, s = agree.sum(axis=0), disagree.sum(axis=0), votes.sum(axis=0)
    passes = s - a - d
    importance = (1 - (passes + 1.0) / (s + 2.0)) * (extremity + 1.0) * (a + 1.0) / (s + 2.0)
    return (importance * (1 + 8 * 2.0 ** (-s / 5.0))) ** 2
