"""Today's lines on screen: as wide as the list, an at-risk launch's reason whole at 80
columns, and the welcome of an empty database scrolled with the list keys."""

from __future__ import annotations

import re
from functools import partial

import pytest
from textual import events
from textual.containers import VerticalScroll

from hostile import screen_text
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.services.today import today_sections
from opsdesk.store import Store
from opsdesk.store.base import Where
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.panes import today as today_pane
from opsdesk.tui.panes.today import TodayPane
from opsdesk.tui.screens.contacts_follow_ups import FollowUpsScreen


def _list_rows(app: OpsdeskApp) -> list[str]:
    """The rows of Today's list as drawn, each cut to the cells the lines may use (inside
    the border, the padding and the scrollbar)."""
    region = app.query_one(TodayPane).list.scrollable_content_region
    screen = screen_text(app).splitlines()
    return [screen[y][region.x : region.right] for y in range(region.y, region.bottom)]


async def test_a_cut_line_reaches_the_right_edge_of_the_list(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Lines were cut to the list's width less four, and the list has a scrollbar too: a
    long line ended in '…' six cells before the edge, with the room left empty."""
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for size in ((120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            rows = _list_rows(app)
            width = len(rows[0])
            cut = [row for row in rows if "…" in row and "… and" not in row]
            assert cut, (size, rows)
            for row in cut:
                assert len(row.rstrip()) == width and row.endswith("…"), (size, row)


async def test_the_list_ends_above_the_footer(demo_store: Store, clock: FrozenClock) -> None:
    """The list took the pane's whole height under the summary line, so its bottom edge
    (and on a full screen its last line) fell below the screen, behind the footer."""
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one(TodayPane)
        assert pane.list.region.bottom <= pane.region.bottom
        assert pane.list.region.y > pane.query_one("#today-summary").region.y


async def test_an_at_risk_launchs_reason_reads_whole_at_80_columns(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 80 columns the reason was cut after 29 characters, '1 blocked (security), 2 …':
    the overdue functions and the readiness were lost. A reason too long for the line goes
    under the launch's title, indented past the date."""
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one(TodayPane)
        ids = [str(option.id) for option in pane.list._options]
        pane.list.highlighted = next(
            i for i, key in enumerate(ids) if key.startswith("launches_risk:2:")
        )
        await pilot.pause()
        rows = _list_rows(app)
        # The title alone on its line (the readiness lines name the launch too).
        [at] = [
            i
            for i, row in enumerate(rows)
            if re.fullmatch(r"  \d{4}-\d\d-\d\d  SAML SSO with SCIM provisioning *", row)
        ]
        under = [rows[at + 1], rows[at + 2]]
        assert all(row.startswith(" " * 14) and row[14] != " " for row in under), under
        reason = " ".join(row.strip() for row in under)
        assert reason.startswith(
            "1 blocked (security), 2 overdue (marketing, sales), 1 not started (customer"
            " success) · 42% ready · tier 1"
        ), reason
        # A launch whose whole line fits stays on one line, beside its title.
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        rows = _list_rows(app)
        [slack] = [row for row in rows if "Slack integration 2.0  1 overdue" in row]
        assert slack.rstrip().endswith("· 60% ready · tier 2 · Samir Haddad")


async def test_the_welcome_scrolls_with_the_list_keys(store: Store, clock: FrozenClock) -> None:
    """On an empty database at 80x24 the welcome runs past the screen's foot, and j/k (the
    keys every list moves with) did not scroll it: its last lines stayed out of reach."""
    app = build_app(store, Config(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.query_one("#today-welcome", VerticalScroll)
        assert app.focused is box and box.max_scroll_y > 0
        assert "'opsdesk demo'" not in screen_text(app)
        for _ in range(int(box.max_scroll_y)):
            await pilot.press("j")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        assert "'opsdesk demo' opens a sample company" in screen_text(app)
        await pilot.press("k")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y - 1
        await pilot.press("g")
        await pilot.pause()
        assert box.scroll_y == 0
        await pilot.press("G")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert box.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("up")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y - 1


async def test_keys_typed_together_each_scroll_the_welcome(
    store: Store, clock: FrozenClock
) -> None:
    """Keys arriving together ('jjj' typed fast, a held arrow) scrolled one line in all:
    each scroll waited for the next refresh and aimed from where the last one had."""
    app = build_app(store, Config(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.query_one("#today-welcome", VerticalScroll)
        assert box.max_scroll_y >= 4
        for key in ("j", "j", "down"):
            app.post_message(events.Key(key, None))
        await pilot.pause()
        assert box.scroll_y == 3
        for key in ("k", "up"):
            app.post_message(events.Key(key, None))
        await pilot.pause()
        assert box.scroll_y == 1


async def test_a_long_reason_keeps_its_owner_when_its_lines_have_room(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The reason was cut at 120 characters before it was wrapped under the title, so a
    launch with much to chase lost its tier and owner ('· 62% ready · ti…') even at 120
    columns, where its two lines hold 200. Now only the lines' room cuts it."""
    [launch] = [
        row.record
        for row in demo_store.launches.window(Where(), "date", offset=0, limit=100)
        if row.record.title == "SAML SSO with SCIM provisioning"
    ]
    demo_store.launches.update(int(launch.id or 0), owner="Priya Raman-Castellanos Montenegro")
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.query_one(TodayPane)
        ids = [str(option.id) for option in pane.list._options]
        pane.list.highlighted = next(
            i for i, key in enumerate(ids) if key.endswith(f":launches:{launch.id}")
        )
        await pilot.pause()
        rows = _list_rows(app)
        [at] = [
            i
            for i, row in enumerate(rows)
            if re.fullmatch(r"  \d{4}-\d\d-\d\d  SAML SSO with SCIM provisioning *", row)
        ]
        reason = " ".join(row.strip() for row in rows[at + 1 : at + 3])
        assert len(reason) > 120, reason
        assert reason.endswith("· 42% ready · tier 1 · Priya Raman-Castellanos Montenegro")


async def test_more_follow_ups_and_conflicts_open_their_lists(
    demo_store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'… and 3,249 more' under the follow-ups (and the conflicts) was a dead end: the cursor
    skipped it and nothing said where the rest were. It now names the list and Enter opens
    it: Contacts' follow-ups, Experiments' conflicts."""
    monkeypatch.setattr(today_pane, "today_sections", partial(today_sections, limit=0))
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one(TodayPane)
        for section, pane_id, hint in (
            ("follow_ups", "contacts", "Enter lists them all in Contacts' follow-ups"),
            ("conflicts", "experiments", "Enter lists them all in Experiments' conflicts"),
        ):
            await pilot.press("0")
            await pilot.pause()
            options = pane.list._options
            [at] = [i for i, o in enumerate(options) if o.id == f"more:{section}"]
            assert not options[at].disabled
            assert str(options[at].prompt).endswith(hint)
            pane.list.highlighted = at
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            assert app.current_pane.pane_id == pane_id
            if section == "follow_ups":
                assert isinstance(app.screen, FollowUpsScreen)
                await pilot.press("escape")
                await pilot.pause()
            else:
                assert app.current_pane.view == "conflicts"


async def test_the_summary_names_each_sections_count_instead_of_adding_them_up(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The summary said '72,849 things need you': every section's count added up, a launch
    due this week and at risk counted twice, breached feedback drowning the rest. It now
    names the sections' own counts in Today's order, as many as fit, and how many more."""
    app = build_app(demo_store, Config(), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.query_one(TodayPane)
        named = [
            (f"{s.total:,} {today_pane.SUMMARY_LABELS[s.key]}", s.key)
            for s in pane.sections
            if s.total
        ]
        assert len(named) > 4
        for size in ((80, 24), (120, 40), (250, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            region = pane.query_one("#today-summary").region
            line = screen_text(app).splitlines()[region.y][region.x : region.right].strip()
            assert "need you" not in line and not line.endswith("…"), (size, line)
            date, *parts = line.split(" · ")
            day = pane.desk.today()
            assert date in (f"{day:%a %d %b}", f"{day:%A %d %B %Y}"), (size, line)
            more = parts.pop() if parts[-1].startswith("+") else None
            counts = [part for part in parts if part != "Enter opens a line"]
            assert len(counts) >= 3, (size, line)
            assert counts == [text for text, _key in named[: len(counts)]], (size, line)
            left = len(named) - len(counts)
            assert more == (f"+{left} more" if left else None), (size, line)
