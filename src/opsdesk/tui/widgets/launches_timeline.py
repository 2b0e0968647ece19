"""The launch timeline: weeks across, launches as rows, readiness milestones on each row.

A window onto a query, like :class:`~opsdesk.tui.widgets.window_list.WindowList`: the widget
knows the stretch of time it shows (from its first Monday, its zoom and its width) and asks
its :class:`TimelineSource` how many launches meet that stretch and for the page of them
around the rows on screen, never for all of them. Each line is drawn on demand (Textual's line
API) from the launches of the cached pages.

On each row: the launch's title, readiness % and flags on the left; across the weeks, a dim
line from its earliest readiness item to its launch day (◆), with every item's due date
marked by its function's letter (L legal, S security, $ sales, M marketing, C customer
success, H support, D docs), coloured by state and risk. Several items on one character show
their count, coloured by the most urgent. Today's column is highlighted and blackout days are
shaded (░).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from opsdesk.models import Launch, ReadinessItem
from opsdesk.rules.risk import BlackoutLike, RiskKind, week_of
from opsdesk.store.base import WindowRow
from opsdesk.text import one_line
from opsdesk.tui.widgets.cursor_view import CursorView
from opsdesk.tui.widgets.list_keys import cursor_bindings
from opsdesk.tui.widgets.paging import PageCache
from opsdesk.vocabulary import LaunchStatus, ReadinessState

ZOOMS: dict[str, int] = {"week": 14, "month": 7, "quarter": 3}
"""Characters per week at each zoom: two per day, one per day, a week in three."""
ZOOM_ORDER: tuple[str, ...] = ("week", "month", "quarter")
LABEL_WIDTH = 34
HEADER_LINES = 2
SCROLLBAR = 1
PAGE_SIZE = 40
MAX_CACHED_PAGES = 20

FUNCTION_GLYPHS: dict[str, str] = {
    "legal": "L",
    "security": "S",
    "sales": "$",
    "marketing": "M",
    "customer_success": "C",
    "support": "H",
    "docs": "D",
}
"""One character per readiness function on the timeline; others use their initial."""


WEEKS = Binding.Group("Weeks", compact=True)
"""← and → share one footer entry ('←→ Weeks').

The timeline's footer also carries the pane's keys and the app's; at 120 columns it cut off
the last of them (go/no-go, help, quit). So the arrows share an entry, and paging, today and
the zoom steps are left to help (?) and the command palette, which list every key."""


def glyph_for(function: str) -> str:
    return FUNCTION_GLYPHS.get(function) or (function[:1].upper() or "?")


class TimelineSource(Protocol):
    """Where the timeline's rows come from: launches meeting a stretch of time, a page at
    a time, each with its ``LaunchView`` in ``extra['view']``."""

    def count(self, start: dt.date, end: dt.date) -> int: ...

    def fetch(
        self,
        start: dt.date,
        end: dt.date,
        offset: int,
        limit: int,
        after: tuple[Any, ...] | None,
    ) -> list[WindowRow[Launch]]: ...

    def position(self, start: dt.date, end: dt.date, launch_id: int) -> int | None:
        """Where a launch sits among those rows (None when it is not among them)."""
        ...


class EmptyTimelineSource:
    def count(self, start: dt.date, end: dt.date) -> int:
        return 0

    def fetch(
        self,
        start: dt.date,
        end: dt.date,
        offset: int,
        limit: int,
        after: tuple[Any, ...] | None,
    ) -> list[WindowRow[Launch]]:
        return []

    def position(self, start: dt.date, end: dt.date, launch_id: int) -> int | None:
        return None


@dataclass(frozen=True)
class Geometry:
    """Which days the grid shows and where each falls: the first Monday, the zoom, the width."""

    start: dt.date
    week_width: int
    grid_width: int

    def x(self, day: dt.date) -> int:
        """The grid column of ``day`` (may be off the grid on either side)."""
        days = (day - self.start).days
        weeks, weekday = divmod(days, 7)
        return weeks * self.week_width + (weekday * self.week_width) // 7

    def span(self, day: dt.date) -> range:
        """The columns ``day`` covers: two at the week zoom, one otherwise."""
        first = self.x(day)
        return range(first, first + max(self.week_width // 7, 1))

    @property
    def end(self) -> dt.date:
        """The last day with a column on the grid."""
        weeks = -(-self.grid_width // self.week_width)
        day = self.start + dt.timedelta(days=weeks * 7 - 1)
        while day > self.start and self.x(day) >= self.grid_width:
            day -= dt.timedelta(days=1)
        return day

    def days(self) -> Iterable[dt.date]:
        day, last = self.start, self.end
        while day <= last:
            yield day
            day += dt.timedelta(days=1)

    def week_starts(self) -> Iterable[dt.date]:
        day, last = self.start, self.end
        while day <= last:
            yield day
            day += dt.timedelta(days=7)


STATE_RANK = {"risk": 0, "soon": 1, "open": 2, "done": 3, "muted": 4}
"""How urgent a mark is; several items on one character take the most urgent colour."""


def item_tone(item: ReadinessItem, risks: dict[int, RiskKind]) -> str:
    """Which colour an item's mark takes: risk, soon, open, done or muted."""
    kind = risks.get(int(item.id or 0))
    if kind in (RiskKind.BLOCKED, RiskKind.OVERDUE):
        return "risk"
    if kind == RiskKind.NOT_STARTED:
        return "soon"
    if item.state == ReadinessState.DONE:
        return "done"
    if item.state == ReadinessState.NOT_APPLICABLE:
        return "muted"
    return "open"


