"""Feedback from a support desk's or a survey tool's export, as validated records.

Columns are matched by the headers such tools export (:data:`HEADERS`); priorities may be
words (urgent, high, normal, low), P1-P4 or 1-4; kinds may be the desk's ticket types
(problem, incident, feature request...); dates may be ISO 8601 with or without a time and
zone, ``YYYY/MM/DD``, an unambiguous ``D/M/YYYY`` or ``M/D/YYYY``, e-mail style
(``Thu, 26 Nov 2026 10:00:00 +0000``) or Unix seconds. A time without a zone is taken in the
user's time zone. Every row is checked and every problem collected (line, column, reason)
before the caller writes anything.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from opsdesk.importers.tabular import (
    PROGRESS_EVERY,
    Cell,
    Problem,
    Progress,
    Table,
    TabularError,
    read_table,
)
from opsdesk.models import Feedback, check_email, plain_problem
from opsdesk.vocabulary import FeedbackKind

HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("title", "subject", "summary", "feedback title", "ticket subject", "headline"),
    "body": (
        "body",
        "description",
        "message",
        "comment",
        "comments",
        "text",
        "feedback",
        "details",
        "content",
        "ticket description",
    ),
    "customer_email": (
        "email",
        "requester email",
        "customer email",
        "email address",
        "contact email",
        "user email",
    ),
    "company": (
        "company",
        "organization",
        "organisation",
        "account",
        "account name",
        "company name",
        "organization name",
        "org",
    ),
    "received_at": (
        "created",
        "created at",
        "submitted at",
        "date",
        "received",
        "received at",
        "created date",
        "creation date",
        "submitted",
        "timestamp",
        "date created",
    ),
    "tags": ("tags", "labels", "tag", "label", "themes", "topics"),
    "source": ("source", "channel", "via", "origin"),
    "priority": ("priority", "severity", "urgency", "prio"),
    "kind": ("kind", "type", "ticket type", "category", "feedback type"),
    "owner": ("owner", "assignee", "assigned to", "agent"),
}
"""Each field an import fills, and the headers tools use for it (compared folded)."""

REQUIRED = ("title",)
DEFAULT_SOURCE = "import"

PRIORITY_WORDS: dict[str, int] = {
    "urgent": 1,
    "critical": 1,
    "blocker": 1,
    "highest": 1,
    "high": 2,
    "normal": 3,
    "medium": 3,
    "moderate": 3,
    "low": 4,
    "lowest": 4,
    "minor": 4,
}
KIND_WORDS: dict[str, FeedbackKind] = {
    **{kind.value: kind for kind in FeedbackKind},
    "churn risk": FeedbackKind.CHURN_RISK,
    "churn": FeedbackKind.CHURN_RISK,
    "cancellation": FeedbackKind.CHURN_RISK,
    "problem": FeedbackKind.BUG,
    "incident": FeedbackKind.BUG,
    "defect": FeedbackKind.BUG,
    "feature request": FeedbackKind.REQUEST,
    "feature": FeedbackKind.REQUEST,
    "idea": FeedbackKind.REQUEST,
    "task": FeedbackKind.REQUEST,
    "suggestion": FeedbackKind.REQUEST,
    "compliment": FeedbackKind.PRAISE,
    "kudos": FeedbackKind.PRAISE,
    "how to": FeedbackKind.QUESTION,
    "support": FeedbackKind.QUESTION,
}

FUTURE_SLACK = dt.timedelta(days=1)
"""A received date this far past now is refused as a typo (clocks and zones aside)."""

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_TAG_SEPARATOR = re.compile(r"[,;|]")
_EPOCH = re.compile(r"\d{9,10}(\.\d+)?")
_SLASHED = re.compile(
    r"^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)


class AmbiguousDate(ValueError):
    """A slashed date both ways round could be (03/04/2026): said so, not just refused."""


class FeedbackFileError(ValueError):
    """The file cannot be imported; the message says why."""


@dataclass
class FeedbackRows:
    """What a file holds: valid records with their lines, or the problems that stop it."""

    table: Table
    records: list[Feedback] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_priority(text: str) -> int:
    """'urgent' / 'P1' / '1' → 1 … 'low' / 'P4' / '4' → 4."""
    word = text.strip().casefold()
    if word in PRIORITY_WORDS:
        return PRIORITY_WORDS[word]
    digits = word.removeprefix("p").strip()
    if digits in ("1", "2", "3", "4"):
        return int(digits)
    raise ValueError(f"'{text.strip()}' is not a priority (urgent, high, normal, low, P1-P4, 1-4)")


def parse_kind(text: str) -> FeedbackKind:
    word = " ".join(text.replace("_", " ").replace("-", " ").casefold().split())
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    names = ", ".join(kind.value for kind in FeedbackKind)
    raise ValueError(f"'{text.strip()}' is not a kind of feedback ({names})")


def _zone(text: str | None, tz: ZoneInfo) -> dt.tzinfo:
    if not text or text.upper() in ("Z", "UTC", "GMT"):
        return dt.UTC if text else tz
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return dt.timezone(sign * offset)


def parse_instant(text: str, tz: ZoneInfo) -> dt.datetime:
    """When an item was received, from the shapes support tools write; refused plainly.

    A date at the edge of the calendar (.NET's empty ``0001-01-01T00:00:00``, seen east of
    UTC) cannot be moved to UTC: it is refused as not a date, like any other it can't read.
    """
    value = text.strip()
    try:
        return _instant(value, tz)
    except AmbiguousDate:
        raise
    except (ValueError, TypeError, IndexError, OverflowError):
        raise ValueError(f"'{value}' is not a date") from None


def _instant(value: str, tz: ZoneInfo) -> dt.datetime:
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":  # ISO 8601: the C parser
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            pass  # not a date Python reads (or an impossible one): the checks below say which
        else:
            parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
            return parsed.astimezone(dt.UTC).replace(microsecond=0)
    match = _ISO.match(value)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=_zone(zone, tz),
        ).astimezone(dt.UTC)
    match = _SLASHED.match(value)
    if match:
        return _slashed(match, value, tz)
    if _EPOCH.fullmatch(value):
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    parsed = email.utils.parsedate_to_datetime(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(dt.UTC)


def _slashed(match: re.Match[str], value: str, tz: ZoneInfo) -> dt.datetime:
    first, second, third, hour, minute, second_of = match.groups()
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    elif len(third) == 4:
        a, b = int(first), int(second)
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            month, day = a, b
        elif a == b:
            day = month = a
        else:
            raise AmbiguousDate(
                f"'{value}' could be day/month or month/day: write it as YYYY-MM-DD"
            )
        year = int(third)
    else:
        raise ValueError(f"'{value}' is not a date")
    return dt.datetime(
        year, month, day, int(hour or 0), int(minute or 0), int(second_of or 0), tzinfo=tz
    ).astimezone(dt.UTC)


def split_tags(cell: Cell) -> list[str]:
    """'billing, sso' / 'billing;sso' / 'billing sso' (Zendesk) / a JSON list → tags."""
    if isinstance(cell, list):
        parts = cell
    elif "," in cell or ";" in cell or "|" in cell:
        parts = _TAG_SEPARATOR.split(cell)
    else:
        parts = cell.split()
    return [tag for part in parts if (tag := part.strip())]


def _text(cell: Cell) -> str:
    if isinstance(cell, list):
        raise ValueError("is a list; a single value is needed here")
    return cell


def _received(cell: Cell, tz: ZoneInfo, latest: dt.datetime) -> dt.datetime:
    received = parse_instant(_text(cell), tz)
    if received > latest:
        raise ValueError(f"'{_text(cell).strip()}' is in the future")
    return received


_PARSERS: dict[str, Callable[[Cell, ZoneInfo, dt.datetime], Any]] = {
    "tags": lambda cell, tz, latest: split_tags(cell),
    "priority": lambda cell, tz, latest: parse_priority(_text(cell)),
    "kind": lambda cell, tz, latest: parse_kind(_text(cell)),
    "received_at": _received,
    "body": lambda cell, tz, latest: _text(cell),
    "customer_email": lambda cell, tz, latest: check_email(_text(cell)),
}
"""How each field's cell is read; any other field is its text, stripped."""


