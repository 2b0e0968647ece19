"""The CLI contract: help on every command, --db everywhere, info, config, demo, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from opsdesk import __version__
from opsdesk.cli import cli


def _commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = [(prefix, group)]
    context = click.Context(group)
    for name in group.list_commands(context):  # as help lists them (areas load lazily)
        command = group.get_command(context, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
        else:
            found.append(((*prefix, name), command))
    return found


@pytest.mark.parametrize(
    ("path", "command"), _commands(cli), ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_has_real_help(path: tuple[str, ...], command: click.Command) -> None:
    assert command.help and len(command.help.strip()) > 20, f"opsdesk {' '.join(path)} lacks help"
    for param in command.params:
        if (
            isinstance(param, click.Option)
            and not param.hidden
            and param.name not in {"help", "version"}
        ):
            assert param.help, f"option {param.opts} of opsdesk {' '.join(path)} lacks help"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_every_command_accepts_db() -> None:
    for path, command in _commands(cli):
        if path and path[0] in {"config", "keys"}:
            continue  # about the config file and the key bindings, not a database
        if isinstance(command, click.Group) and path:
            continue
        names = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert "--db" in names, f"opsdesk {' '.join(path)} does not take --db"


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_info_json_counts_tables(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["info", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["database"] == str(db)
    assert data["schema_version"] >= 1
    for table in (
        "launches",
        "feedback",
        "contacts",
        "experiments",
        "touches",
        "people",
        "history",
    ):
        assert data["counts"][table] == 0


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("OPSDESK_DB", str(db))
    result = CliRunner().invoke(cli, ["info", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["database"] == str(db)
    assert db.exists()


def test_demo_loads_into_its_own_file_and_counts(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--no-tui", "--db", str(db)])
    assert result.exit_code == 0, result.output
    counts = json.loads(runner.invoke(cli, ["info", "--db", str(db), "--json"]).output)["counts"]
    assert counts["feedback"] >= 200 and counts["launches"] >= 10
    # Loading again does not duplicate; --reset reloads afresh.
    runner.invoke(cli, ["demo", "--no-tui", "--db", str(db)])
    again = json.loads(runner.invoke(cli, ["info", "--db", str(db), "--json"]).output)["counts"]
    assert again["feedback"] == counts["feedback"]
    result = runner.invoke(cli, ["demo", "--no-tui", "--reset", "--db", str(db)])
    assert result.exit_code == 0, result.output
    reset = json.loads(runner.invoke(cli, ["info", "--db", str(db), "--json"]).output)["counts"]
    assert reset["feedback"] == counts["feedback"]


def test_demo_default_is_not_the_real_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--no-tui"])
    assert result.exit_code == 0, result.output
    demo_path = Path(result.output.strip().splitlines()[-1])
    assert demo_path.name == "demo.db"
    real = json.loads(CliRunner().invoke(cli, ["info", "--json"]).output)
    assert real["database"] != str(demo_path)
    assert real["counts"]["feedback"] == 0


def test_reset_refuses_a_database_with_real_work(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    from opsdesk.models import Person
    from opsdesk.store import Store

    with Store(db, actor="ana") as store:
        store.people.insert(Person(name="Ana"))
    result = CliRunner().invoke(cli, ["demo", "--no-tui", "--reset", "--db", str(db)])
    assert result.exit_code != 0
    assert "will not delete" in result.output
    assert db.exists()


def test_config_prints_path_and_defaults() -> None:
    result = CliRunner().invoke(cli, ["config"])
    assert result.exit_code == 0
    assert os.environ["OPSDESK_CONFIG"] in result.output
    assert "cooldown_days = 30" in result.output
    assert 'timezone = "UTC"' in result.output


def test_bad_config_names_the_key(tmp_path: Path) -> None:
    Path(os.environ["OPSDESK_CONFIG"]).write_text('[contacts]\ncooldown_days = "soon"\n')
    result = CliRunner().invoke(cli, ["config"])
    assert result.exit_code == 1
    assert "contacts.cooldown_days" in result.output
    assert "Traceback" not in result.output


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsdesk", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize("content", [b"", b"hello, I am a text file\n", b"\x00\xff" * 4000])
def test_bad_database_is_one_sentence_on_stderr(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "bad.db"
    db.write_bytes(content)
    result = _run("info", "--db", str(db))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert str(db) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == content


def test_keys_lists_every_binding_id_once_with_the_remaps() -> None:
    Path(os.environ["OPSDESK_CONFIG"]).write_text('[keys]\n"app.pane.feedback" = "f2"\n')
    result = CliRunner().invoke(cli, ["keys", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) > 50
    assert all(row["id"] and row["does"] for row in rows)
    by_id = {row["id"]: row for row in rows}
    assert by_id["app.pane.feedback"]["keys"] == "f2"
    assert by_id["app.pane.feedback"]["default"] == "2"
    for expected in ("app.pane.today", "feedback.add", "feedback.undo", "list.down", "pane.search"):
        assert expected in by_id


def test_bare_opsdesk_imports_no_command_area() -> None:
    """Areas load when used: starting the app does not pay for exports, imports and the rest."""
    import subprocess
    import sys

    probe = "import sys, opsdesk.cli; print(sorted(m for m in sys.modules if 'commands.' in m))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_output_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``opsdesk launches list | head -1``: once the reader has gone, opsdesk stops without
    an error of its own (it said "Error: file: Broken pipe")."""
    db = tmp_path / "x.db"
    assert (
        _run("launches", "add", "SSO", "--date", "+2w", "--tier", "2", "--db", str(db)).returncode
        == 0
    )
    reader, writer = os.pipe()
    os.close(reader)  # the reader left before anything was written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "opsdesk", "launches", "list", "--db", str(db)],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(writer)
    assert done.stderr == ""
    assert done.returncode == 1
