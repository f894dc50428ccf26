"""Opinion maps in Pol.is's openData format: a map's CSV files, and a Pol.is export folder
imported into a consultation's map.

The files are Pol.is's (comments.csv, votes.csv, participants-votes.csv, summary.csv), with the
same columns in the same order, so the tools written for Pol.is data read them, and our own
import reads them back. What differs, by design:

- Participants are numbered 0, 1, 2… per map in the order they first took part (their first
  vote, or their first statement that carries their number if they wrote before voting), never
  by database id. Numbers
  are stable: a new participant always comes after everyone already numbered, so the same
  export made twice, or a later one, gives everyone the same number. Statements' `author-id`
  uses the same numbers; it is empty for a moderator's statement (a seed), for one whose
  participant's row was deleted, and for one the map shows under its author's public name
  (`shows_a_name`): a number there would tie that name to all its author's votes.
- Every statement has its row, with its moderation flag (1 published, 0 waiting for a moderator,
  -1 hidden or hidden while reports are checked), so that the votes on it still add up; but the
  text is exported only where readers of the map can read it: the body of a statement that is
  not published is left empty, since a hidden or unchecked text may hold personal data or abuse.
- votes.csv has one line per current vote (a changed vote is one row, changed in place) with
  the time of its last change, not Pol.is's history of every click.
- summary.csv counts people through disclosure control (`core.disclosure`), as every
  published count of people is.
- Cells are made safe to open in a spreadsheet (`core.spreadsheets.csv_cell`: a text starting
  like a formula gets a leading apostrophe, which the import takes off again).

Rows are read from the database in chunks (`iterator`), a fixed number of queries per file
whatever the map's size. participants-votes.csv holds every participant's votes in memory
while it is written (compact arrays, as the analysis does), since its rows follow the
participants' numbers, which the database cannot order by.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from voices.consultations.models import Consultation, Participant
from voices.core.audit import audit_record
from voices.core.disclosure import disclose_count
from voices.core.models import ModerationState
from voices.core.names import has_public_name
from voices.core.spreadsheets import FORMULA_START
from voices.core.spreadsheets import csv_lines as spreadsheet_lines
from voices.core.translation import TranslatedText

from . import services
from .models import STATEMENT_MAX_LIMIT, Analysis, OpinionMap, Statement, Vote, text_key

# Rows fetched per round trip to the database.
CHUNK = 2000

COMMENT_COLUMNS = [
    "timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
    "comment-body",
]  # fmt: skip
VOTE_COLUMNS = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PARTICIPANT_COLUMNS = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]

# Pol.is's `moderated`: 1 accepted, 0 not yet moderated, -1 rejected. A statement hidden while
# reports are checked is out of the analysis (services.MODERATED_OUT), so it is -1 here too.
MODERATED = {
    ModerationState.VISIBLE: 1,
    ModerationState.PENDING: 0,
    ModerationState.REPORTED: -1,
    ModerationState.HIDDEN: -1,
}
# And back. In the Pol.is exports, comments still at 0 have no votes but their author's own:
# voters never saw them (strict moderation), so they wait for a moderator here too.
IMPORTED_STATE = {
    1: ModerationState.VISIBLE,
    0: ModerationState.PENDING,
    -1: ModerationState.HIDDEN,
}

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MS = datetime.timedelta(milliseconds=1)


def polis_timestamp(moment: datetime.datetime) -> int:
    """Milliseconds since 1970, as Pol.is's `timestamp` column."""
    return (moment - _EPOCH) // _MS


def polis_datetime(moment: datetime.datetime) -> str:
    """Pol.is's `datetime` column, in UTC: "Sat Nov 17 05:09:36 UTC 2018" (the exports print
    their server's Java date, in its own time zone; the timestamp column is the exact one)."""
    moment = moment.astimezone(datetime.UTC)
    return (
        f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day:02d} "
        f"{moment:%H:%M:%S} UTC {moment.year}"
    )


# Export