class LaunchTimeline(CursorView, can_focus=True):
    """Launches across weeks; a cursor row whose launch the detail panel shows."""

    help_section: ClassVar[str] = "Timeline"
    header_lines: ClassVar[int] = HEADER_LINES

    BINDINGS: ClassVar[list[BindingType]] = [
        *cursor_bindings("timeline"),
        Binding("left,h", "shift(-1)", "Earlier", id="timeline.earlier", group=WEEKS),
        Binding("right,l", "shift(1)", "Later", id="timeline.later", group=WEEKS),
        Binding(
            "left_square_bracket",
            "page_time(-1)",
            "Page earlier",
            show=False,
            id="timeline.page_earlier",
        ),
        Binding(
            "right_square_bracket",
            "page_time(1)",
            "Page later",
            show=False,
            id="timeline.page_later",
        ),
        Binding("full_stop", "today", "Today", show=False, id="timeline.today"),
        Binding("z", "zoom", "Zoom", id="timeline.zoom"),
        Binding("plus,equals_sign", "zoom_step(-1)", "Zoom in", show=False, id="timeline.zoom_in"),
        Binding("minus", "zoom_step(1)", "Zoom out", show=False, id="timeline.zoom_out"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "launch-timeline--header",
        "launch-timeline--cursor",
        "launch-timeline--today",
        "launch-timeline--blackout",
        "launch-timeline--grid",
        "launch-timeline--risk",
        "launch-timeline--soon",
        "launch-timeline--open",
        "launch-timeline--done",
        "launch-timeline--muted",
        "launch-timeline--launch",
        "launch-timeline--empty",
    }

    DEFAULT_CSS = """
    LaunchTimeline {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        overflow-y: scroll;
    }
    LaunchTimeline > .launch-timeline--header { text-style: bold; background: $panel; }
    LaunchTimeline > .launch-timeline--cursor { background: $accent 40%; }
    LaunchTimeline:focus > .launch-timeline--cursor { background: $accent; color: $text; }
    LaunchTimeline > .launch-timeline--today { background: $primary 35%; }
    LaunchTimeline > .launch-timeline--blackout { background: $secondary 25%; }
    LaunchTimeline > .launch-timeline--grid { color: $text-muted; }
    LaunchTimeline > .launch-timeline--risk { color: $error; text-style: bold; }
    LaunchTimeline > .launch-timeline--soon { color: $warning; text-style: bold; }
    LaunchTimeline > .launch-timeline--open { color: $text; }
    LaunchTimeline > .launch-timeline--done { color: $success; }
    LaunchTimeline > .launch-timeline--muted { color: $text-disabled; }
    LaunchTimeline > .launch-timeline--launch { color: $accent; text-style: bold; }
    LaunchTimeline > .launch-timeline--empty { color: $text-muted; text-style: italic; }
    """

    class Highlighted(CursorView.Highlighted):
        """The cursor moved onto a launch (``row`` is None when no launch is in view)."""

    class Selected(CursorView.Selected):
        """Enter was pressed on a launch."""

    class Moved(Message):
        """The stretch of time shown, or the zoom, changed (also after every reload)."""

        def __init__(self, view: LaunchTimeline) -> None:
            super().__init__()
            self.view = view

    def __init__(
        self,
        *,
        today: dt.date,
        blackouts: Sequence[BlackoutLike] = (),
        zoom: str = "month",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.today = today
        self.blackouts = list(blackouts)
        self.zoom = zoom if zoom in ZOOMS else "month"
        self.start = self.home_start()
        self._source: TimelineSource = EmptyTimelineSource()
        self._pages: PageCache[Launch] = PageCache(PAGE_SIZE, MAX_CACHED_PAGES)
        self._loaded_for: tuple[dt.date, dt.date] | None = None
        self._reset_when_shown = False
        self._columns: dict[str, Any] | None = None
        self._strips: dict[tuple[Any, ...], Strip] = {}
        self._frame_style: Style | None = None
        self._wanted: tuple[int, dt.date] | None = None

    # -- geometry --------------------------------------------------------------------------

    def home_start(self) -> dt.date:
        """Where 'today' puts the grid: one week of the past, then the weeks ahead."""
        return week_of(self.today) - dt.timedelta(days=7)

    @property
    def geometry(self) -> Geometry:
        # The scrollbar's column is always kept free, so the weeks shown (and the query)
        # do not change when enough launches arrive to need a scrollbar.
        grid = max(self.size.width - SCROLLBAR - LABEL_WIDTH - 1, 7)
        return Geometry(self.start, ZOOMS[self.zoom], grid)

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        geometry = self.geometry
        return geometry.start, geometry.end

    # -- data --------------------------------------------------------------------------------

    def set_source(self, source: TimelineSource) -> None:
        self._source = source
        self.reload(reset=True)

    def show_launch(self, launch_id: int, launch_day: dt.date) -> None:
        """Put the cursor on a launch with the next load: the one the list had highlighted,
        as ``t`` switches (the pane reloads the timeline right after).

        The weeks shown stay as they are when the launch is in them; otherwise they move to
        its launch day (a week before it first, as today's weeks do), so the launch the
        manager was looking at is the one highlighted, not the timeline's first row (the
        caller leaves out a launch the timeline never shows: a cancelled one). Hidden (no
        width yet), the timeline does this with the load that follows its first layout.
        """
        self._wanted = (launch_id, launch_day)

    def _take_wanted(self) -> bool:
        """Move to the weeks of the launch :meth:`show_launch` asked for, if it is not in
        the weeks just loaded. True when the weeks moved (the load is done again)."""
        wanted, self._wanted = self._wanted, None
        if wanted is None:
            return False
        launch_id, launch_day = wanted
        if self._find(launch_id) is not None:
            return False
        start = week_of(launch_day) - dt.timedelta(days=7)
        if start == self.start:
            return False
        self.start = start
        self.reload(keep_id=launch_id)
        return True

    def reload(self, *, reset: bool = False, keep_id: int | None = None) -> None:
        """Re-run the query for the stretch shown; keep the cursor on the same launch."""
        if not self.size.width:
            # Hidden (the pane shows its list): the weeks shown depend on the width, so the
            # load waits for it (on_resize, as the timeline is shown) instead of querying
            # the single week a zero-width grid holds and then the real ones.
            self._loaded_for = None
            self._reset_when_shown = self._reset_when_shown or reset
            return
        reset, self._reset_when_shown = reset or self._reset_when_shown, False
        if self._wanted is not None:
            keep_id = self._wanted[0]
        if keep_id is None and not reset:
            current = self.current_row
            keep_id = current.record.id if current else None
        start, end = self.period
        self._loaded_for = (start, end)
        self._pages.clear()
        self._columns = None
        self._strips.clear()
        self._count = self._source.count(start, end)
        if self._take_wanted():
            return
        self.virtual_size = Size(self.size.width, self._count + HEADER_LINES)
        target = 0 if reset else min(self.cursor, max(self._count - 1, 0))
        if keep_id is not None:
            found = self._find(keep_id)
            if found is not None:
                target = found
        self._set_cursor(target, force_message=True)
        self.refresh()
        self.post_message(self.Moved(self))

    def _find(self, launch_id: int) -> int | None:
        """Where launch ``launch_id`` sits now (asked of the source: no pages are read)."""
        start, end = self._loaded_for or self.period
        return self._source.position(start, end, launch_id)

    def _fetch(
        self, offset: int, limit: int, after: tuple[Any, ...] | None
    ) -> list[WindowRow[Launch]]:
        start, end = self._loaded_for or self.period
        return self._source.fetch(start, end, offset, limit, after)

    def row_at(self, index: int) -> WindowRow[Launch] | None:
        return self._pages.row(index, self._count, self._fetch)

    # -- moving through time -------------------------------------------------------------------

    def move_to(self, start: dt.date) -> None:
        """Show the weeks from the Monday of ``start`` on."""
        self.start = week_of(start)
        self.reload()

    def action_shift(self, weeks: int) -> None:
        self.move_to(self.start + dt.timedelta(weeks=weeks))

    def action_page_time(self, direction: int) -> None:
        geometry = self.geometry
        shown = max((geometry.end - geometry.start).days // 7, 1)
        self.move_to(self.start + dt.timedelta(weeks=direction * shown))

    def action_today(self) -> None:
        self.move_to(self.home_start())

    def set_zoom(self, zoom: str) -> None:
        if zoom not in ZOOMS:
            raise ValueError(f"'{zoom}' is not a zoom ({', '.join(ZOOM_ORDER)})")
        self.zoom = zoom
        self.reload()

    def action_zoom(self) -> None:
        self.set_zoom(ZOOM_ORDER[(ZOOM_ORDER.index(self.zoom) + 1) % len(ZOOM_ORDER)])

    def action_zoom_step(self, step: int) -> None:
        index = max(0, min(len(ZOOM_ORDER) - 1, ZOOM_ORDER.index(self.zoom) + step))
        if ZOOM_ORDER[index] != self.zoom:
            self.set_zoom(ZOOM_ORDER[index])

    # -- events ------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self._count + HEADER_LINES)
        if self._loaded_for != self.period:
            self.reload()
        else:
            self._columns = None
            self._strips.clear()
            self._scroll_to_cursor()

    # -- drawing ------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._strips.clear()
        self._columns = None
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's own style walks its ancestors: work it out once per frame, not per line.
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def _base(self) -> Style:
        return self._frame_style if self._frame_style is not None else self.rich_style

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"launch-timeline--{name}")

    def _grid_columns(self, geometry: Geometry) -> dict[str, Any]:
        """What every line shares: today's columns, blackout columns, week starts (cached)."""
        if self._columns is not None and self._columns["geometry"] == geometry:
            return self._columns
        today = set(geometry.span(self.today)) if geometry.start <= self.today else set()
        blackout: set[int] = set()
        for day in geometry.days():
            if any(period.start <= day <= period.end for period in self.blackouts):
                blackout.update(geometry.span(day))
        weeks = {geometry.x(day) for day in geometry.week_starts()}
        # Only the background: a mark keeps its own colour on today's or a blackout column.
        shade = Style(bgcolor=self._style("blackout").bgcolor)
        now = Style(bgcolor=self._style("today").bgcolor)
        lit: dict[int, Style] = {x: shade for x in blackout}
        lit.update((x, now) for x in today if 0 <= x < geometry.grid_width)
        self._columns = {"geometry": geometry, "lit": lit, "weeks": weeks}
        return self._columns

    def _blank_grid(
        self, geometry: Geometry, base: Style, *, dots: bool = True
    ) -> list[tuple[str, Style]]:
        """An empty row: a faint dot where each week starts (not at the quarter zoom).

        Spaces take the dots' faint style too (a space looks the same in any colour), so a
        row's background is one run of text rather than one per week: fewer segments for
        Textual to compose on every frame.
        """
        weeks = self._grid_columns(geometry)["weeks"] if dots and self.zoom != "quarter" else ()
        faint = base + self._style("grid") if dots else base
        return [("·" if x in weeks else " ", faint) for x in range(geometry.grid_width)]

    def _finish(
        self, label: Text, cells: list[tuple[str, Style]], geometry: Geometry, base: Style
    ) -> Strip:
        """The label, a separator and the grid as one strip; today's column and blackout
        days are lit behind whatever is drawn there."""
        lit = self._grid_columns(geometry)["lit"]
        label.truncate(LABEL_WIDTH, overflow="ellipsis", pad=True)
        segments = list(label.render(self.app.console))
        segments.append(Segment("│", base + self._style("grid")))
        # One segment per run of characters in the same style, not one per character.
        run: list[str] = []
        run_style: Style | None = None
        for x, (char, style) in enumerate(cells):
            extra = lit.get(x)
            if extra is not None:
                style = style + extra
            if run and style is not run_style and style != run_style:
                segments.append(Segment("".join(run), run_style))
                run = []
            run_style = style
            run.append(char)
        if run:
            segments.append(Segment("".join(run), run_style))
        width = self.scrollable_content_region.width
        strip = Strip(segments, LABEL_WIDTH + 1 + len(cells))
        return strip.crop(0, width).extend_cell_length(width, base)

    def _header(self, y: int, geometry: Geometry) -> Strip:
        base = self._base() + self._style("header")
        cells = self._blank_grid(geometry, base, dots=False)
        if y == 0:
            label = Text(f"{self.zoom} zoom", style=base)
            labels = self._month_labels(geometry)
            if geometry.start <= self.today <= geometry.end:
                labels.append((geometry.x(self.today), "▼"))
        else:
            label = Text(" Launch", style=base)
            label.append(" " * (LABEL_WIDTH - 13) + "ready ")
            labels = self._week_labels(geometry)
        for x, text in labels:
            for offset, char in enumerate(text):
                if 0 <= x + offset < geometry.grid_width:
                    cells[x + offset] = (char, base)
        return self._finish(label, cells, geometry, base)

    def _month_labels(self, geometry: Geometry) -> list[tuple[int, str]]:
        labels: list[tuple[int, str]] = []
        for day in geometry.days():
            if day == geometry.start or day.day == 1:
                text = day.strftime("%b %Y") if day.month == 1 or not labels else day.strftime("%b")
                if labels and geometry.x(day) <= labels[-1][0] + len(labels[-1][1]):
                    labels.pop()  # the month that started the grid gives way to the next one
                labels.append((geometry.x(day), text))
        return labels

    def _week_labels(self, geometry: Geometry) -> list[tuple[int, str]]:
        labels = []
        for monday in geometry.week_starts():
            if geometry.week_width >= 14:
                text = monday.strftime("%d %b").lstrip("0")
            elif geometry.week_width >= 7:
                text = monday.strftime("%d").lstrip("0")
            else:
                text = monday.strftime("%d").lstrip("0") if monday.day <= 7 else ""
            labels.append((geometry.x(monday), text))
        return labels

    def _row(self, row: WindowRow[Launch], geometry: Geometry, selected: bool) -> Strip:
        base = self._base()
        view = row.extra.get("view")
        launch = row.record
        label_style = base + self._style("cursor") if selected else base
        cells = self._blank_grid(geometry, base)
        items: Sequence[ReadinessItem] = view.items if view is not None else ()
        risks = view.assessment.risk_by_item() if view is not None else {}
        at_risk = bool(view and view.assessment.at_risk)
        # Green only for a launch still on with every item it owes signed off: a cancelled
        # one, or one owing nothing, is no '100%' (it read as shipped).
        complete = bool(view and view.assessment.complete)
        shown = view.assessment.cell() if view is not None else "–"
        # The span from the earliest readiness item to launch day.
        first = min([item.due_date for item in items] + [launch.launch_date])
        line_style = base + self._style("grid")
        for x in range(
            max(geometry.x(first), 0), min(geometry.x(launch.launch_date), geometry.grid_width)
        ):
            if cells[x][0] in (" ", "·"):
                cells[x] = ("─", line_style)
        # Readiness marks, grouped by the character they land on.
        marks: dict[int, list[tuple[str, ReadinessItem]]] = {}
        for item in items:
            x = geometry.x(item.due_date)
            if 0 <= x < geometry.grid_width:
                marks.setdefault(x, []).append((item_tone(item, risks), item))
        for x, entries in marks.items():
            tone = min((tone for tone, _ in entries), key=STATE_RANK.__getitem__)
            if len(entries) == 1:
                char = glyph_for(entries[0][1].function)
            else:
                char = str(len(entries)) if len(entries) < 10 else "+"
            cells[x] = (char, base + self._style(tone))
        # Launch day.
        launch_tone = "risk" if at_risk else "done" if complete else "launch"
        if launch.status == LaunchStatus.LAUNCHED:
            launch_tone = "done"
        x = geometry.x(launch.launch_date)
        if 0 <= x < geometry.grid_width:
            cells[x] = ("◆", base + self._style(launch_tone))
        elif x >= geometry.grid_width:
            cells[-1] = ("→", base + self._style(launch_tone))
        label = self._label(launch, view, label_style, at_risk, (complete, shown))
        return self._finish(label, cells, geometry, base)

    def _label(
        self, launch: Launch, view: Any, style: Style, at_risk: bool, ready: tuple[bool, str]
    ) -> Text:
        """Title, flags and readiness; ``ready`` is (every owed item signed off, the cell)."""
        complete, shown = ready
        dot_tone = "risk" if at_risk else "done" if complete else "grid"
        label = Text(style=style, no_wrap=True)
        label.append("● " if at_risk else "○ ", style=style + self._style(dot_tone))
        flags = ""
        if view is not None and view.flags.collisions:
            flags += "×"
        if view is not None and view.flags.blackouts:
            flags += "░"
        room = LABEL_WIDTH - 2 - 1 - 2 - 5
        title = Text(one_line(launch.title, 200), style=style, no_wrap=True)
        title.truncate(room, overflow="ellipsis", pad=True)
        label.append_text(title)
        label.append(" ")
        label.append(f"{flags:<2}", style=style + self._style("risk"))
        label.append(f"{shown:>4} ", style=style)
        return label

    def render_line(self, y: int) -> Strip:
        geometry = self.geometry
        width = self.scrollable_content_region.width
        if y < HEADER_LINES:
            return self._header(y, geometry)
        index = int(self.scroll_offset.y) + y - HEADER_LINES
        if self._count == 0 and y == HEADER_LINES:
            start, end = self.period
            text = f"No launches between {start:%d %b %Y} and {end:%d %b %Y}."
            style = self._base() + self._style("empty")
            return Strip([Segment(text.ljust(width)[:width], style)], width)
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, self._base())
        # A row is drawn once per look: moving the cursor redraws only the two rows it left
        # and reached; the cache is emptied whenever the query, size or theme changes.
        key = (row.record.id, id(row), index == self.cursor, geometry, width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4 * MAX_CACHED_PAGES * PAGE_SIZE:
                self._strips.clear()
            strip = self._strips[key] = self._row(row, geometry, index == self.cursor)
        return strip
