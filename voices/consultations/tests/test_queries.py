"""The consultation page, the proposal list and the proposal page run a fixed number of queries,
whether a consultation has three proposals and comments or ten thousand and a hundred thousand."""

import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voices.accounts.tests.factories import UserFactory
from voices.consultations import components
from voices.consultations.models import Comment, Consultation, Participant, Proposal, Support
from voices.consultations.tests.factories import (
    CommentFactory,
    ConsultationFactory,
    ProposalFactory,
)
from voices.core.models import ModerationState
from voices.councils.tests.factories import CouncilFactory
from voices.directory.tests.factories import RegionFactory

BATCH = 5000


def add_proposals(consultation: Consultation, count: int, authors: list) -> list[Proposal]:
    """`count` published proposals, with varied supports, written in one go."""
    author = itertools.cycle(authors)
    start = Proposal.objects.count()
    return Proposal.objects.bulk_create(
        (
            Proposal(
                consultation=consultation,
                author=next(author),
                language="en",
                title=f"Proposal number {start + i}",
                body="Evening classes near the station.",
                supports_count=(start + i) * 7919 % 500,
            )  # fmt: skip
            for i in range(count)
        ),
        batch_size=BATCH,
    )


def add_threads(
    consultation: Consultation, proposals: list[Proposal | None], authors: list, replies: int
) -> int:
    """A first comment on each of `proposals` (None: on the consultation itself), and a reply to
    every `replies`-th of them (none when 0); returns how many comments were written."""
    author = itertools.cycle(authors)
    roots = Comment.objects.bulk_create(
        (
            Comment(
                consultation=consultation,
                proposal=proposal,
                author=next(author),
                language="en",
                body="I agree, the classes are full.",
                stance=Comment.Stance.IN_FAVOUR,
            )  # fmt: skip
            for proposal in proposals
        ),
        batch_size=BATCH,
    )
    answered = roots[::replies] if replies else []
    Comment.objects.bulk_create(
        (
            Comment(
                consultation=consultation,
                proposal=root.proposal,
                parent=root,
                thread=root,
                depth=1,
                author=next(author),
                language="de",
                body="Ja, abends bitte.",
                stance=Comment.Stance.NEUTRAL,
            )  # fmt: skip
            for root in answered
        ),
        batch_size=BATCH,
    )
    return len(roots) + len(answered)


def grow(consultation: Consultation, proposal: Proposal, count: int, authors: list) -> None:
    """Add `count` proposals, and `count` threads both on the consultation and on `proposal`."""
    add_proposals(consultation, count, authors)
    add_threads(consultation, [None] * count + [proposal] * count, authors, replies=2)


@pytest.fixture
def authors(db) -> list:
    return [UserFactory(display_name=f"Writer {i}") for i in range(3)]


@pytest.fixture
def proposal(consultation, participant, authors) -> Proposal:
    """The proposal whose page is measured; the participant supports it and comments on it."""
    proposal = ProposalFactory(consultation=consultation, author=authors[0])
    taking_part = Participant.objects.create(consultation=consultation, user=participant)
    Support.objects.create(consultation=consultation, proposal=proposal, participant=taking_part)
    add_threads(consultation, [proposal, None], [participant], replies=1)
    return proposal


def pages(consultation: Consultation, proposal: Proposal) -> dict[str, str]:
    proposals = reverse("consultations:proposals", kwargs={"consultation_id": consultation.pk})
    return {
        "consultation": consultation.get_absolute_url(),
        "proposal list": proposals,
        "proposal list, most supported, page 50": f"{proposals}?order=supported&page=50",
        "proposal list, newest, page 50": f"{proposals}?order=new&page=50",
        "proposal": proposal.get_absolute_url(),
    }


def visitor(who: str, participant) -> Client:
    client = Client()
    if who == "participant":
        client.force_login(participant)
    return client


def queries_of(client: Client, page: str) -> int:
    client.get(page)  # per-process caches (content types, sites) are filled by the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "participant"])
@pytest.mark.parametrize("page", ["consultation", "proposal list", "proposal"])
def test_a_page_runs_as_many_queries_with_30_proposals_and_comments_as_with_3(
    consultation, proposal, authors, participant, django_assert_num_queries, page, who
):
    client = visitor(who, participant)
    grow(consultation, proposal, 2, authors)
    address = pages(consultation, proposal)[page]
    few = queries_of(client, address)

    grow(consultation, proposal, 27, authors)

    with django_assert_num_queries(few):
        response = client.get(address)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 20  # a full page, not the 3 of before


