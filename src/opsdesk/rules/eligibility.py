"""Who may be contacted, and when: the guardrails every PM meets before reaching a customer.

Pure functions over a contact, its ledger, its company's ledger, the policy and a day. No SQL
and no clock: the caller says which day the touch would happen on.

Every rule counts **calendar days in the user's time zone**, because "free again on
1 December" must mean the same thing to the PM reading it in Berlin at 08:00 as to the rule:

- *Cooldown.* A touch on day ``d`` keeps the contact quiet until ``d + cooldown_days`` (or
  ``d + completed_cooldown_days`` after a completed session, i.e. a completed interview or
  usability test): a new touch exactly 30 days
  later is allowed, 29 days later is not. A touch already in the ledger for a later day (a
  planned interview) blocks a new one that would put it inside the new touch's cooldown.
- *Touch cap.* At most ``max_touches`` touches in any ``touch_window_days`` consecutive days.
- *Company cap.* At most ``company_cap`` different contacts at one company touched in any
  ``company_window_days`` consecutive days.
- *Do not contact* blocks every purpose; *no consent* blocks research purposes. Purposes that
  answer the customer (``reply_purposes``, by default a feedback follow-up) are only blocked
  by do-not-contact, but they still count towards every other touch's cooldown and caps.
  Both flags are the *person's*: set on any record of the contact's mailbox (a ``+tag``
  alias kept as a record of its own), they block every record of it, and the reason names
  the record they were set on. A "no" to research on one record wins over "yes" or
  "unknown" on another: the customer said no, whichever address asked them.

Each rule is turned into blocked day ranges (:class:`Block`), so "is day X blocked" and "when
is the contact free again" are one question: the first day from X that no block covers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from opsdesk.config import ContactPolicy
from opsdesk.vocabulary import Consent, TouchPurpose, TouchStatus, label

if TYPE_CHECKING:
    from opsdesk.models import Contact, Touch


class Rule(StrEnum):
    """A guardrail that can block a touch."""

    DO_NOT_CONTACT = "do_not_contact"
    NO_CONSENT = "no_consent"
    COOLDOWN = "cooldown"
    TOUCH_CAP = "touch_cap"
    COMPANY_CAP = "company_cap"


class ContactStatus(StrEnum):
    """What the contact list shows for each contact (the most serious block wins)."""

    FREE = "free"
    COOLDOWN = "cooldown"
    AT_CAP = "at_cap"
    DO_NOT_CONTACT = "do_not_contact"
    NO_CONSENT = "no_consent"


STATUS_LABELS: dict[ContactStatus, str] = {
    ContactStatus.FREE: "free",
    ContactStatus.COOLDOWN: "in cooldown",
    ContactStatus.AT_CAP: "at cap",
    ContactStatus.DO_NOT_CONTACT: "do not contact",
    ContactStatus.NO_CONSENT: "no consent",
}

RULE_LABELS: dict[Rule, str] = {
    Rule.DO_NOT_CONTACT: "do not contact",
    Rule.NO_CONSENT: "no research consent",
    Rule.COOLDOWN: "cooldown",
    Rule.TOUCH_CAP: "touch cap",
    Rule.COMPANY_CAP: "company cap",
}


@dataclass(frozen=True)
class LedgerTouch:
    """A touch as the rules see it: whose, which local day, by whom, why, how it went."""

    contact_id: int
    day: dt.date
    by: str
    purpose: str
    status: str
    touch_id: int | None = None


@dataclass(frozen=True)
class Block:
    """Days ``first``..``last`` (inclusive) on which a rule refuses a new touch."""

    rule: Rule
    first: dt.date
    last: dt.date
    touches: tuple[LedgerTouch, ...]
    """The touches that cause it (one for a cooldown, the group for a cap)."""

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Reason:
    """One rule that blocks a touch, said so that a PM knows whom to ask and when to retry."""

    rule: Rule
    message: str
    by: str | None = None
    """Who made the touch that causes the block (the latest one, for a cap)."""
    on: dt.date | None = None
    """The day of that touch."""
    purpose: str | None = None
    """Why that touch was made."""
    until: dt.date | None = None
    """The first day this rule allows a touch again; None: until someone changes the contact."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.value,
            "message": self.message,
            "by": self.by,
            "on": self.on.isoformat() if self.on else None,
            "purpose": self.purpose,
            "until": self.until.isoformat() if self.until else None,
        }


