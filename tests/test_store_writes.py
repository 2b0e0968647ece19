"""Writing to the store: history for every change, atomic transactions, validation, other
processes writing at the same time, and windows (keyset pages) onto the lists."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.models import Contact, Feedback
from opsdesk.store import InvalidRecord, Store
from opsdesk.store.base import (
    BULK_CACHE_KIB,
    BULK_REBUILD_ROWS,
    FTS_HASH_BYTES,
    Where,
    fts_query,
)
from opsdesk.store.feedback import FeedbackFilter
from opsdesk.vocabulary import FeedbackStatus

NOW = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
BULK_ROWS = BULK_REBUILD_ROWS + 10


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def store(tmp_path: Path, clock: FrozenClock) -> Iterator[Store]:
    with Store(tmp_path / "opsdesk.db", clock=clock, actor="ana") as store:
        yield store


def item(title: str = "Dark mode please", **fields: object) -> Feedback:
    return Feedback(title=title, received_at=fields.pop("received_at", NOW), **fields)


# --- bulk inserts -------------------------------------------------------------------------


def _feedback_indexes(store: Store) -> list[tuple[str, str]]:
    return store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name IN ('feedback', 'feedback_tags') AND sql IS NOT NULL ORDER BY name"
    ).fetchall()


def test_a_big_bulk_insert_rebuilds_every_index_and_keeps_rows_searchable(store: Store) -> None:
    before = [tuple(row) for row in _feedback_indexes(store)]
    rows = [item(f"Export {n}", tags=["csv"], priority=1 + n % 4) for n in range(BULK_ROWS)]
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    ids = store.feedback.insert_many(rows, derived={"ack_due_at": ["2026-03-02"] * BULK_ROWS})
    store.conn.set_trace_callback(None)
    assert [tuple(row) for row in _feedback_indexes(store)] == before
    # the tags' own index was rebuilt after the tags went in, like the items' indexes
    assert 'DROP INDEX "idx_feedback_tags_tag_feedback_id"' in statements
    assert any(sql.startswith('CREATE INDEX "idx_feedback_tags_tag') for sql in statements)
    tagged = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT feedback_id FROM feedback_tags WHERE tag = 'csv'"
    ).fetchall()
    assert "idx_feedback_tags_tag_feedback_id" in " ".join(str(row[3]) for row in tagged)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    plan = " ".join(
        str(row[3])
        for row in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM feedback WHERE priority = 1 ORDER BY id"
        )
    )
    assert "idx_feedback_priority_id" in plan
    found = store.conn.execute(
        "SELECT rowid FROM feedback_fts WHERE feedback_fts MATCH ?", (f'"{BULK_ROWS - 1}"',)
    ).fetchall()
    assert [row[0] for row in found] == [ids[-1]]
    assert store.feedback.get(ids[0]).tags == ["csv"]
    ack = store.conn.execute("SELECT ack_due_at FROM feedback WHERE id = ?", (ids[-1],))
    assert ack.fetchone()[0] == "2026-03-02"
    created = store.conn.execute(
        "SELECT count(*), count(DISTINCT batch), min(record_id), max(record_id) FROM history "
        "WHERE new = 'created' AND table_name = 'feedback' AND field = '*' AND actor = 'ana'"
    )
    assert tuple(created.fetchone()) == (BULK_ROWS, 1, ids[0], ids[-1])
    # The full-text index was filled with room for every term, then given its default back.
    hash_size = store.conn.execute("SELECT v FROM feedback_fts_config WHERE k = 'hashsize'")
    assert hash_size.fetchone()[0] == FTS_HASH_BYTES


def test_a_bulk_insert_that_fails_keeps_the_indexes_and_writes_nothing(store: Store) -> None:
    before = [tuple(row) for row in _feedback_indexes(store)]
    rows = [item(f"Export {n}") for n in range(BULK_ROWS)]
    with pytest.raises(sqlite3.OperationalError):  # found by the INSERT, after the indexes go
        store.feedback.insert_many(rows, derived={"no_such_column": ["x"] * BULK_ROWS})
    assert [tuple(row) for row in _feedback_indexes(store)] == before
    assert store.conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0


def test_a_big_bulk_insert_keeps_its_pages_in_a_larger_cache_and_puts_the_limit_back(
    store: Store,
) -> None:
    store.conn.execute("PRAGMA cache_size = -3000")
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    store.feedback.insert_many([item(f"Export {n}") for n in range(BULK_ROWS)])
    store.feedback.insert_many([item("one more")])  # a small insert leaves the cache alone
    store.conn.set_trace_callback(None)
    raised = f"PRAGMA cache_size = {-BULK_CACHE_KIB}"
    assert statements.count(raised) == 1
    # raised before the first row goes in, so no index build reads pages back from the WAL
    first_insert = next(i for i, sql in enumerate(statements) if sql.startswith("INSERT INTO"))
    assert statements.index(raised) < first_insert
    assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -3000
    with pytest.raises(sqlite3.OperationalError):  # a failed bulk insert puts it back too
        store.feedback.insert_many(
            [item(f"Export {n}") for n in range(2 * BULK_ROWS)],
            derived={"no_such_column": ["x"] * 2 * BULK_ROWS},
        )
    assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -3000


def test_bulk_insert_validates_records_unless_told_they_were(store: Store) -> None:
    bad = Feedback.model_construct(title="", received_at=NOW, tags=[], priority=9)
    with pytest.raises(InvalidRecord):
        store.feedback.insert_many([bad])
    assert store.conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0


# --- history ------------------------------------------------------------------------------


def test_insert_writes_a_created_line(store: Store, clock: FrozenClock) -> None:
    saved = store.feedback.insert(item())
    lines = store.history.for_record("feedback", saved.id)
    assert len(lines) == 1
    (line,) = lines
    assert (line.field, line.old, line.new) == ("*", None, "created")
    assert line.actor == "ana"
    assert line.at == clock.now()
    assert line.batch


def test_update_of_two_fields_writes_two_lines_in_one_batch(
    store: Store, clock: FrozenClock
) -> None:
    saved = store.feedback.insert(item(priority=3))
    created = store.history.for_record("feedback", saved.id)[0]
    clock.advance(dt.timedelta(hours=2, minutes=5))

    after = store.feedback.update(saved.id, priority=1, status=FeedbackStatus.TRIAGED)

    assert after.priority == 1 and after.status is FeedbackStatus.TRIAGED
    assert store.feedback.get(saved.id) == after
    lines = [line for line in store.history.for_record("feedback", saved.id) if line.field != "*"]
    assert {(line.field, line.old, line.new) for line in lines} == {
        ("priority", "3", "1"),
        ("status", "new", "triaged"),
    }
    assert len({line.batch for line in lines}) == 1
    assert lines[0].batch != created.batch
    assert {line.actor for line in lines} == {"ana"}
    assert {line.at for line in lines} == {NOW + dt.timedelta(hours=2, minutes=5)}


def test_update_that_changes_nothing_writes_no_history(store: Store) -> None:
    saved = store.feedback.insert(item(priority=2, tags=["ux"]))
    before = store.history.count()
    unchanged = store.feedback.update(saved.id, priority=2, title="Dark mode please", tags=["UX"])
    assert unchanged == saved
    assert store.history.count() == before


def test_history_is_written_inside_the_same_transaction(store: Store) -> None:
    """One outer write: every line shares its batch id (what undo rolls back together)."""
    with store.write() as batch:
        a = store.feedback.insert(item("one"))
        b = store.feedback.insert(item("two"))
        store.feedback.update(a.id, priority=1)
    lines = store.history.recent()
    assert len(lines) == 3
    assert {line.batch for line in lines} == {batch.id}
    assert {line.record_id for line in lines} == {a.id, b.id}


# --- atomic writes and validation ----------------------------------------------------------


def test_exception_inside_a_write_leaves_nothing(store: Store) -> None:
    store.feedback.insert(item("kept"))
    counts = store.counts()
    with pytest.raises(RuntimeError, match="changed my mind"), store.write():
        store.feedback.insert(item("one"))
        store.feedback.insert(item("two", tags=["billing"]))
        raise RuntimeError("changed my mind")
    assert store.counts() == counts
    assert [row.record.title for row in store.feedback.window(_all(store), "received")] == ["kept"]
    assert store.conn.execute("SELECT count(*) FROM feedback_tags").fetchone()[0] == 0
    # The store is usable afterwards: the next write is a fresh transaction.
    store.feedback.insert(item("after"))
    assert store.feedback.count() == 2


def test_invalid_update_names_the_field_and_writes_nothing(store: Store) -> None:
    saved = store.feedback.insert(item())
    counts = store.counts()
    with pytest.raises(InvalidRecord) as caught:
        store.feedback.update(saved.id, priority=9)
    assert "priority" in str(caught.value)
    assert "\n" not in str(caught.value)
    with pytest.raises(InvalidRecord) as caught:
        store.feedback.update(saved.id, colour="red")
    assert "colour" in str(caught.value)
    with pytest.raises(InvalidRecord) as caught:
        store.feedback.update(saved.id, customer_email="not an address")
    assert "customer_email" in str(caught.value)
    assert store.feedback.get(saved.id) == saved
    assert store.counts() == counts


def test_invalid_insert_names_the_field_and_writes_nothing(store: Store) -> None:
    """Even a record that skipped validation (``model_construct``) is checked on the way in."""
    counts = store.counts()
    bad = Feedback.model_construct(title="Sneaky", priority=9, received_at=NOW)
    with pytest.raises(InvalidRecord) as caught:
        store.feedback.insert(bad)
    assert "priority" in str(caught.value)
    # All-or-nothing: one bad record among good ones writes none of them.
    with pytest.raises(InvalidRecord):
        store.feedback.insert_many([item("good 1"), bad, item("good 2")])
    assert store.counts() == counts


def test_invalid_write_inside_a_bigger_write_rolls_it_all_back(store: Store) -> None:
    saved = store.feedback.insert(item())
    counts = store.counts()
    with pytest.raises(InvalidRecord), store.write():
        store.feedback.insert(item("first"))
        store.feedback.update(saved.id, priority=0)
    assert store.counts() == counts


# --- several processes at once ---------------------------------------------------------------

WRITER = r"""
import datetime as dt, json, sys
from opsdesk.clock import FrozenClock
from opsdesk.models import Feedback
from opsdesk.store import Store

