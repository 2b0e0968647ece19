"""The :class:`Store`: one open database, its repositories and its write transactions."""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsdesk.clock import Clock, SystemClock
from opsdesk.store.base import Batch, new_batch
from opsdesk.store.db import (
    MEMORY,
    StoreError,
    UpgradeNotice,
    backup_file,
    connect,
    connect_again,
)
from opsdesk.store.feedback import FeedbackRepository
from opsdesk.store.history import HistoryRepository
from opsdesk.store.version import SCHEMA_VERSION

if TYPE_CHECKING:
    from opsdesk.store.contacts import ContactRepository, TouchRepository
    from opsdesk.store.experiments import ExperimentRepository
    from opsdesk.store.launches import (
        GoNoGoRepository,
        LaunchRepository,
        ReadinessRepository,
        SlipRepository,
    )
    from opsdesk.store.people import PeopleRepository

COUNTED_TABLES = (
    "people",
    "launches",
    "readiness_items",
    "launch_slips",
    "go_no_go",
    "feedback",
    "contacts",
    "touches",
    "experiments",
    "history",
)


class ReadOnlyError(StoreError):
    """A write was attempted on a database opened read-only."""


class DiskFullError(StoreError):
    """A write did not fit on the disk (or under ``max_page_count``); it was rolled back."""


def is_disk_full(error: BaseException) -> bool:
    """True for SQLite's SQLITE_FULL ("database or disk is full"), whatever the statement."""
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorname", "") == "SQLITE_FULL"
        or "database or disk is full" in str(error)
    )


def _on_first_use(module: str, class_name: str) -> Any:
    """A store attribute holding ``opsdesk.store.<module>.<class_name>(store)``, made (and its
    module imported) the first time it is read, then kept like any attribute."""

    def make(store: Store) -> Any:
        return getattr(importlib.import_module(f"opsdesk.store.{module}"), class_name)(store)

    return cached_property(make)


class Store:
    """The only object that speaks SQL. Open one per process (or per worker thread)."""

    def __init__(
        self,
        path: Path | str = MEMORY,
        *,
        clock: Clock | None = None,
        actor: str = "me",
        on_upgrade: UpgradeNotice | None = None,
        _conn: tuple[sqlite3.Connection, bool] | None = None,
    ) -> None:
        self.path = path if str(path) == MEMORY else Path(path)
        self.clock: Clock = clock or SystemClock()
        self.actor = actor
        self.conn, self.read_only = _conn or connect(
            path, now=self.clock.now(), on_upgrade=on_upgrade
        )
        self.conn.row_factory = sqlite3.Row
        self._batch: Batch | None = None
        self.history = HistoryRepository(self)
        self.feedback = FeedbackRepository(self)

    # The other tables' repositories are made (and their modules loaded) on first use: the
    # inbox's first screen needs only the feedback table.
    people: PeopleRepository = _on_first_use("people", "PeopleRepository")
    launches: LaunchRepository = _on_first_use("launches", "LaunchRepository")
    readiness: ReadinessRepository = _on_first_use("launches", "ReadinessRepository")
    slips: SlipRepository = _on_first_use("launches", "SlipRepository")
    decisions: GoNoGoRepository = _on_first_use("launches", "GoNoGoRepository")
    contacts: ContactRepository = _on_first_use("contacts", "ContactRepository")
    touches: TouchRepository = _on_first_use("contacts", "TouchRepository")
    experiments: ExperimentRepository = _on_first_use("experiments", "ExperimentRepository")

    def close(self) -> None:
        self.conn.close()

    @property
    def in_memory(self) -> bool:
        """True for a database that lives only in this process (tests, scratch work)."""
        return self.path == MEMORY

    def companion(self) -> Store:
        """Another connection to the same file, for a worker thread (close it when done).

        An in-memory database has no file to share: its companion is the store itself, and
        the caller must then stay on the thread that owns it.
        """
        if self.in_memory:
            return self
        conn = connect_again(Path(self.path))
        return Store(self.path, clock=self.clock, actor=self.actor, _conn=(conn, self.read_only))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Batch]:
        """One ``BEGIN IMMEDIATE`` transaction whose history lines share a batch id.

        Taking the write lock first means a read-then-write never fails with "database is
        locked" halfway: it waits (``busy_timeout``) for the other writer, then proceeds.
        Nested calls join the outer transaction.
        """
        if self._batch is not None:
            yield self._batch
            return
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is open read-only; nothing was changed.")
        self.conn.execute("BEGIN IMMEDIATE")
        self._batch = new_batch(self.clock.now(), self.actor)
        try:
            yield self._batch
            self.conn.execute("COMMIT")
        except BaseException as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if is_disk_full(error):
                raise DiskFullError(
                    f"{self.path} could not be written because the disk is full: nothing was saved."
                ) from None
            raise
        finally:
            self._batch = None

    def integrity_problem(self) -> str | None:
        """None when SQLite's integrity check passes, else one sentence saying the file is
        damaged. Reads every page: the app runs it in the background on large files."""
        result = self.conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if result == "ok":
            return None
        return (
            f"{self.path} is damaged (it fails SQLite's integrity check): restore it from a "
            "backup (opsdesk restore FILE)."
        )

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def data_version(self) -> int:
        """Changes whenever another connection commits: the cue to refresh what is shown."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def change_stamp(self) -> tuple[int, int]:
        """Moves whenever anything is written: the rows this connection has changed, and
        :meth:`data_version` for commits by others. A screen that kept the stamp it was drawn
        at can tell, when shown again, whether it missed a change made elsewhere."""
        return self.conn.total_changes, self.data_version()

    def counts(self) -> dict[str, int]:
        """Rows per table, named after the tables."""
        return {
            table: int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in COUNTED_TABLES
        }

    def setting(self, key: str) -> str | None:
        """A value opsdesk keeps for itself (e.g. the SLA policy the deadlines were made with)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store an internal value; call inside :meth:`write` (derived data: no history)."""
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def backup(self, target: Path) -> Path:
        """A consistent copy of the live database (safe while other processes write)."""
        return backup_file(self.conn, target)


__all__ = [
    "SCHEMA_VERSION",
    "DiskFullError",
    "ReadOnlyError",
    "Store",
    "StoreError",
    "is_disk_full",
]
