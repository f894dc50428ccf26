"""CSV exports that are safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator

# What a spreadsheet may read as the start of a formula (or that hides one behind it).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """Keep spreadsheets from running a text that starts like a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() hands back what it is given (for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable], *, lineterminator: str = "\r\n") -> Iterator[str]:
    """Rows as CSV text, one line (a str) at a time, each cell made safe for spreadsheets
    (`csv_cell`); for a StreamingHttpResponse, whatever the number of rows."""
    writer = csv.writer(_Echo(), lineterminator=lineterminator)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])
