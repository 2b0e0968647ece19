"""The experiment services and their store queries: create and edit with links, moves with
guards and stamps, conflicts, before-you-start search, the learnings library, readouts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config, ConfigError, parse_config
from opsdesk.models import Experiment, Feedback, Launch
from opsdesk.rules.experiments import GuardError
from opsdesk.rules.overlap import find_conflicts
from opsdesk.services import experiments as service
from opsdesk.services.desk import Desk
from opsdesk.services.experiments import AlreadyInColumn, BoardEdge, LibraryQuery
from opsdesk.store import InvalidRecord, RecordNotFound, Store
from opsdesk.store.experiments import ExperimentFilter, ScheduleRow, similar_query
from opsdesk.vocabulary import ExperimentDecision, ExperimentResult, ExperimentStatus

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def desk(store: Store, clock: FrozenClock) -> Desk:
    return Desk(store, Config(), clock)


@pytest.fixture
def demo(demo_store: Store, clock: FrozenClock) -> Desk:
    return Desk(demo_store, Config(), clock)


def _history(store: Store, experiment_id: int) -> list[tuple[str, str | None, str | None]]:
    return [
        (change.field, change.old, change.new)
        for change in reversed(store.history.for_record("experiments", experiment_id))
    ]


# -- create and edit -------------------------------------------------------------------------


def test_create_with_links_is_one_transaction_with_history(desk: Desk, store: Store) -> None:
    launch = store.launches.insert(Launch(title="SSO", launch_date=dt.date(2026, 12, 8)))
    item = store.feedback.insert(
        Feedback(title="Checkout is slow", received_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    )
    created = service.create(
        desk,
        title="One-page checkout",
        hypothesis="We believe one page will raise conversion, measured by checkout conversion.",
        surface="checkout",
        primary_metric="checkout conversion",
        guardrail_metrics=["refund rate"],
        feedback_ids=[item.id],
        launch_ids=[launch.id],
    )
    assert created.owner == "me"  # the configured user by default
    assert created.status is ExperimentStatus.IDEA
    assert store.experiments.link_ids(created.id) == ([item.id], [launch.id])
    assert [launch.title for launch in store.experiments.linked_launches(created.id)] == ["SSO"]
    assert [f.title for f in store.experiments.linked_feedback(created.id)] == ["Checkout is slow"]
    assert [e.id for e in store.experiments.for_launch(launch.id)] == [created.id]
    assert [e.id for e in store.experiments.for_feedback(item.id)] == [created.id]
    assert _history(store, created.id) == [
        ("*", None, "created"),
        ("linked_feedback", None, str(item.id)),
        ("linked_launches", None, str(launch.id)),
    ]


def test_a_link_to_a_missing_record_writes_nothing(desk: Desk, store: Store) -> None:
    with pytest.raises(RecordNotFound, match="no launch with id 404"):
        service.create(desk, title="Orphan", launch_ids=[404])
    with pytest.raises(RecordNotFound, match="no feedback item with id 7"):
        service.create(desk, title="Orphan", feedback_ids=[7])
    assert store.experiments.count() == 0


def test_a_new_experiment_cannot_start_running(desk: Desk) -> None:
    with pytest.raises(InvalidRecord, match="starts as an idea or in design"):
        service.create(desk, title="Skip the queue", status="running")
    with pytest.raises(InvalidRecord, match="title"):
        service.create(desk, title="   ")
    with pytest.raises(InvalidRecord, match="planned end is before the planned start"):
        service.create(
            desk, title="Backwards", planned_start=dt.date(2026, 12, 9), planned_end=TODAY
        )
    with pytest.raises(InvalidRecord, match="not a field"):
        service.create(desk, title="x", colour="red")


def test_edit_changes_fields_and_links_but_never_the_status(desk: Desk, store: Store) -> None:
    created = service.create(desk, title="Saved searches", surface="search")
    edited = service.edit(desk, created.id, team="Search", audience="all")
    assert (edited.team, edited.audience) == ("Search", "all")
    with pytest.raises(InvalidRecord, match="move the experiment"):
        service.edit(desk, created.id, status="running")
    launch = store.launches.insert(Launch(title="Search 2.0", launch_date=TODAY))
    service.edit(desk, created.id, launch_ids=[launch.id])
    service.link(desk, created.id, launch_ids=[launch.id])  # linking twice is harmless
    assert store.experiments.link_ids(created.id) == ([], [launch.id])
    service.unlink(desk, created.id, launch_ids=[launch.id])
    assert store.experiments.link_ids(created.id) == ([], [])


def test_an_edit_may_not_leave_a_running_experiment_without_its_metric(desk: Desk) -> None:
    created = service.create(
        desk, title="Saved searches", planned_start=TODAY, primary_metric="weekly searchers"
    )
    service.move(desk, created.id, "designing")
    service.move(desk, created.id, "running")
    with pytest.raises(GuardError, match="is running, so it needs a primary metric"):
        service.edit(desk, created.id, primary_metric=None)
    assert desk.store.experiments.get(created.id).primary_metric == "weekly searchers"


# -- moving ----------------------------------------------------------------------------------


def test_move_through_every_column_meeting_each_guard(
    desk: Desk, store: Store, clock: FrozenClock
) -> None:
    created = service.create(desk, title="Three-field signup form")
    assert service.step(desk, created.id, 1).status is ExperimentStatus.DESIGNING
    with pytest.raises(GuardError) as caught:
        service.step(desk, created.id, 1)
    assert caught.value.fields == ("planned_start", "primary_metric")
    assert store.experiments.get(created.id).status is ExperimentStatus.DESIGNING
    running = service.step(
        desk, created.id, 1, planned_start=TODAY, primary_metric="signup completion"
    )
    assert running.status is ExperimentStatus.RUNNING
    assert running.actual_start == TODAY
    clock.advance(dt.timedelta(days=21))
    analyzing = service.step(desk, created.id, 1)
    assert analyzing.actual_end == dt.date(2026, 12, 17)
    with pytest.raises(GuardError) as caught:
        service.step(desk, created.id, 1, result="won")
    assert caught.value.fields == ("decision", "learnings")
    assert store.experiments.get(created.id).result is None  # nothing half-written
    concluded = service.step(
        desk,
        created.id,
        1,
        result="won",
        decision="ship",
        effect="+12% completion",
        learnings="Phone and company size were the fields people abandoned on.",
    )
    assert concluded.status is ExperimentStatus.CONCLUDED
    assert concluded.result is ExperimentResult.WON
    assert concluded.decision is ExperimentDecision.SHIP
    with pytest.raises(BoardEdge, match="already in the last column"):
        service.step(desk, created.id, 1)
    fields = [field for field, _, _ in _history(store, created.id)]
    assert fields.count("status") == 4
    assert "actual_start" in fields and "actual_end" in fields and "learnings" in fields


def test_moving_back_to_design_clears_the_run(desk: Desk, store: Store) -> None:
    created = service.create(
        desk, title="x", planned_start=TODAY, primary_metric="m", status="designing"
    )
    service.move(desk, created.id, "running")
    back = service.step(desk, created.id, -1)
    assert back.status is ExperimentStatus.DESIGNING and back.actual_start is None
    assert ("actual_start", TODAY.isoformat(), None) in _history(store, created.id)
    assert service.step(desk, created.id, -1).status is ExperimentStatus.IDEA
    with pytest.raises(BoardEdge, match="first column"):
        service.step(desk, created.id, -1)


def test_moving_to_the_column_it_is_in_says_so_and_writes_nothing(desk: Desk, store: Store) -> None:
    created = service.create(
        desk, title="Saved searches", planned_start=TODAY, primary_metric="weekly searchers"
    )
    service.move(desk, created.id, "running")
    before = _history(store, created.id)
    with pytest.raises(AlreadyInColumn, match="already in the running column; nothing changed"):
        service.move(desk, created.id, "running")
    # Fields sent with the move (a form filled in for an out-of-date card) are not saved.
    with pytest.raises(AlreadyInColumn):
        service.move(desk, created.id, "running", primary_metric="searches per user")
    assert store.experiments.get(created.id).primary_metric == "weekly searchers"
    service.abandon(desk, created.id, "Search is being rebuilt.")
    after_abandon = _history(store, created.id)
    with pytest.raises(AlreadyInColumn, match="already in the abandoned column"):
        service.abandon(desk, created.id, "Again.")
    assert _history(store, created.id) == after_abandon
    assert len(after_abandon) > len(before)
    assert store.experiments.get(created.id).learnings == "Abandoned: Search is being rebuilt."


def test_check_is_a_dry_run(desk: Desk, store: Store) -> None:
    created = service.create(desk, title="x", status="designing")
    with pytest.raises(GuardError):
        service.check(desk, created.id, "running", planned_start=TODAY)
    service.check(desk, created.id, "running", planned_start=TODAY, primary_metric="m")
    assert store.experiments.get(created.id).status is ExperimentStatus.DESIGNING
    with pytest.raises(InvalidRecord):
        service.check_draft(desk, title="")
    service.check_draft(desk, created.id, title="y")
    assert store.experiments.get(created.id).title == "x"


def test_abandon_keeps_the_reason_and_restore_returns_to_the_same_column(
    desk: Desk, store: Store
) -> None:
    created = service.create(
        desk, title="Prices in GBP", planned_start=TODAY, primary_metric="conversion"
    )
    service.move(desk, created.id, "designing")
    service.move(desk, created.id, "running")
    dropped = service.abandon(desk, created.id, "The tax engine cannot invoice in GBP.")
    assert dropped.status is ExperimentStatus.ABANDONED
    assert dropped.learnings == "Abandoned: The tax engine cannot invoice in GBP."
    assert dropped.actual_end == TODAY and dropped.decision is ExperimentDecision.ABANDON
    with pytest.raises(BoardEdge, match="restore it"):
        service.step(desk, created.id, 1)
    restored = service.restore(desk, created.id)
    assert restored.status is ExperimentStatus.RUNNING
    assert restored.actual_end is None
    with pytest.raises(BoardEdge, match="not abandoned"):
        service.restore(desk, created.id)


def test_coming_back_from_abandoned_takes_back_the_abandon_decision_it_stamped(
    desk: Desk, store: Store
) -> None:
    """Abandoning stamps the decision 'abandon' when none was made. Restored (or moved back
    by the CLI), the experiment kept it: a running card read 'Decision: abandon', and the
    conclude form offered it as chosen. Now it is taken back, even after abandoning twice;
    a decision someone made before abandoning stays."""
    created = service.create(
        desk, title="Prices in GBP", planned_start=TODAY, primary_metric="conversion"
    )
    service.move(desk, created.id, "running")
    service.abandon(desk, created.id, "Tax engine.")
    restored = service.restore(desk, created.id)
    assert restored.status is ExperimentStatus.RUNNING and restored.decision is None
    assert ("decision", "abandon", None) in _history(store, created.id)
    service.move(desk, created.id, "analyzing")
    service.abandon(desk, created.id)
    again = service.move(desk, created.id, "analyzing")
    assert again.decision is None
    with pytest.raises(GuardError) as refused:  # concluding asks for a real decision
        service.move(desk, created.id, "concluded", result="lost", learnings="Too early.")
    assert "decision" in refused.value.fields

    decided = service.move(
        desk, created.id, "concluded", result="lost", decision="abandon", learnings="No."
    )
    service.abandon(desk, decided.id)
    back = service.restore(desk, decided.id)
    assert back.status is ExperimentStatus.CONCLUDED
    assert back.decision is ExperimentDecision.ABANDON  # decided when concluding: kept


# -- conflicts -------------------------------------------------------------------------------


def test_demo_has_the_two_running_checkout_experiments_in_conflict(demo: Desk) -> None:
    conflicts = service.conflicts(demo)
    titles = {(pair.first.title, pair.second.title) for pair in conflicts}
    assert ("One-page checkout", "Annual plan selected by default at checkout") in titles
    pair = next(p for p in conflicts if p.first.title == "One-page checkout")
    assert {pair.first.owner, pair.second.owner} == {"Marcus Okafor", "Elena Vasquez"}


def test_a_planned_experiment_collides_once_it_has_dates(desk: Desk) -> None:
    running = service.create(
        desk, title="Saved searches", surface="search", planned_start=TODAY, primary_metric="m"
    )
    service.move(desk, running.id, "running")
    idea = service.create(desk, title="Rank by recency", surface="Search")
    assert not service.conflicts(desk).has(idea.id)
    service.edit(desk, idea.id, planned_start=TODAY + dt.timedelta(days=3))
    conflicts = service.conflicts(desk)
    assert conflicts.has(idea.id) and conflicts.has(running.id)
    readout = service.readout(desk, idea.id)
    assert [pair.other(idea.id).title for pair in readout.conflicts] == ["Saved searches"]


def test_policy_decides_which_not_yet_running_statuses_count(store: Store, clock) -> None:
    policy = parse_config({"experiments": {"planned_statuses": ["designing"]}})
    desk = Desk(store, policy, clock)
    service.create(desk, title="a", surface="s", planned_start=TODAY)
    service.create(desk, title="b", surface="s", planned_start=TODAY)
    assert len(service.conflicts(desk)) == 0
    with pytest.raises(ConfigError, match=r"experiments\.planned_statuses.*not-yet-running"):
        parse_config({"experiments": {"planned_statuses": ["running"]}})


def _draft_conflicts(
    desk: Desk, draft: dict[str, Any], experiment_id: int | None = None
) -> list[Any]:
    """The overlaps a form shows for one draft, as the form asks for them."""
    return service.DraftOverlaps(desk, experiment_id)(draft)


def test_a_draft_shows_whom_it_would_collide_with(demo: Desk) -> None:
    clashes = _draft_conflicts(
        demo, {"title": "Trust badges", "surface": "checkout", "planned_start": TODAY}
    )
    assert {pair.other(-1).title for pair in clashes} == {
        "One-page checkout",
        "Annual plan selected by default at checkout",
    }
    assert _draft_conflicts(demo, {"title": "No dates", "surface": "checkout"}) == []


def _form_draft(desk: Desk, experiment_id: int) -> dict[str, Any]:
    """What the edit form sends as it is typed: its fields, the dates among them."""
    stored = desk.store.experiments.get(experiment_id).model_dump()
    shown = ("title", "surface", "audience", "primary_metric", "planned_start", "planned_end")
    return {name: stored[name] for name in (*shown, "actual_start", "actual_end")}


def _others(pairs: Any, me: int) -> set[str]:
    return {pair.other(me).title for pair in pairs}


def test_editing_finished_work_warns_of_nothing_as_on_the_board(
    demo: Desk, desk: Desk, clock: FrozenClock
) -> None:
    # #12 was analyzed from 30 Oct to 23 Nov on the dashboard; #18 has run there since 21 Nov.
    # An experiment being analyzed changes nothing any more: the board flags no pair.
    assert not service.conflicts(demo).has(12)
    assert _draft_conflicts(demo, _form_draft(demo, 12), 12) == []

    # Concluded early, well inside its planned window, beside one still running there.
    service.move(
        desk,
        service.create(
            desk, title="Saved searches", surface="search", planned_start=TODAY, primary_metric="m"
        ).id,
        "running",
    )
    done = service.create(
        desk,
        title="Search-as-you-type",
        surface="search",
        primary_metric="search success",
        planned_start=TODAY - dt.timedelta(days=10),
        planned_end=TODAY + dt.timedelta(days=10),
        status="designing",
    )
    clock.advance(dt.timedelta(days=-10))
    service.move(desk, done.id, "running")
    clock.advance(dt.timedelta(days=10))
    service.move(desk, done.id, "analyzing")
    service.move(
        desk, done.id, "concluded", result="won", decision="ship", learnings="Faster wins."
    )
    assert not service.conflicts(desk).has(done.id)
    assert _draft_conflicts(desk, _form_draft(desk, done.id), done.id) == []


def test_editing_running_work_warns_of_what_the_board_flags(
    desk: Desk, store: Store, clock: FrozenClock
) -> None:
    # Planned for 1-10 Nov, but it only started on 20 Nov and is still running: its window is
    # its actual start to today, not its plan.
    clock.advance(dt.timedelta(days=-6))
    late = service.create(
        desk,
        title="Saved searches",
        surface="search",
        primary_metric="weekly searchers",
        planned_start=dt.date(2026, 11, 1),
        planned_end=dt.date(2026, 11, 10),
    )
    service.move(desk, late.id, "running")
    clock.advance(dt.timedelta(days=6))
    next_up = service.create(
        desk, title="Rank by recency", surface="search", planned_start=TODAY, status="designing"
    )
    board = service.conflicts(desk).involving(late.id)
    assert _others(board, late.id) == {"Rank by recency"}
    form = _draft_conflicts(desk, _form_draft(desk, late.id), late.id)
    assert _others(form, service.DRAFT_ID) == {"Rank by recency"}
    assert form[0].overlap == board[0].overlap
    # Never with itself, and the typed fields count (another surface: no collision).
    assert _draft_conflicts(desk, {"surface": "home"}, late.id) == []
    assert _others(_draft_conflicts(desk, {}, next_up.id), -1) == {"Saved searches"}


def test_a_new_draft_counts_as_the_policy_counts_its_status(store: Store, clock) -> None:
    policy = parse_config({"experiments": {"planned_statuses": ["designing"]}})
    desk = Desk(store, policy, clock)
    service.create(desk, title="a", surface="s", planned_start=TODAY, status="designing")
    idea = {"title": "b", "surface": "s", "planned_start": TODAY, "status": "idea"}
    assert _draft_conflicts(desk, idea) == []  # an idea is not on the schedule
    designing = {**idea, "status": ExperimentStatus.DESIGNING}
    assert _others(_draft_conflicts(desk, designing), -1) == {"a"}


def test_a_form_reads_the_schedule_once_however_much_is_typed(
    demo: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing in the new-experiment form read and paired the whole schedule on every key
    (about 23 ms a key on 2,000 experiments). A form's DraftOverlaps reads it once, and
    each draft still gets the pairs the board's rule finds with the draft added to all."""
    reads: list[int] = []
    real = service.schedule
    monkeypatch.setattr(service, "schedule", lambda desk: reads.append(1) or real(desk))
    overlaps = service.DraftOverlaps(demo)
    drafts: list[dict[str, Any]] = [
        {"title": "T", "surface": "checkout", "planned_start": TODAY},
        {"title": "Tr", "surface": "Checkout ", "planned_start": TODAY, "audience": "smb"},
        {"title": "Tru", "primary_metric": "annual plan share", "planned_start": TODAY},
        {"title": "Trust", "surface": "dashboard", "planned_start": TODAY - dt.timedelta(9)},
        {"title": "No dates", "surface": "checkout"},
    ]
    found = [overlaps(draft) for draft in drafts]
    assert len(reads) == 1
    monkeypatch.setattr(service, "schedule", real)
    for draft, pairs in zip(drafts, found, strict=True):
        me = service.candidate(
            ScheduleRow(
                id=service.DRAFT_ID,
                title=draft["title"],
                owner=demo.user,
                team=None,
                status=ExperimentStatus.IDEA,
                surface=draft.get("surface"),
                audience=draft.get("audience"),
                primary_metric=draft.get("primary_metric"),
                planned_start=draft.get("planned_start"),
                planned_end=None,
                actual_start=None,
            ),
            TODAY,
        )
        everyone = [*service.schedule(demo), *([me] if me else [])]
        board = find_conflicts(everyone).involving(service.DRAFT_ID)
        assert pairs == board
    assert {pair.other(-1).title for pair in found[0]} == {
        "One-page checkout",
        "Annual plan selected by default at checkout",
    }
    assert found[1] and found[2] and found[4] == []


