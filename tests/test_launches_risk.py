"""Risk rules at their boundaries, readiness %, collisions (same week, same audience), blackouts."""

from __future__ import annotations

import datetime as dt

import pytest

from opsdesk.config import Blackout
from opsdesk.models import Launch, ReadinessItem
from opsdesk.rules.dates import WorkCalendar
from opsdesk.rules.risk import (
    RiskKind,
    assess,
    audience_key,
    blackouts_on,
    collisions,
    item_risk,
    readiness_percent,
    snapshot,
    warning_horizon,
    week_of,
)
from opsdesk.vocabulary import LaunchStatus, ReadinessState

TODAY = dt.date(2026, 11, 26)  # a Thursday
CAL = WorkCalendar(holidays=frozenset({dt.date(2026, 12, 1)}))
HORIZON = warning_horizon(TODAY, 5, CAL)


def _item(due: dt.date, state: str = "todo", item_id: int = 1) -> ReadinessItem:
    return ReadinessItem(
        id=item_id,
        launch_id=1,
        function="legal",
        title="Legal review",
        due_date=due,
        state=ReadinessState(state),
    )


def _launch(
    launch_id: int,
    day: dt.date,
    audience: str | None = "enterprise",
    status: str = "planned",
) -> Launch:
    return Launch(
        id=launch_id,
        title=f"Launch {launch_id}",
        launch_date=day,
        audience=audience,
        status=LaunchStatus(status),
    )


# -- the warning window ------------------------------------------------------------------------


def test_horizon_counts_working_days_and_skips_holidays() -> None:
    # Thu 26 Nov + 5 working days: Fri, Mon, (Tue 1 Dec is a holiday), Wed, Thu, Fri 4 Dec.
    assert dt.date(2026, 12, 4) == HORIZON
    assert warning_horizon(TODAY, 5, WorkCalendar()) == dt.date(2026, 12, 3)
    assert warning_horizon(TODAY, 0, CAL) == TODAY
    with pytest.raises(ValueError):
        warning_horizon(TODAY, -1, CAL)


# -- item risk at its boundaries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "state", "expected"),
    [
        # Overdue starts the day after the due date, for every open state.
        (TODAY - dt.timedelta(days=1), "todo", RiskKind.OVERDUE),
        (TODAY - dt.timedelta(days=1), "in_progress", RiskKind.OVERDUE),
        (TODAY, "in_progress", None),
        # Not started: todo and due from today up to the horizon, both ends included.
        (TODAY, "todo", RiskKind.NOT_STARTED),
        (HORIZON, "todo", RiskKind.NOT_STARTED),
        (HORIZON + dt.timedelta(days=1), "todo", None),
        (HORIZON, "in_progress", None),
        # Blocked is a risk whatever the date.
        (HORIZON + dt.timedelta(days=90), "blocked", RiskKind.BLOCKED),
        (TODAY - dt.timedelta(days=9), "blocked", RiskKind.BLOCKED),
        # Closed items never are, however late.
        (TODAY - dt.timedelta(days=30), "done", None),
        (TODAY - dt.timedelta(days=30), "not_applicable", None),
    ],
)
def test_item_risk_boundaries(due: dt.date, state: str, expected: RiskKind | None) -> None:
    assert item_risk(_item(due, state), TODAY, HORIZON) == expected


def test_closed_launches_are_never_at_risk() -> None:
    items = [_item(TODAY - dt.timedelta(days=3), "blocked")]
    for status in ("launched", "cancelled"):
        assert not assess(_launch(1, TODAY, status=status), items, TODAY, HORIZON).at_risk
    for status in ("planned", "in_progress", "slipped"):
        assert assess(_launch(1, TODAY, status=status), items, TODAY, HORIZON).at_risk


def test_risks_come_most_urgent_first() -> None:
    items = [
        _item(HORIZON, "todo", 1),
        _item(TODAY - dt.timedelta(days=2), "todo", 2),
        _item(TODAY + dt.timedelta(days=40), "blocked", 3),
        _item(TODAY + dt.timedelta(days=40), "todo", 4),
    ]
    result = assess(_launch(1, TODAY + dt.timedelta(days=50)), items, TODAY, HORIZON)
    assert [(r.kind, r.item.id) for r in result.risks] == [
        (RiskKind.BLOCKED, 3),
        (RiskKind.OVERDUE, 2),
        (RiskKind.NOT_STARTED, 1),
    ]
    assert "overdue (due 2026-11-24)" in result.risks[1].sentence()


# -- readiness % -------------------------------------------------------------------------------


def test_readiness_percent_ignores_not_applicable_and_rounds_down() -> None:
    def items(*states: str) -> list[ReadinessItem]:
        return [_item(TODAY, state, n) for n, state in enumerate(states)]

    assert readiness_percent([]) is None
    assert readiness_percent(items("done", "todo", "not_applicable")) == 50
    assert readiness_percent(items("not_applicable", "not_applicable")) == 100
    assert readiness_percent(items("done", "done", "todo")) == 66
    assert readiness_percent(items(*["done"] * 199, "todo")) == 99  # never a false 100
    assert readiness_percent(items("done", "done")) == 100


