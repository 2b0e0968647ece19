"""The effective key bindings, gathered from the live widgets with the user's keymap applied.

Help (``?``) and the command palette are both generated from this, never from a hand-written
list, so a key remapped in the config shows up remapped everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.dom import DOMNode

if TYPE_CHECKING:
    from opsdesk.tui.app import OpsdeskApp


@dataclass(frozen=True)
class BindingEntry:
    """One action, the keys that run it, and the widget it runs on."""

    section: str
    keys: str
    description: str
    action: str
    binding_id: str | None
    node: DOMNode | None


HIDDEN_ACTIONS = frozenset(
    {
        "help_quit",
        "scroll_left",
        "scroll_right",
        "page_left",
        "page_right",
        "scroll_home",
        "scroll_end",
        "scroll_up",
        "scroll_down",
    }
)
"""Inherited actions that do nothing useful in opsdesk's lists; kept out of help and palette."""

RENAMED = {"command_palette": "Command palette"}


def _entries(app: OpsdeskApp, section: str, node: DOMNode) -> list[BindingEntry]:
    bindings = node._bindings.copy()
    bindings.apply_keymap(app._keymap)
    by_action: dict[tuple[str, str | None], list[Binding]] = {}
    for _key, binding in bindings:
        if binding.action in HIDDEN_ACTIONS:
            continue
        by_action.setdefault((binding.action, binding.id), []).append(binding)
    entries = []
    for (action, binding_id), group in by_action.items():
        first = group[0]
        keys = ", ".join(app.get_key_display(binding) for binding in group)
        description = RENAMED.get(action) or first.description or action
        entries.append(BindingEntry(section, keys, description, action, binding_id, node))
    return entries


def collect_bindings(app: OpsdeskApp) -> list[BindingEntry]:
    """Every binding of the app, the current pane and its list, in that order."""
    pane = app.current_pane
    sections: list[tuple[str, DOMNode]] = [
        ("Everywhere", app),
        (f"{pane.title} pane", pane),
        ("Lists", pane.list),
    ]
    entries: list[BindingEntry] = []
    for section, node in sections:
        entries.extend(_entries(app, section, node))
    return entries
