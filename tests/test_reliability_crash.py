"""Crash safety: opsdesk killed with SIGKILL in the middle of a write loses nothing committed.

Each test commits some work in a child process, starts a bigger write in one transaction,
and kills the child while that transaction is open (its pages partly in the WAL). Then the
file must pass ``PRAGMA integrity_check``, open at once, hold every committed change and
nothing of the interrupted one.
"""

from __future__ import annotations

import csv
import sqlite3
import time
from pathlib import Path

from opsdesk.models import Feedback
from opsdesk.store import Store
from opsdesk.vocabulary import FeedbackStatus
from reliability_proc import kill, start, wait_for

PRELUDE = """
import datetime as dt, sys, time
from opsdesk.models import Feedback
from opsdesk.store import Store
NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
store = Store(sys.argv[1], actor="child")
def items(prefix, n):
    return [Feedback(title=f"{prefix} {i}", body="x" * 200, received_at=NOW) for i in range(n)]
"""


def _check_healthy(path: Path) -> Store:
    """The file passes SQLite's integrity check and opens straight away."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    started = time.perf_counter()
    store = Store(path, actor="checker")
    assert time.perf_counter() - started < 2
    assert not store.read_only
    return store


def _titles(store: Store, prefix: str) -> int:
    return int(
        store.conn.execute(
            "SELECT count(*) FROM feedback WHERE title LIKE ?", (f"{prefix} %",)
        ).fetchone()[0]
    )


def test_killed_during_a_bulk_insert(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    proc = start(
        PRELUDE
        + """
store.feedback.insert_many(items("kept", 300))
with store.write():
    for round in range(1000):
        store.feedback.insert_many(items("lost", 500))
        if round == 3:
            print("started")
    time.sleep(60)
""",
        path,
    )
    wait_for(proc)
    kill(proc)
    with _check_healthy(path) as store:
        assert _titles(store, "kept") == 300
        assert _titles(store, "lost") == 0
        history = store.conn.execute("SELECT count(*) FROM history").fetchone()[0]
        assert history == 300  # one 'created' line per kept item, none for the lost ones
        store.feedback.insert(Feedback(title="after", received_at=store.clock.now()))


def test_killed_during_a_bulk_triage(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    proc = start(
        PRELUDE
        + """
from opsdesk.config import Config
from opsdesk.services.desk import Desk
from opsdesk.services.feedback import triage
desk = Desk(store, Config())
ids = store.feedback.insert_many(items("item", 150))
triage(desk, ids[:50], status="planned")
print("committed")
with store.write():
    triage(desk, ids, status="declined")
    triage(desk, ids, priority=1)
    print("started")
    time.sleep(60)
""",
        path,
    )
    wait_for(proc, "committed")
    wait_for(proc)
    kill(proc)
    with _check_healthy(path) as store:
        statuses = dict(
            store.conn.execute("SELECT status, count(*) FROM feedback GROUP BY status").fetchall()
        )
        assert statuses == {FeedbackStatus.PLANNED.value: 50, FeedbackStatus.NEW.value: 100}
        assert (
            store.conn.execute("SELECT count(*) FROM feedback WHERE priority = 1").fetchone()[0]
            == 0
        )


def test_killed_during_an_edit_keeps_the_previous_edit(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    proc = start(
        PRELUDE
        + """
[first] = store.feedback.insert_many(items("item", 1))
store.feedback.update(first, title="edited once")
with store.write():
    store.feedback.update(first, title="edited twice")
    print("started")
    time.sleep(60)
""",
        path,
    )
    wait_for(proc)
    kill(proc)
    with _check_healthy(path) as store:
        [row] = store.conn.execute("SELECT title FROM feedback").fetchall()
        assert row[0] == "edited once"


def test_killed_during_a_cli_import_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    source = tmp_path / "tickets.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Subject", "Description", "Created at"])
        writer.writerows([f"ticket {i}", "text " * 20, "2026-11-20"] for i in range(1000))
    with Store(path) as store:
        store.feedback.insert(Feedback(title="before 1", received_at=store.clock.now()))
    # The real command, paused inside its transaction just after the rows went in.
    proc = start(
        """
import sys, time
from opsdesk.cli import cli
from opsdesk.store.feedback import FeedbackRepository
original = FeedbackRepository.insert_many
def pausing(self, records, **options):
    ids = original(self, records, **options)
    print("started", flush=True)
    time.sleep(60)
    return ids
FeedbackRepository.insert_many = pausing
cli(["import", "feedback", sys.argv[2], "--db", sys.argv[1]], obj={})
""",
        path,
        source,
    )
    wait_for(proc)
    kill(proc)
    with _check_healthy(path) as store:
        assert store.counts()["feedback"] == 1
        assert _titles(store, "ticket") == 0
        assert _titles(store, "before") == 1
