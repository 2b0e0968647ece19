"""The experiment forms, built on the shared :class:`FormScreen`.

Three forms: a new experiment (which shows similar past experiments and any collision as you
type), editing one, and the short form a column asks for when a move misses something (a
start date and metric to run; a result, decision and learnings to conclude).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opsdesk.models import Experiment
from opsdesk.rules.experiments import GuardError, Requirement
from opsdesk.services.experiments import EDITABLE
from opsdesk.tui.screens.dialogs import FormField, FormScreen
from opsdesk.vocabulary import ExperimentDecision, ExperimentResult, ExperimentStatus

HYPOTHESIS_HINT = "We believe X will cause Y, measured by Z."

RESULT_CHOICES = [(result.value, result) for result in ExperimentResult]
DECISION_CHOICES = [(decision.value, decision) for decision in ExperimentDecision]

OUTCOME_STATUSES = frozenset(
    {ExperimentStatus.ANALYZING, ExperimentStatus.CONCLUDED, ExperimentStatus.ABANDONED}
)


def experiment_fields(experiment: Experiment | None, user: str) -> list[FormField]:
    """The fields of the new and edit forms, filled from ``experiment`` when editing.

    The outcome (result, effect, decision, learnings) is only asked once an experiment has
    run or been dropped; a new one chooses whether it starts as an idea or in design.
    """
    e = experiment
    fields = [
        FormField("title", "Title", required=True, initial=e.title if e else None),
        FormField(
            "hypothesis",
            "Hypothesis",
            kind="multiline",
            initial=e.hypothesis if e else None,
            help=HYPOTHESIS_HINT,
        ),
        FormField("owner", "Owner", initial=(e.owner if e else user)),
        FormField("team", "Team", initial=e.team if e else None),
        FormField(
            "surface",
            "Surface",
            initial=e.surface if e else None,
            placeholder="checkout, onboarding, pricing-page…",
        ),
        FormField(
            "audience",
            "Audience",
            initial=e.audience if e else None,
            placeholder="all, smb, enterprise…",
        ),
        FormField("primary_metric", "Primary metric", initial=e.primary_metric if e else None),
        FormField(
            "guardrail_metrics",
            "Guardrail metrics",
            initial=", ".join(e.guardrail_metrics) if e else None,
            help="Comma-separated, e.g. refund rate, support tickets",
        ),
        FormField("planned_start", "Planned start", kind="date", initial=_day(e, "planned_start")),
        FormField("planned_end", "Planned end", kind="date", initial=_day(e, "planned_end")),
    ]
    if e is None:
        fields.append(
            FormField(
                "status",
                "Starts as",
                kind="choice",
                choices=[
                    ("idea", ExperimentStatus.IDEA),
                    ("designing", ExperimentStatus.DESIGNING),
                ],
                required=True,
                initial=ExperimentStatus.IDEA,
            )
        )
        return fields
    if e.status in OUTCOME_STATUSES:
        fields.extend(
            [
                FormField("actual_start", "Actual start", kind="date", initial=e.actual_start),
                FormField("actual_end", "Actual end", kind="date", initial=e.actual_end),
                FormField(
                    "result", "Result", kind="choice", choices=RESULT_CHOICES, initial=e.result
                ),
                FormField("effect", "Effect", initial=e.effect, placeholder="+4.1 pp (CI 2 to 6)"),
                FormField(
                    "decision",
                    "Decision",
                    kind="choice",
                    choices=DECISION_CHOICES,
                    initial=e.decision,
                ),
                FormField("learnings", "Learnings", kind="multiline", initial=e.learnings),
            ]
        )
    return fields


def _day(experiment: Experiment | None, name: str) -> Any:
    return getattr(experiment, name) if experiment is not None else None


def form_values(values: dict[str, Any]) -> dict[str, Any]:
    """A form's values as service fields: guardrails split on commas, blanks as None."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if name == "guardrail_metrics":
            data[name] = [part.strip() for part in (value or "").split(",") if part.strip()]
        elif isinstance(value, str) and name not in {"title", "hypothesis", "learnings"}:
            data[name] = value.strip() or None
        else:
            data[name] = value
    if data.get("hypothesis") is None and "hypothesis" in values:
        data["hypothesis"] = ""
    if data.get("learnings") is None and "learnings" in values:
        data["learnings"] = ""
    return data


def changed_fields(experiment: Experiment, data: dict[str, Any]) -> dict[str, Any]:
    """Only what an edit form changed (so history holds real changes)."""
    current = experiment.model_dump()
    return {
        name: value
        for name, value in data.items()
        if name in EDITABLE and current.get(name) != value and not _same(current.get(name), value)
    }


def _same(old: Any, new: Any) -> bool:
    """'' and None, or an enum and its value, are the same thing to a person."""
    if old in (None, "") and new in (None, ""):
        return True
    return str(getattr(old, "value", old)) == str(getattr(new, "value", new))


def requirement_fields(
    experiment: Experiment, target: ExperimentStatus, missing: tuple[Requirement, ...]
) -> list[FormField]:
    """The fields a column still needs, plus the effect when concluding."""
    fields: list[FormField] = []
    names = {requirement.field for requirement in missing}
    if "planned_start" in names:
        fields.append(FormField("planned_start", "Planned start", kind="date", required=True))
    if "primary_metric" in names:
        fields.append(FormField("primary_metric", "Primary metric", required=True))
    if "actual_start" in names:
        fields.append(
            FormField(
                "actual_start",
                "Actual start",
                kind="date",
                required=True,
                help="When it really started running",
            )
        )
    if target is ExperimentStatus.CONCLUDED:
        fields.extend(
            [
                FormField(
                    "result",
                    "Result",
                    kind="choice",
                    choices=RESULT_CHOICES,
                    required=True,
                    initial=experiment.result,
                ),
                FormField("effect", "Effect", initial=experiment.effect),
                FormField(
                    "decision",
                    "Decision",
                    kind="choice",
                    choices=DECISION_CHOICES,
                    required=True,
                    initial=experiment.decision,
                ),
                FormField(
                    "learnings",
                    "Learnings",
                    kind="multiline",
                    required=True,
                    initial=experiment.learnings or None,
                    help="What the next team should know before trying something similar",
                ),
            ]
        )
    return fields


def field_errors(error: Exception, names: set[str]) -> dict[str, str]:
    """Put a refusal under the fields it is about.

    A column guard names the fields it misses; a store message reads 'planned_end: …;
    title: …'. Anything not about a field of the form is shown as a notification.
    """
    if isinstance(error, GuardError):
        missing = {r.field: r.label for r in error.missing}
        errors = {
            name: f"{error.target.value} needs {label}"
            for name, label in missing.items()
            if name in names
        }
        if len(errors) < len(missing):  # no titles here: the dialog may show it as markup
            errors["form"] = f"{error.target.value} needs " + ", ".join(missing.values())
        return errors
    message = str(error)
    errors = {}
    for part in message.split("; "):
        name, colon, text = part.partition(": ")
        if colon and name in names:
            errors[name] = text
        else:
            errors.setdefault("form", part)
    return errors


def experiment_form(
    title: str,
    fields: list[FormField],
    *,
    today: Any,
    validate: Callable[[dict[str, Any]], dict[str, str]],
    on_change: Callable[[FormScreen, dict[str, Any]], None] | None = None,
    submit_label: str = "Save",
) -> FormScreen:
    """A :class:`FormScreen` with the experiment area's class, for its styles."""
    screen = FormScreen(
        title,
        fields,
        today=today,
        validate=validate,
        on_change=on_change,
        submit_label=submit_label,
    )
    screen.add_class("experiment-form")
    return screen
