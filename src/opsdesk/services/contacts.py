"""Contacts and the touch ledger: create and edit contacts, check them, log and plan touches.

Every touch passes the guardrails of :mod:`opsdesk.rules.eligibility` inside the same
``BEGIN IMMEDIATE`` transaction that writes it, so two PMs logging at the same moment cannot
both slip past a cap. A blocked touch raises :class:`ContactBlocked` with every reason,
unless an override reason is given: then the touch is written with the reason, who chose to
override, when, and which rules were broken.

Other areas call :func:`log_touch` (the feedback inbox closes the loop with it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from opsdesk.formatting import either
from opsdesk.rules.eligibility import (
    CompanyLedger,
    Eligibility,
    LedgerTouch,
    Reason,
    day_start,
    evaluate,
    future_touch_problem,
    ledger_touch,
    local_day,
)
from opsdesk.rules.mailbox import normalize_mailbox
from opsdesk.services.desk import Desk
from opsdesk.store.base import InvalidRecord
from opsdesk.store.contacts import LedgerRow
from opsdesk.vocabulary import TouchPurpose, TouchStatus, label

if TYPE_CHECKING:
    from opsdesk.models import Contact, Touch
    from opsdesk.store import Store

EDITABLE_FIELDS = (
    "name",
    "email",
    "company",
    "segment",
    "role",
    "consent",
    "do_not_contact",
    "dnc_reason",
    "relationship_owner",
    "notes",
)
"""What a person may change on a contact (forgetting and merging have their own actions)."""


class ContactError(InvalidRecord):
    """A contact request that cannot be done as asked; the message says why in one sentence."""


class ContactBlocked(Exception):
    """A guardrail refuses the touch; ``reasons`` says which rule, who, when, why, until when."""

    def __init__(self, contact: Contact, eligibility: Eligibility, purpose: TouchPurpose) -> None:
        self.contact = contact
        self.eligibility = eligibility
        self.purpose = purpose
        self.reasons: tuple[Reason, ...] = eligibility.reasons
        who = contact.email or contact.name or f"contact #{contact.id}"
        super().__init__(
            f"{who} cannot be contacted for {label(purpose.value)} on "
            f"{eligibility.day.isoformat()}: " + " ".join(r.message for r in self.reasons)
        )


# -- reading ------------------------------------------------------------------------------


def find_contact(desk: Desk, email: str) -> Contact | None:
    """The contact this address reaches (case and ``+tag`` folded; merged ones followed)."""
    return desk.store.contacts.by_email(email)


def known_company(desk: Desk, typed: str) -> str:
    """A company typed into a filter as it is stored ('parcelly' → 'Parcelly').

    A name no contact has is refused, offering the stored ones that hold what was typed:
    ``contacts list --company parcel`` said only 'No contacts match.', as if Parcelly had
    nobody (the inbox's filter refuses such a name the same way).
    """
    typed = typed.strip()
    names = desk.store.contacts.company_names(typed)
    if names:
        return names[0]
    wanted = typed.casefold()
    found = [name for name in desk.store.contacts.companies() if wanted in name.casefold()]
    hint = f"did you mean {either(found)}?" if found else "no contact's company is like it"
    raise ContactError(f"no contact has the company '{typed}' ({hint})")


def company_ledger(desk: Desk, company: str | None, day: dt.date) -> CompanyLedger | None:
    """The touches at ``company`` that can still matter for its cap on ``day`` or later."""
    if not company:
        return None
    window = desk.config.contacts.company_window_days
    since = day_start(day - dt.timedelta(days=window), desk.tz)
    rows = desk.store.touches.of_companies([company], since)
    return CompanyLedger(ledger_from_rows(rows, desk.tz), desk.config.contacts)


def ledger_from_rows(rows: Sequence[LedgerRow], tz: ZoneInfo) -> list[LedgerTouch]:
    """Touches read with their company, as the rules see them (local days)."""
    return [
        LedgerTouch(r.contact_id, local_day(r.at, tz), r.by, r.purpose, r.status, r.touch_id)
        for r in rows
    ]


def mailbox_mates(desk: Desk, contact_id: int) -> list[Contact]:
    """The other records of the contact's mailbox (none for nearly every contact).

    A ``+tag`` alias kept as a record of its own (from before new contacts were refused a
    mailbox already held) is the same person: its touches count for the cooldowns and caps,
    and its do-not-contact or "no" to research holds for every record of the mailbox.
    """
    return desk.store.contacts.mailbox_mates([contact_id]).get(contact_id, [])


def own_ledger(
    desk: Desk, contact_id: int, mates: Sequence[Contact] | None = None
) -> list[LedgerTouch]:
    """The contact's touches, and those of any other record of the same mailbox.

    Counted apart, an alias dodged every cooldown, and the eligible pool planned an
    interview with both of the demo's Sven Olsens on one day. ``mates`` (None: looked up)
    are the other records of the mailbox, when the caller has them already.
    """
    if mates is None:
        mates = mailbox_mates(desk, contact_id)
    ids = [contact_id, *(int(mate.id or 0) for mate in mates)]
    return [ledger_touch(t, desk.tz) for t in desk.store.touches.for_contacts(ids)]


def eligibility(
    desk: Desk,
    contact: Contact | None,
    *,
    day: dt.date | None = None,
    purpose: TouchPurpose | str = TouchPurpose.INTERVIEW,
) -> Eligibility:
    """May ``contact`` be touched on ``day`` (default today) for ``purpose``? With reasons."""
    day = day or desk.today()
    purpose = _purpose(purpose)
    if contact is None or contact.id is None:
        return evaluate(None, [], None, desk.config.contacts, day, purpose)
    mates = mailbox_mates(desk, contact.id)
    return evaluate(
        contact,
        own_ledger(desk, contact.id, mates),
        company_ledger(desk, contact.company, day),
        desk.config.contacts,
        day,
        purpose,
        mates,
    )


def check(
    desk: Desk,
    email: str,
    *,
    day: dt.date | None = None,
    purpose: TouchPurpose | str = TouchPurpose.INTERVIEW,
) -> tuple[Contact | None, Eligibility]:
    """The contact behind ``email`` (None: unknown, hence free) and whether it may be touched."""
    _check_address(email)
    contact = find_contact(desk, email)
    return contact, eligibility(desk, contact, day=day, purpose=purpose)


# -- contacts -----------------------------------------------------------------------------


def create_contact(desk: Desk, values: dict[str, Any]) -> Contact:
    """Add a contact; refused when another contact already has that mailbox."""
    data = _clean(values)
    with desk.store.write():
        _refuse_taken_mailbox(desk, data.get("email"), None)
        if "company" in data:
            data["company"] = CompanySpellings(desk.store).spell(data["company"])
        return desk.store.contacts.insert(desk.store.contacts.validate(data))


def edit_contact(desk: Desk, contact_id: int, changes: dict[str, Any]) -> Contact:
    """Change some fields of a contact; each change lands in history."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ContactError(f"{', '.join(sorted(unknown))}: cannot be edited here")
    data = _clean(changes)
    with desk.store.write():
        contact = desk.store.contacts.get(contact_id)
        if contact.forgotten:
            raise ContactError("this contact was forgotten; it cannot be edited")
        # Only a new mailbox is checked: the edit form sends the address back unchanged, and
        # a record kept sharing its mailbox (a +tag alias) could not be saved at all, not
        # even to mark it do-not-contact.
        if "email" in data and normalize_mailbox(data["email"]) != normalize_mailbox(contact.email):
            _refuse_taken_mailbox(desk, data["email"], contact_id)
        if "company" in data:
            data["company"] = CompanySpellings(desk.store).spell(data["company"])
        if data.get("do_not_contact") is False:
            data.setdefault("dnc_reason", None)
        return desk.store.contacts.update(contact_id, **data)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Trim text; an empty optional field is None (so 'no company' is stored as nothing)."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip() if name != "notes" else value
            if not value and name not in ("name", "notes"):
                value = None
        data[name] = value
    if data.get("notes") is None and "notes" in data:
        data["notes"] = ""
    return data


class CompanySpellings:
    """One spelling per company: a company written in another case than one already stored
    ("parcelly" for "Parcelly") is stored as that one.

    The company cap counts different contacts per company name, so a second spelling would
    be a second company, each with a cap of its own. The stored names are read once, on the
    first name asked for; an import asks for every row's through one of these.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: dict[str, str] | None = None

    def spell(self, company: str | None) -> str | None:
        """The stored spelling of ``company`` (already trimmed), or ``company`` itself."""
        if not company:
            return company
        if self._known is None:
            self._known = {}
            for stored in self.store.contacts.companies():
                self._known.setdefault(stored.casefold(), stored)
        return self._known.setdefault(company.casefold(), company)


def _refuse_taken_mailbox(desk: Desk, email: str | None, own_id: int | None) -> None:
    if not email:
        return
    _check_address(email)
    other = desk.store.contacts.by_email(email)
    if other is not None and other.id != own_id:
        who = other.name or other.email or f"#{other.id}"
        raise ContactError(f"{email} reaches the same mailbox as {who} ({other.email})")


def _check_address(email: str) -> None:
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or "." not in domain or " " in email.strip():
        raise ContactError(f"'{email}' is not an email address")


def _purpose(value: TouchPurpose | str) -> TouchPurpose:
    try:
        return TouchPurpose(value)
    except ValueError:
        known = ", ".join(p.value for p in TouchPurpose)
        raise ContactError(f"'{value}' is not a purpose ({known})") from None


def _status(value: TouchStatus | str) -> TouchStatus:
    try:
        return TouchStatus(value)
    except ValueError:
        known = ", ".join(s.value for s in TouchStatus)
        raise ContactError(f"'{value}' is not a touch status ({known})") from None


# -- touches ------------------------------------------------------------------------------


def log_touch(
    desk: Desk,
    email: str,
    by: str,
    purpose: TouchPurpose | str,
    *,
    channel: str = "email",
    at: dt.datetime | None = None,
    status: TouchStatus | str | None = None,
    follow_up_due: dt.date | None = None,
    feedback_id: int | None = None,
    experiment_id: int | None = None,
    launch_id: int | None = None,
    override_reason: str | None = None,
    name: str | None = None,
    company: str | None = None,
) -> Touch:
    """Record a touch with the person behind ``email``, creating the contact if it is new.

    The guardrails are checked for the day of ``at`` (default now) in the user's time zone.
    Raises :class:`ContactBlocked` (nothing written) when a rule refuses it and no
    ``override_reason`` is given; :class:`ContactError` for bad input.
    """
    _check_address(email)
    with desk.store.write():
        contact = find_contact(desk, email)
        if contact is None:
            data = _clean({"email": email, "name": name or "", "company": company})
            data["company"] = CompanySpellings(desk.store).spell(data["company"])
            contact = desk.store.contacts.insert(desk.store.contacts.validate(data))
        return add_touch(
            desk,
            int(contact.id or 0),
            by,
            purpose,
            channel=channel,
            at=at,
            status=status,
            follow_up_due=follow_up_due,
            feedback_id=feedback_id,
            experiment_id=experiment_id,
            launch_id=launch_id,
            override_reason=override_reason,
        )


def add_touch(
    desk: Desk,
    contact_id: int,
    by: str,
    purpose: TouchPurpose | str,
    *,
    channel: str = "email",
    at: dt.datetime | None = None,
    status: TouchStatus | str | None = None,
    follow_up_due: dt.date | None = None,
    feedback_id: int | None = None,
    experiment_id: int | None = None,
    launch_id: int | None = None,
    override_reason: str | None = None,
    pending: Sequence[LedgerTouch] = (),
) -> Touch:
    """Log or plan a touch with a known contact, checked against every guardrail.

    ``status`` defaults to *planned* for a later day and *sent* otherwise; a status that says
    the touch happened (sent, completed …) is refused for a later day. ``pending`` are
    touches being planned in the same action (an eligible pool), counted by the caps.
    """
    purpose = _purpose(purpose)
    at = at or desk.now()
    if at.tzinfo is None:
        raise ContactError("the time of a touch needs a time zone")
    day = local_day(at, desk.tz)
    if follow_up_due is not None and follow_up_due < day:
        raise ContactError(
            f"the follow-up is due before the touch itself ({follow_up_due.isoformat()} is "
            f"before {day.isoformat()}): it would be overdue the moment it is logged"
        )
    touch_status = (
        _status(status)
        if status
        else (TouchStatus.PLANNED if day > desk.today() else TouchStatus.SENT)
    )
    problem = future_touch_problem(touch_status, day, desk.today())
    if problem:
        raise ContactError(problem)
    reason = (override_reason or "").strip() or None
    with desk.store.write():
        contact = desk.store.contacts.get(contact_id)
        if contact.forgotten:
            raise ContactError("this contact was forgotten; nothing can be logged for it")
        contact = desk.store.contacts.resolve(contact)
        ledger = company_ledger(desk, contact.company, day)
        if ledger is not None:
            for touch in pending:
                ledger.add(touch)
        # Do-not-contact set on another record of the mailbox blocks this one too: a customer
        # who said "do not contact me" is not reached through their other address.
        mates = mailbox_mates(desk, int(contact.id or 0))
        verdict = evaluate(
            contact,
            own_ledger(desk, int(contact.id or 0), mates),
            ledger,
            desk.config.contacts,
            day,
            purpose,
            mates,
        )
        if not verdict.allowed and reason is None:
            raise ContactBlocked(contact, verdict, purpose)
        overridden = not verdict.allowed
        record = desk.store.touches.validate(
            {
                "contact_id": contact.id,
                "by": (by or "").strip(),
                "at": at,
                "channel": (channel or "email").strip() or "email",
                "purpose": purpose,
                "status": touch_status,
                "follow_up_due": follow_up_due,
                "override_reason": reason if overridden else None,
                "override_by": desk.user if overridden else None,
                "override_at": desk.now() if overridden else None,
                "override_rules": ", ".join(verdict.rules) if overridden else None,
                "feedback_id": feedback_id,
                "experiment_id": experiment_id,
                "launch_id": launch_id,
            }
        )
        return desk.store.touches.insert(record)


def set_touch_status(desk: Desk, touch_id: int, status: TouchStatus | str) -> Touch:
    """Move a touch along (planned → sent → completed …); the change lands in history.

    A touch planned for a later day cannot be marked as happened before that day comes.
    """
    new_status = _status(status)
    with desk.store.write():
        touch = desk.store.touches.get(touch_id)
        problem = future_touch_problem(new_status, local_day(touch.at, desk.tz), desk.today())
        if problem:
            raise ContactError(problem)
        return desk.store.touches.update(touch_id, status=new_status)


def close_follow_up(desk: Desk, touch_id: int) -> Touch:
    """Mark an open thread done: it leaves the follow-ups list."""
    with desk.store.write():
        touch = desk.store.touches.get(touch_id)
        if touch.closed_at is not None:
            return touch
        return desk.store.touches.update(touch_id, closed_at=desk.now())


def same_mailbox(a: str | None, b: str | None) -> bool:
    """Whether two addresses reach one mailbox."""
    return bool(a and b and normalize_mailbox(a) == normalize_mailbox(b))
