import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from voices.core.models import TimeStampedModel


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, username: str, email: str | None, password: str | None, **extra):
        if not username:
            raise ValueError("A username is required.")
        user = self.model(
            username=self.model.normalize_username(username),
            email=self.normalize_email(email or ""),
            **extra,
        )
        user.display_name = user.display_name or user.username
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, username: str, email: str | None = None, password=None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create(username, email, password, **extra)

    def create_superuser(self, username: str, email: str | None = None, password=None, **extra):
        extra["is_superuser"] = True
        return self._create(username, email, password, **extra)


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Programme coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    OFFICER = "officer", _("Authority officer")
    REPRESENTATIVE = "representative", _("Organisation representative")
    RESEARCHER = "researcher", _("Researcher")
    MENTOR = "mentor", _("Mentor")
    JUDGE = "judge", _("Judge")


# Roles that act on other people's data; they must use a second factor.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.FACILITATOR, Role.OFFICER})
GLOBAL_ROLES = frozenset({Role.COORDINATOR})
SCOPED_ROLES = frozenset({Role.FACILITATOR, Role.OFFICER, Role.REPRESENTATIVE})


class User(AbstractBaseUser, PermissionsMixin):
    """A person on Voices. Publicly they appear only under `display_name`, a pseudonym."""

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Used to log in. Letters, digits and @ . + - _ only."),
        error_messages={"unique": _("This username is taken. Please choose another one.")},
    )
    email = models.EmailField(_("email address"), blank=True)
    display_name = models.CharField(
        _("public name"),
        max_length=60,
        help_text=_("Shown to others. Use a nickname if you like; never required to be real."),
    )
    languages = models.JSONField(_("preferred languages"), default=list, blank=True)
    country = CountryField(_("country of residence"), blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("Only needed for programmes with an age limit."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", choices=time_zone_choices
    )
    email_notifications = models.BooleanField(_("send me notifications by email"), default=True)
    email_digest = models.BooleanField(
        _("one email a day instead of one per notification"),
        default=False,
        help_text=_("Collects the day's notifications in a single email."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self):
        super().clean()
        if self.birth_year and self.birth_year > timezone.now().year:
            raise ValidationError({"birth_year": _("The birth year cannot be in the future.")})
        known = {code for code, _name in settings.LANGUAGES}
        if not isinstance(self.languages, list) or not all(c in known for c in self.languages):
            raise ValidationError({"languages": _("Choose languages from the list.")})

    @property
    def is_staff(self) -> bool:
        """Django's admin site is for administrators only."""
        return self.is_superuser

    def language_list(self) -> list[str]:
        return list(self.languages or [])

    def role_set(self) -> frozenset[tuple[str, int | None, str]]:
        """The user's roles as (role, scope type id, scope id), read once per request."""
        cached = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", "scope_type_id", "scope_id"))
            self._role_set = cached
        return cached

    def has_role(self, role: str, scope: models.Model | None = None) -> bool:
        if scope is None:
            return any(r == role for r, _t, _i in self.role_set())
        scope_type = ContentType.objects.get_for_model(scope).pk
        return (role, scope_type, str(scope.pk)) in self.role_set()

    def scope_ids(self, role: str, model: type[models.Model]) -> set[str]:
        scope_type = ContentType.objects.get_for_model(model).pk
        return {i for r, t, i in self.role_set() if r == role and t == scope_type}

    @property
    def is_staff_member(self) -> bool:
        return self.is_superuser or any(r in STAFF_ROLES for r, _t, _i in self.role_set())

    def has_second_factor(self) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()

    def needs_second_factor(self) -> bool:
        """Staff must set up an authenticator app before they reach a staff page."""
        return self.is_staff_member and not self.has_second_factor()


class RoleGrant(TimeStampedModel):
    """A role a user holds, globally or for one object (a council, an organisation...)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role)
    scope_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope_id = models.CharField(max_length=64, blank=True, default="")
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["role", "user__username"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(scope_type__isnull=True),
                name="rolegrant_unique_global",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "scope_type", "scope_id"],
                condition=Q(scope_type__isnull=False),
                name="rolegrant_unique_scoped",
            ),
            models.CheckConstraint(
                condition=(Q(scope_type__isnull=True) & Q(scope_id=""))
                | (Q(scope_type__isnull=False) & ~Q(scope_id="")),
                name="rolegrant_scope_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def clean(self):
        if self.role in GLOBAL_ROLES and self.scope_type_id:
            raise ValidationError(_("This role applies to the whole programme."), code="global")
        if self.role in SCOPED_ROLES and not self.scope_type_id:
            raise ValidationError(_("This role needs a council or organisation."), code="scope")


class PersonalAccessToken(TimeStampedModel):
    """A token for the JSON API. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, *, at) -> bool:
        return self.revoked_at is None and (self.expires_at is None or at < self.expires_at)


def user_display(user: User) -> str:
    """How allauth names a user on its pages: by the pseudonym, never the login name."""
    return user.display_name or user.username
