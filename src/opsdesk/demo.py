"""The demo workspace: Northwind Cloud's launches, feedback, contacts and experiments.

``fixtures/demo.json`` (written by ``fixtures/make_demo.py``) stores every date as a day offset
from "today" and every instant as such a day plus a local wall-clock time, so a demo loaded
on any day looks current. :func:`load_demo` turns those offsets into real dates around the
``today`` it is given and writes everything through the store in one transaction: either the
whole demo is there afterwards, or nothing is.

Records in the file point at each other by their index in their list (``"launch": 3``,
``"duplicate_of": 17``, ``"owner": 0`` for a person); the loader maps each index to the name
or id the store gave that record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from opsdesk.models import (
    Contact,
    Experiment,
    Feedback,
    GoNoGo,
    Launch,
    LaunchSlip,
    Person,
    ReadinessItem,
    Touch,
    describe_validation_error,
)
from opsdesk.paths import asset_dir
from opsdesk.rules.dates import WorkCalendar
from opsdesk.rules.readiness import TemplateItem, schedule_readiness, shift_open_items
from opsdesk.rules.risk import assess, snapshot, warning_horizon
from opsdesk.store import Store
from opsdesk.vocabulary import ReadinessState

__all__ = ["DemoError", "demo_file", "demo_is_loaded", "load_demo"]

UTC = ZoneInfo("UTC")
DEMO_WARNING_DAYS = 5
"""The default warning window (``launches.warning_days``) the demo's decisions were judged by."""

ModelT = TypeVar("ModelT", bound=BaseModel)


class DemoError(ValueError):
    """The demo cannot be loaded (already there, or the demo file is damaged)."""


def demo_file() -> Path:
    """Where the demo dataset lives, in a checkout or an installed wheel."""
    return asset_dir("fixtures") / "demo.json"


def demo_is_loaded(store: Store) -> bool:
    """True when the store already holds launches or feedback (the demo, or real work)."""
    return store.launches.count() > 0 or store.feedback.count() > 0


def load_demo(
    store: Store,
    today: dt.date,
    *,
    tz: ZoneInfo = UTC,
    calendar: WorkCalendar | None = None,
    path: Path | None = None,
) -> dict[str, int]:
    """Write the demo into ``store`` around ``today``; return how many rows went into each table.

    Day offsets become dates relative to ``today``; instants become that day's local time in
    ``tz``, stored in UTC. Readiness due dates are computed from each launch date and lead
    time with ``calendar`` (Monday to Friday by default), and a slipped launch's finished
    items keep the due date they had before the slip. Everything is written in one
    ``BEGIN IMMEDIATE`` transaction, so a failure leaves the store as it was.

    Raises :class:`DemoError` when the store already holds work (the demo is meant for an
    empty database) or the demo file cannot be read.
    """
    data = _read(path or demo_file())
    if demo_is_loaded(store):
        raise DemoError(
            "this database already holds launches or feedback; load the demo into an empty one"
        )
    loader = _Loader(store, data, today, tz, calendar or WorkCalendar())
    with store.write():
        return loader.run()


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DemoError(f"the demo file {path} cannot be read: {error}") from None
    if not isinstance(data, dict) or "people" not in data:
        raise DemoError(f"the demo file {path} holds no demo data")
    return data


