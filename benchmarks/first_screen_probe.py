"""Start opsdesk (or a bare Textual baseline) headless and exit once the first rows are drawn.

Run by ``first_screen.py`` in a fresh process each time, so the figure includes interpreter
start, imports, opening the database and the first query — what a person waits for.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from textual.pilot import Pilot

SHOWN: dict[str, int] = {}


async def _exit_when_drawn(pilot: Pilot[object]) -> None:
    await pilot.pause()
    current = getattr(pilot.app, "current_pane", None)
    SHOWN["rows"] = current.list.row_count if current is not None else 30
    pilot.app.exit()


def run_opsdesk(db: Path, pane: str) -> int:
    from opsdesk.config import Config
    from opsdesk.store import Store
    from opsdesk.tui.app import build_app

    with Store(db) as store:
        app = build_app(store, Config(), pane=pane)
        app.run(headless=True, size=(120, 40), auto_pilot=_exit_when_drawn)
    return SHOWN.get("rows", 0)


def run_baseline() -> int:
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

    app = Baseline()
    app.run(headless=True, size=(120, 40), auto_pilot=_exit_when_drawn)
    return 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--pane", default="feedback")
    parser.add_argument("--baseline", action="store_true")
    args = parser.parse_args()
    rows = run_baseline() if args.baseline else run_opsdesk(args.db, args.pane)
    print(rows)


if __name__ == "__main__":
    main()
