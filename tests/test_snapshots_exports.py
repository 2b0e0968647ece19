"""Snapshots of the exports on the demo data: the calendar form and a report's preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.services import reports
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.screens.exports import ReportScreen

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def fixed_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suggested paths name a documents folder that is the same on every machine."""
    monkeypatch.setattr(
        "opsdesk.services.export_places.export_dir", lambda: Path("/home/ana/Documents")
    )


def test_calendar_export_form(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane="launches", db_label="demo.db")

    async def open_form(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+e")
        await pilot.pause()
        for field in app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor would make the picture a coin toss
        await pilot.pause()

    assert snap_compare(app, run_before=open_form, terminal_size=SIZE)


def test_digest_preview(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane="feedback", db_label="demo.db")

    async def open_digest(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press(*"digest", "enter")
        for _ in range(100):
            if isinstance(app.screen, ReportScreen) and app.screen.text:
                break
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(app, run_before=open_digest, terminal_size=SIZE)


def _open_report(app: OpsdeskApp, request: reports.ReportRequest, scroll: int):
    """A ``run_before`` that opens ``request``'s preview and scrolls it ``scroll`` lines."""

    async def run_before(pilot: Pilot[None]) -> None:
        app.push_screen(ReportScreen(request))
        for _ in range(100):
            if isinstance(app.screen, ReportScreen) and app.screen.text:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        await pilot.press(*"j" * scroll)
        await pilot.pause()

    return run_before


def test_digest_preview_at_80x24(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    """The launches table at 80 columns: every date whole, the titles folded."""
    app = build_app(demo_store, Config(), clock=clock, pane="launches", db_label="demo.db")
    run_before = _open_report(app, reports.ReportRequest("digest"), 9)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_launch_brief_preview_at_80x24(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    """The readiness table's eight columns do not fit 80 columns: each item is a record."""
    launch_id = next(
        id_ for id_, title in demo_store.launches.titles().items() if title.startswith("Offline")
    )
    app = build_app(demo_store, Config(), clock=clock, pane="launches", db_label="demo.db")
    run_before = _open_report(app, reports.ReportRequest("launch", launch_id), 18)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