# -- before you start ------------------------------------------------------------------------


def test_similar_past_experiments_with_their_learnings(demo: Desk) -> None:
    found = service.similar(demo, title="Annual plan discount on the pricing page")
    assert found[0].experiment.title == "Annual plan nudge on the pricing page"
    assert found[0].experiment.result is ExperimentResult.WON
    assert "Savings in currency" in found[0].experiment.learnings
    statuses = {f.experiment.status for f in found}
    assert statuses <= {ExperimentStatus.CONCLUDED, ExperimentStatus.ABANDONED}
    # The running annual-plan test is not "past", so it is not offered.
    assert all("selected by default" not in f.experiment.title for f in found)


@pytest.mark.parametrize(
    "text",
    ['"', "OR", "NEAR(a b)", "a* AND -b", "\x00 annual", "title: x", "{surface}: y", "", "  "],
)
def test_similar_accepts_any_text(demo: Desk, text: str) -> None:
    service.similar(demo, title=text, hypothesis=text)


def test_similar_query_drops_noise_words() -> None:
    assert similar_query("We believe the X will cause Y") == ""
    assert similar_query("Checkout checkout CHECKOUT page") == (
        '{title hypothesis surface primary_metric} : ("checkout"* OR "page"*)'
    )


# -- learnings library -----------------------------------------------------------------------


