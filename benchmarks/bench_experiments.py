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
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # warm the page cache and SQLite's statement cache
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def board_data(desk: Desk) -> None:
    """The queries the board runs when it opens."""
    repository = desk.store.experiments
    for status in BOARD_COLUMNS:
        where = repository.where(ExperimentFilter(status=status.value))
        repository.count(where)
        repository.window(where, "newest", limit=FIRST_PAGE)
    repository.counts_by_status()
    service.conflicts(desk).has(0)


async def board_open(store: Store, runs: int) -> tuple[float, float]:
    """Inside the app: the pane opening the board (every column's query and first page,
    the overlaps, the counts, the details of the card under the keyboard), then Textual
    drawing every visible line of the five columns."""
    from opsdesk.tui.app import build_app
    from opsdesk.tui.panes.experiments import ExperimentsPane

    app = build_app(store, Config(), pane="experiments", db_label=str(store.path))
    opening, drawing = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.query_one("#pane-experiments", ExperimentsPane)
        for _ in range(runs + 1):
            pane._conflicts_key = None  # cold: find the overlaps again, as on opening
            start = time.perf_counter()
            pane.refresh_list(reset=True)
            middle = time.perf_counter()
            for column in pane.board.visible_columns():
                column.render_lines(Region(0, 0, column.size.width, column.size.height))
            opening.append(middle - start)
            drawing.append(time.perf_counter() - middle)
    return statistics.median(opening[1:]) * 1000, statistics.median(drawing[1:]) * 1000


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
            "conflicts": median_ms(lambda: service.conflicts(desk).has(0), args.runs),
            "board queries (columns + counts + conflicts)": median_ms(
                lambda: board_data(desk), args.runs
            ),
            "board open in the app": opening,
            "before you start (similar search)": median_ms(
                lambda: service.similar(
                    desk,
                    title="Shorter form on checkout",
                    hypothesis="Changing the checkout will move checkout conversion",
                ),
                args.runs,
            ),
        }
    print(f"{'figure':<46}{'median':>10}  target")
    for name, value in figures.items():
        verdict = "ok" if value <= TARGET_MS else "OVER"
        print(f"{name:<46}{value:>8.1f}ms  ≤ {TARGET_MS:.0f} ms  {verdict}")
    # Textual's own drawing, the same for any widget this size (first_screen.py covers it).
    print(f"{'then drawing the five columns (Textual)':<46}{drawing:>8.1f}ms  (no target)")


if __name__ == "__main__":
    main()
