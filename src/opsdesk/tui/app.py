"""The opsdesk Textual app: four panes over one store, switched with 1-4.

The app is built by :func:`build_app`, which the CLI, the tests and the snapshot tests all use,
so what is tested is what people run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar
from zoneinfo import ZoneInfo

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from opsdesk.clock import Clock, SystemClock
from opsdesk.config import Config
from opsdesk.paths import asset_dir
from opsdesk.services.desk import Desk
from opsdesk.store import Store
from opsdesk.tui.bindings import collect_bindings
from opsdesk.tui.panes.base import ListPane
from opsdesk.tui.panes.contacts import ContactsPane
from opsdesk.tui.panes.experiments import ExperimentsPane
from opsdesk.tui.panes.feedback import FeedbackPane
from opsdesk.tui.panes.launches import LaunchesPane
from opsdesk.tui.screens.help import HelpScreen

PANES: tuple[type[ListPane], ...] = (LaunchesPane, FeedbackPane, ContactsPane, ExperimentsPane)
PANE_IDS: tuple[str, ...] = tuple(pane.pane_id for pane in PANES)


class OpsdeskApp(App[None]):
    """A keyboard-driven workstation over one opsdesk database."""

    CSS_PATH = str(asset_dir("styles") / "app.tcss")
    TITLE = "opsdesk"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "show_pane('launches')", "Launches", id="app.pane.launches"),
        Binding("2", "show_pane('feedback')", "Feedback", id="app.pane.feedback"),
        Binding("3", "show_pane('contacts')", "Contacts", id="app.pane.contacts"),
        Binding("4", "show_pane('experiments')", "Experiments", id="app.pane.experiments"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        clock: Clock | None = None,
        pane: str = "launches",
        db_label: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.initial_pane = pane if pane in PANE_IDS else PANE_IDS[0]
        self.sub_title = db_label or str(store.path)
        if store.read_only:
            self.sub_title += " (read-only)"

    # -- context for panes ---------------------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        return self.config.tz

    @property
    def desk(self) -> Desk:
        """The store, config and clock, as the services take them."""
        return Desk(self.store, self.config, self.clock)

    def today(self) -> dt.date:
        """Today's date in the user's time zone, from the app's clock."""
        return self.clock.now().astimezone(self.tz).date()

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=self.initial_pane, id="panes"):
            for number, pane in enumerate(PANES, start=1):
                with TabPane(f"{number} {pane.title}", id=pane.pane_id):
                    yield pane()
        yield Footer()

    def on_mount(self) -> None:
        self.theme = self.config.general.theme
        if self.config.keys:
            self.set_keymap(self.config.keys)
        self._focus_active_list()

    @property
    def current_pane(self) -> ListPane:
        active = self.query_one(TabbedContent).active
        return self.query_one(f"#pane-{active}", ListPane)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.call_after_refresh(self._focus_active_list)

    def _focus_active_list(self) -> None:
        """Put the keyboard on the visible pane's list (once the switch has been drawn)."""
        panes = self.query(TabbedContent)
        if panes:
            active = panes.first().active
            for pane in self.query(f"#pane-{active}").results(ListPane):
                pane.focus_list()

    # -- actions -------------------------------------------------------------------------

    def action_show_pane(self, pane_id: str) -> None:
        self.query_one(TabbedContent).active = pane_id
        self.current_pane.focus_list()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(collect_bindings(self)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action the bindings offer, named in words, plus Textual's own commands."""
        yield from super().get_system_commands(screen)
        if screen is not self.screen or isinstance(screen, HelpScreen):
            return
        for entry in collect_bindings(self):
            if entry.node is None:
                continue
            node, action = entry.node, entry.action

            def run(node: object = node, action: str = action) -> None:
                self.call_later(self.run_action, action, node)

            yield SystemCommand(f"{entry.description}", f"{entry.section} · key {entry.keys}", run)


def build_app(
    store: Store,
    config: Config,
    *,
    clock: Clock | None = None,
    pane: str = "launches",
    db_label: str | None = None,
) -> OpsdeskApp:
    """The one way the app is made, by the CLI and by every test."""
    return OpsdeskApp(store, config, clock=clock, pane=pane, db_label=db_label)
