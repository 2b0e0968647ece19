"""Pilot tests of the inbox: keyboard triage, bulk actions, merge, undo, views, capture."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.formatting import local_datetime
from opsdesk.models import Feedback, Person
from opsdesk.services import feedback as inbox
from opsdesk.services.desk import Desk
from opsdesk.store import Store
from opsdesk.store.base import _UNBUILT
from opsdesk.store.feedback import FeedbackFilter
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.panes.feedback import FeedbackPane
from opsdesk.tui.screens.dialogs import FormScreen
from opsdesk.tui.widgets.window_list import COUNT_CAP, WindowList
from opsdesk.vocabulary import FeedbackKind, FeedbackStatus

HOSTILE = "[bold]x[/bold] [@click=app.quit]q[/] [link=http://e.vil]l[/link] \x1b]0;pwn\x07 \u202e"


def _config() -> Config:
    config = Config()
    config.general.user = "ops"
    return config


def _seed(store: Store, count: int) -> list[int]:
    base = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    return store.feedback.insert_many(
        [
            Feedback(
                title=f"Request {i:02d}",
                received_at=base + dt.timedelta(minutes=i),
                customer_email=f"c{i}@acme.example",
            )
            for i in range(count)
        ]
    )


def _app(store: Store, clock: FrozenClock) -> OpsdeskApp:
    return build_app(store, _config(), clock=clock, pane="feedback")


def _pane(app: OpsdeskApp) -> FeedbackPane:
    return app.query_one(FeedbackPane)


def _text(widget: Static) -> str:
    console = Console(width=300, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


# How the status line of ``_inbox_over_the_cap``'s whole view begins.
WHOLE_COUNT = f"{COUNT_CAP + 30:,} feedback items · "


@asynccontextmanager
async def _inbox_over_the_cap(
    store: Store, clock: FrozenClock
) -> AsyncIterator[tuple[OpsdeskApp, Pilot[None]]]:
    """An inbox of 30 items more than the list counts itself (COUNT_CAP), open and settled:
    the count tests need a view whose exact number only the sidebar knows."""
    _seed(store, COUNT_CAP + 30)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        yield app, pilot


def _status(app: OpsdeskApp) -> str:
    """The inbox's status line as shown, where the view's count is said."""
    return _text(_pane(app).query_one(".pane-status", Static))


async def _status_after(pilot: Pilot[None], app: OpsdeskApp, *keys: str) -> str:
    """Press ``keys``, let the list settle and read the status line: the count tests step
    through views, searches and sorts this way."""
    await pilot.press(*keys)
    await pilot.pause()
    return _status(app)


async def _form_after(pilot: Pilot[None], app: OpsdeskApp, key: str) -> FormScreen:
    """Press ``key`` (f: the filters, a: capture) and return the form it opens: every form
    test here starts this way."""
    await pilot.press(key)
    await pilot.pause()
    form = app.screen
    assert isinstance(form, FormScreen)
    return form


async def test_twenty_items_triaged_by_keys_alone(store: Store, clock: FrozenClock) -> None:
    ids = _seed(store, 20)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.query_one("#feedback-list", WindowList)
        assert feed.row_count == 20
        await pilot.press("ctrl+t")
        for i in range(20):
            # kind, priority and status for the item under the cursor; the status decision
            # moves on to the next untriaged item.
            await pilot.press("b" if i % 2 else "r", "exclamation_mark" if i < 5 else "at", "t")
        await pilot.pause()
        assert feed.row_count == 0
        assert _pane(app).view_label == "Untriaged"
    items = [store.feedback.get(i) for i in ids]
    assert all(item.status == FeedbackStatus.TRIAGED for item in items)
    assert sum(item.priority == 1 for item in items) == 5
    assert {item.kind for item in items} == {FeedbackKind.BUG, FeedbackKind.REQUEST}
    assert all(item.acknowledged_at is None for item in items)  # triaging is not acknowledging


async def test_triage_keys_build_only_the_records_they_show(
    store: Store, clock: FrozenClock
) -> None:
    """Marking, triaging and finding the row again after a write read ids and statuses from
    the list's light lines; only the row whose detail is shown becomes a validated record."""
    _seed(store, 300)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j", "space", "j", "space", "k", "t")
        await pilot.pause()
        feed = app.query_one("#feedback-list", WindowList)
        rows = [row for page in list(feed._pages._pages.values()) for row in page]
        built = [row for row in rows if row._record is not _UNBUILT]
        assert len(rows) >= 50
        assert len(built) <= 2, f"{len(built)} of {len(rows)} rows made into records"


async def test_a_count_of_one_is_said_in_the_singular(store: Store, clock: FrozenClock) -> None:
    _seed(store, 3)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = _pane(app)
        status = pane.query_one(".pane-status", Static)
        assert _text(status).startswith("3 feedback items · ")
        pane.set_search("Request 01")
        await pilot.pause()
        assert _text(status).startswith("1 feedback item · ")


async def test_a_whole_view_shows_the_count_its_sidebar_made(
    store: Store, clock: FrozenClock
) -> None:
    """The list counts at most 1,000 rows itself (fast on any size); the sidebar counts
    every view exactly anyway, and a whole view takes that number."""
    async with _inbox_over_the_cap(store, clock) as (app, pilot):
        assert _status(app).startswith(WHOLE_COUNT)
        feed = app.query_one("#feedback-list", WindowList)
        assert feed.count_is_exact
        mine = await _status_after(pilot, app, "right_square_bracket")  # the next view, Mine
        assert mine.startswith("0 feedback items · ")  # nobody's items
        assert (await _status_after(pilot, app, "left_square_bracket")).startswith(WHOLE_COUNT)


