"""Writing Markdown that renders the same on GitHub, GitLab, chat tools and any CommonMark host.

Every piece of customer or user text goes through one escaper, so no text can become HTML,
a heading, a list, a block quote, a code span or block, a link (autolinks and GitHub's bare
URL and e-mail links included), an image, emphasis, strikethrough, math, or a table cell
boundary. The escaper backslash-escapes the ASCII punctuation that has meaning where it stands
(and the dots of anything shaped like a domain name, which linkify-style renderers make links
of), neutralises what only has meaning at the start of a line (``- ``, ``+ ``, ``>``, ``1. ``,
a line of ``-`` or ``=``) where the text does begin one, and leaves the rest as typed
('Billing & Monetization', '-38%', '+3.1 pp', ``week_1``), so a pasted report reads as plain
text too. It writes the white space at either end of a line as character references (a
leading run would otherwise be an indented code block, a trailing one a line break or
nothing), and keeps a text's own line breaks as Markdown hard breaks. Control characters are
made visible first, as in the app.

The guarantee tests check with an independent CommonMark parser: the text a reader gets
back is exactly :func:`opsdesk.text.visible` of what was stored (one-line contexts such as
table cells and headings fold line breaks to spaces).

:class:`Document` builds a report from headings, paragraphs, bullet lists and GitHub-style
tables; only it writes Markdown syntax, and only around escaped text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from opsdesk.text import visible

ALWAYS_ESCAPED = frozenset("\\`*[]<|~$#@")
"""Punctuation with a meaning anywhere in a line: escapes, code, emphasis, links, HTML,
table cells, strikethrough, math, headings and GitHub's issue and e-mail links."""

_LINE_START = re.compile(r"^(?:[-+>]|\d{1,9}(?=[.)](?:\s|$)))")
"""What opens a block at the start of a line: a ``-`` or ``+`` list marker (followed by a
space or nothing), a ``>`` block quote, an ordered list's ``1.`` or ``2)`` (followed by one)."""
_UNDERLINE = re.compile(r"^(?:-+|=+)$")
"""A line of ``-`` or ``=`` alone: it would make the line above it a heading."""
_WORDLIKE = r"[^\s!-/:-@\[-`{-~]"
"""Anything but white space and ASCII punctuation: what linkify counts as part of a name."""
_BARE_URL = re.compile(rf"(?<={_WORDLIKE})(?::(?=//)|(?<![0-9])\.(?={_WORDLIKE})|\.(?=[^\W\d]))")
"""The ``:`` of ``scheme://`` and a dot inside a word (``example.com``, ``www.x``): what
GitHub and linkify-style renderers (chat tools, Textual's Markdown) turn into links. A dot
from a digit to a digit (``3.1``, ``v2.0``) is left alone: no renderer links a number."""
_NEWLINES = re.compile(r"\r\n?")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _escape_chars(line: str) -> str:
    """Backslash-escape the punctuation of ``line`` that could mean something where it stands.

    Besides :data:`ALWAYS_ESCAPED`: an ``&`` only where it could open a character reference
    (``&amp;``, ``&#65;``), not in 'Billing & Monetization'; an ``_`` only where it could open
    or close emphasis, not inside a word (``week_1``)."""
    out = []
    last = len(line) - 1
    for index, char in enumerate(line):
        if char in ALWAYS_ESCAPED:
            out.append("\\")
        elif char == "&":
            if index < last and (line[index + 1] == "#" or line[index + 1] in _ALNUM):
                out.append("\\")
        elif char == "_":
            inside = 0 < index < last and line[index - 1] in _ALNUM and line[index + 1] in _ALNUM
            if not inside:
                out.append("\\")
        out.append(char)
    return "".join(out)


def _reference(text: str) -> str:
    return "".join(f"&#{ord(char)};" for char in text)


def _escape_line(line: str, *, line_start: bool = True) -> str:
    """One line of text, safe where a line of inline text may stand.

    ``line_start`` says the text begins a line of the document, where ``- x``, ``> x`` or
    ``1. x`` open a block; a table cell, a heading's text or a value after its label is
    inline only, and a leading ``-`` or ``+`` there ('-38%') is kept as typed.
    """
    body = line.lstrip()
    lead = line[: len(line) - len(body)]
    body = body.rstrip()
    trail = line[len(lead) + len(body) :]
    if not body:
        return _reference(line)
    escaped = _BARE_URL.sub(lambda m: "\\" + m.group(), _escape_chars(body))
    if line_start and not lead:
        escaped = _escape_line_start(body, escaped)
    return _reference(lead) + escaped + _reference(trail)


