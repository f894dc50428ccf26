"""Which reviewer reviews which item: pure Python, no database (docs/assessments.md).

1. Coverage: reviewers have no upper limit, so an item can be covered exactly when enough
   reviewers of the pool are free of a conflict with it; otherwise nothing is planned.
2. Greedy start: the item with the least room to spare first, each time the least-loaded allowed
   reviewer (ties: lowest reviewer id).
3. Balance: while a reviewer with load L can hand one of the new assignments, through a chain of
   swaps that respects every conflict, to a reviewer with load L - 2 or less, do it. Each such
   move lowers the sum of squared loads, so it ends; when no move is left, no assignment with the
   same conflicts has a smaller spread of loads (the optimality rule of convex-cost flows), so the
   spread is at most 1 whenever the conflicts allow it.

Existing assignments are kept and counted in the loads; only the new ones are moved.
Every choice is ordered by ids, so the same input always gives the same plan.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable


class Uncoverable(Exception):  # noqa: N818  (a result, not a programming error)
    """Some items have fewer allowed reviewers than they need."""

    def __init__(self, items: list[int]):
        super().__init__(items)
        self.items = items


def plan(
    *,
    items: Iterable[int],
    reviewers: Iterable[int],
    per_item: int,
    existing: Iterable[tuple[int, int]] = (),
    blocked: Iterable[tuple[int, int]] = (),
    loads: dict[int, int] | None = None,
) -> list[tuple[int, int]]:
    """Return the new (item, reviewer) pairs that give every item `per_item` reviewers.

    `existing` pairs are kept, `blocked` pairs (conflicts) are never planned, `loads` are the
    reviewers' current numbers of assignments (counted from `existing` when not given).
    Raise Uncoverable with the items (in order) that cannot get enough reviewers.
    """
    items = sorted(set(items))
    reviewers = sorted(set(reviewers))
    existing = set(existing)
    blocked = set(blocked)
    holders: dict[int, set[int]] = {i: set() for i in items}
    counted: dict[int, int] = {r: 0 for r in reviewers}
    for item, reviewer in existing:
        if item in holders:
            holders[item].add(reviewer)
        counted[reviewer] = counted.get(reviewer, 0) + 1
    load = {r: (loads or counted).get(r, 0) for r in reviewers}
    allowed = {
        i: [r for r in reviewers if (i, r) not in blocked and r not in holders[i]] for i in items
    }
    need = {i: max(0, per_item - len(holders[i])) for i in items}
    short = [i for i in items if len(allowed[i]) < need[i]]
    if short:
        raise Uncoverable(short)

    new_of: dict[int, set[int]] = {r: set() for r in reviewers}  # reviewer -> items, new ones
    for item in sorted(items, key=lambda i: (len(allowed[i]) - need[i], i)):
        for _n in range(need[item]):
            free = [r for r in allowed[item] if r not in holders[item]]
            chosen = min(free, key=lambda r: (load[r], r))
            holders[item].add(chosen)
            new_of[chosen].add(item)
            load[chosen] += 1

    while _move_once(reviewers, load, allowed, holders, new_of):
        pass
    return sorted((item, r) for r in reviewers for item in new_of[r])


def _move_once(reviewers, load, allowed, holders, new_of) -> bool:
    """Make one load-lowering chain of swaps, if there is one; say whether one was made."""
    for start in sorted(reviewers, key=lambda r: (-load[r], r)):
        path = _chain(start, load, allowed, holders, new_of)
        if path is None:
            continue
        for giver, item, taker in path:
            holders[item].discard(giver)
            holders[item].add(taker)
            new_of[giver].discard(item)
            new_of[taker].add(item)
        load[start] -= 1
        load[path[-1][2]] += 1
        return True
    return False


def _chain(start, load, allowed, holders, new_of) -> list[tuple[int, int, int]] | None:
    """Breadth-first: a chain of (giver, item, taker) moves from `start` to a reviewer whose load
    is at least 2 below `start`'s, every taker allowed on the item and not already holding it."""
    came_from: dict[int, tuple[int, int]] = {}
    seen = {start}
    queue = deque([start])
    while queue:
        giver = queue.popleft()
        for item in sorted(new_of[giver]):
            for taker in allowed[item]:
                if taker in seen or taker in holders[item]:
                    continue
                seen.add(taker)
                came_from[taker] = (giver, item)
                if load[taker] <= load[start] - 2:
                    path = []
                    node = taker
                    while node != start:
                        prev, via = came_from[node]
                        path.append((prev, via, node))
                        node = prev
                    return list(reversed(path))
                queue.append(taker)
    return None
