"""Feedback items, their tags, full-text index, saved views and inbox counts.

Besides the record's own fields, each row carries three derived columns the inbox filters
and sorts on without computing anything per row: ``ack_due_at`` and ``decide_due_at`` (the
SLA deadlines, written by the feedback service from the config's SLA table) and ``demand``
(distinct customers on an item and its merged duplicates).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from opsdesk.rules.dates import as_utc
from opsdesk.store.base import ModelRef, Repository, SortSpec, Where, fts_query, to_db
from opsdesk.vocabulary import FeedbackKind, FeedbackStatus

if TYPE_CHECKING:
    from opsdesk.models import Feedback

DECIDED = ("planned", "declined", "done")

BUILTIN_VIEWS: dict[str, str] = {
    "untriaged": "Untriaged",
    "mine": "Mine",
    "sla_at_risk": "SLA at risk",
    "sla_breached": "SLA breached",
    "needs_loop": "Needs loop closed",
    "all": "All",
}
"""The inbox's built-in views, by id, with the name the sidebar shows."""

DUE_SOON = dt.timedelta(hours=24)

PENDING_DEADLINE = (
    "CASE WHEN acknowledged_at IS NULL AND decided_at IS NULL AND status = 'new' "
    "THEN ack_due_at ELSE decide_due_at END"
)
"""The deadline an item is waiting on: acknowledging while it is new, else deciding."""

VIEW_INDEXES: dict[str, tuple[str, str, str]] = {
    "sla_breached": (
        "idx_feedback_open_by_pending_deadline",
        "duplicate_of IS NULL AND decided_at IS NULL AND status IN ('new', 'triaged')",
        PENDING_DEADLINE,
    ),
    "needs_loop": (
        "idx_feedback_loop_open_by_decide_due",
        f"duplicate_of IS NULL AND loop_closed_at IS NULL AND status IN {DECIDED}",
        "decide_due_at",
    ),
}
"""Built-in views with a partial index of their own (schema m012): view → (the index, the
rows it holds, which every row of the view is one of, and the order it holds them in).

Each index has the columns its view's clause reads, so counting the view (the sidebar,
Today) never reads the table, and Today's first lines, oldest deadline first, are the
index's first entries. A decided item waits on its decide-by, so for "needs_loop" that
column is :data:`PENDING_DEADLINE`. The planner cannot tell the index is the cheaper path
(it prefers the ``duplicate_of`` index and reads every item), so it is told it by name.
"""

ArrivalKey = tuple[str, str, str]
"""(received_at as stored, title, customer e-mail lower-cased or ''): one arrival."""


def arrival_key(received_at: str, title: str, customer_email: str | None) -> ArrivalKey:
    """The same ticket seen twice: the same stored instant, title and customer (e-mail
    compared without case, since desks and CRMs vary it; no e-mail matches no e-mail)."""
    return (received_at, title, (customer_email or "").lower())


NARROW_SEARCH = 500
"""A search with at most this many hits is driven from the full-text index."""

DRIVING_FILTER = 10_000
"""A company or owner filter matching at most this many items is driven from its index: its
items are read and sorted, at most 10-20 ms on 100,000 items. Walking the sort order instead
reads as many rows as it takes to find a window's worth: few for a broad view, but a PM's
2,500 items narrowed to the untriaged ones, by priority, took 90-100 ms."""


@dataclass(frozen=True)
class FeedbackFilter:
    """What the inbox shows. Every field narrows the list; empty fields don't."""

    view: str = "all"
    status: str | None = None
    kind: str | None = None
    source: str | None = None
    owner: str | None = None
    company: str | None = None
    tag: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    search: str = ""
    include_duplicates: bool = False

    def to_json(self) -> str:
        """The filters of a saved view (the search text included)."""
        return json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        """The filters as plain values (dates as ISO text), for JSON."""
        return {
            name: value.isoformat() if isinstance(value, dt.date) else value
            for name, value in asdict(self).items()
        }

    @classmethod
    def from_json(cls, text: str) -> FeedbackFilter:
        data = json.loads(text)
        for name in ("received_from", "received_to"):
            if data.get(name):
                data[name] = dt.date.fromisoformat(data[name])
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{name: value for name, value in data.items() if name in known})


