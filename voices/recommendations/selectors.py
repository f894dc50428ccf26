"""Reads for recommendations: the tracker, one recommendation, the officers' inbox, scorecards."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from voices.accounts.models import Role
from voices.core.disclosure import Disclosed, disclose_count
from voices.directory.models import Organisation

from . import deadlines
from .models import (
    AWAITING_ANSWER,
    Addressee,
    AuthorityResponse,
    Event,
    Outcome,
    ProgressUpdate,
    Recommendation,
    State,
)
from .rules import answers_for_addressee


def overdue_q(*, now: datetime.datetime, prefix: str = "") -> Q:
    """Tracks (or, with prefix "addressees__", recommendations) whose answer is late."""
    return Q(
        **{
            f"{prefix}state__in": AWAITING_ANSWER,
            f"{prefix}recommendation__due_at__lte": now,
        }
    ) & ~Q(**{f"{prefix}recommendation__state": State.WITHDRAWN})


def recommendation_list(
    *,
    country: str | None = None,
    council=None,
    authority: Organisation | None = None,
    domain=None,
    state: str | None = None,
    overdue: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet[Recommendation]:
    """Sent recommendations (the public tracker), newest first, with their authorities."""
    now = now or timezone.now()
    qs = Recommendation.objects.filter(sent_at__isnull=False)
    if country:
        qs = qs.filter(council__country__code=country.upper())
    if council is not None:
        qs = qs.filter(council=council)
    if authority is not None:
        qs = qs.filter(addressees__organisation=authority)
    if domain is not None:
        qs = qs.filter(domain=domain)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        late = Addressee.objects.filter(overdue_q(now=now), recommendation=OuterRef("pk"))
        qs = qs.filter(Exists(late))
    return (
        qs.select_related("council__country", "domain")
        .prefetch_related(
            Prefetch(
                "addressees",
                queryset=Addressee.objects.select_related("organisation", "recommendation"),
            )
        )
        .order_by("-sent_at", "-id")
        .distinct()
    )


def recommendation_list_for_council(*, council, user) -> QuerySet[Recommendation]:
    """All of a council's recommendations its viewer may see, drafts included for its people."""
    qs = Recommendation.objects.filter(council=council)
    if not user.has_perm("recommendations.view_council_drafts", council):
        qs = qs.filter(sent_at__isnull=False)
    return qs.select_related("domain").order_by("-created_at", "-id")


def recommendation_get(recommendation_id: int, *, user) -> Recommendation:
    """One recommendation, if `user` may see it; else a 404 that hides drafts."""
    qs = Recommendation.objects.select_related(
        "council__country", "domain", "motion__agenda_item__meeting"
    )
    recommendation = get_object_or_404(qs, pk=recommendation_id)
    if not user.has_perm("recommendations.view_recommendation", recommendation):
        raise Http404
    return recommendation


def tracks_for(recommendation: Recommendation, *, user) -> list[Addressee]:
    """Each authority's track with its published answer (drafts only for its own officers)."""
    tracks = list(
        Addressee.objects.filter(recommendation=recommendation)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("progress_updates", queryset=ProgressUpdate.objects.order_by("created_at"))
        )
    )
    responses = {
        r.addressee_id: r
        for r in AuthorityResponse.objects.filter(addressee__in=[t.pk for t in tracks])
    }
    for track in tracks:
        track.recommendation = recommendation
        response = responses.get(track.pk)
        # The relationship itself: an administrator passes every permission but answers for
        # no authority.
        track.can_answer = answers_for_addressee(user, track)
        track.published_response = response if response and response.is_published else None
        track.draft_response = (
            response if response and not response.is_published and track.can_answer else None
        )
    return tracks


def timeline_for(recommendation: Recommendation) -> QuerySet[Event]:
    return Event.objects.filter(recommendation=recommendation).select_related(
        "addressee__organisation"
    )


def is_following(*, recommendation: Recommendation, user) -> bool:
    return user.is_authenticated and recommendation.followers.filter(user=user).exists()


def inbox_for(*, user, pending_only: bool = True) -> QuerySet[Addressee]:
    """The tracks of the authorities `user` is an officer of, most urgent deadline first."""
    organisation_ids = user.scope_ids(Role.OFFICER, Organisation)
    qs = Addressee.objects.filter(
        organisation_id__in=[int(i) for i in organisation_ids if i.isdigit()],
        recommendation__sent_at__isnull=False,
    )
    if pending_only:
        qs = qs.filter(state__in=[*AWAITING_ANSWER, State.ANSWERED, State.IN_IMPLEMENTATION])
        # A rejection ends the authority's part: nothing is left to report.
        qs = qs.exclude(state=State.ANSWERED, outcome=Outcome.REJECTED)
        qs = qs.exclude(recommendation__state=State.WITHDRAWN)
    return qs.select_related(
        "organisation", "recommendation__council", "recommendation__domain", "response"
    ).order_by("recommendation__due_at", "pk")


def addressee_get_for_officer(addressee_id: int, *, user) -> Addressee:
    """A track the user answers for; anyone else's is a 404, as if it did not exist."""
    addressee = get_object_or_404(
        Addressee.objects.select_related(
            "organisation", "recommendation__council", "recommendation__domain"
        ),
        pk=addressee_id,
        recommendation__sent_at__isnull=False,
    )
    if not (user.is_authenticated and user.has_role(Role.OFFICER, addressee.organisation)):
        raise Http404
    return addressee


# Scorecards


