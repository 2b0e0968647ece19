"""A list that is a window onto a store query, never a copy of a table.

:class:`WindowList` renders only the lines on screen (Textual's line API). Rows come from a
:class:`RowSource` a page at a time and are cached; moving to the next page continues from the
previous page's last sort key (keyset pagination), so 100,000 rows open and scroll as fast as
100. Cell text is built as :class:`rich.text.Text` from visible, single-line strings, so no
customer text is ever read as markup or reaches the terminal as a control sequence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from opsdesk.store.base import WindowRow
from opsdesk.text import one_line
from opsdesk.tui.widgets.cursor_view import CursorView
from opsdesk.tui.widgets.list_keys import cursor_bindings
from opsdesk.tui.widgets.paging import PageCache

PAGE_SIZE = 50
MAX_CACHED_PAGES = 80
MAX_CACHED_STRIPS = 2_000
COUNT_CAP = 1_000
"""Lists first count up to this many rows ("1,000+"); the exact count is taken only when
someone scrolls that far, so a broad search never pays for counting 50,000 matches."""


class RowSource(Protocol):
    """Where a list's rows come from: a count and a window, both answered by the store."""

    def count(self, limit: int | None = None) -> int: ...

    def fetch(
        self, offset: int, limit: int, after: tuple[Any, ...] | None, *, total: int | None = None
    ) -> list[WindowRow[Any]]:
        """``limit`` rows at ``offset`` (or after the key ``after``); ``total``, the list's
        exact length when the list knows it, lets a source read a page past the middle
        from the end."""
        ...


@dataclass(frozen=True)
class Column:
    """One column: a header, a width (``None`` shares the space left) and how to show a row."""

    title: str
    cell: Callable[[WindowRow[Any]], str | Text]
    width: int | None = None
    justify: str = "left"
    optional: bool = False
    """Hidden first when the list is too narrow for the flexible column to stay readable."""
    compact: Column | None = None
    """A narrower form (an owner's initials for the name) taken, when the list is too
    narrow, before any optional column is hidden; an optional compact form is hidden only
    after the other optional columns."""


MIN_FLEX_WIDTH = 24


class EmptySource:
    """The source of a list that has not been given one yet."""

    def count(self, limit: int | None = None) -> int:
        return 0

    def fetch(
        self, offset: int, limit: int, after: tuple[Any, ...] | None, *, total: int | None = None
    ) -> list[WindowRow[Any]]:
        return []


@lru_cache(maxsize=256)
def _parsed(style: str | Style) -> Style | None:
    """A cell's style as a Style (cells name theirs as strings like "bold red")."""
    if isinstance(style, Style):
        return style
    return Style.parse(style) if style else None


