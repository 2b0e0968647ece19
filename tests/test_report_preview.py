"""The report preview's tables at 80 columns: dates and numbers are never cut.

Textual's Markdown table shrank every column alike when its columns' longest words did not
fit, so the digest's launch dates read '2026-12-…' at 80x24, and a launch brief's eight
columns '2026-11/-17'. Column sizing is checked on its own (``column_widths``), then in the
app: every table cell shown is at least as wide as its longest letter-free word, a table
too wide for that shows its rows as records, and the saved report is unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets._markdown import MarkdownTableCellContents

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.services import reports
from opsdesk.services.desk import Desk
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.screens.exports import ReportScreen
from opsdesk.tui.widgets.report_markdown import (
    ReportRecords,
    ReportTable,
    ReportTableContent,
    column_widths,
)
from pilot_wait import settle

DIGEST_LAUNCHES = [
    ["Date", "2026-12-01", "2026-12-24"],
    ["Launch", "#4 SAML SSO with SCIM provisioning", "#10 Guided onboarding checklist"],
    ["Owner", "Hannah Cho", "Elena Vasquez"],
    ["Tier", "2", "1"],
    ["Status", "in progress", "planned"],
    ["Readiness", "20% (1/5)", "100% (2/2)"],
    ["Risks", "3", "0"],
]
"""The digest's launch table, its longest words: 69 cells of words at 74 wide."""


def _room(width: int, columns: int) -> int:
    """The cells a table ``width`` wide has for its columns: less its two edges and the
    one-cell line between each pair of columns."""
    return width - 2 - (columns - 1)


def test_columns_that_fit_get_their_longest_line() -> None:
    columns = [["Owner", "Tomás Lindqvist"], ["Breached", "8"]]
    assert column_widths(columns, 60) == [17, 10]


def test_columns_share_what_is_left_after_their_longest_words() -> None:
    """'provisioning' and 'Lindqvist' fit whole; the room left goes to the columns with
    the most still to show (the title), not to 'Breached'."""
    columns = [["Title", "SAML SSO with SCIM provisioning"], ["Owner", "Tomás Lindqvist"]]
    widths = column_widths(columns, 40)
    assert widths is not None
    assert sum(widths) == _room(40, 2)
    assert widths[0] >= len("provisioning") + 2 and widths[1] >= len("Lindqvist") + 2
    assert widths[0] > widths[1]


def test_the_widest_column_of_words_gives_room_before_a_date_is_cut() -> None:
    widths = column_widths(DIGEST_LAUNCHES, 74)
    assert widths is not None
    assert sum(widths) == _room(74, 7)
    date, launch, _, _, status, readiness, _ = widths
    assert date == len("2026-12-01") + 2
    assert status == len("progress") + 2 and readiness >= len("Readiness") + 2, widths
    assert launch < len("provisioning") + 2, "the titles fold, not the states"


def test_a_table_whose_dates_cannot_all_fit_is_none() -> None:
    """A launch brief's readiness: eight columns, a due date and a sign-off time."""
    columns = [
        ["Function", "customer_success"],
        ["Item", "Legal review"],
        ["Owner", "Ben Sørensen"],
        ["Due", "2026-11-17"],
        ["State", "in progress"],
        ["Risk", "overdue"],
        ["Evidence", "notes in SEC-577"],
        ["Signed off", "Ben Sørensen 2026-11-17 17:10"],
    ]
    assert column_widths(columns, 74) is None
    assert column_widths(columns, 110) is not None


def test_a_column_of_dates_is_never_below_its_dates() -> None:
    columns = [["When", "2026-11-17 17:10"], ["Note", "x " * 200]]
    widths = column_widths(columns, 30)
    assert widths is not None and widths[0] >= len("2026-11-17") + 2


# -- in the app -------------------------------------------------------------------------------


def _app(store: Store, clock: FrozenClock) -> OpsdeskApp:
    return build_app(store, Config(), clock=clock, pane="launches", db_label="demo.db")


async def _open(pilot: Pilot[None], app: OpsdeskApp, request: reports.ReportRequest) -> None:
    app.push_screen(ReportScreen(request))
    await settle(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.text)
    await pilot.pause()
    await pilot.pause()


def _letter_free(text: str) -> list[str]:
    return [word for word in text.split() if not any(char.isalpha() for char in word)]


def _cut_cells(screen: Widget) -> list[tuple[str, int]]:
    """Every table cell shown (in a grid or a record) narrower than its longest word with
    no letters in it (a date, a time, a number): its text and its width."""
    cells = [*screen.query(MarkdownTableCellContents), *screen.query(".value")]
    cut = []
    for cell in cells:
        if not cell.region.width:
            continue  # the form not shown at this width
        words = _letter_free(cell.visual.plain)  # type: ignore[union-attr]
        if words and max(len(word) for word in words) > cell.content_region.width:
            cut.append((cell.visual.plain, cell.content_region.width))  # type: ignore[union-attr]
    return cut


