"""The footer: rebuilt once when a pane switch changes its keys, never for nothing, and always
showing the keys of the pane in front."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from hostile import screen_text
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app
from opsdesk.tui.widgets.footer import QuietFooter


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


async def _settled(pilot: Any) -> None:
    """Wait for every pane to be built and the footer to show the first pane's keys."""
    while not pilot.app.panes_built:
        await pilot.pause(0.05)
    await pilot.pause(0.3)


async def test_a_pane_switch_rebuilds_the_footer_once_and_shows_the_new_keys(
    demo_store: Store, clock: FrozenClock, rebuilds: list[str]
) -> None:
    app = build_app(demo_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(160, 40)) as pilot:
        await _settled(pilot)
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


async def test_a_key_that_changes_the_bindings_twice_rebuilds_the_footer_once(
    demo_store: Store, clock: FrozenClock, rebuilds: list[str]
) -> None:
    """Opening the launch timeline changes the view, then the focus: the footer showed the
    same keys three times over before (two thirds of the time the key took)."""
    app = build_app(demo_store, Config(), clock=clock, pane="launches")
    async with app.run_test(size=(160, 40)) as pilot:
        await _settled(pilot)
        before = screen_text(app).splitlines()[-1]
        rebuilds.clear()
        await pilot.press("t")
        await pilot.pause(0.3)
        assert rebuilds == ["rebuild"]
        after = screen_text(app).splitlines()[-1]
        assert after != before, after


async def test_footer_keys_take_the_footer_s_compact_setting_without_a_binding(
    demo_store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key is made in the footer's style (no binding restyling it twice as it mounts),
    the palette key (never bound) keeps Textual's own compact style, and a change of style
    rebuilds."""
    restyled: list[str] = []
    watch = FooterKey._watch_compact

    def counting_watch(self: FooterKey, compact: bool) -> None:
        if self.has_class("-compact") != compact and not self.has_class("-command-palette"):
            restyled.append(self.key)
        watch(self, compact)

    monkeypatch.setattr(FooterKey, "_watch_compact", counting_watch)

    app = build_app(demo_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(160, 40)) as pilot:
        await _settled(pilot)
        footer = app.screen.query_one(QuietFooter)
        keys = list(footer.query(FooterKey))
        palette = [key for key in keys if key.has_class("-command-palette")]
        plain = [key for key in keys if not key.has_class("-command-palette")]
        assert len(palette) == 1 and palette[0].has_class("-compact")
        assert plain and not any(key.has_class("-compact") or key.compact for key in plain)
        assert restyled == []  # the binding toggled each key's class twice as it mounted
        footer.compact = True
        await pilot.pause(0.3)
        plain = [key for key in footer.query(FooterKey) if not key.has_class("-command-palette")]
        assert plain and all(key.has_class("-compact") and key.compact for key in plain)


async def test_a_narrow_footer_shows_help_first_in_every_pane(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Keys are cut off at the footer's right end and the app's come last: at 80 columns
    every pane lost '? Help', the key that lists the rest. Narrow, it comes first; wide, it
    is back in its place, and a resize across the line moves it."""
    app = build_app(demo_store, Config(), clock=clock, pane="today")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(pilot)
        for key in ("0", "1", "2", "3", "4"):
            await pilot.press(key)
            await pilot.pause(0.3)
            footer = screen_text(app).splitlines()[-1]
            assert footer.lstrip().startswith("? Help"), (key, footer)
        await pilot.resize_terminal(160, 40)
        await pilot.pause(0.3)
        wide = screen_text(app).splitlines()[-1]
        assert not wide.lstrip().startswith("? Help") and "? Help" in wide, wide
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        assert screen_text(app).splitlines()[-1].lstrip().startswith("? Help")


async def test_a_key_that_does_not_fit_whole_is_not_drawn_at_all(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 80 columns the launch list's footer ended in '^q Q' under the palette key, and the
    contacts' in a lone '^q': a key is drawn whole, left of the palette key, or not at all.
    The keys before it keep their places, and a wider terminal brings it back."""
    app = build_app(demo_store, Config(), clock=clock, pane="today")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(pilot)
        for pane in ("0", "1", "2", "3", "4"):
            await pilot.press(pane)
            await pilot.pause(0.3)
            footer = app.screen.query_one(QuietFooter)
            palette = footer.query_one(".-command-palette", FooterKey)
            line = screen_text(app).splitlines()[-1]
            left = line[: palette.region.x]
            drawn = [key for key in footer.query(FooterKey) if key is not palette and key.region]
            assert drawn, (pane, line)
            for key in drawn:
                assert key.region.right <= palette.region.x, (pane, key.key_display, line)
                assert f"{key.key_display} {key.description}".strip() in left, (pane, line)
            hidden = [key for key in footer.query(FooterKey) if not key.region]
            assert all(key.region.x < palette.region.x for key in drawn)
            if pane == "1":
                assert "^q" in [key.key_display for key in hidden], line
                assert left.rstrip().endswith("y Go/no-go"), line
        await pilot.press("1")
        await pilot.resize_terminal(160, 40)
        await pilot.pause(0.3)
        assert "^q Quit" in screen_text(app).splitlines()[-1]
