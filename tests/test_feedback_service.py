"""The inbox's services: capture with deadlines, triage, merge/unmerge, undo, loop, views."""

from __future__ import annotations

import datetime as dt

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config, SlaTarget
from opsdesk.models import Contact
from opsdesk.services import feedback as inbox
from opsdesk.services.desk import Desk
from opsdesk.store import InvalidRecord, Store
from opsdesk.store.feedback import FeedbackFilter
from opsdesk.vocabulary import FeedbackStatus

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)  # Thursday


@pytest.fixture
def desk(store: Store, clock: FrozenClock) -> Desk:
    config = Config()
    config.general.user = "tester"
    return Desk(store, config, clock)


def _derived(desk: Desk, record_id: int) -> dict[str, object]:
    return desk.store.feedback.derived(record_id)


def test_capture_stamps_deadlines_and_demand(desk: Desk) -> None:
    item = inbox.capture(desk, title="SSO loop", kind="bug", priority=1, customer_email="a@x.io")
    assert item.received_at == NOW
    derived = _derived(desk, int(item.id or 0))
    assert derived["ack_due_at"] == "2026-11-28T00:00:00+00:00"  # end of Friday
    assert derived["decide_due_at"] == "2026-12-02T00:00:00+00:00"  # end of the next Tuesday
    assert derived["demand"] == 1


def test_capture_refuses_bad_input_with_field_names(desk: Desk) -> None:
    with pytest.raises(InvalidRecord, match="priority"):
        inbox.capture(desk, title="x", priority=7)
    with pytest.raises(InvalidRecord, match="title"):
        inbox.capture(desk, title="  ")
    assert desk.store.feedback.count() == 0


def test_capture_refuses_a_received_date_after_today(desk: Desk) -> None:
    """'+3d' typed for '-3d' made an item that topped the newest-first inbox for good."""
    with pytest.raises(InvalidRecord, match=r"received_at: Sun 29 Nov 2026 is in the future"):
        inbox.capture(desk, title="Typo", received_at=NOW + dt.timedelta(days=3))
    assert desk.store.feedback.count() == 0
    # later today (in the user's zone) is still today
    item = inbox.capture(desk, title="Tonight", received_at=NOW + dt.timedelta(hours=2))
    assert item.received_at == NOW + dt.timedelta(hours=2)


def test_undo_reads_history_newest_first_without_sorting_it(desk: Desk) -> None:
    """On 100,000 items the newest-batch queries went by the table's index, reading and
    sorting every feedback line of history (30-50 ms each, twice a key): u took 100+ ms."""
    ids = [int(inbox.capture(desk, title=f"Item {i}").id or 0) for i in range(3)]
    inbox.triage(desk, ids, status="triaged")
    statements: list[str] = []
    desk.store.conn.set_trace_callback(statements.append)
    try:
        assert inbox.undo(desk) == "undid status on 3 items"
    finally:
        desk.store.conn.set_trace_callback(None)
    newest = [s for s in statements if s.startswith("SELECT batch FROM history")]
    assert len(newest) == 2
    for sql in newest:
        plan = " | ".join(
            str(row[3]) for row in desk.store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")
        )
        assert "TEMP B-TREE" not in plan and "idx_history_table_name" not in plan, plan


def test_triage_is_one_undoable_batch_and_moves_deadlines(desk: Desk) -> None:
    ids = [int(inbox.capture(desk, title=f"Item {i}").id or 0) for i in range(3)]
    before = _derived(desk, ids[0])
    assert inbox.triage(desk, ids, kind="bug", priority=1) == 3
    assert all(desk.store.feedback.get(i).priority == 1 for i in ids)
    assert _derived(desk, ids[0])["decide_due_at"] != before["decide_due_at"]
    assert inbox.undo(desk) == "undid kind, priority on 3 items"
    assert all(desk.store.feedback.get(i).priority == 3 for i in ids)
    assert _derived(desk, ids[0]) == before
    with pytest.raises(inbox.FeedbackError, match=r"the last change added #3, and undo does"):
        inbox.undo(desk)  # creations are not undone by u, and it says so


