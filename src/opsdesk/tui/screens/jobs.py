"""Long work done away from the screen, with a dialog that shows how far it got.

The calendar export, a report's render and a file import each hand :class:`JobScreen` a
job: a function of a desk and a progress callback. On a database file the job gets its own
connection in a thread worker, so the keys never wait for it; the worker reports back by
message, so no widget is touched from the thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from opsdesk.services.desk import Desk
from opsdesk.store import Store, StoreError
from opsdesk.store.db import MEMORY
from opsdesk.text import one_line, visible

if TYPE_CHECKING:
    from opsdesk.tui.app import OpsdeskApp

Job = Callable[[Desk, Callable[[str, int, int], None]], Any]
"""Work done with a desk of its own, reporting (stage, done, total) as it goes."""

STAGES = {"reading": "Reading records", "writing": "Writing the file", "rendering": "Rendering"}


class JobScreen(ModalScreen[Any]):
    """Runs one long job away from the screen and shows how far it got.

    On a database file the job gets its own :class:`Store` in a thread worker; an in-memory
    database (tests, a scratch session) cannot be opened twice, so the job runs on the app's
    own store between two frames instead. Dismisses with the job's result, or None when it
    failed (after saying why).
    """

    class Progressed(Message):
        def __init__(self, stage: str, done: int, total: int) -> None:
            super().__init__()
            self.stage, self.done, self.total = stage, done, total

    class Finished(Message):
        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    class Failed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(
        self,
        title: str,
        job: Job,
        failure_title: str = "Export failed",
        stages: dict[str, str] | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.job_title = title
        self.job = job
        self.failure_title = failure_title
        self.stages = stages or STAGES
        """What each stage the job reports is called on screen ("Writing the file")."""

    @property
    def opsdesk(self) -> OpsdeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog job-dialog"):
            yield Static(Text(visible(self.job_title), style="bold"), classes="dialog-title")
            yield Static("Starting…", id="job-stage")
            yield ProgressBar(total=None, show_eta=False, id="job-progress")

    def on_mount(self) -> None:
        app = self.opsdesk
        if str(app.store.path) == MEMORY:
            self.call_after_refresh(self._run_here)
        else:
            self.run_worker(self._run_in_thread, thread=True, exit_on_error=False, group="export")

    def _report(self, stage: str, done: int, total: int) -> None:
        self.post_message(self.Progressed(stage, done, total))

    def _run(self, desk: Desk) -> None:
        try:
            result = self.job(desk, self._report)
        except OSError as error:
            self.post_message(self.Failed(os_error_sentence(error)))
        except (ValueError, LookupError) as error:
            self.post_message(self.Failed(str(error)))
        except Exception as error:  # a worker must say what broke, not die silently
            self.post_message(self.Failed(f"{type(error).__name__}: {error}"))
        else:
            self.post_message(self.Finished(result))

    def _run_here(self) -> None:
        self._run(self.opsdesk.desk)

    def _run_in_thread(self) -> None:
        app = self.opsdesk
        try:
            store = Store(app.store.path, clock=app.clock, actor=app.store.actor)
        except StoreError as error:
            self.post_message(self.Failed(str(error)))
            return
        with store:
            self._run(Desk(store, app.config, app.clock))

    def on_job_screen_progressed(self, message: Progressed) -> None:
        label = self.stages.get(message.stage, message.stage.capitalize())
        self.query_one("#job-stage", Static).update(f"{label}…")
        self.query_one("#job-progress", ProgressBar).update(
            total=max(message.total, 1), progress=message.done
        )

    def on_job_screen_finished(self, message: Finished) -> None:
        self.dismiss(message.result)

    def on_job_screen_failed(self, message: Failed) -> None:
        self.app.notify(
            one_line(message.reason, 300),
            title=self.failure_title,
            severity="error",
            markup=False,
        )
        self.dismiss(None)


def os_error_sentence(error: OSError) -> str:
    """'/proc/nope: No such file or directory', as the CLI says it, not '[Errno 2] …'."""
    reason = error.strerror or str(error)
    return f"{error.filename}: {reason}" if error.filename else reason


def offered_path(path: Path) -> str:
    """A path as a form offers it: under the home folder as ``~/…`` (the forms expand ``~``
    when they read it back), so that at 80 columns the field shows the folder's name rather
    than the tail of ``/home/ana.lee/Documents/opsd``."""
    try:
        rest = path.relative_to(Path.home())
    except (ValueError, RuntimeError):  # elsewhere, or no home folder to speak of
        return str(path)
    return str(Path("~", rest))
