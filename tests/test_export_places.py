"""Where the next export is offered: the place the last one went, remembered in the state
file beside the theme, and never a place that has gone or was not a file."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from opsdesk.paths import export_dir, state_path
from opsdesk.services import export_places


def test_first_time_offers_the_documents_folder() -> None:
    assert export_places.calendar_path() == export_dir() / "opsdesk.ics"
    assert export_places.report_path("x.md") == export_dir() / "x.md"


def test_the_calendar_file_and_the_reports_folder_are_remembered(tmp_path: Path) -> None:
    calendar, report = tmp_path / "cal" / "team.ics", tmp_path / "notes" / "brief.md"
    for path in (calendar, report):
        path.parent.mkdir()
        path.write_text("x", encoding="utf-8")
    export_places.remember(export_places.CALENDAR, calendar)
    export_places.remember(export_places.REPORTS, report)
    assert export_places.calendar_path() == calendar
    assert export_places.report_path("digest.md") == report.parent / "digest.md"
    assert stat.S_IMODE(state_path().stat().st_mode) == 0o600, "paths are personal"


def test_the_theme_kept_in_the_same_file_survives(tmp_path: Path) -> None:
    state_path().parent.mkdir(parents=True)
    state_path().write_text(json.dumps({"theme": "nord"}), encoding="utf-8")
    (tmp_path / "a.ics").write_text("x", encoding="utf-8")
    export_places.remember(export_places.CALENDAR, tmp_path / "a.ics")
    assert json.loads(state_path().read_text(encoding="utf-8"))["theme"] == "nord"


def test_a_place_that_has_gone_or_was_no_file_is_not_offered(tmp_path: Path) -> None:
    export_places.remember(export_places.REPORTS, Path("/dev/null"))
    assert export_places.report_path("x.md") == export_dir() / "x.md"
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "cal.ics").write_text("x", encoding="utf-8")
    export_places.remember(export_places.CALENDAR, folder / "cal.ics")
    export_places.remember(export_places.REPORTS, folder / "cal.ics")
    (folder / "cal.ics").unlink()
    folder.rmdir()
    assert export_places.calendar_path() == export_dir() / "opsdesk.ics"
    assert export_places.report_path("x.md") == export_dir() / "x.md"


def test_a_damaged_state_file_only_loses_the_suggestion(tmp_path: Path) -> None:
    state_path().parent.mkdir(parents=True)
    state_path().write_text("{not json", encoding="utf-8")
    assert export_places.calendar_path() == export_dir() / "opsdesk.ics"
    (tmp_path / "a.ics").write_text("x", encoding="utf-8")
    export_places.remember(export_places.CALENDAR, tmp_path / "a.ics")
    assert export_places.calendar_path() == tmp_path / "a.ics"
