"""What one function owes: every open readiness item of legal (or security, ...) due in the
next N weeks across all launches to come, overdue work first, with owners and dates.

The list an ops manager sends to that team: ``c`` copies it as plain text. The list is a
window onto the store's query, like every list in opsdesk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Static

from opsdesk.formatting import counted, day, words
from opsdesk.services.launches import LaunchService, OwedItem
from opsdesk.store.base import WindowRow
from opsdesk.text import one_line
from opsdesk.tui.panes.base import QuerySource
from opsdesk.tui.screens.dialogs import PickerScreen
from opsdesk.tui.screens.launches_actions import STATE_STYLE
from opsdesk.tui.widgets.footer import QuietFooter
from opsdesk.tui.widgets.window_list import Column, WindowList

MAX_WEEKS = 52


def owed_text(function: str, weeks: int, owed: list[OwedItem], until: Any) -> str:
    """The list as plain text, one line an item, ready to paste into a message."""
    lines = [
        f"{words(function).capitalize()}: {counted(len(owed), 'item')} due by {until} "
        f"(next {counted(weeks, 'week')})"
    ]
    for entry in owed:
        item = entry.item
        late = " (OVERDUE)" if entry.overdue else ""
        lines.append(
            f"- {item.due_date}{late} · {one_line(entry.launch_title, 60)} "
            f"(launch {entry.launch_date}) · {one_line(item.title, 60)} · "
            f"{one_line(item.owner or 'unowned', 40)} · {words(item.state)}"
        )
    return "\n".join(lines)


class ByFunctionScreen(Screen[None]):
    """Pick a function and a number of weeks; see what that team owes."""

    help_section: ClassVar[str] = "By function"
    gives_way_to_panes: ClassVar[bool] = True
    """0-4 (and t, Today) close this screen and show that pane (see ``action_show_pane``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="owed.close"),
        Binding("f", "pick", "Function", id="owed.pick"),
        Binding("left", "step_function(-1)", "Previous function", id="owed.previous"),
        Binding("right", "step_function(1)", "Next function", id="owed.next"),
        Binding("plus,equals_sign", "weeks(1)", "More weeks", id="owed.more_weeks"),
        Binding("minus", "weeks(-1)", "Fewer weeks", id="owed.fewer_weeks"),
        Binding("c", "copy", "Copy list", id="owed.copy"),
    ]

    def __init__(
        self,
        service: LaunchService,
        *,
        function: str = "legal",
        weeks: int = 4,
        open_launch: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(id="owed-screen")
        self.service = service
        self.functions = service.functions()
        self.function = function if function in self.functions else self.functions[0]
        self.weeks = weeks
        self.open_launch = open_launch

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="owed-status", classes="pane-status")
        yield WindowList(
            [
                Column("Due", self._due, 10),
                Column("Launch", lambda r: r.extra.get("launch_title") or ""),
                Column("Item", lambda r: r.record.title),
                Column("Owner", lambda r: r.record.owner or "unowned", 18),
                Column(
                    "State",
                    lambda r: Text(
                        words(r.record.state), style=STATE_STYLE.get(r.record.state, "")
                    ),
                    11,
                ),
                Column("Launch day", lambda r: str(r.extra.get("launch_date") or ""), 10),
            ],
            id="owed-list",
            empty_text="Nothing owed in this window.",
        )
        yield QuietFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(WindowList).focus()

    def _due(self, row: WindowRow[Any]) -> Text:
        overdue = row.record.due_date < self.service.today()
        return Text(day(row.record.due_date), style="bold red" if overdue else "")

    def reload(self) -> None:
        store = self.service.store
        where = self.service.owed_where(self.function, self.weeks)
        source = QuerySource(store.readiness, where, "due", store.readiness.OWED_COLUMNS)
        items = self.query_one(WindowList)
        items.set_source(source)
        until = self.service.owed_until(self.weeks)
        status = Text()
        status.append(words(self.function).capitalize(), style="bold")
        status.append(
            f" owes {counted(items.row_count, 'item')} due by {until:%a %d %b %Y} "
            f"(next {counted(self.weeks, 'week')}) · ←/→ function · f pick · +/- weeks · "
            "c copy"
        )
        self.query_one("#owed-status", Static).update(status)
        self.sub_title = f"What {words(self.function)} owes"

    # -- actions -----------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_step_function(self, step: int) -> None:
        index = self.functions.index(self.function)
        self.function = self.functions[(index + step) % len(self.functions)]
        self.reload()

    def action_pick(self) -> None:
        def chosen(function: str | None) -> None:
            if function is not None:
                self.function = function
                self.reload()

        options = [(words(name), name) for name in self.functions]
        self.app.push_screen(PickerScreen("Which function?", options), chosen)

    def action_weeks(self, step: int) -> None:
        self.weeks = max(1, min(MAX_WEEKS, self.weeks + step))
        self.reload()

    def action_copy(self) -> None:
        owed = self.service.owed(self.function, self.weeks)
        text = owed_text(self.function, self.weeks, owed, self.service.owed_until(self.weeks))
        self.app.copy_to_clipboard(text)
        self.app.notify(
            f"Copied {counted(len(owed), 'item')} for {words(self.function)}.",
            timeout=3,
            markup=False,
        )

    def on_window_list_selected(self, message: WindowList.Selected) -> None:
        message.stop()
        if self.open_launch is not None:
            self.open_launch(int(message.row.record.launch_id))
