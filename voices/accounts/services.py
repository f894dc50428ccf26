import hashlib
import secrets
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from voices.core.audit import audit_record, snapshot

from .models import PersonalAccessToken, Role, RoleGrant, User

TOKEN_PREFIX = "vx_"  # noqa: S105 - a marker, not a secret
PROFILE_FIELDS = (
    "display_name", "languages", "country", "birth_year", "time_zone", "email_notifications",
    "email_digest",
)  # fmt: skip


@transaction.atomic
def profile_update(*, user: User, **fields) -> User:
    """Change the user's own profile."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=list(fields))
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete an account and the personal data that hangs on it.

    The audit log keeps the username as it was (actor_label) but loses the link, and everything
    else tied to the person (emails, roles, tokens, authenticators, notifications) goes with it.
    """
    User.objects.filter(pk=user.pk).delete()


def token_hash(raw: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: no dictionary to attack.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[PersonalAccessToken, str]:
    """Create an API token and return it with its secret, which is never shown again."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken(
        user=user, name=name.strip(), prefix=raw[:10], token_hash=token_hash(raw),
        expires_at=expires_at,
    )  # fmt: skip
    token.full_clean()
    token.save()
    return token, raw


def token_revoke(*, token: PersonalAccessToken) -> None:
    """Revoke a token; revoking twice changes nothing."""
    PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_authenticate(raw: str) -> User | None:
    """Return the active user a token belongs to, or None, and note when it was used."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not token.is_usable(at=now):
        return None
    # Write at most once a minute per token, not on every API call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def role_grant(
    *, actor: User, user: User, role: str, scope: models.Model | None = None
) -> RoleGrant:
    """Give `user` a role (for `scope`, if it is a scoped role) and log it."""
    if not actor.has_perm("accounts.manage_roles", scope):
        raise PermissionDenied
    grant = RoleGrant(
        user=user,
        role=Role(role),
        scope_type=ContentType.objects.get_for_model(scope) if scope is not None else None,
        scope_id=str(scope.pk) if scope is not None else "",
        granted_by=actor,
    )
    grant.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError:
        raise ValidationError(
            _("%(user)s already has this role.") % {"user": user}, code="duplicate_role"
        ) from None
    audit_record(actor=actor, action="grant", obj=grant, after=snapshot(grant))
    _forget_roles(user)
    return grant


def _forget_roles(user: User) -> None:
    # Roles are read once per user object (User.role_set); a change must be seen at once.
    user.__dict__.pop("_role_set", None)


@transaction.atomic
def role_revoke(*, actor: User, grant: RoleGrant) -> None:
    """Take a role away and log it."""
    scope = None
    if grant.scope_type is not None:
        # A role whose council or organisation is gone can still be removed (by programme staff).
        scope = grant.scope_type.model_class().objects.filter(pk=grant.scope_id).first()
    if not actor.has_perm("accounts.manage_roles", scope):
        raise PermissionDenied
    before = snapshot(grant)
    audit_record(actor=actor, action="revoke", obj=grant, before=before)
    grant.delete()
    _forget_roles(grant.user)
