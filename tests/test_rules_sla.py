"""SLA deadlines and states: weekends, holidays, time zones, DST, and the badge rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opsdesk.models import Feedback
from opsdesk.rules.dates import WorkCalendar
from opsdesk.rules.sla import SlaDeadlines, SlaState, deadlines, item_state, promise_state, worst
from opsdesk.vocabulary import FeedbackStatus

UTC = dt.UTC
WEEK = WorkCalendar()


def test_p1_bug_on_friday_afternoon_is_due_end_of_monday() -> None:
    received = dt.datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # Friday
    due = deadlines(received, 1, 3, WEEK, ZoneInfo("UTC"))
    assert due.acknowledge_by == dt.datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # end of Mon 30
    assert due.decide_by == dt.datetime(2026, 12, 3, 0, 0, tzinfo=UTC)  # end of Wed 2


def test_received_on_saturday_counts_from_the_weekend() -> None:
    received = dt.datetime(2026, 11, 28, 10, 0, tzinfo=UTC)  # Saturday
    due = deadlines(received, 1, 1, WEEK, ZoneInfo("UTC"))
    assert due.acknowledge_by == dt.datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # end of Monday


def test_holidays_are_skipped() -> None:
    calendar = WorkCalendar(holidays=frozenset({dt.date(2026, 12, 25), dt.date(2026, 12, 28)}))
    received = dt.datetime(2026, 12, 24, 9, 0, tzinfo=UTC)  # Thursday before Christmas
    due = deadlines(received, 1, 2, calendar, ZoneInfo("UTC"))
    assert due.acknowledge_by == dt.datetime(2026, 12, 30, 0, 0, tzinfo=UTC)  # end of Tue 29
    assert due.decide_by == dt.datetime(2026, 12, 31, 0, 0, tzinfo=UTC)


def test_time_zone_decides_which_day_it_arrived() -> None:
    # 23:30 UTC on Thursday is already Friday in Tokyo.
    received = dt.datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    tokyo = deadlines(received, 1, 1, WEEK, ZoneInfo("Asia/Tokyo"))
    utc = deadlines(received, 1, 1, WEEK, ZoneInfo("UTC"))
    assert utc.acknowledge_by == dt.datetime(2026, 11, 28, 0, 0, tzinfo=UTC)  # end of Fri
    # end of Monday 30 Nov in Tokyo = 2026-11-30 15:00 UTC
    assert tokyo.acknowledge_by == dt.datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def test_deadline_across_dst_change_is_local_midnight() -> None:
    tz = ZoneInfo("America/New_York")
    received = dt.datetime(2026, 10, 30, 14, 0, tzinfo=tz)  # Friday, EDT (UTC-4)
    due = deadlines(received, 1, 1, WEEK, tz)
    # End of Monday 2 Nov is midnight EST (UTC-5) after the 1 Nov change.
    assert due.acknowledge_by == dt.datetime(2026, 11, 3, 5, 0, tzinfo=UTC)
    assert due.acknowledge_by.astimezone(tz).hour == 0


NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "done", "expected"),
    [
        (NOW + dt.timedelta(days=3), None, SlaState.ON_TRACK),
        (NOW + dt.timedelta(hours=24), None, SlaState.DUE_SOON),
        (NOW + dt.timedelta(hours=24, seconds=1), None, SlaState.ON_TRACK),
        (NOW, None, SlaState.DUE_SOON),
        (NOW - dt.timedelta(seconds=1), None, SlaState.BREACHED),
        (NOW - dt.timedelta(days=1), NOW - dt.timedelta(days=2), SlaState.MET),
        (NOW - dt.timedelta(days=1), NOW - dt.timedelta(days=1), SlaState.MET),
        (NOW - dt.timedelta(days=2), NOW - dt.timedelta(days=1), SlaState.BREACHED),
        (None, None, None),
    ],
)
def test_promise_state_boundaries(
    due: dt.datetime | None, done: dt.datetime | None, expected: SlaState | None
) -> None:
    assert promise_state(due, done, NOW) == expected


def _item(**fields: object) -> Feedback:
    return Feedback(title="x", received_at=NOW - dt.timedelta(days=5), **fields)  # type: ignore[arg-type]


def test_item_state_and_worst_badge() -> None:
    due = SlaDeadlines(NOW - dt.timedelta(days=3), NOW + dt.timedelta(days=5))
    ack, decide = item_state(_item(), due, NOW)
    assert (ack, decide) == (SlaState.BREACHED, SlaState.ON_TRACK)
    assert worst(ack, decide) == SlaState.BREACHED
    acknowledged = _item(acknowledged_at=NOW - dt.timedelta(days=4))
    assert worst(*item_state(acknowledged, due, NOW)) == SlaState.ON_TRACK
    # Deciding counts as acknowledging.
    decided = _item(status=FeedbackStatus.DONE, decided_at=NOW - dt.timedelta(days=4))
    assert item_state(decided, due, NOW) == (SlaState.MET, SlaState.MET)
    assert worst(None, None) is None
