"""The feedback inbox's operations: capture, triage, SLAs, merge, undo, close the loop, themes.

Every function takes a :class:`Desk` and applies the config's policy the same way for the TUI
and the CLI. Bulk actions (on every marked row) are one transaction and one history batch, so
one undo reverses them all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from opsdesk.config import effective_values
from opsdesk.formatting import counted, either, local_datetime
from opsdesk.rules.dates import due_instant
from opsdesk.rules.dedupe import rank_duplicates
from opsdesk.rules.sla import (
    DECIDED_STATUSES,
    Promised,
    SlaDeadlines,
    SlaState,
    item_state,
    worst,
)
from opsdesk.services.desk import Desk
from opsdesk.store.base import InvalidRecord, RecordNotFound
from opsdesk.store.feedback import BUILTIN_VIEWS, FeedbackFilter, ThemeRow
from opsdesk.store.history import forgets_someone
from opsdesk.store.store import DiskFullError
from opsdesk.text import one_line
from opsdesk.vocabulary import FeedbackStatus, TouchPurpose, TouchStatus, label

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from opsdesk.models import Change, Feedback

SLA_SETTING = "feedback.sla_policy"
TRIAGE_FIELDS = frozenset({"kind", "priority", "status", "owner", "launch_id", "tags"})
UNDO_TABLES = ("feedback",)


class FeedbackError(ValueError):
    """An inbox action cannot be done; the message says why in one sentence."""


# -- SLA deadlines ---------------------------------------------------------------------------


def sla_fingerprint(desk: Desk) -> str:
    """A digest of everything deadlines depend on: SLA table, working days, holidays, zone."""
    config = desk.config
    values = effective_values(config)
    policy = {"sla": values["sla"], "calendar": values["calendar"], "tz": config.general.timezone}
    return hashlib.sha256(json.dumps(policy, sort_keys=True).encode()).hexdigest()[:16]


class _DeadlineCalculator:
    """Deadlines for many items; results are shared by items received on the same local day."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.calendar = desk.calendar
        self.tz = desk.tz
        self._cache: dict[tuple[dt.date, int], dt.datetime] = {}
        self._texts: dict[tuple[dt.date, int], str] = {}
        self._targets: dict[tuple[str, int], Any] = {}

    def _target(self, kind: str, priority: int) -> Any:
        """The SLA target of a kind and priority (looked up once per pair, not per item)."""
        key = (kind, priority)
        target = self._targets.get(key)
        if target is None:
            target = self._targets[key] = self.desk.config.sla_target(kind, priority)
        return target

    def _due(self, received: dt.datetime, days: int) -> dt.datetime:
        local_day = received.astimezone(self.tz).date()
        key = (local_day, days)
        if key not in self._cache:
            self._cache[key] = due_instant(received, days, self.calendar, self.tz)
        return self._cache[key]

    def deadlines(self, kind: str, priority: int, received: dt.datetime) -> SlaDeadlines:
        target = self.desk.config.sla_target(kind, priority)
        return SlaDeadlines(
            acknowledge_by=self._due(received, target.acknowledge),
            decide_by=self._due(received, target.decide),
        )

    def row(self, kind: str, priority: int, received: str | dt.datetime, record_id: int) -> tuple:
        """(ack_due_at, decide_due_at, id) as stored; the text of each deadline is kept per
        local day, as the deadline itself is, so 100,000 rows format a few hundred dates."""
        instant = (
            received if isinstance(received, dt.datetime) else dt.datetime.fromisoformat(received)
        )
        target = self._target(kind, priority)
        local_day = instant.astimezone(self.tz).date()
        return (
            self._due_text(instant, local_day, target.acknowledge),
            self._due_text(instant, local_day, target.decide),
            record_id,
        )

    def _due_text(self, received: dt.datetime, local_day: dt.date, days: int) -> str:
        key = (local_day, days)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = _iso(self._due(received, days))
        return text


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def deadlines_for(desk: Desk, item: Feedback) -> SlaDeadlines:
    """The acknowledge-by and decide-by instants of one item under the current config."""
    return _DeadlineCalculator(desk).deadlines(item.kind.value, item.priority, item.received_at)


