"""What an import found or did, in sentences: one wording for the CLI and the app.

A dry run's first question is whether 'Account Name' really became the company, and whether
the first rows are the ones the manager expects, so both say which column went to which
field, the columns left out, and the first rows one per line. Every line is plain text with
customer text flattened to one line; the caller decides how to show it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from opsdesk.formatting import counted, local_date, words
from opsdesk.services.contact_import import ImportReport as ContactImportReport
from opsdesk.services.feedback_import import FeedbackImportReport
from opsdesk.text import one_line


def column_lines(mapping: dict[str, str], ignored: list[str]) -> list[str]:
    """'Columns: title ← 'Subject', …' and, when there are any, the columns left out."""
    mapped = ", ".join(f"{name} ← '{one_line(column, 40)}'" for name, column in mapping.items())
    lines = [f"Columns: {mapped}."]
    if ignored:
        lines.append(f"Ignored columns: {', '.join(one_line(c, 40) for c in ignored)}.")
    return lines


SKIPPED_WHY = "already in the inbox (same time, title and customer)"
"""Why a feedback row was left out, said after its count wherever an import reports."""


def feedback_preview(report: FeedbackImportReport, tz: ZoneInfo) -> list[str]:
    """A feedback dry run: how many rows would go in (and be skipped), then the first ones."""
    fresh = report.rows - report.skipped
    if report.skipped:
        head = (
            f"Would import {counted(fresh, 'feedback item')}; "
            f"would skip {report.skipped:,} {SKIPPED_WHY}. Dry run: nothing written."
        )
    else:
        head = f"Would import {counted(fresh, 'feedback item')} (dry run: nothing written)."
    lines = [head]
    for item in report.preview:
        lines.append(
            f"  {local_date(item.received_at, tz)}  P{item.priority}  "
            f"{words(item.kind):<10}  {one_line(item.company or '', 24):<24}  "
            f"{one_line(item.title, 60)}"
        )
    if fresh > len(report.preview):
        lines.append(f"  … and {fresh - len(report.preview):,} more.")
    return lines


def feedback_imported(report: FeedbackImportReport) -> str:
    """'Imported 80 feedback items (#21 to #100); skipped 20 already in the inbox (…).'"""
    said = f"Imported {counted(report.imported, 'feedback item')}"
    if report.imported:
        said += f" (#{report.first_id} to #{report.last_id})"
    if report.skipped:
        said += f"; skipped {report.skipped:,} {SKIPPED_WHY}"
    return f"{said}."


def contact_counts(report: ContactImportReport) -> str:
    """'3 created, 1 updated, 0 unchanged.' (with 'Would be:' on a dry run)."""
    would, dry = ("Would be: ", " (dry run: nothing written)") if report.dry_run else ("", "")
    return (
        f"{would}{report.created:,} created, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged.{dry}"
    )


def contact_preview(report: ContactImportReport) -> list[str]:
    """The first rows of a contacts dry run, each with what it would do: the check a manager
    makes before letting a CRM's file touch the ledger is 'is that really our Acme?'."""
    rows = report.preview
    lines = []
    for row in rows:
        changes = f"  ({', '.join(words(name) for name in row.changes)})" if row.changes else ""
        lines.append(
            f"  line {row.line:<6,} {row.action:<9}  {one_line(row.name, 28):<28}  "
            f"{one_line(row.email, 36):<36}  {one_line(row.company, 24)}{changes}"
        )
    total = report.created + report.updated + report.unchanged
    if total > len(rows):
        lines.append(f"  … and {total - len(rows):,} more.")
    return lines


def kept_do_not_contact(report: ContactImportReport) -> str | None:
    """The warning when rows tried to lift do-not-contact, which an import never does."""
    if not report.kept_do_not_contact:
        return None
    return (
        f"{counted(report.kept_do_not_contact, 'row')} said a do-not-contact contact may be "
        "contacted again; an import never lifts do-not-contact (edit the contact in "
        "opsdesk to lift it: the change is kept in its history)."
    )
