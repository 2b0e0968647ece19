"""The CLI as someone new to it meets it: typos get a hint, refusals speak in options.

Found by trying opsdesk from the README alone: 'opsdesk launch list' said "No such command"
with no hint, and '--date yesterday' was refused as "launch_date: …", a name nobody typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opsdesk.cli import cli


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("launch", "launches"), ("contact", "contacts"), ("feedbak", "feedback"), ("demos", "demo")],
)
def test_a_mistyped_command_is_offered_the_right_one(
    tmp_path: Path, typed: str, meant: str
) -> None:
    code, err = _run("--db", str(tmp_path / "x.db"), typed, "list")
    assert code == 2
    assert f"No such command '{typed}'. Did you mean '{meant}'?" in err


def test_an_unknown_option_of_opsdesk_itself_is_still_an_option_error(tmp_path: Path) -> None:
    code, err = _run("--db", str(tmp_path / "x.db"), "--stauts")
    assert code == 2 and "No such option '--stauts'" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["feedback", "add", "x", "--received", "+3d"], "Error: --received: "),
        (["feedback", "add", "x", "--customer", "nobody"], "Error: --customer: 'nobody' is"),
        (["feedback", "add", ""], "Error: TITLE: cannot be empty"),
        (["launches", "add", "New", "--date", "yesterday", "--tier", "2"], "Error: --date: "),
        (["launches", "add", "", "--date", "+3w", "--tier", "2"], "Error: TITLE: "),
        (["launches", "slip", "1", "--to", "2020-01-01", "--reason", "x"], "Error: --to: "),
        (["launches", "slip", "1", "--to", "+1w", "--reason", ""], "Error: --reason: "),
        (["launches", "owes", "lgal"], "Error: FUNCTION: 'lgal' is not a readiness function"),
        (
            ["contacts", "log", "ann@acme.example", "--by", "", "--purpose", "survey"],
            "Error: --by: cannot be empty",
        ),
        (["experiments", "add", ""], "Error: TITLE: an experiment needs a title"),
    ],
)
def test_a_refusal_names_the_option_or_argument_that_was_typed(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    db = str(tmp_path / "x.db")
    code, err = _run("launches", "add", "Existing", "--date", "+4w", "--tier", "3", "--db", db)
    assert code == 0, err
    code, err = _run(*args, "--db", db)
    assert code == 1
    assert err.startswith(expected), err
    for field in ("launch_date", "received_at", "customer_email", "title:", "function:"):
        assert field not in err, err


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["experiments", "move", "1", "runing"], "STATUS"),
        (["launches", "decide", "1", "maybe"], "DECISION"),
        (["export", "markdown", "brief"], "REPORT"),
        (["report", "brief"], "REPORT"),
    ],
)
def test_a_wrong_choice_of_argument_is_called_by_the_arguments_name(
    tmp_path: Path, args: list[str], name: str
) -> None:
    """It read "Invalid value for '{go|no-go}': …", the choices standing in for a name."""
    code, err = _run(*args, "--db", str(tmp_path / "x.db"))
    assert code == 2
    assert f"Invalid value for '{name}': '{args[-1]}' is not one of" in err, err
    assert "Invalid value for '{" not in err


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("feedback", ["title", "body", "customer_email", "received_at", "priority", "kind"]),
        ("contacts", ["email", "first_name", "last_name", "company", "do_not_contact"]),
    ],
)
def test_import_help_names_every_field_map_takes(kind: str, fields: list[str]) -> None:
    """A file with odd headers needs --map title=Headline; the field names were only in the
    refusal of a wrong guess ('email' is not a field here (fields: …))."""
    result = CliRunner().invoke(cli, ["import", kind, "--help"], terminal_width=400)
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "--map" in line)
    assert "Fields: " in line
    for field in fields:
        assert field in line.split("Fields: ")[1], (field, line)
