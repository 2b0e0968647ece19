"""The demo workspace: rich enough to show every pane, current on any day, all-or-nothing."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.demo import DemoError, demo_file, demo_is_loaded, load_demo
from opsdesk.rules.dates import WorkCalendar
from opsdesk.rules.mailbox import normalize_mailbox
from opsdesk.store import Store
from opsdesk.vocabulary import (
    ExperimentStatus,
    FeedbackKind,
    FeedbackStatus,
    LaunchStatus,
    ReadinessState,
)

TODAY = date(2026, 11, 26)
START_OF_TODAY = datetime(2026, 11, 26, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
TABLES = (
    "people",
    "launches",
    "readiness_items",
    "feedback",
    "contacts",
    "touches",
    "experiments",
    "launch_slips",
    "go_no_go",
)


def _store() -> Store:
    return Store(clock=FrozenClock(datetime(2026, 11, 26, 15, 0, tzinfo=UTC)), actor="demo")


@pytest.fixture(scope="module")
def demo() -> Any:
    store = _store()
    counts = load_demo(store, TODAY)
    yield store, counts
    store.close()


def rows(store: Store, sql: str, *params: Any) -> list[Any]:
    return store.conn.execute(sql, params).fetchall()


def scalar(store: Store, sql: str, *params: Any) -> Any:
    return store.conn.execute(sql, params).fetchone()[0]


def raw_demo() -> dict[str, Any]:
    return json.loads(demo_file().read_text(encoding="utf-8"))


# -- what the demo holds ----------------------------------------------------------------------


def test_load_reports_what_it_wrote(demo: Any) -> None:
    store, counts = demo
    stored = store.counts()
    assert counts == {table: stored[table] for table in TABLES}
    # Every record got a 'created' line in history, in the single batch of the load.
    assert stored["history"] == sum(counts.values())
    assert scalar(store, "SELECT count(DISTINCT batch) FROM history") == 1


def test_people_are_pms_and_stakeholders(demo: Any) -> None:
    store, _ = demo
    people = store.people.all()
    pms = [p for p in people if p.role == "product manager"]
    others = [p for p in people if p.role != "product manager"]
    assert len(pms) >= 8
    assert len(others) >= 10
    assert {
        "counsel",
        "security engineer",
        "sales enablement",
        "product marketing",
        "cs lead",
        "support lead",
        "tech writer",
    } <= {p.role for p in others}
    assert all(p.email and p.email.endswith(".example") for p in people)


def test_launches_cover_every_status_and_tier(demo: Any) -> None:
    store, _ = demo
    launches = [store.launches.get(i) for (i,) in rows(store, "SELECT id FROM launches")]
    assert len(launches) >= 10
    assert {launch.status for launch in launches} == set(LaunchStatus)
    assert {launch.tier for launch in launches} == {1, 2, 3}
    pms = {p.name for p in store.people.all() if p.role == "product manager"}
    assert all(launch.owner in pms for launch in launches)
    slipped = [launch for launch in launches if launch.status is LaunchStatus.SLIPPED]
    assert any(
        launch.original_date and launch.original_date != launch.launch_date for launch in slipped
    )
    upcoming = [
        launch
        for launch in launches
        if launch.status in {LaunchStatus.PLANNED, LaunchStatus.IN_PROGRESS}
    ]
    assert all(launch.launch_date > TODAY for launch in upcoming)
    assert all(
        launch.launch_date < TODAY for launch in launches if launch.status is LaunchStatus.LAUNCHED
    )


def test_readiness_follows_each_launch_tier(demo: Any) -> None:
    store, _ = demo
    expected = {1: 7, 2: 5, 3: 2}  # the default tier templates
    for launch_id, tier in rows(store, "SELECT id, tier FROM launches"):
        items = store.readiness.for_launch(launch_id)
        assert len(items) == expected[tier]
    stakeholders = {p.name for p in store.people.all() if p.role != "product manager"}
    owners = {owner for (owner,) in rows(store, "SELECT DISTINCT owner FROM readiness_items")}
    assert owners <= stakeholders


def test_readiness_has_overdue_blocked_and_signed_off_items(demo: Any) -> None:
    store, _ = demo
    overdue = scalar(
        store,
        "SELECT count(*) FROM readiness_items WHERE due_date < ? "
        "AND state NOT IN ('done', 'not_applicable')",
        TODAY.isoformat(),
    )
    assert overdue >= 3
    assert scalar(store, "SELECT count(*) FROM readiness_items WHERE state = 'blocked'") >= 1
    states = {state for (state,) in rows(store, "SELECT DISTINCT state FROM readiness_items")}
    assert states == {state.value for state in ReadinessState}
    for (item_id,) in rows(store, "SELECT id FROM readiness_items WHERE state = 'done'"):
        item = store.readiness.get(item_id)
        assert item.evidence and item.signed_off_by and item.signed_off_at
        assert item.signed_off_at < START_OF_TODAY


def test_open_items_are_due_their_lead_time_before_launch(demo: Any) -> None:
    store, _ = demo
    calendar = WorkCalendar()
    for (launch_id,) in rows(store, "SELECT id FROM launches"):
        launch = store.launches.get(launch_id)
        for item in store.readiness.for_launch(launch_id):
            if item.state in {ReadinessState.DONE, ReadinessState.NOT_APPLICABLE}:
                # Finished work keeps the date it had before a slip.
                base = launch.original_date or launch.launch_date
            else:
                base = launch.launch_date
            assert item.due_date == calendar.subtract_working_days(base, item.lead_days)


def test_feedback_spans_sources_kinds_and_statuses(demo: Any) -> None:
    store, _ = demo
    assert store.feedback.count() >= 200
    sources = Counter(s for (s,) in rows(store, "SELECT source FROM feedback"))
    assert len(sources) >= 5
    assert {k for (k,) in rows(store, "SELECT DISTINCT kind FROM feedback")} == {
        kind.value for kind in FeedbackKind
    }
    assert {s for (s,) in rows(store, "SELECT DISTINCT status FROM feedback")} == {
        status.value for status in FeedbackStatus
    }
    assert {p for (p,) in rows(store, "SELECT DISTINCT priority FROM feedback")} == {1, 2, 3, 4}
    assert scalar(store, "SELECT count(DISTINCT company) FROM feedback") >= 35
    assert scalar(store, "SELECT count(*) FROM feedback WHERE launch_id IS NOT NULL") >= 10
    assert scalar(store, "SELECT count(DISTINCT tag) FROM feedback_tags") >= 10


def test_feedback_times_are_in_order_and_in_the_past(demo: Any) -> None:
    store, _ = demo
    for (item_id,) in rows(store, "SELECT id FROM feedback"):
        item = store.feedback.get(item_id)
        times = [item.received_at, item.acknowledged_at, item.decided_at, item.loop_closed_at]
        present = [t for t in times if t is not None]
        assert present == sorted(present)
        assert present[-1] < START_OF_TODAY
        assert item.received_at > START_OF_TODAY - timedelta(days=90)
        if item.status is FeedbackStatus.NEW:
            assert item.acknowledged_at is None
        else:
            assert item.acknowledged_at is not None


def test_some_feedback_breaches_sla_untriaged(demo: Any) -> None:
    store, _ = demo
    old = (START_OF_TODAY - timedelta(days=14)).isoformat()
    assert (
        scalar(store, "SELECT count(*) FROM feedback WHERE status = 'new' AND received_at < ?", old)
        >= 5
    )


def test_duplicates_point_at_earlier_items(demo: Any) -> None:
    store, _ = demo
    pairs = rows(
        store,
        "SELECT f.received_at, f.title, o.received_at, o.title FROM feedback f "
        "JOIN feedback o ON o.id = f.duplicate_of",
    )
    assert len(pairs) >= 5
    for received, title, original_received, original_title in pairs:
        assert original_received <= received
        assert original_title.removeprefix("Prospect ask: ") in title


def test_duplicates_count_on_their_survivors_demand(demo: Any) -> None:
    """Sort by demand must mean something on the demo: every survivor counts the distinct
    customers of its duplicates, as a merge in the app would."""
    store, _ = demo
    survivors = store.feedback.survivor_ids()
    for record_id in survivors:
        customers = len(store.feedback.customers(record_id)) or 1
        assert store.feedback.derived(record_id)["demand"] == customers, record_id
    assert scalar(store, "SELECT max(demand) FROM feedback") > 1


def test_hostile_text_is_stored_as_written(demo: Any) -> None:
    store, _ = demo
    titles = [t for (t,) in rows(store, "SELECT title FROM feedback")]
    bodies = [b for (b,) in rows(store, "SELECT body FROM feedback")]
    assert any(t.startswith("[urgent]") for t in titles)
    assert any("[/b]" in b and "$var" in b for b in bodies)
    assert any("[@click=app.quit]" in b for b in bodies)


def test_feedback_comes_from_known_contacts(demo: Any) -> None:
    store, _ = demo
    mailboxes = {m for (m,) in rows(store, "SELECT mailbox FROM contacts")}
    emails = [
        e
        for (e,) in rows(
            store, "SELECT customer_email FROM feedback WHERE customer_email IS NOT NULL"
        )
    ]
    known = [e for e in emails if normalize_mailbox(e) in mailboxes]
    assert len(known) >= 100
    # An alias (name+tag@) still reaches the contact's mailbox.
    assert any("+" in e for e in known)


def test_contacts_have_consent_dnc_and_cooldowns(demo: Any) -> None:
    store, _ = demo
    assert store.contacts.count() >= 80
    dnc = rows(store, "SELECT dnc_reason FROM contacts WHERE do_not_contact = 1")
    assert len(dnc) >= 3
    assert all(reason for (reason,) in dnc)
    assert {c for (c,) in rows(store, "SELECT DISTINCT consent FROM contacts")} == {
        "yes",
        "no",
        "unknown",
    }
    assert {s for (s,) in rows(store, "SELECT DISTINCT segment FROM contacts")} == {
        "smb",
        "mid-market",
        "enterprise",
    }
    assert scalar(store, "SELECT count(DISTINCT company) FROM contacts") >= 35
    pms = {p.name for p in store.people.all() if p.role == "product manager"}
    owners = {o for (o,) in rows(store, "SELECT DISTINCT relationship_owner FROM contacts")}
    assert owners <= pms


def test_touch_history_puts_contacts_in_cooldown(demo: Any) -> None:
    store, _ = demo
    assert store.touches.count() >= 150
    month_ago = (START_OF_TODAY - timedelta(days=30)).isoformat()
    in_cooldown = scalar(
        store,
        "SELECT count(DISTINCT contact_id) FROM touches WHERE at >= ? AND at < ?",
        month_ago,
        START_OF_TODAY.isoformat(),
    )
    assert in_cooldown >= 10
    overdue = scalar(
        store,
        "SELECT count(*) FROM touches WHERE follow_up_due < ? AND closed_at IS NULL",
        TODAY.isoformat(),
    )
    assert overdue >= 3
    assert (
        scalar(store, "SELECT count(*) FROM touches WHERE at > ?", START_OF_TODAY.isoformat()) >= 1
    )
    assert scalar(store, "SELECT count(*) FROM touches WHERE override_reason IS NOT NULL") >= 1
    # Nobody reached out to a do-not-contact person after they asked not to be contacted.
    assert (
        scalar(
            store,
            "SELECT count(*) FROM touches t JOIN contacts c ON c.id = t.contact_id "
            "WHERE c.do_not_contact = 1 AND t.at > ?",
            (START_OF_TODAY - timedelta(days=60)).isoformat(),
        )
        == 0
    )


def test_experiments_cover_every_status(demo: Any) -> None:
    store, _ = demo
    assert store.experiments.count() >= 25
    statuses = {s for (s,) in rows(store, "SELECT DISTINCT status FROM experiments")}
    assert statuses == {status.value for status in ExperimentStatus}
    for (exp_id,) in rows(store, "SELECT id FROM experiments WHERE status = 'concluded'"):
        experiment = store.experiments.get(exp_id)
        assert experiment.result and experiment.decision and experiment.learnings
        assert experiment.actual_end and experiment.actual_end < TODAY


def test_two_running_experiments_overlap_on_one_surface(demo: Any) -> None:
    store, _ = demo
    running = [
        store.experiments.get(i)
        for (i,) in rows(store, "SELECT id FROM experiments WHERE status = 'running'")
    ]
    overlapping = [
        (a.title, b.title)
        for n, a in enumerate(running)
        for b in running[n + 1 :]
        if a.surface == b.surface
        and (a.actual_start or a.planned_start) <= b.planned_end
        and (b.actual_start or b.planned_start) <= a.planned_end
    ]
    assert overlapping
    for experiment in running:
        assert experiment.actual_start and experiment.actual_start <= TODAY
        assert experiment.planned_end and experiment.planned_end > TODAY


# -- how it loads -----------------------------------------------------------------------------


def test_demo_is_loaded_reports_the_state() -> None:
    with _store() as store:
        assert not demo_is_loaded(store)
        load_demo(store, TODAY)
        assert demo_is_loaded(store)


def test_loading_twice_is_refused_and_changes_nothing(demo: Any) -> None:
    store, _ = demo
    before = store.counts()
    with pytest.raises(DemoError, match="already holds"):
        load_demo(store, TODAY)
    assert store.counts() == before


def test_a_failure_midway_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    with _store() as store:

        def broken(records: Any) -> list[int]:
            raise RuntimeError("disk on fire")

        # Touches go in last: everything else has been written when this fails.
        monkeypatch.setattr(store.touches, "insert_many", broken)
        with pytest.raises(RuntimeError, match="disk on fire"):
            load_demo(store, TODAY)
        assert set(store.counts().values()) == {0}
        assert not store.conn.in_transaction


def test_a_bad_record_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    data = raw_demo()
    data["feedback"][5]["priority"] = 9
    broken = tmp_path / "demo.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with _store() as store:
        with pytest.raises(DemoError, match=r"feedback\[5\]: priority"):
            load_demo(store, TODAY, path=broken)
        assert set(store.counts().values()) == {0}


def test_dates_follow_today_and_times_the_zone() -> None:
    data = raw_demo()
    first = data["feedback"][0]
    launch = data["launches"][0]
    other_day = date(2027, 3, 15)
    with _store() as store:
        load_demo(store, other_day, tz=NEW_YORK)
        item = store.feedback.get(1)
        local = item.received_at.astimezone(NEW_YORK)
        assert local.date() == other_day + timedelta(days=first["received_day"])
        assert local.strftime("%H:%M") == first["received_time"]
        assert item.received_at.tzinfo is not None
        assert item.received_at.utcoffset() == timedelta(0)
        assert store.launches.get(1).launch_date == other_day + timedelta(days=launch["launch_day"])


def test_demo_json_is_what_make_demo_writes() -> None:
    module = _load_make_demo()
    assert module.dumps(module.build()) == demo_file().read_text(encoding="utf-8")


def _load_make_demo() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "fixtures" / "make_demo.py"
    spec = importlib.util.spec_from_file_location("opsdesk_make_demo", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
