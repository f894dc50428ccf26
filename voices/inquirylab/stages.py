"""What a challenge's stage allows, checked by every service with a sentence people understand."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Action, Challenge, Stage


def refusal(challenge: Challenge, action: str, *, at: datetime.datetime | None = None) -> str:
    """Why `action` is not possible now, in words; "" when it is."""
    at = at or timezone.now()
    if challenge.allows(action, at=at):
        return ""
    if not challenge.is_published:
        return _("This challenge is not published yet.")
    stage = challenge.stage_at(at)
    if stage == Stage.UPCOMING:
        return _("This challenge has not started yet.")
    messages = {
        Action.REGISTER: _("Registration for this challenge is closed."),
        Action.FORM_TEAMS: _("Teams can be formed only during the team formation stage."),
        Action.CHANGE_TEAM: _("Teams can no longer change: the submission deadline has passed."),
        Action.GET_HELP: _("The mentors' help ends at the submission deadline."),
        Action.WRITE_BRIEF: _("Briefs can be written only while the work stage is open."),
        Action.JUDGE: _("Judging is not open now."),
        Action.VOTE: _("The people's choice vote is open only during judging."),
    }
    return messages.get(action, _("This is not possible at this stage of the challenge."))


def require(challenge: Challenge, action: str, *, at: datetime.datetime | None = None) -> None:
    """Raise ValidationError (code "stage") unless the stage allows `action`."""
    reason = refusal(challenge, action, at=at)
    if reason:
        raise ValidationError(reason, code="stage")
