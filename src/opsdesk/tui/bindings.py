"""The effective key bindings, gathered from the live widgets with the user's keymap applied.

Help (``?``) and the command palette are both generated from this, never from a hand-written
list, so a key remapped in the config shows up remapped everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.dom import DOMNode

from opsdesk.tui.widgets.footer_by_width import FooterByWidth

if TYPE_CHECKING:
    from textual.screen import Screen

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


def _entries(app: OpsdeskApp, section: str, node: DOMNode, taken: set[str]) -> list[BindingEntry]:
    """The node's actions with their keys, but the keys in ``taken``: a widget nearer the
    focus binds them to something else, and a key goes to the nearest (``t`` is Today's
    only where the pane does not use it). ``taken`` gains this node's keys.

    An action its node turns off where the user is (``check_action``: sorting on the
    experiment board or the launch timeline, the key of the view already shown) is left
    out: its key does nothing there, yet help listed it ('s Sort' on the board). Nor does
    its key count as taken: Textual passes it on to the bindings further out."""
    # Help and the palette name every key in full, whatever the footer shows of it now.
    declared = node.declared_keys if isinstance(node, FooterByWidth) else node._bindings
    bindings = declared.copy()
    bindings.apply_keymap(app._keymap)
    by_action: dict[tuple[str, str | None], list[Binding]] = {}
    mine: set[str] = set()
    for key, binding in bindings:
        if not app._check_action_state(binding.action, node):
            continue  # the key passes on to the widgets around, as if not bound here
        mine.add(key)
        if binding.action in HIDDEN_ACTIONS or (key in taken and not binding.priority):
            continue
        by_action.setdefault((binding.action, binding.id), []).append(binding)
    taken |= mine
    entries = []
    for (action, binding_id), group in by_action.items():
        first = group[0]
        keys = ", ".join(app.get_key_display(binding) for binding in group)
        description = RENAMED.get(action) or first.description or action
        entries.append(BindingEntry(section, keys, description, action, binding_id, node))
    return entries


def collect_bindings(app: OpsdeskApp, screen: Screen[object] | None = None) -> list[BindingEntry]:
    """Every binding of the app, then of where the user is, in that order.

    On the main screen that is the current pane and its list (or whichever of its widgets
    has the keyboard, such as the launch timeline). On a screen opened over it (a launch's
    own screen, say) it is that screen and its focused widget. A widget names its section
    with a ``help_section`` class attribute ("Timeline"); lists are "Lists".

    ``screen`` is where the user is when that is not the screen on top: the command palette
    is a screen of its own, and asks for the keys of the screen it was opened over.
    """
    sections: list[tuple[str, DOMNode]] = [("Everywhere", app)]
    screen = screen or app.screen
    focused: DOMNode | None = screen.focused
    if not _names_its_keys(focused):
        focused = None
    if screen is not app.screen_stack[0]:
        sections.append((getattr(screen, "help_section", "This screen"), screen))
    else:
        pane = app.current_pane
        sections.append((f"{pane.title} pane", pane))
        if focused is None or pane not in focused.ancestors:
            focused = pane.list
    if focused is not None:
        sections.append((getattr(focused, "help_section", "Lists"), focused))
    found: list[list[BindingEntry]] = []
    taken: set[str] = set()
    for section, node in reversed(sections):  # nearest the focus first: its keys win
        found.append(_entries(app, section, node, taken))
    return [entry for entries in reversed(found) for entry in entries]


def _names_its_keys(node: DOMNode | None) -> bool:
    """Whether help lists a focused widget's keys: lists, and widgets naming a section."""
    from opsdesk.tui.widgets.window_list import WindowList

    return isinstance(node, WindowList) or hasattr(node, "help_section")


@dataclass(frozen=True)
class DeclaredBinding:
    """A binding as a class declares it: where, its id, its default keys and what it does."""

    owner: str
    binding_id: str | None
    keys: str
    description: str
    action: str


def declared_bindings() -> list[DeclaredBinding]:
    """Every binding declared by opsdesk's widgets and screens (the ids the keymap remaps).

    Read from the classes themselves, so the list never drifts from the code.
    """
    import importlib
    import inspect
    import pkgutil

    import opsdesk.tui as tui_package

    found: list[DeclaredBinding] = []
    seen: set[type] = set()
    for module_info in pkgutil.walk_packages(tui_package.__path__, "opsdesk.tui."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls in seen or not cls.__module__.startswith("opsdesk.tui"):
                continue
            seen.add(cls)
            inherited = {
                binding.id
                for base in cls.__mro__[1:]
                for binding in base.__dict__.get("BINDINGS", [])
                if isinstance(binding, Binding) and binding.id
            }
            for binding in cls.__dict__.get("BINDINGS", []):
                if not isinstance(binding, Binding):
                    continue
                if binding.id in inherited:
                    # Declared again by a subclass to change how it shows (off the footer,
                    # say): the same binding, listed once, where it was first declared.
                    continue
                found.append(
                    DeclaredBinding(
                        cls.__name__,
                        binding.id,
                        binding.key,
                        binding.description,
                        binding.action,
                    )
                )
    return sorted(found, key=lambda b: (b.binding_id or "", b.keys))
