"""The board's columns in a useful order, each read off an index (schema 17).

The columns listed cards newest first (by id), whatever their dates: a running test ending
tomorrow could sit under one ending next month, and last week's result under last year's.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from opsdesk.clock import FrozenClock
from opsdesk.models import Experiment
from opsdesk.store import SCHEMA_VERSION, Store
from opsdesk.store.db import APPLICATION_ID
from opsdesk.store.experiments import COLUMN_SORTS, LIST_SORTS, ExperimentFilter
from opsdesk.store.schema import migrations
from opsdesk.vocabulary import ExperimentStatus

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
D = dt.date

COLUMN_INDEXES = {
    ExperimentStatus.IDEA: "idx_experiments_status_start_id",
    ExperimentStatus.DESIGNING: "idx_experiments_status_start_id",
    ExperimentStatus.RUNNING: "idx_experiments_status_ending_id",
    ExperimentStatus.ANALYZING: "idx_experiments_status_ended_id",
    ExperimentStatus.CONCLUDED: "idx_experiments_status_ended_id",
    ExperimentStatus.ABANDONED: "idx_experiments_status_id",
}

# (title, status, planned start, planned end, actual start, actual end), inserted in this
# order: ids run the other way from the order each column should show.
CARDS: list[tuple[str, ExperimentStatus, D | None, D | None, D | None, D | None]] = [
    ("idea undated, oldest", ExperimentStatus.IDEA, None, None, None, None),
    ("idea in March", ExperimentStatus.IDEA, D(2027, 3, 1), D(2027, 3, 20), None, None),
    ("idea in January", ExperimentStatus.IDEA, D(2027, 1, 4), D(2027, 1, 25), None, None),
    ("design next week", ExperimentStatus.DESIGNING, D(2026, 12, 3), None, None, None),
    ("design tomorrow", ExperimentStatus.DESIGNING, D(2026, 11, 27), None, None, None),
    ("running, no end", ExperimentStatus.RUNNING, D(2026, 11, 1), None, D(2026, 11, 1), None),
    (
        "running to Christmas",
        ExperimentStatus.RUNNING,
        D(2026, 11, 2),
        D(2026, 12, 24),
        D(2026, 11, 2),
        None,
    ),
    (
        "running, overdue",
        ExperimentStatus.RUNNING,
        D(2026, 11, 3),
        D(2026, 11, 20),
        D(2026, 11, 3),
        None,
    ),
    (
        "ran in October",
        ExperimentStatus.ANALYZING,
        D(2026, 10, 1),
        D(2026, 10, 28),
        D(2026, 10, 1),
        D(2026, 10, 30),
    ),
    (
        "ran in August",
        ExperimentStatus.ANALYZING,
        D(2026, 8, 1),
        D(2026, 8, 28),
        D(2026, 8, 1),
        D(2026, 8, 30),
    ),
    (
        "ended in May",
        ExperimentStatus.CONCLUDED,
        D(2026, 5, 1),
        D(2026, 5, 20),
        D(2026, 5, 1),
        D(2026, 5, 21),
    ),
    (
        "ended last week",
        ExperimentStatus.CONCLUDED,
        D(2026, 10, 20),
        D(2026, 11, 18),
        D(2026, 10, 20),
        D(2026, 11, 19),
    ),
    (
        "ended in 2025",
        ExperimentStatus.CONCLUDED,
        D(2025, 6, 1),
        D(2025, 6, 20),
        D(2025, 6, 1),
        D(2025, 6, 22),
    ),
    ("dropped first", ExperimentStatus.ABANDONED, D(2026, 9, 1), None, None, None),
    ("dropped last", ExperimentStatus.ABANDONED, None, None, None, None),
]

EXPECTED = {
    ExperimentStatus.IDEA: ["idea in January", "idea in March", "idea undated, oldest"],
    ExperimentStatus.DESIGNING: ["design tomorrow", "design next week"],
    ExperimentStatus.RUNNING: ["running, overdue", "running to Christmas", "running, no end"],
    ExperimentStatus.ANALYZING: ["ran in August", "ran in October"],
    ExperimentStatus.CONCLUDED: ["ended last week", "ended in May", "ended in 2025"],
    ExperimentStatus.ABANDONED: ["dropped last", "dropped first"],
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "opsdesk.db", clock=FrozenClock(NOW), actor="ana") as store:
        for title, status, start, end, actual_start, actual_end in CARDS:
            store.experiments.insert(
                Experiment(
                    title=title,
                    status=status,
                    planned_start=start,
                    planned_end=end,
                    actual_start=actual_start,
                    actual_end=actual_end,
                    primary_metric="m",
                )
            )
        yield store


def _traced(store: Store, run: Any) -> list[str]:
    """The SQL ``run`` sent to SQLite."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        store.conn.set_trace_callback(None)
    return statements


