import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.contenttypes.models import ContentType

from voices.accounts.models import PersonalAccessToken, Role, RoleGrant, User

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    languages = factory.LazyFunction(lambda: ["en"])
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def with_second_factor(user: User) -> User:
    """Give a staff user a TOTP authenticator, as staff must have before reaching staff pages."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TEST_TOTP_SECRET)
        RecoveryCodes.activate(user)  # as allauth does when TOTP is set up through its pages
    return user


def grant(user: User, role: str, scope=None) -> RoleGrant:
    rg = RoleGrant.objects.create(
        user=user,
        role=role,
        scope_type=ContentType.objects.get_for_model(scope) if scope is not None else None,
        scope_id=str(scope.pk) if scope is not None else "",
    )
    user.__dict__.pop("_role_set", None)  # roles are cached per user object
    return rg


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.COORDINATOR


class TokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonalAccessToken

    user = factory.SubFactory(UserFactory)
    name = "script"
    prefix = "vx_abcdefg"
    token_hash = factory.Sequence(lambda n: f"{n:064x}")


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """An address allauth knows about (sign-up, verification, password reset, login by email)."""

    class Meta:
        model = "account.EmailAddress"

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda e: e.user.email)
    verified = True
    primary = True
