"""The :class:`Desk`: one store, the config and a clock, handed to every service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from opsdesk.clock import Clock, SystemClock
from opsdesk.config import Config
from opsdesk.rules.dates import WorkCalendar
from opsdesk.store import Store


@dataclass
class Desk:
    """Everything a service needs to act for the user: where, under which policy, and when."""

    store: Store
    config: Config = field(default_factory=Config)
    clock: Clock = field(default_factory=SystemClock)

    @property
    def tz(self) -> ZoneInfo:
        return self.config.tz

    @property
    def user(self) -> str:
        return self.config.general.user

    def now(self) -> dt.datetime:
        return self.clock.now()

    def today(self) -> dt.date:
        """Today in the user's time zone."""
        return self.clock.now().astimezone(self.tz).date()

    @property
    def calendar(self) -> WorkCalendar:
        return self.config.work_calendar()
