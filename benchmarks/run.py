"""Every benchmark in one run, one table: figure, value, target, met or not.

    python benchmarks/run.py [--large benchmarks/data/large.db] [--runs 5]

Generates the large dataset if it is missing, then measures, in one process tree so the
figures can be compared: time to the first rows against a bare Textual app and an empty
database, how that time grows from 1k to 10k to 100k items, the inbox's keys and search,
and each pane's own benchmark script (their verdict lines are gathered into the table).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_LARGE = HERE / "data" / "large.db"
PANE_SCRIPTS = {
    "bench_launches.py": "--large",
    "bench_contacts.py": "--large",
    "bench_experiments.py": "--db",
    "bench_exports.py": "--large",
}
"""Each pane's benchmark script and the option that names the large database."""
VERDICT = re.compile(r"\b(met|ok|MISSED)\s*$")


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    figure: str
    value: str
    target: str
    met: bool | None


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def startup_rows(large: Path, runs: int) -> list[Row]:
    sys.path.insert(0, str(HERE))
    import first_screen
    import generate

    first_screen.compile_opsdesk()
    with tempfile.TemporaryDirectory() as folder:
        # The smaller datasets take turns with the others, so the growth rows compare.
        smaller: dict[str, Path] = {}
        for size in (1_000, 10_000):
            path = Path(folder) / f"{size}.db"
            generate.generate(
                path,
                feedback=size,
                contacts=size // 5,
                touches=size // 2,
                launches=max(size // 100, 10),
                experiments=max(size // 50, 10),
            )
            smaller[f"{size:,}"] = path
        figures = first_screen.measure(large, runs, more=smaller)
    rows = [
        Row(
            "first rows: bare Textual app, 30-row table", f"{figures['baseline']:.3f} s", "—", None
        ),
        Row("first rows: empty database", f"{figures['empty']:.3f} s", "—", None),
        Row("first rows: demo database", f"{figures['demo']:.3f} s", "—", None),
        Row("first rows: 100k database", f"{figures['large']:.3f} s", "—", None),
    ]
    for name, ratio, target in (
        ("first rows 100k / bare Textual", figures["large"] / figures["baseline"], 1.5),
        ("first rows 100k / empty database", figures["large"] / figures["empty"], 1.2),
        ("first rows 100k / demo", figures["large"] / figures["demo"], 1.2),
    ):
        rows.append(Row(name, f"{ratio:.2f}x", f"<= {target}x", ratio <= target))
    for name in smaller:
        rows.append(Row(f"first rows at {name} items", f"{figures[name]:.3f} s", "flat", None))
    rows.append(Row("first rows at 100,000 items", f"{figures['large']:.3f} s", "flat", None))
    return rows


def inbox_rows(large: Path) -> list[Row]:
    import bench_feedback

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "large.db"
        shutil.copyfile(large, copy)
        figures = asyncio.run(bench_feedback.measure(copy))
    return [
        Row("Today: every section read (median of 7)", _ms(figures["today"]), "—", None),
        Row(
            "inbox: search keystroke p95",
            _ms(figures["search_p95"]),
            "<= 30 ms",
            figures["search_p95"] <= 0.030,
        ),
        Row(
            "inbox: triage key to redrawn list p95",
            _ms(figures["triage_p95"]),
            "<= 50 ms",
            figures["triage_p95"] <= 0.050,
        ),
        Row(
            "inbox: page down p95",
            _ms(figures["page_p95"]),
            "<= 50 ms",
            figures["page_p95"] <= 0.050,
        ),
        Row(
            "inbox: End/Home, every view and order, slowest",
            _ms(figures["jump_max"]),
            "<= 50 ms",
            figures["jump_max"] <= 0.050,
        ),
        Row(
            "switch panes: key to the new list drawn, p95",
            _ms(figures["switch_p95"]),
            "<= 50 ms",
            figures["switch_p95"] <= 0.050,
        ),
        Row(
            "memory, every pane visited (RSS)",
            f"{figures['rss_mb']:.0f} MB",
            "<= 200 MB",
            figures["rss_mb"] <= 200,
        ),
    ]


def pane_rows(large: Path) -> list[Row]:
    """Run each pane's script and turn its verdict lines into rows of the table."""
    rows: list[Row] = []
    for script, option in PANE_SCRIPTS.items():
        path = HERE / script
        if not path.exists():
            continue
        result = subprocess.run(
            [sys.executable, str(path), option, str(large)],
            capture_output=True,
            text=True,
            check=False,
        )
        found = 0
        for line in result.stdout.splitlines():
            verdict = VERDICT.search(line)
            if not verdict:
                continue
            found += 1
            text = line[: verdict.start()].rstrip()
            parts = re.split(r"\s{2,}", text.strip())
            name = f"{script.removeprefix('bench_').removesuffix('.py')}: {parts[0]}"
            value = parts[1] if len(parts) > 1 else ""
            target = " ".join(parts[2:]).removeprefix("target ").strip()
            rows.append(Row(name, value, target, verdict.group(1) != "MISSED"))
        if not found:  # a script that missed a target exits 1 but still prints its figures
            error = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
            rows.append(Row(f"{script}: failed to run ({error[:60]})", "—", "—", False))
    return rows


def print_table(rows: list[Row]) -> None:
    width = max(len(row.figure) for row in rows) + 2
    print(f"{'figure':<{width}}{'value':>14}  {'target':<22}verdict")
    for row in rows:
        verdict = "" if row.met is None else ("met" if row.met else "MISSED")
        print(f"{row.figure:<{width}}{row.value:>14}  {row.target:<22}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", type=Path, default=DEFAULT_LARGE)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.large.exists():
        print(f"generating {args.large} (first run only)…", flush=True)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--out", str(args.large)], check=True
        )
    rows = startup_rows(args.large, args.runs) + inbox_rows(args.large) + pane_rows(args.large)
    print_table(rows)
    missed = sum(row.met is False for row in rows)
    met = sum(row.met is True for row in rows)
    print(f"\n{met} met, {missed} missed")


if __name__ == "__main__":
    main()
