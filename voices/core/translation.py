"""Translatable content: staff-written text stored as one value per language.

A value is kept in a JSON column as ``{"orig": "en", "en": "...", "fr": "..."}``. Reading it gives
a :class:`TranslatedText` whose ``str()`` follows the fallback chain: the active language, then the
viewer's preferred languages, then the original. Hand-written rather than django-modeltranslation
(one column per field per language: 11 columns each) or django-parler (a join per model, no per-user
fallback chain); django-modeltrans queries only on PostgreSQL, and Voices also runs on SQLite.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ORIGINAL_KEY = "orig"

# The viewer's preferred languages, set per request by the locale middleware.
_preferred_languages: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "voices_preferred_languages", default=()
)


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def set_preferred_languages(languages: Iterable[str]) -> contextvars.Token:
    return _preferred_languages.set(tuple(languages))


def reset_preferred_languages(token: contextvars.Token) -> None:
    _preferred_languages.reset(token)


class TranslatedText:
    """A text in several languages, one of them the original."""

    __slots__ = ("original", "values")

    def __init__(self, values: Mapping[str, str] | None = None, original: str | None = None):
        known = set(language_codes())
        self.values = {
            lang: text.strip()
            for lang, text in (values or {}).items()
            if lang in known and isinstance(text, str) and text.strip()
        }
        if original not in self.values:
            original = next(iter(self.values), None)
        self.original = original

    @classmethod
    def from_json(cls, data: Any) -> TranslatedText:
        if isinstance(data, TranslatedText):
            return data
        if isinstance(data, str):
            return cls({settings.LANGUAGE_CODE: data})
        if not isinstance(data, Mapping):
            return cls()
        values = {k: v for k, v in data.items() if k != ORIGINAL_KEY}
        return cls(values, data.get(ORIGINAL_KEY))

    def to_json(self) -> dict[str, str]:
        if not self.values:
            return {}
        return {ORIGINAL_KEY: self.original or "", **self.values}

    def language_for(self, requested: str | None = None) -> str | None:
        """Return which stored language a reader of `requested` gets."""
        chain = [requested or translation.get_language() or settings.LANGUAGE_CODE]
        chain += list(_preferred_languages.get())
        chain.append(self.original)
        for lang in chain:
            if lang and lang in self.values:
                return lang
            base = (lang or "").split("-")[0]
            if base in self.values:
                return base
        return None

    def get(self, requested: str | None = None) -> str:
        lang = self.language_for(requested)
        return self.values[lang] if lang else ""

    def is_fallback(self, requested: str | None = None) -> bool:
        """True when the reader sees another language than the one asked for."""
        requested = requested or translation.get_language() or settings.LANGUAGE_CODE
        return bool(self.values) and self.language_for(requested) != requested

    def __str__(self) -> str:
        return self.get()

    def __bool__(self) -> bool:
        return bool(self.values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TranslatedText):
            return self.values == other.values and self.original == other.original
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.original, tuple(sorted(self.values.items()))))

    def __repr__(self) -> str:
        return f"TranslatedText({self.values!r}, original={self.original!r})"


class TranslatableWidget(forms.MultiWidget):
    """One text box per language; JavaScript turns the boxes into tabs, without it they stack."""

    template_name = "core/widgets/translatable.html"

    def __init__(self, *, multiline: bool = False, attrs: dict | None = None):
        base = forms.Textarea(attrs={"rows": 4}) if multiline else forms.TextInput()
        widgets = {code: base.__class__(attrs=dict(base.attrs)) for code in language_codes()}
        super().__init__(widgets, attrs)
        self.multiline = multiline

    def decompress(self, value: Any) -> list[str]:
        text = TranslatedText.from_json(value)
        return [text.values.get(code, "") for code in language_codes()]

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, sub in zip(language_codes(), context["widget"]["subwidgets"], strict=True):
            sub["language_code"] = code
            sub["language_name"] = names[code]
            sub["is_bidi"] = code in settings.LANGUAGES_BIDI
            sub["attrs"]["lang"] = code
            sub["attrs"]["dir"] = "rtl" if sub["is_bidi"] else "ltr"
        return context


class TranslatableFormField(forms.MultiValueField):
    # All boxes empty fails before validate(); say the same thing as when they hold only spaces.
    default_error_messages = {"required": _("Write this in at least one language.")}

    def __init__(self, *, max_length: int | None = None, multiline: bool = False, **kwargs):
        self.max_length = max_length
        fields = [
            forms.CharField(required=False, max_length=max_length, strip=True)
            for _code in language_codes()
        ]
        kwargs.setdefault("widget", TranslatableWidget(multiline=multiline))
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> TranslatedText:
        values = dict(zip(language_codes(), data_list or [], strict=False))
        current = translation.get_language()
        original = current if values.get(current) else None
        return TranslatedText(values, original)

    def validate(self, value: TranslatedText) -> None:
        if self.required and not value:
            raise ValidationError(
                _("Write this in at least one language."), code="required_one_language"
            )


class TranslatableField(models.JSONField):
    """A model field holding a :class:`TranslatedText`."""

    def __init__(self, *args, max_length: int | None = None, multiline: bool = False, **kwargs):
        self.text_max_length = max_length
        self.multiline = multiline
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["max_length"] = self.text_max_length
        if self.multiline:
            kwargs["multiline"] = True
        if kwargs.get("default") is dict:
            del kwargs["default"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return TranslatedText.from_json(super().from_db_value(value, expression, connection))

    def to_python(self, value):
        return TranslatedText.from_json(value)

    def get_prep_value(self, value):
        if isinstance(value, TranslatedText):
            value = value.to_json()
        elif isinstance(value, str):
            value = TranslatedText.from_json(value).to_json()
        return super().get_prep_value(value)

    def value_from_object(self, obj):
        # Plain JSON, so serializers (dumpdata, fixtures) and form initial data can use it.
        return TranslatedText.from_json(getattr(obj, self.attname)).to_json()

    def validate(self, value, model_instance):
        text = TranslatedText.from_json(value)
        if not self.blank and not text:
            raise ValidationError(self.error_messages["blank"], code="blank")
        if self.text_max_length:
            for lang, item in text.values.items():
                if len(item) > self.text_max_length:
                    raise ValidationError(
                        _("The %(language)s text is longer than %(max)d characters."),
                        code="max_length",
                        params={
                            "language": dict(settings.LANGUAGES)[lang],
                            "max": self.text_max_length,
                        },
                    )

    def formfield(self, **kwargs):
        return TranslatableFormField(
            max_length=self.text_max_length,
            multiline=self.multiline,
            required=not self.blank,
            label=kwargs.get("label", self.verbose_name),
            help_text=self.help_text,
        )

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if not isinstance(value, TranslatedText):
            value = TranslatedText.from_json(value)
            setattr(model_instance, self.attname, value)
        return value
