"""One corpus of hostile text, used by every test that shows or exports customer text.

Each entry is something a customer (or a pasted CRM export) could put in a title, a body, a
name or a note: Rich/Textual markup, terminal escape sequences, characters that reorder or
hide text, very long text and spreadsheet formulas. Shown anywhere, none of it may steer the
terminal, run an action, hide text or vanish.
"""

from __future__ import annotations

import re
from typing import Any

ESC = "\x1b"

CORPUS: dict[str, str] = {
    "markup-bold": "[b]bold[/b] and [red]red[/red]",
    "markup-close-all": "closing [/] everything [/]",
    "markup-click": "[@click=app.quit]quit the app[/]",
    "markup-link": "[link=https://evil.example/]click me[/link]",
    "markup-variable": "[$accent]theme var[/] $accent ${x}",
    "markup-escape": "\\[b]not bold\\[/b] [b",
    "osc-title": f"{ESC}]0;pwned title\x07 after OSC",
    "osc-hyperlink": f"{ESC}]8;;https://evil.example/\x07link{ESC}]8;;\x07",
    "csi-clear": f"{ESC}[2J{ESC}[H cleared screen",
    "csi-colour": f"{ESC}[31mred{ESC}[0m text",
    "c1-csi": "\x9b31m C1 CSI and \x9d0;title\x9c",
    "bell-backspace": "ding\x07\x07 back\x08\x08\x08XYZ",
    "carriage-return": "visible\rhidden over it",
    "nul-and-del": "nul\x00here del\x7fhere",
    "bidi-override": "invoice \u202egnp.exe\u202c for \u2066you\u2069",
    "bidi-marks": "\u200eleft\u200fright\u061cmark",
    "zero-width": "zero\u200bwidth\u200cjoin\ufeffbom",
    "emoji": "👩\u200d👩\u200d👧 family 🇺🇦 flag 🏳️\u200d🌈 ok",
    "csv-equals": '=HYPERLINK("https://evil.example","click")',
    "csv-plus": "+1+cmd|' /C calc'!A0",
    "csv-minus": "-2+3+cmd|' /C calc'!A0",
    "csv-at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "csv-tab": "\t=1+1",
    "long-line": "lorem ipsum " * 200,
}
"""Short hostile strings, each also usable as a one-line title."""

BIG_BODY = ("A very long body. [b]markup[/b] \x1b[31m " * 30_000)[:1_000_000]
"""A 1 MB body that also carries markup and escapes all the way through."""

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
"""Characters that must never reach the terminal: C0 (but tab and newline), DEL, C1, bidi
controls and invisible characters."""

MARKUP_WORDS = ("[b]bold[/b]", "[@click=app.quit]", "[link=https://evil.example/]", "[/]")
"""Markup that must appear literally wherever its entry is shown whole."""


def titles() -> list[str]:
    """Every corpus entry as a one-line title (max 500 characters, as titles allow)."""
    return [text[:500] for text in CORPUS.values()]


def assert_safe(shown: str) -> None:
    """Shown text contains no character that could steer the terminal."""
    found = FORBIDDEN.search(shown)
    assert found is None, f"unsafe character {found.group()!r} in {shown[:200]!r}"


def screen_text(app: Any) -> str:
    """The whole screen of a running app exactly as it would be sent to the terminal, as text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)
