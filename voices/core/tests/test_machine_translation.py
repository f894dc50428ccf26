"""Machine translation goes through the configured backend, is cached, and fails politely."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from voices.core import machine_translation
from voices.core.machine_translation import (
    LibreTranslateBackend,
    TranslationUnavailable,
    backend,
    is_available,
    machine_translate,
)

FAKE = "voices.core.tests.test_machine_translation.FakeBackend"
BROKEN = "voices.core.tests.test_machine_translation.BrokenBackend"
LIBRE = "voices.core.machine_translation.LibreTranslateBackend"


class FakeBackend:
    name = "fake"
    calls: list[tuple[str, str, str]] = []

    def __init__(self, *, prefix: str = "") -> None:
        self.prefix = prefix

    def translate(self, text: str, *, source: str, target: str) -> str:
        FakeBackend.calls.append((text, source, target))
        return f"{self.prefix}[{source}→{target}] {text}"


class BrokenBackend:
    name = "broken"

    def translate(self, text: str, *, source: str, target: str) -> str:
        raise ConnectionResetError("the server went away")


@pytest.fixture(autouse=True)
def _fresh_fake():
    FakeBackend.calls = []


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def libretranslate(monkeypatch):
    """Stand in for urlopen: record each request and answer with `answer` (bytes or exception)."""
    sent = []
    state = {"answer": json.dumps({"translatedText": "Mehr Busse am Abend"}).encode()}

    def urlopen(request, timeout=None):
        sent.append((request, timeout))
        if isinstance(state["answer"], BaseException):
            raise state["answer"]
        return FakeResponse(state["answer"])

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return sent, state


def test_without_a_backend_it_says_translation_is_not_set_up():
    assert backend() is None
    assert not is_available()

    with pytest.raises(TranslationUnavailable) as caught:
        machine_translate("More buses", source="en", target="de")

    assert str(caught.value) == "Machine translation is not set up on this site."
    assert caught.value.code == "not_configured"


@override_settings(MACHINE_TRANSLATION_BACKEND=FAKE, MACHINE_TRANSLATION_OPTIONS={"prefix": "»"})
def test_the_configured_backend_translates_once_and_the_result_is_cached():
    first = machine_translate("More buses", source="en", target="de")
    second = machine_translate("More buses", source="en", target="de")

    assert first == second == "»[en→de] More buses"
    assert FakeBackend.calls == [("More buses", "en", "de")]
    assert is_available()


@override_settings(MACHINE_TRANSLATION_BACKEND=FAKE)
def test_another_target_language_is_translated_again():
    machine_translate("More buses", source="en", target="de")
    machine_translate("More buses", source="en", target="ar")

    assert [call[2] for call in FakeBackend.calls] == ["de", "ar"]


def test_the_backend_follows_the_settings():
    with override_settings(MACHINE_TRANSLATION_BACKEND=FAKE):
        assert isinstance(backend(), FakeBackend)
    with override_settings(MACHINE_TRANSLATION_BACKEND=BROKEN):
        assert backend().name == "broken"

    assert backend() is None


@override_settings(MACHINE_TRANSLATION_BACKEND=FAKE)
def test_text_in_the_language_asked_for_comes_back_unchanged():
    assert machine_translate("More buses", source="en", target="en") == "More buses"
    assert FakeBackend.calls == []


def test_text_in_the_language_asked_for_needs_no_backend():
    assert machine_translate("More buses", source="en", target="en") == "More buses"


@override_settings(MACHINE_TRANSLATION_BACKEND=FAKE)
def test_texts_over_ten_thousand_characters_are_refused():
    machine_translate("a" * 10_000, source="en", target="de")

    with pytest.raises(ValueError, match="10000"):
        machine_translate("a" * 10_001, source="en", target="de")
    assert len(FakeBackend.calls) == 1


@override_settings(MACHINE_TRANSLATION_BACKEND=BROKEN)
def test_a_failing_backend_becomes_a_polite_message_and_the_error_is_logged(caplog):
    with pytest.raises(TranslationUnavailable) as caught:
        machine_translate("Secret words of a participant", source="en", target="de")

    assert str(caught.value) == "The translation service did not answer. Please try again later."
    assert caught.value.code == "failed"
    assert "ConnectionResetError" in caplog.text
    assert "Secret words" not in caplog.text


@override_settings(
    MACHINE_TRANSLATION_BACKEND=LIBRE,
    MACHINE_TRANSLATION_OPTIONS={"url": "https://translate.example.org/", "api_key": "k3y"},
)
def test_libretranslate_is_sent_the_text_as_json(libretranslate):
    sent, _state = libretranslate

    translated = machine_translate("More buses in the evening", source="en", target="de")

    assert translated == "Mehr Busse am Abend"
    [(request, timeout)] = sent
    assert request.full_url == "https://translate.example.org/translate"
    assert request.get_method() == "POST"
    assert request.get_header("Content-type") == "application/json"
    assert json.loads(request.data) == {
        "q": "More buses in the evening",
        "source": "en",
        "target": "de",
        "format": "text",
        "api_key": "k3y",
    }
    assert timeout == 10


def test_libretranslate_sends_no_api_key_when_none_is_set(libretranslate):
    sent, _state = libretranslate

    LibreTranslateBackend(url="http://127.0.0.1:5000").translate("Hi", source="en", target="fr")

    [(request, _timeout)] = sent
    assert request.full_url == "http://127.0.0.1:5000/translate"
    assert "api_key" not in json.loads(request.data)


@pytest.mark.parametrize(
    "answer",
    [
        urllib.error.URLError("connection refused"),
        TimeoutError("timed out"),
        urllib.error.HTTPError("https://x/translate", 500, "Server Error", {}, None),
        b"<html>Bad gateway</html>",
        b'{"error": "target language not supported"}',
        b'{"translatedText": 42}',
        b"{" * 2_000_000,
    ],
    ids=["refused", "timeout", "http-500", "html", "error", "not-text", "huge"],
)
@override_settings(
    MACHINE_TRANSLATION_BACKEND=LIBRE,
    MACHINE_TRANSLATION_OPTIONS={"url": "https://translate.example.org"},
)
def test_a_libretranslate_failure_becomes_translation_unavailable(libretranslate, answer):
    _sent, state = libretranslate
    state["answer"] = answer

    with pytest.raises(TranslationUnavailable):
        machine_translate("More buses", source="en", target="de")


@override_settings(
    MACHINE_TRANSLATION_BACKEND=LIBRE, MACHINE_TRANSLATION_OPTIONS={"url": "file:///etc/passwd"}
)
def test_libretranslate_refuses_an_address_that_is_not_http():
    with pytest.raises(ImproperlyConfigured):
        backend()


@override_settings(MACHINE_TRANSLATION_BACKEND=LIBRE, MACHINE_TRANSLATION_OPTIONS={})
def test_a_backend_missing_its_options_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="MACHINE_TRANSLATION_OPTIONS"):
        backend()


def test_cache_keys_keep_the_parts_of_a_request_apart():
    key = machine_translation._cache_key

    assert key("fake", "en", "de", "a") != key("fake", "en", "d", "ea")
    assert key("fake", "en", "de", "a") == key("fake", "en", "de", "a")
