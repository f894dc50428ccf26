"""Helpers around the permission predicates, which live in each app's rules.py."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def check_perm(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied (403) unless `user` has `perm` on `obj`."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def staff_page(view: Callable) -> Callable:
    """Mark a view as a staff page: signed in, and staff must have set up a second factor.

    The view still checks its own permission predicate; this only adds the second-factor gate.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        needs = getattr(request.user, "needs_second_factor", None)
        if needs is not None and needs():
            messages.warning(
                request,
                _("Staff accounts need a second factor. Please set up an authenticator app."),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    wrapper.voices_staff_page = True
    return wrapper