def _concluded(desk: Desk, title: str, **fields: object) -> Experiment:
    created = service.create(desk, title=title, primary_metric="conversion", planned_start=TODAY)
    service.move(desk, created.id, "running")
    service.move(desk, created.id, "analyzing")
    return service.move(desk, created.id, "concluded", **fields)


def test_library_filters_and_statistics(desk: Desk, store: Store) -> None:
    _concluded(desk, "a", result="won", decision="ship", learnings="Short copy wins.")
    store.experiments.update(1, team="Growth", surface="checkout")
    _concluded(desk, "b", result="lost", decision="abandon", learnings="Nobody reads banners.")
    store.experiments.update(2, team="Growth", surface="pricing")
    _concluded(desk, "c", result="flat", decision="iterate", learnings="Copy did not matter.")
    store.experiments.update(3, team="Billing", surface="checkout")
    # Planned 10 days, ran 15 (both ends included) for one of them.
    store.experiments.update(
        1,
        planned_start=dt.date(2026, 10, 1),
        planned_end=dt.date(2026, 10, 10),
        actual_start=dt.date(2026, 10, 1),
        actual_end=dt.date(2026, 10, 15),
    )
    where = service.library_where(desk, LibraryQuery(text="copy"))
    assert {row.record.title for row in store.experiments.window(where, "ended")} == {"a", "c"}
    where = service.library_where(desk, LibraryQuery(team="Growth", result="lost"))
    assert [row.record.title for row in store.experiments.window(where, "ended")] == ["b"]
    where = service.library_where(desk, LibraryQuery(surface="checkout", metric="conversion"))
    assert store.experiments.count(where) == 2
    stats = service.library_stats(desk, LibraryQuery())
    growth = next(group for group in stats.by_team if group.name == "Growth")
    assert (growth.concluded, growth.won, growth.lost) == (2, 1, 1)
    assert growth.win_rate == 0.5
    checkout = next(group for group in stats.by_surface if group.name == "checkout")
    assert checkout.win_rate == 0.5
    # Only "a" has both a planned and an actual window ("c" has no planned end).
    assert checkout.timed == 1
    assert (checkout.planned_days, checkout.actual_days) == (10, 15)
    choices = service.library_choices(desk)
    assert choices["team"] == ["Billing", "Growth"]
    assert choices["surface"] == ["checkout", "pricing"]


