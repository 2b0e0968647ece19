"""What a launch's status still allows: the gates the timeline and the command line share.

A go/no-go decision is the gate before launch day: it says whether a launch still to land
(planned, in progress or slipped) goes ahead, with a snapshot of its readiness then. Once a
launch has launched, or was cancelled, there is nothing left to decide; a decision recorded
then would read, in the launch brief and its history, as if the launch had been gated. These
rules say so in one place, so the TUI (which asks before opening the form) and the service
(which every writer goes through, the CLI included) refuse with the same sentence. The same
holds for moving a launch's date: once it launched or was cancelled, its date is history.
And a new launch still to land cannot be dated in the past: it would arrive with every
readiness item overdue, on Today as a launch at risk, for what is most often a typo
('2025-12-01' for '2026-12-01', 'mon' meant as next Monday). Nor can a launch be moved to a
day that has passed: a slip re-plans work still to do, and every open item would land
overdue and 'no longer possible' (a launch that went out early is marked launched).

Pure: no store, no clock, no Textual.
"""

from __future__ import annotations

import datetime as dt

from opsdesk.vocabulary import LaunchStatus

__all__ = ["decision_refusal", "new_date_refusal", "slip_date_refusal", "slip_refusal"]

_STILL_TO_LAND = frozenset({LaunchStatus.PLANNED, LaunchStatus.IN_PROGRESS, LaunchStatus.SLIPPED})

_CLOSED_DECISION_REASONS: dict[LaunchStatus, str] = {
    LaunchStatus.LAUNCHED: (
        "the launch has already launched: a go/no-go is decided before launch day"
    ),
    LaunchStatus.CANCELLED: (
        "the launch is cancelled: there is no go/no-go to decide "
        "(set its status back to planned if it is on again)"
    ),
}


def decision_refusal(status: LaunchStatus) -> str | None:
    """Why a go/no-go cannot be recorded on a launch in ``status``, or None when it can.

    A sentence rather than a bool, so every caller shows the person the same reason.
    """
    return _CLOSED_DECISION_REASONS.get(LaunchStatus(status))


def slip_refusal(status: LaunchStatus) -> str | None:
    """Why a launch in ``status`` cannot be moved to another date, or None when it can."""
    status = LaunchStatus(status)
    if status in _CLOSED_DECISION_REASONS:
        return f"the launch is {status.value}: its date is history"
    return None


def new_date_refusal(launch_date: dt.date, today: dt.date, status: LaunchStatus) -> str | None:
    """Why a new launch in ``status`` cannot be dated ``launch_date``, or None when it can.

    Only a launch still to land is refused a past date; recording one that has launched (or
    was cancelled) on its real date stays possible for scripts that keep the history.
    """
    if LaunchStatus(status) in _STILL_TO_LAND and launch_date < today:
        return f"{launch_date:%a %d %b %Y} has passed: a new launch is planned for today or later"
    return None


def slip_date_refusal(new_date: dt.date, today: dt.date) -> str | None:
    """Why a launch still to land cannot be moved to ``new_date``, or None when it can.

    A day before today is refused: the slip would re-plan every open item into the past.
    A launch that really went out on an earlier day is marked launched instead (its date
    then stays where it was planned, which the slips and history keep).
    """
    if new_date < today:
        return (
            f"{new_date:%a %d %b %Y} has passed: move the launch to today or later "
            "(one that went out already is marked launched, not moved)"
        )
    return None
