"""Services: the operations people perform, combining pure rules with the store.

The TUI and the CLI call these, never the rules and the store separately, so a triage key
and ``opsdesk feedback ...`` follow exactly the same policy. Services take a :class:`Desk`.
"""
