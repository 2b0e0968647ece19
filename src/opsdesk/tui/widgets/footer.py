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

A key that does not fit whole left of the palette key is not drawn at all. Textual's footer
lays its keys out in a row and lets the palette key, docked on the right, cover whatever
runs under it: at 80 columns the launch list ended in '^q Q' and the contacts in a lone
'^q'. A cut key reads as a different word, or as nothing; a missing one sends the
reader to help (``?``, first on a narrow footer), which lists them all.
"""

from __future__ import annotations

from collections.abc import Hashable
from itertools import chain

from textual.app import ComposeResult
from textual.geometry import Size
from textual.layout import DockArrangeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

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
    _fitted: tuple[DockArrangeResult, DockArrangeResult] | None = None

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

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        """Textual's arrangement without the keys that do not fit whole: from the first key
        (or key group, or group label) that runs under the palette key or off the edge, the
        row is left out, so nothing after a gap shows out of order either."""
        arranged = super().arrange(size, optimal)
        if self._fitted is not None and self._fitted[0] is arranged:
            return self._fitted[1]  # Textual caches its arrangement: so does this
        docked = [p for p in arranged.placements if p.widget.styles.is_docked]
        limit = min((p.region.x for p in docked), default=size.width)
        row = [p for p in arranged.placements if not p.widget.styles.is_docked]
        cut = next((i for i, p in enumerate(row) if p.region.right > limit), len(row))
        if cut < len(row) and cut > 0 and isinstance(row[cut].widget, FooterLabel):
            cut -= 1  # a group's label names its keys: the keys go with it
        dropped = {p.widget for p in row[cut:]}
        fitted = arranged
        if dropped:
            fitted = DockArrangeResult(
                [p for p in arranged.placements if p.widget not in dropped],
                arranged.widgets - dropped,
                arranged.scroll_spacing,
            )
        self._fitted = (arranged, fitted)
        return fitted

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
