"""Follow-ups: every open thread (a follow-up is due and nobody closed it), overdue first."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from opsdesk.formatting import counted, words
from opsdesk.services.contacts import close_follow_up
from opsdesk.services.desk import Desk
from opsdesk.store.base import WindowRow
from opsdesk.text import one_line
from opsdesk.tui.panes.base import QuerySource
from opsdesk.tui.widgets.window_list import Column, WindowList
from opsdesk.vocabulary import TouchPurpose

PURPOSE_WIDTH = max(len(words(purpose)) for purpose in TouchPurpose)


def _who(row: WindowRow[Any]) -> str:
    """The contact's name, or its address: a contact made when the loop was closed on
    feedback has an address but no name, and was listed as '(no name)'."""
    return row.extra.get("contact_name") or row.extra.get("contact_email") or "(no name)"


class FollowUpsScreen(ModalScreen[None]):
    """A list of open threads; ``c`` closes the one under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "close_thread", "Close thread", id="follow_ups.close"),
        Binding("escape,q", "dismiss_screen", "Back", id="follow_ups.back"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__(classes="dialog-screen")
        self.desk = desk

    def _due(self, row: WindowRow[Any]) -> Text:
        due = row.record.follow_up_due
        today = self.desk.today()
        style = "bold red" if due < today else "yellow" if due == today else ""
        label = f"{due.isoformat()}" + (" overdue" if due < today else "")
        return Text(label, style=style)

    def compose(self) -> ComposeResult:
        # The contact's name takes the room left; the purpose is as wide as the longest
        # ('launch announcement'). It took the room left and had 3 cells at 80 columns
        # ('sur…', 'int…'), so no one could tell an interview to follow up from a survey.
        columns = [
            Column("Due", self._due, 18),
            Column("Contact", _who),
            Column("Company", lambda r: r.extra.get("contact_company") or "", 18, optional=True),
            Column("Purpose", lambda r: words(r.record.purpose), PURPOSE_WIDTH),
            Column("By", lambda r: r.record.by, 14),
            Column("Status", lambda r: words(r.record.status), 11, optional=True),
        ]
        with Vertical(classes="dialog contacts-follow-ups"):
            yield Static(
                Text("Open follow-ups, overdue first  (c closes one, Esc goes back)", style="bold"),
                classes="dialog-title",
            )
            yield Static(id="follow-ups-count")
            yield WindowList(columns, id="follow-ups-list", empty_text="No open follow-ups.")

    def on_mount(self) -> None:
        self._load()
        self.query_one(WindowList).focus()

    def _load(self, keep: int | None = None) -> None:
        repo = self.desk.store.touches
        source = QuerySource(repo, repo.open_follow_ups(), "follow_up", repo.follow_up_columns())
        listing = self.query_one(WindowList)
        listing.set_source(source, keep_id=keep)
        # Counted here, not read off the list: the list knows only its first page at once,
        # and the large dataset said '50 open, 3200 overdue'.
        total = repo.count(repo.open_follow_ups())
        overdue = repo.count(
            repo.open_follow_ups().and_("follow_up_due < ?", self.desk.today().isoformat())
        )
        self.query_one("#follow-ups-count", Static).update(
            Text(f"{counted(total, 'open follow-up')}, {overdue:,} overdue")
        )

    def on_window_list_highlighted(self, message: WindowList.Highlighted) -> None:
        message.stop()

    def action_close_thread(self) -> None:
        row = self.query_one(WindowList).current_row
        if row is None:
            return
        close_follow_up(self.desk, int(row.record.id or 0))
        # Whose thread, and how to take it back ('Thread closed.' said neither).
        who = one_line(row.extra.get("contact_name") or row.extra.get("contact_email") or "", 40)
        what = f"{words(row.record.purpose)}, due {row.record.follow_up_due.isoformat()}"
        self.notify(f"Closed the follow-up with {who or 'them'} ({what}; u in the list undoes it).")
        self._load()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