async def test_going_to_the_end_of_a_long_search_shows_the_exact_count(
    store: Store, clock: FrozenClock
) -> None:
    async with _inbox_over_the_cap(store, clock) as (app, pilot):
        _pane(app).set_search("request")  # a search is not one of the sidebar's counts
        await pilot.pause()
        assert _status(app).startswith(f"{COUNT_CAP:,}+ feedback items")
        app.query_one("#feedback-list", WindowList).adopt_count(5)  # below what is known
        await pilot.pause()
        assert _status(app).startswith(f"{COUNT_CAP:,}+ feedback items")
        at_the_end = await _status_after(pilot, app, "G")
        assert at_the_end.startswith(f"{COUNT_CAP + 30:,} feedback items")
        feed = app.query_one("#feedback-list", WindowList)
        assert feed.cursor == COUNT_CAP + 29 and feed.count_is_exact


async def test_clearing_a_search_or_sorting_a_whole_view_keeps_its_exact_count(
    store: Store, clock: FrozenClock
) -> None:
    """Esc after a search, or a new sort, shows the whole view again: its status line says the
    sidebar's number, as on opening the view, not "1,000+" until someone scrolls to the end."""
    async with _inbox_over_the_cap(store, clock) as (app, pilot):
        searched = await _status_after(pilot, app, "slash", "r", "e", "q")
        assert searched.startswith(f"{COUNT_CAP:,}+ feedback items")
        assert (await _status_after(pilot, app, "escape")).startswith(WHOLE_COUNT)
        assert (await _status_after(pilot, app, "s")).startswith(WHOLE_COUNT)


async def test_clearing_the_filters_shows_the_whole_views_exact_count(
    store: Store, clock: FrozenClock
) -> None:
    """Filters cleared in the form (back to the whole view) bring back the sidebar's number,
    as Esc after a search does; it said "1,000+" until someone scrolled to the end."""
    from textual.widgets import Select

    async with _inbox_over_the_cap(store, clock) as (app, pilot):
        for kind in ("request", Select.NULL):
            form = await _form_after(pilot, app, "f")
            form.query_one("#field-kind", Select).value = kind
            await pilot.press("ctrl+s")
            await pilot.pause()
            if kind == "request":
                assert _status(app).startswith(f"{COUNT_CAP:,}+ feedback items")
        assert _pane(app).filters.kind is None
        assert _status(app).startswith(WHOLE_COUNT)


async def test_the_end_key_reads_the_last_page_from_the_end(
    store: Store, clock: FrozenClock
) -> None:
    """End reads the last rows backwards from the end of the order, as Home reads the first:
    not by walking and skipping every row before them (100-300 ms on 100,000 items)."""
    _seed(store, 260)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        feed = app.query_one("#feedback-list", WindowList)
        newest_first = [
            row[0]
            for row in store.conn.execute(
                "SELECT id FROM feedback WHERE duplicate_of IS NULL AND status = 'new' "
                "ORDER BY received_at DESC, id DESC"
            )
        ]
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        try:
            await pilot.press("G")
            await pilot.pause()
        finally:
            store.conn.set_trace_callback(None)
        assert feed.cursor == len(newest_first) - 1
        assert feed.current_row is not None and feed.current_row.line.id == newest_first[-1]
        windows = [sql for sql in statements if "AS _k0" in sql]  # the list's pages
        assert windows and all("ORDER BY received_at, id LIMIT" in sql for sql in windows)


async def test_marked_rows_are_triaged_together_and_undone_together(
    store: Store, clock: FrozenClock
) -> None:
    ids = _seed(store, 6)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "space", "space")  # marks three rows, moving down
        assert len(_pane(app).marked) == 3
        await pilot.press("d")
        await pilot.pause()
        done = [i for i in ids if store.feedback.get(i).status == FeedbackStatus.DONE]
        assert len(done) == 3
        assert all(store.feedback.get(i).decided_by == "ops" for i in done)
        assert not _pane(app).marked
        await pilot.press("u")
        await pilot.pause()
        assert all(store.feedback.get(i).status == FeedbackStatus.NEW for i in ids)
        assert app.query_one("#feedback-list", WindowList).row_count == 6


async def test_merge_and_unmerge_from_the_keyboard(store: Store, clock: FrozenClock) -> None:
    ids = _seed(store, 4)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.query_one("#feedback-list", WindowList)
        survivor = feed.current_row.record.id  # type: ignore[union-attr]
        await pilot.press("down", "space", "space", "up", "up", "up")
        assert feed.current_row.record.id == survivor  # type: ignore[union-attr]
        await pilot.press("m")
        await pilot.pause()
        merged = [i for i in ids if store.feedback.get(i).duplicate_of == survivor]
        assert len(merged) == 2
        assert store.feedback.derived(survivor)["demand"] == 3
        assert feed.row_count == 2
        detail = _text(app.query_one("#feedback-detail-body", Static))
        assert "Merged duplicates (2)" in detail
        # Unmerge one from the All view, where duplicates are hidden: use the service's undo.
        await pilot.press("u")
        await pilot.pause()
        assert all(store.feedback.get(i).duplicate_of is None for i in ids)
        assert feed.row_count == 4
    # And a single unmerge through the key, with the duplicate shown via the filter.
    desk = Desk(store, _config(), clock)
    inbox.merge(desk, [ids[1]], ids[0])
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = _pane(app)
        pane.filters = pane.filters.__class__(view="all", include_duplicates=True)
        pane.refresh_list(reset=True)
        feed = app.query_one("#feedback-list", WindowList)
        index = next(
            i
            for i in range(feed.row_count)
            if feed.row_at(i).record.id == ids[1]  # type: ignore[union-attr]
        )
        feed.move_to(index)
        await pilot.press("U")
        await pilot.pause()
        assert store.feedback.get(ids[1]).duplicate_of is None


async def test_a_company_typed_in_any_case_filters_by_its_stored_name(
    store: Store, clock: FrozenClock
) -> None:
    """Names are typed from memory: 'acme' filters by 'Acme Corp' when that is the only
    company holding it, and a name no item has is refused at its field with the names
    meant, instead of an empty inbox."""
    ids = _seed(store, 6)
    for record_id, company in zip(
        ids, ["Acme Corp", "Acme Corp", "Globex", "Acme Labs"], strict=False
    ):
        store.feedback.update(record_id, company=company)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.query_one("#feedback-list", WindowList)
        form = await _form_after(pilot, app, "f")
        form.query_one("#field-company", Input).value = "acme"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # two companies hold "acme": which one?
        error = _text(form.query_one("#error-company", Static))
        assert "did you mean 'Acme Corp' or 'Acme Labs'?" in error
        form.query_one("#field-company", Input).value = "  ACME corp "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert _pane(app).filters.company == "Acme Corp"
        assert feed.row_count == 2


