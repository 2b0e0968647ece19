"""Every earlier schema upgrades cleanly to this one, with a backup made first.

For each N from 1 to the current version minus one, a database is built with only the first
N migrations (as an opsdesk of that version made it), given records through that schema's
own columns, and opened with :class:`Store`: the data must survive, the schema must be
current, and a private backup of the old file must sit beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.models import Feedback
from opsdesk.store import SCHEMA_VERSION, Store
from opsdesk.store.db import APPLICATION_ID
from opsdesk.store.feedback import FeedbackFilter
from opsdesk.store.schema import migrations

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
NAMES = [migration.name for migration in migrations._migrations]


def _old_database(path: Path, version: int) -> None:
    """An opsdesk file at schema ``version``, holding a few records written the old way."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        db = Database(conn, execute_plugins=False)
        migrations.apply(db, stop_before=NAMES[version])
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {version}")
        db["launches"].insert(
            {
                "id": 1,
                "title": "Old launch",
                "summary": "",
                "tier": 1,
                "launch_date": "2026-12-08",
                "status": "planned",
            }
        )
        db["feedback"].insert_all(
            {
                "id": i,
                "title": f"Old feedback {i} about export",
                "body": "written by an older opsdesk",
                "source": "email",
                "kind": "bug",
                "priority": 2,
                "status": "new",
                "launch_id": 1 if i == 1 else None,
                "received_at": "2026-11-20T09:00:00+00:00",
            }
            for i in range(1, 6)
        )
        db["feedback_tags"].insert_all({"feedback_id": 1, "tag": tag} for tag in ("export", "csv"))
        if db["feedback_fts"].exists():  # that opsdesk's repository indexed what it wrote
            conn.execute("INSERT INTO feedback_fts(feedback_fts) VALUES ('rebuild')")
        db["contacts"].insert({"id": 1, "name": "Ana Old", "email": "ana@old.example", "notes": ""})
        db["history"].insert(
            {
                "batch": "b1",
                "at": "2026-11-20T09:00:00+00:00",
                "actor": "old",
                "table_name": "feedback",
                "record_id": 1,
                "field": "created",
            }
        )


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_each_earlier_schema_upgrades_with_a_backup_first(tmp_path: Path, version: int) -> None:
    path = tmp_path / "opsdesk.db"
    _old_database(path, version)
    with Store(path, clock=FrozenClock(NOW), actor="tester") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.counts()["feedback"] == 5 and store.counts()["contacts"] == 1
        item = store.feedback.get(1)
        assert item.title == "Old feedback 1 about export" and item.launch_id == 1
        assert item.tags == ["csv", "export"]
        assert store.contacts.get(1).name == "Ana Old"
        assert store.launches.get(1).title == "Old launch"
        found = store.feedback.window(
            store.feedback.where(FeedbackFilter(search="export")), "received", limit=10
        )
        assert len(found) == 5  # full-text search covers the old rows
        new = store.feedback.insert(Feedback(title="New after upgrade", received_at=NOW))
        assert store.feedback.get(int(new.id or 0)).title == "New after upgrade"
    stamp = NOW.strftime("%Y%m%dT%H%M%S")
    backup = tmp_path / f"opsdesk.backup-v{version}-{stamp}.db"
    assert backup.exists(), sorted(p.name for p in tmp_path.iterdir())
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 5
    # Opening again: already current, so no second backup.
    Store(path, clock=FrozenClock(NOW + dt.timedelta(hours=1))).close()
    assert len(list(tmp_path.glob("opsdesk.backup-*.db"))) == 1


