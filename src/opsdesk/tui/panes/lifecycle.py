"""A pane's mount handler, skipped when the app is already shutting down.

Panes other than the first are built after the first screen is drawn. If the app stops in
that moment (a test ending, a quit on the very first frame), Textual still delivers the
pane's Mount event although its widgets were never composed, and the handler's first
``query_one`` would raise instead of the app closing quietly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from textual.widget import Widget

PaneT = TypeVar("PaneT", bound=Widget)


def while_running(handler: Callable[[PaneT], None]) -> Callable[[PaneT], None]:
    """Run ``handler`` only while the app runs (its widgets exist only then)."""

    @wraps(handler)
    def guarded(pane: PaneT) -> None:
        if pane.app.is_running:
            handler(pane)

    return guarded
