"""The CLI as someone new to it meets it: a mistyped command gets a hint.

Found by trying opsdesk from the README alone: 'opsdesk launch list' said "No such command"
with no hint, where 'opsdesk feedback lst' offered 'list'.
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
