"""Backups and restores of the one database file, with SQLite's online backup API.

Both directions go page by page through SQLite, never by copying bytes of a live file, so a
backup taken while the app (or a CLI writer) is busy is still a consistent snapshot, and a
restore into a database that another opsdesk has open is seen by it as one ordinary change.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

from opsdesk.store.db import StoreError, _probe_existing, _read_only_uri
from opsdesk.store.store import ReadOnlyError, Store


def default_backup_path(db: Path, now: dt.datetime) -> Path:
    """``opsdesk.backup-20261126T150000.db`` beside ``opsdesk.db``: sorts by time, never clashes."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    return db.with_name(f"{db.stem}.backup-{stamp}{db.suffix or '.db'}")


def backup_to(store: Store, target: Path) -> Path:
    """Write a consistent, private (0600) copy of ``store`` to ``target``."""
    return store.backup(target)


def check_backup(source: Path) -> int:
    """The schema version of an opsdesk backup file, or :class:`StoreError` if it is not one.

    The file is only read, so checking a wrong file never changes it.
    """
    version, is_opsdesk = _probe_existing(source)
    if not is_opsdesk:
        raise StoreError(f"{source} is not an opsdesk database; nothing was restored.")
    return version


def restore_into(source: Path, store: Store) -> None:
    """Replace the contents of ``store``'s database with the backup ``source``.

    The copy runs through the open connection, so other processes that have the file open
    keep working and see the restored data on their next refresh.
    """
    check_backup(source)
    if store.read_only:
        raise ReadOnlyError(f"{store.path} is open read-only; nothing was restored.")
    with closing(sqlite3.connect(_read_only_uri(source), uri=True)) as src:
        src.backup(store.conn)
