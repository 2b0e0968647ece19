"""Pilot tests of the launch pane: create from a template, sign off with evidence, slip, see the
items move and the risk change, record go/no-go; the timeline as a window onto the query."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from textual.widgets import Input, Select, Static

from footer_keys import shown_footer_keys
from hostile import screen_text
from opsdesk.clock import FrozenClock
from opsdesk.config import Config, GeneralConfig
from opsdesk.models import Launch, ReadinessItem
from opsdesk.services.desk import Desk
from opsdesk.services.launches import LaunchService
from opsdesk.store import Store
from opsdesk.store.base import Where, WindowRow
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.bindings import collect_bindings
from opsdesk.tui.panes.launches import LaunchesPane
from opsdesk.tui.panes.today import TodayPane
from opsdesk.tui.screens.dialogs import FormScreen, PickerScreen
from opsdesk.tui.screens.launches_detail import LaunchScreen
from opsdesk.tui.screens.launches_owed import ByFunctionScreen
from opsdesk.tui.widgets.launches_checklist import checklist_widths
from opsdesk.tui.widgets.launches_focus import focus_text
from opsdesk.tui.widgets.launches_timeline import Geometry, LaunchTimeline
from opsdesk.tui.widgets.window_list import WindowList
from opsdesk.vocabulary import GoDecision, LaunchStatus, ReadinessState

SIZE = (120, 40)


def _app(store: Store, clock: FrozenClock) -> OpsdeskApp:
    config = Config(general=GeneralConfig(user="Olivia Ops"))
    return build_app(store, config, clock=clock, pane="launches")


def _pane(app: OpsdeskApp) -> LaunchesPane:
    return app.query_one(LaunchesPane)


async def _fill(pilot: Any, values: dict[str, Any]) -> None:
    """Type into the open form's fields (Select fields are set directly)."""
    screen = pilot.app.screen
    assert isinstance(screen, FormScreen), screen
    for name, value in values.items():
        widget = screen.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = ""
            widget.focus()
            await pilot.pause()
            await pilot.press(*value)
    await pilot.pause()


def _plain(widget: Static) -> str:
    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def _errors(app: OpsdeskApp) -> dict[str, str]:
    screen = app.screen
    found = {}
    for static in screen.query(".form-error").results(Static):
        text = _plain(static).strip()
        if text:
            found[(static.id or "").removeprefix("error-")] = text
    return found


