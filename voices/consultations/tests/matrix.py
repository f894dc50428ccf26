"""Who may use the consultations' pages and API routes on another authority's consultation."""

from voices.accounts.tests.factories import UserFactory
from voices.consultations.models import Comment
from voices.consultations.tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ProposalFactory,
)
from voices.core import moderation
from voices.core.tests.matrix import (
    EVERYONE,
    NOBODY,
    PROGRAMME_STAFF,
    SIGNED_IN,
    WITH_SECOND_FACTOR,
    Case,
)


def extend_world(world) -> None:
    """A published consultation of an authority none of the personas serves, in its contributions
    phase, with someone else's proposal and comment; a draft of the same authority; a block.

    Runs after the councils' module, which made `world.other_motion`.
    """
    admin = world.people["admin"]
    world.other_consultation = ConsultationFactory(
        owner_organisation=world.other_org, country=world.country
    )
    world.other_draft_consultation = ConsultationFactory(
        owner_organisation=world.other_org, country=world.country, is_published=False
    )
    world.other_proposal = ProposalFactory(
        consultation=world.other_consultation, author=world.someone,
        title="More evening language classes",
    )  # fmt: skip
    world.other_comment = CommentFactory(proposal=world.other_proposal, author=world.someone)
    world.other_block = moderation.user_block(
        actor=admin, scope=world.other_consultation, model=Comment,
        user=UserFactory(username="blocked-person"), reason="Insults in three comments.",
    )  # fmt: skip


def _consultation(w) -> dict:
    return {"consultation_id": w.other_consultation.pk}


def _draft(w) -> dict:
    return {"consultation_id": w.other_draft_consultation.pk}


def _proposal(w) -> dict:
    return {"proposal_id": w.other_proposal.pk}


def _comment(w) -> dict:
    return {"kind": "comment", "object_id": w.other_comment.pk}


def _comment_form(w) -> dict:
    return {"body": "The classes should start at 18:00.", "stance": "for", "language": "en"}


CASES = [
    # Published consultations are public.
    Case("consultations:list", EVERYONE),
    Case("consultations:search", EVERYONE, data=lambda w: {"q": "language"}),
    Case("consultations:detail", EVERYONE, kwargs=_consultation),
    Case("consultations:proposals", EVERYONE, kwargs=_consultation),
    Case("consultations:proposal_detail", EVERYONE, kwargs=_proposal),
    Case("consultations:results", EVERYONE, kwargs=_consultation),
    Case("consultations:export", EVERYONE, kwargs=_consultation),
    Case("consultations:report_pdf", EVERYONE, kwargs=_consultation),
    Case(
        "consultations:translate",
        EVERYONE,
        kwargs=_comment,
        data=lambda w: {"to": "de"},
        reason="without a translation service the page says so, with the original",
    ),
    # Running a consultation: its authority's officers and programme staff, with a second factor.
    Case(
        "consultations:create",
        WITH_SECOND_FACTOR,
        reason="officers and facilitators open consultations for their own authority or council; "
        "the form offers no other owner",
    ),
    Case("consultations:edit", PROGRAMME_STAFF, kwargs=_consultation),
    Case(
        "consultations:publish",
        PROGRAMME_STAFF,
        kwargs=_draft,
        method="post",
        reason="another authority's draft: hidden (404) from everyone else",
    ),
    Case("consultations:moderation", PROGRAMME_STAFF, kwargs=_consultation),
    Case(
        "consultations:moderate",
        PROGRAMME_STAFF,
        kwargs=_comment,
        method="post",
        data=lambda w: {"action": "hide", "reason": "An insult."},
    ),
    Case(
        "consultations:block",
        PROGRAMME_STAFF,
        kwargs=_comment,
        method="post",
        data=lambda w: {"reason": "Insults in three comments."},
    ),
    Case(
        "consultations:unblock",
        PROGRAMME_STAFF,
        kwargs=lambda w: {**_consultation(w), "block_id": w.other_block.pk},
        method="post",
    ),
    Case("consultations:closing_statement", PROGRAMME_STAFF, kwargs=_consultation),
    Case("consultations:proposal_answer", PROGRAMME_STAFF, kwargs=_proposal),
    # Taking part: anyone signed in (this consultation takes no contributions without an account).
    Case(
        "consultations:participation",
        SIGNED_IN,
        kwargs=_consultation,
        method="post",
        reason="anyone with an account may take part in it",
    ),
    Case(
        "consultations:proposal_create",
        SIGNED_IN,
        kwargs=_consultation,
        method="post",
        data=lambda w: {
            "title": "Night buses to the suburbs",
            "body": "After 23:00.",
            "language": "en",
        },
    ),  # fmt: skip
    Case(
        "consultations:comment_create",
        SIGNED_IN,
        kwargs=_consultation,
        method="post",
        data=_comment_form,
    ),
    Case(
        "consultations:proposal_comment_create",
        SIGNED_IN,
        kwargs=lambda w: {**_consultation(w), **_proposal(w)},
        method="post",
        data=_comment_form,
    ),
    Case(
        "consultations:proposal_support",
        SIGNED_IN,
        kwargs=_proposal,
        method="post",
        data=lambda w: {"support": "1"},
    ),
    Case(
        "consultations:report",
        SIGNED_IN,
        kwargs=_comment,
        method="post",
        data=lambda w: {"reason": "abuse", "note": "An insult."},
    ),
    # Someone else's own contributions: only their author changes them.
    Case(
        "consultations:proposal_edit",
        NOBODY,
        kwargs=_proposal,
        reason="only its author edits a proposal; moderators hide, they do not rewrite",
    ),
    Case("consultations:proposal_withdraw", NOBODY, kwargs=_proposal, method="post"),
    Case(
        "consultations:comment_remove",
        NOBODY,
        kwargs=lambda w: {"comment_id": w.other_comment.pk},
        method="post",
    ),
    Case(
        "consultations:proposal_cite",
        PROGRAMME_STAFF,
        kwargs=_proposal,
        reason="citing needs an undecided motion in a council one may propose motions in: the "
        "only one is another council's (the POST: see test_views)",
    ),
    # The open-data API: published consultations, to anyone.
    Case("api:consultations", EVERYONE),
    Case("api:consultation", EVERYONE, kwargs=_consultation),
    Case("api:consultation_proposals", EVERYONE, kwargs=_consultation),
]
