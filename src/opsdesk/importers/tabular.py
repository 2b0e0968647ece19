"""One reader for the files other tools export: CSV (any delimiter) and JSON Lines.

Support desks and CRMs name their columns differently ("Subject", "Requester email",
"Account Name", "Created at"), so each importer names the fields it keeps and the headers
that mean each one; a column is matched by its header with case, spaces, dashes, dots and
underscores folded, and ``--map field=column`` overrides the guess (``--map field=`` leaves
a field out). The reader yields every row with the line it starts on, so a problem can be
reported as "line 14, column 'Created': ...".

- CSV: UTF-8 with or without a byte-order mark; the delimiter is the one of ``,`` ``;``
  tab ``|`` that splits the header row most; CRLF, LF or CR line ends; quoted cells may hold
  delimiters, quotes and line breaks. Rows shorter than the header are padded with empty
  cells (spreadsheets drop trailing empties); longer ones are a problem.
- JSON Lines: one JSON object per line; nested objects are flattened with dots
  (``{"requester": {"email": ...}}`` is the column ``requester.email``), arrays stay lists.

Nothing here knows what a feedback item or a contact is: the importers turn mapped cells
into records and collect every bad cell before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 500_000_000
MAX_CELL_CHARS = 16_000_000
"""The longest cell read (a feedback body may hold up to 5 MB)."""
DELIMITERS = ",;\t|"
PROGRESS_EVERY = 2_000
"""Rows between two progress reports."""

Cell = str | list[str]
Progress = Callable[[str, int, int], None]
"""Called with a stage name, the steps done and the steps in all."""


class TabularError(ValueError):
    """The file cannot be read at all (not text, no header, a --map naming no column)."""


@dataclass(frozen=True)
class Problem:
    """One bad row: where it starts, which column, and what is wrong, for a person."""

    line: int
    column: str | None
    reason: str

    def sentence(self) -> str:
        where = f"line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "reason": self.reason}


@dataclass(frozen=True)
class Row:
    """One record of the file: the line it starts on, and its cells by field name.

    Only fields the file has a (non-empty) cell for are present.
    """

    line: int
    cells: dict[str, Cell]


@dataclass
class Table:
    """What a file holds, mapped onto an importer's fields."""

    format: str
    columns: list[str]
    mapping: dict[str, str] = field(default_factory=dict)
    """field → the column it was read from."""
    ignored: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lines: int = 0


def fold_header(header: str) -> str:
    """How headers are compared: 'Requester_Email ' and 'requester-email' are the same."""
    return " ".join(re.sub(r"[_\-.]+", " ", header).casefold().split())


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    """``["title=Subject Line", "tags="]`` → ``{"title": "Subject Line", "tags": ""}``."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip():
            raise TabularError(f"--map '{pair}' is not field=column (e.g. title=Subject)")
        found[name.strip()] = column.strip()
    return found


def map_columns(
    columns: Sequence[str],
    aliases: Mapping[str, Sequence[str]],
    overrides: Mapping[str, str] | None = None,
) -> tuple[dict[str, int], list[str]]:
    """(field → column index, ignored column names) for a file's header.

    Overrides win; otherwise each column goes to the first field whose aliases hold its
    folded header, and a field already taken keeps its first column.
    """
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(aliases))
    if unknown:
        raise TabularError(
            f"--map {unknown[0]}=…: '{unknown[0]}' is not a field here "
            f"(fields: {', '.join(aliases)})"
        )
    folded = [fold_header(column) for column in columns]
    mapping: dict[str, int] = {}
    for name, column in overrides.items():
        if not column:
            continue
        index = _find_column(columns, folded, column)
        if index is None:
            shown = ", ".join(f"'{c}'" for c in columns[:20])
            raise TabularError(
                f"--map {name}={column}: the file has no column '{column}' ({shown})"
            )
        mapping[name] = index
    known = {fold_header(alias): name for name, names in aliases.items() for alias in names}
    taken = set(mapping.values())
    for index, header in enumerate(folded):
        name = known.get(header)
        if index in taken or name is None or name in mapping or name in overrides:
            continue
        mapping[name] = index
        taken.add(index)
    ignored = [columns[i] for i in range(len(columns)) if i not in taken]
    return mapping, ignored


def _find_column(columns: Sequence[str], folded: Sequence[str], wanted: str) -> int | None:
    if wanted in columns:
        return list(columns).index(wanted)
    key = fold_header(wanted)
    return folded.index(key) if key in folded else None


def read_text(path: Path) -> str:
    """A file's text: UTF-8, a byte-order mark dropped; refused plainly otherwise."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise TabularError(f"{path} does not exist") from None
    if size > MAX_FILE_BYTES:
        raise TabularError(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TabularError(
            f"{path} is not UTF-8 text (line {line}); export it as UTF-8 CSV or JSON Lines"
        ) from None


def detect_format(path: Path | None, text: str) -> str:
    """'jsonl' for .jsonl/.ndjson/.json files or text starting with '{', else 'csv'."""
    if path is not None and path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def read_table(
    source: Path | str,
    aliases: Mapping[str, Sequence[str]],
    overrides: Mapping[str, str] | None = None,
    *,
    format: str | None = None,
    progress: Progress | None = None,
) -> Table:
    """Read a file (or text) and map its columns onto ``aliases``' fields.

    Rows that cannot be read (a JSON line that is not an object, a CSV row with too many
    cells) are collected in :attr:`Table.problems`; a file that cannot be read at all
    raises :class:`TabularError`.
    """
    path = source if isinstance(source, Path) else None
    text = read_text(source) if isinstance(source, Path) else source
    kind = format or detect_format(path, text)
    if kind not in ("csv", "jsonl"):
        raise TabularError(f"'{kind}' is not a format opsdesk reads (csv or jsonl)")
    total = text.count("\n") + 1
    report = progress or (lambda stage, done, all_: None)
    if kind == "csv":
        return _read_csv(text, aliases, overrides, total, report)
    return _read_jsonl(text, aliases, overrides, total, report)


# -- CSV ---------------------------------------------------------------------------------------


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header row most (outside quotes); ',' if none does."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)?")
"""One line with its end (CRLF, LF or CR), as ``io.StringIO(text, newline="")`` yields them."""


