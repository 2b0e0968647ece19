"""The command palette lists an action above a record that matches the typed text as well."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.store import Store
from opsdesk.tui.app import OpsdeskApp, build_app
from opsdesk.tui.commands import record_score
from opsdesk.tui.screens.contacts_follow_ups import FollowUpsScreen


async def _hits(pilot: Pilot[None], query: str) -> list[tuple[str, float]]:
    """Each line the palette lists for ``query`` (prompt and score), in its order, once
    every provider has answered."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    options = palette.query_one(OptionList)
    hits: list[tuple[str, float]] = []
    for _ in range(60):  # the palette searches in a worker and shows batches as they come
        await pilot.pause(0.05)
        now = [
            (str(option.prompt).splitlines()[0], option.hit.score)  # type: ignore[attr-defined]
            for option in (options.get_option_at_index(i) for i in range(options.option_count))
        ]
        if now == hits and any(p.startswith("Open ") for p, _ in now):
            break
        hits = now
    await pilot.press("escape")
    await pilot.pause()
    return hits


def _assert_actions_win_ties(hits: list[tuple[str, float]], action: str) -> None:
    actions = [(p, s) for p, s in hits if not p.startswith("Open ")]
    records = [(p, s) for p, s in hits if p.startswith("Open ")]
    assert actions and records, hits
    assert action in [p for p, _ in actions], hits
    action_scores = {s for _, s in actions}
    assert not action_scores & {s for _, s in records}, hits  # no tie left to chance
    first_record = next(i for i, (p, _) in enumerate(hits) if p.startswith("Open "))
    assert action in [p for p, _ in hits[:first_record]], hits


async def test_typed_contact_and_close_list_the_actions_above_the_feedback(
    demo_store: Store, clock: FrozenClock
) -> None:
    """'contact' scored 'New contact' and 'Open feedback #11: Separate billing contacts per
    workspace' alike, and 'close' 'Close thread' and '… month-end close': the palette sorts
    on the score alone, so the feedback could come first, as the providers happened to
    answer. Each record now ranks under an action matched as well."""
    app: OpsdeskApp = build_app(demo_store, Config(), clock=clock, pane="contacts")
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.panes_built:
            await pilot.pause(0.05)
        _assert_actions_win_ties(await _hits(pilot, "contact"), "New contact")
        await pilot.press("o")
        await pilot.pause(0.3)
        assert isinstance(app.screen, FollowUpsScreen)
        _assert_actions_win_ties(await _hits(pilot, "close"), "Close thread")


def test_a_record_that_matches_better_still_ranks_first() -> None:
    """Only ties change: a record's score stays above any lower match, and a record found
    by full text whose label does not match stays listed."""
    assert record_score(24.0) < 24.0
    assert record_score(24.0) > 23.999
    assert record_score(0.0) > 0.0
