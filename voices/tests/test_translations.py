"""Every UI string is translated into all 11 languages, and the compiled catalogs are current."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "voices" / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def load(code: str):
    with open(LOCALE / code / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle, locale=code)


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalog_has_no_empty_or_fuzzy_entry(code):
    catalog = load(code)
    assert not catalog.fuzzy, f"{code}: the header is marked fuzzy"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, f"{code}: {len(problems)} entries need a translation: {problems[:10]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalog_matches_the_source(code):
    catalog = load(code)
    with open(LOCALE / code / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog:
        if not message.id or message.pluralizable:
            continue
        msgid = message.id if not message.context else f"{message.context}\x04{message.id}"
        assert compiled._catalog.get(msgid) == message.string, (
            f"{code}: django.mo is out of date for {message.id!r}; run `make messages`."
        )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_string_in_the_code_is_in_the_catalogs(tmp_path):
    """Extract the strings from a copy of the code: none may be missing from the catalogs."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "voices", copy / "voices", ignore=shutil.ignore_patterns("static"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "../manage.py", "makemessages", "-l", "fr", "--no-obsolete",
         "--ignore", "tests/*", "--ignore", "*/tests/*", "-v0"],
        cwd=copy / "voices",
        capture_output=True,
        text=True,
        timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "voices.testing", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with open(copy / "voices" / "locale" / "fr" / "LC_MESSAGES" / "django.po", "rb") as handle:
        extracted = read_po(handle, locale="fr")
    missing = [m.id for m in extracted if m.id and (m.fuzzy or not m.string)]
    assert not missing, f"Strings not in the catalogs yet (run `make messages`): {missing[:10]}"
