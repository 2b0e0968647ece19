"""The benchmark dataset generator: deterministic, complete, and written like the app writes."""

from __future__ import annotations

import hashlib
import importlib.util
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from opsdesk.store import Store
from opsdesk.store.feedback import FeedbackFilter

TODAY = date(2026, 11, 26)
SMALL = {"feedback": 2_000, "contacts": 300, "touches": 500, "launches": 20, "experiments": 50}
DATA_TABLES = (
    "people",
    "launches",
    "readiness_items",
    "feedback",
    "feedback_tags",
    "contacts",
    "touches",
    "experiments",
)


def _load_generator() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("opsdesk_benchmark_generate", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


def make(path: Path, **overrides: Any) -> dict[str, int]:
    options: dict[str, Any] = {**SMALL, "seed": 7, "today": TODAY, "chunk": 500}
    options.update(overrides)
    return generator.generate(path, **options)


def fingerprint(path: Path) -> dict[str, str]:
    """A hash of every data table's rows in id order (history is left out: it has batch ids)."""
    digests = {}
    with closing(sqlite3.connect(path)) as conn:
        for table in DATA_TABLES:
            order = "feedback_id, tag" if table == "feedback_tags" else "id"
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("gen") / "small.db"
    return path, make(path)


def test_counts_are_what_was_asked_for(small_db: tuple[Path, dict[str, int]]) -> None:
    path, counts = small_db
    for table, wanted in SMALL.items():
        assert counts[table] == wanted
    assert counts["readiness_items"] >= 20 * SMALL["launches"]
    assert counts["people"] >= 40
    # Written through the store: one 'created' history line per record.
    assert counts["history"] == sum(v for k, v in counts.items() if k != "history")
    with Store(path) as store:
        assert store.counts() == counts


def test_same_seed_same_data(small_db: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    path, _ = small_db
    again = tmp_path / "again.db"
    make(again)
    assert fingerprint(again) == fingerprint(path)


def test_another_seed_other_data(small_db: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    path, _ = small_db
    other = tmp_path / "other.db"
    make(other, seed=8)
    assert fingerprint(other)["feedback"] != fingerprint(path)["feedback"]


def test_the_data_is_varied_and_linked(small_db: tuple[Path, dict[str, int]]) -> None:
    path, _ = small_db
    with closing(sqlite3.connect(path)) as conn:

        def scalar(sql: str) -> Any:
            return conn.execute(sql).fetchone()[0]

        assert scalar("SELECT count(DISTINCT source) FROM feedback") >= 5
        assert scalar("SELECT count(DISTINCT kind) FROM feedback") == 5
        assert scalar("SELECT count(DISTINCT status) FROM feedback") == 5
        assert scalar("SELECT count(DISTINCT tag) FROM feedback_tags") >= 20
        assert scalar("SELECT count(DISTINCT company) FROM contacts") >= 100
        assert scalar("SELECT count(DISTINCT title) FROM feedback") >= 500
        assert scalar("SELECT count(DISTINCT status) FROM launches") == 5
        assert scalar("SELECT count(DISTINCT status) FROM experiments") == 6
        assert scalar("SELECT count(DISTINCT state) FROM readiness_items") >= 4
        assert scalar("SELECT count(*) FROM contacts WHERE do_not_contact = 1") >= 1
        # Duplicates point at earlier items; ids grow with the time received.
        assert scalar("SELECT count(*) FROM feedback WHERE duplicate_of IS NOT NULL") > 0
        assert scalar("SELECT count(*) FROM feedback WHERE duplicate_of >= id") == 0
        assert (
            scalar(
                "SELECT count(*) FROM feedback a JOIN feedback b ON b.id = a.id + 1 "
                "WHERE b.received_at < a.received_at"
            )
            == 0
        )
        assert (
            scalar("SELECT count(*) FROM touches WHERE contact_id NOT IN (SELECT id FROM contacts)")
            == 0
        )
        assert (
            scalar(
                "SELECT count(*) FROM feedback WHERE customer_email IN (SELECT email FROM contacts)"
            )
            > 0
        )


def test_full_text_search_finds_a_fraction(small_db: tuple[Path, dict[str, int]]) -> None:
    path, counts = small_db
    with Store(path) as store:
        for word in ("invoice", "okta", "slow"):
            hits = store.feedback.count(
                store.feedback.where(FeedbackFilter(search=word, include_duplicates=True))
            )
            assert 0 < hits < counts["feedback"] / 2, word


def test_an_existing_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "large.db"
    path.write_bytes(b"not a database")
    counts = make(path, feedback=50, contacts=10, touches=10, launches=2, experiments=3)
    assert counts["feedback"] == 50
    assert not (tmp_path / "large.db.partial").exists()
    with Store(path) as store:
        assert store.feedback.count() == 50


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.db"
    code = generator.main(
        [
            "--out",
            str(out),
            "--feedback",
            "30",
            "--contacts",
            "5",
            "--touches",
            "5",
            "--launches",
            "2",
            "--experiments",
            "2",
            "--today",
            "2026-11-26",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "feedback" in printed and "done in" in printed
    with Store(out) as store:
        assert store.feedback.count() == 30
