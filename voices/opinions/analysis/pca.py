"""Two principal components of the vote matrix, the way Pol.is computes them.

The matrix is never built densely: the centred value of a cell is the vote minus its statement's
mean, and a missing vote is exactly 0 after mean imputation, so the Gram matrix XᵀX (statements ×
statements) is accumulated person by person from their own votes. Pol.is's power iteration (at
most 101 products, warm-started from the previous components, deflation between components) then
runs on that small matrix, so its cost no longer depends on the number of participants.
"""

from __future__ import annotations

import functools

import numpy as np
from numba import njit
from numpy.typing import NDArray

# Pol.is: 100 iterations (the loop performs at most 101 products).
ITERATIONS = 100


# Votes are read person by person: person r's cells are cols/vals[start[r] : start[r] + count[r]]
# (one update from the database packs them back to back; a replay keeps a fixed stretch per
# person and fills it as votes arrive). A cell's centred value, its vote minus its statement's
# mean, is computed where it is used, never kept, so an update allocates nothing per vote.
# Statements moderated out are constant 0 columns: nothing to the components, but they count as
# answered in the projection's scaling, as in Pol.is.


@njit(cache=True)
def column_means(cols, vals, mod_out, n_cols: int) -> NDArray[np.float64]:
    """Mean of the votes on each statement (0 without votes, and for those moderated out)."""
    sums = np.zeros(n_cols)
    counts = np.zeros(n_cols, dtype=np.int64)
    for i in range(len(cols)):
        if not mod_out[cols[i]]:
            sums[cols[i]] += vals[i]
            counts[cols[i]] += 1
    means = np.zeros(n_cols)
    for j in range(n_cols):
        if counts[j]:
            means[j] = sums[j] / counts[j]
    return means


@njit(cache=True)
def gram(start, count, cols, vals, means, mod_out, n_cols: int) -> NDArray[np.float64]:
    """XᵀX of the centred matrix: each person adds the products of their own votes only (a
    missing vote is 0), so the cost follows the votes per person squared, not the statements
    squared."""
    g = np.zeros((n_cols, n_cols))
    # One person's kept cells, gathered first so that the pair loop is plain arithmetic.
    at = np.empty(n_cols, dtype=np.int64)
    x = np.empty(n_cols)
    for r in range(len(start)):
        m = 0
        for i in range(start[r], start[r] + count[r]):
            if not mod_out[cols[i]]:
                at[m] = cols[i]
                x[m] = vals[i] - means[cols[i]]
                m += 1
        for a in range(m):
            row = g[at[a]]
            xa = x[a]
            for b in range(a, m):
                row[at[b]] += xa * x[b]
    # Each pair was added on one side of the diagonal, depending on the order of the cells.
    for a in range(n_cols):
        for b in range(a + 1, n_cols):
            both = g[a, b] + g[b, a]
            g[a, b] = both
            g[b, a] = both
    return g


@functools.lru_cache(maxsize=64)
def _cold_starts(m: int, n_comps: int) -> NDArray[np.float64]:
    """Fixed pseudo-random starts in [0, 1), as Pol.is draws them (but the same every time).

    Not all ones: when two camps vote exactly opposite on mirrored statements, the main
    component is orthogonal to the all-ones vector and the iteration would never find it.
    """
    starts = np.zeros((n_comps, m))
    for i in range(n_comps):
        starts[i] = np.random.default_rng(i).random(m)
    starts.flags.writeable = False  # shared by every call with this size
    return starts


def power_components(
    g: NDArray[np.float64], start: NDArray[np.float64] | None, n_comps: int = 2
) -> NDArray[np.float64]:
    """The first `n_comps` eigenvectors of g by Pol.is's power iteration (rows of the result).

    `start` holds the previous components (rows), already extended to the current statements;
    a missing or all-zero start vector is replaced by a fixed pseudo-random one, which keeps a
    cold start deterministic (Pol.is draws it at random; converged results are the same).
    """
    m = g.shape[0]
    n_comps = min(n_comps, m)
    given = np.zeros((n_comps, m))
    if start is not None:
        rows = min(n_comps, len(start))
        given[:rows] = start[:rows]
    return _components(np.ascontiguousarray(g, dtype=np.float64), given, _cold_starts(m, n_comps))


