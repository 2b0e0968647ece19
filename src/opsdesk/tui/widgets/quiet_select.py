"""A Select that can be mounted while the app is closing.

Hidden panes are built after the first frame. If the user quits at that moment, Textual
removes the half-built pane's children before a Select in it has handled its Mount event,
and Textual's Select then looks for its dropdown overlay (already gone) and raises
NoMatches on the way out. This Select skips its set-up when the overlay is gone: nothing
will ever show it.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Select


class QuietSelect(Select[Any]):
    """A :class:`~textual.widgets.Select` whose set-up is skipped once it is being removed."""

    def _on_mount(self, event: events.Mount) -> None:
        # Textual calls this before Select's own Mount handler; preventing the default
        # stops Select's handler, which would look up the overlay that was removed.
        if not self.query("SelectOverlay"):
            event.prevent_default()