async def test_a_tag_typed_into_the_filter_is_checked_like_a_name(
    store: Store, clock: FrozenClock
) -> None:
    """A tag nobody uses filtered the inbox down to nothing, as if no item had that theme,
    and 'Customer Success' never matched the stored 'customer-success'."""
    ids = _seed(store, 4)
    store.feedback.update(ids[0], tags=["sso", "customer-success"])
    store.feedback.update(ids[1], tags=["sso-login"])
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.query_one("#feedback-list", WindowList)
        form = await _form_after(pilot, app, "f")
        form.query_one("#field-tag", Input).value = "ssoo"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "no item has a tag like it" in _text(form.query_one("#error-tag", Static))
        form.query_one("#field-tag", Input).value = "login"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "did you mean 'sso-login'?" in _text(form.query_one("#error-tag", Static))
        form.query_one("#field-tag", Input).value = " Customer Success "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert _pane(app).filters.tag == "customer-success"
        assert feed.row_count == 1


async def test_a_saved_view_is_deleted_after_asking(store: Store, clock: FrozenClock) -> None:
    from opsdesk.store.feedback import FeedbackFilter
    from opsdesk.tui.screens.dialogs import ConfirmScreen

    ids = _seed(store, 3)
    store.feedback.update(ids[0], kind="bug")
    store.feedback.save_view("Bugs", FeedbackFilter(view="all", kind="bug"), "received")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("D")  # Untriaged is not a saved view: nothing to delete
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        pane = _pane(app)
        [saved] = store.feedback.saved_views()
        pane.show_view(f"saved:{saved.id}")
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # declined: still there
        await pilot.pause()
        assert [view.name for view in store.feedback.saved_views()] == ["Bugs"]
        await pilot.press("D", "y")
        await pilot.pause()
        assert store.feedback.saved_views() == []
        assert pane.view_label == "Untriaged"
        sidebar = app.query_one("#feedback-views", OptionList)
        labels = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
        assert not any("Bugs" in label for label in labels)


async def test_save_and_reopen_a_view(store: Store, clock: FrozenClock) -> None:
    ids = _seed(store, 5)
    store.feedback.update(ids[0], kind="bug")
    store.feedback.update(ids[1], kind="bug")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form_after(pilot, app, "f")
        form.query_one("#field-kind").value = "bug"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        feed = app.query_one("#feedback-list", WindowList)
        assert feed.row_count == 2
        await pilot.press("V")
        await pilot.pause()
        await pilot.press(*"Bugs", "enter")
        await pilot.pause()
        [saved] = store.feedback.saved_views()
        assert saved.name == "Bugs" and saved.filters.kind == "bug"
        await pilot.press("left_square_bracket")  # back to another view
        await pilot.pause()
        assert feed.row_count != 2 or _pane(app).view_label != "Bugs"
        sidebar = app.query_one("#feedback-views", OptionList)
        ids_in_sidebar = [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]
        pane = _pane(app)
        pane.show_view(f"saved:{saved.id}")
        await pilot.pause()
        assert pane.view_label == "Bugs" and feed.row_count == 2
        assert f"saved:{saved.id}" in ids_in_sidebar
        assert "view: Bugs" in _text(app.query_one("#feedback-status", Static))


async def test_saving_over_a_view_asks_first(store: Store, clock: FrozenClock) -> None:
    """V with a saved view's name replaced that view's filters without a word."""
    from opsdesk.store.feedback import FeedbackFilter
    from opsdesk.tui.screens.dialogs import ConfirmScreen

    _seed(store, 2)
    store.feedback.save_view("Bugs", FeedbackFilter(kind="bug"), "priority")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        for answer in ("n", "y"):
            await pilot.press("V")
            await pilot.pause()
            await pilot.press(*"Bugs ", "enter")  # the name as stored, however it was typed
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press(answer)
            await pilot.pause()
            [saved] = store.feedback.saved_views()
            if answer == "n":
                assert saved.filters.kind == "bug" and saved.sort == "priority"
                assert _pane(app).view_label != "Bugs"
        assert _pane(app).view_label == "Bugs"
    assert saved.filters == FeedbackFilter(view="untriaged") and saved.sort == "received"


async def test_capture_form_suggests_duplicates_and_saves(store: Store, clock: FrozenClock) -> None:
    store.feedback.insert(
        Feedback(title="Export to CSV fails for big reports", received_at=clock.now())
    )
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form_after(pilot, app, "a")
        await pilot.press(*"CSV export failing")
        await pilot.pause()
        assert "Export to CSV fails for big reports" in _text(form.query_one("#form-aside", Static))
        form.query_one("#field-received", Input).value = "yesterday"
        form.query_one("#field-customer_email", Input).value = "not-an-email"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not an email address" in _text(form.query_one("#error-customer_email", Static))
        assert store.feedback.count() == 1
        form.query_one("#field-customer_email", Input).value = "ana@acme.example"
        form.query_one("#field-tags", Input).value = "export, csv"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        row = app.query_one(FeedbackPane).list.current_row
        assert row is not None and row.record.title == "CSV export failing", "cursor on it"
    assert store.feedback.count() == 2
    both = (store.feedback.get(1), store.feedback.get(2))
    [item] = [i for i in both if i.title.startswith("CSV")]
    assert item.tags == ["csv", "export"]
    assert item.received_at.date() == dt.date(2026, 11, 25)
    assert store.feedback.derived(int(item.id or 0))["ack_due_at"] is not None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_capture_form_keeps_duplicates_and_buttons_on_screen(
    store: Store, clock: FrozenClock, size: tuple[int, int]
) -> None:
    """The fields took their own 26 lines: at 80x24 the likely duplicates and the buttons
    were below the dialog's edge, and at 120x40 the duplicates pushed the buttons out."""
    for n in range(5):
        store.feedback.insert(
            Feedback(title=f"Charts unreadable in dark mode {n}", received_at=clock.now())
        )
    app = _app(store, clock)
    async with app.run_test(size=size) as pilot:
        form = await _form_after(pilot, app, "a")
        await pilot.press(*"Charts unreadable in dark")
        await pilot.pause()
        await pilot.pause()
        dialog = form.query_one(".form-dialog").region
        inside = dialog.shrink((1, 1, 1, 1))  # within its border
        aside = form.query_one("#form-aside", Static)
        assert "Charts unreadable" in _text(aside)
        for widget in (aside, form.query_one("#form-submit"), form.query_one("#form-cancel")):
            region = widget.region
            assert region.height and inside.contains_region(region), (widget, region, dialog)


