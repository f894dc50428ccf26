"""Disclosure control: the one door through which aggregates about people are published.

Every count of people shown on a page, in a CSV, over the API or in a PDF goes through here.
Small counts could identify someone (the only Persian-speaking member of a small council), so:

* a count below ``DISCLOSURE_MIN_COUNT`` (10) is suppressed (shown as "fewer than 10");
* other counts are rounded to ``DISCLOSURE_ROUND_TO`` (5), so differences between two published
  tables cannot reveal a single person;
* in a table with totals, if a row or column has exactly one suppressed cell, its smallest other
  cell is suppressed too (secondary suppression), or the total would give the hidden value away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Disclosed:
    """A published count: `value` is None when it was suppressed."""

    value: int | None

    @property
    def is_suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            return _("fewer than %(min)d") % {"min": settings.DISCLOSURE_MIN_COUNT}
        return f"{self.value:,}".replace(",", "\u202f")

    def as_json(self) -> dict:
        return {"value": self.value, "suppressed": self.value is None}


def _round(count: int) -> int:
    step = settings.DISCLOSURE_ROUND_TO
    return int(round(count / step) * step) if step > 1 else count


def disclose_count(count: int) -> Disclosed:
    """Return `count` as it may be published."""
    if count < 0:
        raise ValueError("A count of people cannot be negative.")
    if count < settings.DISCLOSURE_MIN_COUNT:
        return Disclosed(None)
    return Disclosed(max(_round(count), settings.DISCLOSURE_MIN_COUNT))


def drawn_size(count: int) -> int:
    """The number of people a mark on a chart may stand for (its area), for marks that must be
    drawn even when small (the places of a map): rounded up to the rounding step, so the areas
    of many marks added up cannot give a group's exact size, and never 0 for a non-empty mark.
    Whether a small group is drawn in detail at all is decided with :func:`disclose_count`."""
    if count < 0:
        raise ValueError("A count of people cannot be negative.")
    step = max(settings.DISCLOSURE_ROUND_TO, 1)
    return -(-count // step) * step


def disclose_table(
    table: Mapping[str, Mapping[str, int]],
) -> dict[str, dict[str, Disclosed]]:
    """Return a two-way table of counts (row → column → count) with both kinds of suppression.

    Row and column totals are meant to be published beside it (computed from the raw counts and
    passed through :func:`disclose_count`), so a lone suppressed cell in a line is protected by
    also suppressing the smallest other cell of that line, repeated until no line has exactly one.
    """
    raw = {row: dict(cols) for row, cols in table.items()}
    hidden = {
        (row, col)
        for row, cols in raw.items()
        for col, count in cols.items()
        if 0 < count < settings.DISCLOSURE_MIN_COUNT
    }
    columns = sorted({col for cols in raw.values() for col in cols})

    def lines() -> list[list[tuple[str, str]]]:
        by_row = [[(row, col) for col in cols] for row, cols in raw.items()]
        by_col = [[(row, col) for row in raw if col in raw[row]] for col in columns]
        return by_row + by_col

    changed = True
    while changed:
        changed = False
        for line in lines():
            in_line = [cell for cell in line if cell in hidden]
            if len(in_line) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden and raw[cell[0]][cell[1]] > 0]
            if not candidates:
                continue
            smallest = min(candidates, key=lambda cell: (raw[cell[0]][cell[1]], cell))
            hidden.add(smallest)
            changed = True

    return {
        row: {
            col: Disclosed(None) if (row, col) in hidden else _disclose_cell(count)
            for col, count in cols.items()
        }
        for row, cols in raw.items()
    }


def _disclose_cell(count: int) -> Disclosed:
    # A true zero is not about anybody and is published as it is.
    return Disclosed(0) if count == 0 else disclose_count(count)
