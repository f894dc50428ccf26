"""Consultations in the JSON API: the list, one consultation, and its proposals."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from voices.accounts.tests.factories import UserFactory
from voices.consultations.models import Participant, Phase, Proposal, Support
from voices.consultations.tests.factories import ConsultationFactory, ProposalFactory
from voices.core.models import ModerationState
from voices.core.tests.api_checks import assert_error
from voices.councils.models import PolicyDomain
from voices.councils.tests.factories import CouncilFactory
from voices.directory.tests.factories import CountryFactory, text

API = "/api/v1"
MILLISECOND = datetime.timedelta(milliseconds=1)


def titles(body: dict) -> list[str]:
    return [item["title"] for item in body["items"]]


def domain(code: str) -> PolicyDomain:
    """The policy domains are loaded by a migration."""
    return PolicyDomain.objects.get(code=code)


@pytest.fixture
def consultations(authority):
    """Three published consultations in two countries and a draft, latest to open first."""
    lyon = CouncilFactory(slug="lyon", country=CountryFactory(code="FR", language="fr"))
    return {
        "libraries": ConsultationFactory(
            title=text("Libraries in Graz"), owner_organisation=authority,
            domain=domain("education"), phase=Phase.UPCOMING,
        ),
        "welcome": ConsultationFactory(
            title=text("Welcoming newcomers", de="Neue Nachbarn willkommen heißen"),
            owner_organisation=authority, phase=Phase.CONTRIBUTIONS,
        ),
        "schools": ConsultationFactory(
            title=text("Schools in Lyon"), owner_organisation=None, owner_council=lyon,
            country=lyon.country, domain=domain("education"), phase=Phase.ANSWERS,
        ),
        "draft": ConsultationFactory(
            title=text("A secret draft"), owner_organisation=authority, is_published=False,
        ),
    }  # fmt: skip


# The list


@pytest.mark.django_db
def test_the_list_gives_published_consultations_latest_first_without_drafts(client, consultations):
    welcome = consultations["welcome"]
    ProposalFactory(consultation=welcome)
    ProposalFactory(consultation=welcome, moderation_state=ModerationState.HIDDEN)

    response = client.get(f"{API}/consultations")

    body = response.json()
    assert response.status_code == 200
    assert b"A secret draft" not in response.content
    assert body["count"] == 3
    assert titles(body) == ["Libraries in Graz", "Welcoming newcomers", "Schools in Lyon"]
    item = body["items"][1]
    assert item == {
        "id": welcome.pk,
        "title": "Welcoming newcomers",
        "titles": {"en": "Welcoming newcomers", "de": "Neue Nachbarn willkommen heißen"},
        "question": "How should the city welcome newcomers?",
        "owner": {
            "kind": "authority",
            "name": str(welcome.owner_organisation.name),
            "slug": "city-of-graz",
        },
        "domain": "housing",
        "country": "AT",
        "languages": ["en", "de"],
        "phase": "contributions",
        "phases": item["phases"],
        "eligibility": "registered",
        "allows_anonymous": False,
        "proposal_count": 1,
        "url": f"/en/consultations/{welcome.pk}/",
    }
    assert [p["phase"] for p in item["phases"]] == [
        "information", "contributions", "deliberation", "answers", "closed",
    ]  # fmt: skip
    # Times are given to the millisecond.
    contributions = item["phases"][1]
    starts_at = datetime.datetime.fromisoformat(contributions["starts_at"])
    ends_at = datetime.datetime.fromisoformat(contributions["ends_at"])
    assert abs(starts_at - welcome.contributions_at) < MILLISECOND
    assert abs(ends_at - welcome.deliberation_at) < MILLISECOND
    assert item["phases"][-1]["ends_at"] is None
    assert body["items"][2]["owner"] == {
        "kind": "council", "name": str(consultations["schools"].owner_council.name), "slug": "lyon",
    }  # fmt: skip


@pytest.mark.django_db
def test_titles_come_in_the_requested_language_or_else_the_original(client, consultations):
    body = client.get(f"{API}/consultations", HTTP_ACCEPT_LANGUAGE="de").json()

    assert titles(body) == [
        "Libraries in Graz",
        "Neue Nachbarn willkommen heißen",
        "Schools in Lyon",
    ]
    assert body["items"][1]["url"].startswith("/de/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "FR"}, ["Schools in Lyon"]),
        ({"country": "at"}, ["Libraries in Graz", "Welcoming newcomers"]),
        ({"country": "ZZ"}, []),
        ({"domain": "education"}, ["Libraries in Graz", "Schools in Lyon"]),
        ({"domain": "health"}, []),
        ({"phase": "upcoming"}, ["Libraries in Graz"]),
        ({"phase": "contributions"}, ["Welcoming newcomers"]),
        ({"phase": "answers"}, ["Schools in Lyon"]),
        ({"phase": "closed"}, []),
        ({"country": "AT", "domain": "education"}, ["Libraries in Graz"]),
    ],
)
def test_the_list_can_be_filtered_as_the_page(client, consultations, query, expected):
    body = client.get(f"{API}/consultations", query).json()

    assert titles(body) == expected
    assert body["count"] == len(expected)


@pytest.mark.django_db
def test_an_unknown_domain_is_not_found(client, consultations):
    assert_error(client.get(f"{API}/consultations", {"domain": "nowhere"}), 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [{"phase": "asleep"}, {"country": "A T"}, {"domain": "x\x00"}, {"limit": 0}]
)
def test_a_bad_filter_is_invalid_input(client, consultations, query):
    body = assert_error(client.get(f"{API}/consultations", query), 422, "invalid_input")

    assert body["details"][0]["loc"] == ["query", next(iter(query))]


@pytest.mark.django_db
def test_the_list_is_paginated_with_limit_and_offset(client, consultations):
    first = client.get(f"{API}/consultations", {"limit": 2}).json()
    rest = client.get(f"{API}/consultations", {"limit": 2, "offset": 2}).json()
    beyond = client.get(f"{API}/consultations", {"offset": 10}).json()

    assert first["count"] == rest["count"] == beyond["count"] == 3
    assert titles(first) == ["Libraries in Graz", "Welcoming newcomers"]
    assert titles(rest) == ["Schools in Lyon"]
    assert beyond["items"] == []


@pytest.mark.django_db
def test_the_list_needs_the_same_number_of_queries_for_3_or_30_consultations(
    client, authority, django_assert_num_queries
):
    lyon = CouncilFactory(slug="lyon")

    def make(count: int) -> None:
        for n in range(count):
            owner = {"owner_organisation": None, "owner_council": lyon} if n % 2 else {}
            consultation = ConsultationFactory(**owner)
            ProposalFactory.create_batch(2, consultation=consultation)

    make(3)
    client.get(f"{API}/consultations")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/consultations")
    make(27)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/consultations", {"limit": 50}).json()

    assert body["count"] == len(body["items"]) == 30
    assert {item["proposal_count"] for item in body["items"]} == {2}


# One consultation


def take_part(consultation, people: int) -> None:
    """`people` participants, each supporting the consultation's first proposal."""
    proposal = ProposalFactory(consultation=consultation)
    for n in range(people):
        participant = Participant.objects.create(
            consultation=consultation, anon_key=f"key-{proposal.pk}-{n}"
        )
        Support.objects.create(
            consultation=consultation, proposal=proposal, participant=participant
        )


