"""The themes view: top tags by items and distinct customers, with a 12-week trend each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ListItem, ListView, Sparkline, Static

from opsdesk.store.feedback import ThemeRow
from opsdesk.text import one_line


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
            yield Sparkline(self.theme.weekly, summary_function=max, classes="theme-trend")


class ThemesScreen(ModalScreen[str | None]):
    """Pick a theme (Enter) to filter the inbox by it; Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,e", "close", "Close", id="themes.close"),
    ]

    def __init__(self, themes: Sequence[ThemeRow]) -> None:
        super().__init__(classes="dialog-screen")
        self.themes = list(themes)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog themes-dialog"):
            yield Static(
                Text("Themes — items and customers per tag, last 12 weeks (Enter filters)", "bold"),
                classes="dialog-title",
            )
            with Horizontal(classes="theme-header"):
                yield Label("Theme", classes="theme-tag")
                yield Label(" Items", classes="theme-items")
                yield Label("  Cust", classes="theme-customers")
                yield Label("12-week trend", classes="theme-trend-label")
            if self.themes:
                yield ListView(*[ThemeItem(theme) for theme in self.themes], id="themes-list")
            else:
                yield Static(Text("No tags yet: tag feedback with T.", style="italic"))

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.item, ThemeItem):
            self.dismiss(event.item.theme.tag)

    def action_close(self) -> None:
        self.dismiss(None)
