"""Hostile text through every pane, the CLI list commands, and property tests.

Whatever a customer wrote is stored as it arrived, and shown as text: markup appears
literally, escapes and bidi controls appear as visible placeholders, nothing runs, and the
app keeps running.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import BIG_BODY, CORPUS, FORBIDDEN, assert_safe, screen_text, titles
from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Contact, Experiment, Feedback, Launch
from opsdesk.rules.dates import DateParseError, parse_date_expression
from opsdesk.store import Store
from opsdesk.text import one_line, visible
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.widgets.window_list import WindowList

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
LITERAL = "[@click=app.quit]"


def _seed(store: Store, big: str = "") -> None:
    """Every corpus entry as a feedback item, a contact, a launch and an experiment.

    ``big`` names the one table whose first record carries the 1 MB body.
    """
    texts = titles()

    def body(index: int, table: str, text: str) -> str:
        return BIG_BODY if index == 0 and table == big else text

    store.feedback.insert_many(
        [
            Feedback(
                title=t,
                body=body(i, "feedback", t),
                company=t[:80],
                source=t[:40],
                tags=["ok"],
                received_at=NOW - dt.timedelta(minutes=i),
            )
            for i, t in enumerate(texts)
        ]
    )
    store.contacts.insert_many(
        [
            Contact(name=t, company=t[:80], role=t[:40], notes=body(i, "contacts", t))
            for i, t in enumerate(texts)
        ]
    )
    store.launches.insert_many(
        [
            Launch(
                title=t,
                summary=body(i, "launches", t),
                audience=t[:80],
                launch_date=TODAY + dt.timedelta(days=i),
            )
            for i, t in enumerate(texts)
        ]
    )
    store.experiments.insert_many(
        [
            Experiment(
                title=t,
                hypothesis=t,
                surface=t[:40],
                learnings=body(i, "experiments", t),
            )
            for i, t in enumerate(texts)
        ]
    )


@pytest.fixture
def hostile_store() -> Store:
    store = Store(clock=FrozenClock(NOW), actor="tester")
    _seed(store)
    return store


async def _open(app: OpsdeskApp, pilot: object, pane: str) -> WindowList:
    """The pane's list, as a list (the experiments pane opens on its board)."""
    if pane == "experiments":
        await pilot.press("v")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
    return app.query_one(f"#{pane}-list", WindowList)


@pytest.mark.parametrize("pane", ["feedback", "contacts", "launches", "experiments"])
async def test_every_row_and_detail_of_each_pane_is_safe(hostile_store: Store, pane: str) -> None:
    app = build_app(hostile_store, Config(), clock=FrozenClock(NOW), pane=pane)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        listing = await _open(app, pilot, pane)
        assert listing.row_count == len(CORPUS)
        literal_seen = False
        escapes_seen = False
        for index in range(listing.row_count):
            listing.move_to(index)
            await pilot.pause()
            shown = screen_text(app)
            assert_safe(shown)
            literal_seen = literal_seen or LITERAL in shown
            escapes_seen = escapes_seen or "␛[2J" in shown
        assert literal_seen, "markup was interpreted instead of shown"
        assert escapes_seen, "an escape sequence vanished instead of being shown"
        assert app.is_running
    hostile_store.close()


@pytest.mark.parametrize("pane", ["feedback"])
async def test_a_one_megabyte_body_is_shown_safely(pane: str) -> None:
    store = Store(clock=FrozenClock(NOW), actor="tester")
    _seed(store, big=pane)
    app = build_app(store, Config(), clock=FrozenClock(NOW), pane=pane)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        listing = await _open(app, pilot, pane)
        big = next(
            i for i in range(listing.row_count) if listing.row_at(i).record.title == titles()[0]
        )
        listing.move_to(big)
        await pilot.pause()
        assert_safe(screen_text(app))
        assert "[b]markup[/b]" in screen_text(app)
        assert app.is_running
    store.close()


async def test_today_pane_on_hostile_data_is_safe(hostile_store: Store) -> None:
    app = build_app(hostile_store, Config(), clock=FrozenClock(NOW), pane="today")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert_safe(screen_text(app))
        assert app.is_running
    hostile_store.close()


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (["feedback", "list"], "title"),
        (["contacts", "list"], "name"),
        (["launches", "list"], "title"),
        (["experiments", "list"], "title"),
    ],
)
def test_cli_lists_show_hostile_text_safely(tmp_path: Path, command: list[str], field: str) -> None:
    path = tmp_path / "x.db"
    with Store(path, clock=FrozenClock(NOW), actor="tester") as store:
        _seed(store)
    runner = CliRunner()
    result = runner.invoke(cli, [*command, "--db", str(path)], obj={})
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout)
    assert LITERAL in result.stdout
    # JSON output keeps the exact text (escaped by JSON), for scripts to handle as data.
    result = runner.invoke(cli, [*command, "--db", str(path), "--json"], obj={})
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout)
    records = json.loads(result.stdout)
    stored = {record[field] for record in records}
    assert CORPUS["csi-clear"] in stored and CORPUS["bidi-override"] in stored


# --- properties ---------------------------------------------------------------------------

ANY_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60
) | st.sampled_from(list(CORPUS.values()))
DATE_LIKE = st.from_regex(
    r"\s*(today|tomorrow|yesterday|next |last |this )?[+-]?\d{0,5}\s*[dwmy]?\s*"
    r"|\d{1,4}-\d{1,2}-\d{1,2}|(mon|tue|wed|thu|fri|sat|sun)\w*",
    fullmatch=True,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT | DATE_LIKE, today=st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_date_parsing_raises_only_date_parse_error(text: str, today: dt.date) -> None:
    try:
        result = parse_date_expression(text, today)
    except DateParseError:
        return
    assert isinstance(result, dt.date)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_visible_never_lets_a_control_character_through(text: str) -> None:
    shown = visible(text)
    assert FORBIDDEN.search(shown) is None
    assert FORBIDDEN.search(one_line(text)) is None
    assert "\n" not in one_line(text)
    assert visible(shown) == shown  # idempotent: shown text is safe text


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cf", "Cs"])))
def test_visible_leaves_safe_text_alone(text: str) -> None:
    assert visible(text) == text
