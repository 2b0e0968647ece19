"""A launch's readiness checklist, its columns as wide as what the launch's items hold.

With fixed widths (function 13 cells, state 11, risk 11) a 120-column launch screen cut
every long item title ('Sales talk track and enable…') and the function most launches owe
('customer suc…'): only the highlighted item could be read in full, under the list. A
checklist is short (the items of one launch), so its columns are sized from those items:
the function, state and risk columns take their longest word, the title takes the rest,
and when even then the longest title does not fit, the due date gives up its year ('10 Dec'
instead of '2026-12-10'; the highlighted item below the list still says the full date).
The owner column is shown only where the longest title keeps its room beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from opsdesk.store.base import WindowRow
from opsdesk.text import one_line
from opsdesk.tui.widgets.window_list import Column, WindowList

__all__ = ["ChecklistList", "ChecklistWidths", "checklist_widths"]

LONG_DATE = 10
"""'2026-12-10'."""
SHORT_DATE = 6
"""'10 Dec': a checklist's items fall within a few months of one launch day."""
OWNER_WIDTH = 16
MAX_TITLE_ROOM = 60
"""The longest a title may ask for: a title longer than this is cut rather than crowding
out the owner column on a wide terminal."""


@dataclass(frozen=True)
class ChecklistWidths:
    """The checklist's column widths for one list width; ``owner`` is 0 when hidden."""

    due: int
    function: int
    state: int
    risk: int
    owner: int

    @property
    def short_dates(self) -> bool:
        return self.due == SHORT_DATE


def _longest(header: str, values: Iterable[str]) -> int:
    return max([cell_len(header), *(cell_len(value) for value in values)])


def checklist_widths(
    width: int,
    *,
    functions: Iterable[str],
    states: Iterable[str],
    risks: Iterable[str],
    titles: Iterable[str],
) -> ChecklistWidths:
    """The column widths for a list ``width`` cells wide showing these values (as shown:
    'customer success', 'in progress', 'not started').

    The title gets what the other columns leave; the due date shortens when that is less
    than the longest title needs, and the owner shows only when the title keeps its room.
    """
    function = _longest("Function", functions)
    state = _longest("State", states)
    risk = _longest("Risk", risks)
    need = min(_longest("Item", (one_line(title) for title in titles)), MAX_TITLE_ROOM)
    gaps = 4  # between due, function, state, item, risk

    def room(due: int, owner: int) -> int:
        return width - due - function - state - risk - gaps - (owner + 1 if owner else 0)

    due = LONG_DATE if room(LONG_DATE, 0) >= need else SHORT_DATE
    owner = OWNER_WIDTH if room(due, OWNER_WIDTH) >= need else 0
    return ChecklistWidths(due, function, state, risk, owner)


class ChecklistList(WindowList):
    """The launch screen's checklist: :meth:`fit` gives it the launch's items and the cells
    of each column, and each width the list is drawn at gets its own column widths."""

    def __init__(self, *, id: str | None = None, empty_text: str = "No items yet.") -> None:
        super().__init__([], id=id, empty_text=empty_text)
        self._cells: dict[str, Callable[[WindowRow[Any]], str | Text]] = {}
        self._values: dict[str, tuple[str, ...]] = {}

    def fit(
        self,
        cells: dict[str, Callable[[WindowRow[Any]], str | Text]],
        values: dict[str, Sequence[str]],
    ) -> None:
        """Show the columns ``cells`` ('due' gets the date, the others their text) sized for
        ``values``: every function, state, risk and title the launch's items show."""
        self._cells = dict(cells)
        self._values = {key: tuple(value) for key, value in values.items()}
        self.set_columns([])  # clears the cached layout; columns come from _visible_columns

    def widths_for(self, width: int) -> ChecklistWidths:
        return checklist_widths(
            width,
            functions=self._values.get("function", ()),
            states=self._values.get("state", ()),
            risks=self._values.get("risk", ()),
            titles=self._values.get("title", ()),
        )

    def _visible_columns(self, total: int) -> list[Column]:
        if not self._cells:
            return []
        widths = self.widths_for(total)
        short = widths.short_dates
        due = self._cells["due"]

        def due_cell(row: WindowRow[Any]) -> str | Text:
            cell = due(row)
            if not short:
                return cell
            shown = f"{row.record.due_date:%d %b}" if row.record.due_date else ""
            return Text(shown, style=cell.style) if isinstance(cell, Text) else shown

        columns = [
            Column("Due", due_cell, widths.due),
            Column("Function", self._cells["function"], widths.function),
            Column("State", self._cells["state"], widths.state),
            Column("Item", self._cells["title"]),
        ]
        if widths.owner:
            columns.append(Column("Owner", self._cells["owner"], widths.owner))
        columns.append(Column("Risk", self._cells["risk"], widths.risk))
        return columns
