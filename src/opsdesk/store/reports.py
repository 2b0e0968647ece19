"""The aggregate questions the Markdown reports ask, answered with SQL.

A weekly digest over 100,000 feedback items must take well under a second, so nothing here
loads a table: every question is a ``count``/``GROUP BY`` over an indexed range or a short
``LIMIT``-ed list. Instants are compared as the ISO text the store writes (UTC).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from opsdesk.store.base import Where, to_db

if TYPE_CHECKING:
    from opsdesk.models import Experiment, Feedback, Launch
    from opsdesk.store.store import Store

OPEN_LAUNCHES_SQL = "('planned', 'in_progress', 'slipped')"
WAITS_ON_ACK = "(acknowledged_at IS NULL AND decided_at IS NULL AND status = 'new')"
"""An item waiting on its acknowledge-by, as the inbox's pending deadline decides it."""


@dataclass(frozen=True)
class TagWeeks:
    """New items carrying one tag: this week, the week before, and the last four weeks."""

    tag: str
    this_week: int
    last_week: int
    four_weeks: int


@dataclass(frozen=True)
class OverdueItem:
    """A feedback item past its SLA, the deadline it missed and which one it was."""

    item: Feedback
    due: dt.datetime | None
    step: str
    """'acknowledge' (still new) or 'decide'."""


@dataclass(frozen=True)
class OverdueFollowUp:
    """An open follow-up past its due date, with whom it is owed to."""

    touch_id: int
    due: dt.date
    by: str
    purpose: str
    contact: str
    company: str | None


