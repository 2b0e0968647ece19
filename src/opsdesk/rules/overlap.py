"""When two experiments would disturb each other.

Two experiments *collide* when their windows share at least one day and they either change the
same surface (both alter what the same people see, so neither result can be trusted) or read
the same primary metric on the same audience (a lift could come from either). Only work that
is running now or planned to run counts: an experiment being analyzed no longer changes
anything.

Pure: the candidates and "today" are passed in. The candidates are small frozen records, not
full models, so the board can check every running and planned experiment on each refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple, Protocol, overload

from opsdesk.vocabulary import ExperimentStatus

__all__ = [
    "BROAD_AUDIENCES",
    "PLANNED_STATUSES",
    "Candidate",
    "Conflict",
    "ConflictReason",
    "ConflictSet",
    "Window",
    "audiences_overlap",
    "candidate",
    "experiment_window",
    "find_conflicts",
    "normalise",
    "window_for",
]

PLANNED_STATUSES: tuple[ExperimentStatus, ...] = (ExperimentStatus.IDEA, ExperimentStatus.DESIGNING)
"""Statuses whose planned window counts: work that has not started but has dates."""

BROAD_AUDIENCES: frozenset[str] = frozenset({"all", "everyone", "all users"})
"""Audiences that include every other audience (an "all users" test also reaches SMB users)."""


class Window(NamedTuple):
    """Days an experiment occupies, both ends included; ``end`` None means open-ended.

    A named tuple (like :class:`Conflict`): the board builds thousands on every refresh.
    """

    start: date
    end: date | None = None

    def overlaps(self, other: Window) -> bool:
        """True when the two windows share at least one day (touching ends count)."""
        return (self.end is None or other.start <= self.end) and (
            other.end is None or self.start <= other.end
        )

    def intersection(self, other: Window) -> Window | None:
        """The days both windows share, or None."""
        if not self.overlaps(other):
            return None
        start = max(self.start, other.start)
        ends = [end for end in (self.end, other.end) if end is not None]
        return Window(start, min(ends) if ends else None)

    def describe(self) -> str:
        """``2026-12-01 → 2026-12-14``, or ``2026-12-01 → open`` for an open end."""
        return f"{self.start.isoformat()} → {self.end.isoformat() if self.end else 'open'}"


@dataclass(frozen=True)
class Candidate:
    """What the overlap rules need to know about one experiment."""

    id: int
    title: str
    owner: str | None
    team: str | None
    status: ExperimentStatus
    surface: str | None
    audience: str | None
    primary_metric: str | None
    window: Window


class ConflictReason(StrEnum):
    SURFACE = "surface"
    METRIC_AUDIENCE = "metric_audience"


class Conflict(NamedTuple):
    """Two experiments that would disturb each other, and why (``first.id < second.id``)."""

    first: Candidate
    second: Candidate
    reasons: tuple[ConflictReason, ...]
    overlap: Window

    @property
    def ids(self) -> tuple[int, int]:
        return (self.first.id, self.second.id)

    @property
    def id(self) -> tuple[int, int]:
        """The pair's identity (both ids), so a list can keep its cursor on it."""
        return self.ids

    def other(self, experiment_id: int) -> Candidate:
        """The experiment on the other side from ``experiment_id``."""
        return self.second if self.first.id == experiment_id else self.first

    def describe_reasons(self) -> str:
        """'same surface (checkout)' and/or 'same metric and audience (signup rate, smb)'."""
        parts: list[str] = []
        for reason in self.reasons:
            if reason is ConflictReason.SURFACE:
                parts.append(f"same surface ({self.first.surface})")
            else:
                audience = _audience_label(self.first.audience, self.second.audience)
                parts.append(f"same metric and audience ({self.first.primary_metric}, {audience})")
        return "; ".join(parts)


def normalise(value: str | None) -> str:
    """Compare names the way people mean them: 'Checkout ' and 'checkout' are one surface."""
    return " ".join((value or "").split()).casefold()


def audiences_overlap(
    first: str | None, second: str | None, broad: Iterable[str] = BROAD_AUDIENCES
) -> bool:
    """Same audience, or one of them reaches everybody (a missing audience means everybody)."""
    wide = frozenset(normalise(name) for name in broad)
    return _audiences_meet(normalise(first), normalise(second), wide)


def _audiences_meet(first: str, second: str, wide: frozenset[str]) -> bool:
    """:func:`audiences_overlap` on names already normalised."""
    return first == second or not first or not second or first in wide or second in wide


