"""Snapshots guard the look of every pane on the demo data, at 120x40, with a frozen clock.

Regenerate with ``pytest tests/test_snapshots.py --snapshot-update`` and *look* at the report
before committing new SVGs.
"""

from __future__ import annotations

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import PANE_IDS, build_app

SIZE = (120, 40)


@pytest.mark.parametrize("pane", PANE_IDS)
def test_pane_on_demo_data(snap_compare, demo_store: Store, clock: FrozenClock, pane: str) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane=pane, db_label="demo.db")
    assert snap_compare(app, terminal_size=SIZE)


def test_help_screen(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane="feedback", db_label="demo.db")
    assert snap_compare(app, press=["question_mark"], terminal_size=SIZE)


def test_feedback_search(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane="feedback", db_label="demo.db")

    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"sso")
        await pilot.pause()

    assert snap_compare(app, run_before=search, terminal_size=SIZE)
