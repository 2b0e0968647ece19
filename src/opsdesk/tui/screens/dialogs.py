"""Reusable dialogs: a form, a confirmation, a one-line prompt and a filterable picker.

Every pane asks for input the same way, so every form validates the same way: a bad value is
a message under its field, never a crash, and nothing is saved until the whole form is valid.
Date fields accept what people type ("fri", "+3d", "next monday") and show the date they
resolve to before anything is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from opsdesk.formatting import relative_day
from opsdesk.rules.dates import DateParseError, is_offset, parse_date_expression
from opsdesk.text import one_line, visible
from opsdesk.tui.widgets.quiet_select import QuietSelect

FieldKind = Literal["text", "multiline", "choice", "date", "int", "bool"]


@dataclass(frozen=True)
class FormField:
    """One field of a :class:`FormScreen`."""

    name: str
    label: str
    kind: FieldKind = "text"
    choices: Sequence[tuple[str, Any]] = ()
    required: bool = False
    initial: Any = None
    placeholder: str = ""
    help: str = ""
    offsets_from: dt.date | None = None
    """A date field's day that '+1w' and '-3d' count from (today when None): a launch's
    current date in the move-date form."""


class FormError(ValueError):
    """A field's value cannot be used; the message is shown under the field."""


@dataclass
class _Parsed:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def parse_field(spec: FormField, raw: Any, today: dt.date) -> Any:
    """Turn what the widget holds into the value a service takes; raise FormError if bad."""
    if spec.kind == "bool":
        return bool(raw)
    if spec.kind == "choice":
        if raw in (None, Select.NULL):
            if spec.required:
                raise FormError("choose one")
            return None
        return raw
    text = (raw or "").strip() if spec.kind != "multiline" else (raw or "")
    if not text.strip():
        if spec.required:
            raise FormError("required")
        return None if spec.kind in ("date", "int") else ""
    if spec.kind == "date":
        try:
            return parse_date_expression(text, today, offsets_from=spec.offsets_from)
        except DateParseError as error:
            raise FormError(str(error)) from None
    if spec.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise FormError(f"'{text}' is not a whole number") from None
    return text


