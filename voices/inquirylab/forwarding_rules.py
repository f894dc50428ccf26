"""Permissions of the Inquiry Lab's forwarding pages (see rules.py).

Forwarding a winning brief is the challenge's business (those who run it); what a council does
with it is the council's (whoever may propose motions there, as councils' rules say).
"""

import rules

from voices.councils.rules import is_council_staff, is_current_member

from .rules import is_published, runs_challenge


@rules.predicate
def has_published_results(user, challenge) -> bool:
    return challenge is not None and challenge.results_published_at is not None


@rules.predicate
def runs_forwarding_challenge(user, forwarding) -> bool:
    return forwarding is not None and runs_challenge(user, forwarding.brief.challenge)


@rules.predicate
def proposes_in_forwarding_council(user, forwarding) -> bool:
    """May propose motions in the council the brief was sent to (councils decides who)."""
    if forwarding is None or not (user and user.is_authenticated):
        return False
    return user.has_perm("councils.propose_motions", forwarding.council)


# On a challenge: send its winning briefs to councils.
rules.add_perm("inquirylab.forward_brief", runs_challenge)
# On a forwarding: take it back while the council has not acted on it.
rules.add_perm("inquirylab.withdraw_forwarding", runs_forwarding_challenge)
# On a challenge: what became of its forwarded briefs (public with the results).
rules.add_perm("inquirylab.view_forwarded", (is_published & has_published_results) | runs_challenge)
# On a council: the briefs sent to it, for its members and the people who run it.
rules.add_perm("inquirylab.view_council_briefs", is_council_staff | is_current_member)
# On a forwarding: say the council has it, or draft a motion from it.
rules.add_perm("inquirylab.acknowledge_forwarding", proposes_in_forwarding_council)
rules.add_perm("inquirylab.draft_motion_from_forwarding", proposes_in_forwarding_council)
