"""An OptionList that answers the same keys as every other opsdesk list.

Textual's OptionList moves with the arrows, Home and End only. The inbox, launches, contacts
and experiments lists also take ``j``/``k`` and ``g``/``G``, and the help screen says so under
"Lists": a list that ignored them (Today, the likely-duplicates screen) left those keys dead
exactly where people press them first.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class KeyedOptionList(OptionList):
    """OptionList with opsdesk's list keys; each binding replaces the base class's for its key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="options.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="options.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="options.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="options.page_up"),
        Binding("home,g", "first", "First", show=False, id="options.first"),
        Binding("end,G", "last", "Last", show=False, id="options.last"),
        Binding("enter", "select", "Open", show=False, id="options.open"),
    ]
