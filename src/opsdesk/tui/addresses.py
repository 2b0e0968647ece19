"""How a detail panel lays out e-mail addresses (a contact's, an inbox item's customers).

The panel is a third of the screen (under 40 cells at 120 columns, less at 80), and many
work addresses are longer. Rich wraps at spaces and folds a word that is too long wherever
the line ends, so ``jonathan.smithers-longname@enterprise-customer.example`` came out as
``jonathan.smithers-longname@enterprise-cu`` / ``stomer.example``: a split that reads as two
addresses, or as a typo. An address is broken only before an ``@`` or a ``.`` (where a
reader expects a break, as in printed URLs), continuation lines are indented, and only a
single part longer than the whole line is folded. Every character stays on screen, so the
address can still be read and copied whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from opsdesk.text import visible

INDENT = "  "
"""Before each continuation line, so it reads as the same value."""

_PARTS = re.compile(r"[@.]?[^@.]*")


def address_parts(address: str) -> list[str]:
    """The address cut before each '@' and '.': 'a.b@c.d' -> ['a', '.b', '@c', '.d']."""
    return [part for part in _PARTS.findall(address) if part]


def _fold(part: str, width: int) -> list[str]:
    """A part longer than a whole line, cut at the line's width (counted in cells)."""
    pieces: list[str] = []
    piece = ""
    for char in part:
        if piece and cell_len(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def _fill(parts: list[str], lines: list[str], room: int, width: int) -> None:
    """Add ``parts`` to ``lines`` (the last of which has ``room`` cells), as many to a line
    as fit, a new line of ``width`` cells when the next does not."""
    for part in parts:
        if cell_len(lines[-1] + part) <= room:
            lines[-1] += part
            continue
        if lines[-1] or room < width:
            lines.append("")
            room = width
        if cell_len(part) <= room:
            lines[-1] = part
            continue
        *whole, rest = _fold(part, room)
        lines[-1:] = [*whole, rest]
        room = width


def address_lines(address: str, first: int, width: int) -> list[str]:
    """``address`` in lines of at most ``first`` cells (the first line, after its label) and
    then ``width`` cells, broken only before an '@' or a '.' where it can be.

    The '@' comes first: the mailbox on one line and the domain on the next reads as one
    address ('aaliyah.abebe8931@falcon-travel-ab' / '.example' did not). The first line may
    be empty: the address then starts on the next line, whole if it fits there.
    """
    width = max(width, 1)
    if cell_len(address) <= first:
        return [address]
    if cell_len(address) <= width:
        return ["", address]  # whole on a line of its own reads better than split
    local, at, domain = address.rpartition("@")
    lines = [""]
    if at and local:
        _fill(address_parts(local), lines, max(first, 0), width)
        lines.append("")
        _fill(address_parts(at + domain), lines, width, width)
    else:
        _fill(address_parts(address), lines, max(first, 0), width)
    return lines


class LabelledAddress:
    """'Email: address' for a detail panel, the address broken as :func:`address_lines`
    says at the width the panel has when it is drawn. Given several addresses ('Customers:'
    on an inbox item) each starts a line of its own: joined with commas, Rich wrapped them
    wherever a line ended, mid-address."""

    def __init__(self, label: str, address: str | Sequence[str], *, style: str = "") -> None:
        """``label`` '' puts the address under what comes before, indented; ``style`` is
        the addresses' (the label is bold)."""
        self.label = f"{label}: " if label else INDENT
        wanted = [address] if isinstance(address, str) else list(address)
        self.addresses = [visible(one) for one in wanted]
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        rest = width - cell_len(INDENT)
        text = Text(overflow="fold")
        text.append(self.label, style="bold")
        for index, address in enumerate(self.addresses):
            # Several start under the label, each on its own line, so they line up.
            if index == 0 and len(self.addresses) == 1:
                lines = address_lines(address, width - cell_len(self.label), rest)
            else:
                lines = ["", *address_lines(address, rest, rest)]
            text.append(lines[0], style=self.style)
            for line in lines[1:]:
                text.append(f"\n{INDENT}{line}", style=self.style)
        yield text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """As wide as the label and the longest address, at most the width on offer."""
        longest = max((cell_len(address) for address in self.addresses), default=0)
        whole = cell_len(self.label) + longest
        return Measurement(min(whole, options.max_width), min(whole, options.max_width))
