"""Imports: one tabular reader (CSV any delimiter, BOM, CRLF, quoted multi-line cells, JSON
Lines), header mapping with overrides, feedback all-or-nothing, and contacts through the
same reader."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.importers.feedback import (
    HEADERS,
    parse_instant,
    parse_kind,
    parse_priority,
    read_feedback,
    split_tags,
)
from opsdesk.importers.tabular import (
    TabularError,
    fold_header,
    parse_overrides,
    read_table,
    sniff_delimiter,
)
from opsdesk.services.contact_import import import_contacts_file
from opsdesk.services.desk import Desk
from opsdesk.services.feedback_import import ImportRefused, import_feedback_file
from opsdesk.store import Store
from opsdesk.vocabulary import FeedbackKind

QUIET = settings(suppress_health_check=list(HealthCheck), deadline=None, database=None)
UTC = ZoneInfo("UTC")
NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
HOSTILE = (
    "[b]x[/b] <script>alert(1)</script> | a;b,c \\ \\N \"quoted\" 'single' \x1b[31m\x07 "
    "😀 é\u202e\nsecond line\r\nthird,\tcell"
)


@pytest.fixture
def desk(store: Store, clock: FrozenClock) -> Desk:
    return Desk(store, Config(), clock)


def write(tmp_path: Path, name: str, text: str, *, bom: bool = False, newline: str = "\n") -> Path:
    path = tmp_path / name
    data = text.replace("\n", newline).encode("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + data if bom else data)
    return path


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# -- the reader --------------------------------------------------------------------------------


def test_headers_fold_case_spaces_and_punctuation() -> None:
    assert fold_header("  Requester_Email ") == fold_header("requester-email") == "requester email"
    assert fold_header("Created.At") == "created at"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_any_delimiter_bom_and_line_end(
    tmp_path: Path, delimiter: str, bom: bool, newline: str
) -> None:
    text = csv_text(
        [
            ["Subject", "Description", "Customer Email"],
            ["One", f'multi{newline}line "quoted"{delimiter} cell', "a@x.example"],
            ["Two", "", ""],
        ],
        delimiter,
    ).replace("\r\n", "\n")
    path = write(tmp_path, "f.csv", text, bom=bom, newline=newline)
    table = read_table(path, HEADERS)
    assert table.format == "csv"
    assert table.mapping == {
        "title": "Subject",
        "body": "Description",
        "customer_email": "Customer Email",
    }
    assert [row.line for row in table.rows] == [2, 4]
    assert table.rows[0].cells["body"].replace("\r\n", "\n") == (
        f'multi\nline "quoted"{delimiter} cell'
    )
    assert table.rows[1].cells == {"title": "Two"}
    assert not table.problems


def test_sniffing_ignores_delimiters_inside_quotes() -> None:
    assert sniff_delimiter('"a,b,c";"d"\n') == ";"
    assert sniff_delimiter("title\n") == ","


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_blank_lines_before_the_header_and_between_rows_are_skipped(newline: str) -> None:
    # The header is sniffed from the first line that is not blank, whatever the line ends;
    # a blank line in a one-column file is skipped, not read as a row with no title.
    text = newline.join(["", " ", "title;body", "One;1", "", "Two;2", ""])
    table = read_table(text, HEADERS)
    assert [row.cells for row in table.rows] == [
        {"title": "One", "body": "1"},
        {"title": "Two", "body": "2"},
    ]
    single = read_table(newline.join(["title", "One", "", " ", "Two"]), HEADERS)
    assert [row.cells for row in single.rows] == [{"title": "One"}, {"title": "Two"}]
    assert [row.line for row in single.rows] == [2, 5]


def test_stray_quotes_and_extra_cells_are_reported_by_line(tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", 'title,body\nok,1\n"bad"x,2\nthree,3,extra\nfine,4\n')
    table = read_table(path, HEADERS)
    assert [row.cells["title"] for row in table.rows] == ["ok", "fine"]
    assert [(p.line, p.column) for p in table.problems] == [(3, None), (4, None)]
    assert "3 cells for 2 columns" in table.problems[1].reason


def test_json_lines_flatten_nested_objects_and_keep_lists(tmp_path: Path) -> None:
    lines = [
        {"subject": "A", "requester": {"email": "a@x.example"}, "tags": ["sso", "billing"]},
        {"subject": "B", "priority": 2, "extra": True},
        "not an object",
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\n{broken\n\n"
    table = read_table(write(tmp_path, "f.jsonl", text), HEADERS)
    assert table.format == "jsonl"
    assert table.rows[0].cells == {
        "title": "A",
        "customer_email": "a@x.example",
        "tags": ["sso", "billing"],
    }
    assert table.rows[1].cells == {"title": "B", "priority": "2"}
    assert [(p.line, p.reason[:14]) for p in table.problems] == [
        (3, "not a JSON obj"),
        (4, "not valid JSON"),
    ]
    assert "extra" in table.ignored


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('[{"title": "A"},\n {"title": "B"}]\n', "not valid JSON"),
        ('[{"title": "A"}, {"title": "B"}]\n', "not a JSON object"),
        ("Subject,Created\nExport,2026-11-01\n", "not valid JSON"),
    ],
)
def test_a_file_with_no_json_object_says_what_json_lines_are(
    tmp_path: Path, text: str, reason: str
) -> None:
    """A JSON array, or a CSV read as JSON Lines, said 'no title column (columns: none)'."""
    with pytest.raises(TabularError, match=rf"no line holds a JSON object \(line 1: {reason}"):
        read_table(write(tmp_path, "f.jsonl", text), HEADERS)


def test_map_overrides_win_and_name_bad_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "Subject,Headline,Notes\nA,B,C\n")
    table = read_table(path, HEADERS, parse_overrides(["title=Headline", "body=notes"]))
    assert table.mapping == {"title": "Headline", "body": "Notes"}
    assert table.rows[0].cells == {"title": "B", "body": "C"}
    assert read_table(path, HEADERS, {"title": "Subject", "body": ""}).mapping == {
        "title": "Subject"
    }
    with pytest.raises(TabularError, match="no column 'Nope'"):
        read_table(path, HEADERS, {"title": "Nope"})
    with pytest.raises(TabularError, match="'colour' is not a field"):
        read_table(path, HEADERS, {"colour": "Subject"})
    with pytest.raises(TabularError, match="is not field=column"):
        parse_overrides(["title"])


def test_files_that_are_not_utf8_or_empty_are_refused(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("title\nCafé\n".encode("latin-1"))
    with pytest.raises(TabularError, match="not UTF-8 text \\(line 2\\)"):
        read_table(latin, HEADERS)
    with pytest.raises(TabularError, match="empty"):
        read_table(write(tmp_path, "e.csv", "\n\n"), HEADERS)


# -- feedback values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("urgent", 1), ("High", 2), ("normal", 3), ("medium", 3), ("low", 4), ("P1", 1),
     ("p4", 4), ("2", 2), (" P3 ", 3)],
)  # fmt: skip
def test_priorities(text: str, expected: int) -> None:
    assert parse_priority(text) == expected


@pytest.mark.parametrize("text", ["P5", "0", "asap", "1.5"])
def test_bad_priorities(text: str) -> None:
    with pytest.raises(ValueError, match="is not a priority"):
        parse_priority(text)


def test_kinds() -> None:
    assert parse_kind("Feature Request") is FeedbackKind.REQUEST
    assert parse_kind("incident") is FeedbackKind.BUG
    assert parse_kind("churn_risk") is FeedbackKind.CHURN_RISK
    with pytest.raises(ValueError, match="not a kind"):
        parse_kind("gossip")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", dt.datetime(2026, 11, 20, tzinfo=dt.UTC)),
        ("2026-11-20T10:30:00Z", dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)),
        ("2026-11-20 10:30:00 +0100", dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)),
        ("2026-11-20T10:30:00.123+02:00", dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)),
        ("2026/11/20 10:30", dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)),
        ("20/11/2026", dt.datetime(2026, 11, 20, tzinfo=dt.UTC)),
        ("11/20/2026", dt.datetime(2026, 11, 20, tzinfo=dt.UTC)),
        ("Fri, 20 Nov 2026 10:30:00 +0000", dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)),
        ("1795170600", dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)),
    ],
)
def test_dates_in_the_shapes_tools_export(text: str, expected: dt.datetime) -> None:
    assert parse_instant(text, UTC) == expected


def test_a_naive_time_is_in_the_users_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_instant("2026-11-20 10:30", berlin) == dt.datetime(
        2026, 11, 20, 9, 30, tzinfo=dt.UTC
    )


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "yesterday", "2026"])
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a date"):
        parse_instant(text, UTC)


def test_an_ambiguous_date_says_how_to_write_it() -> None:
    with pytest.raises(ValueError, match=r"could be day/month or month/day: write it as YYYY"):
        parse_instant("05/06/2026", UTC)


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00", "9999-12-31T23:00:00-05:00"])
def test_dates_at_the_calendars_edge_are_refused_not_crashed_on(text: str) -> None:
    """.NET's empty date, seen east of UTC, has no UTC instant: a bad row, not a traceback."""
    with pytest.raises(ValueError, match=r"is not a date"):
        parse_instant(text, ZoneInfo("Europe/Berlin"))


