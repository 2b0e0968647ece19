"""The core (models, rules, store, config, exporters, importers) imports without Textual.

Checked in a fresh interpreter: this test process has Textual loaded by pytest plugins.
Packages and modules that do not exist yet are skipped; every module that does exist under a
core package is imported, so a new ``rules/`` or ``exporters/`` module is covered on arrival.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from opsdesk.clock import FrozenClock
from opsdesk.models import Feedback
from opsdesk.store import Store

CORE = [
    "opsdesk.clock",
    "opsdesk.paths",
    "opsdesk.models",
    "opsdesk.rules",
    "opsdesk.store",
    "opsdesk.config",
    "opsdesk.exporters",
    "opsdesk.importers",
]

PROBE = r"""
import importlib, json, pkgutil, sys

def textual_loaded():
    return sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))

imported, missing, culprit = [], [], None

def load(name):
    global culprit
    importlib.import_module(name)
    imported.append(name)
    if culprit is None and textual_loaded():
        culprit = name

for name in json.loads(sys.argv[1]):
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:  # not written yet
            missing.append(name)
            continue
        raise
    load(name)
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), name + "."):
        load(info.name)
load("opsdesk")  # the top-level package itself, but not its other subpackages (tui, cli)

print(json.dumps({
    "imported": imported,
    "missing": missing,
    "culprit": culprit,
    "textual": textual_loaded(),
}))
"""


def _probe(code: str, argument: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter (this one has loaded everything) and read the JSON
    it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", code, argument],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_core_imports_without_textual() -> None:
    report = _probe(PROBE, json.dumps(CORE))
    assert {"opsdesk.models", "opsdesk.store", "opsdesk.rules"} <= set(report["imported"])
    assert "opsdesk.store.db" in report["imported"], "submodules are walked too"
    assert not any(name.startswith("opsdesk.tui") for name in report["imported"])
    assert report["textual"] == [], (
        f"importing {report['culprit']} loaded Textual: {report['textual'][:5]}"
    )


APP_PROBE_PRELUDE = r"""
import asyncio, io, json, sys
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import build_app

seen = {}

def loaded():
    return sorted(m for m in sys.modules if m.split(".")[0] == "pydantic" or m == "opsdesk.models")

def on_first_draw(widget_class, drawn, note):
    # note(strip) once: the first time drawn(widget, y) holds for a line being drawn
    original = widget_class.render_line
    noted = []

    def render_line(self, y):
        strip = original(self, y)
        if not noted and drawn(self, y):
            noted.append(y)
            note(strip)
        return strip

    widget_class.render_line = render_line
"""


FIRST_ROWS_PROBE = (
    APP_PROBE_PRELUDE
    + r"""
from rich.console import Console
from opsdesk.tui.widgets.window_list import WindowList

def note(strip):
    seen["at_first_rows"] = loaded()
    seen["first_row"] = "".join(segment.text for segment in strip)

on_first_draw(WindowList, lambda list_, y: y >= 1 and list_.id == "feedback-list", note)

async def main():
    with Store(sys.argv[1]) as store:
        app = build_app(store, Config(), pane="feedback")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            console = Console(width=200, record=True, color_system=None, file=io.StringIO())
            console.print(app.query_one("#feedback-detail-body").content)
            seen["detail"] = console.export_text()
            seen["afterwards"] = bool(loaded())

asyncio.run(main())
print(json.dumps(seen))
"""
)


def test_the_inbox_draws_its_first_rows_before_loading_the_models(
    file_store: Store, clock: FrozenClock
) -> None:
    """The first screen reads its rows as plain stored values (``FeedbackLine``): importing
    pydantic and defining the models costs about as much as the rest of opsdesk's start, so
    the record models load only once the rows are on screen, for the detail beside them."""
    for number in range(3):
        file_store.feedback.insert(
            Feedback(title=f"Row number {number}", body="The body", received_at=clock.now())
        )
    seen = _probe(FIRST_ROWS_PROBE, str(file_store.path))
    assert seen["at_first_rows"] == []
    assert "Row number 2" in seen["first_row"]
    assert "The body" in seen["detail"] and seen["afterwards"]


TODAY_PROBE = (
    APP_PROBE_PRELUDE
    + r"""
from textual.widgets import OptionList

on_first_draw(
    OptionList,
    lambda options, y: options.id == "today-list" and options.option_count,
    lambda strip: seen.update(at_first_lines=loaded()),
)

async def main():
    with Store(sys.argv[1]) as store:
        app = build_app(store, Config(), pane="today")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            seen["sections"] = {s.key: s.total for s in app.query_one("#pane-today").sections}

asyncio.run(main())
print(json.dumps(seen))
"""
)


def test_today_draws_its_first_lines_before_loading_the_models(
    file_store: Store, clock: FrozenClock
) -> None:
    """Today, the pane opsdesk opens on, reads plain rows too (experiment conflicts come from
    the schedule's rows, not from models), so its first lines need no pydantic either."""
    file_store.feedback.insert(Feedback(title="Waiting", received_at=clock.now()))
    seen = _probe(TODAY_PROBE, str(file_store.path))
    assert seen["at_first_lines"] == []
    assert set(seen["sections"]) >= {"readiness", "sla_breached", "conflicts"}
