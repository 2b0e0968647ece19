"""``opsdesk launches``: add and list for scripts, plus show, slip, item, decide and owes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from opsdesk.cli import cli


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["launches", *args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


def test_add_with_a_date_expression_and_json(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    code, out, _ = _run(
        db,
        "add",
        "SSO [b]GA[/b]",
        "--date",
        "+3w",
        "--tier",
        "2",
        "--owner",
        "Priya",
        "--audience",
        "enterprise",
        "--json",
    )
    assert code == 0, out
    data = json.loads(out)
    assert data["title"] == "SSO [b]GA[/b]" and data["owner"] == "Priya" and data["tier"] == 2
    expected = dt.date.today() + dt.timedelta(weeks=3)
    assert data["launch_date"] == expected.isoformat()
    assert [item["function"] for item in data["items"]] == [
        "legal",
        "security",
        "marketing",
        "support",
        "docs",
    ]
    assert all(item["due_date"] < data["launch_date"] for item in data["items"])


def test_add_in_words_then_list(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    code, out, _ = _run(db, "add", "Dark mode", "--date", "2030-03-04", "--tier", "3")
    assert code == 0
    assert "Added launch #1 'Dark mode' on 2030-03-04 (tier 3) with 2 readiness items." in out
    code, out, _ = _run(db, "list")
    assert code == 0 and "Dark mode" in out and "0%" in out
    code, out, _ = _run(db, "list", "--json")
    (launch,) = json.loads(out)
    assert launch["readiness_percent"] == 0 and launch["items_total"] == 2
    assert launch["at_risk"] is False and launch["risks"] == []


def test_bad_input_is_one_sentence_and_a_non_zero_exit(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    code, _, err = _run(db, "add", "X", "--date", "someday", "--tier", "1")
    assert code != 0 and "--date: 'someday' is not a date" in err
    assert "Traceback" not in err
    code, _, err = _run(db, "add", "X", "--date", "fri", "--tier", "4")
    assert code != 0 and "tier" in err.lower()
    code, _, err = _run(db, "show", "99")
    assert code != 0 and "99" in err
    code, _, err = _run(db, "add", " ", "--date", "fri", "--tier", "1")
    assert (code, err.strip()) == (1, "Error: TITLE: cannot be empty")  # not pydantic's words
    code, _, err = _run(db, "add", "X" * 501, "--date", "fri", "--tier", "1")
    assert err.strip() == "Error: TITLE: is too long: at most 500 characters (this one has 501)"
    code, _, err = _run(db, "add", "X", "--date", "yesterday", "--tier", "1")
    assert code != 0 and "has passed: a new launch is planned for today or later" in err
    assert json.loads(_run(db, "list", "--json")[1]) == []


def test_counts_agree_with_their_nouns(tmp_path: Path) -> None:
    """'1 open item re-planned', not '1 open items': a slip with one open item left."""
    db = tmp_path / "x.db"
    _run(db, "add", "Dark mode", "--date", "2030-03-04", "--tier", "3")
    (first, _second) = json.loads(_run(db, "show", "1", "--json")[1])["items"]
    code, _, _ = _run(db, "item", str(first["id"]), "--state", "done", "--evidence", "KB-1")
    assert code == 0
    code, out, _ = _run(db, "slip", "1", "--to", "2030-03-11", "--reason", "Design review")
    assert code == 0 and "; 1 open item re-planned." in out, out


def test_slip_item_decide_and_show_on_the_demo(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert CliRunner().invoke(cli, ["demo", "--no-tui", "--db", str(db)]).exit_code == 0
    code, out, _ = _run(db, "list", "--sort", "risk", "--json")
    risky = json.loads(out)[0]
    assert risky["at_risk"] and risky["risks"]
    launch_id = risky["id"]

    code, _, err = _run(db, "slip", str(launch_id), "--to", "+10w", "--reason", " ")
    assert code != 0 and "reason" in err
    code, out, _ = _run(
        db, "slip", str(launch_id), "--to", "+10w", "--reason", "Pen test late", "--json"
    )
    assert code == 0
    slip = json.loads(out)
    assert slip["old_date"] == risky["launch_date"] and slip["reason"] == "Pen test late"

    detail = json.loads(_run(db, "show", str(launch_id), "--json")[1])
    open_item = next(i for i in detail["items"] if i["state"] == "todo")
    code, _, err = _run(db, "item", str(open_item["id"]), "--state", "done")
    assert code != 0 and "evidence" in err
    code, out, _ = _run(
        db,
        "item",
        str(open_item["id"]),
        "--state",
        "done",
        "--evidence",
        "https://wiki/x",
        "--owner",
        "Sam",
        "--json",
    )
    assert code == 0
    item = json.loads(out)
    assert (item["state"], item["owner"], item["evidence"]) == ("done", "Sam", "https://wiki/x")
    assert item["signed_off_by"] and item["signed_off_at"]

    code, out, _ = _run(db, "decide", str(launch_id), "no-go", "--note", "Wait", "--json")
    assert code == 0
    decision = json.loads(out)
    assert decision["decision"] == "no_go" and decision["snapshot"]["items"]

    code, out, _ = _run(db, "show", str(launch_id))
    assert code == 0 and "Pen test late" in out and "NO GO" in out

    # The launch slipped above: a go puts it back in progress, and says so.
    code, out, _ = _run(db, "decide", str(launch_id), "go", "--note", "Pen test passed")
    assert code == 0 and "in progress again" in out
    code, out, _ = _run(db, "show", str(launch_id), "--json")
    shown = json.loads(out)
    assert code == 0 and shown["status"] == "in_progress" and len(shown["slips"]) == 1

    code, out, _ = _run(db, "owes", "legal", "--weeks", "8", "--json")
    assert code == 0
    owed = json.loads(out)
    assert owed and all(entry["function"] == "legal" for entry in owed)
    assert [entry["due_date"] for entry in owed] == sorted(entry["due_date"] for entry in owed)
    code, out, _ = _run(db, "owes", "Customer Success")
    assert code == 0 and out.startswith("Customer success owes")


def test_decide_is_refused_on_a_cancelled_or_launched_launch(tmp_path: Path) -> None:
    """The demo's #14 is cancelled and #1 launched: a go/no-go on either is an error on
    stderr with a non-zero exit, and no decision is stored."""
    db = tmp_path / "demo.db"
    assert CliRunner().invoke(cli, ["demo", "--no-tui", "--db", str(db)]).exit_code == 0
    for launch_id, status in (("14", "cancelled"), ("1", "launched")):
        before = json.loads(_run(db, "show", launch_id, "--json")[1])
        assert before["status"] == status
        code, out, err = _run(db, "decide", launch_id, "go", "--note", "Ship it")
        assert code != 0 and out == "", out
        assert status in err and "go/no-go" in err and "Traceback" not in err
        after = json.loads(_run(db, "show", launch_id, "--json")[1])
        assert after["go_no_go"] == before["go_no_go"]


def test_a_cancelled_launch_does_not_read_100_percent_ready(tmp_path: Path) -> None:
    """The demo's #14 is cancelled with its items done: the list's Ready column said 100%,
    like the launches that shipped, and show said 'readiness 100% (3/3)'."""
    db = tmp_path / "demo.db"
    assert CliRunner().invoke(cli, ["demo", "--no-tui", "--db", str(db)]).exit_code == 0
    code, out, _ = _run(db, "list")
    (row,) = [line for line in out.splitlines() if line.startswith("#14 ")]
    assert code == 0 and "cancelled" in row and "%" not in row, row
    code, out, _ = _run(db, "show", "14")
    assert code == 0 and "  readiness cancelled" in out and "100%" not in out, out


def test_an_id_too_long_for_sqlite_is_refused_plainly(tmp_path: Path) -> None:
    """An id beyond SQLite's 64 bits is a usage error saying so, not an overflow
    traceback from deep in the store; that is so for every command taking an id."""
    db = tmp_path / "x.db"
    huge = "9" * 23
    for args in (
        ["launches", "show", huge],
        ["launches", "slip", huge, "--to", "+1w", "--reason", "late"],
        ["export", "markdown", "launch", huge],
        ["experiments", "move", huge, "running"],
    ):
        result = CliRunner().invoke(cli, [*args, "--db", str(db)])
        assert result.exit_code == 2, (args, result.output)
        assert "is too large: no id is that large" in result.stderr
        assert "Traceback" not in result.output


def test_owes_refuses_a_function_nobody_has(tmp_path: Path) -> None:
    """'secruity owes 0 items' read as nothing owed; a typo is an error naming the real ones."""
    db = tmp_path / "x.db"
    code, _, err = _run(db, "owes", "secruity")
    assert code == 1
    assert "'secruity' is not a readiness function (legal, security," in err
    code, out, _ = _run(db, "owes", "security")
    assert code == 0 and out.startswith("Security owes 0 items due by")


def test_slip_to_a_day_that_has_passed_is_refused(tmp_path: Path) -> None:
    """'--to yesterday' moved the launch and printed every open item as no longer possible."""
    db = tmp_path / "x.db"
    code, out, _ = _run(db, "add", "SSO", "--date", "+3w", "--tier", "3", "--json")
    assert code == 0, out
    launch = json.loads(out)
    code, _, err = _run(db, "slip", str(launch["id"]), "--to", "yesterday", "--reason", "x")
    assert code == 1
    assert "has passed: move the launch to today or later" in err
    code, out, _ = _run(db, "show", str(launch["id"]), "--json")
    shown = json.loads(out)
    assert shown["launch_date"] == launch["launch_date"] and shown["slips"] == []


def test_slip_to_plus_a_week_is_a_week_after_the_planned_date(tmp_path: Path) -> None:
    """'--to +1w' counted from today: slipping a launch six weeks out 'a week' moved it five
    weeks earlier. Offsets count from the launch's date; 'tomorrow' and ISO dates do not."""
    db = tmp_path / "x.db"
    code, out, _ = _run(db, "add", "SSO", "--date", "+6w", "--tier", "3", "--json")
    launch = json.loads(out)
    planned = dt.date.fromisoformat(launch["launch_date"])
    code, out, _ = _run(db, "slip", str(launch["id"]), "--to", "+1w", "--reason", "x", "--json")
    assert code == 0, out
    assert json.loads(out)["new_date"] == (planned + dt.timedelta(weeks=1)).isoformat()
    code, out, _ = _run(db, "slip", str(launch["id"]), "--to", "tomorrow", "--reason", "y")
    assert code == 0 and str(dt.date.today() + dt.timedelta(days=1)) in out
    result = CliRunner().invoke(cli, ["launches", "slip", "--help"])
    assert "count from the launch's current date" in " ".join(result.output.split())


