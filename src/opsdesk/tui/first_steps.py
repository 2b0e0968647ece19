"""What a pane says when its table holds nothing at all: how to put the first record in.

A filtered view with no rows says "No launches to show."; a database with no launches yet is
a new user's first look at the pane, and a polished tool tells them the key that adds one and
the command that brings in what they already have, rather than leaving an empty frame.
"""

from __future__ import annotations

from rich.text import Text

DEMO_HINT = "To look around first, 'opsdesk demo' opens a sample company in a database of its own."

FIRST_STEPS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "feedback": (
        "No feedback yet.",
        [
            ("a", "captures a piece of feedback by hand."),
            (
                "ctrl+o",
                "imports a support desk's or survey tool's export (CSV or JSON Lines): every "
                "row is checked, and you see what it would do before anything is written.",
            ),
        ],
    ),
    "launches": (
        "No launches yet.",
        [("n", "plans one: its sign-offs are laid out back from the launch date by its tier.")],
    ),
    "contacts": (
        "No contacts yet.",
        [
            ("n", "adds a customer contact."),
            (
                "ctrl+o",
                "imports a CRM export (CSV or JSON Lines), checked first; a contact already "
                "here is matched on their address and updated, not added twice.",
            ),
        ],
    ),
    "experiments": (
        "No experiments yet.",
        [("n", "proposes one: the board warns when it overlaps another team's test.")],
    ),
}
"""Per pane: the headline, then (key, what it does) for each way to begin."""


def first_steps(pane_id: str) -> Text | None:
    """The pane's welcome for an empty table, or None for a pane that has none."""
    found = FIRST_STEPS.get(pane_id)
    if found is None:
        return None
    headline, ways = found
    text = Text(headline, style="bold")
    for how, what in ways:
        text.append("\n\n")
        text.append(how, style="bold reverse" if " " not in how else "bold")
        text.append(f" {what}")
    text.append(f"\n\n{DEMO_HINT}", style="italic")
    return text