path, mode, label, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
clock = FrozenClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
store = Store(path, clock=clock, actor=label) if mode != "open-late" else None
print("ready", flush=True)
sys.stdin.readline()
if store is None:
    store = Store(path, clock=clock, actor=label)
seen = []
for i in range(n):
    if mode == "read-then-write":
        with store.write():
            seen.append(store.feedback.count())
            store.feedback.insert(Feedback(title=f"{label} {i}", received_at=clock.now()))
    else:
        store.feedback.insert(Feedback(title=f"{label} {i}", received_at=clock.now()))
store.close()
print(json.dumps(seen), flush=True)
"""


def _writers(path: Path, mode: str, labels: list[str], n: int) -> list[subprocess.Popen[str]]:
    """Start one writer process per label; each is ready (imported, opened) before any starts."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), mode, label, str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label in labels
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            if proc.stdout.readline().strip() != "ready":
                _, err = proc.communicate(timeout=30)
                pytest.fail(f"a writer failed to start:\n{err}")
        for proc in procs:  # go, all at once
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
    except BaseException:
        _stop(procs)
        raise
    return procs


def _finish(procs: list[subprocess.Popen[str]]) -> list[list[int]]:
    results = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, f"a writer failed:\n{err}"
            assert "locked" not in err and "Traceback" not in err, err
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        _stop(procs)
    return results


