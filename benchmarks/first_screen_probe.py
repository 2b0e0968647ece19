"""Start opsdesk (or a bare Textual baseline) headless and report when its first rows are drawn.

Run by ``first_screen.py`` in a fresh process each time, so the figure includes interpreter
start, imports, opening the database and the first query: what a person waits for. The
moment is taken when the list draws its first row (not when the whole app has settled), and
printed as seconds since the parent started this process (``--started``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot


def _report_first_row(widget_class: type[Any], started: float) -> None:
    """Wrap ``render_line`` so the first drawn row prints the elapsed time and ends the run."""
    original = widget_class.render_line

    def render_line(self: Any, y: int) -> Any:
        strip = original(self, y)
        if y >= 1 and self.id in (None, "feedback-list", "launches-list", "contacts-list"):
            sys.stdout.write(f"{time.time() - started:.4f}\n")
            sys.stdout.flush()
            os._exit(0)
        return strip

    widget_class.render_line = render_line


async def _never_settle(pilot: Pilot[object]) -> None:
    await pilot.pause(30)


def run_opsdesk(db: Path, pane: str, started: float) -> None:
    from opsdesk.config import Config
    from opsdesk.store import Store
    from opsdesk.tui.app import build_app
    from opsdesk.tui.widgets.window_list import WindowList

    _report_first_row(WindowList, started)
    with Store(db) as store:
        build_app(store, Config(), pane=pane).run(
            headless=True, size=(120, 40), auto_pilot=_never_settle
        )


def run_baseline(started: float) -> None:
    """A bare Textual app with a 30-row DataTable: the floor any Textual app starts from."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Baseline(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Received", "P", "Title", "Company")
            for i in range(30):
                table.add_row("2026-11-26", "P2", f"Feedback {i}", "Acme")

    _report_first_row(DataTable, started)
    Baseline().run(headless=True, size=(120, 40), auto_pilot=_never_settle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--pane", default="feedback")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--started", type=float, required=True)
    args = parser.parse_args()
    if args.baseline:
        run_baseline(args.started)
    else:
        run_opsdesk(args.db, args.pane, args.started)
    sys.exit("the first rows were never drawn")


if __name__ == "__main__":
    main()
