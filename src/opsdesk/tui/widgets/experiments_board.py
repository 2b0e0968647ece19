"""The experiment board: one column of cards per status, each a window onto its own query.

A :class:`CardColumn` is a :class:`WindowList` whose rows are drawn as cards several lines
tall. It keeps everything the list does: only the cards on screen are rendered, and cards come
from the store a page at a time by keyset, so a column holding 1,000 concluded experiments
opens as fast as one holding three. The :class:`ExperimentBoard` lays the columns side by side
and moves the keyboard between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from opsdesk.store.base import WindowRow
from opsdesk.tui.widgets.window_list import Column, WindowList
from opsdesk.vocabulary import ExperimentStatus

CARD_HEIGHT = 4
"""Three lines of card and one of space."""

CardLine = list[tuple[str, str]]
"""One line of a card as runs of (visible text, Rich style)."""

CardRenderer = Callable[[WindowRow[Any], int], list[CardLine]]
"""Draws a card: the row and the width available, to at most ``CARD_HEIGHT - 1`` lines."""


class CardColumn(WindowList):
    """One status's column: a header with the count, then cards in the column's order."""

    help_section: ClassVar[str] = "Board column"

    BINDINGS: ClassVar[list[BindingType]] = [
        # On the column itself: a scrolling widget would otherwise take left and right.
        Binding("left,h", "board_column(-1)", "Previous column", show=False, id="board.left"),
        Binding("right,l", "board_column(1)", "Next column", show=False, id="board.right"),
    ]

    DEFAULT_CSS = """
    CardColumn {
        width: 1fr;
        height: 1fr;
        min-width: 12;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(
        self,
        status: ExperimentStatus,
        title: str,
        card: CardRenderer,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            [Column(title, lambda row: "")],
            empty_text="  —",
            id=id,
            classes=classes,
        )
        self.status = status
        self.heading = title
        self.card = card
        self._frame: _Frame | None = None

    # -- geometry: a row is CARD_HEIGHT lines ------------------------------------------------

    def validate_virtual_size(self, size: Size) -> Size:
        """However the list sizes itself (a row a line), a column is a card per row tall,
        with room below the last card to scroll by whole cards.

        The room is measured so that the furthest the column can scroll is a whole number
        of cards: Textual cuts an offset back to that limit (when the column shrinks, or an
        offset was set while it was hidden), and a limit mid-card left the top card's title
        off the screen."""
        cards = self.row_count * CARD_HEIGHT
        height = self.size.height
        if height <= 1:  # not laid out yet (or hidden): no limit to align to
            return Size(size.width, cards + CARD_HEIGHT)
        overflow = max(cards - height, 0)  # the last card's spacer line may fall off
        return Size(size.width, height + -(-overflow // CARD_HEIGHT) * CARD_HEIGHT)

    def _visible_cards(self) -> int:
        return max((self.size.height - 1) // CARD_HEIGHT, 1)

    def _scroll_to_cursor(self) -> None:
        """Scroll by whole cards, so the top card is never cut in half.

        A hidden column (the board behind the conflicts view) has no height to scroll by: it
        scrolls when it is shown again and resized."""
        if self.size.height <= 1:
            return
        top_line = int(self.scroll_offset.y)
        visible_lines = max(self.size.height - 1, CARD_HEIGHT)
        first = self.cursor * CARD_HEIGHT
        last = first + CARD_HEIGHT - 2  # the card's text; its spacer line may fall off
        if first < top_line:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top_line + visible_lines:
            needed = last - visible_lines + 1
            aligned = -(-needed // CARD_HEIGHT) * CARD_HEIGHT
            self.scroll_to(y=aligned, animate=False, immediate=True)

    def _page_rows(self) -> int:
        return self._visible_cards()

    def _index_at(self, y: int) -> int:
        return (int(self.scroll_offset.y) + y - self.header_lines) // CARD_HEIGHT

    def action_board_column(self, step: int) -> None:
        """Hand the keyboard to the next visible column left or right."""
        for ancestor in self.ancestors:
            if isinstance(ancestor, ExperimentBoard):
                ancestor.move_focus(self, step)
                return

    # -- drawing ----------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw a frame, working out the styles and each card's lines once for all its lines."""
        self._frame = self._new_frame()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _new_frame(self) -> _Frame:
        base = self.rich_style
        return _Frame(
            width=self.scrollable_content_region.width,
            base=base,
            cursor=base + self.get_component_rich_style("window-list--cursor"),
        )

    def render_line(self, y: int) -> Strip:
        frame = self._frame or self._new_frame()
        width, base = frame.width, frame.base
        if y == 0:
            style = base + self.get_component_rich_style("window-list--header")
            header = Text(f" {self.heading} ", no_wrap=True, overflow="ellipsis")
            header.append(f"{self.row_count:,}", style="dim")
            return self._strip(header, width, style)
        if self.row_count == 0:
            if y == 1:
                style = base + self.get_component_rich_style("window-list--empty")
                return self._strip(Text(self.empty_text), width, style)
            return Strip.blank(width, base)
        line = int(self.scroll_offset.y) + y - 1
        index, part = divmod(line, CARD_HEIGHT)
        row = self.row_at(index)
        if row is None or part == CARD_HEIGHT - 1:
            return Strip.blank(width, base)
        lines = frame.cards.get(index)
        if lines is None:
            lines = frame.cards[index] = self.card(row, max(width - 1, 1))
        runs = lines[part] if part < len(lines) else []
        return _card_strip(runs, width, frame.cursor if index == self.cursor else base)

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        text.no_wrap = True
        text.truncate(width, overflow="ellipsis", pad=True)
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        return strip.apply_style(style).crop(0, width)


@dataclass
class _Frame:
    """What every line of one frame of a column shares."""

    width: int
    base: Style
    cursor: Style
    cards: dict[int, list[CardLine]] = field(default_factory=dict)


def _card_strip(runs: CardLine, width: int, base: Style) -> Strip:
    """One card line as segments: a margin, the runs cut to the width (by cells, so wide
    characters count double) with an ellipsis, and padding.

    Built directly rather than through :class:`rich.text.Text`, four times faster, which
    matters when a board of five columns draws a hundred card lines.
    """
    segments = [Segment(" ", base)]
    used = 1
    for text, style in runs:
        room = width - used
        if room <= 0:
            break
        cells = cell_len(text)
        if cells > room:
            text = set_cell_size(text, room - 1) + "…"
            cells = room
        segments.append(Segment(text, base + Style.parse(style) if style else base))
        used += cells
    if used < width:
        segments.append(Segment(" " * (width - used), base))
    return Strip(segments, max(used, width))


class ExperimentBoard(Horizontal):
    """The columns side by side; left and right move the keyboard between visible columns."""

    DEFAULT_CSS = """
    ExperimentBoard {
        height: 1fr;
        overflow-x: auto;
        scrollbar-size-horizontal: 1;
    }
    """

    class ColumnFocused(Message):
        """The keyboard moved to another column: its current card is the one to show."""

        def __init__(self, column: CardColumn) -> None:
            super().__init__()
            self.column = column

    def __init__(self, columns: Sequence[CardColumn], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._columns = list(columns)
        self.current: CardColumn = self._columns[0]

    def compose(self) -> ComposeResult:
        yield from self._columns

    @property
    def columns(self) -> list[CardColumn]:
        return list(self._columns)

    def visible_columns(self) -> list[CardColumn]:
        return [column for column in self._columns if column.display]

    def column_for(self, status: ExperimentStatus) -> CardColumn:
        for column in self._columns:
            if column.status is status:
                return column
        raise LookupError(f"the board has no {status.value} column")

    def focus_column(self, column: CardColumn) -> None:
        self.current = column
        column.focus()
        self.post_message(self.ColumnFocused(column))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, CardColumn) and event.widget is not self.current:
            self.current = event.widget
            self.post_message(self.ColumnFocused(event.widget))

    def move_focus(self, column: CardColumn, step: int) -> None:
        """Focus the visible column ``step`` places from ``column`` (stopping at the ends)."""
        shown = self.visible_columns()
        if not shown:
            return
        index = shown.index(column) if column in shown else 0
        target = shown[max(0, min(len(shown) - 1, index + step))]
        if target is not column or self.app.focused is not target:
            self.focus_column(target)
