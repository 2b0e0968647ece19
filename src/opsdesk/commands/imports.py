"""``opsdesk import``: bring records in from files other tools export (all-or-nothing).

Each kind of record is a subcommand. A file with any bad row is refused as a whole, with
every problem and its line number, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import click

from opsdesk.cli_support import (
    command_db,
    db_option,
    echo_json,
    friendly,
    load_user_config,
    open_store,
)
from opsdesk.clock import SystemClock
from opsdesk.services.contact_import import import_contacts_file
from opsdesk.services.desk import Desk
from opsdesk.text import one_line


@click.group("import")
def import_group() -> None:
    """Import records from files other tools export (CSV); a bad row refuses the whole file."""


@import_group.command("contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON for scripts.")
@db_option
@click.pass_context
@friendly
def import_contacts(ctx: click.Context, file: Path, as_json: bool, db: Path | None) -> None:
    """Import contacts from a CRM's CSV export, matching existing ones on the mailbox.

    Headers such as 'Email Address', 'Account Name', 'Job Title' or 'Email Opt Out' are
    recognised; an empty cell never erases what opsdesk knows. Reports how many contacts
    were created, updated and unchanged.
    """
    config = load_user_config()
    store = open_store(command_db(ctx, db), config)
    ctx.call_on_close(store.close)
    report = import_contacts_file(Desk(store, config, SystemClock()), file)
    if as_json:
        echo_json(report.as_dict())
        return
    click.echo(f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged.")
    if report.ignored_columns:
        ignored = ", ".join(one_line(c, 40) for c in report.ignored_columns)
        click.echo(f"Ignored columns: {ignored}.", err=True)
