"""The highlighted launch under the timeline, fitted to the lines the box has.

The box is a few lines high (three under the timeline, two on a narrow screen), and a launch
can have any number of risks and flags. Letting the text wrap cut it wherever the box ended:
a third risk sentence lost mid-word, and on an 80-column screen the facts alone filled the
box, so the risks were not shown at all. A person glancing at the box reads what is missing
as "nothing wrong". So the text is laid out here for the box's width and height, never
wrapped by Textual:

- the first line holds the launch's facts, most useful first (title, date, status,
  readiness, tier, owner), as many as fit;
- the other lines hold its risks, then its flags, in the most detailed form in which they
  all fit: full sentences; the flags shortened; every risk shortened too ('legal overdue
  (due 16 Nov)'); the flags counted ('× same week as 2 launches'); the risks grouped by
  kind ('overdue: legal, marketing'). When not even the groups fit, the last groups give
  way to a count of what is not shown ('+1 more risk'). A risk or flag is never cut in the
  middle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from opsdesk.formatting import counted, words
from opsdesk.models import Launch
from opsdesk.rules.risk import RISK_WORDS, RiskKind
from opsdesk.store.base import WindowRow
from opsdesk.text import one_line

__all__ = ["EMPTY_TEXT", "LaunchFocus", "focus_text"]

EMPTY_TEXT = "No launch in these weeks: ←/→ moves through time, . goes to today."
RISK_PREFIX = "At risk: "
SEPARATOR = "; "
FLAG_SEPARATOR = "  "
"""Between the last risk and the first flag: a flag is not a risk, so no '; '."""
MIN_TITLE = 12
"""The fewest cells a title keeps on the facts line beside the date, status and readiness."""
TITLE_ROOM = 40
"""The cells a title keeps before the tier and the owner are shown beside it."""
ESSENTIAL_FACTS = 3
"""Date, status and readiness: the facts that shorten a long title to stay on the line."""
GROUP_WORDS: dict[RiskKind, str] = {
    RiskKind.BLOCKED: "blocked",
    RiskKind.OVERDUE: "overdue",
    RiskKind.NOT_STARTED: "not started",
}
"""A kind of risk as a group's heading ('due soon, not started' has a comma of its own)."""


@dataclass(frozen=True)
class Piece:
    """Text that is shown whole or not at all, and how many risks and flags it speaks of."""

    text: str
    style: str
    risks: int = 0
    flags: int = 0

    @property
    def is_flag(self) -> bool:
        return not self.risks


@dataclass(frozen=True)
class Finding:
    """One risk or flag in each of its forms, most detailed first."""

    full: Piece
    short: Piece
    kind: RiskKind | None = None
    """The kind of risk (None for a flag), for the grouped form."""
    function: str = ""
    flag: str = ""
    """'collision' or 'blackout' for a flag, for the grouped form."""


def _findings(view: Any) -> list[Finding]:
    """The launch's risks (most urgent first, as assessed), then its flags."""
    found: list[Finding] = []
    for risk in view.assessment.risks:
        item = risk.item
        style = "yellow" if risk.kind == RiskKind.NOT_STARTED else "red"
        function = words(item.function)
        due = f"(due {item.due_date:%d %b})"
        what = RISK_WORDS[risk.kind]
        full = Piece(f"{function} · {one_line(item.title, 80)}: {what} {due}", style, risks=1)
        short = Piece(f"{function} {what} {due}", style, risks=1)
        found.append(Finding(full, short, risk.kind, function))
    for other in view.flags.collisions:
        title, day = one_line(other.title, 60), f"{other.launch_date:%d %b}"
        full = Piece(f"× same week, same audience as {title} ({day})", "red", flags=1)
        short = Piece(f"× same week as {one_line(other.title, 32)}", "red", flags=1)
        found.append(Finding(full, short, flag="collision"))
    for name in view.flags.blackouts:
        full = Piece(f"░ inside the blackout '{one_line(name, 60)}'", "red", flags=1)
        found.append(Finding(full, Piece("░ in a blackout", "red", flags=1), flag="blackout"))
    return found


def _grouped(found: Sequence[Finding]) -> list[Piece]:
    """Risks by kind ('overdue: legal, marketing'), collisions and blackouts counted."""
    pieces: list[Piece] = []
    for kind in RiskKind:
        functions = [f.function for f in found if f.kind == kind]
        if functions:
            style = "yellow" if kind == RiskKind.NOT_STARTED else "red"
            text = f"{GROUP_WORDS[kind]}: {', '.join(functions)}"
            pieces.append(Piece(text, style, risks=len(functions)))
    clashes = [f for f in found if f.flag == "collision"]
    if clashes:
        text = f"× same week as {counted(len(clashes), 'launch', 'launches')}"
        pieces.append(Piece(text, "red", flags=len(clashes)))
    blackouts = [f for f in found if f.flag == "blackout"]
    if blackouts:
        text = "░ in a blackout" if len(blackouts) == 1 else f"░ in {len(blackouts)} blackouts"
        pieces.append(Piece(text, "red", flags=len(blackouts)))
    return pieces


