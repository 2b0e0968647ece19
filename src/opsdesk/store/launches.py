"""Launches, their readiness items, their slips and their go/no-go decisions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from opsdesk.store.base import ModelRef, RecordNotFound, Repository, SortSpec, Where, to_db
from opsdesk.vocabulary import ReadinessState

if TYPE_CHECKING:
    from opsdesk.models import GoNoGo, Launch, LaunchSlip, ReadinessItem

READINESS_COLUMNS = (
    "(SELECT count(*) FROM readiness_items r WHERE r.launch_id = launches.id) AS items_total, "
    "(SELECT count(*) FROM readiness_items r WHERE r.launch_id = launches.id "
    "AND r.state IN ('done', 'not_applicable')) AS items_done"
)
"""Extra columns a launch list shows: how many readiness items, how many finished."""

OPEN_STATES_SQL = "('todo', 'in_progress', 'blocked')"
CLOSED_LAUNCHES_SQL = "('launched', 'cancelled')"


@dataclass(frozen=True)
class RiskWindow:
    """The day risk is judged on, and the last due date that counts as 'due soon'."""

    today: dt.date
    horizon: dt.date


def risky_items_sql(window: RiskWindow) -> str:
    """SQL counting a launch's items that put it at risk, as ``rules.risk.item_risk`` does.

    Blocked; open and due before today; or todo and due by the horizon. The dates are
    written into the SQL as ISO literals (they come from ``date.isoformat()``, never from
    user text) because a sort key cannot take parameters. A test keeps this in step with the
    Python rule.
    """
    today, horizon = window.today.isoformat(), window.horizon.isoformat()
    return (
        "(SELECT count(*) FROM readiness_items r WHERE r.launch_id = launches.id AND ("
        "r.state = 'blocked' "
        f"OR (r.state IN ('todo', 'in_progress') AND r.due_date < '{today}') "
        f"OR (r.state = 'todo' AND r.due_date <= '{horizon}')))"
    )


@dataclass(frozen=True)
class LaunchFilter:
    """What a launch list shows: a status, a piece of the title, a stretch of time.

    ``period`` keeps the launches whose readiness span (earliest due item to launch day)
    overlaps those dates, both ends included: what a timeline showing them needs.
    """

    status: str | None = None
    text: str = ""
    include_closed: bool = True
    include_cancelled: bool = True
    period: tuple[dt.date, dt.date] | None = None


class LaunchRepository(Repository["Launch"]):
    record_name = "launch"
    table = "launches"
    model = ModelRef("Launch")

    def __init__(self, store: Any) -> None:
        super().__init__(store)
        today = store.clock.now().date()
        self.risk_window = RiskWindow(today, today + dt.timedelta(days=7))
        """Set by the launch service from the user's today, calendar and warning window."""

    @property
    def sorts(self) -> dict[str, SortSpec]:  # type: ignore[override]
        """By date, by risk and by title.

        By risk: the launches at risk, most risky items first; then the others still to land
        (planned, in progress, slipped); launched and cancelled ones last, each group by
        date. Closed launches once sat among the open ones not at risk, so by date a
        manager read every launch already out before the first one still to land. Their
        items are not counted at all (the CASE stops before the subquery).
        """
        risk = f"CASE WHEN status IN {CLOSED_LAUNCHES_SQL} THEN 1 ELSE -{self._risky()} END"
        return {
            "date": SortSpec("launch date", ("launch_date", "id")),
            "risk": SortSpec("risk", (risk, "launch_date", "id")),
            "title": SortSpec("title", ("title COLLATE NOCASE", "id")),
        }

    def _risky(self) -> str:
        return risky_items_sql(self.risk_window)

    def where(self, query: LaunchFilter) -> Where:
        where = Where()
        if query.status:
            where = where.and_("status = ?", query.status)
        if not query.include_closed:
            where = where.and_(f"status NOT IN {CLOSED_LAUNCHES_SQL}")
        if not query.include_cancelled:
            where = where.and_("status != 'cancelled'")
        if query.text:
            where = where.and_("title LIKE ? ESCAPE '\\'", f"%{_like(query.text)}%")
        if query.period is not None:
            start, end = (day.isoformat() for day in query.period)
            where = where.and_(
                "launch_date >= ? AND (launch_date <= ? OR (SELECT min(r.due_date) "
                "FROM readiness_items r WHERE r.launch_id = launches.id) <= ?)",
                start,
                end,
                end,
            )
        return where

    def titles(self) -> dict[int, str]:
        """Every launch's title by id, for pickers and labels (launches number in the thousands)."""
        return dict(self.conn.execute("SELECT id, title FROM launches").fetchall())

    def by_ids(self, ids: Iterable[int]) -> dict[int, Launch]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.conn.execute(
            f"SELECT * FROM launches WHERE id IN ({', '.join('?' for _ in wanted)})", wanted
        ).fetchall()
        return {int(row["id"]): self.from_row(row) for row in rows}

    def landing_between(self, start: dt.date, end: dt.date) -> list[Launch]:
        """Launches with an audience, not cancelled, landing from ``start`` to ``end``.

        The neighbourhood collision checks need: a few weeks around the launches on screen.
        """
        rows = self.conn.execute(
            "SELECT * FROM launches WHERE launch_date BETWEEN ? AND ? "
            "AND status != 'cancelled' AND audience IS NOT NULL ORDER BY launch_date, id",
            (start.isoformat(), end.isoformat()),
        ).fetchall()
        return [self.from_row(row) for row in rows]

    def audiences(self) -> list[str]:
        """Every audience named on a launch, for the form's suggestions."""
        rows = self.conn.execute(
            "SELECT DISTINCT audience FROM launches WHERE audience IS NOT NULL "
            "ORDER BY audience COLLATE NOCASE"
        ).fetchall()
        return [str(row[0]) for row in rows]


