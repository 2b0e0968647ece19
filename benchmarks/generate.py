"""Generate a large, realistic opsdesk database for the benchmarks.

    python benchmarks/generate.py                      # benchmarks/data/large.db, full size
    python benchmarks/generate.py --out /tmp/x.db --feedback 20000 --seed 3

The data is seeded and deterministic: the same arguments (and ``--today``) give the same
rows, ids included. Everything is written through the store's repositories, so it is
validated by the models and indexed (full-text search, tags, history) exactly as the app
would write it, in transactions of ``chunk`` records.

Text is built from word lists per theme, so a full-text search for "invoice", "okta" or
"timeout" finds a realistic fraction of the 100,000 feedback items rather than all or none.
An existing file at the output path is replaced only once the new one is complete.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Generic, TypeVar

from opsdesk.clock import FrozenClock
from opsdesk.config import Config
from opsdesk.models import Contact, Experiment, Feedback, Launch, Person, ReadinessItem, Touch
from opsdesk.rules.dates import WorkCalendar
from opsdesk.rules.readiness import TemplateItem, schedule_readiness
from opsdesk.store import Store
from opsdesk.store.base import Repository
from opsdesk.vocabulary import ReadinessState

DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "large.db"
CHUNK = 5_000
SENTENCE_POOL = 60
"""Distinct sentences made per product area ("invoice", "Okta sign-in", ...) for bodies."""
T = TypeVar("T")
Progress = Callable[[str, int, float], None]
"""Called after each table with its name, the rows written and the seconds it took."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# -- word lists -----------------------------------------------------------------------------

FIRST = _words(
    "Ana Jordan Wei Fatima Liam Sofia Mateo Aaliyah Noah Ingrid Kenji Olivia Arjun Chiara "
    "Diego Emma Farah Gabriel Hana Isaac Jana Kofi Lena Malik Nadia Oscar Pia Quentin Rosa "
    "Stefan Tara Umar Vera William Ximena Yusuf Zoë Amara Bjørn Camila Dmitri Elif Felix "
    "Greta Hiroshi Imani José Katarzyna Luca Mei Nikhil Ola Priyanka Rhys Saoirse Tomás Uma "
    "Valentina Wanjiru Xavier Yara Zain Adaeze Bruno Carmen Dario Esther Finn Gita Hugo Ines "
    "Jamal Kirsten Leila Marco Nour Omar Paula Rafael Sana Theo Ulla Victor Wen Yosef Zara"
)
LAST = _words(
    "Diaz Lee Zhang Hussain O'Brien Rossi García Johnson Müller Larsen Sato Brown Patel "
    "Conti Moreno Schmidt Rahman Silva Kim Cohen Novak Mensah Fischer Bakr Petrova Andersson "
    "Hoffmann Dubois Fernández Kowalski Mwangi Nakamura Okonkwo Quinn Reyes Svensson Tremblay "
    "Ueda Walsh Yilmaz Ahmed Byrne Costa Dlamini Eriksen Fontaine Gupta Haddad Ivanova "
    "Jansen Kaur Lindqvist Mbeki Nilsson Ortiz Park Rao Santos Tanaka Usman Vasquez Weber "
    "Xu Young Zimmermann Abebe Banerjee Castillo Duarte Evans Fujita Grant Horvat"
)
COMPANY_A = _words(
    "Blue North Iron Silver Cedar Copper Granite Harbor Summit Golden Red Green Bright Clear "
    "Swift True Open Quiet Bold Prime Oak Pine Maple Willow Falcon Kestrel Orion Atlas Nova "
    "Lumen Vertex Apex Delta Meridian Polar Coastal Alpine Prairie Urban Sterling Tidewater "
    "Evergreen Ironwood Redwood Bluebird Riverside Lakeside Highland Westfield Eastgate"
)
COMPANY_B = _words(
    "Logistics Health Labs Bank Retail Energy Telecom Insurance Analytics Media Dental Hotels "
    "Foods Motors Pharma Robotics Freight Capital Learning Studio Systems Networks Partners "
    "Construction Outfitters Software Security Travel Brewing Legal"
)
COMPANY_SUFFIX = ("", "", "", " Group", " Inc.", " & Co.", " GmbH", " Ltd", " LLC", " AB")

PM_TEAMS = (
    "Identity & Access",
    "Billing & Monetization",
    "Growth",
    "Core Platform",
    "Mobile",
    "Integrations",
    "Analytics & Reporting",
    "Data & Compliance",
    "Search",
    "Collaboration",
)
ROLE_TEAMS = {
    "counsel": "Legal",
    "security engineer": "Security",
    "sales enablement": "Sales",
    "product marketing": "Marketing",
    "cs lead": "Customer Success",
    "support lead": "Support",
    "tech writer": "Documentation",
}
ROLES = tuple(ROLE_TEAMS)
CONTACT_ROLES = (
    "VP Operations",
    "IT Director",
    "IT Admin",
    "Finance Manager",
    "Head of Data",
    "COO",
    "Founder",
    "Office Manager",
    "Procurement Manager",
    "Security Architect",
    "Team Lead",
    "Program Manager",
    "Director of Analytics",
    "Customer Operations Lead",
    "CIO",
)
SEGMENTS = (("enterprise", 2), ("mid-market", 3), ("smb", 5))

