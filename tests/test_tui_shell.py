"""Pilot tests of the app shell: panes, keys, windowed lists, search, help, palette."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.console import Console
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static, TabbedContent

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Contact, Experiment, Feedback, Launch, ReadinessItem
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.widgets.window_list import PAGE_SIZE, WindowList

HOSTILE_TITLE = "[b]bold[/b] [@click=app.quit]x[/] \x1b[31mred\x07 $var"


def _seed(store: Store, feedback: int = 1_000) -> None:
    base = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    store.feedback.insert_many(
        [
            Feedback(
                title=f"Feedback number {i}" if i else HOSTILE_TITLE,
                body=f"Body of item {i}. " + ("Export to CSV fails." if i % 10 == 0 else ""),
                received_at=base + dt.timedelta(minutes=i),
                priority=1 + i % 4,
                company=f"Company {i % 7}",
            )
            for i in range(feedback)
        ]
    )
    launch = store.launches.insert(
        Launch(title="SSO for everyone", launch_date=dt.date(2026, 12, 8))
    )
    store.readiness.insert(
        ReadinessItem(
            launch_id=launch.id,
            function="legal",
            title="Legal review",
            due_date=dt.date(2026, 11, 20),
        )
    )
    store.contacts.insert(Contact(name="Ana Diaz", email="ana@acme.example", company="Acme"))
    store.experiments.insert(Experiment(title="One-click checkout", status="running"))


def _app(
    store: Store, clock: FrozenClock, pane: str = "launches", config: Config | None = None
) -> OpsdeskApp:
    return build_app(store, config or Config(), clock=clock, pane=pane)


def _plain(widget: Static) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


async def test_keys_switch_panes(store: Store, clock: FrozenClock) -> None:
    _seed(store, 20)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the app is ready: its tabs are set up
        tabs = app.query_one(TabbedContent)
        assert tabs.active == "launches"
        for key, pane in (
            ("2", "feedback"),
            ("3", "contacts"),
            ("4", "experiments"),
            ("1", "launches"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == pane
            assert app.focused is app.current_pane.list


async def test_list_is_a_window_not_a_table(store: Store, clock: FrozenClock) -> None:
    _seed(store, 1_000)
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.query_one("#feedback-list", WindowList)
        await pilot.pause()  # the count follows the first page by a frame
        assert feed.row_count == 1_000
        assert len(feed._pages) == 1  # only the first page was fetched
        await pilot.press("end")
        await pilot.pause()
        assert feed.cursor == 999
        assert set(feed._pages) <= {0, 999 // PAGE_SIZE}  # the last page, fetched by itself
        assert feed.current_row is not None
        assert feed.current_row.record.title == HOSTILE_TITLE  # oldest item, received first


async def test_the_first_detail_follows_the_rows_and_the_cursor(
    store: Store, clock: FrozenClock
) -> None:
    """The first rows are drawn before the detail beside them (which reads the whole record;
    see test_import_hygiene); a key pressed before that detail arrives is not overruled."""
    _seed(store, 30)
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.query_one("#feedback-list", WindowList)
        detail = app.query_one("#feedback-detail-body", Static)
        assert feed.row_count == 30
        await pilot.press("j", "j")
        await pilot.pause()
        await pilot.pause()
        assert feed.cursor == 2
        assert "Feedback number 27" in _plain(detail)


async def test_cursor_moves_and_detail_follows(store: Store, clock: FrozenClock) -> None:
    _seed(store, 300)
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.query_one("#feedback-list", WindowList)
        detail = app.query_one("#feedback-detail-body", Static)
        await pilot.pause()  # the detail follows the first rows
        assert "Feedback number 299" in _plain(detail)
        await pilot.press("j", "j", "down")
        assert feed.cursor == 3
        assert "Feedback number 296" in _plain(detail)
        await pilot.press("k")
        assert feed.cursor == 2
        await pilot.press("pagedown")
        assert feed.cursor > 2 + 20
        # Crossing a page boundary continues from the previous page's key (keyset).
        for _ in range(PAGE_SIZE // 10):
            await pilot.press("pagedown")
        assert feed.current_row is not None
        expected = 299 - feed.cursor
        assert feed.current_row.record.title == (
            f"Feedback number {expected}" if expected else HOSTILE_TITLE
        )


async def test_hostile_text_is_shown_literally(store: Store, clock: FrozenClock) -> None:
    _seed(store, 1)
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.is_running  # the [@click=app.quit] in the title did nothing
        shown = _plain(app.query_one("#feedback-detail-body", Static))
        assert "[b]bold[/b] [@click=app.quit]x[/]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "␛[31mred␇" in shown
        feed = app.query_one("#feedback-list", WindowList)
        line = "".join(segment.text for segment in feed.render_line(1))
        assert "[b]bold[/b]" in line and "\x1b" not in line


async def test_search_narrows_the_list_and_escape_clears(store: Store, clock: FrozenClock) -> None:
    _seed(store, 200)
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.query_one("#feedback-list", WindowList)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"csv")
        await pilot.pause()
        assert feed.row_count == 20
        assert all("CSV" in (feed.row_at(i).record.body) for i in range(feed.row_count))  # type: ignore[union-attr]
        await pilot.press("enter")
        assert app.focused is feed
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert feed.row_count == 200


async def test_sort_key_cycles_the_order(store: Store, clock: FrozenClock) -> None:
    _seed(store, 50)
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        feed = app.query_one("#feedback-list", WindowList)
        await pilot.press("s")
        await pilot.pause()
        priorities = [feed.row_at(i).record.priority for i in range(feed.row_count)]  # type: ignore[union-attr]
        assert priorities == sorted(priorities)


async def test_help_lists_every_binding_with_remapped_keys(
    store: Store, clock: FrozenClock
) -> None:
    config = Config(keys={"app.pane.contacts": "c", "pane.search": "f"})
    app = _app(store, clock, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "contacts"
        await pilot.press("question_mark")
        await pilot.pause()
        table = _plain(app.screen.query_one("#help-table", Static))
        for words in (
            "Launches",
            "Feedback",
            "Experiments",
            "Search",
            "Sort",
            "Quit",
            "Down",
            "Open",
        ):
            assert words in table
        assert "Contacts" in table
        lines = {line.split()[-1]: line for line in table.splitlines() if line.strip()}
        assert " c " in lines["Contacts"]
        assert " f " in lines["Search"]
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("#help-table")


async def test_palette_offers_every_action(store: Store, clock: FrozenClock) -> None:
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for action in ("Launches", "Feedback", "Contacts", "Experiments", "Search", "Sort", "Help"):
            assert action in titles
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        commands["Feedback"].callback()
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "feedback"


async def test_ctrl_q_quits(store: Store, clock: FrozenClock) -> None:
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("pane", ["launches", "feedback", "contacts", "experiments"])
async def test_each_pane_shows_its_records(store: Store, clock: FrozenClock, pane: str) -> None:
    _seed(store, 5)
    app = _app(store, clock, pane=pane)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listing = app.query_one(f"#{pane}-list", WindowList)
        assert listing.row_count >= 1
        assert _plain(app.query_one(f"#{pane}-detail-body", Static)).strip()


def test_pane_specs_name_their_classes() -> None:
    """The tab titles and ids the app shows before a pane is built match the pane classes."""
    from opsdesk.tui.app import PANES

    for spec in PANES:
        cls = spec.widget_class()
        assert (cls.pane_id, cls.title) == (spec.pane_id, spec.title)  # type: ignore[attr-defined]


def test_importing_the_app_loads_no_pane() -> None:
    """Each pane's module is imported when the pane is built, so start-up pays for one."""
    import subprocess
    import sys

    probe = "import sys, opsdesk.tui.app; print(sorted(m for m in sys.modules if '.panes.' in m))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['opsdesk.tui.panes.base']"


