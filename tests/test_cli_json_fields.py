"""What the CLI's ``--json`` says is what the panes say: no readiness % for a launch that
owes nothing, and each contact's last and next touch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from opsdesk.cli import cli
from opsdesk.cli_support import load_user_config
from opsdesk.formatting import local_date
from opsdesk.rules.risk import Assessment
from opsdesk.services.desk import Desk


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


def _log(db: Path, email: str, day: str, *extra: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["contacts", "log", email, "--by", "Priya", "--purpose", "survey", "--date", day,
         *extra, "--db", str(db)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_contacts_list_gives_the_last_and_the_next_touch(tmp_path: Path) -> None:
    """The Contacts pane shows when each contact was last touched; the list said nothing
    of it. The last touch is the latest that has happened: an interview planned for later
    is the next touch, as in the pane."""
    db = tmp_path / "x.db"
    _log(db, "ana@acme.example", "-5d")
    _log(db, "ana@acme.example", "+20d", "--override-reason", "she asked for a call")
    _log(db, "bo@acme.example", "+10d")
    _log(db, "cy@acme.example", "-2d")
    listed = _json(db, "contacts", "list")
    assert isinstance(listed, list)
    by_email = {row["email"]: row for row in listed}
    now = dt.datetime.now(dt.UTC)
    ana = by_email["ana@acme.example"]
    assert dt.datetime.fromisoformat(ana["last_touch"]) < now
    assert dt.datetime.fromisoformat(ana["next_touch"]) > now + dt.timedelta(days=19)
    assert ana["touch_count"] == 2
    bo = by_email["bo@acme.example"]
    assert bo["last_touch"] is None and bo["touch_count"] == 1
    assert dt.datetime.fromisoformat(bo["next_touch"]) > now
    cy = by_email["cy@acme.example"]
    assert cy["next_touch"] is None and cy["last_touch"] is not None

    tz = load_user_config().tz
    plain = CliRunner().invoke(cli, ["contacts", "list", "--db", str(db)]).stdout
    lines = {email: line for line in plain.splitlines() for email in by_email if email in line}

    def day(stored: str) -> str:
        return local_date(dt.datetime.fromisoformat(stored), tz)

    assert (
        f"last {day(ana['last_touch'])}  next {day(ana['next_touch'])}  "
        in lines["ana@acme.example"]
    )
    assert f"last –           next {day(bo['next_touch'])}  " in lines["bo@acme.example"]
    assert f"last {day(cy['last_touch'])}  next –" in lines["cy@acme.example"]
    # The status column still starts at one place on every line.
    assert len({line.index("in cooldown") for line in lines.values()}) == 1


def test_contacts_list_reads_the_touches_without_a_query_per_contact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a large ledger a lookup per contact would make the list crawl: the statements
    run are as many for 30 touched contacts as for 3."""
    import opsdesk.commands.contacts as contacts_command

    opened = contacts_command.open_desk
    statements: list[str] = []

    def traced(ctx: click.Context, db: Path | None) -> Desk:
        desk = opened(ctx, db)
        desk.store.conn.set_trace_callback(statements.append)
        return desk

    monkeypatch.setattr(contacts_command, "open_desk", traced)

    def run_list(count: int) -> int:
        db = tmp_path / f"{count}.db"
        for number in range(count):
            _log(db, f"p{number}@co{number}.example", "-3d")
        statements.clear()
        _json(db, "contacts", "list")
        return len(statements)

    assert run_list(30) == run_list(3)
