"""The database file itself: private on disk, refused cleanly when it is not ours, upgraded safely.

Each test works on its own ``tmp_path`` database with a frozen clock. What the store promises:

* files it creates are 0600 (database, -wal, -shm, backups) and folders it creates are 0700,
  while folders that already existed keep their mode;
* anything that is not an opsdesk database it understands is refused with one sentence that
  names the file, and the file is left byte-for-byte as it was;
* a file it may not write opens read-only, and writing to it changes nothing;
* an older schema is backed up before it is migrated, and a failed migration leaves it as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from opsdesk.clock import FrozenClock
from opsdesk.models import Feedback
from opsdesk.store import SCHEMA_VERSION, ReadOnlyError, Store, StoreError
from opsdesk.store import db as store_db
from opsdesk.store import schema as store_schema
from opsdesk.store.db import APPLICATION_ID
from opsdesk.store.feedback import FeedbackFilter

NOW = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
PAGE = 4096


def clock() -> FrozenClock:
    return FrozenClock(NOW)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def make_db(path: Path, items: int = 40) -> Path:
    """A real opsdesk database with some feedback in it, closed (so no -wal or -shm remain)."""
    with Store(path, clock=clock()) as store:
        store.feedback.insert_many(
            [
                Feedback(title=f"item {i}", body="lorem ipsum " * 40, received_at=NOW)
                for i in range(items)
            ]
        )
    return path


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def snapshot(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, stat.S_IMODE(info.st_mode)


def assert_one_sentence(message: str, path: Path) -> None:
    """A message for a person: one line, one sentence, naming the file, no traceback."""
    assert "\n" not in message and "\r" not in message, message
    assert str(path) in message, message
    assert "Traceback" not in message and 'File "' not in message, message
    rest = message.replace(str(path), "FILE")
    assert rest.endswith("."), message
    assert ". " not in rest, f"more than one sentence: {message}"


# --- private files and folders ------------------------------------------------------------


def test_new_database_files_and_created_folders_are_private(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    path = tmp_path / "new" / "sub" / "x.db"
    with umask(0), Store(path, clock=clock()) as store:  # umask 0: nothing relies on it
        store.feedback.insert(Feedback(title="first", received_at=NOW))
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert mode(path) == 0o600
        assert mode(wal) == 0o600
        assert mode(shm) == 0o600
        assert mode(tmp_path / "new") == 0o700
        assert mode(tmp_path / "new" / "sub") == 0o700
        # A second connection (another process, say) keeps them private too.
        with Store(path, clock=clock()) as other:
            other.feedback.insert(Feedback(title="second", received_at=NOW))
        assert mode(wal) == 0o600
        assert mode(shm) == 0o600
    assert mode(tmp_path) == 0o755, "a folder that already existed must not be chmodded"
    # Nothing but the database is left behind (no temporary files from creating it).
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.db"]


def test_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    with umask(0), Store(shared / "x.db", clock=clock()) as store:
        store.feedback.insert(Feedback(title="hello", received_at=NOW))
        assert mode(shared / "x.db") == 0o600
    assert mode(shared) == 0o755


def test_backup_is_private_and_complete(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    with umask(0), Store(tmp_path / "x.db", clock=clock()) as store:
        store.feedback.insert_many(
            [Feedback(title=f"item {i}", received_at=NOW) for i in range(25)]
        )
        in_new_folder = store.backup(tmp_path / "backups" / "copy.db")
        beside = store.backup(tmp_path / "beside.db")
        # Overwriting a file that was readable by others makes it private too.
        existing = tmp_path / "old-backup.db"
        existing.write_bytes(b"")
        existing.chmod(0o644)
        store.backup(existing)
    for backup in (in_new_folder, beside, existing):
        assert mode(backup) == 0o600, backup
        with sqlite3.connect(backup) as conn:
            assert conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 25
            assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        conn.close()
    assert mode(tmp_path / "backups") == 0o700
    assert mode(tmp_path) == 0o755


# --- refusing what is not ours ------------------------------------------------------------


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path) -> None:
    path.write_text("milk\neggs\n[/] bread\n" * 200, encoding="utf-8")


def _random(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(3 * PAGE + 17))


def _truncated(path: Path) -> None:
    real = make_db(path.with_name("real.db"))
    data = real.read_bytes()
    assert len(data) > 10 * PAGE
    path.write_bytes(data[:3000])


def _scribbled(path: Path) -> None:
    """A real database with three middle pages overwritten by noise (a bad disk, say)."""
    real = make_db(path.with_name("real.db"))
    data = bytearray(real.read_bytes())
    middle = (len(data) // PAGE // 2) * PAGE
    data[middle : middle + 3 * PAGE] = random.Random(7).randbytes(3 * PAGE)
    path.write_bytes(bytes(data))


def _other_application(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO recipes (name) VALUES ('soup')")
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
    conn.close()


def _other_application_with_id(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 1598903374")  # Fossil's
        conn.execute("CREATE TABLE blob (rid INTEGER PRIMARY KEY, content BLOB)")
    conn.close()


def _newer_opsdesk(path: Path) -> None:
    make_db(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()


REFUSED: dict[str, Callable[[Path], None]] = {
    "empty": _empty,
    "text": _text,
    "random": _random,
    "truncated": _truncated,
    "scribbled": _scribbled,
    "other-application": _other_application,
    "other-application-with-id": _other_application_with_id,
    "newer-opsdesk": _newer_opsdesk,
}

# Files refused before SQLite opens them (or not in WAL mode) leave their folder as it was.
# For WAL-mode files, SQLite's read-only probe may leave an empty -wal and a -shm beside them.
NO_SIBLINGS = {"empty", "text", "random", "other-application", "other-application-with-id"}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_foreign_or_broken_files_are_refused_and_left_untouched(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.db"
    REFUSED[kind](path)
    before = snapshot(path)
    siblings = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(StoreError) as caught:
        Store(path, clock=clock())

    assert snapshot(path) == before, "a refused file must be left byte-for-byte as it was"
    assert_one_sentence(str(caught.value), path)
    if kind in NO_SIBLINGS:
        assert sorted(p.name for p in tmp_path.iterdir()) == siblings
    if kind == "newer-opsdesk":
        assert "newer opsdesk" in str(caught.value)
    if kind in {"truncated", "scribbled"}:
        assert "damaged" in str(caught.value)


def test_refused_a_second_time_the_same_way(tmp_path: Path) -> None:
    """Refusing does not "repair" anything, so opening again gives the same answer."""
    path = tmp_path / "broken.db"
    _scribbled(path)
    messages = []
    for _ in range(2):
        with pytest.raises(StoreError) as caught:
            Store(path, clock=clock())
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "folder.db"
    path.mkdir()
    with pytest.raises(StoreError) as caught:
        Store(path, clock=clock())
    assert_one_sentence(str(caught.value), path)
    assert list(path.iterdir()) == []


# --- read-only files ----------------------------------------------------------------------


def _deny_writes(monkeypatch: pytest.MonkeyPatch, *denied: Path) -> None:
    """Make ``os.access`` (as opsdesk.store.db sees it) say these paths are not writable.

    Tests run as root here, and root may write any file whatever its mode.
    """
    real_access = os.access
    denied_resolved = {p.resolve() for p in denied}

    def access(path: os.PathLike[str] | str, flags: int, **kwargs: object) -> bool:
        if flags & os.W_OK and Path(path).resolve() in denied_resolved:
            return False
        return real_access(path, flags, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_db.os, "access", access)


def _check_read_only_store(path: Path) -> None:
    before = snapshot(path)
    with Store(path, clock=clock()) as store:
        assert store.read_only is True
        # Reads work: counts, records, windows, search.
        assert store.feedback.count() == 40
        first = store.feedback.get(1)
        assert first.title == "item 0"
        where = store.feedback.where(FeedbackFilter(search="item"))
        assert len(store.feedback.window(where, "received", limit=10)) == 10
        # Writes are refused, whichever way they are attempted, and change nothing.
        with pytest.raises(ReadOnlyError) as caught:
            store.feedback.insert(Feedback(title="new", received_at=NOW))
        assert_one_sentence(str(caught.value), path)
        with pytest.raises(ReadOnlyError):
            store.feedback.update(1, title="changed")
        with pytest.raises(ReadOnlyError), store.write():
            pass
        assert store.feedback.get(1) == first
        assert store.feedback.count() == 40
    assert snapshot(path)[0] == before[0]


@pytest.mark.parametrize("denied", ["file", "folder", "file-and-folder"])
def test_read_only_database_opens_for_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, denied: str
) -> None:
    path = make_db(tmp_path / "x.db")
    targets = {"file": [path], "folder": [tmp_path], "file-and-folder": [path, tmp_path]}
    _deny_writes(monkeypatch, *targets[denied])
    _check_read_only_store(path)


@contextmanager
def _truly_read_only(path: Path) -> Iterator[None]:
    """Make ``path`` and its folder unwritable for this process, whoever it runs as.

    As a normal user, permissions do it; root ignores them, so as root the files are made
    immutable (``chattr +i``) if this system allows it. Skips the test otherwise.
    """
    folder = path.parent
    if os.geteuid() != 0:
        path.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o700)
            path.chmod(0o600)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root without chattr: cannot make a file truly read-only")
    done = subprocess.run([chattr, "+i", str(path), str(folder)], capture_output=True, check=False)
    try:
        if done.returncode != 0 or os.access(path, os.W_OK):
            pytest.skip("running as root and chattr +i is not allowed here")
        yield
    finally:
        subprocess.run([chattr, "-i", str(path), str(folder)], capture_output=True, check=False)


def test_truly_read_only_folder_and_file_open_for_reading(tmp_path: Path) -> None:
    """No -shm can be created beside a WAL database here: it must still open, read-only."""
    folder = tmp_path / "ro"
    folder.mkdir()
    path = make_db(folder / "x.db")
    assert not Path(f"{path}-shm").exists()
    with _truly_read_only(path):
        _check_read_only_store(path)
        assert sorted(p.name for p in folder.iterdir()) == ["x.db"]


def test_read_only_file_that_needs_an_upgrade_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    _bare_opsdesk_file(path)
    before = snapshot(path)
    _deny_writes(monkeypatch, path)
    with pytest.raises(StoreError) as caught:
        Store(path, clock=clock())
    assert_one_sentence(str(caught.value), path)
    assert "read-only" in str(caught.value)
    assert snapshot(path) == before


# --- upgrades -----------------------------------------------------------------------------


def _bare_opsdesk_file(path: Path) -> None:
    """An opsdesk file at schema 0: our application id, no tables yet."""
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()
    assert path.stat().st_size > 0


def test_schema_zero_file_with_our_id_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "bare.db"
    _bare_opsdesk_file(path)
    with Store(path, clock=clock()) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert set(store.counts().values()) == {0}
        store.feedback.insert(Feedback(title="works", received_at=NOW))
        assert store.feedback.count() == 1
    # Nothing worth keeping was in it, so no backup was made.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bare.db"]


def _add_migration(
    monkeypatch: pytest.MonkeyPatch, name: str, fn: Callable[[Database], None]
) -> int:
    """Pretend this opsdesk ships one more migration than the file on disk has seen."""
    migrations = store_schema.migrations
    extra = Migrations._Migration(name, fn)
    monkeypatch.setattr(migrations, "_migrations", [*migrations._migrations, extra])
    version = SCHEMA_VERSION + 1
    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", version)
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", version)
    return version


def test_older_schema_is_backed_up_before_migrating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_db(tmp_path / "x.db")
    before = path.read_bytes()

    def m002_add_table(db: Database) -> None:
        db["m002_probe"].create({"id": int, "note": str}, pk="id")

    version = _add_migration(monkeypatch, "m002_add_table", m002_add_table)
    with Store(path, clock=clock()) as store:
        assert store.schema_version() == version
        assert store.feedback.count() == 40
        assert store.conn.execute("SELECT count(*) FROM m002_probe").fetchone()[0] == 0

    stamp = NOW.strftime("%Y%m%dT%H%M%S")
    backup = tmp_path / f"x.backup-v{SCHEMA_VERSION}-{stamp}.db"
    assert backup.exists(), sorted(p.name for p in tmp_path.iterdir())
    assert mode(backup) == 0o600
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 40
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "m002_probe" not in tables
    conn.close()
    assert len(before) > 0


def test_failed_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_db(tmp_path / "x.db")

    def m002_broken(db: Database) -> None:
        db["m002_probe"].create({"id": int}, pk="id")
        db.execute("UPDATE no_such_table SET x = 1")

    _add_migration(monkeypatch, "m002_broken", m002_broken)
    with pytest.raises(StoreError) as caught:
        Store(path, clock=clock())
    assert_one_sentence(str(caught.value), path)
    monkeypatch.undo()

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "m002_probe" not in tables
    conn.close()
    with Store(path, clock=clock()) as store:
        assert store.feedback.count() == 40
    assert list(tmp_path.glob("x.backup-v*.db")), "the backup was made before migrating"


def test_schema_version_constant_matches_the_migrations() -> None:
    from opsdesk.store import schema, version

    assert len(schema.migrations._migrations) == version.SCHEMA_VERSION