def _fit(text: str, width: int, justify: str) -> str:
    """``text`` cut to ``width`` cells (with an ellipsis) or padded to it."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, max(width - 1, 0)) + ("…" if width else "")
    padding = " " * (width - length)
    return padding + text if justify == "right" else text + padding


class WindowList(CursorView, can_focus=True):
    """A scrolling, keyboard-driven list over a :class:`RowSource`."""

    BINDINGS: ClassVar[list[BindingType]] = cursor_bindings("list")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "window-list--header",
        "window-list--cursor",
        "window-list--empty",
    }

    DEFAULT_CSS = """
    WindowList {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    WindowList > .window-list--header { text-style: bold; background: $panel; }
    WindowList > .window-list--cursor { background: $accent 40%; }
    WindowList:focus > .window-list--cursor { background: $accent; color: $text; }
    WindowList > .window-list--empty { color: $text-muted; text-style: italic; }
    """

    class Highlighted(CursorView.Highlighted):
        """The cursor moved onto a row (or the list became empty: ``row`` is None)."""

    class Selected(CursorView.Selected):
        """Enter was pressed on a row."""

    class Counted(Message):
        """The list finished counting its rows (after showing the first page)."""

        def __init__(self, view: WindowList) -> None:
            super().__init__()
            self.view = view

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        empty_text: str = "Nothing to show.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.empty_text = empty_text
        self._source: RowSource = EmptySource()
        self._exact = True
        self._pending_count = False
        self._pages: PageCache[Any] = PageCache(PAGE_SIZE, MAX_CACHED_PAGES)
        self._strips: dict[tuple[Any, ...], Strip] = {}
        self._layout_cache: dict[int, tuple[list[Column], list[int]]] = {}
        self._style_cache: dict[str, Style] | None = None

    # -- data ----------------------------------------------------------------------------

    @property
    def count_is_exact(self) -> bool:
        """False while the list only knows it holds *at least* :attr:`row_count` rows."""
        return self._exact

    def _measure(self) -> None:
        settles = self._pending_count  # the count a frame later is being made now instead
        self._pending_count = False
        counted = self._source.count(limit=COUNT_CAP + 1)
        self._exact = counted <= COUNT_CAP
        self._count = counted
        self.virtual_size = Size(self.size.width, self._count + 1)
        if settles:
            # Moving the cursor far (opening a record deep in the list) counts before the
            # frame does: the pane must hear of it, or its status keeps saying "50+".
            self.post_message(self.Counted(self))

    def on_focus(self) -> None:
        self._style_cache = None

    def on_blur(self) -> None:
        self._style_cache = None

    def _measure_after_first_page(self) -> None:
        """A new query: show its first page now and count the rest right after drawing it.

        Typing a search re-runs the query on every keystroke; the rows are what the user is
        waiting for, so the count (which can cost as much again) follows a frame later.
        """
        first = self._page(0)
        if len(first) < PAGE_SIZE:
            self._count, self._exact = len(first), True
        else:
            self._count, self._exact = len(first), False
            self._pending_count = True
            self.call_after_refresh(self._finish_count)
        self.virtual_size = Size(self.size.width, self._count + 1)

    def _finish_count(self) -> None:
        if not self._pending_count:
            return
        self._pending_count = False
        self._measure()
        self.refresh()
        self.post_message(self.Counted(self))

    def _measure_exactly(self) -> None:
        """Someone scrolled to the end of a capped count: now count them all (and say so,
        so the pane's "1,000+" becomes the number)."""
        self._count = self._source.count()
        self._exact = True
        self._pending_count = False
        self.virtual_size = Size(self.size.width, self._count + 1)
        self.post_message(self.Counted(self))

    def adopt_count(self, count: int) -> None:
        """Take an exact count of this same query made elsewhere (the inbox's sidebar counts
        its views anyway), so a capped "1,000+" becomes the number without counting twice.
        A count below the rows already known is out of date and is ignored."""
        if (self._exact and not self._pending_count) or count < self._count:
            return
        self._count, self._exact, self._pending_count = count, True, False
        self.virtual_size = Size(self.size.width, self._count + 1)
        self.refresh()
        self.post_message(self.Counted(self))

    def set_source(self, source: RowSource, *, keep_id: int | None = None) -> None:
        """Show a new query. ``keep_id`` keeps the cursor on that record if it is still near."""
        self._source = source
        self.reload(keep_id=keep_id, reset=True)

    def reload(self, *, keep_id: int | None = None, reset: bool = False) -> None:
        """Re-run the query (after a write); keep the cursor on the same record if possible."""
        if keep_id is None and not reset:
            current = self.current_row
            keep_id = current.line.id if current else None
        old_cursor = 0 if reset else self.cursor
        self._pages.clear()
        self._strips.clear()
        self._exact = False  # until counted again: no page is read from an old count's end
        if reset:
            self._measure_after_first_page()
        else:
            self._measure()
        target = min(old_cursor, max(self._count - 1, 0))
        if keep_id is not None:
            found = self._find_near(keep_id, target)
            if found is not None:
                target = found
        self._set_cursor(target, force_message=True)
        self.refresh()

    def _find_near(self, record_id: int, around: int) -> int | None:
        """Where record ``record_id`` now sits, looking in the pages around ``around``."""
        page = around // PAGE_SIZE
        for candidate in (page, page - 1, page + 1, 0):
            if candidate < 0 or candidate * PAGE_SIZE >= self._count:
                continue
            for index, row in enumerate(self._page(candidate)):
                if row.line.id == record_id:
                    return candidate * PAGE_SIZE + index
        return None

    def _page(self, page: int) -> list[WindowRow[Any]]:
        return self._pages.page(page, self._fetch)

    def _fetch(
        self, offset: int, limit: int, after: tuple[Any, ...] | None
    ) -> list[WindowRow[Any]]:
        """Read a page, telling the source how long the list is when that is known exactly:
        a page past the middle is then read from the end, so End costs what Home does."""
        total = self._count if self._exact and not self._pending_count else None
        return self._source.fetch(offset, limit, after, total=total)

    def row_at(self, index: int) -> WindowRow[Any] | None:
        if self._pending_count and index >= self._count - 1:
            self._measure()
        if not self._exact and not self._pending_count and index >= self._count - PAGE_SIZE:
            self._measure_exactly()
        return self._pages.row(index, self._count, self._fetch)

    # -- cursor --------------------------------------------------------------------------

    def _before_move(self, index: int) -> None:
        if index >= self._count - 1 and (self._pending_count or not self._exact):
            # Going past what has been counted so far: count properly first.
            self._measure()
            if not self._exact and index >= self._count - 1:
                self._measure_exactly()

    def _last_index(self) -> int:
        if not self._exact or self._pending_count:
            self._measure_exactly()
        return self._count - 1

    def move_to(self, index: int) -> None:
        self._set_cursor(index)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self._count + 1)
        self._scroll_to_cursor()

    # -- rendering -----------------------------------------------------------------------

    def _visible_columns(self, total: int) -> list[Column]:
        """The columns that fit: wide ones take their compact form, then optional ones go,
        last first (compact forms last of all), until the text has room."""
        shown = list(self.columns)
        compacts = [column.compact for column in shown if column.compact is not None]
        while True:
            fixed = sum(column.width or 0 for column in shown) + len(shown) - 1
            flexible = [column for column in shown if column.width is None]
            roomy = not flexible or (total - fixed) // len(flexible) >= MIN_FLEX_WIDTH
            wide = [(i, column.compact) for i, column in enumerate(shown) if column.compact]
            if not roomy and wide:
                index, compact = wide[-1]
                shown[index] = compact
                continue
            optional = [column for column in shown if column.optional]
            if roomy or not optional:
                return shown
            others = [column for column in optional if column not in compacts]
            shown.remove((others or optional)[-1])

    def _widths(self, columns: Sequence[Column], total: int) -> list[int]:
        fixed = sum(column.width or 0 for column in columns)
        gaps = len(columns) - 1
        flexible = [column for column in columns if column.width is None]
        spare = max(total - fixed - gaps, 0)
        share = spare // len(flexible) if flexible else 0
        widths = [column.width if column.width is not None else share for column in columns]
        if flexible:
            # Give the rounding remainder to the last flexible column.
            last = max(i for i, column in enumerate(columns) if column.width is None)
            widths[last] += spare - share * len(flexible)
        return widths

    def _line(
        self,
        columns: Sequence[Column],
        cells: Sequence[str | Text],
        widths: list[int],
        style: Style,
        width: int,
        *,
        on_top: bool = False,
    ) -> Strip:
        """One row as segments: each cell cut or padded to its width, a space between.

        Built straight from strings (a cell that is a Text with several styles goes through
        Rich) because this runs for every visible row on every keystroke. ``on_top`` puts
        the row's style over the cells' own colours (the cursor row: green "on track" text
        on the cursor's orange would be hard to read).
        """

        def combine(cell_style: Style | None) -> Style:
            if cell_style is None:
                return style
            return cell_style + style if on_top else style + cell_style

        segments: list[Segment] = []
        for position, (cell, cell_width, column) in enumerate(
            zip(cells, widths, columns, strict=True)
        ):
            if position:
                segments.append(Segment(" ", style))
            if isinstance(cell, Text) and cell.spans:
                text = cell.copy()
                text.no_wrap = True
                text.truncate(cell_width, overflow="ellipsis")
                text.align("right" if column.justify == "right" else "left", cell_width)
                for segment in text.render(self.app.console):
                    segments.append(Segment(segment.text, combine(segment.style)))
                continue
            if isinstance(cell, Text):
                plain, cell_style = cell.plain, _parsed(cell.style)
            else:
                plain, cell_style = one_line(cell), None
            segments.append(Segment(_fit(plain, cell_width, column.justify), combine(cell_style)))
        strip = Strip(segments)
        return strip.adjust_cell_length(width, style).crop(0, width)

    def _layout(self, width: int) -> tuple[list[Column], list[int]]:
        """Visible columns and their widths for a list ``width`` cells wide (cached)."""
        cached = self._layout_cache.get(width)
        if cached is None:
            columns = self._visible_columns(width)
            cached = (columns, self._widths(columns, width))
            self._layout_cache = {width: cached}
        return cached

    def _styles(self) -> dict[str, Style]:
        """The base, header, cursor and empty styles, looked up once per style change."""
        if self._style_cache is None:
            base = self.rich_style
            self._style_cache = {
                "base": base,
                "header": base + self.get_component_rich_style("window-list--header"),
                "cursor": base + self.get_component_rich_style("window-list--cursor"),
                "empty": base + self.get_component_rich_style("window-list--empty"),
            }
        return self._style_cache

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache = None
        self._strips.clear()

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Show other columns (a pane whose sort needs a column its default layout drops)."""
        self.columns = list(columns)
        self._layout_cache = {}
        self.redraw()

    def redraw(self) -> None:
        """Draw every row again (something shown in a cell changed, such as a mark)."""
        self._strips.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns, widths = self._layout(width)
        styles = self._styles()
        if y == 0:
            key: tuple[Any, ...] = ("header", width)
            if key not in self._strips:
                self._strips[key] = self._line(
                    columns, [c.title for c in columns], widths, styles["header"], width
                )
            return self._strips[key]
        index = int(self.scroll_offset.y) + y - 1
        if self._count == 0 and y == 1:
            return Strip([Segment(self.empty_text.ljust(width)[:width], styles["empty"])], width)
        is_cursor = index == self.cursor
        key = (index, is_cursor, self.has_focus, width)
        strip = self._strips.get(key)
        if strip is not None:
            return strip
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, styles["base"])
        style = styles["cursor"] if is_cursor else styles["base"]
        cells = [column.cell(row) for column in columns]
        strip = self._line(columns, cells, widths, style, width, on_top=is_cursor)
        if len(self._strips) > MAX_CACHED_STRIPS:
            self._strips.clear()
        self._strips[key] = strip
        return strip
