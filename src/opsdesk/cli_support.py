"""What every ``opsdesk`` command shares: ``--db``, the config, the store and clear errors.

Each area of the CLI (feedback, launches, contacts, experiments, exports) lives in its own
module under :mod:`opsdesk.commands` and uses these helpers, so every command behaves alike.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from opsdesk.clock import SystemClock
from opsdesk.config import Config, ConfigError, load_config
from opsdesk.paths import DB_ENV, config_path, default_db_path
from opsdesk.services.desk import Desk
from opsdesk.store import SCHEMA_VERSION, InvalidRecord, RecordNotFound, Store, StoreError
from opsdesk.store.store import is_disk_full
from opsdesk.text import visible

PANE_CHOICES = ("today", "launches", "feedback", "contacts", "experiments")
DEMO_ACTOR = "opsdesk-demo"


class UserError(click.ClickException):
    """A problem the user can fix, printed as one sentence.

    The sentence often quotes the user's file or record (a bad email, a title), so control
    characters are shown, never sent: an escape sequence in a CRM export must not retitle
    the terminal or hide a link in the error.
    """

    def format_message(self) -> str:
        return visible(self.message)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a person can cause into one clear sentence and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (StoreError, ConfigError, InvalidRecord, RecordNotFound) as error:
            raise UserError(str(error)) from None
        except BrokenPipeError:
            raise  # the reader of our output left: click exits quietly (status 1)
        except OSError as error:
            raise UserError(f"{error.filename or 'file'}: {error.strerror}") from None
        except sqlite3.OperationalError as error:
            if is_disk_full(error):
                raise UserError("The disk is full: nothing was saved.") from None
            raise

    return wrapper


RECORD_ID = click.IntRange(1, 2**63 - 1)
"""A record id as the CLI takes it: SQLite's ids are 64-bit, so a longer number is refused
by click with the range instead of failing deep in the store with an overflow."""

db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=DB_ENV,
    default=None,
    help=f"Database file (default: the user data folder; or set {DB_ENV}).",
)


def load_user_config() -> Config:
    return load_config(config_path())


def open_store(db: Path | None, config: Config) -> Store:
    return Store(
        db or default_db_path(),
        clock=SystemClock(),
        actor=config.general.user,
        on_upgrade=say_upgrading,
    )


def say_upgrading(path: Path, version: int, backup: Path) -> None:
    """Tell the person at the terminal why this start takes longer (to stderr, so JSON on
    stdout stays clean): a large database takes seconds to copy and upgrade."""
    click.echo(
        f"Upgrading {path} from schema {version} to {SCHEMA_VERSION}; the old file is kept "
        f"as {backup.name}. A large database takes a few seconds.",
        err=True,
    )


def open_desk(ctx: click.Context, db: Path | None) -> Desk:
    """The store (closed when the command ends), config and clock that a command works with."""
    config = load_user_config()
    store = open_store(command_db(ctx, db), config)
    ctx.call_on_close(store.close)
    return Desk(store, config, SystemClock())


def command_db(ctx: click.Context, db: Path | None) -> Path | None:
    """A command's own ``--db`` wins over the one given to ``opsdesk`` itself."""
    return db or (ctx.find_root().obj or {}).get("db")


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
"""Characters JSON may carry raw but a terminal must not see: DEL, C1 controls, bidi and
invisible characters (C0 controls are always escaped by ``json.dumps``)."""


def echo_json(data: Any) -> None:
    """Print data as JSON for scripts (dates as ISO text).

    Unsafe characters are written as ``\\uXXXX`` escapes: the data a script reads is the
    same, and printing the JSON to a terminal cannot steer it.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    click.echo(_JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text))
