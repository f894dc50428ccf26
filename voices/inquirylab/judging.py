"""How a challenge plugs into the assessment engine (see voices/assessments/registry.py)."""


def connect() -> None:
    """Register the challenge as an owner of review rounds."""
