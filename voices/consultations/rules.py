"""Who may do what with consultations: one predicate per action (ARCHITECTURE: Permissions).

Taking part also depends on the phase and on the consultation's eligibility rule; those are
checked by `eligibility.refusal`, which says why in words a participant understands.
"""

import rules

from voices.accounts.models import Role
from voices.accounts.rules import is_programme_staff, is_signed_in
from voices.councils.rules import is_council_facilitator
from voices.directory.rules import is_officer_of


@rules.predicate
def is_published(user, consultation) -> bool:
    return consultation is not None and consultation.is_published


@rules.predicate
def runs_consultation(user, consultation) -> bool:
    """Acts for its owner: an officer of the asking authority, a facilitator of the asking
    council, or programme staff."""
    if consultation is None or not (user and user.is_authenticated):
        return False
    if consultation.owner_organisation_id:
        return is_officer_of(user, consultation.owner_organisation)
    return bool(is_council_facilitator(user, consultation.owner_council))


@rules.predicate
def may_open_consultations(user) -> bool:
    """Officers and facilitators open consultations for their own authority or council."""
    return bool(
        user and user.is_authenticated
        and (user.has_role(Role.OFFICER) or user.has_role(Role.FACILITATOR))
    )  # fmt: skip


@rules.predicate
def proposal_is_public(user, proposal) -> bool:
    return proposal is not None and proposal.consultation.is_published and proposal.is_visible


@rules.predicate
def runs_proposal_consultation(user, proposal) -> bool:
    return proposal is not None and runs_consultation(user, proposal.consultation)


@rules.predicate
def wrote_proposal(user, proposal) -> bool:
    return bool(
        proposal is not None and user and user.is_authenticated and proposal.author_id == user.pk
    )


can_run = is_programme_staff | runs_consultation

rules.add_perm("consultations.add_consultation", is_programme_staff | may_open_consultations)
rules.add_perm("consultations.view_consultation", is_published | can_run)
rules.add_perm("consultations.change_consultation", can_run)
rules.add_perm("consultations.moderate_consultation", can_run)
rules.add_perm("consultations.answer_proposals", can_run)
rules.add_perm("consultations.export_consultation", is_published | can_run)
rules.add_perm("consultations.report_content", is_signed_in)
rules.add_perm(
    "consultations.view_proposal",
    proposal_is_public | wrote_proposal | is_programme_staff | runs_proposal_consultation,
)
# Proposal documents (its image and attachment) follow the proposal itself.
rules.add_perm(
    "consultations.view_proposal_document",
    proposal_is_public | wrote_proposal | is_programme_staff | runs_proposal_consultation,
)
rules.add_perm("consultations.add_proposal_document", rules.always_deny)
rules.add_perm("consultations.delete_proposal_document", rules.always_deny)
