"""Pilot tests of importing from the app: ctrl+o on the inbox or the contacts names a file,
opsdesk checks every row, shows what it would do (or every bad row), and imports on y."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar, Static

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.bindings import collect_bindings
from opsdesk.tui.screens.dialogs import FormScreen
from opsdesk.tui.screens.imports import IMPORT_STAGES, ImportReviewScreen, review_lines
from opsdesk.tui.screens.jobs import JobScreen
from pilot_wait import settle

SIZE = (120, 40)
TICKETS = (
    "Ticket ID,Subject,Description,Requester email,Organization,Created at,Priority,Type\n"
    '1,Export times out,"It times out\nafter a minute",ana@acme.example,Acme,'
    "2026-11-20T10:00:00Z,high,problem\n"
    "2,SSO for contractors,Need SSO,bo@globex.example,Globex,2026-11-21,normal,feature request\n"
)
BAD_IN_THE_MIDDLE = (
    "Subject,Created at,Priority\n"
    "Fine row,2026-11-20,high\n"
    ",2026-11-21,normal\n"
    "Impossible day,2026-02-30,low\n"
    "Also fine,2026-11-22,low\n"
)
PEOPLE = (
    "First Name,Last Name,Email Address,Account Name\n"
    "Ana,Diaz,ana@acme.example,Acme\n"
    "Bo,Lee,bo@globex.example,Globex\n"
)


def _text(widget: Static) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


async def _check(pilot: Pilot[None], app: OpsdeskApp, path: Path) -> ImportReviewScreen:
    """ctrl+o, the file's path, ctrl+s: wait for the review of what the file would do."""
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(app.screen, FormScreen)
    app.screen.query_one("#field-path", Input).value = str(path)
    await pilot.press("ctrl+s")
    await settle(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
    review = app.screen
    assert isinstance(review, ImportReviewScreen)
    return review


async def test_ctrl_o_checks_a_desk_export_shows_it_and_imports_on_y(
    file_store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    """On a database file the check and the import run in a worker on their own connection;
    the inbox shows the new items as soon as they are in."""
    source = tmp_path / "tickets.csv"
    source.write_text(TICKETS, encoding="utf-8")
    app = build_app(file_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=SIZE) as pilot:
        review = await _check(pilot, app, source)
        shown = _text(review.query_one("#import-lines", Static))
        assert "title ← 'Subject'" in shown and "company ← 'Organization'" in shown
        assert "Ignored columns: Ticket ID." in shown
        assert "Would import 2 feedback items" in shown
        assert "Export times out" in shown and "SSO for contractors" in shown
        assert file_store.feedback.count() == 0, "checking writes nothing"
        await pilot.press("y")
        await settle(pilot, lambda: len(app.screen_stack) == 1 and app.current_pane.list.row_count)
        assert app.current_pane.list.row_count == 2
        notes = [str(n.message) for n in app._notifications]
        assert any("Imported 2 feedback items (#1 to #2)." in note for note in notes)
    titles = {file_store.feedback.get(record_id).title for record_id in (1, 2)}
    assert titles == {"Export times out", "SSO for contractors"}


async def test_a_bad_row_in_the_middle_refuses_the_file_and_y_writes_nothing(
    store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(BAD_IN_THE_MIDDLE, encoding="utf-8")
    app = build_app(store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=SIZE) as pilot:
        review = await _check(pilot, app, source)
        shown = _text(review.query_one("#import-lines", Static))
        assert "line 3, column 'Subject': no title" in shown
        assert "line 4, column 'Created at': '2026-02-30' is not a date" in shown
        assert "cannot be imported" in _text(review.query_one(".dialog-title", Static))
        assert not review.query("#import-yes"), "a refused file offers no Import button"
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is review, "y does nothing on a refused file"
        await pilot.press("escape")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen), "Esc goes back to the form, to try again"
        assert form.query_one("#field-path", Input).value == str(source)
    assert store.feedback.count() == 0


async def test_contacts_import_is_checked_then_matched_on_the_address(
    store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    source = tmp_path / "people.csv"
    source.write_text(PEOPLE, encoding="utf-8")
    app = build_app(store, Config(), clock=clock, pane="contacts")
    async with app.run_test(size=SIZE) as pilot:
        review = await _check(pilot, app, source)
        assert "Would be: 2 created, 0 updated, 0 unchanged." in _text(
            review.query_one("#import-lines", Static)
        )
        await pilot.press("y")
        await settle(pilot, lambda: len(app.screen_stack) == 1)
        assert store.contacts.count() == 2
        assert app.current_pane.list.row_count == 2
        again = await _check(pilot, app, source)
        assert "Would be: 0 created, 0 updated, 2 unchanged." in _text(
            again.query_one("#import-lines", Static)
        )
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1, "Esc on a good file's review leaves it alone"
    assert store.contacts.count() == 2


async def test_the_form_refuses_a_folder_and_a_missing_file_at_the_field(
    store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    app = build_app(store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        for typed, said in ((tmp_path, "that is a folder"), (tmp_path / "nope.csv", "no file")):
            form.query_one("#field-path", Input).value = str(typed)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form
            assert said in str(form.query_one("#error-path").render())


async def test_importing_is_offered_only_where_its_records_are_shown(
    store: Store, clock: FrozenClock
) -> None:
    app = build_app(store, Config(), clock=clock, pane="launches")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert len(app.screen_stack) == 1, "the launch list has nothing to import"
        assert not any(entry.action == "import_file" for entry in collect_bindings(app))
        await pilot.press("2")
        await pilot.pause()
        assert any(entry.action == "import_file" for entry in collect_bindings(app))


async def test_the_progress_bar_is_drawn_while_a_long_job_runs(
    file_store: Store, clock: FrozenClock
) -> None:
    """The job dialog's bar had no room (padding inside its one line): it drew nothing
    through a 100,000-row import, and the dialog looked stuck."""
    release = threading.Event()

    def job(desk: object, progress: Callable[[str, int, int], None]) -> str:
        progress("checking", 4, 10)
        release.wait(10)
        return "done"

    app = build_app(file_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(JobScreen("Importing", job, "Nothing was imported", IMPORT_STAGES))
        await settle(pilot, lambda: any(bar.progress == 4 for bar in app.screen.query(ProgressBar)))
        bar = app.screen.query_one(ProgressBar)
        assert bar.size.height == 1
        assert bar.query_one("#bar").region.height == 1
        assert bar.query_one("#bar").region.y == bar.region.y, "the bar sits in its own line"
        # The import names its own stages (the calendar export's said "Writing the file").
        assert _text(app.screen.query_one("#job-stage", Static)).strip() == "Checking every row…"
        release.set()
        await settle(pilot, lambda: len(app.screen_stack) == 1)


def test_a_review_row_stays_one_line_in_a_narrow_terminal_and_sentences_wrap() -> None:
    sentence = "Columns: title ← 'Subject', body ← 'Description', company ← 'Organization'."
    row = "  2026-11-21  P3  request     Globex                    SSO for contractors"
    console = Console(width=60, record=True, color_system=None)
    console.print(review_lines([sentence, row]))
    printed = console.export_text().splitlines()
    assert len(printed) == 3, printed  # the sentence on two lines, the row on one
    assert printed[2].startswith("  2026-11-21") and printed[2].endswith("…")
