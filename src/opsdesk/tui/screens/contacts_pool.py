"""The eligible pool: ask for N free contacts, look at who was found, plan them all at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from opsdesk.formatting import counted, words
from opsdesk.services.contact_pool import Pool, PoolQuery, find_pool, plan_pool
from opsdesk.services.contacts import ContactError, known_company
from opsdesk.services.desk import Desk
from opsdesk.store.base import InvalidRecord
from opsdesk.text import one_line, visible
from opsdesk.tui.screens.contacts_forms import purpose_field
from opsdesk.tui.screens.dialogs import FormField, FormScreen
from opsdesk.vocabulary import TouchPurpose

if TYPE_CHECKING:
    from opsdesk.tui.panes.contacts import ContactsPane


def with_article(noun: str) -> str:
    """'an interview', 'a survey', 'a usability test': the title read 'Plan a interview'."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def segment_field(desk: Desk) -> FormField:
    """The segments in use to choose from (a typed 'enterprize' found nobody, and the pool
    said only 'nobody free matches'); a blank to type in when no contact has one yet."""
    segments = desk.store.contacts.segments()
    if not segments:
        return FormField("segment", "Segment", placeholder="any")
    choices = [(segment, segment) for segment in segments]
    return FormField("segment", "Segment", kind="choice", choices=choices, placeholder="any")


def pool_fields(desk: Desk) -> list[FormField]:
    return [
        FormField("size", "How many", kind="int", required=True, initial=10),
        segment_field(desk),
        FormField("company", "Company", placeholder="any"),
        FormField("role", "Role contains", placeholder="any"),
        FormField("text", "Words", placeholder="in name, email, company or notes"),
        purpose_field(),
        FormField("day", "Day", kind="date", required=True, initial=desk.today()),
    ]


