"""Numbers on the command line are refused in words a person reads, not click's range notation."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from opsdesk.cli import cli
from opsdesk.cli_support import RECORD_ID, WholeNumber


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("1.5", "'1.5' is not an id (a whole number such as 42)"),
        ("abc", "'abc' is not an id (a whole number such as 42)"),
        ("0", "0 is too small: ids start at 1"),
        ("9" * 23, f"{'9' * 23} is too large: no id is that large"),
    ],
)
def test_a_bad_id_is_refused_in_words(tmp_path: Path, typed: str, said: str) -> None:
    result = CliRunner().invoke(cli, ["launches", "show", typed, "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert said in result.stderr
    assert "valid integer" not in result.stderr and "<=x<=" not in result.stderr


def test_a_good_id_passes_through_whatever_its_spelling() -> None:
    """A pasted '1,024' or '1_024' is the id 1024, and an int from code is kept as it is."""
    assert RECORD_ID.convert("1,024", None, None) == 1024
    assert RECORD_ID.convert(" 7 ", None, None) == 7
    assert RECORD_ID.convert(12, None, None) == 12


def test_a_bounded_number_names_its_bounds() -> None:
    tier = WholeNumber(1, 3)
    assert tier.convert("2", None, None) == 2
    with pytest.raises(click.BadParameter, match="5 is too large: it must be 1 to 3"):
        tier.convert("5", None, None)
    with pytest.raises(click.BadParameter, match=r"'two' is not a whole number \(1 to 3\)"):
        tier.convert("two", None, None)


def test_the_reports_number_options_say_their_bounds_in_words(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["report", "digest", "--weeks", "60", "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 2
    assert "60 is too large: it must be 1 to 52" in result.stderr


def test_an_id_argument_keeps_its_name_in_the_usage_line() -> None:
    result = CliRunner().invoke(cli, ["launches", "show", "--help"])
    assert "LAUNCH_ID" in result.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["feedback", "add", "t", "--priority", "7"], "7 is too large: it must be 1 to 4"),
        (["feedback", "add", "t", "--priority", "x"], "'x' is not a whole number (1 to 4)"),
        (["feedback", "list", "--limit", "0"], "0 is too small: it must be 1 to 100,000"),
        (
            ["launches", "add", "L", "--date", "2027-01-01", "--tier", "0"],
            "0 is too small: it must be 1 to 3",
        ),
        (
            ["launches", "add", "L", "--date", "2027-01-01", "--tier", "two"],
            "'two' is not a whole number (1 to 3)",
        ),
        (["launches", "owes", "legal", "--weeks", "105"], "105 is too large: it must be 1 to 104"),
    ],
)
def test_priority_tier_limit_and_weeks_are_refused_in_the_same_words(
    tmp_path: Path, args: list[str], said: str
) -> None:
    """--priority and --tier said '7 is not in the range 1<=x<=4' and "'x' is not a valid
    integer range", unlike the ids and the report's numbers; nothing is written."""
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 2
    assert said in result.stderr
    assert "valid integer" not in result.stderr and "<=x<=" not in result.stderr
    assert not db.exists()


def test_a_good_priority_and_tier_still_pass(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    runner = CliRunner()
    added = runner.invoke(cli, ["feedback", "add", "t", "--priority", "1", "--json", "--db", db])
    assert added.exit_code == 0, added.output
    assert '"priority": 1' in added.stdout
    launch = ["launches", "add", "L", "--date", "2027-01-01", "--tier", " 2 ", "--json", "--db", db]
    added = runner.invoke(cli, launch)
    assert added.exit_code == 0, added.output
    assert '"tier": 2' in added.stdout


def _every_parameter(
    command: click.Command, ctx: click.Context
) -> list[tuple[str, click.Parameter]]:
    """Every parameter of a command and its subcommands, lazily loaded areas included."""
    found = [(command.name or "", param) for param in command.params]
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            found += [(f"{name} {path}", param) for path, param in _every_parameter(sub, ctx)]
    return found


def test_no_number_option_falls_back_to_clicks_own_integer_types() -> None:
    """Every whole number the CLI takes is a WholeNumber, so a new option cannot bring back
    click's '1<=x<=4' wording unnoticed."""
    ctx = click.Context(cli)
    clicks_own = [
        f"{path} {param.name}"
        for path, param in _every_parameter(cli, ctx)
        if isinstance(param.type, click.types.IntParamType | click.types.FloatParamType)
    ]
    assert clicks_own == []