class Scheduled(Protocol):
    """What the overlap rules read of an experiment: a whole :class:`Experiment`, or the
    store's lighter schedule row (the board checks hundreds at once)."""

    @property
    def id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def owner(self) -> str | None: ...
    @property
    def team(self) -> str | None: ...
    @property
    def status(self) -> ExperimentStatus: ...
    @property
    def surface(self) -> str | None: ...
    @property
    def audience(self) -> str | None: ...
    @property
    def primary_metric(self) -> str | None: ...
    @property
    def planned_start(self) -> date | None: ...
    @property
    def planned_end(self) -> date | None: ...
    @property
    def actual_start(self) -> date | None: ...


def experiment_window(
    experiment: Scheduled,
    today: date,
    planned_statuses: Iterable[ExperimentStatus] = PLANNED_STATUSES,
) -> Window | None:
    """The days an experiment occupies for overlap purposes, or None when it occupies none."""
    return window_for(
        experiment.status,
        planned_start=experiment.planned_start,
        planned_end=experiment.planned_end,
        actual_start=experiment.actual_start,
        today=today,
        planned_statuses=planned_statuses,
    )


def window_for(
    status: ExperimentStatus,
    *,
    planned_start: date | None,
    planned_end: date | None,
    actual_start: date | None,
    today: date,
    planned_statuses: Iterable[ExperimentStatus] = PLANNED_STATUSES,
) -> Window | None:
    """The window of an experiment given as plain values (the board checks hundreds at once).

    A running experiment runs from its actual (else planned) start to its planned end; once
    past its planned end it is still running, so its window reaches today; with no planned end
    it is open-ended. A planned experiment (a status in ``planned_statuses``) occupies its
    planned window, open-ended when it has only a start. Anything else (no start yet,
    analyzing, concluded, abandoned) occupies none.
    """
    if status is ExperimentStatus.RUNNING:
        start = actual_start or planned_start or today
        end = planned_end
        if end is not None:
            end = max(end, today, start)
        return Window(start, end)
    if planned_start is not None and status in set(planned_statuses):
        end = max(planned_end, planned_start) if planned_end else None
        return Window(planned_start, end)
    return None


def candidate(
    experiment: Scheduled,
    today: date,
    planned_statuses: Iterable[ExperimentStatus] = PLANNED_STATUSES,
) -> Candidate | None:
    """The overlap record of one experiment, or None when it occupies no window."""
    window = experiment_window(experiment, today, planned_statuses)
    if window is None or experiment.id is None:
        return None
    return Candidate(
        id=experiment.id,
        title=experiment.title,
        owner=experiment.owner,
        team=experiment.team,
        status=experiment.status,
        surface=experiment.surface,
        audience=experiment.audience,
        primary_metric=experiment.primary_metric,
        window=window,
    )


_Span = tuple[date, int, "date | None"]
"""One experiment in a sweep: start, id, end (sorting these sorts by start)."""

_PAIR = 1 << 32
"""Pairs are kept as one integer key, ``low id * _PAIR + high id``: no tuple per pair."""


def _overlapping_pairs(group: list[_Span]) -> Iterable[int]:
    """The pair keys of ``group`` whose windows overlap, by a sweep over start dates.

    Sorted by start, each experiment only meets those still open when it starts, so a group
    of mostly sequential experiments costs far less than comparing every pair.
    """
    group.sort()
    open_now: list[_Span] = []
    for span in group:
        start, current, _ = span
        if open_now:
            open_now = [o for o in open_now if o[2] is None or o[2] >= start]
            for _, other, _ in open_now:
                yield other * _PAIR + current if other < current else current * _PAIR + other
        open_now.append(span)


_Row = tuple[date, int, int, "date | None", Candidate, Candidate, "tuple[ConflictReason, ...]"]
"""A pair as found: overlap start, both ids, overlap end, both sides, reasons (sortable)."""


