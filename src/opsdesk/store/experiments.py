"""Experiments, from idea to learning: the board's columns, overlaps, the learnings library.

Besides the usual windows, this repository answers the questions the board asks in bulk:
which experiments occupy a window (for overlap checks, as small rows rather than models),
which past experiments resemble a draft (ranked full-text search), and how each team or
surface has fared (win rate, planned vs actual duration), all in single indexed queries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from opsdesk.rules.overlap import normalise
from opsdesk.store.base import ModelRef, RecordNotFound, Repository, SortSpec, Where, fts_query
from opsdesk.vocabulary import ExperimentStatus

if TYPE_CHECKING:
    from opsdesk.models import Experiment, Feedback, Launch

STATUS_ORDER = (
    "CASE status WHEN 'running' THEN 0 WHEN 'analyzing' THEN 1 WHEN 'designing' THEN 2 "
    "WHEN 'idea' THEN 3 WHEN 'concluded' THEN 4 ELSE 5 END"
)
"""Running work first, then what is about to run, then what is finished."""

COLUMN_SORTS: dict[ExperimentStatus, str] = {
    ExperimentStatus.IDEA: "start",
    ExperimentStatus.DESIGNING: "start",
    ExperimentStatus.RUNNING: "ending",
    ExperimentStatus.ANALYZING: "ended_earliest",
    ExperimentStatus.CONCLUDED: "ended",
    ExperimentStatus.ABANDONED: "newest",
}
"""The order of each board column, in what a manager asks of it, not when cards were made.

