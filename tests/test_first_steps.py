"""A pane whose table holds nothing says how to begin; an empty *view* says only that."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.console import Console
from textual.widgets import Static

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Feedback
from opsdesk.store import Store
from opsdesk.tui.app import build_app
from opsdesk.tui.first_steps import FIRST_STEPS


def _detail_text(app: object, pane: str) -> str:
    body = app.query_one(f"#pane-{pane} .detail-body", Static)  # type: ignore[attr-defined]
    console = Console(width=200, record=True, color_system=None)
    console.print(body.content)
    return console.export_text()


@pytest.mark.parametrize(("pane", "key"), [("feedback", "a"), ("launches", "n"),
                                           ("contacts", "n"), ("experiments", "n")])  # fmt: skip
async def test_an_empty_table_names_the_key_that_adds_the_first_record(
    store: Store, clock: FrozenClock, pane: str, key: str
) -> None:
    app = build_app(store, Config(), clock=clock, pane=pane)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = _detail_text(app, pane)
        assert FIRST_STEPS[pane][0] in shown
        assert f"{key} " in shown
        assert "opsdesk demo" in shown
        # The key it names is the pane's own key for a new record: it opens a form.
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is not app.screen_stack[0], f"{key} opened nothing on {pane}"


async def test_a_view_that_is_empty_in_a_used_inbox_just_says_so(
    store: Store, clock: FrozenClock
) -> None:
    """Feedback exists but the Untriaged view is empty: no welcome, no import advice."""
    store.feedback.insert(
        Feedback(
            title="Export times out",
            status="triaged",
            received_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        )
    )
    app = build_app(store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = _detail_text(app, "feedback")
        assert "No feedback items to show." in shown
        assert "No feedback yet." not in shown
        assert "opsdesk import" not in shown


@pytest.mark.parametrize(("user", "hinted"), [("me", True), ("Priya Raman", False)])
async def test_todays_welcome_names_the_command_that_sets_your_name(
    store: Store, clock: FrozenClock, user: str, hinted: bool
) -> None:
    """Until general.user is set, every change is signed "me": the welcome says how to sign
    them with your name, once, and says nothing once it is set."""
    from opsdesk.config import SET_USER_COMMAND, GeneralConfig

    app = build_app(store, Config(general=GeneralConfig(user=user)), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        body = app.query_one("#today-welcome-body", Static)
        console = Console(width=200, record=True, color_system=None)
        console.print(body.content)
        shown = " ".join(console.export_text().split())
        assert "Welcome to opsdesk." in shown
        assert (SET_USER_COMMAND in shown) is hinted