def _summary(hidden: Sequence[Piece], shown: Sequence[Piece] = ()) -> Piece:
    """'+1 more risk', '+2 more risks, 1 flag': what did not fit, counted ('more' where
    some of that kind are shown)."""
    risks = sum(piece.risks for piece in hidden)
    flags = sum(piece.flags for piece in hidden)
    parts = []
    if risks:
        more = any(piece.risks for piece in shown)
        parts.append(counted(risks, "more risk" if more else "risk"))
    if flags:
        more = any(piece.flags for piece in shown)
        parts.append(counted(flags, "more flag" if more else "flag"))
    return Piece("+" + ", ".join(parts), "bold", risks=risks, flags=flags)


def _pack(pieces: Sequence[Piece], width: int, lines: int, prefix: str) -> list[Text] | None:
    """``pieces`` laid out in at most ``lines`` lines of ``width`` cells, each whole on one
    line; None when they do not fit."""
    out: list[Text] = []
    line = Text(no_wrap=True)
    if prefix:
        line.append(prefix, style="bold red")
    on_line = 0
    previous: Piece | None = None
    for piece in pieces:
        if previous is None:
            joiner = ""
        else:
            joiner = FLAG_SEPARATOR if piece.is_flag and not previous.is_flag else SEPARATOR
        need = cell_len(piece.text)
        if on_line and line.cell_len + cell_len(joiner) + need > width:
            out.append(line)
            line, on_line, joiner = Text(no_wrap=True), 0, ""
        if len(out) >= lines or line.cell_len + cell_len(joiner) + need > width:
            return None
        line.append(joiner)
        line.append(piece.text, style=piece.style)
        on_line += 1
        previous = piece
    out.append(line)
    return out


def _risk_lines(found: Sequence[Finding], width: int, lines: int) -> list[Text]:
    """The risks and flags in at most ``lines`` lines: the most detailed form that fits."""
    if not found or lines < 1:
        return []
    prefix = RISK_PREFIX if found[0].kind is not None else ""
    groups = _grouped(found)
    risks = [f for f in found if f.kind is not None]
    forms = [
        [f.full for f in found],
        [*(f.full for f in risks), *(f.short for f in found if f.kind is None)],
        [f.short for f in found],
        [*(f.short for f in risks), *(piece for piece in groups if piece.is_flag)],
        groups,
    ]
    for pieces in forms:
        packed = _pack(pieces, width, lines, prefix)
        if packed is not None:
            return packed
    for shown in range(len(groups) - 1, -1, -1):
        summary = _summary(groups[shown:], groups[:shown])
        packed = _pack([*groups[:shown], summary], width, lines, prefix)
        if packed is not None:
            return packed
    # Too narrow for even the count beside the prefix: cut it at the edge, clearly marked.
    last = Text(no_wrap=True)
    last.append(prefix, style="bold red")
    last.append(_summary(groups).text.removeprefix("+"))
    last.truncate(width, overflow="ellipsis")
    return [last]


def _facts_line(row: WindowRow[Launch], width: int) -> Text:
    """Title, then date, status, readiness, tier and owner, as many as fit in ``width``."""
    launch = row.record
    view = row.extra.get("view")
    facts = [f"{launch.launch_date:%a %d %b %Y}", words(launch.status)]
    if view is not None and not view.assessment.cancelled:  # its status says why not
        facts.append(f"{view.assessment.cell()} ready")
    facts.append(f"tier {launch.tier}")
    if launch.owner:
        facts.append(one_line(launch.owner, 30))
    title = Text(one_line(launch.title, 200), style="bold", no_wrap=True)
    shown: list[str] = []
    for index, fact in enumerate(facts):
        # Date, status and readiness squeeze the title down to MIN_TITLE cells; tier and
        # owner give way to a title up to TITLE_ROOM cells.
        keep = MIN_TITLE if index < ESSENTIAL_FACTS else TITLE_ROOM
        tail = "  " + " · ".join([*shown, fact])
        if min(title.cell_len, keep) + cell_len(tail) > width:
            break
        shown.append(fact)
    tail = "  " + " · ".join(shown) if shown else ""
    title.truncate(max(width - cell_len(tail), 1), overflow="ellipsis")
    line = Text(no_wrap=True)
    line.append_text(title)
    line.append(tail)
    line.truncate(width, overflow="ellipsis")
    return line


def focus_text(row: WindowRow[Launch] | None, width: int, lines: int) -> Text:
    """The highlighted launch in at most ``lines`` lines of ``width`` cells (see the module)."""
    width, lines = max(width, 1), max(lines, 1)
    if row is None:
        empty = Text(EMPTY_TEXT, style="italic", no_wrap=True)
        empty.truncate(width, overflow="ellipsis")
        return empty
    out = [_facts_line(row, width)]
    view = row.extra.get("view")
    if view is not None:
        out.extend(_risk_lines(_findings(view), width, lines - 1))
    return Text("\n", no_wrap=True).join(out)


class LaunchFocus(Widget):
    """The timeline's highlighted launch, laid out again whenever the box changes size."""

    DEFAULT_CSS = """
    LaunchFocus {
        height: 4;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._row: WindowRow[Launch] | None = None
        self._shown = False

    def show(self, row: WindowRow[Launch] | None) -> None:
        """Show ``row`` (None: no launch in the weeks on screen)."""
        self._row, self._shown = row, True
        self.refresh()

    def render(self) -> Text:
        if not self._shown:
            return Text("")
        size = self.content_size
        return focus_text(self._row, size.width, size.height)
