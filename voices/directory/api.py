from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from voices.core.api import Pagination, SlugParam, errors

from . import selectors
from .models import Organisation

router = Router(tags=["directory"])


class CountryOut(Schema):
    code: str
    name: str
    is_programme: bool
    organisation_count: int


class OrganisationOut(Schema):
    slug: str
    name: str
    names: dict[str, str] = Field(description="The name in every language it is written in.")
    kind: str
    country: str | None
    website: str
    description: str

    @staticmethod
    def resolve_name(obj: Organisation) -> str:
        return str(obj.name)

    @staticmethod
    def resolve_names(obj: Organisation) -> dict[str, str]:
        return obj.name.values

    @staticmethod
    def resolve_country(obj: Organisation) -> str | None:
        return obj.country.code.code if obj.country_id else None

    @staticmethod
    def resolve_description(obj: Organisation) -> str:
        return str(obj.description)


def _country(c) -> CountryOut:
    return CountryOut(
        code=c.code.code, name=c.name, is_programme=c.is_programme,
        organisation_count=getattr(c, "organisation_count", 0),
    )  # fmt: skip


@router.get("/countries", response={200: list[CountryOut], **errors(422)}, url_name="countries")
@paginate(Pagination)
def countries(request: HttpRequest, programme_only: bool = False):
    """Countries in the directory, by name."""
    return [_country(c) for c in selectors.country_list(programme_only=programme_only)]


@router.get("/countries/{code}", response={200: CountryOut, **errors(404)}, url_name="country")
def country(request: HttpRequest, code: str = Path(..., examples=["AT"])):
    """One country by its ISO 3166 code (two letters)."""
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise Http404
    return _country(selectors.country_get(code))


@router.get(
    "/organisations", response={200: list[OrganisationOut], **errors(422)}, url_name="organisations"
)
@paginate(Pagination)
def organisations(
    request: HttpRequest, country: SlugParam | None = None, kind: Organisation.Kind | None = None
):
    """Active organisations, optionally of one country and one kind."""
    return selectors.organisation_list(country=country, kind=kind)


@router.get(
    "/organisations/{slug}", response={200: OrganisationOut, **errors(404)}, url_name="organisation"
)
def organisation(request: HttpRequest, slug: str = Path(..., examples=["at-city"])):
    """One organisation by its short web name."""
    return selectors.organisation_get(slug, user=request.user)
