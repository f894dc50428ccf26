"""Pol.is's k-means, its warm start, the silhouette it chooses k with, and the k smoother.

Pol.is clusters twice: about 100 "base clusters" of participants' points, then 2 to 5 groups of
those base clusters, each warm-started from the previous run so groups keep their identity as
votes arrive. The details below (first distinct points as cold centres, the split at the farthest
point, ties to the last cluster, the 0.01 stop) decide which local optimum is found, and so which
groups people see; they follow Pol.is's own code (docs/opinion-maps-math.md, section 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

# Centres that all moved less than this (in projection units) end the iterations.
CONVERGED = 0.01


@dataclass
class Clustering:
    ids: NDArray[np.int64]  # cluster ids, ascending
    centres: NDArray[np.float64]  # (k, 2)
    labels: NDArray[np.int64]  # per point: index into ids

    @property
    def k(self) -> int:
        return len(self.ids)

    def sizes(self, weights: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
        return np.bincount(self.labels, weights=weights, minlength=self.k)


# The k-means below runs compiled (numba): a replay runs it five times per update, hundreds of
# updates per conversation, on at most a few hundred points, where numpy's per-call cost was most
# of the time. `cache=True` keeps the machine code beside the module after the first run.


@njit(cache=True)
def _nearest(points, centres, labels, dist2) -> None:
    """Nearest centre for every point (ties: the last centre) and the squared distance.

    The centres are sorted by x and each point searches outwards from its own x, up then
    down, until the gap in x alone exceeds the best distance so far: the same answer as trying
    every centre, for a fraction of them (about 100 base clusters spread over the plane). A
    label already in `labels` (≥ 0: the point's cluster before this step) is tried first:
    usually it is still the nearest, and the search then stops almost at once."""
    order = np.argsort(centres[:, 0], kind="mergesort")
    xs = centres[order, 0]
    ys = centres[order, 1]
    k = len(order)
    for i in range(len(points)):
        px, py = points[i, 0], points[i, 1]
        best, at = np.inf, -1
        if labels[i] >= 0:
            at = labels[i]
            dx, dy = px - centres[at, 0], py - centres[at, 1]
            best = dx * dx + dy * dy
        start = np.searchsorted(xs, px)
        # One loop body for both directions: written inline, as a helper function called per
        # point and direction made the search three times slower.
        for step in (1, -1):
            j = start if step == 1 else start - 1
            while 0 <= j < k:
                dx = px - xs[j]
                if dx * dx > best:
                    break
                dy = py - ys[j]
                d = dx * dx + dy * dy
                if d < best or (d == best and order[j] > at):
                    best, at = d, order[j]
                j += step
        labels[i] = at
        dist2[i] = best


@njit(cache=True)
def _centres(points, labels, k, weights):
    """Weighted centre and mass of each cluster; points with label −1 belong to none."""
    mass = np.zeros(k)
    sums = np.zeros((k, 2))
    for i in range(len(points)):
        c = labels[i]
        if c >= 0:
            w = weights[i]
            mass[c] += w
            sums[c, 0] += points[i, 0] * w
            sums[c, 1] += points[i, 1] * w
    centres = np.empty((k, 2))
    for c in range(k):
        centres[c, 0] = sums[c, 0] / mass[c] if mass[c] > 0 else np.nan
        centres[c, 1] = sums[c, 1] / mass[c] if mass[c] > 0 else np.nan
    return centres, mass


@njit(cache=True)
def _row_order(points):
    """Indices of the points sorted by x, then y (two stable sorts)."""
    order = np.argsort(points[:, 1], kind="mergesort")
    return order[np.argsort(points[order, 0], kind="mergesort")]


@njit(cache=True)
def _same(a, b) -> bool:
    """Pol.is's test: sort both centre lists, pair them, every pair closer than 0.01."""
    a, b = a[_row_order(a)], b[_row_order(b)]
    for i in range(min(len(a), len(b))):
        if not np.hypot(a[i, 0] - b[i, 0], a[i, 1] - b[i, 1]) < CONVERGED:
            return False
    return True


@njit(cache=True)
def _distinct_count(points) -> int:
    if len(points) == 0:
        return 0
    # Sorted, equal neighbours are one position.
    order = _row_order(points)
    count = 1
    for i in range(1, len(order)):
        a, b = order[i - 1], order[i]
        if points[a, 0] != points[b, 0] or points[a, 1] != points[b, 1]:
            count += 1
    return count


@njit(cache=True)
def _first_distinct(points, k):
    """Indices of the first k distinct points in data order."""
    chosen = np.empty(min(k, len(points)), dtype=np.int64)
    n = 0
    for i in range(len(points)):
        if n == len(chosen):
            break
        seen = False
        for j in range(n):
            c = chosen[j]
            if points[c, 0] == points[i, 0] and points[c, 1] == points[i, 1]:
                seen = True
                break
        if not seen:
            chosen[n] = i
            n += 1
    return chosen[:n]


@njit(cache=True)
def _merge_coinciding(ids, centres, counts, labels):
    """Clusters whose centres coincide become one; it keeps the id of the bigger one (on a tie,
    the one merged in: the later one). Returns the new ids (ascending); relabels in place."""
    m = len(ids)
    group = np.full(m, -1)
    n_groups = 0
    for i in range(m):
        if group[i] >= 0:
            continue
        group[i] = n_groups
        for j in range(i + 1, m):
            if group[j] < 0 and centres[j, 0] == centres[i, 0] and centres[j, 1] == centres[i, 1]:
                group[j] = n_groups
        n_groups += 1
    if n_groups == m:
        return ids
    best = np.full(n_groups, -1)
    for i in range(m):
        g = group[i]
        if best[g] < 0 or counts[i] >= counts[best[g]]:
            best[g] = i
    new_ids = ids[best]
    order = np.argsort(new_ids)
    rank = np.empty(n_groups, dtype=np.int64)
    rank[order] = np.arange(n_groups)
    for i in range(len(labels)):
        if labels[i] >= 0:
            labels[i] = rank[group[labels[i]]]
    return new_ids[order]


@njit(cache=True)
def _clean_start(points, k, weights, prev_ids, prev_labels):
    """Warm start from a previous clustering: recentre the old clusters on their members' new
    positions, merge clusters that now coincide, then split off the farthest point until there
    are k clusters (or as many as distinct points)."""
    if not np.any(prev_labels >= 0):
        # Nobody from before is left: one cluster of everyone, under a new id.
        total = weights.sum()
        centre = np.empty((1, 2))
        centre[0, 0] = (points[:, 0] * weights).sum() / total
        centre[0, 1] = (points[:, 1] * weights).sum() / total
        new_id = prev_ids.max() + 1
        return np.array([new_id], dtype=np.int64), centre, np.full(len(points), -1)
    labels = prev_labels.copy()
    centres, mass = _centres(points, labels, len(prev_ids), weights)
    counts = np.zeros(len(prev_ids), dtype=np.int64)
    for c in labels:
        if c >= 0:
            counts[c] += 1
    keep = mass > 0
    remap = np.cumsum(keep) - 1
    for i in range(len(labels)):
        if labels[i] >= 0:
            labels[i] = remap[labels[i]]
    ids, centres, counts = prev_ids[keep], centres[keep], counts[keep]
    merged = _merge_coinciding(ids, centres, counts, labels)
    if len(merged) < len(ids):
        ids = merged
        centres, _ = _centres(points, labels, len(ids), weights)
    # Counting the distinct points sorts them all: only worth it when clusters are missing.
    target = min(k, _distinct_count(points)) if len(ids) < k else k
    nearest_label = np.full(len(points), -1)
    dist2 = np.empty(len(points))
    while len(ids) < target:
        _nearest(points, centres, nearest_label, dist2)
        far = len(dist2) - 1 - np.argmax(dist2[::-1])
        if np.sqrt(dist2[far]) <= 1e-9:  # every point sits on a centre (up to rounding)
            break
        labels[far] = len(ids)
        ids = np.append(ids, ids[-1] + 1)
        centres, _ = _centres(points, labels, len(ids), weights)
    return ids, centres, labels


@njit(cache=True)
def _kmeans(points, k, max_iters, weights, prev_ids, prev_labels, warm):
    if warm:
        # The clusters' members before this step are the first guesses of the search.
        ids, centres, labels = _clean_start(points, k, weights, prev_ids, prev_labels)
    else:
        start = _first_distinct(points, k)
        ids = np.arange(len(start))
        centres = points[start].copy()
        labels = np.full(len(points), -1)
    dist2 = np.empty(len(points))
    for step in range(max_iters + 1):
        _nearest(points, centres, labels, dist2)
        new_centres, mass = _centres(points, labels, len(ids), weights)
        used = mass > 0
        if not used.all():
            remap = np.cumsum(used) - 1
            for i in range(len(labels)):
                labels[i] = remap[labels[i]]
            ids, new_centres = ids[used], new_centres[used]
        done = _same(centres, new_centres)
        centres = new_centres
        if done or step == max_iters:
            break
    return ids, centres, labels


def kmeans(
    points: NDArray[np.float64],
    k: int,
    *,
    max_iters: int,
    weights: NDArray[np.float64] | None = None,
    prev_ids: NDArray[np.int64] | None = None,
    prev_labels: NDArray[np.int64] | None = None,
) -> Clustering:
    """Pol.is's k-means: at most `max_iters` + 1 Lloyd steps, stopping when no centre moved
    0.01; clusters left empty disappear (k can shrink). Without a previous clustering the
    first k distinct points start it."""
    if len(points) == 0:
        return Clustering(np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros(0, np.int64))
    warm = not (prev_ids is None or prev_labels is None or len(prev_ids) == 0)
    ids, centres, labels = _kmeans(
        np.ascontiguousarray(points, dtype=np.float64),
        k,
        max_iters,
        np.ones(len(points)) if weights is None else np.ascontiguousarray(weights, np.float64),
        np.asarray(prev_ids if warm else (), dtype=np.int64),
        np.asarray(prev_labels if warm else (), dtype=np.int64),
        warm,
    )
    return Clustering(ids, centres, labels)


@njit(cache=True)
def lookup(sorted_ids: NDArray[np.int64], ids: NDArray[np.int64]) -> NDArray[np.int64]:
    """Position of each of `ids` in `sorted_ids` (ascending), -1 where it is not there."""
    found = np.full(len(ids), -1)
    n = len(sorted_ids)
    for i in range(len(ids)):
        # A plain binary search: several times faster here than numba's np.searchsorted.
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) >> 1
            if sorted_ids[mid] < ids[i]:
                lo = mid + 1
            else:
                hi = mid
        if lo < n and sorted_ids[lo] == ids[i]:
            found[i] = lo
    return found


