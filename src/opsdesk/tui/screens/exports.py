"""The app's exports: the calendar (.ics) to a file, and Markdown reports to preview and save.

``ctrl+e`` asks where to write the calendar (and what to put in it), then writes it in a
thread worker with its own database connection while a small dialog shows progress; the
worker reports back by message, so no widget is touched from the thread. ``ctrl+r`` offers
the reports (the digest, themes, learnings, and the brief or readout of the launch or
experiment under the cursor), renders the chosen one the same way and shows it in a
Markdown preview; ``ctrl+s`` there saves it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from opsdesk.formatting import counted
from opsdesk.services import export_places, reports
from opsdesk.services.desk import Desk
from opsdesk.services.ical_export import (
    INCLUDE_CHOICES,
    IcalOptions,
    IcalResult,
    export_ical_file,
    function_problem,
    owner_problem,
)
from opsdesk.text import one_line, visible
from opsdesk.tui.screens.dialogs import ConfirmScreen, FormField, FormScreen, PickerScreen
from opsdesk.tui.screens.jobs import JobScreen, offered_path, os_error_sentence
from opsdesk.tui.widgets.footer import QuietFooter
from opsdesk.tui.widgets.key_scroll import KeyScroll
from opsdesk.tui.widgets.report_markdown import ReportMarkdown

if TYPE_CHECKING:
    from opsdesk.tui.app import OpsdeskApp

INCLUDE_LABELS = {
    "launches": "Launch days",
    "readiness": "Deadlines",
    "experiments": "Experiments",
    "followups": "Follow-ups",
}


# -- the calendar ------------------------------------------------------------------------------


PRIVATE_HINT = "Created readable by you only (0600)."
"""One line under the path at 80 columns (the longer sentence wrapped onto two)."""


def export_form(form: FormScreen, *classes: str) -> FormScreen:
    """Style a form as an export form: its rows sit closer (see ``.export-form`` in app.tcss)
    so the calendar's seven fields and its buttons fit an 80x24 terminal without scrolling;
    with a blank line between every row, 'Only function' was below the dialog's edge."""
    form.add_class("export-form", *classes)
    return form


def ical_fields(app: OpsdeskApp, values: dict[str, Any] | None = None) -> list[FormField]:
    """The calendar form's fields, filled with ``values`` when it is shown again."""
    functions = app.config.launches.functions()
    values = values or {}
    return [
        FormField(
            "path",
            "Save to",
            required=True,
            initial=values.get("path") or offered_path(export_places.calendar_path()),
            help=PRIVATE_HINT,
        ),
        *(
            FormField(name, INCLUDE_LABELS[name], kind="bool", initial=values.get(name, True))
            for name in INCLUDE_CHOICES
        ),
        FormField(
            "owner",
            "Only owner",
            placeholder="anyone (or a name, e.g. your own)",
            initial=values.get("owner"),
        ),
        FormField(
            "function",
            "Only function",
            kind="choice",
            choices=[(name.replace("_", " "), name) for name in functions],
            placeholder="any function",
            help="Narrows readiness deadlines only.",
            initial=values.get("function"),
        ),
    ]


def _output_path(text: str) -> Path:
    """The file a person typed: ``~`` expanded, and absolute, so that the notification says
    where a bare ``report.md`` went (the folder opsdesk was started in)."""
    return Path(text.strip()).expanduser().absolute()


def _named_path(text: str, extension: str) -> Path:
    """The file a person typed, ``extension`` added to a bare name: 'Priya' wrote a calendar
    called 'Priya', and 'digest' a report called 'digest', that neither a calendar program,
    a Markdown editor nor a file browser knew to open. A name with an extension of its own
    ('team.ical', 'notes.txt') is kept as typed, and an existing folder is left for the form
    to refuse (a file is named there). A name ending in a dot ('digest.') gets the extension
    after that dot, not a second one."""
    path = _output_path(text)
    if text.strip() and not path.suffix and not path.is_dir():
        stem = path.name.rstrip(".") or path.name
        path = path.with_name(f"{stem}.{extension}")
    return path


def _calendar_path(text: str) -> Path:
    """The calendar file a person typed, ``.ics`` added to a bare name."""
    return _named_path(text, "ics")


def _report_path(text: str) -> Path:
    """The report file a person typed, ``.md`` added to a bare name, as the calendar's
    form adds ``.ics``."""
    return _named_path(text, "md")


def path_problem(path: Path, example: str) -> str | None:
    """Why no file can be written at ``path``, said at the field before any work: a folder
    named as the file, a file where a folder should be, or a folder that is not yours."""
    if path.is_dir():
        return f"that is a folder: name a file, e.g. …/{example}"
    for folder in path.parents:
        if not folder.exists():
            continue  # created (0700) when the file is written
        if not folder.is_dir():
            return f"{folder} is a file, not a folder"
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"you cannot write in {folder}"
        break
    return None


