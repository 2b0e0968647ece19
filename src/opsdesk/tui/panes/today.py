"""Today: what needs the ops manager now, from every pane, each line one key from its record.

Sections (readiness due, launches this week and at risk, SLA breaches and near-breaches,
follow-ups due, customers waiting to hear back, experiments ending, conflicts) show their
first lines and their full counts. Enter on a line opens that record in its own pane.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from opsdesk.services.desk import Desk
from opsdesk.services.today import TodaySection, desk_is_empty, ensure_ready, today_sections
from opsdesk.text import one_line
from opsdesk.tui.background import hand_back, on_companion, still_shown
from opsdesk.tui.first_steps import welcome
from opsdesk.tui.panes.base import while_running
from opsdesk.tui.widgets.key_scroll import KeyScroll
from opsdesk.tui.widgets.list_keys import KeyedOptionList

if TYPE_CHECKING:
    from opsdesk.tui.app import OpsdeskApp

RISKIEST_LAUNCHES = frozenset({"readiness", "launches_risk"})
"""The sections whose "… and N more" opens the launch list sorted by risk: the launches
with the most overdue, blocked or unstarted items first, the rest of these lines among them."""

DETAIL_CHARS = 120
"""A line's detail is cut here before the line is cut to the list's width: an at-risk
launch's reason ('1 blocked (security), 2 overdue (marketing, sales) · 42% ready · tier 1 ·
Priya Raman') ran past the 50 characters it once had, losing the readiness and owner."""

ELSEWHERE = {
    "follow_ups": ("contacts", "follow_ups", "Enter lists them all in Contacts' follow-ups"),
    "conflicts": (
        "experiments",
        "view('conflicts')",
        "Enter lists them all in Experiments' conflicts",
    ),
}
"""The sections whose "… and N more" opens the pane's own list of them (pane, its action,
the hint): the line was a dead end, skipped by the cursor, with 3,249 follow-ups or 4,788
conflicts behind it and no word of where they were."""

REASON_SECTIONS = frozenset({"launches_risk", "conflicts"})
"""The sections whose lines are there for their detail (why a launch is at risk, how two
experiments collide): a detail too long for the line goes under the title rather than off
the edge. At 80 columns the reason was cut to '1 blocked (security), 2 …'."""

REASON_LINES = 2
"""At most this many lines of a reason under its title; the last ends in '…' if need be.
Two hold a whole reason at 80 columns, and keep five at-risk launches within a screen."""

REASON_CHARS = 400
"""A reason is cut here, not at DETAIL_CHARS: its lines under the title cut it to the room
they have. Cut at 120 characters, a launch with blocked, overdue and unstarted work lost
its tier and owner ('· 62% ready · ti…') even at 120 columns, with a line to spare."""

SUMMARY_LABELS = {
    "readiness": "readiness due",
    "launches_week": "launching",
    "launches_risk": "at risk",
    "sla_breached": "SLA breached",
    "sla_at_risk": "near breach",
    "follow_ups": "follow-ups",
    "needs_loop": "loops to close",
    "experiments_ending": "experiments ending",
    "conflicts": "conflicts",
}
"""What the summary line calls each section's count ("180 at risk"): short, so that at 80
columns the line holds the first few after the date."""

SLA_SORTED = frozenset({"sla_breached", "sla_at_risk"})
"""The inbox views Today lists most overdue first, opened from Today sorted by SLA due: in
the inbox's usual newest first, the items Today showed at its top were at the bottom of
29,793 breached ones."""

PANE_LABEL = {
    "launches": "launch",
    "feedback": "feedback",
    "contacts": "contact",
    "experiments": "experiment",
}


def _read(desk: Desk) -> tuple[list[TodaySection], bool]:
    """Today's sections and whether the whole desk is empty, read in one go (one worker)."""
    return today_sections(desk), desk_is_empty(desk)


