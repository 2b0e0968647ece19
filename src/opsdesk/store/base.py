"""What every table's repository shares: writes with history, and windows onto queries.

A pane never loads a table. It asks for a *window*: ``limit`` rows at a position, in a named
sort order. When the caller knows the sort key of the row just before the window, the query
continues from it (keyset pagination) instead of counting rows with ``OFFSET``, so paging
through 100,000 items costs the same at the end as at the start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from opsdesk.store.store import Store

ModelT = TypeVar("ModelT", bound="BaseModel")

BULK_REBUILD_ROWS = 5_000
"""A bulk insert of at least this many rows (and no fewer than the table holds) rebuilds the
table's indexes after the insert instead of updating them row by row."""

_UNICODE_3_2 = unicodedata.ucd_3_2_0

FTS_HASH_BYTES = 1024 * 1024
"""FTS5's default memory for terms waiting to be written (its ``hashsize`` setting)."""

BULK_FTS_HASH_BYTES = 64 * 1024 * 1024
"""The same while a bulk insert fills the full-text index: a few times the index of 100,000
items, so their terms are written once instead of flushed and merged every megabyte."""


BULK_CACHE_KIB = 256 * 1024

BULK_WRITE_STEPS = 5
"""The steps of :meth:`Repository.insert_many` it reports: the rows, their side tables, the
rebuilt indexes, the full-text index and the history lines."""
"""SQLite's page cache limit during a bulk insert (its default is 2 MB): room for the pages
that 100,000 feedback items make (about 150 MB with their indexes and full-text index)."""


class RecordNotFound(LookupError):
    """No record has that id (it may have been deleted by someone else)."""


class InvalidRecord(ValueError):
    """A record failed validation; the message names each field and what is wrong."""

    @classmethod
    def from_error(cls, error: ValidationError) -> InvalidRecord:
        from opsdesk.models import describe_validation_error

        return cls(describe_validation_error(error))


@dataclass
class Batch:
    """One write transaction: every history line it adds shares the batch id (for undo)."""

    id: str
    at: dt.datetime
    actor: str
    changes: int = 0


@dataclass(frozen=True)
class SortSpec:
    """A named order for a list: SQL expressions, the last of which is unique (the id)."""

    label: str
    columns: tuple[str, ...]
    descending: bool = False

    @property
    def order_by(self) -> str:
        direction = " DESC" if self.descending else ""
        return ", ".join(f"{column}{direction}" for column in self.columns)

    @property
    def reverse_order_by(self) -> str:
        """The same order backwards (NULLs move to the other end too, as they should)."""
        direction = "" if self.descending else " DESC"
        return ", ".join(f"{column}{direction}" for column in self.columns)


@dataclass(frozen=True)
class Where:
    """A WHERE clause built by a repository from a pane's filters (never by the pane)."""

    clauses: tuple[str, ...] = ()
    params: tuple[Any, ...] = ()
    view: str | None = None
    """The built-in view these rows belong to when the repository keeps an index of just
    that view's rows (the inbox's SLA views): counting reads that index, not the table."""

    def and_(self, clause: str, *params: Any) -> Where:
        return Where((*self.clauses, clause), (*self.params, *params), self.view)

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1"


_UNBUILT: Any = object()


