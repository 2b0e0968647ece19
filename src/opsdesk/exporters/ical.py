"""Launch days, readiness deadlines, experiment windows and follow-ups as an iCalendar file.

A pure transform: records in, RFC 5545 bytes out. Every event is an all-day event (``DATE``
values with the exclusive next-day ``DTEND`` calendar programs expect), so it lands on the
same day in every time zone; the only instant written, ``DTSTAMP``, is in UTC.

Each event's UID names its record (``launch-12.<calendar>@opsdesk``), so importing a newer
export updates the events instead of duplicating them; ``<calendar>`` is a random id of the
database, so two opsdesk databases never claim each other's events. ``SEQUENCE`` comes from
the caller, which raises it when an event's dates change (:attr:`CalendarEvent.fingerprint`).

The content lines are written here rather than by the ``icalendar`` package (so it is not a
dependency): its TEXT escaping (7.3) writes a customer's literal ``\\N`` as ``\\n``, a line
break in every calendar, and building 10,000 events with it takes seconds. What RFC 5545
asks of a writer is small and is all here: CRLF line ends, TEXT escaping (backslash,
semicolon, comma, newline), and folding at 75 octets without splitting a UTF-8 character or
a backslash escape. Tests read the output
back with an independent parser (vobject) and import it into khal.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from opsdesk import __version__
from opsdesk.models import Contact, Experiment, Launch, ReadinessItem, Touch
from opsdesk.rules.risk import readiness_words
from opsdesk.text import visible
from opsdesk.vocabulary import ExperimentStatus, LaunchStatus, label

PRODID = f"-//opsdesk//opsdesk {__version__}//EN"
LINE_OCTETS = 75
"""RFC 5545 3.1: content lines SHOULD NOT be longer than 75 octets, excluding the CRLF."""
CRLF = "\r\n"
UTC_ZONE = ZoneInfo("UTC")

EVENT_KINDS = ("launch", "readiness", "experiment", "readout", "followup")


@dataclass(frozen=True)
class AlarmPolicy:
    """Whether events carry reminders, and the local hour they go off on their day."""

    enabled: bool = True
    hour: int = 9


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event: ``start`` included, ``end`` excluded (the day after the last)."""

    uid: str
    kind: str
    summary: str
    description: str
    start: dt.date
    end: dt.date
    categories: tuple[str, ...] = ()
    alarm_days: int | None = None
    """Remind this many days before ``start`` (None: no reminder)."""
    cancelled: bool = False

    @property
    def fingerprint(self) -> str:
        """What the event's SEQUENCE follows: its dates (and whether it is cancelled)."""
        state = "/cancelled" if self.cancelled else ""
        return f"{self.start.isoformat()}/{self.end.isoformat()}{state}"


# -- RFC 5545 primitives -----------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n?")


def clean_text(text: str | None) -> str:
    """Text as it goes into an event: one newline convention, control characters visible.

    RFC 5545 TEXT may not hold control characters other than tab (and a line break, which
    is escaped), and a calendar shows whatever it is given, so ESC, BEL, bidi overrides and
    the like are swapped for the same visible placeholders the app shows.
    """
    if not text:
        return ""
    if text.isprintable():  # no line break, control, format or separator character
        return text
    return visible(_NEWLINES.sub("\n", text))


def escape_text(text: str) -> str:
    r"""RFC 5545 3.3.11 TEXT escaping: ``\`` ``;`` ``,`` and newlines, backslash first."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character.

    Continuation lines start with one space, which counts towards their 75 octets. A fold is
    also never put between a backslash and the character it escapes: unfolding makes that
    harmless to a conforming reader, but some calendar programs unescape first.
    """
    if len(line) <= LINE_OCTETS and line.isascii():
        return line
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line
    pieces: list[bytes] = []
    start, limit, size = 0, LINE_OCTETS, len(data)
    while size - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back off to its start
            cut -= 1
        slashes = 0
        while cut - slashes - 1 >= start and data[cut - slashes - 1] == 0x5C:
            slashes += 1
        if slashes % 2:  # the last backslash starts an escape: keep it with its character
            cut -= 1
        pieces.append(data[start:cut])
        start, limit = cut, LINE_OCTETS - 1
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def _date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@functools.cache
def trigger(days: int, hour: int) -> str:
    """A VALARM TRIGGER before an all-day event: ``days`` before its day, at ``hour``.

    All-day events start at midnight, so one day before at 09:00 is 15 hours before the
    start (``-PT15H``); on the day itself at 09:00 it is 9 hours after (``PT9H``).
    """
    offset = hour - 24 * days
    if offset == 0:
        return "PT0S"
    sign = "-" if offset < 0 else ""
    return f"{sign}PT{abs(offset)}H"


