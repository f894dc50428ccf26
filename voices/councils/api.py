import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from voices.core.api import Pagination, SlugParam, errors

from . import selectors
from .decision_models import Ballot, Minutes
from .decision_selectors import closed_ballots
from .meeting_models import Meeting
from .meeting_selectors import meeting_get
from .models import Council

router = Router(tags=["councils"])


class MemberOut(Schema):
    public_name: str
    role: str


class CouncilOut(Schema):
    slug: str
    name: str
    names: dict[str, str]
    level: str
    status: str
    country: str | None
    host_authority: str | None
    domains: list[str]
    parent: str | None
    founded_on: str | None

    @staticmethod
    def resolve_name(obj: Council) -> str:
        return str(obj.name)

    @staticmethod
    def resolve_names(obj: Council) -> dict[str, str]:
        return obj.name.values

    @staticmethod
    def resolve_country(obj: Council) -> str | None:
        return obj.country.code.code if obj.country_id else None

    @staticmethod
    def resolve_host_authority(obj: Council) -> str | None:
        return obj.host_authority.slug if obj.host_authority_id else None

    @staticmethod
    def resolve_domains(obj: Council) -> list[str]:
        return [d.code for d in obj.domains.all()]

    @staticmethod
    def resolve_parent(obj: Council) -> str | None:
        return obj.parent.slug if obj.parent_id else None

    @staticmethod
    def resolve_founded_on(obj: Council) -> str | None:
        return obj.founded_on.isoformat() if obj.founded_on else None


class CouncilDetailOut(CouncilOut):
    description: str
    voting_seats: int
    term_months: int
    members: list[MemberOut]

    @staticmethod
    def resolve_description(obj: Council) -> str:
        return str(obj.description)

    @staticmethod
    def resolve_members(obj: Council) -> list[MemberOut]:
        # Only members who agreed to be shown publicly, by their public name.
        return [
            MemberOut(public_name=m.user.display_name, role=m.role)
            for m in selectors.members_current(council=obj, public_only=True)
        ]


@router.get("/councils", response={200: list[CouncilOut], **errors(422)}, url_name="councils")
@paginate(Pagination)
def councils(
    request: HttpRequest,
    country: SlugParam | None = None,
    level: Council.Level | None = None,
    domain: SlugParam | None = None,
):
    """Councils, optionally of one country, level and policy domain."""
    return selectors.council_list(country=country, level=level, domain=domain)


@router.get("/councils/{slug}", response={200: CouncilDetailOut, **errors(404)}, url_name="council")
def council(request: HttpRequest, slug: str):
    """One council with its publicly shown members."""
    return selectors.council_get(slug)


class AgendaItemOut(Schema):
    position: int
    title: str
    kind: str

    @staticmethod
    def resolve_title(obj) -> str:
        return str(obj.title)


class MeetingOut(Schema):
    id: int
    council: str
    title: str
    format: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str

    @staticmethod
    def resolve_council(obj: Meeting) -> str:
        return obj.council.slug

    @staticmethod
    def resolve_title(obj: Meeting) -> str:
        return str(obj.title)


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list:
        return list(obj.agenda_items.order_by("position", "id"))


@router.get(
    "/councils/{slug}/meetings",
    response={200: list[MeetingOut], **errors(404, 422)},
    url_name="council_meetings",
)
@paginate(Pagination)
def council_meetings(request: HttpRequest, slug: str):
    """A council's meetings, latest first (public parts: never the online link)."""
    council = selectors.council_get(slug)
    return Meeting.objects.filter(council=council).select_related("council").order_by("-starts_at")


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **errors(404, 422)},
            url_name="meeting")  # fmt: skip
def meeting(request: HttpRequest, meeting_id: int):
    """One meeting with its agenda."""
    if not 0 < meeting_id < 2**63:
        raise Http404
    return meeting_get(meeting_id)


class MinutesOut(Schema):
    meeting: int
    version: int
    language: str
    text: str
    published_at: datetime.datetime | None
    corrects_version: int | None

    @staticmethod
    def resolve_meeting(obj: Minutes) -> int:
        return obj.meeting_id

    @staticmethod
    def resolve_corrects_version(obj: Minutes) -> int | None:
        return obj.corrects.version if obj.corrects_id else None


class BallotResultOut(Schema):
    id: int
    subject: str
    subject_title: str
    is_secret: bool
    majority: str
    closed_at: datetime.datetime | None
    entitled: int | None
    present: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    quorum_met: bool | None
    passed: bool | None

    @staticmethod
    def resolve_subject(obj: Ballot) -> str:
        return "motion" if obj.motion_id else "amendment" if obj.amendment_id else "minutes"

    @staticmethod
    def resolve_subject_title(obj: Ballot) -> str:
        if obj.motion_id:
            return obj.motion.title
        if obj.amendment_id:
            return obj.amendment.motion.title
        return str(obj.minutes.meeting.title)


@router.get(
    "/meetings/{meeting_id}/minutes",
    response={200: list[MinutesOut], **errors(404, 422)},
    url_name="meeting_minutes",
)
def meeting_minutes(request: HttpRequest, meeting_id: int):
    """The published minutes of a meeting, every version (corrections point at what they fix)."""
    if not 0 < meeting_id < 2**63:
        raise Http404
    meeting = meeting_get(meeting_id)
    return list(
        Minutes.objects.filter(meeting=meeting, status=Minutes.Status.PUBLISHED)
        .select_related("corrects")
        .order_by("version")
    )


@router.get(
    "/meetings/{meeting_id}/ballots",
    response={200: list[BallotResultOut], **errors(404, 422)},
    url_name="meeting_ballots",
)
def meeting_ballots(request: HttpRequest, meeting_id: int):
    """Results of the closed ballots of a meeting, as stored when each ballot closed."""
    if not 0 < meeting_id < 2**63:
        raise Http404
    meeting = meeting_get(meeting_id)
    return list(closed_ballots(meeting=meeting))
