"""Launches and their readiness items."""

from __future__ import annotations

from dataclasses import dataclass

from opsdesk.models import Launch, ReadinessItem
from opsdesk.store.base import Repository, SortSpec, Where

READINESS_COLUMNS = (
    "(SELECT count(*) FROM readiness_items r WHERE r.launch_id = launches.id) AS items_total, "
    "(SELECT count(*) FROM readiness_items r WHERE r.launch_id = launches.id "
    "AND r.state IN ('done', 'not_applicable')) AS items_done"
)
"""Extra columns a launch list shows: how many readiness items, how many finished."""


@dataclass(frozen=True)
class LaunchFilter:
    """What the launch list shows: a status, or a piece of the title."""

    status: str | None = None
    text: str = ""
    include_closed: bool = True


class LaunchRepository(Repository[Launch]):
    table = "launches"
    model = Launch
    sorts = {
        "date": SortSpec("launch date", ("launch_date", "id")),
        "title": SortSpec("title", ("title COLLATE NOCASE", "id")),
    }

    def where(self, query: LaunchFilter) -> Where:
        where = Where()
        if query.status:
            where = where.and_("status = ?", query.status)
        if not query.include_closed:
            where = where.and_("status NOT IN ('launched', 'cancelled')")
        if query.text:
            where = where.and_("title LIKE ? ESCAPE '\\'", f"%{_like(query.text)}%")
        return where

    def titles(self) -> dict[int, str]:
        """Every launch's title by id, for pickers and labels (launches number in the thousands)."""
        return dict(self.conn.execute("SELECT id, title FROM launches").fetchall())


class ReadinessRepository(Repository[ReadinessItem]):
    table = "readiness_items"
    model = ReadinessItem
    sorts = {"due": SortSpec("due date", ("due_date", "id"))}

    def for_launch(self, launch_id: int) -> list[ReadinessItem]:
        rows = self.conn.execute(
            "SELECT * FROM readiness_items WHERE launch_id = ? ORDER BY due_date, function, id",
            (launch_id,),
        ).fetchall()
        return [self.from_row(row) for row in rows]


def _like(text: str) -> str:
    """Escape LIKE wildcards so a user's ``%`` or ``_`` matches itself."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
