"""Taking part in a consultation from a request, for this app's views and for the parts that plug
into a consultation (opinion maps): the browser identity of people without an account, what a
person may do now and why not, and the short form that gives what the consultation's rule asks.

People without an account get a random token in a signed cookie (`voices_anon`, kept a year);
the database stores only a key derived from it per consultation.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from . import eligibility, selectors, services
from .forms import ParticipationForm
from .models import Consultation

ANON_COOKIE = "voices_anon"
ANON_SALT = "voices.consultations.anon"


# People without an account


def _anon_token(request: HttpRequest) -> str:
    return request.get_signed_cookie(ANON_COOKIE, default="", salt=ANON_SALT) or ""


def anon_key(request: HttpRequest, consultation: Consultation) -> str:
    """The browser's key in this consultation: keyed per consultation, so the stored keys of
    two consultations cannot be matched to follow one browser across them."""
    if request.user.is_authenticated:
        return ""
    token = _anon_token(request) or getattr(request, "_new_anon_token", "")
    if not token:
        return ""
    message = f"{consultation.pk}:{token}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def ensure_anon(request: HttpRequest, consultation: Consultation) -> str:
    """Give an anonymous participant a browser identity (kept in a cookie for a year by
    `finish`), and return their key in this consultation ("" for a signed-in person, or where
    the consultation does not take part without an account)."""
    if request.user.is_authenticated or not consultation.allows_anonymous:
        return ""
    if not _anon_token(request):
        request._new_anon_token = secrets.token_urlsafe(32)
    return anon_key(request, consultation)


def finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the cookie of a browser identity that `ensure_anon` gave during this request."""
    token = getattr(request, "_new_anon_token", "")
    if token:
        response.set_signed_cookie(
            ANON_COOKIE, token, salt=ANON_SALT, max_age=365 * 24 * 3600, httponly=True,
            samesite="Lax", secure=request.is_secure(),
        )  # fmt: skip
    return response


# What the person may do


def state(request: HttpRequest, consultation: Consultation, action: str) -> dict:
    """What the person can do now, and if not, why (and whether a short form fixes it): their
    participant (by account, or by the browser's key), the refusal in their words or None, the
    form that fixes it or None, and `can_act`."""
    now = timezone.now()
    user = request.user
    participant = selectors.participant_of(
        consultation, user=user, anon_key=anon_key(request, consultation)
    )
    phase_reason = eligibility.phase_refusal(consultation, action, at=now)
    reason = phase_reason or eligibility.refusal(user, consultation, participant=participant)
    fixable = not phase_reason and reason and eligibility.fixable_by_form(user, consultation)
    return {
        "participant": participant,
        "refusal": reason,
        "participation_form": (
            ParticipationForm(consultation=consultation, user=user) if fixable else None
        ),
        "can_act": reason is None,
    }


def form_submit(request: HttpRequest, consultation: Consultation, *, back: str) -> HttpResponse:
    """Take the short form that gives what the consultation's rule asks (a birth year, living in
    the area), tell the person whether they may take part now, and send them back to `back`.

    For a signed-in person: the views send others to log in first, each to its own page.
    """
    form = ParticipationForm(request.POST, consultation=consultation, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    try:
        participant = services.participation_prepare(
            user=request.user, consultation=consultation,
            birth_year=form.cleaned_data.get("birth_year"),
            lives_there=form.cleaned_data.get("lives_there", False),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(back)
    reason = eligibility.refusal(request.user, consultation, participant=participant)
    if reason:
        messages.warning(request, reason)
    else:
        messages.success(request, _("Thank you. You can take part now."))
    return redirect(back)
