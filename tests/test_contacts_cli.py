"""``opsdesk contacts`` and ``opsdesk import contacts``: exit codes, reasons, JSON, forget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from opsdesk.cli import cli


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


def test_check_unknown_address_is_free(db: Path) -> None:
    code, out, _ = run(db, "contacts", "check", "nobody@acme.example")
    assert code == 0 and out.startswith("free:")
    code, out, _ = run(db, "contacts", "check", "nobody@acme.example", "--json")
    data = json.loads(out)
    assert code == 0 and data["allowed"] and not data["known"] and data["reasons"] == []


def test_log_then_refusal_then_override(db: Path) -> None:
    code, out, _ = run(
        db,
        "contacts",
        "log",
        "Ana+beta@Acme.example",
        "--by",
        "Priya",
        "--purpose",
        "interview",
        "--name",
        "Ana Diaz",
        "--company",
        "Acme",
    )
    assert code == 0 and "Logged touch #1" in out
    code, out, err = run(
        db,
        "contacts",
        "log",
        "ana@acme.example",
        "--by",
        "Marcus",
        "--purpose",
        "survey",
        "--date",
        "today",
    )
    assert code == 1 and "refused" in err and "Cooldown: Priya touched them" in err
    code, out, _ = run(db, "contacts", "check", "ANA@acme.example", "--json")
    data = json.loads(out)
    assert code == 1 and data["status"] == "cooldown"
    (reason,) = data["reasons"]
    assert reason["rule"] == "cooldown" and reason["by"] == "Priya"
    assert reason["purpose"] == "interview" and reason["until"] == data["free_on"]
    code, out, _ = run(
        db,
        "contacts",
        "log",
        "ana@acme.example",
        "--by",
        "Marcus",
        "--purpose",
        "survey",
        "--override-reason",
        "Renewal at risk",
    )
    assert code == 0 and "Overrode cooldown: Renewal at risk" in out


def test_log_rejects_bad_input_with_one_sentence(db: Path) -> None:
    code, _, err = run(
        db,
        "contacts",
        "log",
        "x@acme.example",
        "--by",
        "P",
        "--purpose",
        "survey",
        "--date",
        "someday maybe",
    )
    assert code != 0 and "--date" in err and "Traceback" not in err
    code, _, err = run(db, "contacts", "log", "not-an-email", "--by", "P", "--purpose", "survey")
    assert code == 1 and "not an email address" in err


def test_list_filters_by_status_and_prints_json(db: Path) -> None:
    run(db, "contacts", "log", "a@acme.example", "--by", "P", "--purpose", "survey")
    run(db, "import", "contacts", str(_csv(db.parent, "email,name\nb@acme.example,Bo\n")))
    code, out, _ = run(db, "contacts", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and {r["email"]: r["status"] for r in rows} == {
        "a@acme.example": "cooldown",
        "b@acme.example": "free",
    }
    code, out, _ = run(db, "contacts", "list", "--status", "free", "--json")
    assert [r["email"] for r in json.loads(out)] == ["b@acme.example"]
    code, out, _ = run(db, "contacts", "list", "--status", "cooldown")
    assert "a@acme.example" in out and "in cooldown, free again on" in out


def _csv(folder: Path, text: str) -> Path:
    path = folder / "crm.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_reports_and_refuses_bad_files(db: Path, tmp_path: Path) -> None:
    good = _csv(tmp_path, "Email Address,Full Name,Account\na@x.example,A,X\nb@x.example,B,X\n")
    code, out, _ = run(db, "import", "contacts", str(good))
    assert code == 0 and out.strip() == "2 created, 0 updated, 0 unchanged."
    code, out, _ = run(db, "import", "contacts", str(good), "--json")
    assert json.loads(out)["unchanged"] == 2
    bad = _csv(tmp_path, "email\nc@x.example\nbroken\n")
    code, _, err = run(db, "import", "contacts", str(bad))
    assert code == 1 and "nothing was imported" in err and "line 3" in err
    code, out, _ = run(db, "contacts", "list", "--json")
    assert len(json.loads(out)) == 2


def test_forget_needs_yes_and_leaves_no_trace(db: Path) -> None:
    run(db, "contacts", "log", "secret.person@acme.example", "--by", "P", "--purpose", "survey")
    code, _, err = run(db, "contacts", "forget", "secret.person@acme.example")
    assert code == 1 and "--yes" in err
    code, out, _ = run(db, "contacts", "forget", "Secret.Person+x@ACME.example", "--yes")
    assert code == 0 and "no longer hold the address" in out
    assert "erased; 1 touch kept on an anonymous placeholder." in out
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db}{suffix}")
        assert not path.exists() or b"secret.person" not in path.read_bytes().lower()
    code, _, err = run(db, "contacts", "forget", "secret.person@acme.example", "--yes")
    assert code == 1 and "no contact" in err


def test_the_day_named_in_a_refusal_is_the_first_free_day(db: Path) -> None:
    """'in cooldown until 2026-12-26' read as blocked on the 26th too, but the 26th was the
    first day the address was free: check, list and a refused log now say 'free again on'."""
    import re

    run(db, "contacts", "log", "ana@acme.example", "--by", "Priya", "--purpose", "survey")
    code, out, _ = run(db, "contacts", "check", "ana@acme.example")
    assert code == 1
    assert "until" not in out.splitlines()[0]
    found = re.search(r"in cooldown, free again on (\d{4}-\d\d-\d\d)", out)
    assert found, out
    free_day = found[1]
    code, out, _ = run(db, "contacts", "check", "ana@acme.example", "--date", free_day)
    assert code == 0, out
    _, out, _ = run(db, "contacts", "list")
    assert out.rstrip().endswith(f"in cooldown, free again on {free_day}"), out
    code, _, err = run(
        db, "contacts", "log", "ana@acme.example", "--by", "Li", "--purpose", "survey"
    )
    assert code == 1 and f"refused: in cooldown, free again on {free_day}; nothing" in err


def test_forgetting_someone_never_touched_says_so(db: Path) -> None:
    run(db, "import", "contacts", str(_csv(db.parent, "email,name\nb@acme.example,Bo\n")))
    code, out, _ = run(db, "contacts", "forget", "b@acme.example", "--yes")
    assert code == 0 and "personal fields erased; they had no touches." in out


def test_list_prints_every_address_whole_in_one_column(db: Path) -> None:
    long = "jonathan.smithers-longname@enterprise-customer.example"
    for email in (long, "a@acme.example"):
        run(db, "contacts", "log", email, "--by", "P", "--purpose", "survey", "--name", "Jo")
    code, out, _ = run(db, "contacts", "list")
    lines = out.splitlines()
    assert code == 0 and any(long in line for line in lines)
    # The status column starts at one place on every line.
    statuses = {line.index("in cooldown") for line in lines}
    assert len(statuses) == 1


def test_list_by_a_company_nobody_has_offers_the_names_that_hold_it(db: Path) -> None:
    """'--company parcel' printed 'No contacts match.' and exited 0, as if Parcelly had
    nobody; a name is now taken in any case, and one no contact has is refused, offering
    the stored names that hold it."""
    for email, company in (("ana@parcelly.example", "Parcelly"), ("bo@acme.example", "Acme")):
        code, _, _ = run(
            db, "contacts", "log", email, "--by", "Priya", "--purpose", "survey",
            "--company", company,
        )  # fmt: skip
        assert code == 0
    code, out, _ = run(db, "contacts", "list", "--company", " PARCELLY ", "--json")
    assert code == 0 and [row["email"] for row in json.loads(out)] == ["ana@parcelly.example"]
    code, out, err = run(db, "contacts", "list", "--company", "parcel")
    assert code == 1 and out == ""
    assert "--company: no contact has the company 'parcel' (did you mean 'Parcelly'?)" in err
    code, _, err = run(db, "contacts", "list", "--company", "zzz")
    assert code == 1 and "no contact's company is like it" in err


def test_log_refuses_a_completed_touch_on_a_later_day_naming_date(db: Path) -> None:
    """'--status completed --date +2d' recorded an interview that had not happened yet."""
    args = ("contacts", "log", "x@acme.example", "--by", "P", "--purpose", "interview")
    code, out, err = run(db, *args, "--status", "completed", "--date", "+2d")
    assert code == 1 and out == ""
    assert err.startswith("Error: --date: a touch marked completed cannot be on a later day (")
    assert "mark it planned or scheduled until it has happened" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, out, _ = run(db, "contacts", "list", "--json")
    assert json.loads(out) == []
    code, out, _ = run(db, *args, "--status", "scheduled", "--date", "+2d")
    assert code == 0 and "(scheduled)" in out
