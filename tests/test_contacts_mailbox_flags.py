"""Do-not-contact and research consent belong to the person, not to one record: two records
of one mailbox (a ``+tag`` alias kept as a record of its own, like the demo's two Sven
Olsens) share their flags in a check, a log, a page's statuses, the status filter, the
eligible pool and closing a feedback loop, and the refusal names the record they are on."""

from __future__ import annotations

import datetime as dt

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config, GeneralConfig
from opsdesk.models import Contact
from opsdesk.rules.eligibility import ContactStatus, Rule, evaluate
from opsdesk.services import contacts as service
from opsdesk.services import feedback as inbox
from opsdesk.services.contact_pool import PoolQuery, find_pool, plan_pool
from opsdesk.services.contact_status import count_by_status, refresh_status_tables, statuses_for
from opsdesk.services.desk import Desk
from opsdesk.store import Store
from opsdesk.store.contacts import ContactFilter
from opsdesk.vocabulary import Consent, TouchPurpose

BETA = "Sven.Olsen+beta@Quarry.example"


@pytest.fixture
def desk(store: Store, clock: FrozenClock) -> Desk:
    return Desk(store, Config(general=GeneralConfig(user="Olivia")), clock)


def _pair(desk: Desk, **beta_fields: object) -> tuple[Contact, Contact]:
    """Sven's record and his alias's, the alias written past the service's refusal of a
    mailbox already held (as records kept from before that rule were)."""
    sven = service.create_contact(
        desk, {"name": "Sven Olsen", "email": "sven.olsen@quarry.example", "company": "Quarry"}
    )
    with desk.store.write():
        beta = desk.store.contacts.insert(
            desk.store.contacts.validate(
                {"name": "Sven Olsen", "email": BETA, "company": "Quarry", **beta_fields}
            )
        )
    return sven, beta


def _id(contact: Contact) -> int:
    return int(contact.id or 0)


def _filtered(desk: Desk, status: ContactStatus) -> set[int]:
    refresh_status_tables(desk)
    repo = desk.store.contacts
    where = repo.where(ContactFilter(status=status.value))
    return {_id(row.record) for row in repo.window(where, "name")}


def test_do_not_contact_on_the_alias_refuses_every_record(desk: Desk) -> None:
    sven, beta = _pair(desk, do_not_contact=True, dnc_reason="Unsubscribed from everything.")
    why = f"Do not contact (set on {BETA}): Unsubscribed from everything."
    # A log on Sven's own address, a feedback follow-up (a reply) and a check of either
    # address: the alias's address finds Sven's record, the first of the mailbox.
    with pytest.raises(service.ContactBlocked) as refused:
        service.log_touch(desk, "sven.olsen@quarry.example", "Marcus", "interview")
    assert [r.message for r in refused.value.reasons] == [why]
    with pytest.raises(service.ContactBlocked):
        service.log_touch(desk, "sven.olsen@quarry.example", "Marcus", "feedback_follow_up")
    for email in ("sven.olsen@quarry.example", BETA):
        contact, verdict = service.check(desk, email)
        assert contact is not None and contact.id == sven.id
        assert verdict.status == ContactStatus.DO_NOT_CONTACT
        assert verdict.reasons[0].message == why
    assert desk.store.touches.for_contacts([_id(sven), _id(beta)]) == []
    # An override still records the touch, with the rule it broke.
    touch = service.log_touch(
        desk, "sven.olsen@quarry.example", "Marcus", "survey", override_reason="he called us"
    )
    assert touch.override_rules == Rule.DO_NOT_CONTACT.value


def test_the_pool_and_a_plan_leave_out_both_records(desk: Desk) -> None:
    sven, beta = _pair(desk, do_not_contact=True)
    ana = service.create_contact(
        desk, {"name": "Ana", "email": "ana@quarry.example", "company": "Quarry"}
    )
    picked = [c.id for c in find_pool(desk, PoolQuery(size=10)).contacts]
    assert picked == [ana.id]
    result = plan_pool(desk, [sven, beta, ana], by="Olivia", purpose="interview", day=desk.today())
    assert [t.contact_id for t in result.planned] == [ana.id]
    refused = [(c.id, v.rules) for c, v in result.refused]
    assert refused == [(sven.id, (Rule.DO_NOT_CONTACT,)), (beta.id, (Rule.DO_NOT_CONTACT,))]


