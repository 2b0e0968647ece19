"""The contacts list reads its orders off indexes (schema 16, by the shown name since 18), as
the inbox does: on the large dataset every page sorted all 20,000 contacts before."""

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
    [("name", "idx_contacts_shown_name_id"), ("company", "idx_contacts_company_shown_name_id")],
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


def _listed(store: Store, sort: str, page: int) -> list[str]:
    """The list in ``sort`` order as shown (name, else address), read in keyset pages of
    ``page``: the order each page continues from must be the one the first page began."""
    repo = store.contacts
    where = repo.where(ContactFilter())
    shown: list[str] = []
    rows = repo.window(where, sort, limit=page)
    while rows:
        shown.extend(row.record.name or row.record.email or "" for row in rows)
        rows = repo.window(where, sort, limit=page, after=rows[-1].key)
    return shown


def test_a_contact_without_a_name_sorts_by_the_address_it_is_shown_by(store: Store) -> None:
    """Closing a feedback loop adds customers with an address and no name; by the stored
    (empty) name every one of them came first, ahead of 'Aaliyah'. Each now sorts by its
    address among the names, in every page and from the end, and within its company."""
    for name, email, company in [
        ("Zoe Park", "zoe@x.example", "Acme"),
        ("", "mia@y.example", "Acme"),
        ("aaron Lee", "aaron@x.example", "Acme"),
        ("", "Bob@y.example", None),
        ("Nina Shah", "nina@x.example", None),
    ]:
        store.contacts.insert(Contact(name=name, email=email, company=company))
    by_name = ["aaron Lee", "Bob@y.example", "mia@y.example", "Nina Shah", "Zoe Park"]
    assert _listed(store, "name", 2) == by_name
    by_company = ["Bob@y.example", "Nina Shah", "aaron Lee", "mia@y.example", "Zoe Park"]
    assert _listed(store, "company", 2) == by_company
    repo = store.contacts
    where = repo.where(ContactFilter())
    last = repo.window(where, "name", offset=3, limit=2, total=5)  # read from the end
    assert [row.record.name or row.record.email for row in last] == by_name[3:]
    mia = next(row for row in repo.window(where, "name") if row.record.email == "mia@y.example")
    assert repo.position(where, "name", mia.record.id) == 2
