"""The experiment pane: a board of every team's experiments, with a list, the conflicts
between them and a library of what past experiments taught.

Four views over the same data, switched with ``b`` (board), ``v`` (list), ``c`` (conflicts)
and ``L`` (learnings library). The board's columns are windows onto per-status queries; the
conflicts are recomputed from the running and planned experiments after every change, and
flagged on both cards of each colliding pair. Every change goes through
:mod:`opsdesk.services.experiments`, so the board meets the same guards as the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Literal

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, Input, Select, Static

from opsdesk.formatting import counted, day, local_date, words
from opsdesk.models import Experiment, Feedback
from opsdesk.rules.experiments import BOARD_COLUMNS, GuardError, neighbour
from opsdesk.rules.overlap import Candidate, Conflict, ConflictSet, normalise
from opsdesk.services import experiments as service
from opsdesk.services.experiments import AlreadyInColumn, BoardEdge, LibraryQuery
from opsdesk.store import InvalidRecord, RecordNotFound, StoreError
from opsdesk.store.base import Repository, WindowRow
from opsdesk.store.experiments import COLUMN_SORTS, LIST_SORTS, ExperimentFilter, Similar
from opsdesk.store.feedback import FeedbackFilter
from opsdesk.text import one_line, visible
from opsdesk.tui.panes.base import ListPane, QuerySource, while_running
from opsdesk.tui.screens.dialogs import ConfirmScreen, FormScreen, PickerScreen, PromptScreen
from opsdesk.tui.screens.experiments_forms import (
    changed_fields,
    experiment_fields,
    experiment_form,
    field_errors,
    form_values,
    requirement_fields,
)
from opsdesk.tui.widgets.experiments_board import CardColumn, ExperimentBoard
from opsdesk.tui.widgets.experiments_render import (
    COLUMN_TITLES,
    RESULT_STYLE,
    STATUS_STYLE,
    WIN_RATE_RULE,
    CardLine,
    card_lines,
    conflict_detail,
    experiment_detail,
    similar_aside,
    stats_table,
)
from opsdesk.tui.widgets.footer_by_width import FooterByWidth, FooterKeys
from opsdesk.tui.widgets.quiet_select import QuietSelect
from opsdesk.tui.widgets.window_list import COUNT_CAP, Column, WindowList
from opsdesk.vocabulary import ExperimentStatus

VIEWS = ("board", "list", "conflicts", "library")
VIEW_WIDGETS = {
    "board": "experiments-board",
    "list": "experiments-list",
    "conflicts": "experiments-conflicts",
    "library": "experiments-library",
}
VIEW_TITLES = {
    "board": "board",
    "list": "list",
    "conflicts": "conflicts",
    "library": "learnings library",
}
NOT_STARTED = frozenset({ExperimentStatus.IDEA, ExperimentStatus.DESIGNING})
"""Columns of work that has not run: moving running work there clears its actual dates."""
ACTIONS_ON_ONE = frozenset({"edit", "move", "abandon", "links"})
"""Actions that act on the experiment under the cursor (not in the conflicts view)."""
MOVES = Binding.Group("Move")
"""'[' and ']' side by side on the footer as '[ ] Move': half the room of 'Move ←' and
'Move →' apart."""
_MOVES = ("move(-1)", "move(1)")
_CARD = ("edit", *_MOVES, "abandon", "restore")
FOOTER_KEYS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # view: (from FULL_FOOTER_FROM columns, under it)
    "board": (
        frozenset(
            {"search", "new", *_CARD, "links"}
            | {"view('list')", "view('conflicts')", "view('library')"}
        ),
        frozenset({"search", "new", *_CARD, "view('library')"}),
    ),
    "list": (
        frozenset(
            {"search", "cycle_sort", "new", *_CARD}
            | {"view('board')", "view('conflicts')", "view('library')"}
        ),
        frozenset({"search", "cycle_sort", "new", "edit", "view('board')"}),
    ),
    "conflicts": (
        frozenset({"search", "new", "view('board')", "view('list')", "view('library')"}),
        frozenset({"search", "new", "view('board')", "view('list')", "view('library')"}),
    ),
    "library": (
        frozenset(
            {"search", "new", "edit", *_MOVES, "stats_by"}
            | {"view('board')", "view('list')", "view('conflicts')"}
        ),
        frozenset({"search", "edit", "stats_by", "view('board')"}),
    ),
}
"""The pane's actions the footer shows in each view, wide and less so; every other key
works all the same, and help (``?``) lists it.

