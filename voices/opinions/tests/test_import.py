"""Importing a Pol.is export folder into a consultation's opinion map (exports.polis_import and
the opinions_import_polis command), and the round trip: import, export, import the export."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from voices.consultations.models import Participant
from voices.consultations.tests.factories import ConsultationFactory
from voices.core.models import ModerationState
from voices.opinions import exports
from voices.opinions.exports import PolisImportError, import_key, polis_import
from voices.opinions.models import Analysis, OpinionMap, Statement, Vote
from voices.opinions.tests.factories import StatementFactory

T0 = 1_500_000_000_000  # ms: Fri Jul 14 2017 02:40:00 UTC
MINUTE = 60_000


def moment(ms: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.UTC)


def write_csv(path: Path, rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def write_export(folder: Path, *, comments, votes=None, matrix=None, summary=None) -> Path:
    """A Pol.is export folder: comments as (ms, comment-id, author-id, moderated, body), votes
    as (ms, comment-id, voter-id, vote), matrix as participants-votes.csv rows."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "comments.csv",
        [exports.COMMENT_COLUMNS]
        + [[ms, "Fri Jul 14 02:40:00 UTC 2017", cid, author, 0, 0, mod, body]
           for ms, cid, author, mod, body in comments],
    )  # fmt: skip
    if votes is not None:
        write_csv(
            folder / "votes.csv",
            [exports.VOTE_COLUMNS]
            + [[ms, "Fri Jul 14 02:40:00 UTC 2017", cid, pid, v] for ms, cid, pid, v in votes],
        )
    if matrix is not None:
        write_csv(folder / "participants-votes.csv", matrix)
    if summary is not None:
        write_csv(folder / "summary.csv", [[k, v] for k, v in summary.items()])
    return folder


# Voters are numbered out of the order they first voted in (7 first, then 2, 0, 3), so that a
# renumbering by the export shows.
COMMENTS = [
    (T0, 0, 7, 1, "Bus tickets should be free for students."),
    (T0 + 1 * MINUTE, 1, 2, 1, "'=1+1 is how the fare is computed"),
    (T0 + 2 * MINUTE, 2, 0, -1, "My neighbour at Main Street 5 is a thief"),
    (T0 + 3 * MINUTE, 3, 2, 0, "Night buses   every\nhalf hour."),
]
VOTES = [
    (T0 + 10 * MINUTE, 0, 7, 1),
    (T0 + 11 * MINUTE, 1, 7, -1),
    (T0 + 12 * MINUTE, 0, 2, -1),
    (T0 + 20 * MINUTE, 0, 2, 1),  # changed their mind: agree wins, first voted at +12
    (T0 + 13 * MINUTE, 1, 2, 0),
    (T0 + 14 * MINUTE, 0, 0, 0),
    (T0 + 15 * MINUTE, 2, 0, -1),
    (T0 + 19 * MINUTE, 1, 3, 1),
    (T0 + 18 * MINUTE, 1, 3, -1),  # an older vote on a later line does not win
]


@pytest.fixture
def small_export(tmp_path):
    return write_export(
        tmp_path / "bus-fares",
        comments=COMMENTS,
        votes=VOTES,
        summary={"topic": "Bus fares", "conversation-description": "How should fares change?"},
    )


def participant_of(consultation, folder: Path, pid: int) -> Participant:
    return Participant.objects.get(
        consultation=consultation, anon_key=import_key(consultation, folder.name, pid)
    )


def votes_of(opinion_map) -> set[tuple[int, str, int]]:
    """(statement number, participant's anon_key, value) of every vote on the map."""
    return set(
        Vote.objects.filter(statement__map=opinion_map).values_list(
            "statement__number", "participant__anon_key", "value"
        )
    )


# Importing


