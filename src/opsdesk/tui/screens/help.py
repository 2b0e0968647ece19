"""The ``?`` screen: every key that works here, generated from the live bindings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from opsdesk.tui.bindings import BindingEntry
from opsdesk.tui.widgets.key_scroll import KeyScroll


class HelpScreen(ModalScreen[None]):
    """A table of sections, keys and what they do; any of Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, entries: Sequence[BindingEntry]) -> None:
        super().__init__()
        self.entries = list(entries)

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_edge=False)
        table.add_column("Where", style="dim", no_wrap=True, width=20)
        table.add_column("Keys", style="bold", no_wrap=True, width=16)
        table.add_column("Does", ratio=1)
        for entry in self.entries:
            table.add_row(Text(entry.section), Text(entry.keys), Text(entry.description))
        with KeyScroll(id="help-box"):
            yield Static(Text("Keys  (Esc closes)", style="bold"), id="help-title")
            yield Static(table, id="help-table")

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)
