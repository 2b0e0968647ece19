"""The research contacts pane: one ledger of who was contacted, when and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from opsdesk.formatting import day, local_date, words
from opsdesk.models import Contact
from opsdesk.store.base import Repository, WindowRow
from opsdesk.store.contacts import ContactFilter
from opsdesk.text import one_line, visible
from opsdesk.tui.panes.base import ListPane, field_lines, heading
from opsdesk.tui.widgets.window_list import Column


def _last_touch(row: WindowRow[Contact], tz: Any) -> str:
    value = row.extra.get("last_touch")
    return local_date(dt.datetime.fromisoformat(value), tz) if value else ""


def _flags(contact: Contact) -> Text:
    if contact.do_not_contact:
        return Text("do not contact", style="bold red")
    if contact.consent.value == "no":
        return Text("no consent", style="yellow")
    return Text(words(contact.consent))


class ContactsPane(ListPane):
    pane_id = "contacts"
    title = "Contacts"
    noun = "contacts"
    default_sort = "name"

    @property
    def repository(self) -> Repository[Any]:
        return self.desk.store.contacts

    def where(self) -> Any:
        return self.desk.store.contacts.where(ContactFilter(search=self.search_text))

    def extra_columns(self) -> str:
        return self.desk.store.touches.last_touch_columns()

    def columns(self) -> Sequence[Column]:
        tz = self.desk.tz
        return [
            Column("Name", lambda r: r.record.name, 20),
            Column("Email", lambda r: r.record.email or ""),
            Column("Company", lambda r: r.record.company or "", 18, optional=True),
            Column("Segment", lambda r: r.record.segment or "", 11, optional=True),
            Column("Consent", lambda r: _flags(r.record), 14),
            Column("Last touch", lambda r: _last_touch(r, tz), 10, optional=True),
            Column("#", lambda r: str(r.extra.get("touch_count") or 0), 3, "right", optional=True),
        ]

    def detail(self, row: WindowRow[Contact]) -> RenderableType:
        contact = row.record
        tz = self.desk.tz
        facts = field_lines(
            [
                ("Email", contact.email),
                ("Company", contact.company),
                ("Segment", contact.segment),
                ("Role", contact.role),
                ("Research consent", words(contact.consent)),
                ("Do not contact", contact.dnc_reason or "yes" if contact.do_not_contact else None),
                ("Relationship owner", contact.relationship_owner),
            ]
        )
        parts: list[RenderableType] = [heading(contact.name or "(no name)"), facts]
        if contact.notes:
            parts.append(Text(visible(contact.notes) + "\n"))
        touches = self.desk.store.touches.for_contact(int(contact.id or 0), limit=20)
        ledger = Text("Touches\n", style="bold")
        if not touches:
            ledger.append("No touches yet.\n", style="italic")
        for touch in touches:
            ledger.append(
                f"{local_date(touch.at, tz)}  {one_line(touch.by, 20)} · {words(touch.purpose)} · "
                f"{words(touch.channel)} · {words(touch.status)}"
            )
            if touch.follow_up_due and not touch.closed_at:
                ledger.append(f" · follow up by {day(touch.follow_up_due)}", style="yellow")
            if touch.override_reason:
                ledger.append(f" · override: {one_line(touch.override_reason, 60)}", style="red")
            ledger.append("\n")
        parts.append(ledger)
        return Group(*parts)
