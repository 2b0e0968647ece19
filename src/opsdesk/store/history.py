"""The history table: every change, who made it and when, for the audit trail and undo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from opsdesk.store.base import Batch

if TYPE_CHECKING:
    from opsdesk.models import Change
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

    def note_created(self, batch: Batch, table: str, first_id: int, last_id: int) -> None:
        """A 'created' line for each row of ``table`` with an id in [first_id, last_id] (a bulk
        insert's new rows): one statement that reads the ids SQLite already holds, instead of
        sending 100,000 parameter rows from Python."""
        at = batch.at.astimezone(dt.UTC).isoformat(timespec="seconds")
        cursor = self.store.conn.execute(
            "INSERT INTO history (batch, at, actor, table_name, record_id, field, old, new) "
            f"SELECT ?, ?, ?, ?, id, '*', NULL, 'created' FROM \"{table}\" "
            "WHERE id BETWEEN ? AND ? ORDER BY id",
            (batch.id, at, batch.actor, table, first_id, last_id),
        )
        batch.changes += cursor.rowcount

    def for_record(self, table: str, record_id: int, limit: int = 200) -> list[Change]:
        """The newest changes to one record first."""
        rows = self.store.conn.execute(
            "SELECT * FROM history WHERE table_name = ? AND record_id = ? ORDER BY id DESC LIMIT ?",
            (table, record_id, limit),
        ).fetchall()
        return _changes(rows)

    def last_undoable(self, actor: str, tables: tuple[str, ...], *, after: int = 0) -> str | None:
        """The newest batch by ``actor`` on ``tables`` that changed a field (creations are
        not undone) and is neither undone nor an undo."""
        return self._newest_batch(actor, tables, changes_only=True, after=after)

    def last_batch(self, actor: str, tables: tuple[str, ...], *, after: int = 0) -> str | None:
        """The newest batch by ``actor`` on ``tables``, creations included, that is neither
        undone nor an undo: when it is not :meth:`last_undoable`, the latest change made
        records, which an undo does not remove. With ``after`` (a :meth:`newest_id`), only
        lines written since: the changes of one session."""
        return self._newest_batch(actor, tables, changes_only=False, after=after)

    def newest_id(self) -> int:
        """The id of the newest history line (0 when there is none): where a session starts."""
        row = self.store.conn.execute("SELECT max(id) FROM history").fetchone()
        return int(row[0] or 0)

    def _newest_batch(
        self, actor: str, tables: tuple[str, ...], *, changes_only: bool, after: int = 0
    ) -> str | None:
        # History is read newest first by its rowid and stops at the first match: the user's
        # last change is among the newest lines. Led by the table's index instead (the unary
        # + keeps it off), SQLite read and sorted every feedback line ever written: 100,000
        # on the large dataset, 30-50 ms a query, and undo asks twice.
        placeholders = ", ".join("?" for _ in tables)
        fields = "AND field != '*' " if changes_only else ""
        row = self.store.conn.execute(
            f"SELECT batch FROM history WHERE id > ? AND actor = ? "
            f"AND +table_name IN ({placeholders}) "
            f"{fields}AND batch NOT IN (SELECT batch FROM undone_batches) "
            "AND batch NOT IN (SELECT undone_by FROM undone_batches) "
            "ORDER BY id DESC LIMIT 1",
            (after, actor, *tables),
        ).fetchone()
        return None if row is None else str(row[0])

    def batch_lines(self, batch: str) -> list[Change]:
        """Every change of one batch, in the order it was made."""
        rows = self.store.conn.execute(
            "SELECT * FROM history WHERE batch = ? ORDER BY id", (batch,)
        ).fetchall()
        return _changes(rows)

    def mark_undone(self, batch: str, by: Batch) -> None:
        """Remember that ``batch`` was reversed by the batch ``by`` (so it is not undone twice)."""
        self.store.conn.execute(
            "INSERT INTO undone_batches (batch, undone_by, at) VALUES (?, ?, ?)",
            (batch, by.id, by.at.astimezone(dt.UTC).isoformat(timespec="seconds")),
        )

    def recent(self, limit: int = 100) -> list[Change]:
        rows = self.store.conn.execute(
            "SELECT * FROM history ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return _changes(rows)

    def count(self) -> int:
        return int(self.store.conn.execute("SELECT count(*) FROM history").fetchone()[0])


def _changes(rows: Iterable[Any]) -> list[Change]:
    """History lines as models (imported here: the store opens without loading pydantic)."""
    from opsdesk.models import Change

    return [Change.model_validate(dict(row)) for row in rows]


def forgets_someone(lines: Iterable[Change]) -> bool:
    """Whether a history batch forgot a contact.

    Forgetting erases a person's details from the contacts, their touches and the feedback
    that quoted them, all in one batch, and its history keeps only blanks. Neither the
    inbox's undo nor the contacts' may write those blanks back: the batch touches feedback,
    yet it was no inbox change, and forgetting is final by design.
    """
    return any(line.table_name == "contacts" and line.field == "forgotten" for line in lines)
