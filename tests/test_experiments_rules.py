"""The experiment rules: overlap (window edges, same surface, same metric and audience) and
the board's column guards and stamps."""

from __future__ import annotations

import datetime as dt

import pytest

from opsdesk.models import Experiment
from opsdesk.rules.experiments import (
    BOARD_COLUMNS,
    GuardError,
    check_move,
    check_state,
    neighbour,
    stamps,
)
from opsdesk.rules.overlap import (
    Candidate,
    ConflictReason,
    Window,
    audiences_overlap,
    candidate,
    experiment_window,
    find_conflicts,
    window_for,
)
from opsdesk.vocabulary import ExperimentDecision, ExperimentResult, ExperimentStatus

TODAY = dt.date(2026, 11, 26)
RUNNING = ExperimentStatus.RUNNING
DESIGNING = ExperimentStatus.DESIGNING


def d(day: int, month: int = 12) -> dt.date:
    return dt.date(2026, month, day)


def cand(
    id: int,
    start: dt.date,
    end: dt.date | None,
    *,
    surface: str | None = None,
    metric: str | None = None,
    audience: str | None = "smb",
    owner: str = "Ana",
    status: ExperimentStatus = RUNNING,
) -> Candidate:
    return Candidate(
        id=id,
        title=f"Experiment {id}",
        owner=owner,
        team="Growth",
        status=status,
        surface=surface,
        audience=audience,
        primary_metric=metric,
        window=Window(start, end),
    )


# -- windows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (Window(d(1), d(10)), Window(d(10), d(20)), True),  # touching ends share a day
        (Window(d(1), d(9)), Window(d(10), d(20)), False),  # the next day: no overlap
        (Window(d(10), d(20)), Window(d(1), d(9)), False),  # either order
        (Window(d(1), d(31)), Window(d(5), d(6)), True),  # containment
        (Window(d(1), None), Window(d(20), d(25)), True),  # open-ended reaches everything after
        (Window(d(21), None), Window(d(1), d(20)), False),  # ...but nothing before its start
        (Window(d(1), None), Window(d(2), None), True),  # two open ends
        (Window(d(5), d(5)), Window(d(5), d(5)), True),  # one-day windows on the same day
    ],
)
def test_window_overlap_edges(a: Window, b: Window, overlap: bool) -> None:
    assert a.overlaps(b) is overlap
    assert b.overlaps(a) is overlap
    assert (a.intersection(b) is not None) is overlap


def test_intersection_of_open_and_closed_windows() -> None:
    assert Window(d(1), None).intersection(Window(d(5), d(9))) == Window(d(5), d(9))
    assert Window(d(1), None).intersection(Window(d(5), None)) == Window(d(5), None)
    assert Window(d(1), d(10)).intersection(Window(d(10), d(20))) == Window(d(10), d(10))
    assert Window(d(1), None).describe() == "2026-12-01 → open"


def test_running_window_runs_from_actual_start_and_reaches_today_when_overdue() -> None:
    window = window_for(
        RUNNING,
        planned_start=d(1, 11),
        planned_end=d(20, 11),  # past: it is still running, so it occupies today too
        actual_start=d(3, 11),
        today=TODAY,
    )
    assert window == Window(d(3, 11), TODAY)
    open_ended = window_for(
        RUNNING, planned_start=d(1, 11), planned_end=None, actual_start=None, today=TODAY
    )
    assert open_ended == Window(d(1, 11), None)


def test_planned_window_needs_a_start_and_a_planned_status() -> None:
    assert window_for(
        DESIGNING, planned_start=d(1), planned_end=d(14), actual_start=None, today=TODAY
    ) == Window(d(1), d(14))
    assert (
        window_for(DESIGNING, planned_start=None, planned_end=d(14), actual_start=None, today=TODAY)
        is None
    )
    assert window_for(
        ExperimentStatus.IDEA, planned_start=d(1), planned_end=None, actual_start=None, today=TODAY
    ) == Window(d(1), None)
    # An idea only counts when the policy says ideas with dates are planned work.
    assert (
        window_for(
            ExperimentStatus.IDEA,
            planned_start=d(1),
            planned_end=None,
            actual_start=None,
            today=TODAY,
            planned_statuses=[DESIGNING],
        )
        is None
    )
    for status in (
        ExperimentStatus.ANALYZING,
        ExperimentStatus.CONCLUDED,
        ExperimentStatus.ABANDONED,
    ):
        assert (
            window_for(status, planned_start=d(1), planned_end=d(9), actual_start=d(1), today=TODAY)
            is None
        )


def test_candidate_from_a_model() -> None:
    experiment = Experiment(
        id=7,
        title="One-page checkout",
        status=RUNNING,
        surface="checkout",
        planned_start=d(16, 11),
        planned_end=d(7),
        actual_start=d(16, 11),
    )
    found = candidate(experiment, TODAY)
    assert found is not None and found.window == Window(d(16, 11), d(7))
    assert experiment_window(experiment.model_copy(update={"status": "analyzing"}), TODAY) is None


