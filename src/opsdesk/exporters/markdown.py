"""Writing Markdown that renders the same on GitHub, GitLab, chat tools and any CommonMark host.

Every piece of customer or user text goes through one escaper, so no text can become HTML,
a heading, a list, a block quote, a code span or block, a link (autolinks and GitHub's bare
URL and e-mail links included), an image, emphasis, strikethrough, math, or a table cell
boundary. The escaper backslash-escapes the ASCII punctuation that has meaning (and the dots
of anything shaped like a domain name, which linkify-style renderers make links of), neutralises
what only has meaning at the start of a line (``-``, ``+``, ``=``, ``1.``), writes the
white space at either end of a line as character references (a leading run would otherwise
be an indented code block, a trailing one a line break or nothing), and keeps a text's own line
breaks as Markdown hard breaks. Control characters are made visible first, as in the app.

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

ALWAYS_ESCAPED = frozenset("\\`*_[]<>|~&$#@")
"""Punctuation with a meaning anywhere in a line: escapes, code, emphasis, links, HTML,
table cells, strikethrough, character references, math, headings and GitHub e-mail links."""

_LINE_START = re.compile(r"^(?:[-+=]|\d{1,9}(?=[.)]))")
"""What opens a list, a setext underline or a thematic break at the start of a line."""
_WORDLIKE = r"[^\s!-/:-@\[-`{-~]"
"""Anything but white space and ASCII punctuation: what linkify counts as part of a name."""
_BARE_URL = re.compile(rf"(?<={_WORDLIKE})(?::(?=//)|\.(?={_WORDLIKE}))")
"""The ``:`` of ``scheme://`` and a dot inside a word (``example.com``, ``www.x``): what
GitHub and linkify-style renderers (chat tools, Textual's Markdown) turn into links."""
_NEWLINES = re.compile(r"\r\n?")


def _escape_chars(line: str) -> str:
    out = []
    for char in line:
        if char in ALWAYS_ESCAPED:
            out.append("\\")
        out.append(char)
    return "".join(out)


def _reference(text: str) -> str:
    return "".join(f"&#{ord(char)};" for char in text)


def _escape_line(line: str) -> str:
    """One line of text, safe anywhere a line of inline text may stand."""
    body = line.lstrip()
    lead = line[: len(line) - len(body)]
    body = body.rstrip()
    trail = line[len(lead) + len(body) :]
    if not body:
        return _reference(line)
    body = _BARE_URL.sub(lambda m: "\\" + m.group(), _escape_chars(body))
    start = _LINE_START.match(body)
    if start:
        if body[0] in "-+=":
            body = "\\" + body
        else:
            end = start.end()
            body = body[:end] + "\\" + body[end:]
    return _reference(lead) + body + _reference(trail)


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


def escape_inline(text: str | None) -> str:
    """Text for a one-line context (a table cell, a heading, a label): breaks become spaces."""
    return _escape_line(clean(text).replace("\n", " "))


def cell(value: object) -> str:
    """A table cell: ``None`` and empty strings show as an en dash, and a number (a count)
    with thousands separators, as the app and every report sentence write it ('12,345').

    A record id is not a count: pass it as text (``str(item.id)``), as the app shows '#12345'.
    """
    if value is None or value == "":
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return escape_inline(f"{value:,}")
    return escape_inline(str(value))


@dataclass
class Document:
    """A Markdown document built from blocks; all text passed in is escaped here."""

    blocks: list[str] = field(default_factory=list)

    def heading(self, level: int, text: str) -> Document:
        """A heading; ``text`` is written literally (it may hold customer text)."""
        self.blocks.append("#" * level + " " + escape_inline(text))
        return self

    def paragraph(self, text: str | None) -> Document:
        """A paragraph of literal text (its line breaks kept); nothing for empty text."""
        if text and clean(text).strip():
            self.blocks.append(escape_block(text))
        return self

    def fields(self, pairs: Iterable[tuple[str, object]]) -> Document:
        """'Label: value' lines as one paragraph (hard breaks); empty values left out."""
        lines = [
            f"{escape_inline(name)}: {escape_inline(str(value))}"
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
            "| " + " | ".join(escape_inline(h) for h in headers) + " |",
            "| " + " | ".join(marks) + " |",
            *body,
        ]
        self.blocks.append("\n".join(lines))
        return self

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"
