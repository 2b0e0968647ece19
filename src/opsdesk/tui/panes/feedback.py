"""The feedback inbox: views with live counts, keyboard triage, SLA badges, merge, loop.

The list is a window onto the inbox query (view + filters + search + sort). Every triage key
applies to the marked rows, or to the row under the cursor when none are marked, as one
undoable batch. In triage mode the cursor then moves on to the next untriaged item, so a
morning's inbox is cleared from the keyboard alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from opsdesk.formatting import counted, deadline_day, local_datetime, short_date, words
from opsdesk.paths import config_path
from opsdesk.rules.sla import SlaState
from opsdesk.services import feedback as inbox
from opsdesk.store.base import InvalidRecord, RecordNotFound, Repository, WindowRow
from opsdesk.store.db import StoreError
from opsdesk.store.feedback import BUILTIN_VIEWS, FeedbackFilter, SavedView
from opsdesk.text import one_line, visible
from opsdesk.tui.addresses import LabelledAddress
from opsdesk.tui.background import hand_back, on_companion, still_shown
from opsdesk.tui.panes.base import ListPane, field_lines, heading, while_running
from opsdesk.tui.widgets.footer_by_width import FooterByWidth, FooterKeys
from opsdesk.tui.widgets.window_list import Column
from opsdesk.vocabulary import FeedbackKind, FeedbackStatus

if TYPE_CHECKING:
    from opsdesk.models import Feedback
    from opsdesk.services.desk import Desk
    from opsdesk.tui.screens.dialogs import FormScreen

# The dialogs and forms (and the TextArea, Select and other widgets they use) are imported
# by the actions that open them: the inbox's first screen does not wait for them.

BODY_PREVIEW_CHARS = 20_000
"""The detail panel shows this much of a body; Enter opens the whole of it."""

DETAIL_CUSTOMERS = 10
"""The customers (and companies) the detail lists; it says how many more there are."""

DETAIL_DUPLICATES = 20
"""The merged duplicates the detail lists (oldest first); it says how many more."""

PRIORITY_STYLE = {1: "bold red", 2: "yellow", 3: "", 4: "dim"}
SLA_STYLE = {
    SlaState.BREACHED: ("breached", "bold white on red"),
    SlaState.DUE_SOON: ("due soon", "bold black on yellow"),
    SlaState.ON_TRACK: ("on track", "green"),
    SlaState.MET: ("met", "dim"),
}

KIND_BINDINGS = [
    ("b", FeedbackKind.BUG, "Kind: bug"),
    ("r", FeedbackKind.REQUEST, "Kind: request"),
    ("w", FeedbackKind.PRAISE, "Kind: praise"),
    ("q", FeedbackKind.QUESTION, "Kind: question"),
    ("c", FeedbackKind.CHURN_RISK, "Kind: churn risk"),
]
PRIORITY_BINDINGS = [("exclamation_mark", 1), ("at", 2), ("number_sign", 3), ("dollar_sign", 4)]
STATUS_BINDINGS = [
    ("n", FeedbackStatus.NEW, "Status: new"),
    ("t", FeedbackStatus.TRIAGED, "Status: triaged"),
    ("l", FeedbackStatus.PLANNED, "Status: planned"),
    ("x", FeedbackStatus.DECLINED, "Status: declined"),
    ("d", FeedbackStatus.DONE, "Status: done"),
]


def _more(shown: Sequence[object], limit: int, count: Callable[[int], int], record_id: int) -> int:
    """How many ``count`` finds beyond the ``shown`` (counted only when the list is full)."""
    return count(record_id) - len(shown) if len(shown) >= limit else 0


def _done(what: str, at: dt.datetime | None, by: str | None, tz: ZoneInfo) -> str:
    """'  acknowledged by Hannah Cho' / '  on 2026-11-23 13:50' under a deadline, or ''.

    The time has a line of its own: 'acknowledged 2026-11-23 13:50' is a cell wider than
    the detail panel at 120 columns, and the time was wrapped onto the start of the next
    line, under no label. Items imported or captured elsewhere may not say who.
    """
    if at is None:
        return ""
    who = f" by {one_line(by, 40)}" if by else ""
    return f"\n  {what}{who}\n  on {local_datetime(at, tz)}"


def _received(instant: dt.datetime | None, tz: ZoneInfo, today: dt.date) -> str:
    """When an item came in, in six cells: '25 Nov' this year, "Nov'25" before. The eight
    of 'Nov 2025' were two of the cells the owner's column needed at 120 columns."""
    if instant is None:
        return ""
    local = instant.astimezone(tz).date()
    return short_date(instant, tz, today) if local.year == today.year else f"{local:%b'%y}"


def initials(name: str | None) -> str:
    """An owner in the list's narrow Owner column: 'Hannah Cho' → 'HC', 'Maria de la Cruz'
    → 'MC' (first and last word), a one-word owner ('ops') its first three letters."""
    parts = visible(name or "").split()
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0][:3]
    return (parts[0][0] + parts[-1][0]).upper()


def _badge(state: SlaState | None) -> Text:
    if state is None:
        return Text("")
    label, style = SLA_STYLE[state]
    return Text(label, style=style)


WIDE_KEYS = FooterKeys(
    labels={"capture": "Add", "set_status('triaged')": "Triaged", "triage_mode": "Triage mode"}
)
"""The footer from 120 columns: every key it shows by default, in shorter words ('a Add',
't Triaged'): with 'Add feedback' and 'Status: triaged' it ran past 120 columns and cut
off '? Help'."""
NARROW_KEYS = FooterKeys(
    frozenset({"search", "mark", "set_status('triaged')", "undo", "triage_mode", "next_view(1)"}),
    {"set_status('triaged')": "Triaged", "triage_mode": "Triage", "next_view(1)": "View"},
)
"""The footer under 120 columns: search, mark, triage, undo, triage mode and the next view
(the views' sidebar is hidden at 80 columns), each whole. At 80 it read 'a Add feedback
space Mark t Status: tri', cut there, and undo, themes and triage mode could not be found
from it; add, sort and themes work the same, and help lists them."""


