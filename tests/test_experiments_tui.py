"""Pilot tests of the experiment board: create, move through every column meeting each guard,
see a conflict on both cards, find a past learning before starting, and the other views."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from rich.console import Console
from textual.widgets import Footer, Input, Select, Static, TextArea
from textual.widgets._footer import FooterKey

from footer_keys import shown_footer_keys
from hostile import screen_text
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Experiment, Feedback, Launch
from opsdesk.services import experiments as service
from opsdesk.services.desk import Desk
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.panes.experiments import ExperimentsPane
from opsdesk.tui.screens.dialogs import ConfirmScreen, FormScreen, PickerScreen, PromptScreen
from opsdesk.tui.screens.exports import ReportScreen
from opsdesk.tui.widgets.experiments_board import CARD_HEIGHT, CardColumn
from opsdesk.tui.widgets.experiments_render import card_lines
from opsdesk.tui.widgets.window_list import PAGE_SIZE, WindowList
from opsdesk.vocabulary import ExperimentDecision, ExperimentResult, ExperimentStatus

TODAY = dt.date(2026, 11, 26)
HOSTILE = "[b]bold[/b] [@click=app.quit]x[/] \x1b[31mred\x07"


def _app(store: Store, clock: FrozenClock) -> OpsdeskApp:
    return build_app(store, Config(), clock=clock, pane="experiments")


def _pane(app: OpsdeskApp) -> ExperimentsPane:
    return app.query_one("#pane-experiments", ExperimentsPane)


def _column(app: OpsdeskApp, status: str) -> CardColumn:
    return app.query_one(f"#experiments-column-{status}", CardColumn)


def _lines(widget: WindowList, rows: int | None = None) -> list[str]:
    """What a list or column shows, line by line, as plain text."""
    height = rows or widget.size.height
    return ["".join(s.text for s in widget.render_line(y)) for y in range(height)]


def _plain(renderable: Any) -> str:
    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _detail(app: OpsdeskApp) -> str:
    return _plain(app.query_one("#experiments-detail-body", Static).content)


def _form(app: OpsdeskApp) -> FormScreen:
    assert isinstance(app.screen, FormScreen), app.screen
    return app.screen


def _fill(form: FormScreen, **values: Any) -> None:
    for name, value in values.items():
        widget = form.query_one(f"#field-{name}")
        if isinstance(widget, TextArea):
            widget.load_text(value)
        else:
            widget.value = value  # type: ignore[attr-defined]


def _desk(store: Store, clock: FrozenClock) -> Desk:
    return Desk(store, Config(), clock)


def _footer_line(app: OpsdeskApp) -> str:
    """The footer as the terminal shows it."""
    return screen_text(app).splitlines()[-1]


async def _to_card(pilot: Any, column: CardColumn, title: str) -> None:
    """Put the cursor on the card titled ``title`` in the focused ``column``, from its top
    down with ``j`` as a person would."""
    assert pilot.app.focused is column
    await pilot.press("g")
    for _ in range(column.row_count):
        row = column.current_row
        if row is not None and row.record.title == title:
            return
        await pilot.press("j")
    raise AssertionError(f"no card {title!r} in {column.status.value}")


async def _whole_footer_keys(pilot: Any) -> list[str]:
    """The footer's keys shown left of the palette key, having checked that none is cut in
    two there (a key or a group's word partly drawn: 'c Conf▏^p palette')."""
    keys = await shown_footer_keys(pilot)
    footer = pilot.app.screen.query_one(Footer)
    edge = footer.query_one(".-command-palette", FooterKey).region.x
    for item in footer.query("FooterKey, FooterLabel"):
        if item.has_class("-command-palette"):
            continue
        start = item.region.x + (1 if isinstance(item, FooterKey) else 0)  # past its padding
        assert not start < edge < item.region.right, (_footer_line(pilot.app), item)
    return keys


# -- the board -------------------------------------------------------------------------------


async def test_board_has_five_columns_and_abandoned_on_request(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = _pane(app)
        shown = [column.status.value for column in pane.board.visible_columns()]
        assert shown == ["idea", "designing", "running", "analyzing", "concluded"]
        assert _lines(_column(app, "running"), 1)[0].startswith(" Running 6")
        assert app.focused is _column(app, "running")
        assert "2 abandoned hidden" in _plain(app.query_one("#experiments-status", Static).content)
        await pilot.press("a")
        await pilot.pause()
        assert _column(app, "abandoned").display
        assert _column(app, "abandoned").row_count == 2
        await pilot.press("a")
        await pilot.pause()
        assert not _column(app, "abandoned").display


async def test_keys_move_between_columns_and_cards(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("left")
        assert app.focused is _column(app, "designing")
        await pilot.press("h", "h", "h")  # stops at the first column
        assert app.focused is _column(app, "idea")
        await pilot.press("right", "l", "l", "l", "l", "l")
        assert app.focused is _column(app, "concluded")
        await pilot.press("j")
        assert _column(app, "concluded").cursor == 1
        first = _column(app, "concluded").current_row
        assert first is not None and first.record.title in _detail(app)


def _titles(column: CardColumn) -> list[str]:
    rows = [column.row_at(index) for index in range(column.row_count)]
    return [row.record.title for row in rows if row is not None]


async def test_each_column_lists_its_cards_in_a_useful_order(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Cards sat newest first in every column, whatever their dates. Ideas and designs now
    come by planned start, running work by planned end (what wraps up next first), work
    being analysed by when it ended, longest waiting first, and concluded work latest
    result first. A moved card keeps the cursor on it in its place in the new column."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert _titles(_column(app, "designing")) == [
            "Usage calculator on the pricing page",  # starts 6 Dec
            "Offline sync status indicator",  # 10 Dec
            "Role templates during workspace setup",  # 16 Dec
            "Suggested reports",  # 21 Dec
        ]
        assert _titles(_column(app, "running")) == [
            "Invite a teammate as the first onboarding step",  # ends 2 Dec
            "Saved searches",  # 5 Dec
            "One-page checkout",  # 7 Dec
            "Dashboard empty-state templates",  # 11 Dec
            "Annual plan selected by default at checkout",  # 13 Dec
            "Weekly email recap",  # 21 Dec
        ]
        assert _titles(_column(app, "analyzing"))[0] == "SSO setup wizard"  # ended 15 Nov
        assert _titles(_column(app, "concluded"))[:2] == [
            "Usage alerts at 80% of plan",  # ended 24 Oct
            "Slack digest instead of per-event pings",  # 16 Oct
        ]
        assert _titles(_column(app, "idea"))[0] == "In-app NPS after key moments"  # the dated one
        assert "One-page checkout" in "\n".join(_lines(_column(app, "running")))
        await pilot.press("h")
        await _to_card(pilot, _column(app, "designing"), "Role templates during workspace setup")
        await pilot.press("right_square_bracket")  # starts running today, ends 13 Jan: last
        await pilot.pause()
        running = _column(app, "running")
        assert app.focused is running
        assert running.cursor == 6
        assert running.current_row is not None
        assert running.current_row.record.title == "Role templates during workspace setup"
        assert "Role templates during workspace setup" in _detail(app)


async def test_the_list_sorts_as_before_beside_the_board_orders(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The repository holds the columns' orders too; 's' in the list cycles its own four."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        seen = []
        for _ in range(4):
            await pilot.press("s")
            await pilot.pause()
            seen.append(_pane(app).sort)
        assert seen == ["start", "newest", "ended", "status"]


async def test_narrow_cards_keep_their_dates_whole(demo_store: Store, clock: FrozenClock) -> None:
    """At 80 columns a card has 13 cells: 'day 4 · ends 21 Dec' was cut to 'day 4 · ends…' and
    '21 Dec → 20 Jan' to '21 Dec → 20 …'. A tighter wording that fits is used instead."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        standing = {
            status: [line.strip() for line in _lines(_column(app, status))[3::CARD_HEIGHT]]
            for status in ("designing", "running", "concluded")
        }
        # the days a manager plans around; 3 Jan after 6 Dec can only be next year's
        assert standing["designing"][0] == "6 Dec→3 Jan"
        assert standing["running"][0] == "day 16→02 Dec"
        await pilot.press("l", "l")
        concluded = _column(app, "concluded")
        await _to_card(pilot, concluded, "30-day free trial instead of 14")
        await pilot.pause()
        standing["concluded"] = [line.strip() for line in _lines(concluded)[3::CARD_HEIGHT]]
        assert "LOST·abandon" in standing["concluded"]
        for lines in standing.values():
            assert not any("…" in line for line in lines if line), lines
    async with _app(demo_store, clock).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        wide = _lines(pilot.app.query_one("#experiments-column-running", CardColumn))
        assert wide[3].strip() == "day 16 · ends 02 Dec"  # room enough: the full wording


async def test_the_abandoned_column_fits_beside_the_others_at_80_columns(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Six columns of at least 16 cells did not fit 80: Textual gave each the board's whole
    width, so showing the abandoned (`a`) left only Idea on screen, and the keyboard moved
    along columns nobody could see. They narrow to fit; a smaller terminal scrolls them."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        board = app.query_one("#experiments-board")
        columns = [column for column in board.query(CardColumn) if column.display]
        assert len(columns) == 6
        for column in columns:
            assert board.region.contains_region(column.region), column
        await pilot.press(*"llllll")
        await pilot.pause()
        assert app.focused is _column(app, "abandoned")
        assert board.region.contains_region(_column(app, "abandoned").region)


def test_a_card_dated_in_another_year_says_the_year() -> None:
    """'ended 28 Feb' in Analyzing could be this February or last one's: a date of another
    year carries its year, in as many cells as the card has (13 at 80 columns)."""

    def standing(width: int, **fields: Any) -> str:
        experiment = Experiment(id=1, title="t", **fields)
        return "".join(text for text, _ in card_lines(experiment, width, False, TODAY)[2])

    last_year = {"status": "analyzing", "actual_start": dt.date(2025, 2, 1)}
    last_year["actual_end"] = dt.date(2025, 2, 28)
    assert standing(30, **last_year) == "ended 28 Feb 2025"
    assert standing(16, **last_year) == "ended 28 Feb '25"
    assert standing(13, **last_year) == "ended Feb '25"
    this_year = {
        **last_year,
        "actual_start": dt.date(2026, 2, 1),
        "actual_end": dt.date(2026, 2, 28),
    }
    assert standing(13, **this_year) == "ended 28 Feb"
    running = {
        "status": "running",
        "actual_start": dt.date(2026, 11, 23),
        "planned_start": dt.date(2026, 11, 23),
        "planned_end": dt.date(2027, 1, 21),
        "primary_metric": "m",
    }
    assert standing(30, **running) == "day 4 · ends 21 Jan 2027"
    assert standing(16, **running) == "day 4→21 Jan '27"
    assert standing(13, **running) == "day 4→21 Jan"  # its end is ahead: the next 21 Jan
    planned = {"status": "designing", "planned_start": dt.date(2027, 1, 5)}
    assert standing(30, **planned, planned_end=dt.date(2027, 1, 26)) == "05 Jan → 26 Jan 2027"
    assert standing(13, **planned, planned_end=dt.date(2027, 1, 26)) == "5–26 Jan '27"
    assert standing(30, **planned, planned_end=dt.date(2028, 1, 3)) == "05 Jan 2027 → 03 Jan 2028"
    for width in (13, 16, 20):
        for fields in (last_year, running, {**planned, "planned_end": dt.date(2028, 1, 3)}):
            assert len(standing(width, **fields)) <= width


def test_a_narrow_card_keeps_the_days_of_a_window_into_next_year() -> None:
    """At 80 columns (13 cells) a window crossing the new year read "Dec → Jan '27": a
    manager planning around the holidays lost the very days that mattered. The days stay,
    unpadded, and the end's year goes only where the start's settles it."""

    def window(width: int, start: dt.date, end: dt.date) -> str:
        experiment = Experiment(
            id=1, title="t", status="designing", planned_start=start, planned_end=end
        )
        return "".join(text for text, _ in card_lines(experiment, width, False, TODAY)[2])

    crossing = (dt.date(2026, 12, 28), dt.date(2027, 1, 3))
    assert window(30, *crossing) == "28 Dec → 03 Jan 2027"
    assert window(16, *crossing) == "28 Dec→3 Jan '27"
    assert window(13, *crossing) == "28 Dec→3 Jan"
    assert window(13, dt.date(2027, 1, 5), dt.date(2027, 1, 26)) == "5–26 Jan '27"
    a_year_on = (dt.date(2026, 12, 1), dt.date(2027, 12, 3))  # '3 Dec' would read as 2026
    assert window(13, *a_year_on) == "Dec→3 Dec '27"
    assert window(13, dt.date(2027, 1, 5), dt.date(2027, 2, 19)) == "Jan → Feb '27"


async def test_a_click_puts_the_cursor_on_the_card_clicked(
    demo_store: Store, clock: FrozenClock
) -> None:
    # A card is four lines tall: a click on the second card's lines is the second card, not
    # the row a one-line list would have there (a second click handler, the column's, used
    # to be overruled by the list's, which Textual ran after it).
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        column = _column(app, "concluded")
        assert column.row_count >= 5
        await pilot.click(column, offset=(3, 1 + CARD_HEIGHT + 1))
        await pilot.pause()
        assert column.cursor == 1
        second = column.current_row
        assert second is not None and second.record.title in _detail(app)


async def test_a_conflict_is_flagged_on_both_cards(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        running = _column(app, "running")
        text = "\n".join(_lines(running))
        assert "⚠ One-page checkout" in text
        assert "⚠ Annual plan select" in text
        assert text.count("⚠") == 2
        await _to_card(pilot, running, "One-page checkout")
        detail = _detail(app)
        assert "One-page checkout" in detail
        assert "Overlaps — talk before you collide" in detail
        assert "Annual plan selected by default at checkout (Elena Vasquez, running)" in detail


async def test_a_new_conflict_appears_on_both_cards(store: Store, clock: FrozenClock) -> None:
    desk = _desk(store, clock)
    running = service.create(
        desk, title="Saved searches", surface="search", planned_start=TODAY, primary_metric="m"
    )
    service.move(desk, running.id, "running")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "⚠" not in "\n".join(_lines(_column(app, "running")))
        await pilot.press("n")
        await pilot.pause()
        form = _form(app)
        _fill(form, title="Rank results by recency", surface="search", planned_start="+2d")
        await pilot.pause()
        aside = _plain(form.query_one("#form-aside", Static).content)
        assert "Would overlap" in aside and "Saved searches" in aside
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert "⚠ Saved searches" in "\n".join(_lines(_column(app, "running")))
        assert "⚠ Rank results by rec" in "\n".join(_lines(_column(app, "idea")))
        assert app.focused is _column(app, "idea")
        assert "Saved searches" in _detail(app)


async def test_the_edit_form_warns_of_the_overlaps_the_board_shows(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # Analyzing: "Inline upgrade prompt on the dashboard" ran until 23 Nov beside the
        # dashboard test running since 21 Nov; being analyzed, it collides with nothing now.
        await pilot.press("l")
        await _to_card(pilot, _column(app, "analyzing"), "Inline upgrade prompt on the dashboard")
        assert "Inline upgrade prompt on the dashboard" in _detail(app)
        assert "Overlaps" not in _detail(app)
        await pilot.press("e")
        await pilot.pause()
        aside = _plain(_form(app).query_one("#form-aside", Static).content)
        assert "Would overlap" not in aside and "Dashboard empty-state" not in aside
        await pilot.press("escape")
        await pilot.pause()

        # Running: the form names the same experiment, over the same days, as the card.
        await pilot.press("h")
        await _to_card(pilot, _column(app, "running"), "One-page checkout")
        detail = _detail(app)
        assert "One-page checkout" in detail
        assert "#16 Annual plan selected by default at checkout" in detail
        await pilot.press("e")
        await pilot.pause()
        aside = _plain(_form(app).query_one("#form-aside", Static).content)
        assert "Would overlap" in aside
        assert "#16 Annual plan selected by default at checkout" in aside
        assert "2026-11-22 → 2026-12-07" in aside and "2026-11-22 → 2026-12-07" in detail


# -- before you start ------------------------------------------------------------------------


async def test_similar_past_experiments_show_only_while_planning(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The edit form of a concluded experiment listed 'similar past experiments', noise
    beside its own result: they help while the work is planned. A concluded card's form has
    no aside; a designing card's form still lists them."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("l", "l")
        assert app.focused is _column(app, "concluded")
        await pilot.press("e")
        await pilot.pause()
        form = _form(app)
        aside = form.query_one("#form-aside", Static)
        assert "Before you start" not in _plain(aside.content) and not aside.display
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("h", "h", "h")
        assert app.focused is _column(app, "designing")
        await pilot.press("e")
        await pilot.pause()
        form = _form(app)
        _fill(form, title="Annual plan discount at checkout")
        await pilot.pause()
        assert "Before you start" in _plain(form.query_one("#form-aside", Static).content)


async def test_creating_shows_past_learnings_before_you_start(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = _form(app)
        assert form.query_one("#field-owner", Input).value == "me"
        _fill(form, title="Annual plan discount")
        await pilot.pause()
        aside = _plain(form.query_one("#form-aside", Static).content)
        assert "Before you start" in aside
        assert "#1 Annual plan nudge on the pricing page WON · ship" in aside
        assert "Savings in currency beat savings in percent" in aside
        _fill(
            form,
            hypothesis="We believe a discount shown in currency will raise annual plan share.",
            surface="pricing-page",
            primary_metric="annual plan share",
            guardrail_metrics="refund rate, checkout conversion",
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        created = demo_store.experiments.get(29)
        assert created.title == "Annual plan discount"
        assert created.guardrail_metrics == ["refund rate", "checkout conversion"]
        assert created.status is ExperimentStatus.IDEA
        assert _column(app, "idea").current_row.record.id == 29  # type: ignore[union-attr]


async def test_the_new_experiment_form_keeps_its_buttons_at_80x24(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 80x24 the "before you start" aside took 14 lines: the fields were left 3 rows and
    Save and Cancel fell out of the dialog, so a new manager saw no way to save. The aside
    takes at most 30% of the screen and the buttons keep the dialog's bottom."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Annual plan discount at checkout")
        await pilot.pause()
        form = _form(app)
        assert "Before you start" in _plain(form.query_one("#form-aside", Static).content)
        inside = form.query_one(".form-dialog").content_region
        buttons = form.query_one(".dialog-buttons").region
        assert inside.contains_region(buttons), (inside, buttons)
        assert form.query_one(".form-fields").region.height >= 5
        aside = form.query_one("#form-aside").region
        assert aside.height >= 4 and inside.contains_region(aside)


async def test_a_report_scrolls_with_the_keys_the_lists_use(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The report preview (ctrl+r) scrolled with the arrows only: j and k, which move every
    list in the app, did nothing in a long readout or learnings report at 80x24."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press(*"learnings", "enter")
        for _ in range(100):
            if isinstance(app.screen, ReportScreen) and app.screen.text:
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, ReportScreen)
        await pilot.pause()
        scroll = app.screen.query_one("#report-scroll")
        assert scroll.max_scroll_y > 3
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroll.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert scroll.scroll_y == 0


async def test_form_refuses_bad_input_under_its_field(store: Store, clock: FrozenClock) -> None:
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = _form(app)
        _fill(form, title="Backwards", planned_start="2026-12-10", planned_end="2026-12-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        error = _plain(form.query_one("#error-planned_end", Static).content)
        assert "the planned end is before the planned start" in error
        assert store.experiments.count() == 0
        await pilot.press("escape")
        await pilot.pause()
        assert store.experiments.count() == 0


async def test_a_missing_or_overlong_title_is_said_in_words_at_the_field(
    store: Store, clock: FrozenClock
) -> None:
    """An overlong title showed pydantic's 'String should have at most 500 characters' at
    the field (and a blank one, from the CLI, 'at least 1 character'). A blank title stops
    at the form's own 'required', as in every form; the model's sentence is the backstop."""
    service.create(_desk(store, clock), title="Annual toggle")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key, title in (("n", "   "), ("n", "x" * 600), ("e", ""), ("e", "\u3000")):
            if key == "e":
                assert _pane(app).show_record(1)
            await pilot.press(key)
            await pilot.pause()
            form = _form(app)
            _fill(form, title=title)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert _form(app) is form, "not saved"
            error = _plain(form.query_one("#error-title", Static).content).strip()
            assert "String should" not in error
            if len(title) > 500:
                assert error == "a title is at most 500 characters (this one has 600)"
            else:  # spaces only, cleared, an ideographic space
                assert error == "required"
            await pilot.press("escape")
            await pilot.pause()
            if isinstance(app.screen, ConfirmScreen):  # throw away what was typed
                await pilot.press("y")
                await pilot.pause()
        assert store.experiments.count() == 1
        assert store.experiments.get(1).title == "Annual toggle"


# -- moving through every column -------------------------------------------------------------


async def test_move_through_every_column_meeting_each_guard(
    store: Store, clock: FrozenClock
) -> None:
    created = service.create(_desk(store, clock), title="Three-field signup form")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h", "h")
        assert app.focused is _column(app, "idea")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert store.experiments.get(created.id).status is ExperimentStatus.DESIGNING
        assert app.focused is _column(app, "designing")

        # Running needs a start date and a metric: the form asks for exactly those.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        form = _form(app)
        assert [spec.name for spec in form.fields] == ["planned_start", "primary_metric"]
        await pilot.press("escape")  # not now: it stays where it was
        await pilot.pause()
        assert store.experiments.get(created.id).status is ExperimentStatus.DESIGNING
        await pilot.press("shift+right")
        await pilot.pause()
        form = _form(app)
        _fill(form, planned_start="today")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "required" in _plain(form.query_one("#error-primary_metric", Static).content)
        _fill(form, primary_metric="signup completion")
        await pilot.press("ctrl+s")
        await pilot.pause()
        running = store.experiments.get(created.id)
        assert running.status is ExperimentStatus.RUNNING
        assert (running.planned_start, running.actual_start) == (TODAY, TODAY)
        assert app.focused is _column(app, "running")

        clock.advance(dt.timedelta(days=14))
        await pilot.press("right_square_bracket")
        await pilot.pause()
        analyzing = store.experiments.get(created.id)
        assert analyzing.status is ExperimentStatus.ANALYZING
        assert analyzing.actual_end == dt.date(2026, 12, 10)

        # Concluding needs a result, a decision and learnings.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        form = _form(app)
        assert [spec.name for spec in form.fields] == ["result", "effect", "decision", "learnings"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "choose one" in _plain(form.query_one("#error-result", Static).content)
        assert "required" in _plain(form.query_one("#error-learnings", Static).content)
        form.query_one("#field-result", Select).value = ExperimentResult.WON
        form.query_one("#field-decision", Select).value = ExperimentDecision.SHIP
        _fill(form, effect="+12% completion", learnings="Phone was the field people left on.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        concluded = store.experiments.get(created.id)
        assert concluded.status is ExperimentStatus.CONCLUDED
        assert concluded.result is ExperimentResult.WON
        assert concluded.learnings == "Phone was the field people left on."
        assert app.focused is _column(app, "concluded")
        assert "WON · ship" in "\n".join(_lines(_column(app, "concluded")))

        await pilot.press("right_square_bracket")  # the last column: nothing happens
        await pilot.pause()
        assert store.experiments.get(created.id).status is ExperimentStatus.CONCLUDED
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert store.experiments.get(created.id).status is ExperimentStatus.ANALYZING
        statuses = [
            change.new
            for change in reversed(store.history.for_record("experiments", created.id))
            if change.field == "status"
        ]
        assert statuses == ["designing", "running", "analyzing", "concluded", "analyzing"]


def _notes(app: OpsdeskApp) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_a_move_that_needs_more_asks_with_a_form_not_a_refusal(
    store: Store, clock: FrozenClock
) -> None:
    """Concluding showed '“…” cannot move to concluded: it needs a result…' at the same time
    as the form asking for exactly that: a refusal of the move the user was making. The
    form alone asks; only Esc, leaving the card where it was, says it was not moved."""
    desk = _desk(store, clock)
    created = service.create(
        desk, title="Saved searches", status="designing", planned_start=TODAY, primary_metric="m"
    )
    service.move(desk, created.id, "running")
    service.move(desk, created.id, "analyzing")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert _pane(app).show_record(created.id)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert _form(app).fields[0].name == "result"
        assert not any("cannot move" in note for note in _notes(app)), _notes(app)
        await pilot.press("escape")
        await pilot.pause()
        assert store.experiments.get(created.id).status is ExperimentStatus.ANALYZING
        last = list(app._notifications)[-1]
        assert (last.title, last.severity) == ("Not moved", "warning")


async def test_setting_a_card_running_names_whom_it_collides_with(
    store: Store, clock: FrozenClock
) -> None:
    """Moving a card to Running said only '“…” → running' while it started colliding with a
    colleague's test; the notice now names the other experiment, its owner, why and when."""
    desk = _desk(store, clock)
    window = {"planned_start": TODAY, "planned_end": TODAY + dt.timedelta(days=14)}
    service.create(desk, title="One-page checkout", owner="Marcus Okafor", surface="checkout",
                   primary_metric="conversion", status="designing", **window)  # fmt: skip
    service.move(desk, 1, "running")
    service.create(desk, title="Checkout copy", surface="checkout", primary_metric="aov",
                   status="designing", **window)  # fmt: skip
    service.create(desk, title="Quiet idea", surface="search", primary_metric="clicks",
                   status="designing", **window)  # fmt: skip
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert _pane(app).show_record(2)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert store.experiments.get(2).status is ExperimentStatus.RUNNING
        last = list(app._notifications)[-1]
        assert last.severity == "warning"
        assert last.message == (
            "“Checkout copy” → running, overlapping #1 “One-page checkout” (Marcus Okafor): "
            "same surface (checkout), 2026-11-26 → 2026-12-10."
        )
        assert _pane(app).show_record(3)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert store.experiments.get(3).status is ExperimentStatus.RUNNING
        assert list(app._notifications)[-1].message == "“Quiet idea” → running"


async def test_moving_a_card_to_the_column_it_is_in_says_so_and_writes_nothing(
    store: Store, clock: FrozenClock
) -> None:
    desk = _desk(store, clock)
    created = service.create(
        desk, title="Saved searches", status="designing", planned_start=TODAY, primary_metric="m"
    )
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        assert app.focused is _column(app, "designing")
        # Someone else starts it before the board has read the change: the card on screen
        # still says designing, so ] asks for running, where it already is.
        service.move(desk, created.id, "running")
        history = _history(store, created.id)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        notes = _notes(app)
        assert "“Saved searches” is already in the running column; nothing changed." in notes
        assert not any("→ running" in note for note in notes)
        assert _history(store, created.id) == history
        # The board now shows it where it really is, with the keyboard on it.
        assert app.focused is _column(app, "running")
        assert _column(app, "designing").row_count == 0


async def test_a_column_form_for_a_card_moved_meanwhile_saves_nothing(
    store: Store, clock: FrozenClock
) -> None:
    desk = _desk(store, clock)
    created = service.create(desk, title="Saved searches", status="designing", planned_start=TODAY)
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h", "right_square_bracket")
        await pilot.pause()
        form = _form(app)
        assert [spec.name for spec in form.fields] == ["primary_metric"]
        # While the form is open, the owner gives it a metric and starts it.
        service.edit(desk, created.id, primary_metric="weekly searchers")
        service.move(desk, created.id, "running")
        history = _history(store, created.id)
        _fill(form, primary_metric="searches per user")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "“Saved searches” is already in the running column; nothing changed." in _notes(app)
        assert store.experiments.get(created.id).primary_metric == "weekly searchers"
        assert _history(store, created.id) == history


def _history(store: Store, experiment_id: int) -> list[tuple[str, str | None, str | None]]:
    return [
        (change.field, change.old, change.new)
        for change in store.history.for_record("experiments", experiment_id)
    ]


async def test_abandon_with_a_reason_then_restore(store: Store, clock: FrozenClock) -> None:
    created = service.create(_desk(store, clock), title="Gamified badges", status="designing")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("left")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"Admins found badges unprofessional", "enter")
        await pilot.pause()
        dropped = store.experiments.get(created.id)
        assert dropped.status is ExperimentStatus.ABANDONED
        assert dropped.learnings == "Abandoned: Admins found badges unprofessional"
        assert _column(app, "designing").row_count == 0
        await pilot.press("a")
        await pilot.pause()
        column = _column(app, "abandoned")
        assert column.row_count == 1
        await pilot.press("l", "l", "l", "l", "l")
        assert app.focused is column
        await pilot.press("x")
        await pilot.pause()
        assert store.experiments.get(created.id).status is ExperimentStatus.DESIGNING
        assert app.focused is _column(app, "designing")


async def test_an_abandoned_card_shows_restore_not_the_moves(
    store: Store, clock: FrozenClock
) -> None:
    """On an abandoned card the footer showed '[' ']' (which only warn there) and not 'x',
    the key that restores it: there the footer shows 'x Restore' and no moves, and 'x'
    restores; back on a card in the flow the moves return, and 'x' says 'Abandon'."""
    desk = _desk(store, clock)
    created = service.create(desk, title="Gamified badges", status="designing")
    service.abandon(desk, created.id, "")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("l", "l", "l", "l", "l")
        assert app.focused is _column(app, "abandoned")
        keys = await shown_footer_keys(pilot)
        assert "x" in keys and "]" not in keys and "[" not in keys
        assert "x Restore" in _footer_line(app) and "Abandon" not in _footer_line(app)
        await pilot.press("]")  # off there: nothing moves, nothing breaks
        await pilot.pause()
        assert store.experiments.get(created.id).status is ExperimentStatus.ABANDONED
        await pilot.press("x")
        await pilot.pause()
        assert store.experiments.get(created.id).status is ExperimentStatus.DESIGNING
        assert app.focused is _column(app, "designing")
        keys = await shown_footer_keys(pilot)
        assert "x" in keys and "]" in keys and "[" in keys
        assert "x Abandon" in _footer_line(app) and "Restore" not in _footer_line(app)


async def test_edit_keeps_the_running_guard(store: Store, clock: FrozenClock) -> None:
    desk = _desk(store, clock)
    created = service.create(desk, title="Saved searches", planned_start=TODAY, primary_metric="m")
    service.move(desk, created.id, "running")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = _form(app)
        _fill(form, primary_metric="", team="Search")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs a primary metric" in _plain(
            form.query_one("#error-primary_metric", Static).content
        )
        _fill(form, primary_metric="weekly searchers")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = store.experiments.get(created.id)
        assert (saved.team, saved.primary_metric) == ("Search", "weekly searchers")


# -- conflicts view, list, library -----------------------------------------------------------


async def test_conflicts_view_lists_both_owners_and_leads_to_the_board(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        listing = app.query_one("#experiments-conflicts", WindowList)
        assert app.focused is listing and listing.row_count == 1
        row = _lines(listing, 2)[1]
        assert "surface" in row
        assert "Marcus Okafor: One-page" in row and "Elena Vasquez: Annual" in row
        detail = _detail(app)
        assert "Owner: Marcus Okafor" in detail and "Owner: Elena Vasquez" in detail
        assert "Marcus Okafor and Elena Vasquez should talk." in detail
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is _column(app, "running")
        assert _column(app, "running").current_row.record.title == "One-page checkout"  # type: ignore[union-attr]


async def test_list_view_marks_conflicts_and_sorts(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        listing = app.query_one("#experiments-list", WindowList)
        assert app.focused is listing
        assert listing.row_count == 26  # abandoned hidden here too
        assert sum("⚠" in line for line in _lines(listing)) == 2
        await pilot.press("s")
        await pilot.pause()
        assert "sorted by planned start" in _plain(
            app.query_one("#experiments-status", Static).content
        )
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"checkout")
        await pilot.pause()
        assert listing.row_count == 3


async def test_learnings_library_filters_and_stats(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        results = app.query_one("#experiments-library-list", WindowList)
        assert app.focused is results and results.row_count == 8
        stats = _plain(app.query_one("#experiments-library-stats", Static).content)
        assert "Per team" in stats and "Growth" in stats and "67%" in stats
        # The rate's rule is said above it; an inconclusive result is not a loss: the team
        # whose only result is inconclusive has no rate (it read 0 %).
        assert "win rate: won of won+lost+flat" in stats
        mobile = next(line for line in stats.splitlines() if "Mobile & Design" in line)
        # Done, Won, Win rate, Incon., Planned, Actual
        assert mobile.split()[-8:] == ["1", "0", "—", "1", "22", "d", "25", "d"]
        await pilot.press("o")
        stats = _plain(app.query_one("#experiments-library-stats", Static).content)
        assert "Per surface" in stats and "pricing-page" in stats
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is app.query_one("#experiments-library-search", Input)
        await pilot.press(*"currency", "enter")
        await pilot.pause()
        assert results.row_count == 1
        assert app.focused is results
        assert "Savings in currency" in _detail(app)
        await pilot.press("escape")
        await pilot.pause()
        assert results.row_count == 8
        app.query_one("#experiments-library-result", Select).value = "lost"
        await pilot.pause()
        assert results.row_count == 2
        app.query_one("#experiments-library-team", Select).value = "Core Platform"
        await pilot.pause()
        assert results.row_count == 1
        assert results.current_row.record.title == "Search-as-you-type results"  # type: ignore[union-attr]


async def test_the_library_shows_the_learnings_under_the_title(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The library is read for its learnings, but the detail listed them last, after a dozen
    fields and the hypothesis: at 80x24, where the detail has five lines, they were off
    screen. There they come first; the board keeps its order (status and collisions)."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        detail = app.query_one("#experiments-detail")
        body = app.query_one("#experiments-detail-body", Static)
        console = Console(width=body.content_size.width, color_system=None, file=io.StringIO())
        lines = [
            "".join(segment.text for segment in line)
            for line in console.render_lines(body.content, pad=False)
        ]
        line = next(i for i, text in enumerate(lines) if "Admins want the alert" in text)
        assert line < detail.scrollable_content_region.height, lines
        text = _detail(app)
        assert text.index("Learnings") < text.index("Status:")
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("l", "l")
        await pilot.pause()
        assert app.focused is _column(app, "concluded")
        text = _detail(app)
        assert text.index("Status:") < text.index("Learnings")


async def test_library_filters_find_a_name_however_it_was_spelled(
    demo_store: Store, clock: FrozenClock
) -> None:
    # Someone typed the team in lower case with a trailing space, and the surface in capitals.
    demo_store.experiments.insert(
        Experiment(
            title="Referral credit at signup",
            team="growth ",
            surface="Signup",
            status=ExperimentStatus.CONCLUDED,
            result=ExperimentResult.FLAT,
            decision=ExperimentDecision.ITERATE,
            learnings="Credit did not beat the invite prompt.",
            actual_start=dt.date(2026, 10, 1),
            actual_end=dt.date(2026, 10, 20),
        )
    )
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        results = app.query_one("#experiments-library-list", WindowList)
        team = app.query_one("#experiments-library-team", Select)
        offered = [str(value) for _, value in team._options]
        assert offered.count("Growth") == 1 and "growth " not in offered
        team.value = "Growth"
        await pilot.pause()
        titles = {results.row_at(i).record.title for i in range(results.row_count)}  # type: ignore[union-attr]
        assert len(titles) == results.row_count == 4
        assert "Referral credit at signup" in titles
        surface = app.query_one("#experiments-library-surface", Select)
        [signup] = [value for _, value in surface._options if str(value).casefold() == "signup"]
        team.clear()
        surface.value = signup
        await pilot.pause()
        assert results.row_count == 2  # "Three-field signup form" and the new one


# -- links, hostile text, windows ------------------------------------------------------------


async def test_link_a_launch_from_the_board(store: Store, clock: FrozenClock) -> None:
    launch = store.launches.insert(Launch(title="Usage billing", launch_date=TODAY))
    created = service.create(_desk(store, clock), title="Usage alerts")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h", "h", "i")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")  # "Link a launch…"
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"usage", "enter")
        await pilot.pause()
        assert store.experiments.link_ids(created.id) == ([], [launch.id])
        assert f"#{launch.id} Usage billing" in _detail(app)


async def test_hostile_text_is_shown_literally(store: Store, clock: FrozenClock) -> None:
    store.experiments.insert(
        Experiment(title=HOSTILE, owner=HOSTILE, surface="x\x1by", learnings=HOSTILE)
    )
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h", "h")
        await pilot.pause()
        assert app.is_running
        card = "\n".join(_lines(_column(app, "idea")))
        assert "[b]bold[/b]" in card and "\x1b" not in card and "\x07" not in card
        detail = _detail(app)
        assert "[@click=app.quit]x[/]" in detail and "␛[31mred␇" in detail
        await pilot.press("right_square_bracket")  # its notification names it: not markup
        await pilot.pause()
        assert app.is_running
        assert store.experiments.get(1).status is ExperimentStatus.DESIGNING


async def test_a_column_is_a_window_onto_its_query(store: Store, clock: FrozenClock) -> None:
    store.experiments.insert_many(
        [
            Experiment(
                title=f"Past test {i}",
                status="concluded",
                result="flat",
                decision="iterate",
                learnings="n/a",
                primary_metric="m",
                actual_start=dt.date(2026, 1, 1),
            )
            for i in range(1_000)
        ]
    )
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        column = _column(app, "concluded")
        assert column.row_count == 1_000
        assert len(column._pages) == 1
        await pilot.press("l", "l", "end")
        await pilot.pause()
        assert column.cursor == 999
        assert column.current_row.record.title == "Past test 0"  # type: ignore[union-attr]
        assert set(column._pages) <= {0, 999 // PAGE_SIZE}
        assert "Past test 0" in "\n".join(_lines(column))


async def test_help_lists_the_board_keys(demo_store: Store, clock: FrozenClock) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        table = _plain(app.screen.query_one("#help-table", Static).content)
        for words in ("Move →", "Move ←", "Abandon", "Link", "Learnings", "Next column"):
            assert words in table
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert titles  # the help screen offers no pane commands; the main screen does
        await pilot.press("escape")
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"New", "Move right", "Conflicts", "Learnings"} <= titles


async def test_help_lists_only_the_keys_that_work_in_the_view(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Help on the board listed 's Sort', which does nothing there (only the list sorts),
    and the stats switch of the library; help and the palette now list the keys that work
    in the view shown, and each view's own keys where they work."""

    async def keys_in_help(pilot: Any) -> dict[str, str]:
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        found = {entry.description: entry.keys for entry in help_screen.entries}
        await pilot.press("escape")
        await pilot.pause()
        return found

    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = await keys_in_help(pilot)
        assert "Sort" not in board and "Team/surface" not in board and "Board" not in board
        assert {"Move →", "List", "Learnings", "Show abandoned"} <= set(board)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Sort" not in titles and "Move right" in titles
        await pilot.press("v")
        listing = await keys_in_help(pilot)
        assert listing["Sort"] == "s" and "List" not in listing and "Board" in listing
        await pilot.press("L")
        library = await keys_in_help(pilot)
        assert library["Team/surface"] == "o"
        assert "Sort" not in library and "Show abandoned" not in library


async def test_the_experiments_footer_fits_120_columns(
    demo_store: Store, clock: FrozenClock
) -> None:
    """At 120 columns the footer cut off help on the board, quit and help in the list, and
    the stats switch, quit and help in the library. Short words ('[ ] Move') and no key for
    the view already shown make every view's keys fit, each whole; the palette still says
    'Move right' and the keys still work."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.panes_built:
            await pilot.pause(0.05)
        moves = ["[", "]"]
        assert await _whole_footer_keys(pilot) == [
            *["/", "n", "e", *moves, "x", "i", "v", "c", "L", "^q", "?"]
        ]
        await pilot.press("v")
        assert await _whole_footer_keys(pilot) == [
            *["/", "s", "n", "e", *moves, "x", "b", "c", "L", "^q", "?"]
        ]
        await pilot.press("c")
        assert await _whole_footer_keys(pilot) == ["/", "n", "b", "v", "L", "^q", "?"]
        await pilot.press("L")
        assert await _whole_footer_keys(pilot) == [
            *["/", "n", "e", *moves, "b", "v", "c", "o", "^q", "?"]
        ]
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Move right", "Move left", "Stats by team/surface"} <= titles
        await pilot.press("b")
        await pilot.pause()
        assert _pane(app).view == "board"
        await pilot.press("b")  # the board's own key, off the footer, changes nothing
        await pilot.pause()
        assert _pane(app).view == "board"
        assert app.focused is _column(app, "running")


async def test_a_narrow_board_footer_keeps_the_keys_used_most_each_whole(
    store: Store, clock: FrozenClock
) -> None:
    """At 80 columns the board's footer ran out after 'v List' and half of 'c Conf': 'x'
    (abandon), 'L' (learnings), 'i' and 'a' could not be found from it. Narrow, each view
    shows the keys used most, each whole, after '? Help', which lists the rest; a card
    that was dropped shows 'x Restore' in its place. Past 120 columns the full footer
    returns, and back under it the short one, without a pane switch to rebuild it."""
    desk = _desk(store, clock)
    created = service.create(desk, title="Gamified badges", status="designing")
    service.abandon(desk, created.id, "")
    service.create(desk, title="Saved searches", status="idea")
    app = _app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await _whole_footer_keys(pilot) == ["?", "/", "n", "e", "[", "]", "x", "L"]
        line = _footer_line(app)
        assert line.lstrip().startswith("? Help  / Search  n New  e Edit  [ ] Move  x Abandon")
        assert "L Learnings" in line
        await pilot.press("question_mark")
        await pilot.pause()
        listed = {entry.description: entry.keys for entry in app.screen.entries}  # type: ignore[attr-defined]
        assert listed["Link"] == "i" and listed["Show abandoned"] == "a"
        assert listed["List"] == "v" and listed["Conflicts"] == "c"
        await pilot.press("escape")
        await pilot.press("a", "l", "l", "l", "l", "l")  # onto the abandoned card
        assert app.focused is _column(app, "abandoned")
        assert await _whole_footer_keys(pilot) == ["?", "/", "n", "e", "x", "L", "^q"]
        assert "x Restore" in _footer_line(app)
        await pilot.press("v")
        assert await _whole_footer_keys(pilot) == ["?", "/", "s", "n", "e", "b", "^q"]
        await pilot.press("c")
        assert await _whole_footer_keys(pilot) == ["?", "/", "n", "b", "v", "L", "^q"]
        await pilot.press("L")
        assert await _whole_footer_keys(pilot) == ["?", "/", "e", "b", "o", "^q"]
        await pilot.press("b", "h", "h", "h", "h", "h")  # onto the idea
        assert app.focused is _column(app, "idea")
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.3)
        wide = ["/", "n", "e", "[", "]", "x", "i", "v", "c", "L", "^q", "?"]
        assert await _whole_footer_keys(pilot) == wide
        await pilot.resize_terminal(110, 40)  # the app's own breakpoint is not crossed
        await pilot.pause(0.3)
        narrower = ["/", "n", "e", "[", "]", "x", "L", "^q", "?"]
        assert await _whole_footer_keys(pilot) == narrower
        await pilot.press("x")  # the keys off the footer work as before
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)


async def test_a_remapped_board_key_shows_and_works_on_either_footer(
    store: Store, clock: FrozenClock
) -> None:
    """The footer's keys are chosen per view and width from the pane's own bindings; the
    user's keymap still applies to them, wide and narrow."""
    service.create(_desk(store, clock), title="Saved searches", status="idea")
    app = build_app(
        store, Config(keys={"experiments.abandon": "X"}), clock=clock, pane="experiments"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "h")
        assert app.focused is _column(app, "idea")
        assert "X" in await _whole_footer_keys(pilot)
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.3)
        assert "X" in await _whole_footer_keys(pilot)
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)


async def test_opening_a_record_puts_the_keyboard_on_its_card(
    demo_store: Store, clock: FrozenClock
) -> None:
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"searches", "enter")  # a search that hides checkout
        await pilot.pause()
        assert _column(app, "running").row_count == 1
        await app.open_record("experiments", 15)  # One-page checkout, from Today say
        await pilot.pause()
        pane = _pane(app)
        assert pane.list.current_row.record.id == 15  # type: ignore[union-attr]
        assert app.focused is _column(app, "running")
        assert _column(app, "running").row_count == 6  # the search was dropped
        await app.open_record("experiments", 9)  # abandoned: its column is shown
        await pilot.pause()
        assert _column(app, "abandoned").display
        assert pane.list.current_row.record.id == 9  # type: ignore[union-attr]
        assert "Prices in GBP and EUR" in _detail(app)


async def test_a_view_key_restyles_the_layout_not_every_widget(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Switching views toggles the pane's view class. Each change restyled every widget
    under the pane (the board's columns, the library's filters and their overlays), twice a
    key: b, v, c and L took 110-230 ms. Now only the pane, its body and its details are
    restyled, and the details still move below the board and beside the other views."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = _pane(app)
        restyled: list[Any] = []
        update_nodes = app.stylesheet.update_nodes

        def spy(nodes: Any, animate: bool = False) -> None:
            nodes = list(nodes)
            restyled.extend(nodes)
            update_nodes(nodes, animate=animate)

        app.stylesheet.update_nodes = spy  # type: ignore[method-assign]
        body = pane.query_one(".pane-body")
        for key, layout in (("v", "horizontal"), ("L", "horizontal"), ("b", "vertical")):
            restyled.clear()
            await pilot.press(key)
            await pilot.pause()
            assert body.styles.layout is not None and body.styles.layout.name == layout
            # the list losing or gaining focus is restyled; the library's filters are not
            assert not [node for node in restyled if isinstance(node, Select)]
            assert len(restyled) < 10, [type(node).__name__ for node in restyled]


async def test_the_library_status_counts_what_the_library_lists(
    demo_store: Store, clock: FrozenClock
) -> None:
    """The status line said '26 experiments' (the whole board) above the library's 8
    concluded experiments, and still did when a search matched none."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

        def status() -> str:
            return _plain(app.query_one("#experiments-status", Static).content).strip()

        await pilot.press("L")
        await pilot.pause()
        assert status() == "8 concluded experiments · learnings library"
        await pilot.press("slash", *"currency")
        await pilot.pause()
        assert status() == "1 concluded experiment · learnings library · search: currency"
        await pilot.press(*"zzz")
        await pilot.pause()
        assert status().startswith("0 concluded experiments · learnings library")
        await pilot.press("escape")
        await pilot.pause()
        app.query_one("#experiments-library-result", Select).value = "lost"
        await pilot.pause()
        assert status() == "2 concluded experiments · learnings library"
        await pilot.press("b")
        await pilot.pause()
        assert status().startswith("26 experiments · 1 conflict · board")


async def test_a_library_search_no_experiment_has_every_word_of_shows_those_with_any(
    demo_store: Store, clock: FrozenClock
) -> None:
    """Searching before a test is typed as a phrase: 'trial length' found nothing (no
    experiment says 'length') while 'trial' found the 30-day trial's lesson. When every word
    together finds nothing, the library shows what any of them finds, and says so."""
    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        results = app.query_one("#experiments-library-list", WindowList)
        await pilot.press("slash", *"trial length", "enter")
        await pilot.pause()
        assert results.row_count == 1
        assert results.current_row.record.title == "30-day free trial instead of 14"  # type: ignore[union-attr]
        status = _plain(app.query_one("#experiments-status", Static).content).strip()
        assert status == (
            "1 concluded experiment · learnings library · search: trial length · "
            "none has every word: showing those with any"
        )
        stats = _plain(app.query_one("#experiments-library-stats", Static).content)
        assert "Billing & Monetization" in stats and "Growth" not in stats
        await pilot.press("slash", "ctrl+u", *"free trial", "enter")
        await pilot.pause()
        status = _plain(app.query_one("#experiments-status", Static).content).strip()
        assert results.row_count == 1 and "none has every word" not in status


async def test_the_abandon_and_link_prompts_label_their_field_in_one_line(
    store: Store, clock: FrozenClock
) -> None:
    """The abandon prompt's label was a sentence squeezed into the label column, five lines
    tall ('Why? (kept with / its learnings; / Enter with / …'); the link prompt's too. The
    label is now a word and the explanation sits in the field as its placeholder."""
    from textual.widgets import Label

    service.create(_desk(store, clock), title="Gamified badges", status="designing")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("left")
        for key, placeholder in (("x", "kept with its learnings"), ("i", "#id")):
            await pilot.press(key)
            await pilot.pause()
            if isinstance(app.screen, PickerScreen):  # links: choose 'Link a feedback item…'
                await pilot.press("down", "enter")
                await pilot.pause()
            assert isinstance(app.screen, PromptScreen)
            label = app.screen.query_one(".form-label", Label)
            assert label.size.height == 1, label.content
            assert placeholder in app.screen.query_one(Input).placeholder
            await pilot.press("escape")
            await pilot.pause()


async def test_moving_a_running_card_back_to_design_asks_first(
    demo_store: Store, clock: FrozenClock
) -> None:
    """'[' on a running card cleared its actual start without a word, and ']' then stamped
    today: one key too many turned 'day 16' into 'day 1', and no form can put the start
    back. The move back now asks; No leaves the card running as it was."""
    from opsdesk.tui.screens.dialogs import ConfirmScreen

    app = _app(demo_store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = _pane(app)
        card = pane.current_experiment()
        assert card is not None and card.status is ExperimentStatus.RUNNING
        started = card.actual_start
        assert started is not None and started < TODAY
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert f"It has run since {started.isoformat()}" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        kept = demo_store.experiments.get(card.id)
        assert kept.status is ExperimentStatus.RUNNING and kept.actual_start == started
        await pilot.press("left_square_bracket")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        moved = demo_store.experiments.get(card.id)
        assert moved.status is ExperimentStatus.DESIGNING and moved.actual_start is None
        assert app.focused is _column(app, "designing")


async def test_linking_an_id_too_large_for_the_database_is_refused_in_words(
    store: Store, clock: FrozenClock
) -> None:
    """'#99999999999999999999' in the link prompt reached SQLite, whose OverflowError closed
    the app with a traceback. It is now 'no feedback item with id …', like any missing id."""
    created = service.create(_desk(store, clock), title="Saved carts", status="designing")
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("left", "i")
        await pilot.pause()
        await pilot.press("down", "enter")  # 'Link a feedback item…'
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"#99999999999999999999", "enter")
        await pilot.pause()
        assert app.is_running
        messages = [notification.message for notification in app._notifications]
        assert "No feedback item with id 99999999999999999999" in messages
        assert store.experiments.link_ids(created.id) == ([], [])


async def test_the_feedback_picker_tells_apart_items_with_the_same_title(
    store: Store, clock: FrozenClock
) -> None:
    """Feedback repeats itself: the picker listed six 'Pivot tables in reports' with only
    their ids to tell them apart. Each line now names the company and the day it came in."""
    created = service.create(_desk(store, clock), title="Pivot preview", status="designing")
    for company, day_ in (("Acme", 3), (None, 9)):
        store.feedback.insert(
            Feedback(
                title="Pivot tables in reports",
                company=company,
                received_at=dt.datetime(2026, 11, day_, 12, tzinfo=dt.UTC),
            )
        )
    app = _app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("left", "i")
        await pilot.pause()
        await pilot.press("down", "enter")  # 'Link a feedback item…'
        await pilot.pause()
        await pilot.press(*"pivot", "enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        assert sorted(label for label, _ in picker.options) == [
            "#1 Pivot tables in reports · Acme · 2026-11-03",
            "#2 Pivot tables in reports · no company · 2026-11-09",
        ]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert len(store.experiments.link_ids(created.id)[0]) == 1


def test_a_similar_abandoned_experiment_says_abandoned_once() -> None:
    """'#9 Prices in GBP and EUR abandoned · abandon': abandoning stamps the 'abandon'
    decision, and the before-you-start list said it twice. A lost experiment someone
    decided to abandon still says both."""
    from opsdesk.store.experiments import Similar
    from opsdesk.tui.widgets.experiments_render import similar_aside

    dropped = Experiment(
        id=9,
        title="Prices in GBP",
        status=ExperimentStatus.ABANDONED,
        decision=ExperimentDecision.ABANDON,
    )
    lost = Experiment(
        id=4,
        title="Free trial of 30 days",
        status=ExperimentStatus.CONCLUDED,
        result=ExperimentResult.LOST,
        decision=ExperimentDecision.ABANDON,
    )
    lines = _plain(similar_aside([Similar(dropped, 1.0), Similar(lost, 2.0)], [])).splitlines()
    assert lines[1].rstrip() == "#9 Prices in GBP abandoned"
    assert lines[2].rstrip() == "#4 Free trial of 30 days LOST · abandon"
