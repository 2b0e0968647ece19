"""Working-day arithmetic and the date expressions people type.

Everything here is pure: the current day or instant is always passed in, so the same input
gives the same answer in a test and at 23:59 on New Year's Eve. Deadlines are built in the
user's own time zone with :mod:`zoneinfo`, because "end of Friday" means the user's Friday,
and a DST change must not move it by an hour.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "DateParseError",
    "WorkCalendar",
    "due_instant",
    "parse_date_expression",
    "parse_datetime_expression",
]

MONDAY_TO_FRIDAY: frozenset[int] = frozenset({0, 1, 2, 3, 4})
"""Python weekday numbers (Monday is 0) of the usual working week."""


@dataclass(frozen=True)
class WorkCalendar:
    """Which days count as working days: a set of weekdays minus a set of holidays.

    Lead times ("legal needs 10 working days") and SLAs are counted in working days, so a
    launch on a Monday does not expect security to review over the weekend.
    """

    working_days: frozenset[int] = field(default=MONDAY_TO_FRIDAY)
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Accept any iterable (a config file gives lists) but keep the instance hashable.
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if not self.working_days:
            # Without a single working day every count would loop forever.
            raise ValueError("a work calendar needs at least one working day")
        bad = sorted(day for day in self.working_days if day not in range(7))
        if bad:
            raise ValueError(f"working days are weekday numbers 0 (Monday) to 6, not {bad}")

    def is_working_day(self, day: date) -> bool:
        """True when ``day`` falls on a working weekday and is not a holiday."""
        return day.weekday() in self.working_days and day not in self.holidays

    def add_working_days(self, day: date, n: int) -> date:
        """The date ``n`` working days after ``day`` (before it when ``n`` is negative).

        ``day`` itself is never counted, so +1 from a Friday is the next Monday, and -1 from
        a Monday is the previous Friday. ``n == 0`` returns ``day`` unchanged even when it is
        a weekend or holiday: "zero days of lead time" means the day itself.
        """
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def non_working_note(self, day: date) -> str | None:
        """Why ``day`` is not a working day, in words ('Sun 2027-01-10 is not a working
        day'; a configured holiday says 'is a holiday'); None on a working day.

        Moving a launch onto a weekend or a holiday is allowed (launches sometimes go out on
        a Sunday) but should never happen unnoticed: the move preview and the CLI's move
        output both say it with these words.
        """
        if self.is_working_day(day):
            return None
        named = f"{day:%a} {day.isoformat()}"
        if day in self.holidays and day.weekday() in self.working_days:
            return f"{named} is a holiday, not a working day"
        return f"{named} is not a working day"

    def subtract_working_days(self, day: date, n: int) -> date:
        """The date ``n`` working days before ``day``; the mirror of :meth:`add_working_days`."""
        return self.add_working_days(day, -n)

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days ``d`` satisfy ``start < d <= end``; negative if ``end < start``.

        Counted by whole weeks plus a remainder, so an SLA report over years of feedback stays
        cheap. For a working ``end`` after ``start``, ``add_working_days(start, result) == end``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        span = (end - start).days
        full_weeks, rest = divmod(span, 7)
        first = start.weekday()
        count = full_weeks * len(self.working_days)
        count += sum(1 for i in range(1, rest + 1) if (first + i) % 7 in self.working_days)
        count -= sum(
            1
            for holiday in self.holidays
            if start < holiday <= end and holiday.weekday() in self.working_days
        )
        return count


def due_instant(
    received: datetime, working_days: int, calendar: WorkCalendar, tz: ZoneInfo
) -> datetime:
    """The UTC instant a response is due: the end of the Nth working day after ``received``.

    Days are counted in the user's zone ``tz``: ``received`` is converted to ``tz``, its local
    date is moved on by ``working_days`` working days, and the deadline is the local midnight
    that ends that day. With ``working_days == 0`` the deadline is the end of the day the item
    arrived, whatever kind of day that was. Midnight is built by zoneinfo, so a 23- or 25-hour
    day around a DST change ends at the right instant; where a DST gap swallows midnight the
    day ends at the first instant of the next day.

    A naive ``received`` is taken to be UTC, as the models store it.
    """
    if working_days < 0:
        raise ValueError("an SLA is 0 or more working days")
    if received.tzinfo is None:
        received = received.replace(tzinfo=UTC)
    local_day = received.astimezone(tz).date()
    last_day = calendar.add_working_days(local_day, working_days)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    return end.astimezone(UTC)


class DateParseError(ValueError):
    """Text that is not a date (or time) we understand; the message says what would work."""

    def __init__(self, text: str, *, with_time: bool = False, reason: str | None = None) -> None:
        self.text = text
        shown = text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"
        if reason:
            message = f"'{shown}' {reason}"
        elif with_time:
            message = f"'{shown}' is not a date or time: try {_DATETIME_HINT}"
        else:
            message = f"'{shown}' is not a date: try {_DATE_HINT}"
        super().__init__(message)


EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)
"""The days a person can type. Beyond them is a placeholder or a typo (9999-12-31 for
"TBD", 0001-01-01), and week and working-day arithmetic near the calendar's own ends
overflows: refused here, once, rather than crashing the timeline later."""


def _within_range(day: date, raw: str) -> date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise DateParseError(
            raw,
            reason=(
                f"is outside the dates opsdesk plans with ({EARLIEST_DAY.isoformat()} to "
                f"{LATEST_DAY.isoformat()})"
            ),
        )
    return day


_SHOWN_CHARS = 60
"""Longest piece of the offending text repeated in an error, so a paste can't flood a toast."""

_MAX_INPUT = 100
"""Longest text tried as a date at all; nobody types a date this long."""

_DATE_HINT = "2026-12-01, today, yesterday, +3d, -2w, fri or next monday"
_DATETIME_HINT = "2026-12-01 09:30, now, tomorrow 9am, +3d, fri or next monday"

_WEEKDAYS: dict[str, int] = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip

_UNITS: dict[str, str] = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "mon": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
}  # fmt: skip

