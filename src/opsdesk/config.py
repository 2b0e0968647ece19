"""Settings and policies, read from ``config.toml`` with a documented default for each.

Every policy an ops team argues about (SLA times, contact cooldowns, launch checklists)
lives here rather than in code, so a team can change it without a release. A bad value is
refused with the key that holds it and what is wrong (:class:`ConfigError`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from opsdesk.rules.dates import WorkCalendar
from opsdesk.vocabulary import DEFAULT_FUNCTIONS, FeedbackKind, TouchPurpose

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ConfigError(ValueError):
    """The config file cannot be used; the message names the key and the problem."""


class Section(BaseModel):
    """A config table; its validator is built on first use (see ``models.Record``)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class GeneralConfig(Section):
    """Who is using opsdesk and in which time zone."""

    user: str = Field(default="me", description="Your name as it appears on records you own.")
    timezone: str = Field(default="UTC", description="IANA time zone dates are shown in.")
    theme: str = Field(default="textual-dark", description="The Textual theme to start with.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a known IANA time zone") from None
        return value


class CalendarConfig(Section):
    """Which days count as working days for SLAs and readiness lead times."""

    working_days: list[str] = Field(default_factory=lambda: list(WEEKDAYS[:5]))
    holidays: list[dt.date] = Field(default_factory=list)

    @field_validator("working_days")
    @classmethod
    def _weekday_names(cls, value: list[str]) -> list[str]:
        cleaned = [day.strip().lower()[:3] for day in value]
        for day in cleaned:
            if day not in WEEKDAYS:
                raise ValueError(f"'{day}' is not a weekday (use mon, tue, ... sun)")
        if not cleaned:
            raise ValueError("at least one working day is needed")
        return cleaned

    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(WEEKDAYS.index(day) for day in self.working_days)


class SlaTarget(Section):
    """Working days to acknowledge and to decide one kind of feedback at one priority."""

    acknowledge: int = Field(ge=0, le=365)
    decide: int = Field(ge=0, le=365)


def _default_sla() -> dict[str, dict[str, SlaTarget]]:
    """P1 bugs: acknowledge in 1 working day, decide in 3; requests: 2 and 10; and so on."""
    table: dict[str, dict[str, SlaTarget]] = {}
    base = {
        "bug": [(1, 3), (1, 5), (2, 10), (5, 20)],
        "request": [(2, 10), (2, 10), (3, 15), (5, 30)],
        "churn_risk": [(1, 2), (1, 3), (2, 5), (3, 10)],
        "question": [(1, 3), (2, 5), (3, 10), (5, 15)],
        "praise": [(3, 10), (3, 10), (5, 15), (5, 20)],
    }
    for kind, rows in base.items():
        table[kind] = {
            f"p{priority}": SlaTarget(acknowledge=ack, decide=decide)
            for priority, (ack, decide) in enumerate(rows, start=1)
        }
    return table


class ContactPolicy(Section):
    """Guardrails every PM meets before reaching a customer."""

    cooldown_days: int = Field(default=30, ge=0, description="Quiet days after any touch.")
    completed_cooldown_days: int = Field(
        default=90, ge=0, description="Quiet days after a completed research session."
    )
    max_touches: int = Field(default=3, ge=1, description="Touches allowed in the window.")
    touch_window_days: int = Field(default=90, ge=1)
    company_cap: int = Field(default=5, ge=1, description="Different contacts per company.")
    company_window_days: int = Field(default=30, ge=1)
    reply_purposes: list[TouchPurpose] = Field(
        default_factory=lambda: [TouchPurpose.FEEDBACK_FOLLOW_UP],
        description="Purposes that answer the customer: only do-not-contact blocks them "
        "(they still count towards cooldowns and caps).",
    )


class TemplateItemConfig(Section):
    """One line of a launch tier's readiness checklist."""

    function: str
    item: str
    owner_role: str | None = None
    lead_days: int = Field(ge=0, le=365)


def _item(function: str, item: str, role: str, lead: int) -> TemplateItemConfig:
    return TemplateItemConfig(function=function, item=item, owner_role=role, lead_days=lead)


def _default_tiers() -> dict[str, list[TemplateItemConfig]]:
    """Tier 1 is a big launch with long lead times; tier 3 is a quiet one."""
    return {
        "1": [
            _item("legal", "Legal & compliance review", "counsel", 20),
            _item("security", "Security review", "security engineer", 15),
            _item("sales", "Sales talk track and enablement", "sales enablement", 10),
            _item("marketing", "Launch campaign and blog post", "product marketing", 10),
            _item("customer_success", "CSM training", "cs lead", 7),
            _item("support", "Support runbook and macros", "support lead", 5),
            _item("docs", "Public docs and release notes", "tech writer", 3),
        ],
        "2": [
            _item("legal", "Legal review", "counsel", 10),
            _item("security", "Security review", "security engineer", 10),
            _item("marketing", "Release announcement", "product marketing", 5),
            _item("support", "Support runbook", "support lead", 3),
            _item("docs", "Docs update", "tech writer", 2),
        ],
        "3": [
            _item("support", "Support heads-up", "support lead", 2),
            _item("docs", "Release notes entry", "tech writer", 1),
        ],
    }


