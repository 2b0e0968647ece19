"""The demo's two Sven Olsens in the Contacts pane and the CLI: do-not-contact set on the
``+beta`` record (through the edit form, which refused to save that record at all) shows on
both rows, in the detail panel with the record it is on, in the status filter, and in
``contacts check`` and ``contacts list``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rich.console import Console
from textual.widgets import Static

from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.config import Config, GeneralConfig
from opsdesk.store import Store
from opsdesk.tui.app import build_app
from opsdesk.tui.screens.dialogs import FormScreen
from opsdesk.tui.widgets.window_list import WindowList

BETA = "Sven.Olsen+beta@QuarryAnalytics.example"
SET_ON = f"set on {BETA}"


def _row_text(listing: WindowList, y: int) -> str:
    return "".join(segment.text for segment in listing.render_line(y))


def _plain(widget: Static) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return " ".join(console.export_text().split())


async def test_do_not_contact_on_the_alias_shows_on_both_rows(
    demo_store: Store, clock: FrozenClock
) -> None:
    config = Config(general=GeneralConfig(user="Olivia"))
    app = build_app(demo_store, config, clock=clock, pane="contacts", db_label="demo.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"olsen", "enter")
        await pilot.pause()
        listing = app.query_one("#contacts-list", WindowList)
        assert listing.row_count == 2
        assert all("free" in _row_text(listing, y) for y in (1, 2))
        await pilot.press("down", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*["tab"] * 6, "space", "tab", *"Unsubscribed from everything")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)  # the alias's own address is no clash
        await pilot.press("up")
        await pilot.pause()
        for y in (1, 2):
            assert "do not contact" in _row_text(listing, y)
        detail = _plain(app.query_one("#contacts-detail-body", Static))
        assert f"Do not contact ({SET_ON}): Unsubscribed from everything." in detail
        await pilot.press("escape", "v")
        await pilot.pause()
        await pilot.press(*"do not contact", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = [_row_text(listing, y) for y in range(1, listing.row_count + 1)]
        assert sum("Sven Olsen" in row for row in shown) == 2
        assert all("do not contact" in row for row in shown)


def test_check_and_list_name_the_record_the_flag_is_on(tmp_path: Path, clock: FrozenClock) -> None:
    db = tmp_path / "cli.db"
    with Store(db, clock=clock) as store, store.write():
        for email, flags in (
            ("sven.olsen@quarryanalytics.example", {}),
            (BETA, {"do_not_contact": True, "dnc_reason": "unsubscribed"}),
        ):
            store.contacts.insert(
                store.contacts.validate({"name": "Sven Olsen", "email": email, **flags})
            )
    runner = CliRunner()
    for email in ("sven.olsen@quarryanalytics.example", BETA):
        result = runner.invoke(cli, ["contacts", "check", email, "--db", str(db)])
        assert result.exit_code == 1
        assert f"Do not contact ({SET_ON}): unsubscribed." in result.stdout
    listed = runner.invoke(cli, ["contacts", "list", "--status", "do_not_contact", "--db", str(db)])
    assert listed.exit_code == 0
    assert "sven.olsen@quarryanalytics.example" in listed.stdout and BETA in listed.stdout