def _markdown_tables(text: str) -> list[list[list[str]]]:
    """Each table of a Markdown text as rows of cell texts, read by a CommonMark parser."""
    from markdown_it import MarkdownIt

    found: list[list[list[str]]] = []
    stream = MarkdownIt("commonmark").enable("table").parse(text)
    for index, token in enumerate(stream):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            found[-1].append([])
        elif token.type in ("th_open", "td_open"):
            inline = stream[index + 1].children or []
            found[-1][-1].append("".join(c.content for c in inline if c.type == "text"))
    return found


def test_inconclusive_experiments_are_not_losses_in_the_win_rate(desk: Desk, store: Store) -> None:
    """An inconclusive result neither won nor lost: one won, one lost and one inconclusive
    is a 50 % win rate (it read 33 %), and a team whose only result is inconclusive has no
    rate at all (it read 0 %). The library and the learnings report agree and say the rule."""
    from opsdesk.services import reports

    for title, team, result in (
        ("a", "Growth", "won"),
        ("b", "Growth", "lost"),
        ("c", "Growth", "inconclusive"),
        ("d", "Mobile", "inconclusive"),
    ):
        created = _concluded(desk, title, result=result, decision="iterate", learnings="x")
        store.experiments.update(created.id, team=team)
    stats = service.library_stats(desk, LibraryQuery())
    growth, mobile = stats.by_team
    assert (growth.name, growth.decided, growth.inconclusive) == ("Growth", 2, 1)
    assert growth.win_rate == 0.5
    assert (mobile.name, mobile.decided, mobile.win_rate) == ("Mobile", 0, None)

    text = reports.render(desk, reports.ReportRequest("learnings"))
    [table] = _markdown_tables(text)
    assert table[0] == ["Team", "Concluded", "Won", "Lost", "Flat", "Inconclusive", "Win rate"]
    assert table[1] == ["Growth", "3", "1", "1", "0", "1", "50%"]
    assert table[2] == ["Mobile", "1", "0", "0", "0", "1", "—"]
    assert "won out of the decided experiments (won, lost or flat)" in text


