"""The feedback inbox: every item from every channel, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from opsdesk.formatting import local_date, local_datetime, words
from opsdesk.models import Feedback
from opsdesk.store.base import Repository, WindowRow
from opsdesk.store.feedback import FeedbackFilter
from opsdesk.text import one_line, visible
from opsdesk.tui.panes.base import ListPane, field_lines, heading
from opsdesk.tui.widgets.window_list import Column

BODY_PREVIEW_CHARS = 20_000
"""A detail view shows this much of a body; longer bodies say how much is left out."""

PRIORITY_STYLE = {1: "bold red", 2: "yellow", 3: "", 4: "dim"}


class FeedbackPane(ListPane):
    pane_id = "feedback"
    title = "Feedback"
    noun = "feedback items"
    default_sort = "received"

    @property
    def repository(self) -> Repository[Any]:
        return self.desk.store.feedback

    def where(self) -> Any:
        return self.desk.store.feedback.where(FeedbackFilter(search=self.search_text))

    def columns(self) -> Sequence[Column]:
        tz = self.desk.tz
        return [
            Column("Received", lambda r: local_date(r.record.received_at, tz), 10),
            Column(
                "P",
                lambda r: Text(f"P{r.record.priority}", style=PRIORITY_STYLE[r.record.priority]),
                2,
            ),
            Column("Kind", lambda r: words(r.record.kind), 10, optional=True),
            Column("Status", lambda r: words(r.record.status), 8),
            Column("Title", lambda r: r.record.title),
            Column("Company", lambda r: r.record.company or "", 14, optional=True),
            Column("Owner", lambda r: r.record.owner or "", 12, optional=True),
        ]

    def detail(self, row: WindowRow[Feedback]) -> RenderableType:
        item = row.record
        tz = self.desk.tz
        launch = None
        if item.launch_id:
            launch = self.desk.store.launches.titles().get(item.launch_id)
        facts = field_lines(
            [
                ("Received", local_datetime(item.received_at, tz)),
                ("Source", item.source),
                ("Kind", words(item.kind)),
                ("Priority", f"P{item.priority}"),
                ("Status", words(item.status)),
                ("Customer", item.customer_email),
                ("Company", item.company),
                ("Owner", item.owner),
                ("Tags", ", ".join(item.tags)),
                ("Launch", launch),
                ("Acknowledged", local_datetime(item.acknowledged_at, tz)),
                ("Decided", local_datetime(item.decided_at, tz)),
                ("Loop closed", local_datetime(item.loop_closed_at, tz)),
                ("Duplicate of", f"#{item.duplicate_of}" if item.duplicate_of else None),
            ]
        )
        body = item.body or ""
        shown = visible(body[:BODY_PREVIEW_CHARS])
        parts: list[RenderableType] = [heading(item.title), facts, Text(shown)]
        if len(body) > BODY_PREVIEW_CHARS:
            parts.append(
                Text(f"\n… {len(body) - BODY_PREVIEW_CHARS:,} more characters", style="italic")
            )
        changes = self.desk.store.history.for_record("feedback", int(item.id or 0), limit=10)
        if changes:
            history = Text("\nHistory\n", style="bold")
            for change in changes:
                what = (
                    "created"
                    if change.field == "*"
                    else (
                        f"{words(change.field)}: {one_line(change.old, 40)} → "
                        f"{one_line(change.new, 40)}"
                    )
                )
                history.append(f"{local_datetime(change.at, tz)} {visible(change.actor)} {what}\n")
            parts.append(history)
        return Group(*parts)
