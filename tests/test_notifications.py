"""Notifications read as sentences, whatever wording the service used for the CLI."""

from __future__ import annotations

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import as_sentence, build_app


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("the last change added 3 items, and undo does not remove items",
         "The last change added 3 items, and undo does not remove items"),
        ("nothing was imported: 2 bad rows", "Nothing was imported: 2 bad rows"),
        ("ana@acme.example cannot be contacted", "ana@acme.example cannot be contacted"),
        ("opsdesk import feedback FILE does it too", "opsdesk import feedback FILE does it too"),
        ("#12 is no longer there", "#12 is no longer there"),
        ("'export fails' is already merged", "'export fails' is already merged"),
        ("iPhone crashes on login", "iPhone crashes on login"),
        ("Already a sentence.", "Already a sentence."),
        ("", ""),
    ],
)  # fmt: skip
def test_a_refusal_starts_with_a_capital_unless_it_starts_with_a_name(
    said: str, shown: str
) -> None:
    assert as_sentence(said) == shown


async def test_the_app_shows_a_lower_case_refusal_as_a_sentence(
    store: Store, clock: FrozenClock
) -> None:
    app = build_app(store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify("the last change added 3 items", severity="warning")
        await pilot.pause()
        assert [str(n.message) for n in app._notifications] == ["The last change added 3 items"]
