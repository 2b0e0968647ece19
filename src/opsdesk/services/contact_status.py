"""The status of many contacts at once: a page of the list, or every contact for its filter.

A page asks only about its own contacts: their ledgers and their companies' recent touches,
two indexed queries. Filtering the whole list by status needs every contact's status: the
touches of the days that can still matter are read in one range query on ``touches.at``,
the rules are run once per touched contact and once per company, and the answers go into
the per-connection status tables the list's query reads (:meth:`replace_statuses`). A contact
with no touch in those days is free unless its company is at its cap or a flag says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from opsdesk.models import Contact
from opsdesk.rules.eligibility import (
    CompanyLedger,
    ContactStatus,
    Eligibility,
    LedgerTouch,
    day_start,
    evaluate,
    first_free_day,
    ledger_status,
    lookback_days,
    mailbox_status,
)
from opsdesk.services.contacts import ledger_from_rows
from opsdesk.services.desk import Desk
from opsdesk.store.contacts import LedgerRow
from opsdesk.vocabulary import TouchPurpose


def _company_since(desk: Desk, day: dt.date) -> dt.datetime:
    """Company touches older than one company window before ``day`` can no longer block."""
    return day_start(day - dt.timedelta(days=desk.config.contacts.company_window_days), desk.tz)


def _since(desk: Desk, day: dt.date) -> dt.datetime:
    return day_start(day - dt.timedelta(days=lookback_days(desk.config.contacts) + 1), desk.tz)


def statuses_for(
    desk: Desk,
    contacts: Sequence[Contact],
    *,
    day: dt.date | None = None,
    purpose: TouchPurpose = TouchPurpose.INTERVIEW,
) -> dict[int, Eligibility]:
    """Each contact's eligibility on ``day`` (default today), for one page of a list."""
    day = day or desk.today()
    ids = [int(c.id) for c in contacts if c.id is not None]
    # Records of one mailbox are one person: each counts the others' touches too, and their
    # do-not-contact and "no" to research hold for it.
    mates = desk.store.contacts.mailbox_mates(ids)
    sharing = {
        own_id: [own_id, *(int(mate.id or 0) for mate in others)]
        for own_id, others in mates.items()
    }
    everyone = sorted({other for own_id in ids for other in sharing.get(own_id, [own_id])})
    touched: dict[int, list[LedgerTouch]] = defaultdict(list)
    for row, touch in _with_rows(desk.store.touches.ledger_for_contacts(everyone), desk):
        touched[row.contact_id].append(touch)
    own = {
        own_id: [t for other in sharing.get(own_id, [own_id]) for t in touched[other]]
        for own_id in ids
    }
    companies = sorted({c.company for c in contacts if c.company})
    by_company: dict[str, list[LedgerTouch]] = defaultdict(list)
    if companies:
        rows = desk.store.touches.of_companies(companies, _company_since(desk, day))
        for row, touch in _with_rows(rows, desk):
            by_company[str(row.company)].append(touch)
    ledgers = {name: CompanyLedger(by_company[name], desk.config.contacts) for name in companies}
    return {
        int(c.id): evaluate(
            c,
            own[int(c.id)],
            ledgers.get(c.company) if c.company else None,
            desk.config.contacts,
            day,
            purpose,
            mates.get(int(c.id), []),
        )
        for c in contacts
        if c.id is not None
    }


def _with_rows(rows: Sequence[LedgerRow], desk: Desk) -> list[tuple[LedgerRow, LedgerTouch]]:
    return list(zip(rows, ledger_from_rows(rows, desk.tz), strict=True))


@dataclass(frozen=True)
class StatusSnapshot:
    """When the status tables were last filled, so an unchanged list is not recomputed."""

    day: dt.date
    data_version: int
    total_changes: int