def test_the_leaner_schema_drops_only_indexes_other_indexes_cover(tmp_path: Path) -> None:
    path = tmp_path / "opsdesk.db"
    _old_database(path, NAMES.index("m010_leaner_feedback_writes"))
    with Store(path, clock=FrozenClock(NOW), actor="tester") as store:
        conn = store.conn
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert not names & {
            "idx_feedback_duplicate_of",
            "idx_feedback_owner",
            "idx_feedback_demand_id",
        }

        def plan(sql: str) -> str:
            return " ".join(str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))

        assert "idx_feedback_owner_duplicate_of" in plan(
            "SELECT id FROM feedback WHERE owner = 'x'"
        )
        # any of the indexes led by duplicate_of serves a lookup of an item's duplicates
        assert "INDEX idx_feedback_duplicate_of_" in plan(
            "SELECT id FROM feedback WHERE duplicate_of = 1"
        )
        assert "idx_feedback_duplicate_of_demand_id" in plan(
            "SELECT id FROM feedback WHERE duplicate_of IS NULL ORDER BY demand DESC, id DESC"
        )


def test_the_inbox_index_is_rebuilt_without_word_positions(tmp_path: Path) -> None:
    path = tmp_path / "opsdesk.db"
    _old_database(path, NAMES.index("m011_feedback_search_without_positions"))
    with Store(path, clock=FrozenClock(NOW), actor="tester") as store:
        sql = store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'feedback_fts'"
        ).fetchone()[0]
        assert "detail=column" in sql and "prefix='1 2 3'" in sql
        # the old rows were indexed again: a prefix and a split word both find them
        assert store.feedback.search_hits("expo") == 5
        assert store.feedback.search_hits("older-opsdesk") == 5


def test_the_sla_deadlines_keep_only_a_partial_index_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "opsdesk.db"
    _old_database(path, NAMES.index("m013_sla_deadlines_without_own_indexes"))
    with Store(path, clock=FrozenClock(NOW), actor="tester") as store:
        names = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master")}
        assert not names & {"idx_feedback_ack_due_at", "idx_feedback_decide_due_at"}
        assert "idx_feedback_missing_sla" in names
        # the old rows, written without deadlines, are in the new index: found, not scanned for
        assert [row[0] for row in store.feedback.missing_sla()] == [1, 2, 3, 4, 5]
        plan = store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM feedback WHERE ack_due_at IS NULL"
        ).fetchall()
        assert "idx_feedback_missing_sla" in " ".join(str(row[3]) for row in plan)


def test_the_command_line_says_an_upgrade_is_under_way(tmp_path: Path) -> None:
    path = tmp_path / "opsdesk.db"
    _old_database(path, NAMES.index("m011_feedback_search_without_positions"))
    result = CliRunner().invoke(cli, ["info", "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema_version"] == SCHEMA_VERSION  # stdout stays JSON
    notice = result.stderr
    assert f"Upgrading {path} from schema 10 to {SCHEMA_VERSION}" in notice
    backups = list(tmp_path.glob("opsdesk.backup-v10-*.db"))
    assert len(backups) == 1 and backups[0].name in notice
    # Opened again: already current, nothing said.
    again = CliRunner().invoke(cli, ["info", "--db", str(path)])
    assert again.exit_code == 0 and "Upgrading" not in again.stderr


def test_tags_with_spaces_become_one_word_on_upgrade(tmp_path: Path) -> None:
    """Schema 15: a stored "customer success" is ``customer-success``, what the model now
    writes, so the tag can be filtered on and removed; an item with both keeps one."""
    path = tmp_path / "opsdesk.db"
    _old_database(path, 14)
    with closing(sqlite3.connect(path)) as conn:
        conn.executemany(
            "INSERT INTO feedback_tags (feedback_id, tag) VALUES (?, ?)",
            [(2, "customer success"), (3, "customer success"), (3, "customer-success")],
        )
        conn.commit()
    with Store(path, clock=FrozenClock(NOW)) as store:
        rows = store.conn.execute(
            "SELECT feedback_id, tag FROM feedback_tags WHERE feedback_id IN (2, 3) ORDER BY 1"
        ).fetchall()
        assert [tuple(row) for row in rows] == [(2, "customer-success"), (3, "customer-success")]
        assert store.feedback.get(2).tags == ["customer-success"]
        assert store.feedback.get(1).tags == ["csv", "export"]
