"""Pilot tests of the Contacts pane: log, refusal, override, pool, plan, merge, forget,
status filter and follow-ups, each checked in the store afterwards."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from footer_keys import shown_footer_keys
from opsdesk.clock import FrozenClock
from opsdesk.config import Config, GeneralConfig
from opsdesk.formatting import counted
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.screens.contacts_duplicates import DuplicatesScreen
from opsdesk.tui.screens.contacts_follow_ups import FollowUpsScreen
from opsdesk.tui.screens.contacts_pool import PoolScreen
from opsdesk.tui.screens.contacts_refusal import RefusalScreen
from opsdesk.tui.screens.dialogs import FormScreen, PickerScreen
from opsdesk.tui.widgets.window_list import WindowList

SIZE = (120, 40)


def _app(store: Store, clock: FrozenClock) -> OpsdeskApp:
    config = Config(general=GeneralConfig(user="Olivia"))
    return build_app(store, config, clock=clock, pane="contacts", db_label="demo.db")


def _plain(widget: Static) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


def _said(app: OpsdeskApp) -> list[str]:
    """Every notification shown so far, oldest first."""
    return [str(note.message) for note in app._notifications]


async def _select(pilot: Pilot[None], text: str) -> WindowList:
    """Search the list for ``text`` and put the keyboard back on it."""
    await pilot.press("slash")
    await pilot.pause()
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()
    return pilot.app.query_one("#contacts-list", WindowList)


async def _choose_status(pilot: Pilot[None], status: str) -> None:
    """Open the status filter (v) and type ``status`` into its picker, then enter: every
    status-filter test chooses this way; what follows (a pause, a worker) is each test's own."""
    await pilot.press("v")
    await pilot.pause()
    await pilot.press(*status, "enter")


async def _count_then_choose_status(pilot: Pilot[None], status: str) -> tuple[WindowList, int]:
    """The list and its full count (which follows the first page by a frame), then ``status``
    chosen: each status-filter test measures the filtered list against that count."""
    listing = pilot.app.query_one("#contacts-list", WindowList)
    await pilot.pause()
    total = listing.row_count
    await _choose_status(pilot, status)
    return listing, total


def _touches(store: Store, email: str) -> int:
    contact = store.contacts.by_email(email)
    assert contact is not None
    return len(store.touches.for_contact(int(contact.id or 0)))


async def test_log_a_touch_with_a_free_contact(demo_store: Store, clock: FrozenClock) -> None:
    email = "aaliyah.novak@oriontelecom.example"
    before = _touches(demo_store, email)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing = await _select(pilot, "aaliyah novak")
        assert listing.row_count == 1
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, (FormScreen, RefusalScreen))
        assert _touches(demo_store, email) == before + 1
        detail = _plain(app.query_one("#contacts-detail-body", Static))
        assert "Olivia · interview · email · sent" in detail
        assert "cooldown" in detail


async def test_refusal_then_override_with_a_reason(demo_store: Store, clock: FrozenClock) -> None:
    email = "amara.cohen@halcyonhealth.example"
    before = _touches(demo_store, email)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _select(pilot, "amara cohen")
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
        shown = _plain(app.screen.query_one("#refusal-reasons", Static))
        assert "Cooldown: Grace Mbeki touched them on 2026-11-20" in shown
        assert "free again on 2027-02-18" in shown
        # Enter without a reason is not an override.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
        await pilot.press(*"Renewal at risk")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, RefusalScreen)
        assert _touches(demo_store, email) == before + 1
        contact = demo_store.contacts.by_email(email)
        latest = demo_store.touches.for_contact(int(contact.id or 0))[0]  # type: ignore[union-attr]
        assert latest.override_reason == "Renewal at risk"
        assert latest.override_by == "Olivia" and latest.override_rules == "cooldown"
        detail = _plain(app.query_one("#contacts-detail-body", Static))
        assert "override by Olivia" in detail and "Renewal at risk" in detail


async def test_refusal_escape_logs_nothing(demo_store: Store, clock: FrozenClock) -> None:
    email = "amara.cohen@halcyonhealth.example"
    before = _touches(demo_store, email)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _select(pilot, "amara cohen")
        await pilot.press("p", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert _touches(demo_store, email) == before


async def test_find_an_eligible_pool_and_plan_it(demo_store: Store, clock: FrozenClock) -> None:
    before = demo_store.touches.count()
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PoolScreen)
        pool = app.screen.pool
        assert len(pool.contacts) == 10 and pool.companies == 10
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, (PoolScreen, FormScreen))
        assert demo_store.touches.count() == before + 10
        for contact in pool.contacts:
            (latest, *_) = demo_store.touches.for_contact(int(contact.id or 0))
            assert latest.status.value == "planned" and latest.by == "Olivia"