def test_json_lines_keep_line_and_paragraph_separators_inside_strings(tmp_path: Path) -> None:
    """JSON allows U+2028, U+2029 and U+0085 unescaped; only a newline ends a record."""
    title = "Export\u2028fails\u2029again\x85twice"
    text = json.dumps({"title": title}, ensure_ascii=False) + "\n"
    table = read_table(write(tmp_path, "f.jsonl", text), HEADERS)
    assert not table.problems
    assert [row.cells["title"] for row in table.rows] == [title]


def test_tags_split_on_commas_semicolons_pipes_or_spaces() -> None:
    assert split_tags("billing, sso") == ["billing", "sso"]
    assert split_tags("dark mode; mobile") == ["dark mode", "mobile"]
    assert split_tags("billing sso") == ["billing", "sso"]
    assert split_tags(["a", " b "]) == ["a", "b"]


# -- feedback imports --------------------------------------------------------------------------


ZENDESK = csv_text(
    [
        ["Ticket ID", "Subject", "Description", "Requester email", "Organization", "Created at",
         "Tags", "Via", "Priority", "Type"],
        ["101", "Export fails", "It fails\nwhen big", "ana@acme.example", "Acme",
         "2026-11-20 10:00:00 +0000", "export billing", "email", "urgent", "problem"],
        ["102", "Add SSO", "", "bo@globex.example", "Globex", "2026-11-21T09:00:00Z", "sso",
         "web", "low", "feature request"],
    ]
)  # fmt: skip


