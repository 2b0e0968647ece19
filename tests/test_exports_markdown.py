"""The Markdown reports, read back with an independent CommonMark parser (markdown-it-py).

Two things are proven: the escaper returns any text unchanged (as shown) through a
CommonMark + GFM-tables parser, and no customer text changes a report's structure: a report
built from hostile text has exactly the block structure of the same report built from
plain words, with only text and line breaks inside its blocks.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.exporters.markdown import Document, clean, escape_block, escape_inline
from opsdesk.models import Contact, Experiment, Feedback, Launch, ReadinessItem, Touch
from opsdesk.services import reports
from opsdesk.services.desk import Desk
from opsdesk.services.feedback import ensure_sla, view_counts
from opsdesk.services.launches import LaunchService
from opsdesk.store import Store
from opsdesk.vocabulary import ExperimentStatus, LaunchStatus, ReadinessState, TouchStatus

COMMONMARK = MarkdownIt("commonmark").enable("table")
GITHUB_LIKE = MarkdownIt("gfm-like")  # adds bare-URL links and strikethrough, as GitHub does
PARSERS = (COMMONMARK, GITHUB_LIKE)
INLINE_OK = {"text", "hardbreak"}
FORBIDDEN = {
    "html_block",
    "html_inline",
    "link_open",
    "image",
    "em_open",
    "strong_open",
    "code_inline",
    "code_block",
    "fence",
    "blockquote_open",
    "s_open",
    "hr",
}

QUIET = settings(suppress_health_check=list(HealthCheck), deadline=None, database=None)
"""Property tests: no time limits, and no example database left in the checkout."""

HOSTILE = (
    "# Heading? <b>bold</b> <script>alert(1)</script> **strong** _em_ `code` ~~gone~~ "
    "[link](http://evil.example) ![img](x.png) <http://auto.example> www.example.com "
    "a@b.example &amp; &#65; $x^2$ | pipe | \\ back\\slash \\| ; , 😀 \x1b[31mred\x07\n"
    "- list item\n1. ordered\n> quote\n    indented code\n```\nfence\n```\n---\n===\n"
    "| a | b |\n| --- | --- |\n\n\ntrailing   "
)


def tokens(text: str, parser: MarkdownIt = COMMONMARK) -> list[Token]:
    return parser.parse(text)


def inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("hardbreak", "softbreak"):
            parts.append("\n")
    return "".join(parts)


def assert_safe(text: str) -> None:
    """No token a customer could have produced: only our blocks, text and breaks inside."""
    for parser in PARSERS:
        for token in tokens(text, parser):
            assert token.type not in FORBIDDEN, token
            for child in token.children or []:
                assert child.type in INLINE_OK, (child.type, child.content)


def structure(text: str) -> list[str]:
    """The block tokens of a document, with the shape of each table."""
    return [f"{t.type}:{t.tag}" for t in tokens(text) if t.type != "inline"]


def tables(text: str) -> list[list[list[str]]]:
    """Each table as rows of cell texts (header row first)."""
    found: list[list[list[str]]] = []
    row: list[str] = []
    stream = tokens(text)
    for index, token in enumerate(stream):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(inline_text(stream[index + 1]))
        elif token.type == "tr_close":
            found[-1].append(row)
    return found


# -- the escaper -------------------------------------------------------------------------------

PIECES = st.sampled_from(
    [*"\\`*_[]<>|~&$#@!-+=.:/(){} \t\n\r;,'\"0123456789wsa", "www.", "http://", "&amp;",
     "<b>", "1. ", "# ", "> ", "```", "    ", "a@b.co", "[x](y)", "---", "===", "\u00a0",
     "\u2028", "😀", "\x1b", "\x00"]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=25).map("".join) | st.text(max_size=60)


@settings(QUIET, max_examples=1500)
@given(TEXTS)
def test_a_paragraph_reads_back_exactly(text: str) -> None:
    for parser in PARSERS:
        stream = tokens(escape_block(text), parser)
        if not clean(text):
            assert stream == []
            continue
        assert [t.type for t in stream] == ["paragraph_open", "inline", "paragraph_close"]
        assert inline_text(stream[1]) == clean(text)
        assert {c.type for c in stream[1].children or []} <= INLINE_OK


@settings(QUIET, max_examples=1000)
@given(TEXTS, TEXTS)
def test_a_table_keeps_its_shape_and_its_text(first: str, second: str) -> None:
    doc = Document().table(["A", "B"], [[first, second], ["x", "y"]]).text()
    for parser in PARSERS:
        stream = tokens(doc, parser)
        assert [t.type for t in stream if t.type.endswith("_open")].count("tr_open") == 3
        cells = [inline_text(stream[i + 1]) for i, t in enumerate(stream) if t.type == "td_open"]
        expected = [clean(v).replace("\n", " ") or "–" for v in (first, second)]
        assert cells == [*expected, "x", "y"]
        assert_safe(doc)


@settings(QUIET, max_examples=500)
@given(TEXTS, st.lists(TEXTS, min_size=1, max_size=4))
def test_headings_and_bullets_hold_whatever_text_they_are_given(
    title: str, items: list[str]
) -> None:
    items = [item for item in items if item]
    doc = Document().heading(2, "Brief: " + title).bullets(items).text()
    stream = tokens(doc)
    assert [t.type for t in stream].count("heading_open") == 1
    assert inline_text(stream[1]) == "Brief: " + clean(title).replace("\n", " ")
    assert [t.type for t in stream].count("list_item_open") == len(items)
    assert [t.type for t in stream].count("bullet_list_open") == (1 if items else 0)
    assert_safe(doc)


def test_escape_inline_neutralises_line_starts_and_links() -> None:
    for text in ("# x", "- x", "+ x", "1. x", "2) x", "> x", "=== ", "http://a.example",
                 "www.a.example", "a@b.example", "<b>", "&copy;"):  # fmt: skip
        assert_safe(escape_inline(text))
        assert inline_text(tokens(escape_inline(text))[1]) == text


def test_punctuation_that_means_nothing_where_it_stands_is_left_as_typed() -> None:
    """A pasted report read 'Billing \\& Monetization', 'Effect: \\-38%' and '\\+3\\.1 pp':
    an ``&`` that opens no character reference, a ``-`` or ``+`` that opens no list (inside a
    line, or not followed by a space), a dot between digits and an ``_`` inside a word mean
    nothing in Markdown, so they are written as typed; what does mean something still is
    escaped, and every text still reads back exactly."""
    doc = (
        Document()
        .heading(2, "Slack integration 2.0 for week_1 cohorts")
        .fields([("Team", "Billing & Monetization"), ("Effect", "-38% complaints; +3.1 pp")])
        .table(["Effect", "Team"], [["-2.6 pp", "R&D"], ["+4.1 pp (CI 2.3 to 5.9)", "Data"]])
        .paragraph("-5% at 1.5x\n- a list?\n+ another\n1. ordered?\n> quote?\n---\n&amp; _em_")
        .text()
    )
    assert "## Slack integration 2.0 for week_1 cohorts" in doc
    assert "Team: Billing & Monetization\\\nEffect: -38% complaints; +3.1 pp" in doc
    assert "| -2.6 pp | R\\&D |" in doc and "| +4.1 pp (CI 2.3 to 5.9) | Data |" in doc
    assert "-5% at 1.5x\\\n\\- a list?\\\n\\+ another\\\n1\\. ordered?" in doc
    assert "\\> quote?\\\n\\---\\\n\\&amp; \\_em\\_" in doc
    assert_safe(doc)
    stream = tokens(doc)
    assert inline_text(stream[1]) == "Slack integration 2.0 for week_1 cohorts"
    paragraphs = [
        inline_text(stream[i + 1]) for i, t in enumerate(stream) if t.type == "paragraph_open"
    ]
    assert (
        paragraphs[-1]
        == "-5% at 1.5x\n- a list?\n+ another\n1. ordered?\n> quote?\n---\n&amp; _em_"
    )
    assert [row[0] for row in tables(doc)[0]] == ["Effect", "-2.6 pp", "+4.1 pp (CI 2.3 to 5.9)"]


# -- reports on the demo -----------------------------------------------------------------------


@pytest.fixture
def desk(demo_store: Store, clock: FrozenClock) -> Desk:
    return Desk(demo_store, Config(), clock)


ALL_REPORTS = [
    reports.ReportRequest("digest"),
    reports.ReportRequest("launch", 4),
    reports.ReportRequest("experiment", 1),
    reports.ReportRequest("themes"),
    reports.ReportRequest("learnings"),
]


@pytest.mark.parametrize("request_", ALL_REPORTS, ids=lambda r: r.name)
def test_demo_reports_are_well_formed(desk: Desk, request_: reports.ReportRequest) -> None:
    text = reports.render(desk, request_)
    assert_safe(text)
    stream = tokens(text)
    assert stream[0].type == "heading_open" and stream[0].tag == "h1"
    for table in tables(text):
        assert len({len(row) for row in table}) == 1, "every row has the header's cells"
    assert not re.search(r"\b(\d+ days? ago|in \d+ days?)\b", text), "no relative dates"
    assert re.search(r"\b2026-11-26\b", text), "dates are absolute"


def test_digest_numbers_match_the_inbox_and_the_ledger(desk: Desk) -> None:
    text = reports.render(desk, reports.ReportRequest("digest"))
    counts = view_counts(desk)
    assert f"{counts['sla_breached']:,} items have breached their SLA" in text
    by_owner = next(t for t in tables(text) if t[0] == ["Owner", "Breached", "At risk"])
    assert sum(int(row[1]) for row in by_owner[1:]) == counts["sla_breached"]
    launches = next(t for t in tables(text) if t[0][0] == "Date" and t[0][1] == "Launch")
    today = desk.today()
    days = [dt.date.fromisoformat(row[0]) for row in launches[1:]]
    assert days == sorted(days) and all(today <= d <= today + dt.timedelta(weeks=4) for d in days)
    overdue = desk.store.conn.execute(
        "SELECT count(*) FROM touches t JOIN contacts c ON c.id = t.contact_id WHERE "
        "follow_up_due < ? AND closed_at IS NULL AND c.forgotten = 0",
        (today.isoformat(),),
    ).fetchone()[0]
    assert f"{overdue} follow-ups overdue" in text


def test_digest_names_the_deadline_each_overdue_item_missed_as_the_inbox_does(
    desk: Desk,
) -> None:
    """'Most overdue' went by the decide-by only, written as the midnight after its last day
    ('2026-09-19 00:00' where the inbox says 'by end of Fri 18 Sep'): an item nobody had
    acknowledged was shown under a decide-by still to come. Each row now names the deadline
    it waits on, as its last day, and the rows go by that deadline."""
    store = desk.store
    received = desk.now() - dt.timedelta(days=90)
    fresh = store.feedback.insert(
        Feedback(title="Nobody answered", kind="bug", priority=1, received_at=received)
    )
    ensure_sla(desk)  # deadlines as the policy sets them; this item's are then moved
    store.conn.execute(
        "UPDATE feedback SET ack_due_at = ?, decide_due_at = ? WHERE id = ?",
        ("2026-09-01T00:00:00+00:00", "2026-12-20T00:00:00+00:00", fresh.id),
    )
    text = reports.render(desk, reports.ReportRequest("digest"))
    worst = next(t for t in tables(text) if t[0][0] == "#" and "Missed" in t[0])
    assert worst[1][0] == str(fresh.id), "the oldest missed deadline comes first"
    assert worst[1][-1] == "acknowledge by 2026-08-31"
    missed = []
    for row in worst[1:]:
        step, _, day = row[-1].partition(" by ")
        item = store.conn.execute(
            "SELECT status, acknowledged_at, ack_due_at, decide_due_at FROM feedback WHERE id = ?",
            (int(row[0]),),
        ).fetchone()
        waiting_ack = item["status"] == "new" and item["acknowledged_at"] is None
        assert step == ("acknowledge" if waiting_ack else "decide")
        due = dt.datetime.fromisoformat(item["ack_due_at" if waiting_ack else "decide_due_at"])
        assert day == (due.date() - dt.timedelta(days=1)).isoformat()
        missed.append(day)
    assert missed == sorted(missed)
    assert "00:00" not in "".join(cell for row in worst for cell in row)


def test_launch_brief_lists_every_item_slip_and_decision(desk: Desk) -> None:
    service = LaunchService(desk)
    launch = desk.store.launches.get(6)
    service.slip(6, launch.launch_date + dt.timedelta(days=14), "Security found | a gap")
    service.decide(6, "no_go", "Not ready:\n- pen test open")
    text = reports.render(desk, reports.ReportRequest("launch", 6))
    assert_safe(text)
    found = tables(text)
    items = next(t for t in found if t[0][:2] == ["Function", "Item"])
    assert len(items) - 1 == len(desk.store.readiness.for_launch(6))
    slips = next(t for t in found if t[0][0] == "Recorded")
    assert slips[-1][4] == "Security found | a gap"
    decisions = next(t for t in found if t[0][0] == "Decided")
    assert decisions[1][2] == "NO-GO" and decisions[1][5] == "Not ready: - pen test open"
    assert f"(originally {launch.launch_date.isoformat()})" in text


def _owes_nothing(desk: Desk, launch_id: int) -> None:
    """Every readiness item of the launch marked not applicable."""
    service = LaunchService(desk)
    for item in desk.store.readiness.for_launch(launch_id):
        service.set_item_state(int(item.id or 0), ReadinessState.NOT_APPLICABLE)


def test_readiness_reads_as_the_app_says_it_for_a_launch_cancelled_or_owing_nothing(
    desk: Desk,
) -> None:
    """The brief said '100% (0/0)' for a launch whose every item is not applicable, and a
    cancelled launch's share of items done as its readiness, as if it were still going out.
    It now says what the launch's detail says; the digest's table says 'n/a'."""
    assert desk.store.launches.get(14).status == LaunchStatus.CANCELLED
    brief = reports.render(desk, reports.ReportRequest("launch", 14))
    assert "Readiness: cancelled" in brief
    _owes_nothing(desk, 13)  # the demo's #13 lands within the digest's four weeks
    brief = reports.render(desk, reports.ReportRequest("launch", 13))
    assert "Readiness: n/a (every item is not applicable), 2 items in all" in brief
    digest = reports.render(desk, reports.ReportRequest("digest"))
    row = next(row for row in tables(digest)[0] if row[1].startswith("#13 "))
    assert row[5] == "n/a", row


def test_unknown_ids_and_wrong_arguments_are_refused(desk: Desk) -> None:
    with pytest.raises(reports.ReportError, match="no launch has the id 999"):
        reports.render(desk, reports.ReportRequest("launch", 999))
    with pytest.raises(reports.ReportError, match="needs the experiment's id"):
        reports.render(desk, reports.ReportRequest("experiment"))
    with pytest.raises(reports.ReportError, match="takes no id"):
        reports.render(desk, reports.ReportRequest("themes", 3))


def test_every_report_writes_counts_with_thousands_separators(clock: FrozenClock) -> None:
    """The themes report wrote '12345' where the digest's sentences, the learnings and the
    app write '12,345': every count in every report's tables now has its separators, while
    a record id stays as the app shows it ('#12345', not '#12,345')."""
    from opsdesk.exporters import markdown_reports as md

    now, tz = clock.now(), ZoneInfo("UTC")
    themes = md.ThemesReport(
        now, tz, dt.date(2026, 9, 7), 12, [md.ThemeLine("sso", 12_345, 2_345, [1_000] * 12)]
    )
    [table] = tables(md.themes_markdown(themes))
    assert table[1][:5] == ["sso", "12,345", "2,345", "4,000", "4,000"]

    learnings = md.LearningsReport(
        now, tz, total=1_500, teams=[md.TeamLine("Growth", 1_500, 1_000, 300, 150, 50, 2 / 3)]
    )
    text = md.learnings_markdown(learnings)
    assert tables(text)[0][1] == ["Growth", "1,500", "1,000", "300", "150", "50", "67%"]
    assert "1,500 concluded experiments" in text

    item = Feedback(id=12_345, title="Slow", priority=1, kind="bug", received_at=now)
    digest = md.Digest(
        now, tz, dt.date(2026, 11, 20), dt.date(2026, 11, 26), 4, dt.date(2026, 12, 24),
        breached=12_345, sla_owners=[md.OwnerSla("Ana", 12_345, 1_001)],
        worst=[md.BreachLine(item, now)], new_feedback=2_000, new_feedback_before=1_999,
        themes=[md.ThemeWeeks("sso", 1_234, 1_111, 4_321)], touches=1_234,
        touches_by=[("Ana", 1_234)], touches_by_purpose=[("interview", 1_234)],
    )  # fmt: skip
    found = tables(md.digest_markdown(digest))
    assert ["Ana", "12,345", "1,001"] in found[0]
    assert found[1][1][0] == "12345", "an id is not a count"
    assert found[2][1][1:4] == ["1,234", "1,111", "4,321"]
    assert ["Ana", "1,234"] in found[3] and ["interview", "1,234"] in found[4]
    for table in found:
        for row in table[1:]:
            assert not any(re.fullmatch(r"\d{4,}", cell) for cell in row[1:]), row


# -- hostile text everywhere -------------------------------------------------------------------


def seed(store: Store, clock: FrozenClock, say: Callable[[str], str]) -> None:
    """One of everything the reports show, every free-text field from ``say``."""
    now = clock.now()
    today = now.date()
    big = say("summary") + "x" * 1_000_000 if say("x") != "x" else "plain summary"
    launch = store.launches.insert(
        Launch(title=say("launch")[:400], summary=big, owner=say("owner")[:200],
               audience=say("audience")[:200], launch_date=today + dt.timedelta(days=5))
    )  # fmt: skip
    for offset, function in enumerate(("legal", "security", "docs")):
        store.readiness.insert(
            ReadinessItem(launch_id=launch.id, function=function, title=say("item")[:300],
                          owner=say("item owner")[:100], evidence=say("evidence"),
                          due_date=today - dt.timedelta(days=offset))
        )  # fmt: skip
    desk = Desk(store, Config(), clock)
    service = LaunchService(desk)
    service.slip(int(launch.id or 0), today + dt.timedelta(days=6), say("reason")[:400])
    service.decide(int(launch.id or 0), "go", say("note"))
    for i in range(3):
        store.feedback.insert(
            Feedback(title=say(f"feedback {i}")[:400], body=say("body"), company=say("co")[:100],
                     owner=say("fb owner")[:100], tags=[say("tag")[:50], "plain"],
                     launch_id=launch.id, priority=1, kind="bug",
                     received_at=now - dt.timedelta(days=10 + i))
        )  # fmt: skip
    store.feedback.insert(
        Feedback(title=say("new")[:400], tags=[say("tag")[:50]], received_at=now - dt.timedelta(1))
    )
    contact = store.contacts.insert(
        Contact(name=say("contact")[:100], email="c@x.example", company=say("company")[:100])
    )
    store.touches.insert(
        Touch(contact_id=int(contact.id or 0), by=say("by")[:100], at=now - dt.timedelta(days=2),
              status=TouchStatus.SENT, follow_up_due=today - dt.timedelta(days=1))
    )  # fmt: skip
    for status, start, end in (
        (ExperimentStatus.RUNNING, today - dt.timedelta(days=2), None),
        (ExperimentStatus.CONCLUDED, today - dt.timedelta(days=30), today - dt.timedelta(days=1)),
    ):
        experiment = store.experiments.insert(
            Experiment(title=say("experiment")[:400], hypothesis=say("hypothesis"), status=status,
                       owner=say("exp owner")[:100], team=say("team")[:100],
                       surface=say("surface")[:100], primary_metric=say("metric")[:100],
                       effect=say("effect")[:200], learnings=big, actual_start=start,
                       actual_end=end, result="won" if end else None,
                       decision="ship" if end else None)
        )  # fmt: skip
        store.experiments.set_links(
            int(experiment.id or 0), feedback_ids=[1], launch_ids=[int(launch.id or 0)]
        )


HOSTILE_REPORTS = [
    reports.ReportRequest("digest"),
    reports.ReportRequest("launch", 1),
    reports.ReportRequest("experiment", 1),
    reports.ReportRequest("experiment", 2),
    reports.ReportRequest("themes"),
    reports.ReportRequest("learnings"),
]


@pytest.mark.parametrize("request_", HOSTILE_REPORTS, ids=lambda r: f"{r.name}-{r.record_id}")
def test_hostile_text_never_changes_a_report(
    clock: FrozenClock, request_: reports.ReportRequest
) -> None:
    texts = {}
    for label, say in (("plain", lambda name: "x"), ("hostile", lambda name: f"{name} {HOSTILE}")):
        with Store(clock=clock) as store:
            seed(store, clock, say)
            texts[label] = reports.render(Desk(store, Config(), clock), request_)
    hostile = texts["hostile"]
    assert_safe(hostile)
    assert structure(hostile) == structure(texts["plain"])
    for plain_table, hostile_table in zip(tables(texts["plain"]), tables(hostile), strict=True):
        assert [len(row) for row in plain_table] == [len(row) for row in hostile_table]
    shown = clean(HOSTILE)
    if request_.name != "themes":
        body = "\n".join(inline_text(t) for t in tokens(hostile) if t.type == "inline")
        assert shown.strip().replace("\n", " ")[:60] in body.replace("\n", " ")
    if request_.name in ("launch", "learnings"):
        assert "x" * 1_000_000 in hostile, "1 MB texts are kept whole"
    assert "\x1b" not in hostile and "\x07" not in hostile


# -- files and the command line ----------------------------------------------------------------


def test_cli_prints_or_saves_each_report(tmp_path: Path, clock: FrozenClock) -> None:
    from opsdesk.demo import load_demo

    db = tmp_path / "demo.db"
    with Store(db, clock=clock) as store:
        load_demo(store, clock.now().date())
    runner = CliRunner()
    for args in (["digest", "--weeks", "2"], ["launch", "4"], ["experiment", "1"], ["themes"],
                 ["learnings", "--limit", "3"]):  # fmt: skip
        done = runner.invoke(cli, ["export", "markdown", *args, "--db", str(db)])
        assert done.exit_code == 0, done.output
        assert done.stdout.startswith("# ")
        assert_safe(done.stdout)
    target = tmp_path / "out" / "brief.md"
    done = runner.invoke(
        cli, ["export", "markdown", "launch", "4", "-o", str(target), "--db", str(db)]
    )
    assert done.exit_code == 0 and "Wrote the launch brief" in done.stderr
    assert target.read_text(encoding="utf-8").startswith("# Launch brief")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    done = runner.invoke(cli, ["export", "markdown", "launch", "--db", str(db)])
    assert done.exit_code == 1 and "needs the launch's id" in done.stderr
    done = runner.invoke(cli, ["export", "markdown", "experiment", "999", "--db", str(db)])
    assert done.exit_code == 1 and "no experiment has the id 999" in done.stderr


def _both_exports_refuse(tmp_path: Path, clock: FrozenClock, output: str, error: str) -> None:
    """``export markdown`` and ``export ical`` both refuse ``-o output`` with exit 1 and
    exactly ``Error: error``: each -o mistake is checked through both exports."""
    db = tmp_path / "opsdesk.db"
    Store(db, clock=clock).close()
    runner = CliRunner()
    for args in (["markdown", "themes"], ["ical"]):
        done = runner.invoke(cli, ["export", *args, "-o", output, "--db", str(db)])
        assert done.exit_code == 1
        assert done.stderr.strip() == f"Error: {error}"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a folder no one can write in")
def test_a_failed_write_names_the_file_asked_for_not_a_temporary_one(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """'-o /proc/x.md' failed with '/proc/.x.md.29391-3b37231a.tmp: No such file or
    directory', a file the person never named."""
    _both_exports_refuse(tmp_path, clock, "/proc/x.out", "/proc/x.out: No such file or directory")


def test_opsdesk_report_is_export_markdown_by_a_shorter_name(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """'opsdesk report digest' is what a manager types first; it was 'No such command'."""
    from opsdesk.demo import load_demo

    db = tmp_path / "demo.db"
    with Store(db, clock=clock) as store:
        load_demo(store, clock.now().date())
    runner = CliRunner()
    listed = runner.invoke(cli, ["--help"])
    assert re.search(r"^  report\s+Write a Markdown report", listed.stdout, re.M)
    short = runner.invoke(cli, ["report", "launch", "4", "--db", str(db)])
    long = runner.invoke(cli, ["export", "markdown", "launch", "4", "--db", str(db)])
    assert short.exit_code == 0 and short.stdout == long.stdout
    assert short.stdout.startswith("# Launch brief: ")
    refused = runner.invoke(cli, ["report", "launch", "--db", str(db)])
    assert refused.exit_code == 1 and "needs the launch's id" in refused.stderr


def test_an_empty_output_is_said_as_such(tmp_path: Path, clock: FrozenClock) -> None:
    """'-o "$OUT"' with OUT unset was refused as '. is a folder; name a file such as …'."""
    _both_exports_refuse(tmp_path, clock, "", "-o is empty: name a file, or '-' for stdout")
