"""Response-time promises on feedback: when to acknowledge and decide, and how that is going.

SLA clocks count working days in the user's time zone (see :func:`due_instant`): a P1 bug
received on Friday afternoon is due at the end of Monday, not on Saturday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from opsdesk.rules.dates import WorkCalendar, due_instant
from opsdesk.vocabulary import FeedbackStatus

DECIDED_STATUSES = frozenset({FeedbackStatus.PLANNED, FeedbackStatus.DECLINED, FeedbackStatus.DONE})
"""Statuses that count as a decision: the item was planned, declined or done."""

DUE_SOON = dt.timedelta(hours=24)
"""An open promise this close to its deadline is 'due soon'."""


class Promised(Protocol):
    """What the SLA states of an item depend on: a stored ``Feedback`` record, or the
    inbox list's lighter ``FeedbackLine`` of the same row."""

    @property
    def status(self) -> FeedbackStatus: ...

    @property
    def received_at(self) -> dt.datetime: ...

    @property
    def acknowledged_at(self) -> dt.datetime | None: ...

    @property
    def decided_at(self) -> dt.datetime | None: ...


class SlaState(StrEnum):
    MET = "met"
    ON_TRACK = "on track"
    DUE_SOON = "due soon"
    BREACHED = "breached"


@dataclass(frozen=True)
class SlaDeadlines:
    """When an item must be acknowledged and decided, as UTC instants."""

    acknowledge_by: dt.datetime
    decide_by: dt.datetime


def deadlines(
    received_at: dt.datetime,
    acknowledge_days: int,
    decide_days: int,
    calendar: WorkCalendar,
    tz: ZoneInfo,
) -> SlaDeadlines:
    """Both deadlines for an item received at ``received_at`` under one SLA target."""
    return SlaDeadlines(
        acknowledge_by=due_instant(received_at, acknowledge_days, calendar, tz),
        decide_by=due_instant(received_at, decide_days, calendar, tz),
    )


def promise_state(
    due: dt.datetime | None, done_at: dt.datetime | None, now: dt.datetime
) -> SlaState | None:
    """How one promise stands: met, on track, due soon or breached.

    A promise kept late stays 'breached' so reports still count it; no deadline, no state.
    """
    if due is None:
        return None
    if done_at is not None:
        return SlaState.MET if done_at <= due else SlaState.BREACHED
    if now > due:
        return SlaState.BREACHED
    if due - now <= DUE_SOON:
        return SlaState.DUE_SOON
    return SlaState.ON_TRACK


def item_state(
    item: Promised, due: SlaDeadlines | None, now: dt.datetime
) -> tuple[SlaState | None, SlaState | None]:
    """(acknowledge state, decide state) of one feedback item."""
    if due is None:
        return None, None
    decided = item.decided_at
    if decided is None and item.status in DECIDED_STATUSES:
        decided = item.acknowledged_at or item.received_at
    return (
        promise_state(due.acknowledge_by, item.acknowledged_at or decided, now),
        promise_state(due.decide_by, decided, now),
    )


def worst(*states: SlaState | None) -> SlaState | None:
    """The state to show as one badge: breached beats due soon beats on track beats met."""
    order = [SlaState.BREACHED, SlaState.DUE_SOON, SlaState.ON_TRACK, SlaState.MET]
    present = [state for state in states if state is not None]
    for state in order:
        if state in present:
            return state
    return None
