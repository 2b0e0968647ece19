"""Results of background work that arrive after their widget has gone.

A pane counts, loads or searches in a worker thread on its own connection and hands the
result back with ``call_from_thread``. By the time the handler runs, the user may have quit:
the app is shutting down and the widget's children may already be removed, so the handler's
first ``query_one`` would raise ``NoMatches`` and turn a clean quit into a traceback.
"""

from __future__ import annotations

from textual.widget import Widget


def still_shown(widget: Widget) -> bool:
    """Whether ``widget`` can still show a worker's result.

    ``is_attached`` turns false once ``App.exit`` is called or the widget is removed; the app
    stops running as soon as its shutdown starts (a test's ``run_test`` shuts down without
    ``exit``), which is when the widgets are torn down.
    """
    return widget.is_attached and widget.app.is_running