async def test_capture_form_refuses_a_received_date_after_today(
    store: Store, clock: FrozenClock
) -> None:
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form_after(pilot, app, "a")
        await pilot.press(*"Slow export")
        form.query_one("#field-received", Input).value = "+3d"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "the form stays open"
        error = _text(form.query_one("#error-received", Static))
        assert "is in the future" in error, error
    assert store.feedback.count() == 0


async def test_a_triage_key_that_changes_nothing_says_so(store: Store, clock: FrozenClock) -> None:
    """A second A read 'Acknowledged 0 items', as if the key had failed."""
    ids = _seed(store, 2)
    app = _app(store, clock)
    notes: list[str] = []  # every notification, however soon it times out
    shown = app.notify

    def notify(message: str, **options: Any) -> None:
        notes.append(message)
        shown(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("exclamation_mark", "exclamation_mark")
        await pilot.pause()
        await pilot.press("g", "space", "space", "dollar_sign")  # both marked: P1 and P3 to P4
        await pilot.pause()
        await pilot.press("g", "space", "space", "dollar_sign")
        await pilot.pause()
    newest = ids[-1]
    assert notes == [
        "Acknowledged: 1 item",
        f"#{newest} was already acknowledged: nothing changed",
        "P1: 1 item",
        f"#{newest} was already P1: nothing changed",
        "P4: 2 items",
        "All 2 were already P4: nothing changed",
    ], notes


async def test_owner_and_tags_by_key(store: Store, clock: FrozenClock) -> None:
    ids = _seed(store, 2)
    store.people.insert(Person(name="Priya Raman"))
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"priya", "enter")
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        await pilot.press(*"sso billing", "enter")
        await pilot.pause()
    item = store.feedback.get(ids[-1])  # newest first: the cursor's item
    assert item.owner == "Priya Raman"
    assert item.tags == ["billing", "sso"]


def _list_lines(app: OpsdeskApp) -> list[str]:
    """The inbox list's header and first row, as drawn."""
    listing = _pane(app).list
    return ["".join(segment.text for segment in listing.render_line(y)) for y in (0, 1)]


@pytest.mark.parametrize(
    ("size", "owner", "headers"),
    [
        ((120, 40), "PR", ["Recvd", "P", "Status", "SLA", "Title", "Own"]),
        ((80, 24), "PR", ["Recvd", "P", "Kind", "Status", "SLA", "Title", "Dem", "Own"]),
        (
            (200, 50),
            "Priya Raman",
            ["Recvd", "P", "Kind", "Status", "SLA", "Title", "Dem", "Company", "Owner"],
        ),
    ],
)
async def test_an_owner_set_with_o_shows_in_the_list(
    store: Store, clock: FrozenClock, size: tuple[int, int], owner: str, headers: list[str]
) -> None:
    """At 120 columns the list had no room for the Owner column, so an owner just set with
    o showed nowhere but the detail. The owner is now initials where the name does not
    fit (received dates take six cells, not eight); 80 columns keeps its kind and demand
    and a wide terminal the whole name."""
    _seed(store, 2)
    store.feedback.insert_many(
        [Feedback(title="Old one", received_at=dt.datetime(2025, 11, 3, 9, tzinfo=dt.UTC))]
    )
    store.people.insert(Person(name="Priya Raman"))
    app = _app(store, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"priya", "enter")
        await pilot.pause()
        header, row = _list_lines(app)
        assert header.split() == headers, header
        assert row.rstrip().endswith(owner), row
        assert row.split()[:2] == ["20", "Nov"]
        await pilot.press("G")
        await pilot.pause()
        listing = _pane(app).list
        last = "".join(segment.text for segment in listing.render_line(listing.cursor + 1))
        assert "Nov'25" in last, last
        columns, widths = listing._layout(listing.size.width)
        assert dict(zip([c.title for c in columns], widths, strict=True))["Title"] >= 27


