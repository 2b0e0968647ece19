"""Closing the loop from the inbox, seen from the Contacts pane: a customer the ledger did
not know becomes a contact, and the contacts list shows it, saying who it is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hostile import screen_text
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Feedback
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.panes.contacts import ContactsPane
from opsdesk.vocabulary import FeedbackStatus

ADDRESS = "dnakamura@pixelpine.example"


def _app(store: Store, clock: FrozenClock) -> OpsdeskApp:
    """The inbox over one decided item from a customer the ledger does not know."""
    store.feedback.insert_many(
        [
            Feedback(
                title="Export to CSV times out",
                received_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC),
                customer_email=ADDRESS,
                company="Pixel & Pine",
                status=FeedbackStatus.DONE,
            )
        ]
    )
    config = Config()
    config.general.user = "ops"
    return build_app(store, config, clock=clock, pane="feedback")


async def _close_the_loop_then_open_contacts(app: OpsdeskApp, pilot: Any) -> ContactsPane:
    while not app.panes_built:  # the Contacts pane is built, hidden, before the loop closes
        await pilot.pause(0.05)
    for _ in range(4):  # Mine, SLA at risk, SLA breached, Needs loop closed
        await pilot.press("right_square_bracket")
    await pilot.pause()
    await pilot.press("C")
    await pilot.pause()
    await pilot.press("3")
    await pilot.pause(0.3)
    return app.query_one(ContactsPane)


async def test_contacts_opened_after_closing_the_loop_list_the_new_contact(
    store: Store, clock: FrozenClock
) -> None:
    """The Contacts pane is built hidden at start-up; first shown after the loop was closed,
    it listed the contacts as they were before ('0 contacts'), the new one missing until a
    search or a restart."""
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _close_the_loop_then_open_contacts(app, pilot)
        assert store.contacts.by_email(ADDRESS) is not None
        assert pane.list.row_count == 1
        assert "1 contact · " in screen_text(app)


async def test_a_contact_made_by_closing_the_loop_is_listed_by_its_address(
    store: Store, clock: FrozenClock
) -> None:
    """Feedback carries an address but no name, so the contact closing the loop creates
    has none: the list and the detail said '(no name)'. They show the address instead."""
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _close_the_loop_then_open_contacts(app, pilot)
        contact = store.contacts.by_email(ADDRESS)
        assert contact is not None and contact.name == ""
        pane.refresh_list()  # shown as a search would (the first test covers the catching up)
        pane.list.move_to(0)
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert "(no name)" not in shown
        header = next(line for line in shown.splitlines() if line.startswith("Name "))
        row = shown.splitlines()[shown.splitlines().index(header) + 1]
        # The list's Name column (cut to its width), and the detail's heading, name it.
        assert row.startswith("dnakamura@pixelpine…"), shown
        assert header.split("│")[1].strip() == ADDRESS, shown
