"""``opsdesk feedback``: quick capture from a shell or script, and the inbox's lists."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path

import click

from opsdesk.cli_support import (
    UserError,
    WholeNumber,
    db_option,
    echo_json,
    friendly,
    open_desk,
)
from opsdesk.formatting import local_date, words
from opsdesk.models import Feedback
from opsdesk.rules.dates import DateParseError, parse_date_expression
from opsdesk.services import feedback as inbox
from opsdesk.services.desk import Desk
from opsdesk.store.feedback import BUILTIN_VIEWS, FeedbackFilter, SavedView
from opsdesk.text import one_line
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
