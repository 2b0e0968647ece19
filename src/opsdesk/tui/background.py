"""Work done in a worker thread, and its result handed back to the screen.

A pane counts, loads or searches in a worker thread so the keys never wait for it. SQLite
connections must not cross threads, so the work runs on a companion connection of its own
(:func:`on_companion`), and the result goes back to the app's thread with
``call_from_thread`` (:func:`hand_back`). By the time the handler runs the user may have
quit: the app is shutting down and the widget's children may already be removed, so a
handler checks :func:`still_shown` before its first ``query_one``, which would otherwise
raise ``NoMatches`` and turn a clean quit into a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.widget import Widget
from textual.worker import get_current_worker

from opsdesk.services.desk import Desk

T = TypeVar("T")


def on_companion(desk: Desk, work: Callable[[Desk], T]) -> T:
    """Run ``work`` against a desk on a companion connection to the same file, closed after."""
    companion = desk.store.companion()
    try:
        return work(Desk(companion, desk.config, desk.clock))
    finally:
        companion.close()


def hand_back(widget: Widget, handler: Callable[..., Any], *args: Any) -> None:
    """From a worker thread: run ``handler(*args)`` on the app's thread, unless the worker
    was cancelled (newer work replaced it, or the widget went)."""
    if not get_current_worker().is_cancelled:
        widget.app.call_from_thread(handler, *args)


def still_shown(widget: Widget) -> bool:
    """Whether ``widget`` can still show a worker's result.

    ``is_attached`` turns false once ``App.exit`` is called or the widget is removed; the app
    stops running as soon as its shutdown starts (a test's ``run_test`` shuts down without
    ``exit``), which is when the widgets are torn down.
    """
    return widget.is_attached and widget.app.is_running