_UNIT = r"(?P<unit>[a-z]+)"
_SIGNED_RE = re.compile(r"(?P<sign>[+-]?)\s*(?P<count>\d{1,6})\s*" + _UNIT)
_IN_RE = re.compile(r"in\s+(?P<count>\d{1,6})\s*" + _UNIT)
_AGO_RE = re.compile(r"(?P<count>\d{1,6})\s*" + _UNIT + r"\s+ago")
_WEEKDAY_RE = re.compile(r"(?:(?P<which>this|next|last)\s+)?(?P<day>[a-z]+)")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_RE = re.compile(
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*(?P<ampm>am|pm)?"
)
_WITH_TIME_RE = re.compile(
    r"(?P<day>.+?)\s+(?:at\s+)?(?P<time>\d{1,2}(?::\d{2}){0,2}\s*(?:am|pm)?)"
)


def _normalise(text: str) -> str:
    """Lower case, trimmed, runs of whitespace as one space: how every form is matched."""
    return " ".join(text.split()).lower()


def is_offset(text: str) -> bool:
    """True when ``text`` is a signed offset (``+1w``, ``-3d``, ``2m``): the form that
    ``offsets_from`` moves off today. 'in 3 days', '3 days ago' and words are not."""
    match = _SIGNED_RE.fullmatch(_normalise(text))
    return bool(match and match["unit"] in _UNITS)


def _shortcut_date(text: str, today: date, offsets_from: date | None = None) -> date | None:
    """Resolve the forms opsdesk defines itself; ``None`` when ``text`` is none of them.

    ``text`` is already normalised. A signed offset counts from ``offsets_from`` when given
    (see :func:`parse_date_expression`). May raise ``OverflowError``/``ValueError`` for a
    relative offset that leaves the calendar; callers turn that into a DateParseError.
    """
    if text in ("today", "now"):
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    if text == "yesterday":
        return today - timedelta(days=1)
    if _ISO_DATE_RE.fullmatch(text):
        return date.fromisoformat(text)
    for pattern, sign in ((_SIGNED_RE, None), (_IN_RE, 1), (_AGO_RE, -1)):
        match = pattern.fullmatch(text)
        if match and match["unit"] in _UNITS:
            if sign is None:
                sign = -1 if match["sign"] == "-" else 1
            from dateutil.relativedelta import relativedelta  # on first use: start-up skips it

            offset = relativedelta(**{_UNITS[match["unit"]]: sign * int(match["count"])})
            base = offsets_from if pattern is _SIGNED_RE and offsets_from is not None else today
            return base + offset
    match = _WEEKDAY_RE.fullmatch(text)
    if match and match["day"] in _WEEKDAYS:
        target = _WEEKDAYS[match["day"]]
        ahead = (target - today.weekday()) % 7
        which = match["which"]
        if which == "last":
            return today - timedelta(days=(today.weekday() - target) % 7 or 7)
        if which == "next":
            return today + timedelta(days=ahead or 7)
        return today + timedelta(days=ahead)
    return None


