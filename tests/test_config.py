"""The config: defaults, reading a file, and a refusal that names the key for every bad value."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from opsdesk.config import (
    Config,
    ConfigError,
    ContactPolicy,
    GeneralConfig,
    SettingError,
    load_config,
    parse_config,
)
from opsdesk.vocabulary import TouchPurpose


def test_a_missing_file_means_every_default(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert config == Config()
    assert config.contacts.cooldown_days == 30
    assert config.sla_target("bug", 1).acknowledge == 1


def test_a_file_is_read_and_converted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[general]\ntimezone = "Europe/Berlin"\n'
        '[calendar]\nworking_days = ["Mon", "tue "]\nholidays = ["2026-12-24"]\n'
        '[contacts]\nreply_purposes = ["survey"]\n'
        "[sla.bug.p1]\nacknowledge = 2\ndecide = 4\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.tz.key == "Europe/Berlin"
    assert config.calendar.working_days == ["mon", "tue"]
    assert config.calendar.holidays == [dt.date(2026, 12, 24)]
    assert config.contacts.reply_purposes == [TouchPurpose.SURVEY]
    assert config.sla_target("bug", 1).decide == 4
    assert config.contacts.company_cap == 5, "keys the file leaves out keep their defaults"


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        ({"contacts": {"cooldown_days": -1}}, "contacts.cooldown_days", "at least 0"),
        ({"contacts": {"cooldown_days": "soon"}}, "contacts.cooldown_days", "integer"),
        ({"contacts": {"cooldown": 3}}, "contacts.cooldown", "not a setting"),
        ({"colour": "blue"}, "colour", "not a setting"),
        ({"ical": {"alarm_hour": 24}}, "ical.alarm_hour", "0 to 23"),
        ({"general": {"timezone": "Mars/Olympus"}}, "general.timezone", "IANA"),
        ({"calendar": {"working_days": ["someday"]}}, "calendar.working_days", "weekday"),
        ({"calendar": {"holidays": ["christmas"]}}, "calendar.holidays.0", "date"),
        ({"sla": {"rumour": {}}}, "sla", "not a feedback kind"),
        ({"sla": {"bug": {"p1": {"acknowledge": 1}}}}, "sla.bug.p1.decide", "required"),
        ({"launches": {"tiers": {"4": []}}}, "launches.tiers", "not 1, 2 or 3"),
        (
            {"launches": {"tiers": {"1": [{"function": "x", "item": "y", "lead_days": 400}]}}},
            "launches.tiers.1.0.lead_days",
            "0 to 365",
        ),
        ({"experiments": {"similar_limit": 0}}, "experiments.similar_limit", "1 to 50"),
    ],
)
def test_a_bad_value_is_refused_naming_its_key(data: dict, key: str, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(data, "config.toml")
    message = str(raised.value)
    assert message.startswith(f"config.toml: '{key}' "), message
    assert words in message


def test_tables_made_in_code_are_checked_too() -> None:
    with pytest.raises(SettingError, match="at least 1"):
        ContactPolicy(max_touches=0)
    with pytest.raises(SettingError, match="IANA"):
        GeneralConfig(timezone="Nowhere/Else")


def test_the_printed_values_read_back_as_the_same_config() -> None:
    from opsdesk.config import effective_values

    config = parse_config({"calendar": {"holidays": ["2026-12-25"]}})
    values = effective_values(config)
    assert values["calendar"]["holidays"] == ["2026-12-25"]
    assert parse_config(values) == config


def test_starting_without_a_config_file_does_not_load_pydantic(tmp_path: Path) -> None:
    """pydantic is needed to check a file, not to use the defaults: loading it would cost
    start-up a noticeable slice of its time (README, Performance)."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from opsdesk.config import load_config\n"
        f"config = load_config(Path({str(tmp_path / 'absent.toml')!r}))\n"
        "assert config.sla_target('bug', 1).decide == 3\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
