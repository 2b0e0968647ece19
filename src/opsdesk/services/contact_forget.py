"""Forget a contact: erase the person everywhere, keep an anonymous placeholder.

The erasure (and the full-text index rebuild) is one ``BEGIN IMMEDIATE`` transaction; the
checkpoint, the raw-byte check and a ``VACUUM`` if needed follow it, because SQLite can do
neither inside a transaction. Contacts merged into the forgotten one are the same person and
are forgotten with it. Their touches stay, on the placeholder that keeps the company, so the
company's cap still counts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opsdesk.services.contacts import ContactError
from opsdesk.services.desk import Desk
from opsdesk.store.contact_privacy import FileCheck, erase_contacts, purge_file, rebuild_fts


@dataclass
class ForgetReport:
    """What forgetting did, and what reading the raw files afterwards found."""

    contact_ids: list[int]
    touches_kept: int
    file: FileCheck = field(default_factory=FileCheck)


def forget_contact(
    desk: Desk, *, email: str | None = None, contact_id: int | None = None
) -> ForgetReport:
    """Forget the contact behind ``email`` (or ``contact_id``); see the module docstring."""
    store = desk.store
    with store.write() as batch:
        if contact_id is not None:
            contact = store.contacts.resolve(store.contacts.get(contact_id))
        else:
            found = store.contacts.by_email(email or "")
            if found is None:
                raise ContactError(f"no contact has the address {email}")
            contact = found
        if contact.forgotten or contact.id is None:
            raise ContactError("this contact was already forgotten")
        ids = [contact.id, *store.contacts.merged_ids(contact.id)]
        erasure = erase_contacts(store, ids, batch)
        rebuild_fts(store, erasure.fts_tables)
        addresses = [*erasure.addresses, *([email.strip()] if email else [])]
        touches = sum(len(store.touches.for_contacts([i])) for i in ids)
    report = ForgetReport(ids, touches)
    report.file = purge_file(store, addresses)
    return report
