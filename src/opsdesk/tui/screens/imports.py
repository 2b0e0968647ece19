"""Importing a file from the app: the inbox's or the contacts' ``ctrl+o``.

The same import as ``opsdesk import feedback|contacts FILE``, in three steps a manager can
follow: name the file; opsdesk checks every row in the background (a dry run, with a
progress bar) and shows what it would do (which column became which field, the first rows)
or every bad row by line and column; ``y`` imports it, in one transaction, and the pane
shows the new records. A file with a bad row is refused as a whole, as on the command line:
nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from opsdesk.services import export_places
from opsdesk.services.desk import Desk
from opsdesk.text import visible
from opsdesk.tui.screens.dialogs import FormField, FormScreen
from opsdesk.tui.screens.jobs import JobScreen, offered_path

if TYPE_CHECKING:
    from opsdesk.tui.app import OpsdeskApp

ImportKind = Literal["feedback", "contacts"]
IMPORT_PANES: tuple[ImportKind, ...] = ("feedback", "contacts")
IMPORT_STAGES = {
    "reading": "Reading the file",
    "checking": "Checking every row",
    "writing": "Writing to the database",
}
"""The import's stages as the progress dialog names them."""
SHOWN_PROBLEMS = 50
"""Bad rows listed one by one; the rest are counted."""

FILE_HINT = "CSV (any delimiter) or JSON Lines, with a header row: columns are matched by name."


@dataclass(frozen=True)
class Checked:
    """What the dry run found: the lines to show, and why the file is refused, if it is."""

    lines: list[str] = field(default_factory=list)
    refusal: str | None = None


Progress = Callable[[str, int, int], None]


def check_file(kind: ImportKind, path: Path, desk: Desk, progress: Progress) -> Checked:
    """A dry run of the import: what it would do, or every problem that refuses the file.

    The importers (and the models they validate with) are loaded here, in the worker, the
    first time a file is checked: loaded with this module, they held up ``ctrl+o``'s form."""
    from opsdesk.services.contact_import import ContactImportRefused, import_contacts_file
    from opsdesk.services.feedback_import import ImportRefused, import_feedback_file
    from opsdesk.services.import_summary import (
        column_lines,
        contact_counts,
        contact_preview,
        feedback_preview,
        kept_do_not_contact,
    )

    try:
        if kind == "feedback":
            report = import_feedback_file(desk, path, dry_run=True, progress=progress)
            columns = column_lines(report.mapping, report.ignored_columns)
            return Checked([*columns, "", *feedback_preview(report, desk.tz)])
        contacts = import_contacts_file(desk, path, dry_run=True, progress=progress)
        warning = kept_do_not_contact(contacts)
        columns = column_lines(contacts.mapping, contacts.ignored_columns)
        return Checked(
            [*columns, "", contact_counts(contacts), *contact_preview(contacts)]
            + (["", warning] if warning else [])
        )
    except ImportRefused as refused:
        return _refused(str(refused), [problem.sentence() for problem in refused.problems])
    except ContactImportRefused as refused:
        return _refused(str(refused), refused.problems)


def _refused(reason: str, problems: list[str]) -> Checked:
    shown = problems[:SHOWN_PROBLEMS] or [reason]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"… and {len(problems) - SHOWN_PROBLEMS:,} more.")
    return Checked(shown, refusal=reason)


def import_checked(kind: ImportKind, path: Path, desk: Desk, progress: Progress) -> str:
    """The import itself, after the dry run was accepted; says what it did."""
    from opsdesk.services.contact_import import import_contacts_file
    from opsdesk.services.feedback_import import import_feedback_file
    from opsdesk.services.import_summary import (
        contact_counts,
        feedback_imported,
        kept_do_not_contact,
    )

    if kind == "feedback":
        return feedback_imported(import_feedback_file(desk, path, progress=progress))
    report = import_contacts_file(desk, path, progress=progress)
    return " ".join(filter(None, [contact_counts(report), kept_do_not_contact(report)]))


