"""``opsdesk feedback add`` and ``opsdesk feedback list``: the scriptable side of the inbox."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from opsdesk.cli import cli

HOSTILE = "[b]bold[/b] \x1b[2J [@click=app.quit]"


def _run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.output


def test_add_prints_the_new_id_and_list_shows_it(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    code, out = _run(
        "feedback",
        "add",
        "Export fails",
        "--db",
        db,
        "--kind",
        "bug",
        "--priority",
        "1",
        "--customer",
        "ana@acme.example",
        "--tag",
        "export",
        "--tag",
        "CSV",
        "--received",
        "2026-11-02",
        "--source",
        "support",
    )
    assert code == 0, out
    assert out.strip() == "1"
    code, out = _run("feedback", "list", "--db", db, "--json")
    [item] = json.loads(out)
    assert item["title"] == "Export fails" and item["kind"] == "bug" and item["priority"] == 1
    assert item["tags"] == ["csv", "export"] and item["source"] == "support"
    assert item["received_at"].startswith("2026-11-02")
    assert item["ack_due_at"] and item["decide_due_at"]


def test_body_from_stdin_and_json_output(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    code, out = _run(
        "feedback",
        "add",
        HOSTILE,
        "--body",
        "-",
        "--db",
        db,
        "--json",
        input="line one\nline two\n",
    )
    assert code == 0, out
    data = json.loads(out)
    assert data["body"] == "line one\nline two\n"
    assert data["title"] == HOSTILE  # stored exactly as it arrived


def test_list_views_search_and_sorts(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    for title, priority in (("Dark mode please", 4), ("SSO login loop", 1), ("Dark theme", 2)):
        _run("feedback", "add", title, "--priority", str(priority), "--db", db)
    code, out = _run("feedback", "list", "--db", db, "--search", "dark", "--sort", "priority")
    assert code == 0
    lines = out.strip().splitlines()
    assert [line.split("  P")[1][0] for line in lines] == ["2", "4"]
    code, out = _run("feedback", "list", "--db", db, "--view", "untriaged", "--json")
    assert len(json.loads(out)) == 3
    code, out = _run("feedback", "list", "--db", db, "--view", "sla_breached", "--json")
    assert json.loads(out) == []


def test_hostile_title_is_printed_without_escapes(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    _run("feedback", "add", HOSTILE, "--db", db)
    code, out = _run("feedback", "list", "--db", db)
    assert code == 0
    assert "\x1b" not in out and "[b]bold[/b]" in out and "␛[2J" in out


def test_bad_input_is_one_sentence_and_nothing_is_written(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    for args in (
        ["--customer", "not-an-email"],
        ["--received", "someday"],
        ["--priority", "9"],
        ["--received", "+30d"],
    ):
        code, out = _run("feedback", "add", "x", "--db", db, *args)
        assert code != 0
        assert "Traceback" not in out
        if args[1] == "+30d":
            assert code == 1 and "is in the future" in out, out
    code, out = _run("feedback", "list", "--db", db, "--json")
    assert json.loads(out) == []
    code, out = _run("feedback", "list", "--db", db, "--saved", "nope")
    assert code == 1 and "no saved view is called 'nope'" in out


def test_saved_views_are_listed_and_deleted(tmp_path: Path) -> None:
    from opsdesk.store import Store
    from opsdesk.store.feedback import FeedbackFilter

    db = tmp_path / "x.db"
    with Store(db) as store:
        store.feedback.save_view("Bugs", FeedbackFilter(view="all", kind="bug"), "priority")
    code, out = _run("feedback", "views", "--json", "--db", str(db))
    assert code == 0
    [view] = json.loads(out)
    assert (view["name"], view["sort"], view["filters"]["kind"]) == ("Bugs", "priority", "bug")
    code, out = _run("feedback", "views", "--db", str(db))
    assert code == 0 and out.startswith("Bugs") and "kind bug" in out
    code, out = _run("feedback", "views", "--delete", "Nope", "--db", str(db))
    assert code == 1 and "no saved view is called 'Nope' (saved views: Bugs)" in out
    code, _ = _run("feedback", "views", "--delete", " Bugs ", "--db", str(db))
    assert code == 0
    code, out = _run("feedback", "views", "--json", "--db", str(db))
    assert json.loads(out) == []


def test_a_list_cut_short_by_its_limit_says_how_many_it_left_off(tmp_path: Path) -> None:
    """The first 50 of a view read as the whole of it: stderr says how many more there are
    and how to list them; stdout keeps only the rows, and a whole list says nothing more."""
    db = str(tmp_path / "x.db")
    for n in range(5):
        _run("feedback", "add", f"Item {n}", "--db", db)
    result = CliRunner().invoke(cli, ["feedback", "list", "--db", db, "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr.strip() == "… and 3 more of 5 (--limit 5 lists them all)"
    result = CliRunner().invoke(cli, ["feedback", "list", "--db", db, "--limit", "5"])
    assert len(result.stdout.splitlines()) == 5 and result.stderr == ""


def test_list_saved_takes_a_name_in_any_case_and_a_wrong_one_names_the_views(
    tmp_path: Path,
) -> None:
    """'--saved bugs' was refused for a view called 'Bugs', and a wrong name was refused
    without a word of which views there are ('views --delete' names them)."""
    from opsdesk.store import Store
    from opsdesk.store.feedback import FeedbackFilter

    db = tmp_path / "x.db"
    _run("feedback", "add", "Crash", "--kind", "bug", "--db", str(db))
    _run("feedback", "add", "Dark mode", "--db", str(db))
    code, out = _run("feedback", "list", "--saved", "Bugs", "--db", str(db))
    assert code == 1 and "(there are none; save one with V in the inbox)" in out, out
    with Store(db) as store:
        store.feedback.save_view("Bugs", FeedbackFilter(view="all", kind="bug"), "priority")
    code, out = _run("feedback", "list", "--saved", "bugs", "--json", "--db", str(db))
    assert code == 0, out
    assert [item["title"] for item in json.loads(out)] == ["Crash"]
    code, out = _run("feedback", "list", "--saved", "Bugz", "--db", str(db))
    assert code == 1 and "no saved view is called 'Bugz' (saved views: Bugs)" in out, out


def test_the_table_says_each_items_sla_badge(tmp_path: Path) -> None:
    """'list --view sla_breached' printed rows without a word of their SLA: the table shows
    each item's badge, as the inbox does."""
    db = str(tmp_path / "x.db")
    _run("feedback", "add", "Old crash", "--priority", "1", "--received", "-30d", "--db", db)
    _run("feedback", "add", "Fresh ask", "--priority", "4", "--db", db)
    code, out = _run("feedback", "list", "--db", db)
    assert code == 0, out
    badges = {line.split()[-2]: line for line in out.splitlines()}
    assert "breached" in badges["Old"] and "on track" in badges["Fresh"]