class Blackout(Section):
    """A period no launch should land in, such as a year-end freeze."""

    name: str
    start: dt.date
    end: dt.date


class LaunchPolicy(Section):
    """Launch readiness policy: extra functions, checklists per tier, warnings, blackouts."""

    extra_functions: list[str] = Field(default_factory=list)
    warning_days: int = Field(default=5, ge=0, description="Due this soon and not started: risk.")
    tiers: dict[str, list[TemplateItemConfig]] = Field(default_factory=_default_tiers)
    blackouts: list[Blackout] = Field(default_factory=list)

    @field_validator("tiers")
    @classmethod
    def _three_tiers(cls, value: dict[str, list[TemplateItemConfig]]) -> dict[str, Any]:
        for key in value:
            if key not in {"1", "2", "3"}:
                raise ValueError(f"tier '{key}' is not 1, 2 or 3")
        return value

    def functions(self) -> list[str]:
        return [
            *DEFAULT_FUNCTIONS,
            *(f for f in self.extra_functions if f not in DEFAULT_FUNCTIONS),
        ]


class ExperimentPolicy(Section):
    """When two experiments count as colliding, and how many similar past ones to show."""

    planned_statuses: list[str] = Field(
        default_factory=lambda: ["idea", "designing"],
        description="Not-yet-running statuses whose planned window counts for overlaps.",
    )
    broad_audiences: list[str] = Field(
        default_factory=lambda: ["all", "everyone", "all users"],
        description="Audiences that include every other audience when checking overlaps.",
    )
    similar_limit: int = Field(
        default=5, ge=1, le=50, description="Similar past experiments shown when creating one."
    )

    @field_validator("planned_statuses")
    @classmethod
    def _known_statuses(cls, value: list[str]) -> list[str]:
        allowed = ("idea", "designing")
        for status in value:
            if status not in allowed:
                raise ValueError(f"'{status}' is not a not-yet-running status (idea, designing)")
        return value


class IcalConfig(Section):
    """Reminders added to exported calendar events."""

    readiness_alarm_days: int = Field(default=1, ge=0, le=60)
    launch_alarm_days: int = Field(default=2, ge=0, le=60)
    experiment_alarm_days: int = Field(
        default=1, ge=0, le=60, description="Days before an experiment's readout to remind."
    )
    followup_alarm_days: int = Field(
        default=0, ge=0, le=60, description="Days before a follow-up is due to remind."
    )
    alarm_hour: int = Field(
        default=9, ge=0, le=23, description="Hour of the day (local) reminders go off."
    )
    alarms: bool = Field(default=True, description="Add reminders to exported events at all.")


class Config(Section):
    """The whole configuration. Every field has a default; a missing file means defaults."""

    general: GeneralConfig = Field(default_factory=GeneralConfig)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    sla: dict[str, dict[str, SlaTarget]] = Field(default_factory=_default_sla)
    contacts: ContactPolicy = Field(default_factory=ContactPolicy)
    launches: LaunchPolicy = Field(default_factory=LaunchPolicy)
    ical: IcalConfig = Field(default_factory=IcalConfig)
    experiments: ExperimentPolicy = Field(default_factory=ExperimentPolicy)
    keys: dict[str, str] = Field(
        default_factory=dict, description="Binding id to key, e.g. quit = 'ctrl+c'."
    )

    @field_validator("sla")
    @classmethod
    def _known_kinds(cls, value: dict[str, dict[str, SlaTarget]]) -> dict[str, Any]:
        kinds = {kind.value for kind in FeedbackKind}
        for kind, priorities in value.items():
            if kind not in kinds:
                raise ValueError(f"'{kind}' is not a feedback kind ({', '.join(sorted(kinds))})")
            for priority in priorities:
                if priority not in {"p1", "p2", "p3", "p4"}:
                    raise ValueError(f"'{priority}' under '{kind}' is not p1, p2, p3 or p4")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.general.timezone)

    def work_calendar(self) -> WorkCalendar:
        """The working days and holidays that SLAs and lead times are counted in."""
        return WorkCalendar(self.calendar.weekday_numbers(), frozenset(self.calendar.holidays))

    def sla_target(self, kind: str, priority: int) -> SlaTarget:
        """The SLA for one kind at one priority; a kind the table lacks uses 'request'."""
        table = self.sla.get(kind) or self.sla.get("request") or _default_sla()["request"]
        return table.get(f"p{priority}") or _default_sla()["request"][f"p{priority}"]


def load_config(path: Path | None) -> Config:
    """Read ``path`` (missing file: all defaults). Raise :class:`ConfigError` naming the key."""
    if path is None or not path.exists():
        return Config()
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} cannot be read: {error}") from None
    try:
        return Config.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        key = ".".join(str(piece) for piece in problem["loc"])
        message = str(problem["msg"]).removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = "is not a setting opsdesk knows"
        raise ConfigError(f"{path}: '{key}' {message}") from None


def effective_values(config: Config) -> dict[str, Any]:
    """The config as plain data, for ``opsdesk config`` to print."""
    return config.model_dump(mode="json")
