"""The Markdown reports: weekly digest, launch brief, experiment readout, themes, learnings.

Each report is a plain dataclass of records and numbers (the services fill it from the
store) and a function that writes it with :class:`~opsdesk.exporters.markdown.Document`,
so every piece of text in it is escaped the same way. Dates are absolute (``2026-11-26``),
instants are shown in the user's time zone, which the report names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from opsdesk.exporters.markdown import Document
from opsdesk.formatting import counted
from opsdesk.models import Experiment, Feedback, GoNoGo, Launch, LaunchSlip, ReadinessItem
from opsdesk.rules.risk import readiness_words
from opsdesk.vocabulary import LaunchStatus, label

SPARKS = "▁▂▃▄▅▆▇█"


def _words(value: object) -> str:
    if value is None:
        return ""
    return label(str(getattr(value, "value", value)))


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _instant(value: dt.datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _deadline(value: dt.datetime | None, tz: ZoneInfo) -> str:
    """An SLA deadline as the last day it allows, as the inbox shows it ('2026-11-30').

    A deadline is the local midnight that ends its last working day: written as
    '2026-12-01 00:00' it read a day later than the inbox's 'by end of Mon 30 Nov 2026'.
    One that is not a midnight (a DST gap can move it) is written with its time."""
    if value is None:
        return ""
    local = value.astimezone(tz)
    if local.time() != dt.time(0):
        return local.strftime("%Y-%m-%d %H:%M")
    return (local.date() - dt.timedelta(days=1)).isoformat()


def _generated(doc: Document, now: dt.datetime, tz: ZoneInfo) -> None:
    doc.paragraph(f"Generated {_instant(now, tz)} ({tz.key}) by opsdesk.")


def _ready(percent: int | None, done: int, applicable: int) -> str:
    """A table cell's readiness: '80% (8/10)'; 'n/a' when every item is not applicable
    (nothing is owed: it read '100% (0/0)')."""
    if percent is None:
        return "no items"
    if applicable == 0:
        return "n/a"
    return f"{percent}% ({done:,}/{applicable:,})"


def trend(this_week: int, earlier: Sequence[int] | float) -> str:
    """'↑ rising', '↓ falling', '→ steady' or 'new', against the earlier weeks' average."""
    average = earlier if isinstance(earlier, float) else sum(earlier) / max(len(earlier), 1)
    if average == 0:
        return "new" if this_week else "→ steady"
    if this_week >= average * 1.25 and this_week - average >= 1:
        return "↑ rising"
    if this_week <= average * 0.75 and average - this_week >= 1:
        return "↓ falling"
    return "→ steady"


