"""Shared fixtures: a frozen clock, clean environment, stores and the app factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store

FROZEN_NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
"""A Thursday afternoon: every test and snapshot sees this moment."""


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's real config, database or colour settings."""
    home = tmp_path_factory.mktemp("home")
    for name in ("NO_COLOR", "TEXTUAL_THEME", "OPSDESK_DB", "FORCE_COLOR", "TEXTUAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPSDESK_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors stay drawn: a snapshot taken more than half a second after the last key
    (a busy CI machine) otherwise catches a blinking cursor hidden, a picture that differs
    only by chance (the capture form's title field failed CI that way)."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(FROZEN_NOW)


@pytest.fixture
def config() -> Config:
    return Config()


@pytest.fixture
def store(clock: FrozenClock) -> Iterator[Store]:
    with Store(clock=clock, actor="tester") as opened:
        yield opened


@pytest.fixture
def file_store(tmp_path: Path, clock: FrozenClock) -> Iterator[Store]:
    with Store(tmp_path / "opsdesk.db", clock=clock, actor="tester") as opened:
        yield opened


@pytest.fixture
def demo_store(clock: FrozenClock) -> Iterator[Store]:
    """The demo company, loaded for the frozen today."""
    from opsdesk.demo import load_demo

    with Store(clock=clock, actor="tester") as opened:
        load_demo(opened, FROZEN_NOW.date())
        yield opened