class WindowRow(Generic[ModelT]):
    """A record in a window, with the sort key that lets the next window continue after it.

    ``extra`` holds the row's other selected values by name (stored deadlines, demand). A
    row read by :meth:`Repository.window` makes its validated ``record`` only when first asked
    for: a list draws its rows from ``line`` (the repository's light view of the stored
    values, when it has one), so the first screen needs no pydantic models at all.
    """

    __slots__ = ("_line", "_make_line", "_make_record", "_record", "extra", "key", "stored")

    def __init__(
        self,
        record: ModelT = _UNBUILT,
        key: tuple[Any, ...] = (),
        extra: dict[str, Any] | None = None,
        *,
        stored: Mapping[str, Any] | None = None,
        make_record: Callable[[Mapping[str, Any]], ModelT] | None = None,
        make_line: Callable[[Mapping[str, Any]], Any] | None = None,
    ) -> None:
        self._record = record
        self.key = key
        self.extra = extra if extra is not None else {}
        self.stored = stored
        self._make_record = make_record
        self._make_line = make_line
        self._line: Any = _UNBUILT

    @property
    def record(self) -> ModelT:
        if self._record is _UNBUILT:
            assert self._make_record is not None and self.stored is not None
            self._record = self._make_record(self.stored)
        return self._record

    @property
    def line(self) -> Any:
        """What a list shows of this row: the repository's light view, else the record.

        The light view trusts the stored values; one it cannot read (a row edited by another
        tool) falls back to the record, whose validation is the rule for what is valid.
        """
        if self._line is _UNBUILT:
            line = _UNBUILT
            if self._make_line is not None and self.stored is not None:
                # On failure the record below says what is wrong, or reads it after all.
                with contextlib.suppress(ValueError, TypeError, AttributeError):
                    line = self._make_line(self.stored)
            self._line = self.record if line is _UNBUILT else line
        return self._line

    def __repr__(self) -> str:
        shown = self._record if self._record is not _UNBUILT else dict(self.stored or {})
        return f"WindowRow(key={self.key!r}, {shown!r})"


def to_db(value: Any) -> Any:
    """Python value to the column value we store: ISO text for dates, JSON for lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


_PLAIN = (str, int, float, str | None, int | None, float | None)


def _instant_text(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat(timespec="seconds")


def converter_for(annotation: Any) -> Callable[[Any], Any] | None:
    """The conversion :func:`to_db` would apply to a field of this type, picked once: None
    for values stored as they are, the datetime step alone for instants, else ``to_db``."""
    if annotation in _PLAIN:
        return None
    if annotation in (dt.datetime, dt.datetime | None):
        return _instant_text
    return to_db


def history_text(value: Any) -> str | None:
    """How a value is written in the history table (text, so any type can be compared)."""
    stored = to_db(value)
    if stored is None:
        return None
    return str(stored)


def fts_query(text: str, *, positions: bool = True) -> str:
    """Quote every word of a user's search so no input can break an FTS5 query.

    Each word becomes a quoted prefix term, so ``dark OR`` searches for the words "dark" and
    "or" rather than running an FTS5 operator; only its letters and digits are kept, so no
    quote, NUL or stray surrogate reaches FTS5. A word the tokenizer splits ("sign-in",
    "v2.1", "jo@acme.com") is a phrase in an index that keeps word ``positions``; the
    inbox's keeps none (schema m011) and refuses phrases, so there each piece is a term of
    its own, all required, in parentheses. Words are joined by an explicit ``AND``, which
    FTS5 needs beside parentheses. A search with no letters or digits matches nothing.
    """
    words = []
    for word in unicodedata.normalize("NFC", text).split():
        pieces = word_pieces(word)
        if not pieces:
            continue
        if positions or len(pieces) == 1:
            words.append(f'"{" ".join(pieces)}"*')
        else:
            terms = [f'"{piece}"*' for piece in pieces]
            words.append(f"({' AND '.join(terms)})")
    return " AND ".join(words) or '""'


def word_pieces(word: str) -> list[str]:
    """The runs of letters and digits in ``word``, each one token to FTS5's tokenizer.

    SQLite's ``unicode61`` tokenizer knows the letters of Unicode 6.1, and a letter it does
    not know splits a word, so a piece holding one would be a two-token phrase, which an
    index without positions refuses. Pieces are therefore cut by Unicode 3.2's letters and
    digits, all of which it knows: a word in a newer script finds nothing rather than fail.
    """
    pieces: list[str] = []
    current: list[str] = []
    for char in word:
        if _UNICODE_3_2.category(char)[0] in "LN":
            current.append(char)
        elif current:
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    return pieces


class ModelRef:
    """A repository's model class, named here and imported when first asked for.

    Opening the store and listing rows (which are read as plain rows, not models) then need
    no pydantic: importing it costs the first screen about as much as all of opsdesk's own
    code does. The first record read or written loads it.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.owner, self.attribute = owner, attribute

    def __get__(self, instance: object, owner: type | None = None) -> type[BaseModel]:
        from opsdesk import models

        model: type[BaseModel] = getattr(models, self.name)
        # From now on the class holds the model itself: bulk paths read it once per row.
        setattr(self.owner, self.attribute, model)
        return model


