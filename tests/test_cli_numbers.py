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
