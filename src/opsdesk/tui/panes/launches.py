"""The launch pane: every launch as a list (by date or by risk) or as a timeline of weeks.

Both views are windows onto the store: the list pages through launches in its sort order,
the timeline asks only for the launches whose readiness meets the weeks on screen. Each page
of launches is assessed once (readiness %, risks, collisions, blackouts) by the launch
service. Enter opens a launch's own screen; ``f`` shows what one function owes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static

from opsdesk.formatting import counted, day, words
from opsdesk.models import Launch
from opsdesk.services.launches import LaunchService, LaunchView
from opsdesk.store.base import Repository, WindowRow
from opsdesk.text import visible
from opsdesk.tui.panes.base import MIN_SEARCH, ListPane, QuerySource, while_running
from opsdesk.tui.screens.launches_actions import LaunchActions, detail_renderable
from opsdesk.tui.screens.launches_detail import LaunchScreen
from opsdesk.tui.screens.launches_owed import ByFunctionScreen
from opsdesk.tui.widgets.footer_by_width import FooterByWidth, FooterKeys
from opsdesk.tui.widgets.launches_focus import LaunchFocus
from opsdesk.tui.widgets.launches_timeline import LaunchTimeline
from opsdesk.tui.widgets.window_list import Column, WindowList
from opsdesk.vocabulary import LaunchStatus

LEGEND = (
    "◆ launch day  ▼ today  L legal  S security  $ sales  M marketing  C cust. success  "
    "H support  D docs  2-9 several\n"
    "red: late or blocked · yellow: due soon, not started · green: done · "
    "× same week and audience · ░ blackout (shaded)"
)


CONTEXT_ROWS = 3
"""Rows of launches already out kept in sight above the first one to come (see _to_today)."""


def _view(row: WindowRow[Launch]) -> LaunchView | None:
    view = row.extra.get("view")
    return view if isinstance(view, LaunchView) else None


def _ready(row: WindowRow[Launch]) -> str:
    view = _view(row)
    return "–" if view is None else view.assessment.cell()


def _risk(row: WindowRow[Launch]) -> Text:
    view = _view(row)
    if view is None or not view.assessment.at_risk:
        return Text("")
    return Text(f"● {len(view.assessment.risks)}", style="bold red")


def _flags(row: WindowRow[Launch]) -> Text:
    view = _view(row)
    if view is None:
        return Text("")
    marks = ("×" if view.flags.collisions else "") + ("░" if view.flags.blackouts else "")
    return Text(marks, style="bold red")


class LaunchListSource(QuerySource):
    """The list's query; each page comes back assessed by the launch service."""

    def __init__(self, service: LaunchService, text: str, sort: str) -> None:
        super().__init__(service.store.launches, service.list_where(text), sort)
        self.service = service

    def fetch(
        self, offset: int, limit: int, after: tuple[Any, ...] | None, *, total: int | None = None
    ) -> list[WindowRow[Any]]:
        return self.service.decorate(super().fetch(offset, limit, after, total=total))


class TimelineQuery:
    """The timeline's query: launches meeting the weeks on screen, by date, a page at a time."""

    def __init__(self, service: LaunchService, text: str = "") -> None:
        self.service = service
        self.text = text

    def count(self, start: Any, end: Any) -> int:
        return int(self.service.store.launches.count(self._where(start, end)))

    def fetch(
        self, start: Any, end: Any, offset: int, limit: int, after: tuple[Any, ...] | None
    ) -> list[WindowRow[Launch]]:
        rows = self.service.store.launches.window(
            self._where(start, end), "date", offset=offset, limit=limit, after=after
        )
        return self.service.decorate(rows)

    def position(self, start: Any, end: Any, launch_id: int) -> int | None:
        return self.service.store.launches.position(self._where(start, end), "date", launch_id)

    def _where(self, start: Any, end: Any) -> Any:
        return self.service.timeline_where(start, end, self.text)