class Repository(Generic[ModelT]):
    """Reads and writes one table as validated models; subclasses name the table and sorts."""

    table: ClassVar[str]
    model: ClassVar[type[BaseModel]]
    json_fields: ClassVar[frozenset[str]] = frozenset()
    sorts: ClassVar[dict[str, SortSpec]] = {}
    history_hidden: ClassVar[frozenset[str]] = frozenset()
    record_name: ClassVar[str] = "record"
    """What one row is called in messages ("no launch with id 9")."""
    side_tables: ClassVar[tuple[str, ...]] = ()
    """Tables holding this table's list fields (feedback tags), one row per value."""
    fts_columns: ClassVar[tuple[str, ...]] = ()
    """Columns of this table's full-text index ``<table>_fts``, which inserts here maintain.

    Rows must be inserted through :meth:`insert` / :meth:`insert_many` (or a subclass's own
    method that calls :meth:`_index_new`): an update trigger keeps the index in step on
    edits, and a delete trigger on deletes, but new rows are indexed by the repository.
    """

    line_from_stored: ClassVar[Callable[[Mapping[str, Any]], Any] | None] = None
    """A light view of a stored row for lists (see :attr:`WindowRow.line`), if the table has one."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    # -- reading -------------------------------------------------------------------------

    def columns(self) -> list[str]:
        """The model's fields kept in this table's own columns (worked out once: every row
        read or written asks)."""
        cached: list[str] | None = self.__dict__.get("_columns")
        if cached is None:
            cached = [name for name in self.model.model_fields if name not in self.virtual_fields()]
            self.__dict__["_columns"] = cached
        return cached

    def _bool_columns(self) -> list[str]:
        """Columns stored as 0/1 that the model wants as booleans (worked out once)."""
        cached: list[str] | None = self.__dict__.get("_bools")
        if cached is None:
            fields = self.model.model_fields
            cached = [name for name in self.columns() if fields[name].annotation is bool]
            self.__dict__["_bools"] = cached
        return cached

    def virtual_fields(self) -> frozenset[str]:
        """Model fields that do not live in this table's own columns (e.g. feedback tags)."""
        return frozenset()

    def from_row(self, row: sqlite3.Row | dict[str, Any]) -> ModelT:
        data = {name: row[name] for name in self.columns()}
        for name in self.json_fields:
            data[name] = json.loads(data[name]) if data[name] else []
        for name in self._bool_columns():
            data[name] = bool(data[name])
        if self.virtual_fields():
            prefetched = self.prefetched_virtual(row)
            data.update(prefetched if prefetched is not None else self.load_virtual(int(row["id"])))
        return self.model.model_validate(data)  # type: ignore[return-value]

    def load_virtual(self, record_id: int) -> dict[str, Any]:
        return {}

    def virtual_select(self) -> str:
        """Extra SELECT columns that bring the side-table fields along with a window's rows."""
        return ""

    def prefetched_virtual(self, row: sqlite3.Row | dict[str, Any]) -> dict[str, Any] | None:
        """The side-table fields from a row fetched with :meth:`virtual_select`, if it was."""
        return None

    def get(self, record_id: int) -> ModelT:
        row = self.conn.execute(f"SELECT * FROM {self.table} WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise RecordNotFound(f"no {self.record_name} with id {record_id}")
        return self.from_row(row)

    def delete(self, record_id: int) -> ModelT:
        """Remove one record; its history line keeps the whole record, so nothing is lost.

        Only for tables without a full-text index (removing a row there must also remove its
        terms, which this does not do).
        """
        if self.fts_columns:
            raise NotImplementedError(f"{self.table} has a full-text index: delete its terms too")
        with self.store.write() as batch:
            record = self.get(record_id)
            self.conn.execute(f"DELETE FROM {self.table} WHERE id = ?", (record_id,))
            self.store.history.note(
                batch,
                self.table,
                record_id,
                "*",
                json.dumps(record.model_dump(mode="json"), ensure_ascii=False),
                "deleted",
            )
            return record

    def count(self, where: Where | None = None, *, limit: int | None = None) -> int:
        """Rows matching ``where``; with ``limit``, stop counting there (a cheap 'N or more')."""
        where = where or Where()
        if limit is None:
            sql = f"SELECT count(*) FROM {self.table} WHERE {where.sql()}"
            params: tuple[Any, ...] = where.params
        else:
            sql = f"SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {where.sql()} LIMIT ?)"
            params = (*where.params, limit)
        return int(self.conn.execute(sql, params).fetchone()[0])

    def window(
        self,
        where: Where,
        sort: str,
        *,
        offset: int = 0,
        limit: int = 100,
        after: tuple[Any, ...] | None = None,
        extra_columns: str = "",
        total: int | None = None,
    ) -> list[WindowRow[ModelT]]:
        """``limit`` rows in ``sort`` order: after the key ``after`` if given, else at
        ``offset``.

        ``total``, the list's length when the caller knows it exactly, lets a window nearer
        the end than the start be read from the end backwards: the last page (End) then
        costs what the first does, instead of walking and skipping every row before it
        (100-300 ms on 100,000 items for a view that is not the sort's index).
        """
        spec = self.sorts[sort]
        order_by = spec.order_by
        backwards = False
        if after is None and total is not None and offset > total - offset - limit:
            backwards = True
            limit, offset = min(limit, total - offset), max(total - offset - limit, 0)
            if limit <= 0:
                return []
            order_by = spec.reverse_order_by
        keys = ", ".join(f"{column} AS _k{i}" for i, column in enumerate(spec.columns))
        params: list[Any] = list(where.params)
        clause = where.sql()
        if after is not None:
            placeholders = ", ".join("?" for _ in spec.columns)
            comparison = "<" if spec.descending else ">"
            clause += f" AND ({', '.join(spec.columns)}) {comparison} ({placeholders})"
            params.extend(after)
            offset = 0
        extras = ", ".join(part for part in (self.virtual_select(), extra_columns) if part)
        extras = f", {extras}" if extras else ""
        columns = f"{self.table}.*, {keys}{extras}"
        if offset:
            # A jump (End, or opening a record far down): the rows skipped are only counted,
            # but a sort no index gives SQLite (SLA due) sorts whole rows, side-table fields
            # and all, before skipping them: 1.1 s for the last page of 100,000 items. Sorting
            # just the ids and reading the page's rows after takes a tenth of that.
            sql = (
                f"SELECT {columns} FROM {self.table} WHERE id IN "
                f"(SELECT id FROM {self.table} WHERE {clause} "
                f"ORDER BY {order_by} LIMIT ? OFFSET ?) ORDER BY {order_by}"
            )
        else:
            sql = (
                f"SELECT {columns} FROM {self.table} WHERE {clause} "
                f"ORDER BY {order_by} LIMIT ? OFFSET ?"
            )
        params.extend([limit, offset])
        rows = self.conn.execute(sql, params).fetchall()
        if backwards:
            rows.reverse()
        result = []
        keys = [f"_k{i}" for i in range(len(spec.columns))]
        # a Row iterates over its values: its names come from keys()
        names = [name for name in rows[0].keys() if name not in keys] if rows else []  # noqa: SIM118
        for row in rows:
            result.append(
                WindowRow(
                    key=tuple(row[key] for key in keys),
                    extra={name: row[name] for name in names},
                    stored=row,
                    make_record=self.from_row,
                    make_line=type(self).line_from_stored,
                )
            )
        return result

    def position(self, where: Where, sort: str, record_id: int) -> int | None:
        """Where record ``record_id`` sits in the list ``where`` sorted by ``sort`` (0-based),
        or None when the list does not hold it: two indexed queries, however long the list."""
        spec = self.sorts[sort]
        columns = ", ".join(spec.columns)
        key = self.conn.execute(
            f"SELECT {columns} FROM {self.table} WHERE id = ? AND {where.sql()}",
            (record_id, *where.params),
        ).fetchone()
        if key is None:
            return None
        placeholders = ", ".join("?" for _ in spec.columns)
        comparison = ">" if spec.descending else "<"
        before = self.conn.execute(
            f"SELECT count(*) FROM {self.table} WHERE {where.sql()} "
            f"AND ({columns}) {comparison} ({placeholders})",
            (*where.params, *tuple(key)),
        ).fetchone()[0]
        return int(before)

    # -- writing -------------------------------------------------------------------------

    def _row(self, record: ModelT) -> dict[str, Any]:
        data = record.model_dump()
        return {name: to_db(data[name]) for name in self.columns() if name != "id"}

    def _converters(self) -> list[tuple[str, Callable[[Any], Any] | None]]:
        """Each stored column (but the id) with the conversion its values need, worked out
        once from the model's field types, so a bulk insert converts only dates, enums,
        booleans and lists instead of testing every value's type."""
        cached: list[tuple[str, Callable[[Any], Any] | None]] | None = self.__dict__.get("_convert")
        if cached is None:
            fields = self.model.model_fields
            cached = []
            for name in self.columns():
                if name == "id":
                    continue
                cached.append((name, converter_for(fields[name].annotation)))
            self.__dict__["_convert"] = cached
        return cached

    def _values(self, record: ModelT) -> list[Any]:
        """A validated record's column values in :meth:`_converters` order."""
        getter, converted = self._value_plan()
        values = list(getter(record))
        for index, convert in converted:
            values[index] = convert(values[index])
        return values

    def _value_plan(self) -> tuple[Callable[[Any], tuple[Any, ...]], list[tuple[int, Any]]]:
        """One C-level getter for every column, and the positions that need converting."""
        plan = self.__dict__.get("_plan")
        if plan is None:
            converters = self._converters()
            getter = attrgetter(*(name for name, _ in converters))
            converted = [(i, c) for i, (_, c) in enumerate(converters) if c is not None]
            plan = self.__dict__["_plan"] = (getter, converted)
        return plan

    def validate(self, data: dict[str, Any]) -> ModelT:
        from pydantic import ValidationError  # loaded already: the model below needs it

        try:
            return self.model.model_validate(data)  # type: ignore[return-value]
        except ValidationError as error:
            raise InvalidRecord.from_error(error) from None

    def insert(self, record: ModelT) -> ModelT:
        """Insert one record in its own transaction (or the caller's) and note it in history."""
        with self.store.write() as batch:
            return self._insert(record, batch)

    def insert_many(
        self,
        records: Sequence[ModelT],
        *,
        validated: bool = False,
        derived: Mapping[str, Sequence[Any]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[int]:
        """Insert many records in one transaction, each with a 'created' history line.

        The bulk path of imports and generators: ids are allotted under the write lock and
        rows, side tables and history go in with ``executemany``, many times faster than
        inserting one by one. ``validated`` says every record was built by validation (an
        importer's ``model_validate``), so checking it again would only cost time; records
        from anywhere else are validated here. ``derived`` gives extra columns (e.g. SLA
        deadlines) one value per record, written in the same statement. When the batch is
        at least as large as the table, the table's secondary indexes are dropped and
        rebuilt after the insert: a sorted build is several times faster than 100,000
        random index inserts, and it is all one transaction, so a failure leaves them as
        they were. ``progress(done, BULK_WRITE_STEPS)`` is told as each step ends (rows,
        side tables, indexes, full-text index, history): 100,000 rows take seconds.
        """
        step = progress or (lambda done, total: None)
        if not records:
            return []
        with self.store.write() as batch:
            checked = (
                list(records)
                if validated
                else [self.validate(record.model_dump()) for record in records]
            )
            first = int(
                self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {self.table}").fetchone()[0]
            )
            ids = list(range(first + 1, first + 1 + len(checked)))
            extra = dict(derived or {})
            for name, column in extra.items():
                if len(column) != len(checked):
                    raise ValueError(f"{len(column)} values of {name} for {len(checked)} rows")
            if type(self)._row is Repository._row:  # no table-specific row shape
                stored = [name for name, _ in self._converters()]
                values: Iterator[Sequence[Any]] = (self._values(record) for record in checked)
            else:
                shaped = [self._row(record) for record in checked]
                stored = list(shaped[0])
                values = (list(row.values()) for row in shaped)
            names = ["id", *stored, *extra]
            columns = ", ".join(f'"{name}"' for name in names)
            placeholders = ", ".join("?" for _ in names)
            extra_rows = zip(*extra.values(), strict=True) if extra else None
            rows = (
                (record_id, *row, *(next(extra_rows) if extra_rows else ()))
                for record_id, row in zip(ids, values, strict=True)
            )
            with self._bulk_cache(len(checked)):
                with self._bulk_indexes(len(checked), first):
                    self.conn.executemany(
                        f"INSERT INTO {self.table} ({columns}) VALUES ({placeholders})", rows
                    )
                    step(1, BULK_WRITE_STEPS)
                    self.save_virtual_many(ids, checked)
                    step(2, BULK_WRITE_STEPS)
                step(3, BULK_WRITE_STEPS)
                self._index_range(ids[0], ids[-1])
                step(4, BULK_WRITE_STEPS)
                self.store.history.note_created(batch, self.table, ids[0], ids[-1])
                step(5, BULK_WRITE_STEPS)
            return ids

    @contextmanager
    def _bulk_cache(self, adding: int) -> Iterator[None]:
        """A larger page cache for a bulk insert of at least :data:`BULK_REBUILD_ROWS` rows,
        put back after (it is a limit: memory is taken only as pages are used).

        With SQLite's default 2 MB, the new pages spill to the write-ahead log as they are
        made and are read back from it by every index build and by the full-text fill, each
        of which reads the whole table: 100,000 items are about 40 MB of table, read some
        twenty times. Kept in memory until the commit, they are read from memory: on the
        100,000-row import, about 0.5 s less (system time mostly), for some 130 MB more
        memory at the peak.
        """
        if adding < BULK_REBUILD_ROWS:
            yield
            return
        saved = int(self.conn.execute("PRAGMA cache_size").fetchone()[0])
        self.conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {saved}")

    @contextmanager
    def _bulk_indexes(self, adding: int, existing_hint: int) -> Iterator[None]:
        """Drop this table's secondary indexes for a big bulk insert and rebuild them after.

        Only when the batch holds at least :data:`BULK_REBUILD_ROWS` rows and is no smaller
        than the table (``existing_hint`` is the largest id, an upper bound of the row
        count): rebuilding an index costs the whole table, inserting into it costs the batch.
        The side tables that :meth:`save_virtual_many` fills grow with the batch, so theirs
        are rebuilt too (a unique key stays: ``INSERT OR IGNORE`` needs it).
        """
        if adding < BULK_REBUILD_ROWS or adding < existing_hint:
            yield
            return
        tables = (self.table, *self.side_tables)
        indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' for _ in tables)})",
            tables,
        ).fetchall()
        for name, _ in indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
        yield
        for _, sql in indexes:
            self.conn.execute(sql)

    def _index_range(self, first_id: int, last_id: int) -> None:
        """Add the rows with ids in [first_id, last_id] to the full-text index: one
        statement that reads the text SQLite already holds."""
        if not self.fts_columns:
            return
        names = ", ".join(f'"{column}"' for column in self.fts_columns)
        index = f"{self.table}_fts"
        bulk = last_id - first_id >= BULK_REBUILD_ROWS
        if bulk:
            # FTS5 flushes its pending terms to a new segment (and merges segments) every
            # 1 MB by default: a bulk fill with room for all its terms writes each segment
            # once, a third faster. The setting is put back in the same transaction.
            self._fts_hash_size(index, BULK_FTS_HASH_BYTES)
        self.conn.execute(
            f'INSERT INTO "{index}" (rowid, {names}) '
            f"SELECT id, {names} FROM {self.table} WHERE id BETWEEN ? AND ?",
            (first_id, last_id),
        )
        if bulk:
            self._fts_hash_size(index, FTS_HASH_BYTES)

    def _fts_hash_size(self, index: str, size: int) -> None:
        self.conn.execute(
            f'INSERT INTO "{index}" ("{index}", rank) VALUES (\'hashsize\', ?)', (size,)
        )

    def _index_new(self, rows: Sequence[tuple[int, dict[str, Any]]]) -> None:
        """Add newly inserted rows to the full-text index, in one statement."""
        if not self.fts_columns:
            return
        names = ", ".join(f'"{column}"' for column in self.fts_columns)
        placeholders = ", ".join("?" for _ in self.fts_columns)
        self.conn.executemany(
            f'INSERT INTO "{self.table}_fts" (rowid, {names}) VALUES (?, {placeholders})',
            [(record_id, *(row.get(c) for c in self.fts_columns)) for record_id, row in rows],
        )

    def save_virtual_many(self, ids: Sequence[int], records: Sequence[ModelT]) -> None:
        """Write the side-table fields of newly inserted records, given their new ids.

        The default saves each record on its own (:meth:`save_virtual`); a table with side
        data on every import (feedback tags) overrides this with one statement.
        """
        for record_id, record in zip(ids, records, strict=True):
            self.save_virtual(record.model_copy(update={"id": record_id}), None)

    def _insert(self, record: ModelT, batch: Batch) -> ModelT:
        # Validate again: a record built with ``model_construct`` skipped validation, and one
        # bad row would break every window that reaches it.
        record = self.validate(record.model_dump())
        row = self._row(record)
        names = ", ".join(f'"{name}"' for name in row)
        placeholders = ", ".join("?" for _ in row)
        cursor = self.conn.execute(
            f"INSERT INTO {self.table} ({names}) VALUES ({placeholders})", list(row.values())
        )
        record_id = int(cursor.lastrowid or 0)
        saved = record.model_copy(update={"id": record_id})
        self.save_virtual(saved, None)
        self._index_new([(record_id, row)])
        self.store.history.note(batch, self.table, record_id, "*", None, "created")
        return saved

    def save_virtual(self, record: ModelT, before: ModelT | None) -> None:
        """Write the fields kept outside this table's row (subclasses that have any)."""

    def update(self, record_id: int, **changes: Any) -> ModelT:
        """Change some fields of one record; every changed field lands in history."""
        with self.store.write() as batch:
            return self._update(record_id, changes, batch)

    def _update(self, record_id: int, changes: dict[str, Any], batch: Batch) -> ModelT:
        before = self.get(record_id)
        data = before.model_dump()
        unknown = set(changes) - set(data)
        if unknown:
            raise InvalidRecord(f"{', '.join(sorted(unknown))}: not a field of {self.table}")
        data.update(changes)
        after = self.validate(data)
        old_data, new_data = before.model_dump(), after.model_dump()
        changed = [name for name in data if name != "id" and old_data[name] != new_data[name]]
        if not changed:
            return before
        own = [name for name in changed if name not in self.virtual_fields()]
        if own:
            assignments = ", ".join(f'"{name}" = ?' for name in own)
            values = [to_db(new_data[name]) for name in own]
            self.conn.execute(
                f"UPDATE {self.table} SET {assignments} WHERE id = ?", [*values, record_id]
            )
        if set(changed) & self.virtual_fields():
            self.save_virtual(after, before)
        for name in changed:
            hidden = name in self.history_hidden
            self.store.history.note(
                batch,
                self.table,
                record_id,
                name,
                None if hidden else history_text(old_data[name]),
                None if hidden else history_text(new_data[name]),
            )
        return after


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction: take the write lock before reading anything."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def new_batch(at: dt.datetime, actor: str) -> Batch:
    return Batch(id=uuid.uuid4().hex, at=at, actor=actor)
