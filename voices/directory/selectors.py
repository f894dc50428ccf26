from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Country, Organisation


def country_list(*, programme_only: bool = False) -> list[Country]:
    qs = Country.objects.annotate(
        organisation_count=Count("organisations", filter=Q(organisations__is_active=True))
    )
    if programme_only:
        qs = qs.filter(is_programme=True)
    return sorted(qs, key=lambda c: c.name)


def country_choices() -> list[Country]:
    """Countries by name, without counting anything (for filters and forms)."""
    return sorted(Country.objects.all(), key=lambda c: c.name)


def country_get(code: str) -> Country:
    return get_object_or_404(Country, code=code.upper())


def organisation_list(
    *, country: str | None = None, kind: str | None = None, include_inactive: bool = False
) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("country", "region", "municipality")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if country:
        qs = qs.filter(country__code=country.upper())
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def organisation_get(slug: str, *, user) -> Organisation:
    """Return an organisation; inactive ones only for those who may edit them."""
    qs = Organisation.objects.select_related("country", "region", "municipality")
    organisation = get_object_or_404(qs, slug=slug)
    if not organisation.is_active and not user.has_perm(
        "directory.change_organisation", organisation
    ):
        raise Http404
    return organisation


def authority_count() -> int:
    return Organisation.objects.filter(
        is_active=True, kind__in=Organisation.AUTHORITY_KINDS
    ).count()
