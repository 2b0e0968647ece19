"""Erasing a person from the database file, down to the bytes on disk.

Forgetting a contact must leave no copy of their personal data anywhere SQLite keeps one:
the row itself, the old and new values in history, their address in other tables' text,
the full-text index, pages freed by the update, and old page images in the write-ahead log.
The steps, each needed for the next to be true:

1. Overwrite the personal fields (history notes *that* they were erased, never the values),
   and blank any history value or text column that still holds the address.
2. ``secure_delete`` is on for every connection (see :mod:`opsdesk.store.db`), so the
   space the old values occupied is zeroed rather than left as free space.
3. The external-content FTS index is rebuilt from its table and optimized into one segment,
   which drops the deleted terms.
4. The WAL is checkpointed with ``TRUNCATE`` (old page images go with it), and the raw
   bytes of the database, ``-wal`` and ``-shm`` files are searched for the address. If any
   copy is still there, the file is ``VACUUM``-ed and checked again.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from opsdesk.rules.mailbox import normalize_mailbox
from opsdesk.store.base import Batch
from opsdesk.store.db import MEMORY

if TYPE_CHECKING:
    from opsdesk.store.store import Store

PERSONAL_FIELDS = ("name", "email", "mailbox", "role", "notes", "dnc_reason", "relationship_owner")
"""Contact columns that describe the person; all are erased when they are forgotten."""

FORGOTTEN_NAME = "(forgotten)"
ERASED_TEXT = "(erased)"

SKIPPED_TABLES = ("history",)
"""Tables handled on their own (history values are blanked, not rewritten)."""


@dataclass
class FileCheck:
    """What reading the raw files found after the erasure."""

    checked: bool = False
    vacuumed: bool = False
    checkpoint_complete: bool = True
    still_found_in: list[str] = field(default_factory=list)
    backups: list[str] = field(default_factory=list)
    """Backup copies beside the database, made before an upgrade, that still hold it."""

    @property
    def clean(self) -> bool:
        return self.checked and not self.still_found_in


def address_pattern(addresses: Sequence[str]) -> re.Pattern[bytes]:
    """A byte pattern matching any of the addresses, in any letter case, as UTF-8."""
    needles = sorted({a.strip().lower() for a in addresses if a and a.strip()}, key=len)
    return re.compile(
        b"|".join(re.escape(n.encode("utf-8")) for n in reversed(needles)), re.IGNORECASE
    )


@dataclass
class Erasure:
    """The addresses a forgotten person had, and the full-text indexes to rebuild."""

    addresses: list[str]
    fts_tables: list[str]


def erase_contacts(store: Store, contact_ids: Sequence[int], batch: Batch) -> Erasure:
    """Overwrite every personal field of these contacts, and their addresses everywhere.

    The records stay, as anonymous placeholders with their company, so their touches still
    count towards the company's cap. Their touches' override reasons (free text that may
    name the person) are erased too.
    """
    conn = store.conn
    ids = list(contact_ids)
    marks = ", ".join("?" for _ in ids)
    addresses = [
        str(row[0])
        for row in conn.execute(
            f"SELECT email FROM contacts WHERE id IN ({marks}) AND email IS NOT NULL", ids
        ).fetchall()
    ]
    mailboxes = [m for m in (normalize_mailbox(a) for a in addresses) if m]
    conn.execute(
        f"UPDATE contacts SET name = ?, email = NULL, mailbox = NULL, role = NULL, notes = '', "
        f"dnc_reason = NULL, relationship_owner = NULL, forgotten = 1 WHERE id IN ({marks})",
        [FORGOTTEN_NAME, *ids],
    )
    for contact_id in ids:
        for name in PERSONAL_FIELDS:
            store.history.note(batch, "contacts", contact_id, name, None, ERASED_TEXT)
        store.history.note(batch, "contacts", contact_id, "forgotten", None, "1")
    conn.execute(
        f"UPDATE history SET old = NULL, new = NULL WHERE table_name = 'contacts' "
        f"AND record_id IN ({marks}) AND field IN ({', '.join('?' for _ in PERSONAL_FIELDS)}) "
        "AND batch != ?",
        [*ids, *PERSONAL_FIELDS, batch.id],
    )
    touch_ids = [
        int(row[0])
        for row in conn.execute(
            f"SELECT id FROM touches WHERE contact_id IN ({marks}) AND override_reason IS NOT NULL",
            ids,
        ).fetchall()
    ]
    if touch_ids:
        conn.execute(
            f"UPDATE touches SET override_reason = ? WHERE id IN "
            f"({', '.join('?' for _ in touch_ids)})",
            [ERASED_TEXT, *touch_ids],
        )
        conn.execute(
            "UPDATE history SET old = NULL, new = NULL WHERE table_name = 'touches' "
            f"AND field = 'override_reason' AND record_id IN "
            f"({', '.join('?' for _ in touch_ids)})",
            touch_ids,
        )
    changed = _erase_addresses_everywhere(store, [*addresses, *mailboxes], batch)
    changed.add(("contacts", "name"))
    indexed = _fts_columns(store)
    tables = sorted({t for t, c in changed if c in indexed.get(t, ())})
    return Erasure(sorted(set(addresses) | set(mailboxes)), tables)


def _text_columns(store: Store) -> dict[str, list[tuple[str, bool]]]:
    """Every ordinary table's text columns (FTS shadow tables and history aside)."""
    conn = store.conn
    tables = [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        ).fetchall()
    ]
    fts = {
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
        ).fetchall()
    }
    columns: dict[str, list[tuple[str, bool]]] = {}
    for table in tables:
        if table in SKIPPED_TABLES or any(table.startswith(f"{name}_") for name in fts):
            continue
        info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        text = [(str(row[1]), bool(row[3])) for row in info if str(row[2]).upper() in ("TEXT", "")]
        if text:
            columns[table] = text
    return columns


