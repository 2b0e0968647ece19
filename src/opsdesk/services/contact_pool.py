"""The eligible pool: "find N contacts" who are free, spread across companies, then plan a
touch for all of them in one action.

Candidates come from indexed queries in batches (the filters, minus do-not-contact and no
consent): first contacts nobody touched in the days that can still matter, then the others.
A flag set on another record of a candidate's mailbox refuses it when it is checked.
Within a batch the pool takes one candidate per company in turn, companies with the fewest
picks first, and checks each pick with the full rules, counting the picks already made: a
pool never plans a company past its cap.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from opsdesk.models import Contact, Touch
from opsdesk.rules.eligibility import (
    CompanyLedger,
    Eligibility,
    LedgerTouch,
    Rule,
    day_start,
    evaluate,
    is_reply,
    lookback_days,
)
from opsdesk.services.contacts import (
    ContactBlocked,
    add_touch,
    company_ledger,
    mailbox_mates,
    own_ledger,
)
from opsdesk.services.desk import Desk
from opsdesk.store.contacts import ContactFilter, PoolCandidate
from opsdesk.vocabulary import TouchPurpose, TouchStatus

MAX_POOL = 500
"""The most contacts one pool may ask for."""

BATCH = 200
"""Candidates read per query: enough to spread across companies, few enough to stay quick."""

POOL_PLACEHOLDER_BY = "(this pool)"


@dataclass(frozen=True)
class PoolQuery:
    """What the PM asked for: how many, which contacts, for what and on which day."""

    size: int = 10
    segment: str | None = None
    company: str | None = None
    role: str | None = None
    text: str = ""
    purpose: TouchPurpose = TouchPurpose.INTERVIEW
    day: dt.date | None = None


@dataclass
class Pool:
    """The picks, how many candidates were read and how many were checked by the rules."""

    query: PoolQuery
    day: dt.date
    contacts: list[Contact] = field(default_factory=list)
    candidates: int = 0
    checked: int = 0

    @property
    def companies(self) -> int:
        return len({c.company for c in self.contacts})


def find_pool(desk: Desk, query: PoolQuery) -> Pool:
    """Up to ``query.size`` free contacts matching the query, spread across companies."""
    size = max(1, min(query.size, MAX_POOL))
    day = query.day or desk.today()
    purpose = TouchPurpose(query.purpose)
    policy = desk.config.contacts
    wanted = ContactFilter(
        company=query.company or None,
        segment=query.segment or None,
        role=query.role or None,
        search=query.text or "",
    )
    quiet_since = day_start(day - dt.timedelta(days=lookback_days(policy) + 1), desk.tz)
    pool = Pool(query, day)
    picked: Counter[str] = Counter()
    people: set[int] = set()  # the records picked and all of their mailboxes': one person once
    full: set[str] = set()
    ledgers: dict[str, CompanyLedger | None] = {}
    for quiet in (True, False):
        after = 0
        while len(pool.contacts) < size:
            batch = desk.store.contacts.pool_batch(
                wanted,
                research=not is_reply(purpose, policy),
                quiet_since=quiet_since,
                quiet=quiet,
                after_id=after,
                limit=max(BATCH, size * 4),
            )
            if not batch:
                break
            after = batch[-1].contact_id
            pool.candidates += len(batch)
            for candidate in _spread(batch, picked):
                name = candidate.company or f"#{candidate.contact_id}"
                if len(pool.contacts) >= size:
                    break
                if name in full or candidate.contact_id in people:
                    continue
                contact = desk.store.contacts.get(candidate.contact_id)
                if name not in ledgers:
                    ledgers[name] = company_ledger(desk, contact.company, day)
                ledger = ledgers[name]
                # A quiet record may share its mailbox with a touched one (a +tag alias), or
                # with one marked do-not-contact: the batch's SQL reads only its own flags.
                mates = mailbox_mates(desk, candidate.contact_id)
                shared = [candidate.contact_id, *(int(mate.id or 0) for mate in mates)]
                own = [] if quiet and not mates else own_ledger(desk, candidate.contact_id, mates)
                pool.checked += 1
                verdict = evaluate(contact, own, ledger, policy, day, purpose, mates)
                if verdict.allowed:
                    pool.contacts.append(contact)
                    people.update(shared)
                    picked[name] += 1
                    if ledger is not None:
                        ledger.add(
                            LedgerTouch(
                                candidate.contact_id,
                                day,
                                POOL_PLACEHOLDER_BY,
                                purpose.value,
                                TouchStatus.PLANNED.value,
                            )
                        )
                elif Rule.COMPANY_CAP in verdict.rules:
                    full.add(name)  # the company is full: none of its others will do
    return pool


def _spread(batch: Sequence[PoolCandidate], picked: Counter[str]) -> list[PoolCandidate]:
    """The batch in turns: one per company, companies with the fewest picks so far first."""
    queues: dict[str, deque[PoolCandidate]] = {}
    for candidate in batch:
        queues.setdefault(candidate.company or f"#{candidate.contact_id}", deque()).append(
            candidate
        )
    order: list[PoolCandidate] = []
    names = sorted(queues, key=lambda name: picked[name])
    while names:
        for name in names:
            order.append(queues[name].popleft())
        names = [name for name in names if queues[name]]
    return order


@dataclass
class PlanResult:
    """What planning a pool did: the touches written and the contacts a rule refused."""

    planned: list[Touch] = field(default_factory=list)
    refused: list[tuple[Contact, Eligibility]] = field(default_factory=list)


def plan_pool(
    desk: Desk,
    contacts: Sequence[Contact],
    *,
    by: str,
    purpose: TouchPurpose | str,
    day: dt.date,
    channel: str = "email",
    follow_up_due: dt.date | None = None,
    experiment_id: int | None = None,
    launch_id: int | None = None,
) -> PlanResult:
    """Plan one touch for each contact in one transaction, each checked as it is written.

    Touches planned earlier in the same action count for the later ones, so a company cap
    or a changed ledger (someone else planned meanwhile) refuses the contacts it must; the
    others are planned. Refusals are returned with their reasons, never overridden.
    """
    result = PlanResult()
    at = _plan_instant(desk, day)
    with desk.store.write():
        for contact in contacts:
            try:
                touch = add_touch(
                    desk,
                    int(contact.id or 0),
                    by,
                    purpose,
                    channel=channel,
                    at=at,
                    status=TouchStatus.PLANNED,
                    follow_up_due=follow_up_due,
                    experiment_id=experiment_id,
                    launch_id=launch_id,
                )
            except ContactBlocked as blocked:
                result.refused.append((blocked.contact, blocked.eligibility))
            else:
                result.planned.append(touch)
    return result


def _plan_instant(desk: Desk, day: dt.date) -> dt.datetime:
    """A planned touch on ``day``: now if that is today, else 09:00 local on that day."""
    if day == desk.today():
        return desk.now()
    return dt.datetime.combine(day, dt.time(9), tzinfo=desk.tz).astimezone(dt.UTC)
