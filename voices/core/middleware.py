import zoneinfo

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation
from django.utils.translation.trans_real import parse_accept_lang_header

from .translation import reset_preferred_languages, set_preferred_languages


def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class VoicesLocaleMiddleware(LocaleMiddleware):
    """Pick the language from the URL, then the user's preference, then the browser.

    Django's own middleware skips the user's stored preference; participants often browse in a
    language that is not their browser's, so a signed-in user's first choice comes before it.
    Also sets the viewer's languages (their own, then the browser's) as the fallback chain of
    translatable content.
    """

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_used, _prefixed = is_language_prefix_patterns_used(urlconf)
        preferred = [
            code
            for code in (
                getattr(request.user, "language_list", lambda: [])()
                if hasattr(request, "user")
                else []
            )
            if _supported(code)
        ]
        language = translation.get_language_from_path(request.path_info) if i18n_used else None
        if not language and preferred:
            language = preferred[0]
        if not language:
            language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        # Times are stored in UTC and shown (and typed) in the viewer's own time zone.
        zone = getattr(getattr(request, "user", None), "time_zone", None)
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        # After the user's own languages, the browser's: the only ones an anonymous reader has.
        browser = [
            code
            for lang, _q in parse_accept_lang_header(request.headers.get("Accept-Language", ""))
            if lang != "*" and (code := _supported(lang))
        ]
        request._voices_languages_token = set_preferred_languages(
            dict.fromkeys(preferred + browser)
        )

    def process_response(self, request, response):
        response = super().process_response(request, response)
        timezone.deactivate()
        token = getattr(request, "_voices_languages_token", None)
        if token is not None:
            reset_preferred_languages(token)
        return response


class RejectNulBytesMiddleware:
    """Answer 400 to a page address whose query holds a NUL byte.

    No real link carries one, and PostgreSQL refuses it in a text comparison, so a filter form
    would fail with a server error. The API validates its own parameters (core.api.SlugParam)
    and answers in its own error format, so it is left to do that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/") and any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            raise BadRequest("A NUL byte in the query string.")
        return self.get_response(request)