def _launch_id(store: Store, title: str) -> int:
    return next(id_ for id_, name in store.launches.titles().items() if name.startswith(title))


async def test_the_digest_shows_whole_dates_at_80x24(demo_store: Store, clock: FrozenClock) -> None:
    """The digest's launches read '2026-12-…' in every row at 80 columns."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, reports.ReportRequest("digest"))
        assert _cut_cells(app.screen) == []
        dates = [
            cell
            for cell in app.screen.query(MarkdownTableCellContents).filter(".cell")
            if cell.name == "cell1.1"  # each table's first row, first column
        ]
        assert dates and dates[0].visual.plain == "2026-11-30"  # type: ignore[union-attr]
        assert dates[0].content_region.width >= len("2026-11-30")
        launches = app.screen.query(ReportTable).first()
        assert not launches.stacked, "seven columns still fit as a table"


async def test_a_table_too_wide_shows_its_rows_as_records_and_comes_back(
    demo_store: Store, clock: FrozenClock
) -> None:
    """A launch brief's readiness (eight columns) read 'Functi/on', '2026-11/-17' and
    'progr/ess' at 80 columns. Its rows are records there, every value whole, and the
    table comes back when the terminal is wide enough."""
    launch_id = _launch_id(demo_store, "Offline mode")
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, reports.ReportRequest("launch", launch_id))
        assert _cut_cells(app.screen) == []
        readiness = app.screen.query(ReportTable).first()
        assert readiness.stacked
        records = readiness.query_one(ReportRecords)
        assert records.region.width and not readiness.query_one(ReportTableContent).display
        labels = [str(label.visual.plain) for label in records.query(".label")][:8]  # type: ignore[union-attr]
        assert labels == [
            "Function",
            "Item",
            "Owner",
            "Due",
            "State",
            "Risk",
            "Evidence",
            "Signed off",
        ]
        assert _cut_cells(app.screen) == []

        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert not readiness.stacked
        assert readiness.query_one(ReportTableContent).region.width
        assert not records.display
        assert _cut_cells(app.screen) == []


@pytest.mark.parametrize("name", ["digest", "launch"])
async def test_the_saved_report_keeps_its_tables_and_absolute_dates(
    demo_store: Store, clock: FrozenClock, tmp_path: Path, name: str
) -> None:
    """The records and the narrower columns are the preview's alone: the saved text is the
    report as rendered, GitHub-flavoured tables with ISO dates (read back by markdown-it)."""
    record_id = _launch_id(demo_store, "Offline mode") if name == "launch" else None
    request = reports.ReportRequest(name, record_id)
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, request)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert any(table.region.width for table in screen.query(ReportTable))
        target = tmp_path / f"{name}.md"
        screen.action_save(target)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, target.exists)
    text = target.read_text(encoding="utf-8")
    assert text == reports.render(Desk(demo_store, Config(), clock), request)
    tokens = MarkdownIt("gfm-like").parse(text)
    cells = [token.content for token in tokens if token.type == "inline"]
    assert "table_open" in {token.type for token in tokens}
    assert any(re.fullmatch(r"2026-\d\d-\d\d", cell) for cell in cells), "whole ISO dates"


async def test_hostile_text_in_a_table_shown_as_records_stays_text() -> None:
    """The records show the cells Textual's Markdown parsed, never as markup: a title such
    as '[@click=app.quit]' reads as typed, and no escape reaches the terminal."""
    from textual.app import App, ComposeResult

    from hostile import CORPUS, assert_safe, screen_text
    from opsdesk.exporters.markdown import Document
    from opsdesk.tui.widgets.report_markdown import ReportMarkdown

    headers = ["Function", "Item", "Owner", "Due", "State", "Risk", "Evidence", "Signed off"]
    rows = [
        [name, text[:60], "Ben Sørensen", "2026-11-17", "in progress", "overdue", text[:60], "–"]
        for name, text in CORPUS.items()
        if name != "long-line"
    ]
    text = Document().table(headers, rows).text()

    class Preview(App[None]):
        def compose(self) -> ComposeResult:
            yield ReportMarkdown(text)

    app = Preview()
    async with app.run_test(size=(80, 200)) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.query_one(ReportTable)
        assert table.stacked
        shown = screen_text(app)
        assert_safe(shown)
        for literal in ("[b]bold[/b] and [red]red[/red]", "[@click=app.quit]quit the app[/]"):
            assert literal in shown
        assert _cut_cells(app.screen) == []
