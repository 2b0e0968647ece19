"""The feedback table's indexes: each inbox query is served by one, and no index is kept that
no query needs (every index is written on every insert, and rebuilt by a bulk import)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.models import Feedback
from opsdesk.store import Store
from opsdesk.store import feedback as feedback_store
from opsdesk.store.base import BULK_REBUILD_ROWS
from opsdesk.store.feedback import BUILTIN_VIEWS, FeedbackFilter

NOW = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)

TABLE_SCAN = re.compile(r"\bSCAN (feedback|d)\b(?! USING)")
"""A plan step that reads every row of the feedback table (not an index of it)."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "opsdesk.db", clock=FrozenClock(NOW), actor="ana") as store:
        yield store


def _plan(store: Store, sql: str) -> str:
    return " | ".join(str(row[3]) for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))


def _feedback_indexes(store: Store) -> dict[str, str]:
    rows = store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'feedback' "
        "AND sql IS NOT NULL"
    )
    return {name: sql for name, sql in rows}


def test_the_sla_deadlines_have_no_full_index_of_their_own(store: Store) -> None:
    indexes = _feedback_indexes(store)
    assert "idx_feedback_ack_due_at" not in indexes
    assert "idx_feedback_decide_due_at" not in indexes
    assert "WHERE ack_due_at IS NULL" in indexes["idx_feedback_missing_sla"]
    # the SLA views' own indexes stay
    assert {
        "idx_feedback_status_duplicate_of_ack_due_at",
        "idx_feedback_status_duplicate_of_decide_due_at",
    } <= set(indexes)


def _missing_sla_plan(store: Store) -> str:
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    store.feedback.missing_sla()
    store.conn.set_trace_callback(None)
    (sql,) = [s for s in statements if "ack_due_at IS NULL" in s]
    return _plan(store, sql)


def test_items_without_deadlines_are_found_in_a_partial_index(store: Store) -> None:
    saved = [store.feedback.insert(Feedback(title=f"Item {n}", received_at=NOW)) for n in range(3)]
    ids = [int(item.id or 0) for item in saved]
    assert [row[0] for row in store.feedback.missing_sla()] == ids
    plan = _missing_sla_plan(store)
    assert "USING INDEX idx_feedback_missing_sla" in plan and not TABLE_SCAN.search(plan)
    store.feedback.set_deadlines(("2026-03-02", "2026-03-09", record_id) for record_id in ids)
    assert store.feedback.missing_sla() == []
    # the index holds only the rows still without deadlines: none
    held = store.conn.execute(
        "SELECT count(*) FROM feedback INDEXED BY idx_feedback_missing_sla WHERE ack_due_at IS NULL"
    )
    assert held.fetchone()[0] == 0


def test_a_bulk_insert_rebuilds_the_partial_index_with_its_condition(store: Store) -> None:
    rows = BULK_REBUILD_ROWS + 10
    with_deadlines = [Feedback(title=f"Dated {n}", received_at=NOW) for n in range(rows)]
    store.feedback.insert_many(with_deadlines, derived={"ack_due_at": ["2026-03-02"] * rows})
    assert "WHERE ack_due_at IS NULL" in _feedback_indexes(store)["idx_feedback_missing_sla"]
    assert store.feedback.missing_sla() == []
    undated = store.feedback.insert(Feedback(title="Captured without deadlines", received_at=NOW))
    assert [row[0] for row in store.feedback.missing_sla()] == [undated.id]


def _inbox_statements(store: Store, filters: FeedbackFilter, sort: str) -> list[str]:
    """The SQL the inbox sends for one view in one order: a window, the next one, the
    capped count, and where a row sits."""
    repo = store.feedback
    where = repo.where(filters, now=NOW, user="ana", sort=sort)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        rows = repo.window(where, sort, limit=2)
        repo.window(where, sort, limit=2, after=rows[-1].key)
        repo.count(where, limit=1001)
        repo.position(where, sort, int(rows[-1].record.id or 0))
    finally:
        store.conn.set_trace_callback(None)
    return [sql for sql in statements if "FROM feedback" in sql]


INBOX_LISTS = [
    *((view, False, sort) for view in BUILTIN_VIEWS for sort in ("received", "priority", "demand")),
    *((view, False, "sla") for view in BUILTIN_VIEWS),
    # a merged duplicate's record widens the list to 'All' with duplicates shown
    ("all", True, "received"),
    ("all", True, "priority"),
]


