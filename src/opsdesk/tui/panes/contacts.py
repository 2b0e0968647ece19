"""The research contacts pane: one ledger of who was contacted, when and why.

Each row shows the contact's status today (free, in cooldown until a date, at cap, do not
contact, no consent), worked out for the rows of each page as it is fetched. ``v`` filters
the whole list by status, which needs every contact's status: on a file database that is
worked out in a worker thread (a few tenths of a second on 20,000 contacts), started as the
picker opens, and the filter applies when it arrives. Logging or planning a touch that a
guardrail blocks opens the refusal screen: every reason, and a prompt for an override reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.binding import Binding, BindingType

from opsdesk.formatting import counted, day, local_date, local_datetime, words
from opsdesk.models import Contact, Touch
from opsdesk.rules.eligibility import STATUS_LABELS, ContactStatus, Eligibility
from opsdesk.services import contacts as service
from opsdesk.services.contact_forget import forget_contact
from opsdesk.services.contact_status import (
    StatusSnapshot,
    StatusTables,
    fill_status_tables,
    refresh_status_tables,
    snapshot,
    statuses_for,
    work_out_statuses,
)
from opsdesk.services.contact_undo import UndoRefused, undo_last
from opsdesk.services.desk import Desk
from opsdesk.store.base import InvalidRecord, RecordNotFound, Repository, WindowRow
from opsdesk.store.contacts import ContactFilter
from opsdesk.store.db import StoreError
from opsdesk.text import one_line, preview, visible
from opsdesk.tui.addresses import LabelledAddress
from opsdesk.tui.background import hand_back, on_companion, still_shown
from opsdesk.tui.panes.base import ListPane, QuerySource, field_lines, heading, while_running
from opsdesk.tui.screens.contacts_forms import (
    contact_fields,
    field_errors,
    touch_fields,
    touch_instant,
)
from opsdesk.tui.screens.contacts_refusal import RefusalScreen
from opsdesk.tui.screens.dialogs import ConfirmScreen, FormScreen, PickerScreen
from opsdesk.tui.widgets.footer_by_width import FooterByWidth, FooterKeys
from opsdesk.tui.widgets.window_list import Column
from opsdesk.vocabulary import TouchStatus

STATUS_STYLE: dict[ContactStatus, str] = {
    ContactStatus.FREE: "green",
    ContactStatus.COOLDOWN: "yellow",
    ContactStatus.AT_CAP: "magenta",
    ContactStatus.DO_NOT_CONTACT: "bold red",
    ContactStatus.NO_CONSENT: "red",
}


UNDO_HINT = "u undoes it"
"""Said after each change: undo is off the footer, which has no room left for it."""


LEDGER_SHOWN = 20
"""The newest touches the detail panel lists; it says how many older ones there are."""


SHORT_LABELS: dict[ContactStatus, str] = {
    **STATUS_LABELS,
    ContactStatus.COOLDOWN: "cooldown",
}


NARROW_FOOTER: dict[str, str] = {
    "search": "Search",
    "log_touch": "Log",
    "plan_touch": "Plan",
    "find_pool": "Pool",
    "follow_ups": "Follow-ups",
    "status_filter": "Status",
}
"""The footer under :data:`FULL_FOOTER_FROM` columns: the day's work, each key whole, with
shorter words for logging, planning and the eligible pool. At 80 columns the footer showed
new, edit, 'Log touch', 'Plan touch' and 'f Eligi', cut there: follow-ups (o) and the
status filter (v) could not be found from it. New and edit stay on their keys, in help and
the palette."""
NARROW_KEYS = FooterKeys(frozenset(NARROW_FOOTER), NARROW_FOOTER)


def shown_name(contact: Contact) -> str | Text:
    """A contact's name in the list, or, for one without a name, the address in italics.

    Closing the loop on feedback creates a contact for each customer the ledger does not
    know yet, and feedback carries an address but no name: the list showed '(no name)'
    for every one of them, which told an ops manager nothing about who it was.
    """
    if contact.name:
        return contact.name
    return Text(one_line(contact.email or "(no name)"), style="italic")


LEDGER_INDENT = len("2026-11-27  ")
"""Where a ledger entry's text starts after its date: an override goes under it."""


