import rules

from voices.accounts.models import Role
from voices.accounts.rules import is_programme_staff


@rules.predicate
def acts_for_organisation(user, organisation) -> bool:
    if not (user and user.is_authenticated and organisation is not None):
        return False
    return user.has_role(Role.OFFICER, organisation) or user.has_role(
        Role.REPRESENTATIVE, organisation
    )


@rules.predicate
def is_officer_of(user, organisation) -> bool:
    return bool(
        user
        and user.is_authenticated
        and organisation is not None
        and user.has_role(Role.OFFICER, organisation)
    )


rules.add_perm("directory.add_organisation", is_programme_staff)
rules.add_perm("directory.change_organisation", is_programme_staff)
rules.add_perm("directory.manage_organisation_people", is_programme_staff)
rules.add_perm("directory.view_organisation_people", is_programme_staff | acts_for_organisation)
rules.add_perm("directory.view_organisation_document", is_programme_staff | acts_for_organisation)
rules.add_perm("directory.add_organisation_document", is_programme_staff | is_officer_of)
rules.add_perm("directory.delete_organisation_document", is_programme_staff | is_officer_of)
