"""The launch timeline on the generated dataset vs the demo: open it, scroll it.

Figures (each the median of several runs, in one process, headless at 120x40; the app's
figures are CPU time of this process, so other work on the machine does not skew them):

- open the timeline: from pressing ``t`` on the launch pane to the timeline drawn with its
  rows (count, first page, assessment of those launches);
- scroll a page down: ``pgdn`` through the launches of the weeks shown, at 120x20 so that the
  demo's 11 launches overflow the screen too and both runs really scroll (at 120x40 the demo's
  all fit on one screen and ``pgdn`` only moves the cursor: nothing to compare);
- page through time: ``]``, the next screenful of weeks (a new query; no target, as the
  demo has no launches in the weeks after the first screen);
- the same three through the service alone (no drawing), to separate query from screen.

Target (issue 4): opening and scrolling the timeline on the large dataset (1,000 launches,
20,000+ readiness items) within 1.2x of the demo. The demo and the large runs alternate, so
whatever else the machine is doing weighs on both alike. The query-only figures are printed
for diagnosis, without a target: the demo's weeks hold 11 launches, the large dataset's a
screenful, so they compare a different amount of work. The large database is copied to a
temporary folder before it is opened, so an older file is upgraded there, never in place.

    python benchmarks/bench_launches.py [--large benchmarks/data/large.db] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.demo import load_demo
from opsdesk.rules.risk import week_of
from opsdesk.services.desk import Desk
from opsdesk.services.launches import LaunchService
from opsdesk.store import Store
from opsdesk.tui.app import build_app
from opsdesk.tui.widgets.launches_timeline import PAGE_SIZE, LaunchTimeline

HERE = Path(__file__).resolve().parent
DEFAULT_LARGE = HERE / "data" / "large.db"
SIZE = (120, 40)
SCROLL_SIZE = (120, 20)
TARGET = 1.2


def _clock() -> FrozenClock:
    return FrozenClock(dt.datetime.now(dt.UTC))


async def _ui_run(path: Path, size: tuple[int, int] = SIZE) -> dict[str, float]:
    """One fresh app: seconds to open the timeline, to page down, to page in time."""
    clock = _clock()
    with Store(path, clock=clock, actor="bench") as store:
        app = build_app(store, Config(), clock=clock, pane="launches")
        async with app.run_test(size=size) as pilot:
            # Let the other panes finish their start-up work (they are built after the first
            # frame; the feedback pane counts its views in a thread) so that only the
            # timeline's own work is timed.
            await pilot.pause()
            while not app.panes_built:
                await pilot.pause(0.05)  # the hidden panes are built after the first frame
            await app.workers.wait_for_complete()
            await pilot.pause()
            timeline = app.query_one(LaunchTimeline)

            async def timed(*keys: str) -> float:
                started = time.process_time()
                await pilot.press(*keys)
                await pilot.pause()
                await app.animator.wait_until_complete()
                return time.process_time() - started

            opened = await timed("t")
            assert app.focused is timeline
            rows = timeline.row_count
            scrolls = [await timed("pagedown") for _ in range(3)]
            paged = [await timed("right_square_bracket") for _ in range(3)]
            return {
                "open": opened,
                "scroll": statistics.median(scrolls),
                "time_page": statistics.median(paged),
                "rows": float(rows),
            }


def _service_run(path: Path) -> dict[str, float]:
    """The same work through the service alone: count and assess the rows on screen."""
    clock = _clock()
    with Store(path, clock=clock, actor="bench") as store:
        service = LaunchService(Desk(store, Config(), clock))
        today = service.today()
        start = week_of(today) - dt.timedelta(days=7)
        end = start + dt.timedelta(weeks=12) - dt.timedelta(days=1)

        def window(first: dt.date, last: dt.date, offset: int) -> int:
            where = service.timeline_where(first, last)
            count = store.launches.count(where)
            rows = store.launches.window(where, "date", offset=offset, limit=PAGE_SIZE)
            service.decorate(rows)
            return count

        started = time.perf_counter()
        count = window(start, end, 0)
        opened = time.perf_counter() - started
        started = time.perf_counter()
        window(start, end, PAGE_SIZE if count > PAGE_SIZE else 0)
        scrolled = time.perf_counter() - started
        started = time.perf_counter()
        window(end + dt.timedelta(days=1), end + dt.timedelta(weeks=12), 0)
        paged = time.perf_counter() - started
        return {"open": opened, "scroll": scrolled, "time_page": paged, "rows": float(count)}


def _alternate(
    runs: int, measures: dict[str, Callable[[], dict[str, float]]]
) -> dict[str, dict[str, float]]:
    """Run each measure ``runs`` times, taking turns; the median of each figure."""
    results: dict[str, list[dict[str, float]]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            results[name].append(measure())
    return {
        name: {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        for name, rows in results.items()
    }


def _ui(path: Path) -> Callable[[], dict[str, float]]:
    def once() -> dict[str, float]:
        coroutine: Awaitable[dict[str, float]] = _ui_run(path)
        figures = asyncio.run(coroutine)  # type: ignore[arg-type]
        short: Awaitable[dict[str, float]] = _ui_run(path, SCROLL_SIZE)
        figures["scroll"] = asyncio.run(short)["scroll"]  # type: ignore[arg-type]
        return figures

    return once


def _ensure_large(path: Path) -> None:
    if not path.exists():
        print(f"generating {path} (first run only)…", flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(path)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=Path, default=DEFAULT_LARGE)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    _ensure_large(args.large)
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.db"
        with Store(demo, clock=_clock(), actor="opsdesk-demo") as store:
            load_demo(store, _clock().now().date())
        large = Path(folder) / "large.db"
        shutil.copyfile(args.large, large)
        with Store(large, clock=_clock(), actor="bench") as store:  # upgrade the copy once
            counts = store.counts()
        print(
            f"large dataset: {counts['launches']:,} launches, "
            f"{counts['readiness_items']:,} readiness items"
        )
        _ui(demo)(), _ui(large)()  # warm-up: imports, CSS, the file-system cache
        figures = _alternate(args.runs, {"demo": _ui(demo), "large": _ui(large)})
        figures |= _alternate(
            args.runs,
            {
                "demo query": lambda: _service_run(demo),
                "large query": lambda: _service_run(large),
            },
        )
    print(
        f"launches in the weeks shown: demo {figures['demo']['rows']:.0f}, "
        f"large {figures['large']['rows']:.0f}"
    )
    print(f"{'figure':<40}{'demo':>10}{'large':>10}{'ratio':>8}  target")
    failed = False
    for key, name in (
        ("open", "open the timeline (t)"),
        ("scroll", "scroll a page (pgdn, 120x20)"),
        ("time_page", "page through time (])"),
    ):
        for kind, label in (("", ""), (" query", " — query only")):
            demo_s = figures[f"demo{kind}"][key]
            large_s = figures[f"large{kind}"][key]
            ratio = large_s / demo_s if demo_s else float("inf")
            if kind:
                verdict = "(diagnostic)"
            elif key == "time_page":
                verdict = "(no target: the demo's later weeks are empty)"
            else:
                ok = ratio <= TARGET
                failed |= not ok
                verdict = f"≤ {TARGET}x {'ok' if ok else 'MISSED'}"
            print(
                f"{name + label:<40}{demo_s * 1000:>8.1f}ms{large_s * 1000:>8.1f}ms"
                f"{ratio:>7.2f}x  {verdict}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
