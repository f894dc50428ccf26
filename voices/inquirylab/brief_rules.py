"""Permissions of the Inquiry Lab's brief pages (see rules.py).

Team permissions take the team; the brief's take the brief. What the stage allows (writing only
in the work stage, nothing after the deadline) is checked apart by the services.
"""

import rules

from voices.assessments.selectors import is_reviewer_of

from .rules import in_team, leads_team, mentors, mentors_team, runs_challenge


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def confirmed_in_team(user, team) -> bool:
    """A member of the team whose own registration the organisers confirmed."""
    if team is None or not _signed_in(user):
        return False
    return (
        team.members.filter(user=user).exists()
        and team.challenge.registrations.filter(user=user, status="confirmed").exists()
    )


@rules.predicate
def in_brief_team(user, brief) -> bool:
    return brief is not None and in_team(user, brief.team)


@rules.predicate
def mentors_brief(user, brief) -> bool:
    return brief is not None and mentors(user, brief.challenge)


@rules.predicate
def runs_brief_challenge(user, brief) -> bool:
    return brief is not None and runs_challenge(user, brief.challenge)


@rules.predicate
def is_published_brief(user, brief) -> bool:
    """Submitted, and the challenge's results are out: published briefs are public."""
    if brief is None or brief.submitted_version_id is None:
        return False
    challenge = brief.challenge
    return challenge.is_published and challenge.results_published_at is not None


@rules.predicate
def reviews_brief(user, brief) -> bool:
    """Assigned to review the brief in a round of the assessment engine (a judge)."""
    if brief is None or not _signed_in(user):
        return False
    return is_reviewer_of(user, brief)


# The team writes; only the lead submits (one person answers for what is judged).
rules.add_perm("inquirylab.write_brief", confirmed_in_team)
rules.add_perm("inquirylab.submit_brief", leads_team & confirmed_in_team)
# Drafts and their history: the team, and the mentors who help it write.
rules.add_perm("inquirylab.view_brief_drafts", in_team | mentors_team)
# The submitted brief: the team, the mentors, those who run the challenge; everyone once the
# results are published. Judges read it through the judging pages (blind mode hides the team).
view_brief = in_brief_team | mentors_brief | runs_brief_challenge | is_published_brief
rules.add_perm("inquirylab.view_brief", view_brief)
# Attachments (core's generic documents) follow the brief; judges need them to judge.
rules.add_perm("inquirylab.view_brief_document", view_brief | reviews_brief)
# Added and removed only through the brief's own pages, which check the stage, the team and the
# limit of files; core's generic document pages must not bypass that.
rules.add_perm("inquirylab.add_brief_document", rules.always_deny)
rules.add_perm("inquirylab.delete_brief_document", rules.always_deny)
