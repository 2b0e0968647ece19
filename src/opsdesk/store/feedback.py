"""Feedback items, their tags and their full-text index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opsdesk.models import Feedback
from opsdesk.store.base import Repository, SortSpec, Where, fts_query


@dataclass(frozen=True)
class FeedbackFilter:
    """What the inbox shows. Every field narrows the list; empty fields don't."""

    status: str | None = None
    kind: str | None = None
    source: str | None = None
    owner: str | None = None
    company: str | None = None
    tag: str | None = None
    search: str = ""
    include_duplicates: bool = False


class FeedbackRepository(Repository[Feedback]):
    table = "feedback"
    model = Feedback
    fts_columns = ("title", "body")
    sorts = {
        "received": SortSpec("newest first", ("received_at", "id"), descending=True),
        "priority": SortSpec("priority", ("priority", "id")),
    }

    def virtual_fields(self) -> frozenset[str]:
        return frozenset({"tags"})

    def load_virtual(self, record_id: int) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT tag FROM feedback_tags WHERE feedback_id = ? ORDER BY tag", (record_id,)
        ).fetchall()
        return {"tags": [row[0] for row in rows]}

    def save_virtual(self, record: Feedback, before: Feedback | None) -> None:
        old = set(before.tags) if before else set()
        new = set(record.tags)
        self.conn.executemany(
            "DELETE FROM feedback_tags WHERE feedback_id = ? AND tag = ?",
            [(record.id, tag) for tag in old - new],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO feedback_tags (feedback_id, tag) VALUES (?, ?)",
            [(record.id, tag) for tag in new - old],
        )

    def save_virtual_many(self, records: Sequence[Feedback]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO feedback_tags (feedback_id, tag) VALUES (?, ?)",
            [(record.id, tag) for record in records for tag in record.tags],
        )

    def where(self, query: FeedbackFilter) -> Where:
        where = Where()
        for column in ("status", "kind", "source", "owner", "company"):
            value = getattr(query, column)
            if value:
                where = where.and_(f"{column} = ?", value)
        if query.tag:
            where = where.and_(
                "id IN (SELECT feedback_id FROM feedback_tags WHERE tag = ?)", query.tag.lower()
            )
        if not query.include_duplicates:
            where = where.and_("duplicate_of IS NULL")
        if query.search.strip():
            where = where.and_(
                "id IN (SELECT rowid FROM feedback_fts WHERE feedback_fts MATCH ?)",
                fts_query(query.search),
            )
        return where
