"""The experiment board's columns, what each column demands, and the dates it stamps.

An experiment may only start running once it says when it starts and what it measures, and
may only be concluded with a result, a decision and what was learned: otherwise the board
fills with work nobody can read back later. These guards are checked on every move (and after
every edit, so a running experiment cannot lose its metric). Moving stamps the actual start
and end from the day passed in.

Pure: no store, no clock; ``today`` is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from opsdesk.vocabulary import ExperimentDecision, ExperimentStatus

if TYPE_CHECKING:
    from opsdesk.models import Experiment

__all__ = [
    "BOARD_COLUMNS",
    "GuardError",
    "Requirement",
    "check_move",
    "check_state",
    "describe_missing",
    "neighbour",
    "stamps",
]

BOARD_COLUMNS: tuple[ExperimentStatus, ...] = (
    ExperimentStatus.IDEA,
    ExperimentStatus.DESIGNING,
    ExperimentStatus.RUNNING,
    ExperimentStatus.ANALYZING,
    ExperimentStatus.CONCLUDED,
)
"""The board's columns, left to right; abandoned work sits in a column shown on request."""

_RAN: frozenset[ExperimentStatus] = frozenset(
    {ExperimentStatus.ANALYZING, ExperimentStatus.CONCLUDED}
)
_NOT_STARTED: frozenset[ExperimentStatus] = frozenset(
    {ExperimentStatus.IDEA, ExperimentStatus.DESIGNING}
)


@dataclass(frozen=True)
class Requirement:
    """One field a column needs, and how to name it in a sentence."""

    field: str
    label: str


START = Requirement("planned_start", "a planned start date")
METRIC = Requirement("primary_metric", "a primary metric")
RAN = Requirement("actual_start", "an actual start date (it has not run yet)")
RESULT = Requirement("result", "a result (won, lost, flat or inconclusive)")
DECISION = Requirement("decision", "a decision (ship, iterate or abandon)")
LEARNINGS = Requirement("learnings", "learnings")

REQUIREMENTS: dict[ExperimentStatus, tuple[Requirement, ...]] = {
    ExperimentStatus.IDEA: (),
    ExperimentStatus.DESIGNING: (),
    ExperimentStatus.RUNNING: (START, METRIC),
    ExperimentStatus.ANALYZING: (METRIC, RAN),
    ExperimentStatus.CONCLUDED: (METRIC, RAN, RESULT, DECISION, LEARNINGS),
    ExperimentStatus.ABANDONED: (),
}
"""What an experiment must hold to be in each column."""


class GuardError(ValueError):
    """A move a column refuses; ``missing`` names the fields that would let it through."""

    def __init__(
        self, message: str, target: ExperimentStatus, missing: tuple[Requirement, ...]
    ) -> None:
        super().__init__(message)
        self.target = target
        self.missing = missing

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(requirement.field for requirement in self.missing)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _missing(experiment: Experiment, target: ExperimentStatus) -> tuple[Requirement, ...]:
    missing = []
    for requirement in REQUIREMENTS[target]:
        if requirement is RAN and experiment.status is ExperimentStatus.RUNNING:
            continue  # leaving running now: the start was stamped when it began
        if _blank(getattr(experiment, requirement.field)):
            missing.append(requirement)
    return tuple(missing)


def describe_missing(
    experiment: Experiment, target: ExperimentStatus, missing: tuple[Requirement, ...]
) -> str:
    """'“One-page checkout” cannot move to running: it needs a planned start date and a
    primary metric.'"""
    labels = [requirement.label for requirement in missing]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"“{experiment.title}” cannot move to {target.value}: it needs {listed}."


def check_move(experiment: Experiment, target: ExperimentStatus) -> None:
    """Raise :class:`GuardError` when ``experiment`` does not meet ``target``'s requirements."""
    missing = _missing(experiment, target)
    if missing:
        raise GuardError(describe_missing(experiment, target, missing), target, missing)


def check_state(experiment: Experiment) -> None:
    """Raise :class:`GuardError` when an edit left an experiment short of its own column's
    requirements (e.g. a running experiment whose primary metric was cleared)."""
    missing = tuple(
        requirement
        for requirement in REQUIREMENTS[experiment.status]
        if _blank(getattr(experiment, requirement.field))
    )
    if missing:
        labels = [requirement.label for requirement in missing]
        raise GuardError(
            f"“{experiment.title}” is {experiment.status.value}, so it needs "
            + (labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1])
            + ".",
            experiment.status,
            missing,
        )


def stamps(experiment: Experiment, target: ExperimentStatus, today: date) -> dict[str, Any]:
    """The fields a move to ``target`` sets as of ``today``.

    Starting to run stamps the actual start (and clears an end left by an earlier stop);
    leaving running for analysis, conclusion or abandonment stamps the actual end. Moving back
    to idea or designing clears both: the experiment has not run in its final form, and the
    earlier dates stay in the history.
    """
    changes: dict[str, Any] = {"status": target}
    if target is ExperimentStatus.RUNNING:
        if experiment.actual_start is None or experiment.status in _NOT_STARTED:
            changes["actual_start"] = today
        if experiment.actual_end is not None:
            changes["actual_end"] = None
    elif target in _RAN or target is ExperimentStatus.ABANDONED:
        started = experiment.actual_start is not None
        if experiment.status is ExperimentStatus.RUNNING or (
            started and experiment.actual_end is None and target in _RAN
        ):
            changes["actual_end"] = max(today, experiment.actual_start or today)
        if target is ExperimentStatus.ABANDONED and experiment.decision is None:
            changes["decision"] = ExperimentDecision.ABANDON
    elif target in _NOT_STARTED:
        if experiment.actual_start is not None:
            changes["actual_start"] = None
        if experiment.actual_end is not None:
            changes["actual_end"] = None
    return changes


def neighbour(status: ExperimentStatus, step: int) -> ExperimentStatus | None:
    """The column ``step`` places right (positive) or left of ``status`` on the board.

    None at either end, and for abandoned work (it leaves the board by being restored).
    """
    if status not in BOARD_COLUMNS:
        return None
    index = BOARD_COLUMNS.index(status) + step
    if 0 <= index < len(BOARD_COLUMNS):
        return BOARD_COLUMNS[index]
    return None
