"""What every JSON API router shares: the error body, and how to document it per operation."""

from typing import Any

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    """The body of every error answer of the API (built by `voices.api.error`)."""

    code: str = Field(description="Machine-readable, e.g. `not_found` or `invalid_input`.")
    message: str = Field(description="A human-readable sentence.")
    details: Any = Field(None, description="More about the error, when there is more to say.")


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Document error answers next to the success one: `response={200: X, **errors(404)}`."""
    return dict.fromkeys(statuses, ErrorOut)
