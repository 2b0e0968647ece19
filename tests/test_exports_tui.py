"""Pilot tests of the app's exports: ctrl+e writes the calendar, ctrl+r previews and saves a
report, long work runs in a worker with its own connection, and both are in the palette."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
import vobject
from markdown_it import MarkdownIt
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Markdown

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.demo import load_demo
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.bindings import collect_bindings
from opsdesk.tui.screens.dialogs import ConfirmScreen, FormScreen, PickerScreen
from opsdesk.tui.screens.exports import ReportScreen
from pilot_wait import settle

SIZE = (120, 40)


def _app(store: Store, clock: FrozenClock, pane: str = "launches") -> OpsdeskApp:
    return build_app(store, Config(), clock=clock, pane=pane, db_label="demo.db")


async def _fill_path(pilot: Pilot[None], app: OpsdeskApp, path: Path) -> None:
    assert isinstance(app.screen, FormScreen)
    app.screen.query_one("#field-path", Input).value = str(path)
    await pilot.press("ctrl+s")


async def _pick_report(pilot: Pilot[None], app: OpsdeskApp, *typed: str) -> ReportScreen:
    """In ctrl+r's open picker, type ``typed`` (none keeps the first entry) and press enter,
    then wait for the report's text: every report test opens its report this way."""
    await pilot.press(*typed, "enter")
    await settle(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.text)
    report = app.screen
    assert isinstance(report, ReportScreen)
    return report


async def _open_report_and_save(pilot: Pilot[None], app: OpsdeskApp, name: str) -> ReportScreen:
    """ctrl+r, the report ``name`` types to, then ctrl+s: the steps before every check of the
    save-to form. The form is left on top; the report screen under it is returned."""
    await pilot.press("ctrl+r")
    await pilot.pause()
    report = await _pick_report(pilot, app, *name)
    await pilot.press("ctrl+s")
    await pilot.pause()
    return report