@pytest.mark.django_db
def test_an_export_becomes_a_new_map_with_its_statements_people_and_latest_votes(
    consultation, small_export
):
    summary = polis_import(consultation=consultation, folder=small_export, analyse=False)

    opinion_map = OpinionMap.objects.get(consultation=consultation)
    assert summary.created_map
    assert (summary.statements, summary.participants, summary.votes) == (4, 4, 7)
    assert summary.votes_from == "votes.csv"
    assert summary.groups is None
    assert opinion_map.question.get("en") == "How should fares change?"
    consultation.refresh_from_db()
    assert "opinions" in consultation.components
    statements = {
        s.number: (s.text, s.moderation_state, s.created_at, s.is_seed, s.is_anonymous)
        for s in Statement.objects.filter(map=opinion_map)
    }
    assert statements == {
        0: (COMMENTS[0][4], ModerationState.VISIBLE, moment(T0), False, True),
        1: ("=1+1 is how the fare is computed", ModerationState.VISIBLE,
            moment(T0 + MINUTE), False, True),
        2: (COMMENTS[2][4], ModerationState.HIDDEN, moment(T0 + 2 * MINUTE), False, True),
        3: ("Night buses every half hour.", ModerationState.PENDING,
            moment(T0 + 3 * MINUTE), False, True),
    }  # fmt: skip
    key = {pid: participant_of(consultation, small_export, pid).anon_key for pid in (0, 2, 3, 7)}
    assert votes_of(opinion_map) == {
        (0, key[7], 1), (1, key[7], -1), (0, key[2], 1), (1, key[2], 0), (0, key[0], 0),
        (2, key[0], -1), (1, key[3], 1),
    }  # fmt: skip
    assert Statement.objects.get(map=opinion_map, number=0).participant.anon_key == key[7]
    # The counters the pages read agree with the votes.
    counts = Statement.objects.filter(map=opinion_map).values_list(
        "number", "agree_count", "disagree_count", "pass_count"
    )
    assert sorted(counts) == [(0, 2, 0, 1), (1, 1, 1, 1), (2, 0, 1, 0), (3, 0, 0, 0)]


@pytest.mark.django_db
def test_a_changed_vote_keeps_its_first_time_and_the_time_of_the_last_change(
    consultation, small_export
):
    polis_import(consultation=consultation, folder=small_export, analyse=False)

    changed = Vote.objects.get(
        participant=participant_of(consultation, small_export, 2), statement__number=0
    )
    assert changed.value == 1
    assert changed.created_at == moment(T0 + 12 * MINUTE)
    assert changed.updated_at == moment(T0 + 20 * MINUTE)
    kept = Vote.objects.get(
        participant=participant_of(consultation, small_export, 3), statement__number=1
    )
    assert (kept.value, kept.updated_at) == (1, moment(T0 + 19 * MINUTE))


@pytest.mark.django_db
def test_imported_people_are_unverified_participants_created_in_the_order_they_first_voted(
    consultation, small_export
):
    polis_import(consultation=consultation, folder=small_export, analyse=False)

    people = [participant_of(consultation, small_export, pid) for pid in (7, 2, 0, 3)]
    assert [p.pk for p in people] == sorted(p.pk for p in people)
    assert all(p.is_anonymous and p.user_id is None for p in people)
    assert all(p.anon_key.startswith("polis:") and len(p.anon_key) == 64 for p in people)


@pytest.mark.django_db
def test_without_votes_csv_the_votes_come_from_the_participants_matrix(consultation, tmp_path):
    folder = write_export(
        tmp_path / "matrix-only",
        comments=COMMENTS[:2],
        matrix=[
            ["participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree",
             "0", "1"],
            [4, "", 0, 1, 2, 1, 1, 1, -1],
            [9, "", "", 0, 1, 0, 0, "", 0],
        ],
    )  # fmt: skip

    summary = polis_import(consultation=consultation, folder=folder, analyse=False)

    assert (summary.votes, summary.votes_from) == (3, "participants-votes.csv")
    # Authors 7 and 2 wrote without voting; they are participants too.
    assert summary.participants == 4
    vote = Vote.objects.get(
        participant=participant_of(consultation, folder, 4), statement__number=1
    )
    # No times in the matrix: a vote is dated when its statement was written.
    assert (vote.value, vote.updated_at) == (-1, moment(T0 + MINUTE))
    opinion_map = OpinionMap.objects.get(consultation=consultation)
    # No summary.csv: a placeholder question that says where the map came from.
    assert "matrix-only" in opinion_map.question.get("en")


@pytest.mark.django_db
def test_the_analysis_runs_once_after_the_import(consultation, tmp_path):
    # Two camps of fifteen on six statements, with a few passes.
    comments = [(T0 + n, n, 0, 1, f"Statement number {n} about the buses") for n in range(6)]

    def vote(pid: int, n: int) -> int:
        if (pid * 7 + n * 3) % 5 == 0:
            return 0
        return (1 if n < 3 else -1) * (1 if pid < 15 else -1)

    votes = [(T0 + 1000 * pid + n, n, pid, vote(pid, n)) for pid in range(30) for n in range(6)]
    folder = write_export(tmp_path / "camps", comments=comments, votes=votes)

    summary = polis_import(consultation=consultation, folder=folder)

    assert summary.analysis is not None
    assert summary.groups == 2
    assert Analysis.objects.filter(map=summary.opinion_map).count() == 1
    summary.opinion_map.refresh_from_db()
    assert summary.opinion_map.votes_since_analysis == 0


