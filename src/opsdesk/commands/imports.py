"""``opsdesk import``: bring records in from files other tools export (all-or-nothing).

Each kind of record is a subcommand. Files are CSV (any delimiter, with or without a BOM)
or JSON Lines; columns are matched by their headers, and ``--map field=column`` overrides.
A file with any bad row is refused as a whole, with every problem and its line number, and
nothing is written. ``--dry-run`` checks a file and says what would happen.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from opsdesk.cli_support import (
    UserError,
    db_option,
    echo_json,
    friendly,
    open_desk,
)
from opsdesk.formatting import counted
from opsdesk.importers.contacts import HEADERS as CONTACT_HEADERS
from opsdesk.importers.feedback import HEADERS as FEEDBACK_HEADERS
from opsdesk.importers.tabular import TabularError, parse_overrides
from opsdesk.services.contact_import import ContactImportRefused, import_contacts_file
from opsdesk.services.feedback_import import ImportRefused, import_feedback_file
from opsdesk.services.import_summary import (
    column_lines,
    contact_counts,
    contact_preview,
    feedback_imported,
    feedback_preview,
    kept_do_not_contact,
)
from opsdesk.text import one_line

PROGRESS_FROM_LINES = 5_000
"""Files with more lines than this show a progress bar (on a terminal)."""
SHOWN_PROBLEMS = 50


def map_option(fields: Iterable[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--map``, its help naming every FIELD it takes: a file with odd headers is the one
    time --map is needed, and the names ('customer_email', 'received_at') were only learnt
    by guessing one wrong and reading the refusal."""
    return click.option(
        "--map",
        "mappings",
        multiple=True,
        metavar="FIELD=COLUMN",
        help=(
            "Read FIELD from COLUMN (repeatable); FIELD= leaves a field out. "
            f"Fields: {', '.join(fields)}."
        ),
    )


dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Check the file and show what would be imported; write nothing."
)


def _overrides(mappings: tuple[str, ...]) -> dict[str, str]:
    try:
        return parse_overrides(mappings)
    except TabularError as error:
        raise UserError(str(error)) from None


@contextmanager
def progress_bars(file: Path) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback that draws a bar per stage on stderr, for files over a few
    thousand lines, when stderr is a terminal (click would still print each bar's label into
    a log or a pipe). Reading and checking count rows; writing, one transaction, counts its
    steps (deadlines, rows, tags, indexes, full-text index, history, commit)."""
    shown = sys.stderr.isatty()
    lines = 0
    if shown:
        with file.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    bars: dict[str, Any] = {}
    labels = {"reading": "Reading ", "checking": "Checking", "writing": "Writing "}

    def report(stage: str, done: int, total: int) -> None:
        if not shown or lines < PROGRESS_FROM_LINES:
            return
        bar = bars.get(stage)
        if bar is None:
            finish()
            bar = click.progressbar(
                length=max(total, 1), label=labels.get(stage, stage), file=sys.stderr
            )
            bar.render_progress()
            bars[stage] = bar
        bar.update(max(0, min(done, bar.length) - bar.pos))

    closed: set[str] = set()

    def finish() -> None:
        for name, bar in bars.items():
            if name not in closed:
                bar.render_finish()
                closed.add(name)

    try:
        yield report
    finally:
        finish()


def _say_columns(mapping: dict[str, str], ignored: list[str]) -> None:
    """Which column each field was read from, and the columns left out, on stderr: a dry
    run's first question is whether 'Account Name' really became the company."""
    for line in column_lines(mapping, ignored):
        click.echo(line, err=True)


@click.group("import")
def import_group() -> None:
    """Import feedback or contacts from CSV or JSON Lines files; a bad row refuses the file."""


@import_group.command("feedback")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@map_option(FEEDBACK_HEADERS)
@dry_run_option
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "jsonl"]),
    default=None,
    help="The file's format (default: from its name and first character).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was imported as JSON.")
