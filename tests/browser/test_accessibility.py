"""Every page of the demo, in English and Arabic, for three personas: axe-core finds nothing.

The crawl starts at the home page and follows same-origin links (GET only), checking one page per
Django URL pattern, language and persona. The same crawl records every request the pages make, so
a second test can show that no page loads anything from another host.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from django.utils import translation

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "ar")
# Never followed: they change state, leave the site's HTML, or are not pages.
SKIP_PATH_PREFIXES = ("/api/", "/admin/", "/static/")
SKIP_VIEWS = {"core:attachment_download", "mfa_download_recovery_codes", "accounts:data"}
FILE_SUFFIXES = (".pdf", ".csv", ".xlsx", ".ods", ".json", ".xml", ".zip", ".txt", ".docx")
# Pages no link leads to, checked too.
UNLINKED_PATHS = [
    "/{lang}/accounts/password/reset/",
    "/{lang}/account/delete/",
    "/{lang}/account/tokens/",
    "/{lang}/no-such-page/",
]
NOT_FOUND = "<404>"
# axe checks that aria-describedby/-labelledby name existing ids, not that those say anything: an
# id on an element the HTML parser emptied (a <ul> inside a <p>) passes axe but is read as nothing.
EMPTY_REFERENCES = """() => {
    const found = [];
    for (const attr of ["aria-describedby", "aria-labelledby"]) {
        for (const el of document.querySelectorAll(`[${attr}]`)) {
            for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                const target = document.getElementById(id);
                if (!target || !target.textContent.trim()) {
                    found.push(`<${el.localName} id=${el.id}> ${attr}=${id} is missing or empty`);
                }
            }
        }
    }
    return found;
}"""
# A crawl that silently stops following links would pass; these pages must have been reached.
MUST_REACH = {
    "anonymous": {
        "home",
        "directory:country_list",
        "directory:country_detail",
        "directory:organisation_list",
        "directory:organisation_detail",
        "account_login",
        "account_signup",
        "account_reset_password",
        NOT_FOUND,
    },
    "amina": {
        "home",
        "directory:organisation_detail",
        "core:notifications",
        "accounts:profile",
        "accounts:tokens",
        "accounts:delete",
        "account_email",
        "account_change_password",
        "mfa_index",
        "mfa_activate_totp",
        NOT_FOUND,
    },
    "coordinator": {
        "home",
        "core:audit_log",
        "directory:organisation_detail",
        "directory:organisation_edit",
        "directory:organisation_people",
        "directory:organisation_create",
        "accounts:profile",
        "mfa_index",
        "mfa_deactivate_totp",
        "mfa_generate_recovery_codes",
        NOT_FOUND,
    },
}
PERSONAS = list(MUST_REACH)


@dataclass
class Crawl:
    checked: dict[tuple[str, str], str] = field(default_factory=dict)  # (lang, view) -> URL
    violations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def page_key(url: str, origin: str) -> tuple[str, str] | None:
    """Return (language, URL pattern name) for a page worth checking, or None to skip the URL."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path
    match = re.fullmatch(r"/(?P<lang>[a-z]{2})(?P<rest>/.*)", path)
    if match is None or match["lang"] not in LANGUAGES:
        return None
    if match["rest"].startswith(SKIP_PATH_PREFIXES) or path.lower().endswith(FILE_SUFFIXES):
        return None
    with translation.override(match["lang"]):
        try:
            view_name = resolve(path).view_name
        except Resolver404:
            return (match["lang"], NOT_FOUND)
    if view_name in SKIP_VIEWS or "logout" in view_name:
        return None
    return (match["lang"], view_name)


def format_violation(url: str, violation: dict) -> str:
    nodes = "; ".join(
        f"{' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1].strip()}"
        for node in violation["nodes"][:5]
    )
    return f"{url}\n    {violation['id']} ({violation['impact']}): {violation['help']}\n    {nodes}"


def crawl(context, origin: str, axe_violations) -> Crawl:
    """Visit the site from its home page in each language; run axe once per page."""
    result = Crawl()
    context.on("request", lambda request: result.requests.append(request.url))
    page = context.new_page()
    starts = [f"{origin}/{lang}/" for lang in LANGUAGES]
    extras = [origin + path.format(lang=lang) for path in UNLINKED_PATHS for lang in LANGUAGES]
    queue = deque()
    queued = set()
    for url in starts + extras:
        key = page_key(url, origin)
        if key not in queued:
            queued.add(key)
            queue.append(url)
    while queue:
        url = queue.popleft()
        response = page.goto(url)
        key = page_key(page.url, origin)
        if response is None or key is None or key in result.checked:
            continue  # Redirected to a page already checked (or off the site).
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        expected = 404 if key[1] == NOT_FOUND else 200
        if response.status != expected:
            result.problems.append(f"{page.url}: HTTP {response.status} (from {url})")
        result.checked[key] = page.url
        # Open every <details> (the language switcher) so that its content is checked too.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        for problem in page.evaluate(EMPTY_REFERENCES):
            result.problems.append(f"{page.url}: {problem}")
        for violation in axe_violations(page):
            result.violations.append(format_violation(page.url, violation))
        # Links marked `download` lead to files (e.g. "Download my data"), not pages.
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)"
        ):
            href = urldefrag(href)[0]
            link_key = page_key(href, origin)
            if link_key is not None and link_key not in queued:
                queued.add(link_key)
                queue.append(href)
    page.close()
    return result


_CRAWLS: dict[str, Crawl] = {}


@pytest.fixture
def crawl_as(demo, live_server, new_context, axe_violations):
    """Return the crawl of the site as a persona, made once per session and then reused."""

    def get(persona: str) -> Crawl:
        if persona not in _CRAWLS:
            context = new_context(None if persona == "anonymous" else persona)
            _CRAWLS[persona] = crawl(context, live_server.url, axe_violations)
        return _CRAWLS[persona]

    return get


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_passes_axe_in_english_and_arabic(crawl_as, persona):
    result = crawl_as(persona)
    for lang in LANGUAGES:
        reached = {view for (page_lang, view) in result.checked if page_lang == lang}
        missing = MUST_REACH[persona] - reached
        assert not missing, f"{persona} ({lang}): the crawl never reached {sorted(missing)}"
    assert not result.problems, "\n".join(result.problems)
    assert not result.violations, (
        f"{len(result.violations)} axe violation(s) for {persona} "
        f"on {len(result.checked)} pages:\n" + "\n".join(result.violations)
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_requests_another_host(crawl_as, live_server, persona):
    result = crawl_as(persona)
    assert result.requests, "the crawl recorded no request at all"
    foreign = sorted(
        {
            url
            for url in result.requests
            if not (url.startswith(live_server.url + "/") or url.startswith("data:"))
        }
    )
    assert not foreign, f"{persona}: pages requested other hosts:\n" + "\n".join(foreign)