async def test_owner_launch_and_tags_say_what_the_item_holds_now(
    store: Store, clock: FrozenClock
) -> None:
    """The owner and launch pickers opened on their first line with nothing ticked, and the
    tags prompt did not show the item's tags: changing an owner, no one could see who owned
    it. Each now shows the value in force (ticked, the cursor on it); marked items with
    different owners tick none."""
    from opsdesk.models import Launch
    from opsdesk.tui.screens.dialogs import CURRENT_MARK, PickerScreen, PromptScreen

    ids = _seed(store, 2)
    for name in ("Aisha Khan", "Priya Raman"):
        store.people.insert(Person(name=name))
    launch = store.launches.insert(
        Launch(title="EU data residency", launch_date=dt.date(2026, 12, 10))
    )
    store.feedback.update(
        ids[-1], owner="Priya Raman", tags=["billing", "sso"], launch_id=launch.id
    )
    store.feedback.update(ids[0], owner="Aisha Khan", tags=["sso"])

    def ticked(picker: PickerScreen) -> tuple[str, int | None]:
        options = picker.query_one(OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        return next((line for line in lines if line.startswith(CURRENT_MARK)), ""), (
            options.highlighted
        )

    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert ticked(app.screen) == (f"{CURRENT_MARK}Priya Raman", 2)
        await pilot.press("escape", "L")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert ticked(app.screen) == (f"{CURRENT_MARK}EU data residency", 1)
        await pilot.press("escape", "T")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        title = _text(app.screen.query_one(".dialog-title", Static))
        assert f"Tags on #{ids[-1]}" in title and "Now: billing, sso" in title
        await pilot.press("escape", "space", "space", "T")  # both marked
        await pilot.pause()
        title = _text(app.screen.query_one(".dialog-title", Static))
        assert "Tags on 2 items" in title and "Now: billing (1 of 2), sso (2 of 2)" in title
        await pilot.press("escape", "o")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert ticked(app.screen) == ("", 0)  # two owners: none ticked


async def test_an_empty_list_names_what_hides_everything_and_f_clears_it(
    store: Store, clock: FrozenClock
) -> None:
    """A company filter and a search that matched nothing in Untriaged said only 'No
    feedback items here.': nothing named the filters or how to clear them. The list's line
    names the key, the detail each filter; F (feedback.clear_filters) clears them all and
    the search, back to the whole view."""
    from opsdesk.store.feedback import FeedbackFilter

    ids = _seed(store, 3)
    store.feedback.update(ids[0], company="Acme Corp", status="triaged")  # not Untriaged
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        feed = app.query_one("#feedback-list", WindowList)
        form = await _form_after(pilot, app, "f")
        form.query_one("#field-company", Input).value = "acme corp"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert feed.row_count == 0
        assert feed.empty_text == "No items match the filters: F clears them"
        await pilot.press("slash", *"request", "enter")
        await pilot.pause()
        assert feed.empty_text == "No items match the filters and search: F clears them"
        detail = " ".join(_text(app.query_one("#feedback-detail-body", Static)).split())
        assert "No items in Untriaged match company 'Acme Corp' and the search 'request'." in detail
        assert "f changes the filters" in detail and "F clears filters and search" in detail
        assert "esc clears the search only" in detail
        await pilot.press("F")
        await pilot.pause()
        assert _pane(app).filters == FeedbackFilter(view="untriaged")
        assert _pane(app).search_text == "" and feed.row_count == 2
        assert _pane(app).query_one(".pane-search", Input).value == ""
        await pilot.press("slash", *"zzqq", "enter")  # a search alone: esc clears it
        await pilot.pause()
        assert feed.empty_text == "No items match the search: esc clears them"
        await pilot.press("F")
        await pilot.pause()
        assert feed.row_count == 2
        await pilot.press("F")  # nothing left to clear: it says so
        await pilot.pause()
        assert any("No filters or search to clear" in n.message for n in app._notifications)


async def test_history_reads_as_words(store: Store, clock: FrozenClock) -> None:
    """The detail's history showed what the table stores: a blank old value read
    'owner:  → Priya Raman', tags their JSON ('["billing", "sso"]'), a launch its id. Each
    line now reads as words (inbox.change_words)."""
    from opsdesk.models import Launch

    [record_id] = _seed(store, 1)
    store.people.insert(Person(name="Priya Raman"))
    store.launches.insert(Launch(title="EU data residency", launch_date=dt.date(2026, 12, 10)))
    store.feedback.update(record_id, tags=["sso", "billing"])
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"priya", "enter")
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        await pilot.press(*"export", "enter")
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        await pilot.press(*"residency", "enter")
        await pilot.pause()
        await pilot.press("exclamation_mark", "A")
        await pilot.pause()
        lines = _text(app.query_one("#feedback-detail-body", Static)).splitlines()
    history = [" ".join(line.split()) for line in lines[lines.index("History") + 1 :]]
    stamp = local_datetime(clock.now(), Desk(store, _config(), clock).tz)
    assert history[:7] == [
        f"{stamp} tester acknowledged by ops",
        f"{stamp} tester acknowledged {stamp}",
        f"{stamp} tester priority: P3 → P1",
        f"{stamp} tester launch set to EU data residency",
        f"{stamp} tester tags: billing, sso → billing, export, sso",
        f"{stamp} tester owner set to Priya Raman",
        f"{stamp} tester tags set to billing, sso",
    ], history


async def test_close_the_loop_by_key(store: Store, clock: FrozenClock) -> None:
    [record_id] = _seed(store, 1)
    store.feedback.update(record_id, status="planned")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await pilot.press("right_square_bracket")  # Untriaged → … → Needs loop closed
        await pilot.pause()
        assert _pane(app).view_label == "Needs loop closed"
        assert app.query_one("#feedback-list", WindowList).row_count == 1
        await pilot.press("C")
        await pilot.pause()
        assert app.query_one("#feedback-list", WindowList).row_count == 0
    assert store.feedback.get(record_id).loop_closed_at == clock.now()
    contact = store.contacts.by_email("c0@acme.example")
    assert contact is not None and len(store.touches.for_contact(int(contact.id or 0))) == 1