@db_option
@click.pass_context
@friendly
def import_feedback(
    ctx: click.Context,
    file: Path,
    mappings: tuple[str, ...],
    dry_run: bool,
    file_format: str | None,
    as_json: bool,
    db: Path | None,
) -> None:
    """Import feedback from a support desk's, survey tool's or CRM's export.

    Columns such as 'Subject', 'Description', 'Requester email', 'Organization', 'Created
    at', 'Tags', 'Channel' and 'Priority' (urgent/high/normal/low, P1-P4 or 1-4) are
    recognised. Every row is checked first: any bad row (a missing title, an impossible
    date) refuses the file, each problem is listed by line and column, nothing is written.
    Rows already in the inbox (same received time, title and customer e-mail) are skipped
    and counted, so overlapping weekly exports can be imported as they come.
    """
    desk = open_desk(ctx, db)
    overrides = _overrides(mappings)
    try:
        with progress_bars(file) as progress:
            report = import_feedback_file(
                desk,
                file,
                overrides=overrides,
                dry_run=dry_run,
                format=file_format,
                progress=progress,
            )
    except ImportRefused as refused:
        if as_json:
            echo_json({"imported": 0, "problems": [p.as_dict() for p in refused.problems]})
        for problem in refused.problems[:SHOWN_PROBLEMS]:
            click.echo(one_line(problem.sentence(), 300), err=True)
        if len(refused.problems) > SHOWN_PROBLEMS:
            click.echo(f"… and {len(refused.problems) - SHOWN_PROBLEMS} more.", err=True)
        raise UserError(one_line(str(refused), 300)) from None
    if as_json:
        echo_json(report.as_dict())
        return
    _say_columns(report.mapping, report.ignored_columns)
    if dry_run:
        for line in feedback_preview(report, desk.tz):
            click.echo(line)
        return
    click.echo(feedback_imported(report))


@import_group.command("contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@map_option(CONTACT_HEADERS)
@dry_run_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON for scripts.")
@db_option
@click.pass_context
@friendly
def import_contacts(
    ctx: click.Context,
    file: Path,
    mappings: tuple[str, ...],
    dry_run: bool,
    as_json: bool,
    db: Path | None,
) -> None:
    """Import contacts from a CRM's CSV export, matching existing ones on the mailbox.

    Headers such as 'Email Address', 'Account Name', 'Job Title' or 'Email Opt Out' are
    recognised; an empty cell never erases what opsdesk knows. Reports how many contacts
    were created, updated and unchanged.
    """
    desk = open_desk(ctx, db)
    overrides = _overrides(mappings)
    try:
        with progress_bars(file) as progress:
            report = import_contacts_file(
                desk, file, overrides=overrides, dry_run=dry_run, progress=progress
            )
    except ContactImportRefused as refused:
        if as_json:
            echo_json({"created": 0, "updated": 0, "unchanged": 0, "problems": refused.problems})
        _refuse_contacts(refused)
    if as_json:
        echo_json(report.as_dict())
        return
    _say_columns(report.mapping, report.ignored_columns)
    click.echo(contact_counts(report))
    if dry_run:
        for line in contact_preview(report):
            click.echo(line)
    warning = kept_do_not_contact(report)
    if warning:
        click.echo(warning, err=True)


def _refuse_contacts(refused: ContactImportRefused) -> NoReturn:
    """Each bad row on a line of its own, then how many, as a feedback import says them: the
    contacts import put its first ten problems on one line, ';' between them, and left out
    the rest, so the person fixing the file could not see which rows were still wrong."""
    problems = refused.problems
    if len(problems) < 2:
        raise UserError(one_line(str(refused), 300))
    for problem in problems[:SHOWN_PROBLEMS]:
        click.echo(one_line(problem, 300), err=True)
    if len(problems) > SHOWN_PROBLEMS:
        click.echo(f"… and {len(problems) - SHOWN_PROBLEMS:,} more.", err=True)
    raise UserError(
        f"nothing was imported: {counted(len(problems), 'bad row')} "
        f"({one_line(problems[0], 120)}; …)"
    )