FILES = ("comments", "votes", "participants-votes", "summary")


@dataclass
class People:
    """A map's participants as the export numbers them."""

    number: dict[int, int]  # participant pk → 0, 1, 2…
    statements: dict[int, int]  # participant pk → statements exported with their author-id


# What decides whether a statement is shown under its author's public name.
NAME_FIELDS = ("is_seed", "is_anonymous", "author_id", "author__display_name", "author__username")


def shows_a_name(is_seed, is_anonymous, author_id, display_name, username) -> bool:
    """Whether the map's pages show the statement under its author's public name (as
    Statement.author_label decides). Such a statement gets no author-id in the files: the
    number would tie that name to every vote of its author in participants-votes.csv."""
    return (
        not is_seed and not is_anonymous and author_id is not None
        and has_public_name(display_name, username)
    )  # fmt: skip


def participant_numbers(opinion_map: OpinionMap) -> People:
    """Number the map's participants 0, 1, 2… in the order they first took part (first vote,
    or first statement exported with its author-id, the earlier; a vote's creation time stays
    when it is changed), ties by participant id. Two queries."""
    first: dict[int, datetime.datetime] = {}
    voters = (
        Vote.objects.filter(statement__map=opinion_map)
        .order_by()
        .values("participant_id")
        .annotate(first=Min("created_at"))
        .values_list("participant_id", "first")
    )
    for pk, moment in voters.iterator(chunk_size=CHUNK):
        first[pk] = moment
    written: dict[int, int] = {}
    authors = (
        Statement.objects.filter(map=opinion_map, participant__isnull=False)
        .order_by()
        .values_list("participant_id", "created_at", *NAME_FIELDS)
    )
    for pk, moment, *who in authors.iterator(chunk_size=CHUNK):
        if shows_a_name(*who):
            continue
        written[pk] = written.get(pk, 0) + 1
        if pk not in first or moment < first[pk]:
            first[pk] = moment
    order = sorted(first, key=lambda pk: (first[pk], pk))
    return People(number={pk: n for n, pk in enumerate(order)}, statements=written)


def comments_rows(opinion_map: OpinionMap, people: People | None = None) -> Iterator[list]:
    """comments.csv: every statement by number; the text of published ones only, the author's
    number unless the statement is a moderator's or shown under its author's name."""
    people = people or participant_numbers(opinion_map)
    yield COMMENT_COLUMNS
    rows = (
        Statement.objects.filter(map=opinion_map)
        .order_by("number")
        .values_list(
            "number", "created_at", "participant_id", "agree_count", "disagree_count",
            "moderation_state", "text", *NAME_FIELDS,
        )
    )  # fmt: skip
    for number, created, author, agrees, disagrees, state, text, *who in rows.iterator(
        chunk_size=CHUNK
    ):
        yield [
            polis_timestamp(created), polis_datetime(created), number,
            "" if shows_a_name(*who) else people.number.get(author, ""), agrees, disagrees,
            MODERATED[state], text if state == ModerationState.VISIBLE else "",
        ]  # fmt: skip


def votes_rows(opinion_map: OpinionMap, people: People | None = None) -> Iterator[list]:
    """votes.csv: each current vote, by statement then voter (Pol.is's order), with the time
    it was last changed."""
    people = people or participant_numbers(opinion_map)
    yield VOTE_COLUMNS
    rows = (
        Vote.objects.filter(statement__map=opinion_map)
        .order_by("statement__number")
        .values_list("statement__number", "participant_id", "value", "updated_at")
    )
    batch: list[tuple[int, int, datetime.datetime]] = []
    current = None

    def flush() -> Iterator[list]:
        batch.sort()
        for voter, value, moment in batch:
            yield [polis_timestamp(moment), polis_datetime(moment), current, voter, value]
        batch.clear()

    for number, participant, value, moment in rows.iterator(chunk_size=CHUNK):
        if number != current:
            yield from flush()
            current = number
        # Someone whose first vote arrived after the numbering was read (the download is no
        # snapshot) is left for the next export.
        if participant in people.number:
            batch.append((people.number[participant], value, moment))
    yield from flush()