@dataclass(frozen=True)
class StatusTables:
    """Every touched contact's rule-based status on one day, and every company at its cap:
    the rows of the status tables, worked out apart from filling them.

    The temp tables belong to one connection (the app's), but working the rows out takes a
    few tenths of a second on 20,000 contacts, so the Contacts pane does that part in a
    worker thread on its own connection and fills the app's tables when the rows arrive.
    """

    day: dt.date
    statuses: list[tuple[int, str, str | None]]
    """(contact id, :class:`ContactStatus` value, free-on day) for each touched contact."""
    capped: list[tuple[str, str | None]]
    """(company, free-on day) for each company at its cap."""


def work_out_statuses(desk: Desk, *, day: dt.date | None = None) -> StatusTables:
    """Every contact's rule-based status on ``day`` (reads the store, writes nothing)."""
    day = day or desk.today()
    policy = desk.config.contacts
    rows = desk.store.touches.since(_since(desk, day))
    own: dict[int, list[LedgerTouch]] = defaultdict(list)
    by_company: dict[str, list[LedgerTouch]] = defaultdict(list)
    company_of: dict[int, str | None] = {}
    for row, touch in _with_rows(rows, desk):
        own[row.contact_id].append(touch)
        company_of[row.contact_id] = row.company
        if row.company:
            by_company[row.company].append(touch)
    ledgers = {name: CompanyLedger(touches, policy) for name, touches in by_company.items()}
    # Records of one mailbox are one person: each gets the others' touches too (and a row,
    # touched or not, since the list reads a record with no row as free).
    apart = dict(own)
    flagged: dict[int, ContactStatus] = {}
    for contact_id, mates in desk.store.contacts.mailbox_mates().items():
        group = [contact_id, *(int(mate.id or 0) for mate in mates)]
        together = [touch for other in group for touch in apart.get(other, [])]
        if together:
            own[contact_id] = together
        # A flag set on another record of the mailbox: the list's SQL reads the record's own
        # flags, and this row for the others' (do not contact wins over its own "no").
        shared_flag = mailbox_status(mates)
        if shared_flag is not None:
            flagged[contact_id] = shared_flag
            own.setdefault(contact_id, [])
    statuses: list[tuple[int, str, str | None]] = []
    for contact_id, touches in own.items():
        if contact_id in flagged:
            statuses.append((contact_id, flagged[contact_id].value, None))
            continue
        company = company_of.get(contact_id)
        # Flags (do not contact, consent) are read by the list's SQL; here only the ledger.
        status, free_on = ledger_status(touches, policy, day)
        ledger = ledgers.get(company) if company else None
        if ledger is not None and ledger.capped_on(day, contact_id):
            status = ContactStatus.AT_CAP
        statuses.append((contact_id, status.value, free_on.isoformat() if free_on else None))
    capped: list[tuple[str, str | None]] = []
    for name, ledger in ledgers.items():
        if ledger.capped_on(day, None):
            capped.append((name, first_free_day(day, ledger.blocks_for(None)).isoformat()))
    return StatusTables(day, statuses, capped)


def fill_status_tables(desk: Desk, tables: StatusTables) -> StatusSnapshot:
    """Put worked-out statuses in this connection's status tables; the state they describe."""
    desk.store.contacts.replace_statuses(tables.statuses, tables.capped)
    return snapshot(desk, tables.day)


def refresh_status_tables(desk: Desk, *, day: dt.date | None = None) -> StatusSnapshot:
    """Work out every contact's rule-based status on ``day`` and fill the status tables."""
    return fill_status_tables(desk, work_out_statuses(desk, day=day))


def snapshot(desk: Desk, day: dt.date) -> StatusSnapshot:
    """The state the status tables describe (compare with a later one to know if stale)."""
    return StatusSnapshot(day, desk.store.data_version(), desk.store.conn.total_changes)


def count_by_status(desk: Desk, *, day: dt.date | None = None) -> dict[ContactStatus, int]:
    """How many contacts have each status today (fills the status tables)."""
    refresh_status_tables(desk, day=day)
    counts = desk.store.contacts.count_by_status()
    return {status: counts.get(status.value, 0) for status in ContactStatus}
