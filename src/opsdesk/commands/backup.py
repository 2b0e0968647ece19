"""``opsdesk backup`` and ``opsdesk restore``: a consistent copy of the database, and back.

A backup uses SQLite's online backup, so it is safe while the app or another command is
writing. A restore refuses any file that is not an opsdesk database, and will not replace a
database that already exists unless ``--yes`` says so.
"""

from __future__ import annotations

from pathlib import Path

import click

from opsdesk.cli_support import (
    UserError,
    command_db,
    db_option,
    friendly,
    load_user_config,
    open_store,
    say_upgrading,
)
from opsdesk.paths import default_db_path
from opsdesk.store import Store
from opsdesk.store.backup import backup_to, check_backup, default_backup_path, restore_into


@click.command("backup")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.pass_context
@friendly
def backup(ctx: click.Context, file: Path | None, db: Path | None) -> None:
    """Copy the database to FILE (default: beside it, named with the time), readable by you only.

    Safe while the app is open: the copy is a consistent snapshot.
    """
    path = command_db(ctx, db) or default_db_path()
    if not path.exists():
        raise UserError(f"{path} does not exist; there is nothing to back up.")
    config = load_user_config()
    with open_store(path, config) as store:
        target = file or default_backup_path(path, store.clock.now())
        if target.resolve() == path.resolve():
            raise UserError(f"{target} is the database itself; choose another file.")
        backup_to(store, target)
    click.echo(str(target))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the existing database (it is backed up first).")
@db_option
@click.pass_context
@friendly
def restore(ctx: click.Context, file: Path, db: Path | None, yes: bool) -> None:
    """Put the backup FILE back as the database; refuses a file that is not an opsdesk one.

    An existing database is only replaced with --yes, and a backup of it is made first.
    """
    path = command_db(ctx, db) or default_db_path()
    if not file.exists():
        raise UserError(f"{file} does not exist.")
    check_backup(file)
    if path.exists() and file.resolve() == path.resolve():
        raise UserError(f"{file} is the database itself; nothing to restore.")
    existed = path.exists()
    if existed and not yes:
        raise UserError(f"{path} already exists; add --yes to replace it with {file}.")
    config = load_user_config()
    with open_store(path, config) as store:
        if existed:
            saved = backup_to(store, default_backup_path(path, store.clock.now()))
            click.echo(f"The previous database was saved as {saved}.", err=True)
        restore_into(file, store)
    # Reopening upgrades a backup made by an older opsdesk (with its own backup first).
    with Store(path, actor=config.general.user, on_upgrade=say_upgrading) as store:
        counts = store.counts()
    click.echo(
        f"Restored {file} into {path}: {counts['feedback']} feedback, "
        f"{counts['contacts']} contacts, {counts['launches']} launches, "
        f"{counts['experiments']} experiments."
    )
