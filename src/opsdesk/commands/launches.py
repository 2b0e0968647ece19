"""``opsdesk launches``: add, list, slip and sign off launches from scripts.

The same :class:`~opsdesk.services.launches.LaunchService` as the timeline: a launch added
here gets its tier's checklist, a slip asks for a reason and re-plans the open items, and a
sign-off needs evidence. Dates accept what the app's forms accept (``2026-12-01``, ``+3w``,
``fri``, ``next monday``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from opsdesk.cli_support import (
    RECORD_ID,
    NamedArgument,
    UserError,
    WholeNumber,
    command_db,
    db_option,
    echo_json,
    friendly,
    load_user_config,
    open_store,
)
from opsdesk.clock import SystemClock
from opsdesk.formatting import counted, words
from opsdesk.models import ReadinessSnapshot
from opsdesk.rules.dates import DateParseError, parse_date_expression
from opsdesk.services.desk import Desk
from opsdesk.services.launches import (
    LaunchDetail,
    LaunchService,
    LaunchView,
    OwedItem,
    SlipPreview,
    resumed,
)
from opsdesk.text import one_line
from opsdesk.vocabulary import GoDecision, LaunchStatus, ReadinessState

STATUSES = [status.value for status in LaunchStatus]
STATES = [state.value for state in ReadinessState]


def _service(ctx: click.Context, db: Path | None) -> LaunchService:
    config = load_user_config()
    store = open_store(command_db(ctx, db), config)
    ctx.call_on_close(store.close)
    return LaunchService(Desk(store, config, SystemClock()))


def _date(
    text: str, today: dt.date, option: str, *, offsets_from: dt.date | None = None
) -> dt.date:
    try:
        return parse_date_expression(text, today, offsets_from=offsets_from)
    except DateParseError as error:
        raise UserError(f"{option}: {error}") from None


def view_data(view: LaunchView) -> dict[str, Any]:
    """A launch as plain data: its fields, readiness %, risks and flags (for ``--json``).

    ``readiness_percent`` is null where the Ready column shows '–' or 'n/a' (cancelled, no
    checklist, every item not applicable): the same rule, :attr:`Assessment.shown_percent`.
    """
    data = view.launch.model_dump(mode="json")
    data |= {
        "readiness_percent": view.assessment.shown_percent,
        "items_done": view.assessment.done,
        "items_applicable": view.assessment.applicable,
        "items_total": view.assessment.total,
        "at_risk": view.assessment.at_risk,
        "risks": [
            {
                "item_id": risk.item.id,
                "kind": risk.kind.value,
                "function": risk.item.function,
                "title": risk.item.title,
                "due_date": risk.item.due_date.isoformat(),
            }
            for risk in view.assessment.risks
        ],
        "collisions": [
            {"launch_id": c.launch_id, "title": c.title, "launch_date": c.launch_date.isoformat()}
            for c in view.flags.collisions
        ],
        "blackouts": list(view.flags.blackouts),
    }
    return data


def _detail_data(detail: LaunchDetail) -> dict[str, Any]:
    data = view_data(detail.view)
    data["items"] = [
        item.model_dump(mode="json")
        | {"no_longer_possible": int(item.id or 0) in detail.impossible_ids}
        for item in detail.view.items
    ]
    data["slips"] = [slip.model_dump(mode="json") for slip in detail.slips]
    data["go_no_go"] = [decision.model_dump(mode="json") for decision in detail.decisions]
    return data


def _owed_data(owed: OwedItem) -> dict[str, Any]:
    return owed.item.model_dump(mode="json") | {
        "launch_title": owed.launch_title,
        "launch_date": owed.launch_date.isoformat(),
        "overdue": owed.overdue,
    }


def _percent(view: LaunchView) -> str:
    """The Ready column: '80%', '–' (cancelled, or no checklist) or 'n/a' (nothing owed)."""
    return view.assessment.cell()


def _snapshot_percent(snap: ReadinessSnapshot) -> str:
    """A go/no-go's readiness then: '60%', or '–' for a launch without items ('None%')."""
    return "–" if snap.percent is None else f"{snap.percent}%"


