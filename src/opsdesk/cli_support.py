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


FIELD_OPTIONS: dict[str, tuple[str, ...]] = {
    "launch_date": ("--date", "--to"),
    "received_at": ("--received",),
    "customer_email": ("--customer",),
    "primary_metric": ("--metric",),
    "guardrail_metrics": ("--guardrail",),
    "planned_start": ("--start",),
    "planned_end": ("--end",),
    "follow_up_due": ("--follow-up",),
    "at": ("--date",),
}
"""The options that set a record's field where the two are not spelled alike: the store
names the field ('launch_date: …'), the person typed '--date' or '--to'."""

_FIELD_PREFIX = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")


def in_option_words(message: str, command: click.Command | None = None) -> str:
    """A store refusal in the words of the command that was run.

    A record's validation names each field ('launch_date: Thu 26 Nov 2026 has passed;
    title: cannot be empty'); the person typed options and arguments, so each field becomes
    the option or argument that sets it ('--date: …', 'TITLE: …'). A field the command does
    not set keeps its name, spelled as words ('customer email: …').
    """
    if command is None:
        context = click.get_current_context(silent=True)
        command = context.command if context is not None else None
    options: set[str] = set()
    arguments: dict[str, str] = {}
    for param in command.params if command is not None else []:
        if isinstance(param, click.Argument) and param.name:
            arguments[param.name] = param.human_readable_name
        else:
            options.update(param.opts)
    parts = []
    for part in message.split("; "):
        name, colon, text = part.partition(": ")
        if not colon or not _FIELD_PREFIX.fullmatch(name):
            parts.append(part)
            continue
        field = name.split(".")[0]
        wanted = (*FIELD_OPTIONS.get(field, ()), f"--{field.replace('_', '-')}")
        option = next((opt for opt in wanted if opt in options), None)
        if option is not None:
            name = option
        elif field in arguments:
            name = arguments[field]
        else:
            name = name.replace("_", " ")
        parts.append(f"{name}: {text}")
    return "; ".join(parts)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a person can cause into one clear sentence and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InvalidRecord as error:
            raise UserError(in_option_words(str(error))) from None
        except (StoreError, ConfigError, RecordNotFound) as error:
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


class WholeNumber(click.ParamType):
    """A whole number within bounds, refused in words: "'1.5' is not an id (a whole number
    such as 42)" and "0 is too small: ids start at 1", not click's "'1.5' is not a valid
    integer range" or "0 is not in the range 1<=x<=9223372036854775807"."""

    def __init__(self, low: int, high: int, *, name: str = "number") -> None:
        self.low, self.high, self.name = low, high, name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip().replace("_", "").replace(",", "")
            if not re.fullmatch(r"[+-]?\d+", text):
                if self.name == "id":
                    hint = "(a whole number such as 42)"
                else:
                    hint = f"({self.low:,} to {self.high:,})"
                self.fail(f"'{value}' is not {self._kind()} {hint}", param, ctx)
            number = int(text)
        if self.low <= number <= self.high:
            return number
        if self.name == "id":
            reason = f"ids start at {self.low}" if number < self.low else "no id is that large"
        else:
            reason = f"it must be {self.low:,} to {self.high:,}"
        self.fail(
            f"{number} is too {'small' if number < self.low else 'large'}: {reason}", param, ctx
        )

    def _kind(self) -> str:
        return "an id" if self.name == "id" else "a whole number"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str | None:
        """An argument keeps its own name (LAUNCH_ID); an option shows its bounds (1-4)."""
        if self.name == "id" or isinstance(param, click.Argument):
            return None
        return f"{self.low}-{self.high}"


class NamedArgument(click.Argument):
    """An argument whose errors call it by its name (STATUS), even when its usage line lists
    its choices: click named it by that list, "Invalid value for
    '{idea|designing|running|analyzing|concluded|abandoned}': 'runing' is not one of …"."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return f"'{(self.name or 'value').upper()}'"


RECORD_ID = WholeNumber(1, 2**63 - 1, name="id")
"""A record id as the CLI takes it: SQLite's ids are 64-bit, so a longer number is refused
with the range instead of failing deep in the store with an overflow."""

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