FORM_FIELDS_LINES = 26
"""A form's fields take at most this many lines (as .form-fields says), fewer when the
screen is short."""


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """A modal form; dismisses with the parsed values, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        *,
        today: dt.date,
        validate: Callable[[dict[str, Any]], dict[str, str]] | None = None,
        on_change: Callable[[FormScreen, dict[str, Any]], None] | None = None,
        submit_label: str = "Save",
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.on_change = on_change
        self.form_title = title
        self.fields = list(fields)
        self.today = today
        self.validate = validate
        self.submit_label = submit_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Static(Text(self.form_title, style="bold"), classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                for spec in self.fields:
                    yield from self._field(spec)
            yield Static("", id="form-aside", classes="form-aside")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.submit_label} (ctrl+s)", variant="primary", id="form-submit")
                yield Button("Cancel (esc)", id="form-cancel")

    def _field(self, spec: FormField) -> ComposeResult:
        """One field: a row with its label and input, then its hint and error lines."""
        label = spec.label + (" *" if spec.required else "")
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label")
            yield self._input(spec)
        hint = spec.help
        if spec.kind == "date" and not hint:
            hint = "e.g. 2026-12-01, today, +3d, fri, next monday"
        hint_line = Static(Text(hint, style="dim"), id=f"hint-{spec.name}", classes="form-hint")
        hint_line.display = bool(hint)
        yield hint_line
        error_line = Static("", id=f"error-{spec.name}", classes="form-error")
        error_line.display = False
        yield error_line

    def _input(self, spec: FormField) -> Widget:
        name = f"field-{spec.name}"
        if spec.kind == "bool":
            return Checkbox("", bool(spec.initial), id=name, classes="form-input", compact=True)
        if spec.kind == "multiline":
            area = TextArea(str(spec.initial or ""), id=name, classes="form-input")
            area.show_line_numbers = False
            return area
        if spec.kind == "choice":
            return QuietSelect(
                [(label_text, value) for label_text, value in spec.choices],
                value=spec.initial if spec.initial is not None else Select.NULL,
                allow_blank=not spec.required or spec.initial is None,
                prompt=spec.placeholder or "Select",
                id=name,
                classes="form-input",
                compact=True,
            )
        initial = spec.initial
        if isinstance(initial, dt.date):
            initial = initial.isoformat()
        return Input(
            "" if initial is None else str(initial),
            placeholder=spec.placeholder,
            id=name,
            classes="form-input",
            compact=True,
        )

    def on_mount(self) -> None:
        for spec in self.fields:
            if spec.kind == "date":
                self._show_date(spec)
        self.query_one("#form-aside", Static).display = False
        self.query(".form-input").first().focus()
        self._initial = self._raw_values()

    def _raw_values(self) -> dict[str, Any]:
        return {spec.name: self._raw(spec) for spec in self.fields}

    def has_changes(self) -> bool:
        """Whether anything was typed or chosen since the form opened."""
        return self._raw_values() != getattr(self, "_initial", self._raw_values())

    def _raw(self, spec: FormField) -> Any:
        widget = self.query_one(f"#field-{spec.name}")
        if isinstance(widget, TextArea):
            return widget.text
        return widget.value  # type: ignore[attr-defined]

    def _show_date(self, spec: FormField) -> None:
        hint = self.query_one(f"#hint-{spec.name}", Static)
        raw = self._raw(spec)
        if not (raw or "").strip():
            _line(hint, Text(spec.help or "e.g. 2026-12-01, today, +3d, fri, next monday", "dim"))
            return
        try:
            resolved = parse_date_expression(raw, self.today, offsets_from=spec.offsets_from)
        except DateParseError:
            _line(hint, Text("not a date yet", style="dim"))
            return
        when = relative_day(resolved, self.today)
        if spec.offsets_from is not None and is_offset(raw):  # say what it counted from
            when += f"; {' '.join(raw.split())} from {spec.offsets_from:%a %d %b}"
        _line(hint, Text(f"→ {resolved:%A %d %B %Y} ({when})", "green"))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        for spec in self.fields:
            if spec.name == name:
                _line(self.query_one(f"#error-{name}", Static), "")
                if spec.kind == "date":
                    self._show_date(spec)
        self._changed()

    @on(TextArea.Changed)
    def _area_changed(self) -> None:
        self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self, self.current_values())

    def set_aside(self, renderable: Any) -> None:
        """Show something beside the fields, e.g. likely duplicates of what is being typed."""
        aside = self.query_one("#form-aside", Static)
        aside.update(renderable)
        aside.display = bool(renderable)
        self.call_after_refresh(self._fit_fields)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_fields)

    def _fit_fields(self) -> None:
        """Keep the aside and the buttons on screen: the fields (which scroll) get what the
        title, aside and buttons leave of the dialog's 90% of the screen. Given their own
        26 lines, they pushed the duplicates and the buttons out of an 80x24 terminal."""
        if not self.is_attached:
            return
        dialog = self.query_one(".form-dialog", Vertical)
        fields = self.query_one(".form-fields", VerticalScroll)
        aside = self.query_one("#form-aside", Static)
        others = sum(
            self._aside_height(aside, dialog) if child is aside else child.outer_size.height
            for child in dialog.children
            if child is not fields and child.display
        )
        room = int(self.size.height * 0.9) - dialog.styles.gutter.height - others
        fields.styles.max_height = max(3, min(FORM_FIELDS_LINES, room))

    def _aside_height(self, aside: Static, dialog: Vertical) -> int:
        """The lines the aside will take for what it now says. Its laid-out size lags a
        change by a frame: an aside just shown had none, and counted as nothing it left the
        fields their room and fell behind the buttons (a title typed at once at 80x24
        showed no similar experiments)."""
        width = max(dialog.content_region.width - aside.styles.gutter.width, 1)
        wanted = aside.get_content_height(self.size, self.size, width)
        wanted += aside.styles.gutter.height
        limit = aside.styles.max_height
        if limit is not None:
            wanted = min(wanted, int(limit.resolve(self.size, self.size)))
        return wanted

    def current_values(self) -> dict[str, Any]:
        """What the form holds now, best effort (unparseable fields are left out)."""
        return self._parse().values

    def _parse(self) -> _Parsed:
        parsed = _Parsed()
        for spec in self.fields:
            try:
                parsed.values[spec.name] = parse_field(spec, self._raw(spec), self.today)
            except FormError as error:
                parsed.errors[spec.name] = str(error)
        return parsed

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show messages under their fields (unknown field names go under the title) and
        put the cursor in the first field that has one, so it can be fixed at once.

        A date field's live hint ('not a date yet') gives way to its error: two lines
        saying the same thing differently read as two problems.
        """
        first: FormField | None = None
        for spec in self.fields:
            message = errors.get(spec.name, "")
            _line(self.query_one(f"#error-{spec.name}", Static), Text(visible(message), "red"))
            if message and spec.kind == "date":
                _line(self.query_one(f"#hint-{spec.name}", Static), "")
            if message and first is None:
                first = spec
        if first is not None:
            self.query_one(f"#field-{first.name}").focus()
        stray = {name: text for name, text in errors.items() if name not in self._names()}
        if stray:
            self.notify("; ".join(f"{k}: {v}" for k, v in stray.items()), severity="error")

    def _names(self) -> set[str]:
        return {spec.name for spec in self.fields}

    def action_submit(self) -> None:
        parsed = self._parse()
        if not parsed.errors and self.validate is not None:
            parsed.errors.update(self.validate(parsed.values))
        if parsed.errors:
            self.show_errors(parsed.errors)
            return
        self.dismiss(parsed.values)

    def action_cancel(self) -> None:
        """Close without saving; what was typed is only thrown away once confirmed."""
        if not self.has_changes():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(f"Discard what you typed in '{self.form_title}'?", "Discard"), answered
        )

    @on(Button.Pressed, "#form-submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def _line(widget: Static, content: Text | str) -> None:
    """Show a hint or error line only while it has something to say."""
    widget.update(content)
    widget.display = bool(str(content))


class ConfirmScreen(ModalScreen[bool]):
    """Ask before anything destructive; Enter or y confirms, Esc or n declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, confirm_label: str = "Yes") -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(Text(visible(self.question)), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", variant="error", id="confirm-yes")
                yield Button("No (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text, such as the reason for a slip or an override."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(
        self, title: str, label: str, *, placeholder: str = "", required: bool = True
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.prompt_title = title
        self.label = label
        self.placeholder = placeholder
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt-dialog"):
            yield Static(Text(visible(self.prompt_title), style="bold"), classes="dialog-title")
            yield Label(self.label, classes="form-label")
            yield Input(placeholder=self.placeholder, id="prompt-input")
            yield Static("", id="prompt-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if self.required and not value:
            self.query_one("#prompt-error", Static).update(Text("required", style="red"))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


_NO_CURRENT = object()
"""A picker opened with no choice in force (``None`` can be an option's value)."""

CURRENT_MARK = "✓ "
"""Put before the option in force; the others are indented to line up with it."""


class PickerScreen(ModalScreen[Any]):
    """Choose one of many options; typing filters the list. Dismisses with the value or None.

    Given ``current`` (the value in force, e.g. a filter already applied), that option is
    ticked and the cursor starts on it: reopened, a picker that always started on its first
    line did not say what was chosen, and enter quietly undid the choice.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Up", show=False, id="picker.up"),
    ]

    def __init__(
        self, title: str, options: Sequence[tuple[str, Any]], *, current: Any = _NO_CURRENT
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.picker_title = title
        self.options = list(options)
        self.current = current
        self._shown: list[tuple[str, Any]] = list(options)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker-dialog"):
            yield Static(Text(visible(self.picker_title), style="bold"), classes="dialog-title")
            yield Input(placeholder="Type to filter…", id="picker-filter")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-filter", Input).focus()

    def _fill(self, text: str) -> None:
        needle = text.strip().lower()
        self._shown = [(label, value) for label, value in self.options if needle in label.lower()]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([self._option(label, value) for label, value in self._shown])
        if self._shown:
            # Unfiltered, the cursor starts on the choice in force; typed, on the first match.
            values = [value for _, value in self._shown]
            marked = not needle and self.current is not _NO_CURRENT and self.current in values
            options.highlighted = values.index(self.current) if marked else 0
        elif needle:
            # An empty list read as a picker still loading, and enter did nothing: say why.
            said = f"Nothing matches '{one_line(text.strip(), 40)}': backspace, or esc to cancel"
            options.add_option(Option(Text(said, style="italic"), disabled=True))

    def _option(self, label: str, value: Any) -> Option:
        """One line of the list, ticked if it is the choice in force."""
        if self.current is _NO_CURRENT:
            return Option(Text(visible(label)))
        mark = CURRENT_MARK if value == self.current else " " * len(CURRENT_MARK)
        return Option(Text(mark + visible(label)))

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _choose_highlighted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self._shown:
            self.dismiss(self._shown[options.highlighted][1])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._shown[event.option_index][1])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self._shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self._shown) - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
