"""Run a piece of opsdesk work in another process and stop it at a chosen moment.

The script prints a line (``started``) when it reaches the moment to interrupt; the test
waits for that line, then kills the process with ``SIGKILL`` (no clean-up handlers run), or
lets it go on writing while the test does something else at the same time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

WAIT_SECONDS = 30


def start(script: str, *args: str | Path) -> subprocess.Popen[str]:
    """Start ``python -c script args…`` with stdout as a pipe of text lines."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def wait_for(proc: subprocess.Popen[str], line: str = "started") -> list[str]:
    """Read stdout until ``line`` appears; return the lines before it.

    Fails with the process's stderr if it ends first, so a broken script is easy to see.
    """
    assert proc.stdout is not None
    seen: list[str] = []
    for raw in proc.stdout:
        text = raw.strip()
        if text == line:
            return seen
        seen.append(text)
    proc.wait(WAIT_SECONDS)
    stderr = proc.stderr.read() if proc.stderr else ""
    raise AssertionError(f"the process ended before '{line}': {seen} {stderr}")


def kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL: the process gets no chance to roll back, close or clean up."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(WAIT_SECONDS)
    assert proc.returncode == -signal.SIGKILL
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
