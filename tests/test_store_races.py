"""Two saves of one record at the very same moment, each on its own connection: one is kept and
the other is refused with a ConflictError naming who saved first, on SQLite (whose write lock
queues them) and on PostgreSQL (where many saves run side by side), never a bare store error and
never two revisions where one was meant.

Each race is run several times, both threads released by a barrier once their stores are open,
so the saves really overlap: on PostgreSQL without the store's per-record lock most rounds end in
a unique-key error instead of the ConflictError asserted here.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest

from caseaudit.errors import ConflictError
from caseaudit.framework import Framework
from caseaudit.rounds import AuditRound
from caseaudit.store import ActionUpdateSave, FormSave, ModerationSave, Store, case_criteria, open_store
from tests.inspections import INSPECTION_ID, load_small, write_inspection

pytestmark = pytest.mark.both_databases

#: How many times each race is run (each on a record of its own).
RACES = 8

T = TypeVar("T")


def race(url: str, save: Callable[[Store, str], T]) -> tuple[list[T], list[BaseException]]:
    """Run ``save(store, who)`` for ``who`` in A and B at once, each on its own store (its own
    connection); what each returned, and what each raised."""
    stores = [open_store(url) for _ in range(2)]
    barrier = threading.Barrier(2)
    kept: list[T] = []
    refused: list[BaseException] = []

    def run(store: Store, who: str) -> None:
        store.engine.connect().close()  # the connection is made before the barrier
        barrier.wait()
        try:
            kept.append(save(store, who))
        except BaseException as exc:  # the test asserts what it was
            refused.append(exc)

    threads = [threading.Thread(target=run, args=(s, who)) for s, who in zip(stores, "AB", strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.dispose()
    return kept, refused


def assert_one_kept(kept: list, refused: list[BaseException], saved_by: str) -> None:  # type: ignore[type-arg]
    """Exactly one save kept and the other refused naming the one kept (``saved_by``)."""
    assert len(kept) == 1 and len(refused) == 1, refused
    assert isinstance(refused[0], ConflictError), repr(refused[0])
    assert refused[0].saved_by == saved_by
    assert f"was changed by {saved_by} at " in str(refused[0])


def test_two_first_saves_of_one_form_keep_one(store: Store, database_url: Callable[[str], str],
                                              audit: AuditRound, jtai: Framework) -> None:
    for case in audit.cases[:RACES]:
        agency = case.agencies[0]
        auditor = next(a.id for a in audit.auditors if a.agency == agency)
        form = FormSave(case.id, agency, auditor, {})
        kept, refused = race(database_url("workbook"), lambda s, who, form=form: s.save_form(
            audit, jtai, dataclasses.replace(form, grades={"1.1": 2 if who == "A" else 3}, saved_by=who)))
        assert_one_kept(kept, refused, kept[0].saved_by)
        history = store.form_history(audit.id, case.id, agency, auditor)
        assert [(r.revision_no, r.saved_by) for r in history] == [(1, kept[0].saved_by)]
    counts = store.grade_counts(status=None)
    assert counts["count"].sum() == RACES  # the tally counts the kept saves only


def test_two_saves_on_one_revision_keep_one(store: Store, database_url: Callable[[str], str],
                                            audit: AuditRound, jtai: Framework) -> None:
    for case in audit.cases[:RACES]:
        agency = case.agencies[0]
        auditor = next(a.id for a in audit.auditors if a.agency == agency)
        store.save_form(audit, jtai, FormSave(case.id, agency, auditor, {"1.1": 1}))
        form = FormSave(case.id, agency, auditor, {"1.1": 2}, based_on=1)
        kept, refused = race(database_url("workbook"), lambda s, who, form=form: s.save_form(
            audit, jtai, dataclasses.replace(form, saved_by=who)))
        assert_one_kept(kept, refused, kept[0].saved_by)
        assert refused[0].based_on == 1 and refused[0].latest == 2
        history = store.form_history(audit.id, case.id, agency, auditor)
        assert [r.revision_no for r in history] == [1, 2] and history[1].saved_by == kept[0].saved_by


def test_two_moderations_of_one_case_keep_one(store: Store, database_url: Callable[[str], str],
                                              audit: AuditRound, jtai: Framework) -> None:
    for case in audit.cases[:RACES]:
        cid = case_criteria(jtai, case)[0]
        kept, refused = race(database_url("workbook"), lambda s, who, c=case.id, cid=cid: s.save_moderation(
            audit, jtai, ModerationSave(c, {cid: 2}, saved_by=who)))
        assert_one_kept(kept, refused, kept[0].saved_by)
        assert [m.saved_by for m in store.moderation_history(audit.id, case.id)] == [kept[0].saved_by]


def test_two_updates_of_one_action_keep_one(store: Store, database_url: Callable[[str], str],
                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_TODAY", "2026-09-15")
    plan = load_small(write_inspection(tmp_path / "inspections"))[1]
    for based_on in (None, 1, 2, 3):
        kept, refused = race(database_url("workbook"), lambda s, who, on=based_on: s.save_action_update(
            plan, ActionUpdateSave(INSPECTION_ID, "A1.1", "on track", date(2026, 9, 1),
                                   f"Synthetic: update by {who}.", "", who, based_on=on)))
        assert_one_kept(kept, refused, kept[0].saved_by)
        assert refused[0].latest == (based_on or 0) + 1
        history = store.action_history(INSPECTION_ID, "A1.1")
        assert len(history) == (based_on or 0) + 1 and history[-1].saved_by == kept[0].saved_by
