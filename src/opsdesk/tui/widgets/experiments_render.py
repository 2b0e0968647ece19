"""How experiments look: board cards, the detail panel, conflict rows, similar past
experiments and the library's statistics.

Everything a person typed (titles, owners, surfaces, learnings) goes through
:func:`~opsdesk.text.visible` into :class:`rich.text.Text`, never into markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from opsdesk.formatting import date_window, day, words
from opsdesk.models import Experiment, Feedback, Launch
from opsdesk.rules.overlap import Candidate, Conflict
from opsdesk.services.experiments import DRAFT_ID
from opsdesk.store.experiments import GroupStats, Similar
from opsdesk.text import one_line, preview, visible
from opsdesk.tui.panes.base import field_lines, heading
from opsdesk.vocabulary import ExperimentDecision, ExperimentResult, ExperimentStatus

STATUS_STYLE = {
    ExperimentStatus.RUNNING: "bold green",
    ExperimentStatus.ANALYZING: "yellow",
    ExperimentStatus.DESIGNING: "cyan",
    ExperimentStatus.IDEA: "",
    ExperimentStatus.CONCLUDED: "dim",
    ExperimentStatus.ABANDONED: "dim strike",
}

RESULT_STYLE = {
    ExperimentResult.WON: "bold green",
    ExperimentResult.LOST: "bold red",
    ExperimentResult.FLAT: "yellow",
    ExperimentResult.INCONCLUSIVE: "magenta",
}

COLUMN_TITLES = {
    ExperimentStatus.IDEA: "Idea",
    ExperimentStatus.DESIGNING: "Designing",
    ExperimentStatus.RUNNING: "Running",
    ExperimentStatus.ANALYZING: "Analyzing",
    ExperimentStatus.CONCLUDED: "Concluded",
    ExperimentStatus.ABANDONED: "Abandoned",
}

CONFLICT_MARK = "⚠"

MAX_CONFLICT_LINES = 8
"""Overlaps listed in an experiment's details; the conflicts view has them all."""


YEAR_FORMS = 3
"""How many ways a card can write a date of another year, fullest first (see :func:`short_day`)."""


def short_day(value: dt.date | None, today: dt.date, level: int = 0) -> str:
    """A card's date: '06 Dec' this year; another year's date carries its year, fullest first
    by ``level``: '28 Feb 2025', "28 Feb '25", then "Feb '25" for a narrow card.

    Without the year, 'ended 28 Feb' in Analyzing could be this February or last one's."""
    if value is None:
        return "?"
    return _date_text(value, level, with_year=value.year != today.year)


def _date_text(value: dt.date, level: int, *, with_year: bool) -> str:
    """One date at one level of :func:`short_day` (level 2 drops the day), its year or not."""
    text = value.strftime("%b") if level >= YEAR_FORMS - 1 else value.strftime("%d %b")
    if not with_year:
        return text
    return f"{text} {value:%Y}" if level == 0 else f"{text} '{value:%y}"


def _year_levels(today: dt.date, *days: dt.date | None) -> range:
    """The levels of :func:`short_day` worth trying: one when every date is this year's."""
    other_year = any(value is not None and value.year != today.year for value in days)
    return range(YEAR_FORMS if other_year else 1)


CardLine = list[tuple[str, str]]
"""One line of a card as runs of (visible text, Rich style): cheap to draw a hundred times."""


def card_lines(
    experiment: Experiment, width: int, conflicted: bool, today: dt.date
) -> list[CardLine]:
    """A card's three lines: title (flagged when it collides), surface and owner, and where
    it stands (its window, how long it has run, or its result), in ``width`` cells."""
    title: CardLine = [(f"{CONFLICT_MARK} ", "bold red")] if conflicted else []
    title.append((one_line(experiment.title), "bold"))
    parts = (experiment.surface, experiment.owner)
    meta: CardLine = [(" · ".join(one_line(part) for part in parts if part), "dim")]
    return [title, meta, _fitting(_standings(experiment, today), width)]


def _fitting(forms: Sequence[CardLine], width: int) -> CardLine:
    """The first (fullest) of ``forms`` that fits in ``width`` cells, else the shortest.

    At 80 columns a card has 13 cells: 'day 5 · ends 21 Dec' was cut to 'day 5 · ends…'
    and '25 Jan → 15 Feb' to '25 Jan → 15 …', losing the one date that mattered.
    """
    for form in forms:
        if sum(cell_len(text) for text, _ in form) <= width:
            return form
    return forms[-1]


