"""Write docs/screenshot.svg: the app on the demo company, as the README shows it.

    python docs/make_screenshot.py [--pane feedback]

The SVG is exported by the app itself (Textual's screenshot), on a frozen clock so the
picture only changes when the app does.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from pathlib import Path

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.demo import load_demo
from opsdesk.store import Store
from opsdesk.tui.app import build_app

HERE = Path(__file__).resolve().parent
NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)


async def shoot(pane: str, out: Path) -> None:
    clock = FrozenClock(NOW)
    with Store(clock=clock, actor="demo") as store:
        load_demo(store, NOW.date())
        app = build_app(store, Config(), clock=clock, pane=pane, db_label="demo.db")
        async with app.run_test(size=(140, 42)) as pilot:
            await pilot.pause()
            await pilot.press("left_square_bracket")  # the All view
            await pilot.pause()
            app.save_screenshot(filename=out.name, path=str(out.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pane", default="feedback")
    parser.add_argument("--out", type=Path, default=HERE / "screenshot.svg")
    args = parser.parse_args()
    asyncio.run(shoot(args.pane, args.out))
    print(args.out)


if __name__ == "__main__":
    main()
