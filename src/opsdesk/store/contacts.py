"""Research contacts and the ledger of every touch with them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opsdesk.models import Contact, Touch
from opsdesk.rules.mailbox import normalize_mailbox
from opsdesk.store.base import Repository, SortSpec, Where, fts_query


@dataclass(frozen=True)
class ContactFilter:
    """What the contact list shows."""

    company: str | None = None
    segment: str | None = None
    search: str = ""
    include_forgotten: bool = False


class ContactRepository(Repository[Contact]):
    table = "contacts"
    model = Contact
    fts_columns = ("name", "email", "company", "notes")
    sorts = {
        "name": SortSpec("name", ("name COLLATE NOCASE", "id")),
        "company": SortSpec("company", ("coalesce(company, '') COLLATE NOCASE", "id")),
    }

    def _row(self, record: Contact) -> dict[str, Any]:
        row = super()._row(record)
        row["mailbox"] = normalize_mailbox(record.email)
        return row

    def _update(self, record_id: int, changes: dict[str, Any], batch: Any) -> Contact:
        after = super()._update(record_id, changes, batch)
        if "email" in changes:
            self.conn.execute(
                "UPDATE contacts SET mailbox = ? WHERE id = ?",
                (normalize_mailbox(after.email), record_id),
            )
        return after

    def by_email(self, email: str) -> Contact | None:
        """The contact whose mailbox this address reaches (aliases and case folded)."""
        row = self.conn.execute(
            "SELECT * FROM contacts WHERE mailbox = ? ORDER BY id LIMIT 1",
            (normalize_mailbox(email),),
        ).fetchone()
        return self.from_row(row) if row else None

    def where(self, query: ContactFilter) -> Where:
        where = Where()
        if not query.include_forgotten:
            where = where.and_("forgotten = 0")
        if query.company:
            where = where.and_("company = ?", query.company)
        if query.segment:
            where = where.and_("segment = ?", query.segment)
        if query.search.strip():
            where = where.and_(
                "id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)",
                fts_query(query.search),
            )
        return where


class TouchRepository(Repository[Touch]):
    table = "touches"
    model = Touch
    sorts = {"newest": SortSpec("newest first", ("at", "id"), descending=True)}

    def for_contact(self, contact_id: int, limit: int = 50) -> list[Touch]:
        rows = self.conn.execute(
            "SELECT * FROM touches WHERE contact_id = ? ORDER BY at DESC, id DESC LIMIT ?",
            (contact_id, limit),
        ).fetchall()
        return [self.from_row(row) for row in rows]

    def last_touch_columns(self) -> str:
        """Extra columns for a contact list: when each contact was last touched, how often."""
        return (
            "(SELECT max(t.at) FROM touches t WHERE t.contact_id = contacts.id) AS last_touch, "
            "(SELECT count(*) FROM touches t WHERE t.contact_id = contacts.id) AS touch_count"
        )
