from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from voices.core import names
from voices.core.markdown import render_markdown
from voices.core.translation import TranslatedText

register = template.Library()


@register.filter
def markdown(value) -> SafeString:
    """Render user Markdown (a TranslatedText in the reader's language, or plain text) safely."""
    return render_markdown(str(value or ""))


@register.simple_tag
def translated_lang(value) -> str:
    """Mark text shown in a fallback language with its own lang (and dir), for screen readers."""
    if not isinstance(value, TranslatedText):
        return ""
    shown = value.language_for()
    if not shown or shown == translation.get_language():
        return ""
    direction = "rtl" if translation.get_language_info(shown)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', shown, direction)


@register.filter
def public_name(user) -> str:
    """A person's public name; never their login name (a blank public name defaults to it)."""
    return names.public_name(user)
