"""What the launch pane and the launch screen both do: the forms behind each key, and how a
launch's details read.

Each action asks with the shared dialogs (a form, a picker, a confirmation), then calls the
:class:`~opsdesk.services.launches.LaunchService`; a refusal from the rules (no evidence, no
reason) comes back as a message under the field, and any other failure as a notification.
Nothing here builds SQL or decides policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import App
from textual.widgets import Static

from opsdesk.formatting import counted, day, local_date, local_datetime, relative_day, words
from opsdesk.models import ReadinessItem
from opsdesk.rules.launch_gates import decision_refusal, new_date_refusal, slip_refusal
from opsdesk.rules.risk import RISK_WORDS, RiskKind
from opsdesk.services.launches import (
    EDITABLE_FIELDS,
    LaunchDetail,
    LaunchService,
    LaunchView,
    SlipPreview,
    resumed,
)
from opsdesk.store import InvalidRecord, RecordNotFound, StoreError
from opsdesk.text import one_line, preview, visible
from opsdesk.tui.screens.dialogs import ConfirmScreen, FormField, FormScreen, PickerScreen
from opsdesk.vocabulary import GoDecision, LaunchStatus, ReadinessState

STATE_STYLE = {
    ReadinessState.DONE: "green",
    ReadinessState.NOT_APPLICABLE: "dim",
    ReadinessState.BLOCKED: "bold red",
    ReadinessState.IN_PROGRESS: "yellow",
    ReadinessState.TODO: "",
}
TIER_CHOICES = [
    ("1 · big launch, long lead times", 1),
    ("2 · standard launch", 2),
    ("3 · quiet launch", 3),
]
STATUS_CHOICES = [(words(status), status.value) for status in LaunchStatus]
STATE_CHOICES = [(words(state), state.value) for state in ReadinessState]
DECISION_CHOICES = [("Go", GoDecision.GO.value), ("No go", GoDecision.NO_GO.value)]

Done = Callable[[int | None], None]
FoundT = TypeVar("FoundT")
"""Called after a change with the id of the launch it touched (None when nothing changed)."""


def field_errors(error: InvalidRecord, fields: set[str], fallback: str) -> dict[str, str]:
    """A refusal as messages under the form's fields ('evidence: ...' goes under evidence)."""
    errors: dict[str, str] = {}
    for part in str(error).split("; "):
        name, sep, message = part.partition(": ")
        target = name if sep and name in fields else fallback
        errors[target] = message if sep and name in fields else part
    return errors


