"""How opsdesk runs CPython's cyclic garbage collector: paused for bulk work, patient while
the app waits on keys.

Bulk work. An import builds hundreds of thousands of small containers (cells, dicts,
records) that all stay alive until the transaction commits. The collector runs every few
hundred allocations and, once they reach the oldest generation, walks every one of them again
each time: on 100,000 rows that doubled the time spent reading and checking a file. None of
these objects form reference cycles, so an import pauses the collector while it runs and
restores it after, whatever happens (:func:`collector_paused`, a ``with`` block or a
decorator).

Keys. Drawing the screen makes and drops many short-lived objects, and with CPython's default
thresholds a full collection (every object the app holds: widgets, cached rows, drawn lines)
ran about once a second while keys were pressed, each one 50–120 ms on the 100k database: a
key that met one waited that long. While the app runs, :class:`KeyboardCollector` asks for a
full collection ten times less often, and once start-up is over freezes what exists then
(modules, widgets, panes: they live as long as the app) so full collections skip it. At exit
both are undone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

KEYBOARD_THRESHOLDS = (700, 10, 100)
"""Collector thresholds while the app runs: CPython's, except that a full collection waits
for 100 collections of the middle generation instead of 10."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (reference counting still frees memory);
    the collector is switched back on after, unless the caller had it off already."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class KeyboardCollector:
    """The collector tuned for an app waiting on keys, and put back as it was at exit."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Full collections ten times rarer (called when the app starts)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(*KEYBOARD_THRESHOLDS)

    def settle(self) -> None:
        """Leave what exists now out of every later collection (once start-up is over)."""
        gc.freeze()

    def stop(self) -> None:
        """Undo both: the frozen objects can be collected again, the thresholds are restored."""
        gc.unfreeze()
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