@pytest.mark.django_db
def test_a_consultation_with_10000_proposals_and_100000_comments_keeps_the_query_budget(
    consultation, proposal, authors, participant, django_assert_num_queries
):
    grow(consultation, proposal, 2, authors)
    clients = {who: visitor(who, participant) for who in ("anonymous", "participant")}
    addresses = pages(consultation, proposal)
    budget = {
        (who, page): queries_of(client, address)
        for who, client in clients.items()
        for page, address in addresses.items()
    }

    proposals = add_proposals(consultation, 10_000 - 3, authors)
    on_proposals = [p for p in proposals for _ in range(8)]  # eight threads each
    written = Comment.objects.count()
    written += add_threads(consultation, [None] * 2_000 + on_proposals, authors, replies=10)
    written += add_threads(consultation, [proposal] * 100, authors, replies=3)
    add_threads(consultation, [None] * (100_000 - written), authors, replies=0)

    assert Proposal.objects.filter(consultation=consultation).count() == 10_000
    assert Comment.objects.filter(consultation=consultation).count() == 100_000
    for (who, page), count in budget.items():
        with django_assert_num_queries(count):
            response = clients[who].get(addresses[page])
        assert response.status_code == 200, (who, page)
    supported = clients["anonymous"].get(addresses["proposal list, most supported, page 50"])
    assert supported.context["page"].number == 50
    counts = [p.supports_count for p in supported.context["page"].object_list]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.django_db
def test_the_consultation_list_runs_as_many_queries_with_30_consultations_as_with_3(
    client, authority, django_assert_num_queries
):
    ConsultationFactory.create_batch(3, owner_organisation=authority)
    address = reverse("consultations:list")
    few = queries_of(client, address)

    ConsultationFactory.create_batch(27, owner_organisation=authority, region=RegionFactory())

    with django_assert_num_queries(few):
        response = client.get(address)
    assert len(response.context["page"].object_list) == 20


@pytest.mark.django_db
def test_the_proposal_page_runs_as_many_queries_with_30_councils_as_with_3(
    proposal, participant, django_assert_num_queries
):
    CouncilFactory.create_batch(3)
    client = visitor("participant", participant)
    few = queries_of(client, proposal.get_absolute_url())

    CouncilFactory.create_batch(27)

    with django_assert_num_queries(few):
        client.get(proposal.get_absolute_url())


def reported(consultation: Consultation, count: int) -> None:
    """`count` proposals and `count` comments on them, hidden by reports."""
    for proposal in add_proposals(consultation, count, [UserFactory()]):
        proposal.moderation_state = ModerationState.REPORTED
        proposal.save(update_fields=["moderation_state"])
        CommentFactory(proposal=proposal, moderation_state=ModerationState.REPORTED)


@pytest.mark.django_db
def test_the_moderation_queue_runs_as_many_queries_with_30_entries_as_with_3(
    client, consultation, officer, django_assert_num_queries
):
    client.force_login(officer)
    address = reverse("consultations:moderation", kwargs={"consultation_id": consultation.pk})
    reported(consultation, 3)
    few = queries_of(client, address)

    reported(consultation, 27)

    with django_assert_num_queries(few):
        response = client.get(address)
    assert len(response.context["entries"]) == 60


@pytest.fixture
def hidden_count(consultation, monkeypatch) -> None:
    """A part of the consultation moderated on its own page, which counts what waits there in
    one query (here: the hidden proposals)."""

    def waiting(consultation, *, user) -> components.Waiting:
        hidden = Proposal.objects.filter(
            consultation=consultation, moderation_state=ModerationState.REPORTED
        ).count()
        return components.Waiting(text=f"{hidden} wait", url="/hidden/", count=hidden)

    part = components.Component(
        key="hidden", label="Hidden", block=lambda *args, **kwargs: None, moderation=waiting
    )
    monkeypatch.setitem(components._components, "hidden", part)
    consultation.components = ["proposals", "hidden"]
    consultation.save()


@pytest.mark.django_db
def test_the_moderation_queue_asks_each_part_of_the_consultation_once_whatever_waits(
    client, consultation, officer, hidden_count, django_assert_num_queries
):
    client.force_login(officer)
    address = reverse("consultations:moderation", kwargs={"consultation_id": consultation.pk})
    reported(consultation, 3)
    few = queries_of(client, address)

    reported(consultation, 27)

    with django_assert_num_queries(few):
        response = client.get(address)
    assert len(response.context["entries"]) == 60
    assert "Hidden: 30 wait" in response.text
