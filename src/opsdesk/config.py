"""Settings and policies, read from ``config.toml`` with a documented default for each.

Every policy an ops team argues about (SLA times, contact cooldowns, launch checklists)
lives here rather than in code, so a team can change it without a release. A bad value is
refused with the key that holds it and what is wrong (:class:`ConfigError`).

The settings are plain dataclasses, and pydantic checks a config *file* against them
(:func:`parse_config`). Start-up without a file (the usual case) then never loads pydantic,
which would cost a noticeable slice of the time to the first screen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opsdesk.rules.dates import WorkCalendar
from opsdesk.vocabulary import DEFAULT_FUNCTIONS, FeedbackKind, TouchPurpose

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DEFAULT_USER = "me"
"""The name on changes until the person says who they are (a shared history full of "me"
says nothing, so the app points at :data:`SET_USER_COMMAND` while it is still this)."""

SET_USER_COMMAND = 'opsdesk config set general.user "Your Name"'


class ConfigError(ValueError):
    """The config file cannot be used; the message names the key and the problem."""


class SettingError(ValueError):
    """One setting of a table is out of bounds; ``name`` is the setting's key."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


@dataclass
class Section:
    """A config table. Its keys and types are the dataclass fields; ``LIMITS`` gives the
    whole-number settings their bounds and :meth:`check` any other rule, both run whenever a
    table is made, from a file or in code."""

    __pydantic_config__ = {"extra": "forbid"}  # an unknown key in the file is refused

    LIMITS: ClassVar[dict[str, tuple[int, int | None]]] = {}
    """Setting name to (lowest, highest or None) allowed."""

    def __post_init__(self) -> None:
        for name, (low, high) in self.LIMITS.items():
            value = getattr(self, name)
            if value < low or (high is not None and value > high):
                bounds = f"at least {low}" if high is None else f"{low} to {high}"
                raise SettingError(name, f"must be {bounds}, not {value}")
        self.check()

    def check(self) -> None:
        """Rules beyond types and bounds; raise :class:`SettingError` naming the setting."""


