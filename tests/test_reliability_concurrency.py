"""Concurrency: writers in other connections and processes while the app is open.

SQLite allows one writer at a time; opsdesk takes the write lock up front (``BEGIN
IMMEDIATE``) and waits for it (``busy_timeout``), so no "database is locked" may reach a
person, no write may be lost, and the open app must show what the others wrote.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Feedback
from opsdesk.services.desk import Desk
from opsdesk.services.feedback import triage
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.widgets.window_list import WindowList
from reliability_proc import kill, start, wait_for

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)

WRITER = """
import datetime as dt, sys
from opsdesk.models import Feedback
from opsdesk.store import Store
NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)
store = Store(sys.argv[1], actor="other")
for n in range(int(sys.argv[2])):
    with store.write():
        store.feedback.insert(Feedback(title=f"other {n}", received_at=NOW))
        if n == 0:
            print("started")
print("done")
"""


def _count(path: Path, prefix: str) -> int:
    with Store(path) as store:
        return int(
            store.conn.execute(
                "SELECT count(*) FROM feedback WHERE title LIKE ?", (f"{prefix}%",)
            ).fetchone()[0]
        )


def test_threads_with_their_own_connections_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    Store(path).close()
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with Store(path, actor=name) as store:
                for n in range(40):
                    store.feedback.insert(Feedback(title=f"{name} {n}", received_at=NOW))
                    if n % 10 == 0:
                        [first] = store.conn.execute("SELECT min(id) FROM feedback").fetchone()
                        store.feedback.update(first, priority=1 + n % 4)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"t{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(path, "t") == 120


async def test_app_sees_another_process_and_both_keep_writing(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    clock = FrozenClock(NOW)
    store = Store(path, clock=clock, actor="me")
    ids = store.feedback.insert_many(
        [Feedback(title=f"mine {i}", received_at=NOW) for i in range(30)]
    )
    app = build_app(store, Config(), clock=clock, pane="feedback")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listing = app.query_one("#feedback-list", WindowList)
        assert listing.row_count == 30
        writer = start(WRITER, path, 60)
        try:
            wait_for(writer)
            # Our own writes while the other process writes: no "database is locked".
            desk = Desk(store, Config(), clock)
            for batch in range(3):
                triage(desk, ids[batch * 10 : batch * 10 + 10], priority=1)
                store.feedback.insert(Feedback(title=f"mine late {batch}", received_at=NOW))
            wait_for(writer, "done")
            assert writer.wait(30) == 0
        finally:
            if writer.poll() is None:
                kill(writer)
        assert app.check_for_changes() is True
        await pilot.pause()
        assert listing.row_count == 30 + 3 + 60
        assert app.is_running
    store.close()
    assert _count(path, "other") == 60
    assert _count(path, "mine") == 33


def test_several_cli_writers_at_once_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    Store(path).close()
    opsdesk = Path(sys.executable).parent / "opsdesk"
    procs = [
        subprocess.Popen(
            [str(opsdesk), "feedback", "add", f"cli {n}", "--db", str(path), "--tag", "cli"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    results = [proc.communicate(timeout=60) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err and out.strip().isdigit()
    assert sorted(int(out) for out, _ in results) == [1, 2, 3]
    assert _count(path, "cli") == 3


def test_cli_writers_on_a_brand_new_database_agree(tmp_path: Path) -> None:
    """Several first runs at once: one creates the file, the others use it."""
    path = tmp_path / "new" / "x.db"
    procs = [start(WRITER.replace('"other', f'"p{i}'), path, 5) for i in range(3)]
    for proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    with Store(path) as store:
        assert store.counts()["feedback"] == 15


def _errors(app: OpsdeskApp) -> list[str]:
    """Every warning or error the app has shown (a "database is locked" would be one)."""
    return [n.message for n in app._notifications if n.severity in ("warning", "error")]


async def test_two_apps_and_a_cli_writer_on_one_database(tmp_path: Path) -> None:
    """Two people's opsdesk on one file, while a script writes: each app's keys land, nothing
    is lost, no lock error is shown, and each app shows what the others wrote."""
    path = tmp_path / "x.db"
    clock = FrozenClock(NOW)
    with Store(path, clock=clock, actor="seed") as seed:
        seed.feedback.insert_many(
            [
                Feedback(title=f"seed {i}", received_at=NOW - dt.timedelta(minutes=i))
                for i in range(20)
            ]
        )
    first_store = Store(path, clock=clock, actor="ana")
    second_store = Store(path, clock=clock, actor="bo")
    first = build_app(first_store, Config(), clock=clock, pane="feedback")
    second = build_app(second_store, Config(), clock=clock, pane="feedback")
    async with first.run_test(size=(120, 40)) as ana, second.run_test(size=(120, 40)) as bo:
        writer = start(WRITER, path, 40)
        try:
            wait_for(writer)
            for _ in range(5):  # Ana: triage five rows by key, one at a time
                await ana.press("exclamation_mark", "down")
                await ana.pause()
            for n in range(3):  # Bo: capture three items through the form
                await bo.press("a")
                await bo.pause()
                await bo.press(*f"from bo {n}", "ctrl+s")
                await bo.pause()
            wait_for(writer, "done")
            assert writer.wait(30) == 0
        finally:
            if writer.poll() is None:
                kill(writer)
        for app, pilot in ((first, ana), (second, bo)):
            app.check_for_changes()
            await pilot.pause()
            assert app.query_one("#feedback-list", WindowList).row_count == 20 + 3 + 40
            assert _errors(app) == []
        bo_list = second.query_one("#feedback-list", WindowList)
        bo_list.cursor = 0
        await bo.pause()
    first_store.close()
    second_store.close()
    with Store(path) as check:
        priorities = check.conn.execute(
            "SELECT count(*) FROM feedback WHERE priority = 1 AND title LIKE 'seed%'"
        ).fetchone()[0]
        actors = {
            row[0] for row in check.conn.execute("SELECT DISTINCT actor FROM history").fetchall()
        }
    assert priorities == 5
    assert {"ana", "bo", "other"} <= actors
    assert _count(path, "from bo") == 3
    assert _count(path, "other") == 40


CLOSER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM feedback").fetchone()
conn.close()
"""


def test_opening_a_file_again_keeps_the_locks_of_its_open_connections(tmp_path: Path) -> None:
    """A second store on a file this process has open must not drop the first one's SQLite
    locks (a plain open and close of the file would): else another process, closing, takes
    itself for the last user and deletes the shared-memory file under the open stores."""
    path = tmp_path / "x.db"
    first = Store(path, clock=FrozenClock(NOW), actor="first")
    first.feedback.insert(Feedback(title="one", received_at=NOW))
    second = Store(path, clock=FrozenClock(NOW), actor="second")
    subprocess.run([sys.executable, "-c", CLOSER, str(path)], check=True)
    assert Path(f"{path}-shm").exists(), "another process deleted the shared memory"
    second.feedback.insert(Feedback(title="two", received_at=NOW))
    assert first.feedback.count() == 2
    first.close()
    second.close()
