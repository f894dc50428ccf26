"""What every JSON API router shares: the error body, and how to document it per operation."""

from typing import Annotated, Any

from django.conf import settings
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import Field, StringConstraints

# Far beyond any real list, and far below the 64-bit limit an offset must stay under.
MAX_OFFSET = 1_000_000_000


class ErrorOut(Schema):
    """The body of every error answer of the API (built by `voices.api.error`)."""

    code: str = Field(description="Machine-readable, e.g. `not_found` or `invalid_input`.")
    message: str = Field(description="A human-readable sentence.")
    details: Any = Field(None, description="More about the error, when there is more to say.")


# Query parameters that name something by its short web name (slug, country or domain code).
# Constrained here so that a stray byte (a NUL, say) is a 422 for the caller instead of reaching
# the database, which PostgreSQL refuses with an error.
SlugParam = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,100}$")]


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Document error answers next to the success one: `response={200: X, **errors(404)}`."""
    return dict.fromkeys(statuses, ErrorOut)


class Pagination(LimitOffsetPagination):
    """limit/offset paging whose offset stays within what every database can count to."""

    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            le=settings.NINJA_PAGINATION_MAX_LIMIT,
            description=f"How many items (at most {settings.NINJA_PAGINATION_MAX_LIMIT}).",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")