def latest_groups(opinion_map: OpinionMap) -> dict[str, int]:
    """The latest analysis's group of each grouped participant, by participant pk (a string)."""
    group_of = (
        Analysis.objects.filter(map=opinion_map)
        .order_by("-version")
        .annotate(group_of_part=KeyTransform("group_of", "result"))
        .values_list("group_of_part", flat=True)
        .first()
    )
    return group_of or {}


def participants_votes_rows(
    opinion_map: OpinionMap, people: People | None = None
) -> Iterator[list]:
    """participants-votes.csv: one row per participant by number, with their group in the
    latest analysis (empty when not grouped), their counts, and their vote on each statement
    that has votes (empty where they did not vote). Like votes.csv, it leaves out anyone who
    first voted after the numbering was read."""
    people = people or participant_numbers(opinion_map)
    group_of = latest_groups(opinion_map)
    statements: dict[int, array] = {}
    values: dict[int, array] = {}
    rows = (
        Vote.objects.filter(statement__map=opinion_map)
        .order_by()
        .values_list("participant_id", "statement__number", "value")
    )
    for participant, number, value in rows.iterator(chunk_size=CHUNK):
        if participant not in people.number:
            continue
        if participant not in statements:
            statements[participant], values[participant] = array("q"), array("b")
        statements[participant].append(number)
        values[participant].append(value)
    columns = sorted({n for numbers in statements.values() for n in numbers})
    column_of = {number: i for i, number in enumerate(columns)}
    yield PARTICIPANT_COLUMNS + columns
    blank = [""] * len(columns)
    for pk, number in sorted(people.number.items(), key=lambda item: item[1]):
        cells = blank.copy()
        agree = disagree = 0
        own = values.get(pk, ())
        for statement, value in zip(statements.get(pk, ()), own, strict=True):
            cells[column_of[statement]] = value
            agree += value == 1
            disagree += value == -1
        group = group_of.get(str(pk))
        yield [
            number, "" if group is None else group, people.statements.get(pk, 0), len(own),
            agree, disagree, *cells,
        ]  # fmt: skip


def _original(text: TranslatedText) -> str:
    return text.values.get(text.original, "") if text.original else ""


def _disclosed(count: int):
    disclosed = disclose_count(count)
    return str(disclosed) if disclosed.is_suppressed else disclosed.value


def summary_rows(opinion_map: OpinionMap, *, url: str = "") -> Iterator[list]:
    """summary.csv: Pol.is's key, value lines (no header) that this map has: the consultation's
    title as the topic, the map's question as the description, and totals (counts of people
    through disclosure control, as everywhere they are published)."""
    consultation = opinion_map.consultation
    statements = Statement.objects.filter(map=opinion_map)
    voters = Vote.objects.filter(statement__map=opinion_map).values("participant").distinct()
    commenters = statements.filter(participant__isnull=False).values("participant").distinct()
    groups = (
        Analysis.objects.filter(map=opinion_map)
        .order_by("-version")
        .values_list("result__k", flat=True)
        .first()
    )
    yield ["topic", _original(consultation.title)]
    yield ["url", url]
    yield ["voters", _disclosed(voters.count())]
    yield ["commenters", _disclosed(commenters.count())]
    yield ["comments", statements.count()]
    yield ["groups", groups or 0]
    yield ["conversation-description", _original(opinion_map.question)]


def export_rows(opinion_map: OpinionMap, file: str, *, url: str = "") -> Iterator[list]:
    """The rows of one file of the export (`file` is one of FILES)."""
    if file == "comments":
        return comments_rows(opinion_map)
    if file == "votes":
        return votes_rows(opinion_map)
    if file == "participants-votes":
        return participants_votes_rows(opinion_map)
    if file == "summary":
        return summary_rows(opinion_map, url=url)
    raise ValueError(f"unknown export file {file!r}")


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """Rows as CSV text, one line at a time, each cell made safe for spreadsheets; lines end
    in "\\n" as Pol.is's files do."""
    return spreadsheet_lines(rows, lineterminator="\n")


