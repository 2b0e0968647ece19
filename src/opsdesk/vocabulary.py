"""The words opsdesk's records are made of: statuses, kinds, purposes, functions.

Kept apart from :mod:`opsdesk.models` so the first screen can name a status or a kind without
loading pydantic, which the models need and which costs a noticeable slice of start-up.
"""

from __future__ import annotations

from enum import StrEnum


class LaunchStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    LAUNCHED = "launched"
    SLIPPED = "slipped"
    CANCELLED = "cancelled"


class ReadinessState(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    NOT_APPLICABLE = "not_applicable"


DEFAULT_FUNCTIONS: tuple[str, ...] = (
    "legal",
    "security",
    "sales",
    "marketing",
    "customer_success",
    "support",
    "docs",
)
"""Readiness functions every install knows; the config may add more."""


class FeedbackKind(StrEnum):
    BUG = "bug"
    REQUEST = "request"
    PRAISE = "praise"
    QUESTION = "question"
    CHURN_RISK = "churn_risk"


class FeedbackStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    PLANNED = "planned"
    DECLINED = "declined"
    DONE = "done"


class Consent(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class TouchPurpose(StrEnum):
    INTERVIEW = "interview"
    SURVEY = "survey"
    USABILITY_TEST = "usability_test"
    BETA_INVITE = "beta_invite"
    FEEDBACK_FOLLOW_UP = "feedback_follow_up"
    LAUNCH_ANNOUNCEMENT = "launch_announcement"
    OTHER = "other"


class TouchStatus(StrEnum):
    PLANNED = "planned"
    SENT = "sent"
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    NO_RESPONSE = "no_response"
    DECLINED = "declined"
    NO_SHOW = "no_show"


class ExperimentStatus(StrEnum):
    IDEA = "idea"
    DESIGNING = "designing"
    RUNNING = "running"
    ANALYZING = "analyzing"
    CONCLUDED = "concluded"
    ABANDONED = "abandoned"


class ExperimentResult(StrEnum):
    WON = "won"
    LOST = "lost"
    FLAT = "flat"
    INCONCLUSIVE = "inconclusive"


class ExperimentDecision(StrEnum):
    SHIP = "ship"
    ITERATE = "iterate"
    ABANDON = "abandon"


def label(value: str) -> str:
    """Turn a stored enum value such as ``churn_risk`` into words for people: 'churn risk'."""
    return value.replace("_", " ")


class GoDecision(StrEnum):
    GO = "go"
    NO_GO = "no_go"