_PROBE_A = datetime(2000, 1, 1, 0, 0, 0, 0)
_PROBE_B = datetime(2004, 3, 2, 1, 1, 1, 1)
"""Two defaults that differ in every field (both leap years, both 31-day months).

Parsing the same text against both shows which fields the text itself supplied: those come
out equal, the ones filled from the default differ.
"""


def _dateutil(text: str, default: datetime) -> tuple[datetime, set[str]]:
    """Parse with dateutil against ``default``; also return the fields the text supplied.

    Raises ValueError (dateutil's ParserError is one) or OverflowError on text it refuses.
    Other exceptions dateutil has been known to leak on odd input are folded into ValueError
    so that nothing but a DateParseError ever reaches the user.
    """
    from dateutil.parser import parse as _dateutil_parse  # on first use: start-up skips it

    with warnings.catch_warnings():
        # An unknown zone name ("10:00 XYZ") warns and parses naive; we treat it as local.
        warnings.simplefilter("ignore")
        try:
            result = _dateutil_parse(text, default=default)
            probe_a = _dateutil_parse(text, default=_PROBE_A)
            probe_b = _dateutil_parse(text, default=_PROBE_B)
        except (ValueError, OverflowError):
            raise
        except Exception as error:  # see docstring
            raise ValueError(str(error)) from error
    names = ("year", "month", "day", "hour", "minute", "second", "microsecond")
    given = {name for name in names if getattr(probe_a, name) == getattr(probe_b, name)}
    return result, given


def parse_date_expression(text: str, today: date, *, offsets_from: date | None = None) -> date:
    """Turn what a person typed into a date, relative to ``today``.

    ``offsets_from`` moves the signed offsets (``+1w``, ``-3d``, ``2m``) off another day:
    moving a launch '+1w' means a week later than it was planned, not a week from today.
    Everything else (words, weekdays, dates, 'in 3 days') keeps its meaning.

    Accepted, case-insensitive, surrounding whitespace ignored:

    - ISO dates: ``2026-12-01``.
    - ``today``, ``tomorrow``, ``yesterday``.
    - Offsets: ``+3d``, ``-2w``, ``+1m`` (calendar months; Jan 31 + 1m is the last day of
      February), ``+2y``; without a sign (``3d``) the offset is forward. Units may be
      spelled out (``+3 days``), and ``in 3 days`` / ``3 days ago`` work too.
    - Weekdays, full or abbreviated (``fri``, ``friday``): the nearest such day on or after
      ``today``, so ``thu`` on a Thursday is today. ``this fri`` is the same.
      ``next fri`` is the first Friday strictly after today (on a Thursday, tomorrow);
      ``last fri`` is the latest Friday strictly before today.
    - Anything else dateutil reads as a date (``1 Dec 2026``, ``Dec 1``, ``12/01/2026``,
      which is month first; a bare ``3`` is the 3rd of this month), with a missing month or
      year taken from ``today``. Text with no day in it (``10:00``, ``Dec``, ``2027``) is
      refused: it names no particular day; so is a day with a time (``2027-01-03-02``,
      which dateutil reads as 02:00).

    Raises :class:`DateParseError`, and nothing else, for empty text, garbage or a date
    outside the calendar.
    """
    raw = text.strip()
    normal = _normalise(text)
    if not normal or len(normal) > _MAX_INPUT:
        raise DateParseError(raw)
    try:
        found = _shortcut_date(normal, today, offsets_from)
        if found is not None:
            return _within_range(found, raw)
        result, given = _dateutil(raw, datetime.combine(today, time()))
    except DateParseError:
        raise
    except (ValueError, OverflowError):
        raise DateParseError(raw) from None
    if "day" not in given:
        # A bare time ("10:00"), year ("2027") or month ("Dec") names no particular day.
        raise DateParseError(raw)
    if given & {"hour", "minute", "second", "microsecond"}:
        # dateutil reads a slip such as "2027-01-03-02" as 02:00 on 3 Jan: a date field
        # would quietly take the 3rd. A day with a time in a field that holds a day is
        # more likely a typo than a wish, so it is refused rather than cut.
        raise DateParseError(raw, reason="has a time in it: this field takes a day")
    return _within_range(result.date(), raw)


