"""The report preview's Markdown: tables whose dates and numbers are never cut.

Textual's Markdown table shares out its width column by column down to each column's
longest word, and when even those do not fit (seven columns at 80x24: the digest's launches)
shrinks every column alike, so '2026-12-01' showed as '2026-12-…' in every row while a
title column kept room to spare, and a launch brief's eight columns read 'Functi/on',
'2026-11/-17', 'progr/ess'. Here a table's columns are sized the way a browser sizes an
HTML table: each column wants its longest line and needs its longest word; when not every
longest word fits, the widest columns of words (titles, names) give up room first, their
long words folded onto the next line, while a word with no letters in it (a date, a time,
an amount, '#12', '20%', '(3/5)', a sparkline) keeps its whole width. A table that cannot
keep those whole shows each row as a record of 'Header  value' lines instead, as a web
page shows a wide table on a phone.

Only the preview is affected: the saved and copied report is the same GitHub-flavoured
Markdown, with the same absolute dates.

Textual is pinned exactly; the table classes come from its private ``_markdown`` module
because the public one does not export them.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownTable, MarkdownTableContent

CELL_PADDING = 2
"""A cell's padding, one column each side (``padding: 0 1`` in Textual's table CSS)."""
KEYLINE_EDGES = 2
"""The keyline drawn down the table's left and right edges."""
FOLDED_WORD = 8
"""The narrowest a column of words is made when it has to give up room: its long words are
folded into pieces this wide rather than cut."""


def _words(text: str) -> list[str]:
    return [word for line in text.splitlines() for word in line.split()]


def _kept(word: str) -> bool:
    """A word that must be shown whole: one with no letters, such as a date, a time, an
    amount, a percentage, an id or a sparkline. Folded, '2026-12-01' reads as two numbers."""
    return not any(char.isalpha() for char in word)


def _share(widths: list[int], room: Sequence[int], amount: int) -> list[int]:
    """``widths`` with ``amount`` (positive to grow, negative to shrink) spread over the
    columns in proportion to their ``room``, whole cells only, summing exactly."""
    total = sum(room)
    if not total or not amount:
        return widths
    exact = [abs(amount) * part / total for part in room]
    whole = [int(value) for value in exact]
    left = abs(amount) - sum(whole)
    order = sorted(range(len(exact)), key=lambda i: exact[i] - whole[i], reverse=True)
    for index in order[:left]:
        whole[index] += 1
    sign = 1 if amount > 0 else -1
    return [width + sign * part for width, part in zip(widths, whole, strict=True)]


def column_widths(columns: Sequence[Sequence[str]], width: int) -> list[int] | None:
    """The width of each column (its cells' padding included) of a table ``width`` cells
    wide, given each column's texts (its header first).

    A column wants its longest line, needs its longest word, and can give up room down to
    its longest letter-free word (or :data:`FOLDED_WORD`, whichever is wider). Columns get
    what they want when everything fits; else what they need and a share of the rest in
    proportion to what they still want; else what they need less what the widest columns
    give up (see :func:`_level`). ``None`` when even the floors are too wide: the rows are
    to be shown as records.
    """
    count = len(columns)
    room = width - KEYLINE_EDGES - (count - 1)  # a one-cell gutter between columns
    wants: list[int] = []
    needs: list[int] = []
    floors: list[int] = []
    for texts in columns:
        words = [word for text in texts for word in _words(text)]
        longest = max((cell_len(line) for text in texts for line in text.splitlines()), default=0)
        need = max((cell_len(word) for word in words), default=0)
        kept = max((cell_len(word) for word in words if _kept(word)), default=0)
        wants.append(longest + CELL_PADDING)
        needs.append(need + CELL_PADDING)
        floors.append(max(kept, min(need, FOLDED_WORD)) + CELL_PADDING)
    if sum(wants) <= room:
        return wants
    if sum(needs) <= room:
        extra = [want - need for want, need in zip(wants, needs, strict=True)]
        return _share(needs, extra, room - sum(needs))
    if sum(floors) <= room:
        return _level(needs, floors, sum(needs) - room)
    return None


