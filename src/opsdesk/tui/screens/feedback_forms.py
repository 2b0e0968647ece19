"""The inbox's forms: capturing a new item and filtering the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from opsdesk.formatting import words
from opsdesk.services import feedback as inbox
from opsdesk.services.desk import Desk
from opsdesk.store.feedback import FeedbackFilter
from opsdesk.tui.screens.dialogs import FormField, FormScreen
from opsdesk.vocabulary import FeedbackKind, FeedbackStatus

DEFAULT_SOURCES = ("support", "sales", "interview", "survey", "app_store", "community", "email")


def _choices(values: Sequence[str]) -> list[tuple[str, str]]:
    return [(words(value), value) for value in values]


def received_instant(day: dt.date, desk: Desk) -> dt.datetime:
    """A received date as an instant: now if it is today, else that day at this local time."""
    now = desk.now().astimezone(desk.tz)
    if day == now.date():
        return desk.now()
    return dt.datetime.combine(day, now.timetz()).astimezone(dt.UTC)


def capture_form(
    desk: Desk,
    known_sources: Sequence[str],
    *,
    validate: Callable[[dict[str, Any]], dict[str, str]],
    on_change: Callable[[FormScreen, dict[str, Any]], None],
) -> FormScreen:
    """The `a` form; likely duplicates appear under it as the title is typed."""
    sources = sorted({*DEFAULT_SOURCES, *known_sources, "other"})
    fields = [
        FormField("title", "Title", required=True, placeholder="What the customer asked for"),
        FormField("body", "Body", kind="multiline"),
        FormField("source", "Source", kind="choice", choices=_choices(sources), initial="support"),
        FormField(
            "kind",
            "Kind",
            kind="choice",
            choices=_choices([kind.value for kind in FeedbackKind]),
            initial="request",
        ),
        FormField(
            "priority",
            "Priority",
            kind="choice",
            choices=[(f"P{p}", p) for p in range(1, 5)],
            initial=3,
        ),
        FormField("customer_email", "Customer email", placeholder="ana@example.com"),
        FormField("company", "Company"),
        FormField("received", "Received", kind="date", initial="today"),
        FormField("tags", "Tags", placeholder="sso, billing", help="Separated by spaces or commas"),
    ]
    return FormScreen(
        "Add feedback", fields, today=desk.today(), validate=validate, on_change=on_change
    )


def filter_form(desk: Desk, current: FeedbackFilter, known_sources: Sequence[str]) -> FormScreen:
    """The `f` form: narrow the current view by any field and a received date range."""
    fields = [
        FormField(
            "status",
            "Status",
            kind="choice",
            choices=_choices([status.value for status in FeedbackStatus]),
            initial=current.status,
            placeholder="any status",
        ),
        FormField(
            "kind",
            "Kind",
            kind="choice",
            choices=_choices([kind.value for kind in FeedbackKind]),
            initial=current.kind,
            placeholder="any kind",
        ),
        FormField(
            "source",
            "Source",
            kind="choice",
            choices=_choices(sorted({*DEFAULT_SOURCES, *known_sources})),
            initial=current.source,
            placeholder="any source",
        ),
        FormField("owner", "Owner", initial=current.owner),
        FormField("tag", "Tag", initial=current.tag),
        FormField("company", "Company", initial=current.company),
        FormField("received_from", "Received from", kind="date", initial=current.received_from),
        FormField("received_to", "Received to", kind="date", initial=current.received_to),
    ]

    def validate(values: dict[str, Any]) -> dict[str, str]:
        """Dates in order, and each name and the tag as stored: the form then returns the
        stored spelling ('acme' filters by 'Acme'), or says which ones were meant."""
        errors = {}
        start, end = values.get("received_from"), values.get("received_to")
        if start and end and end < start:
            errors["received_to"] = "is before 'received from'"
        for column in ("owner", "company"):
            if values.get(column):
                try:
                    values[column] = inbox.stored_name(desk, column, values[column])
                except inbox.FeedbackError as error:
                    errors[column] = str(error)
        if values.get("tag"):
            try:
                values["tag"] = inbox.stored_tag(desk, values["tag"])
            except inbox.FeedbackError as error:
                errors["tag"] = str(error)
        return errors

    return _FilterForm("Filter the inbox", fields, today=desk.today(), validate=validate)


class _FilterForm(FormScreen):
    """A filter form: empty fields mean 'any' rather than blank text."""

    def action_submit(self) -> None:
        parsed = self._parse()
        errors = dict(parsed.errors)
        if not errors and self.validate is not None:
            errors.update(self.validate(parsed.values))
        if errors:
            self.show_errors(errors)
            return
        self.dismiss({name: (value or None) for name, value in parsed.values.items()})