def test_a_support_desk_export_comes_in_whole(desk: Desk, tmp_path: Path) -> None:
    report = import_feedback_file(desk, write(tmp_path, "zendesk.csv", ZENDESK))
    assert report.imported == 2 and report.ignored_columns == ["Ticket ID"]
    first = desk.store.feedback.get(report.first_id or 0)
    assert (
        first.title == "Export fails" and first.body.replace("\r\n", "\n") == "It fails\nwhen big"
    )
    assert (first.priority, first.kind, first.source) == (1, FeedbackKind.BUG, "email")
    assert first.tags == ["billing", "export"] and first.company == "Acme"
    assert first.received_at == dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    derived = desk.store.feedback.derived(int(first.id or 0))
    assert derived["ack_due_at"] and derived["decide_due_at"] and derived["demand"] == 1
    second = desk.store.feedback.get(report.last_id or 0)
    assert (second.kind, second.priority) == (FeedbackKind.REQUEST, 4)
    assert desk.store.history.for_record("feedback", int(first.id or 0))[0].new == "created"


def test_a_bad_row_in_the_middle_refuses_the_whole_file(desk: Desk, tmp_path: Path) -> None:
    rows = [["title", "created", "priority", "email"]]
    rows += [[f"Item {i}", "2026-11-01", "P2", f"u{i}@x.example"] for i in range(500)]
    rows[250] = ["Item bad", "2026-02-30", "P2", "u@x.example"]
    rows[251] = ["", "2026-11-01", "P9", "not-an-email"]
    rows[300] = ["T" * 501, "2026-11-01", "P2", "u@x.example"]  # refused by the model itself
    before = desk.store.feedback.count()
    history = desk.store.history.count()
    with pytest.raises(ImportRefused) as refused:
        import_feedback_file(desk, write(tmp_path, "bad.csv", csv_text(rows)))
    problems = [(p.line, p.column, p.reason) for p in refused.value.problems]
    assert (251, "created", "'2026-02-30' is not a date") in problems
    assert (252, "priority", "'P9' is not a priority (urgent, high, normal, low, P1-P4, 1-4)") in (
        problems
    )
    assert (252, "email", "'not-an-email' is not an email address") in problems
    assert (252, "title", "no title") in problems
    assert (301, "title", "is too long: at most 500 characters (this one has 501)") in problems
    assert "nothing was imported: 3 bad rows" in str(refused.value)
    assert desk.store.feedback.count() == before
    assert desk.store.history.count() == history


