"""Permissions of the Inquiry Lab's judging, results, people's choice and certificates.

See rules.py for the shared predicates.

What the stage allows (judging, voting) is checked apart, by `stages.require`.
"""

import rules

from voices.accounts.rules import is_signed_in

from . import result_selectors
from .rules import is_published, runs_challenge


@rules.predicate
def has_verified_email(user) -> bool:
    """Confirmed an e-mail address: one people's-choice vote per real account, not per sign-up."""
    return bool(user and user.is_authenticated) and result_selectors.has_verified_email(user)


@rules.predicate
def results_are_published(user, challenge) -> bool:
    return challenge is not None and challenge.results_published_at is not None


@rules.predicate
def took_part(user, challenge) -> bool:
    """A confirmed participant whose team submitted a brief, an active mentor, or a judge."""
    if challenge is None or not (user and user.is_authenticated):
        return False
    return bool(result_selectors.certificate_roles(user, challenge))


# These two state facts about a person, so callers test them with `rules.may`, not `has_perm`:
# an administrator has no vote without a confirmed address, nor a certificate for a challenge
# they did not take part in.
may_vote = is_signed_in & has_verified_email & is_published
may_get_certificate = results_are_published & took_part

rules.add_perm("inquirylab.run_judging", runs_challenge)
rules.add_perm("inquirylab.publish_results", runs_challenge)
rules.add_perm("inquirylab.view_results", is_published | runs_challenge)
rules.add_perm("inquirylab.vote", may_vote)
rules.add_perm("inquirylab.get_certificate", may_get_certificate)