@pytest.mark.django_db
def test_a_consultation_gives_its_texts_and_rounded_participation(client, consultation):
    consultation.closing_statement = text("Thank you for taking part.")
    consultation.save()
    take_part(consultation, 13)
    ProposalFactory(consultation=consultation, answer=Proposal.Answer.ACCEPTED)
    ProposalFactory(
        consultation=consultation,
        answer=Proposal.Answer.ACCEPTED,
        moderation_state=ModerationState.HIDDEN,
    )

    response = client.get(f"{API}/consultations/{consultation.pk}")

    body = response.json()
    assert response.status_code == 200
    assert body["id"] == consultation.pk
    assert body["title"] == str(consultation.title)
    assert body["phase"] == "contributions"
    assert body["proposal_count"] == 2
    assert body["background"] == "The city is writing its integration plan."
    assert body["closing_statement"] == "Thank you for taking part."
    assert body["results"] == {
        "participants": {"value": 15, "suppressed": False},
        "supporters": {"value": 15, "suppressed": False},
    }
    assert body["proposals_by_answer"] == {
        "none": 1, "accepted": 1, "evaluating": 0, "not_accepted": 0, "merged": 0,
    }  # fmt: skip


@pytest.mark.django_db
def test_a_consultation_suppresses_small_counts_of_people(client, consultation):
    take_part(consultation, 3)

    body = client.get(f"{API}/consultations/{consultation.pk}").json()

    assert body["results"] == {
        "participants": {"value": None, "suppressed": True},
        "supporters": {"value": None, "suppressed": True},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["", "/proposals"])