@dataclass
class GeneralConfig(Section):
    """Who is using opsdesk and in which time zone."""

    user: str = DEFAULT_USER
    """Your name as it appears on records you own."""
    timezone: str = "UTC"
    """IANA time zone dates are shown in."""
    theme: str = "textual-dark"
    """The Textual theme to start with."""

    def check(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingError(
                "timezone", f"'{self.timezone}' is not a known IANA time zone"
            ) from None


@dataclass
class CalendarConfig(Section):
    """Which days count as working days for SLAs and readiness lead times."""

    working_days: list[str] = field(default_factory=lambda: list(WEEKDAYS[:5]))
    holidays: list[dt.date] = field(default_factory=list)

    def check(self) -> None:
        cleaned = [day.strip().lower()[:3] for day in self.working_days]
        for day in cleaned:
            if day not in WEEKDAYS:
                raise SettingError(
                    "working_days", f"'{day}' is not a weekday (use mon, tue, ... sun)"
                )
        if not cleaned:
            raise SettingError("working_days", "at least one working day is needed")
        self.working_days = cleaned

    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(WEEKDAYS.index(day) for day in self.working_days)


@dataclass
class SlaTarget(Section):
    """Working days to acknowledge and to decide one kind of feedback at one priority."""

    LIMITS: ClassVar[dict[str, tuple[int, int | None]]] = {
        "acknowledge": (0, 365),
        "decide": (0, 365),
    }

    acknowledge: int
    decide: int


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


@dataclass
class ContactPolicy(Section):
    """Guardrails every PM meets before reaching a customer."""

    LIMITS: ClassVar[dict[str, tuple[int, int | None]]] = {
        "cooldown_days": (0, None),
        "completed_cooldown_days": (0, None),
        "max_touches": (1, None),
        "touch_window_days": (1, None),
        "company_cap": (1, None),
        "company_window_days": (1, None),
    }

    cooldown_days: int = 30
    """Quiet days after any touch."""
    completed_cooldown_days: int = 90
    """Quiet days after a completed research session."""
    max_touches: int = 3
    """Touches allowed in the window."""
    touch_window_days: int = 90
    company_cap: int = 5
    """Different contacts per company."""
    company_window_days: int = 30
    reply_purposes: list[TouchPurpose] = field(
        default_factory=lambda: [TouchPurpose.FEEDBACK_FOLLOW_UP]
    )
    """Purposes that answer the customer: only do-not-contact blocks them (they still count
    towards cooldowns and caps)."""


@dataclass
class TemplateItemConfig(Section):
    """One line of a launch tier's readiness checklist."""

    LIMITS: ClassVar[dict[str, tuple[int, int | None]]] = {"lead_days": (0, 365)}

    function: str
    item: str
    lead_days: int
    owner_role: str | None = None


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


@dataclass
class Blackout(Section):
    """A period no launch should land in, such as a year-end freeze."""

    name: str
    start: dt.date
    end: dt.date


@dataclass
class LaunchPolicy(Section):
    """Launch readiness policy: extra functions, checklists per tier, warnings, blackouts."""

    LIMITS: ClassVar[dict[str, tuple[int, int | None]]] = {"warning_days": (0, None)}

    extra_functions: list[str] = field(default_factory=list)
    warning_days: int = 5
    """Due this soon and not started: risk."""
    tiers: dict[str, list[TemplateItemConfig]] = field(default_factory=_default_tiers)
    blackouts: list[Blackout] = field(default_factory=list)

    def check(self) -> None:
        for key in self.tiers:
            if key not in {"1", "2", "3"}:
                raise SettingError("tiers", f"tier '{key}' is not 1, 2 or 3")

    def functions(self) -> list[str]:
        return [
            *DEFAULT_FUNCTIONS,
            *(f for f in self.extra_functions if f not in DEFAULT_FUNCTIONS),
        ]


@dataclass
class ExperimentPolicy(Section):
    """When two experiments count as colliding, and how many similar past ones to show."""

    LIMITS: ClassVar[dict[str, tuple[int, int | None]]] = {"similar_limit": (1, 50)}

    planned_statuses: list[str] = field(default_factory=lambda: ["idea", "designing"])
    """Not-yet-running statuses whose planned window counts for overlaps."""
    broad_audiences: list[str] = field(default_factory=lambda: ["all", "everyone", "all users"])
    """Audiences that include every other audience when checking overlaps."""
    similar_limit: int = 5
    """Similar past experiments shown when creating one."""

    def check(self) -> None:
        allowed = ("idea", "designing")
        for status in self.planned_statuses:
            if status not in allowed:
                raise SettingError(
                    "planned_statuses",
                    f"'{status}' is not a not-yet-running status (idea, designing)",
                )


@dataclass
class IcalConfig(Section):
    """Reminders added to exported calendar events."""

    LIMITS: ClassVar[dict[str, tuple[int, int | None]]] = {
        "readiness_alarm_days": (0, 60),
        "launch_alarm_days": (0, 60),
        "experiment_alarm_days": (0, 60),
        "followup_alarm_days": (0, 60),
        "alarm_hour": (0, 23),
    }

    readiness_alarm_days: int = 1
    launch_alarm_days: int = 2
    experiment_alarm_days: int = 1
    """Days before an experiment's readout to remind."""
    followup_alarm_days: int = 0
    """Days before a follow-up is due to remind."""
    alarm_hour: int = 9
    """Hour of the day (local) reminders go off."""
    alarms: bool = True
    """Add reminders to exported events at all."""


@dataclass
class Config(Section):
    """The whole configuration. Every field has a default; a missing file means defaults."""

    general: GeneralConfig = field(default_factory=GeneralConfig)
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    sla: dict[str, dict[str, SlaTarget]] = field(default_factory=_default_sla)
    contacts: ContactPolicy = field(default_factory=ContactPolicy)
    launches: LaunchPolicy = field(default_factory=LaunchPolicy)
    ical: IcalConfig = field(default_factory=IcalConfig)
    experiments: ExperimentPolicy = field(default_factory=ExperimentPolicy)
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id to key, e.g. quit = 'ctrl+c'."""

    def check(self) -> None:
        kinds = {kind.value for kind in FeedbackKind}
        for kind, priorities in self.sla.items():
            if kind not in kinds:
                raise SettingError(
                    "sla", f"'{kind}' is not a feedback kind ({', '.join(sorted(kinds))})"
                )
            for priority in priorities:
                if priority not in {"p1", "p2", "p3", "p4"}:
                    raise SettingError(
                        "sla", f"'{priority}' under '{kind}' is not p1, p2, p3 or p4"
                    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.general.timezone)

    def work_calendar(self) -> WorkCalendar:
        """The working days and holidays that SLAs and lead times are counted in."""
        return WorkCalendar(self.calendar.weekday_numbers(), frozenset(self.calendar.holidays))

    def sla_target(self, kind: str, priority: int) -> SlaTarget:
        """The SLA for one kind at one priority. What the file leaves out keeps its default:
        a file with only ``[sla.bug.p1]`` changes bug P1 and nothing else (``opsdesk config
        set sla.bug.p1.decide 4`` writes just that table). A kind with no default uses
        'request'."""
        key = f"p{priority}"
        chosen = self.sla.get(kind, {}).get(key)
        if chosen is not None:
            return chosen
        defaults = _default_sla()
        return (defaults.get(kind) or defaults["request"])[key]


@cache
def _config_adapter() -> TypeAdapter[Config]:
    """pydantic's checker for a whole config, built the first time a file is read."""
    from pydantic import TypeAdapter

    return TypeAdapter(Config)


def parse_config(data: Mapping[str, Any], source: str = "config") -> Config:
    """Check plain data as read from TOML and make the :class:`Config`.

    Types are checked and converted by pydantic (a date string becomes a date); bounds and
    other rules by each table's own checks. Raise :class:`ConfigError` naming the key.
    """
    from pydantic import ValidationError

    try:
        return _config_adapter().validate_python(data)
    except ValidationError as error:
        raise ConfigError(f"{source}: {_explain(error)}") from None


def _explain(error: ValidationError) -> str:
    """The first problem pydantic found, as "'contacts.cooldown_days' must be at least 0"."""
    problem = error.errors()[0]
    where = [str(piece) for piece in problem["loc"]]
    message = str(problem["msg"]).removeprefix("Value error, ")
    cause = problem.get("ctx", {}).get("error")
    if isinstance(cause, SettingError):
        where.append(cause.name)
    if problem["type"] in {"unexpected_keyword_argument", "extra_forbidden"}:
        message = "is not a setting opsdesk knows"
    return f"'{'.'.join(where)}' {message}"


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
    return parse_config(data, str(path))


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a config value")


def effective_values(section: Section) -> dict[str, Any]:
    """A config (or one of its tables) as plain JSON-ready data, for ``opsdesk config``."""
    values: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(section), default=_plain))
    return values