@dataclass
class ThemeShown:
    """A theme the inbox lists (picked in the themes view): a whole view of its own.

    Its count is kept like a built-in view's sidebar count, so the status line says the
    number after a new sort, or Esc clearing a search, not "1,000+". ``count`` is None while
    a write's recount is on its way.
    """

    label: str
    filters: FeedbackFilter
    count: int | None
    came_from: str
    """The view it was opened from ("sla_breached", "saved:3"): [ goes back there, ] on to
    the view after it, as if the theme were a detour from that view."""


class FeedbackPane(FooterByWidth, ListPane):
    pane_id = "feedback"
    title = "Feedback"
    noun = "feedback items"
    noun_one = "feedback item"
    default_sort = "received"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "capture", "Add feedback", id="feedback.add"),
        Binding("space", "mark", "Mark", id="feedback.mark"),
        *[
            Binding(
                key,
                f"set_kind('{kind.value}')",
                label,
                show=False,
                id=f"feedback.kind.{kind.value}",
            )
            for key, kind, label in KIND_BINDINGS
        ],
        *[
            Binding(
                key, f"set_priority({p})", f"Priority P{p}", show=False, id=f"feedback.priority.{p}"
            )
            for key, p in PRIORITY_BINDINGS
        ],
        *[
            Binding(
                key,
                f"set_status('{status.value}')",
                label,
                show=key == "t",
                id=f"feedback.status.{status.value}",
            )
            for key, status, label in STATUS_BINDINGS
        ],
        Binding("A", "acknowledge", "Acknowledge", show=False, id="feedback.acknowledge"),
        Binding("o", "owner", "Owner", show=False, id="feedback.owner"),
        Binding("T", "tags", "Tags", show=False, id="feedback.tags"),
        Binding("L", "link_launch", "Link launch", show=False, id="feedback.launch"),
        Binding("m", "merge", "Merge marked", show=False, id="feedback.merge"),
        Binding("U", "unmerge", "Unmerge", show=False, id="feedback.unmerge"),
        Binding("u", "undo", "Undo", id="feedback.undo"),
        Binding("C", "close_loop", "Close the loop", show=False, id="feedback.close_loop"),
        Binding("f", "filter", "Filter", show=False, id="feedback.filter"),
        Binding(
            "F",
            "clear_filters",
            "Clear filters and search",
            show=False,
            id="feedback.clear_filters",
        ),
        Binding("V", "save_view", "Save view", show=False, id="feedback.save_view"),
        Binding("D", "delete_view", "Delete saved view", show=False, id="feedback.delete_view"),
        Binding(
            "right_square_bracket", "next_view(1)", "Next view", show=False, id="feedback.next_view"
        ),
        Binding(
            "left_square_bracket",
            "next_view(-1)",
            "Previous view",
            show=False,
            id="feedback.prev_view",
        ),
        Binding("e", "themes", "Themes", id="feedback.themes"),
        Binding("ctrl+t", "triage_mode", "Triage mode", id="feedback.triage_mode"),
    ]

    def footer_keys(self, narrow: bool) -> FooterKeys:
        return NARROW_KEYS if narrow else WIDE_KEYS

    def __init__(self) -> None:
        super().__init__()
        self.filters = FeedbackFilter(view="untriaged")
        self.view_label = BUILTIN_VIEWS["untriaged"]
        self.marked: set[int] = set()
        self.triage_mode = False
        self._saved: list[SavedView] = []
        self._counts: dict[str, int] = {}
        self._theme: ThemeShown | None = None
        self._captured: Feedback | None = None

    # -- the query -----------------------------------------------------------------------

    @property
    def repository(self) -> Repository[Any]:
        return self.desk.store.feedback

    def where(self) -> Any:
        filters = replace(self.filters, search=self.search_text)
        desk = self.desk
        return desk.store.feedback.where(
            filters, now=desk.now(), user=desk.user, sort=self.sort, tz=desk.tz
        )

    def columns(self) -> Sequence[Column]:
        tz = self.desk.tz
        today = self.desk.today()
        return [
            Column("", lambda r: Text("●", style="bold") if r.line.id in self.marked else "", 1),
            Column("Recvd", lambda r: _received(r.line.received_at, tz, today), 6),
            Column(
                "P",
                lambda r: Text(f"P{r.line.priority}", style=PRIORITY_STYLE[r.line.priority]),
                2,
            ),
            Column("Kind", lambda r: words(r.line.kind), 10, optional=True),
            Column("Status", lambda r: words(r.line.status), 8),
            Column("SLA", self._row_badge, 8),
            Column("Title", lambda r: r.line.title),
            Column("Dem", lambda r: str(r.extra.get("demand") or 1), 3, "right", optional=True),
            Column("Company", lambda r: r.line.company or "", 14, optional=True),
            # At 120 columns (sidebar and detail beside the list) the name had no room and
            # an owner just set with o was nowhere in the list: there it is initials.
            Column(
                "Owner",
                lambda r: visible(r.line.owner or ""),
                12,
                optional=True,
                compact=Column("Own", lambda r: initials(r.line.owner), 3, optional=True),
            ),
        ]

    def _row_badge(self, row: WindowRow[Feedback]) -> Text:
        state = inbox.sla_badge(
            self.desk, row.line, row.extra.get("ack_due_at"), row.extra.get("decide_due_at")
        )
        return _badge(state)

    def status_parts(self) -> list[str]:
        parts = [f"view: {self.view_label}"]
        filters = self._filter_summary()
        if filters:
            parts.append(filters)
        if self.marked:
            parts.append(f"{len(self.marked)} marked")
        if self.triage_mode:
            parts.append("TRIAGE MODE")
        return parts

    def _filter_summary(self) -> str:
        pieces = []
        for name in ("status", "kind", "source", "owner", "company", "tag"):
            value = getattr(self.filters, name)
            if value:
                pieces.append(f"{name}={visible(str(value))}")
        if self.filters.received_from or self.filters.received_to:
            pieces.append(
                f"received {self.filters.received_from or '…'}–{self.filters.received_to or '…'}"
            )
        return ", ".join(pieces)

    # -- sidebar -------------------------------------------------------------------------

    def compose_sidebar(self) -> ComposeResult:
        yield OptionList(id="feedback-views", classes="views-sidebar")

    @while_running
    def on_mount(self) -> None:
        # Textual runs ListPane.on_mount (the first query) right after this one: deadlines
        # first, so the first rows show them.
        inbox.ensure_sla(self.desk)
        self.query_one("#feedback-views", OptionList).can_focus = False
        # The rows first; the sidebar's counts right after they are drawn.
        self.call_after_refresh(self.refresh_counts)

    def refresh_counts(self) -> None:
        """Recount every view for the sidebar, off the keyboard's path.

        Counting six views over 100,000 items takes a noticeable fraction of a second, so a
        file database is counted in a worker thread on its own connection; the sidebar
        updates when the counts arrive. An in-memory database is counted at once.
        """
        store = self.desk.store
        theme = self._theme.filters if self._theme else None
        if store.in_memory:
            self._show_counts(*_counted(self.desk, theme))
            return
        # Until the new counts arrive the old ones may be out of date: no list adopts them.
        self._counts = {}
        if self._theme:
            self._theme.count = None
        self.run_worker(
            lambda: self._count_in_thread(theme),
            thread=True,
            exclusive=True,
            group="feedback-counts",
        )

    def _count_in_thread(self, theme: FeedbackFilter | None) -> None:
        counted = on_companion(self.desk, lambda desk: _counted(desk, theme))
        hand_back(self, self._show_counts, *counted)

    def _show_counts(
        self,
        counts: dict[str, int],
        saved: list[SavedView],
        theme: tuple[FeedbackFilter, int] | None = None,
    ) -> None:
        if not still_shown(self):  # the counts arrived after the app began to close
            return
        self._saved = saved
        self._counts = counts
        if theme and self._theme and self._theme.filters == theme[0]:
            self._theme.count = theme[1]
        self._adopt_view_count()
        sidebar = self.query_one("#feedback-views", OptionList)
        highlighted = self._view_index()
        sidebar.clear_options()
        options: list[Option] = []
        for view, label in BUILTIN_VIEWS.items():
            options.append(
                Option(Text.assemble(f"{label:<18}", (f"{counts[view]:>6,}", "bold")), id=view)
            )
        for saved in self._saved:
            options.append(Option(Text("★ " + visible(saved.name)), id=f"saved:{saved.id}"))
        sidebar.add_options(options)
        sidebar.highlighted = highlighted

    def _base_view(self) -> str:
        """The built-in view under the filters ('All' under a theme or most saved views)."""
        return BUILTIN_VIEWS.get(self.filters.view, self.view_label)

    def _filtered(self) -> bool:
        """Whether anything beyond the built-in view narrows the list (a theme's tag, a
        saved view's filters, the filter form's), the search aside."""
        return replace(self.filters, search="") != FeedbackFilter(view=self.filters.view)

    def _hiding(self) -> list[str]:
        """What narrows the list beyond its built-in view, in words: ["company 'Acme'",
        "the search 'sso'"]. Empty when the whole view is shown."""
        filters = self.filters
        said = []
        for name in ("status", "kind", "source"):
            value = getattr(filters, name)
            if value:
                said.append(f"{name} {words(str(value))}")
        for name in ("owner", "company", "tag"):
            value = getattr(filters, name)
            if value:
                said.append(f"{name} '{one_line(str(value), 30)}'")
        if filters.received_from or filters.received_to:
            said.append(f"received {filters.received_from or '…'} to {filters.received_to or '…'}")
        if filters.include_duplicates:
            said.append("merged duplicates shown")
        if self.search_text:
            said.append(f"the search '{one_line(self.search_text, 30)}'")
        return said

    def refresh_list(self, *, reset: bool = False) -> None:
        """Re-run the query; an empty list's line names the key that clears what hides
        everything (the detail names each filter)."""
        filtered = self._filtered()
        if filtered or self.search_text:
            what = (
                "the filters and search"
                if filtered and self.search_text
                else ("the filters" if filtered else "the search")
            )
            key = "F" if filtered else "esc"
            self.list.empty_text = f"No items match {what}: {key} clears them"
        else:
            self.list.empty_text = f"No {self.noun} here."
        super().refresh_list(reset=reset)

    def action_clear_filters(self) -> None:
        """Show the whole built-in view under the filters, the search cleared too: clearing
        each field of the filter form, then the search, was the only way back."""
        if not self._filtered() and not self.search_text and not self._typed_search:
            self.app.notify("No filters or search to clear", timeout=2)
            return
        search = self.query_one(".pane-search", Input)
        search.value = ""
        search.display = False
        self.search_text = ""
        self._typed_search = ""
        self.show_view(self.filters.view if self.filters.view in BUILTIN_VIEWS else "all")

    def _view_ids(self) -> list[str]:
        return [*BUILTIN_VIEWS, *(f"saved:{saved.id}" for saved in self._saved)]

    def _shown_theme(self) -> ThemeShown | None:
        """The theme on screen, if one is (a saved view made from it is a view of its own)."""
        theme = self._theme
        return theme if theme is not None and theme.label == self.view_label else None

    def _view_index(self) -> int:
        """The sidebar's view on screen; under a theme, the view it was opened from."""
        ids = self._view_ids()
        theme = self._shown_theme()
        if theme is not None and theme.came_from in ids:
            return ids.index(theme.came_from)
        current = self.filters.view if self.view_label in BUILTIN_VIEWS.values() else None
        if current in ids and self.view_label == BUILTIN_VIEWS.get(current or ""):
            return ids.index(current)
        for index, saved in enumerate(self._saved, start=len(BUILTIN_VIEWS)):
            if saved.name == self.view_label:
                return index
        return 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.show_view(str(event.option.id))

    def show_view(self, view_id: str) -> None:
        """Show a built-in view ("sla_breached") or a saved one ("saved:3"), whole."""
        if view_id.startswith("saved:"):
            saved = next(s for s in self._saved if f"saved:{s.id}" == view_id)
            self.filters = replace(saved.filters, search="")
            self.sort = saved.sort if saved.sort in self.repository.sorts else self.default_sort
            self.view_label = saved.name
            self.search_text = saved.filters.search
        else:
            self.filters = FeedbackFilter(view=view_id)
            self.view_label = BUILTIN_VIEWS[view_id]
        self._theme = None
        self.marked.clear()
        self.refresh_list(reset=True)
        self._adopt_view_count()
        self.query_one("#feedback-views", OptionList).highlighted = self._view_index()
        self.focus_list()

    def _adopt_view_count(self) -> None:
        """A whole built-in view, unsearched and unfiltered, is what the sidebar counted: the
        list takes that count, so its status line says 6,360 rather than 1,000+. A whole
        theme takes the count the themes view (or the last write's recount) made."""
        if self.search_text:
            return
        view = self.filters.view
        count: int | None = None
        if self.filters == FeedbackFilter(view=view):
            count = self._counts.get(view)
        elif self._theme is not None and self.filters == self._theme.filters:
            count = self._theme.count
        if count is not None:
            self.list.adopt_count(count)

    def set_search(self, typed: str) -> None:
        """Search as typed; once the search is cleared the whole view takes its sidebar
        count again (Esc after a search said "1,000+" until someone scrolled to the end)."""
        super().set_search(typed)
        self._adopt_view_count()

    def action_cycle_sort(self) -> None:
        """Sort the same rows another way: their count, known from the sidebar, stays."""
        super().action_cycle_sort()
        self._adopt_view_count()

    def action_next_view(self, step: int) -> None:
        """The next (or previous) view in the sidebar. A theme is a detour from the view it
        was opened from: ] goes on to the view after that one, [ back to it (both went by
        Untriaged's place, so ] from a theme opened in All showed Mine)."""
        ids = self._view_ids()
        theme = self._shown_theme()
        if theme is None:
            index = self._view_index() + step
        elif theme.came_from in ids:
            index = ids.index(theme.came_from) + (1 if step > 0 else 0)
        else:  # a saved view another opsdesk deleted meanwhile: the first or the last
            index = 0 if step > 0 else -1
        self.show_view(ids[index % len(ids)])

    def widen_to_show(self, record_id: int) -> None:
        super().widen_to_show(record_id)
        item = self.desk.store.feedback.get(record_id)
        self.filters = FeedbackFilter(view="all", include_duplicates=item.duplicate_of is not None)
        self.view_label = BUILTIN_VIEWS["all"]
        self._theme = None
        self.marked.clear()
        self.query_one("#feedback-views", OptionList).highlighted = self._view_index()

    def describe_action(self, action: str, description: str) -> str:
        """Name triage actions for the rows they will change: 'Status: triaged — 3 marked'."""
        if not action.startswith(("set_", "acknowledge", "owner", "tags", "link_launch")):
            return description
        if self.marked:
            count = len(self.marked)
            return f"{description} — {counted(count, 'marked item')}"
        row = self.list.current_row
        if row is None:
            return description
        return f"{description} — #{row.record.id} {one_line(row.record.title, 40)}"

    # -- detail --------------------------------------------------------------------------

    def detail(self, row: WindowRow[Feedback]) -> RenderableType:
        item = row.record
        desk = self.desk
        tz = desk.tz
        store = desk.store
        record_id = int(item.id or 0)
        launch = store.launches.titles().get(item.launch_id) if item.launch_id else None
        due = inbox.deadlines_for(desk, item)
        ack_state, decide_state = inbox.sla_states(desk, item)
        # A few of each, and how many more: an item with 3,000 merged duplicates read them
        # all (0.4 s) on every move of the cursor onto it, and drew 6,000 lines.
        customers = store.feedback.customers(record_id, limit=DETAIL_CUSTOMERS)
        companies = store.feedback.companies(record_id, limit=DETAIL_CUSTOMERS)
        more_companies = _more(companies, DETAIL_CUSTOMERS, store.feedback.company_count, record_id)
        if more_companies:
            companies.append(f"… and {more_companies:,} more")
        facts = field_lines(
            [
                ("Received", local_datetime(item.received_at, tz)),
                ("Source", item.source),
                ("Kind", words(item.kind)),
                ("Priority", f"P{item.priority}"),
                ("Status", words(item.status)),
                ("Owner", item.owner),
                ("Tags", ", ".join(item.tags)),
            ]
        )
        more_facts = field_lines(
            [
                ("Companies", ", ".join(companies)),
                ("Launch", launch),
                ("Duplicate of", f"#{item.duplicate_of}" if item.duplicate_of else None),
            ]
        )
        # The badge after its label and the day on a line of its own: neither "on track" nor
        # "Wed 02 Dec 2026" is wrapped apart at the panel's edge.
        sla = Text()
        sla.append("Acknowledge: ", style="bold")
        sla.append_text(_badge(ack_state))
        sla.append(f"\n  by {deadline_day(due.acknowledge_by, tz)}")
        sla.append(_done("acknowledged", item.acknowledged_at, item.acknowledged_by, tz))
        sla.append("\nDecide: ", style="bold")
        sla.append_text(_badge(decide_state))
        sla.append(f"\n  by {deadline_day(due.decide_by, tz)}")
        sla.append(_done("decided", item.decided_at, item.decided_by, tz))
        if item.loop_closed_at:
            sla.append(f"\nLoop closed: {local_datetime(item.loop_closed_at, tz)}", style="green")
        sla.append("\n\n")
        body = item.body or ""
        facts.rstrip()  # in place; the blank line comes after the last fact
        more_facts.rstrip()
        parts: list[RenderableType] = [heading(f"#{record_id} {item.title}"), facts]
        if customers:
            # One address a line, each broken only before an '@' or a '.': joined by commas
            # they were wrapped mid-address at the panel's edge.
            parts.append(LabelledAddress("Customers", customers))
            more = _more(customers, DETAIL_CUSTOMERS, store.feedback.customer_count, record_id)
            if more:
                parts.append(Text(f"  … and {counted(more, 'more customer')}", style="italic"))
        if more_facts:
            parts.append(more_facts)
        parts += [Text(""), sla]
        if body:  # an empty one drew a third blank line before the duplicates
            parts.append(Text(visible(body[:BODY_PREVIEW_CHARS])))
        if len(body) > BODY_PREVIEW_CHARS:
            parts.append(
                Text(
                    f"\n… {len(body) - BODY_PREVIEW_CHARS:,} more characters (Enter shows all)",
                    style="italic",
                )
            )
        duplicates = store.feedback.duplicates_of(record_id, limit=DETAIL_DUPLICATES)
        if duplicates:
            more = _more(duplicates, DETAIL_DUPLICATES, store.feedback.duplicate_count, record_id)
            gap = "\n" if body else ""  # the SLA lines end in a blank line of their own
            title = f"{gap}Merged duplicates ({len(duplicates) + more:,})"
            parts.append(Text(title, style="bold"))
            for duplicate in duplicates:
                parts.append(Text(f"#{duplicate.id} {one_line(duplicate.title, 60)}"))
                if duplicate.customer_email:
                    # On its own line, broken only before an '@' or a '.': after the title
                    # it was cut wherever the panel's edge fell ('…@bluepeak-energy.e').
                    parts.append(LabelledAddress("", duplicate.customer_email, style="dim"))
            if more:
                parts.append(Text(f"… and {counted(more, 'more duplicate')}", style="italic"))
        parts.append(self._history(record_id))
        return Group(*parts)

    def _history(self, record_id: int) -> Text:
        tz = self.desk.tz
        changes = self.desk.store.history.for_record("feedback", record_id, limit=15)
        history = Text("\nHistory\n", style="bold")
        titles = self.desk.store.launches.titles()
        for change in changes:
            what = inbox.change_words(change, tz, titles)
            history.append(f"{local_datetime(change.at, tz)} {one_line(change.actor, 20)} {what}\n")
        return history

    def nothing_to_show(self) -> RenderableType:
        """An empty list says what hides everything: the filters and search by name, with
        the keys that change or clear them (it said only 'No feedback items to show.'). An
        empty Mine says whose items it lists: with ``general.user`` left at its default
        ('me') it is always empty, and nothing said why. (An inbox with no items at all
        shows how to begin instead.)"""
        hiding = self._hiding()
        if hiding:
            text = Text(f"No items in {self._base_view()} match ", style="italic")
            text.append(_and(hiding), style="bold")
            text.append(".\n\n")
            keys = []
            if self._filtered():
                keys.append(("f", "changes the filters"))
            keys.append(("F", "clears filters and search"))
            if self.search_text:
                keys.append(("esc", "clears the search only"))
            keys.append(("[ ]", "show another view"))
            for key, does in keys:
                text.append(key, style="bold")
                text.append(f" {does}\n")
            text.rstrip()
            return text
        whole_mine = self.filters == FeedbackFilter(view="mine") and not self.search_text
        if not whole_mine or self.repository.count(limit=1) == 0:
            return super().nothing_to_show()
        from opsdesk.tui.screens.jobs import offered_path  # '~/…', as the exports say

        text = Text("No item's owner is ", style="italic")
        text.append(f"'{visible(self.desk.user)}'", style="bold")
        text.append(".\n\nMine lists the items whose owner is your ")
        text.append("general.user", style="bold")
        text.append(f" in {offered_path(config_path())}: ")
        text.append("set it to your name as the inbox spells owners ")
        text.append("(o picks an item's owner from the people list).")
        return text

    # -- targets of an action ------------------------------------------------------------

    def targets(self) -> list[int]:
        """The marked rows, or the row under the cursor."""
        if self.marked:
            return sorted(self.marked)
        row = self.list.current_row
        return [row.line.id] if row else []

    def _after_change(self, message: str, *, decision: bool = True) -> None:
        """Refresh list, detail and counts after a write; after a decision in triage mode,
        move on to the next untriaged item."""
        self.marked.clear()
        self.refresh_list()
        if self.triage_mode and decision:
            self._next_untriaged()
        self.refresh_counts()
        self.app.notify(message, timeout=2)

    def _next_untriaged(self) -> None:
        listing = self.list
        for index in range(listing.cursor, listing.row_count):
            row = listing.row_at(index)
            if row is not None and row.line.status == FeedbackStatus.NEW:
                listing.move_to(index)
                return

    def _run(
        self, action: Callable[[], Any], message: Callable[[Any], str], *, decision: bool = True
    ) -> None:
        """Run a service call; any refusal becomes a notification, never a crash."""
        try:
            result = action()
        except (
            inbox.FeedbackError,
            InvalidRecord,
            RecordNotFound,
            StoreError,
            ValueError,
        ) as error:  # StoreError: a read-only database or a full disk
            self.app.notify(str(error), severity="error", timeout=5)
            return
        self._after_change(message(result), decision=decision)

    def _target_items(self, ids: Sequence[int]) -> list[Feedback]:
        """The records an owner, tags or launch key will change, as they are now: the
        pickers and the tags prompt say what they hold before it is changed."""
        return [self.desk.store.feedback.get(record_id) for record_id in ids]

    # -- triage actions ------------------------------------------------------------------

    def action_mark(self) -> None:
        row = self.list.current_row
        if row is None:
            return
        record_id = row.line.id
        self.marked.symmetric_difference_update({record_id})
        self.list.redraw()
        self.update_status()
        self.list.action_cursor_down()

    def action_set_kind(self, kind: str) -> None:
        ids = self.targets()
        self._run(
            lambda: inbox.triage(self.desk, ids, kind=kind),
            lambda n: _said(n, ids, f"Kind {words(kind)}", f"a {words(kind)}"),
            decision=False,
        )

    def action_set_priority(self, priority: int) -> None:
        ids = self.targets()
        self._run(
            lambda: inbox.triage(self.desk, ids, priority=priority),
            lambda n: _said(n, ids, f"P{priority}", f"P{priority}"),
            decision=False,
        )

    def action_set_status(self, status: str) -> None:
        ids = self.targets()
        self._run(
            lambda: inbox.triage(self.desk, ids, status=status),
            lambda n: _said(n, ids, words(status).capitalize(), words(status)),
        )

    def action_acknowledge(self) -> None:
        ids = self.targets()
        self._run(
            lambda: inbox.acknowledge(self.desk, ids),
            lambda n: _said(n, ids, "Acknowledged", "acknowledged"),
        )

    def action_undo(self) -> None:
        def done(result: str | None) -> str:
            return (result or "Nothing to undo").capitalize()

        self._run(lambda: inbox.undo(self.desk), done, decision=False)

    def action_owner(self) -> None:
        ids = self.targets()
        if not ids:
            return
        people = [person.name for person in self.desk.store.people.all()]
        owners = {item.owner or "" for item in self._target_items(ids)}
        # An owner typed in elsewhere (an import, the CLI) may not be in the people list: it
        # is offered too, so the picker can tick it.
        extra = sorted(owner for owner in owners if owner and owner not in people)
        options = [("(nobody)", ""), *[(name, name) for name in [*people, *extra]]]

        def chosen(owner: str | None) -> None:
            if owner is None:
                return
            self._run(
                lambda: inbox.triage(self.desk, ids, owner=owner or None),
                lambda n: _said(
                    n,
                    ids,
                    f"Owner {owner or 'cleared'}",
                    f"owned by {owner}" if owner else "without an owner",
                ),
                decision=False,
            )

        from opsdesk.tui.screens.dialogs import PickerScreen

        self.app.push_screen(PickerScreen("Owner", options, **_current(owners)), chosen)

    def action_tags(self) -> None:
        ids = self.targets()
        if not ids:
            return

        def chosen(text: str | None) -> None:
            if not text:
                return
            tokens = text.replace(",", " ").split()
            add = [token.lstrip("+") for token in tokens if not token.startswith("-")]
            remove = [token[1:] for token in tokens if token.startswith("-")]
            self._run(
                lambda: inbox.retag(self.desk, ids, add=add, remove=remove),
                lambda n: f"Tags changed on {counted(n, 'item')}",
                decision=False,
            )

        from opsdesk.tui.screens.dialogs import PromptScreen

        # The tags in force go in the title, which the prompt shows as plain text (a tag may
        # hold '[' and the label is markup).
        which = f"#{ids[0]}" if len(ids) == 1 else counted(len(ids), "item")
        title = f"Tags on {which}\n{_tags_now(self._target_items(ids))}"
        self.app.push_screen(
            PromptScreen(title, "Tags to add, or -tag to remove", placeholder="sso -billing"),
            chosen,
        )

    def action_link_launch(self) -> None:
        ids = self.targets()
        if not ids:
            return
        launches = sorted(self.desk.store.launches.titles().items(), key=lambda pair: pair[1])
        options = [("(no launch)", 0), *[(title, launch_id) for launch_id, title in launches]]
        linked = {item.launch_id or 0 for item in self._target_items(ids)}

        def chosen(launch_id: int | None) -> None:
            if launch_id is None:
                return
            self._run(
                lambda: inbox.triage(self.desk, ids, launch_id=launch_id or None),
                lambda n: f"Launch link changed on {counted(n, 'item')}",
                decision=False,
            )

        from opsdesk.tui.screens.dialogs import PickerScreen

        self.app.push_screen(PickerScreen("Link to launch", options, **_current(linked)), chosen)

    def action_merge(self) -> None:
        row = self.list.current_row
        if row is None:
            return
        survivor = row.line.id
        ids = sorted(self.marked - {survivor})
        self._run(
            lambda: inbox.merge(self.desk, ids, survivor),
            lambda n: f"Merged {counted(n, 'item')} into #{survivor}",
            decision=False,
        )

    def action_unmerge(self) -> None:
        """Separate a merged duplicate: the one under the cursor, or, on the item they were
        merged into, the one picked from its duplicates. The lists hide duplicates, so U on
        the item a mistaken merge left was the only place a user could press it, and it
        said '#12 is not merged into another item'."""
        row = self.list.current_row
        if row is None:
            return
        record = row.record
        if record.duplicate_of is not None:
            self._separate(int(record.id or 0))
            return
        duplicates = self.desk.store.feedback.duplicates_of(int(record.id or 0))
        if not duplicates:
            self.app.notify(
                f"#{record.id} has no merged duplicates to separate (m merges marked rows "
                "into the row under the cursor)",
                severity="warning",
                timeout=4,
            )
            return
        options = [
            (f"#{item.id} {one_line(item.title, 60)}", int(item.id or 0)) for item in duplicates
        ]

        def chosen(record_id: int | None) -> None:
            if record_id is not None:
                self._separate(record_id)

        from opsdesk.tui.screens.dialogs import PickerScreen

        self.app.push_screen(
            PickerScreen(f"Separate which duplicate from #{record.id}?", options), chosen
        )

    def _separate(self, record_id: int) -> None:
        self._run(
            lambda: inbox.unmerge(self.desk, record_id),
            lambda _: f"#{record_id} is separate again",
            decision=False,
        )

    def action_close_loop(self) -> None:
        row = self.list.current_row
        if row is None:
            return
        record_id = int(row.record.id or 0)

        def message(result: inbox.LoopResult) -> str:
            told = f"told {counted(len(result.told), 'customer')}"
            refused = "".join(
                f"; not told {visible(email)} ({visible(reason)})"
                for email, reason in result.refused
            )
            return f"Loop closed on #{record_id}: {told}{refused}"

        self._run(lambda: inbox.close_loop(self.desk, record_id), message, decision=False)

    def action_triage_mode(self) -> None:
        self.triage_mode = not self.triage_mode
        if self.triage_mode:
            self._next_untriaged()
        self.update_status()
        self.app.notify(
            "Triage mode on: the cursor moves to the next untriaged item after each decision"
            if self.triage_mode
            else "Triage mode off",
            timeout=3,
        )

    # -- capture, filters, views ---------------------------------------------------------

    def action_capture(self) -> None:
        desk = self.desk

        def suggest(form: FormScreen, values: dict[str, Any]) -> None:
            title = values.get("title") or ""
            found = inbox.likely_duplicates(desk, title)
            if not found:
                form.set_aside("")
                return
            text = Text()
            text.append("Likely duplicates\n", style="bold")
            for item, score in found:
                text.append(f"#{item.id} {one_line(item.title, 70)}", style="")
                text.append(f"  {words(item.status)} · {score:.0%}\n", style="dim")
            text.rstrip()  # no blank line between the last one and the buttons
            form.set_aside(text)

        def validate(values: dict[str, Any]) -> dict[str, str]:
            try:
                self._captured = inbox.capture(desk, **_capture_fields(values, desk))
            except InvalidRecord as error:
                return _field_errors(str(error))
            return {}

        def saved(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            item = self._captured
            if item is None:
                return
            # The cursor goes to the new item when the view shows it (the next key, a
            # triage key say, is usually for it); a view that hides it is left as it is.
            position = self.repository.position(self.where(), self.sort, int(item.id or 0))
            if position is None:
                self.refresh_list()
                note = f" (not in the {self.view_label} view)"
            else:
                self.refresh_list(reset=True)
                self.list.move_to(position)
                note = ""
            self.refresh_counts()
            self.app.notify(f"Added #{item.id} {one_line(item.title, 60)}{note}", timeout=3)

        from opsdesk.tui.screens.feedback_forms import capture_form

        form = capture_form(
            desk, self.desk.store.feedback.sources(), validate=validate, on_change=suggest
        )
        self.app.push_screen(form, saved)

    def action_filter(self) -> None:
        def chosen(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            self.filters = replace(self.filters, **values)
            self.marked.clear()
            self.refresh_list(reset=True)
            self._adopt_view_count()  # filters cleared: the whole view's count is known

        from opsdesk.tui.screens.feedback_forms import filter_form

        self.app.push_screen(
            filter_form(self.desk, self.filters, self.desk.store.feedback.sources()), chosen
        )

    def action_save_view(self) -> None:
        filters = replace(self.filters, search=self.search_text)
        sort = self.sort

        def save(name: str) -> None:
            try:
                self.desk.store.feedback.save_view(name, filters, sort)
            except StoreError as error:  # a read-only database or a full disk
                self.app.notify(str(error), severity="error", timeout=5)
                return
            self.view_label = name
            self.refresh_counts()
            self.update_status()
            self.app.notify(f"Saved view ★ {visible(name)}", timeout=3)

        def chosen(name: str | None) -> None:
            name = (name or "").strip()
            if not name:
                return
            saved = {view.name for view in self.desk.store.feedback.saved_views()}
            if name not in saved:
                save(name)
                return
            # Saving over a view replaced its filters without a word: ask first.
            self.app.push_screen(
                ConfirmScreen(
                    f"A view called '{name}' exists. Replace its filters and sort with these?",
                    "Replace",
                ),
                lambda yes: save(name) if yes else None,
            )

        from opsdesk.tui.screens.dialogs import ConfirmScreen, PromptScreen

        self.app.push_screen(
            PromptScreen("Save this view", "Name", placeholder="Enterprise bugs"), chosen
        )

    def _shown_saved_view(self) -> SavedView | None:
        """The saved view on screen, if one is (its name is the view's label)."""
        return next((saved for saved in self._saved if saved.name == self.view_label), None)

    def action_delete_view(self) -> None:
        """Delete the saved view on screen, after asking; the inbox goes back to Untriaged."""
        shown = self._shown_saved_view()
        if shown is None:
            self.app.notify(
                "Open a saved view (★ in the sidebar, [ and ] step through them) to delete it.",
                severity="warning",
                timeout=4,
            )
            return
        name = shown.name

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.desk.store.feedback.delete_view(name)
            except StoreError as error:  # a read-only database or a full disk
                self.app.notify(str(error), severity="error", timeout=5)
                return
            self._saved = [saved for saved in self._saved if saved.name != name]
            self.show_view("untriaged")
            self.refresh_counts()
            self.app.notify(f"Deleted saved view ★ {visible(name)}", timeout=3)

        from opsdesk.tui.screens.dialogs import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                f"Delete the saved view '{visible(name)}'? Its items stay in the inbox.", "Delete"
            ),
            answer,
        )

    def action_themes(self) -> None:
        from opsdesk.tui.screens.feedback_themes import ThemesScreen

        def chosen(theme: Any) -> None:
            if theme is None:
                return
            # Where [ and ] go from the theme (another theme's, opened from a theme).
            came_from = self._view_ids()[self._view_index()]
            self.filters = FeedbackFilter(view="all", tag=theme.tag)
            self.view_label = f"theme {theme.tag}"
            # The themes view counted this very list (merged duplicates left out): the
            # status line says its number rather than "1,000+", after a sort too.
            self._theme = ThemeShown(self.view_label, self.filters, theme.items, came_from)
            self.marked.clear()  # marks were made in another list: they would act unseen
            self.refresh_list(reset=True)
            self._adopt_view_count()

        desk = self.desk
        if desk.store.in_memory:  # no file to share with a thread: counted here, at once
            self.app.push_screen(ThemesScreen(inbox.themes(desk)), chosen)
            return

        self.app.push_screen(ThemesScreen(load=lambda: on_companion(desk, inbox.themes)), chosen)

    def on_window_list_selected(self, event: Any) -> None:
        from opsdesk.tui.screens.feedback_detail import FeedbackBodyScreen

        event.stop()
        self.app.push_screen(FeedbackBodyScreen(event.row.record, self.desk.tz))