@dataclass(frozen=True)
class SavedView:
    id: int
    name: str
    filters: FeedbackFilter
    sort: str


@dataclass
class ThemeRow:
    """One tag: how many items and distinct customers carry it, and its weekly counts."""

    tag: str
    items: int
    customers: int
    weekly: list[int] = field(default_factory=list)


def _instant(text: str | None) -> dt.datetime | None:
    """A stored instant, in UTC as the model keeps it (a time without a zone is UTC)."""
    return as_utc(dt.datetime.fromisoformat(text)) if text else None


def _day_start(day: dt.date, tz: dt.tzinfo) -> str:
    """The stored (UTC) form of the first instant of ``day`` in ``tz``: a received date
    range compared the stored instants with the bare date, so it ran on UTC days, and an
    item a New York user saw as received on the 20th (at 8 pm) fell in the 21st."""
    return str(to_db(dt.datetime.combine(day, dt.time(0), tzinfo=tz)))


@dataclass(frozen=True, slots=True)
class FeedbackLine:
    """What a row of the inbox list shows, and its SLA badge needs, read straight from the
    stored row: values were validated on their way in, and drawing the first screen then
    needs no pydantic. The item's full record is made when something first asks for it.

    A value opsdesk would not have written (a row edited by another tool) raises here, and
    the list falls back to the validated record (see :attr:`WindowRow.line`)."""

    id: int
    received_at: dt.datetime
    acknowledged_at: dt.datetime | None
    decided_at: dt.datetime | None
    priority: int
    kind: FeedbackKind
    status: FeedbackStatus
    title: str
    company: str | None
    owner: str | None

    @classmethod
    def from_stored(cls, row: Mapping[str, Any]) -> FeedbackLine:
        return cls(
            id=int(row["id"]),
            received_at=as_utc(dt.datetime.fromisoformat(row["received_at"])),
            acknowledged_at=_instant(row["acknowledged_at"]),
            decided_at=_instant(row["decided_at"]),
            priority=int(row["priority"]),
            kind=FeedbackKind(row["kind"]),
            status=FeedbackStatus(row["status"]),
            title=row["title"].strip(),
            company=row["company"],
            owner=row["owner"],
        )