def _is_table(kind: Any) -> bool:
    return dataclasses.is_dataclass(kind) or get_origin(kind) is dict


def _setting_path(key: str) -> tuple[list[str], Any]:
    """Split ``key`` (``contacts.cooldown_days``) into the names of its tables and setting,
    with the setting's type; :class:`ConfigError` for a key that names no single setting.

    A ``[keys]`` binding id holds dots of its own (``keys.app.pane.feedback``): under a table
    of plain values, everything after the table's name is one key.
    """
    unknown = f"'{key}' is not a setting opsdesk knows ('opsdesk config' lists them all)."
    parts = [part.strip() for part in key.split(".")]
    if not all(parts):
        raise ConfigError(unknown)
    names: list[str] = []
    kind: Any = Config
    while parts:
        part = parts.pop(0)
        if dataclasses.is_dataclass(kind):
            fields = {item.name for item in dataclasses.fields(kind)}
            if part not in fields:
                raise ConfigError(unknown)
            kind = get_type_hints(kind)[part]
        elif get_origin(kind) is dict:
            kind = get_args(kind)[1]
            if not _is_table(kind):
                part = ".".join([part, *parts]).strip('"')
                parts = []
        else:
            raise ConfigError(unknown)
        names.append(part)
    if _is_table(kind):
        raise ConfigError(f"'{key}' is a table of settings: name one setting inside it.")
    if get_origin(kind) is list and dataclasses.is_dataclass(get_args(kind)[0]):
        raise ConfigError(f"'{key}' is a list of tables: edit it in the config file itself.")
    return names, kind


def _raw_value(text: str, kind: Any, key: str) -> Any:
    """The value as typed on the command line, before the config's checks convert it: a list
    is comma-separated (``mon,tue``) or a TOML array; anything else stays text for pydantic to
    convert, as it converts the same text read from a file ("45" to 45, "true" to True)."""
    if get_origin(kind) is not list:
        return text
    if text.strip().startswith("["):
        import tomllib

        try:
            return tomllib.loads(f"value = {text}")["value"]
        except tomllib.TOMLDecodeError:
            raise ConfigError(f'\'{key}\': {text} is not a TOML list such as ["a", "b"].') from None
    return [item.strip() for item in text.split(",") if item.strip()]


