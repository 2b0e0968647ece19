"""Snapshots of the Contacts pane: statuses in the list, a refusal with its reasons, a pool.

Regenerate with ``pytest tests/test_snapshots_contacts.py --snapshot-update`` and look at the
SVGs before keeping them.
"""

from __future__ import annotations

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app

SIZE = (120, 40)


def _app(store: Store, clock: FrozenClock):  # type: ignore[no-untyped-def]
    return build_app(store, Config(), clock=clock, pane="contacts", db_label="demo.db")


def test_contact_list_with_statuses(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    async def to_a_capped_contact(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("end")
        await pilot.pause()
        for _ in range(8):
            await pilot.press("k")
        await pilot.pause()

    assert snap_compare(_app(demo_store, clock), run_before=to_a_capped_contact, terminal_size=SIZE)


def test_refusal_with_reasons(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    async def refused(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"tomasz")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("l", "ctrl+s")
        await pilot.pause()

    assert snap_compare(_app(demo_store, clock), run_before=refused, terminal_size=SIZE)


def test_eligible_pool(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    async def pool(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(_app(demo_store, clock), run_before=pool, terminal_size=SIZE)
