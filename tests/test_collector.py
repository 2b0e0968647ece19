"""The cyclic collector: paused around imports (off inside, restored after, whatever happens),
and patient while the app waits on keys (undone at exit)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.collector import KEYBOARD_THRESHOLDS, KeyboardCollector, collector_paused
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a bad row")
    assert gc.isenabled()


def test_a_collector_the_caller_had_switched_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


@pytest.fixture
def default_collector() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*saved)


def test_the_keyboard_collector_is_patient_freezes_after_start_up_and_undoes_both(
    default_collector: None,
) -> None:
    saved = gc.get_threshold()
    collector = KeyboardCollector()
    collector.start()
    assert gc.get_threshold() == KEYBOARD_THRESHOLDS
    collector.settle()
    assert gc.get_freeze_count() > 0
    collector.stop()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == saved


async def test_the_app_runs_with_the_keyboard_collector_and_puts_it_back(
    default_collector: None, demo_store: Store, clock: FrozenClock
) -> None:
    saved = gc.get_threshold()
    app = build_app(demo_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.panes_built:
            await pilot.pause(0.05)
        await pilot.pause(0.1)
        assert gc.get_threshold() == KEYBOARD_THRESHOLDS
        assert gc.get_freeze_count() > 0  # start-up's objects sit out of later collections
    assert gc.get_threshold() == saved
    assert gc.get_freeze_count() == 0