LIST_FOOTER = {
    False: FooterKeys(labels={"toggle_view": "Timeline"}),
    True: FooterKeys(
        frozenset({"search", "cycle_sort", "toggle_view", "slip", "go_no_go"}),
        {"toggle_view": "Timeline"},
    ),
}
"""The list's footer, wide and narrow (see :mod:`~opsdesk.tui.widgets.footer_by_width`):
narrow, search and the sort (by risk finds the launches at risk), the way to the timeline, and
the keys no one guesses, move date and go/no-go; new and edit are in help."""
TIMELINE_FOOTER = {
    False: FooterKeys(labels={"toggle_view": "List"}),
    True: FooterKeys(frozenset({"toggle_view", "slip", "go_no_go"}), {"toggle_view": "List"}),
}
"""The timeline's footer: narrow, the pane adds only the way back to the list, move date
and go/no-go to the timeline's own weeks and zoom."""


class LaunchesPane(FooterByWidth, ListPane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_view", "Timeline/list", id="launches.toggle_view"),
        Binding("n", "new_launch", "New", id="launches.new"),
        Binding("e", "edit", "Edit", id="launches.edit"),
        Binding("d", "slip", "Move date", id="launches.slip"),
        Binding("y", "go_no_go", "Go/no-go", id="launches.go_no_go"),
        Binding("f", "by_function", "By function", id="launches.by_function"),
    ]
    """Short descriptions: with the timeline's keys and the app's, the footer must fit in 120
    columns, and it cut off the last keys (quit, help) when every description was a phrase.
    Short, they leave room for ``f By function`` whole at 120 (the timeline's footer, the
    longer, keeps a column to spare); it was left off when it fitted, and what a function
    owes was found only through help. The footer says where ``t`` goes ('Timeline',
    'List') and narrower shows fewer keys (:meth:`footer_keys`), without ``f``."""

    def footer_view(self) -> str:
        return str(getattr(self, "view_mode", "list"))  # read before __init__ ends

    def footer_keys(self, narrow: bool) -> FooterKeys:
        return (TIMELINE_FOOTER if self.footer_view() == "timeline" else LIST_FOOTER)[narrow]

    pane_id = "launches"
    title = "Launches"
    noun = "launches"
    noun_one = "launch"
    default_sort = "date"

    def __init__(self) -> None:
        super().__init__()
        self.view_mode = "list"
        self._service: LaunchService | None = None

    # -- what the base pane asks for ------------------------------------------------------------

    @property
    def service(self) -> LaunchService:
        if self._service is None:
            self._service = LaunchService(self.desk)
        return self._service

    @property
    def actions(self) -> LaunchActions:
        return LaunchActions(self.app, self.service, self.after_change)

    @property
    def repository(self) -> Repository[Any]:
        return self.service.store.launches

    def where(self) -> Any:
        return self.service.list_where(self.search_text)

    def source(self) -> QuerySource:
        return LaunchListSource(self.service, self.search_text, self.sort)

    def columns(self) -> Sequence[Column]:
        return [
            Column("Date", lambda r: day(r.record.launch_date), 10),
            Column("Title", lambda r: r.record.title),
            Column("Tier", lambda r: str(r.record.tier), 4, "right", optional=True),
            Column("Status", lambda r: words(r.record.status), 11),
            Column("Owner", lambda r: r.record.owner or "", 14, optional=True),
            Column("Ready", _ready, 5, "right"),
            Column("Risk", _risk, 4),
            Column("!", _flags, 2),
        ]

    def detail(self, row: WindowRow[Launch]) -> RenderableType:
        detail = self.service.detail(int(row.record.id or 0))
        return detail_renderable(detail, self.service.today(), tz=self.service.desk.tz)

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="launches-status", classes="pane-status")
        yield Input(
            placeholder="Search launch titles… (Esc clears)",
            id="launches-search",
            classes="pane-search",
        )
        with Horizontal(classes="pane-body"):
            yield WindowList(self.columns(), id="launches-list", empty_text="No launches here.")
            with Vertical(id="launches-timeline-box"):
                yield LaunchTimeline(
                    today=self.opsdesk.today(),
                    blackouts=self.opsdesk.config.launches.blackouts,
                    id="launches-timeline",
                )
                yield LaunchFocus(id="launches-focus")
                yield Static(Text(LEGEND), id="launches-legend")
            with VerticalScroll(classes="pane-detail", id="launches-detail"):
                yield Static(id="launches-detail-body", classes="detail-body")

    @while_running
    def on_mount(self) -> None:
        # ListPane.on_mount (the first query) runs after this one: Textual calls both.
        self.query_one("#launches-timeline-box").display = False

    @property
    def timeline(self) -> LaunchTimeline:
        return self.query_one(LaunchTimeline)

    def focus_list(self) -> None:
        if self.view_mode == "timeline":
            self.timeline.focus()
        else:
            self.list.focus()

    def refresh_list(self, *, reset: bool = False) -> None:
        super().refresh_list(reset=reset)
        if reset and self.sort == "date":
            self._to_today()
        if self.view_mode == "timeline":
            self._refresh_timeline(reset=reset)

    def _to_today(self) -> None:
        """Put the cursor on the first launch still to come, as a calendar opens on today.

        By date the list begins with the oldest launch: on a year of history a manager
        opened it on launches that went out a year ago and paged through hundreds to reach
        this week's. The launches just before today stay in sight above the cursor; ``g``
        (home) still goes to the first.
        """
        listing = self.list
        if listing.row_count == 0:
            return
        before = self.service.landed_before_today(self.search_text)
        if before == 0:
            return
        listing.move_to(before)  # all of them before today: the cursor stops on the last
        self.call_after_refresh(self._show_context, listing.cursor)

    def _show_context(self, cursor: int) -> None:
        """Scroll so a few launches already out show above the cursor (once laid out: the
        list's height is not known while the pane is being built), unless a key has moved
        the cursor since."""
        listing = self.list
        if listing.cursor != cursor:
            return
        rows = max(listing.size.height - listing.header_lines, 0)
        context = min(CONTEXT_ROWS, rows // 3)
        listing.scroll_to(y=max(listing.cursor - context, 0), animate=False, immediate=True)

    def set_search(self, typed: str) -> None:
        """Search as the base pane does; dropping the search (Esc, or erased) keeps the
        launch that was highlighted under the cursor, in the timeline and the list.

        The whole list comes back with the cursor reset: on the timeline Esc put it on the
        first row, in the list on today's launch, and the launch just found by searching
        was lost among the others.
        """
        shown = self.timeline if self.view_mode == "timeline" else self.list
        row = shown.current_row
        dropping = bool(self.search_text) and len(typed.strip()) < MIN_SEARCH
        launch = row.record if dropping and row is not None else None
        if launch is not None and self.view_mode == "timeline":
            self.timeline.show_launch(int(launch.id or 0), launch.launch_date)
        super().set_search(typed)
        if launch is not None and self.view_mode == "list":
            position = self.repository.position(self.where(), self.sort, int(launch.id or 0))
            if position is not None:
                self.list.move_to(position)

    def _refresh_timeline(self, *, reset: bool = False) -> None:
        timeline = self.timeline
        query = TimelineQuery(self.service, self.search_text)
        if reset:
            timeline.set_source(query)
        else:
            timeline._source = query
            timeline.reload()

    def update_status(self) -> None:
        if self.view_mode != "timeline":
            super().update_status()
            return
        timeline = self.timeline
        start, end = timeline.period
        parts = [
            counted(timeline.row_count, "launch", "launches"),
            f"{timeline.zoom} zoom",
            f"{start:%d %b %Y} – {end:%d %b %Y}",
        ]
        if self.search_text:
            parts.append(f"search: {visible(self.search_text)}")
        self.query_one(".pane-status", Static).update(Text(" · ".join(parts)))

    # -- the timeline's messages -----------------------------------------------------------------

    def on_launch_timeline_moved(self, message: LaunchTimeline.Moved) -> None:
        message.stop()
        if self.view_mode == "timeline":
            self.update_status()

    def on_launch_timeline_highlighted(self, message: LaunchTimeline.Highlighted) -> None:
        message.stop()
        self.query_one(LaunchFocus).show(message.row)

    def on_launch_timeline_selected(self, message: LaunchTimeline.Selected) -> None:
        message.stop()
        self.open_launch(int(message.row.record.id or 0))

    def on_window_list_selected(self, message: WindowList.Selected) -> None:
        message.stop()
        self.open_launch(int(message.row.record.id or 0))

    # -- actions -------------------------------------------------------------------------------

    def current_launch_id(self) -> int | None:
        row = self.timeline.current_row if self.view_mode == "timeline" else self.list.current_row
        if row is None:
            self.app.notify("No launch selected.", severity="warning", markup=False)
            return None
        return int(row.record.id or 0)

    def after_change(self, launch_id: int | None) -> None:
        """Re-read what is shown after a write, keeping the cursor on its launch."""
        self.list.reload(keep_id=launch_id)
        self.update_status()
        if self.view_mode == "timeline":
            self.timeline.reload(keep_id=launch_id)
            self.update_status()

    def show_record(self, record_id: int) -> bool:
        """Put the list's cursor on a launch (from the palette or Today): the list holds every
        launch, the timeline only those of the weeks shown, so this switches to the list."""
        if self.view_mode == "timeline":
            self.action_toggle_view()
        return super().show_record(record_id)

    def show_riskiest(self) -> None:
        """The list sorted by risk from its first row: where Today's "… and N more" under
        its launch sections leads (the sections show only their first lines)."""
        if self.view_mode == "timeline":
            self.action_toggle_view()
        if self.search_text:  # a search left from earlier would hide some of them
            self.search_text = ""
            self.query_one("#launches-search", Input).value = ""
        self.sort = "risk"
        self.refresh_list(reset=True)

    def open_launch(self, launch_id: int, *, item_id: int | None = None) -> None:
        """The launch's own screen, its checklist on ``item_id`` when given."""
        self.app.push_screen(
            LaunchScreen(self.service, launch_id, self.after_change, item_id=item_id)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The timeline is always by date: its footer leaves sorting out (room for its keys)."""
        if action == "cycle_sort":
            return self.view_mode == "list"
        return True

    def action_toggle_view(self) -> None:
        """Switch between the list and the timeline, on the same launch.

        The launch highlighted in the view left is highlighted in the view shown (the
        timeline moving to its weeks if need be): a manager who found a risky launch in the
        list and pressed ``t`` to see its weeks landed on the timeline's first row, and
        back in the list on the row it had before."""
        shown: WindowList | LaunchTimeline = (
            self.timeline if self.view_mode == "timeline" else self.list
        )
        leaving = shown.current_row
        timeline_box = self.query_one("#launches-timeline-box")
        to_timeline = self.view_mode == "list"
        self.view_mode = "timeline" if to_timeline else "list"
        timeline_box.display = to_timeline
        self.list.display = not to_timeline
        self.query_one(".pane-detail").display = not to_timeline
        launch = leaving.record if leaving is not None else None
        if to_timeline:
            if launch is not None and launch.status != LaunchStatus.CANCELLED:
                self.timeline.show_launch(int(launch.id or 0), launch.launch_date)
            self._refresh_timeline(reset=self.timeline.row_count == 0)
        elif launch is not None:
            position = self.repository.position(self.where(), self.sort, int(launch.id or 0))
            if position is not None:
                self.list.move_to(position)
        self.update_status()
        # Moving the focus to the view shown refreshes the footer, and with it the keys
        # check_action leaves out: a refresh_bindings() here would rebuild it twice. The
        # focus moves now (Textual queues it behind this key, ahead of the next ones): after
        # the next refresh, a 'j' typed right behind 't' reached the hidden view and was lost.
        self.focus_list()

    def action_new_launch(self) -> None:
        self.actions.new_launch()

    def action_edit(self) -> None:
        launch_id = self.current_launch_id()
        if launch_id is not None:
            self.actions.edit_launch(launch_id)

    def action_slip(self) -> None:
        launch_id = self.current_launch_id()
        if launch_id is not None:
            self.actions.slip_launch(launch_id)

    def action_go_no_go(self) -> None:
        launch_id = self.current_launch_id()
        if launch_id is not None:
            self.actions.go_no_go(launch_id)

    def action_by_function(self) -> None:
        self.app.push_screen(ByFunctionScreen(self.service, open_launch=self.open_launch))
