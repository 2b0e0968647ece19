"""Snapshots of the inbox on the demo data: list, capture form with duplicates, themes, body."""

from __future__ import annotations

from textual.pilot import Pilot

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app

SIZE = (120, 40)


def _app(store: Store, clock: FrozenClock) -> OpsdeskApp:
    return build_app(store, Config(), clock=clock, pane="feedback", db_label="demo.db")


def test_inbox_all_view(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    async def all_view(pilot: Pilot[None]) -> None:
        await pilot.press("left_square_bracket")  # Untriaged → All (wraps backwards)
        await pilot.press("space", "space")  # two marked rows
        await pilot.pause()

    assert snap_compare(_app(demo_store, clock), run_before=all_view, terminal_size=SIZE)


def test_capture_form_with_duplicate_suggestions(
    snap_compare, demo_store: Store, clock: FrozenClock
) -> None:
    async def typing(pilot: Pilot[None]) -> None:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"SSO login loops")
        await pilot.pause()

    assert snap_compare(_app(demo_store, clock), run_before=typing, terminal_size=SIZE)


def test_themes_view(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    assert snap_compare(_app(demo_store, clock), press=["e"], terminal_size=SIZE)


def test_full_body_view(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    assert snap_compare(_app(demo_store, clock), press=["j", "j", "enter"], terminal_size=SIZE)


def test_inbox_on_an_80_column_terminal(
    snap_compare, demo_store: Store, clock: FrozenClock
) -> None:
    """Under 100 columns the views sidebar hides and the detail sits below the list, so the
    list has the whole width for its titles."""
    assert snap_compare(_app(demo_store, clock), terminal_size=(80, 24))
