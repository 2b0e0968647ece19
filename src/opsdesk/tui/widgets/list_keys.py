"""The keys every opsdesk list answers, and an OptionList that answers them too.

The inbox-style lists, the launch timeline and Today all move with the arrows and ``j``/``k``,
page with PgUp/PgDn, jump with Home/``g`` and End/``G`` and open with Enter, and the help
screen lists them once under "Lists". Textual's OptionList knows only the arrows, Home and
End: a list that ignored the rest (Today, the likely-duplicates screen) left those keys dead
exactly where people press them first.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


def cursor_bindings(prefix: str) -> list[BindingType]:
    """The list keys, with ids under ``prefix`` (``list.down``…) for the keymap to remap."""
    return [
        Binding("down,j", "cursor_down", "Down", show=False, id=f"{prefix}.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id=f"{prefix}.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("home,g", "first", "First", show=False, id=f"{prefix}.first"),
        Binding("end,G", "last", "Last", show=False, id=f"{prefix}.last"),
        Binding("enter", "select", "Open", show=False, id=f"{prefix}.open"),
    ]


class KeyedOptionList(OptionList):
    """OptionList with opsdesk's list keys; each binding replaces the base class's for its key."""

    BINDINGS: ClassVar[list[BindingType]] = cursor_bindings("options")