async def test_ctrl_e_writes_the_calendar_where_asked(
    demo_store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    target = tmp_path / "cals" / "ops.ics"
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-path", Input).value.endswith("opsdesk.ics")
        form.query_one("#field-followups").value = False  # type: ignore[attr-defined]
        await _fill_path(pilot, app, target)
        await settle(pilot, lambda: target.exists() and len(app.screen_stack) == 1)
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any(str(target) in note and "events" in note for note in notes)
    calendar = vobject.readOne(target.read_text(encoding="utf-8"))
    kinds = {event.uid.value.split("-")[0] for event in calendar.vevent_list}
    assert kinds == {"launch", "readiness", "experiment", "readout"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


async def test_the_calendar_form_refuses_a_folder_and_an_empty_choice(
    demo_store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        form = app.screen
        for name in ("launches", "readiness", "experiments", "followups"):
            form.query_one(f"#field-{name}").value = False  # type: ignore[attr-defined]
        await _fill_path(pilot, app, tmp_path)
        await pilot.pause()
        assert app.screen is form, "the form stays open with its errors"
        assert "folder" in str(form.query_one("#error-path").render())
        assert "at least one" in str(form.query_one("#error-launches").render())
        await pilot.press("escape", "y")  # the choices were changed: discarding is confirmed
        await pilot.pause()
        assert len(app.screen_stack) == 1
    assert list(tmp_path.iterdir()) == []


async def test_the_calendar_form_says_at_the_field_when_an_owner_is_nobody(
    demo_store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    """'Priya' wrote an empty calendar; the form now names who it could mean and stays
    open, and the whole name exports."""
    target = tmp_path / "priya.ics"
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-owner", Input).value = "Priya"
        await _fill_path(pilot, app, target)
        await pilot.pause()
        assert app.screen is form and not target.exists()
        assert "did you mean 'Priya Raman'?" in str(form.query_one("#error-owner").render())
        form.query_one("#field-owner", Input).value = "Priya Raman"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: target.exists() and len(app.screen_stack) == 1)
    calendar = vobject.readOne(target.read_text(encoding="utf-8"))
    assert calendar.vevent_list


async def test_a_file_database_exports_in_a_worker_with_its_own_connection(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import opsdesk.tui.screens.exports as exports

    db = tmp_path / "work.db"
    with Store(db, clock=clock, actor="tester") as seed:
        load_demo(seed, clock.now().date())
    target = tmp_path / "out.ics"
    seen: list[tuple[int, Store]] = []
    real = exports.export_ical_file

    def spy(desk, path, options, progress):  # type: ignore[no-untyped-def]
        seen.append((threading.get_ident(), desk.store))
        return real(desk, path, options, progress)

    monkeypatch.setattr(exports, "export_ical_file", spy)
    with Store(db, clock=clock, actor="tester") as store:
        app = _app(store, clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+e")
            await pilot.pause()
            await _fill_path(pilot, app, target)
            await settle(pilot, lambda: len(app.screen_stack) == 1)
        ((thread, used),) = seen
        assert thread != threading.get_ident(), "the export ran in a worker thread"
        assert used is not store, "with a connection of its own"
        assert target.exists()
        sequences = store.conn.execute("SELECT count(*) FROM ical_sequences").fetchone()[0]
        assert sequences == len(vobject.readOne(target.read_text()).vevent_list)


async def test_ctrl_r_offers_the_current_launch_and_previews_and_saves(
    demo_store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(demo_store, clock)
    target = tmp_path / "brief.md"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j", "j")
        launch = app.current_pane.list.current_row.record
        await pilot.press("ctrl+r")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        labels = [label for label, _ in picker.options]
        assert labels[0] == f"Launch brief: {launch.title}"
        assert {"Weekly ops digest", "Feedback themes", "Learnings library"} <= set(labels)
        report = await _pick_report(pilot, app)
        assert report.text is not None and report.text.startswith("# Launch brief: ")
        await pilot.pause()
        markdown = report.query_one(Markdown)
        assert markdown.source == report.text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        suggested = app.screen.query_one("#field-path", Input).value
        assert suggested.endswith(f"opsdesk-launch-{launch.id}-2026-11-26.md")
        await _fill_path(pilot, app, target)
        await pilot.pause()
        assert app.screen is report
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1
    saved = target.read_text(encoding="utf-8")
    assert saved == report.text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    heading = MarkdownIt("commonmark").enable("table").parse(saved)[1]
    assert heading.content == f"Launch brief: {launch.title}"


async def test_c_copies_a_report_as_markdown_for_a_chat_channel(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The digest is pasted into chat more often than it is filed: 'c' puts the report's
    Markdown on the clipboard and says so; the report stays open."""
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        report = await _pick_report(pilot, app, *"digest")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == report.text
        assert app.screen is report
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Copied the weekly ops digest as Markdown (") for m in said)
        assert "reports.copy" in {entry.binding_id for entry in collect_bindings(app)}


async def test_ctrl_r_offers_the_current_experiment_on_the_board(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = _app(demo_store, clock, pane="experiments")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        experiment = app.current_pane.current_experiment()
        await pilot.press("ctrl+r")
        await pilot.pause()
        labels = [label for label, _ in app.screen.options]  # type: ignore[attr-defined]
        assert labels[0] == f"Experiment readout: {experiment.title}"
        report = await _pick_report(pilot, app, *"digest")
        assert report.text.startswith("# Weekly ops digest")  # type: ignore[union-attr]


async def test_exports_are_keys_and_palette_commands(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entries = {entry.binding_id: entry for entry in collect_bindings(app)}
        assert entries["app.export_ical"].keys == "^e"
        assert entries["app.reports"].keys == "^r"
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Export calendar" in commands and "Reports" in commands


async def test_the_calendar_asks_before_replacing_a_file_and_no_goes_back_to_the_form(
    demo_store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    """ctrl+e over an existing file replaced it without a word; now it asks, and 'no'
    reopens the form as it was filled in, so another name can be typed."""
    target = tmp_path / "ops.ics"
    target.write_text("my own notes\n", encoding="utf-8")
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#field-followups").value = False  # type: ignore[attr-defined]
        app.screen.query_one("#field-owner", Input).value = "Priya Raman"
        await _fill_path(pilot, app, target)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert str(target) in str(app.screen.question)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen), "'no' goes back to the form"
        assert form.query_one("#field-path", Input).value == str(target)
        assert form.query_one("#field-owner", Input).value == "Priya Raman"
        assert form.query_one("#field-followups").value is False  # type: ignore[attr-defined]
        assert target.read_text(encoding="utf-8") == "my own notes\n"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, lambda: len(app.screen_stack) == 1)
    calendar = vobject.readOne(target.read_text(encoding="utf-8"))
    assert calendar.vevent_list
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_saving_a_report_over_a_file_asks_first(
    demo_store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    target = tmp_path / "digest.md"
    target.write_text("last week's digest, with my notes\n", encoding="utf-8")
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        report = await _open_report_and_save(pilot, app, "digest")
        await _fill_path(pilot, app, target)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-path", Input).value == str(target)
        assert target.read_text(encoding="utf-8").startswith("last week's")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is report
    assert target.read_text(encoding="utf-8") == report.text


async def test_a_path_inside_a_file_is_refused_at_the_field(
    demo_store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    """A file where a folder should be was only found by the worker, which closed the form
    (and its choices) with '[Errno 20] Not a directory: …'."""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        form = app.screen
        await _fill_path(pilot, app, blocker / "ops.ics")
        await pilot.pause()
        assert app.screen is form
        assert f"{blocker} is a file, not a folder" in str(form.query_one("#error-path").render())
        await pilot.press("escape", "y")
        await _open_report_and_save(pilot, app, "themes")
        form = app.screen
        await _fill_path(pilot, app, blocker / "themes.md")
        await pilot.pause()
        assert app.screen is form
        assert "is a file, not a folder" in str(form.query_one("#error-path").render())
    assert blocker.read_text(encoding="utf-8") == "x"


async def test_a_write_that_fails_says_why_in_words(
    demo_store: Store, clock: FrozenClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import opsdesk.tui.screens.exports as exports

    def refuse(desk, path, options, progress):  # type: ignore[no-untyped-def]
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "/proc/nope")

    monkeypatch.setattr(exports, "export_ical_file", refuse)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        await _fill_path(pilot, app, tmp_path / "ops.ics")
        await settle(pilot, lambda: len(app.screen_stack) == 1)
        await pilot.pause()
        (note,) = app._notifications
    assert note.title == "Calendar not exported"
    assert str(note.message) == "/proc/nope: No such file or directory"


async def test_a_bare_file_name_is_said_in_full(
    demo_store: Store, clock: FrozenClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'ops.ics' went to the folder opsdesk was started in, and the notification said only
    'written to ops.ics'."""
    monkeypatch.chdir(tmp_path)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#field-path", Input).value = "ops.ics"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: (tmp_path / "ops.ics").exists() and len(app.screen_stack) == 1)
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
    assert any(f"written to {tmp_path / 'ops.ics'}" in note for note in notes), notes


async def test_a_calendar_named_without_an_extension_gets_ics(
    demo_store: Store, clock: FrozenClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Priya' wrote a file called 'Priya', no '.ics', that no calendar program offered to
    open; it is 'Priya.ics' now, and the notification says where. A name with its own
    extension is kept as typed."""
    monkeypatch.chdir(tmp_path)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        for typed, written in (("Priya", "Priya.ics"), ("team.ical", "team.ical")):
            await pilot.press("ctrl+e")
            await pilot.pause()
            app.screen.query_one("#field-path", Input).value = typed
            await pilot.press("ctrl+s")
            await settle(
                pilot, lambda w=written: (tmp_path / w).exists() and len(app.screen_stack) == 1
            )
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
    assert not (tmp_path / "Priya").exists()
    assert any(f"written to {tmp_path / 'Priya.ics'}" in note for note in notes), notes
    assert vobject.readOne((tmp_path / "Priya.ics").read_text(encoding="utf-8")).vevent_list


async def test_a_report_named_without_an_extension_gets_md(
    demo_store: Store, clock: FrozenClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'digest' saved a file called 'digest', no '.md', that no Markdown editor offered to
    open; it is 'digest.md' now, as the calendar's form adds '.ics', and 'digest.' is not
    'digest..md'. A name with its own extension is kept as typed; an existing 'digest.md'
    is only replaced once confirmed, as when it was typed in full."""
    monkeypatch.chdir(tmp_path)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        report = await _open_report_and_save(pilot, app, "digest")
        for typed, written in (("digest", "digest.md"), ("week48.txt", "week48.txt")):
            app.screen.query_one("#field-path", Input).value = typed
            await pilot.press("ctrl+s")
            await settle(pilot, lambda w=written: (tmp_path / w).exists() and app.screen is report)
            await pilot.press("ctrl+s")
            await pilot.pause()
        app.screen.query_one("#field-path", Input).value = "digest."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "digest. names the digest.md just saved"
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is report
        notes = [str(n.message) for n in app._notifications]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["digest.md", "week48.txt"]
    assert (tmp_path / "digest.md").read_text(encoding="utf-8") == report.text
    assert any(f"Saved to {tmp_path / 'digest.md'}" in note for note in notes), notes


async def test_ctrl_r_on_today_offers_the_launch_of_the_line_under_the_cursor(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Today is the first screen; ctrl+r on a readiness deadline offered only the digest,
    themes and learnings, as if that launch had no brief."""
    app = _app(demo_store, clock, pane="today")
    async with app.run_test(size=SIZE) as pilot:
        listing = app.current_pane.list
        await settle(pilot, lambda: listing.option_count > 0)
        await pilot.pause()
        line = str(listing.get_option_at_index(listing.highlighted).id)
        section, _, pane, record_id = line.split(":")
        assert (section, pane) == ("readiness", "launches"), line
        launch = demo_store.launches.get(int(record_id))
        await pilot.press("ctrl+r")
        await pilot.pause()
        labels = [label for label, _ in app.screen.options]  # type: ignore[attr-defined]
        assert labels[0] == f"Launch brief: {launch.title}"
        report = await _pick_report(pilot, app)
        assert report.text.startswith(f"# Launch brief: {launch.title}")  # type: ignore[union-attr]


async def test_saving_again_offers_the_place_used_last_time_even_after_a_restart(
    demo_store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    """A second ctrl+s (and a second ctrl+e) offered the documents folder again, so a
    manager who files reports in one folder typed its path every time."""
    folder = tmp_path / "ops reports"
    calendar = tmp_path / "sync" / "team.ics"
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_report_and_save(pilot, app, "digest")
        await _fill_path(pilot, app, folder / "week 48.md")
        await pilot.pause()
        assert (folder / "week 48.md").is_file()
        await pilot.press("ctrl+s")
        await pilot.pause()
        offered = app.screen.query_one("#field-path", Input).value
        assert offered == str(folder / "opsdesk-digest-2026-11-26.md")
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        await _fill_path(pilot, app, calendar)
        await settle(pilot, lambda: calendar.exists() and len(app.screen_stack) == 1)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.screen.query_one("#field-path", Input).value == str(calendar)

    again = _app(demo_store, clock)  # the next session remembers both
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert again.screen.query_one("#field-path", Input).value == str(calendar)
        await pilot.press("escape")
        await _open_report_and_save(pilot, again, "themes")
        offered = again.screen.query_one("#field-path", Input).value
        assert offered == str(folder / "opsdesk-themes-2026-11-26.md")


def _fits_unscrolled(form: FormScreen) -> None:
    """Every field, hint and button of ``form`` is inside its dialog, nothing scrolled away."""
    from textual.containers import VerticalScroll

    dialog = form.query_one(".form-dialog").region
    inside = dialog.shrink((1, 1, 1, 1))  # within its border
    assert form.screen.region.contains_region(dialog)
    fields = form.query_one(".form-fields", VerticalScroll)
    assert fields.max_scroll_y == 0, "the fields scroll"
    shown = [*form.query(".form-input"), *form.query(".form-hint"), *form.query("Button")]
    for widget in shown:
        if widget.display:
            region = widget.region
            assert region.height and inside.contains_region(region), (widget, region, dialog)


async def test_the_save_to_forms_fit_80x24_without_scrolling(
    demo_store: Store, clock: FrozenClock
) -> None:
    """With a blank line between each of its eight rows and a two-line hint, the calendar
    form's 'Only function' was scrolled below the dialog's edge at 80x24. The path under the
    home folder is offered as '~/…', which the narrow field shows from its start."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        _fits_unscrolled(form)
        offered = form.query_one("#field-path", Input).value
        assert offered.startswith("~/") and offered.endswith("opsdesk.ics")
        await pilot.press("escape")
        await _open_report_and_save(pilot, app, "digest")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        _fits_unscrolled(app.screen)


async def test_keys_typed_together_each_scroll_the_report(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Twelve 'j's typed fast moved the learnings one line in all: each scroll waited for
    the next refresh and aimed from where the one before had aimed."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        await _pick_report(pilot, app, *"learnings")
        await pilot.pause()
        scroll = app.screen.query_one("#report-scroll")
        assert scroll.max_scroll_y > 8
        for key in ("j", "j", "j", "down", "j"):
            app.post_message(events.Key(key, None))
        await pilot.pause()
        assert scroll.scroll_y == 5
        for key in ("k", "up"):
            app.post_message(events.Key(key, None))
        await pilot.pause()
        assert scroll.scroll_y == 3
        app.post_message(events.Key("G", "G"))
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
