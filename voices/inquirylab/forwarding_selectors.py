"""Reads about winning briefs sent to councils, and who may see them.

Lists read a constant number of queries whatever their length (select_related / one annotation).
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from voices.councils.decision_models import Motion
from voices.councils.meeting_models import AgendaItem, Meeting
from voices.councils.models import Council

from .models import Brief, BriefVersion, Challenge, Forwarding

# A council that can take up a brief: one that works (not being set up, not dormant).
ACTIVE_COUNCIL_STATUSES = (Council.Status.ACTIVE, Council.Status.STRENGTHENED)

_FORWARDING_RELATED = (
    "brief__submitted_version",
    "brief__team",
    "brief__challenge",
    "council",
    "motion",
    "forwarded_by",
)


def results_are_public(challenge: Challenge) -> bool:
    return challenge.is_published and challenge.results_published_at is not None


def brief_get_for_forwarding(brief_id: int) -> Brief:
    """The brief with what the forward page shows (permission is checked by the caller)."""
    qs = Brief.objects.select_related(
        "challenge", "team", "submitted_version", "result", "challenge__organiser"
    )
    return get_object_or_404(qs, pk=brief_id)


def is_winner(brief: Brief) -> bool:
    result = getattr(brief, "result", None)
    return result is not None and result.is_winner


def councils_for_forwarding(challenge: Challenge) -> QuerySet[Council]:
    """Active councils, those in the challenge's countries first, then by country and name."""
    countries = [code.upper() for code in challenge.allowed_countries or []]
    return (
        Council.objects.filter(status__in=ACTIVE_COUNCIL_STATUSES)
        .select_related("country")
        .annotate(
            is_nearby=Case(
                When(country__code__in=countries, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("is_nearby", "country__code", "slug")
    )


def forwardings_of_brief(brief: Brief) -> list[Forwarding]:
    return list(
        Forwarding.objects.filter(brief=brief)
        .select_related(*_FORWARDING_RELATED)
        .order_by("-forwarded_at", "-id")
    )


def forwarding_get(forwarding_id: int) -> Forwarding:
    qs = Forwarding.objects.select_related(
        *_FORWARDING_RELATED, "council__country", "brief__challenge__organiser"
    )
    return get_object_or_404(qs, pk=forwarding_id)


def council_forwardings(council: Council) -> QuerySet[Forwarding]:
    """The briefs sent to a council, newest first."""
    return (
        Forwarding.objects.filter(council=council)
        .select_related(*_FORWARDING_RELATED)
        .order_by("-forwarded_at", "-id")
    )


def council_has_forwardings(council: Council) -> bool:
    return Forwarding.objects.filter(council=council).exists()


def challenge_get_for_forwarded(slug: str, *, user) -> Challenge:
    """The challenge, if `user` may see what became of its briefs; else 404."""
    challenge = get_object_or_404(Challenge, slug=slug)
    if not user.has_perm("inquirylab.view_forwarded", challenge):
        raise Http404
    return challenge


def challenge_forwardings(challenge: Challenge) -> QuerySet[Forwarding]:
    """Every forwarded brief of the challenge, by the brief's place in the results."""
    return (
        Forwarding.objects.filter(brief__challenge=challenge)
        .select_related(*_FORWARDING_RELATED, "brief__result")
        .order_by("brief__result__rank", "brief_id", "-forwarded_at", "-id")
    )


def winners_of(challenge: Challenge) -> QuerySet[Brief]:
    """The winning briefs, with how many councils each was sent to (for those who run it)."""
    return (
        Brief.objects.filter(challenge=challenge, result__is_winner=True)
        .select_related("submitted_version", "team", "result")
        .annotate(forwarding_count=Count("forwardings"))
        .order_by("result__rank", "id")
    )


def forwarding_url(forwarding: Forwarding) -> str:
    """Where a reader follows the uptake: the council's motion once there is one."""
    if forwarding.motion_id is not None:
        return forwarding.motion.get_absolute_url()
    return forwarding.council.get_absolute_url()


def uptake_of(brief: Brief) -> list[tuple[Council, str, str]]:
    """(council, uptake in words, link) for each council the brief went to; public with the
    results, so empty before they are published."""
    if not results_are_public(brief.challenge):
        return []
    rows = (
        Forwarding.objects.filter(brief=brief)
        .select_related("council", "motion")
        .order_by("forwarded_at", "id")
    )
    return [(f.council, f.get_uptake_display(), forwarding_url(f)) for f in rows]


def forwarding_for_motion(motion: Motion) -> Forwarding | None:
    return (
        Forwarding.objects.filter(motion=motion)
        .select_related("brief__submitted_version", "brief__challenge")
        .first()
    )


def decision_items_for(council: Council) -> QuerySet[AgendaItem]:
    """Decision items of the council's meetings still to come (or under way), soonest first."""
    now = timezone.now()
    return (
        AgendaItem.objects.filter(meeting__council=council, kind=AgendaItem.Kind.DECISION)
        .exclude(meeting__status__in=[Meeting.Status.ENDED, Meeting.Status.CANCELLED])
        .filter(Q(meeting__ends_at__gte=now) | Q(meeting__status=Meeting.Status.IN_PROGRESS))
        .select_related("meeting")
        .order_by("meeting__starts_at", "meeting_id", "position", "id")
    )


def council_languages(council: Council) -> list[str]:
    """The languages the council works in, its country's main language last."""
    languages = list(council.working_languages or [])
    country_language = council.country.language if council.country_id else ""
    if country_language and country_language not in languages:
        languages.append(country_language)
    return languages


def summary_for(version: BriefVersion, *, languages: list[str]) -> tuple[str, str]:
    """(text, language) of the brief's summary in the first of `languages` it is written in;
    otherwise the first summary."""
    summaries = [
        (version.summary, version.summary_language),
        (version.second_summary, version.second_summary_language),
    ]
    for language in languages:
        for text, written_in in summaries:
            if text and written_in == language:
                return text, written_in
    return summaries[0]
