"""The shared dialogs: forms parse and refuse per field, confirm/prompt/picker answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Console
from textual.app import App
from textual.widgets import Input, Static

from opsdesk.tui.screens.dialogs import (
    ConfirmScreen,
    FormField,
    FormScreen,
    PickerScreen,
    PromptScreen,
)

TODAY = dt.date(2026, 11, 26)  # a Thursday


class Host(App[None]):
    """An empty app that pushes one dialog and keeps what it answered."""

    def __init__(self, screen: Any) -> None:
        super().__init__()
        self.dialog = screen
        self.answers: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


def _text(widget: Static) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


FIELDS = [
    FormField("title", "Title", required=True),
    FormField("due", "Due", kind="date"),
    FormField("count", "Count", kind="int"),
    FormField("kind", "Kind", kind="choice", choices=[("Bug", "bug"), ("Request", "request")]),
]


async def test_form_shows_field_errors_then_returns_parsed_values() -> None:
    form = FormScreen("New thing", FIELDS, today=TODAY)
    app = Host(form)
    async with app.run_test() as pilot:
        await pilot.pause()
        form.query_one("#field-due", Input).value = "next monday"
        form.query_one("#field-count", Input).value = "many"
        await pilot.pause()
        assert "Monday 30 November 2026 (in 4 days)" in _text(form.query_one("#hint-due", Static))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "required" in _text(form.query_one("#error-title", Static))
        assert "not a whole number" in _text(form.query_one("#error-count", Static))
        assert app.answers == []
        form.query_one("#field-title", Input).value = "[b]Export[/b]"
        form.query_one("#field-count", Input).value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.answers == [
        {"title": "[b]Export[/b]", "due": dt.date(2026, 11, 30), "count": 3, "kind": None}
    ]


async def test_form_validate_hook_shows_service_errors() -> None:
    form = FormScreen(
        "x", FIELDS[:1], today=TODAY, validate=lambda values: {"title": "already taken"}
    )
    app = Host(form)
    async with app.run_test() as pilot:
        form.query_one("#field-title", Input).value = "dup"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "already taken" in _text(form.query_one("#error-title", Static))
        await pilot.press("escape", "y")  # something was typed: discarding it is confirmed
        await pilot.pause()
    assert app.answers == [None]


async def test_cancelling_a_form_with_typed_text_asks_first() -> None:
    form = FormScreen("New launch", FIELDS[:1], today=TODAY)
    app = Host(form)
    async with app.run_test() as pilot:
        await pilot.press(*"Offline mode")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard what you typed in 'New launch'?" in _text(
            app.screen.query_one(".dialog-title", Static)
        )
        await pilot.press("n")  # keep editing: the text is still there
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#field-title", Input).value == "Offline mode"
        assert app.answers == []
        await pilot.press("escape", "y")
        await pilot.pause()
    assert app.answers == [None]


async def test_cancelling_an_untouched_form_closes_it_at_once() -> None:
    form = FormScreen("x", FIELDS, today=TODAY)
    app = Host(form)
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.answers == [None]


async def test_bad_date_is_a_field_error() -> None:
    form = FormScreen("x", [FormField("due", "Due", kind="date")], today=TODAY)
    app = Host(form)
    async with app.run_test() as pilot:
        form.query_one("#field-due", Input).value = "someday"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "'someday' is not a date" in _text(form.query_one("#error-due", Static))
        assert not form.query_one("#hint-due", Static).display, "one line says it, not two"
    assert app.answers == []


async def test_a_refused_form_puts_the_cursor_in_the_first_bad_field() -> None:
    form = FormScreen("New thing", FIELDS, today=TODAY)
    app = Host(form)
    async with app.run_test() as pilot:
        form.query_one("#field-title", Input).value = "Export"
        form.query_one("#field-count", Input).value = "many"
        form.query_one("#field-kind").focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.focused is form.query_one("#field-count", Input)
        await pilot.press("end", *["backspace"] * 4, "3", "ctrl+s")  # fixed where it stands
        await pilot.pause()
    assert app.answers and app.answers[0]["count"] == 3


async def test_confirm_defaults_to_no() -> None:
    app = Host(ConfirmScreen("Forget Ana?"))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [False]
    app = Host(ConfirmScreen("Forget Ana?"))
    async with app.run_test() as pilot:
        await pilot.press("y")
        await pilot.pause()
    assert app.answers == [True]


async def test_prompt_requires_text() -> None:
    app = Host(PromptScreen("Slip", "Reason"))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers == []
        await pilot.press(*"legal", "enter")
        await pilot.pause()
    assert app.answers == ["legal"]


async def test_picker_filters_as_you_type() -> None:
    options = [("Ana Diaz", 1), ("Bob Stone", 2), ("Anita Roy", 3)]
    app = Host(PickerScreen("Owner", options))
    async with app.run_test() as pilot:
        await pilot.press(*"bob", "enter")
        await pilot.pause()
    assert app.answers == [2]
    app = Host(PickerScreen("Owner", options))
    async with app.run_test() as pilot:
        await pilot.press(*"an", "down", "enter")
        await pilot.pause()
    assert app.answers == [3]


async def test_a_picker_filter_that_matches_nothing_says_so() -> None:
    """An empty list looked like a picker still loading, and enter did nothing at all."""
    from textual.widgets import OptionList

    app = Host(PickerScreen("Status", [("free", 1), ("at cap", 2)]))
    async with app.run_test() as pilot:
        await pilot.press(*"jjj", "enter")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        [said] = [options.get_option_at_index(i) for i in range(options.option_count)]
        assert said.disabled
        assert str(said.prompt) == "Nothing matches 'jjj': backspace, or esc to cancel"
        assert app.answers == []  # still choosing
        await pilot.press("backspace", "backspace", "backspace", *"cap", "enter")
        await pilot.pause()
    assert app.answers == [2]
