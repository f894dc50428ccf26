"""Permission-matrix cases of the Inquiry Lab's briefs pages (see matrix.py).

The other team (of strangers, in another organisation's challenge in its work stage) has a
submitted brief with one attachment. Only its members write, only its lead submits; the
challenge's mentors read drafts; those who run the challenge (programme staff, among the
personas) read the submitted brief; nobody else sees anything (404).
"""

from voices.core.tests.matrix import NOBODY, PROGRAMME_STAFF, Case
from voices.core.uploads import attachment_create
from voices.inquirylab.brief_services import BRIEF_ATTACHMENT_TYPES
from voices.inquirylab.tests.factories import brief_for
from voices.inquirylab.tests.factories_briefs import upload

ADMIN = frozenset({"admin"})


def extend(world) -> None:
    """Add this area's objects to the world."""
    world.other_brief = brief_for(world.other_team)
    world.other_brief_file = attachment_create(
        owner=world.other_brief,
        upload=upload("evidence.pdf"),
        uploaded_by=world.someone,
        allowed=BRIEF_ATTACHMENT_TYPES,
    )


def _team(w) -> dict:
    return {"team_id": w.other_team.pk}


def _version(w) -> dict:
    return {"team_id": w.other_team.pk, "number": 1}


def _file(w) -> dict:
    return {"attachment_id": w.other_brief_file.pk}


CASES = [
    Case(
        "inquirylab:brief_edit",
        NOBODY,
        kwargs=_team,
        reason="only the team's members write its brief",
    ),
    Case("inquirylab:brief_submit", NOBODY, kwargs=_team, method="post"),
    Case(
        "inquirylab:brief_attachment_add",
        NOBODY,
        kwargs=_team,
        method="post",
        data=lambda w: {"file": upload("more.pdf")},
    ),
    Case(
        "inquirylab:brief_versions",
        ADMIN,
        kwargs=_team,
        reason="drafts are the team's and its mentors' only (an administrator sees everything)",
    ),
    Case("inquirylab:brief_version", ADMIN, kwargs=_version),
    Case("inquirylab:brief_version_restore", NOBODY, kwargs=_version, method="post"),
    Case(
        "inquirylab:brief",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"brief_id": w.other_brief.pk},
        reason="those who run the challenge read submitted briefs; the public after the results",
    ),
    Case("inquirylab:brief_attachment", PROGRAMME_STAFF, kwargs=_file),
    Case(
        "inquirylab:brief_attachment_delete",
        NOBODY,
        kwargs=_file,
        method="post",
        reason="only the team's members remove its files, while they may write",
    ),
]
