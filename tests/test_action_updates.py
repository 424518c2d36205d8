"""Progress updates on an inspection's actions in the store: append-only revisions like forms,
checked against the action plan before anything is written, flagged (not refused) when their
text looks like personal data, with drafts, and added to an older workbook by its upgrade."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from caseaudit.action_plan import STATUSES, ActionPlan
from caseaudit.errors import ConflictError
from caseaudit.store import (
    SCHEMA_VERSION,
    ActionUpdateSave,
    Store,
    UpdateRefused,
    open_store,
)
from tests.inspections import INSPECTION_ID, load_small, write_inspection

pytestmark = pytest.mark.both_databases

TODAY = date(2026, 9, 15)
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_TODAY", TODAY.isoformat())


@pytest.fixture
def plan(tmp_path: Path) -> ActionPlan:
    return load_small(write_inspection(tmp_path / "inspections"))[1]


def update(action_id: str = "A1.1", status: str = "on track", based_on: int | None = None,
           **changes: object) -> ActionUpdateSave:
    """An update as the form would hand it over, with ``changes``."""
    values: dict[str, object] = dict(
        inspection_id=INSPECTION_ID, action_id=action_id, status=status,
        recorded_on=date(2026, 9, 1), narrative="Synthetic: training delivered to two teams.",
        evidence="Training register, September", saved_by="BM-1", based_on=based_on)
    return ActionUpdateSave(**{**values, **changes})  # type: ignore[arg-type]


def nothing_written(store: Store) -> bool:
    statuses = store.action_statuses(INSPECTION_ID)
    return statuses.empty and all(store.action_history(INSPECTION_ID, a) == []
                                  for a in ("A1.1", "A1.2", "A2.1"))


def test_updates_are_revisions_read_back_oldest_first(store: Store, plan: ActionPlan) -> None:
    first = store.save_action_update(plan, update(status="On  Track ", narrative="  Synthetic: begun. "))
    assert (first.revision_no, first.status, first.narrative, first.flagged) == (
        1, "on track", "Synthetic: begun.", False)  # the plan's words, text trimmed
    second = store.save_action_update(plan, update(status="at risk", based_on=1,
                                                   recorded_on=date(2026, 9, 14),
                                                   narrative="Synthetic: one team's training "
                                                             "postponed.", saved_by="QA-LEAD"))
    assert second.revision_no == 2 and second.based_on == 1
    history = store.action_history(INSPECTION_ID, "A1.1")
    assert [(u.revision_no, u.status, u.recorded_on, u.saved_by) for u in history] == [
        (1, "on track", date(2026, 9, 1), "BM-1"), (2, "at risk", date(2026, 9, 14), "QA-LEAD")]
    assert history[1].narrative == "Synthetic: one team's training postponed."
    assert history[1].evidence == "Training register, September"
    assert history[0].saved_at <= history[1].saved_at
    assert store.action_history(INSPECTION_ID, "A1.2") == []


def test_statuses_are_each_actions_latest_now_or_as_of_a_time(store: Store, plan: ActionPlan) -> None:
    t0 = datetime(2026, 9, 1, 9, 0)
    store.save_action_update(plan, update(saved_at=t0))
    store.save_action_update(plan, update("A2.1", "not started", saved_at=t0 + timedelta(hours=1)))
    store.save_action_update(plan, update(status="complete", based_on=1,
                                          saved_at=t0 + timedelta(days=2)))
    now = store.action_statuses(INSPECTION_ID)
    assert list(now.columns) == ["action_id", "revision_no", "status", "recorded_on", "saved_by",
                                 "saved_at", "flagged"]  # no narrative, no evidence
    assert now[["action_id", "revision_no", "status"]].values.tolist() == [
        ["A1.1", 2, "complete"], ["A2.1", 1, "not started"]]
    assert now["recorded_on"].iloc[0] == pd.Timestamp("2026-09-01")
    then = store.action_statuses(INSPECTION_ID, as_of=t0 + timedelta(days=1))
    assert then[["action_id", "revision_no", "status"]].values.tolist() == [
        ["A1.1", 1, "on track"], ["A2.1", 1, "not started"]]
    before = store.action_statuses(INSPECTION_ID, as_of=t0 - timedelta(minutes=1))
    assert before.empty and list(before.columns) == list(now.columns)
    assert store.action_statuses("another-inspection").empty


def test_a_stale_update_is_refused_naming_who_saved_and_when(store: Store, plan: ActionPlan) -> None:
    theirs = store.save_action_update(plan, update(saved_by="QA-LEAD"))
    with pytest.raises(ConflictError) as refused:
        store.save_action_update(plan, update(status="off track", saved_by="BM-1"))  # opened blank
    message = str(refused.value)
    assert refused.value.saved_by == "QA-LEAD" and refused.value.latest == 1
    assert f"{theirs.saved_at:%Y-%m-%d %H:%M:%S} UTC" in message
    assert "the progress of action A1.1 (inspection 2025-10-jtai) was changed by QA-LEAD" in message
    assert "reload the form to see their update" in message
    with pytest.raises(ConflictError, match="after you opened revision 0"):
        store.save_action_update(plan, update(based_on=0))
    assert [u.status for u in store.action_history(INSPECTION_ID, "A1.1")] == ["on track"]


@pytest.mark.parametrize(("changes", "said"), [
    ({"action_id": "A9.9"}, "action 'A9.9' is not in inspection 2025-10-jtai's action plan "
                            "(action_plan.yaml), whose actions are A1.1, A1.2, A2.1"),
    ({"inspection_id": "2024-01-ilacs"}, "the update is for inspection '2024-01-ilacs', but the "
                                         "action plan given is inspection 2025-10-jtai's"),
    ({"status": "done"}, "status 'done' is not one of " + ", ".join(STATUSES)),
    ({"recorded_on": TODAY + timedelta(days=1)}, "the date recorded, 16 September 2026, is after "
                                                 "today (15 September 2026)"),
    ({"recorded_on": None}, "give the date the progress was recorded"),
    ({"narrative": "x" * 5_001}, "the narrative is 5,001 characters long, more than the 5,000"),
    ({"evidence": "y" * 6_000}, "the evidence reference is 6,000 characters long"),
    ({"saved_by": "  "}, "say who records the update"),
    ({"saved_by": "z" * 61}, "is longer than 60 characters"),
], ids=["unknown action", "other inspection", "status", "future", "no date", "long narrative",
        "long evidence", "nobody", "long recorder"])
def test_a_bad_update_is_refused_with_its_reason_and_writes_nothing(
        store: Store, plan: ActionPlan, changes: dict, said: str) -> None:
    with pytest.raises(UpdateRefused) as refused:
        store.save_action_update(plan, update(**changes))
    message = str(refused.value)
    assert message.startswith("The update of action ") and "nothing was written" in message
    assert said in message
    assert nothing_written(store)


def test_every_problem_is_listed_at_once(store: Store, plan: ActionPlan) -> None:
    with pytest.raises(UpdateRefused) as refused:
        store.save_action_update(plan, update(status="finished", recorded_on=date(2027, 1, 1),
                                              saved_by=""))
    assert len(refused.value.problems) == 3 and nothing_written(store)


def test_text_that_looks_like_personal_data_is_saved_and_flagged(store: Store, plan: ActionPlan) -> None:
    narrative = "Synthetic: spoke to the mother on 07700 900123 about the plan."
    saved = store.save_action_update(plan, update(narrative=narrative))
    assert saved.flagged and saved.narrative == narrative  # nothing lost
    evidence = store.save_action_update(plan, update("A1.2", evidence="Email from jo@example.org"))
    assert evidence.flagged
    clean = store.save_action_update(plan, update("A2.1"))
    assert not clean.flagged
    statuses = store.action_statuses(INSPECTION_ID).set_index("action_id")["flagged"]
    assert statuses.to_dict() == {"A1.1": True, "A1.2": True, "A2.1": False}
    assert store.action_history(INSPECTION_ID, "A1.1")[0].flagged


def test_a_draft_is_offered_until_an_update_overtakes_it(store: Store, plan: ActionPlan) -> None:
    assert store.action_draft(INSPECTION_ID, "A1.1") is None
    state = {"status": "at risk", "narrative": "Synthetic: half typed"}
    kept = store.save_action_draft(INSPECTION_ID, "A1.1", None, state, "BM-1")
    draft = store.action_draft(INSPECTION_ID, "A1.1")
    assert draft is not None and draft.state == state and draft.based_on is None
    assert (draft.saved_by, draft.saved_at) == ("BM-1", kept.saved_at)
    assert store.action_draft(INSPECTION_ID, "A1.2") is None  # one action's draft only
    assert store.action_statuses(INSPECTION_ID).empty  # a draft is not an update

    store.save_action_update(plan, update())  # the update overtakes the draft
    assert store.action_draft(INSPECTION_ID, "A1.1") is None
    store.save_action_draft(INSPECTION_ID, "A1.1", 1, {"status": "complete"}, "BM-1")
    assert store.action_draft(INSPECTION_ID, "A1.1").state == {"status": "complete"}
    store.save_action_draft(INSPECTION_ID, "A1.1", 1, {"status": "off track"}, "BM-1")
    assert store.action_draft(INSPECTION_ID, "A1.1").state == {"status": "off track"}  # latest


def test_updates_and_drafts_are_append_only(store: Store, plan: ActionPlan) -> None:
    store.save_action_update(plan, update())
    store.save_action_draft(INSPECTION_ID, "A1.1", 1, {}, "BM-1")
    for statement in ("UPDATE action_updates SET status = 'complete'", "DELETE FROM action_updates",
                      "DELETE FROM action_drafts"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    assert len(store.action_history(INSPECTION_ID, "A1.1")) == 1


def test_an_older_workbook_is_upgraded_to_take_updates(tmp_path: Path, plan: ActionPlan) -> None:
    path = tmp_path / "old.db"
    shutil.copy(DATA / "workbook-schema3.db", path)
    store = open_store(path)
    assert store.schema_version() == SCHEMA_VERSION == 6
    assert store.action_statuses(INSPECTION_ID).empty
    store.save_action_update(plan, update())
    store.save_action_draft(INSPECTION_ID, "A1.1", 1, {"status": "complete"}, "BM-1")
    with pytest.raises(ConflictError):
        store.save_action_update(plan, update())
    assert store.action_draft(INSPECTION_ID, "A1.1").state == {"status": "complete"}
    store.dispose()
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):  # guarded like the old logs
        conn.execute("DELETE FROM action_updates")
    conn.close()
    again = open_store(path)  # opening again changes nothing
    assert [u.revision_no for u in again.action_history(INSPECTION_ID, "A1.1")] == [1]
    again.dispose()
