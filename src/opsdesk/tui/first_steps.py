"""What a pane says when its table holds nothing at all: how to put the first record in.

A filtered view with no rows says "No launches to show."; a database with no launches yet is
a new user's first look at the pane, and a polished tool tells them the key that adds one and
the command that brings in what they already have, rather than leaving an empty frame.
Today, on a database with nothing in any pane, gathers the same ways to begin into one
welcome (:func:`welcome`), each behind the key of the pane it is done in.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from opsdesk.config import DEFAULT_USER, SET_USER_COMMAND

USER_HINT = f'Changes are signed "{DEFAULT_USER}": '
"""Said once, in Today's welcome, before :data:`SET_USER_COMMAND`, while general.user is the
default: in a shared database a history of sign-offs and touches all "by me" cannot tell a
dozen PMs apart. Short, so the line and its command fit 80 columns."""

DEMO_HINT = "To look around first, 'opsdesk demo' opens a sample company in a database of its own."

FIRST_STEPS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "feedback": (
        "No feedback yet.",
        [
            ("a", "captures a piece of feedback by hand", "."),
            (
                "ctrl+o",
                "imports a support desk's or survey tool's export (CSV or JSON Lines)",
                ": every row is checked, and you see what it would do before anything is written.",
            ),
        ],
    ),
    "launches": (
        "No launches yet.",
        [("n", "plans one", ": its sign-offs are laid out back from the launch date by its tier.")],
    ),
    "contacts": (
        "No contacts yet.",
        [
            ("n", "adds a customer contact", "."),
            (
                "ctrl+o",
                "imports a CRM export (CSV or JSON Lines)",
                ", checked first; a contact already here is matched on their address and "
                "updated, not added twice.",
            ),
        ],
    ),
    "experiments": (
        "No experiments yet.",
        [("n", "proposes one", ": the board warns when it overlaps another team's test.")],
    ),
}
"""Per pane: the headline, then (key, what it does, the rest of the sentence) for each way to
begin. The pane says the whole sentence; Today's welcome only what each key does."""

WELCOME_PANES: tuple[tuple[str, str, str, str], ...] = (
    ("1", "launches", "Launches", "every launch and the sign-offs each team owes before it"),
    ("2", "feedback", "Feedback", "customer feedback from every channel, triaged against its SLA"),
    ("3", "contacts", "Contacts", "who contacted which customer, when and why"),
    ("4", "experiments", "Experiments", "every team's experiments on one board"),
)
"""(key, pane id, title, what the pane is for), in the order of the tabs."""


def _key(text: Text, key: str) -> None:
    text.append(key, style="bold reverse" if " " not in key else "bold")


def first_steps(pane_id: str) -> Text | None:
    """The pane's welcome for an empty table, or None for a pane that has none."""
    found = FIRST_STEPS.get(pane_id)
    if found is None:
        return None
    headline, ways = found
    text = Text(headline, style="bold")
    for how, what, rest in ways:
        text.append("\n\n")
        _key(text, how)
        text.append(f" {what}{rest}")
    text.append(f"\n\n{DEMO_HINT}", style="italic")
    return text


def welcome(user: str) -> RenderableType:
    """Today's welcome on a database with nothing in it: what each pane is for and the keys
    that put the first record in ('1 then n plans one'), then the demo. A way to begin that
    wraps carries on under its own first word, not at the edge under the pane's key. While
    ``user`` (general.user) is the default, one line names the command that sets it."""
    head = Text("Welcome to opsdesk.", style="bold")
    head.append(" Nothing is here yet: each pane holds one kind of work.", style="")
    parts: list[RenderableType] = [head]
    if user == DEFAULT_USER:
        hint = Text(USER_HINT, style="italic")
        hint.append(SET_USER_COMMAND, style="bold")
        parts.extend([Text(""), hint])
    for number, pane_id, title, purpose in WELCOME_PANES:
        line = Text()
        _key(line, number)
        line.append(f" {title}", style="bold")
        line.append(f": {purpose}.")
        parts.extend([Text(""), line])
        for how, what, _rest in FIRST_STEPS[pane_id][1]:
            way = Text()
            _key(way, number)
            way.append(" then ")
            _key(way, how)
            way.append(f" {what}.")
            parts.append(Padding(way, (0, 0, 0, 3)))
    today = Text()
    _key(today, "0")
    today.append(" Today", style="bold")
    today.append(
        ": then lists what needs you, from every pane: readiness due, launches at risk, "
        "SLA breaches, follow-ups, experiments ending."
    )
    parts.extend([Text(""), today, Text(""), Text(DEMO_HINT, style="italic")])
    return Group(*parts)
