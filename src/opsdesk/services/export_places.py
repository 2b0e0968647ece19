"""Where the last calendar export and the last saved report went, so the next save offers
the same place instead of the documents folder again (and the folder the last import came
from, offered to the next import).

A manager who keeps the team calendar in ``~/Sync/ops/team.ics`` re-exports it to that file
each week (its events keep their UIDs, so the calendar program updates them), and files
reports in one folder: typing the path anew every time is the chore this saves. The places
are kept in opsdesk's small state file (beside the theme), not in the database, because they
belong to this person on this machine, not to the data another process may share.

Remembering is a convenience: a state file that cannot be read or written changes nothing
but the suggestion, and a place that has gone (a folder deleted, a USB stick unplugged) is
not offered.
"""

from __future__ import annotations

import contextlib
import json
import stat
from pathlib import Path
from typing import Any

from opsdesk.paths import export_dir, state_path, write_private

STATE_KEY = "export_places"
CALENDAR = "calendar"
"""The calendar's place is the whole file: the same file is updated week after week."""
REPORTS = "reports"
"""Reports' place is the folder: each report has its own dated name."""


def _state() -> dict[str, Any]:
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remembered(kind: str) -> Path | None:
    places = _state().get(STATE_KEY)
    value = places.get(kind) if isinstance(places, dict) else None
    if not isinstance(value, str) or not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else None


def remember(kind: str, path: Path) -> None:
    """Keep where a file was just written: the file for the calendar, its folder for a
    report. Only a regular file counts: ``/dev/stdout`` or a named pipe is a one-off, and
    offering ``/dev/opsdesk-digest-….md`` next time would be wrong."""
    path = Path(path).absolute()
    with contextlib.suppress(OSError):
        if not stat.S_ISREG(path.stat().st_mode):
            return
        place = path if kind == CALENDAR else path.parent
        data = _state()
        places = data.get(STATE_KEY)
        places = dict(places) if isinstance(places, dict) else {}
        places[kind] = str(place)
        data[STATE_KEY] = places
        write_private(state_path(), json.dumps(data).encode("utf-8"))


def calendar_path() -> Path:
    """The calendar file to offer: the one last exported to while its folder still exists,
    else ``opsdesk.ics`` in the documents folder."""
    last = _remembered(CALENDAR)
    if last is not None and last.parent.is_dir():
        return last
    return export_dir() / "opsdesk.ics"


def report_path(name: str) -> Path:
    """Where to offer a report named ``name``: the folder the last report was saved in while
    it still exists, else the documents folder."""
    last = _remembered(REPORTS)
    folder = last if last is not None and last.is_dir() else export_dir()
    return folder / name


IMPORTS = "imports"
"""Imports' place is the folder: next week's export from the support desk lands beside this
week's, under a new name."""


def import_folder() -> Path | None:
    """The folder the last imported file came from, while it still exists."""
    last = _remembered(IMPORTS)
    return last if last is not None and last.is_dir() else None
