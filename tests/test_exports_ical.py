"""The iCalendar export, read back by an independent parser (vobject) and imported by khal.

Nothing here parses our output with the code that wrote it: vobject reads every file, and a
real calendar program (khal) imports it into a vdir and lists the events it holds.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import vobject
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsdesk.cli import cli
from opsdesk.clock import FrozenClock
from opsdesk.config import Config, IcalConfig
from opsdesk.exporters.ical import (
    LINE_OCTETS,
    AlarmPolicy,
    CalendarEvent,
    clean_text,
    escape_text,
    fold,
    render_calendar,
    trigger,
)
from opsdesk.models import Contact, Experiment, Launch, ReadinessItem, Touch
from opsdesk.services.desk import Desk
from opsdesk.services.ical_export import (
    ExportError,
    IcalOptions,
    IcalResult,
    export_ical,
    export_ical_file,
    parse_include,
)
from opsdesk.services.launches import LaunchService
from opsdesk.store import Store
from opsdesk.vocabulary import ReadinessState

QUIET = settings(suppress_health_check=list(HealthCheck), deadline=None, database=None)
"""Property tests: no time limits, and no example database left in the checkout."""

HOSTILE = (
    "[b]x[/b] <script>alert(1)</script> | a;b,c \\ \\N \\n C:\\New\\; "
    "\x1b[31mred\x07 😀👩‍👩‍👧 é\u202eevil\r\nline two\rline three\n"
)


def read(data: bytes) -> vobject.base.Component:
    return vobject.readOne(data.decode("utf-8"))


def events(data: bytes) -> dict[str, vobject.base.Component]:
    return {event.uid.value: event for event in read(data).vevent_list}


@pytest.fixture
def desk(demo_store: Store, clock: FrozenClock) -> Desk:
    return Desk(demo_store, Config(), clock)


# -- RFC 5545 primitives -----------------------------------------------------------------------


def test_escape_text_escapes_backslash_first() -> None:
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    assert escape_text("\\N") == "\\\\N"  # a literal \N stays text, never a line break


def test_fold_keeps_lines_within_75_octets_and_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + escape_text("é😀a\\;" * 200)
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= LINE_OCTETS for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    for piece in pieces:
        piece.encode("utf-8").decode("utf-8")  # each physical line is whole UTF-8
        assert not piece.endswith("\\") or piece.endswith("\\\\")  # no escape split
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_trigger_is_relative_to_the_start_of_the_day() -> None:
    assert trigger(1, 9) == "-PT15H"
    assert trigger(2, 9) == "-PT39H"
    assert trigger(0, 9) == "PT9H"
    assert trigger(0, 0) == "PT0S"


@settings(QUIET, max_examples=300)
@given(st.text(max_size=300))
def test_any_text_survives_a_round_trip_through_vobject(text: str) -> None:
    event = CalendarEvent(
        uid="x@opsdesk",
        kind="launch",
        summary=clean_text(text),
        description=clean_text(text),
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 2),
        categories=("opsdesk", clean_text(text) or "empty"),
    )
    data = render_calendar(
        [event],
        sequences={},
        stamp=dt.datetime(2026, 11, 26, tzinfo=dt.UTC),
        alarms=AlarmPolicy(),
    )
    assert b"\n" not in data.replace(b"\r\n", b"")
    parsed = read(data).vevent
    expected = clean_text(text)
    assert parsed.summary.value == expected
    if expected:
        assert parsed.description.value == expected


def test_clean_text_makes_controls_visible_and_keeps_line_breaks() -> None:
    assert clean_text("a\r\nb\rc\x1b[1m\x07") == "a\nb\nc␛[1m␇"


# -- the whole calendar ------------------------------------------------------------------------


def test_demo_calendar_reads_back_with_every_kind(desk: Desk) -> None:
    result = export_ical(desk)
    data = result.data
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "every line ends with CRLF"
    for line in data.split(b"\r\n"):
        assert len(line) <= LINE_OCTETS
    calendar = read(data)
    assert calendar.version.value == "2.0"
    assert calendar.prodid.value.startswith("-//opsdesk//")
    found = events(data)
    assert len(found) == result.events == sum(result.counts.values())
    assert set(result.counts) == {"launch", "readiness", "experiment", "readout", "followup"}
    for event in found.values():
        start, end = event.dtstart.value, event.dtend.value
        assert type(start) is dt.date and type(end) is dt.date, "all-day events use DATE"
        assert end > start
        assert event.dtstamp.value == dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
        assert event.dtstamp.value.utcoffset() == dt.timedelta(0)
        assert int(event.sequence.value) == 0
    launch = desk.store.launches.get(4)
    day = found[next(uid for uid in found if uid.startswith("launch-4."))]
    assert day.dtstart.value == launch.launch_date
    assert day.dtend.value == launch.launch_date + dt.timedelta(days=1)
    assert launch.title in day.summary.value
    assert (launch.owner or "") in day.description.value


def test_readiness_events_name_launch_owner_and_function_and_remind(desk: Desk) -> None:
    item = desk.store.readiness.for_launch(10)[0]
    launch = desk.store.launches.get(10)
    found = events(export_ical(desk, IcalOptions(include=frozenset({"readiness"}))).data)
    event = next(e for uid, e in found.items() if uid.startswith(f"readiness-{item.id}."))
    assert event.dtstart.value == item.due_date
    assert event.dtend.value == item.due_date + dt.timedelta(days=1)
    text = event.summary.value + event.description.value
    assert launch.title in text and item.function.replace("_", " ") in text.lower()
    assert (item.owner or item.owner_role or "") in event.description.value
    alarm = event.valarm
    assert alarm.action.value == "DISPLAY"
    assert alarm.trigger.value == dt.timedelta(hours=9 - 24)  # a day before, at 09:00


def test_alarms_follow_the_config_and_skip_the_past(demo_store: Store, clock: FrozenClock) -> None:
    config = Config(ical=IcalConfig(readiness_alarm_days=3, alarm_hour=8))
    desk = Desk(demo_store, config, clock)
    found = events(export_ical(desk, IcalOptions(include=frozenset({"readiness"}))).data)
    today = desk.today()
    for event in found.values():
        has_alarm = hasattr(event, "valarm")
        future = event.dtstart.value >= today
        if has_alarm:
            assert future
            assert event.valarm.trigger.value == dt.timedelta(hours=8 - 72)
    assert any(hasattr(e, "valarm") for e in found.values())
    quiet = Desk(demo_store, Config(ical=IcalConfig(alarms=False)), clock)
    assert b"BEGIN:VALARM" not in export_ical(quiet).data


def test_uids_are_stable_and_sequence_rises_only_when_dates_change(desk: Desk) -> None:
    first = events(export_ical(desk).data)
    again = events(export_ical(desk).data)
    assert set(first) == set(again)
    assert all(int(e.sequence.value) == 0 for e in again.values())
    launch = desk.store.launches.get(10)
    LaunchService(desk).slip(10, launch.launch_date + dt.timedelta(days=7), "Vendor late")
    after = events(export_ical(desk).data)
    assert set(after) == set(first), "a slip updates events, it never adds new ones"
    moved = next(uid for uid in after if uid.startswith("launch-10."))
    assert int(after[moved].sequence.value) == 1
    assert after[moved].dtstart.value == launch.launch_date + dt.timedelta(days=7)
    other = next(uid for uid in after if uid.startswith("launch-4."))
    assert int(after[other].sequence.value) == 0
    unchanged = events(export_ical(desk).data)
    assert int(unchanged[moved].sequence.value) == 1


def test_two_databases_never_share_uids(clock: FrozenClock) -> None:
    uids = []
    for _ in range(2):
        with Store(clock=clock) as store:
            store.launches.insert(Launch(title="Same", launch_date=dt.date(2026, 12, 1)))
            uids.append(set(events(export_ical(Desk(store, Config(), clock)).data)))
    assert uids[0].isdisjoint(uids[1])


def test_a_read_only_database_exports_the_same_uids_every_time(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import opsdesk.store.db as store_db

    path = tmp_path / "ro.db"
    with Store(path, clock=clock) as store:
        store.launches.insert(Launch(title="Read only", launch_date=dt.date(2026, 12, 1)))
    real_access = os.access

    def access(target: object, flags: int, **kwargs: object) -> bool:
        if flags & os.W_OK and Path(str(target)).resolve() in (path, tmp_path):
            return False
        return real_access(target, flags, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_db.os, "access", access)
    exported = []
    for _ in range(2):
        with Store(path, clock=clock) as store:
            assert store.read_only
            exported.append(set(events(export_ical(Desk(store, Config(), clock)).data)))
            assert store.conn.execute("SELECT count(*) FROM ical_sequences").fetchone()[0] == 0
    assert exported[0] == exported[1] and len(exported[0]) == 1


def test_include_owner_and_function_narrow_the_calendar(desk: Desk) -> None:
    only = export_ical(desk, IcalOptions(include=frozenset({"launches"}))).counts
    assert set(only) == {"launch"}
    owner = desk.store.launches.get(4).owner or ""
    mine = events(
        export_ical(desk, IcalOptions(include=frozenset({"launches"}), owner=owner.upper())).data
    )
    assert mine and all(owner in e.description.value for e in mine.values())
    legal = events(
        export_ical(desk, IcalOptions(include=frozenset({"readiness"}), function="legal")).data
    )
    assert legal and all("legal" in e.categories.value for e in legal.values())
    with pytest.raises(ExportError, match="not a readiness function"):
        export_ical(desk, IcalOptions(function="astrology"))
    with pytest.raises(ExportError, match="cannot include"):
        parse_include("launches,parties")


def test_an_owner_or_function_that_would_export_nothing_is_refused(desk: Desk) -> None:
    """'Priya' is nobody's whole name: rather than write an empty calendar, the export says
    whom it could mean. A function with no readiness deadlines included narrows nothing."""
    with pytest.raises(ExportError, match=r"nobody called 'Priya'.*did you mean 'Priya Raman'\?"):
        export_ical(desk, IcalOptions(owner="Priya"))
    with pytest.raises(ExportError, match=r"nobody called 'Zed'.*owners: .*Priya Raman"):
        export_ical(desk, IcalOptions(owner="Zed"))
    assert export_ical(desk, IcalOptions(owner=" priya raman ")).events > 0
    with pytest.raises(ExportError, match="narrows readiness deadlines only"):
        export_ical(desk, IcalOptions(include=frozenset({"launches"}), function="legal"))


def test_cancelled_launches_are_sent_cancelled_without_reminders(desk: Desk) -> None:
    rows = desk.store.conn.execute("SELECT id FROM launches WHERE status = 'cancelled'").fetchall()
    assert rows, "the demo has cancelled launches"
    found = events(export_ical(desk, IcalOptions(include=frozenset({"launches"}))).data)
    for (launch_id,) in rows:
        event = next(e for uid, e in found.items() if uid.startswith(f"launch-{launch_id}."))
        assert event.status.value == "CANCELLED"
        assert not hasattr(event, "valarm")
        assert "Readiness: cancelled" in event.description.value


def test_a_launch_owing_nothing_is_not_called_100_percent_ready(desk: Desk) -> None:
    """Every item not applicable: the event said 'Readiness: 100% (0 of 0 done)'."""
    service = LaunchService(desk)
    for item in desk.store.readiness.for_launch(13):
        service.set_item_state(int(item.id or 0), ReadinessState.NOT_APPLICABLE)
    found = events(export_ical(desk, IcalOptions(include=frozenset({"launches"}))).data)
    event = next(e for uid, e in found.items() if uid.startswith("launch-13."))
    assert "Readiness: n/a (every item is not applicable)" in event.description.value


def test_hostile_text_survives_in_every_kind_of_event(store: Store, clock: FrozenClock) -> None:
    body = HOSTILE + "x" * 1_000_000
    launch = store.launches.insert(
        Launch(
            title=HOSTILE.strip()[:400],
            summary=body,
            owner=HOSTILE[:30],
            launch_date=dt.date(2026, 12, 10),
        )
    )
    store.readiness.insert(
        ReadinessItem(
            launch_id=launch.id,
            function="legal",
            title=HOSTILE.strip()[:300],
            owner="Zoë; \\ ,",
            due_date=dt.date(2026, 12, 1),
            evidence=HOSTILE,
        )
    )
    store.experiments.insert(
        Experiment(
            title="E " + HOSTILE.strip()[:300],
            hypothesis=body,
            learnings=HOSTILE,
            planned_start=dt.date(2026, 12, 1),
            planned_end=dt.date(2026, 12, 14),
        )
    )
    contact = store.contacts.insert(Contact(name=HOSTILE.strip()[:80], email="z@x.example"))
    store.touches.insert(
        Touch(contact_id=contact.id, by="me", at=clock.now(), follow_up_due=dt.date(2026, 12, 3))
    )
    data = export_ical(Desk(store, Config(), clock)).data
    for line in data.split(b"\r\n"):
        assert len(line) <= LINE_OCTETS
        assert b"\x1b" not in line and b"\x07" not in line
    found = events(data)
    assert len(found) == 5
    day = next(e for uid, e in found.items() if uid.startswith("launch-"))
    assert day.summary.value == "Launch: " + clean_text(HOSTILE.strip()[:400])
    assert day.description.value.endswith(clean_text(body))
    window = next(e for uid, e in found.items() if uid.startswith("experiment-"))
    assert (window.dtstart.value, window.dtend.value) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 15),
    )
    readout = next(e for uid, e in found.items() if uid.startswith("readout-"))
    assert readout.dtstart.value == dt.date(2026, 12, 14)
    assert readout.description.value.endswith(clean_text(HOSTILE))
    item = next(e for uid, e in found.items() if uid.startswith("readiness-"))
    assert "Zoë; \\ ," in item.description.value


# -- files and the command line ----------------------------------------------------------------


def test_export_file_is_private_in_a_private_new_folder(desk: Desk, tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "opsdesk.ics"
    result = export_ical_file(desk, target)
    assert result.path == target and target.read_bytes() == result.data
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    target.chmod(0o644)
    export_ical_file(desk, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600, "an overwrite is private again"
    assert [p.name for p in target.parent.iterdir()] == ["opsdesk.ics"], "no temp files left"
    with pytest.raises(ExportError, match="is a folder"):
        export_ical_file(desk, tmp_path)


def _demo_db(tmp_path: Path, clock: FrozenClock) -> Path:
    from opsdesk.demo import load_demo

    path = tmp_path / "demo.db"
    with Store(path, clock=clock) as store:
        load_demo(store, clock.now().date())
    return path


def test_cli_writes_to_stdout_or_a_file(tmp_path: Path, clock: FrozenClock) -> None:
    db = _demo_db(tmp_path, clock)
    runner = CliRunner()
    out = runner.invoke(cli, ["export", "ical", "--db", str(db), "--include", "launches"])
    assert out.exit_code == 0, out.output
    assert set(e.uid.value.split("-")[0] for e in read(out.stdout_bytes).vevent_list) == {"launch"}
    target = tmp_path / "cal.ics"
    done = runner.invoke(cli, ["export", "ical", "--db", str(db), "-o", str(target)])
    assert done.exit_code == 0 and str(target) in done.stderr
    assert read(target.read_bytes()).vevent_list
    bad = runner.invoke(cli, ["export", "ical", "--db", str(db), "--include", "nope"])
    assert bad.exit_code == 1 and "cannot include nope" in bad.stderr
    bad = runner.invoke(cli, ["export", "ical", "--db", str(db), "--function", "nope"])
    assert bad.exit_code == 1 and "not a readiness function" in bad.stderr


def test_cli_says_what_it_wrote_in_the_words_of_the_form(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """'166 events (25 experiment, 20 followup, 16 launch, 80 readiness, 25 readout)' read
    like field names; the counts are now the kinds as the export form names them."""
    db = _demo_db(tmp_path, clock)
    target = tmp_path / "cal.ics"
    done = CliRunner().invoke(cli, ["export", "ical", "--db", str(db), "-o", str(target)])
    assert done.exit_code == 0, done.output
    kinds: dict[str, int] = {}
    for event in read(target.read_bytes()).vevent_list:
        kind = event.uid.value.split("-")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    total = sum(kinds.values())
    expected = (
        f"Wrote {total} events ({kinds['launch']} launch days, {kinds['readiness']} deadlines, "
        f"{kinds['experiment']} experiment windows, {kinds['readout']} readouts, "
        f"{kinds['followup']} follow-ups) to {target}."
    )
    assert done.stderr.strip() == expected


def test_cli_takes_a_function_in_any_case_as_it_takes_an_owner(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """'--function Legal' was refused as 'not a readiness function (legal, ...)' while
    '--owner priya raman' was fine."""
    db = _demo_db(tmp_path, clock)
    runner = CliRunner()
    base = ["export", "ical", "--db", str(db), "--include", "readiness"]
    for typed, name in (("Legal", "legal"), ("Customer Success", "customer_success")):
        done = runner.invoke(cli, [*base, "--function", typed])
        assert done.exit_code == 0, done.output
        events = read(done.stdout_bytes).vevent_list
        assert events
        exact = runner.invoke(cli, [*base, "--function", name])
        assert done.stdout_bytes.count(b"BEGIN:VEVENT") == exact.stdout_bytes.count(b"BEGIN:VEVENT")
    bad = runner.invoke(cli, [*base, "--function", "Lawyers"])
    assert bad.exit_code == 1 and "'Lawyers' is not a readiness function" in bad.stderr


def test_one_event_of_a_kind_is_said_in_the_singular() -> None:
    result = IcalResult(b"", {"followup": 1})
    assert result.summary() == "1 event (1 follow-up)"
    assert IcalResult(b"", {}).summary() == "0 events"


# -- a real calendar program -------------------------------------------------------------------


def _khal() -> list[str]:
    found = shutil.which("khal") or str(Path(sys.executable).with_name("khal"))
    assert Path(found).exists(), "khal is a test dependency: pip install -e '.[test]'"
    return [found]


def _khal_config(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    vdir = tmp_path / "calendars" / "opsdesk"
    vdir.mkdir(parents=True)
    config = tmp_path / "khal.conf"
    config.write_text(
        f"""[calendars]
