"""The page cache behind the windowed lists and the launch timeline: keyset continuation,
least-recently-used eviction, and rows outside the list."""

from __future__ import annotations

from typing import Any

from opsdesk.store.base import WindowRow
from opsdesk.tui.widgets.paging import PageCache


class Recorder:
    """A source of ``total`` numbered rows that notes how each page was asked for."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.calls: list[tuple[int, int, tuple[Any, ...] | None]] = []

    def __call__(
        self, offset: int, limit: int, after: tuple[Any, ...] | None
    ) -> list[WindowRow[int]]:
        self.calls.append((offset, limit, after))
        start = after[0] + 1 if after is not None else offset
        return [WindowRow(n, (n,)) for n in range(start, min(start + limit, self.total))]


def test_the_next_page_continues_from_the_last_key_of_the_page_before() -> None:
    cache: PageCache[int] = PageCache(page_size=10, max_pages=5)
    fetch = Recorder(35)
    assert [row.record for row in cache.page(0, fetch)] == list(range(10))
    assert [row.record for row in cache.page(1, fetch)] == list(range(10, 20))
    assert fetch.calls == [(0, 10, None), (10, 10, (9,))]


def test_a_page_without_its_predecessor_is_read_by_offset() -> None:
    cache: PageCache[int] = PageCache(page_size=10, max_pages=5)
    fetch = Recorder(100)
    cache.page(7, fetch)
    assert fetch.calls == [(70, 10, None)]


def test_held_pages_are_not_read_again_and_the_least_recently_used_go_first() -> None:
    cache: PageCache[int] = PageCache(page_size=10, max_pages=2)
    fetch = Recorder(100)
    cache.page(0, fetch)
    cache.page(5, fetch)
    cache.page(0, fetch)  # from the cache: now the most recently used
    assert len(fetch.calls) == 2
    cache.page(9, fetch)  # page 5 goes
    assert set(cache) == {0, 9}
    cache.clear()
    assert len(cache) == 0


def test_rows_outside_the_list_or_past_a_short_page_are_none() -> None:
    cache: PageCache[int] = PageCache(page_size=10, max_pages=5)
    fetch = Recorder(15)
    row = cache.row(12, 15, fetch)
    assert row is not None and row.record == 12
    assert cache.row(-1, 15, fetch) is None
    assert cache.row(15, 15, fetch) is None
    assert cache.row(16, 20, fetch) is None  # the count ran ahead of the rows