class ImportReviewScreen(ModalScreen[bool]):
    """What the dry run found; ``y`` imports, Esc leaves the file alone. A refused file
    lists its bad rows and only closes."""

    DEFAULT_CSS = """
    ImportReviewScreen .import-dialog {
        width: 95%;
        max-width: 140;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    ImportReviewScreen .import-lines {
        height: auto;
        max-height: 24;
    }
    ImportReviewScreen .import-hint {
        padding: 1 0 0 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Import", id="import.yes"),
        Binding("n,escape", "answer(False)", "Cancel", id="import.no"),
    ]

    def __init__(self, kind: ImportKind, path: Path, checked: Checked) -> None:
        super().__init__(classes="dialog-screen")
        self.kind = kind
        self.path = path
        self.checked = checked

    def compose(self) -> ComposeResult:
        name = visible(self.path.name)
        refused = self.checked.refusal is not None
        if refused:
            title = f"{name} cannot be imported: nothing was written"
        else:
            title = f"Import {name} into {'the inbox' if self.kind == 'feedback' else 'contacts'}?"
        with Vertical(classes="import-dialog"):
            yield Static(Text(title, style="bold"), classes="dialog-title")
            with VerticalScroll(classes="import-lines"):
                yield Static(review_lines(self.checked.lines), id="import-lines")
            if refused:
                yield Static(
                    Text("Fix these rows in the file and import it again.", style="italic"),
                    classes="import-hint",
                )
            with Horizontal(classes="dialog-buttons"):
                if not refused:
                    yield Button("Import (y)", variant="primary", id="import-yes")
                yield Button("Close (esc)" if refused else "Cancel (n)", id="import-no")

    def on_mount(self) -> None:
        self.query_one("#import-yes" if self.checked.refusal is None else "#import-no").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A refused file cannot be imported: ``y`` is not offered."""
        refused = self.checked.refusal is not None
        return not (refused and action == "answer" and parameters == (True,))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "import-yes")


def review_lines(lines: list[str]) -> Group:
    """The review's lines: sentences wrap; a record's row (indented) stays one line, cut
    with an ellipsis in a narrow terminal rather than folded under the next column."""
    return Group(
        *(Text(visible(line), no_wrap=line.startswith("  "), overflow="ellipsis") for line in lines)
    )


def _file_problem(text: str) -> str | None:
    """Why no file can be read at what was typed (an empty field is the form's 'required')."""
    if not text.strip():
        return None
    path = _input_path(text)
    if path.is_dir():
        return "that is a folder: name the file in it, e.g. …/tickets.csv"
    if not path.exists():
        return f"there is no file {path}"
    return None


def _input_path(text: str) -> Path:
    return Path(text.strip()).expanduser().absolute()


def import_file(app: OpsdeskApp, kind: ImportKind, typed: str | None = None) -> None:
    """Ask for the file, check it, show what it would do, and import it once confirmed."""
    noun = "feedback" if kind == "feedback" else "contacts"

    def chosen(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        path = _input_path(values["path"])

        def check(desk: Desk, progress: Progress) -> Checked:
            return check_file(kind, path, desk, progress)

        app.push_screen(
            JobScreen(f"Checking {path.name}", check, "File not checked", IMPORT_STAGES),
            lambda checked: review(path, checked, values["path"]),
        )

    def review(path: Path, checked: Checked | None, typed: str) -> None:
        if checked is None:
            return

        def answered(go: bool | None) -> None:
            if go:
                start(path)
            elif checked.refusal is not None:
                import_file(app, kind, typed)  # back to the form, to fix the path or retry

        app.push_screen(ImportReviewScreen(kind, path, checked), answered)

    def start(path: Path) -> None:
        def job(desk: Desk, progress: Progress) -> str:
            return import_checked(kind, path, desk, progress)

        app.push_screen(
            JobScreen(f"Importing {path.name}", job, "Nothing was imported", IMPORT_STAGES),
            lambda said: finished(path, said),
        )

    def finished(path: Path, said: str | None) -> None:
        if said is None:
            return
        export_places.remember(export_places.IMPORTS, path)
        app.notify(said, title=f"{path.name} imported", timeout=8)
        app.reread_current_pane()

    folder = export_places.import_folder()
    app.push_screen(
        FormScreen(
            f"Import {noun} from a file",
            [
                FormField(
                    "path",
                    "File",
                    required=True,
                    initial=typed or (offered_path(folder) + "/" if folder else None),
                    placeholder="e.g. ~/Downloads/tickets.csv",
                    help=FILE_HINT,
                )
            ],
            today=app.today(),
            validate=lambda values: {
                name: problem
                for name, problem in (("path", _file_problem(values.get("path") or "")),)
                if problem
            },
            submit_label="Check",
        ),
        chosen,
    )