THEMES: dict[str, tuple[str, ...]] = {
    "sso": (
        "SSO login",
        "SAML setup",
        "SCIM provisioning",
        "Okta sign-in",
        "Azure AD login",
        "session timeout",
        "two-factor prompt",
    ),
    "billing": (
        "invoice",
        "usage billing",
        "VAT on invoices",
        "payment page",
        "plan upgrade",
        "credit card update",
        "annual renewal quote",
    ),
    "dark-mode": ("dark mode", "theme switcher", "high-contrast theme", "chart colours"),
    "performance": (
        "dashboard loading",
        "project page",
        "bulk edit",
        "timeline view",
        "large workspace sync",
        "attachment upload",
    ),
    "mobile": (
        "iOS app",
        "Android app",
        "push notification",
        "offline mode",
        "mobile camera upload",
        "tablet layout",
    ),
    "reporting": (
        "report builder",
        "scheduled report",
        "pivot table",
        "chart export",
        "custom field filter",
        "report totals",
    ),
    "api": ("REST API", "webhook", "API pagination", "rate limit", "API token", "GraphQL"),
    "onboarding": (
        "invite email",
        "CSV user import",
        "setup wizard",
        "sample project",
        "sandbox workspace",
    ),
    "integrations": (
        "Slack integration",
        "Salesforce sync",
        "Jira sync",
        "Teams connector",
        "Google Drive picker",
        "Zapier trigger",
    ),
    "permissions": (
        "guest access",
        "custom role",
        "admin console",
        "project permissions",
        "audit role",
        "member directory",
    ),
    "notifications": ("email digest", "notification settings", "unsubscribe link", "mention alert"),
    "search": ("global search", "search filter", "PDF search", "saved search"),
    "export": ("CSV export", "Excel export", "data warehouse export", "PDF export"),
    "compliance": (
        "audit log",
        "data retention",
        "EU data residency",
        "SOC 2 report",
        "GDPR request",
    ),
}
EXTRA_TAGS = (
    "enterprise",
    "accessibility",
    "security",
    "ux",
    "regression",
    "ios",
    "android",
    "quick-win",
    "renewal",
    "beta",
    "api",
    "admin",
    "pricing",
    "latency",
)
FAILS = (
    "fails to load",
    "is very slow",
    "crashes",
    "shows wrong totals",
    "times out",
    "loses unsaved changes",
    "duplicates entries",
    "ignores filters",
    "breaks in Safari",
    "returns a 500 error",
    "shows a blank page",
    "sends duplicate emails",
    "logs users out",
    "freezes the browser",
    "drops accented characters",
)
ASKS = (
    "Add bulk actions to {t}",
    "Allow admins to lock {t}",
    "Support {t} for guests",
    "Export {t} to CSV",
    "Let us schedule {t}",
    "Add an API for {t}",
    "Show history for {t}",
    "Make {t} configurable per team",
    "Add keyboard shortcuts to {t}",
    "Translate {t} into German and French",
)
QUESTIONS = (
    "How do I configure {t}?",
    "Is there a limit on {t}?",
    "Can guests use {t}?",
    "Where is {t} documented?",
    "Does {t} work with our proxy?",
    "Why did {t} change last week?",
)
PRAISES = (
    "Love the new {t}",
    "{T} saved us hours this week",
    "Great job on {t}",
    "{T} is so much better now",
    "Thanks for fixing {t}",
)
CHURN = (
    "Considering {c} because of {t}",
    "Renewal at risk: {t} {f}",
    "Leadership unhappy with {t}",
    "Pilot team wants to drop us over {t}",
)
COMPETITORS = ("Asana", "Monday", "Smartsheet", "Wrike", "ClickUp", "Notion", "Airtable")
SENTENCES = (
    "We have {n} users on the {plan} plan.",
    "This started after the {month} release.",
    "Our {team} team relies on {t} every {period}.",
    "It happens in {browser} on {os}.",
    "Steps: open {t}, click {button}, and it {f}.",
    "Workaround today: {workaround}.",
    "Impact: {impact}.",
    "{c} already does this.",
    "Please prioritise, {urgency}.",
    "Our admin {name} can share a screen recording.",
    "Ticket reference {ref}.",
    "We noticed it while preparing the {event}.",
)
FILL = {
    "plan": ("Starter", "Team", "Business", "Enterprise"),
    "month": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "team": (
        "finance",
        "operations",
        "field service",
        "marketing",
        "engineering",
        "HR",
        "legal",
        "support",
        "sales",
    ),
    "period": ("morning", "week", "month-end", "quarter", "sprint"),
    "browser": ("Chrome", "Firefox", "Safari", "Edge"),
    "os": ("Windows 11", "macOS", "Ubuntu", "iOS 18", "Android 15", "ChromeOS"),
    "button": ("Save", "Export", "Share", "Apply filters", "Invite", "Sync now"),
    "workaround": (
        "we export to Excel and fix it by hand",
        "we refresh twice",
        "an admin does it for everyone",
        "we use a spreadsheet",
        "none, we are blocked",
    ),
    "impact": (
        "40 people blocked for a day",
        "finance cannot close the month",
        "we missed a customer deadline",
        "minor but annoying",
        "the board report was late",
        "auditors raised a finding",
    ),
    "urgency": (
        "our renewal is next month",
        "the CFO is asking",
        "it blocks the rollout",
        "it affects every user",
        "when you can",
    ),
    "event": ("board pack", "quarterly review", "audit", "all-hands demo", "budget"),
}
SOURCES = (
    ("support", 30),
    ("sales", 12),
    ("interview", 8),
    ("survey", 15),
    ("app_store", 8),
    ("community", 12),
    ("email", 15),
)
KINDS = (("bug", 34), ("request", 36), ("question", 14), ("praise", 10), ("churn_risk", 6))
PRIORITY = {
    "bug": ((1, 12), (2, 33), (3, 40), (4, 15)),
    "churn_risk": ((1, 45), (2, 40), (3, 15)),
    "request": ((2, 15), (3, 50), (4, 35)),
    "question": ((2, 10), (3, 45), (4, 45)),
    "praise": ((3, 20), (4, 80)),
}

