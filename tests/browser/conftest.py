"""Browser tests: Chromium driven by Playwright against pytest-django's live server.

One browser for the whole session, one context per persona. Nothing is downloaded: the tests use
the system's Chromium (Debian's /usr/bin/chromium, or `chromium` on PATH, or $VOICES_CHROMIUM).
Without a browser every test here is skipped with one reason, unless VOICES_REQUIRE_BROWSER=1,
in which case the suite fails instead (CI sets it, so a missing browser never passes silently).
"""

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

BROWSER_DIR = Path(__file__).parent
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# Fast hashing: the demo creates ten users, and PBKDF2 would spend seconds on their passwords.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEFAULT_TIMEOUT_MS = 15_000


def chromium_path() -> str | None:
    """Return the system Chromium to drive, or None when there is none."""
    configured = os.environ.get("VOICES_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def browser_required() -> bool:
    return os.environ.get("VOICES_REQUIRE_BROWSER") == "1"


def _missing_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright (python) is not installed"
    if chromium_path() is None:
        return "no Chromium found (/usr/bin/chromium, `chromium` on PATH or $VOICES_CHROMIUM)"
    return None


def pytest_collection_modifyitems(config, items):
    """Skip every browser test at once when there is no browser (and none is required)."""
    reason = _missing_reason()
    if reason is None or browser_required():
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    reason = _missing_reason()
    if reason is not None:
        message = f"VOICES_REQUIRE_BROWSER=1 but {reason}"
        if browser_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
            )
        except Exception as exc:  # noqa: BLE001 - any launch failure means "no usable browser".
            message = f"Chromium at {chromium_path()} did not start: {exc}".splitlines()[0]
            if browser_required():
                pytest.fail(message, pytrace=False)
            pytest.skip(f"browser tests skipped: {message}")
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db, live_server, settings) -> None:
    """The demo programme in the live server's database (flushed again after each test)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    call_command("seed_demo", "--quiet-logins")


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable]:
    """Make a browser context, signed in as `username` (a demo user) or anonymous.

    The session is made on the server (`force_login`), so staff skip the second-factor stage; the
    login form itself is covered by the flow tests. The session also records, as allauth does, a
    password and second-factor login made just now, so that the pages that ask to confirm the
    password (second factor, recovery codes) show themselves, not the reauthentication form.
    """
    contexts = []

    def make(username: str | None = None, **options):
        from voices.accounts.models import User

        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        if username is not None:
            user = User.objects.get(username=username)
            client = Client()
            client.force_login(user)
            session = client.session
            now = time.time()
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "password", "at": now, "username": username, "reauthenticated": True},
                {"method": "mfa", "at": now, "type": "totp"},
            ]
            session["account_authentication_methods_user"] = str(user.pk)
            session.save()
            name = django_settings.SESSION_COOKIE_NAME
            cookie = {"name": name, "value": client.cookies[name].value, "url": live_server.url}
            context.add_cookies([cookie])
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_violations() -> Callable:
    """Return a function that runs axe-core (bundled, no network) on a page: its violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page) -> list[dict]:
        return axe.run(page, options=AXE_OPTIONS).response["violations"]

    return run
