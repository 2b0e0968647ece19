"""Command palette provider: jump to any record by typing part of its title.

Actions come from the bindings (see ``OpsdeskApp.get_system_commands``); this provider adds
records. It asks the store for a handful of matches per kind (full-text where there is an
index), so it answers as fast on 100,000 items as on 100.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from opsdesk.text import one_line

if TYPE_CHECKING:
    from opsdesk.tui.app import OpsdeskApp


class RecordProvider(Provider):
    """'Open feedback #12 …', 'Open launch …' for records whose title matches the query."""

    async def search(self, query: str) -> Hits:
        if len(query.strip()) < 2:
            return
        from opsdesk.services.search import find_records  # the palette's first use loads it

        app = cast("OpsdeskApp", self.app)
        matcher = self.matcher(query)
        for found in find_records(app.desk, query, limit=6):
            label = f"Open {found.kind} #{found.record_id}: {one_line(found.title, 70)}"
            yield Hit(
                max(matcher.match(label), 0.1),
                highlight_plain(matcher, label),
                partial(app.call_later, app.open_record, found.pane, found.record_id),
                text=label,
                help=f"{found.pane} pane",
            )


def highlight_plain(matcher: Matcher, text: str) -> Content:
    """``text`` with the letters the query matched highlighted, shown as it is written.

    Textual's ``Matcher.highlight`` reads its text as markup, so a title such as
    '[urgent] SSO login loop' would lose its tag and '[bold]…[/]' would turn bold: customer
    text is never markup here. The same fuzzy search picks the same letters.
    """
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
