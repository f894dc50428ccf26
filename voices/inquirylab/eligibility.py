"""Who may take part in a challenge, and in kind words why not.

The rules: an age inside the challenge's range on its start date, a country of residence among the
allowed ones, and consent to the rules. The birth date (or year) is used for this check only and is
never stored: a registration keeps the outcome, not the date.

`check()` is pure (no database, no clock), so the boundaries are easy to test.
"""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django_countries import countries

TOO_YOUNG = "too_young"
TOO_OLD = "too_old"
# Only a year was given and some days of that year give an age inside the range, others not.
NEEDS_FULL_DATE = "needs_full_date"
COUNTRY_NOT_ALLOWED = "country_not_allowed"
NO_CONSENT = "no_consent"


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of life on `day`.

    Someone born on 29 February reaches their next age on 1 March in years without a 29 February
    (on 28 February they are still the younger age), as most European civil codes count it: the
    comparison below puts (2, 28) before (2, 29) and (3, 1) after it.
    """
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def ages_for_year(birth_year: int, day: datetime.date) -> tuple[int, int]:
    """The youngest and the oldest age on `day` of someone born in `birth_year`."""
    return age_on(datetime.date(birth_year, 12, 31), day), age_on(
        datetime.date(birth_year, 1, 1), day
    )


def _age_reason(youngest: int, oldest: int, challenge) -> str | None:
    """The age reason for an age known to be between `youngest` and `oldest`."""
    low, high = challenge.min_age, challenge.max_age
    if oldest < low:
        return TOO_YOUNG
    if youngest > high:
        return TOO_OLD
    if youngest < low or oldest > high:
        return NEEDS_FULL_DATE
    return None


def check(birth: datetime.date | int, country: str, consent: bool, challenge) -> list[str]:
    """Return the reasons (codes above) why this person may not take part; [] when they may.

    `birth` is a full date, or only a year: a year is enough where every day of it gives an age
    inside the range (or every day an age outside it); otherwise the reason is NEEDS_FULL_DATE.
    """
    reasons = []
    day = challenge.starts_on
    if isinstance(birth, datetime.date):
        age = age_on(birth, day)
        reason = _age_reason(age, age, challenge)
    else:
        reason = _age_reason(*ages_for_year(int(birth), day), challenge)
    if reason:
        reasons.append(reason)
    if not country or country.upper() not in {c.upper() for c in challenge.allowed_countries}:
        reasons.append(COUNTRY_NOT_ALLOWED)
    if not consent:
        reasons.append(NO_CONSENT)
    return reasons


def years_needing_full_date(challenge) -> list[int]:
    """The birth years for which the year alone cannot decide (at most two), oldest first."""
    day = challenge.starts_on
    candidates = (day.year - challenge.max_age - 1, day.year - challenge.min_age)
    return [
        year
        for year in candidates
        if _age_reason(*ages_for_year(year, day), challenge) == NEEDS_FULL_DATE
    ]


def start_date_text(challenge) -> str:
    return formats.date_format(challenge.starts_on, "DATE_FORMAT")


def age_rule_text(challenge) -> str:
    return _("This challenge is for people aged %(low)d to %(high)d on %(date)s.") % {
        "low": challenge.min_age,
        "high": challenge.max_age,
        "date": start_date_text(challenge),
    }


def explain(reasons: list[str], challenge) -> list[str]:
    """Each reason as a plain sentence for the person concerned."""
    sentences = []
    if TOO_YOUNG in reasons or TOO_OLD in reasons:
        sentences.append(age_rule_text(challenge))
    if NEEDS_FULL_DATE in reasons:
        sentences.append(
            _(
                "For people born in your year, the exact day decides whether they are inside "
                "the age range. Please give your full birth date. It is only used for this "
                "check and is not kept."
            )
        )
    if COUNTRY_NOT_ALLOWED in reasons:
        sentences.append(
            _("This challenge is for people who live in one of these countries: %(countries)s.")
            % {"countries": ", ".join(country_names(challenge.allowed_countries))}
        )
    if NO_CONSENT in reasons:
        sentences.append(_("To take part, please accept the rules of the challenge."))
    return sentences


def country_name(code: str) -> str:
    """A country's name in the active language (the code itself if it is unknown)."""
    return str(countries.name(code.upper())) or code


def country_names(codes: list[str]) -> list[str]:
    """Country names in the active language, sorted by name."""
    return sorted((country_name(code) for code in codes), key=str.casefold)
