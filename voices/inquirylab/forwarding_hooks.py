"""How forwarded briefs follow the council's decisions (see voices/councils/handoff.py)."""


def connect() -> None:
    """Listen to the councils' hand-off points."""
