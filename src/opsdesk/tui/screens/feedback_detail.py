"""The whole of one feedback item's body, however long, in a scrollable read-only view."""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from opsdesk.formatting import local_datetime, words
from opsdesk.models import Feedback
from opsdesk.text import visible


class FeedbackBodyScreen(ModalScreen[None]):
    """A read-only text view renders only what is on screen, so a 1 MB body scrolls smoothly."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="feedback_body.close"),
    ]

    def __init__(self, item: Feedback, tz: ZoneInfo) -> None:
        super().__init__(classes="dialog-screen")
        self.item = item
        self.tz = tz

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical(classes="dialog body-dialog"):
            yield Static(
                Text(visible(f"#{item.id} {item.title}"), style="bold"), classes="dialog-title"
            )
            yield Static(
                Text(
                    f"{local_datetime(item.received_at, self.tz)} · {visible(item.source)} · "
                    f"{words(item.kind)} · P{item.priority} · {words(item.status)} · "
                    f"{len(item.body):,} characters   (Esc closes)",
                    style="dim",
                )
            )
            area = TextArea(visible(item.body), read_only=True, soft_wrap=True, id="feedback-body")
            area.show_line_numbers = False
            yield area

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_close(self) -> None:
        self.dismiss(None)
