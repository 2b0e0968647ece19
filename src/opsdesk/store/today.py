"""The Today pane's questions across every table: small, indexed, each with a limit.

Each query answers "what needs me now" for one kind of work and returns at most ``limit``
rows plus the full count, so Today opens as fast on 100,000 items as on 100.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opsdesk.store.feedback import PENDING_DEADLINE

if TYPE_CHECKING:
    from opsdesk.store.store import Store

OPEN_LAUNCH = "status NOT IN ('launched', 'cancelled')"


@dataclass(frozen=True)
class TodayRow:
    """One line of Today: which pane and record it opens, and what it says."""

    pane: str
    record_id: int
    title: str
    when: str | None
    detail: str
    item_id: int | None = None
    """The readiness item a line is about (its launch is ``record_id``), for Enter to open
    the launch's own screen on that item."""


@dataclass(frozen=True)
class Section:
    """A Today section: the first rows and how many there are in all."""

    rows: list[TodayRow]
    total: int


class TodayRepository:
    """Read-only queries for the Today pane."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _section(
        self, pane: str, count_sql: str, rows_sql: str, params: tuple[Any, ...], limit: int
    ) -> Section:
        conn = self.store.conn
        total = int(conn.execute(count_sql, params).fetchone()[0])
        rows = conn.execute(rows_sql + " LIMIT ?", (*params, limit)).fetchall()
        return Section(
            [
                TodayRow(
                    pane,
                    row["id"],
                    row["title"],
                    row["when_"],
                    row["detail"],
                    row["item_id"] if "item_id" in row.keys() else None,  # noqa: SIM118
                )
                for row in rows
            ],
            total,
        )

    def readiness_due(self, until: dt.date, limit: int) -> Section:
        """Open readiness items of open launches due by ``until`` (overdue ones first)."""
        where = (
            "r.state NOT IN ('done', 'not_applicable') AND r.due_date <= ? "
            "AND l.status NOT IN ('launched', 'cancelled')"
        )
        base = f"FROM readiness_items r JOIN launches l ON l.id = r.launch_id WHERE {where}"
        return self._section(
            "launches",
            f"SELECT count(*) {base}",
            "SELECT l.id AS id, r.id AS item_id, r.title || ' — ' || l.title AS title, "
            "r.due_date AS when_, "
            "replace(r.function, '_', ' ') || ' · ' || replace(r.state, '_', ' ') "
            "|| coalesce(' · ' || r.owner, '') AS detail "
            f"{base} ORDER BY r.due_date, r.id",
            (until.isoformat(),),
            limit,
        )

    def launches_due(self, today: dt.date, end: dt.date, limit: int) -> Section:
        """Launches still to land dated by ``end``: this week's, and first any whose day
        has passed without their being marked launched (or moved), which say so.

        A launch left 'in progress' after its day was on no list of Today's unless one of
        its items was late: nobody was asked to say it went out, or to move it.
        """
        # The day is written into the SQL as an ISO literal (from date.isoformat(), never
        # user text) so that the count and the rows share one parameter list.
        passed = (
            f"CASE WHEN launch_date < '{today.isoformat()}' "
            "THEN 'not marked launched · ' ELSE '' END"
        )
        base = f"FROM launches WHERE {OPEN_LAUNCH} AND launch_date <= ?"
        return self._section(
            "launches",
            f"SELECT count(*) {base}",
            f"SELECT id, title, launch_date AS when_, {passed} || "
            "'tier ' || tier || coalesce(' · ' || owner, '') AS detail "
            f"{base} ORDER BY launch_date, id",
            (end.isoformat(),),
            limit,
        )

    def launches_at_risk(self, today: dt.date, horizon: dt.date, limit: int) -> Section:
        """Open launches with an item overdue or blocked, or due by ``horizon`` and not started."""
        risky = (
            "SELECT 1 FROM readiness_items r WHERE r.launch_id = launches.id AND ("
            "(r.state NOT IN ('done', 'not_applicable') AND r.due_date < ?) "
            "OR r.state = 'blocked' OR (r.state = 'todo' AND r.due_date <= ?))"
        )
        base = f"FROM launches WHERE {OPEN_LAUNCH} AND EXISTS ({risky})"
        return self._section(
            "launches",
            f"SELECT count(*) {base}",
            "SELECT id, title, launch_date AS when_, "
            "'tier ' || tier || coalesce(' · ' || owner, '') AS detail "
            f"{base} ORDER BY launch_date, id",
            (today.isoformat(), horizon.isoformat()),
            limit,
        )

    def feedback_sla(
        self, rows: str, order: str, params: tuple[Any, ...], limit: int, *, decided: bool = False
    ) -> Section:
        """Feedback of an inbox view (``rows``: its FROM and WHERE), in ``order``, then by id.

        Each line is dated by the deadline it waits on. A decided item waiting for its loop
        to close (``decided``) has none left: its long-past decide-by read as overdue, so
        its line says when it was decided instead, and carries no date of its own.
        """
        when = "NULL" if decided else f"substr({PENDING_DEADLINE}, 1, 10)"
        since = "'decided ' || substr(decided_at, 1, 10) || ' · ' || " if decided else ""
        return self._section(
            "feedback",
            f"SELECT count(*) {rows}",
            f"SELECT id, title, {when} AS when_, {since}"
            "'P' || priority || ' ' || replace(kind, '_', ' ') || coalesce(' · ' || owner, '') "
            f"AS detail {rows} ORDER BY {order}, id",
            params,
            limit,
        )

    def follow_ups_due(self, until: dt.date, limit: int) -> Section:
        base = (
            "FROM touches t JOIN contacts c ON c.id = t.contact_id "
            "WHERE t.follow_up_due IS NOT NULL AND t.closed_at IS NULL AND t.follow_up_due <= ?"
        )
        return self._section(
            "contacts",
            f"SELECT count(*) {base}",
            "SELECT c.id AS id, coalesce(nullif(c.name, ''), c.email, 'contact') AS title, "
            "t.follow_up_due AS when_, replace(t.purpose, '_', ' ') || ' · by ' || t.by AS detail "
            f"{base} ORDER BY t.follow_up_due, t.id",
            (until.isoformat(),),
            limit,
        )

    def experiments_ending(self, start: dt.date, end: dt.date, limit: int) -> Section:
        base = (
            "FROM experiments WHERE status = 'running' "
            "AND coalesce(actual_end, planned_end) BETWEEN ? AND ?"
        )
        return self._section(
            "experiments",
            f"SELECT count(*) {base}",
            "SELECT id, title, coalesce(actual_end, planned_end) AS when_, "
            "coalesce(team, '') || coalesce(' · ' || surface, '') AS detail "
            f"{base} ORDER BY when_, id",
            (start.isoformat(), end.isoformat()),
            limit,
        )