EXTRA_READINESS: dict[str, tuple[tuple[str, int], ...]] = {
    "legal": (
        ("Privacy impact assessment", 15),
        ("Terms of service update", 12),
        ("Export control check", 8),
        ("Trademark clearance for the feature name", 18),
        ("DPA and sub-processor list update", 14),
    ),
    "security": (
        ("Threat model", 20),
        ("Penetration test", 18),
        ("Dependency and licence scan", 6),
        ("Data classification review", 12),
        ("Abuse and rate-limit review", 8),
    ),
    "sales": (
        ("Battlecard update", 8),
        ("Pricing and packaging FAQ", 9),
        ("Demo environment ready", 6),
        ("Deal desk guidance", 7),
        ("Partner enablement", 11),
    ),
    "marketing": (
        ("Positioning and messaging", 15),
        ("Website feature page", 7),
        ("Customer email announcement", 4),
        ("Social posts", 2),
        ("Analyst briefing", 12),
        ("Launch video", 9),
    ),
    "customer_success": (
        ("Account impact list", 9),
        ("Adoption playbook", 6),
        ("Beta customer references", 12),
        ("QBR talking points", 5),
        ("Health score update", 4),
    ),
    "support": (
        ("Macros and saved replies", 4),
        ("Escalation path agreed", 5),
        ("Known issues list", 2),
        ("Status page component", 3),
        ("Support staffing plan", 6),
    ),
    "docs": (
        ("API reference update", 4),
        ("Help-center article", 3),
        ("In-app help text", 5),
        ("Changelog entry", 1),
        ("Migration guide", 6),
        ("Screenshots refresh", 2),
    ),
}
FUNCTION_ROLE = dict(
    zip(
        ("legal", "security", "sales", "marketing", "customer_success", "support", "docs"),
        ROLES,
        strict=True,
    )
)
TIER_ITEMS = {1: (26, 34), 2: (18, 26), 3: (10, 14)}
"""How many readiness items a launch of each tier gets (the default template plus extras)."""
LAUNCH_WORDS = (
    "Smart",
    "Bulk",
    "Scheduled",
    "Custom",
    "Unified",
    "Self-serve",
    "Real-time",
    "Guided",
    "Secure",
    "Offline",
    "Shared",
    "Automated",
)
SURFACES = (
    "checkout",
    "onboarding",
    "search",
    "pricing-page",
    "dashboard",
    "signup",
    "mobile-home",
    "notifications",
    "settings",
    "reports",
    "inbox",
    "project-page",
    "billing-page",
    "admin-console",
    "help-center",
)
METRICS = (
    "checkout conversion",
    "annual plan share",
    "week-1 activation",
    "signup completion",
    "search success rate",
    "weekly active users",
    "sessions per WAU",
    "trial-to-paid conversion",
    "reports created",
    "notification opt-outs",
    "time to first value",
    "support tickets per account",
    "feature adoption",
    "net revenue retention",
    "expansion revenue",
    "churn rate",
    "NPS",
)
CHANGES = (
    "Shorter form on",
    "New layout for",
    "Social proof on",
    "Personalised",
    "Default annual toggle on",
    "Inline help on",
    "Progress bar in",
    "Simplified",
    "Dark theme for",
    "Recommendations on",
    "Urgency copy on",
    "Video walkthrough in",
)
LEARNINGS = (
    "Customers read the first line only; put the value there.",
    "The effect was concentrated in small teams.",
    "Enterprise admins ignored the change entirely.",
    "Guardrail held; no change in support volume.",
    "Novelty effect faded after the second week.",
    "Mobile users behaved differently from desktop users.",
    "Sample ratio mismatch in week one; fixed and restarted.",
    "Price sensitivity was lower than we assumed.",
    "Copy mattered more than layout.",
    "Qualitative interviews explained the drop better than the dashboard did.",
)
NOTES = (
    "",
    "",
    "",
    "Prefers video calls.",
    "Champion for the renewal.",
    "Power user of reports.",
    "Asked to join mobile betas.",
    "Route invites through the CSM.",
    "Open to usability tests, not surveys.",
    "Runs a customer user group.",
    "Had a billing dispute last quarter.",
)


