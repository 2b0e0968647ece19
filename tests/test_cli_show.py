"""``opsdesk feedback show``: one item read whole from the command line, as the inbox's detail
shows it (only launches had a ``show``; a body was readable only in the app)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsdesk.cli import cli


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = tmp_path_factory.mktemp("show") / "demo.db"
    assert _run("demo", "--no-tui", "--db", str(db))[0] == 0
    return str(db)


def _survivor(db: str) -> int:
    """An item others were merged into (its customers include theirs)."""
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute(
            "SELECT duplicate_of FROM feedback WHERE duplicate_of IS NOT NULL "
            "GROUP BY duplicate_of HAVING count(*) >= 2 ORDER BY duplicate_of LIMIT 1"
        ).fetchone()
    return int(row[0])


def test_show_prints_the_detail_with_merged_customers_sla_body_and_history(demo: str) -> None:
    survivor = _survivor(demo)
    data = json.loads(_run("feedback", "show", str(survivor), "--json", "--db", demo)[1])
    code, out, err = _run("feedback", "show", str(survivor), "--db", demo)
    assert code == 0 and not err, err
    assert out.startswith(f"#{survivor} {data['title']}\n")
    for label in ("received:", "source:", "kind:", "priority:", "status:", "owner:", "tags:"):
        assert f"\n  {label}" in out
    assert len(data["customers"]) >= 2  # the survivor's and its duplicates'
    for email in data["customers"]:
        assert email in out
    for company in data["companies"]:
        assert company in out
    assert "acknowledge by: end of " in out and "decide by:      end of " in out
    assert data["body"].splitlines()[0] in out
    assert "\nMerged duplicates (" in out
    for duplicate in data["duplicates"]:
        assert f"  #{duplicate['id']} " in out
    assert "\nHistory\n" in out and " created" in out


def test_show_json_has_the_record_and_the_detail(demo: str) -> None:
    survivor = _survivor(demo)
    code, out, _ = _run("feedback", "show", str(survivor), "--json", "--db", demo)
    assert code == 0
    data = json.loads(out)
    assert data["id"] == survivor and data["ack_due_at"] and "demand" in data
    assert {"customers", "companies", "duplicates", "sla", "history"} <= data.keys()
    assert all(d["id"] != survivor for d in data["duplicates"]) and data["duplicates"]
    assert set(data["sla"]) == {"acknowledge", "decide"}
    assert data["sla"]["acknowledge"]["state"] in ("met", "on track", "due soon", "breached")
    assert data["history"][0]["words"] == "created"


def test_show_an_unknown_id_is_one_sentence_and_exit_1(demo: str) -> None:
    code, out, err = _run("feedback", "show", "999999", "--db", demo)
    assert code == 1 and not out
    assert err == "Error: no feedback item with id 999999\n"


def test_show_makes_control_characters_visible_and_prints_markup_as_typed(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "x.db")
    body = "line one [b]bold[/b] [@click=app.quit]\x1b]0;owned\x07\nline two \x1b[2J\u202eevil"
    code, out, _ = _run(
        "feedback", "add", "Title \x1b[31mred[/]", "--body", body, "--source", "chat\x9b",
        "--customer", "ana@acme.example", "--db", db,
    )  # fmt: skip
    assert code == 0, out
    item_id = out.strip()
    code, out, _ = _run("feedback", "show", item_id, "--db", db)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert f"#{item_id} Title ␛[31mred[/]\n" in out
    assert "  line one [b]bold[/b] [@click=app.quit]␛]0;owned␇\n" in out
    assert "  line two ␛[2J<RLO>evil\n" in out
    assert "source:         chat<9B>" in out
    code, out, _ = _run("feedback", "show", item_id, "--json", "--db", db)
    assert "\x9b" not in out and "\u202e" not in out
    assert json.loads(out)["body"] == body  # the stored text, as it arrived


def test_experiments_show_on_the_demo_plain_json_and_unknown(demo: str) -> None:
    pairs = json.loads(_run("experiments", "conflicts", "--json", "--db", demo)[1])
    first, second = pairs[0]["experiments"]
    code, out, _ = _run("experiments", "show", str(first["id"]), "--db", demo)
    assert code == 0
    assert out.startswith(f"#{first['id']} {first['title']}\n")
    assert f"  overlaps #{second['id']} " in out and "  status:" in out
    data = json.loads(_run("experiments", "show", str(first["id"]), "--json", "--db", demo)[1])
    assert data["id"] == first["id"] and data["conflicts"] and "launches" in data
    code, out, err = _run("experiments", "show", "999999", "--db", demo)
    assert code == 1 and not out and err == "Error: no experiment with id 999999\n"


def test_experiments_show_makes_control_characters_visible(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    code, out, _ = _run(
        "experiments", "add", "T [b]x[/b]", "--hypothesis", "a\x1b[2J\nb\u202e", "--json",
        "--db", db,
    )  # fmt: skip
    assert code == 0, out
    exp_id = str(json.loads(out)["id"])
    code, out, _ = _run("experiments", "show", exp_id, "--db", db)
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    assert f"#{exp_id} T [b]x[/b]\n" in out and "\n  a␛[2J\n  b<RLO>\n" in out
