"""Waiting in a pilot test for work the app does in the background (a worker thread)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot


async def settle(pilot: Pilot[None], done: Callable[[], object], timeout: float = 20.0) -> None:
    """Let the app run until ``done()`` is true (a worker thread finishing, say)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done():
        assert loop.time() < deadline, "timed out waiting for the app"
        await pilot.pause(0.05)
