"""Reliability on the large dataset: backup time, reopening after a crash, upgrading.

Figures (each printed next to its target):

- ``opsdesk backup`` of the large database (SQLite's online backup), target 10 s;
- opening the database at once after a process was killed inside a bulk write of 20,000
  feedback items (WAL recovery), target 1 s;
- upgrading a copy of the large database to a schema with one more migration (a new index),
  with the pre-upgrade backup, target 60 s.

The large database is copied to a temporary folder first, so it is never changed.

    python benchmarks/bench_reliability.py [--large benchmarks/data/large.db]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from opsdesk.store import SCHEMA_VERSION, Store

KILLED_WRITER = """
import datetime as dt, sys, time
from opsdesk.models import Feedback
from opsdesk.store import Store
now = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
store = Store(sys.argv[1], actor="bench")
with store.write():
    store.feedback.insert_many(
        [Feedback(title=f"bench {i}", body="x" * 300, received_at=now) for i in range(20_000)]
    )
    print("started", flush=True)
    time.sleep(60)
"""


def report(name: str, seconds: float, target: float) -> None:
    verdict = "ok" if seconds <= target else "OVER"
    print(f"{name:<48} {seconds:8.2f} s   target {target:6.1f} s   {verdict}")


def bench_backup(db: Path, folder: Path) -> None:
    with Store(db) as store:
        started = time.perf_counter()
        store.backup(folder / "backup.db")
        report("backup of the large database", time.perf_counter() - started, 10)


def bench_reopen_after_kill(db: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "started":
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    started = time.perf_counter()
    with Store(db) as store:
        store.feedback.count()
    report("open after SIGKILL inside a 20,000-row write", time.perf_counter() - started, 1)


def bench_upgrade(db: Path) -> None:
    """Open the large file with an opsdesk that ships one more migration (a new index).

    The cost measured is the real one of any upgrade: the backup first, then the migration
    in one transaction over 100,000 feedback rows.
    """
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from opsdesk.store import db as store_db
    from opsdesk.store import schema

    def m999_bench_index(database: Database) -> None:
        database["feedback"].create_index(["company", "received_at"])

    schema.migrations._migrations.append(
        Migrations._Migration("m999_bench_index", m999_bench_index)
    )
    store_db.SCHEMA_VERSION = SCHEMA_VERSION + 1
    started = time.perf_counter()
    Store(db).close()
    seconds = time.perf_counter() - started
    backups = list(db.parent.glob("large.backup-v*.db"))
    report("upgrade to a new schema (backup + migration)", seconds, 60)
    print(f"  pre-upgrade backup made: {bool(backups)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=Path, default=Path("benchmarks/data/large.db"))
    args = parser.parse_args()
    if not args.large.exists():
        sys.exit(f"{args.large} is missing: run python benchmarks/generate.py first")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "large.db"
        shutil.copy(args.large, db)
        Store(db).close()  # upgrade the copy to this opsdesk's schema first
        bench_backup(db, folder)
        bench_reopen_after_kill(db)
        bench_upgrade(db)


if __name__ == "__main__":
    main()