def test_undo_after_adding_an_item_leaves_the_change_before_it(desk: Desk) -> None:
    """u right after adding feedback undid the triage made before it: a change the user
    did not mean to reverse."""
    first = int(inbox.capture(desk, title="Export fails").id or 0)
    inbox.triage(desk, [first], status="triaged")
    inbox.capture(desk, title="Dark mode please")
    with pytest.raises(inbox.FeedbackError, match="the last change added #2"):
        inbox.undo(desk)
    assert desk.store.feedback.get(first).status == "triaged"


def test_undoing_a_loop_close_takes_back_the_touches_it_logged(desk: Desk) -> None:
    """The customers told stay in cooldown otherwise, for a message the undo says was not
    sent."""
    item = int(inbox.capture(desk, title="Export fails", customer_email="ana@acme.example").id or 0)
    inbox.triage(desk, [item], status="done")
    assert inbox.close_loop(desk, item).told == ["ana@acme.example"]
    assert desk.store.touches.count() == 1
    assert inbox.undo(desk) == "undid loop closed on 1 item and removed 1 logged touch"
    assert desk.store.touches.count() == 0
    assert desk.store.feedback.get(item).loop_closed_at is None


def test_deciding_stamps_who_and_when_and_reopening_clears(desk: Desk, clock: FrozenClock) -> None:
    item = inbox.capture(desk, title="Dark mode")
    clock.advance(dt.timedelta(hours=2))
    inbox.triage(desk, [int(item.id or 0)], status="planned")
    decided = desk.store.feedback.get(int(item.id or 0))
    assert decided.decided_at == NOW + dt.timedelta(hours=2)
    assert decided.decided_by == "tester"
    assert decided.acknowledged_at == decided.decided_at
    inbox.triage(desk, [int(item.id or 0)], status="triaged")
    reopened = desk.store.feedback.get(int(item.id or 0))
    assert reopened.decided_at is None and reopened.acknowledged_at is not None


def test_acknowledge_only_stamps_unacknowledged(desk: Desk, clock: FrozenClock) -> None:
    a = int(inbox.capture(desk, title="A").id or 0)
    b = int(inbox.capture(desk, title="B").id or 0)
    assert inbox.acknowledge(desk, [a]) == 1
    clock.advance(dt.timedelta(hours=1))
    assert inbox.acknowledge(desk, [a, b]) == 1
    assert desk.store.feedback.get(a).acknowledged_at == NOW
    assert desk.store.feedback.get(b).acknowledged_by == "tester"


def test_merge_counts_customers_and_tags_on_survivor_then_unmerge(desk: Desk) -> None:
    survivor = int(
        inbox.capture(desk, title="CSV export fails", customer_email="a@x.io", tags=["export"]).id
        or 0
    )
    dup1 = int(
        inbox.capture(desk, title="Export to CSV broken", customer_email="b@y.io", tags=["csv"]).id
        or 0
    )
    dup2 = int(inbox.capture(desk, title="csv export", customer_email="A@x.io").id or 0)
    assert inbox.merge(desk, [dup1, dup2], survivor) == 2
    assert desk.store.feedback.get(survivor).tags == ["csv", "export"]
    assert _derived(desk, survivor)["demand"] == 2  # a@x.io counted once
    assert desk.store.feedback.customers(survivor) == ["a@x.io", "b@y.io"]
    listed = inbox.list_items(desk, FeedbackFilter())
    assert [item.id for item in listed] == [survivor]
    inbox.unmerge(desk, dup1)
    assert _derived(desk, survivor)["demand"] == 1
    assert desk.store.feedback.get(dup1).duplicate_of is None


def test_merge_is_undone_in_one_step(desk: Desk) -> None:
    a = int(inbox.capture(desk, title="Export fails", tags=["a"]).id or 0)
    b = int(inbox.capture(desk, title="Export failing", tags=["b"]).id or 0)
    inbox.merge(desk, [b], a)
    assert inbox.undo(desk) is not None
    assert desk.store.feedback.get(b).duplicate_of is None
    assert desk.store.feedback.get(a).tags == ["a"]


