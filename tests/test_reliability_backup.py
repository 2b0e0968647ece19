"""``opsdesk backup`` and ``opsdesk restore``: consistent, private copies, even under load."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from click.testing import CliRunner

from opsdesk.cli import cli
from opsdesk.models import Feedback
from opsdesk.store import Store
from opsdesk.store.db import APPLICATION_ID
from reliability_proc import kill, start, wait_for

WRITER = """
import datetime as dt, sys
from opsdesk.models import Feedback
from opsdesk.store import Store
NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
store = Store(sys.argv[1], actor="writer")
n = 0
while True:
    store.feedback.insert_many([Feedback(title=f"w {n} {i}", received_at=NOW) for i in range(20)])
    n += 1
    if n == 5:
        print("started")
"""


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), obj={})
    return result.exit_code, result.stdout, result.stderr


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _feedback_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        count = int(conn.execute("SELECT count(*) FROM feedback").fetchone()[0])
        history = int(
            conn.execute("SELECT count(*) FROM history WHERE table_name = 'feedback'").fetchone()[0]
        )
    conn.close()
    assert count == history  # a snapshot between commits, never half a batch
    return count


def test_backup_while_another_process_writes(tmp_path: Path) -> None:
    db = tmp_path / "opsdesk.db"
    Store(db).close()
    writer = start(WRITER, db)
    try:
        wait_for(writer)
        code, out, err = _run("backup", str(tmp_path / "copy.db"), "--db", str(db))
        code_default, out_default, _ = _run("backup", "--db", str(db))
    finally:
        kill(writer)
    assert code == 0, err
    assert out.strip() == str(tmp_path / "copy.db")
    copied = _feedback_rows(tmp_path / "copy.db")
    assert copied >= 100 and copied % 20 == 0
    assert _mode(tmp_path / "copy.db") == 0o600
    assert code_default == 0
    default = Path(out_default.strip())
    assert default.parent == tmp_path and default.name.startswith("opsdesk.backup-")
    assert _mode(default) == 0o600 and _feedback_rows(default) >= copied
    with Store(tmp_path / "copy.db") as reopened:  # a backup is a normal opsdesk database
        assert reopened.counts()["feedback"] == copied


def test_backup_refuses_a_missing_database_and_itself(tmp_path: Path) -> None:
    code, _, err = _run("backup", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "nothing to back up" in err and "Traceback" not in err
    assert not (tmp_path / "none.db").exists()
    db = tmp_path / "x.db"
    Store(db).close()
    code, _, err = _run("backup", str(db), "--db", str(db))
    assert code == 1 and "the database itself" in err


def test_restore_refuses_foreign_files_and_needs_yes(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    with Store(db) as store:
        store.feedback.insert(Feedback(title="live", received_at=store.clock.now()))
        store.backup(tmp_path / "snap.db")
        store.feedback.insert(Feedback(title="later", received_at=store.clock.now()))
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    code, _, err = _run("restore", str(text), "--db", str(db), "--yes")
    assert code == 1 and "not an opsdesk database" in err
    assert text.read_text() == "not a database\n"
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    code, _, err = _run("restore", str(foreign), "--db", str(db), "--yes")
    assert code == 1 and "not an opsdesk" in err
    code, _, err = _run("restore", str(tmp_path / "snap.db"), "--db", str(db))
    assert code == 1 and "--yes" in err
    with Store(db) as store:
        assert store.counts()["feedback"] == 2


def test_restore_into_an_open_database(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    with Store(db) as store:
        store.feedback.insert(Feedback(title="kept", received_at=store.clock.now()))
        store.backup(tmp_path / "snap.db")
        store.feedback.insert(Feedback(title="undone", received_at=store.clock.now()))
    with Store(db) as app_connection:  # the app stays open during the restore
        before = app_connection.data_version()
        code, out, err = _run("restore", str(tmp_path / "snap.db"), "--db", str(db), "--yes")
        assert code == 0, err
        assert "Restored" in out and "previous database was saved" in err
        assert app_connection.data_version() != before
        titles = [r[0] for r in app_connection.conn.execute("SELECT title FROM feedback")]
        assert titles == ["kept"]
    saved = [p for p in tmp_path.glob("live.backup-*.db")]
    assert len(saved) == 1 and _feedback_rows(saved[0]) == 2 and _mode(saved[0]) == 0o600
