import rules

from voices.accounts.models import Role
from voices.accounts.rules import is_programme_staff, is_signed_in
from voices.councils.rules import is_council_facilitator, is_current_member
from voices.directory.rules import is_officer_of


@rules.predicate
def is_public(user, recommendation) -> bool:
    return recommendation is not None and recommendation.is_public


@rules.predicate
def runs_its_council(user, recommendation) -> bool:
    return recommendation is not None and is_council_facilitator(user, recommendation.council)


@rules.predicate
def sits_on_its_council(user, recommendation) -> bool:
    return recommendation is not None and is_current_member(user, recommendation.council)


@rules.predicate
def answers_for_addressee(user, addressee) -> bool:
    """An officer of the authority this track belongs to."""
    return addressee is not None and is_officer_of(user, addressee.organisation)


@rules.predicate
def is_any_officer(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.OFFICER))


can_manage = is_programme_staff | runs_its_council

# Who may add a recommendation to a council (the object is the council).
rules.add_perm("recommendations.add_recommendation", is_programme_staff | is_council_facilitator)
rules.add_perm("recommendations.view_recommendation", is_public | can_manage | sits_on_its_council)
rules.add_perm("recommendations.change_recommendation", can_manage)
# The object is a council: who sees its drafts and recommendations not sent yet.
rules.add_perm(
    "recommendations.view_council_drafts",
    is_programme_staff | is_council_facilitator | is_current_member,
)
rules.add_perm("recommendations.send_recommendation", can_manage)
rules.add_perm("recommendations.withdraw_recommendation", can_manage)
rules.add_perm("recommendations.follow_recommendation", is_signed_in & is_public)
# The object is an Addressee: the authority's own track.
rules.add_perm("recommendations.answer_recommendation", answers_for_addressee)
rules.add_perm("recommendations.view_inbox", is_any_officer)
rules.add_perm(
    "recommendations.view_recommendation_document", is_public | can_manage | sits_on_its_council
)
rules.add_perm("recommendations.add_recommendation_document", can_manage)
rules.add_perm("recommendations.delete_recommendation_document", can_manage)
