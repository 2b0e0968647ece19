"""The experiment pane: every team's experiments, running ones first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from opsdesk.formatting import day, words
from opsdesk.models import Experiment, ExperimentStatus
from opsdesk.store.base import Repository, WindowRow
from opsdesk.store.experiments import ExperimentFilter
from opsdesk.text import visible
from opsdesk.tui.panes.base import ListPane, field_lines, heading
from opsdesk.tui.widgets.window_list import Column

STATUS_STYLE = {
    ExperimentStatus.RUNNING: "bold green",
    ExperimentStatus.ANALYZING: "yellow",
    ExperimentStatus.DESIGNING: "cyan",
    ExperimentStatus.IDEA: "",
    ExperimentStatus.CONCLUDED: "dim",
    ExperimentStatus.ABANDONED: "dim strike",
}


class ExperimentsPane(ListPane):
    pane_id = "experiments"
    title = "Experiments"
    noun = "experiments"
    default_sort = "status"

    @property
    def repository(self) -> Repository[Any]:
        return self.desk.store.experiments

    def where(self) -> Any:
        return self.desk.store.experiments.where(ExperimentFilter(search=self.search_text))

    def columns(self) -> Sequence[Column]:
        return [
            Column(
                "Status",
                lambda r: Text(words(r.record.status), style=STATUS_STYLE[r.record.status]),
                10,
            ),
            Column("Title", lambda r: r.record.title),
            Column("Team", lambda r: r.record.team or "", 12, optional=True),
            Column("Surface", lambda r: r.record.surface or "", 13, optional=True),
            Column("Metric", lambda r: r.record.primary_metric or "", 16, optional=True),
            Column("Start", lambda r: day(r.record.actual_start or r.record.planned_start), 10),
            Column(
                "End", lambda r: day(r.record.actual_end or r.record.planned_end), 10, optional=True
            ),
        ]

    def detail(self, row: WindowRow[Experiment]) -> RenderableType:
        experiment = row.record
        facts = field_lines(
            [
                ("Status", words(experiment.status)),
                ("Owner", experiment.owner),
                ("Team", experiment.team),
                ("Surface", experiment.surface),
                ("Audience", experiment.audience),
                ("Primary metric", experiment.primary_metric),
                ("Guardrails", ", ".join(experiment.guardrail_metrics)),
                ("Planned", _window(experiment.planned_start, experiment.planned_end)),
                ("Actual", _window(experiment.actual_start, experiment.actual_end)),
                ("Result", words(experiment.result)),
                ("Effect", experiment.effect),
                ("Decision", words(experiment.decision)),
            ]
        )
        parts: list[RenderableType] = [heading(experiment.title), facts]
        if experiment.hypothesis:
            parts.append(Text("Hypothesis", style="bold"))
            parts.append(Text(visible(experiment.hypothesis) + "\n"))
        if experiment.learnings:
            parts.append(Text("Learnings", style="bold"))
            parts.append(Text(visible(experiment.learnings)))
        return Group(*parts)


def _window(start: Any, end: Any) -> str | None:
    if not start and not end:
        return None
    return f"{day(start) or '?'} → {day(end) or '?'}"