At 120 columns each view's full set fits beside the app's quit and help. Under that the
footer cut keys off at its right end: at 80 columns the board's showed 'n New', 'e Edit',
the moves, 'v List' and half of 'c Conf', then stopped, so 'x' (abandon), 'L' (learnings),
'i' and 'a' could not be found from it. Narrower, a view keeps the keys used most, each
whole: on the board, search, new, edit, the moves, abandon (restore on an abandoned card)
and the learnings library, which fill an 80-column footer after '? Help' (the app's quit
is then hidden behind the palette key, rather than cut in two); in the list its sort and
the way back to the board; in the library its stats switch. Whole and quit included, each
also fits from 88 columns up with help back at the end (100 columns and more).
"""


class ConflictSource:
    """A :class:`RowSource` over the pairs computed from the schedule (a few hundred at
    most: only running and planned experiments can collide)."""

    def __init__(self, pairs: ConflictSet) -> None:
        self.pairs = pairs

    def count(self, limit: int | None = None) -> int:
        return len(self.pairs) if limit is None else min(len(self.pairs), limit)

    def fetch(
        self, offset: int, limit: int, after: tuple[Any, ...] | None, *, total: int | None = None
    ) -> list[WindowRow[Any]]:
        return [
            WindowRow(pair, (offset + i,))  # type: ignore[arg-type]
            for i, pair in enumerate(self.pairs[offset : offset + limit])
        ]


def _side(conflict: Conflict, first: bool) -> Text:
    side = conflict.first if first else conflict.second
    text = Text(one_line(side.owner or "nobody"), style="bold")
    text.append(f": {one_line(side.title)}")
    return text


def _why(conflict: Conflict) -> Text:
    kinds = {reason.value for reason in conflict.reasons}
    label = "both" if len(kinds) > 1 else ("surface" if "surface" in kinds else "metric")
    return Text(label, style="bold red")


def _overlap(conflict: Conflict) -> str:
    end = conflict.overlap.end
    return (
        f"{conflict.overlap.start:%d %b}→{end:%d %b}" if end else f"{conflict.overlap.start:%d %b}→"
    )


class ExperimentsPane(FooterByWidth, ListPane):
    """Every team's experiments: board, list, conflicts and the learnings library."""

    pane_id = "experiments"
    title = "Experiments"
    noun = "experiments"
    noun_one = "experiment"
    default_sort = "status"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="experiments.new"),
        Binding("e", "edit", "Edit", id="experiments.edit"),
        Binding(
            "left_square_bracket,shift+left",
            "move(-1)",
            "Move ←",
            id="experiments.move_left",
            group=MOVES,
        ),
        Binding(
            "right_square_bracket,shift+right",
            "move(1)",
            "Move →",
            id="experiments.move_right",
            group=MOVES,
        ),
        Binding("x", "abandon", "Abandon", id="experiments.abandon"),
        Binding("x", "restore", "Restore", id="experiments.restore"),
        Binding("i", "links", "Link", id="experiments.links"),
        Binding("b", "view('board')", "Board", id="experiments.view_board"),
        Binding("v", "view('list')", "List", id="experiments.view_list"),
        Binding("c", "view('conflicts')", "Conflicts", id="experiments.view_conflicts"),
        Binding("L", "view('library')", "Learnings", id="experiments.view_library"),
        Binding("a", "toggle_abandoned", "Show abandoned", id="experiments.show_abandoned"),
        Binding("o", "stats_by", "Team/surface", id="experiments.stats_by"),
    ]
    """Short words on the footer, the two moves as one '[ ] Move', and no key for the view
    already shown. Which keys the footer shows depends on the view and the terminal's width
    (:data:`FOOTER_KEYS`, applied by :class:`FooterByWidth`); help lists them all, and the palette
    names the actions in full (:attr:`PALETTE_NAMES`)."""

    PALETTE_NAMES: ClassVar[dict[str, str]] = {
        "move(1)": "Move right",
        "move(-1)": "Move left",
        "links": "Link feedback or a launch",
        "stats_by": "Stats by team/surface",
    }
    """What the palette calls the actions whose footer words are short."""

    def footer_view(self) -> str:
        return str(getattr(self, "view", "board"))  # Textual reads the keys before __init__ ends

    def footer_keys(self, narrow: bool) -> FooterKeys:
        """The view's keys of :data:`FOOTER_KEYS`, wide or narrow."""
        return FooterKeys(FOOTER_KEYS[self.footer_view()][narrow])

    def __init__(self) -> None:
        super().__init__()
        self.view = "board"
        self.show_abandoned = False
        self.stats_by = "team"
        self.conflicts = ConflictSet.empty()
        self._library_stale = True
        self._library_any_word = False
        self._stale_columns: set[ExperimentStatus] = set()
        self._conflicts_key: tuple[object, ...] | None = None
        self._conflicts_view_stale = True
        self._list_stale: bool | None = None
        self._shown: object = None

    # -- ListPane hooks ------------------------------------------------------------------------

    @property
    def repository(self) -> Repository[Any]:
        return self.desk.store.experiments

    def where(self) -> Any:
        return self.desk.store.experiments.where(
            ExperimentFilter(search=self.search_text, include_abandoned=self.show_abandoned)
        )

    def columns(self) -> Sequence[Column]:
        return [
            Column("", lambda r: self._mark(r.record), 1),
            Column(
                "Status",
                lambda r: Text(words(r.record.status), style=STATUS_STYLE[r.record.status]),
                10,
            ),
            Column("Title", lambda r: r.record.title),
            Column("Team", lambda r: r.record.team or "", 12, optional=True),
            Column("Surface", lambda r: r.record.surface or "", 13, optional=True),
            Column("Metric", lambda r: r.record.primary_metric or "", 16, optional=True),
            Column("Start", lambda r: day(r.record.actual_start or r.record.planned_start), 10),
            Column(
                "End", lambda r: day(r.record.actual_end or r.record.planned_end), 10, optional=True
            ),
        ]

    def _mark(self, experiment: Experiment) -> Text:
        return Text("⚠", style="bold red") if self.conflicts.has(experiment.id) else Text("")

    def detail(self, row: WindowRow[Any]) -> RenderableType:
        record = row.record
        if isinstance(record, Conflict):
            return conflict_detail(record)
        experiment: Experiment = record
        assert experiment.id is not None
        store = self.desk.store
        return experiment_detail(
            experiment,
            conflicts=self.conflicts.involving(experiment.id),
            feedback=store.experiments.linked_feedback(experiment.id),
            launches=store.experiments.linked_launches(experiment.id),
            learnings_first=self.view == "library",
        )

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="experiments-status", classes="pane-status")
        yield Input(
            placeholder="Search experiments… (Esc clears)",
            id="experiments-search",
            classes="pane-search",
        )
        with Horizontal(classes="pane-body"):
            with ContentSwitcher(initial=VIEW_WIDGETS["board"], id="experiments-views"):
                yield ExperimentBoard(self._card_columns(), id="experiments-board")
                yield WindowList(
                    self.columns(), id="experiments-list", empty_text="No experiments here."
                )
                yield WindowList(
                    self._conflict_columns(),
                    id="experiments-conflicts",
                    empty_text="No running or planned experiments overlap.",
                )
                with Vertical(id="experiments-library"):
                    yield Input(
                        placeholder="Search learnings: title, hypothesis, metric, learnings…",
                        id="experiments-library-search",
                        compact=True,
                    )
                    with Horizontal(id="experiments-library-filters"):
                        for name, prompt in (
                            ("surface", "Surface"),
                            ("metric", "Metric"),
                            ("team", "Team"),
                            ("result", "Result"),
                        ):
                            yield QuietSelect(
                                [],
                                prompt=prompt,
                                id=f"experiments-library-{name}",
                                compact=True,
                            )
                    yield WindowList(
                        self._library_columns(),
                        id="experiments-library-list",
                        empty_text="No concluded experiments match.",
                    )
                    yield Static(id="experiments-library-stats")
            with VerticalScroll(classes="pane-detail", id="experiments-detail"):
                yield Static(id="experiments-detail-body", classes="detail-body")

    def _card_columns(self) -> list[CardColumn]:
        columns = []
        for status in (*BOARD_COLUMNS, ExperimentStatus.ABANDONED):
            columns.append(
                CardColumn(
                    status,
                    COLUMN_TITLES[status],
                    self._card,
                    id=f"experiments-column-{status.value}",
                )
            )
        return columns

    def _card(self, row: WindowRow[Any], width: int) -> list[CardLine]:
        experiment: Experiment = row.record
        return card_lines(experiment, width, self.conflicts.has(experiment.id), self.desk.today())

    @staticmethod
    def _conflict_columns() -> list[Column]:
        return [
            Column("Why", lambda r: _why(r.record), 7),
            Column("Owner: experiment", lambda r: _side(r.record, True)),
            Column("Collides with", lambda r: _side(r.record, False)),
            Column("Overlap", lambda r: _overlap(r.record), 13),
        ]

    @staticmethod
    def _library_columns() -> list[Column]:
        def result(row: WindowRow[Any]) -> Text:
            value = row.record.result
            if value is None:
                return Text("")
            return Text(value.value, style=RESULT_STYLE[value])

        return [
            Column("Result", result, 12),
            Column("Title", lambda r: r.record.title),
            Column("Team", lambda r: r.record.team or "", 14, optional=True),
            Column("Surface", lambda r: r.record.surface or "", 12, optional=True),
            Column("Ended", lambda r: day(r.record.actual_end), 10),
        ]

    @while_running
    def on_mount(self) -> None:
        # The board is set up first; ListPane.on_mount, which Textual calls next, hides the
        # search box and runs the first query.
        self.board.column_for(ExperimentStatus.ABANDONED).display = False
        self.board.current = self.board.column_for(ExperimentStatus.RUNNING)
        self._apply_view_class()

    # -- views ---------------------------------------------------------------------------------

    @property
    def board(self) -> ExperimentBoard:
        return self.query_one("#experiments-board", ExperimentBoard)

    @property
    def list(self) -> WindowList:
        """The list the keyboard is on in the current view (a board column on the board)."""
        if self.view == "board":
            return self.board.current
        if self.view == "library":
            return self.query_one("#experiments-library-list", WindowList)
        return self.query_one(f"#{VIEW_WIDGETS[self.view]}", WindowList)

    def focus_list(self) -> None:
        if self.view == "board":
            self.board.focus_column(self.board.current)
        else:
            self.list.focus()

    def _apply_view_class(self) -> None:
        """Mark the pane with its view (``-board``, ``-list``…) for the styles, restyling
        only the pane, its body and its details panel: the rules the view classes select
        (the board puts the details below the columns instead of beside them) style those.

        Each class change used to restyle every widget under the pane (the board's columns,
        the library's filters and their overlays), twice per view key: 110-230 ms a key.
        """
        for view in VIEWS:
            self.set_class(view == self.view, f"-{view}", update=False)
        styled = [self, *self.query(".pane-body"), *self.query(".pane-detail")]
        self.app.stylesheet.update_nodes(styled, animate=False)

    def action_view(self, view: str) -> None:
        if view not in VIEWS:
            return
        self.view = view
        self.query_one(ContentSwitcher).current = VIEW_WIDGETS[view]
        self._apply_view_class()
        if view == "library" and self._library_stale:
            self._refresh_library(reset=True)
        if view == "conflicts" and self._conflicts_view_stale:
            self._refresh_conflicts_view(reset=True)
        if view == "list" and self._list_stale:
            self._refresh_list_view()
        self.refresh_bindings()
        self.focus_list()
        self._show_current()
        self.update_status()

    def describe_action(self, action: str, description: str) -> str:
        return self.PALETTE_NAMES.get(action, description)

    def action_cycle_sort(self) -> None:
        """The list's orders only: the repository also holds the board columns' own."""
        self.sort = LIST_SORTS[(LIST_SORTS.index(self.sort) + 1) % len(LIST_SORTS)]
        self.refresh_list(reset=True)
        self.app.notify(f"Sorted by {self.repository.sorts[self.sort].label}", timeout=2)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view":  # the view shown has no key on the footer (nor needs one)
            return parameters != (self.view,)
        if action == "cycle_sort":
            return self.view == "list"
        if action == "toggle_abandoned":
            return self.view in ("board", "list")
        if action == "stats_by":
            return self.view == "library"
        if action in ACTIONS_ON_ONE or action == "restore":
            if self.view == "conflicts":
                return False
            # An abandoned card has left the board's flow: '[' ']' only warned there, while
            # 'x', the key that works (restore), was off the footer. There 'x' restores and
            # shows so; the moves leave the footer.
            abandoned = self._on_abandoned()
            if action == "restore":
                return abandoned
            if action in ("move", "abandon"):
                return not abandoned
        return True

    def _on_abandoned(self) -> bool:
        """Whether the keyboard is on an abandoned experiment (its keys differ)."""
        row = self.list.current_row if self.is_mounted else None
        record = row.record if row is not None else None
        return isinstance(record, Experiment) and record.status is ExperimentStatus.ABANDONED

    # -- data --------------------------------------------------------------------------------

    def _column_source(self, status: ExperimentStatus) -> QuerySource:
        repository = self.desk.store.experiments
        where = repository.where(ExperimentFilter(status=status.value, search=self.search_text))
        return QuerySource(repository, where, COLUMN_SORTS[status])

    def refresh_list(self, *, reset: bool = False, keep_id: int | None = None) -> None:
        """Recompute the conflicts and re-run every loaded view's query."""
        self._recompute_conflicts()
        for column in self.board.columns:
            if column.display:
                self._refresh_column(column, reset=reset)
            else:  # the hidden abandoned column is queried when it is shown
                self._stale_columns.add(column.status)
        if self.view == "list" or self._list_stale is None:  # None: never loaded yet
            self._refresh_list_view(reset=reset, keep_id=keep_id)
        else:
            self._list_stale = True
        if self.view == "conflicts":
            self._refresh_conflicts_view(reset=reset)
        else:
            self._conflicts_view_stale = True
        if self.view == "library":
            self._refresh_library(reset=reset)
        else:
            self._library_stale = True
        self._show_current()
        self.update_status()

    def _refresh_list_view(self, *, reset: bool = False, keep_id: int | None = None) -> None:
        self._list_stale = False
        listing = self.query_one("#experiments-list", WindowList)
        if reset:
            listing.set_source(self.source())
        else:
            listing._source = self.source()
            listing.reload(keep_id=keep_id)

    def _refresh_conflicts_view(self, *, reset: bool = False) -> None:
        self._conflicts_view_stale = False
        listing = self.query_one("#experiments-conflicts", WindowList)
        listing._source = ConflictSource(self._filtered_pairs())
        listing.reload(reset=reset)

    def _recompute_conflicts(self) -> None:
        """Find the overlaps again, unless nothing was written since (a search, a view)."""
        store = self.desk.store
        key = (store.data_version(), store.conn.total_changes, self.desk.today())
        if key != self._conflicts_key:
            self.conflicts = service.conflicts(self.desk)
            self._conflicts_key = key

    def _refresh_column(self, column: CardColumn, *, reset: bool = False) -> None:
        self._stale_columns.discard(column.status)
        source = self._column_source(column.status)
        if reset:
            column.set_source(source)
        else:
            column._source = source
            column.reload()

    def _filtered_pairs(self) -> ConflictSet:
        """The conflicts in which either side's title, owner or surface holds the search."""
        needle = normalise(self.search_text)
        if not needle:
            return self.conflicts

        def matches(side: Candidate) -> bool:
            return needle in normalise(
                " ".join(filter(None, (side.title, side.owner, side.surface)))
            )

        return self.conflicts.where(matches)

    def update_status(self) -> None:
        if self.view == "library":
            self._library_status()
            return
        counts = self.desk.store.experiments.counts_by_status(self.search_text)
        shown = sum(
            count
            for status, count in counts.items()
            if self.show_abandoned or status is not ExperimentStatus.ABANDONED
        )
        pairs = len(self.conflicts)
        parts = [
            f"{shown:,} {self.noun_one if shown == 1 else self.noun}",
            counted(pairs, "conflict"),
            VIEW_TITLES[self.view],
        ]
        if self.view == "list":
            parts.append(f"sorted by {self.repository.sorts[self.sort].label}")
        if self.view in ("board", "list"):
            hidden = counts[ExperimentStatus.ABANDONED]
            parts.append(
                "abandoned shown" if self.show_abandoned else f"{hidden:,} abandoned hidden"
            )
        if self.search_text and self.view != "library":
            parts.append(f"search: {visible(self.search_text)}")
        self.query_one(".pane-status", Static).update(Text(" · ".join(parts)))

    def _library_status(self) -> None:
        """The library's status line counts what the library lists: it said '30 experiments'
        (the whole board) above a list of the 8 concluded ones, or of none that matched."""
        listing = self.query_one("#experiments-library-list", WindowList)
        if listing.count_is_exact:
            found = counted(listing.row_count, "concluded experiment")
        else:
            found = f"{min(listing.row_count, COUNT_CAP):,}+ concluded experiments"
        parts = [found, VIEW_TITLES["library"]]
        text = self.query_one("#experiments-library-search", Input).value
        if text.strip():
            parts.append(f"search: {visible(text)}")
            if self._library_any_word:
                parts.append("none has every word: showing those with any")
        self.query_one(".pane-status", Static).update(Text(" · ".join(parts)))

    def _show_current(self) -> None:
        """Show the details of whatever the keyboard is on in the current view."""
        row = self.list.current_row
        self._shown = row
        self.refresh_bindings()  # an abandoned card has its own keys (see check_action)
        body = self.query_one(".detail-body", Static)
        if row is None:
            body.update(self.nothing_to_show())
        else:
            body.update(self.detail(row))
        self.query_one(".pane-detail", VerticalScroll).scroll_home(animate=False)

    def on_window_list_highlighted(self, message: WindowList.Highlighted) -> None:
        message.stop()
        message.prevent_default()
        # A reload highlights the row just shown again: no need to build its details twice.
        if message.view is self.list and (message.row is None or message.row is not self._shown):
            self._show_current()

    def on_experiment_board_column_focused(self, message: ExperimentBoard.ColumnFocused) -> None:
        message.stop()
        if self.view == "board":
            self._show_current()

    def on_window_list_selected(self, message: WindowList.Selected) -> None:
        """Enter: on the board, edit the card; elsewhere, show the experiment on the board."""
        message.stop()
        record = message.row.record
        if self.view == "board":
            self.action_edit()
            return
        experiment_id = record.first.id if isinstance(record, Conflict) else record.id
        self.show_on_board(experiment_id)

    def show_on_board(self, experiment_id: int) -> None:
        """Switch to the board with the keyboard on one experiment's card."""
        try:
            experiment = self.desk.store.experiments.get(experiment_id)
        except RecordNotFound as error:
            self._say(str(error), severity="error")
            return
        if experiment.status is ExperimentStatus.ABANDONED and not self.show_abandoned:
            self.action_toggle_abandoned()
        self.action_view("board")
        self._focus_card(experiment)

    def _focus_card(self, experiment: Experiment) -> None:
        column = self.board.column_for(experiment.status)
        assert experiment.id is not None
        source = column._source
        if isinstance(source, QuerySource):
            index = self.desk.store.experiments.position(source.where, source.sort, experiment.id)
            if index is not None:
                column.move_to(index)
        self.board.focus_column(column)

    def show_record(self, record_id: int) -> bool:
        """Put the keyboard on one experiment (from Today or the palette): its card on the
        board, or its row in the list, showing abandoned work and dropping a search that
        hides it. False when it no longer exists."""
        try:
            experiment = self.desk.store.experiments.get(record_id)
        except RecordNotFound:
            return False
        if experiment.status is ExperimentStatus.ABANDONED and not self.show_abandoned:
            self.action_toggle_abandoned()
        if self.view == "list":
            return super().show_record(record_id)
        if self.view != "board":
            self.action_view("board")
        source = self._column_source(experiment.status)
        if self.desk.store.experiments.position(source.where, source.sort, record_id) is None:
            self.widen_to_show(record_id)
        self.refresh_list(reset=True)
        self._focus_card(experiment)
        self._show_current()
        return True

    # -- the current experiment --------------------------------------------------------------

    def current_experiment(self) -> Experiment | None:
        if self.view == "conflicts":
            return None
        row = self.list.current_row
        return row.record if row is not None else None

    def _need_experiment(self) -> Experiment | None:
        experiment = self.current_experiment()
        if experiment is None:
            self._say("No experiment selected.", severity="warning")
        return experiment

    def _after_write(self, experiment: Experiment, *, follow: bool = True) -> None:
        """Refresh every view and keep the keyboard on the changed experiment."""
        self.refresh_list(keep_id=experiment.id)
        if follow and self.view == "board":
            if experiment.status is ExperimentStatus.ABANDONED and not self.show_abandoned:
                self._show_current()
                return
            self._focus_card(experiment)
        self._show_current()

    def _say(
        self,
        message: str,
        *,
        title: str = "",
        severity: Literal["information", "warning", "error"] = "information",
        timeout: float | None = None,
    ) -> None:
        """A notification whose text (titles, owners, store messages) is never markup."""
        self.app.notify(
            visible(message), title=title, severity=severity, timeout=timeout, markup=False
        )

    def _fail(self, error: Exception) -> None:
        self._say(str(error), title="Not saved", severity="error")

    # -- create and edit ---------------------------------------------------------------------

    def action_new(self) -> None:
        desk = self.desk
        fields = experiment_fields(None, desk.user)
        names = {spec.name for spec in fields}

        def validate(values: dict[str, Any]) -> dict[str, str]:
            try:
                service.check_draft(desk, **form_values(values))
            except (InvalidRecord, GuardError) as error:
                return field_errors(error, names)
            return {}

        def saved(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                created = service.create(desk, **form_values(values))
            except (InvalidRecord, RecordNotFound, StoreError) as error:
                self._fail(error)
                return
            self._say(f"Created “{one_line(created.title, 60)}”.", timeout=3)
            self._after_write(created)

        self.app.push_screen(
            experiment_form(
                "New experiment",
                fields,
                today=desk.today(),
                validate=validate,
                on_change=self._before_you_start(None),
            ),
            saved,
        )

    def _before_you_start(self, experiment: Experiment | None) -> Any:
        """As a draft is typed: similar past experiments and any collision, beside the form.

        Similar past experiments help while the work is planned (a new card, an idea, one
        being designed); once it has run they were noise beside its result, so an edit of
        started work shows only its collisions (none once it no longer runs: then no aside
        at all). What does not depend on the typed text (the schedule to check against) is
        read once per form by :class:`~opsdesk.services.experiments.DraftOverlaps`, and the
        similar search runs again only when the words it searches change.
        """
        desk = self.desk
        experiment_id = experiment.id if experiment is not None else None
        planning = experiment is None or experiment.status in NOT_STARTED
        running = experiment is not None and experiment.status is ExperimentStatus.RUNNING
        if not (planning or running):
            return None  # it occupies no window: nothing to say beside its form
        overlaps: service.DraftOverlaps | None = None
        last: tuple[tuple[str, str, str | None, str | None], list[Similar]] | None = None

        def changed(form: FormScreen, values: dict[str, Any]) -> None:
            nonlocal overlaps, last
            draft = form_values(values)
            found: list[Similar] = []
            if planning:
                words = (
                    draft.get("title") or "",
                    draft.get("hypothesis") or "",
                    draft.get("surface"),
                    draft.get("primary_metric"),
                )
                if last is None or last[0] != words:
                    title, hypothesis, surface, metric = words
                    last = (
                        words,
                        service.similar(
                            desk,
                            title=title,
                            hypothesis=hypothesis,
                            surface=surface,
                            primary_metric=metric,
                            exclude_id=experiment_id,
                        ),
                    )
                found = last[1]
            if overlaps is None:
                overlaps = service.DraftOverlaps(desk, experiment_id)
            form.set_aside(similar_aside(found, overlaps(draft)))

        return changed

    def action_edit(self) -> None:
        experiment = self._need_experiment()
        if experiment is None or experiment.id is None:
            return
        desk = self.desk
        experiment_id = experiment.id
        fields = experiment_fields(experiment, desk.user)
        names = {spec.name for spec in fields}

        def validate(values: dict[str, Any]) -> dict[str, str]:
            changes = changed_fields(experiment, form_values(values))
            try:
                service.check_draft(desk, experiment_id, **changes)
            except (InvalidRecord, GuardError, RecordNotFound) as error:
                return field_errors(error, names)
            return {}

        def saved(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            changes = changed_fields(experiment, form_values(values))
            if not changes:
                return
            try:
                updated = service.edit(desk, experiment_id, **changes)
            except (InvalidRecord, GuardError, RecordNotFound, StoreError) as error:
                self._fail(error)
                return
            self._say(f"Saved “{one_line(updated.title, 60)}”.", timeout=3)
            self._after_write(updated)

        self.app.push_screen(
            experiment_form(
                f"Edit “{one_line(experiment.title, 60)}”",
                fields,
                today=desk.today(),
                validate=validate,
                on_change=self._before_you_start(experiment),
            ),
            saved,
        )

    # -- moving cards ------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        experiment = self._need_experiment()
        if experiment is None or experiment.id is None:
            return
        target = neighbour(experiment.status, step)
        if target is None:
            try:
                service.step(self.desk, experiment.id, step)
            except BoardEdge as error:
                self._say(str(error), severity="warning", timeout=3)
            return
        if target in NOT_STARTED and experiment.actual_start is not None:
            self._confirm_move_back(experiment, target)
            return
        self.move_to(experiment, target)

    def _confirm_move_back(self, experiment: Experiment, target: ExperimentStatus) -> None:
        """Ask before a running experiment goes back to design: the move clears its actual
        start (history keeps it, but no form can put it back), and moving it on again stamps
        today. One '[' too many turned 'day 16' into 'day 1' without a word."""
        assert experiment.actual_start is not None

        def answered(yes: bool | None) -> None:
            if yes:
                self.move_to(experiment, target)

        self.app.push_screen(
            ConfirmScreen(
                f"Move “{one_line(experiment.title, 60)}” back to {target.value}? It has run "
                f"since {day(experiment.actual_start)}; that start is cleared, and running it "
                "again starts it anew.",
                "Move back",
            ),
            answered,
        )

    def move_to(
        self, experiment: Experiment, target: ExperimentStatus, extra: dict[str, Any] | None = None
    ) -> None:
        """Move a card; when the column wants more, ask for exactly that and try again."""
        assert experiment.id is not None
        try:
            moved = service.move(self.desk, experiment.id, target, **(extra or {}))
        except AlreadyInColumn as error:
            self._not_moved(error)
            return
        except GuardError as error:
            self._ask_for_requirements(experiment, error)
            return
        except (InvalidRecord, RecordNotFound, StoreError) as error:
            self._fail(error)
            return
        self._after_write(moved)
        clashes = (
            self.conflicts.involving(moved.id)
            if moved.id is not None and moved.status is ExperimentStatus.RUNNING
            else []
        )
        if clashes:
            self._warn_overlaps(moved, clashes)
            return
        self._say(f"“{one_line(moved.title, 60)}” → {moved.status.value}", timeout=2)

    def _warn_overlaps(self, moved: Experiment, clashes: Sequence[Conflict]) -> None:
        """Say whom a card just set running collides with: the ⚠ on the card was easy to miss
        while moving it, and starting to run is the moment the other owner needs a word."""
        first = clashes[0]
        other = first.other(int(moved.id or 0))
        more = (
            f" and {counted(len(clashes) - 1, 'other')} (c lists them)" if len(clashes) > 1 else ""
        )
        self._say(
            f"“{one_line(moved.title, 60)}” → running, overlapping #{other.id} "
            f"“{one_line(other.title, 50)}” ({one_line(other.owner or 'nobody', 40)}): "
            f"{first.describe_reasons()}, {first.overlap.describe()}{more}.",
            title="Running, with an overlap",
            severity="warning",
            timeout=8,
        )

    def _not_moved(self, error: AlreadyInColumn) -> None:
        """Say the card is already where it was sent, and show it there.

        The board only asks for a move to another column, so this means the card on screen
        was out of date (someone else moved it since): the views are read again and the
        keyboard follows the card to the column it is really in.
        """
        self._say(str(error), title="Not moved", severity="warning", timeout=4)
        self._after_write(error.experiment)

    def _ask_for_requirements(self, experiment: Experiment, error: GuardError) -> None:
        """Open a form for exactly what the column still needs, and say nothing else: a
        '“…” cannot move to concluded' beside the form that asks for it read as a refusal of
        a move the user was in the middle of making. Only Esc (not moved after all) says so.
        """
        desk = self.desk
        assert experiment.id is not None
        experiment_id = experiment.id
        target = error.target
        fields = requirement_fields(experiment, target, error.missing)
        names = {spec.name for spec in fields}

        def validate(values: dict[str, Any]) -> dict[str, str]:
            try:
                service.check(desk, experiment_id, target, **form_values(values))
            except (InvalidRecord, GuardError, RecordNotFound) as problem:
                return field_errors(problem, names)
            return {}

        def answered(values: dict[str, Any] | None) -> None:
            if values is None:
                self._say(str(error), title="Not moved", severity="warning")
                return
            self.move_to(experiment, target, form_values(values))

        verb = "Conclude" if target is ExperimentStatus.CONCLUDED else f"Move to {target.value}"
        self.app.push_screen(
            experiment_form(
                f"{verb}: “{one_line(experiment.title, 50)}”",
                fields,
                today=desk.today(),
                validate=validate,
                submit_label=verb,
            ),
            answered,
        )

    def action_restore(self) -> None:
        """Put an abandoned card back in the column it left (``x`` on an abandoned card)."""
        experiment = self._need_experiment()
        if experiment is None or experiment.id is None:
            return
        if experiment.status is not ExperimentStatus.ABANDONED:
            self._say("Only an abandoned experiment can be restored.", severity="warning")
            return
        self._restore(experiment)

    def _restore(self, experiment: Experiment) -> None:
        assert experiment.id is not None
        try:
            restored = service.restore(self.desk, experiment.id)
        except GuardError as error:
            self._ask_for_requirements(experiment, error)
            return
        except (BoardEdge, InvalidRecord, RecordNotFound, StoreError) as error:
            self._fail(error)
            return
        self._say(f"Restored to {restored.status.value}.", timeout=2)
        self._after_write(restored)

    def action_abandon(self) -> None:
        """Abandon the card, asking why; on an abandoned card (the palette, a remapped key)
        it restores, as ``x`` always did."""
        experiment = self._need_experiment()
        if experiment is None or experiment.id is None:
            return
        if experiment.status is ExperimentStatus.ABANDONED:
            self._restore(experiment)
            return
        desk = self.desk
        experiment_id = experiment.id

        def answered(reason: str | None) -> None:
            if reason is None:
                return
            try:
                dropped = service.abandon(desk, experiment_id, reason)
            except AlreadyInColumn as error:
                self._not_moved(error)
                return
            except (InvalidRecord, RecordNotFound, StoreError) as error:
                self._fail(error)
                return
            self._say(
                f"Abandoned “{one_line(dropped.title, 60)}” (x on it restores it).", timeout=3
            )
            self._after_write(dropped, follow=False)

        self.app.push_screen(
            PromptScreen(
                f"Abandon “{one_line(experiment.title, 60)}”?",
                "Why?",
                placeholder="optional, kept with its learnings (Enter alone skips, Esc cancels)",
                required=False,
            ),
            answered,
        )

    def action_toggle_abandoned(self) -> None:
        self.show_abandoned = not self.show_abandoned
        column = self.board.column_for(ExperimentStatus.ABANDONED)
        column.display = self.show_abandoned
        if self.show_abandoned and column.status in self._stale_columns:
            self._refresh_column(column, reset=True)
        if not self.show_abandoned and self.board.current is column:
            self.board.focus_column(self.board.column_for(ExperimentStatus.CONCLUDED))
        self.refresh_list(reset=False)

    # -- links -------------------------------------------------------------------------------

    def action_links(self) -> None:
        experiment = self._need_experiment()
        if experiment is None or experiment.id is None:
            return
        experiment_id = experiment.id
        store = self.desk.store
        options: list[tuple[str, Any]] = [
            ("Link a launch…", ("add", "launch", None)),
            ("Link a feedback item…", ("add", "feedback", None)),
        ]
        for launch in store.experiments.linked_launches(experiment_id):
            options.append(
                (
                    f"Unlink launch #{launch.id} {one_line(launch.title, 60)}",
                    ("remove", "launch", launch.id),
                )
            )
        for item in store.experiments.linked_feedback(experiment_id):
            options.append(
                (
                    f"Unlink feedback #{item.id} {one_line(item.title, 60)}",
                    ("remove", "feedback", item.id),
                )
            )

        def chosen(choice: tuple[str, str, int | None] | None) -> None:
            if choice is None:
                return
            verb, kind, record_id = choice
            if verb == "remove" and record_id is not None:
                self._change_links(experiment_id, kind, record_id, add=False)
            elif kind == "launch":
                self._pick_launch(experiment_id)
            else:
                self._find_feedback(experiment_id)

        self.app.push_screen(
            PickerScreen(f"Links of “{one_line(experiment.title, 60)}”", options), chosen
        )

    def _pick_launch(self, experiment_id: int) -> None:
        titles = self.desk.store.launches.titles()
        options = [
            (f"#{launch_id} {one_line(title, 80)}", launch_id)
            for launch_id, title in titles.items()
        ]

        def chosen(launch_id: int | None) -> None:
            if launch_id is not None:
                self._change_links(experiment_id, "launch", launch_id, add=True)

        self.app.push_screen(PickerScreen("Link which launch?", options), chosen)

    def _find_feedback(self, experiment_id: int) -> None:
        def searched(text: str | None) -> None:
            if not text:
                return
            if text.lstrip("#").isdigit():
                self._change_links(experiment_id, "feedback", int(text.lstrip("#")), add=True)
                return
            repository = self.desk.store.feedback
            sort = "received" if "received" in repository.sorts else next(iter(repository.sorts))
            rows = repository.window(repository.where(FeedbackFilter(search=text)), sort, limit=50)
            if not rows:
                self._say("No feedback matches those words.", severity="warning")
                return
            options = [(self._feedback_label(row.record), row.record.id) for row in rows]

            def chosen(feedback_id: int | None) -> None:
                if feedback_id is not None:
                    self._change_links(experiment_id, "feedback", feedback_id, add=True)

            self.app.push_screen(PickerScreen("Link which feedback?", options), chosen)

        self.app.push_screen(
            PromptScreen(
                "Link feedback", "Find", placeholder="words from its title or body, or its #id"
            ),
            searched,
        )

    def _feedback_label(self, item: Feedback) -> str:
        """A feedback item as the link picker lists it: id, title, company and the day it
        came in. Feedback repeats itself (the demo's 'Pivot tables in reports' came in six
        times), and a list of bare titles left six identical lines to choose from."""
        company = one_line(item.company, 40) if item.company else "no company"
        received = local_date(item.received_at, self.desk.tz)
        return f"#{item.id} {one_line(item.title, 70)} · {company} · {received}"

    def _change_links(self, experiment_id: int, kind: str, record_id: int, *, add: bool) -> None:
        ids = {"feedback_ids": [record_id]} if kind == "feedback" else {"launch_ids": [record_id]}
        try:
            if add:
                service.link(self.desk, experiment_id, **ids)
            else:
                service.unlink(self.desk, experiment_id, **ids)
        except (InvalidRecord, RecordNotFound, StoreError) as error:
            self._fail(error)
            return
        self._say(f"{'Linked' if add else 'Unlinked'} {kind} #{record_id}.", timeout=2)
        self._show_current()

    # -- learnings library -------------------------------------------------------------------

    def _library_query(self) -> LibraryQuery:
        def value(name: str) -> str | None:
            selected = self.query_one(f"#experiments-library-{name}", Select).value
            return None if selected in (None, Select.NULL) else str(selected)

        typed = LibraryQuery(
            text=self.query_one("#experiments-library-search", Input).value,
            surface=value("surface"),
            metric=value("metric"),
            team=value("team"),
            result=value("result"),
        )
        return service.library_search(self.desk, typed)

    def _refresh_library(self, *, reset: bool = False) -> None:
        if self._library_stale:
            self._fill_library_choices()
        self._library_stale = False
        query = self._library_query()
        self._library_any_word = query.any_word
        repository = self.desk.store.experiments
        listing = self.query_one("#experiments-library-list", WindowList)
        source = QuerySource(repository, service.library_where(self.desk, query), "ended")
        if reset:
            listing.set_source(source)
        else:
            listing._source = source
            listing.reload()
        self._show_stats(query)
        if self.view == "library":
            self._library_status()

    def _fill_library_choices(self) -> None:
        for name, values in service.library_choices(self.desk).items():
            select = self.query_one(f"#experiments-library-{name}", Select)
            current = select.value
            with select.prevent(Select.Changed):
                select.set_options([(Text(one_line(v, 60)), v) for v in values])
                if current in values:
                    select.value = current

    def _show_stats(self, query: LibraryQuery) -> None:
        stats = service.library_stats(self.desk, query)
        groups = stats.by_team if self.stats_by == "team" else stats.by_surface
        title = Text(f"Per {self.stats_by} (o switches) · {WIN_RATE_RULE}", style="bold")
        self.query_one("#experiments-library-stats", Static).update(
            Group(title, stats_table(groups, self.stats_by))
        )

    @on(Input.Changed, "#experiments-library-search")
    def _library_text(self, event: Input.Changed) -> None:
        event.stop()
        self._refresh_library(reset=True)

    @on(Input.Submitted, "#experiments-library-search")
    def _library_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_list()

    @on(Select.Changed)
    def _library_filter(self, event: Select.Changed) -> None:
        event.stop()
        if (event.select.id or "").startswith("experiments-library-"):
            self._refresh_library(reset=True)

    def action_stats_by(self) -> None:
        self.stats_by = "surface" if self.stats_by == "team" else "team"
        self._show_stats(self._library_query())

    # -- search --------------------------------------------------------------------------------

    def action_search(self) -> None:
        if self.view == "library":
            self.query_one("#experiments-library-search", Input).focus()
            return
        super().action_search()

    def action_clear_search(self) -> None:
        if self.view == "library":
            library_search = self.query_one("#experiments-library-search", Input)
            if library_search.value:
                library_search.value = ""
            self.focus_list()
            return
        super().action_clear_search()
