"""The launch pane: every launch by date, with its readiness at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from opsdesk.formatting import day, words
from opsdesk.models import Launch, ReadinessState
from opsdesk.store.base import Repository, WindowRow
from opsdesk.store.launches import READINESS_COLUMNS, LaunchFilter
from opsdesk.text import one_line, visible
from opsdesk.tui.panes.base import ListPane, field_lines, heading
from opsdesk.tui.widgets.window_list import Column

STATE_STYLE = {
    ReadinessState.DONE: "green",
    ReadinessState.NOT_APPLICABLE: "dim",
    ReadinessState.BLOCKED: "bold red",
    ReadinessState.IN_PROGRESS: "yellow",
    ReadinessState.TODO: "",
}


def _readiness(row: WindowRow[Launch]) -> str:
    total = row.extra.get("items_total") or 0
    done = row.extra.get("items_done") or 0
    return f"{done}/{total}" if total else "–"


class LaunchesPane(ListPane):
    pane_id = "launches"
    title = "Launches"
    noun = "launches"
    default_sort = "date"

    @property
    def repository(self) -> Repository[Any]:
        return self.desk.store.launches

    def where(self) -> Any:
        return self.desk.store.launches.where(LaunchFilter(text=self.search_text))

    def extra_columns(self) -> str:
        return READINESS_COLUMNS

    def columns(self) -> Sequence[Column]:
        return [
            Column("Date", lambda r: day(r.record.launch_date), 10),
            Column("Title", lambda r: r.record.title),
            Column("Tier", lambda r: str(r.record.tier), 4, "right", optional=True),
            Column("Status", lambda r: words(r.record.status), 11),
            Column("Owner", lambda r: r.record.owner or "", 14, optional=True),
            Column("Ready", _readiness, 5, "right"),
        ]

    def detail(self, row: WindowRow[Launch]) -> RenderableType:
        launch = row.record
        slipped = (
            f"{day(launch.original_date)} → {day(launch.launch_date)}"
            if launch.original_date and launch.original_date != launch.launch_date
            else None
        )
        facts = field_lines(
            [
                ("Launch date", day(launch.launch_date)),
                ("Slipped", slipped),
                ("Status", words(launch.status)),
                ("Tier", launch.tier),
                ("Owner", launch.owner),
                ("Audience", launch.audience),
                ("Readiness", _readiness(row)),
            ]
        )
        items = self.desk.store.readiness.for_launch(int(launch.id or 0))
        today = self.desk.today()
        readiness = Text("Readiness\n", style="bold")
        if not items:
            readiness.append("No readiness items.\n", style="italic")
        for item in items:
            overdue = item.due_date < today and item.state not in (
                ReadinessState.DONE,
                ReadinessState.NOT_APPLICABLE,
            )
            readiness.append(day(item.due_date), style="bold red" if overdue else "")
            readiness.append(f"  {words(item.function)} · ")
            readiness.append(words(item.state), style=STATE_STYLE.get(item.state, ""))
            if overdue:
                readiness.append(" · overdue", style="bold red")
            readiness.append(f"\n    {one_line(item.title, 80)}")
            if item.owner:
                readiness.append(f" — {one_line(item.owner, 40)}", style="dim")
            readiness.append("\n")
        parts: list[RenderableType] = [heading(launch.title), facts]
        if launch.summary:
            parts.append(Text(visible(launch.summary) + "\n"))
        parts.append(readiness)
        return Group(*parts)
