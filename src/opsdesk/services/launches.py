"""Launch work: create from a tier template, sign off readiness, slip, decide go/no-go.

The TUI and ``opsdesk launches ...`` both call :class:`LaunchService`, so a launch made from
the keyboard and one made by a script get the same checklist, the same due dates and the same
history. Every operation that changes more than one row (a launch and its items, a slip and
the items it moves) is one transaction: it happens whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opsdesk.formatting import counted, words
from opsdesk.models import GoNoGo, Launch, LaunchSlip, ReadinessItem, ReadinessSnapshot
from opsdesk.rules.launch_gates import (
    decision_refusal,
    new_date_refusal,
    slip_date_refusal,
    slip_refusal,
)
from opsdesk.rules.readiness import (
    TemplateItem,
    no_longer_possible,
    schedule_readiness,
    shift_open_items,
)
from opsdesk.rules.risk import (
    Assessment,
    ItemLike,
    LaunchFlags,
    assess,
    blackouts_on,
    collisions,
    snapshot,
    warning_horizon,
    week_of,
)
from opsdesk.services.desk import Desk
from opsdesk.store.base import InvalidRecord, Where, WindowRow
from opsdesk.store.launches import LaunchFilter, RiskWindow
from opsdesk.vocabulary import GoDecision, LaunchStatus, ReadinessState

__all__ = [
    "EDITABLE_FIELDS",
    "LaunchDetail",
    "LaunchRuleError",
    "LaunchService",
    "LaunchView",
    "OwedItem",
    "SlipPreview",
    "SlipResult",
    "resumed",
]

EDITABLE_FIELDS = frozenset({"title", "summary", "owner", "tier", "status", "audience"})
"""What an edit may change; the date changes only by a slip, which asks for a reason."""


class LaunchRuleError(InvalidRecord):
    """An operation the launch rules refuse; ``field`` names the input to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class LaunchView:
    """A launch with everything a row of the list or the timeline shows about it."""

    launch: Launch
    items: tuple[ItemLike, ...]
    """Full ``ReadinessItem`` models from :meth:`LaunchService.view`; light summaries in lists."""
    assessment: Assessment
    flags: LaunchFlags

    @property
    def id(self) -> int:
        return int(self.launch.id or 0)


@dataclass(frozen=True)
class LaunchDetail:
    """One launch in full: its view, its slips, its decisions, and the items a slip made
    impossible that are still open."""

    view: LaunchView
    slips: tuple[LaunchSlip, ...]
    decisions: tuple[GoNoGo, ...]
    impossible_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SlipResult:
    """What a slip did: the slip record, the items it moved, and those now impossible."""

    launch: Launch
    slip: LaunchSlip
    moved: tuple[ReadinessItem, ...]
    impossible: tuple[ReadinessItem, ...]
    not_working: str | None = None
    """'Sun 2027-01-10 is not a working day' when the new date is not one (allowed, said)."""


