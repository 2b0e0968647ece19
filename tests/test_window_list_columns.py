"""Which columns a list shows at a width: compact forms before hidden columns."""

from __future__ import annotations

from opsdesk.tui.widgets.window_list import Column, WindowList


def _blank(_row: object) -> str:
    return ""


SHORT = Column("Own", _blank, 3, optional=True)
COLUMNS = [
    Column("Date", _blank, 6),
    Column("Kind", _blank, 10, optional=True),
    Column("Title", _blank),
    Column("Company", _blank, 14, optional=True),
    Column("Owner", _blank, 12, optional=True, compact=SHORT),
]


def _shown(width: int) -> list[str]:
    return [column.title for column in WindowList(COLUMNS)._visible_columns(width)]


def test_a_wide_column_takes_its_compact_form_before_another_column_goes() -> None:
    """The owner's name became initials before the company went, and the initials stay
    after the company and the kind have gone: the owner was the first column hidden."""
    assert _shown(6 + 10 + 24 + 14 + 12 + 4) == ["Date", "Kind", "Title", "Company", "Owner"]
    assert _shown(6 + 10 + 24 + 14 + 3 + 4) == ["Date", "Kind", "Title", "Company", "Own"]
    assert _shown(6 + 10 + 24 + 3 + 3) == ["Date", "Kind", "Title", "Own"]
    assert _shown(6 + 24 + 3 + 2) == ["Date", "Title", "Own"]
    assert _shown(6 + 24 + 1) == ["Date", "Title"]


def test_columns_without_a_compact_form_go_last_first_as_before() -> None:
    plain = [column for column in COLUMNS if column.compact is None]
    widget = WindowList(plain)
    assert [c.title for c in widget._visible_columns(6 + 10 + 24 + 2)] == ["Date", "Kind", "Title"]
    assert [c.title for c in widget._visible_columns(6 + 24 + 1)] == ["Date", "Title"]
