"""Time from starting opsdesk to the first rows on screen: demo vs the 100k database.

Each figure is the median of several fresh processes. Targets (issues 2 and 9): the 100k
database within 1.2x of the demo, and within 1.5x of a bare Textual app with a 30-row table.

    python benchmarks/first_screen.py [--large benchmarks/data/large.db] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE = HERE / "first_screen_probe.py"
DEFAULT_LARGE = HERE / "data" / "large.db"


def time_probe(args: list[str], runs: int) -> float:
    """Median seconds from starting a fresh probe process to its first drawn row."""
    timings = []
    for _ in range(runs):
        started = time.time()
        result = subprocess.run(
            [sys.executable, str(PROBE), *args, "--started", repr(started)],
            check=True,
            capture_output=True,
            text=True,
        )
        timings.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(timings)


def ensure_large(path: Path) -> None:
    if not path.exists():
        print(f"generating {path} (first run only)…", flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(path)], check=True)


def ensure_demo(path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "opsdesk", "demo", "--no-tui", "--db", str(path)],
        check=True,
        capture_output=True,
    )


def measure(
    large: Path, runs: int, pane: str = "feedback", more: Mapping[str, Path] | None = None
) -> dict[str, float]:
    """Seconds to first rows for the baseline, an empty, the demo and the large database,
    and for each database in ``more`` under its name, all in the same round robin."""
    ensure_large(large)
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.db"
        empty = Path(folder) / "empty.db"
        ensure_demo(demo)
        subprocess.run(
            [sys.executable, "-m", "opsdesk", "info", "--db", str(empty)],
            check=True,
            capture_output=True,
        )
        # One warm-up so every figure sees the same file-system cache.
        time_probe(["--db", str(large), "--pane", pane], 1)
        probes = {
            "baseline": ["--baseline"],
            "empty": ["--db", str(empty), "--pane", pane],
            "demo": ["--db", str(demo), "--pane", pane],
            "large": ["--db", str(large), "--pane", pane],
        }
        for name, path in (more or {}).items():
            probes[name] = ["--db", str(path), "--pane", pane]
        # Round robin, so a machine that speeds up or slows down mid-run moves every figure
        # alike and the ratios stay fair; each figure is the median of its runs.
        timings: dict[str, list[float]] = {name: [] for name in probes}
        for _ in range(runs):
            for name, args in probes.items():
                timings[name].append(time_probe(args, 1))
        return {name: statistics.median(values) for name, values in timings.items()}


def compile_opsdesk() -> None:
    """Write opsdesk's bytecode, as installing the wheel does.

    Textual and the other dependencies were compiled when pip installed them; an editable
    checkout (or ``PYTHONDONTWRITEBYTECODE``) would otherwise make every opsdesk start
    compile its own source, which no installed copy does.
    """
    import compileall

    import opsdesk

    compileall.compile_dir(str(Path(opsdesk.__file__).parent), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", type=Path, default=DEFAULT_LARGE)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    compile_opsdesk()
    figures = measure(args.large, args.runs)
    print(f"{'figure':<44}{'value':>10}  target")
    print(f"{'bare Textual app, 30-row table':<44}{figures['baseline']:>9.3f}s")
    print(f"{'opsdesk, empty database':<44}{figures['empty']:>9.3f}s")
    print(f"{'opsdesk, demo database':<44}{figures['demo']:>9.3f}s")
    print(f"{'opsdesk, 100k database':<44}{figures['large']:>9.3f}s")
    ratio_demo = figures["large"] / figures["demo"]
    ratio_base = figures["large"] / figures["baseline"]
    for name, ratio, target in (
        ("100k / demo", ratio_demo, 1.2),
        ("100k / bare Textual", ratio_base, 1.5),
    ):
        verdict = "met" if ratio <= target else "MISSED"
        print(f"{name:<44}{ratio:>9.2f}x  <= {target}x {verdict}")


if __name__ == "__main__":
    main()