def deadline_columns(desk: Desk, items: Sequence[Feedback]) -> dict[str, list[str]]:
    """The ``ack_due_at`` and ``decide_due_at`` column values of new items, in order, so a
    bulk insert writes each row once, deadlines included, instead of updating it after."""
    calculator = _DeadlineCalculator(desk)
    acknowledge: list[str] = []
    decide: list[str] = []
    for item in items:
        ack, dec, _ = calculator.row(item.kind.value, item.priority, item.received_at, 0)
        acknowledge.append(ack)
        decide.append(dec)
    return {"ack_due_at": acknowledge, "decide_due_at": decide}


def ensure_sla(desk: Desk) -> int:
    """Compute missing deadlines, or all of them when the SLA policy changed; return how many.

    Cheap when nothing is missing (one indexed query), so the app and CLI call it on start.
    """
    store = desk.store
    fingerprint = sla_fingerprint(desk)
    changed = store.setting(SLA_SETTING) != fingerprint
    if store.read_only:
        return 0
    pending = store.feedback.sla_inputs() if changed else store.feedback.missing_sla(10**9)
    if not pending and not changed:
        return 0
    calculator = _DeadlineCalculator(desk)
    try:
        with store.write():
            store.feedback.set_deadlines(
                calculator.row(kind, priority, received, record_id)
                for record_id, kind, priority, received in pending
            )
            store.set_setting(SLA_SETTING, fingerprint)
    except DiskFullError:
        return 0  # derived data: made on a later start; the user's own writes say "disk full"
    return len(pending)


def _refresh_deadlines(desk: Desk, items: Iterable[Feedback]) -> None:
    calculator = _DeadlineCalculator(desk)
    desk.store.feedback.set_deadlines(
        calculator.row(item.kind.value, item.priority, item.received_at, int(item.id or 0))
        for item in items
    )


def sla_states(desk: Desk, item: Feedback) -> tuple[SlaState | None, SlaState | None]:
    """(acknowledge, decide) states of an item now."""
    return item_state(item, deadlines_for(desk, item), desk.now())


def item_badge(desk: Desk, item: Feedback) -> SlaState | None:
    """The one badge a whole item earns now (``feedback list`` prints it beside the row, as
    the inbox shows it)."""
    return worst(*sla_states(desk, item))


def sla_badge(
    desk: Desk, item: Promised, ack_due: str | None, decide_due: str | None
) -> SlaState | None:
    """The one badge a list row shows, from the stored deadlines (no recomputation)."""
    if ack_due is None or decide_due is None:
        return None
    due = SlaDeadlines(dt.datetime.fromisoformat(ack_due), dt.datetime.fromisoformat(decide_due))
    return worst(*item_state(item, due, desk.now()))


# -- capture ---------------------------------------------------------------------------------


def capture(desk: Desk, **fields: Any) -> Feedback:
    """Record a new item (received now unless given), with its deadlines, in one transaction.

    Feedback is received today or earlier: a date after today (a typo, or '+3d' for '-3d')
    would sit above every real item in the newest-first inbox, with deadlines that cannot
    breach, so it is refused with the date it was read as.
    """
    fields = {name: value for name, value in fields.items() if value is not None}
    fields.setdefault("received_at", desk.now())
    item = desk.store.feedback.validate(fields)
    received_day = item.received_at.astimezone(desk.tz).date()
    if received_day > desk.today():
        raise InvalidRecord(
            f"received_at: {received_day:%a %d %b %Y} is in the future "
            "(feedback is received today or earlier)"
        )
    with desk.store.write():
        saved = desk.store.feedback.insert(item)
        _refresh_deadlines(desk, [saved])
        desk.store.feedback.refresh_demand([int(saved.id or 0)])
    return saved


def likely_duplicates(
    desk: Desk, title: str, *, exclude: int | None = None, limit: int = 5
) -> list[tuple[Feedback, float]]:
    """Up to ``limit`` existing items that are probably the same as ``title``, best first."""
    if len(title.strip()) < 3:
        return []
    candidates = [
        (item, item.title) for item in desk.store.feedback.candidates(title) if item.id != exclude
    ]
    return rank_duplicates(title, candidates, limit=limit)


# -- triage ----------------------------------------------------------------------------------


