"""Snapshots of the experiment board, its conflicts view, the learnings library and the
"before you start" form, on the demo data at 120x40 with a frozen clock.

Regenerate with ``pytest tests/test_snapshots_experiments.py --snapshot-update`` and look at
the SVGs before keeping them.
"""

from __future__ import annotations

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app

SIZE = (120, 40)


def _app(store: Store, clock: FrozenClock):  # type: ignore[no-untyped-def]
    return build_app(store, Config(), clock=clock, pane="experiments", db_label="demo.db")


def test_board_with_a_conflict(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    # The third running card (by end date), One-page checkout, collides with the
    # annual-plan test.
    assert snap_compare(_app(demo_store, clock), press=["j", "j"], terminal_size=SIZE)


def test_conflicts_view(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    assert snap_compare(_app(demo_store, clock), press=["c"], terminal_size=SIZE)


def test_learnings_library(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    assert snap_compare(_app(demo_store, clock), press=["L", "j"], terminal_size=SIZE)


def test_before_you_start(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    async def type_a_title(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Annual plan discount at checkout")
        await pilot.pause()

    assert snap_compare(_app(demo_store, clock), run_before=type_a_title, terminal_size=SIZE)
