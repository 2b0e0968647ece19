"""The inbox list's room between 100 and 120 columns, where the views sidebar now hides."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app
from opsdesk.tui.panes.feedback import FeedbackPane

READABLE_TITLE = 25
"""Cells a feedback title needs to be read while triaging ('Bulk edit of 500 items fr…')."""


def _title_width(pane: FeedbackPane) -> int:
    """How many cells the list gives the Title column at its current width."""
    listing = pane.list
    columns, widths = listing._layout(listing.scrollable_content_region.width)
    return dict(zip((column.title for column in columns), widths, strict=True))["Title"]


@pytest.mark.parametrize("width", [100, 110, 119])
async def test_a_title_is_readable_from_100_to_119_columns(
    demo_store: Store, clock: FrozenClock, config: Config, width: int
) -> None:
    """Beside the 26-cell views sidebar and the detail, a 100-column inbox gave each title 12
    cells ('Pay annuall…'), the one thing a triager has to read. Under 120 the sidebar hides,
    as at 80: ] still changes the view and the status line names it."""
    app = build_app(demo_store, config, clock=clock, pane="feedback")
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        pane = app.query_one(FeedbackPane)
        assert not app.query_one("#feedback-views", OptionList).display
        assert _title_width(pane) >= READABLE_TITLE
        # The detail stays beside the list.
        assert pane.query_one(".pane-detail").region.x > pane.list.region.x
        await pilot.press("right_square_bracket")
        await pilot.pause()
        status = str(app.query_one("#feedback-status", Static).render())
        assert "view: Mine" in status


@pytest.mark.parametrize("width", [80, 120])
async def test_80_and_120_columns_keep_their_layout(
    demo_store: Store, clock: FrozenClock, config: Config, width: int
) -> None:
    """The sidebar is still hidden at 80 (the detail below the list) and shown from 120."""
    app = build_app(demo_store, config, clock=clock, pane="feedback")
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        pane = app.query_one(FeedbackPane)
        assert app.query_one("#feedback-views", OptionList).display is (width >= 120)
        assert _title_width(pane) >= READABLE_TITLE
