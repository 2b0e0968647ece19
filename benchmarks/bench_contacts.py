"""Research contacts on the large dataset (20,000 contacts, 50,000 touches).

Prints each figure beside its target (issue 5): one eligibility check ≤ 5 ms, an eligible-pool
search ≤ 100 ms. Also shows what the Contacts pane pays: the status of one page of 100
contacts, and of every contact (what the status filter needs).

    python benchmarks/bench_contacts.py [--large benchmarks/data/large.db] [--runs 50]

The large database is copied to a temporary folder first: opening it may upgrade its schema,
and the benchmark must not change the shared file.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from opsdesk.clock import SystemClock
from opsdesk.config import Config
from opsdesk.services.contact_pool import PoolQuery, find_pool
from opsdesk.services.contact_status import refresh_status_tables, statuses_for
from opsdesk.services.contacts import check
from opsdesk.services.desk import Desk
from opsdesk.store import Store
from opsdesk.store.contacts import ContactFilter

HERE = Path(__file__).resolve().parent
DEFAULT_LARGE = HERE / "data" / "large.db"


def median_ms(work: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", type=Path, default=DEFAULT_LARGE)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if not args.large.exists():
        print(f"generating {args.large} (first run only)…", flush=True)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--out", str(args.large)], check=True
        )
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "large.db"
        shutil.copyfile(args.large, copy)
        with Store(copy, clock=SystemClock()) as store:
            run(store, args.runs)


def run(store: Store, runs: int) -> None:
    desk = Desk(store, Config(), SystemClock())
    counts = store.counts()
    print(f"dataset: {counts['contacts']:,} contacts, {counts['touches']:,} touches")
    rng = random.Random(5)
    emails = [
        row[0]
        for row in store.conn.execute(
            "SELECT email FROM contacts WHERE email IS NOT NULL"
        ).fetchall()
    ]
    biggest = store.conn.execute(
        "SELECT company FROM contacts GROUP BY company ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    in_biggest = [
        row[0]
        for row in store.conn.execute(
            "SELECT email FROM contacts WHERE company = ?", (biggest,)
        ).fetchall()
    ]
    segment = store.conn.execute("SELECT segment FROM contacts LIMIT 1").fetchone()[0]
    page = [
        row.record
        for row in store.contacts.window(store.contacts.where(ContactFilter()), "name", limit=100)
    ]

    figures = [
        (
            "eligibility check, random contact",
            median_ms(lambda: check(desk, rng.choice(emails)), runs * 4),
            5.0,
        ),
        (
            f"eligibility check, biggest company ({len(in_biggest)} contacts)",
            median_ms(lambda: check(desk, rng.choice(in_biggest)), runs * 4),
            5.0,
        ),
        (
            "eligibility check, unknown address",
            median_ms(lambda: check(desk, "nobody@nowhere.example"), runs * 4),
            5.0,
        ),
        (
            "eligible pool: find 10, no filter",
            median_ms(lambda: find_pool(desk, PoolQuery(size=10)), runs),
            100.0,
        ),
        (
            f"eligible pool: find 25 in segment '{segment}'",
            median_ms(lambda: find_pool(desk, PoolQuery(size=25, segment=segment)), runs),
            100.0,
        ),
        (
            "eligible pool: find 10 matching 'dashboards'",
            median_ms(lambda: find_pool(desk, PoolQuery(size=10, text="dashboards")), runs),
            100.0,
        ),
        (
            "status of one page (100 contacts)",
            median_ms(lambda: statuses_for(desk, page), runs),
            None,
        ),
        (
            "status of every contact (status filter)",
            median_ms(lambda: refresh_status_tables(desk), max(runs // 5, 3)),
            None,
        ),
    ]
    print(f"{'figure':<52}{'median':>10}  target")
    for name, value, target in figures:
        if target is None:
            print(f"{name:<52}{value:>8.2f}ms  (informative)")
        else:
            verdict = "met" if value <= target else "MISSED"
            print(f"{name:<52}{value:>8.2f}ms  <= {target:g} ms {verdict}")


if __name__ == "__main__":
    main()
