"""Finding any record by part of its title, for the command palette's 'jump to'."""

from __future__ import annotations

from dataclasses import dataclass

from opsdesk.services.desk import Desk
from opsdesk.store.contacts import ContactFilter
from opsdesk.store.experiments import ExperimentFilter
from opsdesk.store.feedback import FeedbackFilter
from opsdesk.store.launches import LaunchFilter


@dataclass(frozen=True)
class FoundRecord:
    """A record that matched: which pane shows it, its id and title."""

    pane: str
    kind: str
    record_id: int
    title: str


def find_records(desk: Desk, text: str, limit: int = 6) -> list[FoundRecord]:
    """Up to ``limit`` matches of each kind: launches, feedback, contacts, experiments."""
    store = desk.store
    found: list[FoundRecord] = []
    launches = store.launches.window(
        store.launches.where(LaunchFilter(text=text)), "date", limit=limit
    )
    found += [
        FoundRecord("launches", "launch", int(r.record.id or 0), r.record.title) for r in launches
    ]
    feedback = store.feedback.window(
        store.feedback.where(FeedbackFilter(search=text, include_duplicates=True)),
        "received",
        limit=limit,
    )
    found += [
        FoundRecord("feedback", "feedback", int(r.record.id or 0), r.record.title) for r in feedback
    ]
    contacts = store.contacts.window(
        store.contacts.where(ContactFilter(search=text)), "name", limit=limit
    )
    found += [
        FoundRecord(
            "contacts", "contact", int(r.record.id or 0), r.record.name or r.record.email or ""
        )
        for r in contacts
    ]
    experiments = store.experiments.window(
        store.experiments.where(ExperimentFilter(search=text, include_abandoned=True)),
        next(iter(store.experiments.sorts)),
        limit=limit,
    )
    found += [
        FoundRecord("experiments", "experiment", int(r.record.id or 0), r.record.title)
        for r in experiments
    ]
    return found