async def test_sla_deadlines_name_the_day_they_end(store: Store, clock: FrozenClock) -> None:
    """A deadline is the midnight that ends a working day. Shown as "2026-12-01 00:00" it
    read as a day later than meant (a manager would plan to answer on the 1st); the detail
    says the day itself, "by end of Mon 30 Nov 2026", on a line of its own so that neither
    it nor the badge is wrapped apart."""
    item = store.feedback.insert(Feedback(title="Late invoices", received_at=clock.now()))
    app = _app(store, clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        due = inbox.deadlines_for(_pane(app).desk, item)
        tz = _pane(app).desk.tz
        detail = _text(app.query_one("#feedback-detail-body", Static))
        for label, instant in (("Acknowledge", due.acknowledge_by), ("Decide", due.decide_by)):
            local = instant.astimezone(tz)
            assert local.time() == dt.time(0)  # the midnight after the last working day
            last_day = local.date() - dt.timedelta(days=1)
            assert f"{label}: on track\n  by end of {last_day:%a %d %b %Y}\n" in detail
        assert "00:00" not in detail


@pytest.mark.parametrize("where", ["list", "detail", "body"])
async def test_hostile_text_shows_literally(store: Store, clock: FrozenClock, where: str) -> None:
    store.feedback.insert(
        Feedback(title=HOSTILE, body=HOSTILE * 3, company=HOSTILE, received_at=clock.now())
    )
    app = _app(store, clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        if where == "list":
            feed = app.query_one("#feedback-list", WindowList)
            line = "".join(s.text for s in feed.render_line(1))
            assert "[bold]x[/bold]" in line
            shown = line
        elif where == "detail":
            shown = _text(app.query_one("#feedback-detail-body", Static))
            assert "[@click=app.quit]q[/] [link=http://e.vil]l[/link]" in shown
        else:
            await pilot.press("enter")
            await pilot.pause()
            shown = app.screen.query_one("#feedback-body").text  # type: ignore[attr-defined]
            assert "[@click=app.quit]q[/]" in shown
        assert app.is_running
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
        assert "␛" in shown or where == "list"


async def test_megabyte_body_opens_in_the_body_view(store: Store, clock: FrozenClock) -> None:
    body = ("All work and no play. " * 50 + "\n") * 1000  # ~1.1 MB
    store.feedback.insert(Feedback(title="Long", body=body, received_at=clock.now()))
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the detail follows the first rows
        detail = _text(app.query_one("#feedback-detail-body", Static))
        assert "more characters (Enter shows all)" in detail
        await pilot.press("enter")
        await pilot.pause()
        area = app.screen.query_one("#feedback-body")
        assert len(area.text) == len(body)  # type: ignore[attr-defined]
        await pilot.press("end", "escape")
        await pilot.pause()
        assert isinstance(app.query_one(FeedbackPane), FeedbackPane)


async def test_a_theme_chosen_lists_its_counted_items_and_drops_the_marks(
    store: Store, clock: FrozenClock
) -> None:
    """The themes view counted the theme: the list says that number, not "1,000+"; and
    marks made in the list before would act on rows no longer shown, so they go."""
    from textual.widgets import ListView

    from opsdesk.tui.screens.feedback_themes import ThemesScreen

    base = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    store.feedback.insert_many(
        [Feedback(title=f"Export {i}", received_at=base, tags=["export"]) for i in range(1030)]
    )
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert _pane(app).marked
        await pilot.press("e")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, ThemesScreen) and app.screen.query(ListView):
                break
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ThemesScreen)
        assert not _pane(app).marked
        status = _pane(app).query_one(".pane-status", Static)
        assert _text(status).startswith("1,030 feedback items")


async def _open_theme(pilot: Pilot[None], app: OpsdeskApp, *moves: str) -> None:
    """Open the themes view, move with ``moves`` and press Enter on the theme there."""
    from textual.widgets import ListView

    from opsdesk.tui.screens.feedback_themes import ThemesScreen

    await pilot.press("e")
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(app.screen, ThemesScreen) and app.screen.query(ListView):
            break
    await pilot.press(*moves, "enter")
    await pilot.pause()
    assert not isinstance(app.screen, ThemesScreen)