def row_fields(
    cells: Mapping[str, Cell], *, tz: ZoneInfo, now: dt.datetime
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A row's cells as feedback fields, and (field, problem) pairs for the bad ones."""
    data: dict[str, Any] = {"source": DEFAULT_SOURCE, "received_at": now}
    problems: list[tuple[str, str]] = []
    latest = now + FUTURE_SLACK
    parsers = _PARSERS
    for name, cell in cells.items():
        parse = parsers.get(name)
        try:
            if parse is None:
                data[name] = _text(cell).strip()
            else:
                data[name] = parse(cell, tz, latest)
        except ValueError as error:
            problems.append((name, str(error)))
    for name in REQUIRED:
        if name not in cells:
            problems.append((name, f"no {name}"))
    return data, problems


def _model_problems(error: ValidationError) -> list[tuple[str, str]]:
    """Each field's problem in the app's words ('is too long: at most 500 characters'),
    not pydantic's ('String should have at most 500 characters')."""
    return [
        (str(problem.get("loc", ("value",))[0]), plain_problem(problem))
        for problem in error.errors()
    ]


def check_mapping(table: Table) -> None:
    """Refuse a file that has no column for a required field, saying how to name one."""
    for name in REQUIRED:
        if name not in table.mapping:
            heads = ", ".join(f"'{alias}'" for alias in HEADERS[name][:3])
            raise FeedbackFileError(
                f"no {name} column: name one {heads}, or pass --map {name}=COLUMN "
                f"(the file's columns: {', '.join(table.columns[:15]) or 'none'})"
            )


def _feedback_validator() -> Callable[[dict[str, Any]], Feedback]:
    """``Feedback.model_validate`` without its keyword handling, which costs a third of a
    row's validation (~2.5 of ~7.5 us): the model's compiled validator, built first if it
    was not yet (the models defer building until first use)."""
    if not Feedback.__pydantic_complete__:
        Feedback.model_rebuild()
    return Feedback.__pydantic_validator__.validate_python  # type: ignore[no-any-return]


def read_feedback(
    source: Path | str,
    *,
    tz: ZoneInfo,
    now: dt.datetime,
    overrides: Mapping[str, str] | None = None,
    format: str | None = None,
    progress: Progress | None = None,
) -> FeedbackRows:
    """Read and check a whole file; every problem is collected, nothing is raised per row."""
    try:
        table = read_table(source, HEADERS, overrides, format=format, progress=progress)
    except TabularError as error:
        raise FeedbackFileError(str(error)) from None
    check_mapping(table)
    result = FeedbackRows(table, problems=list(table.problems))
    total = len(table.rows)
    report = progress or (lambda stage, done, all_: None)
    column = table.mapping.get
    validate = _feedback_validator()
    for done, row in enumerate(table.rows, start=1):
        data, problems = row_fields(row.cells, tz=tz, now=now)
        if not problems:
            try:
                result.records.append(validate(data))
                result.lines.append(row.line)
            except ValidationError as error:
                problems = _model_problems(error)
        for name, reason in problems:
            result.problems.append(Problem(row.line, column(name, name), reason))
        if done % PROGRESS_EVERY == 0:
            report("checking", done, total)
    report("checking", total, total)
    result.problems.sort(key=lambda problem: problem.line)
    return result
