"""The Markdown reports, gathered from every area and written by the exporter.

Each report reads what the areas' own services expose (the launch service's assessment,
slips and go/no-go; the experiments' readout and library; the inbox's SLA views and themes)
plus a few aggregates of its own (:mod:`opsdesk.store.reports`), and never a whole table:
the digest on 100,000 feedback items stays well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opsdesk.exporters.markdown_reports import (
    BreachLine,
    ConflictLine,
    Digest,
    ExperimentReadout,
    FollowUpLine,
    LaunchBrief,
    LaunchLine,
    LearningsReport,
    OwnerSla,
    TeamLine,
    ThemeLine,
    ThemesReport,
    ThemeWeeks,
    digest_markdown,
    experiment_markdown,
    launch_markdown,
    learnings_markdown,
    themes_markdown,
)
from opsdesk.paths import write_private
from opsdesk.services import experiments as experiment_service
from opsdesk.services import feedback as inbox
from opsdesk.services.desk import Desk
from opsdesk.services.launches import LaunchService
from opsdesk.store.base import RecordNotFound
from opsdesk.store.feedback import FeedbackFilter
from opsdesk.store.reports import ReportQueries

REPORTS: dict[str, str] = {
    "digest": "Weekly ops digest",
    "launch": "Launch brief",
    "experiment": "Experiment readout",
    "themes": "Feedback themes",
    "learnings": "Learnings library",
}
"""Every report by name, with its title."""

NEEDS_ID = frozenset({"launch", "experiment"})
DIGEST_LIMIT = 10
"""Rows per digest table: a digest is read in a minute, not scrolled."""


class ReportError(ValueError):
    """A report cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class ReportRequest:
    """Which report, about which record, over how many weeks, at most how many entries."""

    name: str
    record_id: int | None = None
    weeks: int = 4
    limit: int = 50

    def check(self) -> None:
        if self.name not in REPORTS:
            raise ReportError(f"unknown report '{self.name}' (use {', '.join(REPORTS)})")
        if self.name in NEEDS_ID and self.record_id is None:
            raise ReportError(f"the {self.name} report needs the {self.name}'s id")
        if self.name not in NEEDS_ID and self.record_id is not None:
            raise ReportError(f"the {self.name} report takes no id")
        if not 1 <= self.weeks <= 52:
            raise ReportError("weeks must be from 1 to 52")
        if not 1 <= self.limit <= 10_000:
            raise ReportError("the limit must be from 1 to 10,000")

    @property
    def file_stem(self) -> str:
        return f"opsdesk-{self.name}" + (f"-{self.record_id}" if self.record_id else "")


def _local_midnight(desk: Desk, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=desk.tz).astimezone(dt.UTC)


# -- the digest --------------------------------------------------------------------------------


def digest(desk: Desk, weeks: int = 4) -> Digest:
    """The weekly ops digest: the seven days ending today, and ``weeks`` weeks ahead."""
    store, queries, today = desk.store, ReportQueries(desk.store), desk.today()
    inbox.ensure_sla(desk)
    week_start = today - dt.timedelta(days=6)
    start, end = _local_midnight(desk, week_start), _local_midnight(desk, today + dt.timedelta(1))
    report = Digest(
        now=desk.now(),
        tz=desk.tz,
        week_start=week_start,
        week_end=today,
        weeks_ahead=weeks,
        horizon=today + dt.timedelta(weeks=weeks),
    )

    launches, report.launches_total = queries.open_launches_between(
        today, report.horizon, limit=DIGEST_LIMIT * 2
    )
    for view in LaunchService(desk).views(launches):
        report.launches.append(
            LaunchLine(
                view.launch,
                view.assessment.percent,
                view.assessment.done,
                view.assessment.applicable,
                tuple(risk.sentence() for risk in view.assessment.risks),
                tuple(view.flags.sentences()),
            )
        )

    feedback = store.feedback
    breached = feedback.where(FeedbackFilter(view="sla_breached"), now=desk.now(), user=desk.user)
    at_risk = feedback.where(FeedbackFilter(view="sla_at_risk"), now=desk.now(), user=desk.user)
    report.breached = queries.feedback_count(breached)
    report.at_risk = queries.feedback_count(at_risk)
    owners: dict[str | None, list[int]] = {}
    for owner, count in queries.feedback_by_owner(breached, DIGEST_LIMIT):
        owners.setdefault(owner, [0, 0])[0] = count
    for owner, count in queries.feedback_by_owner(at_risk, DIGEST_LIMIT):
        owners.setdefault(owner, [0, 0])[1] = count
    report.sla_owners = sorted(
        (OwnerSla(owner, b, r) for owner, (b, r) in owners.items()),
        key=lambda row: (-row.breached, -row.at_risk, row.owner or ""),
    )
    report.worst = [
        BreachLine(found.item, found.due, found.step)
        for found in queries.most_overdue(breached, DIGEST_LIMIT)
    ]

    report.new_feedback = queries.received_between(start, end)
    report.new_feedback_before = queries.received_between(start - dt.timedelta(weeks=1), start)
    report.themes = [
        ThemeWeeks(row.tag, row.this_week, row.last_week, row.four_weeks)
        for row in queries.tags_by_week(start, end, DIGEST_LIMIT)
    ]
    report.untagged = queries.untagged_between(start, end)

    report.touches_by, report.touches = queries.touches_between(start, end, "by", DIGEST_LIMIT)
    report.touches_by_purpose, _ = queries.touches_between(start, end, "purpose", DIGEST_LIMIT)
    overdue, report.overdue = queries.overdue_follow_ups(today, DIGEST_LIMIT)
    report.overdue_follow_ups = [
        FollowUpLine(f.due, f.contact, f.company, f.by, f.purpose) for f in overdue
    ]

    report.started = queries.experiments_started(week_start, today, DIGEST_LIMIT)
    report.concluded = queries.experiments_concluded(week_start, today, DIGEST_LIMIT)
    report.running = queries.experiments_running()
    return report


