"""Command palette provider: jump to any record by typing part of its title.

Actions come from the bindings (see ``OpsdeskApp.get_system_commands``); this provider adds
records. It asks the store for a handful of matches per kind (full-text where there is an
index), so it answers as fast on 100,000 items as on 100.

An action outranks a record that matches the typed text as well as it does. Textual scores
both with the same fuzzy matcher, and 'contact' scores 'New contact' and 'Open feedback
#11: Separate billing contacts …' alike (the word whole, at a word's start); the palette
sorts on the score alone, so ties came in whichever order the providers answered, and the
action the user meant could sit under six feedback titles. A record's score is put just
under its match (:func:`record_score`): ties go to the action, and a record that matches
better (its title typed whole) still comes first.
"""

from __future__ import annotations

import math
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
                record_score(matcher.match(label)),
                highlight_plain(matcher, label),
                partial(app.call_later, app.open_record, found.pane, found.record_id),
                text=label,
                help=f"{found.pane} pane",
            )


def record_score(match: float) -> float:
    """A record's place in the palette for its fuzzy ``match``: the closest score under it,
    so an action matched as well (the same score) ranks above it and no other order
    changes; a record found by full text though its label does not match stays listed,
    last."""
    return math.nextafter(max(match, 0.1), 0.0)


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
