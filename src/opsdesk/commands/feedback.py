"""``opsdesk feedback``: quick capture from a shell or script, and the inbox's lists."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from opsdesk.cli_support import (
    RECORD_ID,
    UserError,
    WholeNumber,
    db_option,
    echo_json,
    friendly,
    open_desk,
)
from opsdesk.formatting import deadline_day, local_date, local_datetime, words
from opsdesk.models import Change, Feedback
from opsdesk.rules.dates import DateParseError, parse_date_expression
from opsdesk.rules.sla import SlaState
from opsdesk.services import feedback as inbox
from opsdesk.services.desk import Desk
from opsdesk.store.feedback import BUILTIN_VIEWS, FeedbackFilter, SavedView
from opsdesk.text import one_line, visible
from opsdesk.vocabulary import FeedbackKind, FeedbackStatus

KINDS = [kind.value for kind in FeedbackKind]
STATUSES = [status.value for status in FeedbackStatus]
MAX_LIMIT = 100_000
"""The most rows one ``feedback list`` prints."""


@click.group()
def feedback() -> None:
    """Capture feedback and list the inbox's views from the command line."""


def _record(item: Feedback, desk: Desk) -> dict[str, object]:
    """An item as plain data for --json (all fields, dates as ISO text)."""
    data = item.model_dump(mode="json")
    data.update(desk.store.feedback.derived(int(item.id or 0)))
    return data


@feedback.command("add")
@click.argument("title")
@click.option("--body", default="", help="The feedback's text; '-' reads it from stdin.")
@click.option("--source", default="other", show_default=True, help="Where it came from.")
@click.option(
    "--kind", type=click.Choice(KINDS), default="request", show_default=True, help="Its kind."
)
@click.option(
    "--priority", type=WholeNumber(1, 4), default=3, show_default=True, help="1 (highest) to 4."
)
@click.option("--customer", help="The customer's email address.")
@click.option("--company", help="The customer's company.")
@click.option("--received", help="When it arrived: 2026-12-01, today, yesterday, -2d, fri …")
@click.option("--tag", "tags", multiple=True, help="A tag (theme); repeat for more.")
@click.option("--json", "as_json", is_flag=True, help="Print the new item as JSON.")
@db_option
@click.pass_context
@friendly
def add(
    ctx: click.Context,
    title: str,
    body: str,
    source: str,
    kind: str,
    priority: int,
    customer: str | None,
    company: str | None,
    received: str | None,
    tags: tuple[str, ...],
    as_json: bool,
    db: Path | None,
) -> None:
    """Capture one piece of feedback and print its id."""
    desk = open_desk(ctx, db)
    if body == "-":
        body = sys.stdin.read()
    received_at = None
    if received:
        try:
            day = parse_date_expression(received, desk.today())
        except DateParseError as error:
            raise UserError(str(error)) from None
        now_local = desk.now().astimezone(desk.tz)
        received_at = (
            desk.now()
            if day == now_local.date()
            else dt.datetime.combine(day, now_local.timetz()).astimezone(dt.UTC)
        )
    with desk.store:
        item = inbox.capture(
            desk,
            title=title,
            body=body,
            source=source,
            kind=kind,
            priority=priority,
            customer_email=customer,
            company=company,
            received_at=received_at,
            tags=list(tags),
        )
        if as_json:
            echo_json(_record(item, desk))
        else:
            click.echo(item.id)


@feedback.command("list")
@click.option(
    "--view",
    type=click.Choice(list(BUILTIN_VIEWS)),
    default="all",
    show_default=True,
    help="A built-in view.",
)
@click.option("--saved", help="A saved view's name (overrides --view).")
@click.option("--search", default="", help="Full-text search over titles and bodies.")
@click.option("--status", type=click.Choice(STATUSES), help="Only items with this status.")
@click.option("--kind", type=click.Choice(KINDS), help="Only items of this kind.")
@click.option("--owner", help="Only items this person owns (any case).")
@click.option("--company", help="Only items from this company (any case).")
@click.option("--tag", help="Only items with this tag (theme).")
@click.option(
    "--sort",
    type=click.Choice(["received", "priority", "sla", "demand"]),
    default="received",
    show_default=True,
    help="The order.",
)
@click.option(
    "--limit",
    type=WholeNumber(1, MAX_LIMIT),
    default=50,
    show_default=True,
    help="At most this many.",
)
@click.option("--json", "as_json", is_flag=True, help="Print an array of records.")
@db_option
@click.pass_context
@friendly
def list_command(
    ctx: click.Context,
    view: str,
    saved: str | None,
    search: str,
    status: str | None,
    kind: str | None,
    owner: str | None,
    company: str | None,
    tag: str | None,
    sort: str,
    limit: int,
    as_json: bool,
    db: Path | None,
) -> None:
    """Print the items of an inbox view, as a table or as JSON.

    --status, --kind, --owner, --company and --tag narrow it as the inbox's filter (f) does,
    on top of a saved view's own filters.
    """
    desk = open_desk(ctx, db)
    with desk.store:
        inbox.ensure_sla(desk)
        filters = FeedbackFilter(view=view, search=search)
        if saved:
            view_found = _saved_view(desk, saved)
            filters = FeedbackFilter(
                **{**view_found.filters.__dict__, "search": search or view_found.filters.search}
            )
            sort = view_found.sort
        filters = replace(filters, **_narrowed(desk, status, kind, owner, company, tag))
        try:
            items = inbox.list_items(desk, filters, sort, limit)
        except inbox.FeedbackError as error:
            raise UserError(str(error)) from None
        if as_json:
            echo_json([_record(item, desk) for item in items])
            return
        for item in items:
            # The SLA badge too: 'list --view sla_breached' printed rows without saying
            # which were breached and which merely due soon.
            badge = inbox.item_badge(desk, item) or ""
            click.echo(
                f"{item.id:>7}  {local_date(item.received_at, desk.tz)}  P{item.priority}  "
                f"{words(item.kind):<10}  {words(item.status):<8}  {badge:<8}  "
                f"{one_line(item.title, 70)}"
            )
        if not items:
            click.echo("(no items)", err=True)
        elif len(items) == limit:
            _say_what_was_left_off(desk, filters, limit)


