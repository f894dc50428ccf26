from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models
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


# Sections higher apps add to the download (what a person wrote in a consultation...).
_data_sections: dict[str, Callable[[User], list]] = {}


def register_data_section(name: str, section: Callable[[User], list]) -> None:
    """Register `section(user) -> list` under `name` in every person's data download."""
    _data_sections[name] = section


def user_data_export(*, user: User) -> dict:
    """Everything Voices holds about one person, for their own download (GDPR art. 15 and 20)."""
    from allauth.account.models import EmailAddress

    return {
        "account": {
            "username": user.username,
            "public_name": user.display_name,
            "languages": user.language_list(),
            "country": user.country.code or None,
            "birth_year": user.birth_year,
            "time_zone": user.time_zone,
            "email_notifications": user.email_notifications,
            "email_digest": user.email_digest,
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "roles": [
            {
                "role": g.role,
                "scope": f"{g.scope_type.app_label}.{g.scope_type.model}:{g.scope_id}"
                if g.scope_type
                else None,
                "since": g.created_at.isoformat(),
            }
            for g in user.role_grants.select_related("scope_type")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created": t.created_at.isoformat(),
                "revoked": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in user.api_tokens.all()
        ],
        "notifications": [
            {"subject": n.subject, "body": n.body, "sent": n.created_at.isoformat()}
            for n in user.notifications.all()
        ],
        **{name: section(user) for name, section in _data_sections.items()},
    }


def users_with_role(*, role: str, scope: models.Model) -> QuerySet[User]:
    """Active users holding `role` for `scope` (the officers of an authority, say)."""
    scope_type = ContentType.objects.get_for_model(scope)
    return User.objects.filter(
        is_active=True,
        role_grants__role=role,
        role_grants__scope_type=scope_type,
        role_grants__scope_id=str(scope.pk),
    ).distinct()
