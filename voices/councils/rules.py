import rules

from voices.accounts.models import Role
from voices.accounts.rules import is_programme_staff, is_signed_in

from .models import Membership
from .selectors import membership_current


@rules.predicate
def is_council_facilitator(user, council) -> bool:
    """Facilitates the council: by a direct role, or by a facilitator seat still current.

    A seat's role is not removed when its term simply runs out, so an expired seat counts
    for nothing even while the role row remains.
    """
    if not (user and user.is_authenticated and council is not None):
        return False
    if not user.has_role(Role.FACILITATOR, council):
        return False
    current = membership_current(user=user, council=council)
    if current is not None:
        return current.role == Membership.Role.FACILITATOR
    return not Membership.objects.filter(
        council=council, user=user, role=Membership.Role.FACILITATOR
    ).exists()


@rules.predicate
def is_current_member(user, council) -> bool:
    return bool(
        user and user.is_authenticated and council is not None
        and membership_current(user=user, council=council) is not None
    )  # fmt: skip


is_council_staff = is_programme_staff | is_council_facilitator

rules.add_perm("councils.add_council", is_programme_staff)
rules.add_perm("councils.change_council", is_council_staff)
rules.add_perm("councils.manage_members", is_council_staff)
rules.add_perm("councils.view_member_contacts", is_council_staff | is_current_member)
rules.add_perm("councils.request_to_join", is_signed_in & ~is_current_member)
rules.add_perm("councils.change_own_membership", is_current_member)
