"""The full-text indexes stay in step with their tables through every kind of write."""

from __future__ import annotations

import datetime as dt

from opsdesk.models import Contact, Experiment, Feedback
from opsdesk.store import Store
from opsdesk.store.contacts import ContactFilter
from opsdesk.store.experiments import ExperimentFilter
from opsdesk.store.feedback import FeedbackFilter

WHEN = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _found(store: Store, text: str) -> list[int]:
    where = store.feedback.where(FeedbackFilter(search=text))
    return [row.record.id for row in store.feedback.window(where, "received", limit=50)]  # type: ignore[misc]


def test_feedback_index_follows_insert_bulk_insert_update_and_delete(store: Store) -> None:
    one = store.feedback.insert(Feedback(title="Zebra export", received_at=WHEN))
    many = store.feedback.insert_many(
        [Feedback(title=f"Quokka {i}", body="walrus", received_at=WHEN) for i in range(3)]
    )
    assert _found(store, "zebra") == [one.id]
    assert sorted(_found(store, "walrus")) == many
    store.feedback.update(many[0], title="Narwhal")
    assert _found(store, "quokka") == sorted(many[1:], reverse=True)
    assert _found(store, "narwhal") == [many[0]]
    store.feedback.update(many[1], priority=1)  # not indexed text: the index is untouched
    assert many[1] in _found(store, "quokka")
    with store.write():
        store.conn.execute("DELETE FROM feedback WHERE id = ?", (one.id,))
    assert _found(store, "zebra") == []
    check = store.conn.execute("INSERT INTO feedback_fts(feedback_fts) VALUES('integrity-check')")
    assert check is not None


def test_contacts_and_experiments_are_indexed_on_insert(store: Store) -> None:
    contact = store.contacts.insert(Contact(name="Ana Diaz", email="ana@acme.example"))
    [experiment] = store.experiments.insert_many([Experiment(title="Checkout copy test")])
    contacts = store.contacts.window(
        store.contacts.where(ContactFilter(search="diaz")), "name", limit=5
    )
    experiments = store.experiments.window(
        store.experiments.where(ExperimentFilter(search="checkout")), "status", limit=5
    )
    assert [row.record.id for row in contacts] == [contact.id]
    assert [row.record.id for row in experiments] == [experiment]
