"""The pages a windowed widget has read, kept so scrolling back costs no query.

Both the inbox-style lists (:class:`~opsdesk.tui.widgets.window_list.WindowList`) and the
launch timeline draw a few dozen rows out of thousands. They read the rows a page at a time,
continue each page from the last key of the page before (keyset paging, so page 2,000 costs
what page 1 does), and keep the pages most recently drawn. This is that cache, one copy for
both; it knows nothing about widgets, only how to ask for a page.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from opsdesk.store.base import WindowRow

RecordT = TypeVar("RecordT")

PageFetch = Callable[[int, int, "tuple[Any, ...] | None"], "list[WindowRow[Any]]"]
"""Read ``limit`` rows at ``offset``, or right after the sort key ``after`` when given."""


class PageCache(Generic[RecordT]):
    """Pages of ``page_size`` rows, read on demand through ``fetch``; the least recently
    used go once more than ``max_pages`` are held. Iterating gives the page numbers held."""

    def __init__(self, page_size: int, max_pages: int) -> None:
        self.page_size = page_size
        self.max_pages = max_pages
        self._pages: OrderedDict[int, list[WindowRow[RecordT]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._pages)

    def __iter__(self) -> Iterator[int]:
        return iter(self._pages)

    def clear(self) -> None:
        self._pages.clear()

    def page(self, number: int, fetch: PageFetch) -> list[WindowRow[RecordT]]:
        """Page ``number``: from the cache, or read (after the previous page's last key when
        that page is held and full, so the query starts from an index, not an OFFSET)."""
        cached = self._pages.get(number)
        if cached is not None:
            self._pages.move_to_end(number)
            return cached
        previous = self._pages.get(number - 1)
        after = previous[-1].key if previous and len(previous) == self.page_size else None
        rows: list[WindowRow[RecordT]] = fetch(number * self.page_size, self.page_size, after)
        self._pages[number] = rows
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return rows

    def row(self, index: int, count: int, fetch: PageFetch) -> WindowRow[RecordT] | None:
        """Row ``index`` of ``count`` (None outside them, or if the page came back short)."""
        if index < 0 or index >= count:
            return None
        rows = self.page(index // self.page_size, fetch)
        offset = index % self.page_size
        return rows[offset] if offset < len(rows) else None
