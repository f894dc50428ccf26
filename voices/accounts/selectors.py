from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import PersonalAccessToken, RoleGrant, User


def token_list_for_user(*, user: User) -> QuerySet[PersonalAccessToken]:
    return PersonalAccessToken.objects.filter(user=user)


def token_get_for_user(token_id: int, *, user: User) -> PersonalAccessToken:
    """Return the user's own token; anyone else's is a 404, as if it did not exist."""
    return get_object_or_404(PersonalAccessToken, pk=token_id, user=user)


def role_grants_for_scope(*, scope_type_id: int, scope_id: str) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(scope_type_id=scope_type_id, scope_id=scope_id).select_related(
        "user"
    )


def user_find_by_username(username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip(), is_active=True).first()


def participant_count() -> int:
    """How many active accounts there are (publish only through core.disclosure)."""
    return User.objects.filter(is_active=True).count()
