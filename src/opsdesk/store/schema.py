"""The schema, as an ordered list of sqlite-utils migrations.

Each migration runs once, inside the opening transaction, and the number applied is mirrored
in ``PRAGMA user_version`` so a newer file is recognised before anything touches it. Add a new
function at the end to change the schema; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("opsdesk")

FTS_TOKENIZE = "unicode61 remove_diacritics 2"


def _fts(db: Database, table: str, columns: list[str]) -> None:
    """Full-text index kept in step with ``table`` by triggers (external content)."""
    db[table].enable_fts(columns, fts_version="FTS5", create_triggers=True, tokenize=FTS_TOKENIZE)


@migrations()
def m001_initial(db: Database) -> None:
    """The first schema: people, launches, readiness, feedback, contacts, experiments, history."""
    db["people"].create(
        {"id": int, "name": str, "email": str, "team": str, "role": str},
        pk="id",
        not_null={"name"},
    )
    db["people"].create_index(["name"], unique=True)

    db["launches"].create(
        {
            "id": int,
            "title": str,
            "summary": str,
            "owner": str,
            "tier": int,
            "launch_date": str,
            "original_date": str,
            "status": str,
            "audience": str,
        },
        pk="id",
        not_null={"title", "tier", "launch_date", "status"},
    )
    db["launches"].create_index(["launch_date", "id"])
    db["launches"].create_index(["status"])

    db["readiness_items"].create(
        {
            "id": int,
            "launch_id": int,
            "function": str,
            "title": str,
            "owner": str,
            "owner_role": str,
            "lead_days": int,
            "due_date": str,
            "state": str,
            "evidence": str,
            "signed_off_by": str,
            "signed_off_at": str,
        },
        pk="id",
        not_null={"launch_id", "function", "title", "due_date", "state"},
        foreign_keys=[("launch_id", "launches", "id")],
    )
    db["readiness_items"].create_index(["launch_id"])
    db["readiness_items"].create_index(["due_date", "state"])
    db["readiness_items"].create_index(["function", "due_date"])

    db["feedback"].create(
        {
            "id": int,
            "title": str,
            "body": str,
            "source": str,
            "kind": str,
            "priority": int,
            "status": str,
            "customer_email": str,
            "company": str,
            "owner": str,
            "launch_id": int,
            "received_at": str,
            "acknowledged_at": str,
            "decided_at": str,
            "loop_closed_at": str,
            "duplicate_of": int,
        },
        pk="id",
        not_null={"title", "kind", "priority", "status", "received_at"},
        foreign_keys=[("launch_id", "launches", "id"), ("duplicate_of", "feedback", "id")],
    )
    for columns in (
        ["received_at", "id"],
        ["status", "received_at", "id"],
        ["priority", "id"],
        ["kind"],
        ["source"],
        ["owner"],
        ["company"],
        ["customer_email"],
        ["launch_id"],
        ["duplicate_of"],
    ):
        db["feedback"].create_index(columns)
    db["feedback_tags"].create(
        {"feedback_id": int, "tag": str},
        pk=("feedback_id", "tag"),
        foreign_keys=[("feedback_id", "feedback", "id")],
    )
    db["feedback_tags"].create_index(["tag", "feedback_id"])
    _fts(db, "feedback", ["title", "body"])

    db["contacts"].create(
        {
            "id": int,
            "name": str,
            "email": str,
            "mailbox": str,
            "company": str,
            "segment": str,
            "role": str,
            "consent": str,
            "do_not_contact": int,
            "dnc_reason": str,
            "relationship_owner": str,
            "notes": str,
            "forgotten": int,
        },
        pk="id",
        not_null={"consent", "do_not_contact", "forgotten"},
        defaults={"do_not_contact": 0, "forgotten": 0, "consent": "unknown"},
    )
    db["contacts"].create_index(["mailbox"])
    db["contacts"].create_index(["company"])
    db["contacts"].create_index(["name", "id"])
    _fts(db, "contacts", ["name", "email", "company", "notes"])

    db["touches"].create(
        {
            "id": int,
            "contact_id": int,
            "by": str,
            "at": str,
            "channel": str,
            "purpose": str,
            "status": str,
            "follow_up_due": str,
            "closed_at": str,
            "override_reason": str,
            "feedback_id": int,
            "experiment_id": int,
            "launch_id": int,
        },
        pk="id",
        not_null={"contact_id", "by", "at", "purpose", "status"},
        foreign_keys=[("contact_id", "contacts", "id")],
    )
    db["touches"].create_index(["contact_id", "at"])
    db["touches"].create_index(["at"])
    db["touches"].create_index(["follow_up_due"])

    db["experiments"].create(
        {
            "id": int,
            "title": str,
            "hypothesis": str,
            "owner": str,
            "team": str,
            "surface": str,
            "audience": str,
            "primary_metric": str,
            "guardrail_metrics": str,
            "status": str,
            "planned_start": str,
            "planned_end": str,
            "actual_start": str,
            "actual_end": str,
            "result": str,
            "effect": str,
            "decision": str,
            "learnings": str,
        },
        pk="id",
        not_null={"title", "status"},
    )
    db["experiments"].create_index(["status", "id"])
    db["experiments"].create_index(["surface"])
    db["experiments"].create_index(["primary_metric"])
    _fts(db, "experiments", ["title", "hypothesis", "surface", "primary_metric", "learnings"])

    db["history"].create(
        {
            "id": int,
            "batch": str,
            "at": str,
            "actor": str,
            "table_name": str,
            "record_id": int,
            "field": str,
            "old": str,
            "new": str,
        },
        pk="id",
        not_null={"batch", "at", "actor", "table_name", "record_id", "field"},
    )
    db["history"].create_index(["table_name", "record_id"])
    db["history"].create_index(["batch"])


@migrations()
def m002_feedback_inbox(db: Database) -> None:
    """SLA deadlines and demand on feedback, saved views, and a settings table."""
    feedback = db["feedback"]
    feedback.add_column("ack_due_at", str)
    feedback.add_column("decide_due_at", str)
    feedback.add_column("demand", int, not_null_default=1)
    feedback.create_index(["ack_due_at"])
    feedback.create_index(["decide_due_at"])
    feedback.create_index(["demand", "id"])
    db["saved_views"].create(
        {"id": int, "name": str, "filters": str, "sort": str},
        pk="id",
        not_null={"name", "filters", "sort"},
    )
    db["saved_views"].create_index(["name"], unique=True)
    db["settings"].create({"key": str, "value": str}, pk="key")


FTS_TABLES: dict[str, tuple[str, ...]] = {
    "feedback": ("title", "body"),
    "contacts": ("name", "email", "company", "notes"),
    "experiments": ("title", "hypothesis", "surface", "primary_metric", "learnings"),
}
"""Tables with a full-text index, and the columns it covers."""


@migrations()
def m003_fts_maintained_by_repositories(db: Database) -> None:
    """Index new rows from the repositories, and re-index only when indexed text changes.

    The per-row insert trigger cost nine times more than one bulk insert into the index,
    and the update trigger re-indexed a megabyte body whenever a status changed.
    """
    for table, columns in FTS_TABLES.items():
        db.execute(f'DROP TRIGGER IF EXISTS "{table}_ai"')
        db.execute(f'DROP TRIGGER IF EXISTS "{table}_au"')
        names = ", ".join(f'"{column}"' for column in columns)
        old = ", ".join(f'old."{column}"' for column in columns)
        new = ", ".join(f'new."{column}"' for column in columns)
        db.execute(
            f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF {names} ON "{table}" BEGIN '
            f'INSERT INTO "{table}_fts" ("{table}_fts", rowid, {names}) '
            f"VALUES ('delete', old.rowid, {old}); "
            f'INSERT INTO "{table}_fts" (rowid, {names}) VALUES (new.rowid, {new}); END'
        )


@migrations()
def m004_experiments_links(db: Database) -> None:
    """Link experiments to the feedback that prompted them and the launches they inform.

    Two link tables with real foreign keys (a link can only name a record that exists), and
    an index on team for the learnings library's filters and per-team statistics.
    """
    for table, column, target in (
        ("experiment_feedback", "feedback_id", "feedback"),
        ("experiment_launches", "launch_id", "launches"),
    ):
        db[table].create(
            {"experiment_id": int, column: int},
            pk=("experiment_id", column),
            not_null={"experiment_id", column},
            foreign_keys=[("experiment_id", "experiments", "id"), (column, target, "id")],
        )
        db[table].create_index([column, "experiment_id"])
    db["experiments"].create_index(["team"])


@migrations()
def m004_feedback_triage(db: Database) -> None:
    """Who acknowledged and decided each item, and which change batches were undone."""
    db["feedback"].add_column("acknowledged_by", str)
    db["feedback"].add_column("decided_by", str)
    db["feedback"].create_index(["loop_closed_at"])
    db["undone_batches"].create({"batch": str, "undone_by": str, "at": str}, pk="batch")


@migrations()
def m006_launches_slips_and_go_no_go(db: Database) -> None:
    """Launch slips (who moved a date, from when to when, why) and go/no-go decisions.

    A go/no-go keeps a JSON snapshot of the launch's readiness at the moment of the decision,
    so the launch brief can print what the decision was based on. Readiness items get an
    index on (launch_id, due_date): the timeline asks for each visible launch's earliest item.
    """
    db["launch_slips"].create(
        {
            "id": int,
            "launch_id": int,
            "at": str,
            "by": str,
            "old_date": str,
            "new_date": str,
            "reason": str,
            "moved_items": int,
            "impossible_item_ids": str,
        },
        pk="id",
        not_null={"launch_id", "at", "by", "old_date", "new_date", "reason"},
        foreign_keys=[("launch_id", "launches", "id")],
    )
    db["launch_slips"].create_index(["launch_id", "at"])
    db["go_no_go"].create(
        {
            "id": int,
            "launch_id": int,
            "at": str,
            "by": str,
            "decision": str,
            "note": str,
            "snapshot": str,
        },
        pk="id",
        not_null={"launch_id", "at", "by", "decision", "snapshot"},
        foreign_keys=[("launch_id", "launches", "id")],
    )
    db["go_no_go"].create_index(["launch_id", "at"])
    db["readiness_items"].create_index(["launch_id", "due_date"])
    db["launches"].create_index(["audience", "launch_date"])


@migrations()
def m007_contacts_ledger(db: Database) -> None:
    """Overrides kept with who and when, merged contacts, and the ledger's indexes.

    A merged contact stays as a pointer to the one it was merged into, so its old address
    still finds the merged ledger. Open follow-ups get a partial index (overdue first), and
    contacts get indexes for the eligible pool's filters.
    """
    db["touches"].add_column("override_by", str)
    db["touches"].add_column("override_at", str)
    db["touches"].add_column("override_rules", str)
    db["contacts"].add_column("merged_into", int)
    db["contacts"].create_index(["merged_into"])
    db["contacts"].create_index(["segment"])
    db["contacts"].create_index(["company", "name"])
    db.execute(
        "CREATE INDEX idx_touches_open_follow_ups ON touches (follow_up_due, id) "
        "WHERE follow_up_due IS NOT NULL AND closed_at IS NULL"
    )


@migrations()
def m008_feedback_query_indexes(db: Database) -> None:
    """Indexes that serve the inbox's views in sort order, and prefix search that stays fast.

    Every inbox query hides merged duplicates (``duplicate_of IS NULL``), so the indexes lead
    with that column and end with the sort key: a window is then read straight off an index
    instead of sorting tens of thousands of rows. The full-text index gains prefix indexes
    for one to three characters, which search-as-you-type asks for on every keystroke.
    """
    feedback = db["feedback"]
    for columns in (
        ["duplicate_of", "received_at", "id"],
        ["status", "duplicate_of", "received_at", "id"],
        ["duplicate_of", "priority", "id"],
        ["duplicate_of", "demand", "id"],
        ["status", "duplicate_of", "ack_due_at"],
        ["status", "duplicate_of", "decide_due_at"],
        ["owner", "duplicate_of", "received_at", "id"],
    ):
        feedback.create_index(columns, if_not_exists=True)
    db.execute("DROP TABLE IF EXISTS feedback_fts")
    db.execute(
        "CREATE VIRTUAL TABLE feedback_fts USING fts5(title, body, content='feedback', "
        f"content_rowid='id', tokenize='{FTS_TOKENIZE}', prefix='1 2 3')"
    )
    db.execute("INSERT INTO feedback_fts(feedback_fts) VALUES ('rebuild')")


@migrations()
def m009_exports_ical_sequences(db: Database) -> None:
    """What each exported calendar event's dates were, and its SEQUENCE number.

    A calendar program that re-imports an event with the same UID updates it only when the
    SEQUENCE went up; opsdesk raises it when a record's dates change between exports.
    """
    db["ical_sequences"].create(
        {"uid": str, "fingerprint": str, "sequence": int},
        pk="uid",
        not_null={"fingerprint", "sequence"},
    )


@migrations()
def m010_leaner_feedback_writes(db: Database) -> None:
    """Three feedback indexes fewer to update on every write, the same queries served.

    ``duplicate_of`` and ``owner`` alone are the leading columns of ``(duplicate_of,
    received_at, id)`` and ``(owner, duplicate_of, received_at, id)``, which answer the same
    lookups, and no query sorts all items by ``demand`` without hiding merged duplicates
    (``(duplicate_of, demand, id)`` serves the ones that do).
    """
    for name in ("idx_feedback_duplicate_of", "idx_feedback_owner", "idx_feedback_demand_id"):
        db.execute(f'DROP INDEX IF EXISTS "{name}"')


@migrations()
def m011_feedback_search_without_positions(db: Database) -> None:
    """The inbox's full-text index keeps which column each word is in, not where in it.

    Search-as-you-type and duplicate candidates only ask which items hold words starting
    with what was typed; no query reads word positions. Without them (FTS5 ``detail=column``)
    the index of 100,000 items is a third smaller, an import fills it twice as fast, and a
    query of several one-letter words reads half the data. The price: a phrase cannot be
    matched, so :func:`opsdesk.store.base.fts_query` asks for each word of "sign-in" apart.
    """
    db.execute("DROP TABLE IF EXISTS feedback_fts")
    db.execute(
        "CREATE VIRTUAL TABLE feedback_fts USING fts5(title, body, content='feedback', "
        f"content_rowid='id', tokenize='{FTS_TOKENIZE}', prefix='1 2 3', detail=column)"
    )
    db.execute("INSERT INTO feedback_fts(feedback_fts) VALUES ('rebuild')")


@migrations()
def m012_feedback_view_indexes(db: Database) -> None:
    """Partial indexes for the "SLA breached" and "Needs loop closed" views, in Today's order.

    Today lists open items by the deadline each waits on (acknowledging while new, else
    deciding), and decided items whose loop is open by their decide-by. On 100,000 items each
    section sorted some 30,000 rows for its first eight and counted them by reading every
    item: about 130 ms apiece, on every start that opens on Today, and the inbox sidebar's
    counts read every item twice more. Each index holds only its view's candidates (a third
    of the items) in that order, with the columns the view's clause reads, so the first
    lines come off its front and a count never reads the table: about 10 ms apiece. The
    expression is the store's ``PENDING_DEADLINE`` word for word; ``opsdesk.store.feedback``
    names these indexes (``VIEW_INDEXES``), and a test checks that the plans use them.
    """
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_feedback_open_by_pending_deadline ON feedback ("
        "(CASE WHEN acknowledged_at IS NULL AND decided_at IS NULL AND status = 'new' "
        "THEN ack_due_at ELSE decide_due_at END), id, status, acknowledged_at, decided_at, "
        "duplicate_of, ack_due_at, decide_due_at) "
        "WHERE duplicate_of IS NULL AND decided_at IS NULL AND status IN ('new', 'triaged')"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_feedback_loop_open_by_decide_due ON feedback "
        "(decide_due_at, id, status, loop_closed_at, duplicate_of, customer_email) "
        "WHERE duplicate_of IS NULL AND loop_closed_at IS NULL "
        "AND status IN ('planned', 'declined', 'done')"
    )


@migrations()
def m013_sla_deadlines_without_own_indexes(db: Database) -> None:
    """Two feedback indexes fewer to write (3.7 MB each on 100,000 items), the same queries served.

    No query looks ``decide_due_at`` up by itself: the SLA views read ``(status, duplicate_of,
    decide_due_at)``, and the only plans that used the column's own index scanned all of it,
    which the wider index does as well (a millisecond or two more on 100,000 items).
    ``ack_due_at`` alone answered one question, asked on every start: which items have no
    deadlines yet. A partial index of just those rows answers it as fast (without it, a scan
    of the table: 30 ms) and stays empty, as an import writes each row with its deadlines.
    """
    for name in ("idx_feedback_ack_due_at", "idx_feedback_decide_due_at"):
        db.execute(f'DROP INDEX IF EXISTS "{name}"')
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_feedback_missing_sla ON feedback (ack_due_at) "
        "WHERE ack_due_at IS NULL"
    )


@migrations()
def m014_feedback_sla_order_index(db: Database) -> None:
    """An index for the inbox in SLA order, as the other orders have had since m008.

    The order is an expression (items without a decide-by last), so no index served it: on
    100,000 items the first window sorted every item (about 90 ms), each page down scanned
    the table again (50-80 ms), and the end of the list (``G``) sorted whole rows for
    1.1-1.8 s. Read off this index, each takes a few milliseconds. The expression is the
    store's SLA sort key word for word (``FeedbackRepository.sorts["sla"]``); a test checks
    that the plans use it.
    """
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_feedback_duplicate_of_sla_id ON feedback "
        "(duplicate_of, coalesce(decide_due_at, '9999'), id)"
    )


@migrations()
def m015_one_word_feedback_tags(db: Database) -> None:
    """Feedback tags become one word, as the model now writes them ("customer success" →
    ``customer-success``): the inbox's tag key splits on spaces, so a tag with one inside
    could be neither typed nor removed. An item holding both spellings keeps one."""
    spaced = [
        row[0]
        for row in db.execute("SELECT DISTINCT tag FROM feedback_tags WHERE tag GLOB '*[ 	]*'")
    ]
    for tag in spaced:
        word = "-".join(tag.split())
        if not word:
            db.execute("DELETE FROM feedback_tags WHERE tag = ?", [tag])
            continue
        db.execute(
            "INSERT OR IGNORE INTO feedback_tags (feedback_id, tag) "
            "SELECT feedback_id, ? FROM feedback_tags WHERE tag = ?",
            [word, tag],
        )
        db.execute("DELETE FROM feedback_tags WHERE tag = ?", [tag])


@migrations()
def m016_contacts_ordered_by_name_index(db: Database) -> None:
    """Indexes in the contacts list's own orders: by name, and by company then name, both
    case-folded as the list sorts them (``ContactRepository.sorts``).

    The old ``(name, id)`` index is in binary order, which the list's ``name COLLATE
    NOCASE`` order cannot use: every page sorted all 20,000 contacts of the large dataset
    (12-30 ms); read off these, the first page takes well under a millisecond. No query
    reads the binary one, so it goes.
    """
    db.execute("DROP INDEX IF EXISTS idx_contacts_name_id")
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_contacts_name_nocase_id ON contacts "
        "(name COLLATE NOCASE, id)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_contacts_company_name_nocase_id ON contacts "
        "(coalesce(company, '') COLLATE NOCASE, name COLLATE NOCASE, id)"
    )


@migrations()
def m017_experiment_board_order_indexes(db: Database) -> None:
    """Indexes in the board columns' orders (``COLUMN_SORTS`` in ``opsdesk.store.experiments``):
    ideas and designs by planned start, running work by planned end, work analysed and
    concluded by when it ended (one index read both ways).

    The columns listed cards newest first off ``(status, id)``; in these orders each page
    would sort its whole column first. Each expression is the store's sort key word for
    word (``ExperimentRepository.sorts``); a test checks that the plans use them.
    """
    for name, key in (
        ("idx_experiments_status_start_id", "coalesce(planned_start, '9999')"),
        ("idx_experiments_status_ending_id", "coalesce(planned_end, '9999')"),
        ("idx_experiments_status_ended_id", "coalesce(actual_end, planned_end, '')"),
    ):
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON experiments (status, {key}, id)")


@migrations()
def m018_contacts_ordered_by_shown_name_index(db: Database) -> None:
    """The contacts list's orders by the name it shows, the address of a contact without a
    name (``SHOWN_NAME_SQL`` in ``opsdesk.store.contacts``), replace m016's by the stored
    name, under which every contact added by closing a feedback loop sorted first.

    Each expression is the store's sort key word for word (``ContactRepository.sorts``),
    so each page still reads off an index instead of sorting all 20,000 contacts of the
    large dataset; a test checks that the plans use them.
    """
    shown = "coalesce(nullif(name, ''), email, '') COLLATE NOCASE"
    db.execute("DROP INDEX IF EXISTS idx_contacts_name_nocase_id")
    db.execute("DROP INDEX IF EXISTS idx_contacts_company_name_nocase_id")
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_contacts_shown_name_id ON contacts ({shown}, id)")
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_contacts_company_shown_name_id ON contacts "
        f"(coalesce(company, '') COLLATE NOCASE, {shown}, id)"
    )


SCHEMA_VERSION = len(migrations._migrations)
"""The schema version these migrations produce; ``version.SCHEMA_VERSION`` must equal it."""