class TodayLine:
    """One line of Today, laid out at the width the list draws it at.

    The width is known only when the line is drawn: the list's scrollbar comes and goes with
    its length, and a width guessed beforehand cut every line some cells short of the edge,
    with room left. The line is cut with '…' at the edge; a line whose detail is its point
    (``under``) puts the detail under the title, wrapped and indented, when both will not fit.
    """

    def __init__(self, lead: Text, detail: Text | None = None, *, under: int | None = None) -> None:
        self.lead = lead
        self.detail = detail
        self.under = under
        """Where the detail starts on the lines below the title, when it goes there (None:
        the detail stays on the line and is cut with it)."""

    def whole(self) -> Text:
        """The line as one run of text: the lead, then the detail after two spaces."""
        line = self.lead.copy()
        if self.detail is not None:
            line.append("  ")
            line.append_text(self.detail)
        return line

    def __str__(self) -> str:
        return self.whole().plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 1)
        line = self.whole()
        if self.detail is None or self.under is None or line.cell_len <= width:
            line.truncate(width, overflow="ellipsis")
            yield line
            return
        title = self.lead.copy()
        title.truncate(width, overflow="ellipsis")
        yield title
        indent = min(self.under, width // 3)  # a very narrow list keeps room for the reason
        room = max(width - indent, 1)
        lines = list(self.detail.wrap(console, room))
        shown = lines[:REASON_LINES]
        if len(lines) > REASON_LINES:
            shown[-1].rstrip()
            shown[-1].truncate(room - 1)
            shown[-1].append("…")
        for part in shown:
            part.rstrip()
            yield Text(" " * indent) + part

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        whole = min(self.whole().cell_len, options.max_width)
        return Measurement(whole, whole)


class TodaySummary:
    """Today's summary line, fitted to its width when drawn: the date, then each section's
    count that is not 0, by name and in Today's order, as many as the line holds, then how
    many more sections the list has below.

    It said "72,849 things need you": every section's count added up, so a launch due this
    week and at risk counted twice, and 29,793 breached items and 33,751 loops to close
    drowned 156 readiness items due. Naming each number says what it counts.
    """

    def __init__(self, day: dt.date, counts: list[tuple[int, str]]) -> None:
        self.day = day
        self.counts = counts

    def _fit(self, date: str, width: int) -> tuple[Text, int]:
        """The line beginning with ``date`` at ``width`` cells, and how many counts it holds."""
        line = Text(date)
        if not self.counts:
            line.append(" · nothing needs you now")
            return line, 0
        shown = 0
        for total, label in self.counts:
            rest = len(self.counts) - shown - 1
            part = f" · {total:,} {label}"
            tail = f" · +{rest} more" if rest else ""
            if line.cell_len + len(part) + len(tail) > width:
                break
            line.append(" · ")
            line.append(f"{total:,}", style="bold")
            line.append(f" {label}")
            shown += 1
        if shown < len(self.counts):
            line.append(f" · +{len(self.counts) - shown} more")
        elif line.cell_len + len(" · Enter opens a line") <= width:
            line.append(" · Enter opens a line")
        return line, shown

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 1)
        line, shown = self._fit(f"{self.day:%A %d %B %Y}", width)
        if shown < len(self.counts):  # a short date leaves room for another count
            short, more = self._fit(f"{self.day:%a %d %b}", width)
            if more > shown:
                line = short
        line.truncate(width, overflow="ellipsis")
        yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


