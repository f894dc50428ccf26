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
from numpy.typing import NDArray

# Centres that all moved less than this (in projection units) end the iterations.
CONVERGED = 0.01
# Distances computed per chunk of points: bounds the temporary (chunk × clusters) matrix.
_CHUNK = 65_536


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


def nearest(
    points: NDArray[np.float64], centres: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Index of the nearest centre for every point (ties: the last centre) and the distance."""
    n = len(points)
    labels = np.empty(n, dtype=np.int64)
    dist = np.empty(n)
    last = len(centres) - 1
    flipped = centres[::-1]
    # |p − c|² = |p|² − 2p·c + |c|²: one small matrix product per chunk instead of broadcasting.
    c2 = (flipped**2).sum(axis=1)
    for lo in range(0, n, _CHUNK):
        chunk = points[lo : lo + _CHUNK]
        d = chunk @ (-2.0 * flipped.T)
        d += c2
        j = d.argmin(axis=1)
        labels[lo : lo + _CHUNK] = last - j
        best = d[np.arange(len(chunk)), j] + (chunk**2).sum(axis=1)
        dist[lo : lo + _CHUNK] = np.sqrt(np.maximum(best, 0.0))
    return labels, dist


def _distinct(points: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Points sorted by position (ties in data order), and where each new position starts."""
    order = np.lexsort((np.arange(len(points)), points[:, 1], points[:, 0]))
    p = points[order]
    starts = np.ones(len(p), bool)
    starts[1:] = np.any(p[1:] != p[:-1], axis=1)
    return order, starts


def distinct_count(points: NDArray[np.float64]) -> int:
    return int(np.count_nonzero(_distinct(points)[1]))


def _centres(
    points: NDArray[np.float64], labels: NDArray[np.int64], k: int, weights
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    mass = np.bincount(labels, weights=weights, minlength=k).astype(np.float64)
    w = 1.0 if weights is None else weights
    sx = np.bincount(labels, weights=points[:, 0] * w, minlength=k)
    sy = np.bincount(labels, weights=points[:, 1] * w, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        centres = np.column_stack([sx / mass, sy / mass])
    return centres, mass


def _same(a: NDArray[np.float64], b: NDArray[np.float64]) -> bool:
    """Pol.is's test: sort both centre lists, pair them, every pair closer than 0.01."""
    a = a[np.lexsort((a[:, 1], a[:, 0]))]
    b = b[np.lexsort((b[:, 1], b[:, 0]))]
    n = min(len(a), len(b))
    return bool(np.all(np.hypot(*(a[:n] - b[:n]).T) < CONVERGED))


def _first_distinct(points: NDArray[np.float64], k: int) -> NDArray[np.int64]:
    """Indices of the first k distinct points in data order."""
    order, starts = _distinct(points)
    return np.sort(order[starts])[:k]


def _clean_start(
    points: NDArray[np.float64],
    k: int,
    weights: NDArray[np.float64] | None,
    prev_ids: NDArray[np.int64],
    prev_labels: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Warm start from a previous clustering: recentre the old clusters on their members' new
    positions, merge clusters that now coincide, then split off the farthest point until there
    are k clusters (or as many as distinct points)."""
    member = prev_labels >= 0
    if not member.any():
        # Nobody from before is left: one cluster of everyone, under a new id.
        ids = np.array([int(prev_ids.max(initial=-1)) + 1])
        return ids, np.average(points, axis=0, weights=weights)[None, :]
    labels = prev_labels.copy()
    ids = prev_ids.copy()
    centres, mass = _centres(points[member], labels[member], len(ids), _sub(weights, member))
    keep = mass > 0
    ids, centres, counts = (
        ids[keep],
        centres[keep],
        np.bincount(labels[member], minlength=len(keep))[keep],
    )
    remap = np.full(len(keep), -1)
    remap[keep] = np.arange(keep.sum())
    labels = np.where(labels >= 0, remap[np.maximum(labels, 0)], -1)
    # Clusters whose centres coincide become one; it keeps the id of the bigger one.
    if distinct_count(centres) < len(ids):
        _, first, inverse = np.unique(centres, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        new_ids = np.empty(len(first), dtype=np.int64)
        for group in range(len(first)):
            idx = np.flatnonzero(inverse == group)
            # The bigger keeps its id; on a tie the one merged in (the later one).
            best = idx[np.lexsort((idx, counts[idx]))[-1]]
            new_ids[group] = ids[best]
        labels = np.where(labels >= 0, inverse[np.maximum(labels, 0)], -1)
        order = np.argsort(new_ids)
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        ids = new_ids[order]
        labels = np.where(labels >= 0, rank[np.maximum(labels, 0)], -1)
        member = labels >= 0
        centres, _ = _centres(points[member], labels[member], len(ids), _sub(weights, member))
    # Counting the distinct points sorts them all: only worth it when clusters are missing.
    target = min(k, distinct_count(points)) if len(ids) < k else k
    while len(ids) < target:
        _, dist = nearest(points, centres)
        far = len(dist) - 1 - int(np.argmax(dist[::-1]))
        if dist[far] <= 1e-9:  # every point sits on a centre (up to rounding)
            break
        labels[far] = len(ids)
        ids = np.append(ids, ids.max() + 1)
        member = labels >= 0
        centres, _ = _centres(points[member], labels[member], len(ids), _sub(weights, member))
    return ids, centres


def _sub(weights, mask):
    return None if weights is None else weights[mask]


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
    if prev_ids is None or prev_labels is None or len(prev_ids) == 0:
        start = _first_distinct(points, k)
        ids = np.arange(len(start), dtype=np.int64)
        centres = points[start].copy()
    else:
        ids, centres = _clean_start(points, k, weights, prev_ids, prev_labels)
    for step in range(max_iters + 1):
        labels, _ = nearest(points, centres)
        new_centres, mass = _centres(points, labels, len(ids), weights)
        used = mass > 0
        if not used.all():
            remap = np.cumsum(used) - 1
            labels = remap[labels]
            ids, new_centres = ids[used], new_centres[used]
        done = _same(centres, new_centres)
        centres = new_centres
        if done or step == max_iters:
            break
    return Clustering(ids, centres, labels)


def distances(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Euclidean distances between all pairs of (few) points."""
    # sqrt(dx² + dy²) rather than hypot: a third of the time, and the same to within 1 ulp.
    dx = points[:, 0, None] - points[:, 0]
    dy = points[:, 1, None] - points[:, 1]
    return np.sqrt(dx * dx + dy * dy)


def silhouette(d: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """Mean silhouette over the points (unweighted), from their distance matrix `d`; a point
    alone in its cluster scores 0."""
    n = len(labels)
    k = int(labels.max(initial=-1)) + 1
    if n < 2 or k < 2:
        return 0.0
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    sums = d @ onehot
    sizes = onehot.sum(axis=0)
    own = sizes[labels]
    rows = np.arange(n)
    a = np.divide(sums[rows, labels], own - 1, out=np.zeros(n), where=own > 1)
    means = np.divide(sums, sizes, out=np.full((n, k), np.inf), where=sizes > 0)
    means[rows, labels] = np.inf
    b = means.min(axis=1)
    top = np.maximum(a, b)
    s = np.divide(b - a, top, out=np.zeros(n), where=(top > 0) & np.isfinite(b) & (own > 1))
    return float(s.mean())


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