def test_a_failure_while_writing_leaves_nothing_behind(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import opsdesk.services.feedback_import as module

    def broken(_desk: Desk) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(module, "ensure_sla", broken)
    before = desk.store.feedback.count()
    with pytest.raises(OSError, match="disk full"):
        import_feedback_file(desk, write(tmp_path, "z.csv", ZENDESK))
    assert desk.store.feedback.count() == before
    assert desk.store.conn.execute("SELECT count(*) FROM feedback_fts").fetchone()[0] == before


def test_dry_run_shows_what_would_come_in_and_writes_nothing(desk: Desk, tmp_path: Path) -> None:
    report = import_feedback_file(desk, write(tmp_path, "z.csv", ZENDESK), dry_run=True)
    assert report.dry_run and report.rows == 2 and report.imported == 0
    assert [item.title for item in report.preview] == ["Export fails", "Add SSO"]
    assert desk.store.feedback.count() == 0


def test_a_file_without_a_title_column_says_how_to_map_one(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match=r"no title column.*--map title=COLUMN"):
        import_feedback_file(desk, write(tmp_path, "x.csv", "Caption,Text\nA,B\n"))
    report = import_feedback_file(
        desk, write(tmp_path, "x.csv", "Caption,Text\nA,B\n"), overrides={"title": "Caption"}
    )
    assert desk.store.feedback.get(report.first_id or 0).body == "B"


def test_future_dates_are_refused_as_typos(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="is in the future"):
        import_feedback_file(desk, write(tmp_path, "f.csv", "title,date\nA,2027-06-01\n"))


def test_progress_is_reported_by_stage(desk: Desk, tmp_path: Path) -> None:
    rows = [["title"], *[[f"Item {i}"] for i in range(5_000)]]
    seen: list[tuple[str, int, int]] = []
    import_feedback_file(
        desk,
        write(tmp_path, "p.csv", csv_text(rows)),
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    stages = [stage for stage, _, _ in seen]
    assert stages.index("reading") < stages.index("checking") < stages.index("writing")
    checking = [(done, total) for stage, done, total in seen if stage == "checking"]
    assert checking[-1] == (5_000, 5_000) and len(checking) > 2
    # Writing is one transaction: it counts its steps, deadlines first and the commit last.
    writing = [(done, total) for stage, done, total in seen if stage == "writing"]
    assert writing == [(step, 7) for step in range(8)]


@QUIET
@given(st.text(min_size=1, max_size=200).filter(lambda s: s.strip()), st.text(max_size=400))
def test_any_text_survives_a_csv_and_a_jsonl_round_trip(title: str, body: str) -> None:
    clock = FrozenClock(NOW)
    for fmt in ("csv", "jsonl"):
        if fmt == "csv":
            text = csv_text([["title", "body"], [title, body]])
        else:
            text = json.dumps({"title": title, "body": body}, ensure_ascii=False) + "\n"
        parsed = read_feedback(text, tz=UTC, now=clock.now(), format=fmt)
        if parsed.problems:  # only a title the model refuses (over 500 characters)
            assert len(title.strip()) > 500
            continue
        (item,) = parsed.records
        assert item.title == title.strip()
        assert item.body == (body if body.strip() else ""), "a blank cell is an empty one"


def test_hostile_text_and_a_1mb_body_survive_the_import(desk: Desk, tmp_path: Path) -> None:
    body = HOSTILE + "y" * 1_000_000
    rows = [["title", "body", "company"], [HOSTILE[:300], body, HOSTILE[:60]]]
    path = write(tmp_path, "h.csv", csv_text(rows))
    report = import_feedback_file(desk, path)
    item = desk.store.feedback.get(report.first_id or 0)
    assert item.title == HOSTILE[:300].strip()
    assert item.body.replace("\r\n", "\n") == body.replace("\r\n", "\n")
    assert item.company == HOSTILE[:60].strip()
    # another title: the same one at the same instant is the same item, skipped as already in
    jsonl = write(tmp_path, "h.jsonl", json.dumps({"title": "J " + HOSTILE, "body": body}) + "\n")
    again = desk.store.feedback.get(import_feedback_file(desk, jsonl).first_id or 0)
    assert again.body == body, "JSON Lines keep even a lone CR"


# -- contacts through the same reader ----------------------------------------------------------


def test_contacts_import_reads_json_lines_maps_columns_and_dry_runs(
    desk: Desk, tmp_path: Path
) -> None:
    lines = [
        {"Work Email": "ana@acme.example", "Full Name": "Ana", "Account": {"Name": "Acme"}},
        {"Work Email": "bo@acme.example", "Full Name": "Bo"},
    ]
    path = write(tmp_path, "crm.jsonl", "\n".join(json.dumps(line) for line in lines))
    dry = import_contacts_file(desk, path, overrides={"company": "Account.Name"}, dry_run=True)
    assert (dry.created, dry.dry_run) == (2, True)
    assert desk.store.contacts.count() == 0
    done = import_contacts_file(desk, path, overrides={"company": "Account.Name"})
    assert done.created == 2
    ana = desk.store.contacts.by_email("ana@acme.example")
    assert ana is not None and ana.company == "Acme" and ana.name == "Ana"


def test_contacts_semicolon_csv_with_bom_and_crlf(desk: Desk, tmp_path: Path) -> None:
    text = 'Email Address;Full Name;Notes\ncy@x.example;Cy;"line one\nline two; still notes"\n'
    report = import_contacts_file(desk, write(tmp_path, "c.csv", text, bom=True, newline="\r\n"))
    assert report.created == 1
    cy = desk.store.contacts.by_email("cy@x.example")
    assert cy is not None and cy.notes.replace("\r\n", "\n") == "line one\nline two; still notes"


# -- the command line --------------------------------------------------------------------------


def test_cli_import_contacts_lists_each_bad_row_on_its_own_line(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """A refused contacts file said its first ten problems on one line, ';' between them,
    and nothing of the rest; each bad row now has its line (the first fifty, then how many
    more), and the last line says how many, as a refused feedback file does."""
    db = tmp_path / "x.db"
    Store(db, clock=clock).close()
    rows = [f"Person {n},person{n}-at-example" for n in range(60)]
    bad = write(tmp_path, "crm.csv", "Name,Email\nGood,good@x.example\n" + "\n".join(rows) + "\n")
    done = CliRunner().invoke(cli, ["import", "contacts", str(bad), "--db", str(db)])
    assert done.exit_code == 1
    lines = done.stderr.splitlines()
    assert lines[0] == "line 3: 'person0-at-example' is not an email address"
    assert lines[49] == "line 52: 'person49-at-example' is not an email address"
    assert lines[50] == "… and 10 more."
    assert lines[-1].startswith("Error: nothing was imported: 60 bad rows (line 3: ")
    done = CliRunner().invoke(cli, ["import", "contacts", str(bad), "--db", str(db), "--json"])
    assert done.exit_code == 1 and len(json.loads(done.stdout)["problems"]) == 60


def test_cli_import_feedback_reports_each_bad_row_and_exits_1(
    tmp_path: Path, clock: FrozenClock
) -> None:
    db = tmp_path / "x.db"
    Store(db, clock=clock).close()
    bad = write(
        tmp_path, "bad.csv", "Subject,Created\nGood,2026-11-01\n,2026-11-02\nX,2026-02-30\n"
    )
    runner = CliRunner()
    done = runner.invoke(cli, ["import", "feedback", str(bad), "--db", str(db)])
    assert done.exit_code == 1
    assert "line 3, column 'Subject': no title" in done.stderr
    assert "line 4, column 'Created': '2026-02-30' is not a date" in done.stderr
    assert "nothing was imported: 2 bad rows" in done.stderr
    done = runner.invoke(cli, ["import", "feedback", str(bad), "--db", str(db), "--json"])
    assert done.exit_code == 1 and len(json.loads(done.stdout)["problems"]) == 2
    good = write(tmp_path, "good.csv", ZENDESK)
    done = runner.invoke(cli, ["import", "feedback", str(good), "--dry-run", "--db", str(db)])
    assert done.exit_code == 0 and "Would import 2 feedback items" in done.stdout
    done = runner.invoke(cli, ["import", "feedback", str(good), "--json", "--db", str(db)])
    assert done.exit_code == 0 and json.loads(done.stdout)["imported"] == 2
    done = runner.invoke(
        cli, ["import", "feedback", str(good), "--map", "title=Nope", "--db", str(db)]
    )
    assert done.exit_code == 1 and "no column 'Nope'" in done.stderr
    listed = runner.invoke(cli, ["feedback", "list", "--json", "--db", str(db)])
    assert {item["title"] for item in json.loads(listed.stdout)} == {"Export fails", "Add SSO"}
    one = write(tmp_path, "one.csv", "Subject,Created\nDark mode,2026-11-01\n")
    done = runner.invoke(cli, ["import", "feedback", str(one), "--dry-run", "--db", str(db)])
    assert "Would import 1 feedback item (dry run" in done.stdout
    done = runner.invoke(cli, ["import", "feedback", str(one), "--db", str(db)])
    assert done.stdout.strip() == "Imported 1 feedback item (#3 to #3)."


def test_cli_import_contacts_takes_map_and_dry_run(tmp_path: Path, clock: FrozenClock) -> None:
    db = tmp_path / "x.db"
    Store(db, clock=clock).close()
    path = write(tmp_path, "c.csv", "Mail,Who\nd@x.example,Dee\n")
    runner = CliRunner()
    args = ["import", "contacts", str(path), "--map", "email=Mail", "--map", "name=Who"]
    done = runner.invoke(cli, [*args, "--dry-run", "--db", str(db)])
    assert done.exit_code == 0 and "Would be: 1 created" in done.stdout
    done = runner.invoke(cli, [*args, "--db", str(db)])
    assert done.exit_code == 0 and done.stdout.strip() == "1 created, 0 updated, 0 unchanged."
    bad = write(tmp_path, "bad.csv", "Email,Consent\nq@x.example,\x1b]0;pwned\x07\n")
    done = runner.invoke(cli, ["import", "contacts", str(bad), "--json", "--db", str(db)])
    assert done.exit_code == 1
    (problem,) = json.loads(done.stdout)["problems"]
    assert problem.startswith("line 2: consent")
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr, "escapes are shown, not sent"
    assert "␛]0;pwned␇" in done.stderr


def test_cli_import_draws_no_progress_into_a_log(tmp_path: Path, clock: FrozenClock) -> None:
    """Bars are for a terminal: with stderr captured (a log, a pipe), a big import prints
    the column mapping and nothing of 'Reading' or 'Checking'."""
    from opsdesk.commands.imports import PROGRESS_FROM_LINES

    db = tmp_path / "x.db"
    Store(db, clock=clock).close()
    rows = "".join(f"Item {i},2026-11-01\n" for i in range(PROGRESS_FROM_LINES + 10))
    big = write(tmp_path, "big.csv", "Subject,Created\n" + rows)
    done = CliRunner().invoke(cli, ["import", "feedback", str(big), "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert "Reading" not in done.stderr and "Checking" not in done.stderr
    assert done.stderr.startswith("Columns: title ← 'Subject'")


def test_cli_import_contacts_says_its_columns_and_counts_as_the_feedback_import_does(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """A contacts dry run said only 'Would be: 2 created…': not which column became the
    company (the feedback import says), counts had no separators ('12000 created'), and a
    file without an email column was refused without naming the columns it has."""
    db = tmp_path / "x.db"
    Store(db, clock=clock).close()
    rows = "".join(f"p{i}@x.example,P {i},X\n" for i in range(1_200))
    path = write(tmp_path, "crm.csv", "Email Address,Full Name,Account Name,Lead Score\n" + rows)
    runner = CliRunner()
    done = runner.invoke(cli, ["import", "contacts", str(path), "--dry-run", "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[0] == (
        "Would be: 1,200 created, 0 updated, 0 unchanged. (dry run: nothing written)"
    )
    assert done.stdout.splitlines()[-1] == "  … and 1,190 more."
    assert "company ← 'Account Name'" in done.stderr and "email ← 'Email Address'" in done.stderr
    assert "Ignored columns: Lead Score." in done.stderr
    done = runner.invoke(cli, ["import", "contacts", str(path), "--json", "--db", str(db)])
    assert json.loads(done.stdout)["mapping"]["company"] == "Account Name"
    no_email = write(tmp_path, "no.csv", "Name,Phone\nAna,123\n")
    done = runner.invoke(cli, ["import", "contacts", str(no_email), "--db", str(db)])
    assert done.exit_code == 1
    assert "--map email=COLUMN (the file's columns: Name, Phone)" in done.stderr


def test_a_contacts_dry_run_shows_its_first_rows_and_what_each_would_do(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """Like the feedback import's dry run: the first rows, created or updated (naming the
    fields it would change) or unchanged, then how many more; nothing written."""
    from opsdesk.models import Contact
    from opsdesk.services.contact_import import PREVIEW_ROWS

    db = tmp_path / "x.db"
    with Store(db, clock=clock) as store:
        store.contacts.insert(Contact(name="Ann Lee", email="ann@x.example", company="Acme"))
        store.contacts.insert(Contact(name="Bo Kim", email="bo@x.example", company="Beta"))
    rows = "".join(f"new{i}@x.example,New {i},Gamma,\n" for i in range(PREVIEW_ROWS + 3))
    path = write(
        tmp_path,
        "c.csv",
        "Email,Name,Company,Title\n"
        "ann@x.example,Ann Lee,Acme,CTO\n"
        "bo@x.example,Bo Kim,Beta,\n" + rows,
    )
    done = CliRunner().invoke(cli, ["import", "contacts", str(path), "--dry-run", "--db", str(db)])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    created = PREVIEW_ROWS + 3
    assert lines[0] == (
        f"Would be: {created} created, 1 updated, 1 unchanged. (dry run: nothing written)"
    )
    assert lines[1].split() == [
        "line",
        "2",
        "updated",
        "Ann",
        "Lee",
        "ann@x.example",
        "Acme",
        "(role)",
    ]
    assert lines[2].split() == ["line", "3", "unchanged", "Bo", "Kim", "bo@x.example", "Beta"]
    assert lines[3].split() == ["line", "4", "created", "New", "0", "new0@x.example", "Gamma"]
    assert len(lines) == 1 + PREVIEW_ROWS + 1 and lines[-1] == "  … and 5 more."
    as_json = CliRunner().invoke(
        cli, ["import", "contacts", str(path), "--dry-run", "--json", "--db", str(db)]
    )
    preview = json.loads(as_json.stdout)["preview"]
    assert preview[0] == {
        "line": 2, "action": "updated", "name": "Ann Lee", "email": "ann@x.example",
        "company": "Acme", "changes": ["role"],
    }  # fmt: skip
    with Store(db, clock=clock) as store:
        assert store.contacts.count() == 2 and store.contacts.by_email("ann@x.example").role is None  # type: ignore[union-attr]
