"""What needs the ops manager now, across launches, feedback, contacts and experiments."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from opsdesk.services import feedback as inbox
from opsdesk.services.desk import Desk
from opsdesk.store.feedback import BUILTIN_VIEWS, FeedbackFilter
from opsdesk.store.today import Section, TodayRepository, TodayRow

LINES_PER_SECTION = 8


@dataclass(frozen=True)
class TodaySection:
    """A titled section of Today with its first lines and the total behind them."""

    key: str
    title: str
    rows: list[TodayRow]
    total: int
    inbox_view: str | None = None
    """The inbox view whose first lines the section shows ("sla_breached"), if it is one."""


def end_of_week(day: dt.date) -> dt.date:
    """The Sunday that ends ``day``'s week."""
    return day + dt.timedelta(days=6 - day.weekday())


def today_sections(desk: Desk, limit: int = LINES_PER_SECTION) -> list[TodaySection]:
    """Every Today section, in the order an ops manager works through them."""
    today = desk.today()
    week_end = end_of_week(today)
    horizon = desk.calendar.add_working_days(today, desk.config.launches.warning_days)
    repo = TodayRepository(desk.store)
    feedback = desk.store.feedback
    now, user = desk.now(), desk.user

    def view(name: str) -> Section:
        where = feedback.where(FeedbackFilter(view=name), now=now, user=user)
        rows, order = feedback.view_rows(name, where)
        return repo.feedback_sla(rows, order, where.params, limit, decided=name == "needs_loop")

    sections = [
        ("readiness", "Readiness due this week or overdue", repo.readiness_due(week_end, limit)),
        (
            "launches_week",
            "Launches this week or past their day",
            repo.launches_due(today, week_end, limit),
        ),
        (
            "launches_risk",
            "Launches at risk",
            _with_reasons(desk, repo.launches_at_risk(today, horizon, limit), horizon),
        ),
        ("sla_breached", "SLA breached", view("sla_breached")),
        ("sla_at_risk", "SLA about to breach (24 h)", view("sla_at_risk")),
        ("follow_ups", "Follow-ups due", repo.follow_ups_due(week_end, limit)),
        ("needs_loop", "Customers waiting to hear back", view("needs_loop")),
        (
            "experiments_ending",
            "Experiments ending this week",
            repo.experiments_ending(today, week_end, limit),
        ),
    ]
    result = [
        TodaySection(key, title, s.rows, s.total, key if key in BUILTIN_VIEWS else None)
        for key, title, s in sections
    ]
    result.append(_conflicts(desk, limit))
    return result


def _with_reasons(desk: Desk, section: Section, horizon: dt.date) -> Section:
    """Each at-risk launch's line says why, first: '2 overdue (legal, marketing) · 20% ready
    · tier 2 · Hannah Cho'. It said only the tier and owner, and the manager opened each
    launch to learn what to chase. Only the lines shown are assessed (the same rules as the
    launch pane), so this costs the same on a thousand launches as on ten."""
    ids = [row.record_id for row in section.rows]
    if not ids:
        return section
    # The risk rules load the models: only when there is an at-risk launch to explain, so
    # that a Today without one draws its lines from plain rows (test_import_hygiene).
    from opsdesk.rules.risk import assess, risk_reason

    items = desk.store.readiness.summaries(ids)
    today = desk.today()
    rows = []
    for row in section.rows:
        launch = desk.store.launches.get(row.record_id)
        reason = risk_reason(assess(launch, items.get(row.record_id, []), today, horizon))
        detail = f"{reason} · {row.detail}" if reason else row.detail
        rows.append(dataclasses.replace(row, detail=detail))
    return Section(rows, section.total)


def _conflicts(desk: Desk, limit: int) -> TodaySection:
    """Experiments that collide (same surface, or same metric and audience, at once)."""
    from opsdesk.services import experiments

    pairs = experiments.conflicts(desk)
    rows = [
        TodayRow(
            "experiments",
            int(pair.first.id or 0),
            f"{pair.first.title} ↔ {pair.second.title}",
            None,
            pair.describe_reasons(),
        )
        for pair in list(pairs)[:limit]
    ]
    return TodaySection("conflicts", "Experiment conflicts", rows, len(pairs))


def desk_is_empty(desk: Desk) -> bool:
    """True when no pane holds a record yet (a new user's first look): Today's sections would
    all say 0, and a welcome says how to begin instead. Four indexed one-row reads."""
    store = desk.store
    tables = (store.launches, store.feedback, store.contacts, store.experiments)
    return all(table.count(limit=1) == 0 for table in tables)


def ensure_ready(desk: Desk) -> None:
    """Derived data Today relies on (SLA deadlines) is computed before it is read."""
    inbox.ensure_sla(desk)