@pytest.mark.parametrize("on_file", [False, True])
async def test_a_theme_keeps_its_exact_count_after_a_sort_a_search_and_a_write(
    tmp_path: Path, clock: FrozenClock, on_file: bool
) -> None:
    """A theme is a whole view: after s re-sorts it or Esc clears a search it said
    "1,000+" although the themes view had counted it. A write recounts it (on a file, in
    the sidebar's worker), so a tag taken off one item leaves it one fewer."""
    base = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    with Store(tmp_path / "x.db" if on_file else ":memory:", clock=clock) as store:
        store.feedback.insert_many(
            [
                Feedback(title=f"Export {i}", received_at=base, tags=["export"])
                for i in range(COUNT_CAP + 30)
            ]
        )
        app = _app(store, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await _open_theme(pilot, app)
            whole = f"{COUNT_CAP + 30:,} feedback items · "
            assert _status(app).startswith(whole)
            assert (await _status_after(pilot, app, "s")).startswith(whole)
            searched = await _status_after(pilot, app, "slash", "e", "x", "p")
            assert searched.startswith(f"{COUNT_CAP:,}+ feedback items")
            assert (await _status_after(pilot, app, "escape")).startswith(whole)
            await pilot.press("T", *"-export", "enter")
            for _ in range(100):
                await pilot.pause(0.05)
                if _status(app).startswith(f"{COUNT_CAP + 29:,} feedback items · "):
                    break
            assert _status(app).startswith(f"{COUNT_CAP + 29:,} feedback items · ")
            assert (await _status_after(pilot, app, "s")).startswith(
                f"{COUNT_CAP + 29:,} feedback items · "
            )


async def test_brackets_from_a_theme_go_on_from_the_view_it_was_opened_from(
    store: Store, clock: FrozenClock
) -> None:
    """A theme is a detour from a view: ] goes on to the view after that one and [ back to
    it. Both went by Untriaged's place, so ] from a theme opened in All showed Mine."""
    base = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    store.feedback.insert_many(
        [Feedback(title=f"Export {i}", received_at=base, tags=["export", "csv"]) for i in range(3)]
    )
    store.feedback.save_view("Exports", FeedbackFilter(view="all", tag="export"), "received")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = _pane(app)
        sidebar = pane.query_one("#feedback-views", OptionList)

        async def label_after(*keys: str) -> str:
            await pilot.press(*keys)
            await pilot.pause()
            return pane.view_label

        assert await label_after("left_square_bracket", "left_square_bracket") == "All"
        await _open_theme(pilot, app)
        assert pane.view_label.startswith("theme ")
        assert sidebar.highlighted == 5  # All, where the theme was opened
        assert await label_after("right_square_bracket") == "Exports"  # the view after All
        assert await label_after("left_square_bracket") == "All"
        await _open_theme(pilot, app)
        assert await label_after("left_square_bracket") == "All"  # back where it came from
        assert await label_after("left_square_bracket") == "Needs loop closed"
        await _open_theme(pilot, app)
        await _open_theme(pilot, app, "j")  # a theme opened from a theme
        assert pane.view_label.startswith("theme ")
        assert await label_after("right_square_bracket") == "All"


async def test_themes_on_a_file_are_counted_in_a_worker_without_merged_duplicates(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 100,000 items the themes took about a second with nothing on screen; a file
    database now opens the view at once and counts in a thread. A merged duplicate (whose
    tags its survivor took) counts once, as the inbox filtered by the tag lists it."""
    import threading

    from textual.widgets import ListView

    from opsdesk.tui.screens.feedback_themes import ThemeItem, ThemesScreen

    with Store(tmp_path / "x.db", clock=clock) as store:
        desk = Desk(store, Config(), clock)
        a = int(inbox.capture(desk, title="Export fails", tags=["export"]).id or 0)
        b = int(inbox.capture(desk, title="Export failing", tags=["export"]).id or 0)
        inbox.merge(desk, [b], a)
        threads: list[bool] = []
        counting = inbox.themes

        def themes(*args: object, **kwargs: object) -> object:
            threads.append(threading.current_thread() is threading.main_thread())
            return counting(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(inbox, "themes", themes)
        app = _app(store, clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("e")
            for _ in range(100):
                await pilot.pause(0.05)
                if isinstance(app.screen, ThemesScreen) and app.screen.query(ListView):
                    break
            assert isinstance(app.screen, ThemesScreen)
            [row] = app.screen.query(ThemeItem)
            assert (row.theme.tag, row.theme.items) == ("export", 1)
        assert threads == [False], "counted off the app's thread"


async def test_the_filter_forms_empty_choices_say_any(store: Store, clock: FrozenClock) -> None:
    """An empty choice in the filter form means 'any': it says so, not Textual's 'Select',
    which reads as a value still to be picked."""
    from textual.widgets import Select

    _seed(store, 2)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form_after(pilot, app, "f")
        for name in ("status", "kind", "source"):
            select = form.query_one(f"#field-{name}", Select)
            assert select.is_blank()
            shown = select.query_one("SelectCurrent #label", Static).render()
            assert str(shown) == f"any {name}"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_titles_get_a_fair_share_of_the_list(
    store: Store, clock: FrozenClock, size: tuple[int, int]
) -> None:
    """The title is what a triager reads: at 120 columns the wide detail panel left it about
    20 cells, fewer than an 80-column terminal gives it. (27, not 29: the owner's initials
    take four of 120 columns' cells, the received date two less.)"""
    _seed(store, 5)
    app = _app(store, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        listing = _pane(app).list
        columns, widths = listing._layout(listing.size.width)
        title_width = dict(zip([c.title for c in columns], widths, strict=True))["Title"]
        assert title_width >= 27, (size, title_width)


async def test_a_themes_trend_reads_from_zero(store: Store, clock: FrozenClock) -> None:
    """A steady theme (19, then 20 a week) drew its 19 as an empty week and its 20s as full
    ones: the bars scaled from the quietest week. From zero, every week is a near-full bar
    and a week with nothing is the lowest."""
    from opsdesk.store.feedback import ThemeRow
    from opsdesk.tui.screens.feedback_themes import ThemesScreen

    steady = ThemeRow("steady", 239, 200, [19] + [20] * 11)
    gap = ThemeRow("gap", 20, 20, [0] * 11 + [20])
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(ThemesScreen([steady, gap]))
        await pilot.pause()
        bars = []
        for trend in app.screen.query(".theme-trend"):
            console = Console(width=trend.size.width, color_system=None, record=True)
            console.print(trend.render(), end="")
            bars.append(console.export_text().rstrip("\n"))
        steady_bars, gap_bars = bars
        assert len(steady_bars) > 12
        assert set(steady_bars) <= {"▇", "█"}, steady_bars
        assert set(gap_bars) == {"▁", "█"} and gap_bars.endswith("█"), gap_bars


async def test_an_empty_mine_says_whose_items_it_lists(store: Store, clock: FrozenClock) -> None:
    """With general.user left at 'me', Mine is always empty and said only that there was
    nothing to show: it names the user it looked for and the setting to change."""
    _seed(store, 3)
    app = build_app(store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        _pane(app).show_view("mine")
        await pilot.pause()
        detail = _text(app.query_one("#feedback-detail-body", Static))
        assert "No item's owner is 'me'" in detail
        assert "general.user" in detail
        _pane(app).show_view("needs_loop")  # other empty views say what they said
        await pilot.pause()
        detail = _text(app.query_one("#feedback-detail-body", Static))
        assert "No feedback items to show." in detail


async def test_unmerge_on_the_item_picks_which_duplicate_to_separate(
    store: Store, clock: FrozenClock
) -> None:
    """The lists hide merged duplicates, so after a merge the only row left to press U on
    was the item they went into, which said it 'is not merged into another item'. There U
    now offers its duplicates and separates the one picked."""
    from opsdesk.tui.screens.dialogs import PickerScreen

    ids = _seed(store, 4)
    desk = Desk(store, _config(), clock)
    survivor = ids[3]  # the newest: first in the list
    inbox.merge(desk, [ids[0], ids[1]], survivor)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert _pane(app).list.current_row.record.id == survivor  # type: ignore[union-attr]
        await pilot.press("U")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"01", "enter")  # "Request 01" is ids[1]
        await pilot.pause()
        assert store.feedback.get(ids[1]).duplicate_of is None
        assert store.feedback.get(ids[0]).duplicate_of == survivor
        await pilot.press("down")  # an item with no duplicates: nothing to pick, it says so
        await pilot.pause()
        await pilot.press("U")
        await pilot.pause()
        assert not isinstance(app.screen, PickerScreen)
        assert any("no merged duplicates" in n.message for n in app._notifications)


def test_every_week_of_a_trend_is_as_wide_as_the_others() -> None:
    """At 80 columns the trend had 18 cells for 12 weeks, and drew some weeks one cell wide
    and others two; a column narrower than the weeks keeps the latest."""
    from opsdesk.tui.screens.feedback_themes import stretched

    weekly = [0] * 11 + [7]
    assert stretched(weekly, 18) == "▁" * 11 + "█"
    assert stretched(weekly, 50) == "▁" * 44 + "████"
    assert stretched([1, 2, 3, 4, 5, 6, 7, 8], 3) == "▆▇█"
    assert stretched([], 10) == "" and stretched(weekly, 0) == ""


async def test_customers_in_the_detail_never_break_mid_address(
    store: Store, clock: FrozenClock
) -> None:
    """The detail joined its customers with commas, and the panel (about 30 cells wide)
    wrapped them wherever a line ended: 'olivia.patel@bluepeak-en' / 'ergy.example'. Each
    address now starts a line and breaks only before an '@' or a '.'."""
    addresses = [
        "jonathan.smithers-longname@enterprise-customer.example",
        "ana@acme.example",
        "olivia.patel@bluepeak-energy.example",
    ]
    base = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    ids = store.feedback.insert_many(
        [
            Feedback(title=f"Export fails {i}", received_at=base, customer_email=address)
            for i, address in enumerate(addresses)
        ]
    )
    inbox.merge(Desk(store, _config(), clock), ids[1:], ids[0])
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        body = app.query_one("#feedback-detail-body", Static)
        console = Console(width=body.content_region.width, record=True, color_system=None)
        console.print(body.content)
        lines = [line.strip() for line in console.export_text().splitlines()]
        start = next(i for i, line in enumerate(lines) if line.startswith("Customers:"))
        end = lines.index("", start)
        shown = lines[start:end]
        shown[0] = shown[0].removeprefix("Customers:").strip()
        # Joining each line that starts with an '@' or a '.' to the one before gives back
        # every address whole: no line broke anywhere else.
        joined = "".join(line if line[:1] in "@." else f" {line}" for line in shown).split()
        assert joined == sorted(addresses)
        # The merged duplicates' addresses too (after their titles they were cut anywhere).
        start = lines.index("Merged duplicates (2)")
        end = lines.index("", start + 1)
        shown = [line for line in lines[start + 1 : end] if not line.startswith("#")]
        joined = "".join(line if line[:1] in "@." else f" {line}" for line in shown).split()
        assert joined == sorted(addresses[1:])


async def test_when_an_item_was_acknowledged_is_not_wrapped_apart(
    store: Store, clock: FrozenClock
) -> None:
    """'  acknowledged 2026-11-26 15:00 by ops' is wider than the detail panel at 120
    columns: the time was wrapped onto the next line, unindented, under no label. Who and
    when now have a line each."""
    _seed(store, 1)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        body = app.query_one("#feedback-detail-body", Static)
        console = Console(width=body.content_region.width, record=True, color_system=None)
        console.print(body.content)
        lines = [line.rstrip() for line in console.export_text().splitlines()]
        at = lines.index("  acknowledged by ops")
        when = local_datetime(
            store.feedback.get(_pane(app).targets()[0]).acknowledged_at, _pane(app).desk.tz
        )
        assert lines[at + 1] == f"  on {when}"


async def test_an_item_with_many_duplicates_lists_a_few_and_counts_the_rest(
    store: Store, clock: FrozenClock
) -> None:
    """An item with 3,000 merged duplicates read every one (0.4 s) on each move of the
    cursor onto it and drew all their titles and customers. The detail lists the first
    few of each and says how many more there are."""
    base = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    ids = store.feedback.insert_many(
        [
            Feedback(
                title=f"Dark mode please {i:02d}",
                received_at=base + dt.timedelta(minutes=i),
                customer_email=f"c{i:02d}@acme.example",
                company=f"Company {i:02d}",
            )
            for i in range(31)
        ]
    )
    inbox.merge(Desk(store, _config(), clock), ids[1:], ids[0])
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        detail = _text(app.query_one("#feedback-detail-body", Static))
        assert "Merged duplicates (30)" in detail
        assert detail.count("Dark mode please") == 1 + 20  # the heading and 20 duplicates
        assert "… and 10 more duplicates" in detail
        assert detail.count("@acme.example") == 10 + 20  # 10 customers, 20 duplicates' ones
        assert "… and 21 more customers" in detail
        companies = " ".join(detail.split("Companies:")[1].split("Acknowledge:")[0].split())
        assert companies.endswith("Company 09, … and 21 more")


async def test_the_themes_list_moves_with_j_k_g_and_shift_g(
    store: Store, clock: FrozenClock
) -> None:
    """Every opsdesk list moves with j/k and g/G; the themes list knew only the arrows, so
    'j j enter' filtered the inbox by the top theme instead of the third."""
    from opsdesk.tui.screens.feedback_themes import ThemesScreen

    base = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    tags = {"api": 4, "billing": 3, "csv": 2, "dark-mode": 1}
    store.feedback.insert_many(
        [
            Feedback(title=f"{tag} {i}", received_at=base, tags=[tag])
            for tag, count in tags.items()
            for i in range(count)
        ]
    )
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ThemesScreen)
        await pilot.press("G", "k", "g", "j", "j", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ThemesScreen)
        assert _pane(app).filters.tag == "csv"


async def test_the_inbox_footer_shows_its_keys_whole_at_80_and_120_columns(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 80 columns the footer read 'a Add feedback  space Mark  t Status: tri', cut there:
    undo, triage mode and the next view (the views' sidebar is hidden that narrow) could not
    be found from it; at 120 it cut off '? Help'. Each width now shows its keys whole; add,
    sort and themes work the same and help lists them."""
    from footer_keys import shown_footer_keys

    app = build_app(demo_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(80, 24)) as pilot:
        assert await shown_footer_keys(pilot) == ["?", "/", "space", "t", "u", "]", "^t"]
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is not app.screen_stack[0], "a still adds feedback"
        await pilot.press("escape")
        await pilot.resize_terminal(120, 40)
        shown = await shown_footer_keys(pilot)
        assert shown == ["/", "s", "a", "space", "t", "u", "e", "^t", "^q", "?"]