def triage(desk: Desk, ids: Sequence[int], **changes: Any) -> int:
    """Apply one change to every item in ``ids`` as one undoable batch; return how many changed.

    Deciding (planned, declined, done) stamps who decided and when, and acknowledges an item
    that was not yet acknowledged; a new kind or priority moves the SLA deadlines.
    """
    unknown = set(changes) - TRIAGE_FIELDS
    if unknown:
        raise FeedbackError(f"cannot set {', '.join(sorted(unknown))} from triage")
    if not ids:
        raise FeedbackError("no item is selected")
    store = desk.store
    changed: list[Feedback] = []
    with store.write():
        for record_id in ids:
            before = store.feedback.get(record_id)
            update = dict(changes)
            status = update.get("status")
            if status is not None:
                status = FeedbackStatus(status)
                if status in DECIDED_STATUSES and before.status not in DECIDED_STATUSES:
                    update.update(decided_at=desk.now(), decided_by=desk.user)
                    if before.acknowledged_at is None:
                        update.update(acknowledged_at=desk.now(), acknowledged_by=desk.user)
                elif status not in DECIDED_STATUSES and before.status in DECIDED_STATUSES:
                    update.update(decided_at=None, decided_by=None, loop_closed_at=None)
            after = store.feedback.update(record_id, **update)
            if after != before:
                changed.append(after)
        moved = [item for item in changed if "kind" in changes or "priority" in changes]
        _refresh_deadlines(desk, moved)
    return len(changed)


def retag(
    desk: Desk, ids: Sequence[int], add: Iterable[str] = (), remove: Iterable[str] = ()
) -> int:
    """Add and remove tags on every item in ``ids`` (one batch); return how many changed."""
    add_set = {tag.strip().lower() for tag in add if tag.strip()}
    remove_set = {tag.strip().lower() for tag in remove if tag.strip()}
    if not ids:
        raise FeedbackError("no item is selected")
    count = 0
    with desk.store.write():
        for record_id in ids:
            item = desk.store.feedback.get(record_id)
            tags = sorted((set(item.tags) | add_set) - remove_set)
            if tags != item.tags:
                desk.store.feedback.update(record_id, tags=tags)
                count += 1
    return count


def acknowledge(desk: Desk, ids: Sequence[int]) -> int:
    """Stamp 'acknowledged' (now, by the user) on items not yet acknowledged."""
    if not ids:
        raise FeedbackError("no item is selected")
    count = 0
    with desk.store.write():
        for record_id in ids:
            item = desk.store.feedback.get(record_id)
            if item.acknowledged_at is None:
                desk.store.feedback.update(
                    record_id, acknowledged_at=desk.now(), acknowledged_by=desk.user
                )
                count += 1
    return count


# -- duplicates ------------------------------------------------------------------------------


def merge(desk: Desk, ids: Sequence[int], survivor: int) -> int:
    """Merge ``ids`` into ``survivor``: they become its duplicates and count on it.

    Items that were themselves survivors bring their duplicates along. Returns how many items
    were merged.
    """
    others = [record_id for record_id in dict.fromkeys(ids) if record_id != survivor]
    if not others:
        raise FeedbackError("mark at least one other item to merge into this one")
    store = desk.store
    with store.write():
        target = store.feedback.get(survivor)
        if target.duplicate_of is not None:
            raise FeedbackError(f"#{survivor} is itself merged into #{target.duplicate_of}")
        tags = set(target.tags)
        for record_id in others:
            item = store.feedback.get(record_id)
            tags |= set(item.tags)
            for child in store.feedback.duplicates_of(record_id):
                store.feedback.update(int(child.id or 0), duplicate_of=survivor)
            store.feedback.update(record_id, duplicate_of=survivor)
        if tags != set(target.tags):
            store.feedback.update(survivor, tags=sorted(tags))
        store.feedback.refresh_demand([survivor, *others])
    return len(others)


def unmerge(desk: Desk, record_id: int) -> Feedback:
    """Make a merged duplicate a separate item again."""
    store = desk.store
    with store.write():
        item = store.feedback.get(record_id)
        if item.duplicate_of is None:
            raise FeedbackError(f"#{record_id} is not merged into another item")
        survivor = item.duplicate_of
        after = store.feedback.update(record_id, duplicate_of=None)
        store.feedback.refresh_demand([survivor, record_id])
    return after


# -- undo ------------------------------------------------------------------------------------