class Hanging:
    """``lead`` and then ``body``, wrapped at the width on offer, its continuation lines
    indented as far as the lead reaches: a ledger entry wrapped back to the panel's edge,
    under the dates, which then no longer read as a column."""

    def __init__(self, lead: str, body: Text) -> None:
        self.lead = lead
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = cell_len(self.lead)
        lines = self.body.wrap(console, max(options.max_width - indent, 1))
        for index, line in enumerate(lines):
            line.rstrip()
            yield Text(" " * indent if index else self.lead) + line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        whole = cell_len(self.lead) + self.body.cell_len
        return Measurement(min(whole, options.max_width), min(whole, options.max_width))


def status_text(verdict: Eligibility | None) -> Text:
    """A status cell: 'in cooldown → 2026-12-26', coloured by how serious it is."""
    if verdict is None:
        return Text("")
    text = SHORT_LABELS[verdict.status]
    if verdict.free_on:
        text += f" → {verdict.free_on.isoformat()}"
    return Text(text, style=STATUS_STYLE[verdict.status])


def _last_touch(row: WindowRow[Contact], tz: Any) -> str:
    value = row.extra.get("last_touch")
    return local_date(dt.datetime.fromisoformat(value), tz) if value else ""


class StatusSource(QuerySource):
    """A page of contacts, each with its eligibility today (worked out for that page only)."""

    def __init__(self, pane: ContactsPane) -> None:
        super().__init__(pane.repository, pane.where(), pane.sort, pane.extra_columns())
        self.pane = pane

    def fetch(
        self, offset: int, limit: int, after: tuple[Any, ...] | None, *, total: int | None = None
    ) -> list[WindowRow[Any]]:
        rows = super().fetch(offset, limit, after, total=total)
        verdicts = statuses_for(self.pane.desk, [row.record for row in rows])
        for row in rows:
            row.extra["eligibility"] = verdicts.get(int(row.record.id or 0))
        return rows


