"""Duplicates: contacts that look like one person; merge a pair keeping either record."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from opsdesk.formatting import counted
from opsdesk.models import Contact
from opsdesk.rules.eligibility import Eligibility
from opsdesk.services.contact_dupes import DuplicateMatch, find_duplicates, merge_contacts
from opsdesk.services.desk import Desk
from opsdesk.store.base import InvalidRecord
from opsdesk.text import one_line
from opsdesk.tui.background import hand_back, on_companion, still_shown
from opsdesk.tui.panes.contacts import status_text
from opsdesk.tui.screens.dialogs import ConfirmScreen
from opsdesk.tui.widgets.list_keys import KeyedOptionList

ADDRESS_CHARS = 254
"""The longest an email address can be: shown whole, as it is what tells two records of one
name apart (cut at 40 characters, 'hiroshi.ivanova136@bluebird-media-ab.ex…' and its twin
read alike with the dialog half empty). The list wraps a line too long for it."""


def _who(contact: Contact) -> str:
    return f"{_person(contact)} · {one_line(contact.company or '', 24)}"


def _person(contact: Contact) -> str:
    return (
        f"{one_line(contact.name or '(no name)', 30)} "
        f"<{one_line(contact.email or '', ADDRESS_CHARS)}>"
    )


def _standing(contact: Contact, touches: int, verdict: Eligibility | None) -> Text:
    """'    Parcelly · 3 touches · cooldown → 2027-01-09' under a record: which of the two
    holds the ledger, and whether it may be contacted, is what decides the one to keep (the
    list showed neither). The company is here, not after the address: at 80 columns it
    wrapped to the start of the next line."""
    company = f"{one_line(contact.company, 24)} · " if contact.company else ""
    text = Text(f"\n    {company}{counted(touches, 'touch', 'touches')}", style="dim")
    if verdict is not None:
        text.append(" · ", style="dim")
        text.append_text(status_text(verdict))
    return text


def _name(contact: Contact) -> str:
    return one_line(contact.name or contact.email or "(no name)", 40)


class DuplicatesScreen(ModalScreen[None]):
    """Likely duplicate pairs; ``m`` keeps the first and merges the second into it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "merge(False)", "Merge into first", id="duplicates.merge"),
        Binding("M", "merge(True)", "Merge into second", id="duplicates.merge_second"),
        Binding("escape,q", "dismiss_screen", "Back", id="duplicates.back"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__(classes="dialog-screen")
        self.desk = desk
        self.matches: list[DuplicateMatch] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog contacts-duplicates"):
            yield Static(
                Text(
                    "Likely duplicates  (m merges the second into the first, M the other "
                    "way, Esc goes back)",
                    style="bold",
                ),
                classes="dialog-title",
            )
            yield KeyedOptionList(id="duplicates-list")

    def on_mount(self) -> None:
        self._load()
        self.query_one(OptionList).focus()

    def _load(self) -> None:
        """Search again. On 20,000 contacts that takes most of a second, so a file database
        is searched in a worker thread on its own connection and the list fills when it is
        done; an in-memory one (no file to share) is searched at once."""
        desk = self.desk
        if desk.store.in_memory:
            self._show(find_duplicates(desk))
            return
        if not self.matches:
            options = self.query_one(OptionList)
            options.clear_options()
            options.add_option(
                Option(Text("Looking for duplicates…", style="italic"), disabled=True)
            )
        self.run_worker(self._search_in_thread, thread=True, exclusive=True, group="duplicates")

    def _search_in_thread(self) -> None:
        hand_back(self, self._show, on_companion(self.desk, find_duplicates))

    def _show(self, matches: list[DuplicateMatch]) -> None:
        if not still_shown(self):  # closed while searching
            return
        options = self.query_one(OptionList)
        kept = options.highlighted
        self.matches = matches
        options.clear_options()
        if not self.matches:
            options.add_option(Option(Text("No likely duplicates.", style="italic"), disabled=True))
            return
        for match in self.matches:
            text = Text()
            text.append(f"{match.reason}", style="bold")
            sides = zip((match.first, match.second), match.touches, match.statuses, strict=True)
            for number, (contact, touches, verdict) in enumerate(sides, start=1):
                text.append(f"\n  {number} {_person(contact)}")
                text.append_text(_standing(contact, touches, verdict))
            options.add_option(Option(text))
        options.highlighted = min(kept or 0, len(self.matches) - 1)

    def action_merge(self, into_second: bool) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.matches:
            return
        match = self.matches[index]
        keep, drop = (match.second, match.first) if into_second else (match.first, match.second)
        moving = match.touches[0] if into_second else match.touches[1]
        moves = (
            f"Its {counted(moving, 'touch moves', 'touches move')} over"
            if moving
            else "It has no touches to move"
        )
        question = f"Merge {_who(drop)} into {_who(keep)}? {moves}; both records' history is kept."

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            moved = len(self.desk.store.touches.for_contacts([int(drop.id or 0)]))
            try:
                merge_contacts(self.desk, int(keep.id or 0), int(drop.id or 0))
            except InvalidRecord as error:
                self.notify(str(error), severity="error")
                return
            # Who went into whom, and how to take it back ('Merged.' said neither).
            self.notify(
                f"Merged {_name(drop)} into {_name(keep)}; "
                f"{counted(moved, 'touch', 'touches')} moved over (u in the list undoes it)."
            )
            # The pairs with the merged-away contact go at once; the search then runs again
            # for what the merge changed (the kept contact's filled-in fields).
            gone = int(drop.id or 0)
            self._show([m for m in self.matches if gone not in (m.first.id, m.second.id)])
            self._load()

        self.app.push_screen(ConfirmScreen(question, "Merge"), answer)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
