"""``opsdesk experiments``: add, list, move and check experiments from scripts.

The same services as the board: a move from here meets the same column guards, and adding an
experiment shows the similar past experiments and the running ones it would collide with.
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
    db_option,
    echo_json,
    friendly,
    in_option_words,
    open_desk,
)
from opsdesk.formatting import date_window, words
from opsdesk.models import Experiment
from opsdesk.rules.dates import DateParseError, parse_date_expression
from opsdesk.rules.experiments import GuardError
from opsdesk.rules.overlap import Conflict
from opsdesk.services import experiments as service
from opsdesk.services.desk import Desk
from opsdesk.services.experiments import AlreadyInColumn, BoardEdge
from opsdesk.store import InvalidRecord
from opsdesk.store.experiments import ExperimentFilter, Similar
from opsdesk.text import one_line, visible
from opsdesk.vocabulary import ExperimentDecision, ExperimentResult, ExperimentStatus

STATUSES = [status.value for status in ExperimentStatus]


def _trimmed(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A name or short value without the spaces around it: a shell quote picks them up
    easily (``--surface " web "``), and a stored ' web ' would not be found by ``--surface
    web``. Nothing but spaces is as if the option were not given. Prose (the hypothesis,
    learnings) is kept exactly as typed, as the forms keep it."""
    if value is None:
        return None
    text = value.strip()
    if text:
        return text
    return "" if param.default == "" else None