def _plan(store: Store, sql: str) -> str:
    rows = store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")
    return " | ".join(str(row[3]) for row in rows)


@pytest.mark.parametrize("status", list(ExperimentStatus))
def test_each_column_lists_its_cards_in_the_order_a_manager_works_them(
    store: Store, status: ExperimentStatus
) -> None:
    repo = store.experiments
    where = repo.where(ExperimentFilter(status=status.value))
    sort = COLUMN_SORTS[status]
    whole = [row.record.title for row in repo.window(where, sort, limit=10)]
    assert whole == EXPECTED[status]
    first = repo.window(where, sort, limit=1)  # and page by page, as the column scrolls
    paged = [first[0].record.title]
    while len(paged) < len(whole):
        after = repo.window(where, sort, limit=1, after=first[0].key)
        paged.append(after[0].record.title)
        first = after
    assert paged == whole
    for place, row in enumerate(repo.window(where, sort, limit=10)):
        assert row.record.id is not None
        assert repo.position(where, sort, row.record.id) == place


@pytest.mark.parametrize("status", list(ExperimentStatus))
def test_each_column_reads_an_index_in_its_order_instead_of_sorting(
    store: Store, status: ExperimentStatus
) -> None:
    """A column of 2,000 concluded experiments pages as fast as one of three: every page
    reads the column's index in its order, and finding a card's place in its column reads
    only that column; nothing sorts it."""
    repo = store.experiments
    where = repo.where(ExperimentFilter(status=status.value))
    sort = COLUMN_SORTS[status]

    def read() -> None:
        rows = repo.window(where, sort, limit=1)
        repo.window(where, sort, limit=1, after=rows[0].key)
        assert rows[0].record.id is not None
        repo.position(where, sort, rows[0].record.id)

    statements = [
        sql
        for sql in _traced(store, read)
        if "FROM experiments" in sql and ("ORDER BY" in sql or "count(*)" in sql)
    ]
    assert len(statements) == 3  # two pages, and the cards before one
    for sql in statements:
        plan = _plan(store, sql)
        assert "TEMP B-TREE" not in plan and "(status=?" in plan, (sql, plan)
        if "ORDER BY" in sql:  # a count may read any index of the column: it sorts nothing
            assert f"INDEX {COLUMN_INDEXES[status]}" in plan, (sql, plan)


def test_the_list_cycles_its_own_orders_not_the_columns() -> None:
    """The board's orders live beside the list's; ``s`` in the list still cycles four."""
    assert LIST_SORTS == ("status", "start", "newest", "ended")
    assert set(COLUMN_SORTS.values()) - set(LIST_SORTS) == {"ending", "ended_earliest"}


RUNNING = {"status": "running", "hypothesis": "", "learnings": "", "guardrail_metrics": "[]"}


def test_an_older_database_gains_the_column_indexes_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "opsdesk.db"
    names = [migration.name for migration in migrations._migrations]
    version = names.index("m017_experiment_board_order_indexes")
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        db = Database(conn, execute_plugins=False)
        migrations.apply(db, stop_before=names[version])
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {version}")
        db["experiments"].insert_all(
            [
                {"id": 1, "title": "Ends later", "planned_end": "2026-12-20", **RUNNING},
                {"id": 2, "title": "Ends sooner", "planned_end": "2026-12-01", **RUNNING},
            ]
        )
    with Store(path, clock=FrozenClock(NOW), actor="tester") as store:
        assert store.schema_version() == SCHEMA_VERSION
        indexes = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master")}
        assert set(COLUMN_INDEXES.values()) <= indexes
        repo = store.experiments
        where = repo.where(ExperimentFilter(status="running"))
        rows = repo.window(where, COLUMN_SORTS[ExperimentStatus.RUNNING], limit=5)
        assert [row.record.title for row in rows] == ["Ends sooner", "Ends later"]