def _escape_line_start(body: str, escaped: str) -> str:
    """``escaped`` (``body`` escaped) with what would open a block at a line's start escaped
    too; a line that begins with a character reference (leading spaces) opens none."""
    if _UNDERLINE.match(body):
        return "\\" + escaped
    start = _LINE_START.match(escaped)
    if not start:
        return escaped
    if escaped[0] in "-+>":
        return "\\" + escaped
    end = start.end()
    return escaped[:end] + "\\" + escaped[end:]


def clean(text: str | None) -> str:
    """Text as stored → text as shown: one newline convention, control characters visible."""
    if not text:
        return ""
    return visible(_NEWLINES.sub("\n", text))


def escape_block(text: str | None, indent: str = "") -> str:
    """Multi-line text as the content of a paragraph (or a list item indented by ``indent``).

    Each line break becomes a hard break (a backslash at the end of the line); a break at
    the very start or end, where Markdown has no hard break, is a character reference.
    """
    lines = clean(text).split("\n")
    head = 0
    while head < len(lines) - 1 and lines[head] == "":
        head += 1
    tail = len(lines)
    while tail > head + 1 and lines[tail - 1] == "":
        tail -= 1
    middle = [_escape_line(line) for line in lines[head:tail]]
    body = ("\\\n" + indent).join(middle)
    return "&#10;" * head + body + "&#10;" * (len(lines) - tail)


def escape_inline(text: str | None, *, line_start: bool = True) -> str:
    """Text for a one-line context (a table cell, a heading, a label): breaks become spaces.

    ``line_start=False`` where the text cannot begin a line of the document (a table cell,
    a heading's text, a value after its label), so a leading '-38%' is not escaped."""
    return _escape_line(clean(text).replace("\n", " "), line_start=line_start)


def cell(value: object) -> str:
    """A table cell: ``None`` and empty strings show as an en dash, and a number (a count)
    with thousands separators, as the app and every report sentence write it ('12,345').

    A record id is not a count: pass it as text (``str(item.id)``), as the app shows '#12345'.
    """
    if value is None or value == "":
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return escape_inline(f"{value:,}", line_start=False)
    return escape_inline(str(value), line_start=False)


@dataclass
class Document:
    """A Markdown document built from blocks; all text passed in is escaped here."""

    blocks: list[str] = field(default_factory=list)

    def heading(self, level: int, text: str) -> Document:
        """A heading; ``text`` is written literally (it may hold customer text)."""
        self.blocks.append("#" * level + " " + escape_inline(text, line_start=False))
        return self

    def paragraph(self, text: str | None) -> Document:
        """A paragraph of literal text (its line breaks kept); nothing for empty text."""
        if text and clean(text).strip():
            self.blocks.append(escape_block(text))
        return self

    def fields(self, pairs: Iterable[tuple[str, object]]) -> Document:
        """'Label: value' lines as one paragraph (hard breaks); empty values left out."""
        lines = [
            f"{escape_inline(name)}: {escape_inline(str(value), line_start=False)}"
            for name, value in pairs
            if value is not None and value != ""
        ]
        if lines:
            self.blocks.append("\\\n".join(lines))
        return self

    def bullets(self, items: Iterable[str], *, empty: str | None = None) -> Document:
        """A bullet list of literal texts (each may span lines)."""
        lines = [f"- {escape_block(item, indent='  ')}" for item in items if item]
        if lines:
            self.blocks.append("\n".join(lines))
        elif empty:
            self.paragraph(empty)
        return self

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        align: str = "",
        empty: str | None = None,
    ) -> Document:
        """A GitHub-flavoured table. ``align`` holds one letter per column: ``l`` or ``r``."""
        body = [
            "| " + " | ".join(cell(value) for value in row) + " |"
            for row in rows
            if len(row) == len(headers)
        ]
        if not body:
            if empty:
                self.paragraph(empty)
            return self
        marks = ["---:" if (align[i : i + 1] == "r") else "---" for i in range(len(headers))]
        lines = [
            "| " + " | ".join(escape_inline(h, line_start=False) for h in headers) + " |",
            "| " + " | ".join(marks) + " |",
            *body,
        ]
        self.blocks.append("\n".join(lines))
        return self

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"
