"""What the inbox-style lists and the launch timeline share: rows under a header, one of
them the cursor.

Both draw only the lines on screen, from pages of a store query (each in its own way); this
class owns the cursor: the keys that move it, the scrolling that keeps it on screen, the click
that puts it on a row, and the messages that say where it went. Each subclass declares its own
``Highlighted`` and ``Selected`` as subclasses of these, so Textual names their handlers
after it (``on_window_list_highlighted``, ``on_launch_timeline_selected``) and a pane holding
both kinds of view hears each apart.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView

from opsdesk.store.base import WindowRow


class CursorView(ScrollView):
    """A scrolling view of ``row_count`` rows below ``header_lines`` lines of header."""

    header_lines: ClassVar[int] = 1
    """Lines at the top that are not rows (column titles, a timeline's months and weeks)."""

    cursor: reactive[int] = reactive(0, always_update=False, repaint=True)

    class Highlighted(Message):
        """The cursor moved onto a row (``row`` is None when there are no rows)."""

        def __init__(self, view: CursorView, row: WindowRow[Any] | None) -> None:
            super().__init__()
            self.view = view
            self.row = row

    class Selected(Message):
        """Enter was pressed on a row."""

        def __init__(self, view: CursorView, row: WindowRow[Any]) -> None:
            super().__init__()
            self.view = view
            self.row = row

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._count = 0

    @property
    def row_count(self) -> int:
        return self._count

    def row_at(self, index: int) -> WindowRow[Any] | None:
        """The row at ``index`` (None past the end); subclasses read it from their pages."""
        raise NotImplementedError

    @property
    def current_row(self) -> WindowRow[Any] | None:
        return self.row_at(self.cursor)

    def _before_move(self, index: int) -> None:
        """Called before the cursor goes to ``index``: a list that has only counted part of
        its rows counts on here."""

    def _last_index(self) -> int:
        """The index of the last row (a list with a capped count counts them all first)."""
        return self._count - 1

    def _set_cursor(self, index: int, *, force_message: bool = False) -> None:
        self._before_move(index)
        index = max(0, min(index, self._count - 1)) if self._count else 0
        changed = index != self.cursor
        self.cursor = index
        self._scroll_to_cursor()
        if changed or force_message:
            self.post_message(self.Highlighted(self, self.current_row))

    def _scroll_to_cursor(self) -> None:
        visible_rows = max(self.size.height - self.header_lines, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible_rows:
            self.scroll_to(y=self.cursor - visible_rows + 1, animate=False, immediate=True)

    def _page_rows(self) -> int:
        """How far page up and down move: the rows on screen, less one kept for context."""
        return max(self.size.height - self.header_lines - 1, 1)

    def action_cursor_down(self) -> None:
        self._set_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._set_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        self._set_cursor(self.cursor + self._page_rows())

    def action_page_up(self) -> None:
        self._set_cursor(self.cursor - self._page_rows())

    def action_first(self) -> None:
        self._set_cursor(0)

    def action_last(self) -> None:
        self._set_cursor(self._last_index())

    def action_select(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    def _index_at(self, y: int) -> int:
        """The row drawn on line ``y`` of the view (below the header): one line a row here;
        a view whose rows are taller says otherwise."""
        return int(self.scroll_offset.y) + y - self.header_lines

    def on_click(self, event: events.Click) -> None:
        # Textual calls every class's on_click, base last: a subclass changes _index_at
        # instead of adding a handler of its own, which this one would then overrule.
        if event.y >= self.header_lines:
            self._set_cursor(self._index_at(event.y))
