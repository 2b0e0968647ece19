"""Opening the one SQLite file safely: checks, pragmas, backups and migrations.

Before opsdesk writes a byte it makes sure the file is an opsdesk database it understands.
Anything else (a text file, a corrupt file, a file from a newer opsdesk, somebody else's
SQLite database) is refused with one sentence and left byte-for-byte as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from opsdesk.paths import make_private_dir, private_file
from opsdesk.store.version import SCHEMA_VERSION

APPLICATION_ID = 0x4F505344  # "OPSD": marks a file as opsdesk's own
BUSY_TIMEOUT_MS = 10_000
CHECK_AT_OPEN_BYTES = 16 * 1024 * 1024
"""Files up to this size get SQLite's integrity check before they are opened (a few ms)."""
MEMORY = ":memory:"


class StoreError(Exception):
    """The database cannot be used; the message is one sentence for a person."""


def _probe_existing(path: Path) -> tuple[int, bool]:
    """Return (user_version, is_opsdesk) of an existing file, refusing what is not ours.

    Opens the file read-only so that a refused file is never modified, and only through
    SQLite: this process may already have the file open (a second store, a restore), and
    closing any other descriptor of it would drop SQLite's POSIX locks for the whole process.
    Another process closing its connection could then think it was the last one and delete
    the shared-memory file under us (SQLite's "how to corrupt" guide, section 2.2).
    """
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file.")
    if not os.access(path, os.R_OK):
        raise StoreError(f"{path} cannot be read: permission denied.")
    if path.stat().st_size == 0:
        raise StoreError(f"{path} is an empty file, not an opsdesk database; it was left as is.")
    try:
        with closing(sqlite3.connect(_read_only_uri(path), uri=True)) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            # Checking every page costs time in proportion to the file (0.8 s at 200 MB): a
            # small file is checked now; a large one after the first screen (integrity()).
            small = path.stat().st_size <= CHECK_AT_OPEN_BYTES
            quick = conn.execute("PRAGMA quick_check(1)").fetchone()[0] if small else "ok"
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
            raise StoreError(
                f"{path} is not an opsdesk database (not a SQLite file); it was left as is."
            ) from None
        raise StoreError(
            f"{path} is damaged and cannot be opened ({error}); it was left as is."
        ) from None
    if quick != "ok":  # SQLite's report spans lines and speaks of b-tree pages: not for people
        raise StoreError(
            f"{path} is damaged (it fails SQLite's integrity check); it was left as is."
        )
    if app_id != APPLICATION_ID and tables > 0:
        raise StoreError(f"{path} is a SQLite database but not an opsdesk one; it was left as is.")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer opsdesk (schema {version}; this one knows up to "
            f"{SCHEMA_VERSION}); upgrade opsdesk to open it."
        )
    return version, app_id == APPLICATION_ID


def backup_file(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy a live database to ``target`` with SQLite's online backup, created 0600."""
    make_private_dir(target.parent)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    with closing(sqlite3.connect(target)) as dest:
        conn.backup(dest)
    private_file(target)
    return target


def _read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` without writing, even in a read-only folder.

    Reading a WAL database needs its -shm file. When the last writer has removed it and the
    folder is read-only, SQLite cannot create one (``mode=ro`` then fails as if the file were
    damaged); no writer can be active then either, so the file is read as immutable.
    """
    uri = path.resolve().as_uri()
    if not Path(f"{path}-shm").exists() and not os.access(path.parent, os.W_OK):
        return f"{uri}?immutable=1"
    return f"{uri}?mode=ro"


def _create_database(path: Path, now: dt.datetime) -> None:
    """Build a new database (0600, so -wal and -shm inherit that mode) and move it into place.

    The file is complete before it appears under its name, so another opsdesk starting at the
    same moment never sees (and refuses) a half-made empty file; if that one wins, its file
    is used.
    """
    make_private_dir(path.parent)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.new")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        with closing(sqlite3.connect(temp, isolation_level=None)) as conn:
            _configure(conn, memory=False)
            _migrate(conn, temp, now)
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another opsdesk created it a moment ago: use that one
        except OSError:
            if not path.exists():  # a file system without hard links
                os.rename(temp, path)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)


def connect_again(path: Path) -> sqlite3.Connection:
    """A further connection to a file this process already opened (checked and migrated).

    For worker threads: each thread needs its own connection, and repeating the checks of
    :func:`connect` would only cost time.
    """
    conn = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    _configure(conn, memory=False)
    return conn


UpgradeNotice = Callable[[Path, int, Path], None]
"""Told (the database, its schema version, the backup's path) before an upgrade starts."""


def connect(
    path: Path | str, *, now: dt.datetime, on_upgrade: UpgradeNotice | None = None
) -> tuple[sqlite3.Connection, bool]:
    """Open (creating or upgrading as needed) the database; return it and whether read-only.

    ``now`` names the pre-migration backup file. An upgrade of a large file takes seconds
    (the backup is a full copy, and an index may be rebuilt), so ``on_upgrade`` is told
    first and the command line says so. The connection is in autocommit mode: every write
    is an explicit ``BEGIN IMMEDIATE`` transaction made by :class:`Store`.
    """
    if str(path) == MEMORY:
        conn = sqlite3.connect(MEMORY, isolation_level=None, check_same_thread=False)
        _configure(conn, memory=True)
        _migrate(conn, None, now)
        return conn, False

    path = Path(path)
    read_only = False
    if path.exists():
        version, _ = _probe_existing(path)
        read_only = not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
        if read_only and version < SCHEMA_VERSION:
            raise StoreError(
                f"{path} needs an upgrade to schema {SCHEMA_VERSION} but is read-only."
            )
    else:
        if path.parent.exists() and not os.access(path.parent, os.W_OK):
            raise StoreError(f"cannot create {path}: the folder {path.parent} is read-only.")
        try:
            _create_database(path, now)
        except OSError as error:
            raise StoreError(f"cannot create {path}: {error.strerror}.") from None
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot create {path}: {error}.") from None
        version = SCHEMA_VERSION

    if read_only:
        conn = sqlite3.connect(
            _read_only_uri(path), uri=True, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn, True

    conn = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        _configure(conn, memory=False)
        if 0 < version < SCHEMA_VERSION:
            stamp = now.strftime("%Y%m%dT%H%M%S")
            backup = path.with_name(f"{path.stem}.backup-v{version}-{stamp}{path.suffix}")
            if on_upgrade is not None:
                on_upgrade(path, version, backup)
            backup_file(conn, backup)
        _migrate(conn, path, now)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StoreError(f"{path} could not be opened: {error}.") from None
    for suffix in ("-wal", "-shm"):
        private_file(Path(f"{path}{suffix}"))
    return conn, False


def _configure(conn: sqlite3.Connection, *, memory: bool) -> None:
    """Pragmas every connection needs: WAL, a busy timeout, foreign keys, secure delete."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not memory:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")


def _migrate(conn: sqlite3.Connection, path: Path | None, now: dt.datetime) -> None:
    """Apply pending migrations under one write lock, so two processes starting at once agree."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return  # up to date: no need to load sqlite-utils and the migrations
    from sqlite_utils import Database

    from opsdesk.store.schema import migrations

    db = Database(conn, execute_plugins=False)
    if not migrations.pending(db):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-check under the lock: another process may have migrated while we waited.
        if migrations.pending(db):
            migrations.apply(db)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