def test_name_filters_match_however_the_name_was_spelled(desk: Desk, store: Store) -> None:
    for title, team, surface in (
        ("a", "Growth", "Checkout"),
        ("b", "growth ", "checkout"),
        ("c", "Équipe  Paiement", "checkout "),
        ("d", "Billing", "pricing"),
    ):
        created = _concluded(desk, title, result="won", decision="ship", learnings="x")
        store.experiments.update(created.id, team=team, surface=surface)

    def titles(query: LibraryQuery) -> set[str]:
        where = service.library_where(desk, query)
        return {row.record.title for row in store.experiments.window(where, "ended")}

    assert titles(LibraryQuery(team="growth")) == {"a", "b"}
    assert titles(LibraryQuery(team=" GROWTH ")) == {"a", "b"}
    assert titles(LibraryQuery(team="équipe paiement")) == {"c"}  # beyond ASCII too
    assert titles(LibraryQuery(surface="CHECKOUT", metric=" Conversion")) == {"a", "b", "c"}
    assert titles(LibraryQuery(team="Nobody")) == set()
    list_where = store.experiments.where(ExperimentFilter(team="Growth", surface=" checkout"))
    assert store.experiments.count(list_where) == 2
    # The library offers each name once (its choices are what the filter matches).
    choices = service.library_choices(desk)
    assert [name.casefold().strip() for name in choices["team"]] == [
        "billing",
        "growth",
        "équipe  paiement",
    ]
    assert len(choices["surface"]) == 2