# -- one launch, one experiment ----------------------------------------------------------------


def launch_brief(desk: Desk, launch_id: int, feedback_limit: int = 20) -> LaunchBrief:
    """Everything about one launch, as the launch service assesses it today."""
    detail = LaunchService(desk).detail(launch_id)
    view = detail.view
    feedback, feedback_total = ReportQueries(desk.store).feedback_for_launch(
        launch_id, feedback_limit
    )
    assessment = view.assessment
    return LaunchBrief(
        now=desk.now(),
        tz=desk.tz,
        launch=view.launch,
        percent=assessment.percent,
        done=assessment.done,
        applicable=assessment.applicable,
        total=assessment.total,
        items=list(view.items),
        item_risks={item_id: kind.value for item_id, kind in assessment.risk_by_item().items()},
        risks=[risk.sentence() for risk in assessment.risks],
        flags=view.flags.sentences(),
        slips=list(detail.slips),
        decisions=list(detail.decisions),
        impossible_ids=detail.impossible_ids,
        experiments=desk.store.experiments.for_launch(launch_id),
        feedback=feedback,
        feedback_total=feedback_total,
        function_order=desk.config.launches.functions(),
    )


def experiment_readout(desk: Desk, experiment_id: int) -> ExperimentReadout:
    """One experiment with its links and the experiments it overlaps now."""
    found = experiment_service.readout(desk, experiment_id)
    conflicts = []
    for conflict in found.conflicts:
        other = conflict.other(experiment_id)
        conflicts.append(
            ConflictLine(
                other.id,
                other.title,
                conflict.describe_reasons(),
                conflict.overlap.describe(),
                other_owner=other.owner,
            )
        )
    return ExperimentReadout(
        now=desk.now(),
        tz=desk.tz,
        experiment=found.experiment,
        feedback=found.feedback,
        launches=found.launches,
        conflicts=conflicts,
    )


# -- themes and learnings ----------------------------------------------------------------------


def themes_report(desk: Desk, weeks: int = 12, limit: int = 50) -> ThemesReport:
    """The inbox's themes (top tags with their weekly counts), as a report."""
    today = desk.today()
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    return ThemesReport(
        now=desk.now(),
        tz=desk.tz,
        first_week=first,
        weeks=weeks,
        themes=[
            ThemeLine(row.tag, row.items, row.customers, list(row.weekly))
            for row in inbox.themes(desk, weeks=weeks, limit=limit, first_day=first)
        ],
    )


def learnings_report(desk: Desk, limit: int = 50) -> LearningsReport:
    """Concluded experiments that ended most recently, and each team's record."""
    query = experiment_service.LibraryQuery()
    where = experiment_service.library_where(desk, query)
    repository = desk.store.experiments
    rows = repository.window(where, "ended", limit=limit)
    stats = experiment_service.library_stats(desk, query)
    return LearningsReport(
        now=desk.now(),
        tz=desk.tz,
        experiments=[row.record for row in rows],
        total=repository.count(where),
        teams=[
            TeamLine(t.name, t.concluded, t.won, t.lost, t.flat, t.inconclusive, t.win_rate)
            for t in stats.by_team
        ],
    )


# -- any report --------------------------------------------------------------------------------


RENDERERS: dict[str, Callable[[Desk, ReportRequest], str]] = {
    "digest": lambda desk, r: digest_markdown(digest(desk, r.weeks)),
    "launch": lambda desk, r: launch_markdown(launch_brief(desk, int(r.record_id or 0))),
    "experiment": lambda desk, r: experiment_markdown(
        experiment_readout(desk, int(r.record_id or 0))
    ),
    "themes": lambda desk, r: themes_markdown(themes_report(desk, limit=r.limit)),
    "learnings": lambda desk, r: learnings_markdown(learnings_report(desk, r.limit)),
}


def render(desk: Desk, request: ReportRequest) -> str:
    """The Markdown text of one report."""
    request.check()
    try:
        return RENDERERS[request.name](desk, request)
    except RecordNotFound:
        raise ReportError(f"no {request.name} has the id {request.record_id}") from None


def save(path: Path, text: str) -> Path:
    """Write a report to ``path`` as a private (0600) file."""
    if path.is_dir():
        raise ReportError(f"{path} is a folder; name a file such as {path / 'report.md'}")
    return write_private(path, text.encode("utf-8"))
