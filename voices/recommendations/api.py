"""Open data: the public tracker and scorecards, with the same visibility as the pages."""

import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from voices.core.api import Pagination, SlugParam, errors
from voices.councils.models import Council, PolicyDomain
from voices.directory.models import Organisation

from . import selectors
from .models import Addressee, Event, ProgressUpdate, Recommendation, State

router = Router(tags=["recommendations"])


class ProgressOut(Schema):
    at: datetime.datetime
    percent: int
    note: str
    language: str
    milestone: str
    milestone_on: datetime.date | None

    @staticmethod
    def resolve_at(obj: ProgressUpdate) -> datetime.datetime:
        return obj.created_at


class AnswerOut(Schema):
    outcome: str
    reasons: str
    language: str
    published_at: datetime.datetime


class TrackOut(Schema):
    authority: str
    authority_name: str
    state: str
    outcome: str
    progress: int
    overdue: bool

    @staticmethod
    def resolve_authority(obj: Addressee) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_authority_name(obj: Addressee) -> str:
        return str(obj.organisation.name)

    @staticmethod
    def resolve_overdue(obj: Addressee) -> bool:
        return obj.is_overdue()


class TrackDetailOut(TrackOut):
    answer: AnswerOut | None
    progress_updates: list[ProgressOut]
    closing_note: str

    @staticmethod
    def resolve_answer(obj: Addressee) -> AnswerOut | None:
        response = obj.published_response
        if response is None:
            return None
        return AnswerOut(
            outcome=response.outcome, reasons=response.reasons, language=response.language,
            published_at=response.published_at,
        )  # fmt: skip

    @staticmethod
    def resolve_progress_updates(obj: Addressee) -> list:
        return list(obj.progress_updates.all())


class EventOut(Schema):
    at: datetime.datetime
    kind: str
    authority: str | None
    from_state: str
    to_state: str
    note: str

    @staticmethod
    def resolve_authority(obj: Event) -> str | None:
        return obj.addressee.organisation.slug if obj.addressee_id else None


class RecommendationOut(Schema):
    id: int
    title: str
    titles: dict[str, str]
    council: str
    country: str | None
    domain: str | None
    state: str
    sent_at: datetime.datetime | None
    due_on: datetime.date | None
    due_at: datetime.datetime | None
    authorities: list[TrackOut]

    @staticmethod
    def resolve_title(obj: Recommendation) -> str:
        return str(obj.title)

    @staticmethod
    def resolve_titles(obj: Recommendation) -> dict[str, str]:
        return obj.title.values

    @staticmethod
    def resolve_council(obj: Recommendation) -> str:
        return obj.council.slug

    @staticmethod
    def resolve_country(obj: Recommendation) -> str | None:
        return obj.council.country.code.code if obj.council.country_id else None

    @staticmethod
    def resolve_domain(obj: Recommendation) -> str | None:
        return obj.domain.code if obj.domain_id else None

    @staticmethod
    def resolve_authorities(obj: Recommendation) -> list:
        return list(obj.addressees.all())


class RecommendationDetailOut(RecommendationOut):
    text: str
    reasons: str
    withdrawn_reason: str
    evidence: list[dict[str, str]]
    authorities: list[TrackDetailOut]  # type: ignore[assignment]
    timeline: list[EventOut]

    @staticmethod
    def resolve_text(obj: Recommendation) -> str:
        return str(obj.text)

    @staticmethod
    def resolve_reasons(obj: Recommendation) -> str:
        return str(obj.reasons)

    @staticmethod
    def resolve_evidence(obj: Recommendation) -> list[dict[str, str]]:
        return [{"label": e.label, "url": e.url} for e in obj.evidence.all()]

    @staticmethod
    def resolve_authorities(obj: Recommendation) -> list:
        return obj.tracks

    @staticmethod
    def resolve_timeline(obj: Recommendation) -> list:
        return list(selectors.timeline_for(obj))


class DisclosedOut(Schema):
    value: int | None
    suppressed: bool


class ScorecardOut(Schema):
    key: str
    name: str
    received: DisclosedOut
    answered_share: int | None
    answered_on_time_share: int | None
    median_days_to_answer: float | None
    accepted_share: int | None
    implemented_share: int | None


def _get(model, **lookup):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


@router.get(
    "/recommendations",
    response={200: list[RecommendationOut], **errors(404, 422)},
    url_name="recommendations",
)
@paginate(Pagination)
def recommendations(
    request: HttpRequest,
    country: SlugParam | None = None,
    council: SlugParam | None = None,
    authority: SlugParam | None = None,
    domain: SlugParam | None = None,
    state: State | None = None,
    overdue: bool = False,
):
    """Sent recommendations, newest first; filters as on the public tracker."""
    return selectors.recommendation_list(
        country=country,
        council=_get(Council, slug=council) if council else None,
        authority=_get(Organisation, slug=authority) if authority else None,
        domain=_get(PolicyDomain, code=domain) if domain else None,
        state=state,
        overdue=overdue,
    )


@router.get(
    "/recommendations/scorecards",
    response={200: list[ScorecardOut], **errors(422)},
    url_name="recommendation_scorecards",
)
def recommendation_scorecards(
    request: HttpRequest,
    by: Literal["authority", "council"] = "authority",
    country: SlugParam | None = None,
):
    """Scorecards per authority or per council; small counts are suppressed."""
    return [card.as_json() for card in selectors.scorecards(by=by, country=country)]


@router.get(
    "/recommendations/{recommendation_id}",
    response={200: RecommendationDetailOut, **errors(404, 422)},
    url_name="recommendation",
)
def recommendation(request: HttpRequest, recommendation_id: int):
    """One recommendation with each authority's answer, progress and the whole timeline."""
    if not 0 < recommendation_id < 2**63:
        raise Http404
    obj = selectors.recommendation_get(recommendation_id, user=request.user)
    obj.tracks = selectors.tracks_for(obj, user=request.user)
    return obj
