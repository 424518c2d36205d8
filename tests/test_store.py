"""The store: append-only revisions, stale saves refused, as-of reads, and bad databases."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from caseaudit.errors import ConflictError, GradeError, StoreError
from caseaudit.framework import NOT_APPLICABLE, Framework
from caseaudit.rounds import AuditRound
from caseaudit.store import SCHEMA_VERSION, FormSave, Store, open_store

pytestmark = pytest.mark.both_databases


def _a_form(audit: AuditRound, agency: str = "CSC"):  # type: ignore[no-untyped-def]
    case = next(c for c in audit.cases if agency in c.agencies)
    auditor = next(a.id for a in audit.auditors if a.agency == agency)
    return case.id, agency, auditor


def test_a_save_appends_revisions_and_keeps_history(store: Store, audit: AuditRound,
                                                    jtai: Framework) -> None:
    case_id, agency, auditor = _a_form(audit)
    first = store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 2, "3.1": "Good"},
                                                  {"1.1": "seen twice"}))
    assert first.revision_no == 1 and first.grades == {"1.1": 2, "3.1": 2}
    second = store.save_form(audit, jtai, FormSave(case_id, agency, auditor,
                                                   {"1.1": 3, "3.1": "n/a"}, based_on=1))
    assert second.revision_no == 2

    history = store.form_history(audit.id, case_id, agency, auditor)
    assert [r.revision_no for r in history] == [1, 2]
    assert history[0].grades == {"1.1": 2, "3.1": 2}
    assert history[0].notes == {"1.1": "seen twice"}
    assert history[1].grades == {"1.1": 3, "3.1": NOT_APPLICABLE}
    assert history[1].framework_version == jtai.version

    current = store.current_responses(audit.id)
    assert list(current["criterion_id"]) == ["1.1", "3.1"]
    assert current.set_index("criterion_id").loc["1.1", "grade"] == 3
    assert bool(current.set_index("criterion_id").loc["3.1", "not_applicable"])


def test_nothing_is_updated_or_deleted_in_place(store: Store, audit: AuditRound,
                                                jtai: Framework) -> None:
    case_id, agency, auditor = _a_form(audit)
    store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 2}))
    for statement in ("UPDATE scores SET grade = 4", "DELETE FROM revisions", "DELETE FROM forms"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    assert store.current_responses()["grade"].tolist() == [2]


def test_a_stale_save_is_refused_naming_who_and_when(store: Store, audit: AuditRound,
                                                     jtai: Framework) -> None:
    case_id, agency, auditor = _a_form(audit)
    store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 2}))
    # a colleague saves revision 2 while our tab still holds revision 1
    store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 1}, based_on=1,
                                          saved_by="AUD-CSC-2"))
    with pytest.raises(ConflictError) as caught:
        store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 4}, based_on=1))
    assert caught.value.saved_by == "AUD-CSC-2"
    assert caught.value.latest == 2
    assert "AUD-CSC-2" in str(caught.value) and "reload" in str(caught.value)
    # a new form opened twice: the second "new" save is refused too
    with pytest.raises(ConflictError):
        store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 4}))
    assert [r.grades["1.1"] for r in store.form_history(audit.id, case_id, agency, auditor)] == [2, 1]


@pytest.mark.parametrize(
    ("grades", "message"),
    [
        ({"1.1": 7}, "7 is not on the scale"),
        ({"1.1": "Excellent"}, "'Excellent' is not on the scale"),
        ({"9.9": 2}, "criterion '9.9' is not in framework"),
        ({"1.1": 2, "2.3": 5}, "criterion 2.3: 5 is not on the scale"),
        ({"6.1": 2}, "criterion 6.1 is not answered by CSC"),
        ({"1.1": "n/a", "1.3": True}, "True is not a grade"),
    ],
)
def test_bad_grades_are_refused_before_anything_is_written(
        store: Store, audit: AuditRound, jtai: Framework, grades: dict, message: str) -> None:
    case_id, agency, auditor = _a_form(audit)
    with pytest.raises(GradeError, match=message):
        store.save_form(audit, jtai, FormSave(case_id, agency, auditor, grades))
    assert store.current_responses().empty
    assert store.form_history(audit.id, case_id, agency, auditor) == []


def test_a_form_outside_the_round_is_refused(store: Store, audit: AuditRound, jtai: Framework) -> None:
    case_id, agency, auditor = _a_form(audit)
    with pytest.raises(GradeError, match="not in round"):
        store.save_form(audit, jtai, FormSave("NOPE-1", agency, auditor, {"1.1": 2}))
    with pytest.raises(GradeError, match="not one of round"):
        store.save_form(audit, jtai, FormSave(case_id, agency, "AUD-X-9", {"1.1": 2}))
    other = next(c for c in audit.cases if "VCS" not in c.agencies)
    vcs_auditor = next(a.id for a in audit.auditors if a.agency == "VCS")
    with pytest.raises(GradeError, match="not involved with case"):
        store.save_form(audit, jtai, FormSave(other.id, "VCS", vcs_auditor, {"6.1": 2}))
    with pytest.raises(GradeError, match="must grade every criterion"):
        store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 2},
                                              status="submitted"))
    assert store.current_responses().empty


def test_one_bad_form_in_a_batch_saves_none(store: Store, audit: AuditRound, jtai: Framework) -> None:
    case_id, agency, auditor = _a_form(audit)
    good = FormSave(case_id, agency, auditor, {"1.1": 2})
    bad = FormSave(case_id, "Pol", next(a.id for a in audit.auditors if a.agency == "Pol"),
                   {"1.1": "excellent"})
    with pytest.raises(GradeError):
        store.save_forms(audit, jtai, [good, bad])
    assert store.current_responses().empty


def test_as_of_reads_the_store_as_it_stood(store: Store, audit: AuditRound, jtai: Framework) -> None:
    case_id, agency, auditor = _a_form(audit)
    t0 = datetime(2026, 4, 1, 9, 0)
    store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 4}, saved_at=t0))
    store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 2}, based_on=1,
                                          saved_at=t0 + timedelta(days=2)))
    before = store.current_responses(audit.id, as_of=t0 - timedelta(seconds=1))
    first = store.current_responses(audit.id, as_of=t0 + timedelta(days=1))
    now = store.current_responses(audit.id)
    assert before.empty
    assert first["grade"].tolist() == [4]
    assert now["grade"].tolist() == [2]
    counts = store.grade_counts(audit.id, status=None, as_of=t0 + timedelta(days=1))
    assert counts[["criterion_id", "grade", "count"]].values.tolist() == [["1.1", 4, 1]]


def test_grade_counts_agree_with_the_tidy_responses(filled) -> None:  # type: ignore[no-untyped-def]
    store, _ = filled
    tidy = store.current_responses(status="submitted")
    expected = (tidy.assign(grade=tidy["grade"])
                .groupby(["round_id", "criterion_id", "agency", "grade"], dropna=False)
                .size().rename("count").reset_index())
    counts = store.grade_counts(status="submitted")
    key = ["round_id", "criterion_id", "agency", "grade"]
    merged = counts.merge(expected, on=key, how="outer", suffixes=("", "_tidy"))
    assert len(counts) == len(expected)
    assert (merged["count"] == merged["count_tidy"]).all()
    assert counts["count"].sum() == len(tidy)


@pytest.mark.parametrize("status", [None, "submitted", "draft"])
def test_the_tallies_agree_with_counting_the_log(filled, status: str | None) -> None:  # type: ignore[no-untyped-def]
    store, _ = filled
    key = ["round_id", "criterion_id", "agency", "grade"]
    tallied = store.grade_counts(status=status).sort_values(key, ignore_index=True)
    counted = store.grade_counts(status=status, as_of=datetime(2100, 1, 1)).sort_values(
        key, ignore_index=True)
    assert len(tallied) > 0
    pd.testing.assert_frame_equal(tallied, counted)


def _save_many(args: tuple[str, str, int]) -> int:
    db, audits, worker = args
    from caseaudit.framework import load_framework
    from caseaudit.rounds import load_round_file
    from caseaudit.store import FormSave as FS
    from caseaudit.store import open_store as op

    audit = load_round_file(Path(audits) / "audit.yaml", check_framework=False)
    framework = load_framework("jtai-csa-family", "1.0")
    store = op(db)
    saved = 0
    for case in audit.cases:
        for agency in case.agencies:
            auditor = next(a.id for a in audit.auditors if a.agency == agency)
            key = (audit.id, case.id, agency, auditor)
            for _ in range(50):  # retry on conflict, as the form does after a reload
                latest = store.latest_revision(*key)
                try:
                    store.save_form(audit, framework, FS(
                        case.id, agency, auditor, {"1.3": 1 + (worker % 4)},
                        based_on=latest.revision_no if latest else None,
                        saved_by=f"worker-{worker}"))
                    saved += 1
                    break
                except ConflictError:
                    continue
    store.dispose()
    return saved


def test_several_processes_saving_at_once_lose_nothing(tmp_path: Path, audit: AuditRound) -> None:
    from caseaudit.rounds import write_round

    write_round(audit, tmp_path)
    db = str(tmp_path / "shared.db")
    open_store(db, create=True).dispose()
    workers = 4
    with mp.get_context("spawn").Pool(workers) as pool:
        saved = pool.map(_save_many, [(db, str(tmp_path / audit.id), w) for w in range(workers)])
    store = open_store(db)
    forms = store.form_statuses(audit.id)
    expected_forms = len(audit.expected_forms())
    assert len(forms) == expected_forms
    # every successful save became exactly one revision, numbered without gaps
    assert forms["revision_no"].sum() == sum(saved) == workers * expected_forms
    for row in forms.itertuples():
        history = store.form_history(audit.id, row.case_id, row.agency, row.auditor)
        assert [r.revision_no for r in history] == list(range(1, workers + 1))
        assert sorted(r.saved_by for r in history) == [f"worker-{w}" for w in range(workers)]
    tallied = store.grade_counts(status=None)
    assert tallied["count"].sum() == expected_forms  # one grade of 1.3 per form, none lost
    pd.testing.assert_frame_equal(
        tallied.sort_values(["criterion_id", "agency", "grade"], ignore_index=True),
        store.grade_counts(status=None, as_of=datetime(2100, 1, 1)).sort_values(
            ["criterion_id", "agency", "grade"], ignore_index=True))


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"These are meeting notes, not a database.\n" * 200)
    before = bogus.read_bytes()
    with pytest.raises(StoreError, match="is not a workbook database"):
        open_store(bogus)
    assert bogus.read_bytes() == before


def test_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    before = other.read_bytes()
    for create in (False, True):
        with pytest.raises(StoreError, match="not a caseaudit workbook"):
            open_store(other, create=create)
    assert other.read_bytes() == before  # not even switched to WAL mode


def test_a_database_from_a_newer_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_store(path, create=True).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_info SET value = ? WHERE key = 'schema_version'",
                     (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="newer version of the workbook"):
        open_store(path)


def test_the_schema_version_is_recorded(store: Store) -> None:
    assert store.schema_version() == SCHEMA_VERSION


def test_the_database_comes_from_caseaudit_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              audit: AuditRound, jtai: Framework) -> None:
    monkeypatch.setenv("CASEAUDIT_DB", str(tmp_path / "from-env.db"))
    store = open_store(create=True)
    case_id, agency, auditor = _a_form(audit)
    store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 2}))
    store.dispose()
    assert (tmp_path / "from-env.db").exists()
    url_store = open_store(f"sqlite:///{tmp_path / 'from-env.db'}")
    assert len(url_store.current_responses()) == 1
    assert isinstance(url_store.current_responses(), pd.DataFrame)


# -- a database only when asked, and only a healthy one ----------------------------------------------

def test_opening_a_database_that_is_not_there_creates_nothing(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    typo = tmp_path / "audti" / "workbook.db"
    monkeypatch.setenv("CASEAUDIT_DB", str(typo))
    with pytest.raises(StoreError) as caught:
        open_store()
    assert f"There is no database at {typo} (the folder {typo.parent} does not exist either)" \
        in str(caught.value)
    assert "Check CASEAUDIT_DB (or --db) for a typo" in str(caught.value)
    assert f"run `caseaudit init --db {typo}`" in str(caught.value)
    assert not typo.parent.exists()
    missing = tmp_path / "workbook.db"
    with pytest.raises(StoreError, match=f"There is no database at {missing}. Check"):
        open_store(missing)
    assert not missing.exists()
    open_store(typo, create=True).dispose()  # asked for: folder and database made
    assert open_store(typo).schema_version() == SCHEMA_VERSION


def test_an_empty_file_is_not_turned_into_a_database(tmp_path: Path) -> None:
    empty = tmp_path / "workbook.db"
    empty.touch()
    with pytest.raises(StoreError, match=r"is empty \(0 bytes\), so it is not a workbook database"):
        open_store(empty)
    assert empty.stat().st_size == 0
    open_store(empty, create=True).dispose()
    assert open_store(empty).schema_version() == SCHEMA_VERSION


def test_a_database_without_workbook_tables_is_opened_only_to_create_them(tmp_path: Path) -> None:
    bare = tmp_path / "bare.db"
    with sqlite3.connect(bare) as conn:
        conn.execute("PRAGMA user_version = 1")  # a valid SQLite file with no tables
    with pytest.raises(StoreError, match=r"has no workbook tables yet\. Run `caseaudit init"):
        open_store(bare)
    assert open_store(bare, create=True).schema_version() == SCHEMA_VERSION


def test_the_hint_after_make_demo_points_at_the_demo(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from caseaudit import settings

    monkeypatch.delenv("CASEAUDIT_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(settings, "DEFAULT_DB_PATH", tmp_path / "data" / "workbook.db")
    monkeypatch.setattr(settings, "DEMO_DB_PATH", tmp_path / "data" / "demo.db")
    monkeypatch.setattr(settings, "DEMO_AUDITS_DIR", tmp_path / "data" / "demo" / "audits")
    (tmp_path / "data").mkdir()
    with pytest.raises(StoreError) as before_demo:
        open_store()
    assert "Run `make demo` (or `caseaudit demo-data`)" in str(before_demo.value)
    open_store(settings.DEMO_DB_PATH, create=True).dispose()
    with pytest.raises(StoreError) as after_demo:
        open_store()
    assert str(after_demo.value) == (
        "There is no workbook database at data/workbook.db. To try the commands on the demo "
        "partnership, add --demo (caseaudit --demo export ...) or set CASEAUDIT_DB=data/demo.db "
        "and CASEAUDIT_AUDITS=data/demo/audits; to start real work run `caseaudit init`.")


def _damage(path: Path) -> bytes:
    """Overwrite a page inside ``path`` with junk, as a failing disk or a bad copy does; returns
    the damaged file's bytes. The page is an index's root, found by name, so that the damage
    falls on the same kind of page whatever tables the schema adds (SQLite's check names a damaged
    index page; a damaged table page stops it with "malformed", refused the same way)."""
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master "
                            "WHERE name = 'ix_revisions_form_time'").fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * 4096)
        fh.write(bytes(range(256)) * 16)
    return path.read_bytes()


def test_a_damaged_database_is_refused_and_left_as_it_is(tmp_path: Path, small_partnership,  # type: ignore[no-untyped-def]
                                                        jtai: Framework) -> None:
    from caseaudit.synthetic import write_partnership

    path = tmp_path / "filled.db"
    store = open_store(path, create=True)
    write_partnership(small_partnership, tmp_path / "audits", store, jtai)
    store.dispose()
    assert path.stat().st_size > 3 * 4096 and not Path(f"{path}-wal").exists()
    damaged = _damage(path)
    with pytest.raises(StoreError) as caught:
        open_store(path)
    message = str(caught.value)
    assert message.startswith(f"The database {path} is damaged (SQLite's check found: Page ")
    assert message.endswith("Restore it from a backup; nothing was changed.") and "\n" not in message
    assert path.read_bytes() == damaged


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://auditor:secret@db.invalid/workbook",
         "The database postgresql+psycopg://auditor:***@db.invalid/workbook needs the Python package "
         "psycopg, which is not installed: run `pip install 'caseaudit[postgres]'`"),
        ("postgresql+psycopg2://auditor@db.invalid/workbook", "needs the Python package psycopg2"),
        ("mysql://auditor:secret@db.invalid/workbook",
         "The workbook does not run on mysql (mysql://auditor:***@db.invalid/workbook); it runs on "
         "SQLite (a file path such as data/workbook.db) or PostgreSQL"),
        ("postgresql+nosuchdriver://db.invalid/workbook", "SQLAlchemy has no driver 'nosuchdriver'"),
        ("://secret@workbook", "is neither a file path nor a database URL that can be read"),
    ],
)
def test_a_database_url_the_workbook_cannot_use_is_named_with_the_fix(
        url: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for driver in ("psycopg", "psycopg2"):
        monkeypatch.setitem(__import__("sys").modules, driver, None)  # not installed
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert message in str(caught.value)
    assert "secret" not in str(caught.value)


def test_a_plain_postgresql_url_uses_the_driver_the_extra_installs() -> None:
    from caseaudit.settings import database_url

    assert database_url("postgresql://a@h/db") == "postgresql+psycopg://a@h/db"
    assert database_url("postgres://a@h/db") == "postgresql+psycopg://a@h/db"
    assert database_url("postgresql+psycopg2://a@h/db") == "postgresql+psycopg2://a@h/db"


def test_a_nul_character_in_a_note_is_dropped_alike_on_every_database(store: Store, audit: AuditRound,
                                                                      jtai: Framework) -> None:
    """PostgreSQL's text cannot hold NUL; it means nothing in a note, so the checks drop it and
    both databases keep the same note (an XLSX export's other control characters go there)."""
    case_id, agency, auditor = _a_form(audit)
    saved = store.save_form(audit, jtai, FormSave(case_id, agency, auditor, {"1.1": 2},
                                                  {"1.1": "Seen at home\x00 with\x0bmother."}))
    assert saved.notes == {"1.1": "Seen at home with\x0bmother."}
    assert store.form_history(audit.id, case_id, agency, auditor)[0].notes == saved.notes
