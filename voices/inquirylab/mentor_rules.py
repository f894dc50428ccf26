"""Permissions of the Inquiry Lab's mentor pages (see rules.py).

Mentors, office hours, the private team threads and the public Q&A board. The stage (help ends
at the submission deadline) is checked apart by `stages.require`, which says why in words.
"""

import rules

from voices.accounts.rules import is_signed_in

from .rules import (
    in_team,
    is_confirmed,
    is_published,
    mentors,
    mentors_team,
    runs_challenge,
    runs_team_challenge,
)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_own_mentor_profile(user, mentor) -> bool:
    return mentor is not None and _signed_in(user) and mentor.user_id == user.pk


@rules.predicate
def runs_mentor_challenge(user, mentor) -> bool:
    return mentor is not None and runs_challenge(user, mentor.challenge)


@rules.predicate
def has_team(user, challenge) -> bool:
    if challenge is None or not _signed_in(user):
        return False
    return challenge.teams.filter(members__user=user).exists()


@rules.predicate
def owns_slot(user, slot) -> bool:
    return slot is not None and _signed_in(user) and slot.mentor.user_id == user.pk


@rules.predicate
def in_booking_team(user, slot) -> bool:
    if slot is None or slot.team_id is None or not _signed_in(user):
        return False
    return slot.team.members.filter(user=user).exists()


# Mentors: the people who run the challenge choose them; each mentor writes their own profile.
rules.add_perm("inquirylab.view_mentors", is_published | runs_challenge)
rules.add_perm("inquirylab.manage_mentors", runs_challenge)
rules.add_perm("inquirylab.change_mentor", runs_mentor_challenge)
rules.add_perm("inquirylab.change_mentor_profile", is_own_mentor_profile)

# Office hours: active mentors publish slots; confirmed participants in a team book them.
rules.add_perm("inquirylab.publish_office_hours", mentors)
rules.add_perm("inquirylab.change_office_hour", owns_slot)
rules.add_perm("inquirylab.book_office_hour", is_confirmed & has_team)
rules.add_perm("inquirylab.cancel_office_hour_booking", in_booking_team)

# The private thread: the team and the mentors write; the organisers may read it.
rules.add_perm("inquirylab.view_team_thread", in_team | mentors_team | runs_team_challenge)
rules.add_perm("inquirylab.post_team_message", in_team | mentors_team)

# The public Q&A board.
rules.add_perm("inquirylab.view_questions", is_published | runs_challenge)
rules.add_perm("inquirylab.ask_question", is_signed_in & (is_published | runs_challenge))
rules.add_perm("inquirylab.answer_question", mentors | runs_challenge)
rules.add_perm("inquirylab.hide_question", runs_challenge)