Ideas and designs by planned start, soonest first (what is about to begin); running work by
planned end, soonest first (what wraps up next, an overrun first of all); work being
analysed by when it ended, longest ago first (the readout kept waiting longest);
concluded work by when it ended, latest first (the fresh results); abandoned work newest
first. A card without the date goes below those with it, but for one being analysed,
which went there without an end and so heads the column; ties go by id. Each column reads
an index of ``(status, key, id)`` (schema 17): a column of thousands opens as fast as one
of three.
"""

LIST_SORTS = ("status", "start", "newest", "ended")
"""The orders ``s`` cycles through in the experiment list (the board's own serve columns)."""

SIMILAR_COLUMNS = "{title hypothesis surface primary_metric}"
"""The indexed columns "before you start" compares a draft with (learnings are the answer,
not the question)."""

_STOP_TEXT = """a an and are as at be by can do does for from has have how if in into is it its
more less not of on or our so than that the their them then there these they this to up we will
with without would us you your same new when which who why what cause measured believe"""

STOP_WORDS = frozenset(_STOP_TEXT.split())
"""Words too common to say two experiments are alike."""

MAX_SIMILAR_TERMS = 40

MAX_ID = 2**63 - 1
"""The largest id SQLite can hold (a 64-bit signed integer)."""

NAME_COLUMNS = frozenset({"team", "surface", "primary_metric"})
"""Columns holding names people type and filter by, matched however they were spelled."""


@dataclass(frozen=True)
class ExperimentFilter:
    """What an experiment list shows. Every field narrows the list; empty fields don't.

    Team, surface and metric are names a person types: they match however they were
    spelled ('growth' finds 'Growth', ' web ' finds 'web'), by the rule the overlap checks
    use to say two experiments share a surface.
    """

    status: str | None = None
    team: str | None = None
    surface: str | None = None
    search: str = ""
    include_abandoned: bool = False
    metric: str | None = None
    result: str | None = None
    any_word: bool = False
    """Match ``search`` on any of its words rather than all of them."""


@dataclass(frozen=True)
class ScheduleRow:
    """The fields overlap checks read, for one experiment (no hypothesis, no learnings)."""

    id: int
    title: str
    owner: str | None
    team: str | None
    status: ExperimentStatus
    surface: str | None
    audience: str | None
    primary_metric: str | None
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None


@dataclass(frozen=True)
class GroupStats:
    """How one team's (or surface's) concluded experiments turned out."""

    name: str
    concluded: int
    won: int
    lost: int
    flat: int
    inconclusive: int
    timed: int
    """How many had both a planned and an actual window (the durations average these)."""
    planned_days: float | None
    actual_days: float | None

    @property
    def decided(self) -> int:
        """Experiments that gave an answer: won, lost or flat."""
        return self.won + self.lost + self.flat

    @property
    def win_rate(self) -> float | None:
        """Wins out of the decided experiments (won, lost or flat); None when none decided.

        An inconclusive experiment did not lose: it could not tell. Counted as a loss, it
        pulled a team's rate down for running an underpowered test (one inconclusive result
        read as a 0 % win rate), so it is left out of the rate and counted apart.
        """
        return self.won / self.decided if self.decided else None


@dataclass(frozen=True)
class Similar:
    """A past experiment that resembles a draft, with its full-text score (lower is closer)."""

    experiment: Experiment
    score: float


class ExperimentRepository(Repository["Experiment"]):
    record_name = "experiment"
    table = "experiments"
    model = ModelRef("Experiment")
    json_fields = frozenset({"guardrail_metrics"})
    fts_columns = ("title", "hypothesis", "surface", "primary_metric", "learnings")
    sorts = {
        "status": SortSpec("status", (STATUS_ORDER, "id")),
        "start": SortSpec("planned start", ("coalesce(planned_start, '9999')", "id")),
        "newest": SortSpec("newest first", ("id",), descending=True),
        "ended": SortSpec(
            "latest end first", ("coalesce(actual_end, planned_end, '')", "id"), descending=True
        ),
        "ending": SortSpec("planned end", ("coalesce(planned_end, '9999')", "id")),
        "ended_earliest": SortSpec(
            "earliest end first", ("coalesce(actual_end, planned_end, '')", "id")
        ),
    }
    """The list's orders (:data:`LIST_SORTS`) and the board columns' (:data:`COLUMN_SORTS`).
    Within one status each but ``status`` reads an index of ``(status, its key, id)``."""

    def where(self, query: ExperimentFilter) -> Where:
        where = Where()
        if query.status:
            where = where.and_("status = ?", query.status)
        elif not query.include_abandoned:
            where = where.and_("status != 'abandoned'")
        for column, value in (
            ("team", query.team),
            ("surface", query.surface),
            ("primary_metric", query.metric),
        ):
            if value and value.strip():
                spellings = self.spellings(column, value)
                marks = ", ".join("?" for _ in spellings) or "NULL"
                where = where.and_(f"{column} IN ({marks})", *spellings)
        if query.result:
            where = where.and_("result = ?", query.result.strip().casefold())
        if query.search.strip():
            words = query.search.split()
            match = (
                " OR ".join(fts_query(word) for word in words)
                if query.any_word
                else fts_query(query.search)
            )
            where = where.and_(
                "id IN (SELECT rowid FROM experiments_fts WHERE experiments_fts MATCH ?)", match
            )
        return where

    def counts_by_status(self, search: str = "") -> dict[ExperimentStatus, int]:
        """Experiments per status (matching ``search``), in one query for the board's headers."""
        where = self.where(ExperimentFilter(search=search, include_abandoned=True))
        rows = self.conn.execute(
            f"SELECT status, count(*) FROM experiments WHERE {where.sql()} GROUP BY status",
            where.params,
        ).fetchall()
        counts = dict.fromkeys(ExperimentStatus, 0)
        for status, count in rows:
            counts[ExperimentStatus(status)] = int(count)
        return counts

    # -- overlaps ----------------------------------------------------------------------------

    def schedule(self, planned_statuses: Iterable[str]) -> list[ScheduleRow]:
        """Every running experiment, and every planned one (a status in ``planned_statuses``)
        that has a planned start: the only ones that can collide."""
        planned = sorted(set(planned_statuses))
        marks = ", ".join("?" for _ in planned) or "NULL"
        rows = self.conn.execute(
            "SELECT id, title, owner, team, status, surface, audience, primary_metric, "
            "planned_start, planned_end, actual_start FROM experiments "
            "WHERE status = 'running' "
            f"OR (status IN ({marks}) AND planned_start IS NOT NULL)",
            planned,
        ).fetchall()
        return [
            ScheduleRow(
                id=row[0],
                title=row[1],
                owner=row[2],
                team=row[3],
                status=ExperimentStatus(row[4]),
                surface=row[5],
                audience=row[6],
                primary_metric=row[7],
                planned_start=_date(row[8]),
                planned_end=_date(row[9]),
                actual_start=_date(row[10]),
            )
            for row in rows
        ]

    # -- before you start ------------------------------------------------------------------

    def similar(
        self,
        text: str,
        *,
        statuses: Sequence[str] = ("concluded", "abandoned"),
        limit: int = 5,
        exclude_id: int | None = None,
    ) -> list[Similar]:
        """Past experiments whose title, hypothesis, surface or metric share words with
        ``text``, best match first (BM25, title words weighing double)."""
        query = similar_query(text)
        if not query or not statuses:
            return []
        marks = ", ".join("?" for _ in statuses)
        params: list[object] = [query, *statuses]
        exclude = ""
        if exclude_id is not None:
            exclude = "AND e.id != ?"
            params.append(exclude_id)
        params.append(limit)
        rows = self.conn.execute(
            "SELECT e.*, bm25(experiments_fts, 2.0, 1.0, 1.0, 1.0, 0.0) AS _score "
            "FROM experiments_fts JOIN experiments e ON e.id = experiments_fts.rowid "
            f"WHERE experiments_fts MATCH ? AND e.status IN ({marks}) {exclude} "
            "ORDER BY _score LIMIT ?",
            params,
        ).fetchall()
        return [Similar(self.from_row(row), float(row["_score"])) for row in rows]

    # -- learnings library -------------------------------------------------------------------

    def spellings(self, column: str, name: str) -> list[str]:
        """Every stored spelling of ``name`` in ``column`` (team, surface, primary metric):
        'Growth', 'growth' and 'Growth ' are one team to the person filtering by it.

        Matched in Python with :func:`~opsdesk.rules.overlap.normalise` (SQLite's NOCASE
        folds only ASCII), over the column's distinct values (read from its index), so the
        filter itself stays an indexed ``IN``.
        """
        if column not in NAME_COLUMNS:
            raise ValueError(f"{column} is not a name experiments are filtered by")
        wanted = normalise(name)
        rows = self.conn.execute(
            f"SELECT DISTINCT {column} FROM experiments WHERE {column} IS NOT NULL"
        ).fetchall()
        return [row[0] for row in rows if normalise(row[0]) == wanted]

    def distinct(self, column: str, where: Where | None = None) -> list[str]:
        """The different values of ``column`` (team, surface, primary metric, result, owner,
        audience) among ``where``, for a library filter's choices: one per name however it
        was spelled (its most used spelling), since the filter finds every spelling."""
        if column not in {"team", "surface", "primary_metric", "result", "owner", "audience"}:
            raise ValueError(f"{column} is not a column experiments are filtered by")
        where = where or Where()
        rows = self.conn.execute(
            f"SELECT {column}, count(*) FROM experiments WHERE {where.sql()} "
            f"AND {column} IS NOT NULL AND trim({column}) != '' GROUP BY {column} "
            f"ORDER BY count(*) DESC, {column}",
            where.params,
        ).fetchall()
        names: dict[str, str] = {}
        for value, _ in rows:
            names.setdefault(normalise(value), value)
        return [names[key] for key in sorted(names)]

    def group_stats(self, where: Where, by: str) -> list[GroupStats]:
        """Per team or per surface (``by``): results and average planned and actual duration
        (days, both ends included) of the experiments in ``where``; largest groups first."""
        if by not in {"team", "surface"}:
            raise ValueError(f"statistics are grouped by team or surface, not {by}")
        timed = (
            "planned_start IS NOT NULL AND planned_end IS NOT NULL "
            "AND actual_start IS NOT NULL AND actual_end IS NOT NULL"
        )
        rows = self.conn.execute(
            f"SELECT coalesce(nullif({by}, ''), '(none)') AS name, count(*), "
            "sum(result = 'won'), sum(result = 'lost'), sum(result = 'flat'), "
            "sum(result = 'inconclusive'), "
            f"sum(CASE WHEN {timed} THEN 1 ELSE 0 END), "
            f"avg(CASE WHEN {timed} THEN julianday(planned_end) - julianday(planned_start) + 1 "
            "END), "
            f"avg(CASE WHEN {timed} THEN julianday(actual_end) - julianday(actual_start) + 1 END) "
            f"FROM experiments WHERE {where.sql()} GROUP BY name "
            "ORDER BY count(*) DESC, name COLLATE NOCASE",
            where.params,
        ).fetchall()
        return [
            GroupStats(
                name=row[0],
                concluded=int(row[1]),
                won=int(row[2] or 0),
                lost=int(row[3] or 0),
                flat=int(row[4] or 0),
                inconclusive=int(row[5] or 0),
                timed=int(row[6] or 0),
                planned_days=row[7],
                actual_days=row[8],
            )
            for row in rows
        ]

    # -- links to feedback and launches ------------------------------------------------------

    def link_ids(self, experiment_id: int) -> tuple[list[int], list[int]]:
        """The ids of the feedback and the launches one experiment is linked to."""
        feedback = self.conn.execute(
            "SELECT feedback_id FROM experiment_feedback WHERE experiment_id = ? "
            "ORDER BY feedback_id",
            (experiment_id,),
        ).fetchall()
        launches = self.conn.execute(
            "SELECT launch_id FROM experiment_launches WHERE experiment_id = ? ORDER BY launch_id",
            (experiment_id,),
        ).fetchall()
        return [row[0] for row in feedback], [row[0] for row in launches]

    def linked_feedback(self, experiment_id: int) -> list[Feedback]:
        """The feedback items linked to an experiment, oldest first."""
        ids = self.conn.execute(
            "SELECT f.id FROM experiment_feedback l JOIN feedback f ON f.id = l.feedback_id "
            "WHERE l.experiment_id = ? ORDER BY f.received_at, f.id",
            (experiment_id,),
        ).fetchall()
        return [self.store.feedback.get(row[0]) for row in ids]

    def linked_launches(self, experiment_id: int) -> list[Launch]:
        """The launches linked to an experiment, by launch date."""
        rows = self.conn.execute(
            "SELECT launches.* FROM experiment_launches l JOIN launches ON launches.id = "
            "l.launch_id WHERE l.experiment_id = ? ORDER BY launches.launch_date, launches.id",
            (experiment_id,),
        ).fetchall()
        return [self.store.launches.from_row(row) for row in rows]

    def for_launch(self, launch_id: int) -> list[Experiment]:
        """The experiments linked to one launch (for the launch pane and its brief)."""
        rows = self.conn.execute(
            "SELECT experiments.* FROM experiment_launches l JOIN experiments ON "
            "experiments.id = l.experiment_id WHERE l.launch_id = ? ORDER BY experiments.id",
            (launch_id,),
        ).fetchall()
        return [self.from_row(row) for row in rows]

    def for_feedback(self, feedback_id: int) -> list[Experiment]:
        """The experiments linked to one feedback item."""
        rows = self.conn.execute(
            "SELECT experiments.* FROM experiment_feedback l JOIN experiments ON "
            "experiments.id = l.experiment_id WHERE l.feedback_id = ? ORDER BY experiments.id",
            (feedback_id,),
        ).fetchall()
        return [self.from_row(row) for row in rows]

    def set_links(
        self,
        experiment_id: int,
        *,
        feedback_ids: Iterable[int] | None = None,
        launch_ids: Iterable[int] | None = None,
    ) -> None:
        """Make an experiment's links exactly these (None leaves that kind as it is).

        One transaction (the caller's, if any); each changed kind lands in history as
        ``linked_feedback`` / ``linked_launches`` with the old and new id lists.
        """
        with self.store.write() as batch:
            self.get(experiment_id)  # a clear error for an experiment that is gone
            old_feedback, old_launches = self.link_ids(experiment_id)
            for field, table, column, target, old, new in (
                ("linked_feedback", "experiment_feedback", "feedback_id", "feedback",
                 old_feedback, feedback_ids),
                ("linked_launches", "experiment_launches", "launch_id", "launches",
                 old_launches, launch_ids),
            ):  # fmt: skip
                if new is None:
                    continue
                wanted = sorted(set(new))
                if wanted == old:
                    continue
                self._require(target, wanted)
                self.conn.executemany(
                    f"DELETE FROM {table} WHERE experiment_id = ? AND {column} = ?",
                    [(experiment_id, value) for value in set(old) - set(wanted)],
                )
                self.conn.executemany(
                    f"INSERT INTO {table} (experiment_id, {column}) VALUES (?, ?)",
                    [(experiment_id, value) for value in set(wanted) - set(old)],
                )
                self.store.history.note(
                    batch,
                    self.table,
                    experiment_id,
                    field,
                    _id_list(old),
                    _id_list(wanted),
                )

    def _require(self, table: str, ids: Sequence[int]) -> None:
        """Refuse links to records that do not exist, naming the first missing one.

        An id past SQLite's 64-bit integers (typed as '#99999999999999999999' in the link
        prompt) names no record either: SQLite raised OverflowError, which closed the app.
        """
        for record_id in ids:
            found = None
            if 0 < record_id <= MAX_ID:
                found = self.conn.execute(
                    f"SELECT 1 FROM {table} WHERE id = ?", (record_id,)
                ).fetchone()
            if found is None:
                noun = "feedback item" if table == "feedback" else "launch"
                raise RecordNotFound(f"no {noun} with id {record_id}")


def similar_query(text: str) -> str:
    """An FTS5 query matching any meaningful word of ``text`` in the compared columns.

    Words are lower-cased, stripped of punctuation, short and common words dropped, and each
    quoted as a prefix term, so no input can inject an FTS5 operator.
    """
    words: list[str] = []
    for word in re.findall(r"\w+", text.casefold()):
        if len(word) < 3 or word in STOP_WORDS or word.isdigit() or word in words:
            continue
        words.append(word)
        if len(words) >= MAX_SIMILAR_TERMS:
            break
    if not words:
        return ""
    return f"{SIMILAR_COLUMNS} : ({' OR '.join(fts_query(word) for word in words)})"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _id_list(ids: Sequence[int]) -> str | None:
    return ",".join(str(value) for value in ids) or None