async def test_a_pool_of_one_reads_in_the_singular(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-size").value = "1"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PoolScreen)
        summary = _plain(app.screen.query_one("#pool-summary", Static))
        assert summary.startswith("Found 1 free contact at 1 company (")
        await pilot.press("p")
        await pilot.pause()
        plan = app.screen
        assert isinstance(plan, FormScreen)
        assert plan.form_title == "Plan an interview with all 1"  # was 'Plan a interview'
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _said(app)[-1] == "Planned 1 touch (u undoes it)."  # was '1 touches'


async def test_the_pool_offers_the_segments_in_use(demo_store: Store, clock: FrozenClock) -> None:
    """The segment was a blank to guess: 'enterprize' found nobody and said only that
    nobody free matched. It is a choice of the segments the contacts have."""
    from textual.widgets import Select

    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        segment = form.query_one("#field-segment", Select)
        offered = [value for _, value in segment._options if value is not Select.NULL]
        assert offered == ["enterprise", "mid-market", "smb"]
        segment.value = "smb"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PoolScreen)
        pool = app.screen.pool
        assert pool.contacts and {c.segment for c in pool.contacts} == {"smb"}


async def test_an_empty_pool_says_why_and_offers_no_plan(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-role").value = "Astronaut"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PoolScreen)
        summary = _plain(app.screen.query_one("#pool-summary", Static))
        assert summary.strip() == "Found nobody. Esc goes back."
        why = _plain(app.screen.query_one("#pool-table", Static))
        assert "No contact with role 'Astronaut' may be asked" in why
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PoolScreen)  # nothing to plan: no form


def test_a_pool_everyone_blocks_says_so() -> None:
    import datetime as dt

    from opsdesk.services.contact_pool import Pool, PoolQuery
    from opsdesk.tui.screens.contacts_pool import why_empty

    day = dt.date(2026, 11, 27)
    pool = Pool(PoolQuery(company="Parcelly"), day, candidates=3, checked=3)
    assert why_empty(pool) == (
        "3 contacts match, but none is free for interview on 2026-11-27 (cooldowns and "
        "caps): try a later day or widen the search."
    )


async def test_every_contact_form_label_fits_its_line(
    demo_store: Store, clock: FrozenClock
) -> None:
    """'Research consent *' and 'Day of the touch *' wrapped their '*' onto a line of its
    own in the new/edit and pool forms' label column."""
    from textual.widgets import Label

    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ("n", "e", "l", "p", "f"):
            await pilot.press(key)
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormScreen)
            for label in form.query(".form-label").results(Label):
                assert label.size.height == 1, f"{key}: {label.content!r} wraps"
            await pilot.press("escape")
            await pilot.pause()


async def test_merge_duplicates(demo_store: Store, clock: FrozenClock) -> None:
    keep = demo_store.contacts.by_email("noor.haddad@parcelly.example")
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DuplicatesScreen)
        reasons = [m.reason for m in app.screen.matches]
        assert reasons[0] == "same mailbox"
        await pilot.press("j")  # the Noor Haddad pair (j moves as in every list)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, DuplicatesScreen)
        assert len(app.screen.matches) == 1
        said = _said(app)[-1]
        assert said.startswith("Merged Noor Hadad into Noor Haddad; ")
        assert said.endswith(" moved over (u in the list undoes it).")
    merged = demo_store.contacts.by_email("nhaddad@parcelly.example")
    assert merged is not None and keep is not None and merged.id == keep.id
    assert "Berlin user group" in merged.notes


async def test_forget_a_contact(demo_store: Store, clock: FrozenClock) -> None:
    email = "amara.cohen@halcyonhealth.example"
    contact = demo_store.contacts.by_email(email)
    touches = _touches(demo_store, email)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _select(pilot, "amara cohen")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert demo_store.contacts.by_email(email) is not None
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.query_one("#contacts-list", WindowList).row_count == 0
        kept = counted(touches, "touch", "touches")
        assert f"Forgotten; {kept} kept anonymously (for cooldowns)." in _said(app)
    assert demo_store.contacts.by_email(email) is None
    placeholder = demo_store.contacts.get(int(contact.id or 0))  # type: ignore[union-attr]
    assert placeholder.forgotten and placeholder.email is None
    assert len(demo_store.touches.for_contact(int(contact.id or 0))) == touches  # type: ignore[union-attr]


async def test_forgetting_someone_never_touched_says_so(store: Store, clock: FrozenClock) -> None:
    """Not 'Forgotten; 0 touches kept anonymously'."""
    from opsdesk.models import Contact

    store.contacts.insert(Contact(name="Never Asked", email="never@x.example"))
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "Forgotten; they had no touches." in _said(app)
    assert store.contacts.by_email("never@x.example") is None


