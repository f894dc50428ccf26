"""Permission-matrix cases of the Inquiry Lab's forwarding pages (see matrix.py)."""

CASES: list = []


def extend(world) -> None:
    """Add this area's objects to the world."""