# Checks before anything is written


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"votes": [*VOTES, (T0, 0, 5, 2)]}, "votes.csv, line 11: vote must be -1, 0 or 1"),
        ({"votes": [*VOTES, (T0, 8, 5, 1)]}, "votes.csv, line 11: comment-id 8 is not in"),
        ({"votes": [(T0, 0, "x", 1)]}, "votes.csv, line 2: voter-id must be a whole number"),
        ({"votes": [("yesterday", 0, 1, 1)]}, "votes.csv, line 2: timestamp must be"),
        (
            {"comments": [*COMMENTS, (T0, 3, 1, 1, "Again")]},
            "comments.csv, line 7: comment-id 3 appears twice",
        ),
        (
            {"comments": [*COMMENTS, (T0, 4, 1, 2, "Odd flag")]},
            "comments.csv, line 7: moderated must be -1, 0 or 1",
        ),
        (
            {"comments": [*COMMENTS, (T0, 4, 1, 1, "   ")]},
            "comments.csv, line 7: a published comment without text",
        ),
        (
            {"comments": [*COMMENTS, (T0, 4, 1, 1, "x" * 501)]},
            "comments.csv, line 7: the comment has 501 characters",
        ),
    ],
)
@pytest.mark.django_db
def test_a_bad_line_is_reported_by_file_and_line_and_nothing_is_stored(
    consultation, tmp_path, change, expected
):
    folder = write_export(tmp_path / "bad", **{"comments": COMMENTS, "votes": VOTES, **change})

    with pytest.raises(PolisImportError) as caught:
        polis_import(consultation=consultation, folder=folder)

    assert any(m.startswith(expected) for m in caught.value.messages), caught.value.messages
    assert not OpinionMap.objects.filter(consultation=consultation).exists()
    assert not Participant.objects.filter(consultation=consultation).exists()


@pytest.mark.django_db
def test_a_line_that_spans_lines_is_reported_where_it_starts(consultation, tmp_path):
    comments = [(T0, 0, 1, 1, "First\nsecond\nthird line"), (T0, "one", 1, 1, "Next")]
    folder = write_export(tmp_path / "multiline", comments=comments, votes=[])

    with pytest.raises(PolisImportError) as caught:
        polis_import(consultation=consultation, folder=folder)

    assert caught.value.messages == [
        "comments.csv, line 5: comment-id must be a whole number (got 'one')"
    ]


@pytest.mark.django_db
def test_missing_files_and_columns_are_reported(consultation, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PolisImportError, match="no comments.csv"):
        polis_import(consultation=consultation, folder=empty)

    no_votes = write_export(tmp_path / "no-votes", comments=COMMENTS)
    with pytest.raises(PolisImportError, match="neither votes.csv nor participants-votes.csv"):
        polis_import(consultation=consultation, folder=no_votes)

    folder = write_export(tmp_path / "columns", comments=COMMENTS, votes=VOTES)
    write_csv(folder / "votes.csv", [["timestamp", "comment-id", "voter"], [T0, 0, 1]])
    with pytest.raises(PolisImportError) as caught:
        polis_import(consultation=consultation, folder=folder)
    assert caught.value.messages == ["votes.csv, line 1: missing column(s): voter-id, vote"]


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_writing_leaves_nothing_behind(small_export, monkeypatch):
    target = ConsultationFactory(components=["proposals"])

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(exports, "_votes", broken)

    with pytest.raises(RuntimeError):
        polis_import(consultation=target, folder=small_export)

    assert not OpinionMap.objects.filter(consultation=target).exists()
    assert not Statement.objects.filter(consultation=target).exists()
    assert not Participant.objects.filter(consultation=target).exists()
    target.refresh_from_db()
    assert target.components == ["proposals"]


# An existing map


@pytest.mark.django_db
def test_a_map_with_statements_is_refused_and_kept(opinion_map, small_export):
    StatementFactory(map=opinion_map, text="Our own first statement")

    with pytest.raises(PolisImportError, match="already has 1 statement;"):
        polis_import(consultation=opinion_map.consultation, folder=small_export)

    assert list(Statement.objects.filter(map=opinion_map).values_list("text", flat=True)) == [
        "Our own first statement"
    ]
    assert not Participant.objects.filter(anon_key__startswith="polis:").exists()


@pytest.mark.django_db
def test_an_empty_map_keeps_its_question_and_takes_the_import(opinion_map, small_export):
    question = opinion_map.question

    summary = polis_import(
        consultation=opinion_map.consultation, folder=small_export, analyse=False
    )

    assert not summary.created_map
    opinion_map.refresh_from_db()
    assert opinion_map.question == question
    assert Statement.objects.filter(map=opinion_map).count() == 4