def test_a_draft_is_not_found_even_for_its_officer(client, authority, officer, path):
    draft = ConsultationFactory(owner_organisation=authority, is_published=False)
    ProposalFactory(consultation=draft)

    assert_error(client.get(f"{API}/consultations/{draft.pk}{path}"), 404, "not_found")
    client.force_login(officer)
    assert_error(client.get(f"{API}/consultations/{draft.pk}{path}"), 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["", "/proposals"])
@pytest.mark.parametrize("consultation_id", ["0", "999999", str(2**63), str(2**70)])
def test_an_unknown_or_absurd_id_is_not_found(client, db, consultation_id, path):
    response = client.get(f"{API}/consultations/{consultation_id}{path}")

    assert_error(response, 404, "not_found")


@pytest.mark.django_db
def test_a_consultation_needs_the_same_number_of_queries_for_3_or_30_participants(
    client, consultation, django_assert_num_queries
):
    page = f"{API}/consultations/{consultation.pk}"
    take_part(consultation, 3)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    take_part(consultation, 27)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(page).json()

    assert body["proposal_count"] == 2


# Its proposals


@pytest.fixture
def person(db):
    return UserFactory(username="amal.k.1987", display_name="Amal", email="amal@example.net")


@pytest.mark.django_db
def test_the_proposals_are_the_visible_ones_with_authors_by_public_name_only(
    client, consultation, person
):
    proposal = ProposalFactory(
        consultation=consultation, author=person, title="Evening classes", supports_count=4,
        reached_at=timezone.now(), answer=Proposal.Answer.EVALUATING,
        answer_text=text("We are costing it.", de="Wir rechnen es durch."),
    )  # fmt: skip
    for state in (ModerationState.PENDING, ModerationState.REPORTED, ModerationState.HIDDEN):
        ProposalFactory(consultation=consultation, author=person, moderation_state=state)
    ProposalFactory(consultation=ConsultationFactory(), author=person, title="Elsewhere")

    response = client.get(f"{API}/consultations/{consultation.pk}/proposals")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    [item] = body["items"]
    assert item == {
        "id": proposal.pk,
        "title": "Evening classes",
        "body": "More evening language classes near the train station.",
        "language": "en",
        "author": "Amal",
        "unverified": False,
        "created_at": item["created_at"],
        "supports_count": 4,
        "reached": True,
        "answer": "evaluating",
        "answer_text": "We are costing it.",
        "merged_into": None,
        "withdrawn": False,
        "url": f"/en/proposals/{proposal.pk}/",
    }
    created_at = datetime.datetime.fromisoformat(item["created_at"])
    assert abs(created_at - proposal.created_at) < MILLISECOND


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/consultations", "/consultations/{id}", "/consultations/{id}/proposals"]
)
def test_no_answer_names_an_account(client, consultation, person, path):
    ProposalFactory(consultation=consultation, author=person)
    take_part(consultation, 12)

    response = client.get(API + path.format(id=consultation.pk))

    assert response.status_code == 200
    assert b"amal.k.1987" not in response.content
    assert b"amal@example.net" not in response.content
    assert b"user" not in response.content


@pytest.mark.django_db
def test_a_public_name_left_as_the_username_is_not_given(client, consultation):
    # Signing up without a public name makes the username the public name.
    ProposalFactory(consultation=consultation, author=UserFactory(username="bo", display_name="bo"))

    response = client.get(f"{API}/consultations/{consultation.pk}/proposals")

    assert [p["author"] for p in response.json()["items"]] == ["Participant"]
    assert b'"bo"' not in response.content


@pytest.mark.django_db
def test_anonymous_and_former_participants_are_labelled_so(client, consultation):
    ProposalFactory(consultation=consultation, author=None, is_anonymous=True)
    ProposalFactory(consultation=consultation, author=None)

    body = client.get(f"{API}/consultations/{consultation.pk}/proposals", {"order": "old"}).json()

    assert [(p["author"], p["unverified"]) for p in body["items"]] == [
        ("Anonymous participant (unverified)", True),
        ("Former participant", False),
    ]


