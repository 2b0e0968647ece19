"""The records opsdesk keeps, validated on the way in.

Every record that reaches the store passes through one of these pydantic models, so a bad
date, an unknown status or a priority of 7 is refused with a sentence a person understands
(see :func:`describe_validation_error`) before anything is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from opsdesk.rules.dates import as_utc
from opsdesk.vocabulary import (
    Consent,
    ExperimentDecision,
    ExperimentResult,
    ExperimentStatus,
    FeedbackKind,
    FeedbackStatus,
    GoDecision,
    LaunchStatus,
    ReadinessState,
    TouchPurpose,
    TouchStatus,
)

TITLE_LENGTH = 500
"""The longest title or name a record takes, in characters."""

NonEmpty = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_LENGTH)
]
"""A short required text, such as a title or a name."""

LongText = Annotated[str, Field(max_length=5_000_000)]
"""Free text such as a feedback body: any length a person would paste, up to 5 MB."""


class Record(BaseModel):
    """Common settings: strip stray whitespace and refuse fields nobody declared.

    ``defer_build``: a model's validator is built when it is first used, not when this module
    is imported, so start-up pays only for the records the first screen shows.
    """

    model_config = ConfigDict(
        str_strip_whitespace=False,
        extra="forbid",
        validate_assignment=True,
        use_enum_values=False,
        defer_build=True,
    )

    id: int | None = None


class Person(Record):
    """A PM or a stakeholder who signs off readiness."""

    name: NonEmpty
    email: str | None = None
    team: str | None = None
    role: str | None = None

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        return check_email(value)


class ReadinessItem(Record):
    """One function's piece of work a launch needs, due a lead time before the launch."""

    launch_id: int | None = None
    function: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
    title: NonEmpty
    owner: str | None = None
    owner_role: str | None = None
    lead_days: int = Field(default=0, ge=0, le=365)
    due_date: dt.date
    state: ReadinessState = ReadinessState.TODO
    evidence: str | None = None
    signed_off_by: str | None = None
    signed_off_at: dt.datetime | None = None


class Launch(Record):
    """A feature launch and the date everyone is working toward."""

    title: NonEmpty
    summary: LongText = ""
    owner: str | None = None
    tier: int = Field(default=2, ge=1, le=3)
    launch_date: dt.date
    original_date: dt.date | None = None
    status: LaunchStatus = LaunchStatus.PLANNED
    audience: str | None = None