@njit(cache=True, fastmath={"reassoc"})
def _components(g, start, cold):
    m, n_comps = g.shape[0], start.shape[0]
    comps = np.zeros((n_comps, m))
    # Statements nobody voted on yet and those moderated out are zero rows and columns of g:
    # they stay 0 in every product, so the iteration runs on the others only (a smaller matrix,
    # the same vectors: a start vector's entries there never reach the result).
    live = np.array([j for j in range(m) if np.any(g[:, j] != 0)], dtype=np.int64)
    n = len(live)
    if n == 0:
        return comps
    h = np.empty((n, n))
    for a in range(n):
        for b in range(n):
            h[a, b] = g[live[a], live[b]]
    for i in range(n_comps):
        v = start[i][live].copy()
        if not np.any(v != 0):
            v = cold[i][live].copy()
        v = _iterate(h, v)
        comps[i][live] = v
        if i + 1 < n_comps and np.any(v != 0):
            # Deflate: (I − vvᵀ) G (I − vvᵀ) removes the found direction.
            hv = np.empty(n)
            _product(h, v, hv)
            vhv = 0.0
            for a in range(n):
                vhv += v[a] * hv[a]
            for a in range(n):
                for b in range(n):
                    h[a, b] = h[a, b] - v[a] * hv[b] - hv[a] * v[b] + v[a] * v[b] * vhv
    return comps


# Reassociating the sums lets the compiler use vector instructions: 3–6× faster products, which
# differ from the sequential sums in the last bits only (as any BLAS's do).
@njit(cache=True, fastmath={"reassoc"})
def _product(g, v, out) -> None:
    """out = g·v."""
    for i in range(len(v)):
        s = 0.0
        for j in range(len(v)):
            s += g[i, j] * v[j]
        out[i] = s


@njit(cache=True, fastmath={"reassoc"})
def _iterate(g: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    """At most ITERATIONS + 1 products, stopping where the vector no longer moves.

    Compiled (numba): a replay runs this hundreds of times on small matrices, where a numpy
    call per product cost more than the product itself."""
    m = len(v)
    w = np.empty(m)
    last_norm = -1.0
    for _ in range(ITERATIONS + 1):
        _product(g, v, w)
        norm2 = 0.0
        for i in range(m):
            norm2 += w[i] * w[i]
        norm = np.sqrt(norm2)
        if norm == 0.0:
            return np.zeros(m)
        moved = 0.0
        for i in range(m):
            w[i] /= norm
            moved = max(moved, abs(w[i] - v[i]))
        # Pol.is stops when the norm repeats exactly; a vector that no longer moves has
        # reached the same point, and stopping there saves most of the 101 products.
        if norm == last_norm or moved < 1e-12:
            return w
        v, w = w, v
        last_norm = norm
    return v


@njit(cache=True)
def project(start, count, cols, vals, means, mod_out, comps, which) -> NDArray[np.float64]:
    """Pol.is's sparsity-aware projection of the people marked in `which` (the others stay at
    0): missing votes add nothing, and the point is scaled by √(statements / statements
    answered) so people who voted little are not all drawn near the centre (statements
    moderated out count as answered by everyone)."""
    n_rows, n_columns = len(start), len(mod_out)
    # Per statement: its weight on each component and whether it is kept, 0 where moderated
    # out, so the loop over the cells has no branch (a moderated-out cell adds exactly 0).
    kept = np.zeros(n_columns)
    w = np.zeros((2, n_columns))
    for c in range(n_columns):
        if not mod_out[c]:
            kept[c] = 1.0
            for i in range(min(2, len(comps))):
                w[i, c] = comps[i, c]
    n_out = float(mod_out.sum())
    points = np.zeros((n_rows, 2))
    for r in range(n_rows):
        if not which[r]:
            continue
        x0 = x1 = 0.0
        answered = n_out
        for i in range(start[r], start[r] + count[r]):
            c = cols[i]
            x = (vals[i] - means[c]) * kept[c]
            x0 += x * w[0, c]
            x1 += x * w[1, c]
            answered += kept[c]
        scale = np.sqrt(n_columns / max(answered, 1.0))
        points[r, 0] = x0 * scale
        points[r, 1] = x1 * scale
    return points