# -- conflicts -------------------------------------------------------------------------------


def test_same_surface_in_overlapping_windows_collides_on_both_sides() -> None:
    a = cand(1, d(1), d(14), surface="Checkout ")
    b = cand(2, d(10), d(20), surface="checkout", owner="Bo")
    c = cand(3, d(15), d(30), surface="checkout")  # starts after a ends, overlaps b
    conflicts = find_conflicts([a, b, c])
    assert [pair.ids for pair in conflicts] == [(1, 2), (2, 3)]
    first = conflicts[0]
    assert first.reasons == (ConflictReason.SURFACE,)
    assert first.overlap == Window(d(10), d(14))
    assert first.other(1).owner == "Bo" and first.other(2).owner == "Ana"
    assert conflicts.has(1) and conflicts.has(2) and conflicts.has(3)
    assert [pair.ids for pair in conflicts.involving(2)] == [(1, 2), (2, 3)]
    assert "same surface (Checkout )" in first.describe_reasons()


def test_windows_that_do_not_meet_never_collide() -> None:
    a = cand(1, d(1), d(9), surface="checkout", metric="conversion")
    b = cand(2, d(10), d(20), surface="checkout", metric="conversion")
    assert len(find_conflicts([a, b])) == 0


def test_different_surfaces_and_metrics_do_not_collide() -> None:
    a = cand(1, d(1), d(20), surface="checkout", metric="conversion")
    b = cand(2, d(1), d(20), surface="search", metric="search success")
    assert len(find_conflicts([a, b])) == 0


def test_same_metric_needs_the_same_audience() -> None:
    a = cand(1, d(1), d(20), surface="pricing", metric="Annual plan share", audience="smb")
    b = cand(2, d(5), None, surface="checkout", metric="annual plan share", audience="SMB")
    c = cand(3, d(5), None, surface="signup", metric="annual plan share", audience="enterprise")
    conflicts = find_conflicts([a, b, c])
    assert [pair.ids for pair in conflicts] == [(1, 2)]
    assert conflicts[0].reasons == (ConflictReason.METRIC_AUDIENCE,)
    assert "same metric and audience (Annual plan share, smb)" in conflicts[0].describe_reasons()


def test_an_everyone_audience_overlaps_every_segment() -> None:
    assert audiences_overlap("all", "smb")
    assert audiences_overlap("smb", None)  # no audience: everybody
    assert not audiences_overlap("smb", "enterprise")
    assert audiences_overlap("smb", "mid-market", broad=["mid-market"])
    a = cand(1, d(1), d(20), metric="activation", audience="all")
    b = cand(2, d(1), d(20), metric="activation", audience="enterprise")
    assert [pair.ids for pair in find_conflicts([a, b])] == [(1, 2)]
    assert len(find_conflicts([a, b], broad_audiences=[])) == 0


def test_a_pair_with_both_reasons_is_listed_once() -> None:
    a = cand(1, d(1), d(20), surface="checkout", metric="conversion")
    b = cand(2, d(3), d(9), surface="checkout", metric="conversion")
    conflicts = find_conflicts([b, a])
    assert len(conflicts) == 1
    assert conflicts[0].reasons == (ConflictReason.SURFACE, ConflictReason.METRIC_AUDIENCE)
    assert conflicts[0].ids == (1, 2)


def test_conflicts_are_soonest_first_and_can_be_narrowed() -> None:
    late = [cand(10, d(20), d(25), surface="search"), cand(11, d(22), d(30), surface="search")]
    soon = [cand(20, d(1), d(5), surface="inbox"), cand(21, d(2), d(3), surface="inbox")]
    conflicts = find_conflicts([*late, *soon])
    assert [pair.ids for pair in conflicts] == [(20, 21), (10, 11)]
    assert [pair.ids for pair in conflicts[0:2]] == [(20, 21), (10, 11)]
    inbox = conflicts.where(lambda side: side.surface == "inbox")
    assert [pair.ids for pair in inbox] == [(20, 21)]
    assert conflicts.experiment_ids() == {10, 11, 20, 21}
    assert not conflicts.has(99) and not conflicts.has(None)


def test_sweep_finds_every_pair_of_a_crowded_surface() -> None:
    crowd = [cand(i, d(1), None, surface="checkout") for i in range(1, 31)]
    assert len(find_conflicts(crowd)) == 30 * 29 // 2


# -- column guards ---------------------------------------------------------------------------


def experiment(**fields: object) -> Experiment:
    base: dict[str, object] = {"id": 1, "title": "One-page checkout"}
    base.update(fields)
    return Experiment.model_validate(base)