def _parse_clock(text: str) -> time | None:
    """Read ``9``, ``9am``, ``14:30``, ``2:30pm`` or ``14:30:15``; ``None`` if not a time.

    A bare number only counts with am/pm, so "in 3" is never mistaken for three o'clock.
    """
    match = _TIME_RE.fullmatch(text)
    if not match or (match["minute"] is None and match["ampm"] is None):
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    second = int(match["second"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _local(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time on ``day`` in ``tz``, as UTC.

    zoneinfo picks the first of two repeated times, and moves a time inside a DST gap
    forward by the size of the gap (02:30 on spring-forward day is 03:30).
    """
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def parse_datetime_expression(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """Turn what a person typed into a UTC instant, relative to ``now`` in their zone ``tz``
    (see :func:`_datetime_expression`); a day outside :data:`EARLIEST_DAY` to
    :data:`LATEST_DAY` is refused as :func:`parse_date_expression` refuses it."""
    instant = _datetime_expression(text, now, tz)
    _within_range(instant.astimezone(tz).date(), text.strip())
    return instant


def _datetime_expression(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """Turn what a person typed into a UTC instant, relative to ``now`` in their zone ``tz``.

    - Every form :func:`parse_date_expression` accepts means that local date at the local
      time of day ``now`` has: "+3d" is three days from this moment.
    - ``now`` is ``now`` itself.
    - A date form followed by a time, optionally joined by "at": ``tomorrow 9am``,
      ``fri at 14:30``, ``+2d 09:00``.
    - ISO datetimes: with an offset or ``Z`` they mean exactly that instant; without one
      they are the user's local time.
    - Anything else dateutil reads (``Dec 1 10:00``, ``3pm``): parts it names replace those of
      the local ``now``; if it names a time, the seconds it leaves out are zero. A zone
      dateutil does not know is ignored and the time taken as local.

    The result is always aware and in UTC. A naive ``now`` is taken to be UTC.
    Raises :class:`DateParseError`, and nothing else, on text it cannot read.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    local_now = now.astimezone(tz)
    today = local_now.date()
    clock_now = local_now.time()
    raw = text.strip()
    normal = _normalise(text)
    if not normal or len(normal) > _MAX_INPUT:
        raise DateParseError(raw, with_time=True)
    if normal == "now":
        return now.astimezone(UTC)
    try:
        found = _shortcut_date(normal, today)
        if found is not None:
            return _local(found, clock_now, tz)
        split = _WITH_TIME_RE.fullmatch(normal)
        if split:
            day = _shortcut_date(split["day"], today)
            clock = _parse_clock(split["time"])
            if day is not None and clock is not None:
                return _local(day, clock, tz)
        iso = _iso_datetime(raw)
        if iso is not None:
            if iso.tzinfo is None:
                return _local(iso.date(), iso.time(), tz)
            return iso.astimezone(UTC)
        result, given = _dateutil(raw, local_now.replace(tzinfo=None))
    except (ValueError, OverflowError):
        raise DateParseError(raw, with_time=True) from None
    if not given or (given & {"year", "month"} and "day" not in given):
        # Nothing readable, or a month or year with no day in it ("Dec 10:00").
        raise DateParseError(raw, with_time=True)
    if given & {"hour", "minute", "second", "microsecond"}:
        # A named time: what it leaves out is zero, not whatever second it is now.
        clock = time(
            result.hour,
            result.minute if "minute" in given else 0,
            result.second if "second" in given else 0,
            result.microsecond if "microsecond" in given else 0,
        )
    else:
        clock = clock_now
    if result.tzinfo is not None:
        aware = datetime.combine(result.date(), clock, tzinfo=result.tzinfo)
        return aware.astimezone(UTC)
    return _local(result.date(), clock, tz)


def _iso_datetime(text: str) -> datetime | None:
    """An ISO 8601 datetime such as ``2026-12-01T09:30:00+01:00``; ``None`` if not one."""
    if not re.match(r"\d{4}-?\d{2}-?\d{2}[ tT]", text):
        return None
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError:
        return None


def as_utc(value: datetime | None) -> datetime | None:
    """Store instants in UTC; a naive datetime is taken to already be UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