class Weighted(Generic[T]):
    """Values with weights, with the cumulative weights worked out once (choices is hot)."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


@cache
def _table(pairs: tuple[tuple[Any, float], ...]) -> Weighted[Any]:
    return Weighted(pairs)


def _weighted(rng: random.Random, pairs: tuple[tuple[T, float], ...]) -> T:
    """One value of ``pairs`` (value, weight), picked by weight."""
    picked: T = _table(pairs).pick(rng)
    return picked


def _slug(text: str) -> str:
    keep = [ch for ch in text.lower() if ch.isascii() and (ch.isalnum() or ch in "-.")]
    return "".join(keep) or "x"


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Generator:
    """Builds each table's records from one seeded random source, in dependency order."""

    def __init__(self, store: Store, rng: random.Random, today: dt.date, chunk: int) -> None:
        self.store = store
        self.rng = rng
        self.today = today
        self.chunk = chunk
        self.now = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
        self.calendar = WorkCalendar()
        self.pms: list[str] = []
        self.by_role: dict[str, list[str]] = {}
        self.companies: list[tuple[str, str, str]] = []
        self.company_weights: list[float] = []
        self.company_cumulative: list[float] = []
        self.contacts: list[tuple[str, str]] = []  # (email, company) in id order
        self.contact_ids: list[int] = []
        self.launch_ids: list[int] = []
        self.launch_records: list[Launch] = []
        self.experiment_ids: list[int] = []
        self.feedback_ids: list[int] = []
        self.sentences: dict[str, list[str]] = {}
        self.tiers = Config().launches.tiers

    def write(self, repo: Repository[Any], records: Iterable[Any]) -> list[int]:
        ids: list[int] = []
        for chunk in _chunks(records, self.chunk):
            ids.extend(repo.insert_many(chunk))
        return ids

    def instant(self, days_ago: float) -> dt.datetime:
        """An instant ``days_ago`` days before noon today, at a whole minute."""
        at = self.now - dt.timedelta(days=days_ago)
        return at.replace(second=0, microsecond=0)

    # -- people and companies -------------------------------------------------------------

    def people(self) -> int:
        rng = self.rng
        names = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], 40 + 5 * len(ROLES))
        people = []
        for n, name in enumerate(names[:40]):
            team = PM_TEAMS[n % len(PM_TEAMS)]
            people.append(
                Person(name=name, email=self.staff_email(name), team=team, role="product manager")
            )
            self.pms.append(name)
        for n, name in enumerate(names[40:]):
            role = ROLES[n % len(ROLES)]
            people.append(
                Person(name=name, email=self.staff_email(name), team=ROLE_TEAMS[role], role=role)
            )
            self.by_role.setdefault(role, []).append(name)
        return len(self.write(self.store.people, people))

    @staticmethod
    def staff_email(name: str) -> str:
        first, last = name.split(" ", 1)
        return f"{_slug(first)}.{_slug(last)}@northwind.example"

    def make_companies(self, count: int = 2_000) -> None:
        rng = self.rng
        seen: set[str] = set()
        while len(self.companies) < count:
            name = f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)}{rng.choice(COMPANY_SUFFIX)}"
            if name in seen:
                name = f"{rng.choice(COMPANY_A)} {name}"
                if name in seen:
                    continue
            seen.add(name)
            segment = _weighted(rng, SEGMENTS)
            self.companies.append((name, f"{_slug(name.replace(' ', '-'))}.example", segment))
            # A few big customers hold many contacts and send most feedback.
            self.company_weights.append(1 / (len(self.companies) ** 0.6))

    def company(self) -> tuple[str, str, str]:
        if len(self.company_cumulative) != len(self.companies):
            self.company_cumulative = list(accumulate(self.company_weights))
        return self.rng.choices(self.companies, cum_weights=self.company_cumulative)[0]

    # -- launches and readiness -----------------------------------------------------------

    def launches(self, count: int) -> int:
        rng = self.rng
        records: list[Launch] = []
        for n in range(count):
            theme = rng.choice(list(THEMES))
            thing = rng.choice(THEMES[theme])
            title = f"{rng.choice(LAUNCH_WORDS)} {thing} {('v2', 'GA', 'beta', '')[n % 4]}"
            offset = rng.randint(-365, 180)
            date = self.today + dt.timedelta(days=offset)
            original = None
            if offset < -3:
                status = _weighted(rng, (("launched", 90), ("cancelled", 6), ("slipped", 4)))
            elif offset < 30:
                status = _weighted(
                    rng, (("in_progress", 70), ("slipped", 15), ("planned", 10), ("cancelled", 5))
                )
            else:
                status = _weighted(rng, (("planned", 80), ("slipped", 12), ("cancelled", 8)))
            if status == "slipped":
                original = date - dt.timedelta(days=rng.randint(5, 40))
                if date < self.today:
                    date = self.today + dt.timedelta(days=rng.randint(3, 60))
            records.append(
                Launch(
                    title=title.strip(),
                    summary=f"{thing.capitalize()} for {rng.choice(FILL['team'])} teams: "
                    f"{self.sentence(thing)} {self.sentence(thing)}",
                    owner=rng.choice(self.pms),
                    tier=_weighted(rng, ((1, 30), (2, 45), (3, 25))),
                    launch_date=date,
                    original_date=original,
                    status=status,
                    audience=rng.choice(("all", "enterprise", "mid-market", "smb", "beta")),
                )
            )
        self.launch_ids = self.write(self.store.launches, records)
        self.launch_records = records
        return len(self.launch_ids)

    def readiness_table(self) -> int:
        return len(self.write(self.store.readiness, self.readiness(self.launch_records)))

    def template(self, tier: int) -> list[TemplateItem]:
        rng = self.rng
        base = self.tiers[str(tier)]
        lines = [
            TemplateItem(line.function, line.item, line.owner_role, line.lead_days) for line in base
        ]
        extras = [
            (function, title, lead)
            for function, rows in EXTRA_READINESS.items()
            for title, lead in rows
        ]
        low, high = TIER_ITEMS[tier]
        for function, title, lead in rng.sample(extras, rng.randint(low, high) - len(lines)):
            lines.append(TemplateItem(function, title, FUNCTION_ROLE[function], lead))
        return lines

    def readiness(self, launches: Sequence[Launch]) -> Iterator[ReadinessItem]:
        rng = self.rng
        soon = self.today + dt.timedelta(days=3)
        for launch_id, launch in zip(self.launch_ids, launches, strict=True):
            for item in schedule_readiness(
                launch.launch_date, self.template(launch.tier), self.calendar
            ):
                if launch.status == "launched":
                    state = "done" if rng.random() < 0.95 else "not_applicable"
                elif launch.status == "cancelled":
                    state = "not_applicable" if item.due_date > self.today else "done"
                elif item.due_date < self.today:
                    state = _weighted(
                        rng, (("done", 75), ("in_progress", 12), ("todo", 9), ("blocked", 4))
                    )
                elif item.due_date < soon:
                    state = _weighted(rng, (("done", 30), ("in_progress", 50), ("todo", 20)))
                else:
                    state = _weighted(
                        rng, (("todo", 70), ("in_progress", 22), ("done", 5), ("blocked", 3))
                    )
                owner = rng.choice(self.by_role[item.owner_role or "support lead"])
                update: dict[str, Any] = {
                    "launch_id": launch_id,
                    "owner": owner,
                    "state": ReadinessState(state),
                }
                if state == "done":
                    signed = min(item.due_date, self.today - dt.timedelta(days=1))
                    days_ago = (self.today - signed).days + rng.randint(0, 4) + rng.random()
                    update |= {
                        "evidence": f"Signed off in {item.function.upper()}-"
                        f"{rng.randint(100, 9999)}",
                        "signed_off_by": owner,
                        "signed_off_at": self.instant(days_ago),
                    }
                elif state == "blocked":
                    update["evidence"] = f"Blocked: {rng.choice(FILL['impact'])}"
                yield item.model_copy(update=update)

    # -- experiments ----------------------------------------------------------------------

    def experiments(self, count: int) -> int:
        rng = self.rng
        records = []
        statuses = (
            ("idea", 12),
            ("designing", 10),
            ("running", 10),
            ("analyzing", 8),
            ("concluded", 50),
            ("abandoned", 10),
        )
        for _ in range(count):
            surface = rng.choice(SURFACES)
            metric = rng.choice(METRICS)
            status = _weighted(rng, statuses)
            start = end = actual_start = actual_end = None
            if status == "running":
                actual_start = self.today - dt.timedelta(days=rng.randint(1, 28))
                start, end = actual_start, actual_start + dt.timedelta(days=rng.randint(14, 42))
            elif status in {"analyzing", "concluded", "abandoned"}:
                start = self.today - dt.timedelta(days=rng.randint(20, 700))
                end = start + dt.timedelta(days=rng.randint(14, 42))
                actual_start = start + dt.timedelta(days=rng.randint(0, 3))
                actual_end = min(
                    end + dt.timedelta(days=rng.randint(-2, 5)), self.today - dt.timedelta(days=1)
                )
                if status == "abandoned" and rng.random() < 0.5:
                    actual_start = actual_end = None
            elif status == "designing" or rng.random() < 0.3:
                start = self.today + dt.timedelta(days=rng.randint(3, 90))
                end = start + dt.timedelta(days=rng.randint(14, 42))
            result = decision = effect = None
            learnings = ""
            if status == "concluded":
                result = _weighted(
                    rng, (("won", 30), ("lost", 25), ("flat", 30), ("inconclusive", 15))
                )
                decision = {"won": "ship", "lost": "abandon"}.get(result, "iterate")
                effect = f"{rng.uniform(-6, 9):+.1f}% {metric}"
                learnings = " ".join(rng.sample(LEARNINGS, 2))
            elif status == "abandoned":
                decision = "abandon"
                learnings = rng.choice(LEARNINGS)
            records.append(
                Experiment(
                    title=f"{rng.choice(CHANGES)} {surface.replace('-', ' ')}",
                    hypothesis=f"Changing the {surface} will move {metric} for "
                    f"{rng.choice(FILL['team'])} teams. {self.sentence(surface)}",
                    owner=rng.choice(self.pms),
                    team=rng.choice(PM_TEAMS),
                    surface=surface,
                    audience=rng.choice(("all", "enterprise", "mid-market", "smb", "new users")),
                    primary_metric=metric,
                    guardrail_metrics=rng.sample(
                        [m for m in METRICS if m != metric], rng.randint(0, 3)
                    ),
                    status=status,
                    planned_start=start,
                    planned_end=end,
                    actual_start=actual_start,
                    actual_end=actual_end,
                    result=result,
                    effect=effect,
                    decision=decision,
                    learnings=learnings,
                )
            )
        self.experiment_ids = self.write(self.store.experiments, records)
        return len(self.experiment_ids)

    # -- contacts ---------------------------------------------------------------------------

    def make_contacts(self, count: int) -> Iterator[Contact]:
        rng = self.rng
        for n in range(count):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            company, domain, segment = self.company()
            email = f"{_slug(first)}.{_slug(last)}{n}@{domain}"
            self.contacts.append((email, company))
            dnc = rng.random() < 0.015
            yield Contact(
                name=f"{first} {last}",
                email=email,
                company=company,
                segment=segment,
                role=rng.choice(CONTACT_ROLES),
                consent="no" if dnc else _weighted(rng, (("yes", 55), ("unknown", 35), ("no", 10))),
                do_not_contact=dnc,
                dnc_reason="Asked not to be contacted for research." if dnc else None,
                relationship_owner=rng.choice(self.pms),
                notes=rng.choice(NOTES),
            )

    def contacts_table(self, count: int) -> int:
        self.contact_ids = self.write(self.store.contacts, self.make_contacts(count))
        return len(self.contact_ids)

    # -- feedback ---------------------------------------------------------------------------

    def sentence(self, thing: str) -> str:
        rng = self.rng
        template = rng.choice(SENTENCES)
        values = {
            key: rng.choice(options) for key, options in FILL.items() if "{" + key + "}" in template
        }
        return template.format(
            t=thing,
            f=rng.choice(FAILS),
            c=rng.choice(COMPETITORS),
            n=rng.randint(5, 5000),
            name=rng.choice(FIRST),
            ref=f"SUP-{rng.randint(1000, 99999)}",
            **values,
        )

    def body(self, thing: str) -> str:
        """One to four sentences about ``thing``, drawn from a pool made once per thing."""
        pool = self.sentences.get(thing)
        if pool is None:
            pool = self.sentences[thing] = [self.sentence(thing) for _ in range(SENTENCE_POOL)]
        return " ".join(self.rng.sample(pool, self.rng.randint(1, 4)))

    def title(self, kind: str, thing: str) -> str:
        rng = self.rng
        if kind == "bug":
            return f"{thing[:1].upper()}{thing[1:]} {rng.choice(FAILS)}"
        pattern = {"request": ASKS, "question": QUESTIONS, "praise": PRAISES, "churn_risk": CHURN}[
            kind
        ]
        return rng.choice(pattern).format(
            t=thing,
            T=thing[:1].upper() + thing[1:],
            c=rng.choice(COMPETITORS),
            f=rng.choice(FAILS),
        )

    def make_feedback(self, count: int) -> Iterator[list[Feedback]]:
        """Chunks of feedback; a duplicate points at an item of an earlier, saved chunk."""
        rng = self.rng
        earlier: list[tuple[int, str, list[str], str]] = []  # id, title, tags, kind
        chunk: list[Feedback] = []
        pending: list[tuple[str, list[str], str]] = []
        themes = list(THEMES)
        # Oldest first, so ids grow with time as they do in a real inbox.
        ages = sorted(
            (min(rng.expovariate(1 / 120), 729) + 0.01 for _ in range(count)), reverse=True
        )
        for days_ago in ages:
            received = self.instant(days_ago)
            if earlier and rng.random() < 0.03:
                target_id, title, tags, kind = rng.choice(earlier)
                duplicate_of: int | None = target_id
                theme = tags[0]
            else:
                duplicate_of = None
                theme = rng.choice(themes)
                kind = _weighted(rng, KINDS)
                title = self.title(kind, rng.choice(THEMES[theme]))
                tags = [theme, *rng.sample(EXTRA_TAGS, rng.randint(0, 2))]
            thing = rng.choice(THEMES[theme])
            body = self.body(thing)
            source = _weighted(rng, SOURCES)
            email = company = None
            roll = rng.random()
            if roll < 0.55 and self.contacts:
                email, company = self.contacts[rng.randrange(len(self.contacts))]
            elif roll < 0.8:
                company, domain, _ = self.company()
                email = f"{_slug(rng.choice(FIRST))}.{_slug(rng.choice(LAST))}@{domain}"
            if days_ago < 3:
                status = _weighted(rng, (("new", 70), ("triaged", 30)))
            else:
                status = _weighted(
                    rng,
                    (("new", 5), ("triaged", 30), ("planned", 20), ("declined", 15), ("done", 30)),
                )
            ack = decided = closed = None
            if status != "new":
                ack = min(received + dt.timedelta(hours=rng.uniform(0.3, 72)), self.now)
            if status in {"planned", "declined", "done"} and ack is not None:
                decided = min(ack + dt.timedelta(days=rng.uniform(0.1, 12)), self.now)
            if status == "done" and decided is not None and rng.random() < 0.7:
                closed = min(decided + dt.timedelta(days=rng.uniform(0.1, 5)), self.now)
            chunk.append(
                Feedback(
                    title=title,
                    body=body,
                    source=source,
                    kind=kind,
                    priority=_weighted(rng, PRIORITY[kind]),
                    status=status,
                    customer_email=email,
                    company=company,
                    owner=rng.choice(self.pms) if status != "new" or rng.random() < 0.2 else None,
                    launch_id=(
                        rng.choice(self.launch_ids)
                        if self.launch_ids and status != "new" and rng.random() < 0.1
                        else None
                    ),
                    tags=tags,
                    received_at=received,
                    acknowledged_at=ack,
                    decided_at=decided,
                    loop_closed_at=closed,
                    duplicate_of=duplicate_of,
                )
            )
            pending.append((title, tags, kind))
            if len(chunk) >= self.chunk:
                yield chunk
                earlier.extend(
                    (fid, *meta)
                    for fid, meta in zip(self.feedback_ids[-len(chunk) :], pending, strict=True)
                )
                chunk, pending = [], []
        if chunk:
            yield chunk

    def feedback(self, count: int) -> int:
        for chunk in self.make_feedback(count):
            self.feedback_ids.extend(self.store.feedback.insert_many(chunk))
        return len(self.feedback_ids)

    # -- touches ----------------------------------------------------------------------------

    def make_touches(self, count: int) -> Iterator[Touch]:
        rng = self.rng
        purposes = (
            ("interview", 28),
            ("survey", 20),
            ("usability_test", 14),
            ("beta_invite", 12),
            ("feedback_follow_up", 16),
            ("launch_announcement", 6),
            ("other", 4),
        )
        channels = ("email", "email", "video", "call", "in_app", "slack_connect")
        for days_ago in sorted((rng.uniform(-30, 540) for _ in range(count)), reverse=True):
            at = self.instant(days_ago)
            purpose = _weighted(rng, purposes)
            if at > self.now:
                status = rng.choice(("planned", "scheduled"))
            elif purpose in {"interview", "usability_test"}:
                status = _weighted(
                    rng, (("completed", 65), ("no_show", 12), ("declined", 13), ("no_response", 10))
                )
            else:
                status = _weighted(
                    rng, (("sent", 35), ("completed", 30), ("no_response", 28), ("declined", 7))
                )
            follow_up = closed = None
            if status in {"completed", "sent"} and rng.random() < 0.35:
                follow_up = at.date() + dt.timedelta(days=rng.randint(3, 14))
                if follow_up < self.today and rng.random() < 0.7:
                    closed = min(self.instant(days_ago - rng.uniform(1, 14)), self.now)
            yield Touch(
                contact_id=self.contact_ids[rng.randrange(len(self.contact_ids))],
                by=rng.choice(self.pms),
                at=at,
                channel=rng.choice(channels),
                purpose=purpose,
                status=status,
                follow_up_due=follow_up,
                closed_at=closed,
                override_reason="Customer asked for it." if rng.random() < 0.01 else None,
                feedback_id=(
                    rng.choice(self.feedback_ids)
                    if self.feedback_ids and purpose == "feedback_follow_up"
                    else None
                ),
                experiment_id=(
                    rng.choice(self.experiment_ids)
                    if self.experiment_ids and purpose == "usability_test"
                    else None
                ),
                launch_id=(
                    rng.choice(self.launch_ids)
                    if self.launch_ids and purpose in {"beta_invite", "launch_announcement"}
                    else None
                ),
            )

    def touches(self, count: int) -> int:
        if not self.contact_ids:
            return 0
        return len(self.write(self.store.touches, self.make_touches(count)))


