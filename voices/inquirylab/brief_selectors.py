"""Reads for the policy briefs, with who may see what: 404 for anything a person may not see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from voices.core.models import Attachment
from voices.core.selectors import attachment_get_for_user, attachment_list_for

from .brief_models import Brief, BriefVersion
from .models import Team


def team_get_for_writer(team_id: int, *, user) -> Team:
    """The team if `user` is one of its members (the writers), else 404."""
    team = get_object_or_404(Team.objects.select_related("challenge", "lead", "brief"), pk=team_id)
    if not (user.is_authenticated and team.members.filter(user=user).exists()):
        raise Http404
    return team


def team_get_for_draft_reader(team_id: int, *, user) -> Team:
    """The team if `user` may read its drafts (its members and the challenge's mentors)."""
    team = get_object_or_404(Team.objects.select_related("challenge", "lead", "brief"), pk=team_id)
    if not user.has_perm("inquirylab.view_brief_drafts", team):
        raise Http404
    return team


def brief_of(team: Team) -> Brief | None:
    try:
        return team.brief
    except Brief.DoesNotExist:
        return None


def brief_latest_version(brief: Brief | None) -> BriefVersion | None:
    if brief is None:
        return None
    return brief.versions.select_related("created_by").order_by("-number").first()


def brief_version_list(brief: Brief | None) -> QuerySet[BriefVersion]:
    """A brief's versions, newest first, with their authors (one query however many)."""
    if brief is None:
        return BriefVersion.objects.none()
    return brief.versions.select_related("created_by").order_by("-number")


def brief_version_get(team: Team, *, number: int) -> BriefVersion:
    brief = brief_of(team)
    if brief is None:
        raise Http404
    return get_object_or_404(
        BriefVersion.objects.select_related("created_by", "brief__team"),
        brief=brief,
        number=number,
    )


def brief_get_for_user(brief_id: int, *, user) -> Brief:
    """The brief if `user` may see it (see brief_rules.view_brief), else 404."""
    brief = get_object_or_404(
        Brief.objects.select_related("challenge", "team__lead", "submitted_version__created_by"),
        pk=brief_id,
    )
    if not user.has_perm("inquirylab.view_brief", brief):
        raise Http404
    return brief


def brief_attachments(brief: Brief | None) -> list[Attachment]:
    """The brief's attachments, oldest first (the order the team added them)."""
    if brief is None:
        return []
    return list(attachment_list_for(brief).order_by("created_at", "id"))


def brief_attachment_get_for_user(attachment_id: int, *, user) -> tuple[Attachment, Brief]:
    """A brief's attachment and its brief, if `user` may see it; 404 for any other file."""
    attachment = attachment_get_for_user(attachment_id, user=user)
    brief = attachment.owner
    if not isinstance(brief, Brief):
        raise Http404
    return attachment, brief


def briefs_submitted(challenge, *, order_by: tuple[str, ...] = ("id",)) -> QuerySet[Brief]:
    """The challenge's submitted briefs with what their pages show (for judging and results)."""
    return (
        Brief.objects.filter(challenge=challenge, submitted_version__isnull=False)
        .select_related("team", "submitted_version")
        .order_by(*order_by)
    )