def test_readiness_a_person_reads_never_calls_a_cancelled_or_waived_launch_100() -> None:
    """A cancelled launch with its items done, or one whose every item is not applicable,
    read '100%' beside launches that shipped: it looked ready to go out (or gone)."""

    def items(*states: str) -> list[ReadinessItem]:
        return [_item(TODAY, state, n) for n, state in enumerate(states)]

    later = TODAY + dt.timedelta(days=50)
    cancelled = assess(_launch(1, later, status="cancelled"), items("done", "done"), TODAY, HORIZON)
    assert cancelled.percent == 100  # the arithmetic, for exports and --json
    assert (cancelled.cell(), cancelled.words()) == ("–", "cancelled (2 of 2 items were done)")
    assert not cancelled.complete
    waived = assess(_launch(2, later), items("not_applicable"), TODAY, HORIZON)
    assert (waived.cell(), waived.words()) == ("n/a", "n/a (every item is not applicable)")
    assert not waived.complete
    bare = assess(_launch(3, later), [], TODAY, HORIZON)
    assert (bare.cell(), bare.words()) == ("–", "no checklist items yet")
    ready = assess(_launch(4, later), items("done", "not_applicable"), TODAY, HORIZON)
    assert (ready.cell(), ready.words(), ready.complete) == ("100%", "100% (1 of 1 done)", True)
    half = assess(_launch(5, later), items("done", "in_progress"), TODAY, HORIZON)
    assert (half.cell(), half.complete) == ("50%", False)


def test_risk_reason_names_kinds_then_functions_then_readiness() -> None:
    """What Today says of a launch at risk: the most urgent kind first, each with its
    functions (three, then '+N'), and how ready it is; nothing when it is not at risk."""
    from opsdesk.rules.risk import risk_reason

    def item(function: str, due: dt.date, state: str, item_id: int) -> ReadinessItem:
        return _item(due, state, item_id).model_copy(update={"function": function})

    late = TODAY - dt.timedelta(days=2)
    items = [
        item("legal", late, "todo", 1),
        item("security", TODAY + dt.timedelta(days=30), "blocked", 2),
        item("marketing", late, "in_progress", 3),
        item("sales", late, "todo", 4),
        item("docs", late, "todo", 5),
        item("customer_success", TODAY, "todo", 6),
        item("support", late, "done", 7),
    ]
    launch = _launch(1, TODAY + dt.timedelta(days=40))
    assert risk_reason(assess(launch, items, TODAY, HORIZON)) == (
        "1 blocked (security), 4 overdue (docs, legal, marketing +1), "
        "1 not started (customer success) · 14% ready"
    )
    calm = assess(launch, [item("legal", TODAY + dt.timedelta(days=30), "todo", 1)], TODAY, HORIZON)
    assert risk_reason(calm) == ""


# -- collisions --------------------------------------------------------------------------------


def test_week_starts_on_monday() -> None:
    assert week_of(dt.date(2026, 11, 30)) == dt.date(2026, 11, 30)  # Monday
    assert week_of(dt.date(2026, 12, 6)) == dt.date(2026, 11, 30)  # Sunday
    assert week_of(dt.date(2026, 12, 7)) == dt.date(2026, 12, 7)


def test_same_week_same_audience_collide_across_the_whole_week() -> None:
    monday, sunday = dt.date(2026, 11, 30), dt.date(2026, 12, 6)
    found = collisions([_launch(1, monday), _launch(2, sunday, " Enterprise ")])
    assert [c.launch_id for c in found[1]] == [2]
    assert [c.launch_id for c in found[2]] == [1]


def test_no_collision_across_a_week_boundary_or_between_audiences() -> None:
    sunday, monday = dt.date(2026, 12, 6), dt.date(2026, 12, 7)
    assert collisions([_launch(1, sunday), _launch(2, monday)]) == {}
    same_day = dt.date(2026, 12, 2)
    assert collisions([_launch(1, same_day, "smb"), _launch(2, same_day, "enterprise")]) == {}


def test_cancelled_or_audienceless_launches_collide_with_nothing() -> None:
    day = dt.date(2026, 12, 2)
    assert collisions([_launch(1, day), _launch(2, day, status="cancelled")]) == {}
    assert collisions([_launch(1, day, None), _launch(2, day, None)]) == {}
    assert collisions([_launch(1, day, "  "), _launch(2, day, "")]) == {}
    assert audience_key(" SMB ") == "smb"


def test_three_in_a_week_each_see_the_other_two() -> None:
    day = dt.date(2026, 12, 2)
    found = collisions([_launch(n, day + dt.timedelta(days=n % 3)) for n in (1, 2, 3)])
    assert {key: sorted(c.launch_id for c in value) for key, value in found.items()} == {
        1: [2, 3],
        2: [1, 3],
        3: [1, 2],
    }


# -- blackouts ---------------------------------------------------------------------------------


def test_blackouts_include_both_ends() -> None:
    freeze = Blackout(name="Year-end freeze", start=dt.date(2026, 12, 18), end=dt.date(2027, 1, 4))
    assert blackouts_on(dt.date(2026, 12, 17), [freeze]) == []
    assert blackouts_on(dt.date(2026, 12, 18), [freeze]) == ["Year-end freeze"]
    assert blackouts_on(dt.date(2027, 1, 4), [freeze]) == ["Year-end freeze"]
    assert blackouts_on(dt.date(2027, 1, 5), [freeze]) == []


# -- snapshot ----------------------------------------------------------------------------------


def test_snapshot_freezes_items_and_their_risks() -> None:
    launch = _launch(1, TODAY + dt.timedelta(days=10))
    items = [_item(TODAY - dt.timedelta(days=1), "todo", 1), _item(TODAY, "done", 2)]
    frozen = snapshot(launch, items, assess(launch, items, TODAY, HORIZON))
    assert frozen.at_risk and frozen.percent == 50
    assert [(i.id, i.risk) for i in frozen.items] == [(1, "overdue"), (2, None)]
    assert frozen.risks == ["legal · Legal review: overdue (due 2026-11-25)"]