def test_library_holds_only_concluded_experiments(demo: Desk) -> None:
    where = service.library_where(demo, LibraryQuery())
    titles = {row.record.title for row in demo.store.experiments.window(where, "ended", limit=50)}
    assert len(titles) == 8
    assert "Prices in GBP and EUR" not in titles  # abandoned


# -- store odds and ends ---------------------------------------------------------------------


def test_board_positions_and_counts(demo: Desk) -> None:
    repository = demo.store.experiments
    counts = repository.counts_by_status()
    assert counts[ExperimentStatus.RUNNING] == 6
    assert sum(counts.values()) == 28
    where = repository.where(ExperimentFilter(status="running"))
    rows = repository.window(where, "newest", limit=10)
    for index, row in enumerate(rows):  # a card's place in its column, without fetching
        assert repository.position(where, "newest", row.record.id) == index
    assert repository.counts_by_status("checkout")[ExperimentStatus.RUNNING] == 2


def test_readout_reads_everything_back(desk: Desk, store: Store) -> None:
    launch = store.launches.insert(Launch(title="Billing v2", launch_date=TODAY))
    created = service.create(
        desk,
        title="Usage alerts",
        planned_start=dt.date(2026, 12, 1),
        planned_end=dt.date(2026, 12, 20),
        launch_ids=[launch.id],
    )
    readout = service.readout(desk, created.id)
    assert readout.experiment.title == "Usage alerts"
    assert [launch.title for launch in readout.launches] == ["Billing v2"]
    assert readout.feedback == []
    assert readout.planned is not None and readout.planned.describe() == ("2026-12-01 → 2026-12-20")
    assert readout.actual is None
    with pytest.raises(RecordNotFound):
        service.readout(desk, 999)


