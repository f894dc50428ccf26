"""Adjusted Rand Index: how far two groupings of the same people agree (1 = the same, about 0 =
no better than chance). Used to compare our groups with Pol.is's and with planted groups."""

from __future__ import annotations

import numpy as np


def adjusted_rand_index(a, b) -> float:
    a = np.unique(np.asarray(a), return_inverse=True)[1].ravel()
    b = np.unique(np.asarray(b), return_inverse=True)[1].ravel()
    n = len(a)
    if n < 2:
        return 1.0
    table = np.zeros((a.max() + 1, b.max() + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)

    def pairs(x):
        return float((x * (x - 1) // 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (n * (n - 1) / 2)
    top = (rows + cols) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)


def agreement_with(reference: dict[int, int], ours: dict[int, int]) -> float:
    """ARI over the people `reference` grouped; those we left out count as one more group."""
    people = sorted(reference)
    return adjusted_rand_index([reference[p] for p in people], [ours.get(p, -1) for p in people])