@njit(cache=True)
def _carried_groups(base_ids, group_ids, ids, now_base_ids) -> NDArray[np.int64]:
    """For each of today's base clusters, the group (index into `ids`) it was in at the last
    update, -1 if it is new: `base_ids` and `group_ids` are that update's base clusters and
    their groups' ids."""
    at = lookup(base_ids, now_base_ids)
    of_base = np.full(len(now_base_ids), -1)
    for i in range(len(at)):
        if at[i] >= 0:
            of_base[i] = group_ids[at[i]]
    return lookup(ids, of_base)


@njit(cache=True)
def _regroup(centres, k, max_iters, sizes, between, prev_ids, base_ids, group_ids, now_ids, warm):
    labels = _carried_groups(base_ids, group_ids, prev_ids, now_ids) if warm else prev_ids
    ids, centres, labels = _kmeans(centres, k, max_iters, sizes, prev_ids, labels, warm)
    return ids, centres, labels, silhouette(between, labels)


def regroup(
    base: Clustering,
    k: int,
    max_iters: int,
    sizes: NDArray[np.float64],
    between: NDArray[np.float64],
    prev: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]] | None,
) -> tuple[Clustering, float]:
    """k groups of the base clusters (weighted by `sizes`), warm-started from the last update's
    `prev` = (group ids, that update's base cluster ids, their group ids), and their silhouette
    (`between`: distances between the base clusters). One compiled call: a replay runs it four
    times per update."""
    none = np.zeros(0, dtype=np.int64)
    prev_ids, base_ids, group_ids = prev if prev is not None else (none, none, none)
    ids, centres, labels, score = _regroup(
        base.centres,
        k,
        max_iters,
        sizes,
        between,
        prev_ids,
        base_ids,
        group_ids,
        base.ids,
        len(prev_ids) > 0,
    )
    return Clustering(ids, centres, labels), score