class FeedbackRepository(Repository["Feedback"]):
    record_name = "feedback item"
    table = "feedback"
    model = ModelRef("Feedback")
    line_from_stored = staticmethod(FeedbackLine.from_stored)
    side_tables = ("feedback_tags",)
    fts_columns = ("title", "body")
    sorts = {
        "received": SortSpec("newest first", ("received_at", "id"), descending=True),
        "priority": SortSpec("priority", ("priority", "id")),
        "sla": SortSpec("SLA due", ("coalesce(decide_due_at, '9999')", "id")),
        "demand": SortSpec("demand", ("demand", "id"), descending=True),
    }

    # -- tags ----------------------------------------------------------------------------

    def virtual_fields(self) -> frozenset[str]:
        return frozenset({"tags"})

    def load_virtual(self, record_id: int) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT tag FROM feedback_tags WHERE feedback_id = ? ORDER BY tag", (record_id,)
        ).fetchall()
        return {"tags": [row[0] for row in rows]}

    def virtual_select(self) -> str:
        return (
            "(SELECT group_concat(tag, char(31)) FROM feedback_tags "
            "WHERE feedback_id = feedback.id) AS _tags"
        )

    def prefetched_virtual(self, row: Any) -> dict[str, Any] | None:
        if "_tags" not in row.keys():  # noqa: SIM118 (a Row's "in" tests values, not names)
            return None
        joined = row["_tags"]
        return {"tags": sorted(joined.split("\x1f")) if joined else []}

    def save_virtual(self, record: Feedback, before: Feedback | None) -> None:
        old = set(before.tags) if before else set()
        new = set(record.tags)
        self.conn.executemany(
            "DELETE FROM feedback_tags WHERE feedback_id = ? AND tag = ?",
            [(record.id, tag) for tag in old - new],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO feedback_tags (feedback_id, tag) VALUES (?, ?)",
            [(record.id, tag) for tag in new - old],
        )

    def save_virtual_many(self, ids: Sequence[int], records: Sequence[Feedback]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO feedback_tags (feedback_id, tag) VALUES (?, ?)",
            [
                (record_id, tag)
                for record_id, record in zip(ids, records, strict=True)
                for tag in record.tags
            ],
        )

    # -- queries -------------------------------------------------------------------------

    def where(
        self,
        query: FeedbackFilter,
        *,
        now: dt.datetime | None = None,
        user: str = "",
        sort: str | None = None,
        tz: dt.tzinfo = dt.UTC,
    ) -> Where:
        """The WHERE clause of a filter; SLA views need ``now``, 'Mine' needs ``user``, and
        ``sort`` (the order the list will be read in) lets it pick the cheapest index. A
        received date range is of days in ``tz``, the user's zone, as the list shows them.

        SQLite has no statistics here, so the clause says which index leads. A narrow
        search (few matches) drives the query from the full-text index and sorts the
        handful of hits; a broad one (a single letter, a common word) walks the sort order's
        index and checks each row against the matches, stopping after one window. A company or
        owner ('Mine' too) filter matching few items (:meth:`_driving_filter`) drives it from
        that column's index the same way: walking the sort order instead read every item to
        show a small customer's two (80-120 ms on 100,000 items, against well under a
        millisecond). The unary ``+`` keeps a column off the indexes.
        """
        search = query.search.strip()
        narrow = bool(search) and self.search_hits(search) <= NARROW_SEARCH
        driver = None if narrow else self._driving_filter(query, user)
        plus = "+" if narrow or driver else ""
        mine = query.view == "mine" and driver == "owner"
        where = self.view_where(query.view, now=now, user=user, plus="" if mine else plus)
        for column in ("status", "kind", "source", "owner", "company"):
            value = getattr(query, column)
            if value:
                where = where.and_(f"{'' if column == driver else plus}{column} = ?", value)
        if query.tag:
            where = where.and_(
                "id IN (SELECT feedback_id FROM feedback_tags WHERE tag = ?)", query.tag.lower()
            )
        if query.received_from:
            where = where.and_(f"{plus}received_at >= ?", _day_start(query.received_from, tz))
        if query.received_to:
            day_after = query.received_to + dt.timedelta(days=1)
            where = where.and_(f"{plus}received_at < ?", _day_start(day_after, tz))
        if not query.include_duplicates:
            # The owner's index goes on by duplicate_of and the received date: an owner's
            # list newest first is read off it in order, with nothing to sort.
            kept = "" if driver == "owner" and sort == "received" else plus
            where = where.and_(f"{kept}duplicate_of IS NULL")
        if search:
            where = where.and_(
                f"{'' if narrow else '+'}id IN "
                "(SELECT rowid FROM feedback_fts WHERE feedback_fts MATCH ?)",
                fts_query(search, positions=False),
            )
        if query.view in VIEW_INDEXES and not (query.include_duplicates or narrow or driver):
            # (a narrow search or a small company's items count faster from their own index)
            where = replace(where, view=query.view)
        return where

    def count(self, where: Where | None = None, *, limit: int | None = None) -> int:
        """Rows matching ``where``, read off its view's own index when it has one: counting
        "SLA breached" on 100,000 items read 30,000 rows of the table (200-450 ms) before the
        End key could go to the last of them; the index answers in a few milliseconds."""
        if where is None or where.view is None:
            return super().count(where, limit=limit)
        rows, _order = self.view_rows(where.view, where)
        if limit is None:
            sql, params = f"SELECT count(*) {rows}", where.params
        else:
            sql, params = f"SELECT count(*) FROM (SELECT 1 {rows} LIMIT ?)", (*where.params, limit)
        return int(self.conn.execute(sql, params).fetchone()[0])

    def _driving_filter(self, query: FeedbackFilter, user: str) -> str | None:
        """The column to start from: company or owner when that filter (or 'Mine') matches
        at most :data:`DRIVING_FILTER` items, counted off its index up to that limit; else None.

        Such a filter is cheaper to start from than the sort order: its items are read and
        sorted. A broader one (a PM who owns a third of the inbox) is cheaper to check row by
        row while walking the sort order's index, which stops after one window.
        """
        owner = query.owner or (user if query.view == "mine" else None)
        for column, value in (("company", query.company), ("owner", owner)):
            if value:
                found = self.conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM feedback WHERE {column} = ? LIMIT ?)",
                    (value, DRIVING_FILTER + 1),
                ).fetchone()[0]
                if found <= DRIVING_FILTER:
                    return column
        return None

    def search_hits(self, search: str) -> int:
        """How many items a search matches, from the full-text index alone (a few ms)."""
        return int(
            self.conn.execute(
                "SELECT count(*) FROM feedback_fts WHERE feedback_fts MATCH ?",
                (fts_query(search, positions=False),),
            ).fetchone()[0]
        )

    def view_where(self, view: str, *, now: dt.datetime | None, user: str, plus: str = "") -> Where:
        """The clause of one built-in view (``plus`` keeps its columns off the indexes)."""
        where = Where()
        stamp = to_db(now) if now else None
        soon = to_db(now + DUE_SOON) if now else None
        open_ack = "acknowledged_at IS NULL AND decided_at IS NULL AND status = 'new'"
        open_decide = "decided_at IS NULL AND status IN ('new', 'triaged')"
        if view == "untriaged":
            return where.and_(f"{plus}status = 'new'")
        if view == "mine":
            return where.and_(f"{plus}owner = ?", user)
        breached = f"(({open_ack} AND ack_due_at < ?) OR ({open_decide} AND decide_due_at < ?))"
        if view == "sla_breached" and stamp:
            return where.and_(breached, stamp, stamp)
        if view == "sla_at_risk" and stamp:
            # Not yet breached: a new item past its acknowledge-by whose decide-by is
            # tomorrow is breached, and listed there only (Today counted it twice).
            return where.and_(
                f"(({open_ack} AND ack_due_at >= ? AND ack_due_at < ?) OR "
                f"({open_decide} AND decide_due_at >= ? AND decide_due_at < ?)) "
                f"AND NOT {breached}",
                stamp,
                soon,
                stamp,
                soon,
                stamp,
                stamp,
            )
        if view == "needs_loop":
            return where.and_(
                f"status IN {DECIDED} AND loop_closed_at IS NULL "
                "AND (customer_email IS NOT NULL OR EXISTS "
                "(SELECT 1 FROM feedback d WHERE d.duplicate_of = feedback.id "
                "AND d.customer_email IS NOT NULL))"
            )
        return where

    def view_counts(self, *, now: dt.datetime, user: str) -> dict[str, int]:
        """Live counts of every built-in view (merged duplicates not counted)."""
        counts = {}
        for view in BUILTIN_VIEWS:
            where = self.where(FeedbackFilter(view=view), now=now, user=user)
            rows, _order = self.view_rows(view, where)
            counts[view] = int(
                self.conn.execute(f"SELECT count(*) {rows}", where.params).fetchone()[0]
            )
        return counts

    def view_rows(self, view: str, where: Where) -> tuple[str, str]:
        """The FROM and WHERE of a built-in view's items (``where`` is the view's clause), and
        the order that lists them oldest deadline first: read off the view's own partial
        index in its order when it has one (:data:`VIEW_INDEXES`)."""
        if view not in VIEW_INDEXES:
            return f"FROM feedback WHERE {where.sql()}", PENDING_DEADLINE
        index, holds, order = VIEW_INDEXES[view]
        return f"FROM feedback INDEXED BY {index} WHERE {holds} AND ({where.sql()})", order

    def derived(self, record_id: int) -> dict[str, Any]:
        """The derived columns of one item: SLA deadlines and demand."""
        row = self.conn.execute(
            "SELECT ack_due_at, decide_due_at, demand FROM feedback WHERE id = ?", (record_id,)
        ).fetchone()
        return dict(row) if row else {}

    def duplicates_of(self, record_id: int, limit: int = -1) -> list[Feedback]:
        """The items merged into ``record_id``, oldest first; the first ``limit`` (all when
        negative), for a detail panel that shows a few of thousands."""
        rows = self.conn.execute(
            "SELECT * FROM feedback WHERE duplicate_of = ? ORDER BY received_at LIMIT ?",
            (record_id, limit),
        ).fetchall()
        return [self.from_row(row) for row in rows]

    def duplicate_count(self, record_id: int) -> int:
        """How many items were merged into ``record_id``."""
        row = self.conn.execute(
            "SELECT count(*) FROM feedback WHERE duplicate_of = ?", (record_id,)
        ).fetchone()
        return int(row[0])

    def candidates(self, text: str, limit: int = 50) -> list[Feedback]:
        """Items sharing any word with ``text`` (best matches first): duplicate candidates."""
        words = [word for word in text.split() if len(word) > 2][:12]
        if not words:
            return []
        query = " OR ".join(fts_query(word, positions=False) for word in words)
        rows = self.conn.execute(
            "SELECT feedback.* FROM feedback_fts JOIN feedback ON feedback.id = feedback_fts.rowid "
            "WHERE feedback_fts MATCH ? AND feedback.duplicate_of IS NULL "
            "ORDER BY feedback_fts.rank LIMIT ?",
            (query, limit),
        ).fetchall()
        return [self.from_row(row) for row in rows]

    def spellings(self, column: str, typed: str, limit: int = 6) -> list[str]:
        """Stored owners or companies (``column``) holding ``typed`` in any case, the exact
        spelling first: a filter compares whole names, so what was typed is mapped to how
        it is stored. Read off the column's index when the exact name is not stored (a few
        thousand distinct names on 100,000 items: about 10 ms, once per filter form)."""
        if column not in ("owner", "company"):
            raise ValueError(f"not a name column: {column}")
        exact = self.conn.execute(
            f"SELECT {column} FROM feedback WHERE {column} = ? LIMIT 1", (typed,)
        ).fetchone()
        if exact:
            return [exact[0]]
        wanted = typed.casefold()
        found = [
            name
            for (name,) in self.conn.execute(
                f"SELECT DISTINCT {column} FROM feedback WHERE {column} IS NOT NULL"
            )
            if wanted in name.casefold()
        ]
        found.sort(key=lambda name: (name.casefold() != wanted, name.casefold()))
        return found[:limit]

    def sources(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT DISTINCT source FROM feedback")]

    def arrivals_between(self, first: dt.datetime, last: dt.datetime) -> set[ArrivalKey]:
        """The :func:`arrival_key` of every item received from ``first`` to ``last``.

        What an import checks its rows against so a support desk's overlapping weekly
        exports don't bring the same ticket in twice: one query on the ``received_at``
        index, bounded by the file's own first and last instants, so a file of new rows
        reads nothing it does not need."""
        rows = self.conn.execute(
            "SELECT received_at, title, customer_email FROM feedback "
            "WHERE received_at BETWEEN ? AND ?",
            (to_db(first), to_db(last)),
        )
        return {arrival_key(*row) for row in rows}

    # -- derived columns -----------------------------------------------------------------

    def missing_sla(self, limit: int = 5_000) -> list[tuple[int, str, int, str]]:
        """(id, kind, priority, received_at) of items whose deadlines were never computed.

        Read from a partial index of just those rows (schema m013), which SQLite uses only for
        a clause that says ``ack_due_at IS NULL`` as it does."""
        return [
            tuple(row)  # type: ignore[misc]
            for row in self.conn.execute(
                "SELECT id, kind, priority, received_at FROM feedback "
                "WHERE ack_due_at IS NULL LIMIT ?",
                (limit,),
            )
        ]

    def sla_inputs(self) -> list[tuple[int, str, int, str]]:
        """(id, kind, priority, received_at) of every item, for a full recompute."""
        return [
            tuple(row)  # type: ignore[misc]
            for row in self.conn.execute("SELECT id, kind, priority, received_at FROM feedback")
        ]

    def set_deadlines(self, rows: Iterable[tuple[str, str, int]]) -> None:
        """Write (ack_due_at, decide_due_at, id) triples; derived data, so no history."""
        self.conn.executemany(
            "UPDATE feedback SET ack_due_at = ?, decide_due_at = ? WHERE id = ?", list(rows)
        )

    def refresh_demand(self, record_ids: Iterable[int]) -> None:
        """Recount distinct customers (emails, else companies) on items and their duplicates."""
        self.conn.executemany(
            "UPDATE feedback SET demand = max(1, (SELECT count(DISTINCT coalesce("
            "lower(customer_email), 'company:' || lower(company))) FROM feedback f "
            "WHERE (f.id = :id OR f.duplicate_of = :id) "
            "AND coalesce(customer_email, company) IS NOT NULL)) WHERE id = :id",
            [{"id": record_id} for record_id in record_ids],
        )

    def survivor_ids(self) -> list[int]:
        """Items that other items were merged into."""
        rows = self.conn.execute(
            "SELECT DISTINCT duplicate_of FROM feedback WHERE duplicate_of IS NOT NULL"
        ).fetchall()
        return [row[0] for row in rows]

    def customers(self, record_id: int, limit: int = -1) -> list[str]:
        """Distinct customer emails on an item and its duplicates, in order; the first
        ``limit`` (all when negative)."""
        return self._distinct_around(record_id, "lower(customer_email)", limit)

    def customer_count(self, record_id: int) -> int:
        """How many distinct customer emails an item and its duplicates have."""
        return self._count_around(record_id, "lower(customer_email)")

    def companies(self, record_id: int, limit: int = -1) -> list[str]:
        """Distinct companies on an item and its duplicates, in order; the first ``limit``
        (all when negative)."""
        return self._distinct_around(record_id, "company", limit)

    def company_count(self, record_id: int) -> int:
        """How many distinct companies an item and its duplicates have."""
        return self._count_around(record_id, "company")

    def _distinct_around(self, record_id: int, value: str, limit: int) -> list[str]:
        """The distinct non-null ``value`` (a column or expression) of an item and its
        merged duplicates, in order, the first ``limit`` (all when negative)."""
        rows = self.conn.execute(
            f"SELECT DISTINCT {value} FROM feedback WHERE (id = ? OR duplicate_of = ?) "
            f"AND {value} IS NOT NULL ORDER BY 1 LIMIT ?",
            (record_id, record_id, limit),
        ).fetchall()
        return [row[0] for row in rows]

    def _count_around(self, record_id: int, value: str) -> int:
        """How many distinct non-null ``value`` an item and its merged duplicates have."""
        row = self.conn.execute(
            f"SELECT count(DISTINCT {value}) FROM feedback WHERE (id = ? OR duplicate_of = ?) "
            f"AND {value} IS NOT NULL",
            (record_id, record_id),
        ).fetchone()
        return int(row[0])

    # -- themes --------------------------------------------------------------------------

    def themes(self, *, since: dt.datetime, weeks: int, limit: int = 30) -> list[ThemeRow]:
        """Top tags by items, with distinct customers and a weekly count since ``since``.

        Items are counted as the inbox lists them, merged duplicates left out (a merge gives
        the survivor their tags, so they would count twice); their customers still count.
        """
        rows = self.conn.execute(
            "SELECT t.tag, count(*) FILTER (WHERE f.duplicate_of IS NULL) AS items, "
            "count(DISTINCT coalesce(lower(f.customer_email), 'company:' || lower(f.company))) "
            "AS customers FROM feedback_tags t JOIN feedback f ON f.id = t.feedback_id "
            "GROUP BY t.tag HAVING items > 0 ORDER BY items DESC, t.tag LIMIT ?",
            (limit,),
        ).fetchall()
        themes = {row["tag"]: ThemeRow(row["tag"], row["items"], row["customers"]) for row in rows}
        for theme in themes.values():
            theme.weekly = [0] * weeks
        if not themes:
            return []
        placeholders = ", ".join("?" for _ in themes)
        weekly = self.conn.execute(
            "SELECT t.tag, CAST((julianday(f.received_at) - julianday(?)) / 7 AS INTEGER) AS week, "
            "count(*) FROM feedback_tags t JOIN feedback f ON f.id = t.feedback_id "
            f"WHERE f.received_at >= ? AND f.duplicate_of IS NULL AND t.tag IN ({placeholders}) "
            "GROUP BY 1, 2",
            (to_db(since), to_db(since), *themes),
        ).fetchall()
        for tag, week, count in weekly:
            if 0 <= week < weeks:
                themes[tag].weekly[week] = count
        return list(themes.values())

    def all_tags(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT DISTINCT tag FROM feedback_tags")]

    def tag_spellings(self, tag: str, limit: int = 6) -> list[str]:
        """``tag`` itself when an item carries it (read off the tag index), else the stored
        tags that hold it (a scan of the index's distinct tags: a few dozen, ~50 ms on
        100,000 items, once per filter form)."""
        if self.conn.execute(
            "SELECT 1 FROM feedback_tags WHERE tag = ? LIMIT 1", (tag,)
        ).fetchone():
            return [tag]
        return sorted(stored for stored in self.all_tags() if tag in stored)[:limit]

    # -- saved views ---------------------------------------------------------------------

    def saved_views(self) -> list[SavedView]:
        rows = self.conn.execute("SELECT * FROM saved_views ORDER BY name").fetchall()
        return [
            SavedView(row["id"], row["name"], FeedbackFilter.from_json(row["filters"]), row["sort"])
            for row in rows
        ]

    def save_view(self, name: str, filters: FeedbackFilter, sort: str) -> SavedView:
        """Save (or overwrite) a named view; recorded in history like any other change."""
        with self.store.write() as batch:
            self.conn.execute(
                "INSERT INTO saved_views (name, filters, sort) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET filters = excluded.filters, sort = excluded.sort",
                (name, filters.to_json(), sort),
            )
            row = self.conn.execute("SELECT id FROM saved_views WHERE name = ?", (name,)).fetchone()
            self.store.history.note(batch, "saved_views", row[0], "*", None, f"saved {name}")
        return SavedView(row[0], name, filters, sort)

    def delete_view(self, name: str) -> bool:
        with self.store.write() as batch:
            row = self.conn.execute("SELECT id FROM saved_views WHERE name = ?", (name,)).fetchone()
            if row is None:
                return False
            self.conn.execute("DELETE FROM saved_views WHERE id = ?", (row[0],))
            self.store.history.note(batch, "saved_views", row[0], "*", name, "deleted")
        return True