@dataclass(frozen=True)
class SlipPreview:
    """What moving a launch to ``new_date`` would do, worked out without writing anything.

    The move-date form shows it while the date is typed and ``launches slip --dry-run``
    prints it: a slip re-plans every open item and may land the launch beside another for
    the same audience or in a freeze, and the person moving it should see that before the
    slip is recorded for good (a slip cannot be taken back, only followed by another).
    """

    launch: Launch
    new_date: dt.date
    moved: tuple[tuple[ReadinessItem, ReadinessItem], ...]
    """Each open item whose due date changes: (as it is, as it would be)."""
    impossible: tuple[ReadinessItem, ...]
    """Open items whose new due date has already passed (as they would be)."""
    flags: LaunchFlags
    """Collisions and blackouts on the new date."""
    refusal: str | None = None
    """Why the move would be refused (the launch closed, the date passed), if it would."""
    not_working: str | None = None
    """'Sun 2027-01-10 is not a working day' when the new date is a weekend or holiday of
    ``[calendar]``: a warning, not a refusal (launches sometimes go out on a Sunday)."""

    @property
    def days(self) -> int:
        """How far the launch moves: positive later, negative earlier."""
        return (self.new_date - self.launch.launch_date).days

    def headline(self) -> str:
        """'7 days later than 2026-12-09; marked slipped', or the refusal."""
        if self.refusal:
            return self.refusal
        old = self.launch.launch_date.isoformat()
        direction = "later" if self.days > 0 else "earlier"
        line = f"{counted(abs(self.days), 'day')} {direction} than {old}"
        if self.days > 0 and self.launch.status in (
            LaunchStatus.PLANNED,
            LaunchStatus.IN_PROGRESS,
        ):
            line += "; marked slipped"
        return line

    def lines(self) -> list[str]:
        """What would move and what it would meet, after the headline: a new date that is not
        a working day, how many open items move, each item no longer possible with its new
        due date, then each collision and blackout on the new date."""
        if self.refusal:
            return []
        lines = [self.not_working] if self.not_working else []
        lines.append(f"{counted(len(self.moved), 'open item')} move with it")
        lines.extend(
            f"no longer possible: {words(item.function)} · {item.title} "
            f"(due {item.due_date.isoformat()})"
            for item in self.impossible
        )
        lines.extend(self.flags.sentences())
        return lines


@dataclass(frozen=True)
class OwedItem:
    """A readiness item a function owes, with the launch it is for."""

    item: ReadinessItem
    launch_title: str
    launch_date: dt.date
    overdue: bool = False