[[opsdesk]]
path = {vdir}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC

[default]
default_calendar = opsdesk

[sqlite]
path = {tmp_path / "khal.sqlite"}
""",
        encoding="utf-8",
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "TZ": "UTC"}
    return config, env


def _khal_run(args: list[str], config: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [*_khal(), "-c", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _khal_events(config: Path, env: dict[str, str]) -> dict[str, tuple[str, str]]:
    out = _khal_run(
        [
            "list",
            "--once",
            "--day-format",
            "",
            "--format",
            "{uid}|{start-date}|{title}",
            "2026-01-01",
            "2027-12-31",
        ],
        config,
        env,
    )
    found: dict[str, tuple[str, str]] = {}
    for line in out.splitlines():
        if line.strip():
            uid, start, title = line.split("|", 2)
            assert uid not in found, f"khal holds {uid} twice"
            found[uid] = (start, title)
    return found


def test_khal_imports_the_calendar_and_updates_it_on_reimport(desk: Desk, tmp_path: Path) -> None:
    config, env = _khal_config(tmp_path)
    first = tmp_path / "first.ics"
    result = export_ical_file(desk, first)
    _khal_run(["import", "--batch", "-a", "opsdesk", str(first)], config, env)
    held = _khal_events(config, env)
    expected = events(result.data)
    assert set(held) == set(expected), "every event is in khal's calendar"
    launch = desk.store.launches.get(10)
    uid = next(u for u in held if u.startswith("launch-10."))
    assert held[uid] == (launch.launch_date.isoformat(), f"Launch: {launch.title}")

    new_day = launch.launch_date + dt.timedelta(days=7)
    LaunchService(desk).slip(10, new_day, "Vendor late")
    second = tmp_path / "second.ics"
    export_ical_file(desk, second)
    _khal_run(["import", "--batch", "-a", "opsdesk", str(second)], config, env)
    again = _khal_events(config, env)
    assert set(again) == set(expected), "re-importing updated the events, added none"
    assert again[uid][0] == new_day.isoformat()


def test_khal_shows_hostile_text_literally(
    store: Store, clock: FrozenClock, tmp_path: Path
) -> None:
    # Not "\\N": khal reads with the icalendar package, which turns an escaped backslash
    # followed by N into a line break (vobject, above, reads it right).
    title = "Q1; launch, \\ C:\\new [b]bold[/b] <i>x</i> 😀"
    store.launches.insert(Launch(title=title, launch_date=dt.date(2026, 12, 10)))
    config, env = _khal_config(tmp_path)
    path = export_ical_file(Desk(store, Config(), clock), tmp_path / "h.ics").path
    assert path is not None
    _khal_run(["import", "--batch", "-a", "opsdesk", str(path)], config, env)
    held = _khal_events(config, env)
    assert [value[1] for value in held.values()] == [f"Launch: {title}"]


def test_export_through_a_link_replaces_the_file_it_points_at(desk: Desk, tmp_path: Path) -> None:
    """A link into a synced folder stays a link; the file behind it gets the export."""
    real = tmp_path / "synced" / "ops.ics"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "ops.ics"
    link.symlink_to(real)
    result = export_ical_file(desk, link)
    assert link.is_symlink() and real.read_bytes() == result.data
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["ops.ics"], "no temp files left"


def test_export_to_a_pipe_writes_into_it_instead_of_replacing_it(
    desk: Desk, tmp_path: Path
) -> None:
    """``-o /dev/stdout`` or a named pipe receives the calendar; it is never swapped for a
    file (as root, replacing /dev/null would break the machine)."""
    fifo = tmp_path / "calendar.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = export_ical_file(desk, fifo)
    reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.stat().st_mode), "still a pipe"
    assert received == [result.data]


def test_a_follow_up_names_its_channel_in_words(store: Store, clock: FrozenClock) -> None:
    contact = store.contacts.insert(Contact(name="Ana", email="ana@x.example"))
    store.touches.insert(
        Touch(
            contact_id=contact.id,
            by="me",
            at=clock.now(),
            channel="in_app",
            follow_up_due=dt.date(2026, 12, 3),
        )
    )
    found = events(export_ical(Desk(store, Config(), clock)).data)
    (follow_up,) = (e for uid, e in found.items() if uid.startswith("followup-"))
    assert "Channel: in app" in follow_up.description.value
