"""``opsdesk config set``: one setting written into the config file, checked by the loader's
own rules first, the user's comments kept, the file private; and the hint that names the
command while the changes are still signed "me"."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsdesk.cli import cli
from opsdesk.config import SET_USER_COMMAND, load_config

COMMENTED = """\
# Our team's opsdesk settings.
[general]
user = "me"  # who signs the changes
timezone = "UTC"

# Research guardrails agreed with Legal.
[contacts]
cooldown_days = 30  # quiet days after any touch
"""


@pytest.fixture
def config_file() -> Path:
    return Path(os.environ["OPSDESK_CONFIG"])


def _set(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["config", "set", *args])
    return result.exit_code, result.output


def test_a_value_is_written_and_the_loader_reads_it_back(config_file: Path) -> None:
    assert not config_file.exists()
    assert _set("general.user", "Priya Raman")[0] == 0
    assert _set("general.timezone", "Europe/Berlin")[0] == 0
    code, output = _set("contacts.cooldown_days", "45")
    assert code == 0, output
    assert "contacts.cooldown_days = 45" in output
    assert _set("calendar.working_days", "mon, tue,wed")[0] == 0
    assert _set("ical.alarms", "false")[0] == 0
    config = load_config(config_file)
    assert config.general.user == "Priya Raman"
    assert config.tz.key == "Europe/Berlin"
    assert config.contacts.cooldown_days == 45, "written as a number, not the text '45'"
    assert config.calendar.working_days == ["mon", "tue", "wed"]
    assert config.ical.alarms is False
    got = CliRunner().invoke(cli, ["config", "get", "general.user"])
    assert got.exit_code == 0 and got.output.strip() == "Priya Raman"


def test_a_new_file_is_private_in_a_private_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = tmp_path / "fresh" / "opsdesk" / "config.toml"
    monkeypatch.setenv("OPSDESK_CONFIG", str(config_file))
    assert _set("general.user", "Priya Raman")[0] == 0
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_file.parent.stat().st_mode) == 0o700


def test_the_files_comments_and_layout_are_kept(config_file: Path) -> None:
    config_file.write_text(COMMENTED, encoding="utf-8")
    config_file.chmod(0o644)
    assert _set("general.user", "Priya Raman")[0] == 0
    assert _set("contacts.max_touches", "2")[0] == 0
    assert config_file.read_text(encoding="utf-8") == COMMENTED.replace(
        'user = "me"', 'user = "Priya Raman"'
    ).replace("touch\n", "touch\nmax_touches = 2\n")
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600, "a readable file is made private"


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("contacts.cooldown_days", "-3", "'contacts.cooldown_days' must be at least 0, not -3"),
        ("contacts.cooldown_days", "soon", "'contacts.cooldown_days'"),
        ("general.timezone", "Mars/Olympus", "'general.timezone' 'Mars/Olympus' is not a known"),
        ("calendar.working_days", "mon,someday", "'calendar.working_days' 'som' is not a weekday"),
        ("ical.alarms", "sometimes", "'ical.alarms'"),
    ],
)
def test_a_bad_value_is_refused_and_the_file_is_unchanged(
    config_file: Path, key: str, value: str, words: str
) -> None:
    config_file.write_text(COMMENTED, encoding="utf-8")
    code, output = _set(key, value)
    assert code == 1
    assert words in output
    assert "was not changed" in output and "Traceback" not in output
    assert config_file.read_text(encoding="utf-8") == COMMENTED


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("general.name", "'general.name' is not a setting opsdesk knows"),
        ("colour", "'colour' is not a setting opsdesk knows"),
        ("general", "'general' is a table of settings"),
        ("launches.blackouts", "edit it in the config file"),
        ("sla.urgent.p1.decide", "KIND one of bug, churn_risk"),
    ],
)
def test_a_bad_key_is_refused_and_nothing_is_written(
    config_file: Path, key: str, words: str
) -> None:
    code, output = _set(key, "3")
    assert code == 1
    assert words in output and "Traceback" not in output
    assert not config_file.exists()


def test_one_sla_is_set_and_the_others_keep_their_defaults(config_file: Path) -> None:
    """A new [sla.bug.p1] table needs both numbers: the other keeps its current value, and
    bug P2 and every other kind keep their own defaults (not 'request's)."""
    code, output = _set("sla.bug.p1.decide", "4")
    assert code == 0, output
    config = load_config(config_file)
    assert (config.sla_target("bug", 1).acknowledge, config.sla_target("bug", 1).decide) == (1, 4)
    assert config.sla_target("bug", 2).decide == 5
    assert config.sla_target("churn_risk", 1).decide == 2


def test_a_key_binding_id_with_dots_is_one_key(config_file: Path) -> None:
    assert _set("keys.app.pane.feedback", "f2")[0] == 0
    assert load_config(config_file).keys == {"app.pane.feedback": "f2"}


def test_config_names_the_command_while_the_user_is_the_default(config_file: Path) -> None:
    shown = CliRunner().invoke(cli, ["config"]).output
    assert SET_USER_COMMAND in shown
    as_json = CliRunner().invoke(cli, ["config", "--json"])
    assert json.loads(as_json.output)["values"]["general"]["user"] == "me"
    _set("general.user", "Priya Raman")
    assert SET_USER_COMMAND not in CliRunner().invoke(cli, ["config"]).output