def test_undoing_a_merge_counts_the_survivors_demand_again(desk: Desk) -> None:
    """The survivor's tags did not change, so the undo touches only the duplicates: its
    demand (two customers while merged) must still fall back to one."""
    a = int(inbox.capture(desk, title="Export fails", customer_email="a@x.io").id or 0)
    b = int(inbox.capture(desk, title="Export failing", customer_email="b@y.io").id or 0)
    inbox.merge(desk, [b], a)
    assert _derived(desk, a)["demand"] == 2
    assert inbox.undo(desk) == "undid merge on 1 item"
    assert _derived(desk, a)["demand"] == 1


def test_merging_a_survivor_brings_its_duplicates(desk: Desk) -> None:
    a, b, c = (int(inbox.capture(desk, title=f"Same {i}").id or 0) for i in range(3))
    inbox.merge(desk, [c], b)
    inbox.merge(desk, [b], a)
    assert desk.store.feedback.get(c).duplicate_of == a
    with pytest.raises(inbox.FeedbackError, match="itself merged"):
        inbox.merge(desk, [a], b)


def test_likely_duplicates_ranks_similar_titles(desk: Desk) -> None:
    target = inbox.capture(desk, title="Export to CSV fails for large reports")
    inbox.capture(desk, title="Dark mode please")
    inbox.capture(desk, title="Reports load slowly")
    found = inbox.likely_duplicates(desk, "CSV export failing on big reports")
    assert found and found[0][0].id == target.id
    assert all(item.title != "Dark mode please" for item, _ in found)
    assert inbox.likely_duplicates(desk, "zz") == []


def test_close_loop_logs_touches_and_refuses_do_not_contact(desk: Desk) -> None:
    desk.store.contacts.insert(
        Contact(name="Dee", email="dee@x.io", do_not_contact=True, dnc_reason="asked us to stop")
    )
    a = int(inbox.capture(desk, title="Bulk edit", customer_email="ann@x.io").id or 0)
    b = int(inbox.capture(desk, title="Bulk edits", customer_email="dee+work@x.io").id or 0)
    inbox.merge(desk, [b], a)
    with pytest.raises(inbox.FeedbackError, match="decide the item first"):
        inbox.close_loop(desk, a)
    inbox.triage(desk, [a], status="done")
    needs = inbox.list_items(desk, FeedbackFilter(view="needs_loop"))
    assert [item.id for item in needs] == [a]
    result = inbox.close_loop(desk, a)
    assert result.told == ["ann@x.io"]
    assert result.refused == [("dee+work@x.io", "Do not contact: asked us to stop.")]
    assert result.closed
    ann = desk.store.contacts.by_email("ann@x.io")
    assert ann is not None
    [touch] = desk.store.touches.for_contact(int(ann.id or 0))
    assert touch.purpose.value == "feedback_follow_up" and touch.feedback_id == a
    dee = desk.store.contacts.by_email("dee@x.io")
    assert dee is not None and desk.store.touches.for_contact(int(dee.id or 0)) == []
    assert inbox.list_items(desk, FeedbackFilter(view="needs_loop")) == []


def test_close_loop_files_each_new_contact_under_its_own_company(desk: Desk) -> None:
    """Closing the loop creates a contact for a customer the ledger does not know: each under
    the company their own feedback names, not the company of the item their duplicate went
    into (Juniper's customer was filed under Bramble Bakery)."""
    a = inbox.capture(
        desk, title="Bulk edit", customer_email="mateo@bramble.example", company="Bramble Bakery"
    )
    b = inbox.capture(
        desk, title="Bulk edits", customer_email="Kasia@Juniper.example", company="Juniper"
    )
    c = inbox.capture(desk, title="Bulk editing", customer_email="nobody@else.example")
    survivor = int(a.id or 0)
    inbox.merge(desk, [int(b.id or 0), int(c.id or 0)], survivor)
    inbox.triage(desk, [survivor], status="done")
    inbox.close_loop(desk, survivor)
    companies = {
        email: getattr(desk.store.contacts.by_email(email), "company", "missing")
        for email in ("mateo@bramble.example", "kasia@juniper.example", "nobody@else.example")
    }
    assert companies == {
        "mateo@bramble.example": "Bramble Bakery",
        "kasia@juniper.example": "Juniper",
        "nobody@else.example": None,
    }