def test_list_narrows_by_status_kind_owner_company_and_tag(tmp_path: Path) -> None:
    """'feedback list' printed whole views only: a script could not ask for one company's
    bugs, as the inbox's filter (f) gives. Names are taken in any case; one no item has is
    refused, offering the names that hold it, rather than printing no rows."""
    db = str(tmp_path / "x.db")
    for title, kind, company, tag in (
        ("Export fails", "bug", "Acme Corp", "export"),
        ("Add dark mode", "request", "Acme Corp", "dark-mode"),
        ("Login loop", "bug", "Globex", "sso-login"),
    ):
        code, out = _run(
            "feedback", "add", title, "--db", db, "--kind", kind, "--company", company,
            "--tag", tag,
        )  # fmt: skip
        assert code == 0, out

    def titles(*args: str) -> list[str]:
        code, out = _run("feedback", "list", "--db", db, "--json", *args)
        assert code == 0, out
        return sorted(item["title"] for item in json.loads(out))

    assert titles("--company", "acme corp", "--kind", "bug") == ["Export fails"]
    assert titles("--tag", "Dark Mode") == ["Add dark mode"]
    assert titles("--status", "new", "--kind", "bug") == ["Export fails", "Login loop"]
    assert titles("--status", "done") == []
    code, out = _run("feedback", "list", "--db", db, "--company", "acme")
    assert code == 1
    assert "--company: no feedback item has the company 'acme' (did you mean 'Acme Corp'?)" in out
    code, out = _run("feedback", "list", "--db", db, "--tag", "login")
    assert code == 1 and "--tag:" in out and "'sso-login'" in out
    code, out = _run("feedback", "list", "--db", db, "--owner", "zed")
    assert code == 1 and "--owner: no feedback item has the owner 'zed'" in out
