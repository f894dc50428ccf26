import rules

from voices.accounts.rules import is_programme_staff

from .meeting_selectors import OFFICER_ROLES
from .models import Membership
from .rules import is_council_facilitator, is_current_member
from .selectors import membership_current


def _has_office(*roles):
    @rules.predicate
    def predicate(user, council) -> bool:
        if not (user and user.is_authenticated and council is not None):
            return False
        membership = membership_current(user=user, council=council)
        return membership is not None and membership.role in roles

    return predicate


is_council_officer = _has_office(*OFFICER_ROLES)
is_secretary_or_chair = _has_office(Membership.Role.SECRETARY, Membership.Role.CHAIR)

rules.add_perm(
    "councils.manage_meetings", is_programme_staff | is_council_facilitator | is_council_officer
)
rules.add_perm(
    "councils.record_attendance",
    is_programme_staff | is_council_facilitator | is_secretary_or_chair,
)
rules.add_perm("councils.respond_to_meeting", is_current_member)
rules.add_perm(
    "councils.see_meeting_link", is_programme_staff | is_council_facilitator | is_current_member
)

# Formal decisions: the secretary and the chair run them (with the facilitator and programme
# staff); members see drafts of minutes before they are published.
rules.add_perm(
    "councils.write_minutes", is_programme_staff | is_council_facilitator | is_secretary_or_chair
)
rules.add_perm(
    "councils.run_ballots", is_programme_staff | is_council_facilitator | is_secretary_or_chair
)
rules.add_perm(
    "councils.see_draft_minutes", is_programme_staff | is_council_facilitator | is_current_member
)
rules.add_perm(
    "councils.propose_motions",
    is_programme_staff | is_council_facilitator | is_council_officer | is_current_member,
)

# Documents: a council's charter and papers, and the papers of agenda items, are public; the
# people who run the council (or its meetings) add and remove them.
rules.add_perm("councils.view_council_document", rules.always_allow)
rules.add_perm("councils.add_council_document", is_programme_staff | is_council_facilitator)
rules.add_perm("councils.delete_council_document", is_programme_staff | is_council_facilitator)


@rules.predicate
def _manages_item_meeting(user, item) -> bool:
    return item is not None and user.has_perm("councils.manage_meetings", item.meeting.council)


rules.add_perm("councils.view_agendaitem_document", rules.always_allow)
rules.add_perm("councils.add_agendaitem_document", _manages_item_meeting)
rules.add_perm("councils.delete_agendaitem_document", _manages_item_meeting)
