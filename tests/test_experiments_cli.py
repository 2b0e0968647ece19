"""``opsdesk experiments``: add, list, move and conflicts, for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsdesk.cli import cli
from opsdesk.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--no-tui", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_shows_similar_past_experiments_and_overlaps(db: Path) -> None:
    code, out, err = run(
        "experiments",
        "add",
        "Annual toggle at checkout",
        "--hypothesis",
        "Defaulting to annual billing raises annual plan share.",
        "--surface",
        "checkout",
        "--audience",
        "smb",
        "--metric",
        "annual plan share",
        "--guardrail",
        "refund rate",
        "--guardrail",
        "checkout conversion",
        "--start",
        "today",
        "--end",
        "+14d",
        "--launch",
        "1",
        "--db",
        str(db),
    )
    assert code == 0, err
    assert out.startswith("Added experiment #29: Annual toggle at checkout (idea).")
    assert "Annual plan nudge on the pricing page (won)" in err
    assert "Savings in currency beat savings in percent" in err
    assert "Overlaps #15 One-page checkout (owner: Marcus Okafor): same surface" in err
    with Store(db) as store:
        saved = store.experiments.get(29)
        assert saved.guardrail_metrics == ["refund rate", "checkout conversion"]
        assert store.experiments.link_ids(29) == ([], [1])


def test_add_json_carries_similar_and_conflicts(db: Path) -> None:
    code, out, _ = run(
        "experiments",
        "add",
        "Search by recency",
        "--surface",
        "search",
        "--start",
        "2026-11-30",
        "--status",
        "designing",
        "--json",
        "--db",
        str(db),
    )
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "designing"
    assert data["linked_launches"] == [] and data["linked_feedback"] == []
    assert any(item["title"] == "Search-as-you-type results" for item in data["similar"])
    [conflict] = data["conflicts"]
    owners = {side["owner"] for side in conflict["experiments"]}
    assert "Jonas Weber" in owners
    assert conflict["reasons"] == ["surface"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "someday"], "--start: 'someday' is not a date"),
        (
            ["--start", "2026-12-10", "--end", "2026-12-01"],
            "Error: --end: the planned end (2026-12-01) is before the planned start (2026-12-10)",
        ),
        (["--launch", "999"], "no launch with id 999"),
        (["--feedback", "99999"], "no feedback item with id 99999"),
    ],
)
def test_add_refuses_bad_input_with_one_sentence(db: Path, args: list[str], message: str) -> None:
    code, _, err = run("experiments", "add", "Bad", *args, "--db", str(db))
    assert code == 1
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    with Store(db) as store:
        assert store.experiments.count() == 28  # nothing half-written


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Error: TITLE: an experiment needs a title"),
        ("   ", "Error: TITLE: an experiment needs a title"),
        ("x" * 501, "Error: TITLE: a title is at most 500 characters (this one has 501)"),
    ],
)
def test_a_blank_or_overlong_title_is_refused_in_words(db: Path, title: str, message: str) -> None:
    """It read 'title: String should have at least 1 character', pydantic's words."""
    code, _, err = run("experiments", "add", title, "--db", str(db))
    assert (code, err.strip()) == (1, message)
    with Store(db) as store:
        assert store.experiments.count() == 28


def test_list_json_and_status(db: Path) -> None:
    code, out, _ = run("experiments", "list", "--status", "running", "--json", "--db", str(db))
    assert code == 0
    running = json.loads(out)
    assert len(running) == 6
    assert {item["status"] for item in running} == {"running"}
    code, out, _ = run("experiments", "list", "--json", "--db", str(db))
    assert len(json.loads(out)) == 28  # every status, abandoned included
    code, out, _ = run("experiments", "list", "--search", "checkout", "--db", str(db))
    assert "One-page checkout" in out and "Saved searches" not in out
    code, out, err = run("experiments", "list", "--team", "Nobody", "--db", str(db))
    assert code == 0 and out == "" and "No experiments match." in err


