"""The contact services on a real store: log, refuse, override, statuses, pool, follow-ups,
duplicates and merge, import, and forgetting down to the raw database bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from opsdesk.clock import FrozenClock
from opsdesk.config import Config, GeneralConfig
from opsdesk.models import Contact, Feedback, Touch
from opsdesk.rules.eligibility import ContactStatus, Rule
from opsdesk.services import contacts as service
from opsdesk.services.contact_dupes import find_duplicates, merge_contacts
from opsdesk.services.contact_forget import forget_contact
from opsdesk.services.contact_import import import_contacts_file
from opsdesk.services.contact_pool import PoolQuery, find_pool, plan_pool
from opsdesk.services.contact_status import count_by_status, refresh_status_tables, statuses_for
from opsdesk.services.desk import Desk
from opsdesk.store import RecordNotFound, Store
from opsdesk.store.contacts import ContactFilter

NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def desk(store: Store, clock: FrozenClock) -> Desk:
    return Desk(store, Config(general=GeneralConfig(user="Olivia")), clock)


def ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def add(desk: Desk, email: str, company: str = "Acme", **fields: object) -> Contact:
    return service.create_contact(
        desk, {"name": email.split("@")[0].title(), "email": email, "company": company, **fields}
    )


# -- logging, refusing, overriding --------------------------------------------------------


def test_log_creates_the_contact_and_a_second_touch_is_refused(desk: Desk) -> None:
    first = service.log_touch(
        desk, "Ana+beta@Acme.example", "Priya", "interview", name="Ana Diaz", company="Acme"
    )
    contact = desk.store.contacts.get(first.contact_id)
    assert (contact.name, contact.email, contact.company) == (
        "Ana Diaz",
        "Ana+beta@Acme.example",
        "Acme",
    )
    assert first.status.value == "sent" and first.override_reason is None
    with pytest.raises(service.ContactBlocked) as refused:
        service.log_touch(desk, "ana@acme.example", "Marcus", "survey")
    (reason,) = refused.value.reasons
    assert reason.rule == Rule.COOLDOWN
    assert (reason.by, reason.on, reason.purpose) == ("Priya", NOW.date(), "interview")
    assert reason.until == NOW.date() + dt.timedelta(days=30)
    assert desk.store.touches.count() == 1  # nothing written


def test_override_keeps_reason_person_time_and_rules(desk: Desk, clock: FrozenClock) -> None:
    service.log_touch(desk, "ana@acme.example", "Priya", "interview")
    clock.advance(dt.timedelta(hours=2))
    touch = service.log_touch(
        desk,
        "ana@acme.example",
        "Marcus",
        "survey",
        override_reason="  Renewal at risk; VP asked.  ",
    )
    assert touch.override_reason == "Renewal at risk; VP asked."
    assert touch.override_by == "Olivia"
    assert touch.override_at == NOW + dt.timedelta(hours=2)
    assert touch.override_rules == "cooldown"
    # A blank reason is no reason.
    with pytest.raises(service.ContactBlocked):
        service.log_touch(desk, "ana@acme.example", "Marcus", "survey", override_reason="  ")


def test_a_later_day_plans_the_touch(desk: Desk) -> None:
    touch = service.log_touch(
        desk, "bo@acme.example", "Priya", "interview", at=NOW + dt.timedelta(days=3)
    )
    assert touch.status.value == "planned"


def test_feedback_follow_up_is_refused_only_for_do_not_contact(desk: Desk) -> None:
    add(desk, "dnc@acme.example", do_not_contact=True, dnc_reason="GDPR objection")
    with pytest.raises(service.ContactBlocked) as refused:
        service.log_touch(desk, "dnc@acme.example", "Priya", "feedback_follow_up", feedback_id=None)
    assert refused.value.reasons[0].rule == Rule.DO_NOT_CONTACT
    service.log_touch(desk, "ana@acme.example", "Priya", "interview")
    reply = service.log_touch(desk, "ana@acme.example", "Priya", "feedback_follow_up")
    assert reply.override_reason is None


def test_bad_input_is_a_clear_error(desk: Desk) -> None:
    with pytest.raises(service.ContactError, match="not an email address"):
        service.log_touch(desk, "not-an-email", "Priya", "interview")
    with pytest.raises(service.ContactError, match="not a purpose"):
        service.log_touch(desk, "a@acme.example", "Priya", "lunch")
    with pytest.raises(service.ContactError, match="same mailbox"):
        add(desk, "a@acme.example")
        add(desk, "A+dup@ACME.example")
    with pytest.raises(service.ContactError, match="cannot be edited"):
        service.edit_contact(desk, 1, {"forgotten": True})


def test_edit_records_history(desk: Desk) -> None:
    contact = add(desk, "a@acme.example")
    service.edit_contact(desk, int(contact.id or 0), {"role": "CIO", "consent": "no"})
    fields = {c.field for c in desk.store.history.for_record("contacts", int(contact.id or 0))}
    assert {"role", "consent"} <= fields


def test_the_check_is_made_on_the_users_day(store: Store, clock: FrozenClock) -> None:
    berlin = Desk(store, Config(general=GeneralConfig(timezone="Europe/Berlin")), clock)
    # 23:30 UTC on 27 Oct is 28 Oct in Berlin: 30 days later is 27 Nov there, not 26 Nov.
    service.log_touch(
        berlin,
        "a@acme.example",
        "Priya",
        "survey",
        at=dt.datetime(2026, 10, 27, 23, 30, tzinfo=dt.UTC),
    )
    _, verdict = service.check(berlin, "a@acme.example")
    assert verdict.free_on == dt.date(2026, 11, 27)
    utc = Desk(store, Config(), clock)
    assert service.check(utc, "a@acme.example")[1].allowed


# -- statuses -----------------------------------------------------------------------------


def seed_statuses(desk: Desk) -> dict[str, int]:
    ids = {}
    ids["free"] = add(desk, "free@solo.example", company="Solo").id
    ids["cool"] = add(desk, "cool@solo.example", company="Solo").id
    ids["dnc"] = add(desk, "dnc@solo.example", company="Solo", do_not_contact=True).id
    ids["nope"] = add(desk, "nope@solo.example", company="Solo", consent="no").id
    service.log_touch(desk, "cool@solo.example", "Priya", "survey", at=ago(3))
    for n in range(5):
        service.log_touch(
            desk, f"p{n}@big.example", "Priya", "survey", at=ago(n + 1), company="Big"
        )
    ids["capped"] = add(desk, "capped@big.example", company="Big").id
    return {k: int(v or 0) for k, v in ids.items()}


def test_list_status_filter_matches_the_rules(desk: Desk) -> None:
    ids = seed_statuses(desk)
    counts = count_by_status(desk)
    assert counts == {
        ContactStatus.FREE: 1,
        ContactStatus.COOLDOWN: 6,
        ContactStatus.AT_CAP: 1,
        ContactStatus.DO_NOT_CONTACT: 1,
        ContactStatus.NO_CONSENT: 1,
    }
    refresh_status_tables(desk)
    repo = desk.store.contacts
    every = [row.record for row in repo.window(repo.where(ContactFilter()), "name", limit=100)]
    verdicts = statuses_for(desk, every)
    for status in ContactStatus:
        where = repo.where(ContactFilter(status=status.value))
        listed = {row.record.id for row in repo.window(where, "name", limit=100)}
        assert listed == {c.id for c in every if verdicts[int(c.id or 0)].status == status}
    assert verdicts[ids["capped"]].status == ContactStatus.AT_CAP
    assert verdicts[ids["cool"]].free_on == NOW.date() + dt.timedelta(days=27)


def test_status_tables_fill_without_holding_the_database(
    tmp_path: Path, clock: FrozenClock
) -> None:
    """The status rows are worked out on one connection (a worker's) and put in another's
    temp tables under one savepoint: no transaction is left open and no write lock taken,
    so another connection writes meanwhile, and the filter lists what the rules say."""
    from opsdesk.services.contact_status import fill_status_tables, work_out_statuses

    with Store(tmp_path / "s.db", clock=clock) as main, main.companion() as worker:
        desk = Desk(main, Config(), clock)
        ids = seed_statuses(desk)
        tables = work_out_statuses(Desk(worker, Config(), clock))
        fill_status_tables(desk, tables)
        assert not main.conn.in_transaction
        worker.conn.execute("BEGIN IMMEDIATE")  # nobody holds the database
        worker.conn.execute("ROLLBACK")
        with main.write():  # inside a transaction the savepoint nests
            fill_status_tables(desk, tables)
        repo = main.contacts
        cool = repo.window(repo.where(ContactFilter(status="cooldown")), "name", limit=100)
        assert ids["cool"] in {row.record.id for row in cool}
        capped = repo.window(repo.where(ContactFilter(status="at_cap")), "name", limit=100)
        assert [row.record.id for row in capped] == [ids["capped"]]


# -- eligible pool ------------------------------------------------------------------------


def test_pool_is_free_spread_across_companies_and_respects_caps(desk: Desk) -> None:
    for company in ("Acme", "Globex", "Initech"):
        for n in range(8):
            add(desk, f"p{n}@{company.lower()}.example", company=company, segment="smb")
    add(desk, "other@acme.example", company="Acme", segment="enterprise")
    service.log_touch(desk, "p0@acme.example", "Priya", "survey", at=ago(2))
    pool = find_pool(desk, PoolQuery(size=12, segment="smb"))
    assert len(pool.contacts) == 12
    companies = [c.company for c in pool.contacts]
    assert companies[:3] == ["Acme", "Globex", "Initech"]  # one each before any second
    # Acme has one contact touched already: only four more fit under its cap of five.
    assert companies.count("Acme") == 4
    assert all(c.segment == "smb" for c in pool.contacts)
    assert all(c.email != "p0@acme.example" for c in pool.contacts)
    result = plan_pool(
        desk, pool.contacts, by="Olivia", purpose="interview", day=NOW.date() + dt.timedelta(days=7)
    )
    assert len(result.planned) == 12 and not result.refused
    assert all(t.status.value == "planned" for t in result.planned)
    # Planning the same people again is refused, contact by contact, with reasons.
    again = plan_pool(desk, pool.contacts[:2], by="Olivia", purpose="survey", day=NOW.date())
    assert not again.planned and len(again.refused) == 2
    assert again.refused[0][1].status in (ContactStatus.COOLDOWN, ContactStatus.AT_CAP)


def _alias_record(desk: Desk, email: str, company: str = "Quarry") -> Contact:
    """A second record of a mailbox already held, as records kept from before new contacts
    were refused one (the demo's two Sven Olsens): written past the service's refusal."""
    with desk.store.write():
        return desk.store.contacts.insert(
            desk.store.contacts.validate({"name": "Sven Olsen", "email": email, "company": company})
        )


def test_records_of_one_mailbox_share_their_guardrails(desk: Desk) -> None:
    """'Sven.Olsen+beta@…' kept as a record of its own is Sven: a touch on either record
    puts both in cooldown, in the list's statuses (a page, the status filter), a check, a
    log and the pool, which planned an interview with both records on one day."""
    sven = add(desk, "sven.olsen@quarry.example", company="Quarry")
    beta = _alias_record(desk, "Sven.Olsen+beta@Quarry.example")
    other = add(desk, "ana@quarry.example", company="Quarry")
    picked = [c.id for c in find_pool(desk, PoolQuery(size=10)).contacts]
    assert sorted(picked) == sorted([sven.id, other.id])  # Sven once, by the first record
    result = plan_pool(desk, [sven, beta, other], by="Olivia", purpose="interview", day=NOW.date())
    assert [t.contact_id for t in result.planned] == [sven.id, other.id]
    assert [(c.id, v.rules) for c, v in result.refused] == [(beta.id, (Rule.COOLDOWN,))]
    verdicts = statuses_for(desk, [beta])
    assert verdicts[int(beta.id or 0)].status == ContactStatus.COOLDOWN
    assert service.eligibility(desk, beta).status == ContactStatus.COOLDOWN
    with pytest.raises(service.ContactBlocked):
        service.add_touch(desk, int(beta.id or 0), "Marcus", "survey")
    refresh_status_tables(desk)
    repo = desk.store.contacts
    cooling = repo.where(ContactFilter(status=ContactStatus.COOLDOWN.value))
    assert {row.record.id for row in repo.window(cooling, "name")} == {sven.id, beta.id, other.id}
    assert sven.id not in {c.id for c in find_pool(desk, PoolQuery(size=10)).contacts}
    assert beta.id not in {c.id for c in find_pool(desk, PoolQuery(size=10)).contacts}


def test_pool_filters_by_role_company_and_text(desk: Desk) -> None:
    add(desk, "cio@acme.example", role="CIO", notes="Loves dashboards")
    add(desk, "ops@acme.example", role="Ops lead")
    add(desk, "cio@globex.example", company="Globex", role="CIO")
    assert {c.email for c in find_pool(desk, PoolQuery(role="cio")).contacts} == {
        "cio@acme.example",
        "cio@globex.example",
    }
    assert [c.email for c in find_pool(desk, PoolQuery(company="Globex")).contacts] == [
        "cio@globex.example"
    ]
    assert [c.email for c in find_pool(desk, PoolQuery(text="dashboards")).contacts] == [
        "cio@acme.example"
    ]


def test_company_filters_take_the_name_as_typed(desk: Desk) -> None:
    """The segment matched in any case but the company only as stored: 'globex' (or
    'Globex ') found nobody, in the pool and in ``contacts list --company``."""
    add(desk, "cio@globex.example", company="Globex", role="CIO")
    add(desk, "ops@globex.example", company="GLOBEX", role="Ops")
    add(desk, "cio@acme.example", role="CIO")
    for typed in ("globex", " Globex ", "GLOBEX"):
        found = {c.email for c in find_pool(desk, PoolQuery(company=typed)).contacts}
        assert found == {"cio@globex.example", "ops@globex.example"}, typed
    repo = desk.store.contacts
    assert repo.count(repo.where(ContactFilter(company="globex"))) == 2
    assert repo.count(repo.where(ContactFilter(company="Globe"))) == 0
    add(desk, "pm@otsuka.example", company="Ōtsuka Ärzte")  # beyond ASCII: casefolded
    assert repo.count(repo.where(ContactFilter(company=" ōtsuka ärzte"))) == 1


def test_segments_in_use_are_listed_once_each(desk: Desk) -> None:
    add(desk, "a@acme.example", segment="Enterprise")
    add(desk, "b@acme.example", segment="enterprise")
    add(desk, "c@acme.example", segment="smb")
    add(desk, "d@acme.example")
    assert desk.store.contacts.segments() == ["Enterprise", "smb"]


def test_plan_pool_counts_its_own_touches_for_the_company_cap(desk: Desk) -> None:
    people = [add(desk, f"p{n}@acme.example") for n in range(7)]
    result = plan_pool(desk, people, by="Olivia", purpose="interview", day=NOW.date())
    assert len(result.planned) == 5
    assert [verdict.rules for _, verdict in result.refused] == [(Rule.COMPANY_CAP,)] * 2


def test_a_company_in_another_case_is_the_same_company_for_the_cap(
    desk: Desk, tmp_path: Path
) -> None:
    """'acme' typed for a new contact is stored as the 'Acme' already known, so the company
    cap (five different contacts in 30 days) cannot be stepped around by a spelling: by
    logging, by the form, by an edit or by an import."""
    people = [add(desk, f"p{n}@acme.example") for n in range(4)]
    plan_pool(desk, people, by="Olivia", purpose="interview", day=NOW.date())
    service.log_touch(desk, "p4@acme.example", "Olivia", "interview", company="ACME")
    assert service.find_contact(desk, "p4@acme.example").company == "Acme"  # type: ignore[union-attr]
    sixth = add(desk, "p5@acme.example", company=" acme ")
    assert sixth.company == "Acme"
    _, verdict = service.check(desk, "p5@acme.example", day=NOW.date())
    assert Rule.COMPANY_CAP in [reason.rule for reason in verdict.reasons]
    other = add(desk, "zed@initech.example", company="Initech")
    assert service.edit_contact(desk, int(other.id or 0), {"company": "aCmE"}).company == "Acme"
    import_contacts_file(desk, write(tmp_path, "email,company\nnew@acme.example,ACME\n"))
    assert service.find_contact(desk, "new@acme.example").company == "Acme"  # type: ignore[union-attr]
    # a new company keeps its own spelling, and the next row in the import follows it
    import_contacts_file(
        desk, write(tmp_path, "email,company\na@globex.example,GloBex\nb@globex.example,globex\n")
    )
    assert {
        c.company for c in (service.find_contact(desk, f"{n}@globex.example") for n in "ab")
    } == {  # type: ignore[union-attr]
        "GloBex"
    }


# -- follow-ups ---------------------------------------------------------------------------


def test_follow_ups_are_open_threads_overdue_first(desk: Desk) -> None:
    late = service.log_touch(
        desk,
        "a@acme.example",
        "Priya",
        "interview",
        at=ago(20),
        follow_up_due=NOW.date() - dt.timedelta(days=5),
    )
    soon = service.log_touch(
        desk,
        "b@globex.example",
        "Priya",
        "interview",
        at=ago(2),
        follow_up_due=NOW.date() + dt.timedelta(days=2),
    )
    service.log_touch(desk, "c@initech.example", "Priya", "survey", at=ago(2))
    repo = desk.store.touches
    rows = repo.window(repo.open_follow_ups(), "follow_up", extra_columns=repo.follow_up_columns())
    assert [r.record.id for r in rows] == [late.id, soon.id]
    assert rows[0].extra["contact_email"] == "a@acme.example"
    service.close_follow_up(desk, int(late.id or 0))
    assert [r.record.id for r in repo.window(repo.open_follow_ups(), "follow_up")] == [soon.id]


def test_a_follow_up_due_before_its_touch_is_refused(desk: Desk) -> None:
    """It would be overdue the moment it is logged: a typo for a later day."""
    with pytest.raises(service.ContactError, match="due before the touch itself"):
        service.log_touch(
            desk,
            "a@acme.example",
            "Priya",
            "interview",
            follow_up_due=NOW.date() - dt.timedelta(days=1),
        )
    assert desk.store.touches.count() == 0
    same_day = service.log_touch(
        desk, "a@acme.example", "Priya", "interview", follow_up_due=NOW.date()
    )
    assert same_day.follow_up_due == NOW.date()


# -- duplicates and merge -----------------------------------------------------------------


def test_merge_moves_the_ledger_and_keeps_history(desk: Desk) -> None:
    keep = add(desk, "ana.diaz@acme.example", name="Ana Diaz", consent="yes")
    drop = add(desk, "adiaz@acme.example", name="Ana Díaz", role="CIO", notes="Prefers calls.")
    old = service.log_touch(desk, "adiaz@acme.example", "Priya", "interview", at=ago(60))
    service.edit_contact(desk, int(drop.id or 0), {"consent": "no"})
    matches = find_duplicates(desk)
    assert [(m.first.id, m.second.id) for m in matches] == [(keep.id, drop.id)]
    merged = merge_contacts(desk, int(keep.id or 0), int(drop.id or 0))
    assert merged.role == "CIO" and merged.consent.value == "no"  # the stricter consent
    assert "Prefers calls." in merged.notes
    assert desk.store.touches.get(int(old.id or 0)).contact_id == keep.id
    assert desk.store.contacts.get(int(drop.id or 0)).merged_into == keep.id
    # The old address finds the merged contact and its whole ledger.
    found = service.find_contact(desk, "ADiaz+x@acme.example")
    assert found is not None and found.id == keep.id
    assert not find_duplicates(desk)
    history = desk.store.history.for_record("touches", int(old.id or 0))
    assert any(c.field == "contact_id" for c in history)
    assert desk.store.history.for_record("contacts", int(drop.id or 0))  # nothing lost
    with pytest.raises(service.ContactError):
        merge_contacts(desk, int(keep.id or 0), int(drop.id or 0))


# -- import -------------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "crm.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_matches_on_mailbox_and_reports(desk: Desk, tmp_path: Path) -> None:
    add(desk, "ana@acme.example", name="Ana", role="CIO")
    add(desk, "bo@acme.example", name="Bo")
    csv_file = write(
        tmp_path,
        "First Name,Last Name,Email Address,Account Name,Job Title,Email Opt Out,Shoe size\n"
        "Ana,,ANA+crm@acme.example,Acme,CTO,no,38\n"
        "Bo,,bo@acme.example,Acme,,false,44\n"
        "Cy,Young,cy@globex.example,Globex,VP,yes,41\n",
    )
    report = import_contacts_file(desk, csv_file)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert report.ignored_columns == ["Shoe size"]
    ana = service.find_contact(desk, "ana@acme.example")
    assert ana is not None and ana.role == "CTO" and ana.email == "ana@acme.example"
    cy = service.find_contact(desk, "cy@globex.example")
    assert cy is not None and cy.name == "Cy Young" and cy.do_not_contact


def test_import_is_all_or_nothing(desk: Desk, tmp_path: Path) -> None:
    before = desk.store.contacts.count()
    bad = write(
        tmp_path,
        "email,name,consent\nok@acme.example,Ok,yes\nnot-an-email,X,\nz@acme.example,Z,maybe\n",
    )
    with pytest.raises(service.ContactError) as refused:
        import_contacts_file(desk, bad)
    assert "line 3" in str(refused.value) and "line 4" in str(refused.value)
    assert desk.store.contacts.count() == before
    with pytest.raises(service.ContactError, match="no email column"):
        import_contacts_file(desk, write(tmp_path, "name,company\nA,B\n"))


def test_import_never_lifts_do_not_contact(desk: Desk, tmp_path: Path) -> None:
    """A CRM that writes 'Email Opt Out: false' for everyone must not make someone who
    asked not to be contacted reachable again; it may still set do-not-contact."""
    add(desk, "zoe@bluepeak.example", name="Zoe", do_not_contact=True, dnc_reason="Asked us")
    add(desk, "ana@acme.example", name="Ana")
    crm = write(
        tmp_path,
        "Email Address,Email Opt Out,Job Title\n"
        "zoe@bluepeak.example,false,CTO\n"
        "ana@acme.example,true,\n",
    )
    report = import_contacts_file(desk, crm)
    assert (report.updated, report.kept_do_not_contact) == (2, 1)
    zoe = service.find_contact(desk, "zoe@bluepeak.example")
    assert zoe is not None and zoe.do_not_contact and zoe.dnc_reason == "Asked us"
    assert zoe.role == "CTO", "the row's other cells still apply"
    ana = service.find_contact(desk, "ana@acme.example")
    assert ana is not None and ana.do_not_contact


def test_import_refuses_a_mailbox_twice_and_a_file_with_no_rows(desk: Desk, tmp_path: Path) -> None:
    twice = write(tmp_path, "email,name\nana@acme.example,Ana\nANA+crm@acme.example,Ana B\n")
    with pytest.raises(service.ContactError, match="same mailbox as line 2") as refused:
        import_contacts_file(desk, twice)
    assert "line 3" in str(refused.value)
    assert desk.store.contacts.count() == 0
    with pytest.raises(service.ContactError, match="no contact rows"):
        import_contacts_file(desk, write(tmp_path, "email\n"))


# -- forget -------------------------------------------------------------------------------


SECRET = "Zelda.Quokka+beta@Hyrule-Example.com"


def test_forget_erases_everywhere_and_the_raw_bytes_hold_no_trace(
    file_store: Store, clock: FrozenClock
) -> None:
    desk = Desk(file_store, Config(), clock)
    keep = add(
        desk,
        SECRET,
        company="Hyrule",
        name="Zelda Quokka",
        role="Princess",
        notes="Call her at home",
    )
    service.edit_contact(
        desk, int(keep.id or 0), {"notes": "Reach Zelda.Quokka@hyrule-example.com"}
    )
    alias = add(desk, "zq@hyrule-example.com", company="Hyrule", name="Zelda Q.")
    merge_contacts(desk, int(keep.id or 0), int(alias.id or 0))
    service.log_touch(desk, SECRET, "Priya", "interview", at=ago(10))
    service.log_touch(desk, SECRET, "Priya", "survey", override_reason="Zelda asked for it")
    file_store.feedback.insert(
        Feedback(
            title="Export broken",
            body=f"Signed, {SECRET.lower()} (reply please)",
            customer_email="zelda.quokka@hyrule-example.com",
            received_at=ago(5),
        )
    )
    for n in range(4):
        service.log_touch(
            desk, f"p{n}@hyrule-example.com", "Priya", "survey", at=ago(n + 1), company="Hyrule"
        )
    file_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(file_store.path)
    assert b"zelda.quokka" in path.read_bytes().lower()

    report = forget_contact(desk, email="ZELDA.QUOKKA@hyrule-example.com")

    assert sorted(report.contact_ids) == sorted([keep.id, alias.id])
    assert report.touches_kept == 2 and report.file.clean
    placeholder = file_store.contacts.get(int(keep.id or 0))
    assert placeholder.forgotten and placeholder.email is None and placeholder.company == "Hyrule"
    assert service.find_contact(desk, SECRET) is None
    item = file_store.feedback.get(1)
    assert item.customer_email is None and "zelda" not in item.body.lower()
    assert (
        file_store.conn.execute(
            "SELECT count(*) FROM contacts_fts "
            "WHERE contacts_fts MATCH 'quokka OR zelda OR princess'"
        ).fetchone()[0]
        == 0
    )
    # The placeholder's touches still count: a sixth Hyrule contact hits the company cap.
    _, verdict = service.check(desk, "new@hyrule-example.com", purpose="interview")
    assert verdict.allowed  # unknown address: free
    add(desk, "new@hyrule-example.com", company="Hyrule")
    assert service.check(desk, "new@hyrule-example.com")[1].rules == (Rule.COMPANY_CAP,)
    # The raw bytes of the database, its -wal and -shm hold no trace of the address or name.
    file_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("", "-wal", "-shm"):
        raw = Path(f"{path}{suffix}")
        data = raw.read_bytes().lower() if raw.exists() else b""
        for needle in (b"zelda.quokka", b"zq@hyrule", b"call her at home", b"zelda asked"):
            assert needle not in data, (suffix, needle)


def test_forget_an_unknown_address_is_refused(desk: Desk) -> None:
    with pytest.raises(service.ContactError, match="no contact"):
        forget_contact(desk, email="ghost@nowhere.example")


def test_touch_model_round_trips_override_fields(store: Store) -> None:
    contact = store.contacts.insert(Contact(name="A", email="a@b.example"))
    saved = store.touches.insert(
        Touch(
            contact_id=int(contact.id or 0),
            by="P",
            at=NOW,
            override_reason="why",
            override_by="me",
            override_at=NOW,
            override_rules="cooldown",
        )
    )
    again = store.touches.get(int(saved.id or 0))
    assert (again.override_by, again.override_at, again.override_rules) == ("me", NOW, "cooldown")
    assert again.at.tzinfo is not None and ZoneInfo("UTC")


# -- undo ---------------------------------------------------------------------------------


def test_undo_takes_back_do_not_contact_then_the_change_before(desk: Desk) -> None:
    """Each undo reverses the newest change not yet undone, says which, and a contact in
    the undone state is eligible again; before the session's start nothing is reached."""
    from opsdesk.services.contact_undo import undo_last

    ana = add(desk, "ana@acme.example", name="Ana Diaz")
    session = desk.store.history.newest_id()
    contact_id = int(ana.id or 0)
    service.edit_contact(desk, contact_id, {"consent": "yes"})
    service.edit_contact(desk, contact_id, {"do_not_contact": True, "dnc_reason": "asked"})
    assert not service.check(desk, "ana@acme.example")[1].allowed
    said = undo_last(desk, after=session)
    assert said == "undid do-not-contact, do-not-contact reason on Ana Diaz"
    after = desk.store.contacts.get(contact_id)
    assert (after.do_not_contact, after.dnc_reason, after.consent) == (False, None, "yes")
    assert service.check(desk, "ana@acme.example")[1].allowed
    assert undo_last(desk, after=session) == "undid research consent on Ana Diaz"
    assert desk.store.contacts.get(contact_id).consent == "unknown"
    assert undo_last(desk, after=session) is None  # adding Ana came before the session
    assert desk.store.contacts.by_email("ana@acme.example") is not None


def test_undo_deletes_a_logged_touch_and_its_cooldown(desk: Desk) -> None:
    from opsdesk.services.contact_undo import undo_last

    add(desk, "ana@acme.example", name="Ana Diaz")
    session = desk.store.history.newest_id()
    touch = service.log_touch(desk, "ana@acme.example", "Priya", "interview", at=ago(2))
    assert not service.check(desk, "ana@acme.example")[1].allowed
    said = undo_last(desk, after=session)
    assert said == f"undid logging a touch with Ana Diaz (interview, {ago(2).date().isoformat()})"
    with pytest.raises(RecordNotFound):
        desk.store.touches.get(int(touch.id or 0))
    assert service.check(desk, "ana@acme.example")[1].allowed
    # Nothing is lost: the deleted touch is kept whole in its history line.
    kept = desk.store.history.for_record("touches", int(touch.id or 0))[0]
    assert kept.new == "deleted" and '"by": "Priya"' in (kept.old or "")


def test_undo_a_merge_gives_the_second_contact_its_ledger_back(desk: Desk) -> None:
    from opsdesk.services.contact_undo import undo_last

    keep = add(desk, "ana.diaz@acme.example", name="Ana Diaz")
    drop = add(desk, "adiaz@acme.example", name="Ana Díaz", role="CIO")
    old = service.log_touch(desk, "adiaz@acme.example", "Priya", "interview", at=ago(60))
    session = desk.store.history.newest_id()
    assert find_duplicates(desk)
    merge_contacts(desk, int(keep.id or 0), int(drop.id or 0))
    assert not find_duplicates(desk)
    assert undo_last(desk, after=session) == "undid merging Ana Díaz into Ana Diaz"
    assert desk.store.contacts.get(int(drop.id or 0)).merged_into is None
    assert desk.store.contacts.get(int(keep.id or 0)).role is None
    assert desk.store.touches.get(int(old.id or 0)).contact_id == drop.id
    assert find_duplicates(desk)  # the pair is a pair again
    # Two records of one name are told apart by their addresses.
    alias = add(desk, "ana@diaz.example", name="Ana Diaz")
    merge_contacts(desk, int(keep.id or 0), int(alias.id or 0))
    assert undo_last(desk, after=session) == (
        "undid merging Ana Diaz <ana@diaz.example> into Ana Diaz <ana.diaz@acme.example>"
    )


def test_undo_refuses_what_it_cannot_take_back(desk: Desk) -> None:
    """Forgetting erased the details from history too; a new contact is not removed; the
    inbox's loop-closing touches belong to the inbox's undo. Each is said, nothing written."""
    from opsdesk.services.contact_undo import UndoRefused, undo_last

    session = desk.store.history.newest_id()
    ana = add(desk, "ana@acme.example", name="Ana Diaz")
    with pytest.raises(UndoRefused, match="added Ana Diaz, and undo does not remove contacts"):
        undo_last(desk, after=session)
    # Ana's address is in a feedback item: forgetting erases it there too (a feedback line
    # in the same change), and that is still a forget, not an inbox change.
    desk.store.feedback.insert(
        Feedback(
            title="Hi", body="from ana@acme.example", customer_email=ana.email, received_at=NOW
        )
    )
    forget_contact(desk, contact_id=int(ana.id or 0))
    with pytest.raises(UndoRefused, match="forgetting cannot be undone"):
        undo_last(desk, after=session)
    # An edit of a contact someone else forgot since: their history was erased with them.
    cy = add(desk, "cy@acme.example", name="Cy")
    service.edit_contact(desk, int(cy.id or 0), {"role": "CTO"})
    desk.store.actor = "someone else"
    forget_contact(desk, contact_id=int(cy.id or 0))
    desk.store.actor = "tester"
    with pytest.raises(UndoRefused, match="has since been forgotten"):
        undo_last(desk, after=session)
    bo = add(desk, "bo@acme.example", name="Bo")
    with desk.store.write():  # what closing the loop writes: the item and a touch
        desk.store.feedback.insert(
            Feedback(title="Export", body="please", customer_email=bo.email, received_at=NOW)
        )
        desk.store.touches.insert(
            Touch(contact_id=int(bo.id or 0), by="Priya", at=NOW, purpose="feedback_follow_up")
        )
    lines = desk.store.history.count()
    with pytest.raises(UndoRefused, match="made in the inbox"):
        undo_last(desk, after=session)
    assert desk.store.history.count() == lines


def test_undo_a_planned_pool_and_a_closed_follow_up(desk: Desk) -> None:
    """A pool planned in one go is one change: undo takes every planned touch back. A
    closed follow-up opens again."""
    from opsdesk.services.contact_undo import undo_last

    ana = add(desk, "ana@acme.example", name="Ana Diaz")
    bo = add(desk, "bo@globex.example", name="Bo", company="Globex")
    thread = service.log_touch(
        desk, "ana@acme.example", "Priya", "interview", at=ago(40), follow_up_due=ago(30).date()
    )
    session = desk.store.history.newest_id()
    service.close_follow_up(desk, int(thread.id or 0))
    day = NOW.date() + dt.timedelta(days=60)
    planned = plan_pool(desk, [bo], by="Olivia", purpose="survey", day=day).planned
    plan_pool(desk, [ana, bo], by="Olivia", purpose="interview", day=day + dt.timedelta(days=40))
    assert undo_last(desk, after=session) == "undid planning 2 touches"
    assert [t.id for t in desk.store.touches.for_contact(int(bo.id or 0))] == [planned[0].id]
    assert undo_last(desk, after=session) == f"undid planning a touch with Bo (survey, {day})"
    assert undo_last(desk, after=session) == "undid closing the follow-up with Ana Diaz"
    assert desk.store.touches.get(int(thread.id or 0)).closed_at is None


# -- a touch that happened cannot be on a later day ----------------------------------------


@pytest.mark.parametrize("status", ["sent", "completed", "no_response", "declined", "no_show"])
def test_a_touch_that_happened_is_refused_for_a_later_day(desk: Desk, status: str) -> None:
    with pytest.raises(service.ContactError) as refused:
        service.log_touch(
            desk,
            "new@acme.example",
            "Priya",
            "interview",
            at=NOW + dt.timedelta(days=2),
            status=status,
        )
    assert str(refused.value) == (
        f"at: a touch marked {status.replace('_', ' ')} cannot be on a later day (2026-11-28, "
        "today is 2026-11-26): mark it planned or scheduled until it has happened"
    )
    # Nothing half-written: not even the new contact.
    assert desk.store.contacts.by_email("new@acme.example") is None


@pytest.mark.parametrize("status", ["planned", "scheduled"])
def test_a_planned_or_scheduled_touch_may_be_on_a_later_day(desk: Desk, status: str) -> None:
    touch = service.log_touch(
        desk, "new@acme.example", "Priya", "interview", at=NOW + dt.timedelta(days=2), status=status
    )
    assert touch.status.value == status


def test_a_completed_touch_later_today_is_fine(desk: Desk) -> None:
    """Days are compared, not instants: a few hours' (or a few clocks') slack."""
    touch = service.log_touch(
        desk,
        "new@acme.example",
        "Priya",
        "interview",
        at=NOW + dt.timedelta(hours=8),
        status="completed",
    )
    assert touch.status.value == "completed"


def test_a_planned_touch_cannot_be_marked_completed_before_its_day(desk: Desk) -> None:
    planned = service.log_touch(
        desk, "new@acme.example", "Priya", "interview", at=NOW + dt.timedelta(days=3)
    )
    assert planned.status.value == "planned"
    with pytest.raises(service.ContactError, match="cannot be on a later day"):
        service.set_touch_status(desk, int(planned.id or 0), "completed")
    assert desk.store.touches.get(int(planned.id or 0)).status.value == "planned"
    assert service.set_touch_status(desk, int(planned.id or 0), "scheduled").status.value == (
        "scheduled"
    )