async def test_create_sign_off_slip_and_decide(store: Store, clock: FrozenClock) -> None:
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        # n: a new tier-1 launch from its template.
        await pilot.press("n")
        await pilot.pause()
        await _fill(
            pilot,
            {
                "title": "SSO GA",
                "launch_date": "2026-12-07",
                "tier": 1,
                "owner": "Priya",
                "audience": "enterprise",
            },
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        (launch,) = [row.record for row in store.launches.window(Where(), "date")]
        items = store.readiness.for_launch(int(launch.id or 0))
        assert [i.function for i in items] == [
            "legal",
            "security",
            "marketing",
            "sales",
            "customer_success",
            "support",
            "docs",
        ]
        assert launch.owner == "Priya" and launch.audience == "enterprise"
        pane_list = app.query_one("#launches-list", WindowList)
        assert pane_list.row_count == 1
        view = pane_list.current_row.extra["view"]  # type: ignore[union-attr]
        assert view.assessment.at_risk  # legal, security, sales and marketing are overdue

        # Enter opens the launch; space signs off the first item, evidence required.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # refused: no evidence
        assert "required" in _errors(app)["evidence"]
        assert store.readiness.get(int(items[0].id or 0)).state == ReadinessState.TODO
        await _fill(pilot, {"evidence": "https://legal/LEG-1"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        legal = store.readiness.get(int(items[0].id or 0))
        assert (legal.state, legal.evidence, legal.signed_off_by, legal.signed_off_at) == (
            ReadinessState.DONE,
            "https://legal/LEG-1",
            "Olivia Ops",
            clock.now(),
        )

        # d: slip by five weeks with a reason; the open items move, legal keeps its date.
        await pilot.press("d")
        await pilot.pause()
        await _fill(pilot, {"launch_date": "2027-01-11"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "required" in _errors(app)["reason"]  # no reason, no slip
        await _fill(pilot, {"reason": "Pen test found issues"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        moved = {i.function: i for i in store.readiness.for_launch(int(launch.id or 0))}
        before = {i.function: i for i in items}
        assert moved["legal"].due_date == before["legal"].due_date
        assert all(moved[f].due_date > before[f].due_date for f in moved if f != "legal")
        assert store.launches.get(int(launch.id or 0)).status == LaunchStatus.SLIPPED
        (slip,) = store.slips.for_launch(int(launch.id or 0))
        assert slip.reason == "Pen test found issues" and slip.by == "Olivia Ops"
        facts = _plain(app.screen.query_one("#launch-facts-body", Static))
        assert "Pen test found issues" in facts and "At risk" not in facts  # risk is gone

        # y: go/no-go with a snapshot of readiness now.
        await pilot.press("y")
        await pilot.pause()
        await _fill(pilot, {"decision": "go"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        (decision,) = store.decisions.for_launch(int(launch.id or 0))
        assert decision.decision == GoDecision.GO
        assert decision.snapshot.done == 1 and decision.snapshot.applicable == 7
        assert decision.snapshot.launch_date == dt.date(2027, 1, 11)

        # Back on the pane, the list shows the launch no longer at risk.
        await pilot.press("escape")
        await pilot.pause()
        view = pane_list.current_row.extra["view"]  # type: ignore[union-attr]
        assert not view.assessment.at_risk and view.assessment.percent == 14


async def test_a_new_launch_dated_in_the_past_is_refused_at_its_date(
    store: Store, clock: FrozenClock
) -> None:
    """'yesterday' (or last year's date typed by mistake) made a planned launch with every
    readiness item overdue; the form now says so under the date and saves nothing."""
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await _fill(pilot, {"title": "SSO GA", "launch_date": "yesterday"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert _errors(app) == {
            "launch_date": "Wed 25 Nov 2026 has passed: a new launch is planned for today or later"
        }
        assert store.launches.count() == 0
        # An overlong title is said in the app's words, not pydantic's ('String should...').
        app.screen.query_one("#field-title", Input).value = "x" * 600  # pasted: typing is slow
        await _fill(pilot, {"launch_date": "today"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _errors(app) == {"title": "is too long: at most 500 characters (this one has 600)"}
        await _fill(pilot, {"title": "SSO GA"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert store.launches.count() == 1


async def test_state_picker_blocked_and_item_edits(store: Store, clock: FrozenClock) -> None:
    launch = store.launches.insert(Launch(title="Audit", launch_date=dt.date(2027, 1, 20)))
    store.readiness.insert_many(
        [
            ReadinessItem(
                launch_id=launch.id,
                function="legal",
                title="Legal review",
                due_date=dt.date(2027, 1, 6),
                lead_days=10,
            ),
            ReadinessItem(
                launch_id=launch.id,
                function="docs",
                title="Docs",
                due_date=dt.date(2027, 1, 18),
                lead_days=2,
            ),
        ]
    )
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "Set the state of Legal review" in str(
            app.screen.query_one(".dialog-title").render()
        )
        await pilot.press(*"blocked", "enter")
        await pilot.pause()
        await pilot.press("ctrl+s")  # blocked on nothing: what is there to chase?
        await pilot.pause()
        assert isinstance(app.screen, FormScreen), "'Blocked on' is required"
        assert store.readiness.for_launch(int(launch.id or 0))[0].state != ReadinessState.BLOCKED
        await _fill(pilot, {"evidence": "Waiting for DPA"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        legal = store.readiness.for_launch(int(launch.id or 0))[0]
        assert legal.state == ReadinessState.BLOCKED and legal.evidence == "Waiting for DPA"
        # o: re-own; a: add; delete: remove (confirmed).
        await pilot.press("o")
        await pilot.pause()
        await _fill(pilot, {"owner": "Dana"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.readiness.for_launch(int(launch.id or 0))[0].owner == "Dana"
        await pilot.press("a")
        await pilot.pause()
        await _fill(pilot, {"function": "security", "title": "Pen test", "lead_days": "8"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        titles = [i.title for i in store.readiness.for_launch(int(launch.id or 0))]
        assert "Pen test" in titles and len(titles) == 3
        await pilot.press("end", "delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert len(store.readiness.for_launch(int(launch.id or 0))) == 2


async def test_timeline_is_a_window_onto_the_query(store: Store, clock: FrozenClock) -> None:
    base = dt.date(2026, 6, 1)
    store.launches.insert_many(
        [
            Launch(title=f"Launch {n:03}", launch_date=base + dt.timedelta(days=n))
            for n in range(400)
        ]
    )
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        timeline = app.query_one(LaunchTimeline)
        assert app.focused is timeline
        start, end = timeline.period
        assert start == dt.date(2026, 11, 16) and start.weekday() == 0
        expected = [n for n in range(400) if start <= base + dt.timedelta(days=n) <= end]
        assert timeline.row_count == len(expected)
        assert set(timeline._pages) == {0}  # only the page on screen was fetched
        # On the launch the list had: the first still to come (today's).
        assert timeline.current_row.record.title == "Launch 178"  # type: ignore[union-attr]
        # Moving through time re-asks the store for the new weeks only.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        later_start, _ = timeline.period
        assert later_start > end - dt.timedelta(days=7)
        assert timeline.current_row.record.launch_date >= later_start  # type: ignore[union-attr]
        await pilot.press("full_stop")
        await pilot.pause()
        assert timeline.period[0] == start
        # Zoom: quarter shows more weeks, week fewer.
        month_days = (end - start).days
        await pilot.press("z")
        await pilot.pause()
        assert timeline.zoom == "quarter" and (timeline.period[1] - start).days > month_days
        await pilot.press("z")
        await pilot.pause()
        assert timeline.zoom == "week" and (timeline.period[1] - start).days < month_days
        status = _plain(app.query_one("#launches-status", Static))
        assert "week zoom" in status and f"{timeline.row_count} launches" in status
        # t goes back to the list, which still has every launch.
        await pilot.press("t")
        await pilot.pause()
        assert app.focused is app.query_one("#launches-list", WindowList)


async def test_opening_the_timeline_queries_the_weeks_shown_once(
    demo_store: Store, clock: FrozenClock, monkeypatch: Any
) -> None:
    """The first open used to query the weeks a zero-width grid shows, then again once laid
    out: the first load now waits for the timeline's width. Opening it again (same width, no
    resize) loads at once."""
    from opsdesk.tui.panes.launches import TimelineQuery

    asked: list[tuple[dt.date, dt.date]] = []
    count = TimelineQuery.count

    def counting(self: TimelineQuery, start: dt.date, end: dt.date) -> int:
        asked.append((start, end))
        return count(self, start, end)

    monkeypatch.setattr(TimelineQuery, "count", counting)
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        timeline = app.query_one(LaunchTimeline)
        assert asked == [timeline.period] and timeline.row_count > 0
        status = _plain(app.query_one("#launches-status", Static))
        assert f"{timeline.row_count} launches" in status
        await pilot.press("t")
        await pilot.pause()
        asked.clear()
        await pilot.press("t")
        await pilot.pause()
        assert asked == [timeline.period] and app.focused is timeline


async def test_sort_by_risk_and_by_function_screen(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane_list = app.query_one("#launches-list", WindowList)
        await pilot.press("s")
        await pilot.pause()
        assert _pane(app).sort == "risk"
        risks = [
            len(pane_list.row_at(i).extra["view"].assessment.risks)  # type: ignore[union-attr]
            for i in range(pane_list.row_count)
        ]
        assert risks == sorted(risks, reverse=True) and risks[0] > 0
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ByFunctionScreen) and screen.function == "legal"
        owed = screen.query_one(WindowList)
        assert owed.row_count == 4
        await pilot.press("right")
        await pilot.pause()
        assert screen.function == "security"
        await pilot.press("minus")
        await pilot.pause()
        assert screen.weeks == 3
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)


def test_geometry_maps_days_to_columns() -> None:
    monday = dt.date(2026, 11, 16)
    week = Geometry(monday, 14, 84)
    assert [week.x(monday + dt.timedelta(days=d)) for d in (0, 1, 6, 7)] == [0, 2, 12, 14]
    assert week.end == dt.date(2026, 12, 27) and list(week.span(monday)) == [0, 1]
    quarter = Geometry(monday, 3, 84)
    assert [quarter.x(monday + dt.timedelta(days=d)) for d in range(8)] == [0, 0, 0, 1, 1, 2, 2, 3]
    assert quarter.end == dt.date(2027, 5, 30)
    month = Geometry(monday, 7, 10)
    assert month.end == dt.date(2026, 11, 25)  # ten columns: ten days


async def test_hostile_text_is_shown_literally(store: Store, clock: FrozenClock) -> None:
    hostile = "[b]SSO[/b] [@click=app.quit]x[/] \x1b[31mred\x07 \u202eevil"
    launch = store.launches.insert(
        Launch(title=hostile, launch_date=dt.date(2026, 12, 9), audience="[red]all")
    )
    store.readiness.insert(
        ReadinessItem(
            launch_id=launch.id,
            function="legal",
            title=hostile,
            owner=hostile,
            due_date=dt.date(2026, 11, 20),
            lead_days=13,
        )
    )
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the detail follows the first rows
        detail = _plain(app.query_one("#launches-detail-body", Static))
        assert "[b]SSO[/b] [@click=app.quit]x[/]" in detail and "␛[31mred␇" in detail
        assert "\x1b" not in detail and "\u202e" not in detail and "<RLO>" in detail
        await pilot.press("t")
        await pilot.pause()
        line = "".join(s.text for s in app.query_one(LaunchTimeline).render_line(2))
        assert "[b]SSO[/b]" in line and "\x1b" not in line
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen) and app.is_running
        facts = _plain(app.screen.query_one("#launch-facts-body", Static))
        assert "[red]all" in facts and "\x07" not in facts


async def _to_launch(pilot: Any, launch_id: int) -> None:
    """Walk the list's cursor down to launch ``launch_id`` with the arrow key."""
    pane_list = pilot.app.query_one("#launches-list", WindowList)
    for _ in range(pane_list.row_count):
        if pane_list.current_row.record.id == launch_id:
            return
        await pilot.press("down")
        await pilot.pause()
    raise AssertionError(f"launch {launch_id} is not in the list")


async def test_go_no_go_is_refused_on_cancelled_and_launched_launches(
    store: Store, clock: FrozenClock
) -> None:
    """y on a cancelled launch (from the list) or a launched one (from its screen) says why
    and opens no form; a launch still to land gets the form as before."""
    cancelled = store.launches.insert(
        Launch(title="Chat widget", launch_date=dt.date(2026, 12, 9), status="cancelled")
    )
    shipped = store.launches.insert(
        Launch(title="Dark mode", launch_date=dt.date(2026, 11, 10), status="launched")
    )
    planned = store.launches.insert(Launch(title="SSO", launch_date=dt.date(2026, 12, 20)))
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _to_launch(pilot, int(cancelled.id or 0))
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        notes = [str(n.message) for n in app._notifications]
        assert any("cancelled" in note and "go/no-go" in note for note in notes), notes

        pane_list = app.query_one("#launches-list", WindowList)
        await pilot.press("home")  # the launched one comes first, by date
        await pilot.pause()
        assert pane_list.current_row.record.id == shipped.id  # type: ignore[union-attr]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        notes = [str(n.message) for n in app._notifications]
        assert any("already launched" in note for note in notes), notes
        await pilot.press("escape")
        await pilot.pause()

        await _to_launch(pilot, int(planned.id or 0))
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert store.decisions.for_launch(int(cancelled.id or 0)) == []
    assert store.decisions.for_launch(int(shipped.id or 0)) == []


async def test_counts_agree_with_their_nouns(store: Store, clock: FrozenClock) -> None:
    """One launch in the weeks shown reads '1 launch', and an item due one working day
    before launch '1 working day', not '1 launches' and '1 working days'."""
    launch = store.launches.insert(Launch(title="SSO", launch_date=dt.date(2026, 12, 9)))
    store.readiness.insert(
        ReadinessItem(
            launch_id=launch.id,
            function="docs",
            title="Release notes",
            due_date=dt.date(2026, 12, 8),
            lead_days=1,
        )
    )
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        status = _plain(app.query_one("#launches-status", Static))
        assert status.startswith("1 launch · month zoom"), status
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        item = _plain(app.screen.query_one("#launch-item-detail", Static))
        assert "1 working day before launch" in item, item


async def test_a_cancelled_or_waived_launch_reads_no_percent_in_the_list_or_the_timeline(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The demo's cancelled 'Legacy dashboard sunset', and a launch whose every item is not
    applicable, read '100%' in the list and on the timeline, green like a launch signed
    off: they looked ready to ship. They read '–' and 'n/a'; the focus line under the
    timeline says 'n/a ready'."""
    waived = demo_store.launches.insert(
        Launch(title="Waived launch", launch_date=dt.date(2026, 12, 10), audience="beta")
    )
    demo_store.readiness.insert(
        ReadinessItem(
            launch_id=waived.id,
            function="legal",
            title="Legal review",
            due_date=dt.date(2026, 12, 1),
            lead_days=5,
            state=ReadinessState.NOT_APPLICABLE,
        )
    )
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        (cancelled,) = [line.split("│")[0] for line in lines if "Legacy dashboard" in line]
        assert "cancelled" in cancelled and cancelled.rstrip().endswith("–"), cancelled
        (listed,) = [line.split("│")[0] for line in lines if "Waived launch" in line]
        assert listed.rstrip().endswith("n/a"), listed
        await pilot.press("t")
        await pilot.pause()
        (drawn,) = [line for line in screen_text(app).splitlines() if "Waived launch" in line]
        assert " n/a │" in drawn and "%" not in drawn, drawn
        timeline = app.query_one(LaunchTimeline)
        rows = [timeline.row_at(i) for i in range(timeline.row_count)]
    (row,) = [r for r in rows if r is not None and r.record.title == "Waived launch"]
    assert "planned · n/a ready" in focus_text(row, 300, 3).plain


def _risky_launches(store: Store, clock: FrozenClock) -> LaunchService:
    """A tier-1 launch eleven days out (four items overdue, three due soon, not started:
    seven risks) that lands in the same week, for the same audience, as another."""
    service = LaunchService(Desk(store, Config(general=GeneralConfig(user="Olivia")), clock))
    service.create(
        "Offline mode for iOS and Android",
        dt.date(2026, 12, 7),
        1,
        owner="Hannah Cho",
        audience="all",
    )
    service.create("Dark mode", dt.date(2026, 12, 9), 3, audience="all")
    return service


def _focus_lines(app: OpsdeskApp) -> list[str]:
    """The lines the timeline's focus box shows on screen, as the terminal gets them."""
    region = app.query_one("#launches-focus").content_region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [row[region.x : region.right].rstrip() for row in rows]


FUNCTIONS = ("legal", "security", "marketing", "sales", "customer success", "support", "docs")


async def test_the_focus_line_names_every_risk_instead_of_cutting_them(
    store: Store, clock: FrozenClock
) -> None:
    """Seven risks and a collision used to run past the box's second line, the third risk
    cut mid-sentence and the rest never seen; now each is named, in a shorter form."""
    _risky_launches(store, clock)
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        lines = _focus_lines(app)
    assert lines[0].startswith("Offline mode for iOS and Android  Mon 07 Dec 2026 · planned")
    assert lines[1].startswith("At risk: overdue: legal, security, marketing, sales;"), lines
    shown = "\n".join(lines[1:])
    assert all(name in shown for name in FUNCTIONS), lines
    assert "× same week as 1 launch" in shown and "…" not in shown


async def test_the_focus_line_keeps_the_risks_visible_at_80x24(
    store: Store, clock: FrozenClock
) -> None:
    """At 80 columns the facts used to wrap onto the box's second line and push the risks
    out of sight; now the facts keep to one line and the risks that do not fit are counted."""
    _risky_launches(store, clock)
    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        lines = _focus_lines(app)
    assert lines == [
        "Offline mode for iOS and Android  Mon 07 Dec 2026 · planned · 0% ready",
        "At risk: overdue: legal, security, marketing, sales; +3 more risks, 1 flag",
    ]


def test_focus_text_fits_any_box_and_never_cuts_a_risk(store: Store, clock: FrozenClock) -> None:
    service = _risky_launches(store, clock)
    (view,) = service.views([store.launches.get(1)])
    row = WindowRow(view.launch, (0,), {"view": view})
    for width in (20, 40, 60, 78, 100, 118, 160, 300):
        for lines in (1, 2, 3, 5):
            text = focus_text(row, width, lines)
            shown = text.plain.split("\n")
            assert len(shown) <= lines and all(cell_len(line) <= width for line in shown)
            risks = "\n".join(shown[1:])
            if width >= 40:  # room for at least the count: nothing is cut at the edge
                assert "…" not in risks, (width, lines, shown)
    # Wide and tall enough, each risk is a full sentence with its item's title.
    roomy = focus_text(row, 300, 5).plain
    assert "legal · Legal & compliance review: overdue (due 09 Nov)" in roomy
    assert "× same week, same audience as Dark mode (09 Dec)" in roomy
    # Narrow, the first group stays and the rest is counted.
    assert focus_text(row, 78, 2).plain.split("\n")[1] == (
        "At risk: overdue: legal, security, marketing, sales; +3 more risks, 1 flag"
    )
    assert focus_text(row, 40, 2).plain.split("\n")[1] == "At risk: +7 risks, 1 flag"
    assert focus_text(None, 300, 3).plain.startswith("No launch in these weeks")


def _actions(app: OpsdeskApp) -> set[str]:
    """Every action help (?) and the command palette offer where the user is."""
    return {entry.action for entry in collect_bindings(app)}


async def test_every_launch_footer_fits_120_columns(demo_store: Store, clock: FrozenClock) -> None:
    """At 120 columns the list's, the timeline's and the launch screen's footers cut off their
    last keys (help, quit, go/no-go). Each now shows its important keys whole; the keys left
    off the footer are still in help and the palette, and still work. 'f By function' fits
    whole beside them in the list and the timeline, and was left off all the same."""
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert await shown_footer_keys(pilot) == ["/", "s", "t", "n", "e", "d", "y", "f", "^q", "?"]
        assert "by_function" in _actions(app)

        await pilot.press("t")
        # The timeline is always by date: no sort key, its own keys first.
        shown = await shown_footer_keys(pilot)
        assert shown == ["←", "→", "z", "/", "t", "n", "e", "d", "y", "f", "^q", "?"]
        assert {"today", "page_time(1)", "zoom_step(-1)", "by_function"} <= _actions(app)
        timeline = app.query_one(LaunchTimeline)
        start = timeline.period[0]
        await pilot.press("right", "right", "full_stop")  # '.' still goes back to today
        await pilot.pause()
        assert timeline.period[0] == start
        await pilot.press("s")
        await pilot.pause()
        assert _pane(app).sort == "date"  # off in the timeline, which has no other order

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        shown = await shown_footer_keys(pilot)
        assert shown == ["esc", "space", "x", "a", "o", "e", "d", "y", "^q", "?"]
        assert "remove_item" in _actions(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f")  # by function, on the footer at 120 columns
        await pilot.pause()
        assert isinstance(app.screen, ByFunctionScreen)
        await pilot.press("escape", "t")  # back to the list: sorting is back
        assert await shown_footer_keys(pilot) == ["/", "s", "t", "n", "e", "d", "y", "f", "^q", "?"]


def test_readiness_reads_right_without_applicable_items(store: Store, clock: FrozenClock) -> None:
    """'100% (0 of 0 done)' said nothing: a launch whose every item is not applicable owes
    nothing (and '100%' read as signed off), and one without a checklist has none yet."""
    from opsdesk.tui.screens.launches_actions import detail_renderable

    waived = store.launches.insert(Launch(title="Sunset", launch_date=dt.date(2027, 1, 20)))
    store.readiness.insert(
        ReadinessItem(
            launch_id=waived.id,
            function="legal",
            title="Legal review",
            due_date=dt.date(2027, 1, 6),
            lead_days=10,
            state=ReadinessState.NOT_APPLICABLE,
        )
    )
    bare = store.launches.insert(Launch(title="Bare", launch_date=dt.date(2027, 1, 20)))
    service = LaunchService(Desk(store, Config(), clock))
    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    for launch_id in (int(waived.id or 0), int(bare.id or 0)):
        console.print(detail_renderable(service.detail(launch_id), clock.now().date()))
    text = console.export_text()
    assert "Readiness: n/a (every item is not applicable)" in text
    assert "Readiness: no checklist items yet" in text
    assert "0 of 0" not in text


def test_slips_and_decisions_read_in_the_users_time_zone_and_wrap_under_their_indent(
    store: Store,
) -> None:
    """A decision read '2026-11-27 03:00 UTC' to a manager in California, for whom it was the
    evening before (sign-offs were already local); and in the narrow panel each slip reason,
    decision note and risk wrapped back to the panel's edge, under the headings."""
    from zoneinfo import ZoneInfo

    from opsdesk.config import GeneralConfig
    from opsdesk.tui.screens.launches_actions import detail_renderable

    clock = FrozenClock(dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC))  # 26 Nov, 19:00 there
    config = Config(general=GeneralConfig(user="Olivia Ops", timezone="America/Los_Angeles"))
    service = LaunchService(Desk(store, config, clock))
    launch, _ = service.create("SSO GA", dt.date(2026, 12, 1), 2)
    reason = "Pen test found two high findings that need a fix and a retest before we ship"
    service.slip(int(launch.id or 0), dt.date(2026, 12, 4), reason)
    service.decide(int(launch.id or 0), "no_go", "Security review still open; decide again")
    console = Console(width=40, record=True, color_system=None, file=io.StringIO())
    console.print(
        detail_renderable(
            service.detail(int(launch.id or 0)), service.today(), tz=ZoneInfo(config.tz.key)
        )
    )
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert "UTC" not in "\n".join(lines)
    slip_at = lines.index("Slips") + 1
    assert lines[slip_at] == "  2026-12-01 → 2026-12-04 · Olivia Ops"
    assert lines[slip_at + 1] == "  2026-11-26"  # the evening of the 26th where she is
    reason_lines = lines[slip_at + 2 : lines.index("Go/no-go")]
    assert len(reason_lines) > 1 and all(line.startswith("    ") for line in reason_lines)
    assert " ".join(line.strip() for line in reason_lines) == reason
    decision_at = lines.index("Go/no-go") + 1
    decision = " ".join(line.strip() for line in lines[decision_at : decision_at + 2])
    assert decision.startswith("NO GO · Olivia Ops 2026-11-26 19:00 · ")
    heading = next(i for i, line in enumerate(lines) if line.startswith("At risk: "))
    risks = lines[heading + 1 : lines.index("", heading)]
    assert any(len(line) > 30 for line in risks) and len(risks) > int(lines[heading][9:])
    assert all(line.startswith(("  • ", "    ")) for line in risks)


def test_a_launch_detail_writes_every_date_one_way(store: Store, clock: FrozenClock) -> None:
    """One launch's detail read 'Originally: 2026-11-28' above a slip '28 Nov → 04 Dec
    2026' and a collision '(Wed 09 Dec)': every date in it is now ISO, as its items, risks
    and records already were."""
    import re

    from opsdesk.tui.screens.launches_actions import detail_renderable

    service = LaunchService(Desk(store, Config(), clock))
    launch, _ = service.create("SSO GA", dt.date(2026, 12, 1), 2, audience="enterprise")
    service.create("Audit log", dt.date(2026, 12, 9), 3, audience="Enterprise")
    service.slip(int(launch.id or 0), dt.date(2026, 12, 10), "Pen test")
    console = Console(width=100, record=True, color_system=None, file=io.StringIO())
    console.print(detail_renderable(service.detail(int(launch.id or 0)), service.today()))
    shown = console.export_text()
    assert "Launch: Thu 2026-12-10 (in 14 days)" in shown
    assert "Originally: 2026-12-01" in shown
    assert "2026-12-01 → 2026-12-10 · " in shown
    assert "same week, same audience: Audit log (Wed 2026-12-09)" in shown
    assert not re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", shown)


async def test_the_go_no_go_form_names_a_collision_and_a_blackout(
    store: Store, clock: FrozenClock
) -> None:
    """The form said 'no risks' for a launch landing the same week as another for the same
    audience, inside a blackout: the flags the timeline shows (and the snapshot keeps) are
    named beside the readiness."""
    from opsdesk.config import parse_config
    from opsdesk.tui.screens.launches_actions import decision_state

    config = parse_config(
        {
            "general": {"user": "Olivia Ops"},
            "launches": {
                "blackouts": [
                    {"name": "Year-end freeze", "start": "2026-12-18", "end": "2027-01-04"}
                ]
            },
        }
    )
    service = LaunchService(Desk(store, config, clock))
    launch, _ = service.create("SSO GA", dt.date(2026, 12, 30), 3, audience="smb")
    service.create("Audit log", dt.date(2026, 12, 31), 3, audience="SMB ")
    calm, _ = service.create("Dark mode", dt.date(2026, 12, 9), 3, audience="consumers")
    state = decision_state(service.view(int(launch.id or 0)))
    assert state == (
        "0% ready, no risks; but same week, same audience as Audit log; "
        "inside the blackout Year-end freeze"
    )
    assert decision_state(service.view(int(calm.id or 0))) == "0% ready, no risks"
    app = build_app(store, config, clock=clock, pane="launches")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _to_launch(pilot, int(launch.id or 0))
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        shown = screen_text(app.screen)
        assert "Audit log" in shown and "Year-end freeze" in shown


async def test_pane_keys_leave_the_launch_screen_for_that_pane(
    demo_store: Store, clock: FrozenClock
) -> None:
    """On a launch's screen (and on what a function owes) '2' switched the pane hidden behind
    it: nothing changed on screen, and Esc later showed the inbox instead of the launches."""
    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        await pilot.press("2")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert app.current_pane.pane_id == "feedback"
        await pilot.press("1", "f", "enter")  # by function, then a launch from its list
        await pilot.pause()
        assert [type(s) for s in app.screen_stack[1:]] == [ByFunctionScreen, LaunchScreen]
        await pilot.press("0")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert app.current_pane.pane_id == "today"
        assert app.focused is app.query_one(TodayPane).list


async def test_a_pane_switch_holds_when_the_pane_left_is_hidden_before_the_focus_moves(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Under load, '0' after a launch's screen sometimes left the launches showing: the list
    of the pane left still had the focus when the switch was drawn and it was hidden, so
    Textual gave the focus to a widget beside it, in that hidden pane, and the tabs followed
    the focus back there. Here the hiding comes first on purpose, as on a busy machine."""
    from textual import events

    app = _app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = _pane(app).list
        assert app.focused is listing
        await app.action_show_pane("today")
        listing._on_hide(events.Hide())  # drawn hidden before the Today list took the focus
        await pilot.pause()
        assert app.current_pane.pane_id == "today"
        assert app.focused is app.query_one(TodayPane).list


async def test_the_move_date_form_shows_what_the_new_date_would_move_and_meet(
    store: Store, clock: FrozenClock
) -> None:
    """The form took a new date and a reason and only afterwards said what had moved: a
    manager could not see, before recording the slip for good, that the date re-planned
    the security review into the past, landed beside another enterprise launch, or sat in
    the year-end freeze. Beside the form, as the date is typed, it now says so."""
    from opsdesk.config import Blackout, LaunchPolicy

    freeze = Blackout(name="Year-end freeze", start=dt.date(2026, 12, 18), end=dt.date(2027, 1, 4))
    config = Config(
        general=GeneralConfig(user="Olivia Ops"), launches=LaunchPolicy(blackouts=[freeze])
    )
    service = LaunchService(Desk(store, config, clock))
    launch, _ = service.create("SSO GA", dt.date(2026, 12, 16), 2, audience="enterprise")
    service.create("Audit log", dt.date(2026, 12, 8), 3, audience="Enterprise")
    app = build_app(store, config, clock=clock, pane="launches")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "d")  # SSO GA, the second by date
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        aside = form.query_one("#form-aside", Static)
        assert not aside.display  # nothing typed yet: nothing to say

        await _fill(pilot, {"launch_date": "2026-12-09"})
        assert _plain(aside).splitlines() == [
            "7 days earlier than 2026-12-16",
            "5 open items move with it",
            "no longer possible in time: legal, security",
            "same week, same audience as #2 Audit log (2026-12-08)",
        ]
        await _fill(pilot, {"launch_date": "2026-12-21"})
        assert _plain(aside).splitlines() == [
            "5 days later than 2026-12-16; marked slipped",
            "5 open items move with it",
            "inside the blackout 'Year-end freeze'",
        ]
        await _fill(pilot, {"launch_date": "yesterday"})
        assert _plain(aside).splitlines()[0].startswith("Wed 25 Nov 2026 has passed")
        assert aside.region.bottom <= form.query_one("#form-submit").region.y  # on screen
        assert store.slips.count() == 0  # a preview writes nothing
        assert store.launches.get(int(launch.id or 0)).launch_date == dt.date(2026, 12, 16)


async def test_the_state_picker_ticks_the_items_state_and_starts_on_it(
    store: Store, clock: FrozenClock
) -> None:
    """On a launch's screen, x opened the state list on 'todo' with nothing marked, whatever
    the item's state: it did not say where the item stood, and enter set it to todo. The
    item's own state is ticked, the cursor starts on it, and enter there changes nothing."""
    from textual.widgets import OptionList

    service = LaunchService(Desk(store, Config(general=GeneralConfig(user="Olivia")), clock))
    _, items = service.create("SSO GA", dt.date(2027, 1, 14), 3)
    first = int(items[0].id or 0)
    service.set_item_state(first, ReadinessState.IN_PROGRESS)
    writes = len(store.history.for_record("readiness_items", first))
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["  todo", "✓ in progress", "  done", "  blocked", "  not applicable"]
        assert options.highlighted == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
    assert store.readiness.get(first).state == ReadinessState.IN_PROGRESS
    assert len(store.history.for_record("readiness_items", first)) == writes


async def test_esc_clearing_a_search_keeps_the_launch_highlighted(
    store: Store, clock: FrozenClock
) -> None:
    """On the timeline Esc cleared the search and put the cursor back on the first row (in
    the list, on today's launch): the launch just found was lost among the others. It stays
    highlighted in both views."""
    service = LaunchService(Desk(store, Config(general=GeneralConfig(user="Olivia")), clock))
    for title, when in [
        ("Audit log", dt.date(2026, 12, 3)),
        ("Dark mode", dt.date(2026, 12, 10)),
        ("SSO GA", dt.date(2026, 12, 17)),
        ("Usage billing", dt.date(2026, 12, 21)),
    ]:
        service.create(title, when, 3)
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = _pane(app)
        for view in ("timeline", "list"):
            if pane.view_mode != view:
                await pilot.press("t")
                await pilot.pause()
            shown = pane.timeline if view == "timeline" else pane.list
            await pilot.press("slash", *"sso", "enter")
            await pilot.pause()
            assert shown.row_count == 1
            await pilot.press("escape")
            await pilot.pause()
            assert shown.row_count == 4, view
            current = shown.current_row
            assert current is not None and current.record.title == "SSO GA", view


async def test_the_move_date_form_says_a_sunday_is_not_a_working_day(
    store: Store, clock: FrozenClock
) -> None:
    """Moving a launch onto a Sunday happened without a word. The preview beside the form
    says so (a warning: the move is still allowed) and so does the note after the move."""
    service = LaunchService(Desk(store, Config(general=GeneralConfig(user="Olivia")), clock))
    launch, _ = service.create("SSO GA", dt.date(2027, 1, 14), 3)
    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        aside = form.query_one("#form-aside", Static)
        await _fill(pilot, {"launch_date": "2027-01-10"})
        assert _plain(aside).splitlines()[:2] == [
            "4 days earlier than 2027-01-14",
            "Sun 2027-01-10 is not a working day",
        ]
        await _fill(pilot, {"launch_date": "2027-01-11"})
        assert "not a working day" not in _plain(aside)
        await _fill(pilot, {"launch_date": "2027-01-10", "reason": "Weekend cutover"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any("Sun 2027-01-10 is not a working day." in note for note in notes), notes
    assert store.launches.get(int(launch.id or 0)).launch_date == dt.date(2027, 1, 10)


async def test_moving_a_launch_plus_a_week_means_a_week_later_than_planned(
    store: Store, clock: FrozenClock
) -> None:
    """'+1w' in the move-date form counted from today: a launch planned for 16 Dec 'slipped
    a week' landed on 3 Dec, earlier than planned. Offsets count from the launch's date, as
    the hint says and the preview shows; words ('tomorrow', 'fri') still mean what they say."""
    service = LaunchService(Desk(store, Config(general=GeneralConfig(user="Olivia")), clock))
    launch, _ = service.create("SSO GA", dt.date(2026, 12, 16), 3)
    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        hint = form.query_one("#hint-launch_date", Static)
        await _fill(pilot, {"launch_date": ""})
        assert "+1w is a week later" in _plain(hint)
        await _fill(pilot, {"launch_date": "+1w"})
        assert "Wednesday 23 December 2026" in _plain(hint)
        assert "+1w from Wed 16 Dec" in _plain(hint)
        aside = form.query_one("#form-aside", Static)
        assert _plain(aside).startswith("7 days later than 2026-12-16")
        await _fill(pilot, {"launch_date": "tomorrow"})
        assert "Friday 27 November 2026" in _plain(hint) and "from Wed" not in _plain(hint)
        await _fill(pilot, {"launch_date": "-2d", "reason": "Docs are early"})
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert store.launches.get(int(launch.id or 0)).launch_date == dt.date(2026, 12, 14)


async def test_the_launch_screen_says_who_owns_each_item_and_each_risk(
    store: Store, clock: FrozenClock
) -> None:
    """At 80 columns (and at 120 beside long titles) the checklist's Owner column gives way
    to the item's title, and neither the item below it nor the risks beside it named an
    owner: the launch screen never said who must sign off. The item says its owner (or that
    nobody has it yet) and each risk names the person to chase."""
    service = LaunchService(Desk(store, Config(general=GeneralConfig(user="Olivia")), clock))
    _, items = service.create("SSO GA", dt.date(2026, 12, 9), 2)
    service.reown_item(int(items[0].id or 0), "Rafael Ortiz")  # legal, overdue
    app = _app(store, clock)
    for size in (SIZE, (80, 24)):
        async with app.run_test(size=size) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, LaunchScreen)
            # The Owner column shows only where the longest title keeps its room beside it
            # (never at 80 columns), so the item below the list names the owner.
            item = _plain(app.screen.query_one("#launch-item-detail", Static))
            assert "owner: Rafael Ortiz · role counsel" in item, item
            await pilot.press("j")
            await pilot.pause()
            item = _plain(app.screen.query_one("#launch-item-detail", Static))
            assert "owner: nobody yet (o gives it to someone)" in item, item
            facts = " ".join(_plain(app.screen.query_one("#launch-facts-body", Static)).split())
            assert "Legal review: overdue (due 2026-11-25) — Rafael Ortiz" in facts, facts
        app = _app(store, clock)


async def test_space_on_an_item_already_signed_off_says_who_signed_it(
    store: Store, clock: FrozenClock
) -> None:
    """Space on a done item opened a blank sign-off form: a stray key and a note put the
    manager's name over the sign-off of the person who did the work. Space now says who
    signed it off and when; x → done still signs it off again, its evidence offered."""
    service = LaunchService(Desk(store, Config(general=GeneralConfig(user="Rafael")), clock))
    _, items = service.create("SSO GA", dt.date(2027, 1, 20), 3)
    first = int(items[0].id or 0)
    service.set_item_state(first, ReadinessState.DONE, "https://wiki/SUP-1")
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)  # no form
        notes = [str(n.message) for n in app._notifications]
        assert notes[-1] == (
            "Already signed off by Rafael on 2026-11-26. x sets another state (or signs it "
            "off again)."
        )
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"done", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        evidence = app.screen.query_one("#field-evidence", Input)
        assert evidence.value == "https://wiki/SUP-1"
        hint = _plain(app.screen.query_one("#hint-evidence", Static)).strip()
        assert hint == "signed off by Olivia Ops, now (was by Rafael on 2026-11-26)"
        await _fill(pilot, {"evidence": "https://wiki/SUP-2"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        signed = store.readiness.get(first)
        assert (signed.evidence, signed.signed_off_by) == ("https://wiki/SUP-2", "Olivia Ops")


async def test_the_list_by_date_opens_on_the_first_launch_still_to_come(
    store: Store, clock: FrozenClock
) -> None:
    """By date the list began with the oldest launch: on a year of history a manager opened
    it on launches that went out a year ago and paged through hundreds to reach this week.
    It opens (and comes back to the date order) on the first launch dated today or later,
    with the last ones already out just above it; g still goes to the first."""
    service = LaunchService(Desk(store, Config(general=GeneralConfig(user="Olivia")), clock))
    today = clock.now().date()
    for weeks in range(-60, 0):
        service.create(
            f"Shipped {weeks}", today + dt.timedelta(weeks=weeks), 3, status=LaunchStatus.LAUNCHED
        )
    service.create("Today's launch", today, 3)
    for weeks in range(1, 41):
        service.create(f"Launch in {weeks} weeks", today + dt.timedelta(weeks=weeks), 3)
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.query_one("#launches-list", WindowList)
        assert listing.current_row.record.title == "Today's launch"  # type: ignore[union-attr]
        assert listing.cursor == 60
        top = int(listing.scroll_offset.y)
        assert listing.cursor - top == 3  # the last launches out stay in sight above
        await pilot.press("g")
        assert listing.cursor == 0
        await pilot.press("s", "s", "s")  # risk, title, and back to date
        await pilot.pause()
        assert listing.current_row.record.title == "Today's launch"  # type: ignore[union-attr]
        await pilot.press("slash", *"launch in 1")
        await pilot.pause()
        assert listing.cursor == 0  # nothing in this search went out before today


async def test_t_hands_the_keys_to_the_timeline_before_the_next_key(
    demo_store: Store, clock: FrozenClock, monkeypatch: Any
) -> None:
    """'t' moved the focus to the timeline only after the next screen refresh: on a busy
    machine a 'j' typed right behind it reached the hidden list and was lost (the timeline
    snapshots flaked, one row short). Refreshes are held back here, as a slow frame does."""
    monkeypatch.setattr(LaunchesPane, "call_after_refresh", lambda self, *a, **k: True)
    app = build_app(demo_store, Config(), clock=clock, pane="launches")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(app.focused, LaunchTimeline)
        opened_on = app.query_one(LaunchTimeline).cursor  # the list's launch
        await pilot.press("j")
        assert app.query_one(LaunchTimeline).cursor == opened_on + 1
        await pilot.press("t")
        assert app.focused is app.query_one("#launches-list", WindowList)


async def test_t_keeps_the_launch_highlighted(store: Store, clock: FrozenClock) -> None:
    """The launch highlighted in the list is the one highlighted on the timeline, and back:
    both views used to keep their own cursor, so 't' on a risky launch found in the list
    showed the timeline's first row. A launch outside the weeks shown moves the weeks."""
    base = dt.date(2026, 11, 30)
    for n in range(6):
        store.launches.insert(Launch(title=f"Soon {n}", launch_date=base + dt.timedelta(days=n)))
    far = store.launches.insert(Launch(title="Far away", launch_date=dt.date(2027, 9, 15)))
    app = _app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane_list = app.query_one("#launches-list", WindowList)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        picked = pane_list.current_row.record.title  # type: ignore[union-attr]
        assert picked == "Soon 3"
        await pilot.press("t")
        await pilot.pause()
        timeline = app.query_one(LaunchTimeline)
        assert timeline.current_row.record.title == picked  # type: ignore[union-attr]
        home = timeline.period
        # Back in the list, on the launch the timeline had.
        await pilot.press("k", "t")
        await pilot.pause()
        assert pane_list.current_row.record.title == "Soon 2"  # type: ignore[union-attr]
        # A launch far from the weeks shown: the timeline goes to its weeks.
        await pilot.press("G", "t")
        await pilot.pause()
        assert timeline.current_row.record.id == far.id  # type: ignore[union-attr]
        start, end = timeline.period
        assert start != home[0] and start <= far.launch_date <= end


async def test_footers_at_80_columns_show_move_date_and_go_no_go_whole(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 80x24 the list's footer ended in 'd Move da' and the launch screen's in 'e ▏': move
    date and go/no-go, the keys no one guesses, could not be found from them. Each view now
    keeps its own few keys whole after '? Help'; new, edit and the rest are in help and work."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await shown_footer_keys(pilot) == ["?", "/", "s", "t", "d", "y"]
        assert {"new_launch", "edit"} <= _actions(app)
        await pilot.press("t")
        assert await shown_footer_keys(pilot) == ["?", "←", "→", "z", "t", "d", "y", "^q"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        assert await shown_footer_keys(pilot) == ["?", "esc", "space", "x", "d", "y"]
        assert {"add_item", "reown", "edit"} <= _actions(app)
        await pilot.press("e")  # off the footer, on its key as before
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        # Wide again: the full set, 't' saying where it goes.
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        shown = await shown_footer_keys(pilot)
        assert shown == ["←", "→", "z", "/", "t", "n", "e", "d", "y", "f", "^q", "?"]
        assert "t List" in screen_text(app).splitlines()[-1]


async def test_the_checklist_shows_every_title_and_function_whole(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 120 columns the launch screen's checklist cut 'Sales talk track and enable…' and
    'customer suc…' (fixed widths): only the highlighted item could be read. The columns now
    take their widths from the launch's items, at 120 and at 80 columns."""
    for size in (SIZE, (80, 24)):
        app = _app(demo_store, clock)
        async with app.run_test(size=size) as pilot:
            await pilot.press("j", "j", "j", "enter")  # SAML SSO: seven items, four at risk
            await pilot.pause()
            assert isinstance(app.screen, LaunchScreen)
            assert "SAML SSO" in app.screen.sub_title
            text = screen_text(app)
            for whole in (
                "Sales talk track and enablement",
                "Launch campaign and blog post",
                "Legal & compliance review",
                "customer success",
                "not started",
            ):
                assert whole in text, (size, whole, text)
            assert "…" not in "".join(text.splitlines()[2:9]), text


def test_checklist_widths_come_from_the_items() -> None:
    """Each column as wide as its longest value; the date gives up its year before a title
    is cut; the owner column only where the longest title keeps its room."""
    values = {
        "functions": ["legal", "customer success"],
        "states": ["todo", "in progress"],
        "risks": ["overdue", "not started"],
        "titles": ["Sales talk track and enablement"],
    }
    roomy = checklist_widths(84, **values)
    assert (roomy.due, roomy.function, roomy.state, roomy.risk, roomy.owner) == (
        10,
        16,
        11,
        11,
        0,
    )
    tight = checklist_widths(80, **values)
    assert tight.short_dates and tight.owner == 0
    wide = checklist_widths(140, **values)
    assert not wide.short_dates and wide.owner == 16
    quiet = checklist_widths(80, functions=["docs"], states=["done"], risks=[], titles=["Docs"])
    assert (quiet.function, quiet.state, quiet.risk) == (8, 5, 4)


async def test_the_go_no_go_form_names_each_risk_on_one_line(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The form said '4 risks' without naming them: the decision was made with the risks
    hidden behind it. Each is named under the fields, one line each at 120 and at 80x24."""
    for size in (SIZE, (80, 24)):
        app = _app(demo_store, clock)
        async with app.run_test(size=size) as pilot:
            await pilot.press("j", "j", "j", "y")  # SAML SSO: four risks
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, FormScreen)
            aside = app.screen.query_one("#form-aside", Static)
            assert aside.display
            lines = _plain(aside).strip().splitlines()
            assert [line.split(" · ")[0] for line in lines] == [
                "security",
                "marketing",
                "sales",
                "customer success",
            ], lines
            assert "Security review: blocked (due 17 Nov) — Ben Sørensen" in lines[0]
            shown = screen_text(app.screen)
            assert "security · Security review: blocked" in shown
            assert "customer success · CSM training" in shown
            # One screen line per risk (cut with '…' rather than wrapped), the note on screen.
            rows = shown.splitlines()
            at = next(i for i, row in enumerate(rows) if "│ security · Security review" in row)
            functions = ("security", "marketing", "sales", "customer success")
            for offset, function in enumerate(functions):
                assert f"│ {function} · " in rows[at + offset], rows[at : at + 5]
            assert rows[at + 4].split("│")[1].strip() == "", rows[at + 4]
            assert "Note" in shown
