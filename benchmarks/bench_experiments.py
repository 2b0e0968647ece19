"""How fast the experiment board opens and finds overlaps on the generated dataset.

Figures (median of several runs, each printed beside its target):

- conflicts: every running and planned experiment checked for overlaps (the schedule query,
  the sweep, and the index that flags both cards);
- board data: what opening the board asks of the store: each column's count and first page
  of cards, the per-status counts and the conflicts;
- board open: the same inside the running app, measured headless: the pane running every
  column's query and first page, the overlaps, the counts and the details panel; Textual's
  drawing of the columns that follows is printed beside it, without a target;
- before you start: the similar-experiments search a form runs on each keystroke.

    python benchmarks/bench_experiments.py [--db benchmarks/data/large.db] [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.geometry import Region

from opsdesk.clock import SystemClock
from opsdesk.config import Config
from opsdesk.rules.experiments import BOARD_COLUMNS
from opsdesk.services import experiments as service
from opsdesk.services.desk import Desk
from opsdesk.store import Store
from opsdesk.store.experiments import ExperimentFilter

HERE = Path(__file__).resolve().parent
DEFAULT_DB = HERE / "data" / "large.db"
TARGET_MS = 50.0
FIRST_PAGE = 50


def timings_ms(work: Callable[[], object], runs: int) -> list[float]:
    work()  # warm the page cache and SQLite's statement cache
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def board_data(desk: Desk) -> None:
    """The queries the board runs when it opens."""
    repository = desk.store.experiments
    for status in BOARD_COLUMNS:
        where = repository.where(ExperimentFilter(status=status.value))
        repository.count(where)
        repository.window(where, "newest", limit=FIRST_PAGE)
    repository.counts_by_status()
    service.conflicts(desk).has(0)


def _board_app(store: Store) -> Any:
    """The experiment pane alone in an app with opsdesk's styles: what is measured is the
    board's own work, whatever the other panes are doing when they are built."""
    from textual.app import App, ComposeResult

    from opsdesk.paths import asset_dir
    from opsdesk.tui.panes.experiments import ExperimentsPane

    class BoardHost(App[None]):
        CSS_PATH = str(asset_dir("styles") / "app.tcss")

        def __init__(self) -> None:
            super().__init__()
            self.store, self.config, self.clock = store, Config(), SystemClock()

        @property
        def desk(self) -> Desk:
            return Desk(self.store, self.config, self.clock)

        def today(self) -> dt.date:
            return self.desk.today()

        def compose(self) -> ComposeResult:
            yield ExperimentsPane()

    return BoardHost()


async def board_open(store: Store, runs: int) -> tuple[list[float], list[float]]:
    """Inside the app: the pane opening the board (every column's query and first page,
    the overlaps, the counts, the details of the card under the keyboard), then Textual
    drawing every visible line of the five columns."""
    app = _board_app(store)
    opening, drawing = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.query_one("#pane-experiments")
        for _ in range(runs + 1):
            pane._conflicts_key = None  # cold: find the overlaps again, as on opening
            start = time.perf_counter()
            pane.refresh_list(reset=True)
            middle = time.perf_counter()
            for column in pane.board.visible_columns():
                column.render_lines(Region(0, 0, column.size.width, column.size.height))
            opening.append((middle - start) * 1000)
            drawing.append((time.perf_counter() - middle) * 1000)
    return opening[1:], drawing[1:]


def ensure(path: Path) -> None:
    if not path.exists():
        print(f"generating {path} (first run only)…", flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(path)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ensure(args.db)
    with Store(args.db, clock=SystemClock()) as store:
        desk = Desk(store, Config(), SystemClock())
        total = store.experiments.count()
        pairs = service.conflicts(desk)
        print(
            f"{total:,} experiments, {len(service.schedule(desk)):,} running or planned, "
            f"{len(pairs):,} overlapping pairs"
        )
        opening, drawing = asyncio.run(board_open(store, args.runs))
        figures = {
            "conflicts": timings_ms(lambda: service.conflicts(desk).has(0), args.runs),
            "board queries (columns + counts + conflicts)": timings_ms(
                lambda: board_data(desk), args.runs
            ),
            "board open in the app": opening,
            "before you start (similar search)": timings_ms(
                lambda: service.similar(
                    desk,
                    title="Shorter form on checkout",
                    hypothesis="Changing the checkout will move checkout conversion",
                ),
                args.runs,
            ),
        }
    load = os.getloadavg()[0]
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs: a busy machine slows every figure)")
    print(f"{'figure':<46}{'median':>9}{'best':>9}  target")
    for name, values in figures.items():
        value = statistics.median(values)
        verdict = "ok" if value <= TARGET_MS else "OVER"
        print(
            f"{name:<46}{value:>7.1f}ms{min(values):>7.1f}ms  ≤ {TARGET_MS:.0f} ms (median) "
            f"{verdict}"
        )
    # Textual's own drawing, the same for any widget this size (first_screen.py covers it).
    print(
        f"{'then drawing the five columns (Textual)':<46}{statistics.median(drawing):>7.1f}ms"
        f"{min(drawing):>7.1f}ms  no target"
    )


if __name__ == "__main__":
    main()
