"""Snapshots of the launch timeline at each zoom, a launch's own screen and the by-function view.

On the demo data at 120x40 with the frozen clock, and a year-end freeze in the config so the
blackout shading and flags show. Regenerate with ``--snapshot-update`` and look at them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Blackout, Config, LaunchPolicy
from opsdesk.store import Store
from opsdesk.tui.app import build_app

SIZE = (120, 40)
FREEZE = Blackout(name="Year-end freeze", start=dt.date(2026, 12, 18), end=dt.date(2027, 1, 4))


def _config() -> Config:
    return Config(launches=LaunchPolicy(blackouts=[FREEZE]))


@pytest.mark.parametrize(
    ("zoom", "keys"),
    [("week", ["t", "z", "z"]), ("month", ["t"]), ("quarter", ["t", "z"])],
)
def test_timeline_at_each_zoom(
    snap_compare, demo_store: Store, clock: FrozenClock, zoom: str, keys: list[str]
) -> None:
    app = build_app(demo_store, _config(), clock=clock, pane="launches", db_label="demo.db")
    # 't' opens the timeline on the list's launch; 'g' goes to its first row, then down.
    assert snap_compare(app, press=[*keys, "g", "j", "j", "j", "j"], terminal_size=SIZE)


def test_launch_detail(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    app = build_app(demo_store, _config(), clock=clock, pane="launches", db_label="demo.db")
    # The list opens on the first launch still to come (the fifth by date); three below it
    # is SAML SSO, the most at risk: enter opens it.
    assert snap_compare(app, press=[*["j"] * 3, "enter", "j"], terminal_size=SIZE)


def test_by_function(snap_compare, demo_store: Store, clock: FrozenClock) -> None:
    app = build_app(demo_store, _config(), clock=clock, pane="launches", db_label="demo.db")
    assert snap_compare(app, press=["f", "right", "plus", "plus"], terminal_size=SIZE)
