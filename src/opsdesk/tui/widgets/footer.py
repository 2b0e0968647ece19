"""The footer, rebuilt only when the keys it shows change.

Textual's footer throws away and mounts again every key it shows (some twenty widgets) on
every change to the screen's bindings, and a pane switch makes two such changes (the new
tab, then the focus on its list); moving the focus between widgets with the same keys makes
one more. The second rebuild shows exactly what the first did. This footer remembers what it
last showed and skips a rebuild that would change nothing, so the next key is not kept
waiting behind it.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class QuietFooter(Footer):
    """A :class:`~textual.widgets.Footer` that rebuilds only when what it shows changes."""

    _shown: Hashable | None = None

    def _what_it_shows(self) -> Hashable:
        """Everything the footer's keys are drawn from: each shown binding with its key,
        description, action, group, state and tooltip, and the palette's key."""
        active = self.screen.active_bindings
        shown = tuple(
            (binding.key, binding.description, binding.action, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        palette_key = (palette[1].key, palette[2]) if palette is not None else None
        return (shown, palette_key, self.show_command_palette)

    def bindings_changed(self, screen: Screen) -> None:
        if (
            self._bindings_ready
            and self.is_attached
            and screen is self.screen
            and self._what_it_shows() == self._shown
        ):
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        self._shown = self._what_it_shows() if self._bindings_ready else None
        yield from super().compose()
