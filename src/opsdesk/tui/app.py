"""The opsdesk Textual app: Today and four panes over one store, switched with 0-4.

The app is built by :func:`build_app`, which the CLI, the tests and the snapshot tests all use,
so what is tested is what people run. It watches the database for writes by other processes
(``PRAGMA data_version``) and refreshes what is on screen, keeping the cursor and marks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import MountError, Widget
from textual.widgets import Header, TabbedContent, TabPane

from opsdesk.clock import Clock, SystemClock
from opsdesk.collector import KeyboardCollector
from opsdesk.config import Config
from opsdesk.paths import asset_dir, make_private_dir, state_path
from opsdesk.services.desk import Desk
from opsdesk.store import Store
from opsdesk.text import visible
from opsdesk.tui.bindings import collect_bindings
from opsdesk.tui.commands import RecordProvider
from opsdesk.tui.panes.base import ListPane
from opsdesk.tui.widgets.footer import QuietFooter


@dataclass(frozen=True)
class PaneSpec:
    """A pane's id and tab title, and where its class lives.

    The app imports a pane's module only when it builds the pane: the pane you open on
    first, the others after the first screen is drawn. Start-up then pays for one pane's
    code (and its forms and services), not five.
    """

    pane_id: str
    title: str
    module: str
    class_name: str

    def widget_class(self) -> type[Widget]:
        cls: type[Widget] = getattr(importlib.import_module(self.module), self.class_name)
        return cls


PANES: tuple[PaneSpec, ...] = (
    PaneSpec("today", "Today", "opsdesk.tui.panes.today", "TodayPane"),
    PaneSpec("launches", "Launches", "opsdesk.tui.panes.launches", "LaunchesPane"),
    PaneSpec("feedback", "Feedback", "opsdesk.tui.panes.feedback", "FeedbackPane"),
    PaneSpec("contacts", "Contacts", "opsdesk.tui.panes.contacts", "ContactsPane"),
    PaneSpec("experiments", "Experiments", "opsdesk.tui.panes.experiments", "ExperimentsPane"),
)
PANE_IDS: tuple[str, ...] = tuple(pane.pane_id for pane in PANES)
LIST_PANE_IDS: tuple[str, ...] = PANE_IDS[1:]

LIVE_REFRESH_SECONDS = 1.0
"""How often the app asks SQLite whether another process wrote (a cheap pragma)."""


class Pane(Protocol):
    """What the app needs of every pane, Today included."""

    pane_id: str
    title: str

    def focus_list(self) -> None: ...

    def refresh_list(self, *, reset: bool = False) -> None: ...


class OpsdeskApp(App[None]):
    """A keyboard-driven workstation over one opsdesk database."""

    CSS_PATH = str(asset_dir("styles") / "app.tcss")
    TITLE = "opsdesk"
    COMMANDS: ClassVar[set[Any]] = {*App.COMMANDS, RecordProvider}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (100, "-medium"),
        (120, "-wide"),
    ]
    """The screen's width class, which ``app.tcss`` uses to give lists their room on small
    terminals: under 100 columns each pane's detail moves below its list (beside it, an
    80-column inbox showed six letters of each title), and under 120 the inbox's views
    sidebar hides (beside it and the detail, a 100-column inbox showed twelve)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The tabs already show each pane's number, and help and the palette list every key,
        # so the footer keeps to what the pane on screen does: a short footer is also
        # quicker to rebuild each time the keyboard moves.
        Binding("0,t", "show_pane('today')", "Today", id="app.pane.today", show=False),
        Binding("1", "show_pane('launches')", "Launches", id="app.pane.launches", show=False),
        Binding("2", "show_pane('feedback')", "Feedback", id="app.pane.feedback", show=False),
        Binding("3", "show_pane('contacts')", "Contacts", id="app.pane.contacts", show=False),
        Binding(
            "4", "show_pane('experiments')", "Experiments", id="app.pane.experiments", show=False
        ),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+e", "export_ical", "Export calendar", id="app.export_ical", show=False),
        Binding("ctrl+r", "reports", "Reports", id="app.reports", show=False),
        Binding("ctrl+o", "import_file", "Import a file", id="app.import_file", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        clock: Clock | None = None,
        pane: str = "today",
        db_label: str | None = None,
        remember_theme: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.initial_pane = pane if pane in PANE_IDS else PANE_IDS[0]
        self.remember_theme = remember_theme
        self.sub_title = db_label or str(store.path)
        if store.read_only:
            self.sub_title += " (read-only)"
        self._data_version = store.data_version()
        self._panes: dict[str, Widget] = {}
        self._pane_stamps: dict[str, tuple[int, int]] = {}
        self._shown_pane: str | None = None
        self._collector = KeyboardCollector()

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
            for number, pane in enumerate(PANES):
                with TabPane(f"{number} {pane.title}", id=pane.pane_id):
                    # Hidden panes are built after the first screen is drawn (see
                    # _build_hidden_panes): the pane you open on shows its rows first.
                    if pane.pane_id == self.initial_pane:
                        yield self._new_pane(pane)
        yield QuietFooter()

    def on_mount(self) -> None:
        self._collector.start()
        self.theme = self._remembered_theme() or self.config.general.theme
        if self.remember_theme:
            self.theme_changed_signal.subscribe(self, self._save_theme)
        if self.config.keys:
            self.set_keymap(self.config.keys)
        self._focus_active_list()
        self.call_after_refresh(self._build_hidden_panes)
        if not self.store.in_memory:
            self.set_interval(LIVE_REFRESH_SECONDS, self.check_for_changes)
            # Reading every page of a large file takes a core for a while: after the first rows.
            self.call_after_refresh(
                self.run_worker, self._check_integrity, thread=True, group="integrity"
            )

    def _check_integrity(self) -> None:
        """Read every page once, off the keyboard's path; say so loudly if the file is damaged."""
        companion = self.store.companion()
        try:
            problem = companion.integrity_problem()
        finally:
            companion.close()
        if problem:
            self.call_from_thread(self._report_damage, problem)

    def _report_damage(self, problem: str) -> None:
        self.sub_title += " (DAMAGED)"
        self.notify(problem, severity="error", timeout=30)

    async def _build_hidden_panes(self) -> None:
        # The app may be quitting already (ctrl+q in the first frame): then nothing to build.
        with contextlib.suppress(MountError):
            for pane_id in PANE_IDS:
                if self._exit:
                    return
                await self._ensure_pane(pane_id)
        self._collector.settle()  # start-up is over: what exists now lives as long as the app

    def on_unmount(self) -> None:
        self._collector.stop()

    def _new_pane(self, spec: PaneSpec) -> Widget:
        """Make a pane and remember it: switching panes then needs no search of the screen."""
        pane = spec.widget_class()()
        self._panes[spec.pane_id] = pane
        return pane

    async def _ensure_pane(self, pane_id: str) -> None:
        """Build a pane that has not been built yet (panes are built after the first frame)."""
        if pane_id in self._panes:
            return
        tab = self.query_one(f"TabPane#{pane_id}", TabPane)
        if tab.is_mounted:  # else the app is still starting: _build_hidden_panes will do it
            await tab.mount(self._new_pane(PANES[PANE_IDS.index(pane_id)]))
            # What it loaded is as of now: a change made before it is first shown (the loop
            # closed in the inbox made a contact) must refresh it then (_catch_up).
            self._pane_stamps.setdefault(pane_id, self.store.change_stamp())

    @property
    def panes_built(self) -> bool:
        """Whether every pane has been built (the hidden ones follow the first frame)."""
        return len(self._panes) == len(PANES)

    @property
    def current_pane(self) -> Any:
        """The visible pane (Today or a list pane)."""
        active = self.query_one(TabbedContent).active
        pane = self._panes.get(active)
        if pane is None:
            raise NoMatches(f"the {active} pane is not built yet")
        return pane

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id == "panes" and event.pane.id:
            self._catch_up(event.pane.id)
        self.call_after_refresh(self._focus_active_list)

    def _catch_up(self, shown: str) -> None:
        """Refresh the pane being shown if something changed while it was hidden.

        A change made in one pane often shows in another: closing the loop in the inbox logs
        a touch on the contact, signing off readiness changes Today. Each pane notes the
        store's :meth:`~opsdesk.store.Store.change_stamp` when it is left (its own changes
        are on screen by then) and refreshes, keeping its cursor, when shown with a
        different one. A pane built hidden at start-up notes the stamp it loaded at, so
        its first showing catches up too: the Contacts pane, first opened after closing a
        loop in the inbox, listed the contacts as they were before.
        """
        stamp = self.store.change_stamp()
        if self._shown_pane is not None:
            self._pane_stamps[self._shown_pane] = stamp
        seen = self._pane_stamps.get(shown)
        self._pane_stamps[shown] = stamp
        self._shown_pane = shown
        pane = self._panes.get(shown)
        if seen is None or seen == stamp or pane is None:
            return
        _reread(pane)

    def _focus_active_list(self) -> None:
        """Put the keyboard on the visible pane's list (once the switch has been drawn)."""
        with contextlib.suppress(NoMatches):
            self.current_pane.focus_list()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: messages often quote customer text (a title, an
        email), which must never be read as markup (DESIGN.md rule 1). It starts as a
        sentence does (see :func:`as_sentence`)."""
        super().notify(
            as_sentence(visible(message)),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -- live refresh --------------------------------------------------------------------

    def check_for_changes(self) -> bool:
        """Refresh the visible pane if another process wrote to the database; say if it did.

        SQLite's ``data_version`` changes only for commits by *other* connections, so this
        costs one pragma per second and never reacts to our own writes.
        """
        version = self.store.data_version()
        if version == self._data_version:
            return False
        self._data_version = version
        # The timer can fire while the app closes, its panes' widgets already removed (a
        # worker's own connection had just written): nothing is left on screen to refresh.
        with contextlib.suppress(NoMatches):
            _reread(self.current_pane)
        return True

    # -- theme ---------------------------------------------------------------------------

    def _remembered_theme(self) -> str | None:
        if not self.remember_theme:
            return None
        try:
            data = json.loads(state_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        theme = data.get("theme")
        return theme if isinstance(theme, str) and theme in self.available_themes else None

    def _save_theme(self, theme: Any) -> None:
        """Remember the chosen theme for next time (in a small state file, not the config)."""
        path: Path = state_path()
        try:
            make_private_dir(path.parent)
            data: dict[str, Any] = {}
            if path.exists():
                with contextlib.suppress(ValueError):
                    data = json.loads(path.read_text(encoding="utf-8"))
            data["theme"] = theme.name
            path.write_text(json.dumps(data), encoding="utf-8")
        except OSError as error:
            self.notify(f"Could not remember the theme: {error}", severity="warning")

    # -- actions -------------------------------------------------------------------------

    async def action_show_pane(self, pane_id: str) -> None:
        # A full screen opened over the panes that says it gives way to them (a launch, what
        # a function owes) closes first: the pane switched behind it stayed hidden, so 0-4
        # there seemed to do nothing, and Esc later revealed a pane nobody asked for.
        while len(self.screen_stack) > 1 and getattr(self.screen, "gives_way_to_panes", False):
            await self.pop_screen()
        await self._ensure_pane(pane_id)
        self._show_tab(pane_id)
        self._focus_active_list()

    def _show_tab(self, pane_id: str) -> None:
        """Show ``pane_id``, taking the keyboard off the pane it hides at once.

        The pane left is hidden at the next refresh. If its list still had the focus then,
        Textual handed the focus to a sibling inside that hidden pane (a hidden widget
        blurs: ``Widget._on_hide``, ``Screen._reset_focus``), and the TabbedContent, told
        that a widget of that pane took the focus, switched back to it: on a busy machine,
        '0' on a launch's screen closed it and left the launches showing. The new pane's
        list takes the focus next (``focus_list``, once the switch is drawn).
        """
        self.query_one(TabbedContent).active = pane_id
        focused = self.screen.focused
        pane = self._panes.get(pane_id)
        if focused is not None and pane is not None and pane not in focused.ancestors:
            self.screen.set_focus(None)

    async def open_record(self, pane_id: str, record_id: int, *, view: str | None = None) -> None:
        """Switch to ``pane_id`` with its cursor on record ``record_id``; in the inbox, in
        ``view`` when given (widened only if that view no longer holds the record)."""
        from opsdesk.tui.panes.feedback import FeedbackPane

        await self._ensure_pane(pane_id)
        self._show_tab(pane_id)
        pane = self._panes[pane_id]
        if view is not None and isinstance(pane, FeedbackPane):
            pane.show_view(view)
        if isinstance(pane, ListPane) and not pane.show_record(record_id):
            self.notify(f"#{record_id} is no longer there", severity="warning")
        self.call_after_refresh(pane.focus_list)

    async def open_inbox_view(self, view_id: str, *, sort: str | None = None) -> None:
        """Switch to the inbox showing the whole of one of its views ("sla_breached"), in
        ``sort`` when given ("sla": Today lists the SLA views most overdue first)."""
        from opsdesk.tui.panes.feedback import FeedbackPane

        await self._ensure_pane("feedback")
        self._show_tab("feedback")
        pane = self._panes["feedback"]
        if isinstance(pane, FeedbackPane):
            if sort is not None:
                pane.sort = sort
            pane.show_view(view_id)

    def action_help(self) -> None:
        from opsdesk.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(collect_bindings(self)))

    def action_export_ical(self) -> None:
        """Write launch days, deadlines and follow-ups to an .ics file (asks where)."""
        from opsdesk.tui.screens.exports import export_calendar

        export_calendar(self)

    def action_reports(self) -> None:
        """Pick a Markdown report, preview it, save it."""
        from opsdesk.tui.screens.exports import open_reports

        open_reports(self)

    def action_import_file(self) -> None:
        """Bring a CSV or JSON Lines file into the inbox or the contacts (checked first)."""
        from opsdesk.tui.screens.imports import import_file

        pane_id = self._shown_pane_id()
        if pane_id in ("feedback", "contacts"):
            import_file(self, pane_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Importing is offered where its records are shown: the inbox and the contacts."""
        if action == "import_file":
            return self._shown_pane_id() in ("feedback", "contacts")
        return True

    def _shown_pane_id(self) -> str:
        """The visible pane's id, or "" while the panes are still being built (Textual asks
        :meth:`check_action` from the first frame on)."""
        try:
            return str(getattr(self.current_pane, "pane_id", ""))
        except NoMatches:
            return ""

    def reread_current_pane(self) -> None:
        """Show what a write on another connection (an import in a worker) just changed."""
        self._data_version = self.store.data_version()
        with contextlib.suppress(NoMatches):
            _reread(self.current_pane)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action the bindings offer, named in words for what is selected now."""
        from textual.command import CommandPalette

        from opsdesk.tui.screens.help import HelpScreen

        yield from super().get_system_commands(screen)
        # The palette is a screen of its own, on top of the one it was opened over (the one
        # asked about): comparing with the top screen listed no pane's actions at all.
        top = self.screen
        if isinstance(top, CommandPalette) and len(self.screen_stack) > 1:
            top = self.screen_stack[-2]
        if screen is not top or isinstance(screen, HelpScreen):
            return
        pane = self.current_pane
        for entry in collect_bindings(self, screen):
            if entry.node is None:
                continue
            node, action = entry.node, entry.action
            title = entry.description
            if isinstance(pane, ListPane) and node is pane:
                title = pane.describe_action(action, title)

            def run(node: object = node, action: str = action) -> None:
                self.call_later(self.run_action, action, node)

            yield SystemCommand(title, f"{entry.section} · key {entry.keys}", run)


def build_app(
    store: Store,
    config: Config,
    *,
    clock: Clock | None = None,
    pane: str = "today",
    db_label: str | None = None,
    remember_theme: bool = False,
) -> OpsdeskApp:
    """The one way the app is made, by the CLI and by every test."""
    return OpsdeskApp(
        store, config, clock=clock, pane=pane, db_label=db_label, remember_theme=remember_theme
    )


_PLAIN_FIRST_WORD = re.compile(r"[a-z]+(?=[ ,:;])")


def as_sentence(message: str) -> str:
    """'The last change added 3 items…', not 'the last change…': the services word their
    refusals for the CLI, where they follow 'Error: '; shown alone, they start a sentence.

    Only a plain lower-case word is capitalised: a message that starts with an address,
    a command ('opsdesk import …'), an id or a quoted title keeps it as written."""
    if _PLAIN_FIRST_WORD.match(message) and not message.startswith("opsdesk"):
        return message[0].upper() + message[1:]
    return message


def _reread(pane: Any) -> None:
    """Read a pane's list again (keeping its cursor), and the inbox's view counts too."""
    pane.refresh_list()
    refresh_counts = getattr(pane, "refresh_counts", None)
    if refresh_counts is not None:
        refresh_counts()