def _standings(experiment: Experiment, today: dt.date) -> list[CardLine]:
    """Where a card stands, from its fullest wording to its tersest."""
    status = experiment.status
    if status is ExperimentStatus.RUNNING:
        start = experiment.actual_start or today
        ran = f"day {(today - start).days + 1}"
        end = experiment.planned_end
        if end is not None and end < today:
            over = (today - end).days
            return [
                [(ran, "green"), (f" · {over} d over", "bold red")],
                [(ran, "green"), (f" · {over}d over", "bold red")],
                [(f"{over} d over", "bold red")],
            ]
        if end is not None:
            forms: list[CardLine] = []
            for level in _year_levels(today, end):
                if level == YEAR_FORMS - 1:
                    forms += [[(f"{ran}→{text}", "green")] for text in _compact_ends(today, end)]
                ends = short_day(end, today, level)
                forms += [
                    [(f"{ran} · ends {ends}", "green")],
                    [(f"{ran} → {ends}", "green")],
                    [(f"{ran}→{ends}", "green")],
                ]
            return [*forms, [(ran, "green")]]
        return [[(ran, "green")]]
    if status is ExperimentStatus.ANALYZING:
        ended = experiment.actual_end
        return [
            [(f"ended {short_day(ended, today, level)}", "yellow")]
            for level in _year_levels(today, ended)
        ]
    if status is ExperimentStatus.CONCLUDED:
        if experiment.result is None:
            return [[("no result", "dim")]]
        result = (experiment.result.value.upper(), RESULT_STYLE[experiment.result])
        if experiment.decision is None:
            return [[result]]
        decision = words(experiment.decision)
        return [[result, (f" · {decision}", "")], [result, (f"·{decision}", "")], [result]]
    if status is ExperimentStatus.ABANDONED:
        return [[("abandoned", "dim")]]
    if experiment.planned_start is None:
        return [[("no dates yet", "dim italic")]]
    return _window_forms(experiment.planned_start, experiment.planned_end, today)


def _window_forms(start: dt.date, end: dt.date | None, today: dt.date) -> list[CardLine]:
    """A planned window, fullest first: '21 Dec → 20 Jan 2027' down to "Dec→Jan '27".

    A year is written once where both ends share it ('05 Jan → 26 Jan 2027'); the start
    carries its own only when it differs from the end's and is not this year's. Before
    giving up the days, a narrow card tries them unpadded ("28 Dec→3 Jan '27", "5–26 Jan
    '27"), then without the end's year where the start's settles it ('28 Dec→3 Jan': the
    first 3 January after 28 December), then with the end's day only ("Dec→3 Jan '27"):
    the days are what a manager plans around. The narrowest forms name months only:
    "Jan '27" for a window within one month, else the month it starts ("Dec '27 →")."""
    start_year = start.year != today.year and (end is None or end.year != start.year)
    levels = _year_levels(today, start, end)
    one_month = end is not None and (start.year, start.month) == (end.year, end.month)
    forms: list[CardLine] = []
    for level in levels:
        end_text = short_day(end, today, level) if end else "open"
        if level == YEAR_FORMS - 1:
            forms += [[(text, "")] for text in _compact_windows(start, end, today, start_year)]
        if level == YEAR_FORMS - 1 and one_month:
            forms.append([(end_text, "")])
            continue
        begin = _date_text(start, level, with_year=start_year)
        forms += [[(f"{begin} → {end_text}", "")], [(f"{begin}→{end_text}", "")]]
    if len(levels) > 1:
        forms.append([(f"{short_day(start, today, YEAR_FORMS - 1)} →", "")])
    return forms


def _compact_day(value: dt.date) -> str:
    """'3 Jan': a day without its padding zero, a cell saved for a narrow card."""
    return f"{value.day} {value:%b}"


def _follows(earlier: dt.date, later: dt.date) -> bool:
    """Whether ``later`` is the first date of its day and month after ``earlier``, so its
    year goes without saying once the earlier one's is known ('28 Dec → 3 Jan')."""
    if later < earlier:
        return False
    if later.year == earlier.year:
        return True
    return later.year == earlier.year + 1 and (later.month, later.day) < (
        earlier.month,
        earlier.day,
    )