def test_close_loop_that_can_tell_nobody_yet_stays_open(desk: Desk) -> None:
    """Where replies are held to cooldowns too (``reply_purposes = []``), a customer in a
    cooldown can be told later: closing the loop then would tell no one and drop the item
    off 'Needs loop closed' for good, so it is refused, naming until when, and nothing is
    written."""
    from opsdesk.services.contacts import log_touch

    desk.config.contacts.reply_purposes = []
    log_touch(desk, "ann@x.io", "Priya", "interview")  # a week ago, say: cooldown now
    item = int(inbox.capture(desk, title="Bulk edit", customer_email="ann@x.io").id or 0)
    inbox.triage(desk, [item], status="done")
    touches_before = desk.store.conn.execute("SELECT count(*) FROM touches").fetchone()[0]
    with pytest.raises(inbox.FeedbackError, match=r"nobody could be told yet.*ann@x\.io.*Cooldown"):
        inbox.close_loop(desk, item)
    assert desk.store.feedback.get(item).loop_closed_at is None
    assert desk.store.conn.execute("SELECT count(*) FROM touches").fetchone()[0] == touches_before
    assert [i.id for i in inbox.list_items(desk, FeedbackFilter(view="needs_loop"))] == [item]
    # told one of two: the loop closes, and the one in cooldown is named
    other = int(inbox.capture(desk, title="Bulk edits", customer_email="bo@y.io").id or 0)
    inbox.merge(desk, [other], item)
    result = inbox.close_loop(desk, item)
    assert result.closed and result.told == ["bo@y.io"]
    assert [email for email, _ in result.refused] == ["ann@x.io"]


def test_sla_views_follow_the_clock(desk: Desk, clock: FrozenClock) -> None:
    item = inbox.capture(desk, title="P1 outage", kind="bug", priority=1)
    counts = inbox.view_counts(desk)
    assert counts["untriaged"] == 1 and counts["sla_breached"] == 0
    assert counts["sla_at_risk"] == 0
    clock.advance(dt.timedelta(hours=10))  # acknowledge due end of Friday: within 24 h
    assert inbox.view_counts(desk)["sla_at_risk"] == 1
    clock.advance(dt.timedelta(days=1))
    assert inbox.view_counts(desk)["sla_breached"] == 1
    inbox.acknowledge(desk, [int(item.id or 0)])
    assert inbox.view_counts(desk)["sla_breached"] == 0


def test_mine_view_uses_the_configured_user(desk: Desk) -> None:
    mine = inbox.capture(desk, title="Mine", owner="tester")
    inbox.capture(desk, title="Theirs", owner="someone")
    assert [i.id for i in inbox.list_items(desk, FeedbackFilter(view="mine"))] == [mine.id]


def test_changed_sla_policy_recomputes_every_deadline(desk: Desk) -> None:
    item = inbox.capture(desk, title="Bug", kind="bug", priority=1)
    inbox.ensure_sla(desk)
    desk.config.sla["bug"]["p1"] = SlaTarget(acknowledge=5, decide=10)
    assert inbox.ensure_sla(desk) == 1
    assert _derived(desk, int(item.id or 0))["ack_due_at"] == "2026-12-04T00:00:00+00:00"
    assert inbox.ensure_sla(desk) == 0


def test_items_loaded_without_deadlines_get_them(desk: Desk, demo_store: Store) -> None:
    demo = Desk(demo_store, desk.config, desk.clock)
    assert demo_store.feedback.missing_sla()
    assert inbox.ensure_sla(demo) > 200
    assert demo_store.feedback.missing_sla() == []


def test_themes_count_items_customers_and_weeks(desk: Desk) -> None:
    for days, email in ((1, "a@x.io"), (2, "b@x.io"), (9, "a@x.io"), (100, "c@x.io")):
        inbox.capture(
            desk,
            title="SSO",
            tags=["sso"],
            customer_email=email,
            received_at=NOW - dt.timedelta(days=days),
        )
    [theme] = inbox.themes(desk, weeks=12)
    assert (theme.tag, theme.items, theme.customers) == ("sso", 4, 3)
    assert len(theme.weekly) == 12 and sum(theme.weekly) == 3
    assert theme.weekly[-1] == 2 and theme.weekly[-2] == 1


