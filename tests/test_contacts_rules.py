"""The contact guardrails at their boundaries: cooldowns, rolling windows, company caps,
mailbox aliases, time zones, consent and do-not-contact, and duplicate detection."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opsdesk.config import ContactPolicy
from opsdesk.models import Contact, Touch
from opsdesk.rules.contact_dupes import PersonKey, duplicate_pairs, fold_name
from opsdesk.rules.eligibility import (
    CompanyLedger,
    ContactStatus,
    LedgerTouch,
    Rule,
    day_start,
    evaluate,
    ledger_touch,
    local_day,
)
from opsdesk.rules.mailbox import normalize_mailbox
from opsdesk.vocabulary import Consent

D0 = dt.date(2026, 11, 1)
POLICY = ContactPolicy()
ANA = Contact(id=1, name="Ana Diaz", email="ana@acme.example", company="Acme", consent="yes")


def day(offset: int) -> dt.date:
    return D0 + dt.timedelta(days=offset)


def touch(
    offset: int, contact: int = 1, status: str = "sent", purpose: str = "survey", by: str = "Priya"
) -> LedgerTouch:
    return LedgerTouch(contact, day(offset), by, purpose, status, touch_id=offset + 1000)


def check(
    own: list[LedgerTouch],
    at: int,
    *,
    company: list[LedgerTouch] | None = None,
    contact: Contact = ANA,
    purpose: str = "interview",
    policy: ContactPolicy = POLICY,
):  # type: ignore[no-untyped-def]
    ledger = CompanyLedger(company or [], policy)
    return evaluate(contact, own, ledger, policy, day(at), purpose)


# -- cooldown -----------------------------------------------------------------------------


def test_exactly_thirty_days_after_a_touch_is_free() -> None:
    own = [touch(0)]
    blocked = check(own, 29)
    assert blocked.status == ContactStatus.COOLDOWN
    assert blocked.free_on == day(30)
    (reason,) = blocked.reasons
    assert reason.rule == Rule.COOLDOWN
    assert (reason.by, reason.on, reason.purpose, reason.until) == (
        "Priya",
        day(0),
        "survey",
        day(30),
    )
    assert "Priya" in reason.message and day(30).isoformat() in reason.message
    assert check(own, 30).allowed


def test_same_day_is_in_cooldown() -> None:
    assert not check([touch(0)], 0).allowed


def test_completed_session_has_the_longer_cooldown() -> None:
    own = [touch(0, status="completed", purpose="interview")]
    assert check(own, 89).status == ContactStatus.COOLDOWN
    assert check(own, 89).free_on == day(90)
    assert check(own, 90).allowed
    # A completed survey is not a research session: the ordinary cooldown.
    assert check([touch(0, status="completed", purpose="survey")], 30).allowed


def test_a_planned_touch_blocks_the_days_before_it() -> None:
    own = [touch(40, status="planned", purpose="interview", by="Marcus")]
    assert check(own, 10).allowed  # 30 days before: the new touch's cooldown ends in time
    blocked = check(own, 11)
    assert not blocked.allowed
    (reason,) = blocked.reasons
    assert reason.by == "Marcus" and reason.on == day(40)
    assert reason.until == day(70)
    assert "has a touch on" in reason.message


def test_free_on_follows_a_chain_of_cooldowns() -> None:
    own = [touch(0), touch(25, status="planned")]
    assert check(own, 5).free_on == day(55)


def test_cooldowns_follow_the_policy() -> None:
    policy = ContactPolicy(cooldown_days=7, completed_cooldown_days=14)
    assert check([touch(0)], 7, policy=policy).allowed
    assert not check([touch(0)], 6, policy=policy).allowed


# -- rolling touch cap --------------------------------------------------------------------


def test_three_touches_in_a_rolling_90_days_is_the_cap() -> None:
    policy = ContactPolicy(cooldown_days=0, completed_cooldown_days=0)
    own = [touch(0), touch(10), touch(20)]
    blocked = check(own, 89, policy=policy)
    assert blocked.status == ContactStatus.AT_CAP
    assert blocked.rules == (Rule.TOUCH_CAP,)
    assert blocked.free_on == day(90)
    assert check(own, 90, policy=policy).allowed
    # Before the first of them: the window holding the new touch and all three is 90 days.
    assert not check(own, -69, policy=policy).allowed
    assert check(own, -70, policy=policy).allowed


def test_two_touches_leave_room_for_a_third() -> None:
    policy = ContactPolicy(cooldown_days=0, completed_cooldown_days=0)
    assert check([touch(0), touch(10)], 11, policy=policy).allowed


def test_a_window_can_be_filled_by_future_touches() -> None:
    policy = ContactPolicy(cooldown_days=0, completed_cooldown_days=0)
    own = [touch(50, status="planned"), touch(60, status="planned"), touch(70, status="planned")]
    assert not check(own, -19, policy=policy).allowed  # -19 .. 70 fits in 90 days
    assert check(own, -20, policy=policy).allowed


# -- company cap --------------------------------------------------------------------------


def colleagues(*offsets: int) -> list[LedgerTouch]:
    return [touch(offset, contact=100 + n, by=f"PM{n}") for n, offset in enumerate(offsets)]


def test_five_contacts_at_one_company_in_30_days_is_the_cap() -> None:
    company = colleagues(0, 5, 10, 15, 20)
    blocked = check([], 29, company=company)
    assert blocked.status == ContactStatus.AT_CAP
    (reason,) = blocked.reasons
    assert reason.rule == Rule.COMPANY_CAP
    assert reason.until == day(30)
    assert "Acme" in reason.message and reason.by == "PM4"
    assert check([], 30, company=company).allowed


def test_four_contacts_leave_room() -> None:
    assert check([], 21, company=colleagues(0, 5, 10, 15)).allowed


def test_the_same_colleague_twice_counts_once() -> None:
    company = [*colleagues(0, 5, 10, 15), touch(20, contact=100)]
    assert check([], 21, company=company).allowed


def test_the_contact_itself_does_not_count_towards_its_company() -> None:
    policy = ContactPolicy(cooldown_days=1, completed_cooldown_days=1)
    own = [touch(0, contact=1)]
    company = colleagues(5, 10, 15, 20) + own
    assert check(own, 21, company=company, policy=policy).allowed
    # Somebody else would be the sixth different contact.
    other = Contact(id=2, name="Bo", company="Acme")
    assert not check([], 21, company=company, contact=other, policy=policy).allowed


def test_a_company_window_slides() -> None:
    company = colleagues(0, 5, 10, 15, 40)
    assert check([], 29, company=company).allowed  # no 30-day window holds five
    assert CompanyLedger(company, POLICY).blocks_for(None) == []


# -- flags and purposes --------------------------------------------------------------------


def test_do_not_contact_blocks_everything_even_replies() -> None:
    dnc = ANA.model_copy(update={"do_not_contact": True, "dnc_reason": "Asked in writing."})
    for purpose in ("interview", "feedback_follow_up"):
        verdict = check([], 0, contact=dnc, purpose=purpose)
        assert verdict.status == ContactStatus.DO_NOT_CONTACT
        assert "Asked in writing." in verdict.reasons[0].message
        assert verdict.free_on is None


def test_no_consent_blocks_research_but_not_a_reply() -> None:
    refused = ANA.model_copy(update={"consent": Consent.NO})
    assert check([], 0, contact=refused).status == ContactStatus.NO_CONSENT
    assert check([], 0, contact=refused, purpose="feedback_follow_up").allowed


def test_a_reply_ignores_cooldown_and_caps() -> None:
    assert check([touch(0)], 1, purpose="feedback_follow_up").allowed


def test_the_most_serious_status_wins_and_every_reason_is_listed() -> None:
    dnc = ANA.model_copy(update={"do_not_contact": True, "consent": Consent.NO})
    verdict = check([touch(0)], 1, contact=dnc, company=colleagues(0, 1, 2, 3, 4))
    assert verdict.status == ContactStatus.DO_NOT_CONTACT
    assert set(verdict.rules) == {
        Rule.DO_NOT_CONTACT,
        Rule.NO_CONSENT,
        Rule.COOLDOWN,
        Rule.COMPANY_CAP,
    }


def test_unknown_contact_is_free() -> None:
    assert evaluate(None, [], None, POLICY, D0).allowed


# -- time zones ---------------------------------------------------------------------------


def test_days_are_counted_in_the_users_time_zone() -> None:
    at = dt.datetime(2026, 11, 1, 23, 30, tzinfo=dt.UTC)  # already 2 November in Berlin
    stored = Touch(contact_id=1, by="Priya", at=at, purpose="survey", status="sent")
    utc, berlin = ZoneInfo("UTC"), ZoneInfo("Europe/Berlin")
    assert ledger_touch(stored, utc).day == dt.date(2026, 11, 1)
    assert ledger_touch(stored, berlin).day == dt.date(2026, 11, 2)
    on_dec_1 = dt.date(2026, 12, 1)
    assert evaluate(ANA, [ledger_touch(stored, utc)], None, POLICY, on_dec_1).allowed
    assert not evaluate(ANA, [ledger_touch(stored, berlin)], None, POLICY, on_dec_1).allowed


def test_day_start_and_local_day_agree_across_dst() -> None:
    tz = ZoneInfo("America/New_York")
    for day_ in (dt.date(2026, 3, 8), dt.date(2026, 11, 1), dt.date(2026, 7, 4)):
        start = day_start(day_, tz)
        assert local_day(start, tz) == day_
        assert local_day(start - dt.timedelta(seconds=1), tz) == day_ - dt.timedelta(days=1)


# -- mailboxes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "mailbox"),
    [
        ("Ana.Diaz@Example.com", "ana.diaz@example.com"),
        ("ana.diaz+beta@example.com", "ana.diaz@example.com"),
        ("  ANA.DIAZ+Research+2@EXAMPLE.COM ", "ana.diaz@example.com"),
        ("a+b@c+d.example", "a@c+d.example"),
    ],
)
def test_aliases_reach_one_mailbox(address: str, mailbox: str) -> None:
    assert normalize_mailbox(address) == mailbox


def test_different_local_parts_are_different_mailboxes() -> None:
    assert normalize_mailbox("ana.diaz@example.com") != normalize_mailbox("anadiaz@example.com")


# -- duplicates ---------------------------------------------------------------------------


def key(id_: int, name: str, email: str, company: str | None = "Acme") -> PersonKey:
    return PersonKey(id_, name, email, normalize_mailbox(email), company)


def test_duplicates_by_mailbox_name_and_spelling() -> None:
    people = [
        key(1, "Ana Diaz", "ana@acme.example"),
        key(2, "A. Diaz", "Ana+crm@ACME.example"),
        key(3, "José García", "jose@globex.example", "Globex"),
        key(4, "Jose  Garcia", "j.garcia@globex.example", "Globex"),
        key(5, "Katarzyna Nowak", "kasia@initech.example", "Initech"),
        key(6, "Katarzyna Novak", "k.novak@initech.example", "Initech"),
        key(7, "Katarzyna Nowak", "katarzyna@other.example", "Other"),
        key(8, "Bo Lee", "bo@acme.example"),
    ]
    pairs = {(p.first, p.second): p.reason for p in duplicate_pairs(people)}
    assert pairs[(1, 2)] == "same mailbox"
    assert pairs[(3, 4)].startswith("same name")
    assert pairs[(5, 6)].startswith("similar names")
    assert (5, 7) not in pairs  # same name, different company and domain
    assert not any(8 in pair for pair in pairs)


def test_fold_name_drops_case_accents_and_punctuation() -> None:
    assert fold_name("  Zoë  O'Brien-Müller ") == "zoe o brien muller"


def test_touches_still_to_come_are_named_as_the_next_not_the_last() -> None:
    """Blocked only by planned touches, the reason said 'last touched by … on' a day still
    to come; the rule is unchanged (a planned touch blocks the cooldown before it), the
    wording says it is the next touch."""
    own = [touch(5, by="Marcus", status="planned"), touch(20, by="Priya", status="planned")]
    blocked = check(own, 0)
    assert blocked.status == ContactStatus.COOLDOWN
    message = blocked.reasons[0].message
    assert "last touched" not in message
    assert "next touch by Marcus on 2026-11-06 (survey, planned)" in message
    capped = check([*own, touch(40, by="Lee", status="planned")], 0, policy=ContactPolicy())
    assert all("(last by" not in reason.message for reason in capped.reasons)
    # A touch that has happened is still the last one.
    past = check([touch(-3, by="Ana"), touch(20, by="Priya", status="planned")], 0)
    assert "last touched by Ana on 2026-10-29" in past.reasons[0].message


def test_a_company_cap_of_planned_touches_says_they_are_planned() -> None:
    """Five colleagues' touches planned for next month were said to be 'touched between'
    those days, which read as the past; the cap itself is unchanged."""
    planned = colleagues(20, 21, 22, 23, 24)
    (reason,) = check([], 0, company=planned).reasons
    assert (
        "Company cap: 5 different contacts at Acme have touches planned between" in reason.message
    )
    assert "(next by" in reason.message
    (reason,) = check([], 10, company=colleagues(0, 5, 10, 15, 20)).reasons
    assert "at Acme touched or planned between 2026-11-01 and 2026-11-21" in reason.message
    (reason,) = check([], 29, company=colleagues(0, 5, 10, 15, 20)).reasons
    assert "at Acme touched between 2026-11-01 and 2026-11-21" in reason.message
