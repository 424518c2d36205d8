"""Upgrading a workbook database written by an older release keeps every revision.

tests/data/workbook-schema3.db was written by the schema-3 workbook (commit 8afce46) with
tests/data/make_workbook_schema3.py, which also recorded what that code read back from it
(workbook-schema3.json). Opening a copy with the current code must upgrade it and read back the
same: every form's and moderation's history, the current responses and moderations, the grade
counts, the drafts offered and the round's closes and reopens.

A schema-5 workbook (the last before practice-week records) is made from a fresh one by removing
what schema 6 added, as the moderation tests make a schema-1 one: opening it adds the stream
details' table, guarded like every log, and keeps every form.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from caseaudit.errors import ConflictError, RoundLockedError
from caseaudit.framework import load_framework
from caseaudit.rounds import load_round_file, load_rounds
from caseaudit.store import SCHEMA_VERSION, FormSave, ModerationSave, Store, StreamDetails, open_store

DATA = Path(__file__).parent / "data"
LOGS = ("forms", "revisions", "scores", "moderations", "moderation_grades", "moderation_drafts",
        "round_events")


def _maker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_workbook_schema3",
                                                  DATA / "make_workbook_schema3.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in LOGS}
    conn.close()
    return counts


@pytest.fixture
def old_copy(tmp_path: Path) -> Path:
    path = tmp_path / "workbook.db"
    shutil.copy(DATA / "workbook-schema3.db", path)
    return path


@pytest.fixture
def expected() -> dict:
    return json.loads((DATA / "workbook-schema3.json").read_text(encoding="utf-8"))


def test_the_fixture_is_a_schema_3_workbook_with_every_kind_of_history(old_copy: Path,
                                                                      expected: dict) -> None:
    """What the upgrade test relies on: without these, it would check less than it says."""
    with sqlite3.connect(f"{old_copy.resolve().as_uri()}?mode=ro", uri=True) as conn:
        version = conn.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert version == ("3",) and "moderation_heads" not in tables
    forms = expected["forms"].values()
    assert max(len(history) for history in forms) >= 3
    assert any(r["status"] == "draft" for history in forms for r in history)
    assert any("n/a" in r["grades"].values() for history in forms for r in history)
    moderations = expected["moderations"].values()
    assert max(len(history) for history in moderations) >= 2
    assert any("n/a" in m["grades"].values() for history in moderations for m in history)
    assert any(m["overall"] is None for history in moderations for m in history)
    assert expected["drafts"]
    actions = [row[0] for r in expected["rounds"].values() for row in r["history"]["rows"]]
    assert "close" in actions and "reopen" in actions


def test_a_schema_3_workbook_is_upgraded_and_reads_as_before(old_copy: Path, expected: dict) -> None:
    before = _counts(old_copy)
    store = open_store(old_copy)
    assert store.schema_version() == SCHEMA_VERSION == 6
    got = json.loads(json.dumps(_maker().reads(store)))
    store.dispose()
    assert _counts(old_copy) == before  # not a row of any log added, changed or lost
    with sqlite3.connect(f"{old_copy.resolve().as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT count(*) FROM stream_details").fetchone() == (0,)
    conn.close()
    assert sorted(got) == sorted(expected)
    for part in ("round_ids", "form_statuses", "moderation_heads", "drafts"):
        assert got[part] == expected[part], part
    for key, history in expected["forms"].items():
        assert got["forms"][key] == history, key
    for key, history in expected["moderations"].items():
        assert got["moderations"][key] == history, key
    for round_id, reads in expected["rounds"].items():
        for name, value in reads.items():
            assert _as_before(got["rounds"][round_id][name], value) == value, (round_id, name)


def _as_before(got: object, before: object) -> object:
    """A frame as the schema-3 code's columns show it: a later release may add a column (grade
    counts now say which rows are not applicable) but every old column must read the same."""
    if not (isinstance(got, dict) and isinstance(before, dict) and "columns" in before):
        return got
    assert set(before["columns"]) <= set(got["columns"]), "a column the old code read is gone"
    keep = [got["columns"].index(c) for c in before["columns"]]
    return {**got, "columns": before["columns"], "rows": [[row[i] for i in keep] for row in got["rows"]]}


def test_the_upgraded_heads_take_the_next_save_and_refuse_a_stale_one(old_copy: Path,
                                                                     expected: dict) -> None:
    store: Store = open_store(old_copy)
    earlier, latest = load_rounds(DATA / "workbook-schema3-audits")
    jtai = load_framework("jtai-csa-family", "1.0")
    key = next(k for k in expected["drafts"] if k.startswith(latest.id))
    case_id = key.split()[1]
    head = expected["moderations"][key][-1]
    assert store.moderation_draft(latest.id, case_id).based_on == head["revision_no"]
    save = ModerationSave(case_id, head["grades"], head["rationales"], head["overall"],
                          themes=head["themes"], based_on=head["revision_no"], saved_by="LEAD-9")
    saved = store.save_moderation(latest, jtai, save)
    assert saved.revision_no == head["revision_no"] + 1
    assert store.moderation_heads([latest.id]).set_index("case_id").loc[case_id, "revision_no"] \
        == saved.revision_no
    assert store.moderation_draft(latest.id, case_id) is None  # the save overtook the draft
    with pytest.raises(ConflictError, match="LEAD-9"):
        store.save_moderation(latest, jtai, save)
    closed = next(iter(k for k in expected["moderations"] if k.startswith(earlier.id)))
    with pytest.raises(RoundLockedError, match="closed by AUDIT-LEAD"):  # still closed
        store.save_moderation(earlier, jtai, ModerationSave(
            closed.split()[1], {}, based_on=len(expected["moderations"][closed]),
            saved_by="LEAD-9"))
    store.dispose()


def test_a_schema_5_workbook_is_upgraded_to_take_practice_week_records(
        tmp_path: Path, audit, jtai, case_with) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "schema5.db"
    store = open_store(path, create=True)
    case = case_with(audit, "CSC")
    auditor = next(a.id for a in audit.auditors if a.agency == "CSC")
    store.save_form(audit, jtai, FormSave(case.id, "CSC", auditor, {"1.1": 2}))
    history = store.form_history(audit.id, case.id, "CSC", auditor)
    store.dispose()
    with sqlite3.connect(path) as conn:  # what a schema-5 workbook holds: no stream details
        for verb in ("update", "delete"):
            conn.execute(f"DROP TRIGGER no_{verb}_stream_details")
        conn.execute("DROP TABLE stream_details")
        conn.execute("DROP TABLE alembic_version")  # schema 5 came before the migrations
        conn.execute("UPDATE schema_info SET value = '5' WHERE key = 'schema_version'")
    conn.close()
    upgraded = open_store(path)
    assert upgraded.schema_version() == SCHEMA_VERSION == 6
    assert upgraded.form_history(audit.id, case.id, "CSC", auditor) == history
    assert upgraded.stream_records(audit.id, status=None).empty
    week = load_round_file(Path(__file__).parents[1] / "audits" / "2026-05-practice-week"
                           / "audit.yaml")
    saved = upgraded.save_form(week, week.load_framework(), FormSave(
        "PF-001", "Hlth", "PW-LEAD-HLTH-1", {"PF1": 1}, details=StreamDetails(
            "practitioner_feedback", consent="given")))
    assert upgraded.stream_records(week.id, status=None)["record_id"].tolist() == ["PF-001"]
    assert upgraded.latest_revision(week.id, "PF-001", "Hlth", "PW-LEAD-HLTH-1") == saved
    upgraded.dispose()
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):  # guarded like the old logs
        conn.execute("DELETE FROM stream_details")
    conn.close()
