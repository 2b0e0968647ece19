"""What a footer shows whole: the pane tests' check that every key fits the terminal."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


async def shown_footer_keys(pilot: Any) -> list[str]:
    """The keys of the footer shown in full left of the palette key, once it has settled;
    a key cut off at the edge, hidden behind the palette key, or left out of the footer (one
    that does not fit whole is not drawn: it has no region), is not in the list."""
    while not pilot.app.panes_built:
        await pilot.pause(0.05)
    await pilot.pause(0.3)
    footer = pilot.app.screen.query_one(Footer)
    palette = footer.query_one(".-command-palette", FooterKey)
    keys = [key for key in footer.query(FooterKey) if key is not palette]
    return [key.key_display for key in keys if key.region and key.region.right <= palette.region.x]