@pytest.fixture
def answered(consultation):
    """One proposal with each answer, and one without, oldest first."""
    accepted = ProposalFactory(
        consultation=consultation, title="Accepted", answer=Proposal.Answer.ACCEPTED,
        supports_count=2,
    )  # fmt: skip
    proposals = {
        "none": ProposalFactory(consultation=consultation, title="Unanswered", supports_count=9),
        "accepted": accepted,
        "evaluating": ProposalFactory(
            consultation=consultation, title="Evaluating", answer=Proposal.Answer.EVALUATING
        ),
        "not_accepted": ProposalFactory(
            consultation=consultation,
            title="Not accepted",
            answer=Proposal.Answer.NOT_ACCEPTED,
            withdrawn_at=timezone.now(),
            supports_count=5,
        ),  # fmt: skip
        "merged": ProposalFactory(
            consultation=consultation,
            title="Merged",
            answer=Proposal.Answer.MERGED,
            merged_into=accepted,
        ),  # fmt: skip
    }
    ProposalFactory(
        consultation=consultation, title="Hidden", answer=Proposal.Answer.ACCEPTED,
        moderation_state=ModerationState.HIDDEN,
    )  # fmt: skip
    return proposals


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answer, expected",
    [
        ("none", ["Unanswered"]),
        ("accepted", ["Accepted"]),
        ("evaluating", ["Evaluating"]),
        ("not_accepted", ["Not accepted"]),
        ("merged", ["Merged"]),
    ],
)
def test_the_proposals_can_be_filtered_by_answer(client, consultation, answered, answer, expected):
    url = f"{API}/consultations/{consultation.pk}/proposals"

    body = client.get(url, {"answer": answer}).json()

    assert titles(body) == expected
    assert body["count"] == len(expected)


@pytest.mark.django_db
def test_a_merged_or_withdrawn_proposal_says_so(client, consultation, answered):
    url = f"{API}/consultations/{consultation.pk}/proposals"

    items = {p["title"]: p for p in client.get(url).json()["items"]}

    assert items["Merged"]["merged_into"] == answered["accepted"].pk
    assert items["Not accepted"]["withdrawn"] is True
    assert items["Accepted"]["withdrawn"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["Merged", "Not accepted", "Evaluating", "Unanswered", "Accepted"]),
        ({"order": "new"}, ["Merged", "Not accepted", "Evaluating", "Unanswered", "Accepted"]),
        ({"order": "old"}, ["Accepted", "Unanswered", "Evaluating", "Not accepted", "Merged"]),
        (
            {"order": "supported"},
            ["Unanswered", "Not accepted", "Accepted", "Merged", "Evaluating"],
        ),
    ],
)
def test_the_proposals_can_be_ordered(client, consultation, answered, query, expected):
    body = client.get(f"{API}/consultations/{consultation.pk}/proposals", query).json()

    assert titles(body) == expected


@pytest.mark.django_db
def test_the_proposals_are_paginated(client, consultation, answered):
    url = f"{API}/consultations/{consultation.pk}/proposals"

    body = client.get(url, {"order": "old", "limit": 2, "offset": 2}).json()

    assert body["count"] == 5
    assert titles(body) == ["Evaluating", "Not accepted"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"answer": "reached"}, {"answer": "maybe"}, {"order": "random"}, {"offset": -1}],
)
def test_a_bad_proposal_filter_is_invalid_input(client, consultation, query):
    url = f"{API}/consultations/{consultation.pk}/proposals"

    body = assert_error(client.get(url, query), 422, "invalid_input")

    assert body["details"][0]["loc"] == ["query", next(iter(query))]


@pytest.mark.django_db
def test_the_proposals_need_the_same_number_of_queries_for_3_or_30(
    client, consultation, django_assert_num_queries
):
    url = f"{API}/consultations/{consultation.pk}/proposals"
    ProposalFactory.create_batch(2, consultation=consultation)
    ProposalFactory(consultation=consultation, author=None, is_anonymous=True)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ProposalFactory.create_batch(26, consultation=consultation)
    ProposalFactory(consultation=consultation, author=None)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url, {"limit": 50}).json()

    assert body["count"] == len(body["items"]) == 30