async def test_forgetting_keeps_the_cursor_in_its_place(
    demo_store: Store, clock: FrozenClock
) -> None:
    """After a forget the cursor is on the next contact, not back at the top of the list."""
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one("#contacts-list", WindowList)
        await pilot.pause()
        await pilot.press("j", "j", "j")
        await pilot.pause()
        following = listing.row_at(4).record.name  # type: ignore[union-attr]
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert listing.cursor == 3
        assert listing.current_row.record.name == following  # type: ignore[union-attr]


async def test_status_filter(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing, total = await _count_then_choose_status(pilot, "at cap")
        await pilot.pause()
        assert listing.row_count == 1
        assert listing.current_row.record.name == "Tomasz Wójcik"  # type: ignore[union-attr]
        status = _plain(app.query_one("#contacts-status", Static))
        assert "status: at cap" in status
        await _choose_status(pilot, "all")
        await pilot.pause()
        assert listing.row_count == total


async def test_the_status_picker_reopens_on_the_status_in_force(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing, _ = await _count_then_choose_status(pilot, "at cap")
        await pilot.pause()
        assert listing.row_count == 1
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one(OptionList)
        assert options.highlighted is not None
        highlighted = str(options.get_option_at_index(options.highlighted).prompt)
        assert highlighted == "✓ at cap"
        others = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert [line for line in others if line.startswith("✓")] == ["✓ at cap"]
        # Enter on the picker as it opens keeps the filter (it went back to all contacts).
        await pilot.press("enter")
        await pilot.pause()
        assert listing.row_count == 1
        assert "status: at cap" in _plain(app.query_one("#contacts-status", Static))


async def test_follow_ups_close_a_thread(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        listing = app.screen.query_one(WindowList)
        before = listing.row_count
        first = listing.current_row
        assert first is not None and first.record.follow_up_due < clock.now().date()
        await pilot.press("c")
        await pilot.pause()
        assert listing.row_count == before - 1
        assert demo_store.touches.get(int(first.record.id or 0)).closed_at == clock.now()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FollowUpsScreen)


async def test_follow_ups_show_each_purpose_whole_at_80_columns(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The purpose took the room left and had 3 cells at 80 columns ('sur…', 'int…')."""
    from opsdesk.formatting import words

    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        listing = app.screen.query_one(WindowList)
        for y in range(1, 6):
            row = listing.row_at(y - 1)
            assert row is not None
            assert words(row.record.purpose) in _row_text(listing, y)


async def test_new_and_edit_contact_with_field_errors(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"Bo Lee")
        await pilot.press("tab")
        await pilot.press(*"AMARA.COHEN+x@halcyonhealth.example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # refused: that mailbox is taken
        error = _plain(form.query_one("#error-email", Static))
        assert "same mailbox" in error
        for _ in range(40):
            await pilot.press("backspace")
        await pilot.press(*"bo.lee@acme.example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
    created = demo_store.contacts.by_email("bo.lee@acme.example")
    assert created is not None and created.name == "Bo Lee"


def _row_text(listing: WindowList, y: int = 1) -> str:
    return "".join(segment.text for segment in listing.render_line(y))


async def test_a_change_made_in_another_pane_shows_when_you_come_back(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Closing the loop in the inbox logs a touch: the contact is in cooldown when you
    return to Contacts. Coming back with nothing changed reads nothing again."""
    from opsdesk.services.contacts import log_touch
    from opsdesk.tui.panes.contacts import ContactsPane

    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing = await _select(pilot, "aaliyah novak")
        assert "free" in _row_text(listing)
        pane = app.query_one(ContactsPane)
        refreshed: list[bool] = []
        original = pane.refresh_list
        pane.refresh_list = lambda **kw: (refreshed.append(True), original(**kw))[1]  # type: ignore[method-assign]
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert refreshed == [], "nothing changed: nothing is read again"
        await pilot.press("2")
        await pilot.pause()
        log_touch(app.desk, "aaliyah.novak@oriontelecom.example", "Olivia", "interview")
        await pilot.press("3")
        await pilot.pause()
        assert refreshed == [True]
        assert "cooldown" in _row_text(listing)
        detail = _plain(app.query_one("#contacts-detail-body", Static))
        assert "Olivia · interview" in detail


async def test_a_follow_up_before_the_touch_is_refused_at_its_field(
    demo_store: Store, clock: FrozenClock
) -> None:
    from textual.widgets import Input

    email = "aaliyah.novak@oriontelecom.example"
    before = _touches(demo_store, email)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _select(pilot, "aaliyah novak")
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-follow_up_due", Input).value = "yesterday"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "due before the touch itself" in _plain(
            form.query_one("#error-follow_up_due", Static)
        )
        assert app.focused is form.query_one("#field-follow_up_due", Input)
    assert _touches(demo_store, email) == before


async def test_a_completed_touch_on_a_later_day_is_refused_at_the_day(
    demo_store: Store, clock: FrozenClock
) -> None:
    from textual.widgets import Input, Select

    email = "aaliyah.novak@oriontelecom.example"
    before = _touches(demo_store, email)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _select(pilot, "aaliyah novak")
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-day", Input).value = "2026-11-29"
        form.query_one("#field-status", Select).value = "completed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert _plain(form.query_one("#error-day", Static)).strip() == (
            "a touch marked completed cannot be on a later day (2026-11-29, today is "
            "2026-11-26): mark it planned or scheduled until it has happened"
        )
        assert app.focused is form.query_one("#field-day", Input)
    assert _touches(demo_store, email) == before


async def test_the_contacts_footer_fits_120_columns(demo_store: Store, clock: FrozenClock) -> None:
    """At 120 columns the footer cut off duplicates, forget, the status filter, quit and help.
    The daily keys now show whole; sort, duplicates, forget and undo stay in help and the
    palette (a change's notification names undo's key), and still work from their keys."""
    from opsdesk.tui.bindings import collect_bindings

    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        shown = await shown_footer_keys(pilot)
        assert shown == ["/", "n", "e", "l", "p", "f", "o", "v", "^q", "?"]
        actions = {entry.action for entry in collect_bindings(app)}
        assert {"cycle_sort", "duplicates", "forget", "undo"} <= actions
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DuplicatesScreen)