@njit(cache=True)
def distances(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Euclidean distances between all pairs of (few) points."""
    n = len(points)
    d = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = points[i, 0] - points[j, 0], points[i, 1] - points[j, 1]
            d[i, j] = d[j, i] = np.sqrt(dx * dx + dy * dy)
    return d


@njit(cache=True)
def silhouette(d: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """Mean silhouette over the points (unweighted), from their distance matrix `d`; a point
    alone in its cluster scores 0."""
    n = len(labels)
    k = labels.max() + 1 if n else 0
    if n < 2 or k < 2:
        return 0.0
    sizes = np.zeros(k, dtype=np.int64)
    for i in range(n):
        sizes[labels[i]] += 1
    sums = np.zeros(k)
    total = 0.0
    for i in range(n):
        sums[:] = 0.0
        for j in range(n):
            sums[labels[j]] += d[i, j]
        own = labels[i]
        if sizes[own] < 2:
            continue
        a = sums[own] / (sizes[own] - 1)
        b = np.inf
        for c in range(k):
            if c != own and sizes[c] > 0:
                b = min(b, sums[c] / sizes[c])
        top = max(a, b)
        if top > 0 and np.isfinite(b):
            total += (b - a) / top
    return total / n


@dataclass
class Smoother:
    """A new best k is shown only after it won this many updates in a row (Pol.is: 4)."""

    last_k: int = 0
    count: int = 0
    shown_k: int = 0

    BUFFER = 4

    def update(self, best_k: int) -> int:
        self.count = self.count + 1 if best_k == self.last_k else 1
        self.last_k = best_k
        if self.count >= self.BUFFER or self.shown_k == 0:
            self.shown_k = best_k
        return self.shown_k
