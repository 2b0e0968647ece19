"""Working-day arithmetic, SLA deadlines across DST, and the date expressions people type."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from opsdesk.rules.dates import (
    DateParseError,
    WorkCalendar,
    due_instant,
    is_offset,
    parse_date_expression,
    parse_datetime_expression,
)

TODAY = date(2026, 11, 26)  # a Thursday
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = WorkCalendar()
THANKSGIVING = WorkCalendar(holidays=frozenset({date(2026, 11, 26), date(2026, 11, 27)}))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- WorkCalendar ----------------------------------------------------------------------------


def test_the_default_week_is_monday_to_friday() -> None:
    assert WorkCalendar().working_days == frozenset({0, 1, 2, 3, 4})
    assert WEEKDAYS.is_working_day(date(2026, 11, 27))  # Friday
    assert not WEEKDAYS.is_working_day(date(2026, 11, 28))  # Saturday
    assert not THANKSGIVING.is_working_day(date(2026, 11, 26))


def test_one_working_day_after_friday_is_monday() -> None:
    assert WEEKDAYS.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_weekend_days_move_to_the_next_working_day() -> None:
    assert WEEKDAYS.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert WEEKDAYS.add_working_days(date(2026, 11, 29), -1) == date(2026, 11, 27)


def test_holidays_are_skipped() -> None:
    # Wednesday + 1 jumps Thanksgiving Thursday, the Friday after and the weekend.
    assert THANKSGIVING.add_working_days(date(2026, 11, 25), 1) == date(2026, 11, 30)
    assert THANKSGIVING.add_working_days(date(2026, 11, 25), 2) == date(2026, 12, 1)


def test_negative_counts_go_backwards() -> None:
    assert WEEKDAYS.add_working_days(date(2026, 11, 30), -1) == date(2026, 11, 27)
    assert THANKSGIVING.add_working_days(date(2026, 11, 30), -1) == date(2026, 11, 25)
    assert WEEKDAYS.subtract_working_days(date(2026, 11, 30), 5) == date(2026, 11, 23)
    assert THANKSGIVING.subtract_working_days(date(2026, 11, 30), 1) == date(2026, 11, 25)


def test_zero_returns_the_day_itself_even_on_a_weekend() -> None:
    saturday = date(2026, 11, 28)
    assert WEEKDAYS.add_working_days(saturday, 0) == saturday
    assert THANKSGIVING.add_working_days(date(2026, 11, 26), 0) == date(2026, 11, 26)
    assert WEEKDAYS.subtract_working_days(saturday, 0) == saturday


def test_working_days_between_counts_the_end_but_not_the_start() -> None:
    assert WEEKDAYS.working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1
    assert WEEKDAYS.working_days_between(date(2026, 11, 30), date(2026, 11, 27)) == -1
    assert WEEKDAYS.working_days_between(date(2026, 11, 27), date(2026, 11, 27)) == 0
    assert WEEKDAYS.working_days_between(date(2026, 11, 28), date(2026, 11, 29)) == 0
    assert THANKSGIVING.working_days_between(date(2026, 11, 25), date(2026, 11, 30)) == 1
    assert WEEKDAYS.working_days_between(date(2026, 1, 1), date(2027, 1, 1)) == 261


def brute_force_between(calendar: WorkCalendar, start: date, end: date) -> int:
    sign = 1 if end >= start else -1
    low, high = sorted((start, end))
    days = ((low + timedelta(days=i)) for i in range(1, (high - low).days + 1))
    return sign * sum(1 for day in days if calendar.is_working_day(day))


@pytest.mark.parametrize(
    "calendar",
    [
        WEEKDAYS,
        THANKSGIVING,
        WorkCalendar(working_days=frozenset({6, 0, 1, 2, 3}), holidays=frozenset({TODAY})),
    ],
)
def test_between_agrees_with_counting_day_by_day_and_with_add(calendar: WorkCalendar) -> None:
    base = date(2026, 11, 16)
    for offset in range(0, 21):
        start = base + timedelta(days=offset)
        for span in range(-16, 17):
            end = start + timedelta(days=span)
            count = calendar.working_days_between(start, end)
            assert count == brute_force_between(calendar, start, end), (start, end)
            if span >= 0 and calendar.is_working_day(end):
                assert calendar.add_working_days(start, count) == end, (start, end)


def test_a_calendar_accepts_plain_sets_and_refuses_impossible_weeks() -> None:
    calendar = WorkCalendar(working_days={0, 1}, holidays={TODAY})  # type: ignore[arg-type]
    assert calendar.working_days == frozenset({0, 1})
    assert hash(calendar)
    with pytest.raises(ValueError, match="at least one working day"):
        WorkCalendar(working_days=frozenset())
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        WorkCalendar(working_days=frozenset({7}))


def test_a_non_working_day_is_named_with_why() -> None:
    """The move-date preview and the CLI warn with these words when a launch lands on a day
    the calendar does not work; a working day says nothing."""
    assert WEEKDAYS.non_working_note(date(2027, 1, 10)) == "Sun 2027-01-10 is not a working day"
    assert WEEKDAYS.non_working_note(date(2026, 11, 27)) is None
    assert THANKSGIVING.non_working_note(date(2026, 11, 26)) == (
        "Thu 2026-11-26 is a holiday, not a working day"
    )
    six_days = WorkCalendar(working_days=frozenset(range(6)))
    assert six_days.non_working_note(date(2026, 11, 28)) is None  # a Saturday worked


# --- due_instant -----------------------------------------------------------------------------


def test_due_is_end_of_the_next_working_day_in_the_users_zone() -> None:
    received = datetime(2026, 11, 6, 14, 0, tzinfo=NEW_YORK)  # Friday, EST
    # Monday 9 November ends at Tuesday 00:00 EST = 05:00 UTC.
    assert due_instant(received, 1, WEEKDAYS, NEW_YORK) == utc(2026, 11, 10, 5)


def test_due_across_the_autumn_dst_change_uses_the_new_offset() -> None:
    before = datetime(2026, 10, 26, 14, 0, tzinfo=NEW_YORK)  # Monday, EDT (UTC-4)
    assert due_instant(before, 1, WEEKDAYS, NEW_YORK) == utc(2026, 10, 28, 4)
    received = datetime(2026, 10, 30, 14, 0, tzinfo=NEW_YORK)  # Friday, EDT
    assert received.utcoffset() == timedelta(hours=-4)
    due = due_instant(received, 1, WEEKDAYS, NEW_YORK)
    # Clocks fall back on Sunday 1 November: Monday ends at Tuesday 00:00 EST (UTC-5).
    assert due == utc(2026, 11, 3, 5)
    assert due.astimezone(NEW_YORK) == datetime(2026, 11, 3, 0, 0, tzinfo=NEW_YORK)
    assert due.astimezone(NEW_YORK).utcoffset() == timedelta(hours=-5)


def test_due_at_the_berlin_spring_forward() -> None:
    friday = datetime(2026, 3, 27, 10, 0, tzinfo=BERLIN)  # CET (UTC+1)
    # Clocks spring forward on Sunday 29 March: Monday ends at Tuesday 00:00 CEST (UTC+2).
    assert due_instant(friday, 1, WEEKDAYS, BERLIN) == utc(2026, 3, 30, 22)
    saturday = datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN)
    assert due_instant(saturday, 0, WEEKDAYS, BERLIN) == utc(2026, 3, 28, 23)
    sunday = datetime(2026, 3, 29, 12, 0, tzinfo=BERLIN)
    end_of_sunday = due_instant(sunday, 0, WEEKDAYS, BERLIN)
    assert end_of_sunday == utc(2026, 3, 29, 22)
    assert end_of_sunday - utc(2026, 3, 28, 23) == timedelta(hours=23)  # a 23-hour day


def test_a_midnight_swallowed_by_dst_ends_the_day_at_the_first_instant_after() -> None:
    santiago = ZoneInfo("America/Santiago")
    # Chile springs forward at 00:00 on Sunday 6 September 2026, straight to 01:00 (UTC-3).
    friday = datetime(2026, 9, 4, 9, 0, tzinfo=santiago)
    saturday_end = due_instant(datetime(2026, 9, 5, 9, 0, tzinfo=santiago), 0, WEEKDAYS, santiago)
    assert saturday_end == utc(2026, 9, 6, 4)
    assert saturday_end.astimezone(santiago).hour == 1
    assert due_instant(friday, 1, WEEKDAYS, santiago) == utc(2026, 9, 8, 3)


def test_zero_days_is_the_end_of_the_received_local_day() -> None:
    # 03:00 UTC on the 27th is still the evening of the 26th in New York.
    received = utc(2026, 11, 27, 3)
    assert due_instant(received, 0, WEEKDAYS, NEW_YORK) == utc(2026, 11, 27, 5)
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=NEW_YORK)
    assert due_instant(saturday, 0, WEEKDAYS, NEW_YORK) == utc(2026, 11, 29, 5)


def test_due_skips_holidays_and_returns_utc() -> None:
    received = datetime(2026, 11, 25, 16, 0, tzinfo=NEW_YORK)
    due = due_instant(received, 1, THANKSGIVING, NEW_YORK)
    assert due == utc(2026, 12, 1, 5)
    assert due.tzinfo is UTC


def test_due_takes_a_naive_instant_as_utc_and_refuses_negative_slas() -> None:
    naive = datetime(2026, 11, 27, 3, 0)
    assert due_instant(naive, 0, WEEKDAYS, NEW_YORK) == utc(2026, 11, 27, 5)
    with pytest.raises(ValueError, match="0 or more"):
        due_instant(utc(2026, 11, 27), -1, WEEKDAYS, NEW_YORK)


# --- parse_date_expression -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 27)),
        ("yesterday", date(2026, 11, 25)),
        ("+3d", date(2026, 11, 29)),
        ("-3d", date(2026, 11, 23)),
        ("3d", date(2026, 11, 29)),
        ("+0d", TODAY),
        ("-2w", date(2026, 11, 12)),
        ("+1m", date(2026, 12, 26)),
        ("-1m", date(2026, 10, 26)),
        ("+2y", date(2028, 11, 26)),
        ("+3 days", date(2026, 11, 29)),
        ("in 3 days", date(2026, 11, 29)),
        ("in 2 weeks", date(2026, 12, 10)),
        ("in 1 month", date(2026, 12, 26)),
        ("3 days ago", date(2026, 11, 23)),
        ("1 year ago", date(2025, 11, 26)),
        # A bare weekday: the nearest on or after today (today is a Thursday).
        ("thu", TODAY),
        ("thursday", TODAY),
        ("fri", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("wed", date(2026, 12, 2)),
        ("this fri", date(2026, 11, 27)),
        # next: the first such weekday strictly after today.
        ("next monday", date(2026, 11, 30)),
        ("next fri", date(2026, 11, 27)),
        ("next thu", date(2026, 12, 3)),
        # last: the latest such weekday strictly before today.
        ("last fri", date(2026, 11, 20)),
        ("last thu", date(2026, 11, 19)),
        ("last wednesday", date(2026, 11, 25)),
        # Everything else dateutil reads; a missing year is this year.
        ("1 Dec 2026", date(2026, 12, 1)),
        ("Dec 1", date(2026, 12, 1)),
        ("December 1st, 2027", date(2027, 12, 1)),
        ("12/01/2026", date(2026, 12, 1)),
        ("3", date(2026, 11, 3)),
        # Case and whitespace do not matter.
        ("  TOMORROW ", date(2026, 11, 27)),
        ("Next   Monday", date(2026, 11, 30)),
        ("FRI", date(2026, 11, 27)),
        ("\t+3D\n", date(2026, 11, 29)),
    ],
)
def test_date_expressions(text: str, expected: date) -> None:
    assert parse_date_expression(text, TODAY) == expected


def test_adding_a_month_to_the_31st_lands_on_the_last_day_of_the_month() -> None:
    assert parse_date_expression("+1m", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_date_expression("+1m", date(2028, 1, 31)) == date(2028, 2, 29)


def test_offsets_can_count_from_another_day_and_nothing_else_moves() -> None:
    """A launch on 16 Dec moved '+1w' lands on the 23rd, a week after its date, not a
    week after today; words, weekdays, ISO dates and 'in 3 days' still count from today."""
    planned = date(2026, 12, 16)
    cases = {
        "+1w": date(2026, 12, 23),
        "-3d": date(2026, 12, 13),
        "2 weeks": date(2026, 12, 30),
        "+1m": date(2027, 1, 16),
        "tomorrow": date(2026, 11, 27),
        "fri": date(2026, 11, 27),
        "2027-01-04": date(2027, 1, 4),
        "in 3 days": date(2026, 11, 29),
    }
    for text, expected in cases.items():
        assert parse_date_expression(text, TODAY, offsets_from=planned) == expected, text
    assert [text for text in cases if is_offset(text)] == ["+1w", "-3d", "2 weeks", "+1m"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "blah",
        "next",
        "next blursday",
        "last week",
        "+3x",
        "+d",
        "in days",
        "10:00",
        "Dec",
        "2027",
        "2026-02-30",
        "2026-13-01",
        "+99999y",
        "99999999d",
        "99999999999999999999",
        "tomorrow 9am",
        "[red]fri[/]",
        "\x1b[2Jfri",
    ],
)
def test_garbage_raises_date_parse_error_naming_the_text(text: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_date_expression(text, TODAY)
    assert isinstance(caught.value, ValueError)
    assert f"'{text.strip()}' is not a date" in str(caught.value)
    assert "next monday" in str(caught.value)
    assert caught.value.text == text.strip()


@pytest.mark.parametrize("text", ["2027-01-03-02", "1 Dec 2026 10:00", "Dec 1 3pm"])
def test_a_day_with_a_time_is_refused_not_cut_to_its_day(text: str) -> None:
    """dateutil reads the slip '2027-01-03-02' as 02:00 on 3 Jan; a date field took the 3rd
    without a word. A time in a field that holds a day is refused, saying why."""
    with pytest.raises(DateParseError, match=r"has a time in it: this field takes a day"):
        parse_date_expression(text, TODAY)


def test_a_huge_paste_gives_a_short_message() -> None:
    text = "x" * 1_000_000
    with pytest.raises(DateParseError) as caught:
        parse_date_expression(text, TODAY)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "3000-01-01", "+1000y"])
def test_days_beyond_what_anyone_plans_are_refused(text: str) -> None:
    """9999-12-31 ('TBD') was accepted, and the timeline's week arithmetic then overflowed
    on every start: a launch there stopped the app opening."""
    with pytest.raises(DateParseError, match="is outside the dates opsdesk plans with"):
        parse_date_expression(text, TODAY)
    with pytest.raises(DateParseError, match="is outside the dates opsdesk plans with"):
        parse_datetime_expression(text, utc(2026, 11, 26, 15), ZoneInfo("Europe/Berlin"))
    assert parse_date_expression("2999-12-31", TODAY) == date(2999, 12, 31)


# --- parse_datetime_expression ---------------------------------------------------------------

NOW = utc(2026, 11, 26, 15, 30, 12)  # 10:30:12 in New York (EST, UTC-5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("today", NOW),
        ("tomorrow", utc(2026, 11, 27, 15, 30, 12)),
        ("+3d", utc(2026, 11, 29, 15, 30, 12)),
        ("fri", utc(2026, 11, 27, 15, 30, 12)),
        ("2026-12-01", utc(2026, 12, 1, 15, 30, 12)),
        ("Dec 1", utc(2026, 12, 1, 15, 30, 12)),
        ("tomorrow 9am", utc(2026, 11, 27, 14)),
        ("fri at 14:30", utc(2026, 11, 27, 19, 30)),
        ("+2d 09:00", utc(2026, 11, 28, 14)),
        ("next monday 12pm", utc(2026, 11, 30, 17)),
        ("today 12am", utc(2026, 11, 26, 5)),
        ("2026-12-01T10:00Z", utc(2026, 12, 1, 10)),
        ("2026-12-01T10:00:00+01:00", utc(2026, 12, 1, 9)),
        ("2026-12-01 10:00", utc(2026, 12, 1, 15)),
        ("Dec 1 10:00", utc(2026, 12, 1, 15)),
        ("Dec 1 2026 10:00 UTC", utc(2026, 12, 1, 10)),
        ("3pm", utc(2026, 11, 26, 20)),
        ("  Tomorrow  9AM ", utc(2026, 11, 27, 14)),
    ],
)
def test_datetime_expressions(text: str, expected: datetime) -> None:
    result = parse_datetime_expression(text, NOW, NEW_YORK)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


def test_a_date_keeps_the_local_time_of_day_across_a_dst_change() -> None:
    now = utc(2026, 10, 30, 14)  # Friday 10:00 EDT
    # Monday 2 November 10:00 is EST now, so 15:00 UTC rather than 14:00.
    assert parse_datetime_expression("+3d", now, NEW_YORK) == utc(2026, 11, 2, 15)
    assert parse_datetime_expression("next mon", now, NEW_YORK) == utc(2026, 11, 2, 15)


def test_today_is_the_users_local_day() -> None:
    now = utc(2026, 11, 27, 3)  # still the 26th, 22:00, in New York
    assert parse_datetime_expression("today", now, NEW_YORK) == now
    assert parse_datetime_expression("tomorrow", now, NEW_YORK) == utc(2026, 11, 28, 3)
    assert parse_datetime_expression("today 9am", now, NEW_YORK) == utc(2026, 11, 26, 14)
    assert parse_datetime_expression("tomorrow", now, BERLIN) == utc(2026, 11, 28, 3)


def test_a_naive_now_is_utc() -> None:
    naive = datetime(2026, 11, 26, 15, 30, 12)
    assert parse_datetime_expression("+1d", naive, NEW_YORK) == utc(2026, 11, 27, 15, 30, 12)


@pytest.mark.parametrize(
    "text", ["", "blah", "today 25:00", "tomorrow 13pm", "garbage 9am", "Dec 10:00", "+3x"]
)
def test_garbage_datetimes_raise_date_parse_error(text: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_datetime_expression(text, NOW, NEW_YORK)
    assert f"'{text.strip()}' is not a date or time" in str(caught.value)
