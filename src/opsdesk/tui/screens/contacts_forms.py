"""The fields of the contact forms (new, edit, log or plan a touch) and their plumbing.

The forms are the shared :class:`~opsdesk.tui.screens.dialogs.FormScreen`; this module
only says which fields they have, turns a service's error into a message under the right
field, and turns the day a PM picked into the instant a touch is stored at.
"""

from __future__ import annotations

import datetime as dt

from opsdesk.formatting import words
from opsdesk.models import Contact
from opsdesk.services.desk import Desk
from opsdesk.tui.screens.dialogs import FormField
from opsdesk.vocabulary import Consent, TouchPurpose, TouchStatus

CONSENT_CHOICES = [(words(c), c.value) for c in Consent]
PURPOSE_CHOICES = [(words(p), p.value) for p in TouchPurpose]
STATUS_CHOICES = [(words(s), s.value) for s in TouchStatus]
FORM_FIELDS = {"at": "day"}
"""A record's field under the name of the form field that sets it, where the two differ."""


def contact_fields(contact: Contact | None) -> list[FormField]:
    """The new-contact form, or the edit form filled with ``contact``."""
    c = contact or Contact()
    return [
        FormField("name", "Name", required=True, initial=c.name or None),
        FormField("email", "Email", initial=c.email, placeholder="name@company.com"),
        FormField("company", "Company", initial=c.company),
        FormField("segment", "Segment", initial=c.segment, placeholder="enterprise, smb…"),
        FormField("role", "Role", initial=c.role),
        FormField(
            "consent",
            "Consent",
            kind="choice",
            choices=CONSENT_CHOICES,
            required=True,
            initial=c.consent.value,
            help="To research: 'no' blocks research touches, not replies to them.",
        ),
        FormField("do_not_contact", "Do not contact", kind="bool", initial=c.do_not_contact),
        FormField(
            "dnc_reason",
            "Why not",
            initial=c.dnc_reason,
            help="Shown to every PM who tries to reach them.",
        ),
        FormField(
            "relationship_owner",
            "Contact owner",
            initial=c.relationship_owner,
            help="Who owns the relationship (the account manager, say).",
        ),
        FormField("notes", "Notes", kind="multiline", initial=c.notes),
    ]


def purpose_field() -> FormField:
    """What a touch is for, an interview unless the PM picks another purpose."""
    return FormField(
        "purpose",
        "Purpose",
        kind="choice",
        choices=PURPOSE_CHOICES,
        required=True,
        initial=TouchPurpose.INTERVIEW.value,
    )


def touch_fields(user: str, day: dt.date, *, plan: bool) -> list[FormField]:
    """Log a touch (today, sent) or plan one (a later day, planned)."""
    return [
        FormField("by", "By", required=True, initial=user, help="Who reaches out."),
        purpose_field(),
        FormField("channel", "Channel", initial="email", placeholder="email, call, video…"),
        FormField("day", "Day", kind="date", required=True, initial=day),
        FormField(
            "status",
            "Status",
            kind="choice",
            choices=STATUS_CHOICES,
            initial=TouchStatus.PLANNED.value if plan else None,
            help="Empty: planned for a later day, sent otherwise.",
        ),
        FormField("follow_up_due", "Follow up by", kind="date"),
    ]


def touch_instant(desk: Desk, day: dt.date) -> dt.datetime:
    """Today means now; another day means 09:00 on that day in the user's time zone."""
    if day == desk.today():
        return desk.now()
    return dt.datetime.combine(day, dt.time(9), tzinfo=desk.tz).astimezone(dt.UTC)


def field_errors(error: Exception, default: str) -> dict[str, str]:
    """A service error as messages under fields: 'email: not an address' goes to email.

    A touch's instant (``at``) is picked on the form as its day, so its error shows there.
    """
    errors: dict[str, str] = {}
    for part in str(error).split("; "):
        name, sep, message = part.partition(": ")
        if sep and name.isidentifier():
            errors[FORM_FIELDS.get(name, name)] = message
        elif "mailbox" in part or "email" in part:
            errors["email"] = part
        elif "follow-up" in part:
            errors["follow_up_due"] = part
        else:
            errors[default] = part
    return errors
