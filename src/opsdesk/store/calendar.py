"""What a calendar export reads, and the SEQUENCE each exported event last had.

The export reads every dated record of the kinds asked for, narrowed by owner and
readiness function in SQL, in a few queries (one per kind, not one per record).
``ical_sequences`` remembers each event's dates fingerprint and SEQUENCE, so the number goes
up exactly when an event's dates change between two exports.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opsdesk.models import Contact, Experiment, Launch, ReadinessItem, Touch
    from opsdesk.store.store import Store

CALENDAR_ID_SETTING = "exports.calendar_id"


class CalendarQueries:
    """The calendar export's reads, over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def launches(self, owner: str | None = None) -> list[Launch]:
        """Every launch (cancelled ones too: their events are sent as cancelled), by date."""
        sql, params = "SELECT * FROM launches", []
        if owner:
            sql += " WHERE owner = ? COLLATE NOCASE"
            params.append(owner)
        rows = self.store.conn.execute(sql + " ORDER BY launch_date, id", params).fetchall()
        return [self.store.launches.from_row(row) for row in rows]

    def readiness(
        self, owner: str | None = None, function: str | None = None
    ) -> list[ReadinessItem]:
        """Readiness items by due date, optionally one owner's or one function's."""
        clauses, params = [], []
        if owner:
            clauses.append("owner = ? COLLATE NOCASE")
            params.append(owner)
        if function:
            clauses.append("function = ?")
            params.append(function)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.store.conn.execute(
            f"SELECT * FROM readiness_items{where} ORDER BY due_date, id", params
        ).fetchall()
        return [self.store.readiness.from_row(row) for row in rows]

    def experiments(self, owner: str | None = None) -> list[Experiment]:
        """Experiments with a start date (planned or actual): the ones a calendar can show."""
        sql = "SELECT * FROM experiments WHERE coalesce(actual_start, planned_start) IS NOT NULL"
        params: list[str] = []
        if owner:
            sql += " AND owner = ? COLLATE NOCASE"
            params.append(owner)
        rows = self.store.conn.execute(sql + " ORDER BY id", params).fetchall()
        return [self.store.experiments.from_row(row) for row in rows]

    def open_follow_ups(self, owner: str | None = None) -> list[tuple[Touch, Contact]]:
        """Follow-ups still waiting (due date set, thread not closed), with their contact.

        Touches of forgotten contacts are left out: their person is erased, nobody is owed.
        """
        sql = (
            "SELECT t.*, c.id AS c_id FROM touches t JOIN contacts c ON c.id = t.contact_id "
            "WHERE t.follow_up_due IS NOT NULL AND t.closed_at IS NULL AND c.forgotten = 0"
        )
        params: list[str] = []
        if owner:
            sql += ' AND t."by" = ? COLLATE NOCASE'
            params.append(owner)
        rows = self.store.conn.execute(sql + " ORDER BY t.follow_up_due, t.id", params).fetchall()
        contacts = self.store.contacts.many(sorted({int(row["c_id"]) for row in rows}))
        return [
            (self.store.touches.from_row(row), contacts[int(row["c_id"])])
            for row in rows
            if int(row["c_id"]) in contacts
        ]

    def owners(self) -> list[str]:
        """Everyone an owner filter can name: owners of launches, readiness items and
        experiments, and people who owe a follow-up; each once, without regard to case."""
        rows = self.store.conn.execute(
            "SELECT owner FROM launches WHERE owner IS NOT NULL "
            "UNION SELECT owner FROM readiness_items WHERE owner IS NOT NULL "
            "UNION SELECT owner FROM experiments WHERE owner IS NOT NULL "
            'UNION SELECT "by" FROM touches WHERE follow_up_due IS NOT NULL '
            "ORDER BY 1 COLLATE NOCASE"
        ).fetchall()
        found: dict[str, str] = {}
        for (name,) in rows:
            if name and name.strip():
                found.setdefault(name.casefold(), name)
        return list(found.values())

    def launches_by_id(self, ids: Iterable[int]) -> dict[int, Launch]:
        return self.store.launches.by_ids(ids)


class IcalSequences:
    """Each exported event's dates fingerprint and SEQUENCE (derived data: no history)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def calendar_id(self) -> str:
        """This database's random calendar id, made on the first export and kept.

        A read-only database that was never exported gets one derived from its path, so its
        exports still agree with each other.
        """
        found = self.store.setting(CALENDAR_ID_SETTING)
        if found:
            return found
        if self.store.read_only:  # nothing can be kept: derive one from where the file is
            where = str(Path(self.store.path).resolve()).encode("utf-8")
            return hashlib.sha256(where).hexdigest()[:8]
        made = secrets.token_hex(4)
        with self.store.write():
            found = self.store.setting(CALENDAR_ID_SETTING)  # another process may have won
            if found:
                return found
            self.store.set_setting(CALENDAR_ID_SETTING, made)
        return made

    def known(self) -> dict[str, tuple[str, int]]:
        """uid → (fingerprint, sequence) of every event ever exported from this database."""
        rows = self.store.conn.execute(
            "SELECT uid, fingerprint, sequence FROM ical_sequences"
        ).fetchall()
        return {row[0]: (row[1], int(row[2])) for row in rows}

    def assign(self, fingerprints: Mapping[str, str]) -> dict[str, int]:
        """The SEQUENCE of each event (uid → dates fingerprint), raised where dates changed.

        New events start at 0. The table is updated in one write transaction; a read-only
        database gets the numbers it would have had, and keeps nothing.
        """
        if self.store.read_only:
            return self._numbers(fingerprints, self.known())[0]
        with self.store.write():
            numbers, changed = self._numbers(fingerprints, self.known())
            self.store.conn.executemany(
                "INSERT INTO ical_sequences (uid, fingerprint, sequence) VALUES (?, ?, ?) "
                "ON CONFLICT(uid) DO UPDATE SET fingerprint = excluded.fingerprint, "
                "sequence = excluded.sequence",
                changed,
            )
        return numbers

    @staticmethod
    def _numbers(
        fingerprints: Mapping[str, str], known: Mapping[str, tuple[str, int]]
    ) -> tuple[dict[str, int], list[tuple[str, str, int]]]:
        numbers: dict[str, int] = {}
        changed: list[tuple[str, str, int]] = []
        for event_uid, fingerprint in fingerprints.items():
            before = known.get(event_uid)
            if before is None:
                sequence = 0
            elif before[0] != fingerprint:
                sequence = before[1] + 1
            else:
                numbers[event_uid] = before[1]
                continue
            numbers[event_uid] = sequence
            changed.append((event_uid, fingerprint, sequence))
        return numbers, changed
