"""What people do with experiments: create, edit, move across the board, find collisions and
past learnings, link feedback and launches, and read an experiment back as a readout.

The TUI's keys and the ``opsdesk experiments`` commands both call these functions, so a card
moved on the board and one moved by a script meet the same column guards and get the same
stamps. Every change is one transaction with history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from opsdesk.rules.experiments import GuardError, check_move, check_state, neighbour, stamps
from opsdesk.rules.overlap import (
    Candidate,
    Conflict,
    ConflictSet,
    Window,
    candidate,
    find_conflicts,
    normalise,
)
from opsdesk.services.desk import Desk
from opsdesk.store import InvalidRecord
from opsdesk.store.base import Where
from opsdesk.store.experiments import ExperimentFilter, GroupStats, ScheduleRow, Similar
from opsdesk.vocabulary import ExperimentDecision, ExperimentResult, ExperimentStatus

if TYPE_CHECKING:
    from opsdesk.models import Experiment, Feedback, Launch

__all__ = [
    "DRAFT_ID",
    "EDITABLE",
    "AlreadyInColumn",
    "BoardEdge",
    "DraftOverlaps",
    "GuardError",
    "LibraryQuery",
    "LibraryStats",
    "Readout",
    "abandon",
    "check",
    "check_draft",
    "conflicts",
    "create",
    "edit",
    "library_choices",
    "library_search",
    "library_stats",
    "library_where",
    "link",
    "move",
    "readout",
    "restore",
    "schedule",
    "similar",
    "step",
    "unlink",
]

EDITABLE: frozenset[str] = frozenset(
    {
        "title",
        "hypothesis",
        "owner",
        "team",
        "surface",
        "audience",
        "primary_metric",
        "guardrail_metrics",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "result",
        "effect",
        "decision",
        "learnings",
    }
)
"""Fields an edit may change. The status only changes by moving, so the guards always hold."""

NEW_STATUSES = (ExperimentStatus.IDEA, ExperimentStatus.DESIGNING)


class BoardEdge(ValueError):
    """A card cannot move further in that direction (first or last column, or abandoned)."""


class AlreadyInColumn(ValueError):
    """A move to the column the experiment is already in: nothing is written.

    Saying "moved" for such a request would be false, and writing the fields that came with
    it (a form filled in for a card someone else moved meanwhile) would change an experiment
    behind a move that never happened. ``experiment`` is the record as stored, so a caller
    showing an out-of-date card can show where it really is.
    """

    def __init__(self, experiment: Experiment) -> None:
        super().__init__(
            f"“{experiment.title}” is already in the {experiment.status.value} column; "
            "nothing changed."
        )
        self.experiment = experiment


# -- create and edit ---------------------------------------------------------------------------


def create(
    desk: Desk,
    *,
    feedback_ids: Iterable[int] = (),
    launch_ids: Iterable[int] = (),
    **fields: Any,
) -> Experiment:
    """Save a new experiment (an idea, or in design) with its links, in one transaction.

    The owner defaults to the user. A new experiment cannot start life running or finished:
    those columns have guards, met by moving it on the board.
    """
    unknown = set(fields) - EDITABLE - {"status"}
    if unknown:
        raise InvalidRecord(f"{', '.join(sorted(unknown))}: not a field of an experiment")
    status = ExperimentStatus(fields.get("status") or ExperimentStatus.IDEA)
    if status not in NEW_STATUSES:
        raise InvalidRecord(
            f"status: a new experiment starts as an idea or in design, not {status.value}; "
            "move it on the board once it meets that column's requirements"
        )
    data = {name: value for name, value in fields.items() if value is not None}
    data["status"] = status
    data.setdefault("owner", desk.user)
    repository = desk.store.experiments
    record = repository.validate(data)
    _check_actual_window(record)
    with desk.store.write():
        saved = repository.insert(record)
        assert saved.id is not None
        feedback, launches = list(feedback_ids), list(launch_ids)
        if feedback or launches:
            repository.set_links(saved.id, feedback_ids=feedback, launch_ids=launches)
    return saved


def edit(
    desk: Desk,
    experiment_id: int,
    *,
    feedback_ids: Iterable[int] | None = None,
    launch_ids: Iterable[int] | None = None,
    **changes: Any,
) -> Experiment:
    """Change fields and links of one experiment in one transaction.

    The status is refused here (move the card instead), and an edit may not leave the
    experiment short of its own column's requirements: a running experiment keeps its start
    and metric, a concluded one its result, decision and learnings.
    """
    if "status" in changes:
        raise InvalidRecord("status: move the experiment on the board to change its status")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidRecord(f"{', '.join(sorted(unknown))}: not a field of an experiment")
    repository = desk.store.experiments
    with desk.store.write():
        before = repository.get(experiment_id)
        after = repository.validate({**before.model_dump(), **changes})
        _check_actual_window(after)
        check_state(after)
        saved = repository.update(experiment_id, **changes) if changes else before
        if feedback_ids is not None or launch_ids is not None:
            repository.set_links(experiment_id, feedback_ids=feedback_ids, launch_ids=launch_ids)
    return saved


def _check_actual_window(record: Experiment) -> None:
    """The actual end may not come before the actual start (the planned window's model
    check, for the dates a person edits after the fact; stored rows are not re-checked)."""
    start, end = record.actual_start, record.actual_end
    if start is not None and end is not None and end < start:
        raise InvalidRecord(
            f"actual_end: the actual end ({end.isoformat()}) is before the actual start "
            f"({start.isoformat()})"
        )


# -- the board ---------------------------------------------------------------------------------


def move(
    desk: Desk, experiment_id: int, target: ExperimentStatus | str, **extra: Any
) -> Experiment:
    """Move an experiment to ``target``, with any fields that column needs given as ``extra``.

    Checks the target column's guards on the experiment as it would be with ``extra`` applied
    and raises :class:`GuardError` (naming the missing fields) if they fail; otherwise saves
    ``extra``, the status and the stamped actual dates in one transaction. Leaving the
    abandoned column clears the 'abandon' decision that abandoning stamped. Raises
    :class:`AlreadyInColumn`, writing nothing (not even ``extra``), when the experiment is
    already in ``target``: a move is not an edit.
    """
    target = ExperimentStatus(target)
    unknown = set(extra) - EDITABLE
    if unknown:
        raise InvalidRecord(f"{', '.join(sorted(unknown))}: not a field of an experiment")
    repository = desk.store.experiments
    with desk.store.write():
        before = repository.get(experiment_id)
        if before.status is target:
            raise AlreadyInColumn(before)
        if (
            before.status is ExperimentStatus.ABANDONED
            and "decision" not in extra
            and _decision_stamped_by_abandoning(desk, before)
        ):
            extra = {**extra, "decision": None}
        merged = repository.validate({**before.model_dump(), **extra})
        check_move(merged, target)
        changes = {**extra, **stamps(merged, target, desk.today())}
        return repository.update(experiment_id, **changes)


def _decision_stamped_by_abandoning(desk: Desk, experiment: Experiment) -> bool:
    """Whether the experiment's decision is the 'abandon' that abandoning it wrote (no one
    had decided anything before): taken back when the experiment comes back on the board.

    Kept, a restored experiment read 'Decision: abandon' in its column, and concluding it
    offered 'abandon' as if someone had chosen it. The decision's latest change is read
    from history: stamped when it came in the same change as the move to abandoned.
    """
    if experiment.decision is not ExperimentDecision.ABANDON or experiment.id is None:
        return False
    changes = desk.store.history.for_record(desk.store.experiments.table, experiment.id)
    decided = next((change for change in changes if change.field == "decision"), None)
    if decided is None or decided.old is not None:
        return False
    return any(
        change.batch == decided.batch
        and change.field == "status"
        and change.new == ExperimentStatus.ABANDONED.value
        for change in changes
    )


def check(desk: Desk, experiment_id: int, target: ExperimentStatus | str, **extra: Any) -> None:
    """Raise what :func:`move` would raise, without writing: forms use it to show the
    problems under their fields before anything is saved."""
    target = ExperimentStatus(target)
    repository = desk.store.experiments
    before = repository.get(experiment_id)
    merged = repository.validate({**before.model_dump(), **extra})
    check_move(merged, target)


def check_draft(desk: Desk, experiment_id: int | None = None, **fields: Any) -> None:
    """Raise :class:`InvalidRecord` or :class:`GuardError` for fields a create (or, with
    ``experiment_id``, an edit) would refuse, without writing."""
    repository = desk.store.experiments
    if experiment_id is None:
        data = {name: value for name, value in fields.items() if value is not None}
        data.setdefault("status", ExperimentStatus.IDEA)
        repository.validate(data)
        return
    before = repository.get(experiment_id)
    check_state(repository.validate({**before.model_dump(), **fields}))


def step(desk: Desk, experiment_id: int, direction: int, **extra: Any) -> Experiment:
    """Move a card one column right (``direction`` > 0) or left, through :func:`move`."""
    experiment = desk.store.experiments.get(experiment_id)
    target = neighbour(experiment.status, 1 if direction > 0 else -1)
    if target is None:
        if experiment.status is ExperimentStatus.ABANDONED:
            raise BoardEdge(f"“{experiment.title}” is abandoned; restore it to put it back.")
        side = "last" if direction > 0 else "first"
        raise BoardEdge(
            f"“{experiment.title}” is already in the {side} column ({experiment.status.value})."
        )
    return move(desk, experiment_id, target, **extra)


def abandon(desk: Desk, experiment_id: int, reason: str | None = None, **extra: Any) -> Experiment:
    """Take an experiment off the board; the reason is kept with its learnings.

    ``extra`` fields (e.g. the effect measured so far, from the CLI) are saved in the same
    transaction, so an experiment that is already abandoned raises :class:`AlreadyInColumn`
    before anything is written.
    """
    repository = desk.store.experiments
    with desk.store.write():
        experiment = repository.get(experiment_id)
        if experiment.status is ExperimentStatus.ABANDONED:
            raise AlreadyInColumn(experiment)
        if reason and reason.strip():
            note = f"Abandoned: {reason.strip()}"
            learnings = str(extra.get("learnings", experiment.learnings) or "").rstrip()
            extra["learnings"] = f"{learnings}\n\n{note}" if learnings else note
        return move(desk, experiment_id, ExperimentStatus.ABANDONED, **extra)


def restore(desk: Desk, experiment_id: int) -> Experiment:
    """Put an abandoned experiment back in the column it was abandoned from (idea if unknown),
    through the same guards as any move. The 'abandon' decision that abandoning stamped is
    taken back (see :func:`move`); the reason stays in the learnings, as what happened."""
    repository = desk.store.experiments
    experiment = repository.get(experiment_id)
    if experiment.status is not ExperimentStatus.ABANDONED:
        raise BoardEdge(f"“{experiment.title}” is not abandoned.")
    previous = ExperimentStatus.IDEA
    for change in desk.store.history.for_record(repository.table, experiment_id):
        if change.field == "status" and change.new == ExperimentStatus.ABANDONED.value:
            if change.old and change.old != ExperimentStatus.ABANDONED.value:
                previous = ExperimentStatus(change.old)
            break
    return move(desk, experiment_id, previous)


# -- overlaps ----------------------------------------------------------------------------------


def _planned_statuses(desk: Desk) -> list[ExperimentStatus]:
    return [ExperimentStatus(status) for status in desk.config.experiments.planned_statuses]


def schedule(desk: Desk) -> list[Candidate]:
    """Every experiment that occupies a window today: running, or planned with a start."""
    today = desk.today()
    planned = _planned_statuses(desk)
    candidates = []
    for row in desk.store.experiments.schedule(desk.config.experiments.planned_statuses):
        found = candidate(row, today, planned)
        if found is not None:
            candidates.append(found)
    return candidates


def conflicts(desk: Desk) -> ConflictSet:
    """Every pair of running or planned experiments that would disturb each other."""
    return find_conflicts(schedule(desk), desk.config.experiments.broad_audiences)


DRAFT_ID = -1
"""The id a draft's overlap record carries (it may have none yet): the form names the other
side of each pair by it."""


class DraftOverlaps:
    """The experiments a draft (the fields of a form being typed) would collide with, by the
    board's own rule, so the form warns about exactly the pairs the board flags once it is
    saved: the schedule read once, the draft checked against it on every change.

    Reading the schedule and pairing all of it cost about 23 ms a keystroke on 2,000
    experiments, though neither depends on what is typed. Here the schedule (without the
    draft's own stored row) is read when the form opens and grouped by surface and by
    metric; each change pairs the draft with only the experiments sharing its surface or
    its metric (no other can collide with it) by :func:`find_conflicts`, the board's own
    rule. A change another process saves while the form is open shows once the board
    refreshes after the save.

    The draft is the experiment as it would be saved: when editing (``experiment_id``), the
    stored experiment with the form's fields over it, so its status and actual start count
    (the edit form shows neither for running work); when creating, an idea (or the status the
    form chose) with the form's fields. Its window then comes from :func:`candidate`, the
    function that builds the board's schedule: analyzing, concluded and abandoned work
    occupies no window and collides with nothing, running work runs from its actual start
    and on past an overrun planned end, and a not-yet-running status counts only when the
    policy's planned statuses say so.
    """

    def __init__(self, desk: Desk, experiment_id: int | None = None) -> None:
        self._user = desk.user
        self._today = desk.today()
        self._planned = _planned_statuses(desk)
        self._broad = list(desk.config.experiments.broad_audiences)
        self._stored: dict[str, Any] | None = None
        if experiment_id is not None:
            self._stored = desk.store.experiments.get(experiment_id).model_dump()
        self._by_surface: dict[str, list[Candidate]] = {}
        self._by_metric: dict[str, list[Candidate]] = {}
        for other in schedule(desk):
            if other.id == experiment_id:
                continue
            if surface := normalise(other.surface):
                self._by_surface.setdefault(surface, []).append(other)
            if metric := normalise(other.primary_metric):
                self._by_metric.setdefault(metric, []).append(other)

    def __call__(self, draft: dict[str, Any]) -> list[Conflict]:
        """The pairs the draft would be part of, soonest first (the draft is ``DRAFT_ID``)."""
        if self._stored is not None:
            fields = {**self._stored, **draft, "status": self._stored["status"]}
        else:
            fields = {"status": ExperimentStatus.IDEA}
            fields.update({name: value for name, value in draft.items() if value is not None})
        me = candidate(
            ScheduleRow(
                id=DRAFT_ID,
                title=str(fields.get("title") or "this experiment"),
                owner=fields.get("owner") or self._user,
                team=fields.get("team"),
                status=ExperimentStatus(fields["status"]),
                surface=fields.get("surface"),
                audience=fields.get("audience"),
                primary_metric=fields.get("primary_metric"),
                planned_start=fields.get("planned_start"),
                planned_end=fields.get("planned_end"),
                actual_start=fields.get("actual_start"),
            ),
            self._today,
            self._planned,
        )
        if me is None:
            return []
        near = {
            other.id: other
            for other in (
                *self._by_surface.get(normalise(me.surface), ()),
                *self._by_metric.get(normalise(me.primary_metric), ()),
            )
        }
        pairs = find_conflicts([*near.values(), me], self._broad)
        return pairs.involving(DRAFT_ID)


# -- before you start --------------------------------------------------------------------------


def similar(
    desk: Desk,
    *,
    title: str = "",
    hypothesis: str = "",
    surface: str | None = None,
    primary_metric: str | None = None,
    exclude_id: int | None = None,
    limit: int | None = None,
) -> list[Similar]:
    """Concluded and abandoned experiments that resemble a draft, with what they found."""
    text = " ".join(part for part in (title, hypothesis, surface, primary_metric) if part)
    return desk.store.experiments.similar(
        text,
        limit=limit or desk.config.experiments.similar_limit,
        exclude_id=exclude_id,
    )


# -- learnings library -------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryQuery:
    """The learnings library's filters: concluded experiments only."""

    text: str = ""
    surface: str | None = None
    metric: str | None = None
    team: str | None = None
    result: ExperimentResult | str | None = None
    any_word: bool = False
    """Match the text on any of its words (see :func:`library_search`)."""


@dataclass(frozen=True)
class LibraryStats:
    """Win rate and planned vs actual duration per team and per surface."""

    by_team: list[GroupStats]
    by_surface: list[GroupStats]


def library_where(desk: Desk, query: LibraryQuery) -> Where:
    """The concluded experiments matching the library's filters."""
    result = query.result.value if isinstance(query.result, ExperimentResult) else query.result
    return desk.store.experiments.where(
        ExperimentFilter(
            status=ExperimentStatus.CONCLUDED.value,
            team=query.team,
            surface=query.surface,
            metric=query.metric,
            result=result,
            search=query.text,
            any_word=query.any_word,
        )
    )


def library_search(desk: Desk, query: LibraryQuery) -> LibraryQuery:
    """``query``, or, when its words find nothing together, the same query on any of them.

    Searching the library before a test is typed as a phrase ('trial length', 'checkout
    conversion'); every word had to appear in one experiment, so a phrase found nothing while
    'trial' alone found the 30-day trial's lesson. A search of one word, or one that finds
    something, is kept as it is."""
    if query.any_word or len(query.text.split()) < 2:
        return query
    repository = desk.store.experiments
    if repository.window(library_where(desk, query), "ended", limit=1):
        return query
    return replace(query, any_word=True)


def library_stats(desk: Desk, query: LibraryQuery) -> LibraryStats:
    """Per team and per surface, over the experiments the library's filters select."""
    where = library_where(desk, query)
    repository = desk.store.experiments
    return LibraryStats(
        repository.group_stats(where, "team"), repository.group_stats(where, "surface")
    )


def library_choices(desk: Desk) -> dict[str, list[str]]:
    """The values each library filter can take, from the concluded experiments."""
    where = desk.store.experiments.where(ExperimentFilter(status="concluded"))
    repository = desk.store.experiments
    return {
        "surface": repository.distinct("surface", where),
        "metric": repository.distinct("primary_metric", where),
        "team": repository.distinct("team", where),
        "result": [result.value for result in ExperimentResult],
    }


# -- links -------------------------------------------------------------------------------------


def link(
    desk: Desk,
    experiment_id: int,
    *,
    feedback_ids: Sequence[int] = (),
    launch_ids: Sequence[int] = (),
) -> None:
    """Add links to feedback items and launches (existing links stay)."""
    repository = desk.store.experiments
    with desk.store.write():
        feedback, launches = repository.link_ids(experiment_id)
        repository.set_links(
            experiment_id,
            feedback_ids=[*feedback, *feedback_ids] if feedback_ids else None,
            launch_ids=[*launches, *launch_ids] if launch_ids else None,
        )


def unlink(
    desk: Desk,
    experiment_id: int,
    *,
    feedback_ids: Sequence[int] = (),
    launch_ids: Sequence[int] = (),
) -> None:
    """Remove links to feedback items and launches."""
    repository = desk.store.experiments
    with desk.store.write():
        feedback, launches = repository.link_ids(experiment_id)
        repository.set_links(
            experiment_id,
            feedback_ids=[i for i in feedback if i not in feedback_ids] if feedback_ids else None,
            launch_ids=[i for i in launches if i not in launch_ids] if launch_ids else None,
        )


# -- readout -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Readout:
    """Everything an experiment's readout shows: the experiment, what it links to, and what
    it currently collides with. The Markdown and calendar exporters read this."""

    experiment: Experiment
    feedback: list[Feedback]
    launches: list[Launch]
    conflicts: list[Conflict]

    @property
    def planned(self) -> Window | None:
        start, end = self.experiment.planned_start, self.experiment.planned_end
        return Window(start, end) if start else None

    @property
    def actual(self) -> Window | None:
        start, end = self.experiment.actual_start, self.experiment.actual_end
        return Window(start, end) if start else None


def readout(desk: Desk, experiment_id: int) -> Readout:
    """One experiment with its links and current conflicts."""
    repository = desk.store.experiments
    experiment = repository.get(experiment_id)
    return Readout(
        experiment=experiment,
        feedback=repository.linked_feedback(experiment_id),
        launches=repository.linked_launches(experiment_id),
        conflicts=conflicts(desk).involving(experiment_id),
    )
