"""Machine translation of participant-written text, through a pluggable backend (none by default).

Participant text keeps its original language; a reader may ask for a machine translation. Which
service translates is a deployment choice (`MACHINE_TRANSLATION_BACKEND`, a dotted path to a class
built with `MACHINE_TRANSLATION_OPTIONS` as keyword arguments): no text leaves the server unless an
operator chose a service. The one shipped backend talks to a self-hosted LibreTranslate server, so
an operator can keep participants' words on machines they run.

Results are cached for 30 days: the same comment read by a hundred people is translated once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 10_000
CACHE_SECONDS = 30 * 24 * 60 * 60


class TranslationBackend(Protocol):
    name: str

    def translate(self, text: str, *, source: str, target: str) -> str: ...


class TranslationUnavailable(Exception):
    """No machine translation now; ``str()`` is a message for the person who asked for one.

    ``code`` is ``"not_configured"`` (the site has no backend) or ``"failed"`` (it did not answer).
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    @classmethod
    def not_configured(cls) -> TranslationUnavailable:
        return cls(
            gettext("Machine translation is not set up on this site."), code="not_configured"
        )

    @classmethod
    def failed(cls) -> TranslationUnavailable:
        return cls(
            gettext("The translation service did not answer. Please try again later."),
            code="failed",
        )


def backend() -> TranslationBackend | None:
    """Return the configured backend, or None when the site has none."""
    return _backend()


def is_available() -> bool:
    return backend() is not None


def machine_translate(text: str, *, source: str, target: str) -> str:
    """Return `text` translated from language `source` into `target`.

    Raise ValueError for a text over 10,000 characters, and TranslationUnavailable when there is
    no backend or it fails.
    """
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"A text to translate may have at most {MAX_TEXT_LENGTH} characters.")
    if source == target or not text.strip():
        return text
    translator = backend()
    if translator is None:
        raise TranslationUnavailable.not_configured()
    key = _cache_key(translator.name, source, target, text)
    cached = cache.get(key)
    if isinstance(cached, str):
        return cached
    try:
        translated = translator.translate(text, source=source, target=target)
        if not isinstance(translated, str):
            raise TypeError(f"The backend returned {type(translated).__name__}, not text.")
    except Exception as exc:
        # The text itself is not logged: it is a participant's words, and logs travel further.
        logger.warning(
            "Machine translation by %s from %s to %s failed.",
            translator.name,
            source,
            target,
            exc_info=True,
        )
        raise TranslationUnavailable.failed() from exc
    cache.set(key, translated, CACHE_SECONDS)
    return translated


class LibreTranslateBackend:
    """A LibreTranslate server (https://libretranslate.com), ideally one the operator runs.

    Options: ``url`` (the server's address), ``api_key`` (if the server requires one), ``timeout``.
    Plain urllib rather than a client library: one POST does not warrant a new dependency.
    """

    name = "libretranslate"
    # A translation of at most 10,000 characters fits well within this; more is not an answer.
    max_response_bytes = 1024 * 1024

    def __init__(self, *, url: str, api_key: str = "", timeout: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ImproperlyConfigured(
                "The LibreTranslate URL must start with http:// or https://."
            )
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def translate(self, text: str, *, source: str, target: str) -> str:
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__.
            f"{self.url}/translate",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            body = response.read(self.max_response_bytes + 1)
        if len(body) > self.max_response_bytes:
            raise ValueError("LibreTranslate sent an answer too long to be a translation.")
        translated = json.loads(body).get("translatedText")
        if not isinstance(translated, str):
            raise ValueError("LibreTranslate's answer has no translatedText.")
        return translated


def _cache_key(name: str, source: str, target: str, text: str) -> str:
    # JSON keeps the four parts apart: no text can make two different requests share a key.
    parts = json.dumps([name, source, target, text], ensure_ascii=False)
    return "machine-translation:" + hashlib.sha256(parts.encode()).hexdigest()


@functools.cache
def _backend() -> TranslationBackend | None:
    path = settings.MACHINE_TRANSLATION_BACKEND
    if not path:
        return None
    options: dict[str, Any] = dict(settings.MACHINE_TRANSLATION_OPTIONS or {})
    try:
        return import_string(path)(**options)
    except ImproperlyConfigured:
        raise
    except (ImportError, TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"MACHINE_TRANSLATION_BACKEND {path!r} cannot be set up with "
            f"MACHINE_TRANSLATION_OPTIONS {sorted(options)}: {exc}"
        ) from exc


@receiver(setting_changed)
def _forget_backend(*, setting: str, **kwargs: Any) -> None:
    if setting in ("MACHINE_TRANSLATION_BACKEND", "MACHINE_TRANSLATION_OPTIONS"):
        _backend.cache_clear()
