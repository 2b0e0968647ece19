"""Feedback imports skip rows already in the inbox: support desks' weekly exports overlap,
and importing one twice created every item twice. Same received instant, title and customer
e-mail (or both without one) is "already there"; rows repeated within the file all go in."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.services.desk import Desk
from opsdesk.services.feedback_import import ImportRefused, import_feedback_file
from opsdesk.services.import_summary import feedback_imported, feedback_preview
from opsdesk.store import Store

WHY = "already in the inbox (same time, title and customer)"


@pytest.fixture
def desk(store: Store, clock: FrozenClock) -> Desk:
    return Desk(store, Config(), clock)


def export(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    """A desk export with Subject, Requester email and Created at columns."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [["Subject", "Requester email", "Created at"], *rows]
    )
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


WEEK_ONE = [
    ["Export fails", "ana@acme.example", "2026-11-02T10:00:00Z"],
    ["Add SSO", "", "2026-11-03T09:00:00Z"],
    ["Dark mode", "bo@globex.example", "2026-11-04T08:30:00Z"],
]
WEEK_TWO = [
    # the last two of week one, as the next export repeats them (e-mail case and the date's
    # spelling vary between exports: the same instant and customer are still the same)
    ["Add SSO", "", "2026-11-03 09:00:00 +0000"],
    ["Dark mode", "Bo@Globex.example", "2026-11-04T08:30:00Z"],
    ["Slow search", "cy@initech.example", "2026-11-10T12:00:00Z"],
]


def test_importing_the_same_file_twice_imports_nothing_the_second_time(
    desk: Desk, tmp_path: Path
) -> None:
    path = export(tmp_path, "week1.csv", WEEK_ONE)
    first = import_feedback_file(desk, path)
    assert (first.imported, first.skipped) == (3, 0)
    history = desk.store.history.count()
    again = import_feedback_file(desk, path)
    assert (again.imported, again.skipped, again.first_id) == (0, 3, None)
    assert desk.store.feedback.count() == 3
    assert desk.store.history.count() == history, "nothing written, not even history"
    assert feedback_imported(again) == f"Imported 0 feedback items; skipped 3 {WHY}."


def test_an_overlapping_export_brings_in_only_the_new_rows(desk: Desk, tmp_path: Path) -> None:
    import_feedback_file(desk, export(tmp_path, "week1.csv", WEEK_ONE))
    report = import_feedback_file(desk, export(tmp_path, "week2.csv", WEEK_TWO))
    assert (report.imported, report.skipped) == (1, 2)
    assert desk.store.feedback.get(report.first_id or 0).title == "Slow search"
    assert desk.store.feedback.count() == 4
    assert feedback_imported(report) == f"Imported 1 feedback item (#4 to #4); skipped 2 {WHY}."


def test_a_different_customer_or_title_or_time_is_not_the_same_item(
    desk: Desk, tmp_path: Path
) -> None:
    import_feedback_file(desk, export(tmp_path, "week1.csv", WEEK_ONE))
    near = [
        ["Export fails", "other@acme.example", "2026-11-02T10:00:00Z"],
        ["Export fails", "", "2026-11-02T10:00:00Z"],
        ["Export fails!", "ana@acme.example", "2026-11-02T10:00:00Z"],
        ["Export fails", "ana@acme.example", "2026-11-02T10:00:01Z"],
    ]
    report = import_feedback_file(desk, export(tmp_path, "near.csv", near))
    assert (report.imported, report.skipped) == (4, 0)


def test_rows_repeated_within_the_file_all_go_in(desk: Desk, tmp_path: Path) -> None:
    twice = [WEEK_ONE[0], WEEK_ONE[0]]
    report = import_feedback_file(desk, export(tmp_path, "twice.csv", twice))
    assert (report.imported, report.skipped) == (2, 0)


def test_a_bad_row_still_refuses_a_file_of_known_rows(desk: Desk, tmp_path: Path) -> None:
    path = export(tmp_path, "week1.csv", WEEK_ONE)
    import_feedback_file(desk, path)
    bad = export(tmp_path, "bad.csv", [*WEEK_ONE, ["Broken", "", "2026-02-30"]])
    with pytest.raises(ImportRefused, match="1 bad row"):
        import_feedback_file(desk, bad)


def test_the_dry_run_counts_and_previews_only_the_new_rows(desk: Desk, tmp_path: Path) -> None:
    import_feedback_file(desk, export(tmp_path, "week1.csv", WEEK_ONE))
    report = import_feedback_file(desk, export(tmp_path, "week2.csv", WEEK_TWO), dry_run=True)
    assert (report.rows, report.skipped, report.imported) == (3, 2, 0)
    assert [item.title for item in report.preview] == ["Slow search"]
    lines = feedback_preview(report, desk.tz)
    assert lines[0] == (
        f"Would import 1 feedback item; would skip 2 {WHY}. Dry run: nothing written."
    )
    assert len(lines) == 2 and "Slow search" in lines[1]
    assert desk.store.feedback.count() == 3


def test_the_cli_says_what_it_skipped_and_exits_0(tmp_path: Path, clock: FrozenClock) -> None:
    db = tmp_path / "x.db"
    Store(db, clock=clock).close()
    week1 = export(tmp_path, "week1.csv", WEEK_ONE)
    week2 = export(tmp_path, "week2.csv", WEEK_TWO)
    runner = CliRunner()
    done = runner.invoke(cli, ["import", "feedback", str(week1), "--db", str(db)])
    assert done.exit_code == 0 and "Imported 3 feedback items (#1 to #3)." in done.stdout
    done = runner.invoke(cli, ["import", "feedback", str(week1), "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert f"Imported 0 feedback items; skipped 3 {WHY}." in done.stdout
    done = runner.invoke(cli, ["import", "feedback", str(week2), "--dry-run", "--db", str(db)])
    assert done.exit_code == 0 and f"would skip 2 {WHY}" in done.stdout
    done = runner.invoke(cli, ["import", "feedback", str(week2), "--json", "--db", str(db)])
    assert done.exit_code == 0
    said = json.loads(done.stdout)
    assert (said["rows"], said["imported"], said["skipped"]) == (3, 1, 2)
    listed = runner.invoke(cli, ["feedback", "list", "--json", "--db", str(db)])
    assert len(json.loads(listed.stdout)) == 4
