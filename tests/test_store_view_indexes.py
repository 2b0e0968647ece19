"""The "SLA breached" and "Needs loop closed" views read off their own partial indexes
(schema m012): the same items in the same order as the plain query, and plans that never
read the whole table or sort."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Feedback
from opsdesk.services.desk import Desk
from opsdesk.services.today import today_sections
from opsdesk.store import Store
from opsdesk.store.feedback import PENDING_DEADLINE, VIEW_INDEXES, FeedbackFilter
from opsdesk.vocabulary import FeedbackStatus

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)


def _stamp(rng: random.Random, days: int) -> str:
    return (NOW + dt.timedelta(hours=rng.randint(-24 * days, 24 * days))).isoformat()


def _mixed_inbox(store: Store, items: int = 1000, seed: int = 3) -> None:
    """Every status, acknowledged or not, decided or not (whatever the status says, as
    another tool may write it), deadlines on both sides of now in either order, missing
    deadlines, merged duplicates that carry the only customer email, closed loops."""
    rng = random.Random(seed)
    statuses = list(FeedbackStatus)
    records = [
        Feedback(
            title=f"item {i}",
            status=rng.choice(statuses),
            customer_email=rng.choice([None, f"c{i}@example.com"]),
            received_at=NOW - dt.timedelta(days=rng.randint(0, 60)),
        )
        for i in range(items)
    ]
    ids = store.feedback.insert_many(records)
    with store.write():
        for record_id in ids:
            store.conn.execute(
                "UPDATE feedback SET acknowledged_at = ?, decided_at = ?, loop_closed_at = ?, "
                "ack_due_at = ?, decide_due_at = ?, duplicate_of = ? WHERE id = ?",
                (
                    rng.choice([None, _stamp(rng, 5)]),
                    rng.choice([None, None, _stamp(rng, 5)]),
                    rng.choice([None, None, _stamp(rng, 5)]),
                    rng.choice([None, _stamp(rng, 3), _stamp(rng, 3)]),
                    rng.choice([None, _stamp(rng, 9), _stamp(rng, 9)]),
                    rng.choice([None] * 8 + ids[:20]) if record_id > ids[20] else None,
                    record_id,
                ),
            )


@pytest.mark.parametrize("view", sorted(VIEW_INDEXES))
def test_a_view_read_off_its_index_holds_the_same_items_in_the_same_order(
    store: Store, view: str
) -> None:
    _mixed_inbox(store)
    feedback = store.feedback
    where = feedback.where(FeedbackFilter(view=view), now=NOW, user="me")
    rows, order = feedback.view_rows(view, where)
    indexed = store.conn.execute(f"SELECT id {rows} ORDER BY {order}, id", where.params).fetchall()
    plain = store.conn.execute(
        f"SELECT id FROM feedback NOT INDEXED WHERE {where.sql()} ORDER BY {PENDING_DEADLINE}, id",
        where.params,
    ).fetchall()
    assert [row[0] for row in indexed] == [row[0] for row in plain]
    assert len(plain) > 20  # the mix has plenty of each
    counts = feedback.view_counts(now=NOW, user="me")
    assert counts[view] == len(plain)


@pytest.mark.parametrize("view", sorted(VIEW_INDEXES))
def test_a_views_count_and_first_lines_never_read_the_whole_table_or_sort(
    store: Store, view: str
) -> None:
    feedback = store.feedback
    where = feedback.where(FeedbackFilter(view=view), now=NOW, user="me")
    rows, order = feedback.view_rows(view, where)
    index = VIEW_INDEXES[view][0]

    def plan(sql: str) -> str:
        found = store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", where.params).fetchall()
        return " | ".join(str(step[3]) for step in found)

    counted = plan(f"SELECT count(*) {rows}")
    assert f"COVERING INDEX {index}" in counted
    first = plan(f"SELECT id, title {rows} ORDER BY {order}, id LIMIT 8")
    assert f"INDEX {index}" in first and "TEMP B-TREE" not in first


def test_todays_feedback_sections_match_the_plain_queries(store: Store) -> None:
    """Today's first lines and totals for the indexed views, against the plain query."""
    _mixed_inbox(store)
    desk = Desk(store, Config(), FrozenClock(NOW))
    sections = {section.key: section for section in today_sections(desk)}
    for key, view in (("sla_breached", "sla_breached"), ("needs_loop", "needs_loop")):
        where = store.feedback.where(FeedbackFilter(view=view), now=NOW, user=desk.user)
        plain = store.conn.execute(
            f"SELECT id FROM feedback NOT INDEXED WHERE {where.sql()} "
            f"ORDER BY {PENDING_DEADLINE}, id",
            where.params,
        ).fetchall()
        assert [row.record_id for row in sections[key].rows] == [row[0] for row in plain[:8]]
        assert sections[key].total == len(plain)


@pytest.mark.parametrize("view", sorted(VIEW_INDEXES))
def test_a_views_list_is_counted_off_its_index(store: Store, view: str) -> None:
    """The list's own count (End goes to the last row only once it is known) reads the
    view's index as the sidebar's does: the same number, without reading the table."""
    _mixed_inbox(store)
    feedback = store.feedback
    where = feedback.where(FeedbackFilter(view=view), now=NOW, user="me", sort="priority")
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        total, capped = feedback.count(where), feedback.count(where, limit=10)
    finally:
        store.conn.set_trace_callback(None)
    assert total == feedback.view_counts(now=NOW, user="me")[view] and capped == 10
    assert all(f"INDEXED BY {VIEW_INDEXES[view][0]}" in sql for sql in statements)
    # with merged duplicates shown, rows outside the index count too: the plain query
    shown = feedback.where(FeedbackFilter(view=view, include_duplicates=True), now=NOW)
    plain = store.conn.execute(
        f"SELECT count(*) FROM feedback NOT INDEXED WHERE {shown.sql()}", shown.params
    ).fetchone()[0]
    assert feedback.count(shown) == plain > total