def _text_line(name: str, value: str) -> str:
    return fold(f"{name}:{escape_text(value)}")


def event_lines(
    event: CalendarEvent, *, sequence: int, stamp: dt.datetime, alarms: AlarmPolicy
) -> list[str]:
    """The content lines of one VEVENT (each already folded)."""
    return _event_lines(event, sequence, _utc(stamp), alarms)


def _event_lines(event: CalendarEvent, sequence: int, stamp: str, alarms: AlarmPolicy) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        fold(f"UID:{event.uid}"),
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{sequence}",
        f"DTSTART;VALUE=DATE:{_date(event.start)}",
        f"DTEND;VALUE=DATE:{_date(event.end)}",
        _text_line("SUMMARY", event.summary),
    ]
    if event.description:
        lines.append(_text_line("DESCRIPTION", event.description))
    if event.categories:
        lines.append(fold("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories)))
    lines.append("TRANSP:TRANSPARENT")
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    if alarms.enabled and event.alarm_days is not None and not event.cancelled:
        lines.extend(
            (
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                _text_line("DESCRIPTION", event.summary),
                f"TRIGGER:{trigger(event.alarm_days, alarms.hour)}",
                "END:VALARM",
            )
        )
    lines.append("END:VEVENT")
    return lines


def render_calendar(
    events: Iterable[CalendarEvent],
    *,
    sequences: Mapping[str, int],
    stamp: dt.datetime,
    alarms: AlarmPolicy,
    name: str = "opsdesk",
) -> bytes:
    """A whole VCALENDAR as UTF-8 bytes with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        fold(f"PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _text_line("X-WR-CALNAME", name),
    ]
    stamp_text = _utc(stamp)
    for event in events:
        lines.extend(_event_lines(event, sequences.get(event.uid, 0), stamp_text, alarms))
    lines.append("END:VCALENDAR")
    return (CRLF.join(lines) + CRLF).encode("utf-8")


# -- records to events -------------------------------------------------------------------------


def uid(kind: str, record_id: int | None, calendar_id: str) -> str:
    """The UID of one record's event: the same in every export of the same database."""
    return f"{kind}-{record_id}.{calendar_id}@opsdesk"


def _day_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


def _lines(*pairs: tuple[str, object]) -> str:
    """'Label: value' lines, leaving out empty values; text values are cleaned."""
    return "\n".join(
        f"{name}: {clean_text(value) if isinstance(value, str) else value}"
        for name, value in pairs
        if value is not None and value != ""
    )


def _with_text(head: str, title: str, text: str | None) -> str:
    if not text or not text.strip():
        return head
    return f"{head}\n\n{title}:\n{clean_text(text)}"


def launch_event(
    launch: Launch,
    calendar_id: str,
    *,
    percent: int | None,
    done: int,
    applicable: int,
    alarm_days: int | None,
) -> CalendarEvent:
    """A launch day, with its owner, tier, status and readiness in the description."""
    title = clean_text(launch.title)
    moved = (
        f" (originally {launch.original_date.isoformat()})"
        if launch.original_date and launch.original_date != launch.launch_date
        else ""
    )
    cancelled = launch.status == LaunchStatus.CANCELLED
    ready = readiness_words(percent, done, applicable, cancelled=cancelled)
    head = _lines(
        ("Launch", launch.title),
        ("Date", f"{launch.launch_date.isoformat()}{moved}"),
        ("Owner", launch.owner or "nobody yet"),
        ("Tier", launch.tier),
        ("Status", label(launch.status.value)),
        ("Audience", launch.audience),
        ("Readiness", ready),
    )
    return CalendarEvent(
        uid=uid("launch", launch.id, calendar_id),
        kind="launch",
        summary=f"Launch: {title}",
        description=_with_text(head, "Summary", launch.summary),
        start=launch.launch_date,
        end=_day_after(launch.launch_date),
        categories=("opsdesk", "launch"),
        alarm_days=alarm_days,
        cancelled=launch.status == LaunchStatus.CANCELLED,
    )


def readiness_event(
    item: ReadinessItem, launch: Launch, calendar_id: str, *, alarm_days: int | None
) -> CalendarEvent:
    """A readiness deadline, naming the launch, the function and the owner."""
    function = label(item.function)
    owner = item.owner or (f"a {item.owner_role}" if item.owner_role else "nobody yet")
    description = _lines(
        ("Launch", f"{launch.title} on {launch.launch_date.isoformat()}"),
        ("Function", function),
        ("Item", item.title),
        ("Owner", owner),
        ("Due", f"{item.due_date.isoformat()} ({item.lead_days} working days before launch)"),
        ("State", label(item.state.value)),
        ("Evidence", item.evidence),
        ("Signed off by", item.signed_off_by),
    )
    return CalendarEvent(
        uid=uid("readiness", item.id, calendar_id),
        kind="readiness",
        summary=(
            f"{function.capitalize()} due: {clean_text(item.title)} · {clean_text(launch.title)}"
        ),
        description=description,
        start=item.due_date,
        end=_day_after(item.due_date),
        categories=("opsdesk", "readiness", item.function),
        alarm_days=alarm_days,
        cancelled=launch.status == LaunchStatus.CANCELLED,
    )


def experiment_window(experiment: Experiment) -> tuple[dt.date, dt.date] | None:
    """The first and last day an experiment runs (actual dates win over planned ones)."""
    start = experiment.actual_start or experiment.planned_start
    if start is None:
        return None
    end = experiment.actual_end or experiment.planned_end
    if end is None or end < start:
        end = start
    return start, end


def experiment_events(
    experiment: Experiment, calendar_id: str, *, alarm_days: int | None
) -> list[CalendarEvent]:
    """An experiment's window (one event spanning its days) and its readout day (the last).

    Experiments without a start date have no window to show; abandoned ones are cancelled.
    """
    window = experiment_window(experiment)
    if window is None:
        return []
    start, end = window
    title = clean_text(experiment.title)
    cancelled = experiment.status == ExperimentStatus.ABANDONED
    head = _lines(
        ("Experiment", experiment.title),
        ("Owner", experiment.owner or "nobody yet"),
        ("Team", experiment.team),
        ("Status", label(experiment.status.value)),
        ("Window", f"{start.isoformat()} to {end.isoformat()}"),
        ("Surface", experiment.surface),
        ("Audience", experiment.audience),
        ("Primary metric", experiment.primary_metric),
        ("Guardrails", ", ".join(experiment.guardrail_metrics)),
    )
    outcome = _lines(
        ("Result", label(experiment.result.value) if experiment.result else None),
        ("Effect", experiment.effect),
        ("Decision", label(experiment.decision.value) if experiment.decision else None),
    )
    window_event = CalendarEvent(
        uid=uid("experiment", experiment.id, calendar_id),
        kind="experiment",
        summary=f"Experiment: {title}",
        description=_with_text(head, "Hypothesis", experiment.hypothesis),
        start=start,
        end=_day_after(end),
        categories=("opsdesk", "experiment"),
        cancelled=cancelled,
    )
    readout_head = head + (f"\n{outcome}" if outcome else "")
    readout = CalendarEvent(
        uid=uid("readout", experiment.id, calendar_id),
        kind="readout",
        summary=f"Readout: {title}",
        description=_with_text(readout_head, "Learnings", experiment.learnings),
        start=end,
        end=_day_after(end),
        categories=("opsdesk", "experiment", "readout"),
        alarm_days=alarm_days,
        cancelled=cancelled,
    )
    return [window_event, readout]


def follow_up_event(
    touch: Touch,
    contact: Contact,
    calendar_id: str,
    *,
    alarm_days: int | None,
    tz: ZoneInfo = UTC_ZONE,
) -> CalendarEvent | None:
    """An open follow-up on the day it is due, naming the contact and who owes it."""
    if touch.follow_up_due is None:
        return None
    who = contact.name or contact.email or f"contact #{contact.id}"
    company = f" ({clean_text(contact.company)})" if contact.company else ""
    purpose = label(touch.purpose.value)
    description = _lines(
        ("Follow up with", f"{who} <{contact.email}>" if contact.email and contact.name else who),
        ("Company", contact.company),
        ("Owner", touch.by),
        ("Purpose", purpose),
        ("Channel", label(touch.channel)),
        ("Status", label(touch.status.value)),
        ("Touched on", touch.at.astimezone(tz).date().isoformat()),
        ("Due", touch.follow_up_due.isoformat()),
    )
    return CalendarEvent(
        uid=uid("followup", touch.id, calendar_id),
        kind="followup",
        summary=f"Follow up: {clean_text(who)}{company} · {purpose}",
        description=description,
        start=touch.follow_up_due,
        end=_day_after(touch.follow_up_due),
        categories=("opsdesk", "follow-up"),
        alarm_days=alarm_days,
    )