class ItemSummary(NamedTuple):
    """What lists and the timeline show of a readiness item: enough to place it and judge
    its risk, read without building a full model (a page of launches holds a thousand)."""

    id: int
    launch_id: int
    function: str
    title: str
    owner: str | None
    due_date: dt.date
    state: ReadinessState


class ReadinessRepository(Repository["ReadinessItem"]):
    record_name = "readiness item"
    table = "readiness_items"
    model = ModelRef("ReadinessItem")
    sorts = {"due": SortSpec("due date", ("due_date", "id"))}

    OWED_COLUMNS = (
        "(SELECT l.title FROM launches l WHERE l.id = readiness_items.launch_id) AS launch_title, "
        "(SELECT l.launch_date FROM launches l WHERE l.id = readiness_items.launch_id) "
        "AS launch_date"
    )
    """Extra columns of the by-function list: which launch each item is for, and when."""

    def for_launch(self, launch_id: int) -> list[ReadinessItem]:
        rows = self.conn.execute(
            "SELECT * FROM readiness_items WHERE launch_id = ? ORDER BY due_date, function, id",
            (launch_id,),
        ).fetchall()
        return [self.from_row(row) for row in rows]

    def for_launches(self, launch_ids: Sequence[int]) -> dict[int, list[ReadinessItem]]:
        """The items of several launches in one query, each list by due date."""
        found: dict[int, list[ReadinessItem]] = {launch_id: [] for launch_id in launch_ids}
        if not launch_ids:
            return found
        marks = ", ".join("?" for _ in launch_ids)
        rows = self.conn.execute(
            f"SELECT * FROM readiness_items WHERE launch_id IN ({marks}) "
            "ORDER BY launch_id, due_date, function, id",
            list(launch_ids),
        ).fetchall()
        for row in rows:
            found[int(row["launch_id"])].append(self.trusted(row))
        return found

    def summaries(self, launch_ids: Sequence[int]) -> dict[int, list[ItemSummary]]:
        """Each launch's items as :class:`ItemSummary`, by due date, in one query."""
        found: dict[int, list[ItemSummary]] = {launch_id: [] for launch_id in launch_ids}
        if not launch_ids:
            return found
        marks = ", ".join("?" for _ in launch_ids)
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: a third of the cost of sqlite3.Row here
        rows = cursor.execute(
            "SELECT id, launch_id, function, title, owner, due_date, state FROM readiness_items "
            f"WHERE launch_id IN ({marks})",
            list(launch_ids),
        ).fetchall()
        states = {state.value: state for state in ReadinessState}
        fromiso = dt.date.fromisoformat
        make = ItemSummary._make
        for item_id, launch_id, function, title, owner, due, state in rows:
            found[launch_id].append(
                make((item_id, launch_id, function, title, owner, fromiso(due), states[state]))
            )
        for items in found.values():
            items.sort(key=lambda item: (item.due_date, item.function, item.id))
        return found

    @staticmethod
    def trusted(row: sqlite3.Row) -> ReadinessItem:
        """An item read back from this table, built without validating it again.

        Every row was validated by the model on its way in (``insert`` and ``update`` both
        validate), so the lists and the timeline, which read thousands of items, skip the
        second check: it was most of the cost of drawing a page of launches.
        """
        from opsdesk.models import ReadinessItem

        signed = row["signed_off_at"]
        return ReadinessItem.model_construct(
            id=row["id"],
            launch_id=row["launch_id"],
            function=row["function"],
            title=row["title"],
            owner=row["owner"],
            owner_role=row["owner_role"],
            lead_days=row["lead_days"] or 0,
            due_date=dt.date.fromisoformat(row["due_date"]),
            state=ReadinessState(row["state"]),
            evidence=row["evidence"],
            signed_off_by=row["signed_off_by"],
            signed_off_at=dt.datetime.fromisoformat(signed) if signed else None,
        )

    def launch_where(self, launch_id: int) -> Where:
        return Where().and_("launch_id = ?", launch_id)

    def owed_where(self, function: str, until: dt.date) -> Where:
        """Open items of ``function`` due by ``until`` (overdue ones too), for launches to come.

        Items of launched and cancelled launches are owed to nobody any more.
        """
        return (
            Where()
            .and_("function = ?", function)
            .and_(f"state IN {OPEN_STATES_SQL}")
            .and_("due_date <= ?", until.isoformat())
            .and_(
                f"launch_id IN (SELECT id FROM launches WHERE status NOT IN {CLOSED_LAUNCHES_SQL})"
            )
        )

    def functions_in_use(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT DISTINCT function FROM readiness_items ORDER BY function"
        ).fetchall()
        return [str(row[0]) for row in rows]


