"""Which keys a pane or screen puts on the footer, by its view and the terminal's width.

Textual's footer shows a node's keys in order and cuts off what does not fit: at 80 columns
the launch list showed 'd Move da' and nothing of go/no-go, the contacts 'f Eligi' and
nothing of follow-ups or the status filter, and the experiment board half of 'c Conf', with
abandon and the learnings out of sight. An ops manager guesses 'n' for new and 'e' for edit,
never 'y' for a go/no-go, so under :data:`FULL_FOOTER_FROM` columns each view keeps its own
few keys, each whole, and help (``?``, first on a narrow footer) lists the rest. Every key
works all the same. The launch list and screen, the contacts and the experiment board use
:class:`FooterByWidth`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace

from textual.binding import BindingsMap

FULL_FOOTER_FROM = 120
"""Columns from which a view's full set of keys fits its footer, beside the app's quit
and help."""


@dataclass(frozen=True)
class FooterKeys:
    """What a view's footer shows: the actions on it (``None``: as the bindings declare) and
    the words for some of them (the launch list's ``t`` says where it goes: 'Timeline' or
    'List')."""

    shown: frozenset[str] | None = None
    labels: Mapping[str, str] | None = None


class FooterByWidth:
    """Mixin for a widget or screen whose footer keys depend on its view and the width.

    Textual reads a node's keys from ``_bindings`` each time it gathers them (a key press,
    the footer rebuilding), so the footer follows the view and the width with nothing else to
    keep in step; each map is built once per view and width.
    """

    _declared_bindings: BindingsMap
    _footer_maps: dict[tuple[Hashable, bool], BindingsMap]
    _footer_was_narrow: bool | None = None

    def footer_view(self) -> Hashable:
        """The view the footer is for (a node with a single view returns a constant)."""
        return None

    def footer_keys(self, narrow: bool) -> FooterKeys:
        """The footer's keys in the current view, narrow (under :data:`FULL_FOOTER_FROM`)
        or not."""
        return FooterKeys()

    @property
    def declared_keys(self) -> BindingsMap:
        """The keys as declared, in their full words, for help and the palette: the footer's
        short words ('t Triaged') are for the footer alone ('Status: triaged — #12' in the
        palette)."""
        return self._declared_bindings

    @property
    def _bindings(self) -> BindingsMap:
        narrow = self._footer_is_narrow()
        cache_key = (self.footer_view(), narrow)
        shown = self._footer_maps.get(cache_key)
        if shown is None:
            keys = self.footer_keys(narrow)
            labels = keys.labels or {}
            shown = BindingsMap()
            for key, bindings in self._declared_bindings.key_to_bindings.items():
                shown.key_to_bindings[key] = [
                    replace(
                        binding,
                        show=binding.show if keys.shown is None else binding.action in keys.shown,
                        description=labels.get(binding.action, binding.description),
                    )
                    for binding in bindings
                ]
            self._footer_maps[cache_key] = shown
        return shown

    @_bindings.setter
    def _bindings(self, bindings: BindingsMap) -> None:
        """Textual sets the declared keys as it makes the node."""
        self._declared_bindings = bindings
        self._footer_maps = {}

    def _footer_is_narrow(self) -> bool:
        is_attached = getattr(self, "is_attached", False)
        return bool(is_attached) and self.app.size.width < FULL_FOOTER_FROM  # type: ignore[attr-defined]

    def on_resize(self) -> None:
        """Crossing :data:`FULL_FOOTER_FROM` changes the keys the footer shows: tell it.
        (The footer rebuilds by itself only across its own breakpoint, 100 columns.)"""
        narrow = self._footer_is_narrow()
        if self._footer_was_narrow is not None and narrow != self._footer_was_narrow:
            self.refresh_bindings()  # type: ignore[attr-defined]
        self._footer_was_narrow = narrow