def undo(desk: Desk) -> str | None:
    """Reverse the user's last inbox change (a whole bulk action at once); say what was undone."""
    store = desk.store
    batch = store.history.last_undoable(store.actor, UNDO_TABLES)
    newest = store.history.last_batch(store.actor, UNDO_TABLES)
    if newest is not None and newest != batch:
        # The latest change added items. Undoing the change before it instead would reverse
        # something the user did not mean, and an undo does not remove records.
        added = [
            line.record_id
            for line in store.history.batch_lines(newest)
            if line.table_name == "feedback" and line.field == "*"
        ]
        which = f"#{added[0]}" if len(added) == 1 else counted(len(added), "item")
        raise FeedbackError(
            f"the last change added {which}, and undo does not remove items "
            "(decline it, or merge it into another, if it should go)"
        )
    if batch is None:
        return None
    lines = store.history.batch_lines(batch)
    if forgets_someone(lines):
        raise FeedbackError(
            "the last change forgot a contact, and forgetting cannot be undone "
            "(it erased their address from the feedback that quoted it)"
        )
    with store.write() as undo_batch:
        touched: dict[int, dict[str, Any]] = {}
        for line in reversed(lines):
            if line.field == "*" or line.table_name != "feedback":
                continue
            touched.setdefault(line.record_id, {})[line.field] = _from_history(line.field, line.old)
        for record_id, changes in touched.items():
            store.feedback.update(record_id, **changes)
        items = [store.feedback.get(record_id) for record_id in touched]
        _refresh_deadlines(desk, items)
        # Demand is counted on survivors: the ones items point at again, and the ones they
        # pointed at before (an undone merge leaves its survivor with fewer customers).
        survivors = {item.duplicate_of for item in items if item.duplicate_of}
        merged_into = {int(line.new) for line in lines if line.field == "duplicate_of" and line.new}
        store.feedback.refresh_demand({*touched, *survivors, *merged_into})
        # Closing the loop logged a touch per customer told: undoing it takes them back, or
        # the customers would stay in cooldown for a message the undo says was never sent.
        logged = [
            line.record_id
            for line in lines
            if line.table_name == "touches" and line.field == "*" and line.new == "created"
        ]
        removed = 0
        for touch_id in logged:
            with contextlib.suppress(RecordNotFound):  # already gone: nothing to take back
                store.touches.delete(touch_id)
                removed += 1
        store.history.mark_undone(batch, undo_batch)
    fields = sorted(
        {_UNDO_WORDS.get(line.field, label(line.field)) for line in lines if line.field != "*"}
    )
    said = f"undid {', '.join(fields)} on {counted(len(touched), 'item')}"
    if removed:
        said += f" and removed {counted(removed, 'logged touch', 'logged touches')}"
    return said


_UNDO_WORDS = {
    "duplicate_of": "merge",
    "acknowledged_at": "acknowledgement",
    "decided_at": "decision",
    "loop_closed_at": "loop closed",
}
"""What an undo names for fields whose column names mean nothing to people."""


def _from_history(field_name: str, text: str | None) -> Any:
    """A history text back into a value the model accepts."""
    if text is None:
        return None
    if field_name == "tags":
        return json.loads(text)
    return text


# -- history in words ------------------------------------------------------------------------

HISTORY_VALUE_CHARS = 30
"""How much of one value a history line shows (a title or a body can be long)."""

_HISTORY_FIELDS = {
    "launch_id": "launch",
    "customer_email": "customer",
    "received_at": "received",
}
"""History's names for fields whose column names mean nothing to people."""

_STAMPS = {
    "acknowledged_at": "acknowledged",
    "decided_at": "decided",
    "loop_closed_at": "loop closed",
}
"""Instants that say an event happened: a line reads 'acknowledged' rather than a field."""

_STAMPED_BY = {"acknowledged_by": "acknowledged", "decided_by": "decided"}
"""Who an event's stamp names: 'acknowledged by Hannah Cho'."""


