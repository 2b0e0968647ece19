"""Every pane at a tiny, a classic and a huge terminal, on the demo data: no crash.

One app is resized through the sizes and visits every pane at each, moving its cursor, so a
layout that cannot fit (a negative width, an empty region) shows up as an exception here.
"""

from __future__ import annotations

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app

PANES = ["today", "launches", "feedback", "contacts", "experiments"]
SIZES = [(40, 12), (80, 24), (250, 70)]


async def test_every_pane_at_every_size(demo_store: Store, clock: FrozenClock) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane="today", db_label="demo.db")
    async with app.run_test(size=SIZES[0]) as pilot:
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            for pane in PANES:
                await app.action_show_pane(pane)
                await pilot.pause()
                await pilot.press("down", "down", "end")
                await pilot.pause()
                assert len(app.screen._compositor.render_strips()) == height, pane
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.is_running
