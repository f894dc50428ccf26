"""Translatable content: the fallback chain, the model field, the form field and its widget."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from voices.core.translation import (
    TranslatableFormField,
    TranslatableWidget,
    TranslatedText,
    language_codes,
    reset_preferred_languages,
    set_preferred_languages,
)
from voices.directory.models import Organisation, Region
from voices.directory.tests.factories import CountryFactory, OrganisationFactory


@pytest.fixture
def preferred_languages():
    """Set the viewer's preferred languages, as the locale middleware does per request."""
    tokens = []

    def set_(*codes):
        tokens.append(set_preferred_languages(codes))

    yield set_
    for token in reversed(tokens):
        reset_preferred_languages(token)


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "textarea"):
            self.inputs.append({"tag": tag, **dict(attrs)})


def rendered_inputs(html: str) -> list[dict]:
    parser = _Inputs()
    parser.feed(html)
    return parser.inputs


# TranslatedText: the fallback chain


def test_it_gives_the_requested_language_when_it_exists():
    text = TranslatedText({"en": "Meeting", "fr": "Réunion"}, original="en")

    assert text.get("fr") == "Réunion"


def test_it_follows_the_active_language_when_none_is_requested():
    text = TranslatedText({"en": "Meeting", "de": "Sitzung"}, original="en")

    with translation.override("de"):
        assert str(text) == "Sitzung"


def test_it_falls_back_to_the_viewers_preferred_languages_in_their_order(preferred_languages):
    text = TranslatedText({"en": "Meeting", "fr": "Réunion", "it": "Riunione"}, original="en")
    preferred_languages("uk", "it", "fr")

    assert text.get("ar") == "Riunione"
    assert text.language_for("ar") == "it"


def test_it_falls_back_to_the_original_when_no_preferred_language_is_there(preferred_languages):
    text = TranslatedText({"en": "Meeting", "de": "Sitzung"}, original="de")
    preferred_languages("fa", "uk")

    assert text.get("ar") == "Sitzung"


def test_the_preferred_languages_do_not_outlive_their_request(preferred_languages):
    text = TranslatedText({"en": "Meeting", "fr": "Réunion"}, original="en")
    token = set_preferred_languages(["fr"])
    reset_preferred_languages(token)

    assert text.get("ar") == "Meeting"


def test_it_matches_a_regional_variant_to_its_base_language():
    text = TranslatedText({"en": "Meeting", "fr": "Réunion"}, original="en")

    assert text.get("fr-be") == "Réunion"


def test_it_says_when_the_reader_sees_another_language():
    text = TranslatedText({"en": "Meeting", "fr": "Réunion"}, original="en")

    assert text.is_fallback("de")
    assert not text.is_fallback("fr")


def test_it_drops_empty_values_and_unknown_languages():
    text = TranslatedText({"en": "  Meeting ", "fr": "   ", "xx": "Nope"}, original="fr")

    assert text.values == {"en": "Meeting"}
    assert text.original == "en"  # the given original had no text


def test_an_empty_text_is_falsy_and_reads_as_an_empty_string():
    text = TranslatedText({})

    assert not text
    assert str(text) == ""
    assert text.to_json() == {}


def test_a_plain_string_is_read_as_text_in_the_default_language():
    text = TranslatedText.from_json("Hello")

    assert text.values == {"en": "Hello"}
    assert text.original == "en"


# TranslatableField: the database column


@pytest.mark.django_db
def test_the_model_field_round_trips_through_the_database():
    organisation = OrganisationFactory(
        name=TranslatedText({"en": "City of Graz", "de": "Stadt Graz"}, original="de")
    )

    organisation.refresh_from_db()

    assert isinstance(organisation.name, TranslatedText)
    assert organisation.name == TranslatedText(
        {"en": "City of Graz", "de": "Stadt Graz"}, original="de"
    )
    stored = Organisation.objects.filter(pk=organisation.pk).values_list("name", flat=True).get()
    assert stored.original == "de"


