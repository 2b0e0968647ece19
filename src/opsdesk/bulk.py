"""Bulk work without the cyclic garbage collector's pauses.

An import builds hundreds of thousands of small containers (cells, dicts, records) that all
stay alive until the transaction commits. CPython's cyclic collector runs every few hundred
allocations and, once they reach the oldest generation, walks every one of them again each
time: on 100,000 rows that doubled the time spent reading and checking a file. None of these
objects form reference cycles, so an import pauses the collector while it runs and restores
it after, whatever happens (as a `with` block or a decorator).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
