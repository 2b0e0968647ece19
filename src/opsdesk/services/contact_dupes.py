"""Find contacts that are one person twice, and merge them without losing the ledger.

Merging keeps one record, moves every touch of the other onto it (each move in history),
fills the kept record's empty fields from the other, and keeps the stricter of the two
consents and do-not-contact flags: a merge never makes anybody easier to contact. The other
record stays as a pointer to the kept one, so its address still finds the merged ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opsdesk.models import Contact
from opsdesk.rules.contact_dupes import PersonKey, duplicate_pairs
from opsdesk.rules.eligibility import Eligibility
from opsdesk.services.contact_status import statuses_for
from opsdesk.services.contacts import ContactError
from opsdesk.services.desk import Desk
from opsdesk.vocabulary import Consent

MAX_PAIRS = 500
"""The duplicates view lists at most this many pairs, strongest first."""


@dataclass(frozen=True)
class DuplicateMatch:
    """Two contacts that look like one person, and why; with how many touches each has and
    its status today, which is what a PM weighs when choosing the record to keep."""

    first: Contact
    second: Contact
    reason: str
    score: float
    touches: tuple[int, int] = (0, 0)
    """How many touches the first and the second have."""
    statuses: tuple[Eligibility | None, Eligibility | None] = (None, None)
    """The first's and the second's status today."""


def find_duplicates(desk: Desk, *, limit: int = MAX_PAIRS) -> list[DuplicateMatch]:
    """Likely duplicate pairs among the listed contacts, strongest first."""
    people = [PersonKey(*row) for row in desk.store.contacts.people()]
    pairs = duplicate_pairs(people)[:limit]
    ids = sorted({pair.first for pair in pairs} | {pair.second for pair in pairs})
    contacts = desk.store.contacts.many(ids)
    counts = desk.store.touches.counts(ids)
    verdicts = statuses_for(desk, list(contacts.values()))
    return [
        DuplicateMatch(
            contacts[pair.first],
            contacts[pair.second],
            pair.reason,
            pair.score,
            (counts.get(pair.first, 0), counts.get(pair.second, 0)),
            (verdicts.get(pair.first), verdicts.get(pair.second)),
        )
        for pair in pairs
        if pair.first in contacts and pair.second in contacts
    ]


def merge_contacts(desk: Desk, keep_id: int, drop_id: int) -> Contact:
    """Merge ``drop_id`` into ``keep_id``; return the kept contact as it is now."""
    if keep_id == drop_id:
        raise ContactError("a contact cannot be merged into itself")
    with desk.store.write() as batch:
        keep = desk.store.contacts.get(keep_id)
        drop = desk.store.contacts.get(drop_id)
        for contact in (keep, drop):
            if contact.forgotten:
                raise ContactError(f"contact #{contact.id} was forgotten; it cannot be merged")
            if contact.merged_into is not None:
                raise ContactError(
                    f"contact #{contact.id} was already merged into #{contact.merged_into}"
                )
        desk.store.touches.move(drop_id, keep_id, batch)
        changes = merged_fields(keep, drop)
        if changes:
            desk.store.contacts.update(keep_id, **changes)
        desk.store.contacts.mark_merged(drop_id, keep_id, batch)
        return desk.store.contacts.get(keep_id)


def merged_fields(keep: Contact, drop: Contact) -> dict[str, Any]:
    """What the kept contact takes from the other: empty fields, notes, the stricter flags."""
    changes: dict[str, Any] = {}
    for name in ("name", "company", "segment", "role", "relationship_owner"):
        if not getattr(keep, name) and getattr(drop, name):
            changes[name] = getattr(drop, name)
    if not keep.email and drop.email:
        changes["email"] = drop.email
    if drop.notes and drop.notes not in keep.notes:
        changes["notes"] = f"{keep.notes}\n{drop.notes}" if keep.notes else drop.notes
    if Consent.NO in (keep.consent, drop.consent):
        consent = Consent.NO
    elif Consent.UNKNOWN in (keep.consent, drop.consent):
        consent = Consent.UNKNOWN
    else:
        consent = Consent.YES
    if consent != keep.consent:
        changes["consent"] = consent
    if drop.do_not_contact and not keep.do_not_contact:
        changes["do_not_contact"] = True
        changes["dnc_reason"] = drop.dnc_reason
    elif drop.do_not_contact and drop.dnc_reason and drop.dnc_reason != keep.dnc_reason:
        changes["dnc_reason"] = "; ".join(r for r in (keep.dnc_reason, drop.dnc_reason) if r)
    return changes