def test_running_needs_a_start_date_and_a_primary_metric() -> None:
    with pytest.raises(GuardError) as caught:
        check_move(experiment(status=DESIGNING), RUNNING)
    assert caught.value.fields == ("planned_start", "primary_metric")
    assert str(caught.value) == (
        "“One-page checkout” cannot move to running: it needs a planned start date and a "
        "primary metric."
    )
    with pytest.raises(GuardError) as caught:
        check_move(experiment(status=DESIGNING, planned_start=d(1)), RUNNING)
    assert caught.value.fields == ("primary_metric",)
    check_move(
        experiment(status=DESIGNING, planned_start=d(1), primary_metric="conversion"), RUNNING
    )


def test_concluding_needs_result_decision_and_learnings() -> None:
    ran = experiment(
        status=ExperimentStatus.ANALYZING,
        primary_metric="conversion",
        planned_start=d(1, 11),
        actual_start=d(1, 11),
        actual_end=d(20, 11),
    )
    with pytest.raises(GuardError) as caught:
        check_move(ran, ExperimentStatus.CONCLUDED)
    assert caught.value.fields == ("result", "decision", "learnings")
    assert "a result (won, lost, flat or inconclusive)" in str(caught.value)
    blank = ran.model_copy(
        update={"result": ExperimentResult.WON, "decision": ExperimentDecision.SHIP}
    )
    with pytest.raises(GuardError) as caught:
        check_move(blank.model_copy(update={"learnings": "   \n "}), ExperimentStatus.CONCLUDED)
    assert caught.value.fields == ("learnings",)
    check_move(blank.model_copy(update={"learnings": "It worked."}), ExperimentStatus.CONCLUDED)


def test_analysis_needs_an_experiment_that_ran() -> None:
    never_ran = experiment(status=DESIGNING, primary_metric="conversion", planned_start=d(1))
    with pytest.raises(GuardError) as caught:
        check_move(never_ran, ExperimentStatus.ANALYZING)
    assert caught.value.fields == ("actual_start",)
    running = never_ran.model_copy(update={"status": RUNNING, "actual_start": d(1)})
    check_move(running, ExperimentStatus.ANALYZING)


def test_idea_designing_and_abandoned_have_no_requirements() -> None:
    bare = experiment(status=RUNNING, planned_start=d(1), primary_metric="m")
    for target in (ExperimentStatus.IDEA, DESIGNING, ExperimentStatus.ABANDONED):
        check_move(bare, target)


def test_an_edit_cannot_leave_a_column_short() -> None:
    check_state(experiment(status=RUNNING, planned_start=d(1), primary_metric="m"))
    with pytest.raises(GuardError) as caught:
        check_state(experiment(status=RUNNING, planned_start=d(1), primary_metric=None))
    assert str(caught.value) == "“One-page checkout” is running, so it needs a primary metric."


def test_stamps_on_every_move() -> None:
    designing = experiment(status=DESIGNING, planned_start=d(1), primary_metric="m")
    assert stamps(designing, RUNNING, TODAY) == {"status": RUNNING, "actual_start": TODAY}
    running = designing.model_copy(update={"status": RUNNING, "actual_start": d(20, 11)})
    assert stamps(running, ExperimentStatus.ANALYZING, TODAY) == {
        "status": ExperimentStatus.ANALYZING,
        "actual_end": TODAY,
    }
    analyzing = running.model_copy(
        update={"status": ExperimentStatus.ANALYZING, "actual_end": d(25, 11)}
    )
    # Concluding keeps the end stamped when it stopped running.
    assert stamps(analyzing, ExperimentStatus.CONCLUDED, TODAY) == {
        "status": ExperimentStatus.CONCLUDED
    }
    # Back to running: it runs again, so the end goes; the start stays.
    assert stamps(analyzing, RUNNING, TODAY) == {"status": RUNNING, "actual_end": None}
    # Back to design: it has not run in its final form; history keeps the old dates.
    assert stamps(running, DESIGNING, TODAY) == {"status": DESIGNING, "actual_start": None}
    dropped = stamps(running, ExperimentStatus.ABANDONED, TODAY)
    assert dropped == {
        "status": ExperimentStatus.ABANDONED,
        "actual_end": TODAY,
        "decision": ExperimentDecision.ABANDON,
    }
    assert stamps(designing, ExperimentStatus.ABANDONED, TODAY) == {
        "status": ExperimentStatus.ABANDONED,
        "decision": ExperimentDecision.ABANDON,
    }


def test_neighbours_stop_at_the_board_edges() -> None:
    assert BOARD_COLUMNS[0] is ExperimentStatus.IDEA
    assert neighbour(ExperimentStatus.IDEA, -1) is None
    assert neighbour(ExperimentStatus.IDEA, 1) is DESIGNING
    assert neighbour(ExperimentStatus.ANALYZING, 1) is ExperimentStatus.CONCLUDED
    assert neighbour(ExperimentStatus.CONCLUDED, 1) is None
    assert neighbour(ExperimentStatus.ABANDONED, 1) is None
