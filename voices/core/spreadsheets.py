"""CSV exports that are safe to open in a spreadsheet."""


def csv_cell(value):
    """Keep spreadsheets from running a text that starts like a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
