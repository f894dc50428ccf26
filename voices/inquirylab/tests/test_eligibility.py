"""The eligibility check at its boundaries: ages on the start date, years alone, countries and
consent. `check()` is pure, so a plain object stands in for the challenge."""

import datetime
from types import SimpleNamespace

import pytest

from voices.inquirylab import eligibility
from voices.inquirylab.eligibility import (
    COUNTRY_NOT_ALLOWED,
    NEEDS_FULL_DATE,
    NO_CONSENT,
    TOO_OLD,
    TOO_YOUNG,
    age_on,
    check,
)
from voices.inquirylab.tests.factories_challenges import START, born


def lab(**overrides):
    values = {"starts_on": START, "min_age": 19, "max_age": 26, "allowed_countries": ["AT", "IT"]}
    values.update(overrides)
    return SimpleNamespace(**values)


def test_someone_is_refused_the_day_before_their_19th_birthday():
    assert check(born(19, days=1), "AT", True, lab()) == [TOO_YOUNG]


def test_someone_is_accepted_on_their_19th_birthday():
    assert check(born(19), "AT", True, lab()) == []


def test_someone_is_accepted_the_day_before_their_27th_birthday_because_they_are_still_26():
    assert age_on(born(27, days=1), START) == 26
    assert check(born(27, days=1), "AT", True, lab()) == []


def test_someone_is_refused_on_their_27th_birthday():
    assert check(born(27), "AT", True, lab()) == [TOO_OLD]


def test_someone_born_on_29_february_turns_a_year_older_on_1_march_in_other_years():
    leapling = datetime.date(2004, 2, 29)

    assert age_on(leapling, datetime.date(2023, 2, 28)) == 18
    assert age_on(leapling, datetime.date(2023, 3, 1)) == 19
    assert age_on(leapling, datetime.date(2024, 2, 28)) == 19
    assert age_on(leapling, datetime.date(2024, 2, 29)) == 20


def test_a_challenge_starting_on_28_february_counts_someone_born_on_29_february_younger():
    challenge = lab(starts_on=datetime.date(2023, 2, 28))

    assert check(datetime.date(2004, 2, 29), "AT", True, challenge) == [TOO_YOUNG]
    assert (
        check(datetime.date(2004, 2, 29), "AT", True, lab(starts_on=datetime.date(2023, 3, 1)))
        == []
    )


@pytest.mark.parametrize(
    ("year", "reasons"),
    [
        (2009, [TOO_YOUNG]),  # at most 18 on 1 March 2027
        (2008, [NEEDS_FULL_DATE]),  # 18 or 19: the day decides
        (2007, []),  # 19 or 20
        (2001, []),  # 25 or 26
        (2000, [NEEDS_FULL_DATE]),  # 26 or 27
        (1999, [TOO_OLD]),
    ],
)
def test_a_birth_year_alone_decides_only_when_every_day_of_it_gives_the_same_answer(year, reasons):
    assert check(year, "AT", True, lab()) == reasons


def test_a_year_decides_alone_when_the_start_date_is_the_last_day_of_the_year():
    challenge = lab(starts_on=datetime.date(2027, 12, 31))

    assert check(2008, "AT", True, challenge) == []
    assert check(2000, "AT", True, challenge) == [TOO_OLD]
    assert eligibility.years_needing_full_date(challenge) == []


def test_the_years_needing_a_full_date_are_the_two_at_the_edges_of_the_range():
    assert eligibility.years_needing_full_date(lab()) == [2000, 2008]


def test_a_country_not_allowed_and_missing_consent_are_reasons_too():
    assert check(2004, "DE", True, lab()) == [COUNTRY_NOT_ALLOWED]
    assert check(2004, "", True, lab()) == [COUNTRY_NOT_ALLOWED]
    assert check(2004, "it", True, lab()) == []
    assert check(2004, "AT", False, lab()) == [NO_CONSENT]
    assert check(2012, "DE", False, lab()) == [TOO_YOUNG, COUNTRY_NOT_ALLOWED, NO_CONSENT]


def test_the_reasons_are_explained_in_plain_sentences():
    sentences = eligibility.explain([TOO_OLD, COUNTRY_NOT_ALLOWED], lab())

    assert sentences == [
        "This challenge is for people aged 19 to 26 on March 1, 2027.",
        "This challenge is for people who live in one of these countries: Austria, Italy.",
    ]