async def test_the_contacts_footer_at_80_columns_names_the_day_s_work(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 80 columns the footer showed new, edit, log, plan and 'f Eligi', cut there: the
    follow-ups (o) and the status filter (v) could not be found from it. Under 120 columns
    it shows search, log, plan, the pool, follow-ups and status, each whole; widened, every
    key comes back; n and e still work."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await shown_footer_keys(pilot) == ["?", "/", "l", "p", "f", "o", "v"]
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await pilot.resize_terminal(120, 40)
        assert await shown_footer_keys(pilot) == ["/", "n", "e", "l", "p", "f", "o", "v", "^q", "?"]


async def test_the_palette_names_contact_actions_in_full(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The footer says 'New' and 'Eligible'; the palette still finds 'new contact'."""
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"New contact", "Find eligible contacts", "Filter contacts by status"} <= titles


async def test_ctrl_p_finds_the_contact_actions(demo_store: Store, clock: FrozenClock) -> None:
    """Typed into the palette itself (ctrl+p), 'eligible' finds the pool. The palette is a
    screen of its own, and the app listed the pane's actions only for the screen on top:
    ctrl+p found Textual's Quit and Theme, and 'eligible' said 'No matches found'."""
    from textual.command import CommandPalette

    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"eligible")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        options = palette.query_one(OptionList)
        prompts: list[str] = []
        for _ in range(40):  # the palette searches in a worker
            await pilot.pause(0.05)
            prompts = [
                str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            ]
            if any("Find eligible contacts" in prompt for prompt in prompts):
                break
        assert any("Find eligible contacts" in prompt for prompt in prompts), prompts
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)