def change_words(
    change: Change, tz: ZoneInfo, launch_titles: Mapping[int, str] | None = None
) -> str:
    """One history line of an item in words: 'owner set to Aisha Khan', 'tags: billing, sso
    → billing, sso, export', 'merged into #12'. The detail showed the stored text, so a
    blank old value read 'owner:  → Aisha Khan' and tags their JSON ('["billing","sso"]').
    The one place an item's history is put in words, for every view that shows it."""
    name = change.field
    if name == "*":
        return one_line(change.new or "changed", HISTORY_VALUE_CHARS)
    if name == "duplicate_of":
        if change.new:
            return f"merged into #{change.new}"
        return f"separated from #{change.old}" if change.old else "separated"
    if name in _STAMPS:
        when = _instant_words(change.new, tz)
        if change.new:
            return f"{_STAMPS[name]} {when}".rstrip()
        return f"{_STAMPS[name]} undone"
    if name in _STAMPED_BY:
        if change.new:
            return f"{_STAMPED_BY[name]} by {one_line(change.new, HISTORY_VALUE_CHARS)}"
        return f"{_STAMPED_BY[name]} by nobody (was {one_line(change.old, HISTORY_VALUE_CHARS)})"
    old = _value_words(name, change.old, tz, launch_titles)
    new = _value_words(name, change.new, tz, launch_titles)
    what = _HISTORY_FIELDS.get(name, label(name))
    if change.old is None and change.new is None:  # a value history does not keep
        return f"{what} changed"
    if not old:
        return f"{what} set to {new}"
    if not new:
        return f"{what} cleared (was {old})"
    return f"{what}: {old} → {new}"


def _value_words(
    name: str, text: str | None, tz: ZoneInfo, launch_titles: Mapping[int, str] | None
) -> str:
    """One stored history value as people read it ('' for none): tags as a list, a launch
    by its title, a priority as P1, statuses and kinds in words."""
    if text is None or text == "":
        return ""
    if name == "tags":
        try:
            tags = json.loads(text)
        except ValueError:
            return one_line(text, HISTORY_VALUE_CHARS)
        return ", ".join(one_line(str(tag), HISTORY_VALUE_CHARS) for tag in tags)
    if name == "launch_id":
        title = (launch_titles or {}).get(int(text)) if text.isdigit() else None
        return one_line(title, HISTORY_VALUE_CHARS) if title else f"#{text}"
    if name == "priority":
        return f"P{text}"
    if name in ("status", "kind"):
        return label(text)
    if name.endswith("_at"):
        return _instant_words(text, tz)
    return one_line(text, HISTORY_VALUE_CHARS)


def _instant_words(text: str | None, tz: ZoneInfo) -> str:
    """A stored ISO instant as a local date and time; anything else as it is."""
    if not text:
        return ""
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError:
        return one_line(text, HISTORY_VALUE_CHARS)
    if instant.tzinfo is None:
        return text
    return local_datetime(instant, tz)


# -- closing the loop ------------------------------------------------------------------------


@dataclass
class LoopResult:
    """Who was told, who could not be (do-not-contact), and whether the loop is now closed."""

    told: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    closed: bool = False


def close_loop(desk: Desk, record_id: int, *, channel: str = "email") -> LoopResult:
    """Tell every customer on a decided item (logged as touches) and stamp the loop closed.

    Do-not-contact customers (and those without consent) are refused and named; they cannot
    be told, so they do not hold the loop open. A customer in a cooldown or over a cap can be
    told later: when nobody could be told now for such a reason, nothing is written and the
    refusal says until when, instead of closing a loop that told no one.
    """
    # The contact rules load here, on first use, not with the inbox's first screen.
    from opsdesk.rules.eligibility import Rule
    from opsdesk.services.contacts import ContactBlocked, log_touch

    store = desk.store
    result = LoopResult()
    waiting: list[str] = []  # refused for now only, each with its reasons
    with store.write():
        item = store.feedback.get(record_id)
        if item.duplicate_of is not None:
            raise FeedbackError(f"#{record_id} is merged into #{item.duplicate_of}: close that one")
        if item.status not in DECIDED_STATUSES:
            raise FeedbackError("decide the item first (planned, declined or done)")
        if item.loop_closed_at is not None:
            raise FeedbackError("the loop on this item is already closed")
        companies = _companies_by_customer(desk, item)
        for email in store.feedback.customers(record_id):
            try:
                log_touch(
                    desk,
                    email,
                    desk.user,
                    TouchPurpose.FEEDBACK_FOLLOW_UP,
                    channel=channel,
                    status=TouchStatus.SENT,
                    feedback_id=record_id,
                    company=companies.get(email),
                )
            except ContactBlocked as blocked:
                reason = "; ".join(r.message for r in blocked.reasons) or str(blocked)
                result.refused.append((email, reason))
                never = {Rule.DO_NOT_CONTACT, Rule.NO_CONSENT}
                if not any(r.rule in never for r in blocked.reasons):
                    waiting.append(f"{email} ({reason})")
                continue
            result.told.append(email)
        if waiting and not result.told:
            raise FeedbackError(
                "nobody could be told yet, so the loop stays open: " + "; ".join(waiting)
            )
        store.feedback.update(record_id, loop_closed_at=desk.now())
        result.closed = True
    return result


