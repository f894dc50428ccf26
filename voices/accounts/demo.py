from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from voices.core.demo import DEMO_PASSWORD

from .models import Role, RoleGrant, User

# Known only so that the demo can be tried without an authenticator app: `make totp USER=...`.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPVOICESDEMO234567"  # noqa: S105

# username, display name, global role (None = none or scoped later), languages, country
DEMO_USERS = [
    ("admin", "Admin", "admin", ["en"], "BE"),
    ("coordinator", "Programme coordinator", Role.COORDINATOR, ["en", "fr"], "BE"),
    ("facilitator", "Nadia (facilitator)", None, ["fr", "ar"], "FR"),
    ("officer", "Officer of Vienna", None, ["de", "en"], "AT"),
    ("researcher", "Researcher", Role.RESEARCHER, ["it", "en"], "IT"),
    ("mentor", "Mentor", Role.MENTOR, ["el", "en"], "GR"),
    ("judge", "Judge", Role.JUDGE, ["ro", "en"], "RO"),
    ("amina", "Amina", None, ["ar", "fr"], "FR"),
    ("dmytro", "Dmytro", None, ["uk", "de"], "AT"),
    ("reza", "Reza", None, ["fa", "en"], "GR"),
]
DEMO_USERNAMES = {row[0] for row in DEMO_USERS}
STAFF_DEMO_USERS = {"admin", "coordinator", "facilitator", "officer"}
NOTES = {
    "admin": "administrator (Django admin too)",
    "coordinator": "programme coordinator",
    "facilitator": "facilitator (NGO staff)",
    "officer": "authority officer (City of Vienna)",
    "researcher": "researcher",
    "mentor": "Inquiry Lab mentor",
    "judge": "Inquiry Lab judge",
    "amina": "participant",
    "dmytro": "participant",
    "reza": "participant",
}


def seed(out) -> list[tuple[str, str, str]]:
    logins = []
    for username, display_name, role, languages, country in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "languages": languages,
                "country": country,
                "email": f"{username}@demo.voices.invalid",
                "is_superuser": role == "admin",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        if role and role != "admin":
            RoleGrant.objects.get_or_create(user=user, role=role, scope_type=None, scope_id="")
        if (
            username in STAFF_DEMO_USERS
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
        note = NOTES[username]
        if username in STAFF_DEMO_USERS:
            note += f"; second factor: make totp USER={username}"
        logins.append((username, display_name, note))
    out.write(f"accounts: {len(DEMO_USERS)} demo users")
    return logins
