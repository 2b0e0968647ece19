"""One launch, full screen: its facts and risks, its readiness checklist, and the keys to work
through it (sign off, set state, add, re-own, remove; edit, move the date, go/no-go)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from opsdesk.formatting import counted, day, local_datetime, words
from opsdesk.models import ReadinessItem
from opsdesk.rules.risk import RISK_WORDS, RiskKind
from opsdesk.services.launches import LaunchDetail, LaunchService
from opsdesk.store import RecordNotFound
from opsdesk.store.base import WindowRow
from opsdesk.text import one_line, visible
from opsdesk.tui.panes.base import QuerySource
from opsdesk.tui.screens.launches_actions import STATE_STYLE, LaunchActions, detail_renderable
from opsdesk.tui.widgets.footer import QuietFooter
from opsdesk.tui.widgets.footer_by_width import FooterByWidth, FooterKeys
from opsdesk.tui.widgets.launches_checklist import ChecklistList
from opsdesk.tui.widgets.window_list import WindowList
from opsdesk.vocabulary import ReadinessState


class LaunchScreen(FooterByWidth, Screen[None]):
    """A launch and its checklist; Esc goes back to where it was opened from."""

    help_section: ClassVar[str] = "Launch screen"
    gives_way_to_panes: ClassVar[bool] = True
    """0-4 (and t, Today) close this screen and show that pane (see ``action_show_pane``):
    the pane switched behind it stayed hidden, and the key seemed to do nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="launch.close"),
        Binding("space", "sign_off", "Sign off", id="launch.sign_off"),
        Binding("x", "set_state", "State", id="launch.state"),
        Binding("a", "add_item", "Add item", id="launch.add_item"),
        Binding("o", "reown", "Re-own", id="launch.reown"),
        Binding("delete", "remove_item", "Remove item", show=False, id="launch.remove_item"),
        Binding("e", "edit", "Edit", id="launch.edit"),
        Binding("d", "slip", "Move date", id="launch.slip"),
        Binding("y", "go_no_go", "Go/no-go", id="launch.go_no_go"),
    ]
    """Kept to what fits a 120-column footer, where the last keys (go/no-go, help) were cut
    off: 'Edit' is the launch's edit (items have their own keys), and removing an item, rare
    and confirmed, is left off the footer. Narrower, the footer keeps back, sign off, state,
    move date and go/no-go (:data:`NARROW_FOOTER`). Help (?) and the palette list every key."""

    NARROW_FOOTER: ClassVar[FooterKeys] = FooterKeys(
        frozenset({"close", "sign_off", "set_state", "slip", "go_no_go"})
    )
    """Under 120 columns: at 80 the footer showed 'e ▏' after re-own, and move date and
    go/no-go could not be found from it."""

    def footer_keys(self, narrow: bool) -> FooterKeys:
        return self.NARROW_FOOTER if narrow else FooterKeys()

    def __init__(
        self,
        service: LaunchService,
        launch_id: int,
        on_change: Callable[[int | None], None] | None = None,
        *,
        item_id: int | None = None,
    ) -> None:
        super().__init__(id="launch-screen")
        self.service = service
        self.launch_id = launch_id
        self.on_change = on_change
        self.item_id = item_id
        """The checklist item to open on (a readiness line of Today), else the first."""
        self._detail: LaunchDetail | None = None

    @property
    def actions(self) -> LaunchActions:
        return LaunchActions(self.app, self.service, self._changed)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="launch-body"):
            with VerticalScroll(id="launch-facts"):
                yield Static(id="launch-facts-body")
            with Vertical(id="launch-items-box"):
                yield Static(Text("Readiness checklist", style="bold"), classes="pane-status")
                yield ChecklistList(id="launch-items")
                yield Static(id="launch-item-detail")
        yield QuietFooter()

    def _fit_columns(self) -> None:
        """Size the checklist's columns for this launch's items (see launches_checklist):
        fixed widths cut 'customer success' and every long title at 120 columns."""
        if self._detail is None:
            return
        view = self._detail.view
        items = view.items
        risks = [self._risk(item).plain for item in items]  # type: ignore[arg-type]
        self.query_one(ChecklistList).fit(
            {
                "due": lambda r: self._due(r.record),
                "function": lambda r: words(r.record.function),
                "state": lambda r: Text(
                    words(r.record.state), style=STATE_STYLE.get(r.record.state, "")
                ),
                "title": lambda r: r.record.title,
                "owner": lambda r: r.record.owner or "",
                "risk": lambda r: self._risk(r.record),
            },
            {
                "function": [words(item.function) for item in items],
                "state": [words(item.state) for item in items],
                "risk": risks,
                "title": [item.title for item in items],
            },
        )

    def on_mount(self) -> None:
        items = self.query_one(WindowList)
        store = self.service.store
        where = store.readiness.launch_where(self.launch_id)
        items.set_source(QuerySource(store.readiness, where, "due"))
        if self.item_id is not None:
            position = store.readiness.position(where, "due", self.item_id)
            if position is not None:  # removed since: the checklist opens on its first item
                items.move_to(position)
        self.refresh_detail()
        items.focus()

    # -- data --------------------------------------------------------------------------------

    def refresh_detail(self) -> None:
        try:
            self._detail = self.service.detail(self.launch_id)
        except RecordNotFound:
            self.app.notify("This launch no longer exists.", severity="warning", markup=False)
            self.dismiss(None)
            return
        body = detail_renderable(
            self._detail, self.service.today(), items=False, tz=self.service.desk.tz
        )
        self.query_one("#launch-facts-body", Static).update(body)
        self._fit_columns()
        self.sub_title = one_line(self._detail.view.launch.title, 80)

    def _risk_kind(self, item: ReadinessItem) -> RiskKind | None:
        if self._detail is None:
            return None
        return self._detail.view.assessment.risk_by_item().get(int(item.id or 0))

    def _due(self, item: ReadinessItem) -> Text:
        kind = self._risk_kind(item)
        late = kind in (RiskKind.OVERDUE, RiskKind.BLOCKED)
        return Text(day(item.due_date), style="bold red" if late else "")

    def _risk(self, item: ReadinessItem) -> Text:
        if self._detail is not None and int(item.id or 0) in self._detail.impossible_ids:
            return Text("impossible", style="bold red")
        kind = self._risk_kind(item)
        if kind is None:
            return Text("")
        style = "yellow" if kind == RiskKind.NOT_STARTED else "bold red"
        return Text(RISK_WORDS[kind] if kind != RiskKind.NOT_STARTED else "not started", style)

    def _changed(self, launch_id: int | None) -> None:
        self.refresh_detail()
        self.query_one(WindowList).reload()
        if self.on_change is not None:
            self.on_change(launch_id)

    def on_window_list_highlighted(self, message: WindowList.Highlighted) -> None:
        message.stop()
        self.query_one("#launch-item-detail", Static).update(self._item_text(message.row))

    def on_window_list_selected(self, message: WindowList.Selected) -> None:
        message.stop()
        self.action_set_state()

    def _item_text(self, row: WindowRow[Any] | None) -> Text:
        """The highlighted item in full: when it is due, who owns it (the checklist's Owner
        column gives way to the item's title unless the terminal is very wide, so this is
        where a manager reads who must sign off), what blocks it or its evidence, and the
        sign-off."""
        if row is None:
            return Text("No item selected. a adds one.", style="italic")
        item: ReadinessItem = row.record
        text = Text()
        text.append(f"{words(item.function)} · {visible(item.title)}\n", style="bold")
        lead = counted(item.lead_days, "working day")
        text.append(f"due {item.due_date:%a} {day(item.due_date)}, {lead} before launch\n")
        text.append("owner: ", style="bold")
        if item.owner:
            text.append(one_line(item.owner, 40))
        else:
            text.append("nobody yet (o gives it to someone)", style="yellow")
        if item.owner_role:
            text.append(f" · role {one_line(item.owner_role, 40)}")
        text.append("\n")
        if item.evidence:
            blocked = item.state == ReadinessState.BLOCKED
            text.append("blocked on: " if blocked else "evidence: ", style="bold")
            text.append(one_line(item.evidence, 300) + "\n")
        if item.signed_off_by:
            when = local_datetime(item.signed_off_at, self.service.desk.tz)
            text.append(f"signed off by {one_line(item.signed_off_by, 40)} {when}\n", style="green")
        return text

    def _current_item(self) -> ReadinessItem | None:
        row = self.query_one(WindowList).current_row
        if row is None:
            self.app.notify("No readiness item selected.", severity="warning", markup=False)
            return None
        return row.record  # type: ignore[no-any-return]

    # -- actions -----------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_sign_off(self) -> None:
        item = self._current_item()
        if item is not None:
            self.actions.sign_off(int(item.id or 0))

    def action_set_state(self) -> None:
        item = self._current_item()
        if item is not None:
            self.actions.set_state(int(item.id or 0))

    def action_add_item(self) -> None:
        self.actions.add_item(self.launch_id)

    def action_reown(self) -> None:
        item = self._current_item()
        if item is not None:
            self.actions.reown(int(item.id or 0))

    def action_remove_item(self) -> None:
        item = self._current_item()
        if item is not None:
            self.actions.remove_item(int(item.id or 0))

    def action_edit(self) -> None:
        self.actions.edit_launch(self.launch_id)

    def action_slip(self) -> None:
        self.actions.slip_launch(self.launch_id)

    def action_go_no_go(self) -> None:
        self.actions.go_no_go(self.launch_id)