class ReportQueries:
    """The reports' reads, over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    # -- launches --------------------------------------------------------------------------

    def open_launches_between(
        self, start: dt.date, end: dt.date, limit: int
    ) -> tuple[list[Launch], int]:
        """Launches still to land from ``start`` to ``end``, by date (at most ``limit``),
        and how many there are in all."""
        params = (start.isoformat(), end.isoformat())
        clause = f"launch_date BETWEEN ? AND ? AND status IN {OPEN_LAUNCHES_SQL}"
        total = self.conn.execute(f"SELECT count(*) FROM launches WHERE {clause}", params)
        rows = self.conn.execute(
            f"SELECT * FROM launches WHERE {clause} ORDER BY launch_date, id LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [self.store.launches.from_row(row) for row in rows], int(total.fetchone()[0])

    # -- feedback --------------------------------------------------------------------------

    def feedback_by_owner(self, where: Where, limit: int) -> list[tuple[str | None, int]]:
        """(owner, items) of the feedback ``where`` selects, largest first."""
        rows = self.conn.execute(
            f"SELECT owner, count(*) AS n FROM feedback WHERE {where.sql()} "
            "GROUP BY owner ORDER BY n DESC, owner LIMIT ?",
            (*where.params, limit),
        ).fetchall()
        return [(row[0], int(row[1])) for row in rows]

    def feedback_count(self, where: Where) -> int:
        return self.store.feedback.count(where)

    def most_overdue(self, breached: Where, limit: int) -> list[OverdueItem]:
        """The SLA-breached items (``breached`` is that view's clause) longest past the
        deadline they wait on, with that deadline.

        An item still new waits on its acknowledge-by (the inbox's SLA views go by the same
        deadline): ordering and showing every item by its decide-by put a week-old item that
        nobody had acknowledged below others, under a deadline still to come. The rows are
        read off the view's own index in its order, as the inbox reads them."""
        rows_sql, order = self.store.feedback.view_rows("sla_breached", breached)
        rows = self.conn.execute(
            f"SELECT *, {order} AS _pending, {WAITS_ON_ACK} AS _ack {rows_sql} "
            f"ORDER BY {order}, id LIMIT ?",
            (*breached.params, limit),
        ).fetchall()
        return [
            OverdueItem(
                self.store.feedback.from_row(row),
                dt.datetime.fromisoformat(row["_pending"]) if row["_pending"] else None,
                "acknowledge" if row["_ack"] else "decide",
            )
            for row in rows
        ]

    def received_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Items received from ``start`` (included) to ``end`` (excluded), duplicates too."""
        row = self.conn.execute(
            "SELECT count(*) FROM feedback WHERE received_at >= ? AND received_at < ?",
            (to_db(start), to_db(end)),
        ).fetchone()
        return int(row[0])

    def untagged_between(self, start: dt.datetime, end: dt.datetime) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM feedback f WHERE f.received_at >= ? AND f.received_at < ? "
            "AND NOT EXISTS (SELECT 1 FROM feedback_tags t WHERE t.feedback_id = f.id)",
            (to_db(start), to_db(end)),
        ).fetchone()
        return int(row[0])

    def tags_by_week(self, week_start: dt.datetime, end: dt.datetime, limit: int) -> list[TagWeeks]:
        """New items per tag this week, last week and over four weeks; busiest this week."""
        last = week_start - dt.timedelta(weeks=1)
        first = week_start - dt.timedelta(weeks=3)
        rows = self.conn.execute(
            "SELECT t.tag, sum(f.received_at >= :this) AS this_week, "
            "sum(f.received_at >= :last AND f.received_at < :this) AS last_week, "
            "count(*) AS four_weeks "
            "FROM feedback f JOIN feedback_tags t ON t.feedback_id = f.id "
            "WHERE f.received_at >= :first AND f.received_at < :end "
            "GROUP BY t.tag HAVING this_week > 0 OR last_week > 0 "
            "ORDER BY this_week DESC, four_weeks DESC, t.tag LIMIT :limit",
            {
                "this": to_db(week_start),
                "last": to_db(last),
                "first": to_db(first),
                "end": to_db(end),
                "limit": limit,
            },
        ).fetchall()
        return [TagWeeks(row[0], int(row[1]), int(row[2]), int(row[3])) for row in rows]

    def feedback_for_launch(self, launch_id: int, limit: int) -> tuple[list[Feedback], int]:
        """Feedback linked to a launch (merged duplicates aside), highest demand first."""
        where = "launch_id = ? AND duplicate_of IS NULL"
        total = self.conn.execute(f"SELECT count(*) FROM feedback WHERE {where}", (launch_id,))
        rows = self.conn.execute(
            f"SELECT * FROM feedback WHERE {where} ORDER BY demand DESC, priority, id LIMIT ?",
            (launch_id, limit),
        ).fetchall()
        return [self.store.feedback.from_row(row) for row in rows], int(total.fetchone()[0])

    # -- contacts ----------------------------------------------------------------------------

    def touches_between(
        self, start: dt.datetime, end: dt.datetime, column: str, limit: int
    ) -> tuple[list[tuple[str, int]], int]:
        """Touches made from ``start`` to ``end`` grouped by ``by`` or ``purpose``, and the
        total. Planned touches are not touches yet and are left out."""
        if column not in {"by", "purpose"}:
            raise ValueError(f"touches are grouped by 'by' or 'purpose', not {column}")
        params = (to_db(start), to_db(end))
        clause = "at >= ? AND at < ? AND status != 'planned'"
        rows = self.conn.execute(
            f'SELECT "{column}", count(*) AS n FROM touches WHERE {clause} '
            f'GROUP BY "{column}" ORDER BY n DESC, "{column}" LIMIT ?',
            (*params, limit),
        ).fetchall()
        total = self.conn.execute(f"SELECT count(*) FROM touches WHERE {clause}", params)
        return [(str(row[0]), int(row[1])) for row in rows], int(total.fetchone()[0])

    def overdue_follow_ups(self, today: dt.date, limit: int) -> tuple[list[OverdueFollowUp], int]:
        """Open follow-ups due before ``today``, oldest first, and how many there are."""
        clause = (
            "t.follow_up_due IS NOT NULL AND t.closed_at IS NULL AND t.follow_up_due < ? "
            "AND c.forgotten = 0"
        )
        total = self.conn.execute(
            f"SELECT count(*) FROM touches t JOIN contacts c ON c.id = t.contact_id WHERE {clause}",
            (today.isoformat(),),
        )
        rows = self.conn.execute(
            "SELECT t.id, t.follow_up_due, t.by, t.purpose, coalesce(nullif(c.name, ''), "
            "c.email, '#' || c.id), c.company FROM touches t JOIN contacts c ON "
            f"c.id = t.contact_id WHERE {clause} ORDER BY t.follow_up_due, t.id LIMIT ?",
            (today.isoformat(), limit),
        ).fetchall()
        found = [
            OverdueFollowUp(
                int(row[0]), dt.date.fromisoformat(row[1]), row[2], row[3], str(row[4]), row[5]
            )
            for row in rows
        ]
        return found, int(total.fetchone()[0])

    # -- experiments -------------------------------------------------------------------------

    def experiments_started(self, start: dt.date, end: dt.date, limit: int) -> list[Experiment]:
        """Experiments whose actual start falls from ``start`` to ``end`` (both included)."""
        rows = self.conn.execute(
            "SELECT * FROM experiments WHERE actual_start BETWEEN ? AND ? "
            "AND status != 'abandoned' ORDER BY actual_start, id LIMIT ?",
            (start.isoformat(), end.isoformat(), limit),
        ).fetchall()
        return [self.store.experiments.from_row(row) for row in rows]

    def experiments_concluded(self, start: dt.date, end: dt.date, limit: int) -> list[Experiment]:
        """Concluded experiments whose actual end falls from ``start`` to ``end``."""
        rows = self.conn.execute(
            "SELECT * FROM experiments WHERE status = 'concluded' "
            "AND actual_end BETWEEN ? AND ? ORDER BY actual_end, id LIMIT ?",
            (start.isoformat(), end.isoformat(), limit),
        ).fetchall()
        return [self.store.experiments.from_row(row) for row in rows]

    def experiments_running(self) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM experiments WHERE status = 'running'"
        ).fetchone()
        return int(row[0])
