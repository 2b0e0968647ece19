"""Today, the palette, remapped keys and live refresh: the app as one workstation."""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import OptionList, Static, TabbedContent

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Feedback
from opsdesk.services.desk import Desk
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.commands import RecordProvider
from opsdesk.tui.panes.base import ListPane
from opsdesk.tui.panes.feedback import FeedbackPane
from opsdesk.tui.panes.today import TodayPane
from opsdesk.tui.widgets.window_list import WindowList


def _app(store: Store, clock: FrozenClock, pane: str = "today", **kwargs: object) -> OpsdeskApp:
    return build_app(store, Config(**kwargs), clock=clock, pane=pane)  # type: ignore[arg-type]


async def test_today_is_the_default_and_its_lines_open_their_records(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "today"
        today = app.query_one(TodayPane)
        listing = today.query_one(OptionList)
        lines = [
            listing.get_option_at_index(i)
            for i in range(listing.option_count)
            if not listing.get_option_at_index(i).disabled
            and not str(listing.get_option_at_index(i).id).startswith("more:")
        ]
        assert len(lines) > 20
        # The first line of every section (opening every line is slow to test).
        by_section: dict[str, list[object]] = {}
        for option in lines:
            by_section.setdefault(str(option.id).split(":")[0], []).append(option)
        lines = [group[0] for group in by_section.values()]
        opened = 0
        for option in lines:
            _section, _index, pane_id, record_id = str(option.id).split(":")
            await pilot.press("0")
            await pilot.pause()
            listing.highlighted = [o.id for o in listing._options].index(option.id)
            await pilot.press("enter")
            await pilot.pause()
            assert app.query_one(TabbedContent).active == pane_id
            pane = app.query_one(f"#pane-{pane_id}", ListPane)
            row = pane.list.current_row
            assert row is not None and row.record.id == int(record_id), option.id
            opened += 1
        assert opened == len(lines)


async def test_today_answers_the_list_keys_every_other_list_does(
    demo_store: Store, clock: FrozenClock
) -> None:
    """j/k and g/G move Today's cursor over the lines (section headers are skipped), as in
    the inbox, and Enter opens the line reached with them."""
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        listing = app.query_one(TodayPane).list
        ids = [str(option.id) for option in listing._options]
        lines = [i for i, option in enumerate(listing._options) if not option.disabled]
        assert listing.highlighted == lines[0]
        await pilot.press("j", "j")
        assert listing.highlighted == lines[2]
        await pilot.press("k")
        assert listing.highlighted == lines[1]
        await pilot.press("G")
        assert listing.highlighted == lines[-1]
        await pilot.press("g")
        assert listing.highlighted == lines[0]
        await pilot.press("j", "enter")
        await pilot.pause()
        _section, _index, pane_id, record_id = ids[lines[1]].split(":")
        assert app.query_one(TabbedContent).active == pane_id
        row = app.query_one(f"#pane-{pane_id}", ListPane).list.current_row
        assert row is not None and row.record.id == int(record_id)


async def test_and_n_more_under_an_inbox_section_opens_the_whole_view(
    demo_store: Store, clock: FrozenClock
) -> None:
    """'… and 40 more' under "SLA breached" opens the inbox on that view (the same line under
    a launch section opens the launches by risk: see the next test)."""
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        listing = app.query_one(TodayPane).list
        ids = [str(option.id) for option in listing._options]
        assert "more:sla_breached" in ids and "more:readiness" in ids
        assert "Enter shows them all" in str(listing.get_option("more:sla_breached").prompt)
        listing.highlighted = ids.index("more:sla_breached")
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "feedback"
        pane = app.query_one(FeedbackPane)
        assert pane.filters.view == "sla_breached" and pane.view_label == "SLA breached"
        total = next(s.total for s in app.query_one(TodayPane).sections if s.key == "sla_breached")
        assert pane.list.row_count == total


async def test_and_n_more_under_readiness_opens_the_launches_riskiest_first(
    demo_store: Store, clock: FrozenClock
) -> None:
    """'… and 3 more' under "Readiness due this week or overdue" could not be chosen (the
    cursor skipped it), and nothing led to the lines it counted; on a large desk that was
    '… and 205 more'. It now opens the launch list sorted by risk, whatever its view, sort
    or search was, and says so on the line."""
    from opsdesk.tui.panes.launches import LaunchesPane

    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("1", "t", "slash", *"slack", "enter")  # timeline, searched
        await pilot.pause()
        await pilot.press("0")
        await pilot.pause()
        listing = app.query_one(TodayPane).list
        ids = [str(option.id) for option in listing._options]
        more = listing.get_option("more:readiness")
        assert not more.disabled
        assert "Enter shows the launches, riskiest first" in str(more.prompt)
        listing.highlighted = ids.index("more:readiness")
        await pilot.press("enter")
        await pilot.pause()
        pane = app.query_one(LaunchesPane)
        assert app.query_one(TabbedContent).active == "launches"
        assert (pane.view_mode, pane.sort, pane.search_text) == ("list", "risk", "")
        rows = [pane.list.row_at(i) for i in range(pane.list.row_count)]
        assert len(rows) == demo_store.launches.count()
        risks = [len(row.extra["view"].assessment.risks) for row in rows if row is not None]
        assert risks[0] == max(risks) > 0


async def test_a_line_of_an_inbox_section_opens_in_that_view(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Enter on an "SLA breached" line shows the item among the other breached ones (the
    inbox on that view), not in whatever view the inbox was left on, or widened to All."""
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        listing = app.query_one(TodayPane).list
        ids = [str(option.id) for option in listing._options]
        first = next(i for i in ids if i.startswith("sla_breached:0:"))
        record_id = int(first.split(":")[3])
        listing.highlighted = ids.index(first)
        await pilot.press("enter")
        await pilot.pause()
        pane = app.query_one(FeedbackPane)
        assert pane.filters.view == "sla_breached" and pane.view_label == "SLA breached"
        row = pane.list.current_row
        assert row is not None and row.record.id == record_id


async def test_an_sla_view_opened_from_today_is_sorted_by_sla_due(
    demo_store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today lists the SLA views most overdue first; Enter opened the inbox newest first, so
    the items at Today's top were at the bottom of 29,793 breached ones. A line or '… and N
    more' under "SLA breached" or "SLA about to breach" now opens the view sorted by SLA due,
    the cursor on the line's item (on the first, most overdue, for '… and N more')."""
    from opsdesk.services.today import today_sections

    limited = partial(today_sections, limit=2)  # the demo's 6 near breaches get their "more"
    monkeypatch.setattr("opsdesk.tui.panes.today.today_sections", limited)
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        pane = app.query_one(FeedbackPane)
        listing = app.query_one(TodayPane).list
        for view in ("sla_breached", "sla_at_risk"):
            for option_id in (f"{view}:1:", f"more:{view}"):
                await pilot.press("2")  # the inbox left newest first, on another view
                await pilot.pause()
                pane.sort = "received"
                pane.show_view("all")
                await pilot.press("0")
                await pilot.pause()
                ids = [str(option.id) for option in listing._options]
                chosen = next(i for i in ids if i.startswith(option_id))
                listing.highlighted = ids.index(chosen)
                await pilot.press("enter")
                await pilot.pause()
                assert app.query_one(TabbedContent).active == "feedback"
                assert (pane.filters.view, pane.sort) == (view, "sla"), chosen
                status = str(app.query_one("#feedback-status", Static).render())
                assert "sorted by SLA due" in status
                first = pane.list.row_at(0)
                row = pane.list.current_row
                assert first is not None and row is not None
                if chosen.startswith("more:"):
                    assert row.record.id == first.record.id
                else:
                    assert row.record.id == int(chosen.split(":")[3])


async def test_today_sections_count_what_needs_attention(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sections = {section.key: section for section in app.query_one(TodayPane).sections}
        assert sections["readiness"].total >= 5  # the demo has overdue readiness items
        assert sections["sla_breached"].total > 0
        assert sections["follow_ups"].total > 0
        assert sections["conflicts"].total >= 1  # two running checkout experiments collide
        for section in sections.values():
            assert len(section.rows) <= section.total


async def test_zero_and_t_open_today(store: Store, clock: FrozenClock) -> None:
    # t opens Today wherever a pane does not use t itself (launches, feedback and
    # experiments do); 0 opens it everywhere.
    app = _app(store, clock, pane="contacts")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "today"
        await pilot.press("1", "0")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "today"


async def test_palette_finds_actions_for_the_selection_and_records(
    store: Store, clock: FrozenClock
) -> None:
    ids = store.feedback.insert_many(
        [Feedback(title=f"Quarterly export {i}", received_at=clock.now()) for i in range(3)]
    )
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert any(t.startswith("Status: triaged — #") for t in titles)
        await pilot.press("space", "space", "space")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Status: triaged — 3 marked items" in titles
        assert "Today" in titles and "Help" in titles
        provider = RecordProvider(app.screen)
        hits = [hit async for hit in provider.search("quarterly")]
        labels = [str(hit.text) for hit in hits]
        assert any(f"Open feedback #{ids[0]}: Quarterly export 0" in label for label in labels)
        await pilot.press("1")
        await pilot.pause()
        hits[0].command()  # opening a record switches panes and puts the cursor on it
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "feedback"
        row = app.query_one(FeedbackPane).list.current_row
        assert row is not None and row.record.id in ids


async def test_palette_shows_record_titles_as_written_never_as_markup(
    store: Store, clock: FrozenClock
) -> None:
    titles = ["[urgent] SSO login loop", "[bold red]Urgent[/] export now 🚀"]
    ids = store.feedback.insert_many(
        [Feedback(title=title, received_at=clock.now()) for title in titles]
    )
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        provider = RecordProvider(app.screen)
        hits = [hit async for hit in provider.search("urgent")]
        shown = {str(hit.match_display) for hit in hits}
        assert shown == {f"Open feedback #{i}: {t}" for i, t in zip(ids, titles, strict=True)}
        for hit in hits:
            assert hit.match_display.spans, "the matched letters are highlighted"  # type: ignore[union-attr]
            assert hit.text == str(hit.match_display)


async def test_opening_a_record_deep_in_a_list_shows_its_exact_count(
    store: Store, clock: FrozenClock
) -> None:
    """The status line said "50+ feedback items" for good after a jump past the first
    page: the cursor counted the list before the frame did, and nobody told the pane."""
    ids = store.feedback.insert_many(
        [Feedback(title=f"Item {i}", received_at=clock.now()) for i in range(120)]
    )
    app = _app(store, clock, pane="today")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.open_record("feedback", ids[0])  # newest first: the oldest is last
        await pilot.pause()
        pane = app.query_one(FeedbackPane)
        assert pane.list.current_row is not None and pane.list.current_row.line.id == ids[0]
        status = str(app.query_one("#feedback-status", Static).render())
        assert status.startswith("120 feedback items"), status


async def test_open_record_widens_filters_that_hide_it(store: Store, clock: FrozenClock) -> None:
    [old] = store.feedback.insert_many(
        [Feedback(title="Triaged already", status="triaged", received_at=clock.now())]
    )
    app = _app(store, clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.query_one(FeedbackPane)
        assert pane.view_label == "Untriaged" and pane.list.row_count == 0
        await app.open_record("feedback", old)
        await pilot.pause()
        assert pane.view_label == "All"
        assert pane.list.current_row is not None and pane.list.current_row.record.id == old


async def test_remapped_key_works_and_shows_in_help(store: Store, clock: FrozenClock) -> None:
    config = Config(keys={"app.pane.feedback": "f2", "app.help": "f1"})
    app = build_app(store, config, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "feedback"
        await pilot.press("f1")
        await pilot.pause()
        console = Console(width=200, record=True, color_system=None)
        console.print(app.screen.query_one("#help-table", Static).content)
        lines = console.export_text().splitlines()
        assert any("f2" in line and "Feedback" in line for line in lines)
        assert any("f1" in line and "Help" in line for line in lines)


async def _wait_for(condition: object, pilot: object, seconds: float = 2.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if condition():  # type: ignore[operator]
            return time.perf_counter() - start
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError(f"not seen on screen within {seconds} s")


async def test_a_write_from_another_process_appears_within_two_seconds(
    tmp_path: Path, clock: FrozenClock
) -> None:
    path = tmp_path / "shared.db"
    with Store(path, clock=clock, actor="me") as mine:
        ids = mine.feedback.insert_many(
            [
                Feedback(title=f"Item {i}", received_at=clock.now() - dt.timedelta(hours=i))
                for i in range(10)
            ]
        )
        app = build_app(mine, Config(), clock=clock, pane="feedback")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            pane = app.query_one(FeedbackPane)
            feed = pane.query_one(WindowList)
            feed.move_to(4)
            await pilot.press("space")  # a mark, which must survive the refresh
            cursor_id = feed.current_row.record.id  # type: ignore[union-attr]
            with Store(path, clock=clock, actor="colleague") as theirs:
                theirs.feedback.insert(
                    Feedback(
                        title="From a colleague", received_at=clock.now() + dt.timedelta(hours=1)
                    )
                )
                theirs.feedback.update(ids[0], title="Renamed by a colleague")
            waited = await _wait_for(lambda: feed.row_count == 11, pilot)
            assert waited <= 2.0
            assert feed.current_row.record.id == cursor_id  # type: ignore[union-attr]
            assert pane.marked == {ids[4]}
            titles = [feed.row_at(i).record.title for i in range(3)]  # type: ignore[union-attr]
            assert titles[:2] == ["From a colleague", "Renamed by a colleague"]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_today_snapshot(
    snap_compare, demo_store: Store, clock: FrozenClock, size: tuple[int, int]
) -> None:
    app = build_app(demo_store, Config(), clock=clock, db_label="demo.db")
    assert snap_compare(app, terminal_size=size)


async def test_today_reads_its_sections_again_off_the_keyboards_path(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resize only lays the lines out again; a write by another process is read again in
    a worker thread (on 100,000 items the sections take a few tenths of a second)."""
    from opsdesk.services.desk import Desk
    from opsdesk.services.feedback import capture
    from opsdesk.tui.panes import today as today_module

    reads: list[str] = []
    real = today_module.today_sections

    def counting(desk: object, *args: object) -> object:
        reads.append(threading.current_thread().name)
        return real(desk, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(today_module, "today_sections", counting)
    path = tmp_path / "shared.db"
    overdue = clock.now() - dt.timedelta(days=30)
    with Store(path, clock=clock, actor="me") as mine:
        capture(Desk(mine, Config(), clock), title="Old one", received_at=overdue)
        app = build_app(mine, Config(), clock=clock, pane="today")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            pane = app.query_one(TodayPane)
            totals = {section.key: section.total for section in pane.sections}
            assert totals["sla_breached"] == 1 and len(reads) == 1
            await pilot.resize_terminal(90, 30)
            await pilot.pause()
            # The lines lay themselves out at the width they are drawn at (test_today_lines).
            assert len(reads) == 1, "a resize reads nothing again"
            with Store(path, clock=clock, actor="colleague") as theirs:
                capture(Desk(theirs, Config(), clock), title="Another", received_at=overdue)
            app.check_for_changes()
            await _wait_for(
                lambda: {s.key: s.total for s in pane.sections}["sla_breached"] == 2, pilot
            )
            assert len(reads) == 2 and reads[1] != threading.main_thread().name


@pytest.mark.parametrize(("pane", "today_keys"), [("feedback", "0"), ("contacts", "0, t")])
async def test_help_gives_a_key_to_the_pane_that_has_it(
    demo_store: Store, clock: FrozenClock, pane: str, today_keys: str
) -> None:
    """``t`` is Today only where the pane does not use it (the inbox marks triaged with it):
    help lists each key under the action it runs there, not under both."""
    from opsdesk.tui.bindings import collect_bindings

    app = build_app(demo_store, Config(), clock=clock, pane=pane)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        entries = collect_bindings(app)
        [today] = [entry for entry in entries if entry.binding_id == "app.pane.today"]
        assert today.keys == today_keys
        if pane == "feedback":
            assert [e.keys for e in entries if e.action == "set_status('triaged')"] == ["t"]


def test_customers_waiting_say_when_it_was_decided_not_an_old_deadline(
    demo_store: Store, clock: FrozenClock
) -> None:
    """A decided item waiting for its loop to close has no deadline left: its long-past
    decide-by was shown in red, as if overdue. Its line says when it was decided."""
    from opsdesk.services.today import today_sections

    desk = Desk(demo_store, Config(), clock)
    [waiting] = [s for s in today_sections(desk) if s.key == "needs_loop"]
    assert waiting.rows
    for row in waiting.rows:
        decided = demo_store.feedback.get(row.record_id).decided_at
        assert decided is not None
        assert row.when is None and row.detail.startswith(f"decided {decided:%Y-%m-%d} · P")


def test_a_launch_left_open_after_its_day_is_on_today(store: Store, clock: FrozenClock) -> None:
    """A launch still 'in progress' days after its launch day was on no Today list unless an
    item of it was late: nobody was asked to mark it launched or to move it. It now leads
    the launches of the week, saying it is not marked launched; launched and cancelled
    ones, and those after this week, stay off."""
    from opsdesk.models import Launch
    from opsdesk.services.today import today_sections
    from opsdesk.vocabulary import LaunchStatus

    today = clock.now().date()  # Thursday 26 November 2026
    for title, day, status in [
        ("Went out", today - dt.timedelta(days=3), LaunchStatus.LAUNCHED),
        ("Called off", today - dt.timedelta(days=2), LaunchStatus.CANCELLED),
        ("Forgotten", today - dt.timedelta(days=9), LaunchStatus.IN_PROGRESS),
        ("Friday's", today + dt.timedelta(days=1), LaunchStatus.PLANNED),
        ("Next week's", today + dt.timedelta(days=5), LaunchStatus.PLANNED),
    ]:
        store.launches.insert(Launch(title=title, launch_date=day, status=status, tier=2))
    desk = Desk(store, Config(), clock)
    [week] = [s for s in today_sections(desk) if s.key == "launches_week"]
    assert week.title == "Launches this week or past their day"
    assert [(row.title, row.when, row.detail) for row in week.rows] == [
        ("Forgotten", "2026-11-17", "not marked launched · tier 2"),
        ("Friday's", "2026-11-27", "tier 2"),
    ]
    assert week.total == 2


def test_a_launch_at_risk_says_why_on_today(store: Store, clock: FrozenClock) -> None:
    """'Launches at risk' lines read 'tier 1 · Priya': the manager opened each launch to learn
    what to chase. Each line now starts with its risks by kind and function, then how ready
    it is, and the pane does not cut that off at 50 characters."""
    from opsdesk.models import Launch, ReadinessItem
    from opsdesk.services.today import today_sections
    from opsdesk.vocabulary import ReadinessState

    today = clock.now().date()  # Thursday 26 November 2026
    launch = store.launches.insert(
        Launch(title="SSO", launch_date=today + dt.timedelta(days=20), tier=1, owner="Priya")
    )
    for function, due, state in [
        ("legal", -3, ReadinessState.TODO),
        ("security", 10, ReadinessState.BLOCKED),
        ("marketing", -1, ReadinessState.IN_PROGRESS),
        ("docs", 2, ReadinessState.TODO),
        ("support", 1, ReadinessState.DONE),
    ]:
        store.readiness.insert(
            ReadinessItem(
                launch_id=launch.id,
                function=function,
                title=f"{function} work",
                due_date=today + dt.timedelta(days=due),
                state=state,
            )
        )
    desk = Desk(store, Config(), clock)
    [risky] = [s for s in today_sections(desk) if s.key == "launches_risk"]
    [row] = risky.rows
    assert row.detail == (
        "1 blocked (security), 2 overdue (legal, marketing), 1 not started (docs) · 20% ready"
        " · tier 1 · Priya"
    )


async def test_today_shows_an_at_risk_launchs_reason_whole(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        listing = app.query_one(TodayPane).list
        lines = [
            str(option.prompt)
            for option in listing._options
            if str(option.id).startswith("launches_risk:")
        ]
    # Past the 50 characters a line's detail was cut to, the owner still shows.
    reason = "1 overdue (legal), 1 not started (security) · 0% ready · tier 1 · Grace Mbeki"
    assert any(line.endswith(reason) for line in lines), lines


async def test_enter_on_a_readiness_line_opens_its_launch_on_that_item(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Enter on 'Support runbook — Offline mode…' opened the launch list with the launch
    highlighted: a second Enter, then finding the item among the others, to sign it off.
    It opens the launch's own screen, the checklist's cursor on that item; Esc goes back
    to the launch list, its cursor on the launch."""
    from opsdesk.tui.panes.launches import LaunchesPane
    from opsdesk.tui.screens.launches_detail import LaunchScreen

    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        today = app.query_one(TodayPane)
        section = next(s for s in today.sections if s.key == "readiness")
        index = len(section.rows) - 1  # the last line: not the checklist's first item
        row = section.rows[index]
        assert row.item_id is not None
        item = demo_store.readiness.get(row.item_id)
        assert item.launch_id == row.record_id
        listing = today.list
        ids = [str(option.id) for option in listing._options]
        listing.highlighted = ids.index(f"readiness:{index}:launches:{row.record_id}")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LaunchScreen) and screen.launch_id == row.record_id
        checklist = screen.query_one(WindowList)
        current = checklist.current_row
        assert current is not None and current.record.id == item.id
        assert checklist.cursor > 0, "the item chosen, not the checklist's first"
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "launches"
        launch_row = app.query_one(LaunchesPane).list.current_row
        assert launch_row is not None and launch_row.record.id == row.record_id


def _welcome_text(app: OpsdeskApp) -> str:
    body = app.query_one("#today-welcome-body", Static)
    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    console.print(body.content)
    return console.export_text()


async def test_a_new_empty_database_opens_on_a_welcome_not_nine_zeros(
    store: Store, clock: FrozenClock
) -> None:
    """A brand-new database opened on Today's nine sections, each saying 0: nothing said what
    the panes are for or how to put a first record in. Today now welcomes the newcomer with
    each pane's purpose and the keys the panes' own first steps name (1 then n, 2 then a,
    ctrl+o), then the demo; once anything is in, the sections are back."""
    from opsdesk.services.launches import LaunchService
    from opsdesk.tui.first_steps import FIRST_STEPS

    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one(TodayPane)
        assert pane.empty_desk and not pane.list.display
        assert app.query_one("#today-welcome").display
        text = " ".join(_welcome_text(app).split())
        for number, pane_id in (("1", "launches"), ("2", "feedback"), ("3", "contacts")):
            for key, what, _rest in FIRST_STEPS[pane_id][1]:
                assert f"{number} then {key} {what}." in text, (key, text)
        assert "4 then n proposes one." in text and "'opsdesk demo'" in text
        assert "a new, empty database" in str(app.query_one("#today-summary", Static).content)
        await pilot.press("1", "n")  # the key it names opens the new launch form
        await pilot.pause()
        assert app.screen is not app.screen_stack[0]
        await pilot.press("escape")
        await pilot.pause()
        LaunchService(Desk(store, Config(), clock)).create("SSO", dt.date(2027, 1, 20), 3)
        await pilot.press("0")
        await pilot.pause()
        assert not pane.empty_desk and pane.list.display
        assert not app.query_one("#today-welcome").display
        assert app.focused is pane.list


async def test_a_database_with_only_contacts_shows_todays_sections(
    store: Store, clock: FrozenClock
) -> None:
    from opsdesk.models import Contact

    store.contacts.insert(Contact(name="Noor Haddad", email="noor@example.com"))
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.query_one(TodayPane)
        assert not pane.empty_desk and pane.list.display
        assert not app.query_one("#today-welcome").display
