"""The footer: rebuilt once when a pane switch changes its keys, never for nothing, and always
showing the keys of the pane in front."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Footer

from hostile import screen_text
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every footer rebuild, in order."""
    calls: list[str] = []
    original = Footer.recompose

    async def recompose(self: Footer) -> None:
        calls.append("rebuild")
        await original(self)

    monkeypatch.setattr(Footer, "recompose", recompose)
    yield calls


async def test_a_pane_switch_rebuilds_the_footer_once_and_shows_the_new_keys(
    demo_store: Store, clock: FrozenClock, rebuilds: list[str]
) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(160, 40)) as pilot:
        while not app.panes_built:
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        footer = screen_text(app).splitlines()[-1]
        assert "Triage" in footer or "triage" in footer.lower(), footer
        for key in ("1", "3", "2"):
            rebuilds.clear()
            await pilot.press(key)
            await pilot.pause(0.3)
            assert rebuilds == ["rebuild"], key
        # Back on the inbox: its own keys again.
        assert screen_text(app).splitlines()[-1] == footer
        rebuilds.clear()
        app.screen.refresh_bindings()  # a bindings change that changes nothing shown
        await pilot.pause(0.3)
        assert rebuilds == []
