"""The contacts list reads its orders off indexes (schema 16), as the inbox does: on the
large dataset every page sorted all 20,000 contacts before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.models import Contact
from opsdesk.store import Store
from opsdesk.store.contacts import ContactFilter

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "opsdesk.db", clock=FrozenClock(NOW), actor="ana") as store:
        yield store


def _plan(store: Store, sql: str, params: tuple[object, ...]) -> str:
    rows = store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)
    return " | ".join(str(row[3]) for row in rows)


@pytest.mark.parametrize(
    ("sort", "index"),
    [("name", "idx_contacts_name_nocase_id"), ("company", "idx_contacts_company_name_nocase_id")],
)
def test_each_list_order_reads_an_index_instead_of_sorting(
    store: Store, sort: str, index: str
) -> None:
    for n, (name, company) in enumerate([("bea", "Acme"), ("Al", None), ("cy", "acme")]):
        store.contacts.insert(Contact(name=name, email=f"c{n}@x.example", company=company))
    repo = store.contacts
    where = repo.where(ContactFilter())
    statements: list[tuple[str, tuple[object, ...]]] = []
    store.conn.set_trace_callback(lambda sql: statements.append((sql, ())))
    try:
        rows = repo.window(where, sort, limit=2)
        more = repo.window(where, sort, limit=2, after=rows[-1].key)
    finally:
        store.conn.set_trace_callback(None)
    names = [row.record.name for row in [*rows, *more]]
    assert names == ["Al", "bea", "cy"]  # case folded; no company sorts first
    listing = [sql for sql, _ in statements if "FROM contacts" in sql and "ORDER BY" in sql]
    assert listing
    for sql in listing:
        plan = _plan(store, sql, ())
        assert f"INDEX {index}" in plan and "TEMP B-TREE" not in plan, (sql, plan)
