"""Who may do what: one predicate per action, shared by views, templates, the API and exports."""

import rules

from .models import Role


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.COORDINATOR))


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_self(user, other) -> bool:
    return bool(user and user.is_authenticated and other is not None and user.pk == other.pk)


@rules.predicate
def is_token_owner(user, token) -> bool:
    return bool(user and user.is_authenticated and token is not None and token.user_id == user.pk)


is_programme_staff = is_admin | is_coordinator

rules.add_perm("core.view_auditlog", is_programme_staff)
rules.add_perm("accounts.manage_roles", is_programme_staff)
rules.add_perm("accounts.change_profile", is_self)
rules.add_perm("accounts.delete_account", is_self)
rules.add_perm("accounts.use_api_tokens", is_signed_in)
rules.add_perm("accounts.revoke_token", is_token_owner)
