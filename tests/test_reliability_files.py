"""Bad files through the CLI and the app, and a full disk (``PRAGMA max_page_count``).

The store-level refusals (empty, text, random, truncated, foreign, newer files, read-only
files and folders) are in ``test_store_files.py``; these tests check what a person sees.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Feedback
from opsdesk.store import SCHEMA_VERSION, Store
from opsdesk.store import db as store_db
from opsdesk.store.store import DiskFullError
from opsdesk.tui.app import build_app

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
FULL = "the disk is full: nothing was saved"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), obj={})
    return result.exit_code, result.stdout, result.stderr


def _one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and lines[0].endswith("."), err
    return lines[0]


def _make_db(path: Path, items: int = 5) -> Path:
    with Store(path, clock=FrozenClock(NOW)) as store:
        store.feedback.insert_many(
            [Feedback(title=f"item {i}", received_at=NOW) for i in range(items)]
        )
    return path


def test_newer_database_through_the_cli(tmp_path: Path) -> None:
    path = _make_db(tmp_path / "x.db")
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    for command in (["info"], ["feedback", "list"], ["feedback", "add", "new"], ["backup"]):
        code, out, err = _run(*command, "--db", str(path))
        assert code == 1, (command, out)
        assert "newer opsdesk" in _one_sentence(err)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content", [b"", b"name,email\nana,ana@example.com\n", b"SQLite format 3\x00" + b"\x00" * 90]
)
def test_broken_files_through_the_cli(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    code, _, err = _run("feedback", "list", "--db", str(path))
    assert code == 1
    assert str(path) in _one_sentence(err)
    assert path.read_bytes() == content


def test_missing_folders_are_created_private(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    path = tmp_path / "a" / "b" / "x.db"
    code, out, err = _run("feedback", "add", "first", "--db", str(path))
    assert code == 0, err
    assert out.strip() == "1"
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists():
            assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755


def test_full_disk_in_the_store_saves_nothing_and_says_so(tmp_path: Path) -> None:
    path = _make_db(tmp_path / "x.db")
    with Store(path, clock=FrozenClock(NOW)) as store:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        big = [Feedback(title=f"big {i}", body="x" * 5000, received_at=NOW) for i in range(50)]
        with pytest.raises(DiskFullError) as caught:
            store.feedback.insert_many(big)
        message = str(caught.value)
        assert FULL in message and str(path) in message and "\n" not in message
        assert not store.conn.in_transaction
        assert store.feedback.count() == 5
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        store.conn.execute(f"PRAGMA max_page_count = {pages + 1000}")
        store.feedback.insert_many(big)  # the same store works again once there is room
        assert store.feedback.count() == 55


def test_full_disk_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _make_db(tmp_path / "x.db")
    configure = store_db._configure

    def tiny_disk(conn: sqlite3.Connection, *, memory: bool) -> None:
        configure(conn, memory=memory)
        conn.execute("PRAGMA max_page_count = 1")  # no room beyond the pages in use

    monkeypatch.setattr(store_db, "_configure", tiny_disk)
    code, _, err = _run("feedback", "add", "huge", "--body", "y" * 100_000, "--db", str(path))
    assert code == 1
    assert FULL in _one_sentence(err).lower()
    monkeypatch.undo()
    with Store(path) as store:
        assert store.feedback.count() == 5


async def test_read_only_database_in_the_app_refuses_writes_with_a_notification(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _make_db(tmp_path / "x.db")
    real_access = os.access

    def access(target: os.PathLike[str] | str, flags: int, **kwargs: object) -> bool:
        if flags & os.W_OK and Path(target).resolve() == path.resolve():
            return False
        return real_access(target, flags, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_db.os, "access", access)
    clock = FrozenClock(NOW)
    store = Store(path, clock=clock)
    assert store.read_only
    app = build_app(store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "(read-only)" in app.sub_title
        for key in ("t", "exclamation_mark", "A"):
            await pilot.press(key)
            await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert notes and all("read-only" in note for note in notes), notes
        assert app.is_running
    store.close()
    with Store(path) as reopened:
        statuses = {row[0] for row in reopened.conn.execute("SELECT status FROM feedback")}
        assert statuses == {"new"}


async def test_full_disk_in_the_app_is_a_notification(tmp_path: Path) -> None:
    path = _make_db(tmp_path / "x.db", items=200)
    clock = FrozenClock(NOW)
    store = Store(path, clock=clock)
    store.conn.execute("PRAGMA max_page_count = 1")
    app = build_app(store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("space", "space", "space")
        for _ in range(5):
            await pilot.press("A")  # acknowledge: history lines and stamps need new pages
            await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any(FULL in note for note in notes), notes
        assert app.is_running
    store.close()