class _Loader:
    """Turns the file's offsets and indexes into records, in dependency order."""

    def __init__(
        self,
        store: Store,
        data: dict[str, Any],
        today: dt.date,
        tz: ZoneInfo,
        calendar: WorkCalendar,
    ) -> None:
        self.store = store
        self.data = data
        self.today = today
        self.tz = tz
        self.calendar = calendar
        self.names: list[str] = []
        self.launch_ids: list[int] = []
        self.feedback_ids: list[int] = []
        self.contact_ids: list[int] = []
        self.experiment_ids: list[int] = []

    # -- offsets and references -----------------------------------------------------------

    def day(self, row: dict[str, Any], name: str) -> dt.date | None:
        offset = row.get(f"{name}_day")
        return None if offset is None else self.today + dt.timedelta(days=int(offset))

    def instant(self, row: dict[str, Any], name: str) -> dt.datetime | None:
        day = self.day(row, name)
        if day is None:
            return None
        clock = dt.time.fromisoformat(row.get(f"{name}_time", "09:00"))
        return dt.datetime.combine(day, clock, tzinfo=self.tz).astimezone(dt.UTC)

    def person(self, row: dict[str, Any], key: str) -> str | None:
        index = row.get(key)
        return None if index is None else self.names[index]

    @staticmethod
    def ref(ids: list[int], row: dict[str, Any], key: str) -> int | None:
        index = row.get(key)
        return None if index is None else ids[index]

    def rows(self, key: str) -> list[dict[str, Any]]:
        rows = self.data.get(key, [])
        if not isinstance(rows, list):
            raise DemoError(f"the demo file's '{key}' is not a list")
        return rows

    def build(self, key: str, make: Callable[[dict[str, Any]], ModelT]) -> list[ModelT]:
        """One model per row of ``key``."""
        return [self.build_one(key, index, row, make) for index, row in enumerate(self.rows(key))]

    @staticmethod
    def build_one(
        key: str, index: int, row: dict[str, Any], make: Callable[[dict[str, Any]], ModelT]
    ) -> ModelT:
        """One model; a bad row names itself (``demo feedback[12]: ...``), not a traceback."""
        try:
            return make(row)
        except ValidationError as error:
            raise DemoError(f"demo {key}[{index}]: {describe_validation_error(error)}") from None
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise DemoError(f"demo {key}[{index}]: {error!r}") from None

    # -- tables ---------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        people = self.build("people", self.make_person)
        self.store.people.insert_many(people)
        self.names = [person.name for person in people]
        counts["people"] = len(people)

        launches = self.build("launches", self.make_launch)
        self.launch_ids = self.store.launches.insert_many(launches)
        counts["launches"] = len(launches)

        items = self.readiness(launches)
        item_ids = self.store.readiness.insert_many(items)
        counts["readiness_items"] = len(items)

        experiments = self.build("experiments", self.make_experiment)
        self.experiment_ids = self.store.experiments.insert_many(experiments)
        counts["experiments"] = len(experiments)

        # One at a time: a duplicate points at an earlier item, whose id must be known.
        for index, row in enumerate(self.rows("feedback")):
            model = self.build_one("feedback", index, row, self.make_feedback)
            self.feedback_ids.append(int(self.store.feedback.insert(model).id or 0))
        counts["feedback"] = len(self.feedback_ids)
        # Demand counts an item's customers with its duplicates': merging does it in the app,
        # so the demo's ready-made duplicates are counted here (or sort by demand is flat).
        self.store.feedback.refresh_demand(self.store.feedback.survivor_ids())

        contacts = self.build("contacts", self.make_contact)
        self.contact_ids = self.store.contacts.insert_many(contacts)
        counts["contacts"] = len(contacts)

        touches = self.build("touches", self.make_touch)
        self.store.touches.insert_many(touches)
        counts["touches"] = len(touches)
        saved = [item.model_copy(update={"id": i}) for item, i in zip(items, item_ids, strict=True)]
        counts.update(self.launch_history(launches, saved))
        return counts

    def make_person(self, row: dict[str, Any]) -> Person:
        return Person(
            name=row["name"], email=row.get("email"), team=row.get("team"), role=row.get("role")
        )

    def make_launch(self, row: dict[str, Any]) -> Launch:
        return Launch(
            title=row["title"],
            summary=row.get("summary", ""),
            owner=self.person(row, "owner"),
            tier=row.get("tier", 2),
            launch_date=self.day(row, "launch"),
            original_date=self.day(row, "original"),
            status=row.get("status", "planned"),
            audience=row.get("audience"),
        )

    def readiness(self, launches: Sequence[Launch]) -> list[ReadinessItem]:
        """Each launch's items, dated by the readiness rules.

        Items are first scheduled against the date the launch originally had; a slipped
        launch's open items are then re-planned to the new date, as the app does when a
        launch moves, while finished ones keep their old due date.
        """
        by_launch: dict[int, list[tuple[int, dict[str, Any]]]] = {}
        for index, row in enumerate(self.rows("readiness")):
            by_launch.setdefault(int(row["launch"]), []).append((index, row))
        items: list[ReadinessItem] = []
        for launch_index, rows in sorted(by_launch.items()):
            launch = launches[launch_index]
            first_date = launch.original_date or launch.launch_date
            built = self.build_readiness(launch_index, first_date, rows)
            if launch.original_date and launch.original_date != launch.launch_date:
                built = shift_open_items(built, first_date, launch.launch_date, self.calendar)
            items.extend(built)
        return items

    def build_readiness(
        self, launch_index: int, launch_date: dt.date, rows: list[tuple[int, dict[str, Any]]]
    ) -> list[ReadinessItem]:
        items = []
        for index, row in rows:
            try:
                template = TemplateItem(
                    function=row["function"],
                    title=row["title"],
                    owner_role=row.get("owner_role"),
                    lead_days=int(row.get("lead_days", 0)),
                )
                (scheduled,) = schedule_readiness(launch_date, [template], self.calendar)
                items.append(
                    scheduled.model_copy(
                        update={
                            "launch_id": self.launch_ids[launch_index],
                            "owner": self.person(row, "owner"),
                            "state": ReadinessState(row.get("state", "todo")),
                            "evidence": row.get("evidence"),
                            "signed_off_by": self.person(row, "signed_off_by"),
                            "signed_off_at": self.instant(row, "signed_off"),
                        }
                    )
                )
            except (KeyError, IndexError, TypeError, ValueError) as error:
                raise DemoError(f"demo readiness[{index}]: {error!r}") from None
        return items

    def launch_history(
        self, launches: Sequence[Launch], items: Sequence[ReadinessItem]
    ) -> dict[str, int]:
        """The slips of the slipped launches and a few go/no-go decisions.

        A decision's snapshot is taken from the launch's items as loaded, dated as they were
        before the launch slipped (open items moved back to the original date), and judged
        on the day of the decision.
        """
        slips = self.build("launch_slips", self.make_slip)
        self.store.slips.insert_many(slips)
        by_launch: dict[int, list[ReadinessItem]] = {}
        for item in items:
            by_launch.setdefault(int(item.launch_id or 0), []).append(item)
        decisions = []
        for index, row in enumerate(self.rows("go_no_go")):
            decisions.append(
                self.build_one(
                    "go_no_go", index, row, lambda r: self.make_decision(r, launches, by_launch)
                )
            )
        self.store.decisions.insert_many(decisions)
        return {"launch_slips": len(slips), "go_no_go": len(decisions)}

    def make_slip(self, row: dict[str, Any]) -> LaunchSlip:
        items = [i for i in self.rows("readiness") if i.get("launch") == row["launch"]]
        return LaunchSlip(
            launch_id=self.launch_ids[row["launch"]],
            at=self.instant(row, "at"),
            by=self.person(row, "by"),
            old_date=self.day(row, "old"),
            new_date=self.day(row, "new"),
            reason=row["reason"],
            moved_items=sum(1 for i in items if i.get("state") not in ("done", "not_applicable")),
        )

    def make_decision(
        self,
        row: dict[str, Any],
        launches: Sequence[Launch],
        by_launch: dict[int, list[ReadinessItem]],
    ) -> GoNoGo:
        launch = launches[row["launch"]]
        launch_id = self.launch_ids[row["launch"]]
        at = self.instant(row, "at")
        then = launch.original_date or launch.launch_date
        items = shift_open_items(
            by_launch.get(launch_id, []), launch.launch_date, then, self.calendar
        )
        as_then = launch.model_copy(
            update={"id": launch_id, "launch_date": then, "status": "in_progress"}
        )
        day = at.astimezone(self.tz).date() if at else self.today
        horizon = warning_horizon(day, DEMO_WARNING_DAYS, self.calendar)
        return GoNoGo(
            launch_id=launch_id,
            at=at,
            by=self.person(row, "by"),
            decision=row["decision"],
            note=row.get("note", ""),
            snapshot=snapshot(as_then, items, assess(as_then, items, day, horizon)),
        )

    def make_experiment(self, row: dict[str, Any]) -> Experiment:
        return Experiment(
            title=row["title"],
            hypothesis=row.get("hypothesis", ""),
            owner=self.person(row, "owner"),
            team=row.get("team"),
            surface=row.get("surface"),
            audience=row.get("audience"),
            primary_metric=row.get("primary_metric"),
            guardrail_metrics=row.get("guardrail_metrics", []),
            status=row.get("status", "idea"),
            planned_start=self.day(row, "planned_start"),
            planned_end=self.day(row, "planned_end"),
            actual_start=self.day(row, "actual_start"),
            actual_end=self.day(row, "actual_end"),
            result=row.get("result"),
            effect=row.get("effect"),
            decision=row.get("decision"),
            learnings=row.get("learnings", ""),
        )

    def make_feedback(self, row: dict[str, Any]) -> Feedback:
        return Feedback(
            title=row["title"],
            body=row.get("body", ""),
            source=row.get("source", "other"),
            kind=row.get("kind", "request"),
            priority=row.get("priority", 3),
            status=row.get("status", "new"),
            customer_email=row.get("customer_email"),
            company=row.get("company"),
            owner=self.person(row, "owner"),
            launch_id=self.ref(self.launch_ids, row, "launch"),
            tags=row.get("tags", []),
            received_at=self.instant(row, "received"),
            acknowledged_at=self.instant(row, "acknowledged"),
            decided_at=self.instant(row, "decided"),
            loop_closed_at=self.instant(row, "loop_closed"),
            duplicate_of=self.ref(self.feedback_ids, row, "duplicate_of"),
        )

    def make_contact(self, row: dict[str, Any]) -> Contact:
        return Contact(
            name=row.get("name", ""),
            email=row.get("email"),
            company=row.get("company"),
            segment=row.get("segment"),
            role=row.get("role"),
            consent=row.get("consent", "unknown"),
            do_not_contact=bool(row.get("do_not_contact", False)),
            dnc_reason=row.get("dnc_reason"),
            relationship_owner=self.person(row, "relationship_owner"),
            notes=row.get("notes", ""),
        )

    def make_touch(self, row: dict[str, Any]) -> Touch:
        return Touch(
            contact_id=self.contact_ids[row["contact"]],
            by=self.person(row, "by"),
            at=self.instant(row, "at"),
            channel=row.get("channel", "email"),
            purpose=row.get("purpose", "other"),
            status=row.get("status", "planned"),
            follow_up_due=self.day(row, "follow_up"),
            closed_at=self.instant(row, "closed"),
            override_reason=row.get("override_reason"),
            feedback_id=self.ref(self.feedback_ids, row, "feedback"),
            experiment_id=self.ref(self.experiment_ids, row, "experiment"),
            launch_id=self.ref(self.launch_ids, row, "launch"),
        )