def test_a_page_the_filter_and_the_counts_show_both_records_do_not_contact(desk: Desk) -> None:
    sven, beta = _pair(desk, do_not_contact=True)
    verdicts = statuses_for(desk, [sven, beta])
    assert {v.status for v in verdicts.values()} == {ContactStatus.DO_NOT_CONTACT}
    assert _filtered(desk, ContactStatus.DO_NOT_CONTACT) == {_id(sven), _id(beta)}
    assert _filtered(desk, ContactStatus.FREE) == set()
    assert count_by_status(desk)[ContactStatus.DO_NOT_CONTACT] == 2


def test_a_no_to_research_on_any_record_wins(desk: Desk) -> None:
    """Sven said yes on his record and no on the alias: research is refused on both, a reply
    to his feedback is not; do-not-contact on one record beats "no" on the other."""
    sven, beta = _pair(desk, consent=Consent.NO.value)
    service.edit_contact(desk, _id(sven), {"consent": Consent.YES.value})
    verdict = service.eligibility(desk, desk.store.contacts.get(_id(sven)))
    assert verdict.status == ContactStatus.NO_CONSENT
    assert verdict.reasons[0].message == (
        f"Said no to research (set on {BETA}); only replies to their feedback."
    )
    reply = service.eligibility(desk, sven, purpose=TouchPurpose.FEEDBACK_FOLLOW_UP)
    assert reply.allowed
    assert _filtered(desk, ContactStatus.NO_CONSENT) == {_id(sven), _id(beta)}
    assert [c.id for c in find_pool(desk, PoolQuery(size=10)).contacts] == []
    service.edit_contact(desk, _id(sven), {"do_not_contact": True})
    assert _filtered(desk, ContactStatus.DO_NOT_CONTACT) == {_id(sven), _id(beta)}
    assert _filtered(desk, ContactStatus.NO_CONSENT) == set()


def test_the_alias_record_can_be_edited_with_its_own_address(desk: Desk) -> None:
    """The edit form sends the address back unchanged: saving the alias was refused as
    'reaches the same mailbox as Sven Olsen', so it could not even be marked do-not-contact.
    Moving it to another held mailbox is still refused."""
    _sven, beta = _pair(desk)
    edited = service.edit_contact(desk, _id(beta), {"email": BETA, "do_not_contact": True})
    assert edited.do_not_contact
    service.create_contact(desk, {"name": "Ana", "email": "ana@quarry.example"})
    with pytest.raises(service.ContactError, match="same mailbox"):
        service.edit_contact(desk, _id(beta), {"email": "Ana+x@quarry.example"})


def test_closing_a_loop_does_not_tell_the_customer_through_another_record(desk: Desk) -> None:
    sven, _ = _pair(desk, do_not_contact=True, dnc_reason="asked us to stop")
    item = int(inbox.capture(desk, title="SSO", customer_email="sven.olsen@quarry.example").id or 0)
    inbox.triage(desk, [item], status="done")
    result = inbox.close_loop(desk, item)
    assert result.told == []
    assert result.refused == [
        ("sven.olsen@quarry.example", f"Do not contact (set on {BETA}): asked us to stop.")
    ]
    assert desk.store.touches.for_contact(_id(sven)) == []


def test_evaluate_reads_the_flags_of_the_mailbox_s_other_records() -> None:
    """The rule itself: its own flag is named plainly, a mate's with the record it is on."""
    config = Config().contacts
    day = dt.date(2026, 11, 26)
    sven = Contact(id=1, name="Sven", email="sven@q.example")
    beta = Contact(id=2, name="Sven", email="sven+b@q.example", do_not_contact=True)
    assert evaluate(sven, [], None, config, day).allowed
    verdict = evaluate(sven, [], None, config, day, mates=[beta])
    assert [r.message for r in verdict.reasons] == ["Do not contact (set on sven+b@q.example)."]
    own = evaluate(beta, [], None, config, day, mates=[sven])
    assert [r.message for r in own.reasons] == ["Do not contact."]
