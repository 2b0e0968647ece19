"""What the CLI's ``--json`` says is what the panes say: no readiness % for a launch that
owes nothing, and each contact's last and next touch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsdesk.cli import cli
from opsdesk.rules.risk import Assessment


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company, loaded once: the tests here only read it."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--no-tui", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _json(db: Path, *args: str) -> object:
    result = CliRunner().invoke(cli, [*args, "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("assessment", "percent", "cell"),
    [
        (Assessment(60, 3, 5, 5, ()), 60, "60%"),
        (Assessment(100, 5, 5, 5, ()), 100, "100%"),
        (Assessment(100, 0, 0, 2, (), cancelled=True), None, "–"),
        (Assessment(40, 2, 5, 5, (), cancelled=True), None, "–"),
        (Assessment(100, 0, 0, 3, ()), None, "n/a"),
        (Assessment(None, 0, 0, 0, ()), None, "–"),
    ],
)
def test_the_shown_percent_is_none_where_the_ready_column_has_no_percentage(
    assessment: Assessment, percent: int | None, cell: str
) -> None:
    assert assessment.shown_percent == percent
    assert assessment.cell() == cell


def test_launch_json_has_no_percent_for_a_cancelled_launch(demo_db: Path) -> None:
    """The demo's #14 and #15 are cancelled: 'launches list --json' said readiness_percent
    100, as for the launches that shipped, while the Ready column shows '–'."""
    listed = _json(demo_db, "launches", "list")
    assert isinstance(listed, list)
    by_id = {launch["id"]: launch for launch in listed}
    for launch_id in (14, 15):
        assert by_id[launch_id]["status"] == "cancelled"
        assert by_id[launch_id]["readiness_percent"] is None
        shown = _json(demo_db, "launches", "show", str(launch_id))
        assert isinstance(shown, dict) and shown["readiness_percent"] is None
    assert by_id[1]["status"] == "launched" and by_id[1]["readiness_percent"] == 100


def test_launch_json_has_no_percent_when_every_item_is_not_applicable(tmp_path: Path) -> None:
    """Nothing owed is not 100% ready: the list shows 'n/a' and the JSON says null."""
    db = tmp_path / "x.db"
    added = _json(db, "launches", "add", "Dark mode", "--date", "2030-03-04", "--tier", "3")
    assert isinstance(added, dict)
    for item in added["items"]:
        _json(db, "launches", "item", str(item["id"]), "--state", "not_applicable")
    (launch,) = _json(db, "launches", "list")  # type: ignore[misc]
    assert launch["items_applicable"] == 0 and launch["items_total"] == 2
    assert launch["readiness_percent"] is None
    plain = CliRunner().invoke(cli, ["launches", "list", "--db", str(db)])
    assert " n/a  Dark mode" in plain.stdout
