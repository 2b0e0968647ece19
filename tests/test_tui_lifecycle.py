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


async def test_a_select_mounted_after_its_overlay_was_removed_raises_nothing() -> None:
    """What quitting in the first frames does to a Select in a hidden pane being built: its
    children are removed before it handles Mount. Textual's own Select raises NoMatches."""
    from textual.app import App, ComposeResult
    from textual.events import Mount

    from opsdesk.tui.widgets.quiet_select import QuietSelect

    class OneSelect(App[None]):
        def compose(self) -> ComposeResult:
            yield QuietSelect([("Web", "web")], prompt="Surface")

    app = OneSelect()
    async with app.run_test() as pilot:
        select = app.query_one(QuietSelect)
        await select.query_one("SelectOverlay").remove()
        select.post_message(Mount())
        await pilot.pause()
        assert select.value == QuietSelect.NULL
    # run_test re-raises what a handler raised; reaching here means nothing did.
    assert app.is_running is False


async def test_a_change_seen_while_the_panes_are_taken_down_raises_nothing(
    file_store: Store, clock: FrozenClock
) -> None:
    """The live refresh's timer can fire as the app closes, after a worker's own connection
    wrote (an export notes its calendar sequences): the pane's list is gone by then."""
    from opsdesk.models import Feedback

    app = build_app(file_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.current_pane.list.remove()  # as closing removes the widgets
        with Store(file_store.path, clock=clock) as other:
            other.feedback.insert(Feedback(title="Written elsewhere", received_at=clock.now()))
        assert app.check_for_changes() is True


async def test_background_results_arriving_after_the_app_closed_are_dropped(
    file_store: Store, clock: FrozenClock
) -> None:
    """A worker's counts or sections are handed back with ``call_from_thread``; a quit while
    the worker ran means they arrive with the panes taken down (once seen in CI as NoMatches
    from the inbox's view counts). They are dropped, not shown."""
    from opsdesk.tui.panes.feedback import FeedbackPane
    from opsdesk.tui.panes.today import TodayPane

    app = build_app(file_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        inbox = app.query_one(FeedbackPane)
        today = app.query_one(TodayPane)
        sections = list(today.sections)
    inbox._show_counts({"all": 1}, [])
    today._show(sections)
    assert inbox._counts != {"all": 1}