def sparkline(counts: Sequence[int]) -> str:
    """Weekly counts as one line of block characters, scaled to the busiest week."""
    top = max(counts, default=0)
    if top == 0:
        return SPARKS[0] * len(counts)
    return "".join(
        SPARKS[min(len(SPARKS) - 1, count * (len(SPARKS) - 1) // top)] for count in counts
    )


# -- the weekly digest -------------------------------------------------------------------------


@dataclass(frozen=True)
class LaunchLine:
    """A launch with its readiness and, when at risk, why."""

    launch: Launch
    percent: int | None
    done: int
    applicable: int
    risks: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class OwnerSla:
    owner: str | None
    breached: int
    at_risk: int


@dataclass(frozen=True)
class BreachLine:
    """A breached item, the deadline it missed, and which: 'acknowledge' or 'decide'."""

    item: Feedback
    due: dt.datetime | None
    step: str = "decide"


@dataclass(frozen=True)
class ThemeWeeks:
    tag: str
    this_week: int
    last_week: int
    four_weeks: int


@dataclass(frozen=True)
class FollowUpLine:
    due: dt.date
    contact: str
    company: str | None
    by: str
    purpose: str


@dataclass
class Digest:
    """Everything the weekly ops digest says."""

    now: dt.datetime
    tz: ZoneInfo
    week_start: dt.date
    week_end: dt.date
    weeks_ahead: int
    horizon: dt.date
    launches: list[LaunchLine] = field(default_factory=list)
    launches_total: int = 0
    breached: int = 0
    at_risk: int = 0
    sla_owners: list[OwnerSla] = field(default_factory=list)
    worst: list[BreachLine] = field(default_factory=list)
    new_feedback: int = 0
    new_feedback_before: int = 0
    themes: list[ThemeWeeks] = field(default_factory=list)
    untagged: int = 0
    touches: int = 0
    touches_by: list[tuple[str, int]] = field(default_factory=list)
    touches_by_purpose: list[tuple[str, int]] = field(default_factory=list)
    overdue: int = 0
    overdue_follow_ups: list[FollowUpLine] = field(default_factory=list)
    started: list[Experiment] = field(default_factory=list)
    concluded: list[Experiment] = field(default_factory=list)
    running: int = 0
    learnings_limit: int = 600


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def digest_markdown(digest: Digest) -> str:
    """The weekly ops digest as Markdown."""
    d, tz = digest, digest.tz
    doc = Document()
    doc.heading(1, f"Weekly ops digest: {_day(d.week_start)} to {_day(d.week_end)}")
    _generated(doc, d.now, tz)

    doc.heading(2, f"Launches in the next {counted(d.weeks_ahead, 'week')}")
    doc.paragraph(
        f"{counted(d.launches_total, 'launch', 'launches')} still to land from "
        f"{_day(d.week_end)} to {_day(d.horizon)}"
        + (
            f"; the first {len(d.launches):,} are shown."
            if d.launches_total > len(d.launches)
            else "."
        )
    )
    doc.table(
        ["Date", "Launch", "Owner", "Tier", "Status", "Readiness", "Risks"],
        [
            [
                _day(line.launch.launch_date),
                f"#{line.launch.id} {line.launch.title}",
                line.launch.owner,
                line.launch.tier,
                _words(line.launch.status),
                _ready(line.percent, line.done, line.applicable),
                len(line.risks),
            ]
            for line in d.launches
        ],
        align="lllrlrr",
    )
    risky = [line for line in d.launches if line.risks or line.flags]
    if risky:
        doc.heading(3, "At risk")
        doc.bullets(
            "\n".join(
                [
                    f"#{line.launch.id} {line.launch.title} ({_day(line.launch.launch_date)}):",
                    *line.risks,
                    *line.flags,
                ]
            )
            for line in risky
        )

    doc.heading(2, "Feedback SLAs")
    doc.paragraph(
        f"{counted(d.breached, 'item has', 'items have')} breached their SLA; "
        f"{counted(d.at_risk, 'item is', 'items are')} due within 24 hours."
    )
    doc.table(
        ["Owner", "Breached", "At risk"],
        [[row.owner or "(no owner)", row.breached, row.at_risk] for row in d.sla_owners],
        align="lrr",
    )
    if d.worst:
        doc.heading(3, "Most overdue")
        doc.table(
            ["#", "Title", "Priority", "Kind", "Owner", "Company", "Missed"],
            [
                [
                    str(line.item.id),
                    line.item.title,
                    f"P{line.item.priority}",
                    _words(line.item.kind),
                    line.item.owner or "(no owner)",
                    line.item.company,
                    f"{line.step} by {_deadline(line.due, tz)}" if line.due else "",
                ]
                for line in d.worst
            ],
            align="rllllll",
        )

    doc.heading(2, "New feedback by theme")
    doc.paragraph(
        f"{counted(d.new_feedback, 'item')} arrived from {_day(d.week_start)} to "
        f"{_day(d.week_end)}; {d.new_feedback_before:,} in the seven days before "
        f"({trend(d.new_feedback, [d.new_feedback_before])})."
    )
    doc.table(
        ["Theme", "This week", "Week before", "Last 4 weeks", "Trend vs. 3 weeks before"],
        [
            [
                theme.tag,
                theme.this_week,
                theme.last_week,
                theme.four_weeks,
                trend(theme.this_week, (theme.four_weeks - theme.this_week) / 3),
            ]
            for theme in d.themes
        ],
        align="lrrrl",
        empty="No new feedback carries a theme this week.",
    )
    if d.untagged:
        doc.paragraph(f"{counted(d.untagged, 'new item has', 'new items have')} no theme yet.")

    doc.heading(2, "Research contacts")
    doc.paragraph(
        f"{counted(d.touches, 'touch', 'touches')} from {_day(d.week_start)} to "
        f"{_day(d.week_end)}; {counted(d.overdue, 'follow-up')} overdue."
    )
    doc.table(["Who", "Touches"], d.touches_by, align="lr")
    doc.table(
        ["Purpose", "Touches"],
        [[_words(purpose), count] for purpose, count in d.touches_by_purpose],
        align="lr",
    )
    if d.overdue_follow_ups:
        doc.heading(3, "Overdue follow-ups")
        doc.table(
            ["Due", "Contact", "Company", "Owner", "Purpose"],
            [
                [_day(f.due), f.contact, f.company, f.by, _words(f.purpose)]
                for f in d.overdue_follow_ups
            ],
        )

    doc.heading(2, "Experiments")
    doc.paragraph(
        f"{counted(d.running, 'experiment')} running; {len(d.started):,} started and "
        f"{len(d.concluded):,} concluded from {_day(d.week_start)} to {_day(d.week_end)}."
    )
    if d.started:
        doc.heading(3, "Started")
        doc.table(
            ["Started", "Experiment", "Owner", "Team", "Surface", "Metric", "Planned end"],
            [
                [
                    _day(e.actual_start),
                    f"#{e.id} {e.title}",
                    e.owner,
                    e.team,
                    e.surface,
                    e.primary_metric,
                    _day(e.planned_end),
                ]
                for e in d.started
            ],
        )
    if d.concluded:
        doc.heading(3, "Concluded, with learnings")
        doc.table(
            ["Ended", "Experiment", "Result", "Effect", "Decision"],
            [
                [
                    _day(e.actual_end),
                    f"#{e.id} {e.title}",
                    _words(e.result),
                    e.effect,
                    _words(e.decision),
                ]
                for e in d.concluded
            ],
        )
        doc.bullets(
            f"#{e.id} {e.title}: "
            + (_clip(e.learnings, d.learnings_limit) if e.learnings.strip() else "no learnings yet")
            for e in d.concluded
        )
    return doc.text()


# -- the launch brief --------------------------------------------------------------------------


@dataclass
class LaunchBrief:
    """One launch in full, as of one day."""

    now: dt.datetime
    tz: ZoneInfo
    launch: Launch
    percent: int | None
    done: int
    applicable: int
    total: int
    items: list[ReadinessItem]
    item_risks: dict[int, str] = field(default_factory=dict)
    """Readiness item id → why it puts the launch at risk ('overdue', ...)."""
    risks: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    slips: list[LaunchSlip] = field(default_factory=list)
    decisions: list[GoNoGo] = field(default_factory=list)
    impossible_ids: frozenset[int] = frozenset()
    experiments: list[Experiment] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    feedback_total: int = 0
    function_order: list[str] = field(default_factory=list)


def launch_markdown(brief: LaunchBrief) -> str:
    """The launch brief: readiness by function, risks, slips, go/no-go, links."""
    b, tz, launch = brief, brief.tz, brief.launch
    doc = Document()
    doc.heading(1, f"Launch brief: {launch.title}")
    _generated(doc, b.now, tz)
    moved = (
        f" (originally {_day(launch.original_date)})"
        if launch.original_date and launch.original_date != launch.launch_date
        else ""
    )
    doc.fields(
        [
            ("Launch", f"#{launch.id}"),
            ("Launch date", f"{_day(launch.launch_date)}{moved}"),
            ("Owner", launch.owner or "nobody yet"),
            ("Tier", launch.tier),
            ("Status", _words(launch.status)),
            ("Audience", launch.audience),
            (
                "Readiness",
                readiness_words(
                    b.percent,
                    b.done,
                    b.applicable,
                    cancelled=launch.status == LaunchStatus.CANCELLED,
                )
                + (f", {counted(b.total, 'item')} in all" if b.total else ""),
            ),
        ]
    )
    if launch.summary.strip():
        doc.heading(2, "Summary")
        doc.paragraph(launch.summary)

    doc.heading(2, "Readiness by function")
    order = {name: index for index, name in enumerate(b.function_order)}
    items = sorted(
        b.items, key=lambda i: (order.get(i.function, len(order)), i.function, i.due_date, i.id)
    )
    doc.table(
        ["Function", "Item", "Owner", "Due", "State", "Risk", "Evidence", "Signed off"],
        [
            [
                _words(item.function),
                item.title,
                item.owner or (f"({item.owner_role})" if item.owner_role else ""),
                _day(item.due_date),
                _words(item.state),
                _words(b.item_risks.get(int(item.id or 0)))
                + (" (no longer possible)" if int(item.id or 0) in b.impossible_ids else ""),
                item.evidence,
                " ".join(
                    part for part in (item.signed_off_by, _instant(item.signed_off_at, tz)) if part
                ),
            ]
            for item in items
        ],
        empty="This launch has no readiness items.",
    )
    doc.heading(2, "Risks")
    doc.bullets(b.risks, empty="Nothing puts this launch at risk today.")
    if b.flags:
        doc.heading(2, "Flags")
        doc.bullets(b.flags)

    doc.heading(2, "Slips")
    doc.table(
        ["Recorded", "From", "To", "By", "Reason", "Items moved"],
        [
            [_instant(s.at, tz), _day(s.old_date), _day(s.new_date), s.by, s.reason, s.moved_items]
            for s in b.slips
        ],
        align="lllllr",
        empty="The launch date has not moved.",
    )

    doc.heading(2, "Go/no-go")
    doc.table(
        ["Decided", "By", "Decision", "Readiness then", "Risks then", "Note"],
        [
            [
                _instant(g.at, tz),
                g.by,
                "GO" if g.decision.value == "go" else "NO-GO",
                _ready(g.snapshot.percent, g.snapshot.done, g.snapshot.applicable),
                "; ".join(g.snapshot.risks) or "none",
                g.note,
            ]
            for g in b.decisions
        ],
        empty="No go/no-go decision is recorded yet.",
    )

    if b.experiments:
        doc.heading(2, "Experiments informing this launch")
        doc.table(
            ["#", "Experiment", "Status", "Result", "Decision"],
            [
                [str(e.id), e.title, _words(e.status), _words(e.result), _words(e.decision)]
                for e in b.experiments
            ],
            align="rllll",
        )
    if b.feedback_total:
        doc.heading(2, "Customer feedback on this launch")
        more = b.feedback_total - len(b.feedback)
        doc.paragraph(
            f"{counted(b.feedback_total, 'item')} linked"
            + (f"; the {len(b.feedback):,} with the most demand are shown." if more > 0 else ".")
        )
        doc.table(
            ["#", "Title", "Priority", "Kind", "Status", "Company"],
            [
                [str(f.id), f.title, f"P{f.priority}", _words(f.kind), _words(f.status), f.company]
                for f in b.feedback
            ],
            align="rlllll",
        )
    return doc.text()


# -- the experiment readout --------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictLine:
    """One experiment the readout's experiment overlaps, with its owner: the person to
    agree the dates with (None when nobody owns it yet)."""

    other_id: int
    other_title: str
    reasons: str
    overlap: str
    other_owner: str | None = None


@dataclass
class ExperimentReadout:
    now: dt.datetime
    tz: ZoneInfo
    experiment: Experiment
    feedback: list[Feedback] = field(default_factory=list)
    launches: list[Launch] = field(default_factory=list)
    conflicts: list[ConflictLine] = field(default_factory=list)


def _window(start: dt.date | None, end: dt.date | None) -> str:
    if start is None:
        return ""
    return f"{_day(start)} to {_day(end)}" if end else f"from {_day(start)}"


def experiment_markdown(readout: ExperimentReadout) -> str:
    """An experiment's readout: what was tested, on whom, the result and what was learnt."""
    e, tz = readout.experiment, readout.tz
    doc = Document()
    doc.heading(1, f"Experiment readout: {e.title}")
    _generated(doc, readout.now, tz)
    doc.fields(
        [
            ("Experiment", f"#{e.id}"),
            ("Status", _words(e.status)),
            ("Owner", e.owner or "nobody yet"),
            ("Team", e.team),
            ("Surface", e.surface),
            ("Audience", e.audience),
            ("Primary metric", e.primary_metric),
            ("Guardrail metrics", ", ".join(e.guardrail_metrics)),
            ("Planned", _window(e.planned_start, e.planned_end)),
            ("Ran", _window(e.actual_start, e.actual_end)),
            ("Result", _words(e.result)),
            ("Effect", e.effect),
            ("Decision", _words(e.decision)),
        ]
    )
    doc.heading(2, "Hypothesis")
    doc.paragraph(e.hypothesis or "No hypothesis written.")
    doc.heading(2, "Learnings")
    doc.paragraph(e.learnings or "No learnings written yet.")
    if readout.launches:
        doc.heading(2, "Launches it informs")
        doc.table(
            ["#", "Launch", "Date", "Status"],
            [[str(x.id), x.title, _day(x.launch_date), _words(x.status)] for x in readout.launches],
            align="rlll",
        )
    if readout.feedback:
        doc.heading(2, "Feedback that prompted it")
        doc.table(
            ["#", "Title", "Received", "Company"],
            [
                [str(f.id), f.title, _instant(f.received_at, tz), f.company]
                for f in readout.feedback
            ],
            align="rlll",
        )
    if readout.conflicts:
        doc.heading(2, "Overlapping experiments")
        doc.table(
            ["#", "Experiment", "Owner", "Why", "Overlap"],
            [
                [
                    str(c.other_id),
                    c.other_title,
                    c.other_owner or "nobody yet",
                    c.reasons,
                    c.overlap,
                ]
                for c in readout.conflicts
            ],
            align="rllll",
        )
    return doc.text()


# -- themes and learnings ----------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeLine:
    tag: str
    items: int
    customers: int
    weekly: list[int]


@dataclass
class ThemesReport:
    now: dt.datetime
    tz: ZoneInfo
    first_week: dt.date
    weeks: int
    themes: list[ThemeLine] = field(default_factory=list)


def themes_markdown(report: ThemesReport) -> str:
    """The feedback themes: items and customers per tag, and how each has moved by week."""
    doc = Document()
    last_day = report.first_week + dt.timedelta(weeks=report.weeks, days=-1)
    doc.heading(1, "Feedback themes")
    _generated(doc, report.now, report.tz)
    doc.paragraph(
        f"Items and distinct customers per theme (all time), and the items received each "
        f"week from {_day(report.first_week)} to {_day(last_day)} (weeks start on Monday; "
        "the last one is this week so far)."
    )
    rows = []
    for theme in report.themes:
        recent, before = theme.weekly[-4:], theme.weekly[-8:-4]
        rows.append(
            [
                theme.tag,
                theme.items,
                theme.customers,
                sum(recent),
                sum(before),
                trend(sum(recent), [sum(before)]),
                sparkline(theme.weekly),
            ]
        )
    doc.table(
        ["Theme", "Items", "Customers", "Last 4 weeks", "4 weeks before", "Trend", "Weekly"],
        rows,
        align="lrrrrll",
        empty="No feedback carries a theme yet.",
    )
    return doc.text()


@dataclass(frozen=True)
class TeamLine:
    """One team's concluded experiments by result; ``win_rate`` is wins out of the decided
    ones (won, lost or flat), None when none was decided, as the library shows it."""

    name: str
    concluded: int
    won: int
    lost: int
    flat: int
    inconclusive: int
    win_rate: float | None


@dataclass
class LearningsReport:
    now: dt.datetime
    tz: ZoneInfo
    experiments: list[Experiment] = field(default_factory=list)
    total: int = 0
    teams: list[TeamLine] = field(default_factory=list)


def learnings_markdown(report: LearningsReport) -> str:
    """What concluded experiments taught, newest first, with each team's win rate."""
    doc = Document()
    doc.heading(1, "Learnings library")
    _generated(doc, report.now, report.tz)
    shown = len(report.experiments)
    doc.paragraph(
        f"{counted(report.total, 'concluded experiment')}"
        + (f"; the {shown:,} that ended most recently are below." if shown < report.total else ".")
    )
    doc.heading(2, "By team")
    doc.paragraph(
        "Win rate: won out of the decided experiments (won, lost or flat). Inconclusive "
        "experiments are counted apart and left out of the rate: they neither won nor lost."
    )
    doc.table(
        ["Team", "Concluded", "Won", "Lost", "Flat", "Inconclusive", "Win rate"],
        [
            [
                t.name,
                t.concluded,
                t.won,
                t.lost,
                t.flat,
                t.inconclusive,
                "—" if t.win_rate is None else f"{t.win_rate:.0%}",
            ]
            for t in report.teams
        ],
        align="lrrrrrr",
        empty="No experiment has concluded yet.",
    )
    for e in report.experiments:
        doc.heading(2, f"#{e.id} {e.title}")
        doc.fields(
            [
                ("Ended", _day(e.actual_end or e.planned_end)),
                ("Team", e.team),
                ("Owner", e.owner),
                ("Surface", e.surface),
                ("Primary metric", e.primary_metric),
                ("Result", _words(e.result)),
                ("Effect", e.effect),
                ("Decision", _words(e.decision)),
            ]
        )
        doc.paragraph(e.learnings or "No learnings written.")
    return doc.text()