async def test_the_cursor_row_reads_in_the_cursor_colours(store: Store, clock: FrozenClock) -> None:
    """Cell colours (a green "on track", a dim priority) give way to the cursor's colours on
    its row, so the highlighted row is as readable as the others; other rows keep them."""
    _seed(store, 5)
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        feed = app.query_one("#feedback-list", WindowList)
        cursor_colour = feed._styles()["cursor"].color
        base_colour = feed._styles()["base"].color

        def colours(y: int) -> set[object]:
            return {segment.style.color for segment in feed.render_line(y) if segment.style}

        assert colours(1) == {cursor_colour}, "the cursor row is one colour"
        assert len(colours(2) - {base_colour}) >= 1, "other rows keep their cells' colours"


async def test_each_pane_runs_its_query_once_when_built(
    store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual calls every class's on_mount, base class included: a pane that also called
    # super().on_mount() ran the base's twice, and with it the first query (on 100,000
    # items, twice before the first row).
    _seed(store, feedback=50)
    queried: dict[str, int] = {}
    original = WindowList.set_source

    def counting(self: WindowList, *args: object, **kwargs: object) -> None:
        queried[str(self.id)] = queried.get(str(self.id), 0) + 1
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(WindowList, "set_source", counting)
    app = build_app(store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.panes_built:
            await pilot.pause()
        await pilot.pause()
    assert {"feedback-list", "launches-list", "contacts-list"} <= set(queried)
    assert any(name.startswith("experiments-column-") for name in queried)
    assert set(queried.values()) == {1}, queried


async def test_small_terminals_give_each_list_the_whole_width(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 80 columns a list beside its detail (and the inbox's views) kept a few letters of
    each title; below 100 columns the detail moves under the list and the views hide."""
    app = build_app(demo_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, pane in (("2", "feedback"), ("1", "launches"), ("3", "contacts")):
            await pilot.press(key)
            await pilot.pause()
            listing = app.query_one(f"#{pane}-list", WindowList)
            detail = app.query_one(f"#{pane}-detail")
            assert listing.region.width == 80, pane
            assert detail.region.y >= listing.region.bottom, pane
        assert not app.query_one("#feedback-views", OptionList).display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        listing = app.query_one("#feedback-list", WindowList)
        detail = app.query_one("#feedback-detail")
        assert app.query_one("#feedback-views", OptionList).display
        assert detail.region.x >= listing.region.right, "wide enough: side by side again"


async def test_small_terminals_keep_the_checklist_item_and_library_rows(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 80x24 a launch's checklist lost its Item column beside the launch's facts, and
    the learnings library showed no experiment under its statistics."""
    app = build_app(demo_store, Config(), clock=clock, pane="launches")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        items = app.screen.query_one("#launch-items", WindowList)
        assert items.region.width == 80
        shown, widths = items._layout(items.scrollable_content_region.width)
        item_width = dict(zip([c.title for c in shown], widths, strict=True)).get("Item", 0)
        assert item_width >= 20, (shown, widths)
        await pilot.press("escape", "4", "L")
        await pilot.pause()
        library = app.query_one("#experiments-library-list", WindowList)
        assert library.region.height >= 5, library.region


async def test_help_scrolls_with_the_list_keys(demo_store: Store, clock: FrozenClock) -> None:
    """Help at 80x24 runs past the screen; j/k did nothing there and arrows typed together
    moved it one line in all. It scrolls as the report preview and the welcome do."""
    app = build_app(demo_store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one("#help-box", VerticalScroll)
        assert box.max_scroll_y > 5
        for key in ("j", "j", "down", "j"):
            app.post_message(events.Key(key, None))
        await pilot.pause()
        assert box.scroll_y == 4
        await pilot.press("G")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert box.scroll_y == 0
