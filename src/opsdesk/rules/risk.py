"""When a launch is at risk, how ready it is, and which launches collide or sit in a freeze.

A launch is **at risk** while it is still to land (planned, in progress or slipped) and one of
its readiness items is

- **blocked**, whatever its date;
- **overdue**: still open (todo, in progress or blocked) after its due date;
- **not started** although due soon: still *todo* and due no later than ``warning_days``
  working days from today (today itself included).

Launched and cancelled launches are never at risk: nothing more can be done for them.

Two launches **collide** when they land in the same ISO week (Monday to Sunday) for the same
audience (compared without case or surrounding spaces); cancelled launches collide with
nothing. A launch is **in a blackout** when its date falls inside a configured period, both
ends included.

Everything here is pure: today, the calendar and the policy are passed in. The store has
one SQL twin of these rules, the risk sort order, and a test keeps the two in step.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from opsdesk.models import Launch, ReadinessItem, ReadinessSnapshot, SnapshotItem
from opsdesk.rules.dates import WorkCalendar
from opsdesk.rules.readiness import CLOSED_STATES
from opsdesk.vocabulary import LaunchStatus, ReadinessState, label

__all__ = [
    "OPEN_LAUNCH_STATUSES",
    "RISK_WORDS",
    "Assessment",
    "BlackoutLike",
    "Collision",
    "ItemLike",
    "ItemRisk",
    "LaunchFlags",
    "RiskKind",
    "assess",
    "audience_key",
    "blackouts_on",
    "collisions",
    "item_risk",
    "launch_is_open",
    "readiness_counts",
    "readiness_percent",
    "risk_reason",
    "snapshot",
    "warning_horizon",
    "week_of",
]

OPEN_LAUNCH_STATUSES: frozenset[LaunchStatus] = frozenset(
    {LaunchStatus.PLANNED, LaunchStatus.IN_PROGRESS, LaunchStatus.SLIPPED}
)
"""Launches still to land: the only ones whose readiness can put them at risk."""


class RiskKind(StrEnum):
    """Why one readiness item puts its launch at risk, most urgent first."""

    BLOCKED = "blocked"
    OVERDUE = "overdue"
    NOT_STARTED = "not_started"


RISK_WORDS: dict[RiskKind, str] = {
    RiskKind.BLOCKED: "blocked",
    RiskKind.OVERDUE: "overdue",
    RiskKind.NOT_STARTED: "due soon, not started",
}


class ItemLike(Protocol):
    """What the risk rules read of a readiness item: a full ``ReadinessItem`` or the store's
    lighter ``ItemSummary`` (lists and the timeline read thousands)."""

    @property
    def id(self) -> int | None: ...

    @property
    def function(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def due_date(self) -> date: ...

    @property
    def state(self) -> ReadinessState: ...


def launch_is_open(launch: Launch) -> bool:
    """True while the launch has yet to land (planned, in progress or slipped)."""
    return launch.status in OPEN_LAUNCH_STATUSES


def warning_horizon(today: date, warning_days: int, calendar: WorkCalendar) -> date:
    """The last due date at which an unstarted item already counts as a risk.

    ``warning_days`` working days after ``today``: with 5, on a Thursday that is the next
    Thursday, and a holiday in between pushes it a day further. With 0 it is today.
    """
    if warning_days < 0:
        raise ValueError("the warning window is 0 or more working days")
    return calendar.add_working_days(today, warning_days)


def item_risk(item: ItemLike, today: date, horizon: date) -> RiskKind | None:
    """Why ``item`` puts its launch at risk on ``today``, or None when it does not.

    ``horizon`` is :func:`warning_horizon` for today. Done and not-applicable items never do;
    a blocked item always does; an open item due before today is overdue; a todo item due on
    or before the horizon has not been started in time. An item in progress and not yet late
    is fine: somebody is on it.
    """
    if item.state in CLOSED_STATES:
        return None
    if item.state == ReadinessState.BLOCKED:
        return RiskKind.BLOCKED
    if item.due_date < today:
        return RiskKind.OVERDUE
    if item.state == ReadinessState.TODO and item.due_date <= horizon:
        return RiskKind.NOT_STARTED
    return None


@dataclass(frozen=True)
class ItemRisk:
    """One readiness item and why it puts its launch at risk."""

    item: ItemLike
    kind: RiskKind

    def sentence(self) -> str:
        """'legal · Legal review: overdue (due 2026-11-20)', for details, snapshots and CLI."""
        return (
            f"{label(self.item.function)} · {self.item.title}: {RISK_WORDS[self.kind]} "
            f"(due {self.item.due_date.isoformat()})"
        )


def readiness_counts(items: Iterable[ItemLike]) -> tuple[int, int, int]:
    """(done, applicable, total): not-applicable items count in the total only."""
    done = applicable = total = 0
    for item in items:
        total += 1
        if item.state == ReadinessState.NOT_APPLICABLE:
            continue
        applicable += 1
        if item.state == ReadinessState.DONE:
            done += 1
    return done, applicable, total


def readiness_percent(items: Iterable[ItemLike]) -> int | None:
    """Share of the applicable items that are done, rounded down; None without any items.

    Rounded down so that 99.6% never shows as 100%: 100 means every item is signed off.
    A launch whose every item is not applicable is 100% ready: nothing is owed (people
    read 'n/a': see :meth:`Assessment.cell`).
    """
    done, applicable, total = readiness_counts(items)
    if total == 0:
        return None
    if applicable == 0:
        return 100
    return done * 100 // applicable


def readiness_words(
    percent: int | None, done: int, applicable: int, *, cancelled: bool = False
) -> str:
    """The readiness as a person reads it, in the app, a launch brief and a calendar event:
    '80% (8 of 10 done)', 'cancelled (3 of 5 items were done)', 'n/a (every item is not
    applicable)', 'no checklist items yet'. The brief and the calendar said '100% (0 of 0
    done)' for a launch that owes nothing, and '60%' for a cancelled one, as if it were
    still on its way."""
    if cancelled:
        if applicable == 0:
            return "cancelled"
        return f"cancelled ({done} of {applicable} items were done)"
    if percent is None:
        return "no checklist items yet"
    if applicable == 0:
        return "n/a (every item is not applicable)"
    return f"{percent}% ({done} of {applicable} done)"


@dataclass(frozen=True)
class Assessment:
    """A launch's readiness and risks on one day.

    ``percent`` is the arithmetic (kept for exports and ``--json``); what a person reads is
    :meth:`cell` or :meth:`words`, which do not call a cancelled launch, or one whose every
    item is not applicable, "100%" ready: beside launches that shipped, it read as if it had.
    """

    percent: int | None
    done: int
    applicable: int
    total: int
    risks: tuple[ItemRisk, ...]
    cancelled: bool = False

    @property
    def at_risk(self) -> bool:
        return bool(self.risks)

    @property
    def complete(self) -> bool:
        """True when the launch is still on and every item it owes is signed off (at least
        one): what a green 100% means. Not for a cancelled launch, nor one that owes nothing."""
        return not self.cancelled and self.applicable > 0 and self.done == self.applicable

    @property
    def shown_percent(self) -> int | None:
        """The readiness % a person or a script may take as such: None for a cancelled
        launch, one without a checklist, or one whose every item is not applicable.

        ``percent`` keeps the arithmetic: 100 when nothing is owed, and what was done for
        a cancelled launch. ``launches list --json`` printed it, so a script read the
        demo's cancelled launches as 100% ready, like those that shipped.
        """
        if self.cancelled or self.applicable == 0:
            return None
        return self.percent

    def cell(self) -> str:
        """The readiness in at most four cells, for lists and the timeline: '80%'; '–' for a
        cancelled launch (it is not going out) or one without a checklist; 'n/a' when every
        item is not applicable (nothing is owed, so there is nothing to be a percentage of)."""
        shown = self.shown_percent
        if shown is not None:
            return f"{shown}%"
        return "n/a" if not self.cancelled and self.total else "–"

    def words(self) -> str:
        """The readiness as a detail says it (:func:`readiness_words`)."""
        return readiness_words(self.percent, self.done, self.applicable, cancelled=self.cancelled)

    def risk_by_item(self) -> dict[int, RiskKind]:
        return {int(risk.item.id): risk.kind for risk in self.risks if risk.item.id is not None}


def assess(launch: Launch, items: Sequence[ItemLike], today: date, horizon: date) -> Assessment:
    """Readiness % and the risks of ``launch`` on ``today``; closed launches have no risks.

    Risks come most urgent first (blocked, overdue, not started), then by due date.
    """
    done, applicable, total = readiness_counts(items)
    percent = readiness_percent(items)
    risks: list[ItemRisk] = []
    if launch_is_open(launch):
        for item in items:
            kind = item_risk(item, today, horizon)
            if kind is not None:
                risks.append(ItemRisk(item, kind))
    order = list(RiskKind)
    risks.sort(key=lambda risk: (order.index(risk.kind), risk.item.due_date, risk.item.function))
    cancelled = launch.status == LaunchStatus.CANCELLED
    return Assessment(percent, done, applicable, total, tuple(risks), cancelled)


REASON_WORDS: dict[RiskKind, str] = {
    RiskKind.BLOCKED: "blocked",
    RiskKind.OVERDUE: "overdue",
    RiskKind.NOT_STARTED: "not started",
}
"""Each kind in a count ('2 overdue'); RISK_WORDS' 'due soon, not started' has a comma that
reads as the next kind's in a list of kinds."""