def test_a_theme_trend_ends_with_the_last_seven_days_not_a_part_week(desk: Desk) -> None:
    """The trend's weeks are the seven-day spans that end today. Calendar weeks made the last
    bar this week so far (four days on a Thursday, none on a Monday morning), so every theme
    looked as if it had collapsed this week; a steady one item a day is twelve equal bars."""
    for days in range(12 * 7):
        inbox.capture(desk, title="SSO", tags=["sso"], received_at=NOW - dt.timedelta(days=days))
    [theme] = inbox.themes(desk, weeks=12)
    assert theme.weekly == [7] * 12


def test_saved_views_round_trip(desk: Desk) -> None:
    filters = FeedbackFilter(view="untriaged", kind="bug", tag="sso", search="login")
    desk.store.feedback.save_view("Bugs to triage", filters, "priority")
    [saved] = desk.store.feedback.saved_views()
    assert saved.filters == filters and saved.sort == "priority"
    desk.store.feedback.save_view("Bugs to triage", FeedbackFilter(), "received")
    assert desk.store.feedback.saved_views()[0].sort == "received"
    assert desk.store.feedback.delete_view("Bugs to triage")


def test_status_values_are_checked(desk: Desk) -> None:
    item = inbox.capture(desk, title="x")
    with pytest.raises(ValueError):
        inbox.triage(desk, [int(item.id or 0)], status="closed")
    assert desk.store.feedback.get(int(item.id or 0)).status == FeedbackStatus.NEW


def test_a_breached_item_is_not_also_about_to_breach(desk: Desk) -> None:
    """New, past its acknowledge-by, deciding due tomorrow: breached, and only breached
    (Today listed it in both sections and counted it twice)."""
    item = inbox.capture(
        desk, title="Export crashes", kind="bug", priority=1, received_at=NOW - dt.timedelta(days=3)
    )
    derived = _derived(desk, int(item.id or 0))
    ack = dt.datetime.fromisoformat(str(derived["ack_due_at"]))
    decide = dt.datetime.fromisoformat(str(derived["decide_due_at"]))
    assert ack < NOW < decide < NOW + dt.timedelta(hours=24), (ack, decide)
    counts = inbox.view_counts(desk)
    assert (counts["sla_breached"], counts["sla_at_risk"]) == (1, 0)
    assert inbox.list_items(desk, FeedbackFilter(view="sla_at_risk")) == []
    inbox.triage(desk, [int(item.id or 0)], status="triaged")  # acknowledged: deciding is next
    counts = inbox.view_counts(desk)
    assert (counts["sla_breached"], counts["sla_at_risk"]) == (0, 1)


def test_a_name_typed_into_a_filter_is_mapped_to_how_it_is_stored(desk: Desk) -> None:
    inbox.capture(desk, title="Bulk edit", owner="Élodie Martin", company="Ōtsuka & Co")
    assert inbox.stored_name(desk, "owner", " ÉLODIE MARTIN ") == "Élodie Martin"
    assert inbox.stored_name(desk, "company", "ōtsuka & co") == "Ōtsuka & Co"
    with pytest.raises(inbox.FeedbackError, match="did you mean 'Élodie Martin'"):
        inbox.stored_name(desk, "owner", "élodie")
    with pytest.raises(inbox.FeedbackError, match="no item has a company like it"):
        inbox.stored_name(desk, "company", "Initech")
    with pytest.raises(inbox.FeedbackError, match="no item has an owner like it"):  # not 'a owner'
        inbox.stored_name(desk, "owner", "Priya")


def test_a_tag_is_one_word_so_it_can_be_removed_as_typed(desk: Desk) -> None:
    """A CRM's "Customer Success" tag (or ``--tag "A B"``) was stored with its space, and
    the inbox's ``T``, which splits words on spaces, could never remove it."""
    item = inbox.capture(desk, title="Bulk edit", tags=["Customer  Success", " SSO "])
    assert item.tags == ["customer-success", "sso"]
    record_id = int(item.id or 0)
    assert inbox.retag(desk, [record_id], remove=["customer-success"]) == 1
    assert desk.store.feedback.get(record_id).tags == ["sso"]


def test_a_blank_source_is_other(desk: Desk) -> None:
    assert inbox.capture(desk, title="Bulk edit", source="  ").source == "other"
    assert inbox.capture(desk, title="Bulk edit", source=" app  store ").source == "app store"


