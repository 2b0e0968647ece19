"""The footer, rebuilt only when the keys it shows change.

Textual's footer throws away and mounts again every key it shows (some twenty widgets) on
every change to the screen's bindings, and a pane switch makes two such changes (the new
tab, then the focus on its list); moving the focus between widgets with the same keys makes
one more. The second rebuild shows exactly what the first did. This footer remembers what it
last showed and skips a rebuild that would change nothing, so the next key is not kept
waiting behind it.

A rebuild that does change something is made cheaper too. Each key Textual's footer mounts
is bound to the footer's ``compact`` setting, and the binding sets it twice as the key
mounts (its default, then the footer's), toggling a class each time; every toggle restyles
the key against the whole stylesheet, about 3 ms apiece. Opening the launch timeline mounted
some fifty keys this way: two thirds of the time it took. Here each key is made with the
footer's setting and class already in place and no binding, so mounting it styles it once;
the footer rebuilds if ``compact`` changes.
"""

from __future__ import annotations

from collections.abc import Hashable
from itertools import chain

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW_BELOW = 100
"""Columns under which the panes' keys no longer fit the footer (the app's own breakpoint)."""

FIRST_WHEN_NARROW = ("help",)
"""Actions a narrow footer shows first. The footer keeps keys in binding order and cuts off
what does not fit, and the app's keys come last: at 80 columns every pane lost '? Help',
the one key that lists all the others."""


class QuietFooter(Footer):
    """A :class:`~textual.widgets.Footer` that rebuilds only when what it shows changes."""

    _shown: Hashable | None = None
    _rebuild_pending = False
    _narrow: bool | None = None

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
        return (shown, palette_key, self.show_command_palette, self._is_narrow())

    def _is_narrow(self) -> bool:
        return self.app.size.width < NARROW_BELOW

    def bindings_changed(self, screen: Screen) -> None:
        ready = self._bindings_ready and self.is_attached and self.app.app_focus
        if not ready or screen is not self.screen:
            super().bindings_changed(screen)
            return
        # The rebuild runs after the next refresh and reads the bindings then, while a key
        # press often changes them several times before that (the view, then the focus):
        # one rebuild on its way shows the last of them, so the others need none.
        if self._rebuild_pending or self._what_it_shows() == self._shown:
            return
        self._rebuild_pending = True
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        self._rebuild_pending = False
        self._shown = self._what_it_shows() if self._bindings_ready else None
        self._narrow = self._is_narrow()
        pinned = self._pinned_keys() if self._narrow else []
        moved = {key.action for key in pinned}
        # Textual's compose is passed through as it yields, never gathered first: a key group
        # takes the keys yielded inside its ``with`` block only while that block is open.
        for widget in chain(pinned, super().compose()):
            if widget not in pinned and isinstance(widget, FooterKey) and widget.action in moved:
                continue  # shown first already
            for key in (widget, *widget._pending_children):  # a key group holds keys
                if isinstance(key, FooterKey) and key._reactive_connect:  # bound to compact
                    self._settle(key)
            yield widget

    def _pinned_keys(self) -> list[FooterKey]:
        """The keys of :data:`FIRST_WHEN_NARROW` the screen shows, made as Textual's footer
        makes a lone key."""
        keys: list[FooterKey] = []
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action in FIRST_WHEN_NARROW:
                key = FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                ).data_bind(compact=Footer.compact)
                keys.append(key)
        return keys

    def on_resize(self) -> None:
        """Crossing the narrow breakpoint moves the pinned keys: rebuild then, only then."""
        if self._narrow is not None and self._narrow != self._is_narrow() and self.is_mounted:
            self.refresh(recompose=True)

    def _settle(self, key: FooterKey) -> None:
        """Give a key the footer's ``compact`` now instead of through a data binding."""
        key._reactive_connect = None
        key.set_reactive(FooterKey.compact, self.compact)
        key.set_class(self.compact, "-compact", update=False)

    def on_unmount(self) -> None:
        self._rebuild_pending = False  # a rebuild skipped as the footer left: none is on its way

    def watch_compact(self, compact: bool) -> None:
        if self.is_mounted:
            self.refresh(recompose=True)
