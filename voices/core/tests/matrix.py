"""The permission matrix: every URL pattern × every persona × someone else's object.

Each app declares its URLs in `<app>/tests/matrix.py` as `CASES`; the test in
`test_permission_matrix.py` walks the URL resolver and fails for any named URL without a case, so a
URL added later joins the matrix by declaring who may use it, never by editing the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

PERSONAS = (
    "anonymous",
    "participant",
    "officer",
    "facilitator",
    "researcher",
    "mentor",
    "judge",
    "coordinator",
    "admin",
)
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
WITH_SECOND_FACTOR = frozenset({"officer", "facilitator", "coordinator", "admin"})
PROGRAMME_STAFF = frozenset({"coordinator", "admin"})
NOBODY: frozenset[str] = frozenset()

World = SimpleNamespace


@dataclass(frozen=True)
class Case:
    """Who may use the URL `name` on another person's / organisation's object."""

    name: str
    allowed: frozenset[str]
    kwargs: Callable[[World], dict] = field(default=lambda w: {})
    method: str = "get"
    data: Callable[[World], dict] = field(default=lambda w: {})
    reason: str = ""


CASES = [
    Case("core:audit_log", PROGRAMME_STAFF),
    Case(
        "core:attachment_download",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"attachment_id": w.other_attachment.pk},
        reason="a document of an organisation the persona does not act for",
    ),
    Case("core:notifications", SIGNED_IN),
    Case("core:notifications_read", SIGNED_IN, method="post"),
    Case(
        "core:document_upload",
        PROGRAMME_STAFF,
        method="post",
        data=lambda w: {"owner": f"councils.council:{w.other_council.pk}"},
        reason="adding a document to another council's papers",
    ),
    Case(
        "core:document_remove",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"attachment_id": w.other_attachment.pk},
        method="post",
    ),
    # Django admin pages that differ from "administrators only" (the rest: see the test).
    Case(
        "admin:logout",
        frozenset({"admin", "anonymous"}),
        method="post",
        reason="an anonymous visitor is only sent on to the admin's login",
    ),
    Case("admin:autocomplete", NOBODY, reason="answers only with a field to complete"),
    Case("admin:core_auditentry_add", NOBODY, reason="the audit log is written by code only"),
    Case(
        "admin:django_tasks_database_dbtaskresult_add",
        NOBODY,
        reason="tasks are enqueued by code only",
    ),
]
