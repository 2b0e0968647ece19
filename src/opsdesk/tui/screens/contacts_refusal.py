"""The refusal: which guardrail blocks a touch, who touched the contact last, when, why and
until when; and a prompt for the reason to override it (kept with the user's name)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from opsdesk.formatting import words
from opsdesk.models import Contact
from opsdesk.rules.eligibility import Eligibility
from opsdesk.text import visible
from opsdesk.vocabulary import TouchPurpose


def refusal_text(contact: Contact, verdict: Eligibility, purpose: TouchPurpose) -> Text:
    """The reasons, one block each: the rule in bold, then the sentence that explains it."""
    who = contact.name or contact.email or f"contact #{contact.id}"
    text = Text()
    text.append(f"{visible(who)} cannot be contacted for {words(purpose)} on ")
    text.append(verdict.day.isoformat(), style="bold")
    text.append(".\n")
    if verdict.free_on:
        text.append(f"Free again on {verdict.free_on.isoformat()}.\n")
    for reason in verdict.reasons:
        rule, _, rest = visible(reason.message).partition(": ")
        text.append("\n✗ ", style="bold red")
        text.append(f"{rule}: " if rest else rule, style="bold")
        text.append(f"{rest}\n")
    return text


class RefusalScreen(ModalScreen[str | None]):
    """Dismisses with the override reason typed (Enter), or None (Esc): nothing logged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Don't log it", id="refusal.cancel"),
    ]

    def __init__(self, contact: Contact, verdict: Eligibility, purpose: TouchPurpose) -> None:
        super().__init__(classes="dialog-screen")
        self.contact = contact
        self.verdict = verdict
        self.purpose = purpose

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog refusal-dialog"):
            yield Static(
                Text("Refused by the contact guardrails", style="bold"), classes="dialog-title"
            )
            with VerticalScroll(classes="refusal-reasons"):
                yield Static(
                    refusal_text(self.contact, self.verdict, self.purpose), id="refusal-reasons"
                )
            yield Label(
                "Override reason (kept on the contact with your name and the time); "
                "Enter logs it, Esc does not",
                classes="refusal-label",
            )
            yield Input(placeholder="e.g. Customer asked for the call", id="override-reason")
            yield Static("", id="override-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#override-reason", Input).focus()

    @on(Input.Submitted, "#override-reason")
    def _submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.query_one("#override-error", Static).update(
                Text("An override needs a reason (or Esc to leave it).", style="red")
            )
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
