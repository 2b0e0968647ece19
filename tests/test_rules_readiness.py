"""Readiness schedules from a template, re-planning after a slip, and items past saving."""

from __future__ import annotations

from datetime import date

from opsdesk.models import ReadinessItem
from opsdesk.rules.dates import WorkCalendar
from opsdesk.rules.readiness import (
    TemplateItem,
    is_open,
    no_longer_possible,
    schedule_readiness,
    shift_open_items,
)
from opsdesk.vocabulary import ReadinessState

LAUNCH = date(2026, 12, 7)  # a Monday
HOLIDAY = date(2026, 12, 3)  # the Thursday before it
CALENDAR = WorkCalendar(holidays=frozenset({HOLIDAY}))

TEMPLATE = (
    TemplateItem("support", "Support runbook", "support_lead", 0),
    TemplateItem("sales", "Sales talk track", None, 2),
    TemplateItem("legal", "Legal sign-off", "counsel", 10),
    TemplateItem("docs", "Public docs", "tech_writer", 2),
    TemplateItem("security", "Security review", "security", 5),
)


def item(function: str, due: date, state: ReadinessState, lead_days: int) -> ReadinessItem:
    return ReadinessItem(
        launch_id=1,
        function=function,
        title=function.title(),
        lead_days=lead_days,
        due_date=due,
        state=state,
    )


def test_schedule_counts_working_days_back_over_weekends_and_holidays() -> None:
    items = schedule_readiness(LAUNCH, TEMPLATE, CALENDAR)
    due = {entry.function: entry.due_date for entry in items}
    assert due == {
        "support": LAUNCH,  # no lead time: launch day itself
        # Mon 7 -> Fri 4 -> (Thu 3 is a holiday) -> Wed 2.
        "sales": date(2026, 12, 2),
        "docs": date(2026, 12, 2),
        # Fri 4, Wed 2, Tue 1, Mon 30, Fri 27: the weekend is skipped too.
        "security": date(2026, 11, 27),
        "legal": date(2026, 11, 20),
    }


def test_schedule_is_sorted_by_due_date_then_function_and_fully_filled_in() -> None:
    items = schedule_readiness(LAUNCH, TEMPLATE, CALENDAR)
    assert [entry.function for entry in items] == ["legal", "security", "docs", "sales", "support"]
    legal = items[0]
    assert legal.launch_id is None
    assert legal.title == "Legal sign-off"
    assert legal.owner_role == "counsel"
    assert legal.lead_days == 10
    assert all(entry.state is ReadinessState.TODO for entry in items)
    assert items[3].owner_role is None


def test_a_one_day_lead_before_a_monday_launch_is_the_friday() -> None:
    template = [TemplateItem("docs", "Docs", None, 1)]
    [docs] = schedule_readiness(LAUNCH, template, WorkCalendar())
    assert docs.due_date == date(2026, 12, 4)


def test_an_empty_template_schedules_nothing() -> None:
    assert schedule_readiness(LAUNCH, [], CALENDAR) == []


def test_shift_moves_open_items_only() -> None:
    old_due = date(2026, 12, 2)
    items = [
        item("legal", old_due, ReadinessState.TODO, 2),
        item("security", old_due, ReadinessState.IN_PROGRESS, 2),
        item("sales", old_due, ReadinessState.BLOCKED, 2),
        item("docs", old_due, ReadinessState.DONE, 2),
        item("marketing", old_due, ReadinessState.NOT_APPLICABLE, 2),
    ]
    new_launch = date(2026, 12, 14)  # slips a week
    shifted = shift_open_items(items, LAUNCH, new_launch, CALENDAR)
    assert [entry.function for entry in shifted] == [entry.function for entry in items]
    assert {entry.function: entry.due_date for entry in shifted} == {
        "legal": date(2026, 12, 10),
        "security": date(2026, 12, 10),
        "sales": date(2026, 12, 10),
        "docs": old_due,
        "marketing": old_due,
    }
    # Copies: the caller's items are untouched, and the states carry over.
    assert all(entry.due_date == old_due for entry in items)
    assert all(new is not old for new, old in zip(shifted, items, strict=True))
    assert [entry.state for entry in shifted] == [entry.state for entry in items]


def test_shift_recomputes_from_lead_days_and_the_new_calendar() -> None:
    # Launch pulled earlier, onto a week with a holiday: Mon 7 minus 2 skips Thu 3.
    items = [item("legal", date(2026, 12, 10), ReadinessState.TODO, 2)]
    [legal] = shift_open_items(items, date(2026, 12, 14), LAUNCH, CALENDAR)
    assert legal.due_date == date(2026, 12, 2)


def test_shift_to_the_same_date_keeps_hand_edited_due_dates() -> None:
    items = [item("legal", date(2026, 11, 2), ReadinessState.TODO, 2)]
    [legal] = shift_open_items(items, LAUNCH, LAUNCH, CALENDAR)
    assert legal.due_date == date(2026, 11, 2)
    assert legal is not items[0]


def test_no_longer_possible_turns_true_the_day_after_the_due_date() -> None:
    due = date(2026, 11, 26)
    todo = item("legal", due, ReadinessState.TODO, 0)
    assert not no_longer_possible(todo, date(2026, 11, 25))
    assert not no_longer_possible(todo, due)  # due today: still possible
    assert no_longer_possible(todo, date(2026, 11, 27))
    assert no_longer_possible(item("legal", due, ReadinessState.BLOCKED, 0), date(2026, 11, 27))
    assert no_longer_possible(item("legal", due, ReadinessState.IN_PROGRESS, 0), date(2026, 11, 27))


def test_closed_items_are_never_too_late() -> None:
    due = date(2026, 1, 1)
    for state in (ReadinessState.DONE, ReadinessState.NOT_APPLICABLE):
        closed = item("legal", due, state, 0)
        assert not is_open(closed)
        assert not no_longer_possible(closed, date(2026, 11, 26))