@pytest.mark.django_db
def test_replace_deletes_the_maps_statements_votes_and_analyses_first(opinion_map, small_export):
    consultation = opinion_map.consultation
    polis_import(consultation=consultation, folder=small_export, analyse=False)
    Analysis.objects.create(map=opinion_map, version=1, n_votes=7, n_participants=4, seconds=0.1)
    first_people = {pid: participant_of(consultation, small_export, pid).pk for pid in (0, 2, 7)}
    # The same folder, with voter 3 gone and a statement less.
    write_export(small_export, comments=COMMENTS[:3], votes=[v for v in VOTES if v[2] != 3])

    summary = polis_import(
        consultation=consultation, folder=small_export, replace=True, analyse=False
    )

    assert (summary.statements, summary.participants, summary.votes) == (3, 3, 6)
    assert sorted(Statement.objects.filter(map=opinion_map).values_list("number", flat=True)) == [
        0, 1, 2,
    ]  # fmt: skip
    assert Vote.objects.filter(statement__map=opinion_map).count() == 6
    assert not Analysis.objects.filter(map=opinion_map).exists()
    # A re-import finds the same people; one no longer in the export goes.
    again = {pid: participant_of(consultation, small_export, pid).pk for pid in (0, 2, 7)}
    assert again == first_people
    assert Participant.objects.filter(consultation=consultation).count() == 3


# The command


@pytest.mark.django_db
def test_the_command_imports_and_prints_a_summary(consultation, small_export):
    out = io.StringIO()

    call_command(
        "opinions_import_polis", str(small_export), "--consultation", str(consultation.pk),
        "--no-analysis", stdout=out,
    )  # fmt: skip

    printed = out.getvalue()
    assert "statements:   4" in printed
    assert "participants: 4" in printed
    assert "votes:        7 (from votes.csv)" in printed
    assert "not analysed yet" in printed


@pytest.mark.django_db
def test_the_command_says_what_is_wrong_and_imports_nothing(consultation, tmp_path):
    folder = write_export(tmp_path / "bad", comments=COMMENTS, votes=[(T0, 0, 1, 5)])

    with pytest.raises(CommandError, match="votes.csv, line 2: vote must be -1, 0 or 1"):
        call_command("opinions_import_polis", str(folder), "--consultation", str(consultation.pk))

    assert not OpinionMap.objects.filter(consultation=consultation).exists()


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_consultation(small_export):
    with pytest.raises(CommandError, match="No consultation 999999"):
        call_command("opinions_import_polis", str(small_export), "--consultation", "999999")


# The round trip


def exported(opinion_map, file: str) -> list[list[str]]:
    text = "".join(exports.csv_lines(exports.export_rows(opinion_map, file)))
    return list(csv.reader(io.StringIO(text)))


def export_to(opinion_map, folder: Path) -> Path:
    folder.mkdir()
    for file in exports.FILES:
        text = "".join(exports.csv_lines(exports.export_rows(opinion_map, file)))
        (folder / f"{file}.csv").write_text(text, encoding="utf-8")
    return folder


def by_voter(rows: list[list[str]]) -> list[frozenset]:
    """votes.csv rows as each voter's set of (comment, vote, time): comparable whatever the
    voters' numbers."""
    votes: dict[str, set] = {}
    for timestamp, _dt, comment, voter, value in rows[1:]:
        votes.setdefault(voter, set()).add((int(comment), int(value), int(timestamp)))
    return sorted(frozenset(v) for v in votes.values())


