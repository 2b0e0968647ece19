"""People: the PMs who own work and the stakeholders who sign it off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsdesk.store.base import ModelRef, Repository, SortSpec

if TYPE_CHECKING:
    from opsdesk.models import Person


class PeopleRepository(Repository["Person"]):
    record_name = "person"
    table = "people"
    model = ModelRef("Person")
    sorts = {"name": SortSpec("name", ("name", "id"))}

    def all(self) -> list[Person]:
        """Every person by name: a company has dozens, not thousands, so this is a small list."""
        rows = self.conn.execute("SELECT * FROM people ORDER BY name").fetchall()
        return [self.from_row(row) for row in rows]

    def by_name(self, name: str) -> Person | None:
        row = self.conn.execute(
            "SELECT * FROM people WHERE name = ? COLLATE NOCASE", (name,)
        ).fetchone()
        return self.from_row(row) if row else None
