"""Item 4 of the exports issue: every ``list`` command prints an array of records with --json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.demo import load_demo
from opsdesk.store import Store


def _commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    context = click.Context(group)
    for name in group.list_commands(context):  # as help lists them (areas load lazily)
        command = group.get_command(context, name)
        assert command is not None, name
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


LIST_COMMANDS = [path for path, _ in _commands(cli) if path[-1] == "list"]


def test_there_are_list_commands_in_every_area() -> None:
    assert {path[0] for path in LIST_COMMANDS} >= {
        "feedback",
        "launches",
        "contacts",
        "experiments",
    }


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import datetime as dt

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    clock = FrozenClock(dt.datetime(2026, 11, 26, 15, tzinfo=dt.UTC))
    with Store(path, clock=clock) as store:
        load_demo(store, clock.now().date())
    return path


@pytest.mark.parametrize("path", LIST_COMMANDS, ids=" ".join)
def test_every_list_command_prints_an_array_of_records(
    path: tuple[str, ...], demo_db: Path
) -> None:
    command: click.Command = cli
    for name in path:
        found = command.get_command(click.Context(command), name)  # type: ignore[attr-defined]
        assert found is not None, name
        command = found
    assert any("--json" in param.opts for param in command.params), f"{' '.join(path)} lacks --json"
    done = CliRunner().invoke(cli, [*path, "--json", "--db", str(demo_db)])
    assert done.exit_code == 0, done.output
    records = json.loads(done.stdout)
    assert isinstance(records, list) and records, f"{' '.join(path)} printed no records"
    assert all(isinstance(record, dict) and "id" in record for record in records)
