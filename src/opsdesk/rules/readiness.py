"""Which readiness work a launch needs, and when each piece is due.

A launch tier maps to a template of functions (legal, security, docs, ...) each needing a lead
time in working days before launch day. These rules turn a template into dated items, re-plan
the open items when a launch slips, and spot the items that can no longer be done in time.
Pure: the calendar and "today" are passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from opsdesk.models import ReadinessItem
from opsdesk.rules.dates import WorkCalendar
from opsdesk.vocabulary import ReadinessState

__all__ = [
    "CLOSED_STATES",
    "TemplateItem",
    "is_open",
    "no_longer_possible",
    "schedule_readiness",
    "shift_open_items",
]

CLOSED_STATES: frozenset[ReadinessState] = frozenset(
    {ReadinessState.DONE, ReadinessState.NOT_APPLICABLE}
)
"""States whose due date is history: re-planning leaves them alone and they are never late."""


@dataclass(frozen=True)
class TemplateItem:
    """One line of a tier's readiness template: who must do what, how long before launch."""

    function: str
    title: str
    owner_role: str | None
    lead_days: int


def is_open(item: ReadinessItem) -> bool:
    """True while the item still needs doing (todo, in progress or blocked)."""
    return item.state not in CLOSED_STATES


def schedule_readiness(
    launch_date: date, template: Sequence[TemplateItem], calendar: WorkCalendar
) -> list[ReadinessItem]:
    """Dated, not-yet-saved readiness items for a launch on ``launch_date``.

    Each item is due ``lead_days`` working days before launch day, so a 2-day lead for a
    Monday launch lands on the Thursday before, not on the weekend. Items come back sorted by
    due date, then function, which is the order a checklist is worked through. ``launch_id``
    is left ``None`` for the store to fill in when it saves the launch.
    """
    items = [
        ReadinessItem(
            launch_id=None,
            function=line.function,
            title=line.title,
            owner_role=line.owner_role,
            lead_days=line.lead_days,
            due_date=calendar.subtract_working_days(launch_date, line.lead_days),
            state=ReadinessState.TODO,
        )
        for line in template
    ]
    return sorted(items, key=lambda item: (item.due_date, item.function))


def shift_open_items(
    items: Sequence[ReadinessItem], old_date: date, new_date: date, calendar: WorkCalendar
) -> list[ReadinessItem]:
    """Re-plan a launch's readiness after it moves from ``old_date`` to ``new_date``.

    Returns copies, in the same order: each open item is due again ``lead_days`` working days
    before ``new_date``; done and not-applicable items keep the date they had, because that
    is when the work was due and the record should say so. The inputs are not modified.

    ``old_date`` is not needed for the arithmetic (every due date is recomputed from the new
    launch date); it is taken so the caller states the move it is making, and when the launch
    did not move at all nothing is recomputed, so a hand-edited due date survives a save that
    changed something else.
    """
    if old_date == new_date:
        return [item.model_copy() for item in items]
    shifted: list[ReadinessItem] = []
    for item in items:
        if is_open(item):
            due = calendar.subtract_working_days(new_date, item.lead_days)
            shifted.append(item.model_copy(update={"due_date": due}))
        else:
            shifted.append(item.model_copy())
    return shifted


def no_longer_possible(item: ReadinessItem, today: date) -> bool:
    """True when an open item's due date has already passed.

    Due today is still possible, so this turns true only the day after. Done and
    not-applicable items are never flagged, however old their due date.
    """
    return is_open(item) and item.due_date < today