def test_list_lines_its_columns_up(db: Path) -> None:
    """Each line ran on from the end of its title, so no two owners, surfaces or windows
    started under each other. Columns are aligned now, as in feedback and contacts lists,
    with the title last; a cut value ends with …"""
    code, out, _ = run("experiments", "list", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 28
    for value in ("running", "2026-", "Marcus Okafor", "checkout"):
        rows = [line for line in lines if f" {value}" in line]
        assert len(rows) >= 2, value
    owners = {line.index("Marcus Okafor") for line in lines if "Marcus Okafor" in line}
    assert len(owners) == 1, owners
    surfaces = {line.index("  checkout  ") for line in lines if "  checkout  " in line}
    assert len(surfaces) == 1, surfaces
    starts = {line.index("2026-") for line in lines if "2026-" in line}
    assert len(starts) == 1, starts
    ids = {line.index("  ", 1) for line in lines}  # every id right-aligned in one column
    assert len(ids) == 1, ids
    assert lines[0].startswith("#15  running")
    assert lines[0].endswith("One-page checkout")


def test_move_meets_the_guards(db: Path) -> None:
    code, _, err = run("experiments", "move", "25", "designing", "--db", str(db))
    assert code == 0, err
    code, _, err = run("experiments", "move", "25", "running", "--db", str(db))
    assert code == 1
    assert "cannot move to running: it needs a planned start date." in err
    code, out, err = run(
        "experiments", "move", "25", "running", "--start", "today", "--json", "--db", str(db)
    )
    assert code == 0, err
    moved = json.loads(out)
    assert moved["status"] == "running" and moved["actual_start"] is not None
    code, _, err = run("experiments", "move", "25", "concluded", "--db", str(db))
    assert code == 1 and "it needs a result" in err
    code, out, err = run(
        "experiments",
        "move",
        "25",
        "concluded",
        "--result",
        "flat",
        "--decision",
        "iterate",
        "--learnings",
        "Logos did not move conversion.",
        "--db",
        str(db),
    )
    assert code == 0, err
    assert "is now concluded" in out
    code, out, _ = run(
        "experiments", "move", "26", "abandoned", "--reason", "Duplicate", "--db", str(db)
    )
    assert code == 0 and "is now abandoned" in out
    with Store(db) as store:
        assert store.experiments.get(26).learnings == "Abandoned: Duplicate"
    code, _, err = run("experiments", "move", "999", "running", "--db", str(db))
    assert code == 1 and "no experiment with id 999" in err


def test_a_move_whose_start_passes_the_planned_end_says_so_and_takes_an_end(db: Path) -> None:
    """'Error: planned_end: the planned end is before the planned start' named a field the
    person never typed, on a move that had no way to give an end: the refusal names --end and
    both days, and move takes --end."""
    code, out, _ = run(
        "experiments", "add", "Stale idea", "--start", "2026-11-01", "--end", "2026-11-10",
        "--metric", "signups", "--db", str(db),
    )  # fmt: skip
    assert code == 0
    number = out.split("#")[1].split(":")[0]
    code, _, err = run("experiments", "move", number, "running", "--start", "2026-12-01",
                       "--db", str(db))  # fmt: skip
    assert (code, err.strip()) == (
        1,
        "Error: --end: the planned end (2026-11-10) is before the planned start (2026-12-01)",
    )
    code, out, err = run("experiments", "move", number, "running", "--start", "2026-12-01",
                         "--end", "2026-12-21", "--db", str(db))  # fmt: skip
    assert code == 0, err
    with Store(db) as store:
        moved = store.experiments.get(int(number))
    assert (str(moved.planned_start), str(moved.planned_end)) == ("2026-12-01", "2026-12-21")
    assert moved.status.value == "running"


def test_a_reason_is_refused_with_a_move_that_would_drop_it(db: Path) -> None:
    """--reason is kept (in the learnings) only by abandoning; with another move it was
    dropped without a word and the move went ahead."""
    with Store(db) as store:
        history = len(store.history.for_record("experiments", 9))
    code, out, err = run(
        "experiments", "move", "9", "idea", "--reason", "Tax engine is ready", "--db", str(db)
    )
    assert code == 1 and out == ""
    assert "--reason is kept only when moving to abandoned, not to idea; nothing moved" in err
    with Store(db) as store:
        assert store.experiments.get(9).status.value == "abandoned"
        assert len(store.history.for_record("experiments", 9)) == history


def test_moving_to_the_column_it_is_in_changes_nothing(db: Path) -> None:
    with Store(db) as store:
        history = len(store.history.for_record("experiments", 15))
    code, out, err = run("experiments", "move", "15", "running", "--db", str(db))
    assert code == 0
    assert out == ""
    assert "“One-page checkout” is already in the running column; nothing changed." in err
    # Fields given with it would not be saved: that is an error, not a silent success.
    code, _, err = run(
        "experiments", "move", "15", "running", "--metric", "orders", "--db", str(db)
    )
    assert code == 1 and "already in the running column" in err
    code, out, err = run(
        "experiments", "move", "9", "abandoned", "--reason", "Again", "--db", str(db)
    )
    assert code == 1 and "already in the abandoned column" in err
    with Store(db) as store:
        assert len(store.history.for_record("experiments", 15)) == history
        assert store.experiments.get(15).primary_metric == "checkout conversion"
        assert "Again" not in store.experiments.get(9).learnings


def test_free_text_options_are_trimmed_and_names_match_any_capitals(db: Path) -> None:
    code, plain, _ = run("experiments", "list", "--surface", "checkout", "--db", str(db))
    assert code == 0 and plain.count("checkout") >= 3
    for spelled in (" checkout ", "Checkout", "  CHECKOUT"):
        code, out, err = run("experiments", "list", "--surface", spelled, "--db", str(db))
        assert (code, out) == (0, plain), (spelled, err)
    code, growth, _ = run("experiments", "list", "--team", "Growth", "--db", str(db))
    assert growth.count("\n") >= 5
    code, out, _ = run("experiments", "list", "--team", " growth ", "--db", str(db))
    assert (code, out) == (0, growth)
    code, out, _ = run(
        "experiments",
        "add",
        "Saved carts",
        "--surface",
        "  web ",
        "--team",
        " Growth\t",
        "--owner",
        " Elena Vasquez ",
        "--metric",
        " cart recovery ",
        "--audience",
        "   ",
        "--json",
        "--db",
        str(db),
    )
    assert code == 0
    added = json.loads(out)
    assert (added["surface"], added["team"], added["owner"]) == ("web", "Growth", "Elena Vasquez")
    assert (added["primary_metric"], added["audience"]) == ("cart recovery", None)
    code, out, _ = run("experiments", "list", "--surface", "web", "--json", "--db", str(db))
    assert [found["title"] for found in json.loads(out)] == ["Saved carts"]


def test_conflicts_name_both_owners(db: Path) -> None:
    code, out, _ = run("experiments", "conflicts", "--db", str(db))
    assert code == 0
    assert "One-page checkout (Marcus Okafor)" in out
    assert "Annual plan selected by default at checkout (Elena Vasquez)" in out
    code, out, _ = run("experiments", "conflicts", "--json", "--db", str(db))
    [pair] = json.loads(out)
    assert [side["owner"] for side in pair["experiments"]] == ["Marcus Okafor", "Elena Vasquez"]


def test_hostile_titles_never_reach_the_terminal(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    code, out, _ = run("experiments", "add", "\x1b[31mred\x07 [b]x[/b]", "--db", db)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "␛[31mred␇ [b]x[/b]" in out
    code, out, _ = run("experiments", "list", "--db", db)
    assert "\x1b" not in out and "␛[31mred␇" in out
