"""Writes for the policy briefs: drafts saved as numbered versions, attachments, submission.

Each save keeps a new version (when something changed), so nothing a team wrote is lost and any
earlier version can be restored. The deadline is checked here, in UTC, at the moment of the
request; the refusal shows it in the viewer's own time zone.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voices.core.models import Attachment
from voices.core.names import public_name
from voices.core.notifications import notification_send
from voices.core.selectors import attachment_list_for
from voices.core.uploads import attachment_create, attachment_delete

from . import stages
from .brief_models import Brief, BriefVersion
from .models import Action, Challenge, Registration, Team

# What a team may attach: documents and pictures, recognised by their content.
BRIEF_ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "image/png": "png",
    "image/jpeg": "jpg",
}
MAX_ATTACHMENTS = 5

# The fixed structure, in reading order; a version is "changed" when any of these differ.
SECTION_FIELDS = (
    "title", "problem", "affected", "proposal", "evidence", "sources", "institution",
    "feasibility", "steps", "summary", "summary_language", "second_summary",
    "second_summary_language", "video_url",
)  # fmt: skip
# What must be written before a version can be submitted (the video link is optional).
REQUIRED_SECTIONS = {
    "title": gettext_lazy("the title"),
    "problem": gettext_lazy("the problem"),
    "affected": gettext_lazy("who is affected"),
    "proposal": gettext_lazy("the proposal"),
    "evidence": gettext_lazy("the evidence"),
    "sources": gettext_lazy("at least one source"),
    "institution": gettext_lazy("the institution addressed"),
    "feasibility": gettext_lazy("feasibility and cost"),
    "steps": gettext_lazy("the next steps"),
    "summary": gettext_lazy("the summary"),
    "second_summary": gettext_lazy("the summary in a second language"),
}
_SOURCE_URL = URLValidator(schemes=["http", "https"])


def _check(actor, perm: str, obj) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(perm, obj)):
        raise PermissionDenied


def when_text(moment: datetime.datetime) -> str:
    """A moment in the current (the viewer's) time zone, with the zone's name."""
    local = timezone.localtime(moment)
    return _("%(day)s, %(time)s (%(zone)s time)") % {
        "day": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "H:i"),
        "zone": timezone.get_current_timezone_name(),
    }


def deadline_refusal(challenge: Challenge) -> str:
    return _("The deadline was %(deadline)s. Late briefs cannot be accepted.") % {
        "deadline": when_text(challenge.deadline_at)
    }


def source_errors(sources: str) -> list[str]:
    """Lines that look like a web address but are not a valid one."""
    errors = []
    for number, line in enumerate(sources.splitlines(), start=1):
        line = line.strip()
        if line.lower().startswith(("http://", "https://", "www.")):
            try:
                _SOURCE_URL(line)
            except ValidationError:
                errors.append(
                    _("Line %(number)s looks like a web address but is not a valid one.")
                    % {"number": number}
                )
    return errors


def missing_sections(version: BriefVersion | None) -> list[str]:
    """The required sections still empty in `version`, in words."""
    if version is None:
        return [str(label) for label in REQUIRED_SECTIONS.values()]
    missing = []
    for field, label in REQUIRED_SECTIONS.items():
        value = version.source_lines if field == "sources" else getattr(version, field).strip()
        if not value:
            missing.append(str(label))
    return missing


def _unconfirmed_members(team: Team) -> list[str]:
    confirmed = Registration.objects.filter(
        challenge_id=team.challenge_id, status=Registration.Status.CONFIRMED
    ).values("user_id")
    waiting = team.members.exclude(user_id__in=confirmed).select_related("user")
    return [public_name(member.user) for member in waiting]


def _may_write(*, actor, team: Team, at: datetime.datetime) -> None:
    _check(actor, "inquirylab.write_brief", team)
    # Checked apart from the permission, which an administrator has for everything: only the
    # team's own members write its brief.
    if not team.members.filter(user=actor).exists():
        raise PermissionDenied
    stages.require(team.challenge, Action.WRITE_BRIEF, at=at)
    waiting = _unconfirmed_members(team)
    if waiting:
        raise ValidationError(
            _(
                "The organisers have not confirmed every member's registration yet (waiting: "
                "%(names)s). The team can write its brief once they have."
            )
            % {"names": ", ".join(waiting)},
            code="unconfirmed",
        )


def _locked_brief(team: Team, *, create: bool = False) -> Brief | None:
    """The team's brief, locked so that two teammates saving at once get consecutive numbers;
    created with the first save when `create`."""
    brief = Brief.objects.select_for_update(of=("self",)).filter(team=team).first()
    if brief is None and create:
        try:
            with transaction.atomic():
                brief = Brief.objects.create(team=team, challenge_id=team.challenge_id)
        except IntegrityError:
            # A teammate's first save created it a moment ago.
            brief = Brief.objects.select_for_update(of=("self",)).get(team=team)
    return brief


def _latest(brief: Brief | None) -> BriefVersion | None:
    if brief is None:
        return None
    return brief.versions.order_by("-number").first()


def _clean_sections(sections: dict) -> dict:
    unknown = set(sections) - set(SECTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown brief sections: {sorted(unknown)}")
    return {
        field: (sections.get(field) or "").strip()
        if field not in ("summary_language", "second_summary_language")
        else sections.get(field) or ""
        for field in SECTION_FIELDS
    }


def _add_version(*, brief: Brief, actor, values: dict) -> BriefVersion:
    number = (brief.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = BriefVersion(brief=brief, number=number, created_by=actor, **values)
    version.full_clean()
    errors: dict[str, list[str]] = {}
    broken_sources = source_errors(version.sources)
    if broken_sources:
        errors["sources"] = broken_sources
    site_languages = dict(settings.LANGUAGES)
    for field in ("summary_language", "second_summary_language"):
        if getattr(version, field) not in site_languages:
            errors[field] = [_("Choose one of the site's languages.")]
    if errors:
        raise ValidationError(errors)
    version.save()
    return version


@transaction.atomic
def brief_save(
    *, actor, team: Team, based_on: int | None = None, **sections: str
) -> tuple[BriefVersion, bool]:
    """Save the team's draft as a new version when something changed; return it and whether it is
    new. `based_on` is the version the writer started from: if a teammate saved a newer one in
    the meantime, refuse rather than silently overwrite their work."""
    now = timezone.now()
    _may_write(actor=actor, team=team, at=now)
    values = _clean_sections(sections)
    brief = _locked_brief(team, create=True)
    latest = _latest(brief)
    if latest is not None:
        if based_on is not None and based_on != latest.number:
            raise ValidationError(
                _(
                    "%(name)s saved version %(number)s while you were editing. Your text is kept "
                    "below: compare it with version %(number)s, then save again to keep yours."
                )
                % {"name": public_name(latest.created_by), "number": latest.number},
                code="stale",
            )
        if all(getattr(latest, field) == value for field, value in values.items()):
            return latest, False
    return _add_version(brief=brief, actor=actor, values=values), True


@transaction.atomic
def brief_version_restore(*, actor, team: Team, number: int) -> tuple[BriefVersion, bool]:
    """Save an earlier version again as the newest one (undo); nothing is deleted."""
    _may_write(actor=actor, team=team, at=timezone.now())
    brief = _locked_brief(team)
    old = brief.versions.filter(number=number).first() if brief else None
    if old is None:
        raise ValidationError(_("This version does not exist."), code="no_version")
    latest = _latest(brief)
    values = {field: getattr(old, field) for field in SECTION_FIELDS}
    if latest is not None and all(getattr(latest, f) == v for f, v in values.items()):
        return latest, False
    return _add_version(brief=brief, actor=actor, values=values), True


@transaction.atomic
def brief_submit(*, actor, team: Team) -> Brief:
    """Submit the team's latest version for judging (again, to replace an earlier submission)."""
    # One moment for every check: the deadline is enforced at the moment of the request.
    now = timezone.now()
    _check(actor, "inquirylab.submit_brief", team)
    if team.lead_id != actor.pk:
        raise PermissionDenied
    challenge = team.challenge
    if now >= challenge.deadline_at:
        raise ValidationError(deadline_refusal(challenge), code="deadline")
    _may_write(actor=actor, team=team, at=now)
    brief = _locked_brief(team)
    version = _latest(brief)
    if brief is None or version is None:
        raise ValidationError(_("Save a draft of the brief before submitting it."), code="empty")
    missing = missing_sections(version)
    if missing:
        raise ValidationError(
            _("Version %(number)s cannot be submitted yet. Still to write: %(sections)s.")
            % {"number": version.number, "sections": ", ".join(missing)},
            code="incomplete",
        )
    size = team.members.count()
    if not challenge.team_min <= size <= challenge.team_max:
        raise ValidationError(
            _(
                "A team must have between %(min)s and %(max)s members to submit a brief. "
                "Yours has %(size)s."
            )
            % {"min": challenge.team_min, "max": challenge.team_max, "size": size},
            code="team_size",
        )
    if brief.submitted_version_id == version.pk:
        raise ValidationError(
            _("Version %(number)s is already submitted.") % {"number": version.number},
            code="already_submitted",
        )
    brief.submitted_version = version
    brief.submitted_at = now
    brief.save(update_fields=["submitted_version", "submitted_at"])
    _tell_the_team(brief=brief, version=version, actor=actor)
    return brief


def _tell_the_team(*, brief: Brief, version: BriefVersion, actor) -> None:
    """Every other member learns what was submitted: it is their brief too."""
    members = brief.team.members.exclude(user=actor).select_related("user")
    for member in members:
        notification_send(
            recipient=member.user,
            kind="lab_brief_submitted",
            template="inquirylab/brief_submitted_notice",
            context={"brief": brief, "version": version, "team": brief.team, "who": actor},
            url=brief.get_absolute_url(),
        )


@transaction.atomic
def brief_attachment_add(*, actor, team: Team, upload: UploadedFile) -> Attachment:
    """Attach a checked document or picture to the team's brief (at most five)."""
    _may_write(actor=actor, team=team, at=timezone.now())
    brief = _locked_brief(team)
    if brief is None:
        raise ValidationError(
            _("Save a first draft of the brief, then add attachments."), code="no_brief"
        )
    if attachment_list_for(brief).count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("A brief can have at most %(count)s attachments. Remove one to add another.")
            % {"count": MAX_ATTACHMENTS},
            code="too_many_files",
        )
    return attachment_create(
        owner=brief, upload=upload, uploaded_by=actor, allowed=BRIEF_ATTACHMENT_TYPES
    )


@transaction.atomic
def brief_attachment_remove(*, actor, brief: Brief, attachment: Attachment) -> None:
    """Remove an attachment from the team's brief."""
    if attachment.content_type.model_class() is not Brief or attachment.object_id != str(brief.pk):
        raise PermissionDenied
    _may_write(actor=actor, team=brief.team, at=timezone.now())
    attachment_delete(attachment=attachment)


def upload_limit_text() -> str:
    """The accepted kinds and size of attachments, in words, for the help text."""
    return _("PDF, DOCX, ODT, PNG or JPG; up to %(size)s each; at most %(count)s files.") % {
        "size": filesizeformat(settings.UPLOAD_MAX_BYTES),
        "count": MAX_ATTACHMENTS,
    }