# Import


IMPORT_KEY_PREFIX = "polis:"
# Errors listed at most; the rest are counted.
MAX_ERRORS = 30
_WHOLE = re.compile(r"[0-9]+")
_TIMESTAMP = re.compile(r"[0-9]+(\.[0-9]*)?")
# A Pol.is timestamp beyond this is no date (year 9999).
_LAST_MS = 253402300799999
# Votes created per bulk_create (each sends as many rows per INSERT as the database takes).
IMPORT_BATCH = 2000


class PolisImportError(ValidationError):
    """The folder is not an importable Pol.is export, or the map cannot take it; `messages`
    says what, by file and line."""


@dataclass
class ImportSummary:
    opinion_map: OpinionMap
    created_map: bool
    statements: int
    participants: int
    votes: int
    # From votes.csv (with times), or participants-votes.csv (the final matrix only).
    votes_from: str
    analysis: Analysis | None = None

    @property
    def groups(self) -> int | None:
        """Groups the analysis found; None when it was not run (or found no votes)."""
        if self.analysis is None:
            return None
        return len(self.analysis.result.get("groups", []))


@dataclass
class _Comment:
    number: int
    created_ms: float
    author: int | None
    state: str
    text: str


@dataclass
class _Parsed:
    comments: dict[int, _Comment]
    # (voter, comment) → [first time, last time, value of the last vote]
    votes: dict[tuple[int, int], list]
    voters_in_order: list[int]
    authors: set[int]
    votes_from: str
    topic: str = ""
    description: str = ""


class _Errors:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.more = 0

    def add(self, where: str, message: str) -> None:
        if len(self.messages) < MAX_ERRORS:
            self.messages.append(f"{where}: {message}")
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.messages:
            extra = []
            if self.more:
                extra = [
                    ngettext("…and %(n)d more error.", "…and %(n)d more errors.", self.more)
                    % {"n": self.more}
                ]
            raise PolisImportError(self.messages + extra)


def _read(
    path: Path, required: Iterable[str], errors: _Errors, check_header=None
) -> Iterator[tuple[int, dict]]:
    """A CSV file's rows as (line number where the row starts, {column: value}); a missing
    column, or a header that `check_header` reports a problem in, is reported once and no rows
    follow."""
    try:
        yield from _rows(path, required, errors, check_header)
    except (UnicodeDecodeError, csv.Error) as exc:
        errors.add(path.name, _("not a UTF-8 CSV file (%(error)s)") % {"error": exc})


def _rows(path: Path, required: Iterable[str], errors: _Errors, check_header):
    csv.field_size_limit(10**8)
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            errors.add(path.name, _("the file is empty"))
            return
        header = [name.strip() for name in header]
        missing = [name for name in required if name not in header]
        if missing:
            errors.add(
                f"{path.name}, line 1",
                _("missing column(s): %(names)s") % {"names": ", ".join(missing)},
            )
            return
        problem = check_header(header) if check_header else None
        if problem:
            errors.add(f"{path.name}, line 1", problem)
            return
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not cells:  # a blank line
                continue
            if len(cells) != len(header):
                counts = {"n": len(cells), "m": len(header)}
                errors.add(
                    f"{path.name}, line {start}",
                    ngettext(
                        "%(n)d cell where the header has %(m)d",
                        "%(n)d cells where the header has %(m)d",
                        counts["n"],
                    )
                    % counts,
                )
                continue
            yield start, dict(zip(header, cells, strict=True))


def _whole(value: str, where: str, column: str, errors: _Errors) -> int | None:
    value = value.strip()
    if _WHOLE.fullmatch(value):
        return int(value)
    errors.add(where, _("%(column)s must be a whole number (got %(value)r)") % {
        "column": column, "value": value,
    })  # fmt: skip
    return None


