"""Making customer text safe to show on a terminal.

Customer feedback, names and notes may hold ESC sequences, C1 controls, BEL, backspace or bidi
overrides. Stored text stays exactly as it arrived; whatever is *shown* passes through
:func:`visible`, which swaps each such character for a visible placeholder so nothing a
customer wrote can steer the terminal (DESIGN.md rule 2).
"""

from __future__ import annotations

import re

_BIDI_AND_INVISIBLE = {
    "\u061c": "<ALM>",
    "\u200b": "<ZWSP>",
    "\u200c": "<ZWNJ>",
    "\u200d": "\u200d",  # joiner inside emoji sequences: harmless, kept
    "\u200e": "<LRM>",
    "\u200f": "<RLM>",
    "\u202a": "<LRE>",
    "\u202b": "<RLE>",
    "\u202c": "<PDF>",
    "\u202d": "<LRO>",
    "\u202e": "<RLO>",
    "\u2066": "<LRI>",
    "\u2067": "<RLI>",
    "\u2068": "<FSI>",
    "\u2069": "<PDI>",
    "\ufeff": "<BOM>",
}

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _placeholder(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return f"<{code:02X}>"
    return _BIDI_AND_INVISIBLE.get(char, "?")


def visible(text: str | None) -> str:
    """Return ``text`` with every control, bidi-override and invisible character made visible.

    Tab and newline are kept: they lay text out, they do not steer the terminal.
    """
    if not text:
        return ""
    return _UNSAFE.sub(_placeholder, text)


def one_line(text: str | None, limit: int = 200) -> str:
    """A visible, single-line preview of ``text`` for list cells and CLI tables."""
    shown = visible(text).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    if len(shown) > limit:
        return shown[: limit - 1] + "…"
    return shown


PREVIEW_CHARS = 20_000
"""Detail panels show this much of a long text: wrapping a megabyte would freeze the screen."""


def preview(text: str | None, limit: int = PREVIEW_CHARS) -> str:
    """The start of a long text, made visible, with a note of how much was left out."""
    shown = visible((text or "")[:limit])
    if text and len(text) > limit:
        shown += f"\n… {len(text) - limit:,} more characters"
    return shown
