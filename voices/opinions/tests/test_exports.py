"""The opinion map's Pol.is-format CSV files: their exact content, the participants' numbers,
what is left out, who may download them, and their cost."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voices.accounts.tests.factories import UserFactory
from voices.core.models import ModerationState
from voices.opinions import exports
from voices.opinions.models import Analysis, OpinionMap, Statement, Vote
from voices.opinions.tests.factories import (
    OpinionMapFactory,
    ParticipantFactory,
    StatementFactory,
    VoteFactory,
)

AGREE, DISAGREE, PASS = Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS
T0 = datetime.datetime(2024, 3, 5, 9, 30, tzinfo=datetime.UTC)  # 1709631000000 ms


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def url(consultation, file: str) -> str:
    return reverse("opinions:export", kwargs={"consultation_id": consultation.pk, "file": file})


def text_of(response) -> str:
    return b"".join(response.streaming_content).decode()


def written(opinion_map, file: str) -> str:
    return "".join(exports.csv_lines(exports.export_rows(opinion_map, file)))


def statement(opinion_map, minutes: int, text: str, **fields) -> Statement:
    made = StatementFactory(map=opinion_map, text=text, **fields)
    Statement.objects.filter(pk=made.pk).update(created_at=at(minutes))
    return made


def vote(statement, participant, value, minutes: int, changed: int | None = None) -> Vote:
    made = VoteFactory(statement=statement, participant=participant, value=value)
    Vote.objects.filter(pk=made.pk).update(
        created_at=at(minutes), updated_at=at(changed if changed is not None else minutes)
    )
    return made


@pytest.fixture
def people(opinion_map):
    """Dave joined first (the lowest id) but votes last; Anna and Bob write statements, Anna
    without a public name (her pages show "Participant"), Bob as "Bob"."""
    consultation = opinion_map.consultation
    dave = ParticipantFactory(consultation=consultation, user=UserFactory(username="dave1980"))
    anna = ParticipantFactory(
        consultation=consultation, user=UserFactory(username="anna1984", display_name="anna1984")
    )
    bob = ParticipantFactory(
        consultation=consultation, user=UserFactory(username="bob1990", display_name="Bob")
    )
    return anna, bob, dave


@pytest.fixture
def small_map(opinion_map, people):
    anna, bob, dave = people
    seed = statement(opinion_map, 0, "Language classes should be free.")
    formula = statement(
        opinion_map, 1, '=HYPERLINK("https://example.org","free")', is_seed=False,
        participant=anna, author=anna.user,
    )  # fmt: skip
    hidden = statement(
        opinion_map, 2, "My neighbour Ivan at Main Street 5 is a thief", is_seed=False,
        participant=bob, author=bob.user, moderation_state=ModerationState.HIDDEN,
    )  # fmt: skip
    statement(
        opinion_map, 3, "Night buses every half hour", is_seed=False, participant=bob,
        author=bob.user, moderation_state=ModerationState.PENDING,
    )  # fmt: skip
    vote(seed, anna, AGREE, 4)
    vote(formula, anna, AGREE, 5)
    vote(seed, bob, DISAGREE, 6)
    vote(hidden, bob, AGREE, 7)  # before it was hidden
    vote(seed, dave, PASS, 8)
    vote(formula, dave, DISAGREE, 9, changed=12)
    Analysis.objects.create(
        map=opinion_map, version=1, n_votes=6, n_participants=3, seconds=0.1,
        result={"k": 2, "group_of": {str(anna.pk): 0, str(bob.pk): 1}},
    )  # fmt: skip
    return opinion_map


# What the files hold


@pytest.mark.django_db
def test_comments_csv_has_every_statement_and_the_text_of_published_ones_only(small_map):
    assert written(small_map, "comments") == (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1709631000000,Tue Mar 05 09:30:00 UTC 2024,1,,1,1,1,Language classes should be free.\n"
        "1709631060000,Tue Mar 05 09:31:00 UTC 2024,2,0,1,1,1,"
        '"\'=HYPERLINK(""https://example.org"",""free"")"\n'
        "1709631120000,Tue Mar 05 09:32:00 UTC 2024,3,,1,0,-1,\n"
        "1709631180000,Tue Mar 05 09:33:00 UTC 2024,4,,0,0,0,\n"
    )


@pytest.mark.django_db
def test_a_statement_shown_under_its_authors_name_does_not_give_away_their_number(
    small_map, people
):
    anna, bob, dave = people
    assert [row.split(",")[3] for row in written(small_map, "comments").splitlines()[1:]] == [
        "", "0", "", "",
    ]  # fmt: skip
    assert written(small_map, "participants-votes").splitlines()[2].startswith("1,1,0,")

    # Without a public name Bob is "Participant" on the map's pages, and his number is given.
    bob.user.display_name = ""
    bob.user.save()

    assert [row.split(",")[3] for row in written(small_map, "comments").splitlines()[1:]] == [
        "", "0", "1", "1",
    ]  # fmt: skip
    assert written(small_map, "participants-votes").splitlines()[2].startswith("1,1,2,")


@pytest.mark.django_db
def test_votes_csv_has_each_current_vote_by_statement_then_voter_with_its_last_change(
    small_map,
):
    assert written(small_map, "votes") == (
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "1709631240000,Tue Mar 05 09:34:00 UTC 2024,1,0,1\n"
        "1709631360000,Tue Mar 05 09:36:00 UTC 2024,1,1,-1\n"
        "1709631480000,Tue Mar 05 09:38:00 UTC 2024,1,2,0\n"
        "1709631300000,Tue Mar 05 09:35:00 UTC 2024,2,0,1\n"
        "1709631720000,Tue Mar 05 09:42:00 UTC 2024,2,2,-1\n"
        "1709631420000,Tue Mar 05 09:37:00 UTC 2024,3,1,1\n"
    )


@pytest.mark.django_db
def test_participants_votes_csv_has_the_latest_groups_counts_and_votes(small_map):
    assert written(small_map, "participants-votes") == (
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,1,2,3\n"
        "0,0,1,2,2,0,1,1,\n"
        "1,1,0,2,1,1,-1,,1\n"
        "2,,0,2,0,1,0,-1,\n"
    )


@pytest.mark.django_db
def test_without_an_analysis_nobody_has_a_group(small_map):
    Analysis.objects.filter(map=small_map).delete()

    rows = list(csv.reader(io.StringIO(written(small_map, "participants-votes"))))

    assert [row[1] for row in rows[1:]] == ["", "", ""]


@pytest.mark.django_db
def test_summary_csv_names_the_consultation_and_the_question(small_map):
    rows = list(csv.reader(io.StringIO(written(small_map, "summary"))))

    assert rows == [
        ["topic", str(small_map.consultation.title)],
        ["url", ""],
        ["voters", "fewer than 10"],
        ["commenters", "fewer than 10"],
        ["comments", "4"],
        ["groups", "2"],
        ["conversation-description", str(small_map.question)],
    ]


@pytest.mark.django_db
def test_numbers_follow_first_participation_not_database_ids_and_stay_the_same(small_map, people):
    anna, bob, dave = people
    first = written(small_map, "participants-votes")
    assert written(small_map, "participants-votes") == first

    # Someone new votes: everyone already numbered keeps their number and row.
    newcomer = ParticipantFactory(consultation=small_map.consultation)
    vote(Statement.objects.get(map=small_map, number=1), newcomer, AGREE, 30)

    assert dave.pk < anna.pk < bob.pk < newcomer.pk
    assert exports.participant_numbers(small_map).number == {
        anna.pk: 0, bob.pk: 1, dave.pk: 2, newcomer.pk: 3,
    }  # fmt: skip
    after = written(small_map, "participants-votes").splitlines()
    assert after[:4] == first.splitlines()
    assert after[4:] == ["3,,0,1,1,0,1,,"]


@pytest.mark.django_db
def test_no_database_id_or_username_is_in_the_files(small_map, people):
    everything = "".join(written(small_map, f) for f in exports.FILES)

    for person in people:
        assert person.user.username not in everything
    assert "Ivan" not in everything  # the hidden statement's text
    assert "Night buses" not in everything  # waiting for a moderator


@pytest.mark.django_db
def test_a_reported_statement_is_moderated_out_without_its_text(small_map):
    Statement.objects.filter(map=small_map, number=1).update(
        moderation_state=ModerationState.REPORTED
    )

    row = written(small_map, "comments").splitlines()[1]

    assert row == "1709631000000,Tue Mar 05 09:30:00 UTC 2024,1,,1,1,-1,"


@pytest.mark.django_db
def test_an_empty_map_has_headers_only(opinion_map):
    assert written(opinion_map, "comments") == ",".join(exports.COMMENT_COLUMNS) + "\n"
    assert written(opinion_map, "votes") == ",".join(exports.VOTE_COLUMNS) + "\n"
    assert written(opinion_map, "participants-votes") == (
        ",".join(exports.PARTICIPANT_COLUMNS) + "\n"
    )


# The download


@pytest.mark.django_db
def test_the_download_is_a_streamed_csv_attachment(client, small_map, officer):
    client.force_login(officer)
    consultation = small_map.consultation

    response = client.get(url(consultation, "comments"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="opinion-map-{consultation.pk}-comments.csv"'
    )
    assert text_of(response) == written(small_map, "comments")
    summary = text_of(client.get(url(consultation, "summary")))
    assert f"url,http://testserver{consultation.get_absolute_url()}" in summary


@pytest.mark.parametrize("file", ["stats-history", "summary2", "comments-csv", "Votes"])
@pytest.mark.django_db
def test_an_unknown_file_is_not_found(client, small_map, officer, file):
    client.force_login(officer)

    assert client.get(url(small_map.consultation, file)).status_code == 404


@pytest.mark.django_db
def test_a_consultation_without_a_map_has_no_files(client, consultation, officer):
    client.force_login(officer)

    assert client.get(url(consultation, "votes")).status_code == 404


def _as(client, who, world):
    if who != "anonymous":
        client.force_login(world[who])
    return client


# Who asks, and whether they may download a file only those who run the consultation may.
ONLY_THOSE_WHO_RUN_IT = [
    ("anonymous", False),
    ("participant", False),
    ("voter", False),
    ("officer", True),
    ("coordinator", True),
]


@pytest.fixture
def world(small_map, people, officer, coordinator, participant):
    voter = people[0].user  # Anna, who wrote and voted on this map
    return {"officer": officer, "coordinator": coordinator, "participant": participant,
            "voter": voter}  # fmt: skip


@pytest.mark.parametrize(("who", "allowed"), ONLY_THOSE_WHO_RUN_IT)
@pytest.mark.django_db
def test_before_publication_only_those_who_run_the_consultation_download(
    client, small_map, world, who, allowed
):
    consultation = small_map.consultation
    consultation.is_published = False
    consultation.save()
    client = _as(client, who, world)

    statuses = {client.get(url(consultation, f)).status_code for f in exports.FILES}

    assert statuses == ({200} if allowed else {404})


@pytest.mark.parametrize("published", [True, False])
@pytest.mark.parametrize("who", ["anonymous", "participant", "voter", "officer", "coordinator"])
@pytest.mark.django_db
def test_statements_and_summary_follow_the_consultations_contributions_export(
    client, small_map, world, who, published
):
    consultation = small_map.consultation
    consultation.is_published = published
    consultation.save()
    client = _as(client, who, world)
    contributions = reverse("consultations:export", kwargs={"consultation_id": consultation.pk})

    expected = client.get(contributions).status_code
    for file in ("comments", "summary"):
        assert client.get(url(consultation, file)).status_code == expected
    user = world.get(who, AnonymousUser())
    assert user.has_perm("consultations.export_consultation", consultation) == (
        published or who in ("officer", "coordinator")
    )


@pytest.mark.parametrize(("who", "allowed"), ONLY_THOSE_WHO_RUN_IT)
@pytest.mark.parametrize("file", ["votes", "participants-votes"])
@pytest.mark.django_db
def test_each_participants_votes_are_only_for_those_who_run_or_moderate_the_map(
    client, small_map, world, who, allowed, file
):
    # Published: the statements are public, but a file of every pseudonym's votes and group
    # would show the small groups the map page hides.
    client = _as(client, who, world)

    response = client.get(url(small_map.consultation, file))

    assert response.status_code == (200 if allowed else 403)


# The cost


def _map_with(voters: int, officer_consultation) -> OpinionMap:
    opinion_map = OpinionMapFactory(consultation=officer_consultation)
    statements = [StatementFactory(map=opinion_map) for _ in range(3)]
    for n in range(voters):
        person = ParticipantFactory(consultation=officer_consultation)
        for s in statements:
            VoteFactory(statement=s, participant=person, value=(n + s.number) % 3 - 1)
    Analysis.objects.create(
        map=opinion_map, version=1, n_votes=3 * voters, n_participants=voters, seconds=0.1,
        result={"k": 1, "group_of": {}},
    )  # fmt: skip
    return opinion_map


@pytest.mark.parametrize("file", exports.FILES)
@pytest.mark.django_db
def test_a_file_costs_the_same_queries_for_3_votes_as_for_30(client, authority, officer, file):
    from voices.consultations.tests.factories import ConsultationFactory

    small = _map_with(1, ConsultationFactory(owner_organisation=authority))
    large = _map_with(10, ConsultationFactory(owner_organisation=authority))
    client.force_login(officer)
    counts = []
    for opinion_map in (small, large):
        with CaptureQueriesContext(connection) as captured:
            text_of(client.get(url(opinion_map.consultation, file)))
        counts.append(len(captured))

    assert Vote.objects.filter(statement__map=small).count() == 3
    assert Vote.objects.filter(statement__map=large).count() == 30
    assert counts[0] == counts[1]
    assert counts[0] <= 12


@pytest.mark.django_db
def test_a_voter_who_arrives_while_a_file_downloads_waits_for_the_next_export(small_map):
    numbered = exports.participant_numbers(small_map)
    latecomer = ParticipantFactory(consultation=small_map.consultation)
    vote(Statement.objects.get(map=small_map, number=4), latecomer, AGREE, 40)

    votes = list(exports.votes_rows(small_map, numbered))
    matrix = list(exports.participants_votes_rows(small_map, numbered))

    assert len(votes) == 1 + 6
    assert matrix[0][-1] == 3  # no column for statement 4, which only the latecomer voted on
    assert len(matrix) == 1 + 3
