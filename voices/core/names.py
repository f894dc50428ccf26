"""How people are named beside what they wrote.

A public name left blank at sign-up defaults to the login name, which is never shown beside
what someone wrote (it is half of what signs them in): such a person is "Participant".
"""

from django.utils.translation import gettext


def has_public_name(display_name: str | None, username: str | None) -> bool:
    """Whether a public name may be shown: one that is set and is not the login name."""
    return bool(display_name) and display_name != username


def public_name(user) -> str:
    """A person's public name, or "Participant" where it is blank or the login name."""
    name = getattr(user, "display_name", "") if user is not None else ""
    if not has_public_name(name, getattr(user, "username", None)):
        return gettext("Participant")
    return name