def generate(
    path: Path,
    *,
    feedback: int = 100_000,
    contacts: int = 20_000,
    touches: int = 50_000,
    launches: int = 1_000,
    experiments: int = 2_000,
    seed: int = 7,
    today: dt.date | None = None,
    chunk: int = CHUNK,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write a fresh database at ``path``; return the rows in each table (history included).

    The database is built beside ``path`` and moved into place when complete, replacing any
    file there. ``today`` anchors every date (default: the real today); with the same
    arguments the rows are identical. Records are inserted ``chunk`` at a time, one
    transaction per chunk, through the store's repositories.
    """
    today = today or dt.date.today()
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    _remove_database(partial)
    rng = random.Random(seed)
    clock = FrozenClock(dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC))
    store = Store(partial, clock=clock, actor="benchmark generator")
    try:
        gen = _Generator(store, rng, today, chunk)

        def step(name: str, work: Callable[[], int]) -> int:
            started = time.perf_counter()
            written = work()
            if progress:
                progress(name, written, time.perf_counter() - started)
            return written

        step("people", gen.people)
        gen.make_companies()
        step("launches", lambda: gen.launches(launches))
        step("readiness", gen.readiness_table)
        step("experiments", lambda: gen.experiments(experiments))
        step("contacts", lambda: gen.contacts_table(contacts))
        step("feedback", lambda: gen.feedback(feedback))
        step("touches", lambda: gen.touches(touches))
        step("derived", lambda: _derive(store))
        counts = store.counts()
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        store.close()
        _remove_database(partial)
        raise
    store.close()
    _remove_database(path)
    os.replace(partial, path)
    return counts


def _derive(store: Store) -> int:
    """What the app computes on first open (SLA deadlines, demand, planner statistics), done
    here once so every benchmark opens a database in its everyday state."""
    from opsdesk.services.desk import Desk
    from opsdesk.services.feedback import ensure_sla

    computed = ensure_sla(Desk(store, Config(), store.clock))
    with store.write():
        store.feedback.refresh_demand(store.feedback.survivor_ids())
    return computed


def _remove_database(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        name.unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="database to write")
    parser.add_argument("--feedback", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--touches", type=int, default=50_000)
    parser.add_argument("--launches", type=int, default=1_000)
    parser.add_argument("--experiments", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="anchor date, YYYY-MM-DD (default: today)",
    )
    parser.add_argument("--chunk", type=int, default=CHUNK, help="records per transaction")
    args = parser.parse_args(argv)
    if min(args.feedback, args.contacts, args.touches, args.launches, args.experiments) < 0:
        parser.error("counts cannot be negative")
    if args.chunk < 1:
        parser.error("--chunk must be at least 1")

    def report(name: str, written: int, seconds: float) -> None:
        print(f"  {name:<12} {written:>8,} rows  {seconds:6.2f} s", flush=True)

    print(f"generating {args.out} (seed {args.seed})")
    started = time.perf_counter()
    counts = generate(
        args.out,
        feedback=args.feedback,
        contacts=args.contacts,
        touches=args.touches,
        launches=args.launches,
        experiments=args.experiments,
        seed=args.seed,
        today=args.today,
        chunk=args.chunk,
        progress=report,
    )
    seconds = time.perf_counter() - started
    for table, count in counts.items():
        print(f"{table:<16} {count:>9,}")
    size = args.out.stat().st_size / 1_048_576
    print(f"done in {seconds:.1f} s ({size:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
