"""``opsdesk contacts``: check a customer before reaching out, log touches, list, forget.

The same services as the Contacts pane, so a script that logs a touch meets exactly the
guardrails a PM meets in the app. ``check`` exits 0 when the address is free to contact and
1 when a rule blocks it, so it can gate a mail-merge script.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from opsdesk.cli_support import (
    UserError,
    db_option,
    echo_json,
    friendly,
    open_desk,
)
from opsdesk.formatting import counted, local_date, local_datetime, words
from opsdesk.models import Contact, Touch
from opsdesk.rules.dates import DateParseError, parse_date_expression, parse_datetime_expression
from opsdesk.rules.eligibility import STATUS_LABELS, ContactStatus, Eligibility
from opsdesk.services import contacts as service
from opsdesk.services.contact_forget import forget_contact
from opsdesk.services.contact_status import statuses_for
from opsdesk.services.desk import Desk
from opsdesk.store.contacts import ContactFilter
from opsdesk.text import one_line
from opsdesk.vocabulary import TouchPurpose, TouchStatus

PURPOSES = [purpose.value for purpose in TouchPurpose]
STATUSES = [status.value for status in ContactStatus]
TOUCH_STATUSES = [status.value for status in TouchStatus]
PAGE = 500


def _day(text: str | None, desk: Desk, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_date_expression(text, desk.today())
    except DateParseError as error:
        raise UserError(f"{option}: {error}") from None


def _contact_data(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {
        "id": contact.id,
        "name": contact.name,
        "email": contact.email,
        "company": contact.company,
        "segment": contact.segment,
        "role": contact.role,
        "consent": contact.consent.value,
        "do_not_contact": contact.do_not_contact,
        "relationship_owner": contact.relationship_owner,
    }


def _reasons_text(verdict: Eligibility) -> list[str]:
    return [f"  - {one_line(reason.message, 400)}" for reason in verdict.reasons]


@click.group("contacts")
def contacts() -> None:
    """Research contacts: check before reaching out, log touches, list and forget people."""


@contacts.command("check")
@click.argument("email")
@click.option(
    "--purpose",
    type=click.Choice(PURPOSES),
    default="interview",
    show_default=True,
    help="Why you would reach out (feedback follow-ups are only blocked by do-not-contact).",
)
@click.option("--date", "when", default=None, help="The day you would reach out (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
@click.pass_context
@friendly
def check(
    ctx: click.Context,
    email: str,
    purpose: str,
    when: str | None,
    as_json: bool,
    db: Path | None,
) -> None:
    """Say whether EMAIL may be contacted: exit 0 when free, 1 with every reason when not.

    An address nobody has in the ledger is free. Addresses are matched as mailboxes:
    Ana+beta@Example.com is ana@example.com.
    """
    desk = open_desk(ctx, db)
    contact, verdict = service.check(desk, email, day=_day(when, desk, "--date"), purpose=purpose)
    if as_json:
        echo_json(
            {
                "email": email,
                "known": contact is not None,
                "contact": _contact_data(contact),
                **verdict.as_dict(),
            }
        )
    elif verdict.allowed:
        who = "nobody has it in the ledger" if contact is None else "no rule blocks it"
        click.echo(f"free: {one_line(email)} may be contacted on {verdict.day} ({who}).")
    else:
        click.echo(f"not free: {one_line(email)} — {verdict.summary()}:")
        for line in _reasons_text(verdict):
            click.echo(line)
    ctx.exit(0 if verdict.allowed else 1)


@contacts.command("log")
@click.argument("email")
@click.option("--by", "by", required=True, help="Who reached out (a person's name).")
@click.option("--purpose", type=click.Choice(PURPOSES), required=True, help="Why they reached out.")
@click.option("--channel", default="email", show_default=True, help="Email, call, video, …")
@click.option(
    "--date",
    "when",
    default=None,
    help="When: 'now' (default), 2026-11-20, yesterday, 'fri 14:00'; a later day plans it.",
)
@click.option(
    "--status",
    type=click.Choice(TOUCH_STATUSES),
    default=None,
    help=(
        "How it went (default: planned for a later day, sent otherwise); a later day can only "
        "be planned or scheduled."
    ),
)
@click.option("--follow-up", "follow_up", default=None, help="The day a follow-up is due.")
@click.option(
    "--override-reason",
    default=None,
    help="Record it even though a rule blocks it, and say why (kept with your name).",
)
@click.option("--name", default=None, help="The person's name, if the contact is new.")
@click.option("--company", default=None, help="Their company, if the contact is new.")
@db_option
@click.pass_context
@friendly
def log(
    ctx: click.Context,
    email: str,
    by: str,
    purpose: str,
    channel: str,
    when: str | None,
    status: str | None,
    follow_up: str | None,
    override_reason: str | None,
    name: str | None,
    company: str | None,
    db: Path | None,
) -> None:
    """Record a touch with EMAIL (creating the contact if it is new).

    Refused with exit 1 and every reason when a guardrail blocks it, unless
    --override-reason says why it must happen anyway.
    """
    desk = open_desk(ctx, db)
    at = None
    if when is not None:
        try:
            at = parse_datetime_expression(when, desk.now(), desk.tz)
        except DateParseError as error:
            raise UserError(f"--date: {error}") from None
    try:
        touch = service.log_touch(
            desk,
            email,
            by,
            purpose,
            channel=channel,
            at=at,
            status=status,
            follow_up_due=_day(follow_up, desk, "--follow-up"),
            override_reason=override_reason,
            name=name,
            company=company,
        )
    except service.ContactBlocked as blocked:
        click.echo(f"refused: {blocked.eligibility.summary()}; nothing was logged.", err=True)
        for line in _reasons_text(blocked.eligibility):
            click.echo(line, err=True)
        click.echo("Give --override-reason to record it anyway.", err=True)
        ctx.exit(1)
    click.echo(_logged(touch, email, desk))


def _logged(touch: Touch, email: str, desk: Desk) -> str:
    text = (
        f"Logged touch #{touch.id}: {words(touch.purpose)} with {one_line(email)} by "
        f"{one_line(touch.by)} on {local_datetime(touch.at, desk.tz)} ({words(touch.status)})."
    )
    if touch.override_reason:
        text += f" Overrode {words(touch.override_rules)}: {one_line(touch.override_reason)}."
    return text


@contacts.command("forget")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Confirm: erase the person; this cannot be undone.")
@db_option
@click.pass_context
@friendly
def forget(ctx: click.Context, email: str, yes: bool, db: Path | None) -> None:
    """Erase every personal field of the contact behind EMAIL, everywhere.

    Their touches stay on an anonymous placeholder, so company caps still count them. The
    database file is checked byte by byte afterwards: it no longer holds the address.
    """
    if not yes:
        raise UserError("forgetting cannot be undone; add --yes to confirm.")
    desk = open_desk(ctx, db)
    report = forget_contact(desk, email=email)
    merged = len(report.contact_ids) - 1
    kept = report.touches_kept
    # Worded as the app words it ('1 touches kept' and '0 touches kept' read as slips).
    click.echo(
        f"Forgot contact #{report.contact_ids[0]}"
        + (f" (and {merged} merged into it)" if merged else "")
        + ": personal fields erased; "
        + (
            f"{counted(kept, 'touch', 'touches')} kept on an anonymous placeholder."
            if kept
            else "they had no touches."
        )
    )
    file = report.file
    if file.checked and file.clean:
        click.echo("The database, -wal and -shm files no longer hold the address.")
    elif file.checked:
        click.echo(
            f"The address is still in {', '.join(file.still_found_in)}: another program holds "
            "the database open; close it and run this again.",
            err=True,
        )
        ctx.exit(1)
    for backup in file.backups:
        click.echo(f"warning: the backup {backup} still holds the address; delete it.", err=True)


@contacts.command("list")
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default=None,
    help="Only contacts with this status today.",
)
@click.option("--company", default=None, help="Only contacts at this company.")
@click.option("--search", default="", help="Only contacts matching these words.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
@click.pass_context
@friendly
def list_contacts(
    ctx: click.Context,
    status: str | None,
    company: str | None,
    search: str,
    as_json: bool,
    db: Path | None,
) -> None:
    """List contacts by name with their last and next touch and their status today (free,
    in cooldown, at cap, …)."""
    from opsdesk.services.contact_status import refresh_status_tables

    desk = open_desk(ctx, db)
    if status:
        refresh_status_tables(desk)
    repo = desk.store.contacts
    if company is not None:
        try:
            company = service.known_company(desk, company)
        except service.ContactError as error:
            raise UserError(f"--company: {error}") from None
    where = repo.where(ContactFilter(company=company, search=search, status=status))
    # The pane's Last touch column: the latest touch at or before now (one planned for
    # later is the next touch, not the last), read with each page, not per contact.
    touch_columns = desk.store.touches.last_touch_columns(desk.now())
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        page = repo.window(where, "name", limit=PAGE, after=after, extra_columns=touch_columns)
        if not page:
            break
        verdicts = statuses_for(desk, [row.record for row in page])
        for row in page:
            verdict = verdicts[int(row.record.id or 0)]
            rows.append(
                {
                    **(_contact_data(row.record) or {}),
                    "status": verdict.status.value,
                    "free_on": verdict.free_on.isoformat() if verdict.free_on else None,
                    "reasons": [r.message for r in verdict.reasons],
                    "last_touch": row.extra["last_touch"],
                    "next_touch": row.extra["next_touch"],
                    "touch_count": row.extra["touch_count"],
                }
            )
        after = page[-1].key
        if len(page) < PAGE:
            break
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No contacts match.", err=True)
        return
    _print_rows(rows, desk.tz)
    sys.stdout.flush()


def _print_rows(rows: list[dict[str, Any]], tz: ZoneInfo) -> None:
    """One line per contact. The address is never cut (it is what a person copies into a
    mail or a ``check``: 'jonathan.smithers-longname@enterpri…' was no use); its column is
    as wide as the longest one, and names and companies are cut at 30 and 24 characters.
    The last and next touch are days in the user's zone, as the pane shows them."""
    email_width = max(len(one_line(row["email"] or "", 400)) for row in rows)
    for row in rows:
        state = STATUS_LABELS[ContactStatus(row["status"])]
        if row["free_on"]:
            state += f", free again on {row['free_on']}"
        name = one_line(row["name"] or "(no name)", 30)
        email = one_line(row["email"] or "", 400)
        company = one_line(row["company"] or "", 24)
        touches = (
            f"last {_touch_day(row['last_touch'], tz)}  next {_touch_day(row['next_touch'], tz)}"
        )
        click.echo(f"{name:<30}  {email:<{email_width}}  {company:<24}  {touches}  {state}")


def _touch_day(stored: str | None, tz: ZoneInfo) -> str:
    """A touch's stored instant as its local day, '–' padded to a day's width for none."""
    return local_date(dt.datetime.fromisoformat(stored), tz) if stored else f"{'–':<10}"