@click.group()
def launches() -> None:
    """Launches and their cross-functional readiness: add, list, slip, sign off, decide."""


@launches.command("add")
@click.argument("title")
@click.option("--date", "date_text", required=True, help="Launch date: 2026-12-01, +3w, fri...")
@click.option("--tier", type=WholeNumber(1, 3), required=True, help="Tier 1 (big) to 3.")
@click.option("--owner", default=None, help="Who owns the launch (a PM's name).")
@click.option("--audience", default=None, help="Who it is for: all, enterprise, smb...")
@click.option("--summary", default="", help="What is launching and why.")
@click.option("--json", "as_json", is_flag=True, help="Print the launch and its items as JSON.")
@db_option
@click.pass_context
@friendly
def add(
    ctx: click.Context,
    title: str,
    date_text: str,
    tier: int,
    owner: str | None,
    audience: str | None,
    summary: str,
    as_json: bool,
    db: Path | None,
) -> None:
    """Add a launch with its tier's readiness checklist, each item due its lead time before."""
    service = _service(ctx, db)
    launch_date = _date(date_text, service.today(), "--date")
    launch, items = service.create(
        title, launch_date, tier, owner=owner, summary=summary, audience=audience
    )
    if as_json:
        echo_json(
            launch.model_dump(mode="json") | {"items": [i.model_dump(mode="json") for i in items]}
        )
        return
    click.echo(
        f"Added launch #{launch.id} '{one_line(launch.title, 80)}' on {launch.launch_date} "
        f"(tier {launch.tier}) with {counted(len(items), 'readiness item')}."
    )
    for item in items:
        click.echo(f"  {item.due_date}  {words(item.function):<17} {one_line(item.title, 60)}")


