"""Only the granted combinations of URL × persona succeed (see matrix.py)."""

from importlib import import_module
from importlib.util import find_spec
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from voices.accounts.models import Role
from voices.accounts.services import token_create
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.core.tests.matrix import PERSONAS, Case
from voices.core.uploads import attachment_create
from voices.directory.models import Organisation
from voices.directory.tests.factories import CountryFactory, OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, pattern, namespace


def url_names() -> list[str]:
    names = []
    for name, _pattern, namespace in _walk(get_resolver().url_patterns):
        if name is None and namespace == "admin":
            continue  # the admin's unnamed catch-alls only redirect to its named pages
        names.append(name)
    return names


def matrix_modules() -> list:
    """`<app>/tests/matrix.py` of every Voices app (and the project's), lowest layer first."""
    names = [
        f"{c.name}.tests.matrix" for c in apps.get_app_configs() if c.name.startswith("voices.")
    ]
    names.append("voices.tests.matrix")
    return [
        import_module(name)
        for name in names
        if find_spec(name.rsplit(".", 1)[0]) is not None and find_spec(name) is not None
    ]


MATRIX_MODULES = matrix_modules()


def declared_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for module in MATRIX_MODULES:
        for case in getattr(module, "CASES", []):
            assert case.name not in cases, f"{case.name} is declared twice"
            cases[case.name] = case
    return cases


def admin_cases(names: list[str]) -> dict[str, Case]:
    """The Django admin is for administrators only; its pages without parameters are checked."""
    return {
        name: Case(name, frozenset({"admin"}))
        for name in names
        if name and name.startswith("admin:")
    }


ALL_NAMES = url_names()
DECLARED = declared_cases()
CASES = {**admin_cases(ALL_NAMES), **DECLARED}


def test_every_url_pattern_has_a_declared_case():
    missing = [name or "(unnamed)" for name in ALL_NAMES if name not in CASES]
    assert not missing, f"Declare who may use these URLs in <app>/tests/matrix.py: {missing}"


def _resolvable(case: Case) -> bool:
    """Declared cases give their URL parameters; the admin's own are checked without any."""
    if not case.name.startswith("admin:") or case.name in DECLARED:
        return True
    return not any(
        n == case.name and p.pattern.regex.groups
        for n, p, _ns in _walk(get_resolver().url_patterns)
    )


MATRIX = [
    pytest.param(case, persona, id=f"{case.name}-{persona}")
    for case in CASES.values()
    if _resolvable(case)
    for persona in PERSONAS
]


def build_world() -> SimpleNamespace:
    """People with every role, and objects that belong to none of them."""
    country = CountryFactory(code="AT")
    own_authority = OrganisationFactory(slug="own-authority", country=country)
    own_ngo = OrganisationFactory(slug="own-ngo", country=country, kind=Organisation.Kind.NGO)
    other_org = OrganisationFactory(slug="other-org", country=country)
    someone = UserFactory(username="someone-else")
    other_grant = grant(someone, Role.REPRESENTATIVE, other_org)
    other_token, _secret = token_create(user=someone, name="theirs")
    upload = SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf")
    other_attachment = attachment_create(owner=other_org, upload=upload, uploaded_by=someone)

    people = {"anonymous": None}
    people["participant"] = UserFactory(username="p-participant")
    people["officer"] = with_second_factor(UserFactory(username="p-officer"))
    grant(people["officer"], Role.OFFICER, own_authority)
    people["facilitator"] = with_second_factor(UserFactory(username="p-facilitator"))
    grant(people["facilitator"], Role.FACILITATOR, own_ngo)
    for role in ("researcher", "mentor", "judge", "coordinator"):
        people[role] = UserFactory(username=f"p-{role}")
        grant(people[role], role)
    with_second_factor(people["coordinator"])
    people["admin"] = with_second_factor(UserFactory(username="p-admin", is_superuser=True))
    world = SimpleNamespace(
        country=country,
        other_org=other_org,
        other_grant=other_grant,
        other_token=other_token,
        other_attachment=other_attachment,
        someone=someone,
        people=people,
    )
    # Each app adds its own objects (and scoped roles of the personas) in its matrix module.
    for module in MATRIX_MODULES:
        extend = getattr(module, "extend_world", None)
        if extend is not None:
            extend(world)
    return world


def succeeded(response) -> bool:
    """2xx, or a redirect anywhere but to a login or second-factor page."""
    if response.status_code in (200, 201, 204):
        return True
    if response.status_code in (301, 302, 303):
        target = urlparse(response["Location"]).path
        refusals = (reverse("account_login"), reverse("admin:login"))
        return not target.startswith(refusals) and "/2fa/" not in target
    return False


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), MATRIX)
def test_only_granted_personas_succeed(case: Case, persona: str):
    world = build_world()
    client = Client()
    user = world.people[persona]
    if user is not None:
        client.force_login(user)
    url = reverse(case.name, kwargs=case.kwargs(world))
    response = getattr(client, case.method)(url, data=case.data(world))

    if persona in case.allowed:
        assert succeeded(response), (
            f"{persona} should be able to {case.method.upper()} {url}: {response.status_code}"
        )
    else:
        assert not succeeded(response), (
            f"{persona} must not {case.method.upper()} {url}: {response.status_code}"
        )
        assert response.status_code in (301, 302, 303, 401, 403, 404, 405), response.status_code