@pytest.mark.django_db
def test_an_imported_map_exports_the_same_statements_votes_and_times(consultation, small_export):
    polis_import(consultation=consultation, folder=small_export, analyse=False)
    opinion_map = OpinionMap.objects.get(consultation=consultation)

    comments = exported(opinion_map, "comments")
    votes = exported(opinion_map, "votes")
    matrix = exported(opinion_map, "participants-votes")

    # Numbered in the order they first voted: 7 → 0, 2 → 1, 0 → 2, 3 → 3.
    renamed = {7: 0, 2: 1, 0: 2, 3: 3}
    assert comments[0] == exports.COMMENT_COLUMNS
    assert [row[:4] + row[6:] for row in comments[1:]] == [
        [str(T0), "Fri Jul 14 02:40:00 UTC 2017", "0", "0", "1", COMMENTS[0][4]],
        [str(T0 + MINUTE), "Fri Jul 14 02:41:00 UTC 2017", "1", "1", "1",
         "'=1+1 is how the fare is computed"],
        [str(T0 + 2 * MINUTE), "Fri Jul 14 02:42:00 UTC 2017", "2", "2", "-1", ""],
        [str(T0 + 3 * MINUTE), "Fri Jul 14 02:43:00 UTC 2017", "3", "1", "0", ""],
    ]  # fmt: skip
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    for ms, comment, voter, value in VOTES:
        if (voter, comment) not in latest or ms >= latest[(voter, comment)][0]:
            latest[(voter, comment)] = (ms, value)
    assert votes[1:] == [
        [str(ms), exports.polis_datetime(moment(ms)), str(c), str(renamed[v]), str(value)]
        for (v, c), (ms, value) in sorted(latest.items(), key=lambda i: (i[0][1], renamed[i[0][0]]))
    ]
    assert matrix[0] == exports.PARTICIPANT_COLUMNS + ["0", "1", "2"]
    assert matrix[1:] == [
        ["0", "", "1", "2", "1", "1", "1", "-1", ""],
        ["1", "", "2", "2", "1", "0", "1", "0", ""],
        ["2", "", "1", "2", "0", "1", "0", "", "-1"],
        ["3", "", "0", "1", "1", "0", "", "1", ""],
    ]


@pytest.mark.django_db
def test_the_export_imported_into_another_consultation_gives_the_same_map(
    consultation, small_export, tmp_path
):
    polis_import(consultation=consultation, folder=small_export, analyse=False)
    first = OpinionMap.objects.get(consultation=consultation)
    folder = export_to(first, tmp_path / "exported")
    other = ConsultationFactory(components=["proposals"])

    summary = polis_import(consultation=other, folder=folder, analyse=False)

    second = summary.opinion_map
    assert (summary.statements, summary.participants, summary.votes) == (4, 4, 7)
    assert second.question.get("en") == "How should fares change?"

    def statements(opinion_map):
        return [
            (s.number, s.text if s.is_visible else "", s.moderation_state, s.created_at,
             s.agree_count, s.disagree_count, s.pass_count)
            for s in Statement.objects.filter(map=opinion_map).order_by("number")
        ]  # fmt: skip

    assert statements(second) == statements(first)
    assert by_voter(exported(second, "votes")) == by_voter(exported(first, "votes"))
    assert exported(second, "participants-votes") == exported(first, "participants-votes")
    assert exported(second, "comments") == exported(first, "comments")


POLIS_SMALL = Path(__file__).parent / "fixtures" / "polis-small"


def matrix_rows(rows: list[list[str]]) -> list[tuple]:
    """participants-votes.csv rows as (n-votes, n-agree, n-disagree, {comment: vote}), sorted:
    comparable whatever the participants' numbers."""
    header = rows[0]
    first = header.index("n-votes")
    out = []
    for row in rows[1:]:
        cells = {int(c): int(v) for c, v in zip(header, row, strict=True) if c.isdigit() and v}
        out.append(
            (int(row[first]), int(row[first + 1]), int(row[first + 2]), sorted(cells.items()))
        )
    return sorted(out)


@pytest.mark.skipif(not POLIS_SMALL.is_dir(), reason="the analysis tests' Pol.is fixture is absent")
@pytest.mark.django_db
def test_the_analysis_fixture_imports_with_pol_is_own_latest_votes(consultation):
    summary = polis_import(consultation=consultation, folder=POLIS_SMALL, analyse=False)

    opinion_map = summary.opinion_map
    states = dict(
        Statement.objects.filter(map=opinion_map).values_list("number", "moderation_state")
    )
    assert summary.statements == len(states) == 20
    assert states[13] == ModerationState.HIDDEN
    assert states[17] == states[18] == ModerationState.PENDING
    with (POLIS_SMALL / "participants-votes.csv").open(newline="", encoding="utf-8") as f:
        theirs = list(csv.reader(f))
    ours = exported(opinion_map, "participants-votes")
    # The same people with the same latest votes (Pol.is lists them by its own ids, we by
    # first participation).
    assert matrix_rows(ours) == matrix_rows(theirs)
    assert summary.votes == sum(row[0] for row in matrix_rows(theirs))


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_reported(consultation, tmp_path):
    folder = write_export(tmp_path / "latin1", comments=COMMENTS, votes=VOTES)
    (folder / "comments.csv").write_bytes(
        b"timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        b"1,x,0,1,0,0,1,Caf\xe9 prices\n"
    )

    with pytest.raises(PolisImportError, match="comments.csv: not a UTF-8 CSV file"):
        polis_import(consultation=consultation, folder=folder)