def test_undo_in_the_inbox_after_forgetting_someone_quoted_there_is_refused(desk: Desk) -> None:
    """Forgetting a contact erases their address from the feedback that quoted it, in the
    forget's own history batch. The inbox's undo took that batch for an inbox change and
    failed writing the erased body back ('body: must be a valid string')."""
    from opsdesk.services.contact_forget import forget_contact

    store = desk.store
    store.contacts.insert(Contact(name="Ana Quoted", email="ana@quoted.example"))
    item = inbox.capture(
        desk,
        title="Export",
        body="Ana (ana@quoted.example) asked",
        customer_email="ana@quoted.example",
    )
    forget_contact(desk, email="ana@quoted.example")
    erased = store.feedback.get(int(item.id or 0))
    assert "ana@quoted.example" not in (erased.body or "")
    with pytest.raises(
        inbox.FeedbackError, match="forgot a contact, and forgetting cannot be undone"
    ):
        inbox.undo(desk)
    assert store.feedback.get(int(item.id or 0)) == erased


def test_a_received_date_range_is_of_the_users_days(store: Store, clock: FrozenClock) -> None:
    """The range compared stored UTC instants with bare dates: to a New York user an item
    received at 8 pm on the 20th (1 am UTC on the 21st) fell outside 'to the 20th' and
    inside 'from the 21st', though the list shows it as received on the 20th."""
    config = Config()
    config.general.timezone = "America/New_York"
    desk = Desk(store, config, clock)
    evening = dt.datetime(2026, 11, 20, 20, 0, tzinfo=desk.tz)
    item = inbox.capture(desk, title="Late call", received_at=evening.astimezone(dt.UTC))
    day = dt.date(2026, 11, 20)

    def listed(**dates: dt.date) -> list[int | None]:
        return [i.id for i in inbox.list_items(desk, FeedbackFilter(view="all", **dates))]

    assert listed(received_from=day, received_to=day) == [item.id]
    assert listed(received_to=day) == [item.id]
    assert listed(received_from=day + dt.timedelta(days=1)) == []
    assert inbox.count_items(desk, FeedbackFilter(view="all", received_to=day)) == 1


@pytest.mark.parametrize(
    ("field", "old", "new", "said"),
    [
        ("*", None, "created", "created"),
        ("owner", None, "Aisha Khan", "owner set to Aisha Khan"),
        ("owner", "Aisha Khan", None, "owner cleared (was Aisha Khan)"),
        ("owner", "Aisha Khan", "Priya Raman", "owner: Aisha Khan → Priya Raman"),
        ("tags", '["billing", "sso"]', '["billing", "sso", "export"]', None),
        ("tags", '["sso"]', "[]", "tags cleared (was sso)"),
        ("status", "new", "planned", "status: new → planned"),
        ("kind", "request", "churn_risk", "kind: request → churn risk"),
        ("priority", "3", "1", "priority: P3 → P1"),
        ("launch_id", None, "7", "launch set to EU data residency"),
        ("launch_id", "7", "99", "launch: EU data residency → #99"),
        ("duplicate_of", None, "12", "merged into #12"),
        ("duplicate_of", "12", None, "separated from #12"),
        ("acknowledged_at", None, "2026-11-26T15:00:00+00:00", "acknowledged 2026-11-26 15:00"),
        ("acknowledged_at", "2026-11-26T15:00:00+00:00", None, "acknowledged undone"),
        ("decided_by", None, "Hannah Cho", "decided by Hannah Cho"),
        ("title", "Export [b]fails\x1b", "Export fails", "title: Export [b]fails␛ → Export fails"),
        ("body", None, None, "body changed"),
    ],
)
def test_history_lines_read_as_words(
    desk: Desk, field: str, old: str | None, new: str | None, said: str | None
) -> None:
    """A history value is stored text: the detail showed 'owner:  → Aisha Khan' for a
    blank old value and tags as JSON. change_words puts each line in words."""
    from opsdesk.models import Change

    change = Change(
        batch="b",
        at=desk.now(),
        actor="ops",
        table_name="feedback",
        record_id=1,
        field=field,
        old=old,
        new=new,
    )
    expected = said or "tags: billing, sso → billing, sso, export"
    assert inbox.change_words(change, desk.tz, {7: "EU data residency"}) == expected