@pytest.mark.django_db
def test_the_model_field_accepts_a_dict_or_a_string_and_reads_back_translated_text():
    from_dict = OrganisationFactory(name={"orig": "fr", "fr": "Ville de Lyon", "en": "Lyon"})
    from_str = OrganisationFactory(name="Plain name")

    from_dict.refresh_from_db()
    from_str.refresh_from_db()

    assert from_dict.name.original == "fr"
    assert from_dict.name.get("fr") == "Ville de Lyon"
    assert from_str.name == TranslatedText({"en": "Plain name"}, original="en")


@pytest.mark.django_db
def test_the_model_field_refuses_an_empty_text_when_it_is_required():
    region = Region(country=CountryFactory(), name=TranslatedText({}), code="styria")

    with pytest.raises(ValidationError) as exc:
        region.full_clean()

    assert "name" in exc.value.message_dict


@pytest.mark.django_db
def test_the_model_field_names_the_language_that_is_too_long():
    region = Region(
        country=CountryFactory(),
        name=TranslatedText({"en": "Styria", "de": "S" * 151}, original="en"),
        code="styria",
    )

    with pytest.raises(ValidationError) as exc:
        region.full_clean()

    assert exc.value.message_dict["name"] == ["The Deutsch text is longer than 150 characters."]


# TranslatableFormField and TranslatableWidget


class TitleForm(forms.Form):
    title = TranslatableFormField(max_length=20)


def test_the_form_field_builds_translated_text_from_one_box_per_language():
    form = TitleForm(data={"title_en": " Meeting ", "title_ar": "اجتماع"})

    with translation.override("ar"):
        assert form.is_valid(), form.errors

    assert form.cleaned_data["title"].values == {"en": "Meeting", "ar": "اجتماع"}
    assert form.cleaned_data["title"].original == "ar"  # written in the language in use


@pytest.mark.parametrize("data", [{}, {"title_en": "   ", "title_fr": ""}])
def test_the_form_field_requires_at_least_one_language(data):
    form = TitleForm(data=data)

    assert not form.is_valid()
    assert form.errors["title"] == ["Write this in at least one language."]


def test_the_form_field_is_optional_when_not_required():
    class OptionalForm(forms.Form):
        title = TranslatableFormField(required=False)

    form = OptionalForm(data={})

    assert form.is_valid()
    assert not form.cleaned_data["title"]


def test_the_form_field_limits_the_length_of_each_language():
    form = TitleForm(data={"title_en": "Short", "title_fr": "x" * 21})

    assert not form.is_valid()
    assert "at most 20 characters" in form.errors["title"][0]


def test_the_widget_renders_one_input_per_language_with_its_lang_and_direction():
    html = TranslatableWidget().render(
        "title", TranslatedText({"en": "Meeting", "fa": "جلسه"}), attrs={"id": "id_title"}
    )

    inputs = rendered_inputs(html)
    assert [i["name"] for i in inputs] == [f"title_{code}" for code in language_codes()]
    by_lang = {i["lang"]: i for i in inputs}
    assert by_lang["en"]["dir"] == "ltr"
    assert by_lang["en"]["value"] == "Meeting"
    assert by_lang["fa"]["dir"] == "rtl"
    assert by_lang["ar"]["dir"] == "rtl"
    assert by_lang["fa"]["value"] == "جلسه"
    assert "value" not in by_lang["de"]


def test_the_multiline_widget_renders_text_areas():
    html = TranslatableWidget(multiline=True).render("body", {"orig": "en", "en": "Hi"})

    inputs = rendered_inputs(html)
    assert len(inputs) == len(language_codes())
    assert {i["tag"] for i in inputs} == {"textarea"}


@pytest.mark.django_db
def test_translatable_content_can_be_dumped_and_loaded_again():
    """Backups and fixtures go through Django's serializers, which need plain JSON."""
    from django.core import serializers

    from voices.directory.tests.factories import OrganisationFactory

    organisation = OrganisationFactory(
        name=TranslatedText({"en": "Town hall", "fr": "Mairie"}, "fr")
    )

    data = serializers.serialize("json", [organisation])
    restored = next(serializers.deserialize("json", data)).object

    assert restored.name == TranslatedText({"en": "Town hall", "fr": "Mairie"}, "fr")