def _first_line(text: str) -> str:
    """The first line that is not blank, read off the start of the text (no copy of it)."""
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            break
        if line.strip():
            return line
    return ""


def _read_csv(
    text: str,
    aliases: Mapping[str, Sequence[str]],
    overrides: Mapping[str, str] | None,
    total: int,
    report: Progress,
) -> Table:
    delimiter = sniff_delimiter(_first_line(text))
    if csv.field_size_limit() < MAX_CELL_CHARS:  # 128 KB by default: a long body is longer
        csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(row for row in reader if any(cell.strip() for cell in row))
    except StopIteration:
        raise TabularError("the file is empty: it needs a header row and data rows") from None
    except csv.Error as error:
        raise TabularError(
            f"line {reader.line_num}: the header row cannot be read ({error})"
        ) from None
    columns = [cell.strip() for cell in header]
    mapping, ignored = map_columns(columns, aliases, overrides)
    table = Table("csv", columns, {name: columns[i] for name, i in mapping.items()}, ignored)
    width = len(columns)
    pairs = list(mapping.items())
    start = reader.line_num + 1
    rows, problems = table.rows, table.problems
    while True:
        try:
            for cells in reader:
                line, start = start, reader.line_num + 1
                count = len(cells)
                if count == width > 1:  # the usual row: every cell there, no more
                    found: dict[str, Cell] = {
                        name: value for name, index in pairs if (value := cells[index]).strip()
                    }
                else:
                    if not cells or (count == 1 and not cells[0].strip()):
                        continue
                    if count > width and any(cell.strip() for cell in cells[width:]):
                        reason = (
                            f"{count} cells for {width} columns (a stray '{delimiter}' or quote?)"
                        )
                        problems.append(Problem(line, None, reason))
                        continue
                    found = {
                        name: value
                        for name, index in pairs
                        if index < count and (value := cells[index]).strip()
                    }
                rows.append(Row(line, found))
                if len(rows) % PROGRESS_EVERY == 0:
                    report("reading", reader.line_num, total)
        except csv.Error as error:  # a stray quote: report it, carry on with the next row
            problems.append(Problem(start, None, f"cannot be read as CSV ({error})"))
            start = reader.line_num + 1
            continue
        break
    table.lines = reader.line_num
    report("reading", total, total)
    return table


# -- JSON Lines --------------------------------------------------------------------------------


def _flatten(value: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, inner in value.items():
        name = f"{prefix}{key}"
        if isinstance(inner, Mapping):
            yield from _flatten(inner, name + ".")
        else:
            yield name, inner


def _cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_cell_text(item) for item in value if item is not None]
    return _cell_text(value)


def _cell_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_jsonl(
    text: str,
    aliases: Mapping[str, Sequence[str]],
    overrides: Mapping[str, str] | None,
    total: int,
    report: Progress,
) -> Table:
    records: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    columns: dict[str, None] = {}
    # Lines end at '\n' only: JSON strings may hold U+2028, U+2029 or U+0085 unescaped,
    # which str.splitlines() would also break at.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(number, None, f"not valid JSON ({error.msg})"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(number, None, "not a JSON object ({...})"))
            continue
        flat = dict(_flatten(value))
        columns.update(dict.fromkeys(flat))
        records.append((number, flat))
        if len(records) % PROGRESS_EVERY == 0:
            report("reading", number, total)
    if not records and not problems:
        raise TabularError("the file is empty: it needs one JSON object per line")
    if not records:  # not one object: an array, a CSV read as JSON Lines... say so plainly
        first = problems[0]
        raise TabularError(
            f"no line holds a JSON object (line {first.line}: {first.reason}); JSON Lines "
            'has one object per line, such as {"title": "…"}'
        )
    names = list(columns)
    mapping, ignored = map_columns(names, aliases, overrides)
    table = Table("jsonl", names, {name: names[i] for name, i in mapping.items()}, ignored)
    table.problems = problems
    table.lines = total
    pairs = [(name, names[index]) for name, index in mapping.items()]
    for number, flat in records:
        found: dict[str, Cell] = {}
        for name, column in pairs:
            cell = _cell(flat.get(column))
            if cell if isinstance(cell, list) else cell.strip():
                found[name] = cell
        table.rows.append(Row(number, found))
    report("reading", total, total)
    return table
