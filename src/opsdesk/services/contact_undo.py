"""Undo the last change made to contacts in this session, and say what it was.

The inbox's undo machinery is reused: the history table already records every contact
change (each field's old and new value, a line per touch logged), grouped in batches, one
per write; :meth:`~opsdesk.store.history.HistoryRepository.last_batch` finds the newest
batch not yet undone and :meth:`~opsdesk.store.history.HistoryRepository.mark_undone`
records the reversal, so pressing undo again goes one change further back.

What undoing means here: a field goes back to its old value (do-not-contact, consent, any
edit, a follow-up closed, a merge's moved touches and filled fields); a touch that was
logged or planned is deleted (its history line keeps a copy of it). Some changes are
refused with a sentence instead: one made with the inbox (closing the loop logs touches:
the inbox's own undo takes those back with the item), forgetting someone (their details
are erased from history too, so there is nothing to put back), and adding a contact (undo
removes no contact: edit it, or forget it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from opsdesk.formatting import counted, local_date, words
from opsdesk.models import Change, Contact, Touch
from opsdesk.services.desk import Desk
from opsdesk.store.base import RecordNotFound
from opsdesk.store.history import forgets_someone
from opsdesk.text import one_line
from opsdesk.vocabulary import TouchStatus

UNDO_TABLES = ("contacts", "touches")
"""The tables a contacts change writes; a batch with lines elsewhere is not ours to undo."""

FIELD_WORDS = {
    "do_not_contact": "do-not-contact",
    "dnc_reason": "do-not-contact reason",
    "consent": "research consent",
    "relationship_owner": "relationship owner",
    "email": "email",
    "closed_at": "closing the follow-up",
    "follow_up_due": "follow-up date",
    "status": "touch status",
}
"""How an undo names the fields whose column names mean little to people."""


class UndoRefused(ValueError):
    """The last change cannot be undone; the message says why, and what to do instead."""


def undo_last(desk: Desk, *, after: int = 0) -> str | None:
    """Reverse the newest contacts change by this user since history line ``after`` (the
    session's start); return what was undone in words, or None when nothing was changed.

    Raises :class:`UndoRefused` when that change cannot be undone here.
    """
    store = desk.store
    # Read and reverse in one transaction: another opsdesk cannot slip a change between.
    with store.write() as undo_batch:
        batch = store.history.last_batch(store.actor, UNDO_TABLES, after=after)
        if batch is None:
            return None
        lines = store.history.batch_lines(batch)
        _refuse(desk, lines)
        known = {"contacts": set(Contact.model_fields), "touches": set(Touch.model_fields)}
        changes: dict[tuple[str, int], dict[str, Any]] = {}
        for line in reversed(lines):  # the oldest value of a field changed twice wins
            # Lines that are notes, not fields ('merged' on the kept contact), hold no value.
            if line.field != "*" and line.field in known[line.table_name]:
                changes.setdefault((line.table_name, line.record_id), {})[line.field] = line.old
        logged: list[Touch] = []
        for line in lines:
            if line.table_name == "touches" and line.field == "*" and line.new == "created":
                with contextlib.suppress(RecordNotFound):  # already gone: nothing to take back
                    logged.append(store.touches.delete(line.record_id))
        gone = {touch.id for touch in logged}
        for (table, record_id), fields in changes.items():
            if table == "touches" and record_id in gone:
                continue
            repository = store.contacts if table == "contacts" else store.touches
            with contextlib.suppress(RecordNotFound):
                repository.update(record_id, **fields)
        store.history.mark_undone(batch, undo_batch)
        # Said once undone, so an edited name reads as it is again.
        return _describe(desk, lines, logged, changes)


def _refuse(desk: Desk, lines: Sequence[Change]) -> None:
    """Raise :class:`UndoRefused` for a change that this undo must not reverse."""
    # First: forgetting also erases the address from feedback, which is not the inbox's doing.
    if forgets_someone(lines):
        raise UndoRefused("the last change forgot a contact, and forgetting cannot be undone")
    others = sorted({line.table_name for line in lines} - set(UNDO_TABLES))
    if "feedback" in others:
        raise UndoRefused(
            "the last change to contacts was made in the inbox (closing the loop logs a "
            "touch): undo it there, with u in Feedback"
        )
    if others:
        raise UndoRefused(
            f"the last change to contacts also changed {', '.join(others)}: undo it where it "
            "was made"
        )
    added = [
        line.record_id
        for line in lines
        if line.table_name == "contacts" and line.field == "*" and line.new == "created"
    ]
    if added:
        which = _name(desk, added[0]) if len(added) == 1 else counted(len(added), "contact")
        raise UndoRefused(
            f"the last change added {which}, and undo does not remove contacts "
            "(edit it, or forget it with x, if it should go)"
        )
    if any(line.field == "*" and line.new != "created" for line in lines):
        raise UndoRefused("the last change deleted a touch, and undo cannot bring it back")
    # Forgotten since (by someone else): their history was erased, so there is nothing to
    # put back, and writing the blanks back would fail on the placeholder.
    ids = {line.record_id for line in lines if line.table_name == "contacts"}
    for contact in desk.store.contacts.many(sorted(ids)).values():
        if contact.forgotten:
            raise UndoRefused(
                "the contact the last change was about has since been forgotten, and "
                "forgetting cannot be undone"
            )


def _describe(
    desk: Desk,
    lines: Sequence[Change],
    touches: Sequence[Touch],
    changes: dict[tuple[str, int], dict[str, Any]],
) -> str:
    """What the change was, in words, read before it is undone: 'undid logging a touch with
    Ana Diaz (interview, 2026-11-26)', 'undid do-not-contact on Ana Diaz', 'undid merging
    Ana D into Ana Diaz'."""
    store = desk.store
    into = {
        line.record_id: line.new
        for line in lines
        if line.table_name == "contacts" and line.field == "merged_into" and line.new
    }
    if into:
        second, kept = next(iter(into.items()))
        names = [_name(desk, second), _name(desk, int(kept or 0))]
        if names[0] == names[1]:  # 'Sven Olsen into Sven Olsen' says nothing: the addresses
            names = [_name(desk, second, address=True), _name(desk, int(kept or 0), address=True)]
        return f"undid merging {names[0]} into {names[1]}"
    if touches:
        verb = "planning" if all(t.status == TouchStatus.PLANNED for t in touches) else "logging"
        if len(touches) > 1:
            return f"undid {verb} {counted(len(touches), 'touch', 'touches')}"
        touch = touches[0]
        when = local_date(touch.at, desk.tz)
        return (
            f"undid {verb} a touch with {_name(desk, touch.contact_id)} "
            f"({words(touch.purpose)}, {when})"
        )
    fields = sorted(
        {FIELD_WORDS.get(name, words(name)) for fields in changes.values() for name in fields}
    )
    contacts = sorted({record_id for table, record_id in changes if table == "contacts"})
    if contacts:
        on = _name(desk, contacts[0]) if len(contacts) == 1 else counted(len(contacts), "contact")
        return f"undid {', '.join(fields)} on {on}"
    changed = [store.touches.get(record_id) for _, record_id in changes]
    owners = sorted({touch.contact_id for touch in changed})
    whose = _name(desk, owners[0]) if len(owners) == 1 else counted(len(owners), "contact")
    if fields == [FIELD_WORDS["closed_at"]]:  # 'undid closing the follow-up with Ana Diaz'
        return f"undid {fields[0]} with {whose}"
    which = "the touch" if len(changed) == 1 else counted(len(changed), "touch", "touches")
    return f"undid {', '.join(fields)} on {which} with {whose}"


def _name(desk: Desk, contact_id: int, *, address: bool = False) -> str:
    """A contact as people know them: the name, else the address, else the id; with
    ``address``, the name and the address ('Sven Olsen <sven@quarry.example>')."""
    try:
        contact = desk.store.contacts.get(contact_id)
    except RecordNotFound:
        return f"contact #{contact_id}"
    name = one_line(contact.name or contact.email or f"contact #{contact_id}", 40)
    if address and contact.name and contact.email:
        return f"{name} <{one_line(contact.email, 60)}>"
    return name