def first_moment(state: str) -> Min:
    """When a track first entered `state`, read from its timeline (an annotation on Addressee)."""
    return Min("events__at", filter=Q(events__to_state=state))


@dataclass
class Scorecard:
    """How an authority (or the authorities a council asked) answered, from the timeline."""

    key: str
    label: object
    url: str = ""
    received: int = 0
    # Received and either answered or past their deadline: the fair base for answer rates,
    # so an authority is not marked down for what it still has time to answer.
    due: int = 0
    answered: int = 0
    on_time: int = 0
    accepted: int = 0
    implemented: int = 0
    days: list[float] = field(default_factory=list)

    @property
    def published_received(self) -> Disclosed:
        return disclose_count(self.received)

    @property
    def is_shown(self) -> bool:
        """Shares of a suppressed count would give it away: they are shown only with it."""
        return not self.published_received.is_suppressed

    def _share(self, part: int, whole: int) -> int | None:
        return round(100 * part / whole) if self.is_shown and whole else None

    @property
    def answered_share(self) -> int | None:
        return self._share(self.answered, self.due)

    @property
    def on_time_share(self) -> int | None:
        return self._share(self.on_time, self.due)

    @property
    def accepted_share(self) -> int | None:
        return self._share(self.accepted, self.answered)

    @property
    def implemented_share(self) -> int | None:
        return self._share(self.implemented, self.accepted)

    @property
    def median_days(self) -> float | None:
        if not (self.is_shown and self.days):
            return None
        return round(statistics.median(self.days), 1)

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "name": str(self.label),
            "received": self.published_received.as_json(),
            "answered_share": self.answered_share,
            "answered_on_time_share": self.on_time_share,
            "median_days_to_answer": self.median_days,
            "accepted_share": self.accepted_share,
            "implemented_share": self.implemented_share,
        }


def scorecards(
    *, by: str, country: str | None = None, now: datetime.datetime | None = None
) -> list[Scorecard]:
    """Scorecards per authority (`by="authority"`) or per council (`by="council"`).

    Counted over the authorities' tracks of sent recommendations that were not withdrawn.
    Sent and answered moments come from the timeline (first event into that state), never
    from a typed figure. Shares: answered and answered on time of those received that are
    answered or past their deadline; accepted
    (fully or partly) of those answered; implemented of those accepted.
    """
    tracks = (
        Addressee.objects.filter(recommendation__sent_at__isnull=False)
        .exclude(recommendation__state=State.WITHDRAWN)
        .annotate(sent_at=first_moment(State.SENT), answered_at=first_moment(State.ANSWERED))
        .select_related("organisation", "recommendation__council")
        .order_by("pk")
    )
    if country:
        tracks = tracks.filter(recommendation__council__country__code=country.upper())
    now = now or timezone.now()
    cards: dict[str, Scorecard] = {}
    for track in tracks:
        if by == "council":
            owner = track.recommendation.council
            key, url = owner.slug, owner.get_absolute_url()
        else:
            owner = track.organisation
            key, url = owner.slug, owner.get_absolute_url()
        card = cards.setdefault(key, Scorecard(key=key, label=owner.name, url=url))
        card.received += 1
        if track.answered_at is None or track.sent_at is None:
            if now >= track.recommendation.due_at:
                card.due += 1
            continue
        card.due += 1
        card.answered += 1
        if track.answered_at < track.recommendation.due_at:
            card.on_time += 1
        card.days.append((track.answered_at - track.sent_at).total_seconds() / 86400)
        if track.outcome in (Outcome.ACCEPTED, Outcome.PARTLY_ACCEPTED):
            card.accepted += 1
            if track.state == State.IMPLEMENTED:
                card.implemented += 1
    return sorted(cards.values(), key=lambda c: str(c.label).casefold())


EXPORT_COLUMNS = [
    "recommendation_id", "title", "council", "country", "policy_area", "authority", "state",
    "answer", "sent_on", "due_on", "answered_on", "days_to_answer", "overdue", "progress_percent",
    "url",
]  # fmt: skip


def export_rows(recommendations: QuerySet[Recommendation], *, now: datetime.datetime):
    """One row per recommendation and authority asked, for the CSV export (public data only)."""
    answered = dict(
        Addressee.objects.filter(recommendation__in=recommendations.values("pk"))
        .annotate(answered_at=first_moment(State.ANSWERED))
        .values_list("pk", "answered_at")
    )
    for recommendation in recommendations.iterator(chunk_size=500):
        # Dates in the council's time zone, like the deadline day beside them.
        zone = recommendation.council.time_zone
        for track in recommendation.addressees.all():
            answered_at = answered.get(track.pk)
            days = (
                round((answered_at - recommendation.sent_at).total_seconds() / 86400, 1)
                if answered_at
                else ""
            )
            yield [
                recommendation.pk,
                str(recommendation.title),
                str(recommendation.council.name),
                recommendation.council.country.code.code if recommendation.council.country else "",
                recommendation.domain.code if recommendation.domain else "",
                track.organisation.slug,
                track.state if recommendation.state != State.WITHDRAWN else State.WITHDRAWN,
                track.outcome,
                deadlines.local_date(recommendation.sent_at, zone).isoformat(),
                recommendation.due_on.isoformat() if recommendation.due_on else "",
                deadlines.local_date(answered_at, zone).isoformat() if answered_at else "",
                days,
                "yes" if track.is_overdue(at=now) else "no",
                track.progress,
                recommendation.get_absolute_url(),
            ]