class LaunchActions:
    """The launch forms, bound to one app and service; ``done`` refreshes what is shown."""

    def __init__(self, app: App[Any], service: LaunchService, done: Done) -> None:
        self.app = app
        self.service = service
        self.done = done

    def _fail(self, error: Exception) -> None:
        self.app.notify(visible(str(error)), severity="error", title="Not saved", markup=False)

    def _form(
        self,
        title: str,
        fields: list[FormField],
        after: Callable[[dict[str, Any] | None], None],
        **options: Any,
    ) -> None:
        """Open a form dated from the service's clock; ``after`` gets the values (None if
        cancelled). ``options`` go to :class:`FormScreen` (validate, submit_label)."""
        self.app.push_screen(
            FormScreen(title, fields, today=self.service.today(), **options), after
        )

    def _found(self, get: Callable[[int], FoundT], record_id: int) -> FoundT | None:
        """The record ``get`` finds, or None after saying it is gone (someone deleted it)."""
        try:
            return get(record_id)
        except RecordNotFound as error:
            self._fail(error)
            return None

    # -- launches --------------------------------------------------------------------------

    def new_launch(self) -> None:
        fields = [
            FormField("title", "Title", required=True),
            FormField("launch_date", "Launch date", "date", required=True),
            FormField("tier", "Tier", "choice", TIER_CHOICES, required=True, initial=2),
            FormField("owner", "Owner", placeholder="the PM who owns it"),
            FormField("audience", "Audience", placeholder="all, enterprise, mid-market, smb…"),
            FormField("summary", "Summary", "multiline"),
        ]

        def validate(values: dict[str, Any]) -> dict[str, str]:
            try:
                self.service.store.launches.validate(
                    {
                        "title": values.get("title") or "",
                        "launch_date": values.get("launch_date"),
                        "tier": values.get("tier") or 2,
                        "owner": values.get("owner"),
                        "audience": values.get("audience"),
                    }
                )
            except InvalidRecord as error:
                return field_errors(error, {f.name for f in fields}, "title")
            launch_date = values.get("launch_date")
            if isinstance(launch_date, dt.date):
                refusal = new_date_refusal(launch_date, self.service.today(), LaunchStatus.PLANNED)
                if refusal:
                    return {"launch_date": refusal}
            return {}

        def save(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                launch, items = self.service.create(
                    values["title"],
                    values["launch_date"],
                    int(values["tier"]),
                    owner=values.get("owner"),
                    audience=values.get("audience"),
                    summary=values.get("summary") or "",
                )
            except (InvalidRecord, StoreError) as error:
                self._fail(error)
                return
            self.app.notify(
                f"Added with {counted(len(items), 'readiness item')} from the tier "
                f"{launch.tier} checklist.",
                title=one_line(launch.title, 60),
                markup=False,
            )
            self.done(launch.id)

        self._form("New launch", fields, save, validate=validate)

    def edit_launch(self, launch_id: int) -> None:
        launch = self._found(self.service.store.launches.get, launch_id)
        if launch is None:
            return
        fields = [
            FormField("title", "Title", required=True, initial=launch.title),
            FormField("tier", "Tier", "choice", TIER_CHOICES, required=True, initial=launch.tier),
            FormField(
                "status",
                "Status",
                "choice",
                STATUS_CHOICES,
                required=True,
                initial=launch.status.value,
            ),
            FormField("owner", "Owner", initial=launch.owner),
            FormField("audience", "Audience", initial=launch.audience),
            FormField("summary", "Summary", "multiline", initial=launch.summary),
        ]
        names = {f.name for f in fields}

        def validate(values: dict[str, Any]) -> dict[str, str]:
            data = launch.model_dump() | {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
            data["summary"] = data.get("summary") or ""
            try:
                self.service.store.launches.validate(data)
            except InvalidRecord as error:
                return field_errors(error, names, "title")
            return {}

        def save(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                self.service.edit(launch_id, **values)
            except (InvalidRecord, RecordNotFound, StoreError) as error:
                self._fail(error)
                return
            self.done(launch_id)

        title = f"Edit launch · {one_line(launch.title, 50)} (date: d moves it)"
        self._form(title, fields, save, validate=validate)

    def slip_launch(self, launch_id: int) -> None:
        launch = self._found(self.service.store.launches.get, launch_id)
        if launch is None:
            return
        refusal = slip_refusal(launch.status)
        if refusal:
            self.app.notify(f"{refusal[0].upper()}{refusal[1:]}.", severity="warning", markup=False)
            return
        now = launch.launch_date
        fields = [
            FormField(
                "launch_date",
                "New launch date",
                "date",
                required=True,
                initial=launch.launch_date,
                help=f"now {now:%a} {day(now)}; +1w is a week later; open items move with it",
                offsets_from=now,
            ),
            FormField("reason", "Reason", required=True, placeholder="why the date moves"),
        ]
        result: dict[str, Any] = {}
        shown: dict[str, Any] = {}

        def preview(form: FormScreen, values: dict[str, Any]) -> None:
            """Beside the form, what the date typed so far would move and meet."""
            new_date = values.get("launch_date")
            if new_date == shown.get("date"):
                return  # typing the reason: the same picture
            shown["date"] = new_date
            if not isinstance(new_date, dt.date) or new_date == launch.launch_date:
                form.set_aside("")
                return
            try:
                form.set_aside(slip_preview_text(self.service.preview_slip(launch_id, new_date)))
            except (RecordNotFound, StoreError):
                form.set_aside("")

        def validate(values: dict[str, Any]) -> dict[str, str]:
            if values.get("launch_date") == launch.launch_date:
                return {"launch_date": "that is already the launch date"}
            try:
                result["slip"] = self.service.slip(
                    launch_id, values["launch_date"], values.get("reason") or ""
                )
            except InvalidRecord as error:
                return field_errors(error, {"launch_date", "reason"}, "reason")
            except (RecordNotFound, StoreError) as error:
                return {"reason": str(error)}
            return {}

        def saved(values: dict[str, Any] | None) -> None:
            slip = result.get("slip")
            if values is None or slip is None:
                return
            message = (
                f"Moved {day(slip.slip.old_date)} → {day(slip.slip.new_date)}; "
                f"{counted(len(slip.moved), 'open item')} re-planned."
            )
            if slip.not_working:
                message += f" {slip.not_working}."
            if slip.impossible:
                message += f" {len(slip.impossible)} can no longer be done in time: " + ", ".join(
                    words(item.function) for item in slip.impossible
                )
            self.app.notify(
                message,
                title=one_line(launch.title, 60),
                severity="warning" if slip.impossible else "information",
                timeout=8,
                markup=False,
            )
            self.done(launch_id)

        title = f"Move launch date · {one_line(launch.title, 50)}"
        self._form(title, fields, saved, validate=validate, on_change=preview, submit_label="Move")

    def go_no_go(self, launch_id: int) -> None:
        """Ask for a go/no-go on a launch still to land; a launched or cancelled one is
        refused before the form opens (the service refuses it too, for a launch closed by
        someone else while the form was open)."""
        view = self._found(self.service.view, launch_id)
        if view is None:
            return
        refusal = decision_refusal(view.launch.status)
        if refusal is not None:
            self.app.notify(
                refusal[:1].upper() + refusal[1:] + ".",
                title=one_line(view.launch.title, 60),
                severity="warning",
                markup=False,
            )
            return
        state = decision_state(view)
        fields = [
            FormField(
                "decision",
                "Decision",
                "choice",
                DECISION_CHOICES,
                required=True,
                help=f"readiness now: {state} (kept with the decision)",
            ),
            FormField("note", "Note", "multiline", placeholder="what it rests on, conditions"),
        ]

        def save(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                record = self.service.decide(
                    launch_id, values["decision"], values.get("note") or ""
                )
            except (InvalidRecord, RecordNotFound, StoreError) as error:
                self._fail(error)
                return
            back = " It had slipped: it is in progress again." if resumed(record) else ""
            self.app.notify(
                f"{words(record.decision).capitalize()} recorded at {state}.{back}",
                title=one_line(view.launch.title, 60),
                markup=False,
            )
            self.done(launch_id)

        title = f"Go/no-go · {one_line(view.launch.title, 50)}"
        form = FormScreen(title, fields, today=self.service.today(), submit_label="Record")
        self.app.push_screen(form, save)
        risks = decision_risks(view)
        if risks.plain:  # named under the fields, where the decision is made
            form.call_later(_show_risks, form, risks)

    # -- readiness items ---------------------------------------------------------------------

    def set_state(self, item_id: int) -> None:
        """Pick the item's state from a list that ticks the one it has (the cursor starts
        there). Picking that same state again changes nothing, except done (signs off again)
        and blocked (asks anew what it waits for)."""
        item = self._found(self.service.store.readiness.get, item_id)
        if item is None:
            return
        name = one_line(item.title, 60)
        current = ReadinessState(item.state).value

        def chosen(state: str | None) -> None:
            if state is None:
                return
            if state == current and state not in (
                ReadinessState.DONE.value,
                ReadinessState.BLOCKED.value,
            ):
                return
            if state == ReadinessState.DONE.value:
                self.sign_off(item_id, again=True)
            elif state == ReadinessState.BLOCKED.value:
                self._blocked(item_id, name)
            else:
                self._apply_state(item_id, state, None)

        picker = PickerScreen(f"Set the state of {name}", STATE_CHOICES, current=current)
        self.app.push_screen(picker, chosen)

    def _apply_state(self, item_id: int, state: str, note: str | None) -> None:
        try:
            item = self.service.set_item_state(item_id, state, note)
        except (InvalidRecord, RecordNotFound, StoreError) as error:
            self._fail(error)
            return
        self.done(item.launch_id)

    def _blocked(self, item_id: int, name: str) -> None:
        """A blocked item says what it waits for: that is what the launch owner chases."""
        fields = [
            FormField(
                "evidence", "Blocked on", required=True, placeholder="what it waits for, and who"
            )
        ]

        def save(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._apply_state(item_id, ReadinessState.BLOCKED.value, values.get("evidence"))

        self._form(f"Blocked · {name}", fields, save, submit_label="Block")

    def sign_off(self, item_id: int, *, again: bool = False) -> None:
        """Mark an item done: evidence is required, the sign-off is stamped with user and time.

        An item already done is not signed off over by ``space`` (a stray key put the
        manager's name and a new note over the sign-off of the person who did the work):
        it says who signed it off and when. Choosing done for it from ``x`` (``again``) opens
        the form with its evidence, to correct the note or the link.
        """
        item = self._found(self.service.store.readiness.get, item_id)
        if item is None:
            return
        signed = self._signed(item)
        if item.state == ReadinessState.DONE and not again:
            self.app.notify(
                f"Already signed off{signed}. x sets another state (or signs it off again).",
                title=one_line(item.title, 60),
                markup=False,
            )
            return
        help_text = f"signed off by {self.service.desk.user}, now"
        if item.state == ReadinessState.DONE and signed:
            help_text += f" (was{signed})"
        fields = [
            FormField(
                "evidence",
                "Evidence",
                required=True,
                initial=item.evidence if item.state == ReadinessState.DONE else None,
                placeholder="a link (https://…) or a note saying what was done",
                help=help_text,
            )
        ]
        saved: dict[str, Any] = {}

        def validate(values: dict[str, Any]) -> dict[str, str]:
            try:
                saved["item"] = self.service.set_item_state(
                    item_id, ReadinessState.DONE, values.get("evidence")
                )
            except InvalidRecord as error:
                return field_errors(error, {"evidence"}, "evidence")
            except (RecordNotFound, StoreError) as error:
                return {"evidence": str(error)}
            return {}

        def after(values: dict[str, Any] | None) -> None:
            if values is not None and "item" in saved:
                self.done(item.launch_id)

        title = f"Sign off · {words(item.function)} · {one_line(item.title, 50)}"
        self._form(title, fields, after, validate=validate, submit_label="Sign off")

    def _signed(self, item: ReadinessItem) -> str:
        """' by Rafael Ortiz on 2026-11-11', or what of it is known ('' for neither)."""
        who = f" by {one_line(item.signed_off_by, 40)}" if item.signed_off_by else ""
        when = local_date(item.signed_off_at, self.service.desk.tz)
        return who + (f" on {when}" if when else "")

    def add_item(self, launch_id: int) -> None:
        functions = [(words(name), name) for name in self.service.functions()]
        fields = [
            FormField("function", "Function", "choice", functions, required=True),
            FormField("title", "Item", required=True, placeholder="what must be ready"),
            FormField(
                "lead_days",
                "Lead time",
                "int",
                required=True,
                initial=5,
                help="Working days before the launch that it is due.",
            ),
            FormField("owner", "Owner"),
        ]
        created: dict[str, Any] = {}

        def validate(values: dict[str, Any]) -> dict[str, str]:
            try:
                created["item"] = self.service.add_item(
                    launch_id,
                    values.get("function") or "",
                    values.get("title") or "",
                    values.get("lead_days") if values.get("lead_days") is not None else -1,
                    owner=values.get("owner"),
                )
            except InvalidRecord as error:
                return field_errors(error, {f.name for f in fields}, "title")
            except (RecordNotFound, StoreError) as error:
                return {"title": str(error)}
            return {}

        def after(values: dict[str, Any] | None) -> None:
            if values is not None and "item" in created:
                self.done(launch_id)

        self._form("Add a readiness item", fields, after, validate=validate, submit_label="Add")

    def reown(self, item_id: int) -> None:
        item = self._found(self.service.store.readiness.get, item_id)
        if item is None:
            return
        fields = [
            FormField(
                "owner",
                "Owner",
                initial=item.owner,
                help=f"role: {item.owner_role}" if item.owner_role else "empty: nobody",
            )
        ]

        def save(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                self.service.reown_item(item_id, values.get("owner"))
            except (InvalidRecord, RecordNotFound, StoreError) as error:
                self._fail(error)
                return
            self.done(item.launch_id)

        title = f"Re-own · {words(item.function)} · {one_line(item.title, 50)}"
        self._form(title, fields, save)

    def remove_item(self, item_id: int) -> None:
        item = self._found(self.service.store.readiness.get, item_id)
        if item is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.service.remove_item(item_id)
            except (RecordNotFound, StoreError) as error:
                self._fail(error)
                return
            self.done(item.launch_id)

        question = f"Remove '{one_line(item.title, 60)}' ({words(item.function)}) from this launch?"
        self.app.push_screen(ConfirmScreen(question, "Remove"), answer)


# -- how a launch reads -----------------------------------------------------------------------


def slip_preview_text(preview: SlipPreview) -> Text:
    """The move-date form's aside: how far the launch moves, how many open items move with
    it, the functions whose items could no longer be done in time (red) and what the new
    date lands on or beside (a weekend or holiday, a collision or a blackout, yellow); a
    refused date says why (red).

    One line per kind, not per item: the aside shares an 80x24 dialog with the fields, and
    seven lines of items pushed the reason field out of sight.
    """
    text = Text()
    text.append(preview.headline(), style="bold red" if preview.refusal else "bold")
    if preview.refusal:
        return text
    if preview.not_working:
        text.append(f"\n{preview.not_working}", style="yellow")
    text.append(f"\n{counted(len(preview.moved), 'open item')} move with it")
    if preview.impossible:
        late = ", ".join(dict.fromkeys(words(item.function) for item in preview.impossible))
        text.append(f"\nno longer possible in time: {late}", style="red")
    for sentence in preview.flags.sentences():
        text.append("\n")
        text.append(visible(sentence), style="yellow")
    return text


def decision_state(view: LaunchView) -> str:
    """Where a launch stands as a go/no-go is taken, in the form's words: '60% ready, 1
    risk', with its flags named.

    A launch landing the same week as another for the same audience, or inside a
    blackout, read 'no risks' here: the readiness risks were counted, the flags the
    timeline shows (and the decision's snapshot keeps) were not.
    """
    assessment = view.assessment
    risks = len(assessment.risks)
    words_now = [f"{assessment.cell()} ready", counted(risks, "risk") if risks else "no risks"]
    flags = view.flags
    if flags.collisions:
        others = ", ".join(one_line(other.title, 40) for other in flags.collisions[:2])
        more = len(flags.collisions) - 2
        others += f" and {more} more" if more > 0 else ""
        words_now.append(f"same week, same audience as {others}")
    for name in flags.blackouts:
        words_now.append(f"inside the blackout {one_line(name, 40)}")
    state = ", ".join(words_now[:2])
    if len(words_now) > 2:
        state += ("; but " if not risks else "; ") + "; ".join(words_now[2:])
    return state


DECISION_RISKS_SHOWN = 5
"""Risk lines the go/no-go form lists before counting the rest ('+2 more risks')."""


def decision_risks(view: LaunchView) -> Text:
    """The launch's risks for the go/no-go form, one short line each, most urgent first:
    'security · Security review: blocked (due 18 Nov) — Ben Sørensen'.

    The form said '4 risks' without naming them, so a go was decided without the risks in
    view (they sat in the panel the form covers). Each risk stays on one line, cut with
    '…' at the form's edge rather than wrapped, so at 80x24 the note field keeps its room;
    past :data:`DECISION_RISKS_SHOWN` the rest are counted. Empty when there are none.
    """
    risks = view.assessment.risks
    text = Text(no_wrap=True, overflow="ellipsis")
    for index, risk in enumerate(risks[:DECISION_RISKS_SHOWN]):
        item = risk.item
        style = "yellow" if risk.kind == RiskKind.NOT_STARTED else "red"
        if index:
            text.append("\n")
        text.append(f"{words(item.function)} · {one_line(item.title, 40)}: ")
        text.append(f"{RISK_WORDS[risk.kind]}", style=style)
        text.append(f" (due {item.due_date:%d %b})")
        owner = getattr(item, "owner", None)
        if owner:
            text.append(f" — {one_line(owner, 30)}")
    hidden = len(risks) - DECISION_RISKS_SHOWN
    if hidden > 0:
        text.append(f"\n+{counted(hidden, 'more risk')} (the launch's screen lists them all)")
    return text


def _show_risks(form: FormScreen, risks: Text) -> None:
    """``risks`` under the go/no-go form's fields, each on one line cut with '…' at the
    edge: wrapped, four risks took eight lines at 80x24 and pushed the note out of view."""
    aside = form.query_one("#form-aside", Static)
    aside.styles.text_wrap = "nowrap"
    aside.styles.text_overflow = "ellipsis"
    form.set_aside(risks)


def _hanging(text: Text, indent: int, head: Text | str = "") -> RenderableType:
    """``head`` (a bullet, a date) then ``text``, whose wrapped lines start ``indent`` cells
    in, under the text's first character rather than at the panel's edge.

    The panel is narrow, so a risk, a slip's reason or an item's state often wraps; written
    as one Text with leading spaces, the wrapped lines began at the edge, under the
    headings, and read as new entries.
    """
    head = Text(head) if isinstance(head, str) else head
    if not head:
        return Padding(text, (0, 0, 0, indent))
    grid = Table.grid()
    grid.add_column(width=indent, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(head, text)
    return grid


def detail_renderable(
    detail: LaunchDetail,
    today: dt.date,
    *,
    items: bool = True,
    tz: ZoneInfo | None = None,
) -> RenderableType:
    """A launch's facts, readiness, risks, flags, slips and decisions, user text literal.

    Instants (when a slip or a decision was recorded) are shown in ``tz``, the user's time
    zone (UTC when not given), like every other time in the app.
    """
    zone = tz or ZoneInfo("UTC")
    view = detail.view
    launch = view.launch
    assessment = view.assessment
    parts: list[RenderableType] = []
    text = Text()
    text.append(visible(launch.title) + "\n", style="bold underline")

    def fact(name: str, value: str, style: str = "") -> None:
        text.append(f"{name}: ", style="bold")
        text.append(value + "\n", style=style)

    # One way to write a date in the whole detail: ISO, as its items, risks and records are
    # written ('Originally: 2026-11-28' sat above a slip '28 Nov → 04 Dec 2026').
    when = launch.launch_date
    fact("Launch", f"{when:%a} {day(when)} ({relative_day(when, today)})")
    if launch.original_date and launch.original_date != launch.launch_date:
        fact("Originally", day(launch.original_date))
    fact("Status", f"{words(launch.status)} · tier {launch.tier}")
    if launch.owner:
        fact("Owner", one_line(launch.owner, 60))
    if launch.audience:
        fact("Audience", one_line(launch.audience, 60))
    fact("Readiness", assessment.words(), "green" if assessment.complete else "")
    if assessment.risks:
        text.append(f"At risk: {len(assessment.risks)}", style="bold red")
    text.rstrip()
    parts.append(text)
    for risk in assessment.risks:
        # Each risk names who to chase: the item's owner, when it has one.
        style = "red" if risk.kind.value != "not_started" else "yellow"
        line = Text(one_line(risk.sentence(), 200), style=style)
        owner = getattr(risk.item, "owner", None)
        if owner:
            line.append(f" — {one_line(owner, 40)}")
        parts.append(_hanging(line, 4, "  • "))
    for collision in view.flags.collisions:
        flag = Text("× ", style="bold red")
        flag.append(
            f"same week, same audience: {one_line(collision.title, 60)} "
            f"({collision.launch_date:%a} {day(collision.launch_date)})"
        )
        parts.append(flag)
    for name in view.flags.blackouts:
        flag = Text("░ ", style="bold red")
        flag.append(f"inside the blackout {one_line(name, 60)}")
        parts.append(flag)
    parts.append(Text(""))
    if launch.summary:
        parts.extend([Text(preview(launch.summary)), Text("")])
    if items:
        parts.append(items_text(detail, today))
    if detail.slips:
        parts.append(Text("Slips", style="bold"))
        for slip in detail.slips:
            line = Text(f"{day(slip.old_date)} → {day(slip.new_date)}", style="yellow")
            line.append(f" · {one_line(slip.by, 30)} {local_date(slip.at, zone)}")
            parts.append(_hanging(line, 2))
            parts.append(_hanging(Text(one_line(slip.reason, 200), style="italic"), 4))
    if detail.decisions:
        parts.append(Text("Go/no-go", style="bold"))
        for decision in reversed(detail.decisions):
            style = "bold green" if decision.decision == GoDecision.GO else "bold red"
            line = Text(words(decision.decision).upper(), style=style)
            snap = decision.snapshot
            shown = "–" if snap.percent is None else f"{snap.percent}%"
            line.append(
                f" · {one_line(decision.by, 30)} {local_datetime(decision.at, zone)}"
                f" · {shown} ready"
                f"{', ' + counted(len(snap.risks), 'risk') if snap.risks else ''}"
            )
            parts.append(_hanging(line, 2))
            if decision.note:
                parts.append(_hanging(Text(one_line(decision.note, 200), style="italic"), 4))
    return Group(*parts)


def items_text(detail: LaunchDetail, today: dt.date) -> RenderableType:
    """The readiness checklist, two lines an item: date, function, state; title and owner
    (indented under the date, wrapped lines too)."""
    risks = detail.view.assessment.risk_by_item()
    parts: list[RenderableType] = [Text("Readiness", style="bold")]
    if not detail.view.items:
        parts.append(Text("No readiness items.", style="italic"))
    for item in detail.view.items:
        item_id = int(item.id or 0)
        kind = risks.get(item_id)
        late = kind is not None and kind.value in ("overdue", "blocked")
        due = Text(day(item.due_date), style="bold red" if late else "")
        line = Text(f"{words(item.function)} · ")
        line.append(words(item.state), style=STATE_STYLE.get(item.state, ""))
        if item_id in detail.impossible_ids:
            line.append(" · no longer possible", style="bold red")
        elif kind is not None and kind.value != "blocked":
            line.append(f" · {RISK_WORDS[kind]}", style="red" if late else "yellow")
        parts.append(_hanging(line, 12, due))
        title = Text(one_line(item.title, 80))
        if item.owner:
            title.append(f" — {one_line(item.owner, 40)}", style="dim")
        parts.append(_hanging(title, 4))
    parts.append(Text(""))
    return Group(*parts)