def _date(text: str | None, today: dt.date, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_date_expression(text, today)
    except DateParseError as error:
        raise UserError(f"{option}: {error}") from None


ADD_OPTIONS = {
    "hypothesis": "--hypothesis",
    "owner": "--owner",
    "team": "--team",
    "surface": "--surface",
    "audience": "--audience",
    "primary_metric": "--metric",
    "guardrail_metrics": "--guardrail",
    "planned_start": "--start",
    "planned_end": "--end",
}
"""The option that sets each field, for refusals: 'planned_end: …' named a field the
person never typed."""
MOVE_OPTIONS = {
    "planned_start": "--start",
    "planned_end": "--end",
    "primary_metric": "--metric",
    "result": "--result",
    "decision": "--decision",
    "learnings": "--learnings",
    "effect": "--effect",
}


def _refused(
    error: InvalidRecord, options: dict[str, str], window: tuple[Any, Any] = (None, None)
) -> UserError:
    """A store refusal in the command's words: each field named by the option that sets it
    ('--end: …'), and a window that ends before it starts with both its days."""
    parts = []
    for part in str(error).split("; "):
        name, colon, text = part.partition(": ")
        if not colon or name not in options:
            parts.append(part)
            continue
        start, end = window
        if name == "planned_end" and start is not None and end is not None:
            text = f"the planned end ({end}) is before the planned start ({start})"
        parts.append(f"{options[name]}: {text}")
    return UserError(in_option_words("; ".join(parts)))


def _as_data(experiment: Experiment, desk: Desk | None = None) -> dict[str, Any]:
    data = experiment.model_dump(mode="json")
    if desk is not None and experiment.id is not None:
        feedback, launches = desk.store.experiments.link_ids(experiment.id)
        data["linked_feedback"] = feedback
        data["linked_launches"] = launches
    return data


def _conflict_data(conflict: Conflict) -> dict[str, Any]:
    return {
        "reasons": [reason.value for reason in conflict.reasons],
        "why": conflict.describe_reasons(),
        "overlap": {
            "start": conflict.overlap.start.isoformat(),
            "end": conflict.overlap.end.isoformat() if conflict.overlap.end else None,
        },
        "experiments": [
            {
                "id": side.id,
                "title": side.title,
                "owner": side.owner,
                "team": side.team,
                "status": side.status.value,
                "window": side.window.describe(),
            }
            for side in (conflict.first, conflict.second)
        ],
    }


def _similar_data(found: Similar) -> dict[str, Any]:
    experiment = found.experiment
    return {
        "id": experiment.id,
        "title": experiment.title,
        "status": experiment.status.value,
        "result": experiment.result.value if experiment.result else None,
        "decision": experiment.decision.value if experiment.decision else None,
        "learnings": experiment.learnings,
    }


def _window(experiment: Experiment) -> str:
    """When it ran, else when it is planned: '2026-11-17 → 2026-12-08', '… → …' open."""
    start = experiment.actual_start or experiment.planned_start
    end = experiment.actual_end or experiment.planned_end
    if not start and not end:
        return ""
    return f"{start.isoformat() if start else '?'} → {end.isoformat() if end else '…'}"


LIST_WIDTHS = {"owner": 24, "surface": 20, "title": 70}
"""The most characters a column of ``experiments list`` takes; longer values are cut with …"""


def _table(found: list[Experiment]) -> list[str]:
    """``experiments list`` as aligned columns, as ``feedback list`` and ``contacts list``
    print theirs: each column as wide as its longest value (up to :data:`LIST_WIDTHS`), the
    title last so it is never padded. Each line used to run on from the title's end, so no
    two owners, surfaces or windows started under each other.
    """
    cells = [
        (
            f"#{experiment.id}",
            experiment.status.value,
            _window(experiment),
            one_line(experiment.owner or "", LIST_WIDTHS["owner"]),
            one_line(experiment.surface or "", LIST_WIDTHS["surface"]),
            one_line(experiment.title, LIST_WIDTHS["title"]),
        )
        for experiment in found
    ]
    widths = [max((len(row[column]) for row in cells), default=0) for column in range(5)]
    lines = []
    for row in cells:
        shown = [row[0].rjust(widths[0])]
        shown += [  # a column empty on every row (no surfaces at all) takes no room
            cell.ljust(width) for cell, width in zip(row[1:5], widths[1:], strict=True) if width
        ]
        lines.append("  ".join([*shown, row[5]]))
    return lines


@click.group("experiments")
def experiments() -> None:
    """Experiments: add them, list them, move them across the board and check for overlaps."""


@experiments.command("add")
@click.argument("title")
@click.option("--hypothesis", default="", help="We believe X will cause Y, measured by Z.")
@click.option(
    "--owner", callback=_trimmed, default=None, help="Who runs it (default: the configured user)."
)
@click.option("--team", callback=_trimmed, default=None, help="The team running it.")
@click.option(
    "--surface",
    callback=_trimmed,
    default=None,
    help="The product surface it changes, e.g. checkout.",
)
@click.option(
    "--audience", callback=_trimmed, default=None, help="Who sees it, e.g. smb, enterprise or all."
)
@click.option(
    "--metric",
    "primary_metric",
    callback=_trimmed,
    default=None,
    help="The primary metric it moves.",
)
@click.option(
    "--guardrail", "guardrails", multiple=True, help="A guardrail metric (repeat for more)."
)
@click.option("--start", default=None, help="Planned start: 2026-12-01, today, +3d, next monday.")
@click.option("--end", default=None, help="Planned end, in the same forms as --start.")
@click.option(
    "--status",
    type=click.Choice(["idea", "designing"]),
    default="idea",
    show_default=True,
    help="Where it starts on the board.",
)
@click.option(
    "--feedback", "feedback_ids", type=RECORD_ID, multiple=True, help="Link a feedback id."
)
@click.option("--launch", "launch_ids", type=RECORD_ID, multiple=True, help="Link a launch id.")
@click.option("--json", "as_json", is_flag=True, help="Print the new experiment as JSON.")
@db_option
@click.pass_context
@friendly
def add(
    ctx: click.Context,
    title: str,
    hypothesis: str,
    owner: str | None,
    team: str | None,
    surface: str | None,
    audience: str | None,
    primary_metric: str | None,
    guardrails: tuple[str, ...],
    start: str | None,
    end: str | None,
    status: str,
    feedback_ids: tuple[int, ...],
    launch_ids: tuple[int, ...],
    as_json: bool,
    db: Path | None,
) -> None:
    """Add an experiment, and show similar past ones and any it would collide with.

    Before you start: concluded and abandoned experiments that resemble this one are listed
    with their results and learnings, and running or planned experiments whose window overlaps
    on the same surface (or the same metric and audience) are named with their owners.
    """
    desk = open_desk(ctx, db)
    today = desk.today()
    fields: dict[str, Any] = {
        "title": title,
        "hypothesis": hypothesis,
        "owner": owner,
        "team": team,
        "surface": surface,
        "audience": audience,
        "primary_metric": primary_metric,
        "guardrail_metrics": [g.strip() for g in guardrails if g.strip()],
        "planned_start": _date(start, today, "--start"),
        "planned_end": _date(end, today, "--end"),
        "status": status,
    }
    try:
        saved = service.create(desk, feedback_ids=feedback_ids, launch_ids=launch_ids, **fields)
    except InvalidRecord as error:
        raise _refused(
            error, ADD_OPTIONS, (fields["planned_start"], fields["planned_end"])
        ) from None
    similar = service.similar(
        desk,
        title=saved.title,
        hypothesis=saved.hypothesis,
        surface=saved.surface,
        primary_metric=saved.primary_metric,
        exclude_id=saved.id,
    )
    clashes = service.conflicts(desk).involving(int(saved.id or 0))
    if as_json:
        data = _as_data(saved, desk)
        data["similar"] = [_similar_data(found) for found in similar]
        data["conflicts"] = [_conflict_data(pair) for pair in clashes]
        echo_json(data)
        return
    click.echo(f"Added experiment #{saved.id}: {one_line(saved.title)} ({saved.status.value}).")
    if similar:
        click.echo("Similar past experiments:", err=True)
        for found in similar:
            past = found.experiment
            outcome = past.result.value if past.result else past.status.value
            click.echo(f"  #{past.id} {one_line(past.title, 70)} ({outcome})", err=True)
            if past.learnings:
                click.echo(f"      {one_line(past.learnings, 160)}", err=True)
    for pair in clashes:
        other = pair.other(int(saved.id or 0))
        click.echo(
            f"Overlaps #{other.id} {one_line(other.title, 60)} "
            f"(owner: {one_line(other.owner or 'nobody', 40)}): "
            f"{one_line(pair.describe_reasons(), 200)}, "
            f"{pair.overlap.describe()}.",
            err=True,
        )


@experiments.command("list")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only this status.")
@click.option(
    "--team", callback=_trimmed, default=None, help="Only this team's experiments (any capitals)."
)
@click.option(
    "--surface",
    callback=_trimmed,
    default=None,
    help="Only experiments on this surface (any capitals).",
)
@click.option(
    "--search",
    callback=_trimmed,
    default="",
    help="Full-text search over title, hypothesis, learnings.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
@click.pass_context
@friendly
def list_command(
    ctx: click.Context,
    status: str | None,
    team: str | None,
    surface: str | None,
    search: str,
    as_json: bool,
    db: Path | None,
) -> None:
    """List experiments, running ones first (every status unless --status narrows it)."""
    desk = open_desk(ctx, db)
    repository = desk.store.experiments
    where = repository.where(
        ExperimentFilter(
            status=status, team=team, surface=surface, search=search, include_abandoned=True
        )
    )
    found: list[Experiment] = []
    after: tuple[Any, ...] | None = None
    while True:  # page by key: the list may be long
        rows = repository.window(where, "status", limit=500, after=after)
        found.extend(row.record for row in rows)
        if len(rows) < 500:
            break
        after = rows[-1].key
    if as_json:
        echo_json([_as_data(experiment, desk) for experiment in found])
        return
    for line in _table(found):
        click.echo(line)
    if not found:
        click.echo("No experiments match.", err=True)


@experiments.command("move")
@click.argument("experiment_id", type=RECORD_ID)
@click.argument("status", type=click.Choice(STATUSES), cls=NamedArgument)
@click.option("--start", default=None, help="Planned start, if the move needs one.")
@click.option(
    "--end", default=None, help="Planned end (e.g. when a new --start passes the old one)."
)
@click.option(
    "--metric", "primary_metric", callback=_trimmed, default=None, help="Primary metric, if needed."
)
@click.option(
    "--result",
    type=click.Choice([r.value for r in ExperimentResult]),
    default=None,
    help="The result, to conclude.",
)
@click.option(
    "--decision",
    type=click.Choice([d.value for d in ExperimentDecision]),
    default=None,
    help="The decision, to conclude.",
)
@click.option("--learnings", default=None, help="What was learned, to conclude.")
@click.option(
    "--effect",
    callback=_trimmed,
    default=None,
    help="The measured effect, e.g. '+4.1 pp (CI 2 to 6)'.",
)
@click.option("--reason", callback=_trimmed, default=None, help="Why, when moving to abandoned.")
@click.option("--json", "as_json", is_flag=True, help="Print the moved experiment as JSON.")
@db_option
@click.pass_context
@friendly
def move_command(
    ctx: click.Context,
    experiment_id: int,
    status: str,
    start: str | None,
    end: str | None,
    primary_metric: str | None,
    result: str | None,
    decision: str | None,
    learnings: str | None,
    effect: str | None,
    reason: str | None,
    as_json: bool,
    db: Path | None,
) -> None:
    """Move an experiment to another column, meeting that column's requirements.

    Running needs a planned start and a primary metric; concluded needs a result, a decision
    and learnings. Give what is missing as options. The actual start and end are stamped.
    Moving an experiment to the column it is already in changes nothing and says so (an
    error when fields to save were given with it).
    """
    if reason is not None and status != ExperimentStatus.ABANDONED.value:
        # Only abandoning keeps a reason (in the learnings): taken with another move, it was
        # dropped without a word, and the person thought it recorded.
        raise UserError(
            f"--reason is kept only when moving to abandoned, not to {status}; nothing moved"
        )
    desk = open_desk(ctx, db)
    extra: dict[str, Any] = {
        "planned_start": _date(start, desk.today(), "--start"),
        "planned_end": _date(end, desk.today(), "--end"),
        "primary_metric": primary_metric,
        "result": result,
        "decision": decision,
        "learnings": learnings,
        "effect": effect,
    }
    extra = {name: value for name, value in extra.items() if value is not None}
    try:
        if status == ExperimentStatus.ABANDONED.value:
            moved = service.abandon(desk, experiment_id, reason, **extra)
        else:
            moved = service.move(desk, experiment_id, status, **extra)
    except AlreadyInColumn as error:
        # Already where it was asked to be: fine for a script re-running a move, but not when
        # fields were given to save with it (they were not saved).
        if extra or (reason or "").strip():
            raise UserError(str(error)) from None
        click.echo(str(error), err=True)
        if as_json:
            echo_json(_as_data(error.experiment, desk))
        return
    except (GuardError, BoardEdge) as error:
        raise UserError(str(error)) from None
    except InvalidRecord as error:
        before = desk.store.experiments.get(experiment_id)
        window = (
            extra.get("planned_start", before.planned_start),
            extra.get("planned_end", before.planned_end),
        )
        raise _refused(error, MOVE_OPTIONS, window) from None
    if as_json:
        echo_json(_as_data(moved, desk))
        return
    click.echo(f"#{moved.id} {one_line(moved.title)} is now {moved.status.value}.")


@experiments.command("conflicts")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
@click.pass_context
@friendly
def conflicts_command(ctx: click.Context, as_json: bool, db: Path | None) -> None:
    """List running or planned experiments that overlap, with both owners.

    Two experiments collide when their windows share a day and they change the same surface,
    or read the same primary metric on the same audience.
    """
    desk = open_desk(ctx, db)
    pairs = service.conflicts(desk)
    if as_json:
        echo_json([_conflict_data(pair) for pair in pairs])
        return
    for pair in pairs:
        a, b = pair.first, pair.second
        click.echo(
            f"#{a.id} {one_line(a.title, 50)} ({one_line(a.owner or 'nobody', 30)}) × "
            f"#{b.id} {one_line(b.title, 50)} ({one_line(b.owner or 'nobody', 30)}): "
            f"{one_line(pair.describe_reasons(), 200)}, {pair.overlap.describe()}"
        )
    if not pairs:
        click.echo("No overlapping experiments.", err=True)


@experiments.command("show")
@click.argument("experiment_id", type=RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@db_option
@click.pass_context
@friendly
def show_command(ctx: click.Context, experiment_id: int, as_json: bool, db: Path | None) -> None:
    """Show one experiment as the board's detail does: overlaps, fields, the whole
    hypothesis and learnings, linked launches and feedback."""
    desk = open_desk(ctx, db)
    store = desk.store.experiments
    experiment = store.get(experiment_id)
    overlaps = service.conflicts(desk).involving(experiment_id)
    launches = store.linked_launches(experiment_id)
    feedback = store.linked_feedback(experiment_id)
    if as_json:
        echo_json(
            _as_data(experiment, desk)
            | {
                "conflicts": [_conflict_data(pair) for pair in overlaps],
                "launches": [
                    {"id": ln.id, "title": ln.title, "launch_date": ln.launch_date.isoformat()}
                    for ln in launches
                ],
                "feedback": [
                    {"id": item.id, "title": item.title, "company": item.company}
                    for item in feedback
                ],
            }
        )
        return
    click.echo(f"#{experiment.id} {one_line(experiment.title, 200)}")
    for pair in overlaps:
        other = pair.second if pair.first.id == experiment_id else pair.first
        click.echo(
            f"  overlaps #{other.id} {one_line(other.title, 60)} "
            f"({one_line(other.owner or 'nobody', 30)}): "
            f"{one_line(pair.describe_reasons(), 200)}, {pair.overlap.describe()}"
        )
    fields = [
        ("status", words(experiment.status)),
        ("owner", experiment.owner),
        ("team", experiment.team),
        ("surface", experiment.surface),
        ("audience", experiment.audience),
        ("primary metric", experiment.primary_metric),
        ("guardrails", ", ".join(experiment.guardrail_metrics)),
        ("planned", date_window(experiment.planned_start, experiment.planned_end) or ""),
        ("actual", date_window(experiment.actual_start, experiment.actual_end) or ""),
        ("result", words(experiment.result) if experiment.result else ""),
        ("effect", experiment.effect),
        ("decision", words(experiment.decision) if experiment.decision else ""),
    ]
    for label, value in fields:
        if value:
            click.echo(f"  {label + ':':<16} {one_line(value, 200)}")
    for heading, text in (
        ("Hypothesis", experiment.hypothesis),
        ("Learnings", experiment.learnings),
    ):
        if text:
            click.echo(f"\n{heading}")
            for line in visible(text.replace("\r\n", "\n")).split("\n"):
                click.echo(f"  {line}".rstrip())
    if launches:
        click.echo("\nLaunches")
        for launch in launches:
            click.echo(f"  #{launch.id} {one_line(launch.title, 80)} · {launch.launch_date}")
    if feedback:
        click.echo("\nFeedback")
        for item in feedback:
            who = f" · {one_line(item.company, 40)}" if item.company else ""
            click.echo(f"  #{item.id} {one_line(item.title, 80)}{who}")