def _narrowed(
    desk: Desk,
    status: str | None,
    kind: str | None,
    owner: str | None,
    company: str | None,
    tag: str | None,
) -> dict[str, str]:
    """The filters the options ask for, names as stored ('acme corp' → 'Acme Corp').

    The list printed only whole views: an ops manager's script could not ask for one
    company's bugs, which the inbox's filter gives. A name or tag no item has is refused,
    offering those that hold what was typed, rather than printing no rows.
    """
    wanted: dict[str, str] = {}
    if status:
        wanted["status"] = status
    if kind:
        wanted["kind"] = kind
    for column, typed in (("owner", owner), ("company", company), ("tag", tag)):
        if not typed or not typed.strip():
            continue
        try:
            if column == "tag":
                wanted[column] = inbox.stored_tag(desk, typed)
            else:
                wanted[column] = inbox.stored_name(desk, column, typed)
        except inbox.FeedbackError as error:
            raise UserError(f"--{column}: {error}") from None
    return wanted


def _saved_view(desk: Desk, name: str) -> SavedView:
    """The saved view called ``name``, in any case; otherwise a refusal that names the saved
    views there are ('Enterprise Bugs' or a typo was refused without a word of what to type).
    """
    views = desk.store.feedback.saved_views()
    wanted = name.strip()
    exact = [view for view in views if view.name == wanted]
    if exact:
        return exact[0]
    folded = [view for view in views if view.name.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    names = ", ".join(one_line(view.name, 40) for view in views)
    known = f"saved views: {names}" if views else "there are none; save one with V in the inbox"
    raise UserError(f"no saved view is called '{one_line(wanted, 80)}' ({known})")


def _say_what_was_left_off(desk: Desk, filters: FeedbackFilter, limit: int) -> None:
    """On stderr, how many items --limit left off: the first 50 of 6,000 read as the whole
    view. Stdout keeps only the rows, for scripts."""
    total = inbox.count_items(desk, filters)
    if total <= limit:
        return
    hint = (
        f"--limit {total} lists them all" if total <= MAX_LIMIT else f"--limit {MAX_LIMIT} at most"
    )
    click.echo(f"… and {total - limit:,} more of {total:,} ({hint})", err=True)


@feedback.command("views")
@click.option("--delete", "delete", metavar="NAME", help="Delete this saved view.")
@click.option("--json", "as_json", is_flag=True, help="Print an array of views.")
@db_option
@click.pass_context
@friendly
def views_command(ctx: click.Context, delete: str | None, as_json: bool, db: Path | None) -> None:
    """List the saved inbox views (what `list --saved NAME` shows), or delete one."""
    desk = open_desk(ctx, db)
    with desk.store:
        if delete is not None:
            if not desk.store.feedback.delete_view(delete.strip()):
                names = [view.name for view in desk.store.feedback.saved_views()]
                known = f"saved views: {', '.join(names)}" if names else "there are none"
                raise UserError(f"no saved view is called '{delete.strip()}' ({known})")
            click.echo(f"Deleted saved view '{one_line(delete.strip(), 80)}'", err=True)
            return
        views = desk.store.feedback.saved_views()
        if as_json:
            echo_json(
                [
                    {"name": view.name, "sort": view.sort, "filters": view.filters.to_dict()}
                    for view in views
                ]
            )
            return
        for view in views:
            shown = {key: value for key, value in view.filters.to_dict().items() if value}
            described = ", ".join(f"{key} {value}" for key, value in shown.items())
            name = one_line(view.name, 40)
            click.echo(f"{name:<40}  by {view.sort:<8}  {one_line(described, 80)}")
        if not views:
            click.echo("(no saved views; save one with V in the inbox)", err=True)


@feedback.command("show")
@click.argument("feedback_id", type=RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
@click.pass_context
@friendly
def show(ctx: click.Context, feedback_id: int, as_json: bool, db: Path | None) -> None:
    """Show one item as the inbox's detail does: its facts, customers, SLA, body and history.

    The list prints a title cut to 70 characters: the whole body, every customer (those of
    merged duplicates too) and what happened to the item were only in the app.
    """
    desk = open_desk(ctx, db)
    with desk.store:
        inbox.ensure_sla(desk)
        item = desk.store.feedback.get(feedback_id)
        detail = _detail(desk, item)
    if as_json:
        echo_json(detail)
        return
    _print_detail(desk, item, detail)


def _detail(desk: Desk, item: Feedback) -> dict[str, Any]:
    """Everything ``show`` prints, as plain data (the ``--json`` shape): the item's fields and
    derived columns, then customers, companies, merged duplicates, SLA and history."""
    store = desk.store.feedback
    record_id = int(item.id or 0)
    due = inbox.deadlines_for(desk, item)
    ack_state, decide_state = inbox.sla_states(desk, item)
    titles = desk.store.launches.titles()
    changes = desk.store.history.for_record("feedback", record_id, limit=HISTORY_LIMIT)
    return _record(item, desk) | {
        "launch_title": titles.get(item.launch_id) if item.launch_id else None,
        "customers": store.customers(record_id),
        "companies": store.companies(record_id),
        "duplicates": [
            {"id": dup.id, "title": dup.title, "customer_email": dup.customer_email}
            for dup in store.duplicates_of(record_id)
        ],
        "sla": {
            "acknowledge": {"due": due.acknowledge_by.isoformat(), "state": _state(ack_state)},
            "decide": {"due": due.decide_by.isoformat(), "state": _state(decide_state)},
        },
        "history": [_change_data(change, desk, titles) for change in changes],
    }


HISTORY_LIMIT = 1_000
"""The most history lines ``show`` prints, newest first (the detail panel shows 15)."""


def _state(state: SlaState | None) -> str | None:
    return state.value if state is not None else None


def _change_data(change: Change, desk: Desk, titles: dict[int, str]) -> dict[str, Any]:
    """One history line: the stored change and the words the inbox's detail shows for it."""
    return {
        "at": change.at.isoformat(),
        "actor": change.actor,
        "field": change.field,
        "old": change.old,
        "new": change.new,
        "words": inbox.change_words(change, desk.tz, titles),
    }


def _print_detail(desk: Desk, item: Feedback, detail: dict[str, Any]) -> None:
    """The detail in lines: every piece of customer text made visible (an ESC in a body
    must not clear the terminal), markup printed as typed."""
    tz = desk.tz
    click.echo(f"#{item.id} {one_line(item.title, 200)}")
    facts = [
        ("received", local_datetime(item.received_at, tz)),
        ("source", one_line(item.source, 60)),
        ("kind", words(item.kind)),
        ("priority", f"P{item.priority}"),
        ("status", words(item.status)),
        ("owner", one_line(item.owner or "–", 60)),
        ("tags", one_line(", ".join(item.tags), 200) or "–"),
        # One address a line, as the detail lists them: joined, hundreds ran on for pages.
        ("customers", f"\n  {'':<15} ".join(one_line(c, 200) for c in detail["customers"]) or "–"),
        ("companies", one_line(", ".join(detail["companies"]), 2_000) or "–"),
    ]
    if detail["launch_title"]:
        facts.append(("launch", f"#{item.launch_id} {one_line(detail['launch_title'], 80)}"))
    if item.duplicate_of:
        facts.append(("duplicate of", f"#{item.duplicate_of}"))
    for label, value in facts:
        click.echo(f"  {label + ':':<15} {value}")
    sla = detail["sla"]
    for what, done_word, at, by in (
        ("acknowledge", "acknowledged", item.acknowledged_at, item.acknowledged_by),
        ("decide", "decided", item.decided_at, item.decided_by),
    ):
        due = dt.datetime.fromisoformat(sla[what]["due"])
        state = f" ({sla[what]['state']})" if sla[what]["state"] else ""
        done = ""
        if at is not None:
            who = f" by {one_line(by, 40)}" if by else ""
            done = f"; {done_word}{who} on {local_datetime(at, tz)}"
        click.echo(f"  {what + ' by:':<15} {deadline_day(due, tz)}{state}{done}")
    if item.loop_closed_at:
        click.echo(f"  {'loop closed:':<15} {local_datetime(item.loop_closed_at, tz)}")
    if item.body:
        click.echo("")
        for line in visible(item.body.replace("\r\n", "\n")).split("\n"):
            click.echo(f"  {line}".rstrip())
    if detail["duplicates"]:
        click.echo(f"\nMerged duplicates ({len(detail['duplicates']):,})")
        for dup in detail["duplicates"]:
            email = f" ({one_line(dup['customer_email'], 80)})" if dup["customer_email"] else ""
            click.echo(f"  #{dup['id']} {one_line(dup['title'], 80)}{email}")
    if detail["history"]:
        click.echo("\nHistory")
        for change in detail["history"]:
            at = dt.datetime.fromisoformat(change["at"])
            click.echo(
                f"  {local_datetime(at, tz)} {one_line(change['actor'], 20)} {change['words']}"
            )
