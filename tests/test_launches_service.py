"""The launch service: templates, sign-off, items, slips, go/no-go, risk sort, timeline, owed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import (
    Blackout,
    CalendarConfig,
    Config,
    GeneralConfig,
    LaunchPolicy,
    parse_config,
)
from opsdesk.models import Launch, ReadinessItem
from opsdesk.rules.launch_gates import decision_refusal, slip_refusal
from opsdesk.rules.risk import RiskKind
from opsdesk.services.desk import Desk
from opsdesk.services.launches import LaunchRuleError, LaunchService
from opsdesk.store import Store
from opsdesk.vocabulary import GoDecision, LaunchStatus, ReadinessState

TODAY = dt.date(2026, 11, 26)  # Thursday; the conftest clock says 15:00 UTC that day


def _service(store: Store, clock: FrozenClock, config: Config | None = None) -> LaunchService:
    config = config or Config(general=GeneralConfig(user="Olivia Ops"))
    return LaunchService(Desk(store, config, clock))


@pytest.fixture
def service(store: Store, clock: FrozenClock) -> LaunchService:
    return _service(store, clock)


def _due(items: list[ReadinessItem]) -> dict[str, dt.date]:
    return {item.function: item.due_date for item in items}


# -- creating from a template ------------------------------------------------------------------


def test_a_new_launch_gets_its_tier_checklist_counted_in_working_days(
    store: Store, clock: FrozenClock
) -> None:
    config = Config(
        calendar=CalendarConfig(holidays=[dt.date(2026, 12, 24), dt.date(2026, 12, 25)])
    )
    service = _service(store, clock, config)
    launch, items = service.create("Audit trail", dt.date(2026, 12, 28), 2, owner=" Priya ")
    assert launch.id and launch.owner == "Priya" and launch.status == LaunchStatus.PLANNED
    # Monday 28 Dec; Thu 24 and Fri 25 are holidays, so the working days before it are
    # Wed 23, Tue 22, Mon 21, Fri 18, Thu 17, ... (weekends skipped too).
    assert _due(items) == {
        "docs": dt.date(2026, 12, 22),  # 2 working days
        "support": dt.date(2026, 12, 21),  # 3
        "marketing": dt.date(2026, 12, 17),  # 5
        "legal": dt.date(2026, 12, 10),  # 10
        "security": dt.date(2026, 12, 10),
    }
    stored = store.readiness.for_launch(launch.id)
    assert [(i.function, i.owner_role, i.state) for i in stored] == [
        (i.function, i.owner_role, ReadinessState.TODO) for i in items
    ]
    assert len(store.history.for_record("launches", launch.id)) == 1


def test_each_tier_uses_its_own_template_from_the_config(service: LaunchService) -> None:
    counts = {tier: len(service.create(f"T{tier}", TODAY, tier)[1]) for tier in (1, 2, 3)}
    assert counts == {1: 7, 2: 5, 3: 2}


def test_a_custom_template_and_an_empty_tier(store: Store, clock: FrozenClock) -> None:
    policy = parse_config(
        {
            "launches": {
                "tiers": {"3": [{"function": "pricing", "item": "Price book", "lead_days": 4}]}
            }
        }
    ).launches
    service = _service(store, clock, Config(launches=policy))
    _, items = service.create("Quiet", dt.date(2026, 12, 7), 3)
    assert [(i.function, i.title, i.due_date) for i in items] == [
        ("pricing", "Price book", dt.date(2026, 12, 1))
    ]
    assert service.create("Nothing", dt.date(2026, 12, 7), 1)[1] == []
    assert "pricing" in service.functions()


def test_a_bad_launch_is_refused_and_nothing_is_written(
    service: LaunchService, store: Store
) -> None:
    with pytest.raises(Exception, match="tier"):
        service.create("Bad tier", TODAY, 7)
    with pytest.raises(Exception, match="title"):
        service.create("   ", TODAY, 1)
    assert store.launches.count() == 0 and store.readiness.count() == 0


def test_a_new_launch_still_to_land_is_not_dated_in_the_past(
    service: LaunchService, store: Store
) -> None:
    """Yesterday's date on a planned launch came in with every item overdue, on Today as a
    launch at risk; a launch already out may still be recorded on its real date."""
    yesterday = TODAY - dt.timedelta(days=1)
    for status in (LaunchStatus.PLANNED, LaunchStatus.IN_PROGRESS, LaunchStatus.SLIPPED):
        with pytest.raises(LaunchRuleError) as refused:
            service.create("Typo", yesterday, 2, status=status)
        assert refused.value.field == "launch_date"
        assert refused.value.message == (
            "Wed 25 Nov 2026 has passed: a new launch is planned for today or later"
        )
    assert store.launches.count() == 0 and store.readiness.count() == 0
    assert service.create("Today", TODAY, 3)[0].launch_date == TODAY
    shipped, _ = service.create("Shipped", yesterday, 3, status=LaunchStatus.LAUNCHED)
    assert shipped.launch_date == yesterday


# -- editing -----------------------------------------------------------------------------------


def test_edit_changes_fields_but_sends_a_date_change_to_slip(
    service: LaunchService, store: Store
) -> None:
    launch, _ = service.create("SSO", dt.date(2026, 12, 14), 2)
    edited = service.edit(launch.id, title="SSO for all", audience=" ", owner="Ana", tier=1)
    assert (edited.title, edited.audience, edited.owner, edited.tier) == (
        "SSO for all",
        None,
        "Ana",
        1,
    )
    same = service.edit(launch.id, launch_date=dt.date(2026, 12, 14), summary="Why")
    assert same.summary == "Why"
    with pytest.raises(LaunchRuleError) as error:
        service.edit(launch.id, launch_date=dt.date(2026, 12, 21))
    assert error.value.field == "launch_date"
    with pytest.raises(LaunchRuleError):
        service.edit(launch.id, original_date=dt.date(2026, 1, 1))
    fields = {c.field for c in store.history.for_record("launches", launch.id)}
    assert {"title", "owner", "tier", "summary"} <= fields


# -- readiness items ---------------------------------------------------------------------------


def test_signing_off_needs_evidence_and_records_who_and_when(
    service: LaunchService, store: Store, clock: FrozenClock
) -> None:
    _, items = service.create("SSO", dt.date(2026, 12, 14), 3)
    item_id = int(items[0].id or 0)
    for empty in (None, "", "   "):
        with pytest.raises(LaunchRuleError) as error:
            service.set_item_state(item_id, "done", empty)
        assert error.value.field == "evidence"
    assert store.readiness.get(item_id).state == ReadinessState.TODO
    done = service.set_item_state(item_id, ReadinessState.DONE, " https://kb/123 ")
    assert done.state == ReadinessState.DONE
    assert (done.evidence, done.signed_off_by, done.signed_off_at) == (
        "https://kb/123",
        "Olivia Ops",
        clock.now(),
    )
    reopened = service.set_item_state(item_id, "in_progress")
    assert (reopened.evidence, reopened.signed_off_by, reopened.signed_off_at) == (None, None, None)
    blocked = service.set_item_state(item_id, "blocked", "Waiting on the vendor")
    assert blocked.evidence == "Waiting on the vendor"
    # Unblocked, what it waited for no longer holds: it must not read as evidence later.
    unblocked = service.set_item_state(item_id, "in_progress")
    assert unblocked.evidence is None
    service.set_item_state(item_id, "blocked", "Waiting on the vendor")
    with pytest.raises(LaunchRuleError, match="state"):
        service.set_item_state(item_id, "finished")
    changed = [c.field for c in store.history.for_record("readiness_items", item_id)]
    assert changed.count("signed_off_by") == 2  # set, then cleared


def test_items_can_be_added_removed_and_reowned(service: LaunchService, store: Store) -> None:
    launch, items = service.create("SSO", dt.date(2026, 12, 14), 3)
    added = service.add_item(launch.id, "Security", "Pen test", 8, owner="Sam")
    assert (added.function, added.due_date, added.owner) == (
        "security",
        dt.date(2026, 12, 2),
        "Sam",
    )
    assert service.reown_item(int(added.id or 0), "Rafael").owner == "Rafael"
    assert service.reown_item(int(added.id or 0), " ").owner is None
    removed = service.remove_item(int(items[0].id or 0))
    assert [i.id for i in store.readiness.for_launch(launch.id)] == [
        i.id for i in [*items[1:], added]
    ] or {i.id for i in store.readiness.for_launch(launch.id)} == {items[1].id, added.id}
    line = store.history.for_record("readiness_items", int(removed.id or 0))[0]
    assert line.new == "deleted" and json.loads(line.old or "{}")["title"] == removed.title
    with pytest.raises(LaunchRuleError, match="lead_days"):
        service.add_item(launch.id, "docs", "Late", -1)
    with pytest.raises(Exception, match="function"):
        service.add_item(launch.id, "9 bad", "Odd", 1)


# -- slips -------------------------------------------------------------------------------------


def test_a_slip_moves_open_items_only_and_records_why(
    service: LaunchService, store: Store, clock: FrozenClock
) -> None:
    launch, items = service.create("SSO", dt.date(2026, 12, 14), 1)  # Monday
    by_function = {i.function: i for i in items}
    service.set_item_state(int(by_function["legal"].id or 0), "done", "Signed: LEGAL-1")
    service.set_item_state(int(by_function["sales"].id or 0), "not_applicable")
    result = service.slip(launch.id, dt.date(2027, 1, 11), "Beta found data-loss bug")
    after = {i.function: i for i in store.readiness.for_launch(launch.id)}
    # Done and not-applicable items keep their dates; open ones move with the launch.
    assert after["legal"].due_date == by_function["legal"].due_date
    assert after["sales"].due_date == by_function["sales"].due_date
    for function in ("security", "marketing", "customer_success", "support", "docs"):
        lead = by_function[function].lead_days
        expected = service.desk.calendar.subtract_working_days(dt.date(2027, 1, 11), lead)
        assert after[function].due_date == expected != by_function[function].due_date
    assert {i.function for i in result.moved} == {
        "security",
        "marketing",
        "customer_success",
        "support",
        "docs",
    }
    assert result.impossible == ()
    moved = store.launches.get(launch.id)
    assert moved.launch_date == dt.date(2027, 1, 11)
    assert moved.original_date == dt.date(2026, 12, 14)
    assert moved.status == LaunchStatus.SLIPPED
    (slip,) = store.slips.for_launch(launch.id)
    assert (slip.old_date, slip.new_date, slip.reason, slip.by, slip.at, slip.moved_items) == (
        dt.date(2026, 12, 14),
        dt.date(2027, 1, 11),
        "Beta found data-loss bug",
        "Olivia Ops",
        clock.now(),
        5,
    )


def test_a_second_slip_keeps_the_original_date(service: LaunchService, store: Store) -> None:
    launch, _ = service.create("SSO", dt.date(2026, 12, 14), 3)
    service.slip(launch.id, dt.date(2026, 12, 21), "one")
    service.slip(launch.id, dt.date(2027, 1, 4), "two")
    moved = store.launches.get(launch.id)
    assert (moved.original_date, moved.launch_date) == (dt.date(2026, 12, 14), dt.date(2027, 1, 4))
    assert [(s.old_date, s.new_date) for s in store.slips.for_launch(launch.id)] == [
        (dt.date(2026, 12, 14), dt.date(2026, 12, 21)),
        (dt.date(2026, 12, 21), dt.date(2027, 1, 4)),
    ]


def test_pulling_a_launch_in_flags_items_that_are_no_longer_possible(
    service: LaunchService, store: Store
) -> None:
    launch, _ = service.create("SSO", dt.date(2027, 1, 25), 1, status=LaunchStatus.IN_PROGRESS)
    result = service.slip(launch.id, dt.date(2026, 12, 7), "Exec ask: ship before the freeze")
    # Legal (20 working days), security (15), sales and marketing (10) would be due before
    # today (Thu 26 Nov); customer success (7) is due Thu 26 Nov itself: still possible.
    assert sorted(i.function for i in result.impossible) == [
        "legal",
        "marketing",
        "sales",
        "security",
    ]
    assert store.launches.get(launch.id).status == LaunchStatus.IN_PROGRESS  # pulled in
    assert sorted(result.slip.impossible_item_ids) == sorted(
        int(i.id or 0) for i in result.impossible
    )
    detail = service.detail(launch.id)
    assert detail.impossible_ids == frozenset(int(i.id or 0) for i in result.impossible)


def test_slips_are_refused_without_reason_same_date_or_after_launch(
    service: LaunchService, store: Store
) -> None:
    launch, _ = service.create("SSO", dt.date(2026, 12, 14), 3)
    with pytest.raises(LaunchRuleError) as error:
        service.slip(launch.id, dt.date(2026, 12, 21), "  ")
    assert error.value.field == "reason"
    with pytest.raises(LaunchRuleError, match="already"):
        service.slip(launch.id, dt.date(2026, 12, 14), "why")
    service.edit(launch.id, status=LaunchStatus.LAUNCHED)
    with pytest.raises(LaunchRuleError, match="history"):
        service.slip(launch.id, dt.date(2026, 12, 21), "why")
    assert store.slips.count() == 0
    assert store.launches.get(launch.id).launch_date == dt.date(2026, 12, 14)


def test_a_launch_is_not_moved_to_a_day_that_has_passed(
    service: LaunchService, store: Store
) -> None:
    """'--to 2025-12-21' (last year's date typed by mistake) or 'yesterday' moved a launch
    still to land into the past: every open item re-planned overdue and 'no longer
    possible', the launch at risk on Today. Today itself is still a launch day."""
    launch, items = service.create("SSO", dt.date(2026, 12, 14), 3)
    yesterday = TODAY - dt.timedelta(days=1)
    with pytest.raises(LaunchRuleError) as refused:
        service.slip(launch.id, yesterday, "Shipped early")
    assert refused.value.field == "launch_date"
    assert refused.value.message == (
        "Wed 25 Nov 2026 has passed: move the launch to today or later "
        "(one that went out already is marked launched, not moved)"
    )
    assert store.slips.count() == 0
    assert store.launches.get(launch.id).launch_date == dt.date(2026, 12, 14)
    assert [i.due_date for i in store.readiness.for_launch(launch.id)] == [
        i.due_date for i in items
    ]
    assert service.slip(launch.id, TODAY, "Pulled in").slip.new_date == TODAY


def test_a_slip_preview_says_what_would_move_and_writes_nothing(
    store: Store, clock: FrozenClock
) -> None:
    """What the move-date form and 'launches slip --dry-run' show before a slip is recorded:
    the same items the slip would move and find impossible, the collisions and blackouts on
    the new date, and the refusal the slip would raise."""
    freeze = Blackout(name="Freeze", start=dt.date(2026, 12, 18), end=dt.date(2027, 1, 4))
    service = _service(store, clock, Config(launches=LaunchPolicy(blackouts=[freeze])))
    launch, items = service.create("SSO", dt.date(2026, 12, 16), 2, audience="enterprise")
    other, _ = service.create("Audit", dt.date(2026, 12, 8), 3, audience=" ENTERPRISE")
    service.set_item_state(items[0].id, ReadinessState.DONE, "LEG-1")  # legal keeps its date

    earlier = service.preview_slip(launch.id, dt.date(2026, 12, 9))
    assert earlier.refusal is None and earlier.days == -7
    assert earlier.headline() == "7 days earlier than 2026-12-16"
    assert len(earlier.moved) == 4 and all(a.due_date < b.due_date for b, a in earlier.moved)
    assert [i.function for i in earlier.impossible] == ["security"]
    assert [c.launch_id for c in earlier.flags.collisions] == [other.id]
    assert earlier.lines() == [
        "4 open items move with it",
        "no longer possible: security · Security review (due 2026-11-25)",
        f"same week, same audience as #{other.id} Audit (2026-12-08)",
    ]
    later = service.preview_slip(launch.id, dt.date(2026, 12, 21))
    assert later.headline() == "5 days later than 2026-12-16; marked slipped"
    assert later.flags.blackouts == ("Freeze",) and not later.impossible

    assert service.preview_slip(launch.id, TODAY - dt.timedelta(days=1)).refusal
    assert service.preview_slip(launch.id, dt.date(2026, 12, 16)).refusal == (
        "the launch is already on 2026-12-16"
    )
    assert store.slips.count() == 0
    assert store.launches.get(launch.id).launch_date == dt.date(2026, 12, 16)
    result = service.slip(launch.id, dt.date(2026, 12, 9), "Exec ask")
    assert [i.id for i in result.moved] == [after.id for _, after in earlier.moved]
    assert [i.id for i in result.impossible] == [i.id for i in earlier.impossible]


def test_moving_onto_a_weekend_or_holiday_is_allowed_and_said(
    store: Store, clock: FrozenClock
) -> None:
    """A launch moved onto a Sunday or a configured holiday moved without a word. It may
    (launches do go out on weekends), but the preview and the slip's result say so."""
    config = Config(calendar=CalendarConfig(holidays=[dt.date(2026, 12, 24)]))
    service = _service(store, clock, config)
    launch, _ = service.create("SSO", dt.date(2027, 1, 14), 3)
    sunday = service.preview_slip(launch.id, dt.date(2027, 1, 10))
    assert sunday.refusal is None
    assert sunday.not_working == "Sun 2027-01-10 is not a working day"
    assert sunday.lines()[0] == "Sun 2027-01-10 is not a working day"
    holiday = service.preview_slip(launch.id, dt.date(2026, 12, 24))
    assert holiday.not_working == "Thu 2026-12-24 is a holiday, not a working day"
    assert service.preview_slip(launch.id, dt.date(2027, 1, 11)).not_working is None
    result = service.slip(launch.id, dt.date(2027, 1, 10), "Weekend cutover")
    assert result.launch.launch_date == dt.date(2027, 1, 10)
    assert result.not_working == "Sun 2027-01-10 is not a working day"


def test_a_slip_changes_the_risk(service: LaunchService) -> None:
    launch, _ = service.create("SSO", dt.date(2026, 12, 7), 2)
    before = service.view(launch.id).assessment
    assert {r.kind for r in before.risks} == {RiskKind.OVERDUE, RiskKind.NOT_STARTED}
    service.slip(launch.id, dt.date(2027, 2, 15), "Security review moved")
    assert not service.view(launch.id).assessment.at_risk


# -- go / no-go --------------------------------------------------------------------------------


def test_go_no_go_keeps_a_snapshot_of_readiness_then(
    service: LaunchService, store: Store, clock: FrozenClock
) -> None:
    launch, items = service.create("SSO", dt.date(2026, 12, 4), 3)
    service.set_item_state(int(items[0].id or 0), "done", "KB-1")
    record = service.decide(launch.id, GoDecision.NO_GO, "Docs not ready")
    service.set_item_state(int(items[1].id or 0), "done", "DOCS-2")  # later changes...
    (stored,) = store.decisions.for_launch(launch.id)
    assert stored == record  # ...do not touch the snapshot
    assert (stored.decision, stored.by, stored.at, stored.note) == (
        GoDecision.NO_GO,
        "Olivia Ops",
        clock.now(),
        "Docs not ready",
    )
    snap = stored.snapshot
    assert (snap.percent, snap.done, snap.applicable, snap.launch_date) == (
        50,
        1,
        2,
        dt.date(2026, 12, 4),
    )
    assert [(i.function, i.state.value, i.risk) for i in snap.items] == [
        ("support", "done", None),
        ("docs", "todo", "not_started"),
    ]
    raw = store.conn.execute("SELECT snapshot FROM go_no_go").fetchone()[0]
    assert json.loads(raw)["items"][0]["evidence"] == "KB-1"  # readable JSON for exports
    assert store.decisions.latest(launch.id) == record
    with pytest.raises(LaunchRuleError):
        service.decide(launch.id, "maybe")


@pytest.mark.parametrize("status", [LaunchStatus.CANCELLED, LaunchStatus.LAUNCHED])
def test_go_no_go_is_refused_once_a_launch_is_cancelled_or_launched(
    service: LaunchService, store: Store, status: LaunchStatus
) -> None:
    """A decision is the gate before launch day: on a launch that landed or was called off
    it would read, in the brief, as if it had been gated. Nothing is written."""
    launch, _ = service.create("SSO", dt.date(2026, 12, 4), 3)
    service.edit(launch.id, status=status)
    with pytest.raises(LaunchRuleError) as refused:
        service.decide(launch.id, GoDecision.GO, "Ship it")
    assert refused.value.field == "decision"
    assert status.value in refused.value.message
    assert store.decisions.for_launch(launch.id) == []
    # Back on the plan (a slipped launch is still to land), a decision is taken again.
    service.edit(launch.id, status=LaunchStatus.SLIPPED)
    assert service.decide(launch.id, GoDecision.GO).decision == GoDecision.GO


def test_a_go_puts_a_slipped_launch_back_in_progress_and_keeps_its_slip(
    service: LaunchService, store: Store
) -> None:
    """A go on a slipped launch left it 'slipped' beside the decision to go: the status
    says where a launch stands, so a go puts it back in progress; the slip stays in its
    slips, its original date and the status's history. A no-go leaves the status alone."""
    launch, _ = service.create("SSO", dt.date(2026, 12, 4), 3)
    service.slip(launch.id, dt.date(2026, 12, 18), "Pen test found issues")
    assert store.launches.get(launch.id).status is LaunchStatus.SLIPPED
    service.decide(launch.id, GoDecision.NO_GO, "Docs not ready")
    assert store.launches.get(launch.id).status is LaunchStatus.SLIPPED
    service.decide(launch.id, GoDecision.GO, "Fixed")
    after = store.launches.get(launch.id)
    assert after.status is LaunchStatus.IN_PROGRESS
    assert (after.launch_date, after.original_date) == (dt.date(2026, 12, 18), dt.date(2026, 12, 4))
    assert [slip.new_date for slip in store.slips.for_launch(launch.id)] == [dt.date(2026, 12, 18)]
    statuses = [
        (change.old, change.new)
        for change in store.history.for_record("launches", launch.id)
        if change.field == "status"
    ]
    assert statuses[:2] == [("slipped", "in_progress"), ("planned", "slipped")]  # newest first
    # A go on a launch that never slipped keeps its status.
    other, _ = service.create("Audit log", dt.date(2026, 12, 11), 3)
    service.decide(other.id, GoDecision.GO)
    assert store.launches.get(other.id).status is LaunchStatus.PLANNED


def test_decision_refusal_names_only_closed_launches() -> None:
    assert [status for status in LaunchStatus if decision_refusal(status) is not None] == [
        LaunchStatus.LAUNCHED,
        LaunchStatus.CANCELLED,
    ]


def test_slip_refusal_names_only_closed_launches() -> None:
    """One rule for moving a date, which the service and the launch screen both ask."""
    refused = {status: slip_refusal(status) for status in LaunchStatus}
    assert {status for status, why in refused.items() if why} == {
        LaunchStatus.LAUNCHED,
        LaunchStatus.CANCELLED,
    }
    assert refused[LaunchStatus.CANCELLED] == "the launch is cancelled: its date is history"


# -- the risk sort runs in SQL and agrees with the rules ---------------------------------------


def test_the_sql_risk_sort_agrees_with_the_python_rules(
    demo_store: Store, clock: FrozenClock
) -> None:
    service = _service(demo_store, clock)
    views = service.all_views("date")
    closed = {LaunchStatus.LAUNCHED, LaunchStatus.CANCELLED}
    expected = sorted(
        views,
        key=lambda v: (
            1 if v.launch.status in closed else -len(v.assessment.risks),
            v.launch.launch_date,
            v.id,
        ),
    )
    by_sql = service.all_views("risk")
    assert [v.id for v in by_sql] == [v.id for v in expected]
    assert by_sql[0].assessment.at_risk and not by_sql[-1].assessment.at_risk
    # Page by page (keyset) gives the same order as one go.
    where = service.list_where()
    first = demo_store.launches.window(where, "risk", limit=5)
    rest = demo_store.launches.window(where, "risk", limit=50, after=first[-1].key)
    assert [r.record.id for r in [*first, *rest]] == [v.id for v in expected]


def test_the_risk_sort_puts_launches_still_to_land_before_those_already_out(
    service: LaunchService, store: Store
) -> None:
    """By risk, launched and cancelled launches came among the open ones not at risk, by
    date: every launch already out (older dates) before the first one still to land."""
    out, _ = service.create("Out", dt.date(2026, 12, 1), 3, status=LaunchStatus.LAUNCHED)
    gone, _ = service.create("Gone", dt.date(2026, 12, 2), 3, status=LaunchStatus.CANCELLED)
    later, _ = service.create("Later", dt.date(2027, 6, 1), 3)
    soon, _ = service.create("Soon", dt.date(2027, 5, 1), 3)
    risky, items = service.create("Risky", dt.date(2027, 7, 1), 3)
    service.set_item_state(int(items[0].id or 0), "blocked", "waiting on the vendor")
    where = service.list_where()
    ids = [row.record.id for row in store.launches.window(where, "risk")]
    assert ids == [risky.id, soon.id, later.id, out.id, gone.id]
    # From the end backwards (End on the list) and page by page, the same order.
    backwards = store.launches.window(where, "risk", offset=3, limit=2, total=5)
    assert [row.record.id for row in backwards] == [out.id, gone.id]
    first = store.launches.window(where, "risk", limit=2)
    rest = store.launches.window(where, "risk", limit=10, after=first[-1].key)
    assert [row.record.id for row in [*first, *rest]] == ids


# -- timeline window and flags -----------------------------------------------------------------


def test_timeline_keeps_launches_whose_readiness_meets_the_period(
    service: LaunchService, store: Store
) -> None:
    early, _ = service.create("Before", dt.date(2026, 11, 20), 3, status=LaunchStatus.LAUNCHED)
    inside, _ = service.create("Inside", dt.date(2026, 12, 9), 3)
    later, _ = service.create("Items inside", dt.date(2027, 1, 18), 1)  # legal due mid-Dec
    far, _ = service.create("Far", dt.date(2027, 6, 1), 3)
    gone, _ = service.create("Cancelled", dt.date(2026, 12, 9), 3, status=LaunchStatus.CANCELLED)
    where = service.timeline_where(dt.date(2026, 11, 30), dt.date(2026, 12, 27))
    ids = [row.record.id for row in store.launches.window(where, "date")]
    assert ids == [inside.id, later.id]
    assert store.launches.count(where) == 2
    assert early.id and far.id and gone.id


def test_flags_find_collisions_outside_the_page_and_blackouts(
    store: Store, clock: FrozenClock
) -> None:
    freeze = Blackout(name="Year-end freeze", start=dt.date(2026, 12, 18), end=dt.date(2027, 1, 4))
    service = _service(store, clock, Config(launches=LaunchPolicy(blackouts=[freeze])))
    a, _ = service.create("A", dt.date(2026, 12, 14), 3, audience="SMB")
    b, _ = service.create("B", dt.date(2026, 12, 20), 3, audience="smb")  # Sunday, same week
    c, _ = service.create("C", dt.date(2026, 12, 21), 3, audience="smb")  # next week
    flags = service.flags([a])  # b is not on the page, but still found
    assert [x.launch_id for x in flags[a.id].collisions] == [b.id]
    assert flags[a.id].blackouts == ()
    both = service.flags([b, c])
    assert both[b.id].blackouts == ("Year-end freeze",) == both[c.id].blackouts
    assert [x.launch_id for x in both[c.id].collisions] == []
    assert "inside the blackout 'Year-end freeze'" in both[c.id].sentences()


# -- by function -------------------------------------------------------------------------------


def test_what_a_function_owes_in_the_next_weeks(service: LaunchService, store: Store) -> None:
    _, soon_items = service.create("Soon", dt.date(2026, 12, 14), 1)
    late, _ = service.create("Late", dt.date(2027, 3, 1), 1)
    shipped, _ = service.create("Shipped", dt.date(2026, 12, 1), 1, status=LaunchStatus.LAUNCHED)
    legal = next(i for i in soon_items if i.function == "legal")
    owed = service.owed("security", 4)
    assert [(o.launch_title, o.item.due_date) for o in owed] == [("Soon", dt.date(2026, 11, 23))]
    assert owed[0].overdue  # still owed, overdue first
    assert [o.launch_title for o in service.owed("legal", 4)] == ["Soon"]
    service.set_item_state(int(legal.id or 0), "done", "ok")
    assert service.owed("legal", 4) == []
    assert [o.launch_title for o in service.owed("legal", 12)] == ["Late"]
    with pytest.raises(LaunchRuleError):
        service.owed("legal", 0)
    assert late.id and shipped.id


def test_views_assess_each_launch(service: LaunchService) -> None:
    launch, items = service.create("SSO", dt.date(2026, 12, 7), 3)
    service.set_item_state(int(items[1].id or 0), "blocked", "vendor")
    view = service.view(launch.id)
    assert isinstance(view.launch, Launch)
    assert view.assessment.percent == 0
    assert [r.kind for r in view.assessment.risks] == [RiskKind.BLOCKED, RiskKind.NOT_STARTED]


# -- the demo's launch history --------------------------------------------------------------


def test_the_demo_records_its_slips_and_decisions(demo_store: Store, clock: FrozenClock) -> None:
    service = _service(demo_store, clock)
    slipped = [v.launch for v in service.all_views() if v.launch.status == LaunchStatus.SLIPPED]
    assert len(slipped) == 2
    for launch in slipped:
        (slip,) = demo_store.slips.for_launch(int(launch.id or 0))
        assert (slip.old_date, slip.new_date) == (launch.original_date, launch.launch_date)
        assert slip.reason and slip.at < clock.now()
    decisions = demo_store.decisions.for_launch(3)  # Audit log export to S3, launched
    assert [d.decision for d in decisions] == [GoDecision.GO]
    assert decisions[0].snapshot.percent == 100 and not decisions[0].snapshot.at_risk
    (no_go,) = demo_store.decisions.for_launch(12)  # Salesforce sync, before its slip
    assert no_go.decision == GoDecision.NO_GO
    assert no_go.snapshot.launch_date == demo_store.launches.get(12).original_date
    detail = service.detail(12)
    assert len(detail.slips) == 1 and len(detail.decisions) == 1


def test_items_read_in_bulk_equal_validated_ones(demo_store: Store) -> None:
    """The bulk read skips re-validation; it must build exactly what validation builds."""
    ids = [row[0] for row in demo_store.conn.execute("SELECT id FROM launches")]
    bulk = demo_store.readiness.for_launches(ids)
    for launch_id in ids:
        assert bulk[launch_id] == demo_store.readiness.for_launch(launch_id)
        for item in bulk[launch_id]:
            assert item.model_dump() == demo_store.readiness.get(int(item.id or 0)).model_dump()