def open_pool_search(pane: ContactsPane) -> None:
    """Ask what to look for, then show the pool (and plan it from there)."""
    desk = pane.desk

    def check(values: dict[str, Any]) -> dict[str, str]:
        if not 1 <= (values.get("size") or 0) <= 500:
            return {"size": "between 1 and 500"}
        company = (values.get("company") or "").strip()
        if company:
            # A company nobody works at found an empty pool, after the search: refused at
            # its field instead, offering the stored names that hold what was typed.
            try:
                values["company"] = known_company(desk, company)
            except ContactError as error:
                return {"company": str(error)}
        return {}

    def found(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        pool = find_pool(
            desk,
            PoolQuery(
                size=values["size"],
                segment=values.get("segment") or None,
                company=values.get("company") or None,
                role=values.get("role") or None,
                text=values.get("text") or "",
                purpose=TouchPurpose(values["purpose"]),
                day=values["day"],
            ),
        )
        pane.app.push_screen(PoolScreen(desk, pool), lambda planned: planned and pane.changed())

    pane.app.push_screen(
        FormScreen(
            "Find eligible contacts",
            pool_fields(desk),
            today=desk.today(),
            validate=check,
            submit_label="Find",
        ),
        found,
    )


def pool_table(pool: Pool, desk: Desk) -> Table:
    table = Table(box=None, expand=True, show_edge=False, header_style="bold")
    table.add_column("#", justify="right", width=3)
    table.add_column("Name", ratio=2, no_wrap=True)
    table.add_column("Company", ratio=2, no_wrap=True)
    table.add_column("Segment", ratio=1, no_wrap=True)
    table.add_column("Role", ratio=2, no_wrap=True)
    for number, contact in enumerate(pool.contacts, start=1):
        table.add_row(
            Text(str(number)),
            Text(one_line(contact.name or contact.email or "(no name)", 40)),
            Text(one_line(contact.company or "", 40)),
            Text(one_line(contact.segment or "", 20)),
            Text(one_line(contact.role or "", 40)),
        )
    return table


def why_empty(pool: Pool) -> str:
    """Why a pool found nobody: no contact matches what was asked (a company nobody works
    at, say), or every one that does is blocked that day. 'Nobody free matches' said
    neither, and offered p to plan the nobody it found."""
    if not pool.candidates:
        asked = [
            f"{name} '{one_line(value, 40)}'"
            for name, value in (
                ("segment", pool.query.segment),
                ("company", pool.query.company),
                ("role", pool.query.role),
                ("words", pool.query.text),
            )
            if value
        ]
        what = f" with {' and '.join(asked)}" if asked else ""
        return (
            f"No contact{what} may be asked (do-not-contact and no-consent contacts are "
            "left out): widen the search."
        )
    return (
        f"{counted(pool.candidates, 'contact matches', 'contacts match')}, but none is free "
        f"for {words(pool.query.purpose)} on {pool.day.isoformat()} (cooldowns and caps): "
        "try a later day or widen the search."
    )


class PoolScreen(ModalScreen[bool]):
    """The contacts found; ``p`` plans a touch for all of them, each checked as it goes in."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "plan_all", "Plan touches for all", id="pool.plan"),
        Binding("escape,q", "close", "Back", id="pool.back"),
    ]

    def __init__(self, desk: Desk, pool: Pool) -> None:
        super().__init__(classes="dialog-screen")
        self.desk = desk
        self.pool = pool

    def compose(self) -> ComposeResult:
        query = self.pool.query
        wanted = [f"{query.size} for {words(query.purpose)} on {self.pool.day.isoformat()}"]
        for name in ("segment", "company", "role", "text"):
            value = getattr(query, name)
            if value:
                wanted.append(f"{name} {visible(value)}")
        title = Text("Eligible pool", style="bold")
        title.append(f"  ({', '.join(wanted)})", style="")
        if self.pool.contacts:
            summary = (
                f"Found {counted(len(self.pool.contacts), 'free contact')} at "
                f"{counted(self.pool.companies, 'company', 'companies')} "
                f"({self.pool.checked:,} checked). p plans a touch for all, Esc goes back."
            )
        else:
            summary = "Found nobody. Esc goes back."
        with Vertical(classes="dialog contacts-pool"):
            yield Static(title, classes="dialog-title")
            yield Static(Text(summary), id="pool-summary")
            with VerticalScroll(classes="pool-rows"):
                if self.pool.contacts:
                    yield Static(pool_table(self.pool, self.desk), id="pool-table")
                else:
                    yield Static(Text(why_empty(self.pool), "italic"), id="pool-table")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Planning is offered only when the pool found someone to plan."""
        if action == "plan_all":
            return bool(self.pool.contacts)
        return True

    def action_plan_all(self) -> None:
        if not self.pool.contacts:
            return
        fields = [
            FormField("by", "By", required=True, initial=self.desk.user),
            FormField("channel", "Channel", initial="email"),
            FormField("follow_up_due", "Follow up by", kind="date"),
        ]
        self.app.push_screen(
            FormScreen(
                f"Plan {with_article(words(self.pool.query.purpose))} with all "
                f"{len(self.pool.contacts)}",
                fields,
                today=self.desk.today(),
                submit_label="Plan all",
            ),
            self._plan,
        )

    def _plan(self, values: dict[str, Any] | None) -> None:
        if values is None:
            return
        try:
            result = plan_pool(
                self.desk,
                self.pool.contacts,
                by=values["by"],
                purpose=self.pool.query.purpose,
                day=self.pool.day,
                channel=values.get("channel") or "email",
                follow_up_due=values.get("follow_up_due"),
            )
        except InvalidRecord as error:
            self.notify(visible(str(error)), severity="error")
            return
        message = f"Planned {counted(len(result.planned), 'touch', 'touches')}"
        if result.planned:
            message += " (u undoes it)." if len(result.planned) == 1 else " (u undoes them)."
        else:
            message += "."
        if result.refused:
            names = ", ".join(visible(c.name or c.email or "?") for c, _ in result.refused[:5])
            message += f" Refused {len(result.refused)} (a rule blocks them now): {names}."
        self.app.notify(message)
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