def test_slip_dry_run_says_what_would_move_and_writes_nothing(tmp_path: Path) -> None:
    """A script (or a cautious manager) sees what a slip would re-plan before recording it."""
    db = tmp_path / "x.db"
    code, out, _ = _run(db, "add", "SSO", "--date", "+2w", "--tier", "2", "--json")
    launch = json.loads(out)
    launch_day = dt.date.fromisoformat(launch["launch_date"])
    to = launch_day - dt.timedelta(days=7)
    code, out, _ = _run(
        db, "slip", str(launch["id"]), "--to", to.isoformat(), "--reason", "x", "--dry-run"
    )
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == (
        f"Dry run: moving #{launch['id']} to {to}: 7 days earlier than {launch_day}."
    )
    assert "  5 open items move with it" in lines  # after a weekend note, on a weekend
    assert any(line.startswith("  no longer possible: legal · Legal review") for line in lines)
    assert lines[-1] == "Nothing written."
    code, out, _ = _run(
        db,
        "slip",
        str(launch["id"]),
        "--to",
        to.isoformat(),
        "--reason",
        "x",
        "--dry-run",
        "--json",
    )
    data = json.loads(out)
    assert data["old_date"] == launch_day.isoformat() and len(data["moved_items"]) == 5
    code, _, err = _run(
        db, "slip", str(launch["id"]), "--to", "yesterday", "--reason", "x", "--dry-run"
    )
    assert code == 1 and "has passed" in err
    code, out, _ = _run(db, "show", str(launch["id"]), "--json")
    shown = json.loads(out)
    assert shown["launch_date"] == launch["launch_date"] and shown["slips"] == []


def test_slip_onto_a_sunday_says_it_is_not_a_working_day(tmp_path: Path) -> None:
    """A dry run and the move itself name a new date that is not a working day (it moved
    silently); the move still happens, as in the TUI."""
    db = tmp_path / "x.db"
    code, out, _ = _run(db, "add", "SSO", "--date", "+3w", "--tier", "3", "--json")
    launch = json.loads(out)
    launch_day = dt.date.fromisoformat(launch["launch_date"])
    sunday = launch_day + dt.timedelta(days=6 - launch_day.weekday() + 7)
    note = f"Sun {sunday.isoformat()} is not a working day"
    args = ("slip", str(launch["id"]), "--to", sunday.isoformat(), "--reason", "x")
    code, out, _ = _run(db, *args, "--dry-run")
    assert code == 0, out
    assert out.splitlines()[1] == f"  {note}"
    code, out, _ = _run(db, *args, "--dry-run", "--json")
    assert json.loads(out)["not_working_day"] == note
    code, out, _ = _run(db, *args)
    assert code == 0, out
    assert out.splitlines()[1] == f"  note: {note}"
    code, out, _ = _run(db, "show", str(launch["id"]), "--json")
    assert json.loads(out)["launch_date"] == sunday.isoformat()
