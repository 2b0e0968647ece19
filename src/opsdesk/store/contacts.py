"""Research contacts and the ledger of every touch with them.

Besides plain reads and writes, this is where the ledger's indexed questions are asked: a
contact's touches, a company's recent touches, every touch since a day (for the status of
the whole list), the eligible pool's candidates and the open follow-ups. The rules that
turn touches into a status live in :mod:`opsdesk.rules.eligibility`; the contact list can
filter by that status through two per-connection ``temp`` tables the services fill.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opsdesk.rules.mailbox import normalize_mailbox
from opsdesk.store.base import (
    Batch,
    ModelRef,
    Repository,
    SortSpec,
    Where,
    fts_query,
    history_text,
    to_db,
)

if TYPE_CHECKING:
    from opsdesk.models import Contact, Touch

MAX_MERGE_DEPTH = 20
"""A merged contact points at the one it went into; chains longer than this are a loop."""

SQL_VARIABLES_PER_QUERY = 500
"""Ids are sent in slices of this size, well below SQLite's limit on bound parameters."""


@dataclass(frozen=True)
class ContactFilter:
    """What the contact list (or the eligible pool) shows; empty fields don't narrow it."""

    company: str | None = None
    segment: str | None = None
    role: str | None = None
    search: str = ""
    status: str | None = None
    """A :class:`~opsdesk.rules.eligibility.ContactStatus` value; needs the status tables."""
    include_forgotten: bool = False
    include_merged: bool = False


@dataclass(frozen=True)
class LedgerRow:
    """A touch with its contact's company: what the status of many contacts is built from."""

    touch_id: int
    contact_id: int
    company: str | None
    at: dt.datetime
    by: str
    purpose: str
    status: str


@dataclass(frozen=True)
class PoolCandidate:
    """A contact the eligible pool may pick."""

    contact_id: int
    company: str | None


STATUS_SQL = (
    "CASE WHEN contacts.do_not_contact = 1 THEN 'do_not_contact' "
    "ELSE coalesce("
    "(SELECT CASE WHEN s.status != 'do_not_contact' AND contacts.consent = 'no' "
    "THEN 'no_consent' ELSE s.status END "
    "FROM temp.contact_status s WHERE s.contact_id = contacts.id), "
    "CASE WHEN contacts.consent = 'no' THEN 'no_consent' "
    "WHEN contacts.company IN (SELECT company FROM temp.capped_companies) "
    "THEN 'at_cap' ELSE 'free' END) END"
)
"""A contact's status from its own flags and the status tables the services last filled.

Do not contact set on another record of the contact's mailbox comes through its row in the
status tables (so does "no" to research), and wins over the contact's own "no": one lookup
per contact as before, rather than a probe of the mailbox index for each of them."""


SHOWN_NAME_SQL = "coalesce(nullif(name, ''), email, '')"
"""A contact's name as the list shows it: the address when it has no name. Closing the loop
on feedback adds each customer the ledger does not know, with an address and no name; sorted
by the stored name they all came first (the empty name), a page of addresses before 'Aaliyah'.
They now sort among the names by their address, as the list reads."""


def _slices(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), SQL_VARIABLES_PER_QUERY):
        yield ids[start : start + SQL_VARIABLES_PER_QUERY]


_INSTANT = re.compile(r"[0-9T:.+-]+")
"""What :func:`~opsdesk.store.base.to_db` makes of an aware datetime: safe inside quotes."""


def _at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


