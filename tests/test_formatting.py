"""How counts and dates are written for people (``opsdesk.formatting``)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from opsdesk.formatting import counted, local_date, relative_day


def test_counted_agrees_the_noun_with_the_count() -> None:
    assert counted(1, "item") == "1 item"
    assert counted(0, "item") == "0 items"
    assert counted(2, "feedback item") == "2 feedback items"
    assert counted(12_345, "row") == "12,345 rows"
    assert counted(1, "launch", "launches") == "1 launch"
    assert counted(3, "launch", "launches") == "3 launches"


def test_local_date_is_the_day_in_the_users_zone() -> None:
    late = dt.datetime(2026, 11, 26, 23, 30, tzinfo=dt.UTC)
    assert local_date(late, ZoneInfo("Europe/Berlin")) == "2026-11-27"
    assert local_date(None, ZoneInfo("UTC")) == ""


def test_relative_day_says_how_far_a_date_is() -> None:
    today = dt.date(2026, 11, 26)
    assert relative_day(today, today) == "today"
    assert relative_day(dt.date(2026, 11, 27), today) == "tomorrow"
    assert relative_day(dt.date(2026, 11, 25), today) == "yesterday"
    assert relative_day(dt.date(2026, 12, 17), today) == "in 21 days"
    assert relative_day(dt.date(2026, 10, 10), today) == "47 days ago"