@pytest.mark.parametrize(("view", "duplicates", "sort"), INBOX_LISTS)
def test_every_inbox_list_reads_its_rows_off_an_index_in_order(
    store: Store, view: str, duplicates: bool, sort: str
) -> None:
    """No inbox list reads the whole table or sorts it, in any order (the SLA order, an
    expression, too: schema 14), but a PM's own few items ('Mine'), which are sorted."""
    for n, due in enumerate((-1, -1, 8, 8)):  # two deadlines missed, two due within a day
        saved = store.feedback.insert(
            Feedback(
                title=f"Item {n}",
                received_at=NOW - dt.timedelta(days=2),
                owner="ana",
                customer_email="c@example.com",
            )
        )
        deadline = (NOW + dt.timedelta(hours=due)).isoformat()
        store.feedback.set_deadlines([(deadline, deadline, int(saved.id or 0))])
    if view == "needs_loop":
        store.conn.execute("UPDATE feedback SET status = 'done'")
    filters = FeedbackFilter(view=view, include_duplicates=duplicates)
    statements = _inbox_statements(store, filters, sort)
    assert len(statements) >= 4
    for sql in statements:
        plan = _plan(store, sql)
        assert not TABLE_SCAN.search(plan), (sql, plan)
        if view == "mine" and "INTEGER PRIMARY KEY" not in plan:  # ana's items, then sorted
            assert "idx_feedback_owner_duplicate_of_received_at_id (owner=?" in plan, plan
        else:
            assert "TEMP B-TREE FOR ORDER BY" not in plan, (sql, plan)


def _four_items(store: Store, view: str) -> None:
    """Four items of two companies, owned by ana, that the view shows."""
    for n in range(4):
        store.feedback.insert(
            Feedback(
                title=f"Item {n}",
                received_at=NOW - dt.timedelta(days=n),
                owner="ana",
                company="Acme" if n % 2 else "Globex",
                customer_email="c@example.com",
            )
        )
    if view == "needs_loop":
        store.conn.execute("UPDATE feedback SET status = 'done'")
    elif view in ("sla_breached", "sla_at_risk"):
        due = (NOW + dt.timedelta(hours=-1 if view == "sla_breached" else 8)).isoformat()
        store.conn.execute("UPDATE feedback SET ack_due_at = ?, decide_due_at = ?", (due, due))


def _list_plans(store: Store, filters: FeedbackFilter, sort: str) -> list[str]:
    """The plans of the inbox's statements for a list, but a single row's lookup."""
    plans = [_plan(store, sql) for sql in _inbox_statements(store, filters, sort)]
    searches = [plan for plan in plans if "INTEGER PRIMARY KEY" not in plan]
    assert len(searches) >= 3
    return searches


@pytest.mark.parametrize("view", sorted(BUILTIN_VIEWS))
@pytest.mark.parametrize("sort", ["received", "priority", "demand", "sla"])
def test_a_company_or_owner_with_few_items_is_read_off_its_own_index(
    store: Store, view: str, sort: str
) -> None:
    """A small customer's items, or a PM's, are found through the company or owner index
    whatever the view and order, never by walking every item in the order shown until
    enough match ('Mine' is the owner filter with the user's name)."""
    _four_items(store, view)
    for plan in _list_plans(store, FeedbackFilter(view=view, company="Acme"), sort):
        assert "USING INDEX idx_feedback_company (company=?)" in plan, plan
    owned = FeedbackFilter(view=view, owner="ana" if view != "mine" else None)
    for plan in _list_plans(store, owned, sort):
        assert "idx_feedback_owner_duplicate_of_received_at_id (owner=?" in plan, plan


@pytest.mark.parametrize("view", ["all", "mine", "untriaged"])
def test_an_owner_s_items_newest_first_are_read_off_the_owner_index_in_order(
    store: Store, view: str
) -> None:
    """The owner's index goes on by the received date: a PM's list newest first needs no
    sort, however few or many items the PM owns."""
    _four_items(store, view)
    owned = FeedbackFilter(view=view, owner="ana" if view != "mine" else None)
    for plan in _list_plans(store, owned, "received"):
        assert "idx_feedback_owner_duplicate_of_received_at_id (owner=? AND" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


def test_a_pm_with_thousands_of_items_is_read_off_the_owner_index(store: Store) -> None:
    """2,500 items of one PM, a few of them untriaged, by priority: walking the priority
    order until a window's worth turned up read most of the inbox (90-100 ms on 100,000
    items), so the PM's items are read and sorted instead (10-20 ms)."""
    items = [
        Feedback(
            title=f"Item {n}", received_at=NOW, owner="ana", status="new" if n % 50 else "triaged"
        )
        for n in range(2_500)
    ]
    store.feedback.insert_many(items)
    filters = FeedbackFilter(view="untriaged", owner="ana")
    for plan in _list_plans(store, filters, "priority"):
        assert "idx_feedback_owner_duplicate_of_received_at_id (owner=?)" in plan, plan


def test_a_company_with_many_items_walks_the_sort_order(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past DRIVING_FILTER items, reading and sorting all of a company's items would cost
    more than walking the order shown, which stops after one window."""
    _four_items(store, "all")
    monkeypatch.setattr(feedback_store, "DRIVING_FILTER", 1)
    where = store.feedback.where(FeedbackFilter(view="all", company="Acme"), now=NOW)
    windows = _inbox_statements(store, FeedbackFilter(view="all", company="Acme"), "received")
    for sql in [sql for sql in windows if "ORDER BY" in sql]:
        plan = _plan(store, sql)
        assert "idx_feedback_company" not in plan and "TEMP B-TREE" not in plan, plan
    assert "+company" not in where.sql() and "+duplicate_of" not in where.sql()