def _stop(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _titles_by_writer(store: Store) -> dict[str, int]:
    rows = store.conn.execute(
        "SELECT substr(title, 1, instr(title, ' ') - 1) AS writer, count(*) FROM feedback "
        "GROUP BY writer"
    ).fetchall()
    return {row[0]: row[1] for row in rows}


def test_several_processes_writing_at_once_all_succeed(store: Store) -> None:
    procs = _writers(store.path, "plain", ["w1", "w2", "w3"], 200)
    for i in range(200):  # the parent writes at the same time
        store.feedback.insert(item(f"parent {i}"))
    _finish(procs)
    assert store.feedback.count() == 800
    assert _titles_by_writer(store) == {"w1": 200, "w2": 200, "w3": 200, "parent": 200}
    assert store.history.count() == 800
    actors = dict(
        store.conn.execute("SELECT actor, count(*) FROM history GROUP BY actor").fetchall()
    )
    assert actors == {"w1": 200, "w2": 200, "w3": 200, "ana": 200}


def test_read_then_write_in_two_processes_is_serialised(store: Store) -> None:
    """Each transaction reads the count then inserts: with BEGIN IMMEDIATE none fails, and
    every transaction saw a different count (they ran one after another, never interleaved)."""
    seen = _finish(_writers(store.path, "read-then-write", ["a", "b"], 100))
    assert store.feedback.count() == 200
    assert sorted(seen[0] + seen[1]) == list(range(200))


def test_processes_opening_a_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    """Nobody sees the new file half-made (empty), which would be refused as not ours."""
    path = tmp_path / "fresh" / "x.db"
    _finish(_writers(path, "open-late", ["p1", "p2", "p3"], 20))
    with Store(path, clock=FrozenClock(NOW)) as store:
        assert store.feedback.count() == 60
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.db"]


def test_data_version_changes_when_another_store_commits(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    with Store(path, clock=FrozenClock(NOW)) as watcher, Store(path) as writer:
        before = watcher.data_version()
        assert watcher.data_version() == before  # nothing happened: no refresh needed
        writer.feedback.insert(item())
        after = watcher.data_version()
        assert after != before
        assert watcher.feedback.count() == 1
        writer.feedback.update(1, priority=1)
        assert watcher.data_version() != after


# --- windows: keyset pages onto queries ---------------------------------------------------

VOCABULARY = ("Dark mode please", "Billing export broken", "Slow search results")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """250 items, many sharing a received_at (so ties are broken by id), three kinds of title.

    Shared by the read-only tests below (none of them writes).
    """
    path = tmp_path_factory.mktemp("inbox") / "opsdesk.db"
    records = [
        item(
            f"{VOCABULARY[i % 3]} #{i}",
            priority=1 + (i * 7) % 4,
            received_at=NOW - dt.timedelta(minutes=(i * 37) % 90),
        )
        for i in range(250)
    ]
    with Store(path, clock=FrozenClock(NOW)) as store:
        store.feedback.insert_many(records)
        yield store


def _all(store: Store) -> Where:
    return store.feedback.where(FeedbackFilter())


def _keyset_ids(store: Store, where: Where, sort: str, page: int = 50) -> list[int]:
    ids: list[int] = []
    rows = store.feedback.window(where, sort, limit=page)
    while rows:
        assert len(rows) <= page
        ids.extend(row.record.id for row in rows)
        rows = store.feedback.window(where, sort, limit=page, after=rows[-1].key)
    return ids


def _offset_ids(store: Store, where: Where, sort: str, page: int = 50) -> list[int]:
    ids: list[int] = []
    offset = 0
    while rows := store.feedback.window(where, sort, offset=offset, limit=page):
        ids.extend(row.record.id for row in rows)
        offset += page
    return ids


def _expected(store: Store, sort: str, word: str = "") -> list[int]:
    everything = [store.feedback.get(i) for i in range(1, 251)]
    chosen = [f for f in everything if word.lower() in f.title.lower()]
    if sort == "received":
        chosen.sort(key=lambda f: (f.received_at, f.id), reverse=True)
    else:
        chosen.sort(key=lambda f: (f.priority, f.id))
    return [f.id for f in chosen]


@pytest.mark.parametrize("sort", ["received", "priority"])
def test_keyset_pages_match_offset_pages_and_a_sorted_list(inbox: Store, sort: str) -> None:
    where = _all(inbox)
    expected = _expected(inbox, sort)
    assert len(expected) == 250
    assert _keyset_ids(inbox, where, sort) == expected
    assert _offset_ids(inbox, where, sort) == expected
    assert _keyset_ids(inbox, where, sort, page=7) == expected
    assert inbox.feedback.count(where) == 250


@pytest.mark.parametrize("sort", ["received", "priority", "sla", "demand"])
def test_a_window_read_from_the_end_is_the_window_read_from_the_start(
    inbox: Store, sort: str
) -> None:
    """Given the list's length, a window past the middle is read backwards from the end
    (End costs what Home does); it holds the same rows in the same order, the short last
    page too."""
    where = _all(inbox)
    expected = _offset_ids(inbox, where, sort, page=7)
    total = len(expected)
    for offset in (0, 7, 119, 126, 200, 240, 245, 249, 250):
        rows = inbox.feedback.window(where, sort, offset=offset, limit=7, total=total)
        assert [row.record.id for row in rows] == expected[offset : offset + 7], offset
        assert [row.key for row in rows] == [
            row.key for row in inbox.feedback.window(where, sort, offset=offset, limit=7)
        ]


def test_pages_in_sla_order_put_items_without_a_deadline_last(tmp_path: Path) -> None:
    """The SLA order (schema 14 indexes its expression): decide-by first, items without
    one last, ties by id. A jump (an offset window, as the End key reads) lists the same
    rows as paging there does."""
    with Store(tmp_path / "sla.db", clock=FrozenClock(NOW)) as store:
        ids = store.feedback.insert_many([item(f"Item {i}") for i in range(120)])
        due = [(NOW + dt.timedelta(days=(i * 7) % 5)).isoformat() for i in range(120)]
        store.feedback.set_deadlines(
            (day, day, record_id) for record_id, day in zip(ids, due, strict=True)
        )
        undated = ids[::9]
        store.conn.executemany(
            "UPDATE feedback SET decide_due_at = NULL WHERE id = ?", [(i,) for i in undated]
        )
        by_deadline = dict(zip(ids, due, strict=True))
        expected = sorted(
            by_deadline,
            key=lambda i: (i in undated, "" if i in undated else by_deadline[i], i),
        )
        where = _all(store)
        assert _keyset_ids(store, where, "sla", page=25) == expected
        assert _offset_ids(store, where, "sla", page=25) == expected
        last = store.feedback.window(where, "sla", offset=100, limit=50)
        assert [row.record.id for row in last] == expected[100:]
        assert [row.record.id for row in last][-len(undated) :] == undated


@pytest.mark.parametrize("sort", ["received", "priority"])
def test_keyset_pages_with_a_search(inbox: Store, sort: str) -> None:
    where = inbox.feedback.where(FeedbackFilter(search="dark"))
    expected = _expected(inbox, sort, word="dark")
    assert len(expected) == 84
    assert _keyset_ids(inbox, where, sort) == expected
    assert _offset_ids(inbox, where, sort) == expected
    assert inbox.feedback.count(where) == 84
    # Words are prefixes, in any order.
    both = inbox.feedback.where(FeedbackFilter(search="  mod DAR "))
    assert inbox.feedback.count(both) == 84


HOSTILE_SEARCHES = [
    '"',
    '""',
    'dark"',
    "*",
    "dark*",
    "OR",
    "dark OR billing",
    "NEAR(",
    "NEAR(dark mode, 2)",
    "-",
    "dark -mode",
    ":",
    "title:dark",
    "^",
    "^dark",
    "(",
    ")",
    "AND NOT",
    "+",
    "{title body}:dark",
    "'",
    "\\",
    "[/]",
    "\x00",
    "dark\x00mode",
    "\x1b[31m",
    "\ud800",
    "🙂 émoji",
    "sign-in",
    "v2.1 dark",
    "foo_bar",
    "a\ua794b",  # a letter newer than SQLite's Unicode 6.1 tables
    "dark (mode",
]


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_search_with_fts5_syntax_never_raises(inbox: Store, text: str) -> None:
    where = inbox.feedback.where(FeedbackFilter(search=text))
    count = inbox.feedback.count(where)
    rows = inbox.feedback.window(where, "received", limit=20)
    assert len(rows) == min(count, 20)
    if rows:
        inbox.feedback.window(where, "received", limit=20, after=rows[-1].key)


def test_search_operators_are_plain_words(inbox: Store) -> None:
    def count(text: str) -> int:
        return inbox.feedback.count(inbox.feedback.where(FeedbackFilter(search=text)))

    assert count("dark OR billing") == 0  # "or" is a word no title has, not an operator
    assert count("dark -mode") == 84  # "-" does not exclude "mode"
    assert count('"dark"') == 84  # quotes are not a phrase operator
    assert count("dark*") == 84


def test_a_word_the_tokenizer_splits_finds_items_holding_each_piece(tmp_path: Path) -> None:
    # The inbox's index keeps no word positions (detail=column), so "sign-in" cannot be a
    # phrase: it asks for items holding both "sign…" and "in…", and never raises.
    with Store(tmp_path / "o.db", clock=FrozenClock(NOW)) as store:
        for title in ("Sign-in loops forever", "Sign the contract in March", "Signal lost"):
            store.feedback.insert(Feedback(title=title, received_at=NOW))

        def titles(text: str) -> set[str]:
            where = store.feedback.where(FeedbackFilter(search=text))
            rows = store.feedback.window(where, "received", limit=10)
            return {row.record.title for row in rows}

        assert titles("sign-in") == {"Sign-in loops forever", "Sign the contract in March"}
        assert titles("sign-in loops") == {"Sign-in loops forever"}
        assert titles("--- !!!") == set()
        sql = store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'feedback_fts'"
        ).fetchone()[0]
        assert "detail=column" in sql


def test_fts_query_quotes_each_piece_and_joins_with_and() -> None:
    assert fts_query("dark OR") == '"dark"* AND "OR"*'
    # an index with word positions asks for a split word as a phrase; the inbox's has none
    assert fts_query("sign-in x") == '"sign in"* AND "x"*'
    assert fts_query("sign-in x", positions=False) == '("sign"* AND "in"*) AND "x"*'
    assert fts_query('x"y\x00z', positions=False) == '("x"* AND "y"* AND "z"*)'
    assert fts_query("!!! \ud800") == '""'
    assert fts_query("café ½") == '"café"* AND "½"*'
    # a decomposed accent (as macOS writes it) is composed first, so the word stays whole
    assert fts_query("cafe\u0301s", positions=False) == '"cafés"*'


# --- tags and contacts --------------------------------------------------------------------


def test_tags_round_trip_and_filter(store: Store) -> None:
    a = store.feedback.insert(item("one", tags=["Billing", " ux ", "billing"]))
    b = store.feedback.insert(item("two", tags=["ux"]))
    store.feedback.insert(item("three"))
    assert a.tags == ["billing", "ux"]
    assert store.feedback.get(a.id).tags == ["billing", "ux"]
    assert store.feedback.get(b.id).tags == ["ux"]

    def tagged(tag: str) -> list[int]:
        where = store.feedback.where(FeedbackFilter(tag=tag))
        return [row.record.id for row in store.feedback.window(where, "priority")]

    assert tagged("billing") == [a.id]
    assert tagged("BILLING") == [a.id]
    assert tagged("ux") == [a.id, b.id]
    assert tagged("nothing") == []

    store.feedback.update(a.id, tags=["ux", "onboarding"])
    assert store.feedback.get(a.id).tags == ["onboarding", "ux"]
    assert tagged("billing") == []
    assert tagged("onboarding") == [a.id]
    (line,) = [h for h in store.history.for_record("feedback", a.id) if h.field == "tags"]
    assert json.loads(line.old) == ["billing", "ux"]
    assert json.loads(line.new) == ["onboarding", "ux"]
    # Tags combine with a search.
    where = store.feedback.where(FeedbackFilter(tag="ux", search="two"))
    assert [row.record.id for row in store.feedback.window(where, "received")] == [b.id]


def test_contact_by_email_folds_case_and_plus_aliases(store: Store) -> None:
    ana = store.contacts.insert(Contact(name="Ana Díaz", email="Ana.Diaz+beta@Example.com"))
    store.contacts.insert(Contact(name="Bo", email="bo@example.com"))
    for address in (
        "ana.diaz@example.com",
        "ANA.DIAZ@EXAMPLE.COM",
        "ana.diaz+research@example.com",
        "  Ana.Diaz+Beta@example.COM ",
    ):
        found = store.contacts.by_email(address)
        assert found is not None and found.id == ana.id, address
    assert store.contacts.by_email("ana.diaz@example.org") is None
    assert store.contacts.by_email("anadiaz@example.com") is None
    assert store.contacts.by_email("") is None

    store.contacts.update(ana.id, email="ana@new.example")
    assert store.contacts.by_email("ana.diaz@example.com") is None
    moved = store.contacts.by_email("Ana+x@NEW.example")
    assert moved is not None and moved.id == ana.id


def test_a_repository_names_its_model_and_holds_it_once_asked(store: Store) -> None:
    """Repositories import their pydantic model on first use (start-up does not load it);
    from then on the class holds the model itself, so bulk paths pay no lookup per row."""
    from opsdesk import models
    from opsdesk.store.base import ModelRef
    from opsdesk.store.people import PeopleRepository

    class Lazy(PeopleRepository):
        model = ModelRef("Person")

    assert isinstance(Lazy.__dict__["model"], ModelRef)
    assert Lazy(store).model is models.Person
    assert Lazy.__dict__["model"] is models.Person


LINE_FIELDS = (
    "id",
    "received_at",
    "acknowledged_at",
    "decided_at",
    "priority",
    "kind",
    "status",
    "title",
    "company",
    "owner",
)


@pytest.mark.parametrize(
    "edit",
    [
        "",  # as opsdesk stores it
        "received_at = '2026-11-25 23:30:00', acknowledged_at = '2026-11-26 08:00:00'",
        "received_at = '2026-11-26T01:30:00+02:00', decided_at = '2026-11-26T12:00:00-05:00'",
        "received_at = '2026-11-25'",
        "received_at = '1764169200'",
        "title = '  padded  '",
    ],
)
def test_the_inbox_line_shows_what_the_record_holds(
    store: Store, clock: FrozenClock, edit: str
) -> None:
    """The list draws from the stored values (``FeedbackLine``) and the detail from the
    validated record: for rows opsdesk wrote and rows another tool edited alike, both must
    say the same, in UTC."""
    store.feedback.insert(
        Feedback(title="Line", company="Acme", owner="Olivia", received_at=clock.now())
    )
    if edit:
        store.conn.execute(f"UPDATE feedback SET {edit}")
    where = store.feedback.where(FeedbackFilter(view="all"), now=clock.now(), user="me")
    (row,) = store.feedback.window(where, "received")
    line, record = row.line, row.record
    for name in LINE_FIELDS:
        assert getattr(line, name) == getattr(record, name), name
    assert line.received_at.utcoffset() == dt.timedelta(0)


def test_delete_keeps_the_record_in_history_and_refuses_indexed_tables(
    store: Store, clock: FrozenClock
) -> None:
    """The shared delete (readiness items, touches): history keeps the whole record. A table
    with a full-text index is refused, since its terms would stay behind."""
    from opsdesk.models import Contact, Touch

    contact = store.contacts.insert(Contact(name="Ana", email="ana@x.example"))
    touch = store.touches.insert(Touch(contact_id=contact.id, by="me", at=clock.now()))
    store.touches.delete(int(touch.id or 0))
    assert store.touches.count() == 0
    [line] = [
        c for c in store.history.for_record("touches", int(touch.id or 0)) if c.new == "deleted"
    ]
    assert '"by": "me"' in (line.old or "")
    with pytest.raises(NotImplementedError, match="full-text index"):
        store.contacts.delete(int(contact.id or 0))
