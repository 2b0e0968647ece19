"""``opsdesk export ical`` and the app's calendar export: gather, number, render.

Reads the dated records of the kinds asked for (launch days, readiness deadlines, experiment
windows and readouts, open follow-ups), turns them into events with
:mod:`opsdesk.exporters.ical`, raises the SEQUENCE of events whose dates changed since the
last export, and renders the calendar. Reminders follow the config's ``[ical]`` section and
are only put on events still to come whose work is still open: a calendar that imports a
year of history must not ring a hundred missed reminders at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from opsdesk.exporters.ical import (
    AlarmPolicy,
    CalendarEvent,
    experiment_events,
    follow_up_event,
    launch_event,
    readiness_event,
    render_calendar,
)
from opsdesk.formatting import either
from opsdesk.models import ReadinessItem
from opsdesk.paths import write_private
from opsdesk.rules.risk import readiness_counts, readiness_percent
from opsdesk.services.desk import Desk
from opsdesk.store.calendar import CalendarQueries, IcalSequences
from opsdesk.vocabulary import ExperimentStatus, LaunchStatus, ReadinessState

INCLUDE_CHOICES: tuple[str, ...] = ("launches", "readiness", "experiments", "followups")
"""The kinds of events an export can hold, as ``--include`` names them."""

KIND_NAMES: dict[str, tuple[str, str]] = {
    "launch": ("launch day", "launch days"),
    "readiness": ("deadline", "deadlines"),
    "experiment": ("experiment window", "experiment windows"),
    "readout": ("readout", "readouts"),
    "followup": ("follow-up", "follow-ups"),
}
"""Each kind of event as people say it, one and many, in the order an export holds them."""

Progress = Callable[[str, int, int], None]
"""Called with a stage name, the steps done and the steps in all."""

FINISHED_LAUNCH = frozenset({LaunchStatus.LAUNCHED, LaunchStatus.CANCELLED})
FINISHED_ITEM = frozenset({ReadinessState.DONE, ReadinessState.NOT_APPLICABLE})
FINISHED_EXPERIMENT = frozenset({ExperimentStatus.CONCLUDED, ExperimentStatus.ABANDONED})


class ExportError(ValueError):
    """The export cannot be made as asked; the message says why in one sentence."""


@dataclass(frozen=True)
class IcalOptions:
    """What to export: which kinds, and optionally one owner's or one function's records.

    ``owner`` matches each record's own owner (a launch's, a readiness item's, an
    experiment's, the person who owes a follow-up), without case. ``function`` narrows the
    readiness deadlines only.
    """

    include: frozenset[str] = frozenset(INCLUDE_CHOICES)
    owner: str | None = None
    function: str | None = None


@dataclass
class IcalResult:
    """The calendar's bytes and how many events of each kind it holds."""

    data: bytes
    counts: dict[str, int] = field(default_factory=dict)
    path: Path | None = None

    @property
    def events(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        """'166 events (16 launch days, 80 deadlines, 25 experiment windows, 25 readouts,
        20 follow-ups)': the kinds as the export form names them, not 'followup'."""
        parts = []
        for kind, (one, many) in KIND_NAMES.items():
            count = self.counts.get(kind, 0)
            if count:
                parts.append(f"{count:,} {one if count == 1 else many}")
        parts += [f"{n:,} {kind}" for kind, n in self.counts.items() if kind not in KIND_NAMES]
        total = f"{self.events:,} event" + ("" if self.events == 1 else "s")
        return f"{total} ({', '.join(parts)})" if parts else total


def parse_include(text: str | Iterable[str] | None) -> frozenset[str]:
    """``launches,readiness`` → the set of kinds; refuses unknown names plainly."""
    if text is None:
        return frozenset(INCLUDE_CHOICES)
    names = text.split(",") if isinstance(text, str) else list(text)
    chosen = {name.strip().lower() for name in names if name.strip()}
    unknown = sorted(chosen - set(INCLUDE_CHOICES))
    if unknown:
        raise ExportError(
            f"cannot include {', '.join(unknown)} (choose from {', '.join(INCLUDE_CHOICES)})"
        )
    if not chosen:
        raise ExportError(f"include at least one of {', '.join(INCLUDE_CHOICES)}")
    return frozenset(chosen)


def check_options(desk: Desk, options: IcalOptions) -> None:
    """Refuse options that would export nothing or the wrong thing (see the two checks)."""
    problem = function_problem(desk, options) or owner_problem(desk, options)
    if problem:
        raise ExportError(problem)


def function_problem(desk: Desk, options: IcalOptions) -> str | None:
    """A readiness function the config does not know, or one asked for without readiness
    deadlines in the export (it would narrow nothing)."""
    if not options.function:
        return None
    known = desk.config.launches.functions()
    if options.function not in known:
        return f"'{options.function}' is not a readiness function ({', '.join(known)})"
    if "readiness" not in options.include:
        return (
            "a function narrows readiness deadlines only, and they are not included: "
            f"include readiness to export {options.function}'s deadlines"
        )
    return None


def resolve_function(desk: Desk, text: str | None) -> str | None:
    """The config's name for the function typed: 'Legal' is legal and 'customer success'
    customer_success, as owners match without case. Anything else is returned as typed,
    for :func:`function_problem` to refuse with the list."""
    if text is None or not text.strip():
        return None
    wanted = text.strip().casefold().replace("-", "_").replace(" ", "_")
    for name in desk.config.launches.functions():
        if name.casefold() == wanted:
            return name
    return text.strip()


def owner_problem(desk: Desk, options: IcalOptions) -> str | None:
    """An owner nobody is. Owners match whole, without case ('Priya' is not 'Priya Raman'):
    rather than write a calendar with no events, the sentence names the people whose names
    hold what was typed, or everyone when none do."""
    owner = (options.owner or "").strip()
    if not owner:
        return None
    owners = CalendarQueries(desk.store).owners()
    if owner.casefold() in {name.casefold() for name in owners}:
        return None
    close = [name for name in owners if owner.casefold() in name.casefold()]
    if close:
        hint = f"did you mean {either(close)}?"
    else:
        hint = f"owners: {', '.join(owners)}" if owners else "nothing has an owner yet"
    return f"nobody called '{owner}' owns anything to export ({hint})"


def collect_events(
    desk: Desk, options: IcalOptions, progress: Progress | None = None
) -> list[CalendarEvent]:
    """Every event the options ask for, launch days first, then by kind and date."""
    check_options(desk, options)
    store = desk.store
    queries = CalendarQueries(store)
    calendar_id = IcalSequences(store).calendar_id()
    policy = desk.config.ical
    today = desk.today()
    owner = (options.owner or "").strip() or None
    events: list[CalendarEvent] = []
    report = progress or (lambda stage, done, total: None)

    def alarm(days: int, day: dt.date, finished: bool) -> int | None:
        return None if finished or day < today else days

    steps, done = len(options.include), 0

    def step() -> None:
        nonlocal done
        done += 1
        report("reading", done, steps)

    report("reading", 0, steps)
    every_item: list[ReadinessItem] | None = None
    if "launches" in options.include:
        every_item = queries.readiness()
        items = _by_launch(every_item)
        for launch in queries.launches(owner):
            own = items.get(int(launch.id or 0), [])
            signed_off, applicable, _ = readiness_counts(own)
            events.append(
                launch_event(
                    launch,
                    calendar_id,
                    percent=readiness_percent(own),
                    done=signed_off,
                    applicable=applicable,
                    alarm_days=alarm(
                        policy.launch_alarm_days,
                        launch.launch_date,
                        launch.status in FINISHED_LAUNCH,
                    ),
                )
            )
        step()
    if "readiness" in options.include:
        if every_item is None:
            readiness = queries.readiness(owner, options.function)
        else:
            readiness = [item for item in every_item if _wanted(item, owner, options.function)]
        parents = queries.launches_by_id({item.launch_id for item in readiness if item.launch_id})
        for item in readiness:
            parent = parents.get(int(item.launch_id or 0))
            if parent is None:
                continue
            finished = item.state in FINISHED_ITEM or parent.status in FINISHED_LAUNCH
            events.append(
                readiness_event(
                    item,
                    parent,
                    calendar_id,
                    alarm_days=alarm(policy.readiness_alarm_days, item.due_date, finished),
                )
            )
        step()
    if "experiments" in options.include:
        for experiment in queries.experiments(owner):
            finished = experiment.status in FINISHED_EXPERIMENT
            for event in experiment_events(experiment, calendar_id, alarm_days=None):
                if event.kind == "readout":
                    days = alarm(policy.experiment_alarm_days, event.start, finished)
                    event = replace(event, alarm_days=days)
                events.append(event)
        step()
    if "followups" in options.include:
        for touch, contact in queries.open_follow_ups(owner):
            due = touch.follow_up_due
            days = alarm(policy.followup_alarm_days, due, False) if due else None
            event = follow_up_event(touch, contact, calendar_id, alarm_days=days, tz=desk.tz)
            if event is not None:
                events.append(event)
        step()
    return events


def _wanted(item: ReadinessItem, owner: str | None, function: str | None) -> bool:
    """The same narrowing as the readiness query: owner without case, function exactly."""
    if function and item.function != function:
        return False
    return not owner or (item.owner or "").casefold() == owner.casefold()


def _by_launch(items: list[ReadinessItem]) -> dict[int, list[ReadinessItem]]:
    found: dict[int, list[ReadinessItem]] = {}
    for item in items:
        found.setdefault(int(item.launch_id or 0), []).append(item)
    return found


def export_ical(
    desk: Desk, options: IcalOptions | None = None, progress: Progress | None = None
) -> IcalResult:
    """The calendar as bytes, with SEQUENCE numbers raised where dates changed."""
    options = options or IcalOptions()
    events = collect_events(desk, options, progress)
    sequences = IcalSequences(desk.store).assign({event.uid: event.fingerprint for event in events})
    policy = desk.config.ical
    data = render_calendar(
        events,
        sequences=sequences,
        stamp=desk.now(),
        alarms=AlarmPolicy(enabled=policy.alarms, hour=policy.alarm_hour),
        name="opsdesk" + (f" ({options.owner})" if options.owner else ""),
    )
    counts: dict[str, int] = {}
    for event in events:
        counts[event.kind] = counts.get(event.kind, 0) + 1
    if progress is not None:
        progress("writing", 1, 1)
    return IcalResult(data, counts)


def export_ical_file(
    desk: Desk, path: Path, options: IcalOptions | None = None, progress: Progress | None = None
) -> IcalResult:
    """Write the calendar to ``path`` as a private (0600) file."""
    if path.is_dir():
        raise ExportError(f"{path} is a folder; name a file such as {path / 'opsdesk.ics'}")
    result = export_ical(desk, options, progress)
    result.path = write_private(path, result.data)
    return result