def _toml_value(value: Any) -> Any:
    """A checked setting as TOML writes it: enums by their value, lists item by item."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_toml_value(item) for item in value]
    return value


def _checked_value(config: Config, names: list[str]) -> Any:
    """The value at ``names`` in a checked config (converted, e.g. "45" to 45)."""
    found: Any = config
    for name in names:
        found = found[name] if isinstance(found, dict) else getattr(found, name)
    return found


def _current_table(config: Config, names: list[str], key: str) -> Section:
    """The table at ``names`` as the effective config has it; an SLA table the file lacks
    is its default (:meth:`Config.sla_target`)."""
    if names[0] == "sla":
        kinds = sorted(kind.value for kind in FeedbackKind)
        if len(names) != 3 or names[1] not in kinds or names[2] not in {"p1", "p2", "p3", "p4"}:
            raise ConfigError(
                f"'{key}' is not a setting opsdesk knows: SLAs are sla.KIND.pN.acknowledge "
                f"or .decide, KIND one of {', '.join(kinds)} and N 1 to 4."
            )
        return config.sla_target(names[1], int(names[2][1:]))
    found: Section = _checked_value(config, names)
    return found


def set_setting(path: Path, key: str, text: str) -> Any:
    """Write one setting into the config file at ``path``, checked by the loader's own rules
    first, and return the value as written.

    The file keeps its comments, order and layout (tomlkit edits it in place); a missing file
    is created 0600 in a 0700 folder, like every private file. A bad key or value raises
    :class:`ConfigError` naming the key, and the file is not touched. A new table that needs
    every one of its settings (``[sla.bug.p1]`` needs ``decide`` beside ``acknowledge``) gets
    the others' current values, so setting one never makes the file unreadable.
    """
    import tomllib

    import tomlkit
    from pydantic import ValidationError

    from opsdesk.paths import write_private

    names, kind = _setting_path(key)
    try:
        original = path.read_text(encoding="utf-8") if path.exists() else ""
        data = tomllib.loads(original)
        document = tomlkit.parse(original)
    except (tomllib.TOMLDecodeError, tomlkit.exceptions.ParseError) as error:
        raise ConfigError(f"{path} is not valid TOML ({error}); fix it by hand first.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} cannot be read: {error}") from None

    table: dict[str, Any] = data
    for depth, name in enumerate(names[:-1]):
        inner = table.setdefault(name, {})
        if not isinstance(inner, dict):
            where = ".".join(names[: depth + 1])
            raise ConfigError(f"'{where}' in {path} is not a table; fix it by hand first.")
        table = inner
    table[names[-1]] = _raw_value(text, kind, key)
    try:
        config = _config_adapter().validate_python(data)
    except ValidationError as error:
        problem = _explain(error)
        if problem.startswith(f"'{'.'.join(names[:-1])}.") and "Field required" in problem:
            # A new table that needs all its settings: fill them from the effective config.
            siblings = _current_table(load_config(path), names[:-1], key)
            table.update({**effective_values(siblings), names[-1]: table[names[-1]]})
            try:
                config = _config_adapter().validate_python(data)
            except ValidationError as again:
                raise ConfigError(f"{_explain(again)}; {path} was not changed.") from None
        else:
            raise ConfigError(f"{problem}; {path} was not changed.") from None
    value = _toml_value(_checked_value(config, names))

    container: Any = document
    for depth, name in enumerate(names[:-1]):
        if name not in container:
            # A parent of a deeper table is written only as its header's prefix: [sla.bug.p1].
            deeper = depth < len(names) - 2
            container[name] = tomlkit.table(is_super_table=deeper)
        container = container[name]
    for name in table:
        if name == names[-1]:
            container[name] = value
        elif name not in container:
            container[name] = _toml_value(_checked_value(config, [*names[:-1], name]))
    updated = document.as_string()
    parse_config(tomllib.loads(updated), str(path))  # what is written reads back
    write_private(path, updated.encode("utf-8"))
    return value


def get_setting(config: Config, key: str) -> Any:
    """The effective value of one setting (defaults included), as ``opsdesk config`` shows it."""
    names, _kind = _setting_path(key)
    if names[0] in {"sla", "keys"}:
        values: Any = effective_values(config)
        for name in names:
            if not isinstance(values, dict) or name not in values:
                raise ConfigError(f"'{key}' is not set, and has no default of its own.")
            values = values[name]
        return values
    return json.loads(json.dumps(_toml_value(_checked_value(config, names)), default=_plain))