class ContactsPane(FooterByWidth, ListPane):
    pane_id = "contacts"
    title = "Contacts"
    noun = "contacts"
    noun_one = "contact"
    default_sort = "name"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "cycle_sort", "Sort", show=False, id="pane.sort"),
        Binding("n", "new_contact", "New", id="contacts.new"),
        Binding("e", "edit_contact", "Edit", id="contacts.edit"),
        Binding("l", "log_touch", "Log touch", id="contacts.log_touch"),
        Binding("p", "plan_touch", "Plan touch", id="contacts.plan_touch"),
        Binding("f", "find_pool", "Eligible", id="contacts.pool"),
        Binding("o", "follow_ups", "Follow-ups", id="contacts.follow_ups"),
        Binding("d", "duplicates", "Duplicates", show=False, id="contacts.duplicates"),
        Binding("x", "forget", "Forget contact", show=False, id="contacts.forget"),
        Binding("v", "status_filter", "Status", id="contacts.status_filter"),
        Binding("C", "group_filter", "Company", show=False, id="contacts.group_filter"),
        Binding("u", "undo", "Undo", show=False, id="contacts.undo"),
    ]
    """Short descriptions, and sort, duplicates, forget and undo off the footer (help and the
    palette list them, and each change's notification names undo's key): with the app's keys
    the footer must fit in 120 columns, and it cut off the status filter, quit and help when
    every description was a phrase."""

    def footer_keys(self, narrow: bool) -> FooterKeys:
        """Every key from :data:`FULL_FOOTER_FROM` columns, :data:`NARROW_FOOTER` under it."""
        return NARROW_KEYS if narrow else FooterKeys()

    def __init__(self) -> None:
        super().__init__()
        self.status_filter: ContactStatus | None = None
        self.group_filter: tuple[str, str] | None = None
        """('company', name) or ('segment', name): the list shows only those contacts."""
        self.pending_filter: ContactStatus | None = None
        """A status chosen while every contact's status is still being worked out."""
        self._snapshot: StatusSnapshot | None = None
        self._working_on: StatusSnapshot | None = None
        self.session_start = 0
        self._columns_sort = self.default_sort
        """The sort the list's columns were laid out for."""
        """The newest history line when the pane opened: undo reaches no change before it."""

    @while_running
    def on_mount(self) -> None:
        self.session_start = self.desk.store.history.newest_id()

    @property
    def repository(self) -> Repository[Any]:
        return self.desk.store.contacts

    def where(self) -> Any:
        status = self.status_filter.value if self.status_filter else None
        kind, name = self.group_filter or ("", None)
        return self.desk.store.contacts.where(
            ContactFilter(
                search=self.search_text,
                status=status,
                company=name if kind == "company" else None,
                segment=name if kind == "segment" else None,
            )
        )

    def extra_columns(self) -> str:
        return self.desk.store.touches.last_touch_columns(self.desk.now())

    def source(self) -> QuerySource:
        return StatusSource(self)

    def refresh_list(self, *, reset: bool = False) -> None:
        if self._columns_sort != self.sort:
            self._columns_sort = self.sort
            self.list.set_columns(self.columns())
        if self.status_filter is not None:
            # Stale tables stay in use until fresh ones arrive (then the list is re-read).
            self.statuses_ready()
        super().refresh_list(reset=reset)

    def statuses_ready(self) -> bool:
        """True when the status tables describe the data as it is now.

        Otherwise start working them out and return False: at once for an in-memory
        database (small, and bound to this thread), in a worker thread on its own connection
        for a file, whose answer :meth:`_statuses_arrived` puts in the tables. On the large
        dataset the work took about 580 ms, all of it on the key press that chose a status.
        """
        desk = self.desk
        now = snapshot(desk, desk.today())
        if now == self._snapshot:
            return True
        if desk.store.in_memory:
            self._snapshot = refresh_status_tables(desk, day=now.day)
            return True
        if now != self._working_on:
            self._working_on = now
            self.run_worker(
                partial(self._statuses_in_thread, desk, now),
                thread=True,
                exclusive=True,
                group="contact-statuses",
            )
        return False

    def _statuses_in_thread(self, desk: Desk, wanted: StatusSnapshot) -> None:
        try:
            tables = on_companion(desk, partial(work_out_statuses, day=wanted.day))
        except Exception as error:  # a worker's exception would close the app
            hand_back(self, self._statuses_failed, wanted, error)
            return
        hand_back(self, self._statuses_arrived, wanted, tables)

    def _statuses_failed(self, wanted: StatusSnapshot, error: Exception) -> None:
        """Say so, and drop a status chosen meanwhile: the list stays as it was."""
        if not still_shown(self) or wanted != self._working_on:
            return
        self._working_on = None
        if self.pending_filter is not None:
            self.pending_filter = None
            self.update_status()
        self.app.notify(
            f"Could not work out the contacts' statuses: {visible(str(error))}",
            severity="error",
        )

    def _statuses_arrived(self, wanted: StatusSnapshot, tables: StatusTables) -> None:
        """Fill the tables; apply a status chosen meanwhile, or re-read the filtered list."""
        if not still_shown(self) or wanted != self._working_on:
            return  # the app closed, or newer work is under way
        self._working_on = None
        unchanged = snapshot(self.desk, wanted.day) == wanted
        filled = fill_status_tables(self.desk, tables)
        # Written to meanwhile: these rows are older than the data, so work them out again.
        self._snapshot = filled if unchanged else None
        if self.pending_filter is not None:
            self.status_filter, self.pending_filter = self.pending_filter, None
            self.refresh_list(reset=True)
        elif self.status_filter is not None:
            self.refresh_list()

    PALETTE_NAMES: ClassVar[dict[str, str]] = {
        "new_contact": "New contact",
        "edit_contact": "Edit contact",
        "log_touch": "Log a touch",
        "plan_touch": "Plan a touch",
        "find_pool": "Find eligible contacts",
        "status_filter": "Filter contacts by status",
        "group_filter": "Filter contacts by company or segment",
        "duplicates": "Find duplicate contacts",
        "undo": "Undo the last contact change",
    }
    """What the palette calls the actions whose footer words are short."""

    def describe_action(self, action: str, description: str) -> str:
        return self.PALETTE_NAMES.get(action, description)

    def status_parts(self) -> list[str]:
        parts = []
        if self.group_filter is not None:
            kind, name = self.group_filter
            parts.append(f"{kind}: {one_line(name, 40)}")
        if self.pending_filter is not None:
            parts.append(f"status: {STATUS_LABELS[self.pending_filter]} (checking every contact…)")
        elif self.status_filter is not None:
            parts.append(f"status: {STATUS_LABELS[self.status_filter]}")
        return parts

    def nothing_to_show(self) -> RenderableType:
        """An empty list under a filter says which filters hide everyone and the keys that
        lift them: 'No contacts to show.' left a PM to remember a status chosen earlier."""
        lifts = []
        if self.group_filter is not None:
            kind, name = self.group_filter
            lifts.append(f"{kind} {one_line(name, 40)} (C)")
        shown = self.pending_filter or self.status_filter
        if shown is not None:
            lifts.append(f"status {STATUS_LABELS[shown]} (v)")
        if self.search_text.strip():
            lifts.append(f"search '{one_line(self.search_text.strip(), 40)}' (Esc)")
        if not lifts:
            return super().nothing_to_show()
        return Text(
            f"No contact matches: {', '.join(lifts)}. The key beside each filter changes or "
            "lifts it.",
            style="italic",
        )

    def columns(self) -> Sequence[Column]:
        """The list's columns. Sorted by company, the company comes second and stays (the
        email gives way): at 120 columns the optional company column was the first to go,
        and a list sorted by a column nobody could see looked shuffled."""
        tz = self.desk.tz
        email = Column("Email", lambda r: r.record.email or "")
        company = Column("Company", lambda r: r.record.company or "", 18, optional=True)
        if self.sort == "company":
            email = Column("Email", lambda r: r.record.email or "", optional=True)
            company = Column("Company", lambda r: r.record.company or "")
        return [
            Column("Name", lambda r: shown_name(r.record), 20),
            *((company, email) if self.sort == "company" else (email, company)),
            Column("Status", lambda r: status_text(r.extra.get("eligibility")), 21),
            Column("Consent", lambda r: words(r.record.consent), 7, optional=True),
            Column("Last touch", lambda r: _last_touch(r, tz), 10, optional=True),
            Column("#", lambda r: str(r.extra.get("touch_count") or 0), 3, "right", optional=True),
        ]

    def detail(self, row: WindowRow[Contact]) -> RenderableType:
        contact = row.record
        tz = self.desk.tz
        verdict = row.extra.get("eligibility")
        facts = field_lines(
            [
                ("Company", contact.company),
                ("Segment", contact.segment),
                ("Role", contact.role),
                ("Research consent", words(contact.consent)),
                (
                    "Do not contact",
                    (contact.dnc_reason or "yes") if contact.do_not_contact else None,
                ),
                ("Relationship owner", contact.relationship_owner),
            ]
        )
        parts: list[RenderableType] = [heading(contact.name or contact.email or "(no name)")]
        if contact.email:
            parts.append(LabelledAddress("Email", contact.email))
        parts.append(facts)
        if verdict is not None:
            status = Text("Status: ", style="bold")
            status.append_text(status_text(verdict))
            parts.append(status)
            # Each reason's lines under its own text, so the bullets stand out: a reason
            # is three or four lines in the panel, and wrapped to the edge they ran together.
            parts += [Hanging("• ", Text(visible(reason.message))) for reason in verdict.reasons]
            parts.append(Text(""))
        if contact.notes:
            parts.append(Text(preview(contact.notes) + "\n"))
        touches = self.desk.store.touches.for_contact(int(contact.id or 0), limit=LEDGER_SHOWN)
        last_and_next = self._last_and_next(touches)
        if last_and_next:
            parts.append(last_and_next)  # an empty Text would still draw a blank line
        parts.append(Text("Touches", style="bold"))
        if not touches:
            parts.append(Text("No touches yet.", style="italic"))
        for touch in touches:
            entry = Text(
                f"{one_line(touch.by, 20)} · {words(touch.purpose)} · "
                f"{one_line(words(touch.channel), 20)} · {words(touch.status)}"
            )
            if touch.follow_up_due and not touch.closed_at:
                entry.append(f" · follow up by {day(touch.follow_up_due)}", style="yellow")
            # Continuation lines under the text, not the date: the days read as a column.
            parts.append(Hanging(f"{local_date(touch.at, tz)}  ", entry))
            if touch.override_reason:
                who = one_line(touch.override_by or "", 20)
                when = local_datetime(touch.override_at, tz)
                override = Text(
                    f"override by {who} {when} ({words(touch.override_rules or '')}): "
                    f"{one_line(touch.override_reason, 80)}",
                    style="red",
                )
                parts.append(Hanging(" " * LEDGER_INDENT, override))
        older = int(row.extra.get("touch_count") or 0) - len(touches)
        if older > 0:
            # The ledger stopped at 20 without a word, and read as the whole story.
            parts.append(
                Text(f"… and {counted(older, 'older touch', 'older touches')}.", style="italic")
            )
        return Group(*parts)

    def _last_and_next(self, touches: Sequence[Touch]) -> Text:
        """'Last touch' (the latest that has happened) and 'Next touch' (the first planned
        after now), apart: a planned interview used to be the contact's last touch."""
        now = self.desk.now()
        tz = self.desk.tz
        done = [touch for touch in touches if touch.at <= now]
        ahead = [touch for touch in touches if touch.at > now]
        text = Text()
        for name, touch in (
            ("Last touch", done[0] if done else None),
            ("Next touch", ahead[-1] if ahead else None),
        ):
            if touch is None:
                continue
            text.append(f"{name}: ", style="bold")
            text.append(
                f"{local_date(touch.at, tz)} by {one_line(touch.by, 20)} "
                f"({words(touch.purpose)}, {words(touch.status)})\n"
            )
        return text  # each line ends in a newline: one blank line before the ledger

    # -- helpers ---------------------------------------------------------------------------

    def current_contact(self) -> Contact | None:
        row = self.list.current_row
        if row is None:
            self.app.notify("No contact selected.", severity="warning")
            return None
        return row.record  # type: ignore[no-any-return]

    def changed(self, keep_id: int | None = None) -> None:
        """Re-run the list after a write, keeping the cursor on ``keep_id`` if given."""
        self._snapshot = None
        if self.status_filter is not None:
            self.statuses_ready()
        self.list.set_source(self.source(), keep_id=keep_id)
        self.update_status()

    # -- contacts --------------------------------------------------------------------------

    def action_new_contact(self) -> None:
        created: list[Contact] = []

        def save(values: dict[str, Any]) -> dict[str, str]:
            try:
                created.append(service.create_contact(self.desk, values))
            except InvalidRecord as error:
                return field_errors(error, "email")
            return {}

        def done(result: dict[str, Any] | None) -> None:
            if result is not None and created:
                self.changed(keep_id=created[0].id)
                self.app.notify(f"Added {visible(created[0].name or created[0].email)}.")

        form = FormScreen(
            "New contact", contact_fields(None), today=self.desk.today(), validate=save
        )
        self.app.push_screen(form, done)

    def action_edit_contact(self) -> None:
        contact = self.current_contact()
        if contact is None:
            return

        history = self.desk.store.history
        start = history.newest_id()

        def save(values: dict[str, Any]) -> dict[str, str]:
            try:
                service.edit_contact(self.desk, int(contact.id or 0), values)
            except (InvalidRecord, RecordNotFound) as error:
                return field_errors(error, "name")
            return {}

        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            self.changed(keep_id=contact.id)
            # A form saved as it was writes nothing: u would then undo an older change.
            if history.newest_id() == start:
                self.app.notify("Nothing changed.")
            else:
                self.app.notify(f"Saved {visible(contact.name or contact.email)} ({UNDO_HINT}).")

        form = FormScreen(
            f"Edit {visible(contact.name or contact.email)}",
            contact_fields(contact),
            today=self.desk.today(),
            validate=save,
        )
        self.app.push_screen(form, done)

    # -- touches ---------------------------------------------------------------------------

    def action_log_touch(self) -> None:
        self._touch_form(plan=False)

    def action_plan_touch(self) -> None:
        self._touch_form(plan=True)

    def _touch_form(self, *, plan: bool) -> None:
        contact = self.current_contact()
        if contact is None:
            return
        today = self.desk.today()
        blocked: list[tuple[service.ContactBlocked, dict[str, Any]]] = []

        def write(values: dict[str, Any], override: str | None = None) -> None:
            service.add_touch(
                self.desk,
                int(contact.id or 0),
                values["by"],
                values["purpose"],
                channel=values.get("channel") or "email",
                at=touch_instant(self.desk, values["day"]),
                status=values.get("status") or (TouchStatus.PLANNED if plan else None),
                follow_up_due=values.get("follow_up_due"),
                override_reason=override,
            )

        def save(values: dict[str, Any]) -> dict[str, str]:
            try:
                write(values)
            except service.ContactBlocked as error:
                blocked.append((error, values))
            except InvalidRecord as error:
                return field_errors(error, "by")
            return {}

        def overridden(reason: str | None, values: dict[str, Any]) -> None:
            if not reason:
                self.app.notify("Nothing was logged.", severity="warning")
                return
            try:
                write(values, override=reason)
            except InvalidRecord as error:
                self.app.notify(visible(str(error)), severity="error")
                return
            self.changed(keep_id=contact.id)
            self.app.notify(
                f"Logged with an override; the reason is kept on the contact ({UNDO_HINT})."
            )

        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            if blocked:
                error, values = blocked[-1]
                self.app.push_screen(
                    RefusalScreen(error.contact, error.eligibility, error.purpose),
                    lambda reason: overridden(reason, values),
                )
                return
            self.changed(keep_id=contact.id)
            self.app.notify(f"Touch {'planned' if plan else 'logged'} ({UNDO_HINT}).")

        title = f"{'Plan' if plan else 'Log'} a touch with {visible(contact.name or contact.email)}"
        initial_day = today + dt.timedelta(days=7) if plan else today
        form = FormScreen(
            title,
            touch_fields(self.desk.user, initial_day, plan=plan),
            today=today,
            validate=save,
        )
        self.app.push_screen(form, done)

    # -- pool, follow-ups, duplicates --------------------------------------------------------

    def action_find_pool(self) -> None:
        from opsdesk.tui.screens.contacts_pool import open_pool_search

        open_pool_search(self)

    def action_follow_ups(self) -> None:
        from opsdesk.tui.screens.contacts_follow_ups import FollowUpsScreen

        self.app.push_screen(FollowUpsScreen(self.desk), lambda _: self.changed())

    def action_duplicates(self) -> None:
        from opsdesk.tui.screens.contacts_duplicates import DuplicatesScreen

        self.app.push_screen(DuplicatesScreen(self.desk), lambda _: self.changed())

    # -- undo ------------------------------------------------------------------------------

    def action_undo(self) -> None:
        """Take back the last contacts change made since the pane opened, asking nothing
        (undo is itself undone by redoing the change) and saying what was undone."""
        try:
            said = undo_last(self.desk, after=self.session_start)
        except UndoRefused as error:
            self.app.notify(f"Not undone: {error}.", severity="warning")
            return
        except (InvalidRecord, StoreError) as error:
            self.app.notify(f"Not undone: {error}", severity="error")
            return
        if said is None:
            self.app.notify("Nothing to undo: no contact was changed in this session.")
            return
        row = self.list.current_row
        self.changed(keep_id=row.record.id if row else None)
        self.app.notify(said[0].upper() + said[1:] + ".")

    # -- forget and filter -----------------------------------------------------------------

    def action_forget(self) -> None:
        contact = self.current_contact()
        if contact is None:
            return
        # The cursor stays where it was, on the next contact (it went back to the top).
        listing = self.list
        after = listing.row_at(listing.cursor + 1)
        if after is None and listing.cursor > 0:
            after = listing.row_at(listing.cursor - 1)
        neighbour = after.record.id if after is not None else None
        who = f"{contact.name or '(no name)'} <{contact.email or 'no email'}>"
        question = (
            f"Forget {who}? Every personal field is erased everywhere, the search index "
            "included; the touches stay, anonymous, so company caps still count them. "
            "This cannot be undone."
        )

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                report = forget_contact(self.desk, contact_id=int(contact.id or 0))
            except InvalidRecord as error:
                self.app.notify(visible(str(error)), severity="error")
                return
            self.changed(keep_id=neighbour)
            kept = report.touches_kept
            message = (
                f"Forgotten; {counted(kept, 'touch', 'touches')} kept anonymously (for cooldowns)."
                if kept
                else "Forgotten; they had no touches."
            )
            if report.file.checked and not report.file.clean:
                message += " Another program holds the file open: run it again later."
            self.app.notify(message)

        self.app.push_screen(ConfirmScreen(question, "Forget"), answer)

    def action_group_filter(self) -> None:
        """Show one company's or one segment's contacts (typing in the picker narrows it:
        'seg' for the segments, part of a name for a company). The status filter and a
        search still apply on top."""
        store = self.desk.store.contacts
        options: list[tuple[str, Any]] = [("All companies and segments", "")]
        for kind in ("segment", "company"):
            options += [
                (f"{kind}: {name} ({count:,})", (kind, name))
                for name, count in store.listed_by(kind)
            ]

        def chosen(value: Any) -> None:
            if value is None:
                return
            self.group_filter = tuple(value) if value else None  # type: ignore[assignment]
            self.refresh_list(reset=True)

        self.app.push_screen(
            PickerScreen(
                "Show contacts by company or segment", options, current=self.group_filter or ""
            ),
            chosen,
        )

    def action_status_filter(self) -> None:
        options: list[tuple[str, Any]] = [("All contacts", "")]
        options += [(STATUS_LABELS[status], status.value) for status in ContactStatus]

        def chosen(value: Any) -> None:
            if value is None:
                return
            status = ContactStatus(value) if value else None
            self.pending_filter = None
            if status is not None and not self.statuses_ready():
                self.pending_filter = status  # applied when the statuses arrive
                self.update_status()
                return
            self.status_filter = status
            self.refresh_list(reset=True)

        # The status in force (or one still being worked out) is ticked and highlighted.
        shown = self.pending_filter or self.status_filter
        current = shown.value if shown else ""
        self.app.push_screen(
            PickerScreen("Show contacts by status", options, current=current), chosen
        )
        # Start on the statuses while the picker is read (they are often ready by the
        # choice), once it is drawn: the worker's Python slows the drawing thread it shares
        # the interpreter with, and the picker came up a second late on the large dataset.
        self.app.call_after_refresh(self.statuses_ready)
