"""The whole hostile corpus through every way text gets in and out of opsdesk.

``test_reliability_hostile.py`` shows seeded hostile records in every pane. Here the same
corpus (``tests/hostile.py``) travels the paths a person or a file takes:

- pasted into every pane's "new record" form, saved, and shown in the list and detail;
- given to every CLI ``add`` command and read back with ``list --json``;
- imported from CSV and JSON Lines (feedback and contacts) and read back exactly;
- exported to iCalendar and Markdown from what was imported, and read back by parsers
  that opsdesk does not use to write (vobject, markdown-it).

Each entry must arrive exactly as it was given (tidied only as the field's rules say: a
title is stripped of surrounding blanks), show without a character that steers the
terminal, and leave every export well formed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vobject
from click.testing import CliRunner
from markdown_it import MarkdownIt
from textual import events
from textual.widgets import Input, Static, TextArea

from hostile import BIG_BODY, CORPUS, assert_safe, screen_text
from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.exporters.ical import clean_text
from opsdesk.models import Launch
from opsdesk.store import Store
from opsdesk.tui.app import build_app
from opsdesk.tui.screens.dialogs import FormScreen

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
TITLE_LIMIT = 500
"""The longest title a form takes; a longer one is refused in words (names have no limit)."""
SINGLE_LINE = {name: text for name, text in CORPUS.items() if "\n" not in text}


async def _paste(pilot: Any, widget: Input | TextArea, text: str) -> None:
    """Focus a field and paste into it, as a terminal delivers a paste."""
    widget.focus()
    await pilot.pause()
    widget.post_message(events.Paste(text))
    await pilot.pause()


# --- forms ----------------------------------------------------------------------------------

FORMS = [
    # pane, key that opens the new-record form, one-line field, multi-line field, table
    ("feedback", "a", "title", "body", "feedback"),
    ("launches", "n", "title", None, "launches"),
    ("contacts", "n", "name", "notes", "contacts"),
    ("experiments", "n", "title", None, "experiments"),
]
FORM_EXTRAS: dict[str, dict[str, str]] = {"launches": {"launch_date": "2026-12-09"}}


@pytest.mark.parametrize(("pane", "key", "line_field", "long_field", "table"), FORMS)
async def test_every_entry_pasted_into_each_form_is_saved_exactly_and_shown_safely(
    store: Store, clock: FrozenClock, pane: str, key: str, line_field: str,
    long_field: str | None, table: str,
) -> None:  # fmt: skip
    app = build_app(store, Config(), clock=clock, pane=pane)
    typed: dict[str, tuple[str, str | None]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        if pane == "experiments":
            await pilot.press("v")  # the list view, where the new record is shown in a row
            await pilot.pause()
        for name, text in CORPUS.items():
            await pilot.press(key)
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormScreen), f"{key} opened no form in {pane}"
            line = form.query_one(f"#field-{line_field}", Input)
            await _paste(pilot, line, f"{name} {text}")
            long_text = None
            if long_field:
                area = form.query_one(f"#field-{long_field}", TextArea)
                await _paste(pilot, area, text)
                long_text = area.text
            for extra, value in FORM_EXTRAS.get(pane, {}).items():
                form.query_one(f"#field-{extra}", Input).value = value
            await pilot.press("ctrl+s")
            await pilot.pause()
            if (
                line_field == "title" and len(line.value.strip()) > TITLE_LIMIT
            ):  # refused in words, kept for fixing
                assert app.screen is form, f"{name}: a too-long title was saved"
                error = str(form.query_one(f"#error-{line_field}", Static).render())
                assert str(TITLE_LIMIT) in error, error
                line.value = line.value[:TITLE_LIMIT]
                await pilot.press("ctrl+s")
                await pilot.pause()
            typed[name] = (line.value, long_text)
            assert not isinstance(app.screen, FormScreen), f"{name}: the form refused it"
            shown = screen_text(app)
            assert_safe(shown)
            assert name in shown, f"{name}: the new record is not on screen"
    rows = store.conn.execute(
        f"SELECT {line_field}, {long_field or 'NULL'} FROM {table} ORDER BY id"
    ).fetchall()
    assert len(rows) == len(CORPUS)
    for (name, (line_value, long_value)), row in zip(typed.items(), rows, strict=True):
        assert row[0] == line_value.strip(), name
        assert line_value.startswith(f"{name} {CORPUS[name].splitlines()[0]}"[:40]), name
        if long_field:
            assert row[1] == long_value, name


# --- CLI add commands -----------------------------------------------------------------------


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), obj={}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout)
    return result.stdout


def test_every_entry_through_each_cli_add_command_comes_back_exactly(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    for number, (name, text) in enumerate(SINGLE_LINE.items()):
        title = f"{name} {text}"[:300]
        _invoke("feedback", "add", title, "--body", text, "--company", text[:80], "--db", db)
        _invoke("launches", "add", title, "--date", "+2w", "--tier", "3", "--db", db)
        _invoke("experiments", "add", title, "--hypothesis", text, "--db", db)
        contact = ["contacts", "log", f"c{number}@example.com", "--name", text[:80]]
        _invoke(*contact, "--by", "Ana", "--purpose", "survey", "--db", db)
    feedback = json.loads(
        _invoke("feedback", "list", "--view", "all", "--limit", "500", "--json", "--db", db)
    )
    launches = json.loads(_invoke("launches", "list", "--json", "--db", db))
    experiments = json.loads(_invoke("experiments", "list", "--json", "--db", db))
    contacts = json.loads(_invoke("contacts", "list", "--json", "--db", db))
    expected_titles = {f"{name} {text}"[:300].strip() for name, text in SINGLE_LINE.items()}
    assert {item["title"] for item in feedback} == expected_titles
    assert {item["body"] for item in feedback} == set(SINGLE_LINE.values())
    assert {item["title"] for item in launches} == expected_titles
    assert {item["title"] for item in experiments} == expected_titles
    assert {item["hypothesis"] for item in experiments} == set(SINGLE_LINE.values())
    assert {item["name"] for item in contacts} == {t[:80].strip() for t in SINGLE_LINE.values()}


# --- imports, then exports of what came in ------------------------------------------------


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@pytest.fixture
def imported(tmp_path: Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The corpus imported as feedback (CSV), again (JSON Lines) and as contacts (CSV)."""
    db = str(tmp_path / "imported.db")
    header = ["Subject", "Description", "Organization", "Tags", "Created at"]
    rows = [
        [f"{name} {text}"[:300], text, text[:80], "hostile", "2026-11-20T10:00:00Z"]
        for name, text in CORPUS.items()
    ]
    rows.append(["a 1 MB body", BIG_BODY, "Big Co", "hostile", "2026-11-20T10:00:00Z"])
    (tmp_path / "in.csv").write_text(_csv([header, *rows]), encoding="utf-8")
    _invoke("import", "feedback", str(tmp_path / "in.csv"), "--db", db)
    lines = [
        json.dumps({"title": f"{name} {text}"[:300], "body": text, "created": "2026-11-21"})
        for name, text in CORPUS.items()
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _invoke("import", "feedback", str(tmp_path / "in.jsonl"), "--db", db)
    people = [["Email", "Full Name", "Company", "Notes"]] + [
        [f"p{n}@example.com", text[:80], text[:80], text] for n, text in enumerate(CORPUS.values())
    ]
    (tmp_path / "people.csv").write_text(_csv(people), encoding="utf-8")
    _invoke("import", "contacts", str(tmp_path / "people.csv"), "--db", db)
    listed = json.loads(
        _invoke("feedback", "list", "--view", "all", "--limit", "500", "--json", "--db", db)
    )
    yield db, listed


def test_imports_keep_every_entry_exactly(imported: tuple[str, list[dict[str, Any]]]) -> None:
    db, listed = imported
    bodies = [item["body"].replace("\r\n", "\n") for item in listed]
    for name, text in CORPUS.items():
        title = f"{name} {text}"[:300].strip()
        matching = [item for item in listed if item["title"] == title]
        assert len(matching) == 2, f"{name}: once from CSV, once from JSON Lines"
        assert text.replace("\r\n", "\n") in bodies, name
    assert any(item["body"] == BIG_BODY for item in listed), "the 1 MB body is whole"
    contacts = json.loads(_invoke("contacts", "list", "--json", "--db", db))
    assert {item["name"] for item in contacts} == {t[:80].strip() for t in CORPUS.values()}


def test_exports_of_imported_text_parse_back_cleanly(
    imported: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    db, listed = imported
    with Store(db, clock=FrozenClock(NOW), actor="tester") as store:
        for number, item in enumerate(listed[:40]):
            store.launches.insert(
                Launch(
                    title=item["title"],
                    summary=item["body"],
                    launch_date=dt.date(2026, 12, 1) + dt.timedelta(days=number),
                )
            )
    calendar = tmp_path / "out.ics"
    _invoke("export", "ical", "-o", str(calendar), "--db", db)
    data = calendar.read_bytes()
    assert b"\x1b" not in data and b"\x07" not in data
    parsed = vobject.readOne(data.decode("utf-8"))
    summaries = {event.summary.value for event in parsed.vevent_list}
    for item in listed[:40]:
        assert f"Launch: {clean_text(item['title'])}" in summaries
    markdown = _invoke("export", "markdown", "themes", "-o", "-", "--db", db)
    digest = _invoke("export", "markdown", "digest", "-o", "-", "--db", db)
    for text in (markdown, digest):
        tokens = MarkdownIt("commonmark").enable("table").parse(text)
        kinds = {token.type for token in tokens}
        assert "html_block" not in kinds and "html_inline" not in kinds
        children = [c for t in tokens if t.type == "inline" for c in t.children or []]
        assert not [c for c in children if c.type == "link_open"], "no text became a link"
