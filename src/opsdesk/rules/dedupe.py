"""Which feedback items are probably the same request, worded differently.

Full-text search finds items sharing words; this module ranks them by how alike the titles
are (word overlap plus character similarity), so "Export to CSV fails" and "CSV export
failing" come out on top while items that merely share "the" do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import TypeVar

T = TypeVar("T")

_WORD = re.compile(r"[\w']+", re.UNICODE)
_STOP_WORDS = (
    "a an the to of in on for and or is are be it we our with when can cannot can't not no "
    "do does please would like want need from at by this that"
)
_STOP = frozenset(_STOP_WORDS.split())

DUPLICATE_THRESHOLD = 0.45
"""Scores at or above this are offered as likely duplicates."""


def _stem(word: str) -> str:
    """A crude stem so 'exports', 'exporting' and 'export' meet."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """The meaningful words of a title, lower-cased and stemmed."""
    return [_stem(word) for word in _WORD.findall(text.lower()) if word not in _STOP]


def similarity(a: str, b: str) -> float:
    """0..1: how alike two titles are (word overlap weighted with character similarity)."""
    wa, wb = set(words(a)), set(words(b))
    if not wa or not wb:
        return 0.0
    overlap = len(wa & wb) / len(wa | wb)
    chars = SequenceMatcher(None, " ".join(sorted(wa)), " ".join(sorted(wb))).ratio()
    return round(0.6 * overlap + 0.4 * chars, 3)


def rank_duplicates(
    title: str,
    candidates: Sequence[tuple[T, str]],
    *,
    limit: int = 5,
    threshold: float = DUPLICATE_THRESHOLD,
) -> list[tuple[T, float]]:
    """The ``limit`` best (item, score) pairs of ``candidates`` (item, title) above threshold."""
    scored = [(item, similarity(title, other)) for item, other in candidates]
    scored = [pair for pair in scored if pair[1] >= threshold]
    scored.sort(key=lambda pair: pair[1], reverse=True)
    return scored[:limit]