class LaunchSlip(Record):
    """A launch date that moved: from when to when, who moved it, when, and why.

    ``impossible_item_ids`` are the open readiness items whose re-planned due date had
    already passed when the slip was recorded: work that can no longer be done in time.
    """

    launch_id: int
    at: dt.datetime
    by: NonEmpty
    old_date: dt.date
    new_date: dt.date
    reason: NonEmpty
    moved_items: int = Field(default=0, ge=0)
    impossible_item_ids: list[int] = Field(default_factory=list)

    @field_validator("at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime | None:
        return as_utc(value)


class SnapshotItem(BaseModel):
    """One readiness item as it stood when a go/no-go decision was taken."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: int | None = None
    function: str
    title: str
    owner: str | None = None
    due_date: dt.date
    state: ReadinessState
    evidence: str | None = None
    signed_off_by: str | None = None
    signed_off_at: dt.datetime | None = None
    risk: str | None = None
    """Why the item put the launch at risk then (overdue, blocked, not started), if it did."""


class ReadinessSnapshot(BaseModel):
    """A launch's readiness frozen at one moment: what a go/no-go decision was based on."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    launch_date: dt.date
    status: LaunchStatus
    percent: int | None = None
    done: int = 0
    applicable: int = 0
    total: int = 0
    at_risk: bool = False
    risks: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    items: list[SnapshotItem] = Field(default_factory=list)


class GoNoGo(Record):
    """A recorded go/no-go decision for a launch, with the readiness it was based on."""

    launch_id: int
    at: dt.datetime
    by: NonEmpty
    decision: GoDecision
    note: LongText = ""
    snapshot: ReadinessSnapshot

    @field_validator("at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime | None:
        return as_utc(value)


class Feedback(Record):
    """One piece of customer feedback, from any channel."""

    title: NonEmpty
    body: LongText = ""
    source: str = "other"
    kind: FeedbackKind = FeedbackKind.REQUEST
    priority: int = Field(default=3, ge=1, le=4)
    status: FeedbackStatus = FeedbackStatus.NEW
    customer_email: str | None = None
    company: str | None = None
    owner: str | None = None
    launch_id: int | None = None
    tags: list[str] = Field(default_factory=list)
    received_at: dt.datetime
    acknowledged_at: dt.datetime | None = None
    acknowledged_by: str | None = None
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    loop_closed_at: dt.datetime | None = None
    duplicate_of: int | None = None

    @field_validator("customer_email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        return check_email(value)

    @field_validator("source")
    @classmethod
    def _some_source(cls, value: str) -> str:
        """Trimmed, and "other" when blank: an empty source (``--source ''``, an empty CSV
        cell) was stored as one, a choice the filter form could not show."""
        return " ".join(value.split()) or "other"

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, value: list[str]) -> list[str]:
        """Lower case, each once, and one word: "Customer Success" from a CRM's tag list is
        ``customer-success``, so the inbox's ``T`` (words split on spaces) can remove it."""
        cleaned: list[str] = []
        for raw in value:
            tag = "-".join(raw.lower().split())
            if tag and tag not in cleaned:
                cleaned.append(tag)
        return sorted(cleaned)

    @field_validator("received_at", "acknowledged_at", "decided_at", "loop_closed_at")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        return as_utc(value)


class Contact(Record):
    """A customer person the company may reach out to for research."""

    name: str = ""
    email: str | None = None
    company: str | None = None
    segment: str | None = None
    role: str | None = None
    consent: Consent = Consent.UNKNOWN
    do_not_contact: bool = False
    dnc_reason: str | None = None
    relationship_owner: str | None = None
    notes: LongText = ""
    forgotten: bool = False
    merged_into: int | None = None
    """Set when this record was merged into another contact (its ledger moved there)."""

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        return check_email(value)


class Touch(Record):
    """One entry of the contact ledger: somebody reached (or will reach) a contact."""

    contact_id: int
    by: NonEmpty
    at: dt.datetime
    channel: str = "email"
    purpose: TouchPurpose = TouchPurpose.OTHER
    status: TouchStatus = TouchStatus.PLANNED
    follow_up_due: dt.date | None = None
    closed_at: dt.datetime | None = None
    override_reason: str | None = None
    override_by: str | None = None
    """Who chose to break a guardrail with ``override_reason`` (the user, not always ``by``)."""
    override_at: dt.datetime | None = None
    override_rules: str | None = None
    """The rules that were overridden, e.g. 'cooldown, company_cap'."""
    feedback_id: int | None = None
    experiment_id: int | None = None
    launch_id: int | None = None

    @field_validator("at", "closed_at", "override_at")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        return as_utc(value)


class Experiment(Record):
    """A product experiment, from idea to the learning it leaves behind."""

    title: NonEmpty
    hypothesis: LongText = ""
    owner: str | None = None
    team: str | None = None
    surface: str | None = None
    audience: str | None = None
    primary_metric: str | None = None
    guardrail_metrics: list[str] = Field(default_factory=list)
    status: ExperimentStatus = ExperimentStatus.IDEA
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    result: ExperimentResult | None = None
    effect: str | None = None
    decision: ExperimentDecision | None = None
    learnings: LongText = ""

    @field_validator("title", mode="before")
    @classmethod
    def _title_in_words(cls, value: Any) -> Any:
        """Say what is wrong with a title in a sentence, at the form's title field and on the
        CLI's stderr: the length constraints said 'String should have at least 1 character'."""
        if isinstance(value, str):
            length = len(value.strip())
            if length == 0:
                raise ValueError("an experiment needs a title")
            if length > TITLE_LENGTH:
                raise ValueError(  # no '; ': forms split a refusal into fields there
                    f"a title is at most {TITLE_LENGTH} characters (this one has {length:,})"
                )
        return value

    @field_validator("planned_end")
    @classmethod
    def _end_after_start(cls, value: dt.date | None, info: Any) -> dt.date | None:
        start = info.data.get("planned_start")
        if value is not None and start is not None and value < start:
            raise ValueError("the planned end is before the planned start")
        return value


class Change(BaseModel):
    """One line of history: who changed which field of which record, from what to what."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: int | None = None
    batch: str
    at: dt.datetime
    actor: str
    table_name: str
    record_id: int
    field: str
    old: str | None = None
    new: str | None = None


def check_email(value: str | None) -> str | None:
    """Accept an empty value or something shaped like a mailbox; refuse the rest plainly."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    local, at, domain = value.rpartition("@")
    if not at or not local or "." not in domain or " " in value:
        raise ValueError(f"'{value}' is not an email address")
    return value


def plain_problem(problem: Any) -> str:
    """One pydantic problem in the app's words.

    Pydantic's own sentences ('String should have at most 500 characters', 'Input should
    be greater than or equal to 1') reached people as they were, under a form's field and
    on the command line: the wording of a library, not of this app.
    """
    kind = problem.get("type", "")
    limits = problem.get("ctx") or {}
    given = problem.get("input")
    if kind == "string_too_short":
        least = int(limits.get("min_length", 1))
        return "cannot be empty" if least <= 1 else f"needs at least {least:,} characters"
    if kind == "string_too_long":
        most = int(limits.get("max_length", 0))
        size = f" (this one has {len(given):,})" if isinstance(given, str) else ""
        return f"is too long: at most {most:,} characters{size}"
    bounds = {
        "greater_than_equal": ("ge", "or more"),
        "less_than_equal": ("le", "or less"),
        "greater_than": ("gt", "or more", 1),
        "less_than": ("lt", "or less", -1),
    }
    if kind in bounds and isinstance(limits.get(bounds[kind][0]), int):
        name, words, *step = bounds[kind]
        return f"must be {limits[name] + (step[0] if step else 0)} {words}"
    if kind == "missing":
        return "is required"
    message = str(problem.get("msg", "is not valid")).removeprefix("Value error, ")
    return message.replace("Input should be", "must be", 1)


def describe_validation_error(error: ValidationError) -> str:
    """One readable sentence per problem, naming the field: 'priority: must be 1 to 4'."""
    parts: list[str] = []
    for problem in error.errors():
        where = ".".join(str(piece) for piece in problem.get("loc", ())) or "value"
        parts.append(f"{where}: {plain_problem(problem)}")
    return "; ".join(parts)
