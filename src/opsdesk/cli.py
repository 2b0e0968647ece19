"""The ``opsdesk`` command: a thin click group over the same store the TUI uses.

Bare ``opsdesk`` opens the TUI. Every command takes ``--db`` (or ``OPSDESK_DB``). Errors are
one sentence on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from opsdesk import __version__
from opsdesk.cli_support import (
    DEMO_ACTOR,
    PANE_CHOICES,
    UserError,
    command_db,
    db_option,
    friendly,
    load_user_config,
    open_store,
    say_upgrading,
)
from opsdesk.clock import SystemClock
from opsdesk.commands import LazyAreas
from opsdesk.config import (
    DEFAULT_USER,
    SET_USER_COMMAND,
    Config,
    effective_values,
    get_setting,
    set_setting,
)
from opsdesk.paths import config_path, demo_db_path
from opsdesk.store import Store


def _run_tui(store: Store, config: Config, pane: str) -> None:
    from opsdesk.tui.app import build_app

    build_app(store, config, pane=pane, db_label=str(store.path), remember_theme=True).run()


@click.group(
    cls=LazyAreas,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="opsdesk")
@db_option
@click.option(
    "--pane",
    type=click.Choice(PANE_CHOICES),
    default="today",
    show_default=True,
    help="The pane the TUI opens on.",
)
@click.pass_context
@friendly
def cli(ctx: click.Context, db: Path | None, pane: str) -> None:
    """opsdesk: launches, feedback, research contacts and experiments in one terminal.

    Run without a command to open the full-screen app.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is None:
        config = load_user_config()
        with open_store(db, config) as store:
            _run_tui(store, config, pane)


@cli.command()
@db_option
@click.option("--reset", is_flag=True, help="Delete the demo database and load it afresh.")
@click.option("--no-tui", is_flag=True, help="Only load the demo data; do not open the app.")
@click.option(
    "--pane", type=click.Choice(PANE_CHOICES), default="today", help="The pane to open on."
)
@click.pass_context
@friendly
def demo(ctx: click.Context, db: Path | None, reset: bool, no_tui: bool, pane: str) -> None:
    """Load the demo company into its own database and open the app on it.

    The demo lives in its own file (never your real database unless --db says so); its dates
    are relative to today, so it always looks current.
    """
    from opsdesk.demo import demo_is_loaded, load_demo

    config = load_user_config()
    path = command_db(ctx, db) or demo_db_path()
    if reset and path.exists():
        _remove_demo_file(path, config)
    store = Store(path, clock=SystemClock(), actor=DEMO_ACTOR, on_upgrade=say_upgrading)
    try:
        if not demo_is_loaded(store):
            today = store.clock.now().astimezone(config.tz).date()
            counts = load_demo(store, today, tz=config.tz)
            summary = ", ".join(f"{count} {table}" for table, count in counts.items())
            click.echo(f"Loaded the demo into {path}: {summary}.", err=True)
        store.actor = config.general.user
        if no_tui:
            click.echo(str(path))
        else:
            _run_tui(store, config, pane)
    finally:
        store.close()


def _remove_demo_file(path: Path, config: Config) -> None:
    """Delete a demo database, refusing any file that holds changes made outside the demo."""
    with Store(path, clock=SystemClock(), actor=config.general.user) as store:
        foreign = store.conn.execute(
            "SELECT count(*) FROM history WHERE actor != ?", (DEMO_ACTOR,)
        ).fetchone()[0]
    if foreign:
        raise UserError(
            f"{path} holds {foreign} changes made outside the demo; --reset will not delete it."
        )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@friendly
def info(ctx: click.Context, db: Path | None, as_json: bool) -> None:
    """Show the database path, schema version, integrity and how many rows each table holds."""
    config = load_user_config()
    with open_store(command_db(ctx, db), config) as store:
        problem = store.integrity_problem()
        if problem:
            raise UserError(problem)
        data = {
            "database": str(store.path),
            "schema_version": store.schema_version(),
            "read_only": store.read_only,
            "integrity": "ok",
            "counts": store.counts(),
        }
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"database:         {data['database']}")
    click.echo(f"schema version:   {data['schema_version']}")
    if store.read_only:
        click.echo("opened:           read-only")
    for table, count in data["counts"].items():
        click.echo(f"{table + ':':<18}{count:,}")


@cli.command("keys")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@friendly
def keys_command(as_json: bool) -> None:
    """List every key binding's id, default keys and action: the ids [keys] in the config remaps."""
    from opsdesk.tui.bindings import declared_bindings

    config = load_user_config()
    rows = [
        {
            "id": binding.binding_id,
            "keys": config.keys.get(binding.binding_id or "", binding.keys),
            "default": binding.keys,
            "where": binding.owner,
            "does": binding.description,
        }
        for binding in declared_bindings()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        remapped = "" if row["keys"] == row["default"] else f" (default {row['default']})"
        click.echo(f"{row['id']:<34} {row['keys'] + remapped:<24} {row['where']:<20} {row['does']}")


@cli.group("config", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
@friendly
def config_command(ctx: click.Context, as_json: bool) -> None:
    """Print where the config file lives and the effective settings (defaults included).

    'opsdesk config set KEY VALUE' changes one setting, 'opsdesk config get KEY' prints one.
    """
    if ctx.invoked_subcommand is not None:
        return
    path = config_path()
    config = load_user_config()
    values = effective_values(config)
    if as_json:
        click.echo(json.dumps({"path": str(path), "values": values}, indent=2))
        return
    state = "" if path.exists() else " (not created yet: every value below is a default)"
    click.echo(f"# config file: {path}{state}")
    if config.general.user == DEFAULT_USER:
        click.echo(f'# your changes are signed "{DEFAULT_USER}": {SET_USER_COMMAND}')
    click.echo(_toml_like(values))


@config_command.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("key")
@click.argument("value")
@friendly
def config_set(key: str, value: str) -> None:
    """Change one setting in the config file, e.g. 'opsdesk config set general.user "Priya
    Raman"' or 'contacts.cooldown_days 45'.

    The value is checked by the same rules as the file (a bad one changes nothing); lists take
    commas (mon,tue,wed). The file keeps its comments, and is created owner-only if missing.
    A value starting with '-' is a value, not an option: -3 is refused for being below 0.
    """
    path = config_path()
    written = set_setting(path, key, value)
    click.echo(f"{key} = {json.dumps(written, default=str, ensure_ascii=False)} in {path}")


@config_command.command("get")
@click.argument("key")
@friendly
def config_get(key: str) -> None:
    """Print the effective value of one setting (its default when the file leaves it out)."""
    value = get_setting(load_user_config(), key)
    click.echo(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def _toml_like(values: dict[str, Any], prefix: str = "") -> str:
    """A readable TOML-style listing of the effective settings."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in values.items():
        if isinstance(value, dict):
            tables.append((f"{prefix}{key}", value))
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    out = "\n".join(lines)
    for name, table in tables:
        inner = _toml_like(table, f"{name}.")
        out += f"\n\n[{name}]\n{inner}" if inner else f"\n\n[{name}]"
    return out.strip("\n")


def main() -> None:
    """Entry point for the ``opsdesk`` script."""
    try:
        cli(obj={})
    except KeyboardInterrupt:
        sys.exit(130)
