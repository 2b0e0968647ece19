"""The history table: every change, who made it and when, for the audit trail and undo."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from opsdesk.models import Change
from opsdesk.store.base import Batch

if TYPE_CHECKING:
    from opsdesk.store.store import Store


class HistoryRepository:
    """Appends history lines inside the caller's transaction and reads them back."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def note(
        self,
        batch: Batch,
        table: str,
        record_id: int,
        field: str,
        old: str | None,
        new: str | None,
    ) -> None:
        """Record one change; only ever called inside :meth:`Store.write`."""
        self.store.conn.execute(
            "INSERT INTO history (batch, at, actor, table_name, record_id, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                batch.id,
                batch.at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                batch.actor,
                table,
                record_id,
                field,
                old,
                new,
            ),
        )
        batch.changes += 1

    def note_many(
        self, batch: Batch, table: str, record_ids: list[int], field: str, new: str
    ) -> None:
        """The same change to many records at once (e.g. 'created' for a bulk insert)."""
        at = batch.at.astimezone(dt.UTC).isoformat(timespec="seconds")
        self.store.conn.executemany(
            "INSERT INTO history (batch, at, actor, table_name, record_id, field, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
            [(batch.id, at, batch.actor, table, record_id, field, new) for record_id in record_ids],
        )
        batch.changes += len(record_ids)

    def for_record(self, table: str, record_id: int, limit: int = 200) -> list[Change]:
        """The newest changes to one record first."""
        rows = self.store.conn.execute(
            "SELECT * FROM history WHERE table_name = ? AND record_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (table, record_id, limit),
        ).fetchall()
        return [Change.model_validate(dict(row)) for row in rows]

    def recent(self, limit: int = 100) -> list[Change]:
        rows = self.store.conn.execute(
            "SELECT * FROM history ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [Change.model_validate(dict(row)) for row in rows]

    def count(self) -> int:
        return int(self.store.conn.execute("SELECT count(*) FROM history").fetchone()[0])