def risk_reason(assessment: Assessment, functions_shown: int = 3) -> str:
    """Why a launch is at risk, in one short phrase for a line of Today:
    '1 blocked (security), 2 overdue (legal, marketing) · 42% ready'.

    Kinds come most urgent first, each with the functions to chase (the first
    ``functions_shown`` of them, then '+N'). Empty when the launch is not at risk.
    """
    if not assessment.risks:
        return ""
    by_kind: dict[RiskKind, list[str]] = {}
    counts: dict[RiskKind, int] = defaultdict(int)
    for risk in assessment.risks:
        counts[risk.kind] += 1
        named = by_kind.setdefault(risk.kind, [])
        function = label(risk.item.function)
        if function not in named:
            named.append(function)
    parts = []
    for kind in RiskKind:
        if kind not in by_kind:
            continue
        named = by_kind[kind]
        shown = ", ".join(named[:functions_shown])
        if len(named) > functions_shown:
            shown += f" +{len(named) - functions_shown}"
        parts.append(f"{counts[kind]} {REASON_WORDS[kind]} ({shown})")
    return f"{', '.join(parts)} · {assessment.cell()} ready"


# -- collisions and blackouts -----------------------------------------------------------------


def week_of(day: date) -> date:
    """The Monday that starts ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def audience_key(audience: str | None) -> str | None:
    """How audiences are compared: without case and surrounding spaces; blank is none."""
    if audience is None:
        return None
    key = audience.strip().casefold()
    return key or None


@dataclass(frozen=True)
class Collision:
    """Another launch landing in the same week for the same audience."""

    launch_id: int
    title: str
    launch_date: date


def collisions(launches: Iterable[Launch]) -> dict[int, list[Collision]]:
    """For each launch id, the other launches it collides with (same week, same audience).

    Launches without an audience or cancelled collide with nothing; a launch never collides
    with itself. Launches without any collision are left out of the result.
    """
    groups: dict[tuple[date, str], list[Launch]] = defaultdict(list)
    for launch in launches:
        key = audience_key(launch.audience)
        if launch.id is None or key is None or launch.status == LaunchStatus.CANCELLED:
            continue
        groups[(week_of(launch.launch_date), key)].append(launch)
    found: dict[int, list[Collision]] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        ordered = sorted(group, key=lambda launch: (launch.launch_date, launch.id or 0))
        for launch in ordered:
            found[int(launch.id or 0)] = [
                Collision(int(other.id or 0), other.title, other.launch_date)
                for other in ordered
                if other.id != launch.id
            ]
    return found


class BlackoutLike(Protocol):
    """A named period no launch should land in (the config's ``Blackout`` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


def blackouts_on(day: date, blackouts: Iterable[BlackoutLike]) -> list[str]:
    """Names of the blackout periods that ``day`` falls in, both ends included."""
    return [period.name for period in blackouts if period.start <= day <= period.end]


@dataclass(frozen=True)
class LaunchFlags:
    """What the timeline flags on a launch besides its readiness: collisions and freezes."""

    collisions: tuple[Collision, ...] = ()
    blackouts: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.collisions or self.blackouts)

    def sentences(self) -> list[str]:
        """'same week, same audience as #4 Slack integration 2.0 (2026-12-02)', ..."""
        lines = [
            f"same week, same audience as #{other.launch_id} {other.title} "
            f"({other.launch_date.isoformat()})"
            for other in self.collisions
        ]
        lines.extend(f"inside the blackout '{name}'" for name in self.blackouts)
        return lines


def snapshot(
    launch: Launch,
    items: Sequence[ReadinessItem],
    assessment: Assessment,
    flags: LaunchFlags | None = None,
) -> ReadinessSnapshot:
    """The launch's readiness as it stands, frozen for a go/no-go record."""
    risk_by_item = assessment.risk_by_item()
    return ReadinessSnapshot(
        launch_date=launch.launch_date,
        status=launch.status,
        percent=assessment.percent,
        done=assessment.done,
        applicable=assessment.applicable,
        total=assessment.total,
        at_risk=assessment.at_risk,
        risks=[risk.sentence() for risk in assessment.risks],
        flags=flags.sentences() if flags else [],
        items=[
            SnapshotItem(
                id=item.id,
                function=item.function,
                title=item.title,
                owner=item.owner,
                due_date=item.due_date,
                state=item.state,
                evidence=item.evidence,
                signed_off_by=item.signed_off_by,
                signed_off_at=item.signed_off_at,
                risk=(
                    risk_by_item[int(item.id)].value
                    if item.id is not None and int(item.id) in risk_by_item
                    else None
                ),
            )
            for item in items
        ],
    )
