"""Experiments, from idea to learning."""

from __future__ import annotations

from dataclasses import dataclass

from opsdesk.models import Experiment
from opsdesk.store.base import Repository, SortSpec, Where, fts_query

STATUS_ORDER = (
    "CASE status WHEN 'running' THEN 0 WHEN 'analyzing' THEN 1 WHEN 'designing' THEN 2 "
    "WHEN 'idea' THEN 3 WHEN 'concluded' THEN 4 ELSE 5 END"
)
"""Running work first, then what is about to run, then what is finished."""


@dataclass(frozen=True)
class ExperimentFilter:
    """What the experiment list shows."""

    status: str | None = None
    team: str | None = None
    surface: str | None = None
    search: str = ""
    include_abandoned: bool = False


class ExperimentRepository(Repository[Experiment]):
    table = "experiments"
    model = Experiment
    json_fields = frozenset({"guardrail_metrics"})
    fts_columns = ("title", "hypothesis", "surface", "primary_metric", "learnings")
    sorts = {
        "status": SortSpec("status", (STATUS_ORDER, "id")),
        "start": SortSpec("planned start", ("coalesce(planned_start, '9999')", "id")),
    }

    def where(self, query: ExperimentFilter) -> Where:
        where = Where()
        if query.status:
            where = where.and_("status = ?", query.status)
        elif not query.include_abandoned:
            where = where.and_("status != 'abandoned'")
        if query.team:
            where = where.and_("team = ?", query.team)
        if query.surface:
            where = where.and_("surface = ?", query.surface)
        if query.search.strip():
            where = where.and_(
                "id IN (SELECT rowid FROM experiments_fts WHERE experiments_fts MATCH ?)",
                fts_query(query.search),
            )
        return where
