"""Import contacts from a CRM export: match on the mailbox, all-or-nothing.

Each row is matched to an existing contact by mailbox (case and ``+tag`` folded, merged
contacts followed). A match takes the row's non-empty cells (an empty cell never erases
what opsdesk knows); a new mailbox becomes a new contact. An import may set do-not-contact
but never lifts it: a CRM that writes "Email Opt Out: false" for everyone must not make
people who asked not to be contacted reachable again (that takes an edit in opsdesk,
which history keeps). Such rows are counted in the report. Any bad row refuses the whole
file before anything is written, and the writes are one transaction, so a failure halfway
leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsdesk.collector import collector_paused
from opsdesk.importers.contacts import ContactFileError, read_contacts_csv
from opsdesk.importers.tabular import Progress
from opsdesk.services.contacts import CompanySpellings, ContactError
from opsdesk.services.desk import Desk
from opsdesk.store.base import InvalidRecord

if TYPE_CHECKING:
    from opsdesk.models import Contact

UPDATABLE = (
    "name",
    "company",
    "segment",
    "role",
    "consent",
    "do_not_contact",
    "dnc_reason",
    "relationship_owner",
    "notes",
)
"""Fields an import may change on a contact it matched (the address stays as it is)."""


PREVIEW_ROWS = 10
"""Rows a dry run shows one by one (the feedback import shows as many)."""


@dataclass(frozen=True)
class PreviewRow:
    """What one of the first rows would do: ``created``, ``updated`` (naming the fields it
    changes) or ``unchanged``, to whom."""

    line: int
    action: str
    name: str
    email: str
    company: str
    changes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "action": self.action,
            "name": self.name,
            "email": self.email,
            "company": self.company,
            "changes": list(self.changes),
        }


@dataclass
class ImportReport:
    """How many rows created, updated or left unchanged a contact, and ignored columns."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_do_not_contact: int = 0
    mapping: dict[str, str] = field(default_factory=dict)
    """field → the column it was read from (as the feedback import reports it)."""
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    preview: list[PreviewRow] = field(default_factory=list)
    """The first :data:`PREVIEW_ROWS` rows, what each would do: a dry run shows them."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "kept_do_not_contact": self.kept_do_not_contact,
            "mapping": self.mapping,
            "ignored_columns": self.ignored_columns,
            "dry_run": self.dry_run,
            "preview": [row.as_dict() for row in self.preview],
        }


class ContactImportRefused(ContactError):
    """Nothing was imported; :attr:`problems` names each bad row (for ``--json``)."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class _DryRun(Exception):
    """Raised inside the import's transaction to roll it back after counting."""


@collector_paused()
def import_contacts_file(
    desk: Desk,
    path: Path,
    *,
    overrides: Mapping[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Read ``path`` and import it; :class:`ContactError` lists every problem, nothing done.

    With ``dry_run`` the import runs in a transaction that is rolled back: the counts are
    what it would do, and nothing is kept.
    """
    try:
        parsed = read_contacts_csv(path, overrides, progress)
    except ContactFileError as error:
        raise ContactImportRefused(f"nothing was imported: {error}", [str(error)]) from None
    if parsed.errors:
        shown = "; ".join(parsed.errors[:10])
        more = f" (and {len(parsed.errors) - 10} more)" if len(parsed.errors) > 10 else ""
        raise ContactImportRefused(f"nothing was imported: {shown}{more}", parsed.errors)
    if dry_run:
        report = ImportReport()
        try:
            with desk.store.write():
                report = import_contacts(desk, parsed.rows)
                raise _DryRun
        except _DryRun:
            report.dry_run = True
    else:
        report = import_contacts(desk, parsed.rows)
    report.mapping = parsed.mapping
    report.ignored_columns = parsed.ignored_columns
    return report


def import_contacts(desk: Desk, rows: list[tuple[int, dict[str, Any]]]) -> ImportReport:
    """Create or update one contact per row, in one transaction."""
    report = ImportReport()
    store = desk.store
    with store.write():
        spellings = CompanySpellings(store)
        for line, data in rows:
            if data.get("company"):
                data = {**data, "company": spellings.spell(data["company"])}
            try:
                _import_row(desk, line, data, report)
            except (InvalidRecord, ValueError) as error:
                problem = f"line {line}: {error}"
                raise ContactImportRefused(f"nothing was imported: {problem}", [problem]) from None
    return report


def _import_row(desk: Desk, line: int, data: dict[str, Any], report: ImportReport) -> None:
    store = desk.store
    existing = store.contacts.by_email(str(data["email"]))
    if existing is None:
        created = store.contacts.insert(store.contacts.validate(data))
        report.created += 1
        _note_preview(report, line, "created", created)
        return
    changes = {
        name: value
        for name, value in data.items()
        if name in UPDATABLE and _stored(getattr(existing, name)) != _stored(value)
    }
    if existing.do_not_contact and changes.get("do_not_contact") is False:
        del changes["do_not_contact"]
        changes.pop("dnc_reason", None)
        report.kept_do_not_contact += 1
    if changes:
        updated = store.contacts.update(int(existing.id or 0), **changes)
        report.updated += 1
        _note_preview(report, line, "updated", updated, tuple(changes))
    else:
        report.unchanged += 1
        _note_preview(report, line, "unchanged", existing)


def _note_preview(
    report: ImportReport, line: int, action: str, contact: Contact, changes: tuple[str, ...] = ()
) -> None:
    if len(report.preview) < PREVIEW_ROWS:
        report.preview.append(
            PreviewRow(
                line, action, contact.name, contact.email or "", contact.company or "", changes
            )
        )


def _stored(value: Any) -> Any:
    return getattr(value, "value", value)
