"""No input, however malformed, produces a server error: every form and list is fed garbage.

Forms are found by reading each page's HTML, so a form added later is covered without editing
this test; the people and objects come from the permission matrix's world.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from voices.core.tests.matrix import PERSONAS
from voices.core.tests.test_permission_matrix import CASES, build_world

HOSTILE = [
    "",
    " ",
    "\x00",
    "x" * 20_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE accounts_user; --",
    "-1",
    "99999999999999999999999",
    "\u202etxt.exe",
    "２０２６",
    "1e309",
    "../../etc/passwd",
]

# Pages whose forms end a session or delete things are fed garbage elsewhere (their own tests).
SKIP = {"account_logout", "admin:logout", "accounts:delete"}


def _privileged(case) -> str | None:
    allowed = [p for p in PERSONAS if p in case.allowed and p != "anonymous"]
    return allowed[-1] if allowed else None


FORM_CASES = [
    pytest.param(case, id=case.name)
    for case in CASES.values()
    if case.method == "get"
    and not case.name.startswith(("admin:", "api:"))
    and case.name not in SKIP
    and case.allowed
]


def _client(world, persona):
    client = Client(raise_request_exception=False)
    if persona is not None:
        client.force_login(world.people[persona])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("case", FORM_CASES)
def test_garbage_in_any_form_or_query_never_breaks_a_page(case):
    world = build_world()
    persona = _privileged(case) if "anonymous" not in case.allowed else "coordinator"
    client = _client(world, persona if persona != "anonymous" else None)
    url = reverse(case.name, kwargs=case.kwargs(world))

    page = client.get(url)
    assert page.status_code < 500
    is_html = page.get("Content-Type", "").startswith("text/html")
    html = page.content.decode(errors="replace") if page.status_code == 200 and is_html else ""
    names = sorted(set(re.findall(r'name="([\w-]+)"', html)) - {"csrfmiddlewaretoken"})

    for value in HOSTILE:
        response = client.get(url, {"page": value, "country": value, "kind": value, "q": value})
        assert response.status_code < 500, (url, "GET", value)
        if names and "<form" in html and 'method="post"' in html:
            response = client.post(url, {name: value for name in names})
            assert response.status_code < 500, (url, "POST", value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [c.name for c in CASES.values() if c.method == "post" and c.allowed]
)
def test_garbage_posted_to_actions_never_breaks_them(name):
    case = CASES[name]
    world = build_world()
    client = _client(world, _privileged(case))
    url = reverse(case.name, kwargs=case.kwargs(world))
    for value in HOSTILE:
        response = client.post(url, {"file": value, "next": value, "name": value})
        assert response.status_code < 500, (url, value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/en/councils/?country=%00",
        "/en/organisations/?kind=a%00b",
        "/en/recommendations/?council=x%00",
        "/en/recommendations/export.csv?authority=%00",
    ],
)
def test_a_nul_byte_in_a_page_query_is_a_400_not_a_server_error(client, url):
    # PostgreSQL refuses NUL in text comparisons; the page must not get that far.
    assert client.get(url).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/councils?country=%00",
        "/api/v1/organisations?country=a%00",
        "/api/v1/recommendations?authority=%00",
        "/api/v1/recommendations/scorecards?country=%00",
    ],
)
def test_a_nul_byte_in_an_api_query_is_refused_in_the_api_error_format(client, url):
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