class ContactRepository(Repository["Contact"]):
    record_name = "contact"
    table = "contacts"
    model = ModelRef("Contact")
    fts_columns = ("name", "email", "company", "notes")
    sorts = {
        "name": SortSpec("name", (f"{SHOWN_NAME_SQL} COLLATE NOCASE", "id")),
        "company": SortSpec(
            "company",
            ("coalesce(company, '') COLLATE NOCASE", f"{SHOWN_NAME_SQL} COLLATE NOCASE", "id"),
        ),
    }
    """By the name as the list shows it (:data:`SHOWN_NAME_SQL`); by company, then that name
    within a company (it was by id there: a jumble of names). Schema 18 indexes both orders
    word for word."""

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

    # -- finding one -----------------------------------------------------------------------

    def by_email(self, email: str) -> Contact | None:
        """The contact whose mailbox this address reaches (aliases and case folded).

        A contact merged into another answers with the one it was merged into, so an old
        address still finds the whole ledger.
        """
        row = self.conn.execute(
            "SELECT * FROM contacts WHERE mailbox = ? AND forgotten = 0 "
            "ORDER BY merged_into IS NOT NULL, id LIMIT 1",
            (normalize_mailbox(email),),
        ).fetchone()
        if row is None:
            return None
        return self.resolve(self.from_row(row))

    def resolve(self, contact: Contact) -> Contact:
        """Follow ``merged_into`` to the contact that holds the ledger now."""
        for _ in range(MAX_MERGE_DEPTH):
            if contact.merged_into is None:
                return contact
            contact = self.get(contact.merged_into)
        return contact

    def merged_ids(self, contact_id: int) -> list[int]:
        """Every contact merged (directly or through others) into ``contact_id``."""
        found: list[int] = []
        frontier = [contact_id]
        while frontier and len(found) < 10_000:
            rows = self.conn.execute(
                f"SELECT id FROM contacts WHERE merged_into IN ({', '.join('?' * len(frontier))})",
                frontier,
            ).fetchall()
            frontier = [int(row[0]) for row in rows if int(row[0]) not in found]
            found.extend(frontier)
        return found

    def many(self, ids: Sequence[int]) -> dict[int, Contact]:
        """Contacts by id, for a page of the list or a pool."""
        found: dict[int, Contact] = {}
        for part in _slices(list(ids)):
            rows = self.conn.execute(
                f"SELECT * FROM contacts WHERE id IN ({', '.join('?' * len(part))})", list(part)
            ).fetchall()
            for row in rows:
                found[int(row["id"])] = self.from_row(row)
        return found

    # -- lists -----------------------------------------------------------------------------

    def where(self, query: ContactFilter) -> Where:
        where = Where()
        if not query.include_forgotten:
            where = where.and_("forgotten = 0")
        if not query.include_merged:
            # The unary + keeps SQLite off the merged_into index, which it took for the
            # narrower (it has no statistics): nearly every contact is unmerged, and that
            # index made it sort them all instead of reading the list's order off its index.
            where = where.and_("+merged_into IS NULL")
        if query.company and query.company.strip():
            names = self.company_names(query.company)
            if names:
                where = where.and_(f"company IN ({', '.join('?' * len(names))})", *names)
            else:
                where = where.and_("0")
        if query.segment:
            where = where.and_("segment = ? COLLATE NOCASE", query.segment)
        if query.role:
            where = where.and_("role LIKE ? ESCAPE '\\'", f"%{_like(query.role)}%")
        if query.search.strip():
            where = where.and_(
                "id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)",
                fts_query(query.search),
            )
        if query.status:
            self.ensure_status_tables()
            where = where.and_(f"({STATUS_SQL}) = ?", query.status)
        return where

    def company_names(self, typed: str) -> list[str]:
        """The stored company names ``typed`` means: any case (non-ASCII letters too, which
        SQLite's NOCASE does not fold), spaces around it aside. Read off the company index
        (:meth:`companies`), so the list's filter can then ask for those names through it.
        """
        wanted = typed.strip().casefold()
        return [name for name in self.companies() if name.casefold() == wanted]

    def companies(self) -> list[str]:
        """Every company name stored, in order (off the company index, no table rows)."""
        rows = self.conn.execute(
            "SELECT DISTINCT company FROM contacts WHERE company IS NOT NULL ORDER BY company"
        )
        return [str(row[0]) for row in rows]

    def segments(self) -> list[str]:
        """The segments in use, one spelling each (the filter ignores case), off the
        segment index: what the eligible pool's form offers instead of a blank to guess."""
        rows = self.conn.execute(
            "SELECT DISTINCT segment FROM contacts WHERE segment IS NOT NULL AND segment != '' "
            "ORDER BY segment"
        )
        spellings: dict[str, str] = {}
        for (segment,) in rows:
            spellings.setdefault(str(segment).strip().casefold(), str(segment).strip())
        return sorted(spellings.values(), key=str.casefold)

    def listed_by(self, column: str) -> list[tuple[str, int]]:
        """(value, contacts) for each company or segment of the listed contacts, by value:
        what the list's company-or-segment picker offers (read off the column's index)."""
        if column not in ("company", "segment"):
            raise ValueError(f"not a contact group: {column!r}")
        rows = self.conn.execute(
            f"SELECT {column}, count(*) FROM contacts WHERE {column} IS NOT NULL "
            f"AND {column} != '' AND forgotten = 0 AND merged_into IS NULL "
            f"GROUP BY {column} ORDER BY {column} COLLATE NOCASE"
        )
        # One line per value as the filter matches it (a segment in any case): the first
        # spelling met, with every spelling's contacts.
        found: dict[str, tuple[str, int]] = {}
        for value, count in rows:
            key = str(value).strip().casefold()
            spelling, before = found.get(key, (str(value).strip(), 0))
            found[key] = (spelling, before + int(count))
        return list(found.values())

    def ensure_status_tables(self) -> None:
        """The per-connection tables the list's status filter reads (created empty)."""
        self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS contact_status "
            "(contact_id INTEGER PRIMARY KEY, status TEXT NOT NULL, free_on TEXT)"
        )
        self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS capped_companies "
            "(company TEXT PRIMARY KEY, free_on TEXT)"
        )

    def replace_statuses(
        self,
        statuses: Iterable[tuple[int, str, str | None]],
        capped_companies: Iterable[tuple[str, str | None]],
    ) -> None:
        """Fill the status tables: one row per contact with touches in the relevant days
        (free ones too), and each company at its cap for contacts without such touches.

        Temp tables belong to this connection only, so this needs no write lock on the
        database: the rows go in under one savepoint (a deferred transaction that touches
        only the temp schema). In autocommit mode each of the 8,000 inserts of the large
        dataset was its own transaction, and filling the tables took 270 ms instead of 27.
        """
        self.ensure_status_tables()
        self.conn.execute("SAVEPOINT status_tables")
        try:
            self.conn.execute("DELETE FROM temp.contact_status")
            self.conn.execute("DELETE FROM temp.capped_companies")
            self.conn.executemany(
                "INSERT INTO temp.contact_status (contact_id, status, free_on) VALUES (?, ?, ?)",
                statuses,
            )
            self.conn.executemany(
                "INSERT INTO temp.capped_companies (company, free_on) VALUES (?, ?)",
                capped_companies,
            )
        except BaseException:
            self.conn.execute("ROLLBACK TO status_tables")
            self.conn.execute("RELEASE status_tables")
            raise
        self.conn.execute("RELEASE status_tables")

    def count_by_status(self) -> dict[str, int]:
        """How many listed contacts have each status (after :meth:`replace_statuses`)."""
        self.ensure_status_tables()
        rows = self.conn.execute(
            f"SELECT {STATUS_SQL} AS s, count(*) FROM contacts "
            "WHERE forgotten = 0 AND merged_into IS NULL GROUP BY s"
        ).fetchall()
        return {str(row[0]): int(row[1]) for row in rows}

    # -- the eligible pool -----------------------------------------------------------------

    def pool_batch(
        self,
        query: ContactFilter,
        *,
        research: bool,
        quiet_since: dt.datetime,
        quiet: bool,
        after_id: int,
        limit: int,
    ) -> list[PoolCandidate]:
        """The next ``limit`` contacts (by id, after ``after_id``) the eligible pool may pick.

        Only flags are decided here (do not contact, and no consent for research). ``quiet``
        asks for contacts with no touch since ``quiet_since`` (their own ledger cannot block
        them, so they are offered first); otherwise for the others. Each probe of the ledger
        is one index lookup, and the query stops after ``limit`` rows.
        """
        where = self.where(query).and_("do_not_contact = 0").and_("id > ?", after_id)
        if research:
            where = where.and_("consent != 'no'")
        recent = "EXISTS (SELECT 1 FROM touches t WHERE t.contact_id = contacts.id AND t.at >= ?)"
        where = where.and_(f"NOT {recent}" if quiet else recent, to_db(quiet_since))
        rows = self.conn.execute(
            f"SELECT id, company FROM contacts WHERE {where.sql()} ORDER BY id LIMIT ?",
            [*where.params, limit],
        ).fetchall()
        return [PoolCandidate(int(row[0]), row[1]) for row in rows]

    # -- duplicates --------------------------------------------------------------------------

    def people(self) -> list[tuple[int, str, str | None, str | None, str | None]]:
        """(id, name, email, mailbox, company) of every listed contact, for duplicate search."""
        rows = self.conn.execute(
            "SELECT id, name, email, mailbox, company FROM contacts "
            "WHERE forgotten = 0 AND merged_into IS NULL ORDER BY id"
        ).fetchall()
        return [(int(row[0]), row[1] or "", row[2], row[3], row[4]) for row in rows]

    def sharing_mailbox(self, contact_ids: Sequence[int] | None = None) -> dict[int, list[int]]:
        """Each of these listed contacts (None: every one) whose mailbox another listed
        contact has too, with the ids of all of them, its own included, in id order.

        New contacts cannot take a mailbox already held, but records kept from before that
        rule (or loaded as they were) can: they are one person to the guardrails. One
        lookup on the mailbox index per contact asked about.
        """
        sql = (
            "SELECT c.id, o.id FROM contacts c JOIN contacts o ON o.mailbox = c.mailbox "
            "AND o.id != c.id AND o.forgotten = 0 AND o.merged_into IS NULL "
            "WHERE c.mailbox IS NOT NULL AND c.forgotten = 0 AND c.merged_into IS NULL"
        )
        pairs: list[tuple[int, int]] = []
        if contact_ids is None:
            pairs = [(int(a), int(b)) for a, b in self.conn.execute(sql).fetchall()]
        else:
            for part in _slices(list(contact_ids)):
                marks = ", ".join("?" * len(part))
                rows = self.conn.execute(f"{sql} AND c.id IN ({marks})", list(part)).fetchall()
                pairs += [(int(a), int(b)) for a, b in rows]
        groups: dict[int, set[int]] = {}
        for own, other in pairs:
            groups.setdefault(own, {own}).add(other)
        return {own: sorted(ids) for own, ids in groups.items()}

    def mailbox_mates(self, contact_ids: Sequence[int] | None = None) -> dict[int, list[Contact]]:
        """Each of these listed contacts (None: every one) that shares its mailbox, with the
        *other* records of that mailbox, in id order: whose do-not-contact and research
        consent are the person's too. Contacts alone in their mailbox are left out.

        :meth:`sharing_mailbox` and one read of the records found, so a page or a check with
        no alias in it costs the mailbox lookups only.
        """
        groups = self.sharing_mailbox(contact_ids)
        if not groups:
            return {}
        records = self.many(sorted({other for ids in groups.values() for other in ids}))
        return {
            own: [records[other] for other in ids if other != own and other in records]
            for own, ids in groups.items()
        }

    def mark_merged(self, drop_id: int, keep_id: int, batch: Batch) -> None:
        """Point ``drop_id`` at ``keep_id`` (history keeps both records' lines)."""
        self._update(drop_id, {"merged_into": keep_id}, batch)
        self.store.history.note(batch, "contacts", keep_id, "merged", None, f"#{drop_id}")


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class TouchRepository(Repository["Touch"]):
    record_name = "touch"
    table = "touches"
    model = ModelRef("Touch")
    sorts = {
        "newest": SortSpec("newest first", ("at", "id"), descending=True),
        "follow_up": SortSpec("follow-up due, overdue first", ("follow_up_due", "id")),
    }

    def for_contact(self, contact_id: int, limit: int = 50) -> list[Touch]:
        rows = self.conn.execute(
            "SELECT * FROM touches WHERE contact_id = ? ORDER BY at DESC, id DESC LIMIT ?",
            (contact_id, limit),
        ).fetchall()
        return [self.from_row(row) for row in rows]

    def for_contacts(self, contact_ids: Sequence[int]) -> list[Touch]:
        """Every touch of these contacts (their whole ledgers, past and planned)."""
        touches: list[Touch] = []
        for part in _slices(list(contact_ids)):
            rows = self.conn.execute(
                f"SELECT * FROM touches WHERE contact_id IN ({', '.join('?' * len(part))})",
                list(part),
            ).fetchall()
            touches.extend(self.from_row(row) for row in rows)
        return touches

    def counts(self, contact_ids: Sequence[int]) -> dict[int, int]:
        """How many touches each of these contacts has (those with none are left out)."""
        found: dict[int, int] = {}
        for part in _slices(list(contact_ids)):
            rows = self.conn.execute(
                "SELECT contact_id, count(*) FROM touches "
                f"WHERE contact_id IN ({', '.join('?' * len(part))}) GROUP BY contact_id",
                list(part),
            ).fetchall()
            found.update((int(row[0]), int(row[1])) for row in rows)
        return found

    def ledger_for_contacts(self, contact_ids: Sequence[int]) -> list[LedgerRow]:
        """Every touch of these contacts as ledger rows: what a page's statuses need.

        :meth:`for_contacts` builds and validates a whole model per touch, about half of
        what working out a page of 100 contacts' statuses cost on the large dataset.
        """
        found: list[LedgerRow] = []
        for part in _slices(list(contact_ids)):
            found.extend(
                self.ledger_rows(
                    "SELECT t.id, t.contact_id, c.company, t.at, t.by, t.purpose, t.status "
                    "FROM touches t JOIN contacts c ON c.id = t.contact_id "
                    f"WHERE t.contact_id IN ({', '.join('?' * len(part))})",
                    list(part),
                )
            )
        return found

    def last_touch_columns(self, now: dt.datetime) -> str:
        """Extra columns for a contact list: when each contact was last touched (at or before
        ``now``), the next touch planned after it, and how many touches it has in all.

        The last touch was the latest in the ledger, planned ones included, so a contact
        with an interview planned for next month read as touched next month. Each column is
        one lookup on the (contact_id, at) index. ``now`` is written into the SQL (the
        list's extra columns take no parameters), so it is checked to be plain ISO text.
        """
        instant = to_db(now)
        if not _INSTANT.fullmatch(instant):
            raise ValueError(f"not an instant: {instant!r}")
        own = "FROM touches t WHERE t.contact_id = contacts.id"
        return (
            f"(SELECT max(t.at) {own} AND t.at <= '{instant}') AS last_touch, "
            f"(SELECT min(t.at) {own} AND t.at > '{instant}') AS next_touch, "
            f"(SELECT count(*) {own}) AS touch_count"
        )

    def ledger_rows(self, sql: str, params: Sequence[Any]) -> list[LedgerRow]:
        rows = self.conn.execute(sql, params).fetchall()
        return [
            LedgerRow(
                int(row["id"]),
                int(row["contact_id"]),
                row["company"],
                _at(row["at"]),
                row["by"],
                row["purpose"],
                row["status"],
            )
            for row in rows
        ]

    def of_companies(self, companies: Sequence[str], since: dt.datetime) -> list[LedgerRow]:
        """Every touch at these companies from ``since`` on (planned ones included)."""
        found: list[LedgerRow] = []
        names = sorted(set(companies))
        for start in range(0, len(names), SQL_VARIABLES_PER_QUERY):
            part = names[start : start + SQL_VARIABLES_PER_QUERY]
            found.extend(
                self.ledger_rows(
                    "SELECT t.id, t.contact_id, c.company, t.at, t.by, t.purpose, t.status "
                    "FROM contacts c JOIN touches t ON t.contact_id = c.id "
                    f"WHERE c.company IN ({', '.join('?' * len(part))}) AND t.at >= ?",
                    [*part, to_db(since)],
                )
            )
        return found

    def since(self, since: dt.datetime) -> list[LedgerRow]:
        """Every touch from ``since`` on, with its contact's company (the whole list's status)."""
        return self.ledger_rows(
            "SELECT t.id, t.contact_id, c.company, t.at, t.by, t.purpose, t.status "
            "FROM touches t JOIN contacts c ON c.id = t.contact_id WHERE t.at >= ?",
            [to_db(since)],
        )

    def open_follow_ups(self) -> Where:
        """Threads still waiting for us: a follow-up is due and nobody closed them."""
        return Where().and_("follow_up_due IS NOT NULL").and_("closed_at IS NULL")

    def follow_up_columns(self) -> str:
        """Extra columns for the follow-ups list: the contact's name, email and company."""
        return (
            "(SELECT c.name FROM contacts c WHERE c.id = touches.contact_id) AS contact_name, "
            "(SELECT c.email FROM contacts c WHERE c.id = touches.contact_id) AS contact_email, "
            "(SELECT c.company FROM contacts c WHERE c.id = touches.contact_id) AS contact_company"
        )

    def move(self, from_id: int, to_id: int, batch: Batch) -> int:
        """Move every touch of one contact to another, each move in history."""
        ids = [
            int(row[0])
            for row in self.conn.execute(
                "SELECT id FROM touches WHERE contact_id = ? ORDER BY id", (from_id,)
            ).fetchall()
        ]
        self.conn.execute(
            "UPDATE touches SET contact_id = ? WHERE contact_id = ?", (to_id, from_id)
        )
        for touch_id in ids:
            self.store.history.note(
                batch, "touches", touch_id, "contact_id", history_text(from_id), history_text(to_id)
            )
        return len(ids)
