"""A board column scrolls by whole cards: its top line is always a card's title, however
the cursor got where it is (from the conflicts view, after abandoning a card, at any size).

A card put under the cursor while its column was hidden (the conflicts view shows instead of
the board) used to scroll as if the column were four lines tall, and the offset was then cut
back to the column's last scroll position, which fell in the middle of a card: the running
column opened with its top card's title missing ("search · Jonas Weber" on the first line),
and still had it missing after a card was abandoned from it.
"""

from __future__ import annotations

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.widgets.experiments_board import CARD_HEIGHT, CardColumn


def _app(store: Store, clock: FrozenClock) -> OpsdeskApp:
    return build_app(store, Config(), clock=clock, pane="experiments")


def _column(app: OpsdeskApp, status: str) -> CardColumn:
    return app.query_one(f"#experiments-column-{status}", CardColumn)


def _top_line(column: CardColumn) -> str:
    """The first card line the column shows (under its header)."""
    return "".join(segment.text for segment in column.render_line(1)).strip()


def _titles(column: CardColumn) -> list[str]:
    return [
        column.row_at(index).record.title  # type: ignore[union-attr]
        for index in range(column.row_count)
    ]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_card_shown_from_the_conflicts_view_leaves_no_card_cut_in_half(
    demo_store: Store, clock: FrozenClock, size: tuple[int, int]
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        running = _column(app, "running")
        assert app.focused is running
        assert running.scroll_offset.y % CARD_HEIGHT == 0, running.scroll_offset
        top = _top_line(running).removeprefix("⚠").strip().rstrip("…")
        assert any(title.startswith(top) for title in _titles(running)), top
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # no reason
        await pilot.pause()
        assert running.scroll_offset.y % CARD_HEIGHT == 0, running.scroll_offset
