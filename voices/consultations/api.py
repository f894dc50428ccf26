"""Open data: published consultations and their visible proposals, as on the pages.

Unlike the pages, the API shows no drafts, even to the people who run them: it is open data.
Authors appear only under their public name, never by account.
"""

import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from voices.core.api import Pagination, SlugParam, errors
from voices.councils.models import PolicyDomain

from . import selectors
from .models import Consultation, Phase, Proposal

router = Router(tags=["consultations"])


class OwnerOut(Schema):
    kind: Literal["authority", "council"]
    name: str
    slug: str


class PhaseOut(Schema):
    phase: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None


class ConsultationOut(Schema):
    id: int
    title: str
    titles: dict[str, str]
    question: str
    owner: OwnerOut
    domain: str
    country: str
    languages: list[str]
    phase: str
    phases: list[PhaseOut]
    eligibility: str
    allows_anonymous: bool
    proposal_count: int
    url: str

    @staticmethod
    def resolve_title(obj: Consultation) -> str:
        return str(obj.title)

    @staticmethod
    def resolve_titles(obj: Consultation) -> dict[str, str]:
        return obj.title.values

    @staticmethod
    def resolve_question(obj: Consultation) -> str:
        return str(obj.question)

    @staticmethod
    def resolve_owner(obj: Consultation) -> dict:
        kind = "authority" if obj.owner_organisation_id else "council"
        return {"kind": kind, "name": str(obj.owner.name), "slug": obj.owner.slug}

    @staticmethod
    def resolve_domain(obj: Consultation) -> str:
        return obj.domain.code

    @staticmethod
    def resolve_country(obj: Consultation) -> str:
        return obj.country.code.code

    @staticmethod
    def resolve_phase(obj: Consultation) -> str:
        return obj.phase_at(timezone.now())

    @staticmethod
    def resolve_phases(obj: Consultation) -> list[dict]:
        return [
            {"phase": phase, "starts_at": start, "ends_at": end}
            for phase, _label, start, end in obj.timeline()
        ]

    @staticmethod
    def resolve_url(obj: Consultation) -> str:
        return obj.get_absolute_url()


class DisclosedOut(Schema):
    value: int | None
    suppressed: bool


class ResultsOut(Schema):
    participants: DisclosedOut
    supporters: DisclosedOut


class ConsultationDetailOut(ConsultationOut):
    background: str
    closing_statement: str
    results: ResultsOut
    proposals_by_answer: dict[str, int]

    @staticmethod
    def resolve_background(obj: Consultation) -> str:
        return str(obj.background)

    @staticmethod
    def resolve_closing_statement(obj: Consultation) -> str:
        return str(obj.closing_statement)

    @staticmethod
    def resolve_results(obj: Consultation) -> dict:
        return {
            "participants": obj.results.participants.as_json(),
            "supporters": obj.results.supporters.as_json(),
        }

    @staticmethod
    def resolve_proposals_by_answer(obj: Consultation) -> dict[str, int]:
        return {answer: count for answer, _label, count in obj.results.by_answer}


class ProposalOut(Schema):
    id: int
    title: str
    body: str
    language: str
    author: str
    unverified: bool
    created_at: datetime.datetime
    supports_count: int
    reached: bool
    answer: str
    answer_text: str
    merged_into: int | None
    withdrawn: bool
    url: str

    @staticmethod
    def resolve_author(obj: Proposal) -> str:
        return obj.author_label()

    @staticmethod
    def resolve_unverified(obj: Proposal) -> bool:
        return obj.is_anonymous

    @staticmethod
    def resolve_reached(obj: Proposal) -> bool:
        return obj.reached_at is not None

    @staticmethod
    def resolve_answer_text(obj: Proposal) -> str:
        return str(obj.answer_text)

    @staticmethod
    def resolve_merged_into(obj: Proposal) -> int | None:
        return obj.merged_into_id

    @staticmethod
    def resolve_withdrawn(obj: Proposal) -> bool:
        return obj.is_withdrawn

    @staticmethod
    def resolve_url(obj: Proposal) -> str:
        return obj.get_absolute_url()


def _published(qs: QuerySet[Consultation], consultation_id: int) -> Consultation:
    """The consultation if it is published, else a 404 (for drafts too, whoever asks)."""
    if not 0 < consultation_id < 2**63:
        raise Http404
    consultation = qs.filter(pk=consultation_id, is_published=True).first()
    if consultation is None:
        raise Http404
    return consultation


@router.get(
    "/consultations",
    response={200: list[ConsultationOut], **errors(404, 422)},
    url_name="consultations",
)
@paginate(Pagination)
def consultations(
    request: HttpRequest,
    country: SlugParam | None = None,
    domain: SlugParam | None = None,
    phase: Phase | None = None,
):
    """Published consultations, the latest to open for contributions first."""
    if domain and not PolicyDomain.objects.filter(code=domain).exists():
        raise Http404
    return selectors.consultation_list(
        country=country or "", domain=domain or "", phase=phase or ""
    )


@router.get(
    "/consultations/{consultation_id}",
    response={200: ConsultationDetailOut, **errors(404, 422)},
    url_name="consultation",
)
def consultation(request: HttpRequest, consultation_id: int):
    """One published consultation with its participation figures (small counts suppressed)."""
    obj = _published(selectors.consultation_list(), consultation_id)
    obj.results = selectors.results_for(obj)
    return obj


@router.get(
    "/consultations/{consultation_id}/proposals",
    response={200: list[ProposalOut], **errors(404, 422)},
    url_name="consultation_proposals",
)
@paginate(Pagination)
def consultation_proposals(
    request: HttpRequest,
    consultation_id: int,
    answer: Literal["none", "accepted", "evaluating", "not_accepted", "merged"] | None = None,
    order: Literal["new", "old", "supported"] = "new",
):
    """The visible proposals of a published consultation: newest, oldest or most supported first."""
    obj = _published(Consultation.objects.all(), consultation_id)
    return selectors.proposal_list(consultation=obj, order=order, answer=answer or "")