@dataclass
class LaunchService:
    """Launch operations for one user, under the config's launch policy, on the desk's clock."""

    desk: Desk

    def __post_init__(self) -> None:
        # The risk sort runs in SQL: tell the repository which day risk is judged on.
        self.store.launches.risk_window = RiskWindow(self.today(), self.horizon())

    @property
    def store(self) -> Any:
        return self.desk.store

    # -- policy ----------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self.desk.today()

    def horizon(self) -> dt.date:
        """The last due date at which an unstarted item counts as a risk today."""
        return warning_horizon(
            self.today(), self.desk.config.launches.warning_days, self.desk.calendar
        )

    def template(self, tier: int) -> list[TemplateItem]:
        """The readiness checklist of ``tier`` from the config (empty if it has none)."""
        lines = self.desk.config.launches.tiers.get(str(tier), [])
        return [
            TemplateItem(line.function, line.item, line.owner_role, line.lead_days)
            for line in lines
        ]

    def functions(self) -> list[str]:
        """Every readiness function: the config's, then any others items already use."""
        known = self.desk.config.launches.functions()
        extra = [name for name in self.store.readiness.functions_in_use() if name not in known]
        return [*known, *extra]

    # -- launches ----------------------------------------------------------------------------

    def create(
        self,
        title: str,
        launch_date: dt.date,
        tier: int,
        *,
        owner: str | None = None,
        summary: str = "",
        audience: str | None = None,
        status: LaunchStatus = LaunchStatus.PLANNED,
    ) -> tuple[Launch, list[ReadinessItem]]:
        """A new launch with its tier's checklist, each item due its lead time before launch.

        A launch still to land dated before today is refused (:func:`new_date_refusal`).
        """
        launch = self.store.launches.validate(
            {
                "title": title,
                "summary": summary or "",
                "owner": _blank_to_none(owner),
                "tier": tier,
                "launch_date": launch_date,
                "status": status,
                "audience": _blank_to_none(audience),
            }
        )
        refusal = new_date_refusal(launch.launch_date, self.today(), launch.status)
        if refusal:
            raise LaunchRuleError("launch_date", refusal)
        items = schedule_readiness(launch_date, self.template(launch.tier), self.desk.calendar)
        with self.store.write():
            saved = self.store.launches.insert(launch)
            with_id = [item.model_copy(update={"launch_id": saved.id}) for item in items]
            ids = self.store.readiness.insert_many(with_id) if with_id else []
        stored = [item.model_copy(update={"id": i}) for item, i in zip(with_id, ids, strict=True)]
        return saved, stored

    def edit(self, launch_id: int, **changes: Any) -> Launch:
        """Change a launch's title, summary, owner, tier, status or audience.

        The launch date is refused here: moving it is a slip, which needs a reason and
        re-plans the readiness items (:meth:`slip`).
        """
        if "launch_date" in changes:
            current = self.store.launches.get(launch_id)
            if changes.pop("launch_date") != current.launch_date:
                raise LaunchRuleError(
                    "launch_date", "moving the launch date is a slip: give a reason for it"
                )
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise LaunchRuleError(sorted(unknown)[0], "cannot be edited on a launch")
        for name in ("owner", "audience"):
            if name in changes:
                changes[name] = _blank_to_none(changes[name])
        if "summary" in changes and changes["summary"] is None:
            changes["summary"] = ""
        return self.store.launches.update(launch_id, **changes)

    def slip(self, launch_id: int, new_date: dt.date, reason: str) -> SlipResult:
        """Move a launch to ``new_date`` for ``reason``, re-planning its open readiness.

        Records the slip (old and new date, who, when, why); keeps the launch's very first
        date as its original date; moves every open item's due date by its lead time from the
        new date (done and not-applicable items keep theirs); and reports the open items whose
        new due date has already passed: they can no longer be done in time. A launch moved
        later is marked slipped; one pulled in keeps its status. A day that has passed is
        refused (:func:`slip_date_refusal`); a weekend or holiday is allowed and named in the
        result's ``not_working``.
        """
        reason = (reason or "").strip()
        if not reason:
            raise LaunchRuleError("reason", "a slip needs a reason")
        with self.store.write():
            launch = self.store.launches.get(launch_id)
            refusal = slip_refusal(launch.status)
            if refusal:
                raise LaunchRuleError("launch_date", refusal)
            old_date = launch.launch_date
            if new_date == old_date:
                raise LaunchRuleError("launch_date", f"the launch is already on {old_date}")
            past = slip_date_refusal(new_date, self.today())
            if past:
                raise LaunchRuleError("launch_date", past)
            items = self.store.readiness.for_launch(launch_id)
            shifted = shift_open_items(items, old_date, new_date, self.desk.calendar)
            moved: list[ReadinessItem] = []
            for before, after in zip(items, shifted, strict=True):
                if after.due_date != before.due_date:
                    moved.append(
                        self.store.readiness.update(int(before.id or 0), due_date=after.due_date)
                    )
            today = self.today()
            impossible = tuple(item for item in shifted if no_longer_possible(item, today))
            changes: dict[str, Any] = {"launch_date": new_date}
            if launch.original_date is None:
                changes["original_date"] = old_date
            if new_date > old_date and launch.status in (
                LaunchStatus.PLANNED,
                LaunchStatus.IN_PROGRESS,
            ):
                changes["status"] = LaunchStatus.SLIPPED
            updated = self.store.launches.update(launch_id, **changes)
            record = self.store.slips.insert(
                LaunchSlip(
                    launch_id=launch_id,
                    at=self.desk.now(),
                    by=self.desk.user,
                    old_date=old_date,
                    new_date=new_date,
                    reason=reason,
                    moved_items=len(moved),
                    impossible_item_ids=[int(item.id or 0) for item in impossible],
                )
            )
        not_working = self.desk.calendar.non_working_note(new_date)
        return SlipResult(updated, record, tuple(moved), impossible, not_working)

    def preview_slip(self, launch_id: int, new_date: dt.date) -> SlipPreview:
        """What :meth:`slip` would do to ``launch_id`` moved to ``new_date``; writes nothing.

        Its refusal is the one :meth:`slip` would raise (a closed launch, a day that has
        passed, the date it already has), so the form can say it before the reason is typed.
        """
        launch = self.store.launches.get(launch_id)
        today = self.today()
        items = self.store.readiness.for_launch(launch_id)
        shifted = shift_open_items(items, launch.launch_date, new_date, self.desk.calendar)
        moved = tuple(
            (before, after)
            for before, after in zip(items, shifted, strict=True)
            if after.due_date != before.due_date
        )
        impossible = tuple(item for item in shifted if no_longer_possible(item, today))
        there = launch.model_copy(update={"launch_date": new_date})
        flags = self.flags([there]).get(launch_id, LaunchFlags())
        refusal = slip_refusal(launch.status) or slip_date_refusal(new_date, today)
        if new_date == launch.launch_date:
            refusal = f"the launch is already on {new_date}"
        not_working = self.desk.calendar.non_working_note(new_date)
        return SlipPreview(launch, new_date, moved, impossible, flags, refusal, not_working)

    def decide(self, launch_id: int, decision: GoDecision | str, note: str = "") -> GoNoGo:
        """Record a go/no-go decision with a snapshot of the launch's readiness right now.

        Refused on a launch that has launched or was cancelled (:func:`decision_refusal`):
        checked here, inside the write, so the TUI, the CLI and a launch closed by another
        process meanwhile all meet the same rule.

        A *go* on a slipped launch puts it back in progress: its status says where it
        stands, and a launch cleared to go on its new date is on its way, no longer
        slipping (it read 'slipped' beside a go). The slip stays where a slip is kept: the
        slips list, the original date and the status's history. A *no-go* changes nothing
        but the record: it says the launch is not ready, not where it now stands.
        """
        try:
            decision = GoDecision(decision)
        except ValueError:
            raise LaunchRuleError("decision", f"'{decision}' is not go or no_go") from None
        with self.store.write():
            view = self.view(launch_id)
            refusal = decision_refusal(view.launch.status)
            if refusal is not None:
                raise LaunchRuleError("decision", refusal)
            record = GoNoGo(
                launch_id=launch_id,
                at=self.desk.now(),
                by=self.desk.user,
                decision=decision,
                note=(note or "").strip(),
                snapshot=self.snapshot(view),
            )
            stored = self.store.decisions.insert(record)
            if decision is GoDecision.GO and view.launch.status is LaunchStatus.SLIPPED:
                self.store.launches.update(launch_id, status=LaunchStatus.IN_PROGRESS)
            return stored

    def snapshot(self, view: LaunchView) -> ReadinessSnapshot:
        items = [item for item in view.items if isinstance(item, ReadinessItem)]
        if len(items) != len(view.items):  # a list's light view: read the full items
            items = self.store.readiness.for_launch(view.id)
        return snapshot(view.launch, items, view.assessment, view.flags)

    # -- readiness items -------------------------------------------------------------------

    def add_item(
        self,
        launch_id: int,
        function: str,
        title: str,
        lead_days: int,
        *,
        owner: str | None = None,
        owner_role: str | None = None,
    ) -> ReadinessItem:
        """Add an item to one launch, due ``lead_days`` working days before its date."""
        launch = self.store.launches.get(launch_id)
        function = (function or "").strip().lower().replace(" ", "_")
        if lead_days is None or lead_days < 0:
            raise LaunchRuleError("lead_days", "the lead time is 0 or more working days")
        due = self.desk.calendar.subtract_working_days(launch.launch_date, lead_days)
        item = self.store.readiness.validate(
            {
                "launch_id": launch_id,
                "function": function,
                "title": title,
                "owner": _blank_to_none(owner),
                "owner_role": _blank_to_none(owner_role),
                "lead_days": lead_days,
                "due_date": due,
            }
        )
        return self.store.readiness.insert(item)

    def remove_item(self, item_id: int) -> ReadinessItem:
        """Remove an item from its launch (its record stays in history)."""
        return self.store.readiness.delete(item_id)

    def reown_item(self, item_id: int, owner: str | None) -> ReadinessItem:
        """Give an item to someone else (or to nobody: ``None``)."""
        return self.store.readiness.update(item_id, owner=_blank_to_none(owner))

    def set_item_state(
        self, item_id: int, state: ReadinessState | str, evidence: str | None = None
    ) -> ReadinessItem:
        """Move an item to ``state``.

        Done needs evidence (a link or a note) and records who signed off and when. Leaving
        done clears the sign-off and its evidence (history keeps both). For other states,
        ``evidence`` is an optional note (e.g. what an item is blocked on) that replaces the
        old one; leaving blocked without a new note clears what it was blocked on, which no
        longer holds (and would otherwise read as evidence in a go/no-go snapshot).
        """
        try:
            state = ReadinessState(state)
        except ValueError:
            names = ", ".join(s.value for s in ReadinessState)
            raise LaunchRuleError("state", f"'{state}' is not one of {names}") from None
        evidence = (evidence or "").strip() or None
        item = self.store.readiness.get(item_id)
        changes: dict[str, Any] = {"state": state}
        if state == ReadinessState.DONE:
            if evidence is None:
                raise LaunchRuleError(
                    "evidence", "signing off needs evidence: a link or a note saying what was done"
                )
            changes |= {
                "evidence": evidence,
                "signed_off_by": self.desk.user,
                "signed_off_at": self.desk.now(),
            }
        else:
            if item.state == ReadinessState.DONE:
                changes |= {"signed_off_by": None, "signed_off_at": None, "evidence": None}
            elif item.state == ReadinessState.BLOCKED and state != ReadinessState.BLOCKED:
                changes["evidence"] = None
            if evidence is not None:
                changes["evidence"] = evidence
        return self.store.readiness.update(item_id, **changes)

    # -- reading -----------------------------------------------------------------------------

    def view(self, launch_id: int) -> LaunchView:
        """One launch with its complete readiness items."""
        launch = self.store.launches.get(launch_id)
        return self.views([launch], full=True)[0]

    def views(self, launches: Sequence[Launch], *, full: bool = False) -> list[LaunchView]:
        """Readiness, risks and flags of several launches, with one query per kind of data.

        Items come as light :class:`~opsdesk.store.launches.ItemSummary` records unless
        ``full`` asks for complete ``ReadinessItem`` models (evidence, sign-off and all).
        """
        if not launches:
            return []
        ids = [int(launch.id or 0) for launch in launches]
        items: dict[int, list[Any]] = (
            dict(self.store.readiness.for_launches(ids))
            if full
            else dict(self.store.readiness.summaries(ids))
        )
        flags = self.flags(launches)
        today, horizon = self.today(), self.horizon()
        return [
            LaunchView(
                launch,
                tuple(items.get(int(launch.id or 0), [])),
                assess(launch, items.get(int(launch.id or 0), []), today, horizon),
                flags.get(int(launch.id or 0), LaunchFlags()),
            )
            for launch in launches
        ]

    def flags(self, launches: Sequence[Launch]) -> dict[int, LaunchFlags]:
        """Collisions (same week, same audience) and blackouts of ``launches``.

        Only the weeks those launches land in are read, so this costs the same for the ten
        launches on screen whether the database holds a hundred or a hundred thousand.
        """
        if not launches:
            return {}
        first = week_of(min(launch.launch_date for launch in launches))
        last = week_of(max(launch.launch_date for launch in launches)) + dt.timedelta(days=6)
        nearby = {int(n.id or 0): n for n in self.store.launches.landing_between(first, last)}
        for launch in launches:
            nearby[int(launch.id or 0)] = launch
        clashes = collisions(nearby.values())
        blackouts = self.desk.config.launches.blackouts
        found: dict[int, LaunchFlags] = {}
        for launch in launches:
            launch_id = int(launch.id or 0)
            frozen: list[str] = []
            if launch.status != LaunchStatus.CANCELLED:
                frozen = blackouts_on(launch.launch_date, blackouts)
            found[launch_id] = LaunchFlags(tuple(clashes.get(launch_id, [])), tuple(frozen))
        return found

    def detail(self, launch_id: int) -> LaunchDetail:
        """Everything about one launch, for its detail screen and ``launches show``."""
        view = self.view(launch_id)
        slips = tuple(self.store.slips.for_launch(launch_id))
        decisions = tuple(self.store.decisions.for_launch(launch_id))
        impossible: frozenset[int] = frozenset()
        if slips:
            today = self.today()
            late = {int(i.id or 0) for i in view.items if no_longer_possible(i, today)}
            impossible = frozenset(set(slips[-1].impossible_item_ids) & late)
        return LaunchDetail(view, slips, decisions, impossible)

    def decorate(self, rows: Sequence[WindowRow[Launch]]) -> list[WindowRow[Launch]]:
        """Attach each listed launch's :class:`LaunchView` as ``extra['view']``."""
        views = self.views([row.record for row in rows])
        return [
            WindowRow(row.record, row.key, {**row.extra, "view": view})
            for row, view in zip(rows, views, strict=True)
        ]

    def list_where(self, text: str = "", *, include_closed: bool = True) -> Where:
        return self.store.launches.where(LaunchFilter(text=text, include_closed=include_closed))

    def landed_before_today(self, text: str = "") -> int:
        """How many launches of the list (titles holding ``text``) are dated before today:
        the list by date reaches today's launches after that many rows."""
        where = self.list_where(text).and_("launch_date < ?", self.today().isoformat())
        return int(self.store.launches.count(where))

    def all_views(self, sort: str = "date", *, include_closed: bool = True) -> list[LaunchView]:
        """Every launch in ``sort`` order, read a page at a time (for the command line)."""
        where = self.list_where(include_closed=include_closed)
        views: list[LaunchView] = []
        after: tuple[Any, ...] | None = None
        while True:
            rows = self.store.launches.window(where, sort, limit=500, after=after)
            if not rows:
                return views
            views.extend(self.views([row.record for row in rows]))
            after = rows[-1].key

    # -- timeline ----------------------------------------------------------------------------

    def timeline_where(self, start: dt.date, end: dt.date, text: str = "") -> Where:
        """Launches whose readiness span meets ``start``..``end`` (and whose title holds
        ``text``); cancelled ones are left off."""
        return self.store.launches.where(
            LaunchFilter(text=text, period=(start, end), include_cancelled=False)
        )

    # -- by function -------------------------------------------------------------------------

    def owed_until(self, weeks: int) -> dt.date:
        """The last due date in 'the next ``weeks`` weeks' from today."""
        if weeks < 1:
            raise LaunchRuleError("weeks", "look ahead at least one week")
        return self.today() + dt.timedelta(weeks=weeks)

    def owed_where(self, function: str, weeks: int) -> Where:
        """The owed items' query; a function nobody has is refused, not answered with an
        empty list ('secruity owes 0 items' reads as nothing owed)."""
        known = self.functions()
        if function not in known:
            raise LaunchRuleError(
                "function", f"'{function}' is not a readiness function ({', '.join(known)})"
            )
        return self.store.readiness.owed_where(function, self.owed_until(weeks))

    def owed(self, function: str, weeks: int) -> list[OwedItem]:
        """Everything ``function`` owes launches to come in the next ``weeks`` weeks,
        overdue work first, by due date."""
        where = self.owed_where(function, weeks)
        today = self.today()
        found: list[OwedItem] = []
        after: tuple[Any, ...] | None = None
        extra = self.store.readiness.OWED_COLUMNS
        while True:
            rows = self.store.readiness.window(
                where, "due", limit=500, after=after, extra_columns=extra
            )
            if not rows:
                return found
            for row in rows:
                found.append(
                    OwedItem(
                        row.record,
                        str(row.extra["launch_title"]),
                        dt.date.fromisoformat(str(row.extra["launch_date"])),
                        row.record.due_date < today,
                    )
                )
            after = rows[-1].key


def resumed(record: GoNoGo) -> bool:
    """Whether a decision put a slipped launch back in progress (:meth:`LaunchService.decide`),
    so the CLI and the app can say so: the snapshot keeps the status it was taken at."""
    return record.decision is GoDecision.GO and record.snapshot.status is LaunchStatus.SLIPPED


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None