def _compact_ends(today: dt.date, end: dt.date) -> list[str]:
    """A running card's end of another year in few cells, its day kept: "21 Jan '27", then
    '21 Jan' when it is the next 21 January to come (a running card's end still ahead)."""
    forms = [f"{_compact_day(end)} '{end:%y}"]
    if _follows(today, end):
        forms.append(_compact_day(end))
    return forms


def _compact_windows(
    start: dt.date, end: dt.date | None, today: dt.date, start_year: bool
) -> list[str]:
    """The narrow forms of a window of another year that keep its days (see
    :func:`_window_forms`), fullest first."""
    if end is None:
        return []
    begin = _compact_day(start) + (f" '{start:%y}" if start_year else "")
    year = f" '{end:%y}" if end.year != today.year else ""
    forms = [f"{begin}→{_compact_day(end)}{year}"]
    if (start.year, start.month) == (end.year, end.month):
        forms.append(f"{start.day}–{end.day} {end:%b}{year}")
    if start.year == today.year and _follows(start, end):
        forms.append(f"{_compact_day(start)}→{_compact_day(end)}")
    month = f"{start:%b} '{start:%y}" if start_year else f"{start:%b}"
    forms.append(f"{month}→{_compact_day(end)}{year}")
    return forms


def _who(candidate: Candidate) -> str:
    return visible(candidate.owner or "nobody")


def conflict_line(conflict: Conflict, experiment_id: int) -> Text:
    """'⚠ Overlaps #16 Annual plan… (Elena Vasquez): same surface (checkout), dates'."""
    other = conflict.other(experiment_id)
    text = Text(f"{CONFLICT_MARK} ", style="bold red")
    text.append(f"#{other.id} {one_line(other.title)}", style="bold")
    text.append(f" ({_who(other)}, {other.status.value}): ")
    text.append(one_line(conflict.describe_reasons(), 300))
    text.append(f", {conflict.overlap.describe()}")
    return text


def experiment_detail(
    experiment: Experiment,
    *,
    conflicts: Sequence[Conflict] = (),
    feedback: Sequence[Feedback] = (),
    launches: Sequence[Launch] = (),
    learnings_first: bool = False,
) -> RenderableType:
    """Everything about one experiment, collisions first (they need a conversation now).

    ``learnings_first`` (the learnings library) puts what was learned under the title: it
    is what the library is read for, and below thirteen fields and the hypothesis it was
    off screen at 80x24, where the detail has five lines."""
    parts: list[RenderableType] = [heading(experiment.title)]
    learnings = _learnings(experiment)
    if learnings_first:
        parts += learnings
        learnings = []
    if conflicts and experiment.id is not None:
        parts.append(Text("Overlaps — talk before you collide", style="bold red"))
        for conflict in conflicts[:MAX_CONFLICT_LINES]:
            parts.append(conflict_line(conflict, experiment.id))
        hidden = len(conflicts) - MAX_CONFLICT_LINES
        if hidden > 0:
            parts.append(Text(f"… and {hidden} more (c lists every overlap)", style="red"))
        parts.append(Text(""))
    parts.append(
        field_lines(
            [
                ("Status", words(experiment.status)),
                ("Owner", experiment.owner),
                ("Team", experiment.team),
                ("Surface", experiment.surface),
                ("Audience", experiment.audience),
                ("Primary metric", experiment.primary_metric),
                ("Guardrails", ", ".join(experiment.guardrail_metrics)),
                ("Planned", date_window(experiment.planned_start, experiment.planned_end)),
                ("Actual", date_window(experiment.actual_start, experiment.actual_end)),
                ("Result", words(experiment.result)),
                ("Effect", experiment.effect),
                ("Decision", words(experiment.decision)),
            ]
        )
    )
    if experiment.hypothesis:
        parts.append(Text("Hypothesis", style="bold"))
        parts.append(Text(preview(experiment.hypothesis) + "\n"))
    parts += learnings
    if launches:
        parts.append(Text("Launches", style="bold"))
        for launch in launches:
            parts.append(Text(f"#{launch.id} {one_line(launch.title)} · {day(launch.launch_date)}"))
        parts.append(Text(""))
    if feedback:
        parts.append(Text("Feedback", style="bold"))
        for item in feedback:
            who = f" · {one_line(item.company)}" if item.company else ""
            parts.append(Text(f"#{item.id} {one_line(item.title)}{who}"))
    return Group(*parts)