def _vote_value(value: str, where: str, column: str, errors: _Errors) -> int | None:
    value = value.strip()
    if value in ("-1", "0", "1"):
        return int(value)
    errors.add(where, _("%(column)s must be -1, 0 or 1 (got %(value)r)") % {
        "column": column, "value": value,
    })  # fmt: skip
    return None


def _timestamp(value: str, where: str, errors: _Errors) -> float | None:
    value = value.strip()
    if _TIMESTAMP.fullmatch(value) and float(value) <= _LAST_MS:
        return float(value)
    errors.add(where, _("timestamp must be milliseconds since 1970 (got %(value)r)") % {
        "value": value,
    })  # fmt: skip
    return None


def _body(value: str) -> str:
    """A statement's text: spaces and line breaks made single spaces (as statements are
    stored), and the apostrophe that kept a spreadsheet from reading it as a formula taken off."""
    text = " ".join(value.split())
    if text.startswith("'") and text[1:2] in FORMULA_START:
        text = text[1:]
    return text


def _read_comments(folder: Path, errors: _Errors) -> dict[int, _Comment]:
    comments: dict[int, _Comment] = {}
    columns = ("timestamp", "comment-id", "author-id", "moderated", "comment-body")
    for line, row in _read(folder / "comments.csv", columns, errors):
        where = f"comments.csv, line {line}"
        number = _whole(row["comment-id"], where, "comment-id", errors)
        created = _timestamp(row["timestamp"], where, errors)
        author_cell = row["author-id"].strip()
        author = _whole(author_cell, where, "author-id", errors) if author_cell else None
        moderated = _vote_value(row["moderated"], where, "moderated", errors)
        text = _body(row["comment-body"])
        if len(text) > STATEMENT_MAX_LIMIT:
            errors.add(where, ngettext(
                "the comment has %(n)d character; at most %(limit)d",
                "the comment has %(n)d characters; at most %(limit)d",
                len(text),
            ) % {"n": len(text), "limit": STATEMENT_MAX_LIMIT})  # fmt: skip
        if not text and moderated == 1:
            errors.add(where, _("a published comment without text"))
        if number is not None and number in comments:
            errors.add(where, _("comment-id %(id)d appears twice") % {"id": number})
            continue
        if None in (number, created, moderated):
            continue
        comments[number] = _Comment(number, created, author, IMPORTED_STATE[moderated], text)
    return comments


def _read_votes(folder: Path, comments: dict[int, _Comment], errors: _Errors) -> dict:
    """votes.csv: the last vote of each voter on each comment (by time; of two at the same
    time, the later line), with the time of their first."""
    votes: dict[tuple[int, int], list] = {}
    columns = ("timestamp", "comment-id", "voter-id", "vote")
    for line, row in _read(folder / "votes.csv", columns, errors):
        where = f"votes.csv, line {line}"
        moment = _timestamp(row["timestamp"], where, errors)
        number = _whole(row["comment-id"], where, "comment-id", errors)
        voter = _whole(row["voter-id"], where, "voter-id", errors)
        value = _vote_value(row["vote"], where, "vote", errors)
        if number is not None and number not in comments:
            errors.add(where, _("comment-id %(id)d is not in comments.csv") % {"id": number})
            continue
        if None in (moment, number, voter, value):
            continue
        known = votes.get((voter, number))
        if known is None:
            votes[(voter, number)] = [moment, moment, value]
        else:
            known[0] = min(known[0], moment)
            if moment >= known[1]:
                known[1], known[2] = moment, value
    return votes


