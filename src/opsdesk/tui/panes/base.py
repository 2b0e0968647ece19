"""What every pane shares: a list onto a store query, a search box, a sort and a detail view.

A pane owns its query (search text and sort). Changing either re-runs the query for the
visible window only. The pane never builds SQL: it hands its filter to the repository, which
answers with a :class:`~opsdesk.store.base.Where`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Static

from opsdesk.services.desk import Desk
from opsdesk.store.base import Repository, WindowRow
from opsdesk.text import visible
from opsdesk.tui.first_steps import first_steps
from opsdesk.tui.widgets.window_list import COUNT_CAP, Column, WindowList

PaneT = TypeVar("PaneT", bound=Widget)


def while_running(handler: Callable[[PaneT], None]) -> Callable[[PaneT], None]:
    """Run a pane's mount handler only while the app runs.

    Panes other than the first are built after the first screen is drawn. If the app stops in
    that moment (a test ending, a quit on the very first frame), Textual still delivers the
    pane's Mount event although its widgets were never composed, and the handler's first
    ``query_one`` would raise instead of the app closing quietly.
    """

    @wraps(handler)
    def guarded(pane: PaneT) -> None:
        if pane.app.is_running:
            handler(pane)

    return guarded


MIN_SEARCH = 2
"""Search starts at the second character typed."""

if TYPE_CHECKING:
    from opsdesk.tui.app import OpsdeskApp


class QuerySource:
    """A :class:`RowSource` over one repository, one filter and one sort."""

    def __init__(
        self, repository: Repository[Any], where: Any, sort: str, extra_columns: str = ""
    ) -> None:
        self.repository = repository
        self.where = where
        self.sort = sort
        self.extra_columns = extra_columns

    def count(self, limit: int | None = None) -> int:
        return self.repository.count(self.where, limit=limit)

    def fetch(
        self, offset: int, limit: int, after: tuple[Any, ...] | None, *, total: int | None = None
    ) -> list[WindowRow[Any]]:
        return self.repository.window(
            self.where,
            self.sort,
            offset=offset,
            limit=limit,
            after=after,
            extra_columns=self.extra_columns,
            total=total,
        )


class ListPane(Vertical):
    """A pane: status line, optional search box, the list and the selected record's details."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="pane.search"),
        Binding("s", "cycle_sort", "Sort", id="pane.sort"),
        Binding("escape", "clear_search", "Clear search", show=False, id="pane.clear_search"),
    ]

    pane_id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    noun: ClassVar[str] = "records"
    noun_one: ClassVar[str] = "record"
    """The noun for a count of one ("1 launch", not "1 launches")."""
    default_sort: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__(id=f"pane-{self.pane_id}", classes="pane")
        self.search_text = ""
        self._typed_search = ""
        self._rows_drawn = False
        self.sort = self.default_sort

    # -- what subclasses provide ---------------------------------------------------------

    @property
    def opsdesk(self) -> OpsdeskApp:
        """The running app, typed."""
        return cast("OpsdeskApp", self.app)

    @property
    def desk(self) -> Desk:
        """The store, config and clock that services take."""
        return self.opsdesk.desk

    @property
    def repository(self) -> Repository[Any]:
        raise NotImplementedError

    def columns(self) -> Sequence[Column]:
        raise NotImplementedError

    def where(self) -> Any:
        """The repository's WHERE clause for the pane's current filters."""
        raise NotImplementedError

    def extra_columns(self) -> str:
        return ""

    def detail(self, row: WindowRow[Any]) -> RenderableType:
        raise NotImplementedError

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id=f"{self.pane_id}-status", classes="pane-status")
        yield Input(
            placeholder=f"Search {self.noun}… (Esc clears)",
            id=f"{self.pane_id}-search",
            classes="pane-search",
        )
        with Horizontal(classes="pane-body"):
            yield from self.compose_sidebar()
            yield WindowList(
                self.columns(), id=f"{self.pane_id}-list", empty_text=f"No {self.noun} here."
            )
            with VerticalScroll(classes="pane-detail", id=f"{self.pane_id}-detail"):
                yield Static(id=f"{self.pane_id}-detail-body", classes="detail-body")

    def compose_sidebar(self) -> ComposeResult:
        """Widgets left of the list (a pane with views or filters adds them here)."""
        yield from ()

    def status_parts(self) -> list[str]:
        """Extra facts for the status line (e.g. the current view, marked rows)."""
        return []

    @while_running
    def on_mount(self) -> None:
        """Hide the search box and run the first query.

        Textual calls the ``on_mount`` of every class a pane is made of, its own first and
        this one last, so a pane's handler does its own setup and never calls ``super()``
        (that ran the first query twice).
        """
        self.query_one(".pane-search", Input).display = False
        self.refresh_list(reset=True)

    @property
    def list(self) -> WindowList:
        return self.query_one(WindowList)

    def focus_list(self) -> None:
        self.list.focus()

    # -- data ----------------------------------------------------------------------------

    def source(self) -> QuerySource:
        return QuerySource(self.repository, self.where(), self.sort, self.extra_columns())

    def refresh_list(self, *, reset: bool = False) -> None:
        """Re-run the pane's query; keep the cursor on the same record unless ``reset``."""
        if reset:
            self.list.set_source(self.source())
        else:
            self.list._source = self.source()
            self.list.reload()
        self.update_status()

    def update_status(self) -> None:
        sort_label = self.repository.sorts[self.sort].label
        listing = self.list
        if listing.count_is_exact:
            noun = self.noun_one if listing.row_count == 1 else self.noun
            counted = f"{listing.row_count:,} {noun}"
        else:
            counted = f"{min(listing.row_count, COUNT_CAP):,}+ {self.noun}"
        parts = [counted, f"sorted by {sort_label}"]
        if self.search_text:
            parts.append(f"search: {visible(self.search_text)}")
        elif self._typed_search:
            parts.append(f"type {MIN_SEARCH} or more characters to search")
        parts.extend(self.status_parts())
        self.query_one(".pane-status", Static).update(Text(" · ".join(parts)))

    def on_window_list_counted(self, message: WindowList.Counted) -> None:
        message.stop()
        self.update_status()

    def on_window_list_highlighted(self, message: WindowList.Highlighted) -> None:
        message.stop()
        if message.row is not None and not self._rows_drawn:
            # The first rows are what a person waits for; the detail, which reads the whole
            # record (and loads the models to do so), follows once they are on screen.
            self._rows_drawn = True
            self.call_after_refresh(self._show_current_detail)
            return
        self._show_detail(message.row)

    def _show_current_detail(self) -> None:
        """The detail of the row under the cursor now (it may have moved since it was asked)."""
        if self.is_mounted:
            self._show_detail(self.list.current_row)

    def _show_detail(self, row: WindowRow[Any] | None) -> None:
        body = self.query_one(".detail-body", Static)
        if row is None:
            body.update(self.nothing_to_show())
        else:
            body.update(self.detail(row))
        self.query_one(".pane-detail", VerticalScroll).scroll_home(animate=False)

    def nothing_to_show(self) -> RenderableType:
        """The detail when no row is under the cursor: how to begin when the table holds
        nothing at all (a new user's first look), else that this view is empty."""
        welcome = first_steps(self.pane_id) if self.repository.count(limit=1) == 0 else None
        return welcome or Text(f"No {self.noun} to show.", style="italic")

    # -- actions -------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one(".pane-search", Input)
        search.display = True
        # Focus once the box has been laid out: a widget with no region yet refuses focus.
        self.call_after_refresh(search.focus)

    def action_clear_search(self) -> None:
        search = self.query_one(".pane-search", Input)
        search.value = ""
        search.display = False
        self.focus_list()

    def on_input_changed(self, event: Input.Changed) -> None:
        if "pane-search" not in event.input.classes:
            return
        event.stop()
        self.set_search(event.value)

    def set_search(self, typed: str) -> None:
        """Search for what is typed so far (from the second character: one letter matches
        half of everything and narrows nothing)."""
        self._typed_search = typed
        searched = typed if len(typed.strip()) >= MIN_SEARCH else ""
        if searched == self.search_text:
            self.update_status()
            return
        self.search_text = searched
        self.refresh_list(reset=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if "pane-search" not in event.input.classes:
            return
        event.stop()
        if not event.value:
            event.input.display = False
        self.focus_list()

    def show_record(self, record_id: int) -> bool:
        """Put the cursor on record ``record_id``, widening the pane's filters if they hide it.

        Returns False when the record does not exist (any more).
        """
        position = self.repository.position(self.where(), self.sort, record_id)
        if position is None:
            self.widen_to_show(record_id)
            position = self.repository.position(self.where(), self.sort, record_id)
        if position is None:
            return False
        self.refresh_list(reset=True)
        self.list.move_to(position)
        return True

    def widen_to_show(self, record_id: int) -> None:
        """Drop the search (and a subclass's filters) so that a record can be shown."""
        self.search_text = ""
        self._typed_search = ""
        search = self.query_one(".pane-search", Input)
        search.value = ""
        search.display = False

    def describe_action(self, action: str, description: str) -> str:
        """How the palette names a pane action now (a subclass says which rows it acts on)."""
        return description

    def action_cycle_sort(self) -> None:
        names = list(self.repository.sorts)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self.refresh_list(reset=True)
        self.app.notify(f"Sorted by {self.repository.sorts[self.sort].label}", timeout=2)


def field_lines(pairs: Sequence[tuple[str, Any]]) -> Text:
    """Label/value lines for a detail view; values are shown literally, never as markup."""
    text = Text()
    for name, value in pairs:
        if value in (None, "", []):
            continue
        text.append(f"{name}: ", style="bold")
        text.append(visible(str(value)))
        text.append("\n")
    return text


def heading(title: str) -> Text:
    """A record's title as the detail view's first line."""
    return Text(visible(title) + "\n", style="bold underline")
