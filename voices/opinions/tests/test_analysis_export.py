"""Reading a Pol.is export folder and replaying it (voices/opinions/analysis/polis_export.py),
and the command line `python -m voices.opinions.analysis FOLDER`.

The export used here, fixtures/polis-small, is synthetic: `build_polis_small()` below writes it
from a seed, and a test checks that the committed files are exactly what it writes. To change
it, edit the builder and run `python -m voices.opinions.tests.test_analysis_export` from the
project root.
"""

import csv
import datetime
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from voices.opinions.analysis import analyse, latest_cells
from voices.opinions.analysis.agreement import agreement_with
from voices.opinions.analysis.pipeline import Cells
from voices.opinions.analysis.polis_export import (
    ExportError,
    _Matrix,
    read_export,
    replay,
    schedule,
)

FIXTURE = Path(__file__).parent / "fixtures" / "polis-small"
PROJECT = Path(__file__).resolve().parents[3]

# ---------------------------------------------------------------------------------------------
# The synthetic export
# ---------------------------------------------------------------------------------------------

STATEMENTS = [
    # Housing
    "The city should reserve a share of new social housing for refugees and recent migrants.",
    "Landlords who turn tenants away because of their name or origin should be fined.",
    "Newcomers should be spread across all districts instead of being housed in one area.",
    "Waiting times for social housing should be the same for everyone, whatever their origin.",
    "The city should help newcomers pay the deposit for their first flat.",
    # Language courses
    "Language courses should be free for everyone in their first two years in the city.",
    "Language courses should offer childcare so that parents can attend.",
    "Receiving benefits should depend on attending a language course.",
    "Evening and weekend language courses are needed for people who work during the day.",
    "Public offices should provide interpreters for the most common languages.",
    # Jobs
    "Foreign qualifications should be recognised within three months.",
    "The city administration should hire more staff with a migration background.",
    "Asylum seekers should be allowed to work while their case is decided.",
    "Cheap phone contracts for newcomers, visit my shop on the main square!",
    "Businesses that train young migrants as apprentices should pay lower municipal fees.",
    # Health
    "Everyone living in the city should have a family doctor, with or without papers.",
    "Health information should be published in the ten most spoken languages in the city.",
    "Health mediators from the communities should visit new arrivals at home.",
    "Mental health support for refugees should be free of charge.",
    "The city should ask the migrant council before deciding on integration policy.",
]
MODERATED_OUT = 13  # the advertisement
UNMODERATED = (17, 18)  # still waiting for a moderator (0); the others are accepted (1)
# Sides of the two planted groups (1 agree, -1 disagree): both agree with 3, 6, 8, 16 and 19;
# they are on opposite sides of the other statements.
SIDES = np.array(
    [
        [1, 1, -1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1],
        [-1, -1, 1, 1, -1, -1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, 1, -1, -1, 1],
    ]
)
GROUP_SIZES = (26, 31)
DRIVE_BY = 3  # late visitors with 2-4 votes: too few to be grouped
CHANGED = 5  # votes changed later by the same person
START = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
COMMENTS_HEADER = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"