class SlipRepository(Repository["LaunchSlip"]):
    """Every date change of every launch, oldest first: the slip history the brief prints."""

    table = "launch_slips"
    model = ModelRef("LaunchSlip")
    json_fields = frozenset({"impossible_item_ids"})
    sorts = {"at": SortSpec("when", ("at", "id"))}

    def for_launch(self, launch_id: int) -> list[LaunchSlip]:
        rows = self.conn.execute(
            "SELECT * FROM launch_slips WHERE launch_id = ? ORDER BY at, id", (launch_id,)
        ).fetchall()
        return [self.from_row(row) for row in rows]


class GoNoGoRepository(Repository["GoNoGo"]):
    """Go/no-go decisions, each with the readiness snapshot it was taken on (JSON)."""

    table = "go_no_go"
    model = ModelRef("GoNoGo")
    sorts = {"at": SortSpec("when", ("at", "id"))}

    def _row(self, record: GoNoGo) -> dict[str, Any]:
        row = {
            name: to_db(getattr(record, name))
            for name in self.columns()
            if name not in ("id", "snapshot")
        }
        row["snapshot"] = record.snapshot.model_dump_json()
        return row

    def from_row(self, row: sqlite3.Row | dict[str, Any]) -> GoNoGo:
        from opsdesk.models import GoNoGo, ReadinessSnapshot

        data = {name: row[name] for name in self.columns()}
        data["snapshot"] = ReadinessSnapshot.model_validate_json(data["snapshot"])
        return GoNoGo.model_validate(data)

    def for_launch(self, launch_id: int) -> list[GoNoGo]:
        """A launch's decisions, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM go_no_go WHERE launch_id = ? ORDER BY at, id", (launch_id,)
        ).fetchall()
        return [self.from_row(row) for row in rows]

    def latest(self, launch_id: int) -> GoNoGo | None:
        row = self.conn.execute(
            "SELECT * FROM go_no_go WHERE launch_id = ? ORDER BY at DESC, id DESC LIMIT 1",
            (launch_id,),
        ).fetchone()
        return self.from_row(row) if row else None


def _like(text: str) -> str:
    """Escape LIKE wildcards so a user's ``%`` or ``_`` matches itself."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


__all__ = [
    "READINESS_COLUMNS",
    "GoNoGoRepository",
    "ItemSummary",
    "LaunchFilter",
    "LaunchRepository",
    "ReadinessRepository",
    "RecordNotFound",
    "RiskWindow",
    "SlipRepository",
    "risky_items_sql",
]
