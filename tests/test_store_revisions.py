"""The revision engine as moderations, drafts and round events use it: head pointers, stale saves,
all-or-none batches, the change marker, and database errors turned into the workbook's own."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from caseaudit.errors import ConflictError, GradeError, StoreError
from caseaudit.framework import NOT_APPLICABLE, NOT_GRADED, Framework
from caseaudit.rounds import AuditRound
from caseaudit.store import FormSave, ModerationSave, Store, case_criteria, open_store

pytestmark = pytest.mark.both_databases


def test_a_moderation_holds_answers_and_its_head_moves_with_each_save(
        store: Store, audit: AuditRound, jtai: Framework) -> None:
    case = audit.cases[0]
    criteria = case_criteria(jtai, case)
    first = store.save_moderation(audit, jtai, ModerationSave(
        case.id, {criteria[0]: "Good", criteria[1]: "n/a", criteria[2]: ""}, saved_by="LEAD-1"))
    assert first.grades == {criteria[0]: 2, criteria[1]: NOT_APPLICABLE}  # blank: not graded
    assert first.overall is NOT_GRADED
    second = store.save_moderation(audit, jtai, ModerationSave(
        case.id, {criteria[0]: 3}, overall="Good", based_on=1, saved_by="LEAD-2"))
    history = store.moderation_history(audit.id, case.id)
    assert [m.grades for m in history] == [first.grades, {criteria[0]: 3}]
    assert [m.overall for m in history] == [NOT_GRADED, 2] and second.overall == 2
    heads = store.moderation_heads([audit.id])
    assert heads[["case_id", "revision_no", "overall_grade", "agreed"]].values.tolist() == [
        [case.id, 2, 2, 1]]
    with pytest.raises(ConflictError) as caught:  # a laptop still on revision 1
        store.save_moderation(audit, jtai, ModerationSave(case.id, {criteria[0]: 1}, based_on=1,
                                                          saved_by="LEAD-1"))
    assert caught.value.saved_by == "LEAD-2" and caught.value.latest == 2
    with pytest.raises(StoreError, match="has no saved revision 5; open it again"):
        store.save_moderation(audit, jtai, ModerationSave(audit.cases[1].id, {}, based_on=5,
                                                          saved_by="LEAD-1"))


def test_current_moderations_are_what_the_head_points_at(store: Store, audit: AuditRound,
                                                         jtai: Framework) -> None:
    """A revision row the head does not point at (a save that never finished moving it, in a
    database repaired by hand) is history, not the current moderation."""
    case = audit.cases[0]
    cid = case_criteria(jtai, case)[0]
    store.save_moderation(audit, jtai, ModerationSave(case.id, {cid: 2}, overall=2,
                                                      saved_by="LEAD-1"))
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO moderations (round_id, case_id, revision_no, based_on, framework_id, "
            "framework_version, overall_grade, strengths, development, themes, saved_by, saved_at) "
            f"VALUES ('{audit.id}', '{case.id}', 7, 1, 'x', '1', 4, '', '', '[]', 'X', "
            "'2026-01-01 00:00:00')")
    assert len(store.moderation_history(audit.id, case.id)) == 2
    assert store.moderation_heads([audit.id])["revision_no"].tolist() == [1]
    assert store.current_moderations(audit.id)["revision_no"].tolist() == [1]
    assert store.current_moderations(audit.id)["overall_grade"].tolist() == [2]


def test_a_draft_is_offered_only_on_top_of_the_current_moderation(
        store: Store, audit: AuditRound, jtai: Framework) -> None:
    case = audit.cases[0]
    cid = case_criteria(jtai, case)[0]
    store.save_moderation_draft(audit.id, case.id, None, {"grades": {cid: 3}}, "LEAD-1")
    assert store.moderation_draft(audit.id, case.id).state == {"grades": {cid: 3}}
    store.save_moderation(audit, jtai, ModerationSave(case.id, {cid: 2}, saved_by="LEAD-1"))
    assert store.moderation_draft(audit.id, case.id) is None  # the save overtook it
    store.save_moderation_draft(audit.id, case.id, None, {"grades": {cid: 4}}, "LEAD-2")
    assert store.moderation_draft(audit.id, case.id) is None  # kept on a stale page: not offered
    store.save_moderation_draft(audit.id, case.id, 1, {"grades": {cid: 1}}, "LEAD-1")
    assert store.moderation_draft(audit.id, case.id).saved_by == "LEAD-1"


def test_a_batch_of_moderations_is_saved_whole_or_not_at_all(
        store: Store, audit: AuditRound, jtai: Framework, submit: Callable[..., None]) -> None:
    one, two = audit.cases[0], audit.cases[1]
    submit(audit, two, "CSC", every=1)
    good = ModerationSave(one.id, {case_criteria(jtai, one)[0]: 2}, saved_by="LEAD-1")
    unexplained = ModerationSave(two.id, {"1.1": 4}, saved_by="LEAD-1")  # differs, no rationale
    with pytest.raises(GradeError, match=r"1\.1: the agreed grade Inadequate differs from CSC"):
        store.save_moderations(audit, jtai, [good, unexplained])
    stale = ModerationSave(two.id, {"1.1": 1}, based_on=1, saved_by="LEAD-1")
    with pytest.raises(StoreError, match="has no saved revision 1"):
        store.save_moderations(audit, jtai, [good, stale])
    assert store.moderation_heads().empty and store.current_moderations().empty
    explained = ModerationSave(two.id, {"1.1": 4}, {"1.1": "Agreed after discussion."},
                               saved_by="LEAD-1")
    saved = store.save_moderations(audit, jtai, [good, explained])
    assert [m.revision_no for m in saved] == [1, 1]
    assert store.moderation_heads()["case_id"].tolist() == sorted([one.id, two.id])


def test_an_overall_grade_cannot_be_not_applicable(store: Store, audit: AuditRound,
                                                  jtai: Framework) -> None:
    with pytest.raises(GradeError, match="overall grade cannot be 'not applicable'"):
        store.save_moderation(audit, jtai, ModerationSave(audit.cases[0].id, {}, overall="n/a",
                                                          saved_by="LEAD-1"))
    assert store.moderation_heads().empty


def test_the_change_marker_moves_with_every_result_and_not_with_drafts(
        tmp_path: Path, audit: AuditRound, jtai: Framework, submit: Callable[..., None]) -> None:
    store = open_store(tmp_path / "w.db", create=True)
    other = open_store(tmp_path / "w.db")  # another kernel on the same database
    seen = [store.last_change()]

    def changed() -> bool:
        now = store.last_change()
        assert other.last_change() == now
        moved = now != seen[-1]
        seen.append(now)
        return moved

    case = audit.cases[0]
    cid = case_criteria(jtai, case)[0]
    submit(audit, case, "CSC", into=store)
    assert changed()
    store.current_responses(audit.id)
    assert not changed()  # reading changes nothing
    store.save_moderation_draft(audit.id, case.id, None, {"grades": {cid: 2}}, "LEAD-1")
    assert not changed()  # a draft is nobody's result
    store.save_moderation(audit, jtai, ModerationSave(case.id, {cid: 2}, saved_by="LEAD-1"))
    assert changed()
    store.close_round(audit.id, "LEAD-1")
    assert changed()
    store.reopen_round(audit.id, "LEAD-1", "a grade was recorded wrongly")
    assert changed()
    assert len(set(seen)) == 5
    store.dispose()
    other.dispose()


# -- database errors become the workbook's own --------------------------------------------------------

def _writes(audit: AuditRound, jtai: Framework) -> dict[str, Callable[[Store], object]]:
    """Every kind of save, each writing something new to a store holding one submitted form."""
    case = audit.cases[0]
    cid = case_criteria(jtai, case)[0]
    auditor = next(a.id for a in audit.auditors if a.agency == "CSC")
    return {
        "a form save": lambda s: s.save_form(audit, jtai, FormSave(
            case.id, "CSC", auditor, {cid: 2}, status="draft", based_on=1)),
        "a moderation save": lambda s: s.save_moderation(audit, jtai, ModerationSave(
            case.id, {cid: 2}, saved_by="LEAD-1")),
        "a moderation draft": lambda s: s.save_moderation_draft(
            audit.id, case.id, None, {"grades": {cid: 2}}, "LEAD-1"),
        "closing the round": lambda s: s.close_round(audit.id, "LEAD-1"),
    }


@pytest.fixture
def one_form(tmp_path: Path, audit: AuditRound, jtai: Framework) -> Iterator[Path]:
    """An SQLite file holding one submitted form (its tests are about SQLite's file and lock,
    so they run on SQLite only)."""
    path = tmp_path / "workbook.db"
    store = open_store(path, create=True)
    auditor = next(a.id for a in audit.auditors if a.agency == "CSC")
    store.save_form(audit, jtai, FormSave(audit.cases[0].id, "CSC", auditor,
                                          {c.id: 2 for c in jtai.criteria_for("CSC")}, status="submitted"))
    store.dispose()
    yield path


def _nothing_written(path: Path, audit: AuditRound) -> None:
    store = open_store(path)
    assert len(store.form_statuses()) == 1 and store.form_statuses()["revision_no"].tolist() == [1]
    assert store.moderation_heads().empty and not store.round_locked(audit.id)
    assert store.moderation_draft(audit.id, audit.cases[0].id) is None
    store.dispose()


@pytest.mark.parametrize("write", ["a form save", "a moderation save", "a moderation draft",
                                   "closing the round"])
def test_a_read_only_database_refuses_every_save_with_a_message(
        one_form: Path, audit: AuditRound, jtai: Framework, write: str) -> None:
    store = open_store(one_form)
    store.dispose()
    sa.event.listen(store.engine, "connect",
                    lambda dbapi_conn, _record: dbapi_conn.execute("PRAGMA query_only = 1"))
    with pytest.raises(StoreError) as caught:
        _writes(audit, jtai)[write](store)
    assert type(caught.value) is StoreError and "sqlalchemy" not in str(caught.value).lower()
    assert "cannot be written (read-only file or folder)" in str(caught.value)
    assert "was not saved" in str(caught.value) and "check its permissions" in str(caught.value)
    store.dispose()
    _nothing_written(one_form, audit)


@pytest.mark.parametrize("write", ["a form save", "a moderation save", "a moderation draft",
                                   "closing the round"])
def test_a_database_kept_busy_refuses_every_save_with_a_message(
        one_form: Path, audit: AuditRound, jtai: Framework, write: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from caseaudit.store import connect

    monkeypatch.setattr(connect, "BUSY_TIMEOUT_MS", 50)
    store = open_store(one_form)
    holder = sqlite3.connect(one_form, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(StoreError) as caught:
            _writes(audit, jtai)[write](store)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert type(caught.value) is StoreError
    assert "stayed busy with another save for too long" in str(caught.value)
    assert "try again in a moment" in str(caught.value)
    store.dispose()
    _nothing_written(one_form, audit)