def _companies_by_customer(desk: Desk, item: Feedback) -> dict[str, str]:
    """Each customer's company (lower-case address → company) as their own feedback says.

    A customer the ledger does not know yet becomes a contact when told; with every one
    given the company of the item the others were merged into, a customer of Juniper
    Learning who wrote a duplicate was filed under Bramble Bakery. The item's own customer
    comes first, then each duplicate's, oldest first; an item without a company names none.
    """
    found: dict[str, str] = {}
    for source in [item, *desk.store.feedback.duplicates_of(int(item.id or 0))]:
        if source.customer_email and source.company:
            found.setdefault(source.customer_email.lower(), source.company)
    return found


# -- views and themes ------------------------------------------------------------------------


def stored_name(desk: Desk, column: str, typed: str) -> str:
    """How an owner or company typed into a filter is stored ('acme corp' → 'Acme Corp').

    A filter compares whole names, and an ops manager types them from memory: in any case,
    or only part of one. Rather than show an empty inbox, a name that matches no item is
    refused, offering the stored names that hold what was typed.
    """
    typed = typed.strip()
    found = desk.store.feedback.spellings(column, typed)
    if found and found[0].casefold() == typed.casefold():
        return found[0]
    article = "an" if column == "owner" else "a"  # 'an owner', 'a company'
    hint = f"did you mean {either(found)}?" if found else f"no item has {article} {column} like it"
    raise FeedbackError(f"no feedback item has the {column} '{typed}' ({hint})")


def stored_tag(desk: Desk, typed: str) -> str:
    """A tag typed into a filter as items carry it ('Customer Success' → 'customer-success',
    as tags are stored). A tag no item has is refused, offering the tags that hold what was
    typed: filtering by a typo showed an empty inbox as if nothing had that theme."""
    tag = "-".join(typed.lower().split())
    found = desk.store.feedback.tag_spellings(tag)
    if found == [tag]:
        return tag
    hint = f"did you mean {either(found)}?" if found else "no item has a tag like it"
    raise FeedbackError(f"no feedback item has the tag '{tag}' ({hint})")


def view_counts(desk: Desk) -> dict[str, int]:
    return desk.store.feedback.view_counts(now=desk.now(), user=desk.user)


def list_items(
    desk: Desk, filters: FeedbackFilter, sort: str = "received", limit: int = 100
) -> list[Feedback]:
    """The first ``limit`` items of a view (what ``opsdesk feedback list`` prints)."""
    repo = desk.store.feedback
    if sort not in repo.sorts:
        raise FeedbackError(f"unknown sort '{sort}' (use {', '.join(repo.sorts)})")
    if filters.view not in BUILTIN_VIEWS:
        raise FeedbackError(f"unknown view '{filters.view}' (use {', '.join(BUILTIN_VIEWS)})")
    where = repo.where(filters, now=desk.now(), user=desk.user, sort=sort, tz=desk.tz)
    return [row.record for row in repo.window(where, sort, limit=limit)]


def count_items(desk: Desk, filters: FeedbackFilter) -> int:
    """How many items a view holds, as the inbox lists them (merged duplicates left out):
    ``opsdesk feedback list`` says how many its ``--limit`` left off."""
    repo = desk.store.feedback
    return repo.count(repo.where(filters, now=desk.now(), user=desk.user, tz=desk.tz))


def themes(
    desk: Desk, weeks: int = 12, limit: int = 30, *, first_day: dt.date | None = None
) -> list[ThemeRow]:
    """Top themes with a weekly trend over the last ``weeks`` weeks (oldest week first).

    Each week is a seven-day span ending with today, not a calendar week: a calendar week's
    last bar is only the days so far, and made every theme look as if it fell away. A report
    that counts calendar weeks (and says so) passes the Monday they start on as ``first_day``.
    """
    start_day = first_day or desk.today() + dt.timedelta(days=1) - dt.timedelta(weeks=weeks)
    since = dt.datetime.combine(start_day, dt.time(0), tzinfo=desk.tz)
    return desk.store.feedback.themes(since=since, weeks=weeks, limit=limit)