def check_ical_form(values: dict[str, Any], desk: Desk) -> dict[str, str]:
    """Field errors of the calendar form: a path no file can be written at, nothing
    included, and an owner or function that would export nothing (said at the field,
    before any work)."""
    errors: dict[str, str] = {}
    problem = path_problem(_calendar_path(values.get("path") or ""), "opsdesk.ics")
    if problem:
        errors["path"] = problem
    if not any(values.get(name) for name in INCLUDE_CHOICES):
        errors[INCLUDE_CHOICES[0]] = "include at least one kind of event"
        return errors
    options = ical_options(values)
    for name, problem in (
        ("owner", owner_problem(desk, options)),
        ("function", function_problem(desk, options)),
    ):
        if problem:
            errors[name] = problem
    return errors


def ical_options(values: dict[str, Any]) -> IcalOptions:
    return IcalOptions(
        include=frozenset(name for name in INCLUDE_CHOICES if values.get(name)),
        owner=(values.get("owner") or "").strip() or None,
        function=values.get("function") or None,
    )


def export_calendar(app: OpsdeskApp, values: dict[str, Any] | None = None) -> None:
    """Ask where and what (an existing file only replaced once confirmed), then write the
    calendar in the background."""

    def chosen(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        path = _calendar_path(values["path"])
        if not path.is_file():
            start(path, values)
            return

        def answered(replace: bool | None) -> None:
            if replace:
                start(path, values)
            else:
                export_calendar(app, values)  # back to the form as it was, to pick another

        app.push_screen(
            ConfirmScreen(f"{path} already exists. Replace it with this export?", "Replace"),
            answered,
        )

    def start(path: Path, values: dict[str, Any]) -> None:
        options = ical_options(values)

        def job(desk: Desk, progress: Callable[[str, int, int], None]) -> IcalResult:
            return export_ical_file(desk, path, options, progress)

        app.push_screen(JobScreen("Exporting the calendar", job, "Calendar not exported"), written)

    def written(result: IcalResult | None) -> None:
        if result is None:
            return
        export_places.remember(export_places.CALENDAR, result.path)
        app.notify(
            visible(f"{result.summary()} written to {result.path}"),
            title="Calendar exported",
            timeout=8,
            markup=False,
        )

    app.push_screen(
        export_form(
            FormScreen(
                "Export the calendar (.ics)",
                ical_fields(app, values),
                today=app.today(),
                validate=lambda values: check_ical_form(values, app.desk),
                submit_label="Export",
            ),
            "calendar-form",
        ),
        chosen,
    )


# -- reports -----------------------------------------------------------------------------------


def report_choices(app: OpsdeskApp) -> list[tuple[str, reports.ReportRequest]]:
    """The reports on offer, with the current launch's or experiment's when there is one."""
    choices: list[tuple[str, reports.ReportRequest]] = [
        ("Weekly ops digest", reports.ReportRequest("digest")),
        ("Feedback themes", reports.ReportRequest("themes")),
        ("Learnings library", reports.ReportRequest("learnings")),
    ]
    pane = app.current_pane
    pane_id = getattr(pane, "pane_id", "")
    if pane_id == "launches":
        row = _current_launch_row(pane)
        if row is not None:
            title = one_line(row.record.title, 60)
            choices.insert(
                0, (f"Launch brief: {title}", reports.ReportRequest("launch", row.record.id))
            )
    elif pane_id == "experiments":
        current = getattr(pane, "current_experiment", None)
        experiment = current() if callable(current) else None
        if experiment is not None:
            title = one_line(experiment.title, 60)
            choices.insert(
                0,
                (
                    f"Experiment readout: {title}",
                    reports.ReportRequest("experiment", experiment.id),
                ),
            )
    elif pane_id == "today":
        found = _today_record(app, pane)
        if found is not None:
            choices.insert(0, found)
    return choices


def _today_record(app: OpsdeskApp, pane: Any) -> tuple[str, reports.ReportRequest] | None:
    """The brief or readout of the launch or experiment on Today's highlighted line (a
    readiness deadline, a launch at risk, an experiment ending), if it is one of those.

    Today's line ids are ``section:index:pane:record_id``."""
    listing = getattr(pane, "list", None)
    index = getattr(listing, "highlighted", None)
    if listing is None or index is None or index >= listing.option_count:
        return None
    parts = str(listing.get_option_at_index(index).id).split(":")
    if len(parts) != 4 or not parts[3].isdigit():
        return None
    record_id = int(parts[3])
    try:
        if parts[2] == "launches":
            title = app.store.launches.get(record_id).title
            return f"Launch brief: {one_line(title, 60)}", reports.ReportRequest(
                "launch", record_id
            )
        if parts[2] == "experiments":
            title = app.store.experiments.get(record_id).title
            return (
                f"Experiment readout: {one_line(title, 60)}",
                reports.ReportRequest("experiment", record_id),
            )
    except LookupError:  # deleted since Today was drawn: offer the others
        return None
    return None


def _current_launch_row(pane: Any) -> Any:
    """The launch under the cursor, in the list or the timeline, without complaining."""
    if getattr(pane, "view_mode", "list") == "timeline":
        timeline = getattr(pane, "timeline", None)
        return getattr(timeline, "current_row", None)
    return pane.list.current_row


def open_reports(app: OpsdeskApp) -> None:
    """Pick a report and preview it."""

    def picked(request: reports.ReportRequest | None) -> None:
        if request is not None:
            app.push_screen(ReportScreen(request))

    app.push_screen(PickerScreen("Which report?", report_choices(app)), picked)


class ReportScreen(Screen[None]):
    """A report rendered as Markdown, as any Markdown host would show it; ctrl+s saves it."""

    help_section = "Report"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save as…", id="reports.save"),
        Binding("c", "copy", "Copy", id="reports.copy"),
        Binding("escape", "close", "Close", id="reports.close"),
    ]

    def __init__(self, request: reports.ReportRequest) -> None:
        super().__init__(classes="report-screen")
        self.request = request
        self.text: str | None = None

    @property
    def opsdesk(self) -> OpsdeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        title = reports.REPORTS[self.request.name]
        if self.request.record_id is not None:
            title += f" #{self.request.record_id}"
        yield Static(Text(title, style="bold"), id="report-title", classes="report-title")
        with KeyScroll(id="report-scroll", classes="report-scroll"):
            yield ReportMarkdown(id="report-body", open_links=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        request = self.request

        def job(desk: Desk, progress: Callable[[str, int, int], None]) -> str:
            progress("rendering", 0, 1)
            return reports.render(desk, request)

        self.app.push_screen(
            JobScreen(
                f"Preparing the {reports.REPORTS[request.name].lower()}", job, "Report not made"
            ),
            self._rendered,
        )

    async def _rendered(self, text: str | None) -> None:
        if text is None:
            self.dismiss()
            return
        self.text = text
        await self.query_one("#report-body", ReportMarkdown).update(text)
        self.query_one("#report-scroll", KeyScroll).focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        """Put the report's Markdown on the clipboard, for a chat channel or an issue.

        The weekly digest is mostly pasted, not filed: saving it and opening the file to copy
        it out was three steps for the one thing done with it every week."""
        if self.text is None:
            return
        self.app.copy_to_clipboard(self.text)
        lines = self.text.count("\n")
        name = reports.REPORTS[self.request.name].lower()
        self.app.notify(
            f"Copied the {name} as Markdown ({counted(lines, 'line')}): paste it where it goes.",
            title="Report copied",
            timeout=5,
            markup=False,
        )

    def action_save(self, path: Path | None = None) -> None:
        if self.text is None:
            return
        if path is None:
            stamp = self.opsdesk.today().isoformat()
            path = export_places.report_path(f"{self.request.file_stem}-{stamp}.md")
        self.app.push_screen(
            export_form(
                FormScreen(
                    "Save the report",
                    [
                        FormField(
                            "path",
                            "Save to",
                            required=True,
                            initial=offered_path(path),
                            help=PRIVATE_HINT,
                        )
                    ],
                    today=self.opsdesk.today(),
                    validate=_check_markdown_path,
                    submit_label="Save",
                )
            ),
            self._chosen,
        )

    def _chosen(self, values: dict[str, Any] | None) -> None:
        """Save where asked; a file already there is only replaced once confirmed."""
        if values is None or self.text is None:
            return
        path = _report_path(values["path"])
        if not path.is_file():
            self._save_to(path)
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self._save_to(path)
            else:
                self.action_save(path)  # back to the form, to pick another name

        self.app.push_screen(
            ConfirmScreen(f"{path} already exists. Replace it with this report?", "Replace"),
            answered,
        )

    def _save_to(self, path: Path) -> None:
        if self.text is None:
            return
        try:
            path = reports.save(path, self.text)
        except reports.ReportError as error:
            self._not_saved(str(error))
            return
        except OSError as error:
            self._not_saved(os_error_sentence(error))
            return
        export_places.remember(export_places.REPORTS, path)
        self.app.notify(visible(f"Saved to {path}"), title="Report saved", timeout=8, markup=False)

    def _not_saved(self, reason: str) -> None:
        self.app.notify(one_line(reason, 300), title="Not saved", severity="error", markup=False)


def _check_markdown_path(values: dict[str, Any]) -> dict[str, str]:
    problem = path_problem(_report_path(values.get("path") or ""), "report.md")
    return {"path": problem} if problem else {}


__all__ = [
    "JobScreen",
    "ReportScreen",
    "export_calendar",
    "open_reports",
    "report_choices",
]
