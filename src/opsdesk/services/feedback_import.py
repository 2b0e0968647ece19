"""``opsdesk import feedback``: a support desk's export into the inbox, all or nothing.

The whole file is read and every row checked first; one bad row (an impossible date, a
missing title, an unknown priority) refuses the file with every problem listed, and nothing
is written. A good file goes in as one transaction: the items with their SLA deadlines under
the current policy, written in the same rows (the store's bulk insert, history included).
Demand needs no recount: a new item has no merged duplicates, so its demand is the column's
default, one.

Support desks' weekly exports overlap, so a row already in the inbox (the same received
instant, title and customer e-mail, or both without one) is skipped and counted, never
written twice; a file whose every row is there imports nothing and says so. Rows repeated
within the file are all imported: the file is the source of truth for what it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opsdesk.collector import collector_paused
from opsdesk.formatting import counted
from opsdesk.importers.feedback import FeedbackFileError, read_feedback
from opsdesk.importers.tabular import Problem, Progress
from opsdesk.models import Feedback
from opsdesk.services.desk import Desk
from opsdesk.services.feedback import deadline_columns, ensure_sla
from opsdesk.store.base import BULK_WRITE_STEPS, to_db
from opsdesk.store.feedback import arrival_key

PREVIEW_ROWS = 10


class ImportRefused(ValueError):
    """The file has bad rows (each in :attr:`problems`) or cannot be read; nothing written."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class FeedbackImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    file: str
    format: str
    mapping: dict[str, str]
    ignored_columns: list[str]
    rows: int
    imported: int = 0
    skipped: int = 0
    """Rows already in the inbox (same instant, title and customer), left out."""
    first_id: int | None = None
    last_id: int | None = None
    dry_run: bool = False
    preview: list[Feedback] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "imported": self.imported,
            "skipped": self.skipped,
            "first_id": self.first_id,
            "last_id": self.last_id,
            "mapping": self.mapping,
            "ignored_columns": self.ignored_columns,
            "preview": [item.model_dump(mode="json") for item in self.preview],
        }


def refused(problems: list[Problem]) -> ImportRefused:
    rows = len({problem.line for problem in problems})
    return ImportRefused(
        f"nothing was imported: {counted(rows, 'bad row')} "
        f"({problems[0].sentence()}{'; …' if len(problems) > 1 else ''})",
        problems,
    )


def new_records(desk: Desk, records: list[Feedback]) -> list[Feedback]:
    """The records not already in the inbox, read in one query over the file's time span.

    An empty inbox in that span (the large first import) costs one indexed lookup and no
    per-row work."""
    instants = [record.received_at for record in records]
    existing = desk.store.feedback.arrivals_between(min(instants), max(instants))
    if not existing:
        return records
    return [
        record
        for record in records
        if arrival_key(to_db(record.received_at), record.title, record.customer_email)
        not in existing
    ]


@collector_paused()
def import_feedback_file(
    desk: Desk,
    path: Path,
    *,
    overrides: dict[str, str] | None = None,
    dry_run: bool = False,
    format: str | None = None,
    progress: Progress | None = None,
) -> FeedbackImportReport:
    """Check the whole file, then import it in one transaction (or only report, dry run)."""
    try:
        parsed = read_feedback(
            path, tz=desk.tz, now=desk.now(), overrides=overrides, format=format, progress=progress
        )
    except FeedbackFileError as error:
        raise ImportRefused(f"nothing was imported: {error}") from None
    if parsed.problems:
        raise refused(parsed.problems)
    if not parsed.records:
        raise ImportRefused("nothing was imported: the file holds no feedback rows")
    table = parsed.table
    report = FeedbackImportReport(
        file=str(path),
        format=table.format,
        mapping=dict(table.mapping),
        ignored_columns=list(table.ignored),
        rows=len(parsed.records),
        dry_run=dry_run,
    )
    if dry_run:
        fresh = new_records(desk, parsed.records)
        report.skipped = report.rows - len(fresh)
        report.preview = fresh[:PREVIEW_ROWS]
        return report
    report_step = progress or (lambda stage, done, total: None)
    steps = BULK_WRITE_STEPS + 2  # the deadlines first, the commit last
    report_step("writing", 0, steps)
    store = desk.store
    with store.write():
        fresh = new_records(desk, parsed.records)  # under the write lock: no one slips in
        report.skipped = report.rows - len(fresh)
        report.preview = fresh[:PREVIEW_ROWS]
        if not fresh:
            report_step("writing", steps, steps)
            return report
        deadlines = deadline_columns(desk, fresh)
        report_step("writing", 1, steps)
        ids = store.feedback.insert_many(
            fresh,
            validated=True,
            derived=deadlines,
            progress=lambda done, _total: report_step("writing", 1 + done, steps),
        )
        ensure_sla(desk)  # only a changed SLA policy leaves anything to do here
    report_step("writing", steps, steps)
    report.imported = len(ids)
    report.first_id, report.last_id = ids[0], ids[-1]
    return report