def _level(widths: list[int], floors: Sequence[int], excess: int) -> list[int]:
    """``widths`` narrowed by ``excess`` cells, one at a time from the widest column still
    above its floor. The titles' column gives first and folds its longest words; spread
    over every column, 'in progress' and the 'Readiness' header folded too, in every row,
    to spare 'provisioning' one fold."""
    widths = list(widths)
    for _ in range(excess):
        index = max(
            (i for i in range(len(widths)) if widths[i] > floors[i]),
            key=lambda i: (widths[i], widths[i] - floors[i]),
        )
        widths[index] -= 1
    return widths


class ReportTableContent(MarkdownTableContent):
    """A table's grid, its columns sized by :class:`ReportTable`; a word folded onto the
    next line is kept whole, not cut with an ellipsis."""

    DEFAULT_CSS = """
    ReportTableContent {
        & > .cell {
            text-overflow: fold;
        }
        & > .header {
            text-overflow: fold;
        }
    }
    """

    _columns_spec = ""

    def set_columns(self, widths: Sequence[int]) -> None:
        spec = " ".join(str(max(1, cells)) for cells in widths)
        if spec != self._columns_spec:  # setting the same again would lay out again
            self._columns_spec = spec
            self.styles.grid_columns = spec


class ReportRecord(Widget):
    """One row of a table too wide for the terminal, as 'Header  value' lines."""

    DEFAULT_CSS = """
    ReportRecord {
        layout: grid;
        grid-size: 2;
        grid-columns: auto 1fr;
        grid-rows: auto;
        grid-gutter: 0 2;
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        border-left: outer $foreground 20%;
        & > .label {
            color: $primary;
            text-style: bold;
        }
        & > .value {
            text-overflow: fold;
        }
        &:last-child {
            margin-bottom: 0;  /* the table's own margin follows */
        }
    }
    """

    def __init__(self, headers: Sequence[Content], row: Sequence[Content]) -> None:
        super().__init__()
        self.headers = list(headers)
        self.row = list(row)

    def compose(self) -> ComposeResult:
        for header, value in zip(self.headers, self.row, strict=False):
            yield Static(header, classes="label")
            yield Static(value, classes="value")


class ReportRecords(Widget):
    """A table's rows one under the other, each a :class:`ReportRecord`."""

    DEFAULT_CSS = """
    ReportRecords {
        height: auto;
        layout: vertical;
    }
    """

    def __init__(self, headers: Sequence[Content], rows: Sequence[Sequence[Content]]) -> None:
        super().__init__()
        self.headers = list(headers)
        self.rows = [list(row) for row in rows]

    def compose(self) -> ComposeResult:
        for row in self.rows:
            yield ReportRecord(self.headers, row)


class ReportTable(MarkdownTable):
    """A Markdown table drawn as a grid whose columns :func:`column_widths` sizes, or, when
    no widths keep every date and number whole, as :class:`ReportRecords`.

    The choice is made again whenever the table's width changes; the other form is built
    the first time it is needed and kept, hidden, for the terminal growing back."""

    stacked: bool = False
    """Whether the rows are shown as records (the terminal is too narrow for the grid)."""

    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers = headers
        self._rows = rows
        yield ReportTableContent(headers, rows)

    def columns(self) -> list[list[str]]:
        """Each column's texts, its header first."""
        return [
            [header.plain, *(row[index].plain for row in self._rows if index < len(row))]
            for index, header in enumerate(self._headers)
        ]

    async def on_resize(self, event: events.Resize) -> None:
        await self.fit(event.size.width)

    async def fit(self, width: int) -> None:
        """Show the table as a grid or as records for a width of ``width`` cells."""
        if not self._headers or width <= 0:
            return
        widths = column_widths(self.columns(), width)
        grid = self.query_one(ReportTableContent)
        if widths is not None:
            grid.set_columns(widths)
        self.stacked = widths is None
        records = self.query(ReportRecords)
        if self.stacked and not records:
            await self.mount(ReportRecords(self._headers, self._rows))
        grid.display = not self.stacked
        for found in self.query(ReportRecords):
            found.display = self.stacked


class ReportMarkdown(Markdown):
    """Textual's Markdown with :class:`ReportTable` for its tables."""

    BLOCKS = {**Markdown.BLOCKS, "table_open": ReportTable}


__all__ = ["ReportMarkdown", "column_widths"]
