"""The themes view: top tags by items and distinct customers, with a 12-week trend each."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, ListItem, ListView, Static

from opsdesk.exporters.markdown_reports import sparkline
from opsdesk.store.feedback import ThemeRow
from opsdesk.text import one_line
from opsdesk.tui.background import hand_back, still_shown


def stretched(weekly: Sequence[int], width: int) -> str:
    """The weeks' bars over ``width`` cells, every week the same width.

    The bars read from zero up to the busiest week (the themes report draws the same ones):
    Textual's Sparkline scales from the quietest week, so a theme of 19, 20, 20… items a
    week showed its 19 as an empty week and its 20s as full ones. Weeks share the cells
    evenly, what does not divide is left blank (18 cells for 12 weeks drew some weeks one
    cell wide and others two), and a column narrower than the weeks keeps the latest ones.
    """
    bars = sparkline(weekly)
    if not bars or width <= 0:
        return ""
    per_week = max(1, width // len(bars))
    shown = bars[-(width // per_week) :]
    return "".join(bar * per_week for bar in shown)


class Trend(Widget):
    """A theme's weekly counts as bars from zero, as wide as the widget."""

    DEFAULT_CSS = """
    Trend {
        height: 1;
        color: $primary;
    }
    """

    def __init__(self, weekly: Sequence[int], *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.weekly = list(weekly)

    def render(self) -> Text:
        return Text(stretched(self.weekly, self.size.width), no_wrap=True)


class ThemeItem(ListItem):
    """One theme: its tag, counts and a sparkline of items per week."""

    def __init__(self, theme: ThemeRow) -> None:
        super().__init__(classes="theme-row")
        self.theme = theme

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(Text(one_line(self.theme.tag, 24)), classes="theme-tag")
            yield Label(Text(f"{self.theme.items:>6,}"), classes="theme-items")
            yield Label(Text(f"{self.theme.customers:>6,}"), classes="theme-customers")
            yield Trend(self.theme.weekly, classes="theme-trend")


class ThemeList(ListView):
    """The themes, moved through with the keys of every opsdesk list: ``j``/``k`` and
    ``g``/``G`` as well as the arrows, Home and End. ListView knows only the arrows, so ``j``
    did nothing and Enter filtered the inbox by the first theme, not the one meant."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="themes.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="themes.up"),
        Binding("home,g", "first", "First", show=False, id="themes.first"),
        Binding("end,G", "last", "Last", show=False, id="themes.last"),
    ]

    def action_first(self) -> None:
        self.index = 0

    def action_last(self) -> None:
        self.index = len(self) - 1


class ThemesScreen(ModalScreen[ThemeRow | None]):
    """Pick a theme (Enter) to filter the inbox by it; Esc closes.

    Given the themes, it shows them at once; given ``load`` instead, it opens at once with
    "Counting themes…" and reads them in a worker thread: on 100,000 items the counting
    takes about a second, which the keys must not wait for.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,e", "close", "Close", id="themes.close"),
    ]

    def __init__(
        self,
        themes: Sequence[ThemeRow] | None = None,
        *,
        load: Callable[[], list[ThemeRow]] | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.themes = None if themes is None else list(themes)
        self.load = load

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog themes-dialog"):
            yield Static(
                Text("Themes — items, customers, 12-week trend (Enter filters)", "bold"),
                classes="dialog-title",
            )
            with Horizontal(classes="theme-header"):
                yield Label("Theme", classes="theme-tag")
                yield Label(" Items", classes="theme-items")
                yield Label("  Cust", classes="theme-customers")
                yield Label("12-week trend", classes="theme-trend-label")
            with Vertical(id="themes-body"):
                if self.themes is None:
                    yield Static(Text("Counting themes…", style="italic"), id="themes-loading")
                else:
                    yield from self._rows(self.themes)

    def on_mount(self) -> None:
        if self.themes is None and self.load is not None:
            self.run_worker(self._load_in_thread, thread=True, exclusive=True)

    def _load_in_thread(self) -> None:
        assert self.load is not None
        hand_back(self, self._show, self.load())

    async def _show(self, themes: list[ThemeRow]) -> None:
        if not still_shown(self):  # closed while counting
            return
        self.themes = themes
        body = self.query_one("#themes-body", Vertical)
        await body.remove_children()
        await body.mount_all(list(self._rows(themes)))
        with contextlib.suppress(NoMatches):
            self.query_one("#themes-list", ListView).focus()

    @staticmethod
    def _rows(themes: list[ThemeRow]) -> ComposeResult:
        if themes:
            yield ThemeList(*[ThemeItem(theme) for theme in themes], id="themes-list")
        else:
            yield Static(Text("No tags yet: tag feedback with T.", style="italic"))

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.item, ThemeItem):
            self.dismiss(event.item.theme)

    def action_close(self) -> None:
        self.dismiss(None)