def _counted(
    desk: Desk, theme: FeedbackFilter | None
) -> tuple[dict[str, int], list[SavedView], tuple[FeedbackFilter, int] | None]:
    """The sidebar's counts and saved views, and the whole theme on screen counted again
    (a write may have tagged or merged its items): one read, on a worker's connection for
    a file database."""
    counts = inbox.view_counts(desk)
    saved = desk.store.feedback.saved_views()
    return counts, saved, (theme, inbox.count_items(desk, theme)) if theme else None


def _said(changed: int, ids: Sequence[int], done: str, already: str) -> str:
    """What a triage key did: 'P1: 3 items', or, when it changed nothing, that the items were
    so already ('Acknowledged 0 items' read as if the key had failed)."""
    if changed:
        return f"{done}: {counted(changed, 'item')}"
    if len(ids) == 1:
        return f"#{ids[0]} was already {already}: nothing changed"
    return f"All {len(ids)} were already {already}: nothing changed"


def _and(parts: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _current(values: set[Any]) -> dict[str, Any]:
    """A picker's ``current=`` when every target holds the same value (ticked, the cursor on
    it), else nothing: marked items with different owners have no one owner to tick."""
    return {"current": next(iter(values))} if len(values) == 1 else {}


def _tags_now(items: Sequence[Feedback]) -> str:
    """The tags the items carry now, for the tags prompt: 'Now: billing, sso', or for marked
    items each tag with how many carry it ('Now: billing (3 of 3), sso (1 of 3)')."""
    counts: dict[str, int] = {}
    for item in items:
        for tag in item.tags:
            counts[tag] = counts.get(tag, 0) + 1
    if not counts:
        return "Now: no tags"
    if len(items) == 1:
        return "Now: " + ", ".join(sorted(counts))
    return "Now: " + ", ".join(f"{tag} ({counts[tag]} of {len(items)})" for tag in sorted(counts))


def _capture_fields(values: dict[str, Any], desk: Any) -> dict[str, Any]:
    """Form values → the capture service's keyword arguments."""
    from opsdesk.tui.screens.feedback_forms import received_instant

    tags = [tag for tag in (values.get("tags") or "").replace(",", " ").split() if tag]
    received = values.get("received")
    return {
        "title": values.get("title") or "",
        "body": values.get("body") or "",
        "source": values.get("source") or "other",
        "kind": values.get("kind") or "request",
        "priority": values.get("priority") or 3,
        "customer_email": values.get("customer_email") or None,
        "company": values.get("company") or None,
        "received_at": received_instant(received, desk) if received else None,
        "tags": tags,
    }


def _field_errors(message: str) -> dict[str, str]:
    """'priority: must be …; title: …' → {field: message}; anything else under 'title'."""
    errors: dict[str, str] = {}
    for part in message.split("; "):
        name, _, text = part.partition(": ")
        field = FORM_FIELD.get(name, name) if text else "title"
        errors[field] = text or part
    return errors


FORM_FIELD = {"received_at": "received"}
"""Model field names that the capture form names differently."""