def _erase_addresses_everywhere(
    store: Store, addresses: Sequence[str], batch: Batch
) -> set[tuple[str, str]]:
    """Replace the addresses wherever text holds them (a feedback item's customer, a body…).

    A column that holds just the address is emptied; longer text keeps everything but the
    address. History gets a line without the values, and history values holding the address
    are blanked.
    """
    wanted = sorted({a.lower() for a in addresses if a})
    changed: set[tuple[str, str]] = set()
    if not wanted:
        return changed
    conn = store.conn
    pattern = re.compile("|".join(re.escape(a) for a in reversed(wanted)), re.IGNORECASE)
    for table, columns in _text_columns(store).items():
        for column, not_null in columns:
            test = " OR ".join(f'instr(lower("{column}"), ?) > 0' for _ in wanted)
            rows = conn.execute(
                f'SELECT rowid, "{column}" FROM "{table}" WHERE {test}', wanted
            ).fetchall()
            for rowid, value in rows:
                text = str(value)
                stripped = pattern.sub("", text).strip(" <>,;\"'")
                new = pattern.sub(ERASED_TEXT, text) if stripped or not_null else None
                conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (new, rowid))
                store.history.note(batch, table, int(rowid), column, None, ERASED_TEXT)
                changed.add((table, column))
    for side in ("old", "new"):
        test = " OR ".join(f"instr(lower({side}), ?) > 0" for _ in wanted)
        conn.execute(f"UPDATE history SET {side} = NULL WHERE {test}", wanted)
    return changed


def rebuild_fts(store: Store, tables: Sequence[str]) -> None:
    """Rebuild and optimize these tables' full-text indexes (outside any transaction)."""
    for table in tables:
        store.conn.execute(f'INSERT INTO "{table}_fts" ("{table}_fts") VALUES (\'rebuild\')')
        store.conn.execute(f'INSERT INTO "{table}_fts" ("{table}_fts") VALUES (\'optimize\')')


def _fts_columns(store: Store) -> dict[str, tuple[str, ...]]:
    """Each table with a full-text index ``<table>_fts``, and the columns it indexes."""
    rows = store.conn.execute(
        "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%USING FTS5%'"
    ).fetchall()
    found: dict[str, tuple[str, ...]] = {}
    for (name,) in rows:
        info = store.conn.execute(f'PRAGMA table_info("{name}")').fetchall()
        found[str(name).removesuffix("_fts")] = tuple(str(row[1]) for row in info)
    return found


_SCAN = """
import mmap, re, sys
pattern = re.compile(sys.stdin.buffer.read(), int(sys.argv[1]))
for name in sys.argv[2:]:
    try:
        with open(name, "rb") as handle:
            if handle.seek(0, 2) == 0:
                continue
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                if pattern.search(data):
                    print(name)
    except FileNotFoundError:
        pass
"""
"""Reads the raw files in a child process: opening and closing a database file in this
process, which holds SQLite connections to it, would drop their POSIX locks (see
:func:`opsdesk.store.db._probe_existing`)."""


def files_holding(path: Path, pattern: re.Pattern[bytes]) -> list[str]:
    """Which of the database, -wal and -shm files hold a match, reading their raw bytes."""
    candidates = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return [found.name for found in _files_matching(candidates, pattern)]


def _files_matching(candidates: Sequence[Path], pattern: re.Pattern[bytes]) -> list[Path]:
    """The candidates (missing ones skipped) whose raw bytes match, read by a child process."""
    if not candidates:
        return []
    names = [str(candidate) for candidate in candidates]
    done = subprocess.run(
        [sys.executable, "-c", _SCAN, str(int(pattern.flags)), *names],
        input=pattern.pattern,
        capture_output=True,
        check=True,
    )
    hits = set(done.stdout.decode("utf-8", "surrogateescape").splitlines())
    return [candidate for candidate, name in zip(candidates, names, strict=True) if name in hits]


def purge_file(store: Store, addresses: Sequence[str]) -> FileCheck:
    """Checkpoint, read the raw files for ``addresses``, and vacuum if a copy remains."""
    if str(store.path) == MEMORY or not addresses:
        return FileCheck()
    path = Path(store.path)
    pattern = address_pattern(addresses)
    check = FileCheck(checked=True)
    check.checkpoint_complete = _checkpoint(store)
    check.still_found_in = files_holding(path, pattern)
    if check.still_found_in:
        store.conn.execute("VACUUM")
        check.vacuumed = True
        check.checkpoint_complete = _checkpoint(store)
        check.still_found_in = files_holding(path, pattern)
    backups = sorted(path.parent.glob(f"{path.stem}.backup-*"))
    check.backups = [backup.name for backup in _files_matching(backups, pattern)]
    return check


def _checkpoint(store: Store) -> bool:
    """Copy the WAL into the database and truncate it; False if a reader kept it busy."""
    busy, _, _ = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy
