""" "Before you start" shows above the buttons however the title arrives.

A title typed faster than the screen redraws (or pasted) reaches the form as one change; the
aside was shown then, before it had a size, and the fields were fitted as if it took no room,
so at 80x24 it sat behind Save and Cancel and the similar past experiments never showed.
"""

from __future__ import annotations

import pytest
from textual.containers import Horizontal
from textual.widgets import Input, Static

from hostile import screen_text
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app
from opsdesk.tui.screens.dialogs import FormScreen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_title_arriving_at_once_shows_similar_experiments_above_the_buttons(
    demo_store: Store, clock: FrozenClock, size: tuple[int, int]
) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane="experiments")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-title", Input).value = "Annual plan discount at checkout"
        await pilot.pause()
        await pilot.pause()
        aside = form.query_one("#form-aside", Static)
        buttons = form.query_one(".dialog-buttons", Horizontal)
        assert aside.display and aside.region.height > 2, aside.region
        assert aside.region.bottom <= buttons.region.y, (aside.region, buttons.region)
        text = screen_text(app)
        assert "Before you start" in text
        assert "Annual plan nudge on the pricing page" in text