@dataclass(frozen=True)
class Eligibility:
    """The answer to "may we contact them on this day, for this purpose?"."""

    day: dt.date
    status: ContactStatus
    reasons: tuple[Reason, ...] = ()
    free_on: dt.date | None = None
    """First day every temporary block has passed (None when free now or blocked for good)."""

    @property
    def allowed(self) -> bool:
        return not self.reasons

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(reason.rule for reason in self.reasons)

    def summary(self) -> str:
        """A short status: 'in cooldown, free again on 2026-12-26' (the first free day; "until"
        read as blocked on that day too)."""
        text = STATUS_LABELS[self.status]
        if self.free_on and self.status in (ContactStatus.COOLDOWN, ContactStatus.AT_CAP):
            text += f", free again on {self.free_on.isoformat()}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "status": self.status.value,
            "allowed": self.allowed,
            "free_on": self.free_on.isoformat() if self.free_on else None,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


FREE_UNKNOWN = ContactStatus.FREE
"""The status of an address nobody has in the ledger: free to contact."""


# -- days ---------------------------------------------------------------------------------


def local_day(instant: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The calendar day an instant falls on in the user's time zone."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(tz).date()


def day_start(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant a local day begins: the bound of an indexed range query on ``at``."""
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)


def ledger_touch(touch: Touch, tz: ZoneInfo) -> LedgerTouch:
    return LedgerTouch(
        contact_id=touch.contact_id,
        day=local_day(touch.at, tz),
        by=touch.by,
        purpose=TouchPurpose(touch.purpose).value,
        status=TouchStatus(touch.status).value,
        touch_id=touch.id,
    )


def lookback_days(policy: ContactPolicy) -> int:
    """How far back a touch can still block today: older touches never matter."""
    return max(
        policy.cooldown_days,
        policy.completed_cooldown_days,
        policy.touch_window_days,
        policy.company_window_days,
    )


def is_reply(purpose: str | TouchPurpose, policy: ContactPolicy) -> bool:
    """A purpose that answers the customer: only do-not-contact blocks it."""
    return TouchPurpose(purpose) in policy.reply_purposes


UPCOMING_STATUSES = frozenset({TouchStatus.PLANNED, TouchStatus.SCHEDULED})
"""The statuses of a touch that has not happened yet; every other one says it took place
(sent, completed, no response, declined, no show), so it cannot be on a later day."""


def future_touch_problem(status: TouchStatus, day: dt.date, today: dt.date) -> str | None:
    """Why a touch with ``status`` cannot be on ``day``, or None when it can.

    A completed interview two days from now is a slip (a later day's date typed by mistake,
    or a plan logged as done): it would sit in the ledger as history, with the long
    cooldown of a completed session, for a session nobody held. Days, not instants, are
    compared, so later today is fine (a touch logged at 17:00 for a call at 17:30, or
    clocks a few minutes apart). The message names the field ``at``: the command line says
    '--date', the form shows it under its day.
    """
    if status in UPCOMING_STATUSES or day <= today:
        return None
    return (
        f"at: a touch marked {label(status.value)} cannot be on a later day "
        f"({day.isoformat()}, today is {today.isoformat()}): mark it planned or scheduled "
        "until it has happened"
    )


# -- blocks -------------------------------------------------------------------------------


SESSION_PURPOSES = frozenset({TouchPurpose.INTERVIEW.value, TouchPurpose.USABILITY_TEST.value})
"""Purposes that are research *sessions*: once completed, the longer cooldown follows."""


def _is_session(touch: LedgerTouch) -> bool:
    return touch.status == TouchStatus.COMPLETED.value and touch.purpose in SESSION_PURPOSES


def _cooldown_after(touch: LedgerTouch, policy: ContactPolicy) -> int:
    if _is_session(touch):
        return policy.completed_cooldown_days
    return policy.cooldown_days


def cooldown_blocks(own: Iterable[LedgerTouch], policy: ContactPolicy) -> list[Block]:
    """Each touch blocks the days whose new touch would sit in a cooldown with it.

    After a touch on ``d``: days ``d .. d + cooldown - 1``. Before it: a new touch on
    ``d - cooldown + 1 .. d - 1`` would have this one inside its own cooldown.
    """
    blocks = []
    for touch in own:
        first = touch.day - dt.timedelta(days=max(policy.cooldown_days - 1, 0))
        last = touch.day + dt.timedelta(days=_cooldown_after(touch, policy) - 1)
        if policy.cooldown_days == 0:
            first = touch.day + dt.timedelta(days=1)
        if first <= last:
            blocks.append(Block(Rule.COOLDOWN, first, last, (touch,)))
    return blocks


def touch_cap_blocks(own: Iterable[LedgerTouch], policy: ContactPolicy) -> list[Block]:
    """Days on which one more touch would make ``max_touches + 1`` in some window.

    ``max_touches`` consecutive touches spanning at most ``window - 1`` days fill every
    window that holds them both, and a new touch on a day ``X`` joins such a window exactly
    when the first and last of them and ``X`` fit within ``window`` days.
    """
    ordered = sorted(own, key=lambda t: t.day)
    size, window = policy.max_touches, policy.touch_window_days
    blocks = []
    for start in range(len(ordered) - size + 1):
        group = ordered[start : start + size]
        first_day, last_day = group[0].day, group[-1].day
        if (last_day - first_day).days <= window - 1:
            blocks.append(
                Block(
                    Rule.TOUCH_CAP,
                    last_day - dt.timedelta(days=window - 1),
                    first_day + dt.timedelta(days=window - 1),
                    tuple(group),
                )
            )
    return blocks


def company_cap_blocks(others: Iterable[LedgerTouch], policy: ContactPolicy) -> list[Block]:
    """Days on which the company already has ``company_cap`` other contacts in some window.

    ``others`` are the company's touches with every contact but the one being checked. For
    each touch (in day order) the shortest run from it that reaches ``company_cap`` different
    contacts is found with two pointers; a run that fits in the window blocks the days a
    window can share with it.
    """
    ordered = sorted(others, key=lambda t: (t.day, t.contact_id))
    cap, window = policy.company_cap, policy.company_window_days
    blocks: list[Block] = []
    seen: Counter[int] = Counter()
    end = 0  # touches ordered[start:end] are counted in ``seen``
    for start in range(len(ordered)):
        while end < len(ordered) and len(seen) < cap:
            seen[ordered[end].contact_id] += 1
            end += 1
        if len(seen) < cap:
            break
        first_day, last_day = ordered[start].day, ordered[end - 1].day
        if (last_day - first_day).days <= window - 1:
            blocks.append(
                Block(
                    Rule.COMPANY_CAP,
                    last_day - dt.timedelta(days=window - 1),
                    first_day + dt.timedelta(days=window - 1),
                    tuple(ordered[start:end]),
                )
            )
        leaving = ordered[start].contact_id
        seen[leaving] -= 1
        if not seen[leaving]:
            del seen[leaving]
    return blocks


def first_free_day(day: dt.date, blocks: Sequence[Block]) -> dt.date:
    """The first day on or after ``day`` that no block covers."""
    free = day
    for block in sorted(blocks, key=lambda block: block.first):
        if block.first > free:
            break  # every later block starts later still: nothing covers ``free``
        if block.last >= free:
            free = block.last + dt.timedelta(days=1)
    return free


def company_day(
    touches: Iterable[LedgerTouch], policy: ContactPolicy, day: dt.date
) -> tuple[bool, frozenset[int]]:
    """Is the company at its cap on ``day``, and which of its contacts are spared?

    The same rule as :func:`company_cap_blocks` asked of one day, for the status of a whole
    list: each window holding ``day`` is looked at once. A window with more than
    ``company_cap`` contacts refuses everybody; one with exactly ``company_cap`` refuses all
    but its own contacts, so the spared are those in every such window.
    """
    cap, window = policy.company_cap, policy.company_window_days
    low = day - dt.timedelta(days=window - 1)
    high = day + dt.timedelta(days=window - 1)
    near = sorted((t.day, t.contact_id) for t in touches if low <= t.day <= high)
    if len({contact for _, contact in near}) < cap:
        return False, frozenset()
    spared: set[int] | None = None
    for shift in range(window):
        start = low + dt.timedelta(days=shift)
        end = start + dt.timedelta(days=window - 1)
        inside = {contact for when, contact in near if start <= when <= end}
        if len(inside) > cap:
            return True, frozenset()
        if len(inside) == cap:
            spared = inside if spared is None else spared & inside
    if spared is None:
        return False, frozenset()
    return True, frozenset(spared)


# -- the answer ---------------------------------------------------------------------------


class CompanyLedger:
    """One company's touches, with its cap blocks worked out once for all its contacts.

    The blocks counting every contact serve each contact that has no touch of its own in the
    company's ledger; a contact that has one gets blocks counted without itself.
    """

    def __init__(self, touches: Iterable[LedgerTouch], policy: ContactPolicy) -> None:
        self.touches = list(touches)
        self.policy = policy
        self._contacts = {touch.contact_id for touch in self.touches}
        self._all: list[Block] | None = None
        self._days: dict[dt.date, tuple[bool, frozenset[int]]] = {}

    def blocks_for(self, contact_id: int | None) -> list[Block]:
        if contact_id in self._contacts:
            others = [touch for touch in self.touches if touch.contact_id != contact_id]
            return company_cap_blocks(others, self.policy)
        if self._all is None:
            self._all = company_cap_blocks(self.touches, self.policy)
        return self._all

    def capped_on(self, day: dt.date, contact_id: int | None) -> bool:
        """Whether the cap refuses ``contact_id`` on ``day`` (cheap: no blocks, no until)."""
        if day not in self._days:
            self._days[day] = company_day(self.touches, self.policy, day)
        capped, spared = self._days[day]
        return capped and contact_id not in spared

    def add(self, touch: LedgerTouch) -> None:
        """Count a touch being planned now (a pool planned in one go is checked as a whole)."""
        self.touches.append(touch)
        self._contacts.add(touch.contact_id)
        self._all = None
        self._days.clear()


def evaluate(
    contact: Contact | None,
    own: Sequence[LedgerTouch],
    company: CompanyLedger | None,
    policy: ContactPolicy,
    day: dt.date,
    purpose: str | TouchPurpose = TouchPurpose.INTERVIEW,
    mates: Sequence[Contact] = (),
) -> Eligibility:
    """May ``contact`` be touched on ``day`` for ``purpose``? Every blocking rule, explained.

    ``contact`` None is an address nobody has in the ledger: free. ``own`` is the contact's
    whole ledger (past and planned), ``company`` its company's ledger, ``mates`` the other
    records of its mailbox, whose do-not-contact and "no" to research are the person's too.
    """
    if contact is None:
        return Eligibility(day, ContactStatus.FREE)
    reasons: list[Reason] = []
    dnc = flagged_on(contact, mates, lambda record: record.do_not_contact)
    if dnc is not None:
        why = f": {dnc.dnc_reason.strip().rstrip('.')}" if dnc.dnc_reason else ""
        reasons.append(Reason(Rule.DO_NOT_CONTACT, f"Do not contact{_set_on(contact, dnc)}{why}."))
    reply = is_reply(purpose, policy)
    said_no = flagged_on(contact, mates, lambda record: record.consent == Consent.NO)
    if said_no is not None and not reply:
        reasons.append(
            Reason(
                Rule.NO_CONSENT,
                f"Said no to research{_set_on(contact, said_no)}; only replies to their feedback.",
            )
        )
    blocks: list[Block] = []
    if not reply:
        blocks = cooldown_blocks(own, policy) + touch_cap_blocks(own, policy)
        # The company's blocks (and their "until") are worked out only when the cap refuses
        # this day: a big company's ledger is long, and a free day needs no explanation.
        if company is not None and company.capped_on(day, contact.id):
            blocks += company.blocks_for(contact.id)
    covering = [block for block in blocks if block.covers(day)]
    for rule in (Rule.COOLDOWN, Rule.TOUCH_CAP, Rule.COMPANY_CAP):
        mine = [block for block in covering if block.rule == rule]
        if mine:
            until = first_free_day(day, [block for block in blocks if block.rule == rule])
            reasons.append(_explain(rule, mine, day, until, policy, contact.company))
    status = _status(reasons)
    free_on = None
    if covering and status in (ContactStatus.COOLDOWN, ContactStatus.AT_CAP):
        free_on = first_free_day(day, blocks)
    return Eligibility(day, status, tuple(reasons), free_on)


def flagged_on(
    contact: Contact, mates: Sequence[Contact], flag: Callable[[Contact], bool]
) -> Contact | None:
    """The record of the mailbox a flag is set on: the contact's own first, else the first
    of its mates (the other records of its mailbox) in id order; None when none has it."""
    if flag(contact):
        return contact
    return next((mate for mate in mates if flag(mate)), None)


def mailbox_status(records: Iterable[Contact]) -> ContactStatus | None:
    """The status the flags of these records of one mailbox give every record of it: do
    not contact if any has it, else no consent if any said no; None when none has either."""
    records = list(records)
    if any(record.do_not_contact for record in records):
        return ContactStatus.DO_NOT_CONTACT
    if any(record.consent == Consent.NO for record in records):
        return ContactStatus.NO_CONSENT
    return None


def _set_on(contact: Contact, record: Contact) -> str:
    """' (set on sven.olsen+beta@…)' when a flag comes from another record of the mailbox:
    the PM looking at this record would otherwise see a flag it does not show."""
    if record is contact or record.id == contact.id:
        return ""
    return f" (set on {record.email or f'contact #{record.id}'})"


def ledger_status(
    own: Sequence[LedgerTouch], policy: ContactPolicy, day: dt.date
) -> tuple[ContactStatus, dt.date | None]:
    """The status a contact's own ledger gives it on ``day`` (cooldown, touch cap), and the
    day it is free again: :func:`evaluate` without the explanations, for whole lists."""
    blocks = cooldown_blocks(own, policy) + touch_cap_blocks(own, policy)
    covering = [block for block in blocks if block.covers(day)]
    if not covering:
        return ContactStatus.FREE, None
    capped = any(block.rule == Rule.TOUCH_CAP for block in covering)
    status = ContactStatus.AT_CAP if capped else ContactStatus.COOLDOWN
    return status, first_free_day(day, blocks)


def _status(reasons: Sequence[Reason]) -> ContactStatus:
    rules = {reason.rule for reason in reasons}
    if Rule.DO_NOT_CONTACT in rules:
        return ContactStatus.DO_NOT_CONTACT
    if Rule.NO_CONSENT in rules:
        return ContactStatus.NO_CONSENT
    if rules & {Rule.TOUCH_CAP, Rule.COMPANY_CAP}:
        return ContactStatus.AT_CAP
    if Rule.COOLDOWN in rules:
        return ContactStatus.COOLDOWN
    return ContactStatus.FREE


def _named_touch(touches: Sequence[LedgerTouch], day: dt.date) -> LedgerTouch:
    """The touch a PM should hear about: the latest one up to ``day``, else the next one."""
    past = [touch for touch in touches if touch.day <= day]
    if past:
        return max(past, key=lambda touch: (touch.day, touch.touch_id or 0))
    return min(touches, key=lambda touch: (touch.day, touch.touch_id or 0))


def _explain(
    rule: Rule,
    blocks: Sequence[Block],
    day: dt.date,
    until: dt.date,
    policy: ContactPolicy,
    company: str | None,
) -> Reason:
    touches = [touch for block in blocks for touch in block.touches]
    named = _named_touch(touches, day)
    what = f"{label(named.purpose)}, {label(named.status)}"
    when = named.day.isoformat()
    # Blocked only by touches still to come (planned), the one named is the next, not the
    # last: 'last touched by Priya on 2026-12-20' read as a touch that had happened.
    last = "next" if named.day > day else "last"
    again = f"free again on {until.isoformat()}"
    if rule == Rule.COOLDOWN:
        longest = max(blocks, key=lambda block: (block.last, block.touches[0].day)).touches[0]
        what_long = f"{label(longest.purpose)}, {label(longest.status)}"
        if longest.day > day:
            message = (
                f"Cooldown: {longest.by} has a touch on {longest.day.isoformat()} ({what_long}); "
                f"no other touch within {policy.cooldown_days} days of it"
            )
        else:
            days = _cooldown_after(longest, policy)
            kind = "completed session" if _is_session(longest) else "touch"
            message = (
                f"Cooldown: {longest.by} touched them on {longest.day.isoformat()} "
                f"({what_long}); {days} quiet days after a {kind}"
            )
        if longest != named:
            latest = "last touched" if last == "last" else "next touch"
            message += f"; {latest} by {named.by} on {when} ({what})"
        message += f"; {again}."
    elif rule == Rule.TOUCH_CAP:
        group = max(blocks, key=lambda block: block.last).touches
        message = (
            f"Touch cap: {len(group)} touches between {group[0].day.isoformat()} and "
            f"{group[-1].day.isoformat()}, at most {policy.max_touches} in "
            f"{policy.touch_window_days} days ({last} by {named.by} on {when}, {what}); {again}."
        )
    else:
        group = max(blocks, key=lambda block: block.last).touches
        people = len({touch.contact_id for touch in group})
        # Touches still to come are planned, not made: 'touched between 2026-12-15 and
        # 2026-12-16' read as the past on 27 November.
        if group[0].day > day:
            touched = "have touches planned"
        elif group[-1].day > day:
            touched = "touched or planned"
        else:
            touched = "touched"
        message = (
            f"Company cap: {people} different contacts at {company or 'their company'} "
            f"{touched} between {group[0].day.isoformat()} and {group[-1].day.isoformat()}, "
            f"at most {policy.company_cap} in {policy.company_window_days} days "
            f"({last} by {named.by} on {when}, {what}); {again}."
        )
    return Reason(rule, message, named.by, named.day, named.purpose, until)
