"""Where opsdesk gets the time from, so tests can freeze it.

Nothing outside this module calls ``datetime.now()``: rules take a clock (or a date) as an
argument, the store stamps history with the clock it was opened with.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    """Anything that can say what time it is, as an aware UTC datetime."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real time."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FrozenClock:
    """A clock that says the same instant until told otherwise (tests, snapshots, demos)."""

    def __init__(self, instant: dt.datetime) -> None:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=dt.UTC)
        self._instant = instant.astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        return self._instant

    def advance(self, delta: dt.timedelta) -> None:
        """Move the frozen instant forward, e.g. to test an SLA ticking over."""
        self._instant = self._instant + delta
