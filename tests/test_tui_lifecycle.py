"""The app closes quietly at any moment of its start, even while hidden panes are still
being built after the first frame."""

from __future__ import annotations

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app


@pytest.mark.parametrize("pane", ["today", "feedback"])
@pytest.mark.parametrize("after", [0.0, 0.02, 0.05, 0.1])
async def test_closing_while_hidden_panes_are_built_raises_nothing(
    demo_store: Store, clock: FrozenClock, pane: str, after: float
) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane=pane)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(after)
    # run_test re-raises whatever a handler raised while the app was shutting down.
    assert app.is_running is False
