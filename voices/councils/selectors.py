import datetime

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.selectors import users_with_role

from .models import Council, Invitation, JoinRequest, Membership, PolicyDomain


def current_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Memberships whose term covers `on` and that were not ended before it."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}term_start__lte": on, f"{prefix}term_end__gte": on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


def council_list(
    *, country: str | None = None, level: str | None = None, domain: str | None = None
) -> QuerySet[Council]:
    qs = (
        Council.objects.select_related("country", "host_authority", "parent")
        .prefetch_related("domains")
        .annotate(member_count=Count("memberships", filter=current_q(prefix="memberships__")))
        .order_by("country__code", "slug")
    )
    if country:
        qs = qs.filter(country__code=country.upper())
    if level:
        qs = qs.filter(level=level)
    if domain:
        qs = qs.filter(domains__code=domain)
    return qs


def council_get(slug: str) -> Council:
    qs = Council.objects.select_related(
        "country", "region", "municipality", "host_authority", "parent"
    ).prefetch_related("domains", "supporting_organisations", "children")
    return get_object_or_404(qs, slug=slug)


def policy_domains() -> QuerySet[PolicyDomain]:
    return PolicyDomain.objects.all()


def membership_current(*, user, council: Council) -> Membership | None:
    """The user's current membership of `council`, read once per user object and council."""
    cache = user.__dict__.setdefault("_council_memberships", {})
    if council.pk not in cache:
        cache[council.pk] = (
            Membership.objects.filter(current_q(), council=council, user=user)
            .order_by("-term_start")
            .first()
        )
    return cache[council.pk]


# Members are listed by office: chair first, observers last.
ROLE_ORDER = Case(
    *[When(role=role, then=Value(position)) for position, role in enumerate(Membership.Role)],
    default=Value(99),
)


def members_current(*, council: Council, public_only: bool) -> QuerySet[Membership]:
    qs = Membership.objects.filter(current_q(), council=council).select_related(
        "user", "association"
    )
    if public_only:
        qs = qs.filter(is_public=True)
    return qs.order_by(ROLE_ORDER, "user__display_name")


def members_all(*, council: Council) -> QuerySet[Membership]:
    """Every membership, past and present, for the people who manage the council."""
    return (
        Membership.objects.filter(council=council)
        .select_related("user", "association")
        .order_by("-term_end", ROLE_ORDER, "user__display_name")
    )


def voting_members_on(*, council: Council, on: datetime.date) -> QuerySet[Membership]:
    return Membership.objects.filter(
        current_q(on), council=council, role__in=Membership.VOTING_ROLES
    )


def invitation_list(*, council: Council) -> QuerySet[Invitation]:
    return Invitation.objects.filter(council=council).select_related("used_by", "created_by")


def join_requests_pending(*, council: Council) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(
        council=council, status=JoinRequest.Status.PENDING
    ).select_related("user")


def council_count() -> int:
    return Council.objects.count()


def councils_for_home(limit: int = 12) -> QuerySet[Council]:
    return council_list().order_by("country__code", "slug")[:limit]


def council_leaders(*, council: Council) -> list:
    """The people answerable for a council's follow-up: its current chair and its facilitators.

    A facilitator counts as `rules.is_council_facilitator` says: by the role, unless a seat of
    theirs says otherwise (a current seat that is not a facilitator's, or a facilitator seat
    whose term has run out while the role row remains).
    """
    current = {
        m.user_id: m
        for m in Membership.objects.filter(current_q(), council=council).select_related("user")
    }
    had_seat = set(
        Membership.objects.filter(council=council, role=Membership.Role.FACILITATOR).values_list(
            "user_id", flat=True
        )
    )
    facilitators = [
        user
        for user in users_with_role(role=Role.FACILITATOR, scope=council)
        if (user.pk in current and current[user.pk].role == Membership.Role.FACILITATOR)
        or (user.pk not in current and user.pk not in had_seat)
    ]
    chairs = [m.user for m in current.values() if m.role == Membership.Role.CHAIR]
    return list({u.pk: u for u in [*chairs, *facilitators]}.values())