class TodayList(KeyedOptionList):
    """Today's lines. The first screen a newcomer sees names its keys in the footer: Enter
    opens a line's record (the other lists leave it to the help screen)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="today.open"),
    ]


class TodayPane(Vertical):
    """The default pane: a live list of what needs attention today and this week."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Refresh", id="today.refresh"),
    ]

    DEFAULT_CSS = """
    #today-welcome {
        padding: 1 2;
    }
    /* An OptionList is as tall as the pane by default: under the summary line that
       pushed its last line and bottom edge below the screen. */
    #today-list {
        height: 1fr;
    }
    """

    pane_id: ClassVar[str] = "today"
    title: ClassVar[str] = "Today"

    def __init__(self) -> None:
        super().__init__(id="pane-today", classes="pane")
        self.sections: list[TodaySection] = []
        self.empty_desk = False
        """Nothing in any pane yet: the welcome shows where the (all 0) sections would."""

    @property
    def desk(self) -> Desk:
        return cast("OpsdeskApp", self.app).desk

    def compose(self) -> ComposeResult:
        yield Static(id="today-summary", classes="pane-status")
        with KeyScroll(id="today-welcome") as box:
            box.display = False
            yield Static(welcome(self.desk.config.general.user), id="today-welcome-body")
        yield TodayList(id="today-list", classes="today-list")

    @property
    def list(self) -> OptionList:
        return self.query_one("#today-list", OptionList)

    @while_running
    def on_mount(self) -> None:
        ensure_ready(self.desk)
        self.refresh_list()

    def focus_list(self) -> None:
        if self.empty_desk:  # the welcome scrolls with the keys at 80x24
            self.query_one("#today-welcome", VerticalScroll).focus()
        else:
            self.list.focus()

    def refresh_list(self, *, reset: bool = False) -> None:
        """Recompute every section and show them, keeping the cursor on the same line.

        On 100,000 feedback items the sections take a few tenths of a second (counting the
        SLA views). The first load is read at once, so the pane opens with its lines (in a
        worker it raced the other panes being built, and its lines came later). After that,
        a file database is read again in a worker thread on its own connection, so another
        process writing (the live refresh) never freezes the keys.
        """
        desk = self.desk
        if desk.store.in_memory or not self.sections:
            self._show(*_read(desk))
            return
        self.run_worker(
            partial(self._load_in_thread, desk), thread=True, exclusive=True, group="today"
        )

    def _load_in_thread(self, desk: Desk) -> None:
        hand_back(self, self._show, *on_companion(desk, _read))

    def _show(self, sections: list[TodaySection], empty_desk: bool = False) -> None:
        if not still_shown(self):  # a worker's result may arrive after the app closed
            return
        self.sections = sections
        if empty_desk != self.empty_desk:
            self._welcome(empty_desk)
        self._render_sections()

    def _welcome(self, empty_desk: bool) -> None:
        """On a database with nothing in it, the welcome (what each pane is for, the keys
        that add a first record) instead of nine sections saying 0; gone once there is
        something, the next time Today is read."""
        self.empty_desk = empty_desk
        box = self.query_one("#today-welcome", VerticalScroll)
        had_focus = self.list.has_focus or box.has_focus
        box.display = empty_desk
        self.list.display = not empty_desk
        if had_focus:
            self.focus_list()

    def _render_sections(self) -> None:
        """Lay the sections out as lines (each cut to the list's width as it is drawn)."""
        listing = self.list
        highlighted = listing.highlighted
        kept = None
        if highlighted is not None and highlighted < listing.option_count:
            kept = listing.get_option_at_index(highlighted).id
        # One line per item, cut to the width when drawn: wrapped lines would hide the next
        # items. Only a reason (REASON_SECTIONS) goes on under its title.
        listing.clear_options()
        options: list[Option] = []
        for section in self.sections:
            header = Text(f"{section.title}  ", style="bold")
            header.append(f"{section.total:,}", style="bold reverse" if section.total else "dim")
            options.append(Option(TodayLine(header), id=f"section:{section.key}", disabled=True))
            for index, row in enumerate(section.rows):
                lead = Text("  ")
                if row.when:
                    late = "bold red" if self._overdue(row.when) else ""
                    lead.append(f"{row.when}  ", style=late)
                under = len(lead) if row.when else len(lead) + 2  # under the title, or indented
                lead.append(one_line(row.title, 90))
                # Wide enough for why a launch is at risk; the width cuts the rest.
                reason = section.key in REASON_SECTIONS
                chars = REASON_CHARS if reason else DETAIL_CHARS
                detail = Text(one_line(row.detail, chars), style="dim") if row.detail else None
                line = TodayLine(lead, detail, under=under if reason else None)
                options.append(Option(line, id=f"{section.key}:{index}:{row.pane}:{row.record_id}"))
            if section.total > len(section.rows):
                more = Text(f"  … and {section.total - len(section.rows):,} more", style="dim")
                if section.inbox_view:  # "… and N more" opens the whole view
                    more.append(" · Enter shows them all in the inbox", style="dim italic")
                elif section.key in RISKIEST_LAUNCHES:
                    more.append(" · Enter shows the launches, riskiest first", style="dim italic")
                elif section.key in ELSEWHERE:
                    more.append(f" · {ELSEWHERE[section.key][2]}", style="dim italic")
                opens = (
                    section.inbox_view is not None
                    or section.key in RISKIEST_LAUNCHES
                    or section.key in ELSEWHERE
                )
                options.append(
                    Option(
                        TodayLine(more),
                        id=f"more:{section.inbox_view or section.key}",
                        disabled=not opens,
                    )
                )
        listing.add_options(options)
        ids = [option.id for option in options]
        if kept in ids:
            listing.highlighted = ids.index(kept)
        else:
            first = next((i for i, o in enumerate(options) if not o.disabled), None)
            listing.highlighted = first
        self._summarise()

    def _overdue(self, when: str) -> bool:
        return when < self.desk.today().isoformat()

    def _summarise(self) -> None:
        today = self.desk.today()
        summary: Text | TodaySummary
        if self.empty_desk:
            summary = Text(f"{today:%A %d %B %Y} · a new, empty database")
        else:
            counts = [
                (section.total, SUMMARY_LABELS.get(section.key, section.title))
                for section in self.sections
                if section.total
            ]
            summary = TodaySummary(today, counts)
        self.query_one("#today-summary", Static).update(summary)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        parts = str(event.option.id).split(":")
        app = cast("OpsdeskApp", self.app)
        item = self._readiness_item(parts)
        if item is not None:
            app.run_worker(self._open_item(*item), exclusive=True)
        elif len(parts) == 4:
            # A line of an inbox view's section opens in that view ("SLA breached"), so the
            # lines around it are the section's others, not the whole inbox.
            section = next((s for s in self.sections if s.key == parts[0]), None)
            view = section.inbox_view if section is not None else None
            if view in SLA_SORTED:
                app.run_worker(self._open_by_sla(view, int(parts[3])), exclusive=True)
            else:
                app.run_worker(app.open_record(parts[2], int(parts[3]), view=view), exclusive=True)
        elif parts[0] == "more" and parts[1] in RISKIEST_LAUNCHES:
            app.run_worker(self._open_riskiest(), exclusive=True)
        elif parts[0] == "more" and parts[1] in ELSEWHERE:
            pane_id, action, _ = ELSEWHERE[parts[1]]
            app.run_worker(self._open_elsewhere(pane_id, action), exclusive=True)
        elif parts[0] == "more" and parts[1] in SLA_SORTED:
            app.run_worker(self._open_by_sla(parts[1]), exclusive=True)
        elif parts[0] == "more" and not event.option.disabled:
            app.run_worker(app.open_inbox_view(parts[1]), exclusive=True)

    def _readiness_item(self, parts: list[str]) -> tuple[int, int] | None:
        """(launch id, item id) when the chosen line is a readiness item's, else None."""
        if len(parts) != 4 or not parts[1].isdigit():
            return None
        section = next((s for s in self.sections if s.key == parts[0]), None)
        if section is None or int(parts[1]) >= len(section.rows):
            return None
        row = section.rows[int(parts[1])]
        return None if row.item_id is None else (row.record_id, row.item_id)

    async def _open_item(self, launch_id: int, item_id: int) -> None:
        """A readiness line opens its launch's own screen on that item, where it is signed
        off or re-owned; it opened the launch list, a second Enter and a search away. Esc
        goes back to the list, its cursor on the launch."""
        from opsdesk.tui.panes.launches import LaunchesPane

        app = cast("OpsdeskApp", self.app)
        await app.open_record("launches", launch_id)
        pane = app.current_pane
        shown = pane.list.current_row if isinstance(pane, LaunchesPane) else None
        if shown is not None and shown.record.id == launch_id:  # not deleted meanwhile
            pane.open_launch(launch_id, item_id=item_id)

    async def _open_by_sla(self, view: str, record_id: int | None = None) -> None:
        """The inbox on an SLA view sorted by SLA due, as Today lists it, the cursor on the
        line's item (or the first, most overdue, for "… and N more")."""
        app = cast("OpsdeskApp", self.app)
        await app.open_inbox_view(view, sort="sla")
        if record_id is not None:
            await app.open_record("feedback", record_id)

    async def _open_riskiest(self) -> None:
        """The launch list by risk: where the readiness and at-risk lines not shown are."""
        from opsdesk.tui.panes.launches import LaunchesPane

        app = cast("OpsdeskApp", self.app)
        await app.action_show_pane("launches")
        pane = app.current_pane
        if isinstance(pane, LaunchesPane):
            pane.show_riskiest()

    async def _open_elsewhere(self, pane_id: str, action: str) -> None:
        """Another pane's whole list of a section's lines (its follow-ups, its conflicts)."""
        app = cast("OpsdeskApp", self.app)
        await app.action_show_pane(pane_id)
        pane = app.current_pane
        if getattr(pane, "pane_id", None) == pane_id:
            await pane.run_action(action)

    def action_reload(self) -> None:
        self.refresh_list()
