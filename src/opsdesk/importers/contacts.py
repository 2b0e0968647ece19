"""Read contacts from a CRM's CSV export.

CRMs name their columns differently ("Email Address", "Account Name", "Job Title", "Email
Opt Out"), so each column is matched by its header against the names below, case and
spacing aside; columns opsdesk does not keep are ignored and reported. Every row is read
before anything is written: the caller gets every row, or every problem with its line
number, never half of a file.

Files are read by the shared tabular reader (:mod:`opsdesk.importers.tabular`): CSV with
any delimiter or JSON Lines, with ``--map field=column`` overrides.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opsdesk.importers.tabular import Progress, TabularError, read_table
from opsdesk.models import check_email
from opsdesk.rules.mailbox import normalize_mailbox

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "contact name", "contact"),
    "first_name": ("first name", "firstname", "given name"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "email": ("email", "email address", "e-mail", "e-mail address", "work email", "mail"),
    "company": ("company", "account", "account name", "organization", "organisation", "org"),
    "segment": ("segment", "customer segment", "market segment"),
    "role": ("role", "title", "job title", "position"),
    "consent": ("consent", "research consent", "research opt in", "research opt-in"),
    "do_not_contact": ("do not contact", "do_not_contact", "dnc", "email opt out", "opted out"),
    "dnc_reason": ("dnc reason", "do not contact reason", "opt out reason"),
    "relationship_owner": (
        "relationship owner",
        "owner",
        "contact owner",
        "account owner",
        "relationship_owner",
    ),
    "notes": ("notes", "note", "description", "comments"),
}
"""Each field opsdesk keeps, and the headers CRMs use for it (compared folded)."""

TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x", "opted in", "granted"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "opted out", "declined", "refused"})


class ContactFileError(ValueError):
    """The file cannot be imported; the message says why (with line numbers)."""


@dataclass
class ContactRows:
    """What a file holds: one dict of fields per row, and the columns that were ignored."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """(line number, fields) — only the fields the file has a column for."""
    mapping: dict[str, str] = field(default_factory=dict)
    """field → the column it is read from, for a dry run to show before anything is written."""
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _fold(header: str) -> str:
    return " ".join(header.replace("_", " ").replace("-", " ").casefold().split())


def _column_map(headers: list[str]) -> tuple[dict[int, str], list[str]]:
    known = {_fold(alias): name for name, aliases in HEADERS.items() for alias in aliases}
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        name = known.get(_fold(header))
        if name is None or name in mapping.values():
            ignored.append(header)
        else:
            mapping[index] = name
    return mapping, ignored


def _yes_no(value: str) -> bool | None:
    word = value.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _fields(raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """A row's cells as contact fields; empty cells are left out (they change nothing)."""
    data: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in raw.items():
        value = value.strip() if name != "notes" else value
        if not value.strip():
            continue
        if name == "consent":
            word = value.casefold()
            answer = _yes_no(value)
            if word in ("unknown", "?", "n/a", "not asked"):
                data["consent"] = "unknown"
            elif answer is None:
                problems.append(f"consent '{value}' is not yes, no or unknown")
            else:
                data["consent"] = "yes" if answer else "no"
        elif name == "email":
            try:
                data["email"] = check_email(value)
            except ValueError as error:
                problems.append(str(error))
        elif name == "do_not_contact":
            answer = _yes_no(value)
            if answer is None:
                problems.append(f"do not contact '{value}' is not yes or no")
            else:
                data["do_not_contact"] = answer
        else:
            data[name] = value
    first, last = data.pop("first_name", None), data.pop("last_name", None)
    if "name" not in data and (first or last):
        data["name"] = " ".join(part for part in (first, last) if part)
    return data, problems


def read_contacts_csv(
    source: Path | str | io.TextIOBase,
    overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ContactRows:
    """Read a CRM export (CSV or JSON Lines); every row needs an email. Problems are
    collected, not raised. ``overrides`` maps a field to a column (``--map``)."""
    text_or_path = source.read() if isinstance(source, io.TextIOBase) else Path(source)
    try:
        table = read_table(text_or_path, HEADERS, overrides, progress=progress)
    except TabularError as error:
        raise ContactFileError(str(error)) from None
    result = ContactRows(mapping=dict(table.mapping), ignored_columns=table.ignored)
    if "email" not in table.mapping:
        raise ContactFileError(
            "no email column: name one 'email' (or 'Email Address', 'E-mail'), or pass "
            f"--map email=COLUMN (the file's columns: {', '.join(table.columns[:15]) or 'none'})"
        )
    errors = [(problem.line, problem.sentence()) for problem in table.problems]
    if not table.rows and not table.problems:
        raise ContactFileError("the file holds no contact rows, only its header")
    first_line: dict[str, int] = {}  # mailbox → the line that named it first
    for row in table.rows:
        raw = {
            name: ", ".join(cell) if isinstance(cell, list) else cell
            for name, cell in row.cells.items()
        }
        data, problems = _fields(raw)
        if "email" not in data and not any("email" in p for p in problems):
            problems.append("no email")
        mailbox = normalize_mailbox(data.get("email"))
        if mailbox is not None:
            earlier = first_line.setdefault(mailbox, row.line)
            if earlier != row.line:  # which row should win? the file must say it once
                problems.append(f"{data['email']} reaches the same mailbox as line {earlier}")
        errors.extend((row.line, f"line {row.line}: {problem}") for problem in problems)
        if not problems:
            result.rows.append((row.line, data))
    result.errors = [text for _, text in sorted(errors, key=lambda pair: pair[0])]
    return result
