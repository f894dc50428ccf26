"""Who may take part in a consultation, and in words the person understands why not.

Rules per consultation: anyone with an account, people who live in its area, or members of a
council; plus an optional age range. People without an account take part only where the owner
allows it, and their contributions are marked unverified. Age comes from the birth year (the only
date of birth Voices keeps): the age a person reaches this calendar year.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from voices.core import moderation
from voices.councils.selectors import membership_current

from .models import Action, Consultation, Participant, Phase


def age_this_year(birth_year: int, *, on: datetime.date) -> int:
    return on.year - birth_year


def needs_residence_declaration(consultation: Consultation) -> bool:
    """Only the country of residence is on the profile; a region or town is declared per
    consultation instead of being stored for good."""
    return consultation.eligibility == Consultation.Eligibility.RESIDENTS and bool(
        consultation.region_id or consultation.municipality_id
    )


def phase_refusal(consultation: Consultation, action: str, *, at: datetime.datetime) -> str | None:
    if consultation.allows(action, at=at):
        return None
    phase = consultation.phase_at(at)
    if phase in (Phase.UPCOMING, Phase.INFORMATION):
        return _("This consultation does not take contributions yet.")
    if phase == Phase.DELIBERATION and action == Action.PROPOSE:
        return _("New proposals are closed. You can still comment and support proposals.")
    return _("This consultation no longer takes contributions.")


def refusal(
    user, consultation: Consultation, *, participant: Participant | None = None
) -> str | None:
    """Return why `user` may not take part (None when they may)."""
    if not (user and user.is_authenticated):
        if consultation.allows_anonymous and not consultation.has_person_rules:
            return None
        return _("Please sign in to take part.")
    if moderation.is_blocked(user, consultation):
        return _("A moderator has blocked you from taking part in this consultation.")
    rule = consultation.eligibility
    if rule == Consultation.Eligibility.COUNCIL_MEMBERS:
        if membership_current(user=user, council=consultation.eligible_council) is None:
            return _("Only members of %(council)s take part in this consultation.") % {
                "council": consultation.eligible_council
            }
    elif rule == Consultation.Eligibility.RESIDENTS:
        country = consultation.country.code
        if str(user.country or "") != str(country):
            return _(
                "Only people who live in %(place)s take part. If you live there, set your "
                "country of residence in your profile."
            ) % {"place": consultation.territory}
        if needs_residence_declaration(consultation) and not (
            participant is not None and participant.declared_resident
        ):
            return _("Please confirm that you live in %(place)s.") % {
                "place": consultation.territory
            }
    if consultation.has_age_rule:
        if not user.birth_year:
            return _("Please give your birth year: this consultation has an age range.")
        age = age_this_year(user.birth_year, on=timezone.localdate())
        low, high = consultation.min_age, consultation.max_age
        if (low is not None and age < low) or (high is not None and age > high):
            return age_range_text(consultation)
    return None


def age_range_text(consultation: Consultation) -> str:
    low, high = consultation.min_age, consultation.max_age
    if low is not None and high is not None:
        return _("This consultation is for people aged %(low)d to %(high)d.") % {
            "low": low, "high": high
        }  # fmt: skip
    if low is not None:
        return _("This consultation is for people aged %(low)d or older.") % {"low": low}
    return _("This consultation is for people aged %(high)d or younger.") % {"high": high}


def fixable_by_form(user, consultation: Consultation) -> bool:
    """True when the refusal is one the participation form can fix (birth year, residence)."""
    if not (user and user.is_authenticated):
        return False
    missing_year = (consultation.has_age_rule) and not user.birth_year
    return missing_year or needs_residence_declaration(consultation)