async def test_duplicates_are_searched_off_the_keyboard_s_thread(
    file_store: Store, clock: FrozenClock, monkeypatch: Any
) -> None:
    """On 20,000 contacts the search took most of a second, on the key that opened the
    screen and again after each merge, with the app frozen. A file database is now searched
    in a worker thread on its own connection; a merge takes its pair off the list at once."""
    import threading

    from opsdesk.demo import load_demo
    from opsdesk.tui.screens import contacts_duplicates

    load_demo(file_store, clock.now().date())
    threads: list[bool] = []
    search = contacts_duplicates.find_duplicates

    def recording(desk: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        assert desk.store is not file_store  # its own connection
        return search(desk, **kwargs)

    monkeypatch.setattr(contacts_duplicates, "find_duplicates", recording)
    app = _app(file_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DuplicatesScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.matches[0].reason == "same mailbox"
        assert len(screen.matches) == 2
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen and len(screen.matches) == 1
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.matches) == 1
    assert threads and not any(threads)
    assert file_store.contacts.by_email("Sven.Olsen+beta@QuarryAnalytics.example") is not None


async def test_status_filter_works_statuses_out_off_the_keyboard_s_thread(
    file_store: Store, clock: FrozenClock, monkeypatch: Any
) -> None:
    """Every contact's status took about 580 ms on 20,000 contacts, on the key that chose a
    status. A file database now works them out in a worker on its own connection: the
    choice is said at once ('checking every contact…'), the list is filtered when they
    arrive, and a later write makes them be worked out again, the list following."""
    import threading

    from opsdesk.demo import load_demo
    from opsdesk.services import contacts as service
    from opsdesk.services.desk import Desk
    from opsdesk.tui.panes import contacts as pane_module

    load_demo(file_store, clock.now().date())
    release = threading.Event()
    threads: list[bool] = []
    work = pane_module.work_out_statuses

    def held(desk: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        assert desk.store is not file_store  # its own connection
        release.wait(10)
        return work(desk, **kwargs)

    monkeypatch.setattr(pane_module, "work_out_statuses", held)
    app = _app(file_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing, total = await _count_then_choose_status(pilot, "at cap")
        await pilot.pause()
        status = _plain(app.query_one("#contacts-status", Static))
        assert "status: at cap (checking every contact…)" in status
        assert listing.row_count == total  # nothing filtered on half-known statuses
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert listing.row_count == 1
        assert listing.current_row.record.name == "Tomasz Wójcik"  # type: ignore[union-attr]
        status = _plain(app.query_one("#contacts-status", Static))
        assert "status: at cap" in status and "checking" not in status
        # Free, then touched: the contact leaves the list once the statuses are redone.
        await _choose_status(pilot, "free")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        free = listing.row_count
        first = listing.current_row.record  # type: ignore[union-attr]
        desk = Desk(file_store, app.desk.config, clock)
        service.add_touch(desk, int(first.id or 0), "Olivia", "interview")
        app.query_one("#pane-contacts", pane_module.ContactsPane).changed()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert listing.row_count == free - 1
        assert listing.current_row.record.id != first.id  # type: ignore[union-attr]
    assert threads and not any(threads)


async def test_a_status_filter_that_cannot_be_worked_out_is_said(
    file_store: Store, clock: FrozenClock, monkeypatch: Any
) -> None:
    """The worker's error (a database another program broke, say) is a notification and the
    list stays unfiltered; an exception in a worker thread would have closed the app."""
    import sqlite3

    from opsdesk.demo import load_demo
    from opsdesk.tui.panes import contacts as pane_module

    load_demo(file_store, clock.now().date())

    def broken(desk: Any, **kwargs: Any) -> Any:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(pane_module, "work_out_statuses", broken)
    app = _app(file_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing, total = await _count_then_choose_status(pilot, "free")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert listing.row_count == total
        assert "status:" not in _plain(app.query_one("#contacts-status", Static))
        messages = _said(app)
        assert any("Could not work out the contacts' statuses" in m for m in messages)


async def test_undo_the_last_contact_change(demo_store: Store, clock: FrozenClock) -> None:
    """u takes back the touch just logged, asking nothing and saying what it undid; with
    nothing changed in this session it says so (the demo's own history is not reached)."""
    email = "aaliyah.novak@oriontelecom.example"
    before = _touches(demo_store, email)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await pilot.pause()
        assert "Nothing to undo" in _said(app)[-1]
        listing = await _select(pilot, "aaliyah novak")
        await pilot.press("l", "ctrl+s")
        await pilot.pause()
        assert _touches(demo_store, email) == before + 1
        assert _said(app)[-1] == "Touch logged (u undoes it)."
        await pilot.press("u")
        await pilot.pause()
        assert not isinstance(app.screen, (FormScreen, RefusalScreen))
        message = _said(app)[-1]
        assert message.startswith("Undid logging a touch with Aaliyah Novak (interview, ")
        assert _touches(demo_store, email) == before
        assert listing.current_row.record.email == email  # type: ignore[union-attr]
        detail = _plain(app.query_one("#contacts-detail-body", Static))
        assert "Olivia · interview" not in detail
        # An edit says it was saved and how to take it back; one that changed nothing
        # says that (u would otherwise undo an older change).
        await pilot.press("e", "ctrl+s")
        await pilot.pause()
        assert _said(app)[-1] == "Nothing changed."
        await pilot.press("e", "end", *" Jr", "ctrl+s")
        await pilot.pause()
        assert _said(app)[-1] == "Saved Aaliyah Novak (u undoes it)."
        assert demo_store.contacts.by_email(email).name == "Aaliyah Novak Jr"  # type: ignore[union-attr]
        await pilot.press("u")
        await pilot.pause()
        assert _said(app)[-1] == "Undid name on Aaliyah Novak."
        assert demo_store.contacts.by_email(email).name == "Aaliyah Novak"  # type: ignore[union-attr]


async def test_sorted_by_company_the_company_is_shown(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 120 columns the optional company column was dropped, so the list sorted by
    company looked shuffled. Sorted by company it is the second column; by name, the
    email is back."""
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one("#contacts-list", WindowList)
        await pilot.pause()
        assert "Company" not in _row_text(listing, 0)
        await pilot.press("s")
        await pilot.pause()
        header = _row_text(listing, 0)
        assert header.split()[:2] == ["Name", "Company"]
        first = listing.row_at(0).record  # type: ignore[union-attr]
        assert first.company and first.company in _row_text(listing, 1)
        # Within a company, by name (it was by id: a jumble).
        rows = [listing.row_at(i).record for i in range(listing.row_count)]  # type: ignore[union-attr]
        keys = [((c.company or "").casefold(), (c.name or "").casefold()) for c in rows]
        assert keys == sorted(keys)
        await pilot.press("s")
        await pilot.pause()
        assert _row_text(listing, 0).split()[:2] == ["Name", "Email"]


def test_a_long_address_breaks_only_before_an_at_or_a_dot() -> None:
    from opsdesk.tui.addresses import address_lines

    address = "jonathan.smithers-longname@enterprise-customer.example"
    assert address_lines(address, 60, 60) == [address]
    # Too long after its label, short enough for a line: whole, on its own line.
    assert address_lines("ana.diaz@example.com", 10, 30) == ["", "ana.diaz@example.com"]
    assert address_lines(address, 31, 36) == [
        "jonathan.smithers-longname",
        "@enterprise-customer.example",
    ]
    assert address_lines(address, 23, 28) == [
        "jonathan",
        ".smithers-longname",
        "@enterprise-customer.example",
    ]
    # The '@' is the break that reads best, even when a dot would fill the first line more.
    assert address_lines("aaliyah.abebe8931@falcon-travel-ab.example", 35, 40) == [
        "aaliyah.abebe8931",
        "@falcon-travel-ab.example",
    ]
    # Only a part wider than the whole line is cut, at the line's width.
    assert address_lines("x" * 50 + "@a.example", 10, 20) == [
        "",
        "x" * 20,
        "x" * 20,
        "x" * 10,
        "@a.example",
    ]


async def test_a_long_address_stays_whole_in_the_detail_panel(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The panel is under 40 cells wide: 'jonathan.smithers-longname@enterprise-cu' /
    'stomer.example' read as two addresses. It breaks before the '@' instead."""
    from opsdesk.services.contacts import create_contact

    address = "jonathan.smithers-longname@enterprise-customer.example"
    app = _app(demo_store, clock)
    create_contact(app.desk, {"name": "Jonathan Smithers", "email": address})
    async with app.run_test(size=SIZE) as pilot:
        await _select(pilot, "jonathan")
        body = app.query_one("#contacts-detail-body", Static)
        width = body.content_region.width
        assert width < len("Email: " + address)
        console = Console(width=width, record=True, color_system=None)
        console.print(body.content)
        lines = [line.rstrip() for line in console.export_text().splitlines()]
        at = lines.index("Email: jonathan.smithers-longname")
        assert lines[at + 1] == "  @enterprise-customer.example"


async def test_the_ledger_says_how_many_older_touches_it_leaves_out(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The detail lists the newest 20 touches; it stopped there without a word."""
    import datetime as dt

    from opsdesk.models import Contact, Touch

    contact = demo_store.contacts.insert(Contact(name="Zed Many", email="zed@many.example"))
    start = clock.now() - dt.timedelta(days=400)
    for day in range(23):
        demo_store.touches.insert(
            Touch(
                contact_id=int(contact.id or 0),
                by="Priya",
                at=start + dt.timedelta(days=day),
                purpose="survey",
                status="sent",
            )
        )
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _select(pilot, "zed many")
        detail = _plain(app.query_one("#contacts-detail-body", Static))
        assert detail.count("Priya · survey") == 20
        assert "… and 3 older touches." in detail


async def test_last_touch_is_one_that_happened_not_one_planned(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The list's 'Last touch' was the latest touch in the ledger, a planned interview next
    month included, so it showed a day still to come. It is the latest up to now; the
    detail names the planned one as the next touch."""
    import datetime as dt

    from opsdesk.models import Contact, Touch

    contact = demo_store.contacts.insert(Contact(name="Zed Planned", email="zed@planned.example"))
    for days, status, by in ((-10, "completed", "Priya"), (20, "planned", "Marcus")):
        demo_store.touches.insert(
            Touch(
                contact_id=int(contact.id or 0),
                by=by,
                at=clock.now() + dt.timedelta(days=days),
                purpose="survey",
                status=status,
            )
        )
    app = _app(demo_store, clock)
    async with app.run_test(size=(180, 40)) as pilot:
        listing = await _select(pilot, "zed planned")
        assert "Last touch" in _row_text(listing, 0)
        row = _row_text(listing, 1)
        assert "2026-11-16" in row
        assert "2026-12-16" not in row
        detail = _plain(app.query_one("#contacts-detail-body", Static))
        assert "Last touch: 2026-11-16 by Priya (survey, completed)" in detail
        assert "Next touch: 2026-12-16 by Marcus (survey, planned)" in detail


async def test_duplicates_show_each_record_s_touches_and_status(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Choosing which of two records to keep turns on which holds the ledger and whether
    the person may be contacted; the duplicates list showed names, addresses and companies
    only. Each record now has its touch count and status under it, after its company (at
    80 columns the company, after the address, wrapped to the start of the next line)."""
    import datetime as dt

    from opsdesk.models import Touch

    drop = demo_store.contacts.by_email("nhaddad@parcelly.example")
    assert drop is not None
    for days in (3, 40):
        demo_store.touches.insert(
            Touch(
                contact_id=int(drop.id or 0),
                by="Priya",
                at=clock.now() - dt.timedelta(days=days),
                purpose="survey",
                status="sent",
            )
        )
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DuplicatesScreen)
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        noor = next(text for text in shown if "Noor Hadad" in text).splitlines()
        first = noor.index(next(line for line in noor if "Noor Haddad" in line))
        second = noor.index(next(line for line in noor if "Noor Hadad <" in line))
        assert noor[first + 1].strip() == "Parcelly · 0 touches · free"
        assert noor[second + 1].strip() == "Parcelly · 2 touches · cooldown → 2026-12-23"
        await pilot.press("j", "m")
        await pilot.pause()
        question = app.screen.query_one(".dialog-title", Static)
        assert "Its 2 touches move over" in str(question.content)
    # At 80 columns each record's lines stay within the dialog, indented.
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        width = options.scrollable_content_region.width - 2
        for index in range(options.option_count):
            prompt = options.get_option_at_index(index).prompt
            assert isinstance(prompt, Text)
            lines = prompt.plain.splitlines()
            assert all(len(line) <= width for line in lines), lines


async def test_filter_the_list_by_company_or_segment(demo_store: Store, clock: FrozenClock) -> None:
    """The list had no company or segment filter (only the eligible pool did): C picks one,
    with how many contacts each holds; it combines with the status filter and a search."""
    enterprise = [
        c
        for c in demo_store.contacts.many(list(range(1, 1000))).values()
        if (c.segment or "").casefold() == "enterprise" and not c.merged_into and not c.forgotten
    ]
    parcelly = [c for c in enterprise if c.company == "Parcelly"]
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one("#contacts-list", WindowList)
        await pilot.pause()
        total = listing.row_count
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"segment: enterprise", "enter")
        await pilot.pause()
        assert 0 < listing.row_count == len(enterprise) < total
        assert all(listing.row_at(i).record.segment == "enterprise" for i in range(len(enterprise)))  # type: ignore[union-attr]
        assert "segment: enterprise" in _plain(app.query_one("#contacts-status", Static))
        # The picker reopens on the choice in force; a company replaces the segment.
        await pilot.press("C")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        ticked = str(options.get_option_at_index(options.highlighted or 0).prompt)
        assert ticked == f"✓ segment: enterprise ({len(enterprise)})"
        await pilot.press(*"company: parcelly", "enter")
        await pilot.pause()
        companies = {listing.row_at(i).record.company for i in range(listing.row_count)}  # type: ignore[union-attr]
        assert companies == {"Parcelly"} and listing.row_count >= len(parcelly)
        status = _plain(app.query_one("#contacts-status", Static))
        assert "company: Parcelly" in status and "segment" not in status
        # With a status on top, then back to everyone.
        await _choose_status(pilot, "do not contact")
        await pilot.pause()
        assert listing.row_count == 1
        assert listing.current_row.record.name == "Chiara Ueda"  # type: ignore[union-attr]
        await pilot.press("C")
        await pilot.pause()
        await pilot.press(*"all companies", "enter")
        await _choose_status(pilot, "all")
        await pilot.pause()
        assert listing.row_count == total


async def test_the_pool_refuses_a_company_nobody_works_at_at_its_field(
    demo_store: Store, clock: FrozenClock
) -> None:
    """'parcel' in the pool's company field found an empty pool ('No contact with company
    'parcel' may be asked'), as if Parcelly had nobody. The field refuses it, offering the
    stored names that hold it; a name in another case is taken as stored."""
    from textual.widgets import Input

    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-company", Input).value = "parcel"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        error = _plain(form.query_one("#error-company", Static))
        assert "no contact has the company 'parcel' (did you mean 'Parcelly'?)" in error
        form.query_one("#field-company", Input).value = "PARCELLY"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PoolScreen)
        assert app.screen.pool.query.company == "Parcelly"
        assert {c.company for c in app.screen.pool.contacts} <= {"Parcelly"}


async def test_follow_ups_count_every_open_thread_and_name_the_one_closed(
    store: Store, clock: FrozenClock
) -> None:
    """The count line read the list's first page: '50 open, 3200 overdue' on the large
    dataset. And closing one said only 'Thread closed.'."""
    import datetime as dt

    from opsdesk.models import Contact, Touch

    contact = store.contacts.insert(Contact(name="Ola Vasquez", email="ola@prime.example"))
    today = clock.now().date()
    for index in range(130):
        store.touches.insert(
            Touch(
                contact_id=int(contact.id or 0),
                by="Priya",
                at=clock.now() - dt.timedelta(days=200 - index),
                purpose="interview",
                status="completed",
                follow_up_due=today + dt.timedelta(days=index - 120),
            )
        )
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        count = _plain(app.screen.query_one("#follow-ups-count", Static))
        assert count.strip() == "130 open follow-ups, 120 overdue"
        await pilot.press("c")
        await pilot.pause()
        count = _plain(app.screen.query_one("#follow-ups-count", Static))
        assert count.strip() == "129 open follow-ups, 119 overdue"
        due = (today - dt.timedelta(days=120)).isoformat()
        assert _said(app)[-1] == (
            f"Closed the follow-up with Ola Vasquez (interview, due {due}; "
            "u in the list undoes it)."
        )


async def test_an_empty_filtered_list_names_its_filters_and_their_keys(
    demo_store: Store, clock: FrozenClock
) -> None:
    """'No contacts to show.' under a company and a status chosen earlier left a PM to
    work out what hid everyone; the detail names each filter and the key that lifts it."""
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one("#contacts-list", WindowList)
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        await pilot.press(*"company: parcelly", "enter")
        await pilot.pause()
        await _choose_status(pilot, "at cap")
        await pilot.pause()
        assert listing.row_count == 0
        detail = _plain(app.query_one("#contacts-detail-body", Static))
        assert (
            "No contact matches: company Parcelly (C), status at cap (v). The key beside "
            "each filter changes or lifts it."
        ) in " ".join(detail.split())


async def test_a_wrapped_ledger_entry_keeps_its_text_under_its_text(
    demo_store: Store, clock: FrozenClock
) -> None:
    """A touch too long for the panel wrapped back to its edge, under the dates, which then
    no longer read as a column; continuation lines now start where the text does."""
    import datetime as dt

    from opsdesk.models import Contact, Touch

    contact = demo_store.contacts.insert(Contact(name="Zed Wrapped", email="zed@wrap.example"))
    demo_store.touches.insert(
        Touch(
            contact_id=int(contact.id or 0),
            by="Katarzyna Zhang-Lindqvist",
            at=clock.now() - dt.timedelta(days=3),
            purpose="launch_announcement",
            channel="video",
            status="completed",
            override_reason="The customer asked us to call back about the renewal",
            override_by="Olivia",
            override_at=clock.now() - dt.timedelta(days=3),
            override_rules="cooldown",
        )
    )
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _select(pilot, "zed wrapped")
        body = app.query_one("#contacts-detail-body", Static)
        console = Console(width=body.content_region.width, record=True, color_system=None)
        console.print(body.content)
        lines = [line.rstrip() for line in console.export_text().splitlines()]
        start = lines.index("Touches") + 1
        entry = lines[start : start + 6]
        assert entry[0].startswith("2026-11-23  Katarzyna Zhang-Lin")
        rest = [line for line in entry[1:] if line]
        assert len(rest) >= 2 and all(line.startswith(" " * 12) for line in rest)
        assert any("override by Olivia" in line for line in rest)


async def test_each_status_reason_wraps_under_its_own_text(
    demo_store: Store, clock: FrozenClock
) -> None:
    """A reason is three or four lines in the panel; wrapped back to its edge, under the
    bullet, the reasons ran together."""
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await _select(pilot, "amara cohen")
        body = app.query_one("#contacts-detail-body", Static)
        console = Console(width=body.content_region.width, record=True, color_system=None)
        console.print(body.content)
        lines = [line.rstrip() for line in console.export_text().splitlines()]
        start = next(i for i, line in enumerate(lines) if line.startswith("Status: "))
        end = lines.index("", start)
        reason = lines[start + 1 : end]
        assert reason[0].startswith("• Cooldown: Grace Mbeki touched them on")
        assert len(reason) > 1 and all(line.startswith("  ") for line in reason[1:])


async def test_duplicates_show_each_address_whole(demo_store: Store, clock: FrozenClock) -> None:
    """The address is what tells two same-named records apart, and the list cut it at 40
    characters with the dialog half empty ('hiroshi.ivanova136@bluebird-media-ab.ex…' on
    the large dataset): each is shown whole, and the merge question names both whole."""
    long_one = "hiroshi.ivanova16684@bluebird-media-ab.example"
    with demo_store.write():
        for email in ("hiroshi.ivanova136@bluebird-media-ab.example", long_one):
            demo_store.contacts.insert(
                demo_store.contacts.validate(
                    {"name": "Hiroshi Ivanova", "email": email, "company": "Bluebird Media AB"}
                )
            )
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(f"<{long_one}>" in text for text in shown), shown
        index = next(i for i, text in enumerate(shown) if long_one in text)
        options.highlighted = index
        await pilot.press("m")
        await pilot.pause()
        question = app.screen.query_one(".dialog-title", Static)
        assert long_one in str(question.content)
