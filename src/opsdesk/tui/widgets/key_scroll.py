"""A scrolling view of text that moves with the list keys, at once on every key press.

Textual's own scroll (``VerticalScroll``'s arrow and page actions) waits for the next
refresh and aims from where the previous press aimed, so keys arriving together (``jjjj``
typed fast, a held arrow) moved the view one line in all. Nor did ``j``/``k``/``g``/``G``,
the keys every list moves with, scroll a long text. The welcome on an empty Today, the
report preview and the help screen read long text, and each press should count.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll


class KeyScroll(VerticalScroll):
    """A ``VerticalScroll`` that ``j``/``k``/``g``/``G`` move too, and whose line, page and
    end actions each move at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="scroll.down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="scroll.up"),
        Binding("g", "scroll_home", "Top", show=False, id="scroll.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="scroll.bottom"),
    ]

    def action_scroll_down(self) -> None:
        self.scroll_down(animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self.scroll_up(animate=False, immediate=True)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)

    def _page(self, direction: int) -> None:
        page = self.scrollable_content_region.height
        self.scroll_to(y=self.scroll_target_y + direction * page, animate=False, immediate=True)