def test_the_readout_names_the_owner_of_each_overlapping_experiment(desk: Desk) -> None:
    """Whoever reads a readout and sees an overlap needs the person to agree dates with:
    the table listed the other experiment's id, title, why and overlap, but not its owner."""
    from opsdesk.services import reports

    mine = service.create(
        desk, title="Annual toggle", surface="checkout", planned_start=dt.date(2026, 12, 1)
    )
    service.create(
        desk,
        title="One-page checkout",
        owner="Ana Souza",
        surface="checkout",
        planned_start=dt.date(2026, 12, 5),
    )
    service.create(desk, title="Guest checkout", owner="", surface="checkout", planned_start=TODAY)
    text = reports.render(desk, reports.ReportRequest("experiment", mine.id))
    [table] = _markdown_tables(text.split("## Overlapping experiments")[1])
    assert table[0] == ["#", "Experiment", "Owner", "Why", "Overlap"]
    owners = {row[1]: row[2] for row in table[1:]}
    assert owners == {"One-page checkout": "Ana Souza", "Guest checkout": "nobody yet"}


def test_an_actual_end_before_the_actual_start_is_refused(desk: Desk) -> None:
    """It was saved, and the library then showed a negative duration ('-4 d')."""
    done = _concluded(desk, "a", result="won", decision="ship", learnings="Short copy wins.")
    assert done.actual_end == TODAY
    with pytest.raises(InvalidRecord, match=r"actual_end: the actual end .* is before the actual"):
        service.edit(desk, int(done.id or 0), actual_start=TODAY + dt.timedelta(days=5))
    assert desk.store.experiments.get(int(done.id or 0)).actual_start == TODAY


def test_every_experiment_service_function_has_a_caller() -> None:
    """The TUI, the CLI and the reports call these services (or the service itself does);
    one nobody calls is a rule that looks enforced but is not (``decision_for`` promised a
    decision 'offered first when concluding' that no form offered). Read from the sources'
    syntax trees, not by grep."""
    import ast
    import inspect
    from pathlib import Path

    import opsdesk

    module_name = "opsdesk.services.experiments"
    root = Path(opsdesk.__file__).parent
    own = ast.parse(Path(service.__file__).read_text(encoding="utf-8"))
    used = {  # the service's own helpers (``schedule`` for ``conflicts``)
        node.func.id
        for node in ast.walk(own)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    for path in root.rglob("*.py"):
        if path == Path(service.__file__):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == module_name:
                used.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module == "opsdesk.services":
                aliases.update(a.asname or a.name for a in node.names if a.name == "experiments")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
            ):
                used.add(node.attr)
    functions = {
        name for name in service.__all__ if inspect.isfunction(getattr(service, name, None))
    }
    assert functions, "the service exports functions"
    assert sorted(functions - used) == []
