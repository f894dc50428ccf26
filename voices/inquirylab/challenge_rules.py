"""Permissions of the Inquiry Lab's challenge pages (see rules.py).

What the stage allows (registering, withdrawing) is checked apart by `stages.require`; these say
who may act at all.
"""

import rules

from voices.accounts.rules import is_signed_in

from .rules import is_published, runs_challenge


@rules.predicate
def owns_registration(user, registration) -> bool:
    return bool(
        registration is not None
        and user
        and user.is_authenticated
        and registration.user_id == user.pk
    )


rules.add_perm("inquirylab.register", is_signed_in & is_published)
rules.add_perm("inquirylab.withdraw_registration", owns_registration)
rules.add_perm("inquirylab.review_registrations", runs_challenge)
rules.add_perm("inquirylab.publish_challenge", runs_challenge)
