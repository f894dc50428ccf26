"""Helpers for the challenge and registration tests (the factories are in factories.py)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from voices.inquirylab.models import Challenge

# A start date whose ages are easy to read: someone born on 1 March 2008 turns 19 on it.
START = datetime.date(2027, 3, 1)


def born(years_before: int, *, days: int = 0, start: datetime.date = START) -> datetime.date:
    """The birth date of someone who turns `years_before` on `start`, moved by `days`
    (days=1: born a day later, so the birthday is the day after the start)."""
    return start.replace(year=start.year - years_before) + datetime.timedelta(days=days)


def registration_input(**overrides) -> dict:
    """What a person gives when registering (eligible for the default challenge), as service
    keyword arguments."""
    data = {
        "birth": 2004,
        "country": "AT",
        "consent": True,
        "languages": ["en", "uk"],
        "skills": "Interviews, writing",
        "is_looking_for_team": True,
        "organisation": None,
    }
    data.update(overrides)
    return data


def form_data(challenge: Challenge, **overrides) -> dict:
    """The registration form as a browser posts it."""
    data = {
        "birth_year": "2004",
        "birth_date": "",
        "country": "AT",
        "languages": ["en"],
        "skills": "",
        "consent": "on",
        "is_looking_for_team": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def challenge_form_data(**overrides) -> dict:
    """The challenge form as a browser posts it: a valid new challenge."""
    data = {
        "slug": "youth-policy-2027",
        "title_en": "Youth and the city",
        "theme_en": "Housing for young newcomers",
        "brief_en": "Write a **policy brief** for your city.",
        "policy_questions_en": "How can a city help?",
        "resources_en": "See [the statistics](https://example.org/stats).",
        "languages": ["en", "uk"],
        "allowed_countries": ["AT", "IT"],
        "min_age": "19",
        "max_age": "26",
        "starts_on": "2027-03-01",
        "team_min": "2",
        "team_max": "5",
        "registration_at": "2027-01-10T09:00",
        "teams_at": "2027-02-01T09:00",
        "work_at": "2027-03-01T09:00",
        "deadline_at": "2027-04-15T18:00",
        "results_at": "2027-05-10T12:00",
        "has_public_vote": "on",
    }
    data.update(overrides)
    return data


def queries_of(client, address: str) -> int:
    """How many queries one GET of `address` runs."""
    with CaptureQueriesContext(connection) as context:
        client.get(address)
    return len(context.captured_queries)