def _learnings(experiment: Experiment) -> list[RenderableType]:
    """The learnings block of :func:`experiment_detail`, or nothing when there are none."""
    if not experiment.learnings:
        return []
    return [Text("Learnings", style="bold"), Text(preview(experiment.learnings) + "\n")]


def conflict_detail(conflict: Conflict) -> RenderableType:
    """Both sides of a collision, with their owners: who should talk to whom."""
    parts: list[RenderableType] = [
        Text("Overlapping experiments\n", style="bold underline"),
        Text(one_line(conflict.describe_reasons(), 300), style="bold red"),
        Text(f"Both run {conflict.overlap.describe()}\n"),
    ]
    for side in (conflict.first, conflict.second):
        parts.append(Text(f"#{side.id} {visible(side.title)}", style="bold"))
        parts.append(
            field_lines(
                [
                    ("Owner", side.owner or "nobody"),
                    ("Team", side.team),
                    ("Status", words(side.status)),
                    ("Window", side.window.describe()),
                    ("Surface", side.surface),
                    ("Metric", side.primary_metric),
                    ("Audience", side.audience),
                ]
            )
        )
    first, second = conflict.first.owner, conflict.second.owner
    if first and second and first != second:
        parts.append(Text(f"{visible(first)} and {visible(second)} should talk.", style="italic"))
    elif first and first == second:
        parts.append(Text(f"Both are {visible(first)}'s: reschedule one.", style="italic"))
    return Group(*parts)


def similar_aside(similar: Sequence[Similar], clashes: Sequence[Conflict]) -> RenderableType:
    """What a form shows beside the fields as the user types: past experiments like this
    one and what they found, and the running or planned ones this would collide with."""
    parts: list[RenderableType] = []
    if clashes:
        parts.append(Text("Would overlap", style="bold red"))
        for conflict in clashes:
            parts.append(conflict_line(conflict, DRAFT_ID))
    if similar:
        parts.append(Text("Before you start — similar past experiments", style="bold"))
        for found in similar:
            past = found.experiment
            line = Text(f"#{past.id} {one_line(past.title)} ", style="bold")
            if past.result is not None:
                line.append(past.result.value.upper(), style=RESULT_STYLE[past.result])
            else:
                line.append(past.status.value, style="dim")
            said = past.status is ExperimentStatus.ABANDONED and (
                past.decision is ExperimentDecision.ABANDON
            )  # 'abandoned · abandon' said it twice
            if past.decision is not None and not said:
                line.append(f" · {words(past.decision)}")
            parts.append(line)
            if past.learnings:
                parts.append(Text(f"  {one_line(past.learnings, 160)}", style="dim"))
    if not parts:
        return ""
    return Group(*parts)


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:.0f} d"


WIN_RATE_RULE = "win rate: won of won+lost+flat"
"""How the library's win rate is counted, said above its table (the learnings report says
the same in a sentence): an inconclusive experiment neither won nor lost."""


def stats_table(stats: Sequence[GroupStats], by: str) -> Table:
    """Win rate and planned vs actual duration per team or surface.

    Inconclusive experiments have their own column and stay out of the win rate (see
    :attr:`GroupStats.win_rate`); a group with nothing decided shows a dash, not 0 %.
    """
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
    table.add_column(by.capitalize(), ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("Done", justify="right", width=5)
    table.add_column("Won", justify="right", width=4)
    table.add_column("Win rate", justify="right", width=8)
    table.add_column("Incon.", justify="right", width=6)
    table.add_column("Planned", justify="right", width=7)
    table.add_column("Actual", justify="right", width=7)
    for group in stats:
        rate = group.win_rate
        actual = Text(_days(group.actual_days))
        planned, taken = group.planned_days, group.actual_days
        if planned is not None and taken is not None and taken > planned * 1.1:
            actual.stylize("red")  # overran the plan by more than a tenth
        table.add_row(
            Text(one_line(group.name)),
            f"{group.concluded:,}",
            f"{group.won:,}",
            "—" if rate is None else f"{rate:.0%}",
            f"{group.inconclusive:,}" if group.inconclusive else "",
            _days(group.planned_days),
            actual,
        )
    return table
