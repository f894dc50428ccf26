"""Permission-matrix cases of the Inquiry Lab's mentors pages (see matrix.py).

None of the personas mentors `world.other_challenge` or takes part in it, and none of them runs
it but programme staff: its office hours, threads and profiles are closed to them.
"""

import datetime

from voices.accounts.tests.factories import UserFactory
from voices.core.tests.matrix import EVERYONE, NOBODY, PROGRAMME_STAFF, SIGNED_IN, Case
from voices.inquirylab.tests.factories_mentors import (
    OfficeHourFactory,
    QuestionFactory,
    booked,
    mentor_for,
)


def extend(world) -> None:
    """A mentor of the other challenge with a free and a booked office hour, and a question."""
    world.other_mentor = mentor_for(world.other_challenge, user=UserFactory())
    world.other_slot = OfficeHourFactory(mentor=world.other_mentor)
    world.other_booked_slot = booked(
        OfficeHourFactory(
            mentor=world.other_mentor,
            starts_at=world.other_slot.starts_at + datetime.timedelta(hours=2),
        ),
        world.other_team,
    )
    world.other_question = QuestionFactory(challenge=world.other_challenge, author=world.someone)


def _slug(w) -> dict:
    return {"slug": w.other_challenge.slug}


def _question(w) -> dict:
    return {"question_id": w.other_question.pk}


def _team(w) -> dict:
    return {"team_id": w.other_team.pk}


CASES = [
    Case("inquirylab:mentors", EVERYONE, kwargs=_slug),
    Case(
        "inquirylab:mentor_add",
        PROGRAMME_STAFF,
        kwargs=_slug,
        reason="those who run the challenge: programme staff and the organiser's people",
    ),
    Case(
        "inquirylab:mentor_toggle",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"mentor_id": w.other_mentor.pk},
        method="post",
        data=lambda w: {"active": "0"},
    ),
    Case(
        "inquirylab:mentor_profile",
        NOBODY,
        kwargs=_slug,
        reason="a mentor edits only their own profile; none of the personas mentors it",
    ),
    Case(
        "inquirylab:office_hours",
        NOBODY,
        kwargs=_slug,
        reason="a mentor's own slots; none of the personas mentors it",
    ),
    Case(
        "inquirylab:office_hour_book",
        NOBODY,
        kwargs=lambda w: {"slot_id": w.other_slot.pk},
        method="post",
        data=lambda w: {"topic": "Our evidence"},
        reason="confirmed participants in a team of the challenge; none of the personas is one",
    ),
    Case(
        "inquirylab:office_hour_cancel",
        NOBODY,
        kwargs=lambda w: {"slot_id": w.other_booked_slot.pk},
        method="post",
        reason="only a member of the booking team cancels its booking",
    ),
    Case(
        "inquirylab:office_hour_delete",
        NOBODY,
        kwargs=lambda w: {"slot_id": w.other_slot.pk},
        method="post",
        reason="only the slot's mentor removes it",
    ),
    Case(
        "inquirylab:team_thread",
        PROGRAMME_STAFF,
        kwargs=_team,
        reason="the team and the mentors; those who run the challenge read it",
    ),
    Case(
        "inquirylab:thread_post",
        NOBODY,
        kwargs=_team,
        method="post",
        data=lambda w: {"body": "Hello"},
        reason="only the team and the challenge's mentors write; organisers only read",
    ),
    Case("inquirylab:questions", EVERYONE, kwargs=_slug),
    Case(
        "inquirylab:question_ask",
        SIGNED_IN,
        kwargs=_slug,
        method="post",
        data=lambda w: {"body": "May a brief address a region?"},
    ),
    Case(
        "inquirylab:question_answer",
        PROGRAMME_STAFF,
        kwargs=_question,
        reason="the challenge's mentors and those who run it",
    ),
    Case(
        "inquirylab:question_hide",
        PROGRAMME_STAFF,
        kwargs=_question,
        method="post",
        data=lambda w: {"hidden": "1"},
    ),
]