def _read_matrix(folder: Path, comments: dict[int, _Comment], errors: _Errors) -> dict:
    """participants-votes.csv, where there is no votes.csv: each filled cell is a vote, timed
    when its comment was written (the file has no times; a vote cannot be older)."""
    votes: dict[tuple[int, int], list] = {}
    path = folder / "participants-votes.csv"
    seen: set[int] = set()

    def unknown_columns(header: list[str]) -> str | None:
        unknown = [c for c in header if _WHOLE.fullmatch(c) and int(c) not in comments]
        if not unknown:
            return None
        return _("comment-id(s) not in comments.csv: %(ids)s") % {"ids": ", ".join(unknown)}

    for line, row in _read(path, ("participant",), errors, unknown_columns):
        where = f"participants-votes.csv, line {line}"
        voter = _whole(row["participant"], where, "participant", errors)
        if voter is not None and voter in seen:
            errors.add(where, _("participant %(id)d appears twice") % {"id": voter})
            continue
        for column, cell in row.items():
            if not _WHOLE.fullmatch(column) or not cell.strip():
                continue
            value = _vote_value(cell, where, f"column {column}", errors)
            if voter is not None and value is not None:
                moment = comments[int(column)].created_ms
                votes[(voter, int(column))] = [moment, moment, value]
        if voter is not None:
            seen.add(voter)
    return votes


