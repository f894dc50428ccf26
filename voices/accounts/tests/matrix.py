from voices.core.tests.matrix import EVERYONE, SIGNED_IN, WITH_SECOND_FACTOR, Case

# Pages anyone may open; a signed-in person is sent on to the home page, which also succeeds.
PUBLIC_ENTRANCES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_inactive",
    "account_email_verification_sent",
]

CASES = [
    *[Case(name, EVERYONE) for name in PUBLIC_ENTRANCES],
    Case("account_logout", EVERYONE, reason="an anonymous visitor is sent to the home page"),
    Case(
        "account_confirm_login_code",
        SIGNED_IN,
        reason="outside a login by code, a signed-in person is sent on and sees nothing",
    ),
    Case(
        "account_confirm_email",
        EVERYONE,
        kwargs=lambda w: {"key": "not-a-real-key"},
        reason="shows that the link is invalid",
    ),
    Case(
        "account_reset_password_from_key",
        EVERYONE,
        kwargs=lambda w: {"uidb36": "zz", "key": "not-a-real-key"},
        reason="shows that the link is invalid",
    ),
    Case("account_reauthenticate", SIGNED_IN),
    Case("account_email", SIGNED_IN),
    Case("account_change_password", SIGNED_IN),
    Case("account_set_password", SIGNED_IN),
    Case("mfa_index", SIGNED_IN),
    Case(
        "mfa_authenticate",
        SIGNED_IN,
        reason="outside a login stage, a signed-in person is sent on and sees nothing",
    ),
    Case("mfa_reauthenticate", SIGNED_IN),
    Case("mfa_activate_totp", SIGNED_IN),
    Case("mfa_deactivate_totp", WITH_SECOND_FACTOR),
    Case("mfa_view_recovery_codes", WITH_SECOND_FACTOR),
    Case("mfa_generate_recovery_codes", SIGNED_IN),
    Case("mfa_download_recovery_codes", WITH_SECOND_FACTOR),
    Case("accounts:profile", SIGNED_IN),
    Case("accounts:delete", SIGNED_IN),
    Case("accounts:data", SIGNED_IN),
    Case("accounts:tokens", SIGNED_IN),
    Case(
        "accounts:token_revoke",
        frozenset(),
        kwargs=lambda w: {"token_id": w.other_token.pk},
        method="post",
        reason="someone else's token",
    ),
]