class ConflictSet(Sequence[Conflict]):
    """Every colliding pair, soonest overlap first, made into :class:`Conflict` on access.

    A busy schedule holds thousands of pairs, but the board only needs to know which cards
    to flag and the conflicts view only shows a screenful. So the pairs stay integer keys
    until someone reads them in order (then they are sorted once) or asks for one
    experiment's pairs, and each :class:`Conflict` is built when it is read.
    """

    def __init__(self, found: dict[int, int], by_id: dict[int, Candidate]) -> None:
        self._found = found
        self._by_id = by_id
        self._sorted: list[_Row] | None = None
        self._index: dict[int, list[int]] | None = None

    @classmethod
    def empty(cls) -> ConflictSet:
        return cls({}, {})

    def __len__(self) -> int:
        return len(self._found)

    @overload
    def __getitem__(self, index: int) -> Conflict: ...

    @overload
    def __getitem__(self, index: slice) -> list[Conflict]: ...

    def __getitem__(self, index: int | slice) -> Conflict | list[Conflict]:
        rows = self._rows()
        if isinstance(index, slice):
            return [_conflict(row) for row in rows[index]]
        return _conflict(rows[index])

    def _row(self, key: int) -> _Row:
        low, high = divmod(key, _PAIR)
        first, second = self._by_id[low], self._by_id[high]
        a, b = first.window, second.window  # known to overlap: only such pairs were kept
        end = b.end if a.end is None else a.end if b.end is None else min(a.end, b.end)
        start = a.start if a.start > b.start else b.start
        return (start, low, high, end, first, second, _REASONS[self._found[key]])

    def _rows(self) -> list[_Row]:
        if self._sorted is None:
            # Rows compare by (start, first id, second id): unique, so the sides are never
            # compared, and sorting needs no key tuples.
            self._sorted = sorted(self._row(key) for key in self._found)
        return self._sorted

    def _by_experiment(self) -> dict[int, list[int]]:
        if self._index is None:
            index: dict[int, list[int]] = {}
            for key in self._found:
                low, high = divmod(key, _PAIR)
                index.setdefault(low, []).append(key)
                index.setdefault(high, []).append(key)
            self._index = index
        return self._index

    def has(self, experiment_id: int | None) -> bool:
        """True when the experiment collides with at least one other (flag its card)."""
        return experiment_id is not None and experiment_id in self._by_experiment()

    def involving(self, experiment_id: int) -> list[Conflict]:
        """The pairs one experiment is part of, soonest first."""
        keys = self._by_experiment().get(experiment_id, [])
        return [_conflict(row) for row in sorted(self._row(key) for key in keys)]

    def experiment_ids(self) -> frozenset[int]:
        """Every experiment in at least one pair."""
        return frozenset(self._by_experiment())

    def where(self, keep: Callable[[Candidate], bool]) -> ConflictSet:
        """The pairs in which ``keep`` accepts either side (e.g. a search)."""
        kept = {
            key: bits
            for key, bits in self._found.items()
            if keep(self._by_id[key // _PAIR]) or keep(self._by_id[key % _PAIR])
        }
        return ConflictSet(kept, self._by_id)


def _conflict(row: _Row) -> Conflict:
    start, _, _, end, first, second, reasons = row
    return Conflict(first, second, reasons, Window(start, end))


def find_conflicts(
    candidates: Iterable[Candidate], broad_audiences: Iterable[str] = BROAD_AUDIENCES
) -> ConflictSet:
    """Every colliding pair, once, with all its reasons; soonest overlap first.

    Candidates are grouped by surface and by metric, and only pairs within a group whose
    windows overlap are looked at. The board runs this after every change over every
    running and planned experiment, so pairs are plain integers until the end.
    """
    wide = frozenset(normalise(name) for name in broad_audiences)
    by_id: dict[int, Candidate] = {}
    audience: dict[int, str] = {}
    by_surface: dict[str, list[_Span]] = {}
    by_metric: dict[str, list[_Span]] = {}
    for item in candidates:
        by_id[item.id] = item
        audience[item.id] = normalise(item.audience)
        span = (item.window.start, item.id, item.window.end)
        surface, metric = normalise(item.surface), normalise(item.primary_metric)
        if surface:
            by_surface.setdefault(surface, []).append(span)
        if metric:
            by_metric.setdefault(metric, []).append(span)

    # pair key -> reasons as bits: 1 same surface, 2 same metric and audience
    found: dict[int, int] = {}
    for group in by_surface.values():
        for key in _overlapping_pairs(group):
            found[key] = 1
    for group in by_metric.values():
        for key in _overlapping_pairs(group):
            low, high = divmod(key, _PAIR)
            if _audiences_meet(audience[low], audience[high], wide):
                found[key] = found.get(key, 0) | 2

    return ConflictSet(found, by_id)


_REASONS: dict[int, tuple[ConflictReason, ...]] = {
    1: (ConflictReason.SURFACE,),
    2: (ConflictReason.METRIC_AUDIENCE,),
    3: (ConflictReason.SURFACE, ConflictReason.METRIC_AUDIENCE),
}


def _audience_label(first: str | None, second: str | None) -> str:
    a, b = (first or "everyone"), (second or "everyone")
    return a if normalise(a) == normalise(b) else f"{a} / {b}"
