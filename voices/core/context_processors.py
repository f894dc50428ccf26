from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site(request):
    """Site-wide template values: the name and the language switcher's links."""
    current = translation.get_language()
    path = request.get_full_path()
    languages = [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "is_current": code == current,
            "is_bidi": code in settings.LANGUAGES_BIDI,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "site_name": settings.VOICES_SITE_NAME,
        "switcher_languages": languages,
        "LANGUAGE_BIDI": translation.get_language_bidi(),
    }
