"""``opsdesk export``: the calendar (.ics) and the Markdown reports, to a file or stdout.

Files are written whole (a reader never sees half of one) and private (0600); folders
opsdesk creates for them are 0700. ``-o -`` prints to stdout for pipes; what reaches a
terminal has its control characters made visible, like everything opsdesk shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from opsdesk.cli_support import (
    RECORD_ID,
    NamedArgument,
    UserError,
    WholeNumber,
    db_option,
    friendly,
    open_desk,
)
from opsdesk.services import reports
from opsdesk.services.ical_export import (
    INCLUDE_CHOICES,
    ExportError,
    IcalOptions,
    export_ical,
    export_ical_file,
    parse_include,
    resolve_function,
)

OUTPUT_HELP = "Write to this file ('-' for stdout). Created 0600."


def _output_file(output: str) -> Path:
    """The file ``-o`` names. An empty one (``-o "$OUT"`` with OUT unset) was read as the
    current folder and refused as '. is a folder', which pointed nowhere near the cause."""
    if not output.strip():
        raise UserError("-o is empty: name a file, or '-' for stdout")
    return Path(output).expanduser()


@click.group("export")
def export_group() -> None:
    """Export launch days, deadlines and follow-ups to a calendar, or a report to Markdown."""


@export_group.command("ical")
@click.option("-o", "--output", "output", default=None, help=OUTPUT_HELP + " [default: -]")
@click.option(
    "--include",
    default=",".join(INCLUDE_CHOICES),
    show_default=True,
    help="Which events, comma-separated: " + ", ".join(INCLUDE_CHOICES) + ".",
)
@click.option("--owner", default=None, help="Only records this person owns (any case).")
@click.option(
    "--function",
    "function",
    default=None,
    help="Only readiness deadlines of this function (legal, security, sales...; any case).",
)
@db_option
@click.pass_context
@friendly
def ical_command(
    ctx: click.Context,
    output: str | None,
    include: str,
    owner: str | None,
    function: str | None,
    db: Path | None,
) -> None:
    """Write an iCalendar (.ics) file that Google, Outlook, Apple, Thunderbird or khal import.

    Launch days and readiness deadlines are all-day events, experiments span their window
    with a readout on the last day, and open follow-ups sit on their due date. Importing a
    newer export updates the same events (stable UIDs; SEQUENCE goes up when dates move).
    """
    desk = open_desk(ctx, db)
    try:
        options = IcalOptions(
            include=parse_include(include),
            owner=owner,
            function=resolve_function(desk, function),
        )
        if output in (None, "-"):
            result = export_ical(desk, options)
            sys.stdout.buffer.write(result.data)
            sys.stdout.flush()
        else:
            result = export_ical_file(desk, _output_file(output), options)
            click.echo(f"Wrote {result.summary()} to {result.path}.", err=True)
    except ExportError as error:
        raise UserError(str(error)) from None


@export_group.command("markdown")
@click.argument("report", type=click.Choice(list(reports.REPORTS)), cls=NamedArgument)
@click.argument("record_id", metavar="[ID]", type=RECORD_ID, required=False)
@click.option("-o", "--output", "output", default=None, help=OUTPUT_HELP + " [default: -]")
@click.option(
    "--weeks",
    type=WholeNumber(1, 52),
    default=4,
    show_default=True,
    help="The digest looks this many weeks ahead for launches.",
)
@click.option(
    "--limit",
    type=WholeNumber(1, 10_000),
    default=50,
    show_default=True,
    help="At most this many themes or learnings.",
)
@db_option
@click.pass_context
@friendly
def markdown_command(
    ctx: click.Context,
    report: str,
    record_id: int | None,
    output: str | None,
    weeks: int,
    limit: int,
    db: Path | None,
) -> None:
    """Write a Markdown report: digest, launch ID, experiment ID, themes or learnings.

    The digest covers the last seven days and the launches ahead; a launch brief shows
    readiness by function, slips and go/no-go; an experiment readout its hypothesis,
    result and learnings. Tables are GitHub-flavoured; customer text is always literal.
    """
    desk = open_desk(ctx, db)
    request = reports.ReportRequest(report, record_id, weeks=weeks, limit=limit)
    try:
        text = reports.render(desk, request)
        if output in (None, "-"):
            click.echo(text, nl=False)
        else:
            path = reports.save(_output_file(output), text)
            click.echo(f"Wrote the {reports.REPORTS[report].lower()} to {path}.", err=True)
    except reports.ReportError as error:
        raise UserError(str(error)) from None