@launches.command("list")
@click.option(
    "--sort",
    type=click.Choice(["date", "risk", "title"]),
    default="date",
    show_default=True,
    help="Order: by launch date, most at risk first, or by title.",
)
@click.option("--open", "open_only", is_flag=True, help="Leave out launched and cancelled ones.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
@click.pass_context
@friendly
def list_command(
    ctx: click.Context, sort: str, open_only: bool, as_json: bool, db: Path | None
) -> None:
    """List launches with their readiness % and risks."""
    service = _service(ctx, db)
    views = service.all_views(sort, include_closed=not open_only)
    if as_json:
        echo_json([view_data(view) for view in views])
        return
    if not views:
        click.echo("No launches.")
        return
    for view in views:
        launch = view.launch
        risk = f"AT RISK ({len(view.assessment.risks)})" if view.assessment.at_risk else ""
        flags = " ".join(
            (["collision"] if view.flags.collisions else [])
            + (["blackout"] if view.flags.blackouts else [])
        )
        click.echo(
            f"#{launch.id:<5} {launch.launch_date}  T{launch.tier}  {words(launch.status):<11} "
            f"{_percent(view):>5}  {one_line(launch.title, 50):<50} {risk} {flags}".rstrip()
        )


@launches.command("show")
@click.argument("launch_id", type=RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
@click.pass_context
@friendly
def show(ctx: click.Context, launch_id: int, as_json: bool, db: Path | None) -> None:
    """Show one launch: readiness items, risks, flags, slips and go/no-go decisions."""
    detail = _service(ctx, db).detail(launch_id)
    if as_json:
        echo_json(_detail_data(detail))
        return
    view = detail.view
    launch = view.launch
    click.echo(f"#{launch.id} {one_line(launch.title, 100)}")
    click.echo(
        f"  {launch.launch_date} · tier {launch.tier} · {words(launch.status)} · "
        f"owner {one_line(launch.owner or '–', 40)} · "
        f"audience {one_line(launch.audience or '–', 30)}"
    )
    click.echo(f"  readiness {view.assessment.words()}")
    for risk in view.assessment.risks:
        click.echo(f"  risk: {one_line(risk.sentence(), 120)}")
    for sentence in view.flags.sentences():
        click.echo(f"  flag: {one_line(sentence, 120)}")
    for item in view.items:
        late = " NO LONGER POSSIBLE" if int(item.id or 0) in detail.impossible_ids else ""
        click.echo(
            f"  [{item.id}] {item.due_date} {words(item.function):<17} {words(item.state):<14} "
            f"{one_line(item.title, 50)} ({one_line(item.owner or 'unowned', 30)}){late}"
        )
    for slip in detail.slips:
        click.echo(
            f"  slipped {slip.old_date} → {slip.new_date} by {one_line(slip.by, 30)}: "
            f"{one_line(slip.reason, 80)}"
        )
    for decision in detail.decisions:
        click.echo(
            f"  {words(decision.decision).upper()} by {one_line(decision.by, 30)} at "
            f"{decision.at:%Y-%m-%d %H:%M} UTC ({_snapshot_percent(decision.snapshot)} ready)"
        )


@launches.command("slip")
@click.argument("launch_id", type=RECORD_ID)
@click.option(
    "--to",
    "to_text",
    required=True,
    help=(
        "The new launch date: 2027-01-11, fri, next monday; +2w, -3d count from the "
        "launch's current date (+1w is a week later than planned)."
    ),
)
@click.option("--reason", required=True, help="Why the date moves (kept with the slip).")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Only say what would move (open items, those no longer possible, collisions).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the slip as JSON.")
@db_option
@click.pass_context
@friendly
def slip(
    ctx: click.Context,
    launch_id: int,
    to_text: str,
    reason: str,
    dry_run: bool,
    as_json: bool,
    db: Path | None,
) -> None:
    """Move a launch's date for a reason; open readiness items move with it."""
    service = _service(ctx, db)
    planned = service.store.launches.get(launch_id).launch_date
    new_date = _date(to_text, service.today(), "--to", offsets_from=planned)
    if dry_run:
        _print_preview(service.preview_slip(launch_id, new_date), as_json)
        return
    result = service.slip(launch_id, new_date, reason)
    if as_json:
        echo_json(
            result.slip.model_dump(mode="json")
            | {
                "no_longer_possible": [i.model_dump(mode="json") for i in result.impossible],
                "not_working_day": result.not_working,
            }
        )
        return
    click.echo(
        f"Moved #{launch_id} from {result.slip.old_date} to {result.slip.new_date}; "
        f"{counted(len(result.moved), 'open item')} re-planned."
    )
    if result.not_working:
        click.echo(f"  note: {result.not_working}")
    for item in result.impossible:
        click.echo(
            f"  no longer possible: {words(item.function)} · {one_line(item.title, 60)} "
            f"(due {item.due_date})"
        )


def _print_preview(preview: SlipPreview, as_json: bool) -> None:
    """A dry run's answer: what the slip would do; a slip that would be refused fails as
    the slip itself would (the reason on stderr, exit 1)."""
    if preview.refusal:
        raise UserError(f"launch_date: {preview.refusal}")
    if as_json:
        echo_json(
            {
                "launch_id": preview.launch.id,
                "old_date": preview.launch.launch_date.isoformat(),
                "new_date": preview.new_date.isoformat(),
                "moved_items": [
                    {
                        "id": after.id,
                        "function": after.function,
                        "title": after.title,
                        "old_due_date": before.due_date.isoformat(),
                        "new_due_date": after.due_date.isoformat(),
                    }
                    for before, after in preview.moved
                ],
                "no_longer_possible": [int(item.id or 0) for item in preview.impossible],
                "flags": preview.flags.sentences(),
                "not_working_day": preview.not_working,
            }
        )
        return
    click.echo(
        f"Dry run: moving #{preview.launch.id} to {preview.new_date}: "
        f"{one_line(preview.headline(), 200)}."
    )
    for line in preview.lines():
        click.echo(f"  {one_line(line, 160)}")
    click.echo("Nothing written.")


@launches.command("item")
@click.argument("item_id", type=RECORD_ID)
@click.option("--state", type=click.Choice(STATES), default=None, help="The item's new state.")
@click.option("--evidence", default=None, help="A link or note; required to mark it done.")
@click.option("--owner", default=None, help="Give the item to this person ('' for nobody).")
@click.option("--json", "as_json", is_flag=True, help="Print the item as JSON.")
@db_option
@click.pass_context
@friendly
def item_command(
    ctx: click.Context,
    item_id: int,
    state: str | None,
    evidence: str | None,
    owner: str | None,
    as_json: bool,
    db: Path | None,
) -> None:
    """Change a readiness item's state (done needs --evidence) or owner."""
    service = _service(ctx, db)
    if state is None and owner is None:
        raise UserError("say what to change: --state, --owner or both.")
    with service.store.write():
        item = service.store.readiness.get(item_id)
        if owner is not None:
            item = service.reown_item(item_id, owner)
        if state is not None:
            item = service.set_item_state(item_id, state, evidence)
    if as_json:
        echo_json(item.model_dump(mode="json"))
        return
    signed = f", signed off by {item.signed_off_by}" if item.signed_off_by else ""
    click.echo(
        f"Item #{item.id} ({words(item.function)}) is {words(item.state)}, "
        f"owned by {one_line(item.owner or 'nobody', 40)}{signed}."
    )


@launches.command("decide")
@click.argument("launch_id", type=RECORD_ID)
@click.argument("decision", type=click.Choice(["go", "no-go"]), cls=NamedArgument)
@click.option("--note", default="", help="What the decision rests on, or its conditions.")
@click.option("--json", "as_json", is_flag=True, help="Print the decision and snapshot as JSON.")
@db_option
@click.pass_context
@friendly
def decide(
    ctx: click.Context, launch_id: int, decision: str, note: str, as_json: bool, db: Path | None
) -> None:
    """Record a go/no-go decision with a snapshot of the launch's readiness now."""
    service = _service(ctx, db)
    record = service.decide(launch_id, GoDecision(decision.replace("-", "_")), note)
    if as_json:
        echo_json(record.model_dump(mode="json"))
        return
    snap = record.snapshot
    percent = _snapshot_percent(snap)
    risk = f", {counted(len(snap.risks), 'risk')}" if snap.at_risk else ""
    back = " It had slipped: it is in progress again." if resumed(record) else ""
    click.echo(f"Recorded {decision.upper()} for #{launch_id} at {percent} readiness{risk}.{back}")


@launches.command("owes")
@click.argument("function")
@click.option(
    "--weeks",
    type=WholeNumber(1, 104),
    default=4,
    show_default=True,
    help="How many weeks ahead to look (overdue work is always included).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
@click.pass_context
@friendly
def owes(ctx: click.Context, function: str, weeks: int, as_json: bool, db: Path | None) -> None:
    """What one function (legal, security...) owes launches in the next N weeks."""
    service = _service(ctx, db)
    function = function.strip().lower().replace(" ", "_")
    owed = service.owed(function, weeks)
    if as_json:
        echo_json([_owed_data(entry) for entry in owed])
        return
    until = service.owed_until(weeks)
    click.echo(f"{words(function).capitalize()} owes {counted(len(owed), 'item')} due by {until}:")
    for entry in owed:
        item = entry.item
        late = "  OVERDUE" if entry.overdue else ""
        click.echo(
            f"  {item.due_date}  {one_line(item.title, 40):<40} "
            f"{one_line(entry.launch_title, 36):<36} ({entry.launch_date})  "
            f"{one_line(item.owner or 'unowned', 24)} · {words(item.state)}{late}"
        )
