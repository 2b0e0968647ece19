"""How dates and values are written for people, in the TUI and the CLI alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from opsdesk.vocabulary import label


def local_date(instant: dt.datetime | None, tz: ZoneInfo) -> str:
    """An instant as the calendar date it falls on in the user's time zone."""
    if instant is None:
        return ""
    return instant.astimezone(tz).date().isoformat()


def local_datetime(instant: dt.datetime | None, tz: ZoneInfo) -> str:
    """An instant as a local date and time, minutes precision."""
    if instant is None:
        return ""
    return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def date_window(start: dt.date | None, end: dt.date | None) -> str | None:
    """An experiment's window, '2026-11-17 → open' (None when it has no dates): the board's
    detail and ``opsdesk experiments show`` write it alike."""
    if not start and not end:
        return None
    return f"{day(start) or '?'} → {day(end) or 'open'}"


def deadline_day(instant: dt.datetime, tz: ZoneInfo) -> str:
    """An SLA deadline as the day it ends: 'end of Mon 30 Nov 2026', in the inbox's detail
    and ``opsdesk feedback show`` alike.

    A deadline is the local midnight that ends its last working day; written as
    "2026-12-01 00:00" it reads as a day later than meant. One that is not a midnight (a
    DST gap can move it) is written as it is.
    """
    local = instant.astimezone(tz)
    if local.time() != dt.time(0):
        return local.strftime("%Y-%m-%d %H:%M")
    return f"end of {local.date() - dt.timedelta(days=1):%a %d %b %Y}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """'1 item', '2 items', '1,204 items': a count with its noun agreeing, as people write it
    (``plural`` where adding an 's' is wrong: 'activity' → 'activities')."""
    return f"{count:,} {noun if count == 1 else (plural or noun + 's')}"


def relative_day(day: dt.date, today: dt.date) -> str:
    """'today', 'tomorrow', 'in 3 days', 'yesterday', '47 days ago': how far a date is,
    said beside it so a typo (a launch moved into the past) shows before it is saved."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {counted(days, 'day')}" if days > 0 else f"{counted(-days, 'day')} ago"


def words(value: object) -> str:
    """An enum or stored value in words: ``churn_risk`` → 'churn risk'."""
    if value is None:
        return ""
    return label(str(getattr(value, "value", value)))


def short_date(instant: dt.datetime | None, tz: ZoneInfo, today: dt.date) -> str:
    """A compact date for list columns: '25 Nov' this year, 'Nov 2025' otherwise."""
    if instant is None:
        return ""
    local = instant.astimezone(tz).date()
    return local.strftime("%d %b") if local.year == today.year else local.strftime("%b %Y")


def either(names: Sequence[str], most: int = 5) -> str:
    """Names quoted, joined by "or", as a "did you mean" offers them: 'A', 'B' or 'C'."""
    quoted = [f"'{name}'" for name in names[:most]]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