def _java_date(ms: int) -> str:
    """Pol.is's Clojure exporter writes Java's Date.toString()."""
    moment = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def build_polis_small(folder: Path) -> dict[int, int]:
    """Write the synthetic export; returns the planted group of every grouped participant.

    Participant ids follow the order of arrival, as Pol.is assigns them. Each regular votes on
    about 70 % of the statements in one visit, 90 % on the group's side, 5 % against, 5 %
    passes; five of them change a vote an hour or more later; three late visitors vote 2-4
    times. The rows of votes.csv are shuffled, as they are not in time order in real exports.
    """
    rng = np.random.default_rng(2025)
    m = len(STATEMENTS)
    start_ms = int(START.timestamp() * 1000)
    labels = rng.permutation(np.repeat(np.arange(len(GROUP_SIZES)), GROUP_SIZES))
    n_regular = len(labels)
    arrivals = start_ms + np.sort(rng.uniform(3 * 3600, 5 * 86400, n_regular)) * 1000
    votes: list[tuple[int, int, int, int]] = []  # (ms, statement, participant, vote)
    for person in range(n_regular):
        chosen = np.flatnonzero(rng.random(m) < 0.7)
        while len(chosen) < 8:
            chosen = np.flatnonzero(rng.random(m) < 0.7)
        ms = int(arrivals[person])
        for statement in rng.permutation(chosen).tolist():
            ms += int(rng.integers(3_000, 40_000))
            side = int(SIDES[labels[person], statement])
            vote = int(rng.choice([side, -side, 0], p=[0.9, 0.05, 0.05]))
            votes.append((ms, statement, person, vote))
    for index in rng.choice(len(votes), CHANGED, replace=False).tolist():
        ms, statement, person, vote = votes[index]
        later = ms + int(rng.integers(3_600_000, 7_200_000))
        votes.append(
            (later, statement, person, int(rng.choice([v for v in (1, -1, 0) if v != vote])))
        )
    ms = start_ms + 6 * 86_400_000
    for person in range(n_regular, n_regular + DRIVE_BY):
        for statement in rng.choice(m, int(rng.integers(2, 5)), replace=False).tolist():
            ms += int(rng.integers(3_000, 40_000))
            votes.append((ms, statement, person, int(rng.choice([1, -1, 0]))))

    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "votes.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for index in rng.permutation(len(votes)).tolist():
            ms, statement, person, vote = votes[index]
            out.writerow([ms, _java_date(ms), statement, person, vote])

    latest: dict[tuple[int, int], int] = {}
    for _, statement, person, vote in sorted(votes):
        latest[person, statement] = vote
    authors = rng.choice(n_regular, m).tolist()
    with (folder / "comments.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(COMMENTS_HEADER.split(","))
        for statement, body in enumerate(STATEMENTS):
            ms = start_ms + statement * 60_000
            cast = [v for _, s, _, v in votes if s == statement]  # superseded votes included
            moderated = -1 if statement == MODERATED_OUT else 0 if statement in UNMODERATED else 1
            counts = [cast.count(1), cast.count(-1)]
            out.writerow(
                [ms, _java_date(ms), statement, authors[statement], *counts, moderated, body]
            )

    columns = sorted({s for _, s, _, _ in votes})
    with (folder / "participants-votes.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(
            ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
            + [str(s) for s in columns]
        )
        for person in range(n_regular + DRIVE_BY):
            cells = [latest.get((person, s)) for s in columns]
            cast = [c for c in cells if c is not None]
            group = str(labels[person]) if person < n_regular else ""
            out.writerow(
                [person, group, authors.count(person), len(cast), cast.count(1), cast.count(-1)]
                + ["" if c is None else c for c in cells]
            )
    return {person: int(labels[person]) for person in range(n_regular)}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def planted() -> dict[int, int]:
    """The planted groups, as the committed participants-votes.csv states them."""
    return {
        int(r["participant"]): int(r["group-id"])
        for r in read_csv(FIXTURE / "participants-votes.csv")
        if r["group-id"]
    }


def test_the_committed_fixture_is_what_the_builder_writes(tmp_path, planted):
    groups = build_polis_small(tmp_path)

    for name in ("comments.csv", "votes.csv", "participants-votes.csv"):
        assert (tmp_path / name).read_bytes() == (FIXTURE / name).read_bytes(), (
            f"{name} differs from what build_polis_small() writes: if the builder changed on "
            "purpose, run python -m voices.opinions.tests.test_analysis_export"
        )
    assert groups == planted
    assert sum(p.stat().st_size for p in FIXTURE.iterdir()) < 60_000


# ---------------------------------------------------------------------------------------------
# read_export
# ---------------------------------------------------------------------------------------------


def test_read_export_reads_every_vote_row_including_changed_votes():
    rows = read_csv(FIXTURE / "votes.csv")

    export = read_export(FIXTURE)

    assert len(export.values) == len(rows) == len(export.participants) == len(export.statements)
    assert len(rows) == len(matrix_cells()) + CHANGED  # a changed vote is one more row
    assert len(np.unique(export.participants)) == sum(GROUP_SIZES) + DRIVE_BY
    assert len(np.unique(export.statements)) == len(STATEMENTS)
    assert set(export.values.tolist()) == {-1, 0, 1}
    # Seconds, from the milliseconds of the file.
    assert export.timestamps[0] == pytest.approx(int(rows[0]["timestamp"]) / 1000)


def test_read_export_takes_the_moderated_out_statements_and_polis_groups(planted):
    export = read_export(FIXTURE)

    assert export.moderated_out.tolist() == [MODERATED_OUT]
    assert export.polis_groups == planted
    assert len(planted) == sum(GROUP_SIZES)  # the late visitors have no group


def latest_by_time(export) -> dict[tuple[int, int], int]:
    order = np.argsort(export.timestamps, kind="stable")
    people, statements, values = (
        a[order].tolist() for a in (export.participants, export.statements, export.values)
    )
    return {(p, s): v for p, s, v in zip(people, statements, values, strict=True)}


def matrix_cells() -> dict[tuple[int, int], int]:
    return {
        (int(r["participant"]), int(column)): int(value)
        for r in read_csv(FIXTURE / "participants-votes.csv")
        for column, value in r.items()
        if column.isdigit() and value != ""
    }


def test_the_latest_vote_by_time_is_the_one_in_participants_votes():
    export = read_export(FIXTURE)
    rows = read_csv(FIXTURE / "votes.csv")
    cells = matrix_cells()

    assert latest_by_time(export) == cells
    # The fixture is meaningful: some changed votes come before the vote they replace in the
    # file, so taking the last row in file order would be wrong.
    seen: dict[tuple[str, str], dict[str, str]] = {}
    later_first = 0
    for row in rows:
        key = (row["voter-id"], row["comment-id"])
        if key in seen and int(seen[key]["timestamp"]) > int(row["timestamp"]):
            later_first += 1
            assert cells[int(key[0]), int(key[1])] == int(seen[key]["vote"])
        seen[key] = row
    assert later_first >= 1


def test_a_folder_without_votes_csv_is_read_from_participants_votes(tmp_path):
    for name in ("comments.csv", "participants-votes.csv"):
        shutil.copy(FIXTURE / name, tmp_path / name)

    export = read_export(tmp_path)

    assert export.timestamps is None
    cells = {
        (int(p), int(s)): int(v)
        for p, s, v in zip(export.participants, export.statements, export.values, strict=True)
    }
    assert len(cells) == len(export.values)  # one vote per filled cell
    assert cells == matrix_cells()
    assert export.moderated_out.tolist() == [MODERATED_OUT]


def write_export(folder: Path, votes: str, comments: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    if comments is None:
        comments = f"{COMMENTS_HEADER}\n1000,x,0,0,1,0,1,Language courses should be free.\n"
    (folder / "comments.csv").write_text(comments, encoding="utf-8")
    (folder / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n" + votes, encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    ("votes", "comments"),
    [
        pytest.param("2000,x,0,abc,1\n", None, id="voter id not a number"),
        pytest.param("2000,x,zero,1,1\n", None, id="comment id not a number"),
        pytest.param("2000,x,0,1,5\n", None, id="vote 5"),
        pytest.param("2000,x,0,1,-2\n", None, id="vote -2"),
        pytest.param("2000,x,0,1,\n", None, id="vote missing"),
        pytest.param("2000,x,0,1,1\n", "comment-id,moderated\nseven,-1\n", id="moderated id text"),
    ],
)
def test_a_broken_export_is_an_export_error(tmp_path, votes, comments):
    folder = write_export(tmp_path / "export", votes, comments)

    with pytest.raises(ExportError):
        read_export(folder)


def test_a_folder_without_comments_csv_is_an_export_error(tmp_path):
    shutil.copy(FIXTURE / "participants-votes.csv", tmp_path / "participants-votes.csv")

    with pytest.raises(ExportError, match="no comments.csv"):
        read_export(tmp_path)


def test_a_folder_with_neither_votes_nor_participants_votes_is_an_export_error(tmp_path):
    shutil.copy(FIXTURE / "comments.csv", tmp_path / "comments.csv")

    with pytest.raises(ExportError):
        read_export(tmp_path)


@pytest.mark.parametrize("where", ["votes.csv", "participants-votes.csv"])
def test_a_vote_too_big_for_int8_is_an_export_error(tmp_path, where):
    if where == "votes.csv":
        folder = write_export(tmp_path / "export", "2000,x,0,1,200\n")
    else:
        folder = tmp_path / "export"
        folder.mkdir()
        shutil.copy(FIXTURE / "comments.csv", folder / "comments.csv")
        (folder / "participants-votes.csv").write_text(
            "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,,0,1,0,0,200\n",
            encoding="utf-8",
        )

    with pytest.raises(ExportError):
        read_export(folder)


# ---------------------------------------------------------------------------------------------
# replay
# ---------------------------------------------------------------------------------------------


def test_replay_finds_the_planted_groups(planted):
    result = replay(read_export(FIXTURE))

    assert result.k == 2
    assert agreement_with(planted, result.group_of) >= 0.99
    # The late visitors voted too little, after enough others were in: not grouped.
    assert set(result.group_of) == set(planted)
    assert result.n_participants == sum(GROUP_SIZES) + DRIVE_BY
    assert result.n_votes == len(matrix_cells())  # the latest vote per cell
    listed = {r.statement for reps in result.repness.values() for r in reps}
    listed |= {c.statement for side in result.consensus.values() for c in side}
    assert MODERATED_OUT not in listed | {d.statement for d in result.divisive}


@pytest.mark.parametrize("updates", [1, 20])
def test_replay_is_one_analyse_per_wave_of_votes(updates):
    # replay() keeps its own incremental vote matrix for speed; it must give what analyse()
    # gives when called after each wave with every vote so far (within a wave in Pol.is's
    # order: statement, then participant, then time) and the previous state.
    export = read_export(FIXTURE)
    result = replay(export, updates=updates)

    by_time = np.argsort(export.timestamps, kind="stable")
    p, s, v = (a[by_time] for a in (export.participants, export.statements, export.values))
    arrived: list[np.ndarray] = []
    lo, state = 0, None
    for hi in schedule(export.timestamps, updates).tolist():
        arrived.append(lo + np.lexsort((np.arange(hi - lo), p[lo:hi], s[lo:hi])))
        lo = hi
        sofar = np.concatenate(arrived)
        step = analyse(
            p[sofar], s[sofar], v[sofar], moderated_out=export.moderated_out, state=state
        )
        state = step.state

    assert result.k == step.k == 2
    assert result.group_of == step.group_of
    assert result.n_votes == step.n_votes
    assert chosen(result.repness) == chosen(step.repness)
    for person, xy in step.positions.items():
        assert result.positions[person] == pytest.approx(xy, abs=1e-8)
    assert result.priority == pytest.approx(step.priority, rel=1e-8)


def chosen(repness) -> dict[int, list[tuple[int, str]]]:
    """The representative statements and their directions (their statistics may differ in
    the last bits)."""
    return {g: [(r.statement, r.direction) for r in reps] for g, reps in repness.items()}


def test_replay_of_the_final_matrix_only_finds_the_planted_groups(tmp_path, planted):
    for name in ("comments.csv", "participants-votes.csv"):
        shutil.copy(FIXTURE / name, tmp_path / name)

    result = replay(read_export(tmp_path))

    assert result.k == 2
    assert agreement_with(planted, result.group_of) >= 0.99


def test_replay_of_an_export_without_votes_is_an_export_error(tmp_path):
    folder = write_export(tmp_path / "export", "")

    with pytest.raises(ExportError, match="no votes"):
        replay(read_export(folder))


@pytest.mark.parametrize("seed", range(3))
def test_the_replay_matrix_answers_what_the_cells_of_the_same_votes_answer(seed):
    # The replay keeps its own matrix (sums, each person's list of votes) and the database path
    # reads cells; after waves of votes with changed votes (also to and from a pass) and a
    # statement moderated out, both must give an update the same numbers.
    rng = np.random.default_rng(seed)
    n_rows, n_cols, n_votes = 30, 9, 400
    rows = rng.integers(0, n_rows, n_votes)
    cols = rng.integers(0, n_cols, n_votes)
    vals = rng.integers(-1, 2, n_votes).astype(np.int8)
    assert len(np.unique(rows * n_cols + cols)) < n_votes  # some votes change
    mod_out = np.zeros(n_cols, bool)
    mod_out[4] = True
    matrix = _Matrix(n_rows, n_cols, ~mod_out)
    for lo, hi in [(0, 150), (150, 151), (151, 400)]:
        matrix.apply(rows[lo:hi], cols[lo:hi], vals[lo:hi], n_rows, n_cols)
    cells = Cells(*latest_cells(rows, cols, vals, n_cols), n_rows, n_cols)

    got = sorted(zip(*(a.tolist() for a in matrix.cells()), strict=True))
    assert got == sorted(zip(*(a.tolist() for a in cells.cells()), strict=True))
    assert matrix.counts().tolist() == cells.counts().tolist()
    means = cells.means(mod_out)
    assert matrix.means(mod_out) == pytest.approx(means, abs=1e-12)
    assert matrix.gram(means, mod_out) == pytest.approx(cells.gram(means, mod_out), abs=1e-9)
    comps = rng.random((2, n_cols))
    which = rng.random(n_rows) < 0.5
    points = cells.project(means, mod_out, comps, which)
    assert matrix.project(means, mod_out, comps, which) == pytest.approx(points, abs=1e-12)
    assert not points[~which].any()  # those not asked for are not projected


def test_replay_cuts_the_votes_at_the_longest_pauses():
    # Pauses: 1, 1, 98, 1, 399 s. Three updates: cut after the 399 s and the 98 s pauses.
    stamps = np.array([0, 1, 2, 100, 101, 500], dtype=np.float64)

    assert schedule(stamps, 3).tolist() == [3, 5, 6]
    assert schedule(stamps[::-1], 3).tolist() == [3, 5, 6]  # sorted first
    assert schedule(stamps, 1).tolist() == [6]
    assert schedule(np.zeros(0)).tolist() == []


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own module, fixed arguments)
        [sys.executable, "-m", "voices.opinions.analysis", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_command_line_prints_the_groups_as_json(planted):
    done = run_cli(str(FIXTURE), "--json")

    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"k", "groups", "seconds"}
    assert data["k"] == 2
    assert all(isinstance(person, str) for person in data["groups"])
    groups = {int(person): group for person, group in data["groups"].items()}
    assert set(groups) == set(planted)  # the late visitors are left out
    assert agreement_with(planted, groups) >= 0.99
    assert data["seconds"] >= 0


def test_the_command_line_refuses_a_folder_that_is_not_an_export(tmp_path):
    done = run_cli(str(tmp_path), "--json")

    assert done.returncode == 2
    assert done.stdout == ""
    assert "no comments.csv" in done.stderr
    assert "Traceback" not in done.stderr


if __name__ == "__main__":
    build_polis_small(FIXTURE)