def _read_summary(folder: Path, errors: _Errors) -> dict[str, str]:
    """summary.csv's key, value lines, if the folder has one."""
    path = folder / "summary.csv"
    if not path.is_file():
        return {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except (UnicodeDecodeError, csv.Error) as exc:
        errors.add(path.name, _("not a UTF-8 CSV file (%(error)s)") % {"error": exc})
        return {}
    return {row[0].strip(): row[1].strip() for row in rows if len(row) >= 2 and row[0]}


def read_polis_folder(folder: str | Path) -> _Parsed:
    """Read and check a Pol.is export folder (no database); raise PolisImportError listing
    every problem found, by file and line."""
    folder = Path(folder)
    errors = _Errors()
    if not folder.is_dir():
        raise PolisImportError([_("%(folder)s is not a folder") % {"folder": folder}])
    if not (folder / "comments.csv").is_file():
        raise PolisImportError([_("%(folder)s has no comments.csv") % {"folder": folder}])
    comments = _read_comments(folder, errors)
    if (folder / "votes.csv").is_file():
        votes, votes_from = _read_votes(folder, comments, errors), "votes.csv"
    elif (folder / "participants-votes.csv").is_file():
        votes, votes_from = _read_matrix(folder, comments, errors), "participants-votes.csv"
    else:
        errors.add(folder.name, _("neither votes.csv nor participants-votes.csv"))
        votes, votes_from = {}, ""
    summary = _read_summary(folder, errors)
    errors.raise_if_any()
    # Voters in the order of their first vote: they are created, and so numbered again by a
    # later export, in that order.
    first: dict[int, float] = {}
    for (voter, _number), (moment, _last, _value) in votes.items():
        if voter not in first or moment < first[voter]:
            first[voter] = moment
    return _Parsed(
        comments=comments,
        votes=votes,
        voters_in_order=sorted(first, key=lambda voter: (first[voter], voter)),
        authors={c.author for c in comments.values() if c.author is not None},
        votes_from=votes_from,
        topic=summary.get("topic", ""),
        description=summary.get("conversation-description", ""),
    )


def import_key(consultation: Consultation, source: str, pid: int) -> str:
    """The `anon_key` of an imported Pol.is participant: the same for the same export folder
    name and participant id in the same consultation (a re-import finds the same rows), and
    never a browser's (those are 64 hex digits; this starts with "polis:")."""
    message = f"polis-import:{consultation.pk}:{source}:{pid}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return (IMPORT_KEY_PREFIX + digest)[:64]


def _moment(ms: float) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(milliseconds=ms)


def _language(consultation: Consultation, language: str | None) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    for code in [language, *(consultation.languages or [])]:
        if code in known:
            return code
    return settings.LANGUAGE_CODE


def _question(parsed: _Parsed, source: str) -> str:
    """The new map's question: the conversation's description if it fits, else its topic;
    without either, a placeholder that says where the map came from and asks for the
    question, shown until staff write it (a map cannot be without one)."""
    for text in (parsed.description, parsed.topic):
        if text and len(text) <= 500:
            return text
    if parsed.description or parsed.topic:
        return (parsed.description or parsed.topic)[:499] + "…"
    return _("Imported from the Pol.is export “%(name)s”: write the question here.") % {
        "name": source
    }


def _participants(consultation: Consultation, source: str, pids: list[int]) -> dict[int, int]:
    """The imported participants' rows (created where missing), by Pol.is id."""
    keys = {import_key(consultation, source, pid): pid for pid in pids}
    found: dict[int, int] = {}

    def lookup(batch: list[str]) -> None:
        rows = Participant.objects.filter(consultation=consultation, anon_key__in=batch)
        for pk, key in rows.values_list("pk", "anon_key"):
            found[keys[key]] = pk

    ordered = list(keys)
    for i in range(0, len(ordered), 500):
        lookup(ordered[i : i + 500])
    missing = [key for key in ordered if keys[key] not in found]
    Participant.objects.bulk_create(
        [Participant(consultation=consultation, anon_key=key) for key in missing],
        batch_size=1000,
    )
    for i in range(0, len(missing), 500):
        lookup(missing[i : i + 500])
    return found


def _map_for_import(consultation: Consultation, parsed: _Parsed, source: str, language: str):
    opinion_map = OpinionMap.objects.select_for_update().filter(consultation=consultation).first()
    if opinion_map is not None:
        return opinion_map, False
    question = TranslatedText({language: _question(parsed, source)}, language)
    opinion_map = OpinionMap.objects.create(consultation=consultation, question=question)
    components = list(consultation.components or [])
    if services.COMPONENT_KEY not in components:
        components.append(services.COMPONENT_KEY)
        Consultation.objects.filter(pk=consultation.pk).update(components=components)
        consultation.components = components
    return opinion_map, True


def _clear(opinion_map: OpinionMap) -> None:
    """--replace: the map's analyses, votes and statements go (its settings stay)."""
    Analysis.objects.filter(map=opinion_map).delete()
    Vote.objects.filter(statement__map=opinion_map).delete()
    Statement.objects.filter(map=opinion_map).update(duplicate_of=None)
    Statement.objects.filter(map=opinion_map).delete()


def _statements(
    opinion_map: OpinionMap, parsed: _Parsed, people: dict[int, int], language: str
) -> dict[int, int]:
    """Create the statements with their counters and times; return their pks by number."""
    counts: dict[int, list[int]] = {number: [0, 0, 0] for number in parsed.comments}
    for (_voter, number), (_first, _last, value) in parsed.votes.items():
        counts[number][{1: 0, -1: 1, 0: 2}[value]] += 1
    statements = []
    for number in sorted(parsed.comments):
        c = parsed.comments[number]
        agrees, disagrees, passes = counts[number]
        statements.append(Statement(
            map_id=opinion_map.pk, consultation_id=opinion_map.consultation_id, number=number,
            text=c.text, text_key=text_key(c.text), language=language,
            participant_id=people.get(c.author) if c.author is not None else None,
            is_anonymous=True, moderation_state=c.state, agree_count=agrees,
            disagree_count=disagrees, pass_count=passes, created_at=_moment(c.created_ms),
        ))  # fmt: skip
    Statement.objects.bulk_create(statements, batch_size=500)
    # bulk_create gives the rows their keys on PostgreSQL and SQLite: no query to read them back.
    pks = {statement.number: statement.pk for statement in statements}
    # Duplicates flagged as services.statement_save flags them: the earliest earlier
    # statement with the same words that is not hidden.
    first_with: dict[str, int] = {}
    duplicates = []
    for statement in statements:
        key, pk = statement.text_key, pks[statement.number]
        if not key:
            continue
        if key in first_with:
            duplicates.append(Statement(pk=pk, duplicate_of_id=first_with[key]))
        if statement.moderation_state != ModerationState.HIDDEN:
            first_with.setdefault(key, pk)
    Statement.objects.bulk_update(duplicates, ["duplicate_of"], batch_size=500)
    return pks


def _votes(parsed: _Parsed, people: dict[int, int], statements: dict[int, int]) -> int:
    """Create the votes with the time of the first and of the last vote; return how many."""
    votes = (
        Vote(
            statement_id=statements[number],
            participant_id=people[voter],
            value=value,
            created_at=_moment(first),
            updated_at=_moment(last),
        )
        for (voter, number), (first, last, value) in parsed.votes.items()
    )
    # A batch of instances at a time, so that a map of millions of votes is never held as
    # model instances all at once.
    while batch := list(islice(votes, IMPORT_BATCH)):
        Vote.objects.bulk_create(batch, batch_size=IMPORT_BATCH)
    return len(parsed.votes)


def polis_import(
    *,
    consultation: Consultation,
    folder: str | Path,
    replace: bool = False,
    analyse: bool = True,
    language: str | None = None,
) -> ImportSummary:
    """Import a Pol.is export folder into the consultation's opinion map (created if it has
    none; an existing map keeps its question and settings).

    Everything is checked before anything is written (PolisImportError lists the problems
    by file and line), and the import is one transaction: all of it or nothing. A map that
    already has statements is refused unless `replace`, which first deletes its statements,
    votes and analyses (in the same transaction; imported participants left without votes go
    too).

    Each Pol.is participant (voter or author) becomes an anonymous, unverified participant of
    the consultation (`import_key`); statements keep their comment-id as number, their text,
    their time and moderation (1 published, 0 waiting, -1 hidden) and are written in
    `language` (default: the consultation's first); votes keep the value of the last vote and
    its time. Then the analysis runs once, unless `analyse` is False (the worker's periodic
    task then runs it, since the imported votes count as new).
    """
    folder = Path(folder).resolve()
    source = folder.name
    parsed = read_polis_folder(folder)
    language = _language(consultation, language)
    with transaction.atomic():
        # The consultation's row is locked first, so two imports into it run one by one.
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        opinion_map, created = _map_for_import(consultation, parsed, source, language)
        existing = Statement.objects.filter(map=opinion_map).count()
        if existing and not replace:
            raise PolisImportError([
                ngettext(
                    "The opinion map already has %(n)d statement; import with replace "
                    "(--replace) to delete it and its votes first.",
                    "The opinion map already has %(n)d statements; import with replace "
                    "(--replace) to delete them and their votes first.",
                    existing,
                ) % {"n": existing}
            ])  # fmt: skip
        if existing:
            _clear(opinion_map)
        pids = list(parsed.voters_in_order)
        pids += sorted(parsed.authors - set(pids))
        people = _participants(consultation, source, pids)
        statements = _statements(opinion_map, parsed, people, language)
        n_votes = _votes(parsed, people, statements)
        if replace:
            voted = Vote.objects.filter(participant=OuterRef("pk"))
            wrote = Statement.objects.filter(participant=OuterRef("pk"))
            Participant.objects.filter(
                consultation=consultation, anon_key__startswith=IMPORT_KEY_PREFIX
            ).exclude(Exists(voted)).exclude(Exists(wrote)).delete()
        OpinionMap.objects.filter(pk=opinion_map.pk).update(
            votes_since_analysis=n_votes, analysis_queued_at=None
        )
        audit_record(
            actor=None, action="update", obj=opinion_map,
            after={
                "imported_from_polis": source, "statements": len(statements),
                "participants": len(people), "votes": n_votes, "replaced": existing,
            },
        )  # fmt: skip
    summary = ImportSummary(
        opinion_map=opinion_map, created_map=created, statements=len(statements),
        participants=len(people), votes=n_votes, votes_from=parsed.votes_from,
    )  # fmt: skip
    if analyse and n_votes:
        summary.analysis = services.analysis_run(map_id=opinion_map.pk)
    return summary
