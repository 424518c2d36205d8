"""How the plan is going against a fixed day: each action's latest status, overdue and due soon,
and the counts by area."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from caseaudit.action_plan import STATUSES, ActionPlan, load_plan
from caseaudit.example_inspection import EXAMPLE_INSPECTION_ID, copy_example_inspection
from caseaudit.inspection import Inspection, load_inspection
from caseaudit.plan_progress import BY_AREA_COLUMNS, PROGRESS_COLUMNS, action_progress, progress_by_area

#: The day the tests count against: A1.1 was due the day before, A3.1 a month before.
TODAY = date(2026, 10, 1)


@pytest.fixture
def example(tmp_path: Path) -> tuple[Inspection, ActionPlan]:
    copy_example_inspection(tmp_path)
    inspection = load_inspection(EXAMPLE_INSPECTION_ID, tmp_path)
    return inspection, load_plan(inspection, inspections=tmp_path)


def _statuses(*updates: tuple[str, str, date, int]) -> pd.DataFrame:
    """A frame shaped like Store.action_statuses: (action, status, recorded on, revision)."""
    return pd.DataFrame([{"action_id": a, "revision_no": n, "status": s, "recorded_on": d,
                          "saved_by": "BM-1", "saved_at": datetime(2026, 9, 1, 12), "flagged": False}
                         for a, s, d, n in updates])


def _row(progress: pd.DataFrame, action_id: str) -> pd.Series:
    return progress.set_index("action_id").loc[action_id]


def test_overdue_is_past_due_and_not_complete(example: tuple[Inspection, ActionPlan]) -> None:
    inspection, plan = example
    progress = action_progress(plan, inspection, _statuses(
        ("A1.1", "on track", date(2026, 9, 15), 1),     # due 30 Sep: yesterday
        ("A3.1", "complete", date(2026, 8, 20), 2),     # due 31 Aug, complete
        ("A4.1", "at risk", date(2026, 9, 20), 1),      # due 31 Oct
    ), TODAY)
    assert list(progress.columns) == PROGRESS_COLUMNS
    assert list(progress["action_id"]) == list(plan.actions_by_id)
    a11 = _row(progress, "A1.1")
    assert (a11["status"], a11["overdue"], a11["days_overdue"]) == ("on track", True, 1)
    assert not a11["due_soon"]
    a31 = _row(progress, "A3.1")
    assert (a31["overdue"], a31["days_overdue"], a31["due_soon"]) == (False, 0, False)
    a41 = _row(progress, "A4.1")
    assert (a41["status"], a41["overdue"], a41["due_soon"]) == ("at risk", False, False)
    assert a41["recorded_on"] == pd.Timestamp("2026-09-20")
    a21 = _row(progress, "A2.1")  # never updated
    assert a21["status"] == "not started" and pd.isna(a21["recorded_on"])
    assert a21["area_title"] == "Performance information and data"
    assert progress["overdue"].dtype == bool and progress["days_overdue"].dtype == "int64"


def test_never_updated_and_past_due_is_overdue_not_started(example: tuple[Inspection, ActionPlan]) -> None:
    inspection, plan = example
    progress = action_progress(plan, inspection, _statuses(), date(2026, 9, 3))
    a31 = _row(progress, "A3.1")
    assert (a31["status"], a31["overdue"], a31["days_overdue"]) == ("not started", True, 3)
    assert set(progress["status"]) == {"not started"}


def test_due_today_is_due_soon_not_overdue(example: tuple[Inspection, ActionPlan]) -> None:
    inspection, plan = example
    on_the_day = action_progress(plan, inspection, _statuses(("A1.1", "on track", TODAY, 1)),
                                 date(2026, 9, 30))
    a11 = _row(on_the_day, "A1.1")
    assert (a11["overdue"], a11["due_soon"], a11["days_overdue"]) == (False, True, 0)
    # A4.1 is due on 31 October: 28 days ahead of 3 October is the last day it is "due soon"
    assert _row(action_progress(plan, inspection, None, date(2026, 10, 3)), "A4.1")["due_soon"]
    assert not _row(action_progress(plan, inspection, None, date(2026, 10, 2)), "A4.1")["due_soon"]
    assert _row(action_progress(plan, inspection, None, date(2026, 10, 2), soon_days=29),
                "A4.1")["due_soon"]


def test_the_latest_update_counts_and_others_are_left_out(example: tuple[Inspection, ActionPlan]) -> None:
    inspection, plan = example
    progress = action_progress(plan, inspection, _statuses(
        ("A1.1", "complete", date(2026, 9, 29), 3),
        ("A1.1", "on track", date(2026, 7, 1), 1),
        ("A1.1", "off track", date(2026, 8, 1), 2),
        ("A0.9", "on track", date(2026, 7, 1), 1),  # an action since removed from the plan
    ), TODAY)
    assert _row(progress, "A1.1")["status"] == "complete"
    assert not _row(progress, "A1.1")["overdue"]
    assert "A0.9" not in set(progress["action_id"])
    with pytest.raises(ValueError, match="'done'"):
        action_progress(plan, inspection, _statuses(("A1.1", "done", TODAY, 1)), TODAY)


def test_progress_by_area_counts_each_status_and_the_overdue(example: tuple[Inspection, ActionPlan]) -> None:
    inspection, plan = example
    progress = action_progress(plan, inspection, _statuses(
        ("A1.1", "on track", date(2026, 9, 15), 1),
        ("A3.1", "complete", date(2026, 8, 20), 1),
        ("A4.1", "off track", date(2026, 9, 20), 1),
    ), TODAY)
    by_area = progress_by_area(progress)
    assert list(by_area.columns) == BY_AREA_COLUMNS
    assert list(by_area["area_id"]) == [f"A{i}" for i in range(1, 10)]
    row = by_area.set_index("area_id")
    assert row.loc["A1", ["actions", "on track", "overdue"]].tolist() == [1, 1, 1]
    assert row.loc["A3", ["complete", "overdue"]].tolist() == [1, 0]
    assert row.loc["A4", "off track"] == 1 and row.loc["A2", "not started"] == 1
    assert by_area[list(STATUSES)].to_numpy().sum() == by_area["actions"].sum() == 9
    assert by_area["overdue"].sum() == int(progress["overdue"].sum()) == 1
    empty = progress_by_area(progress.iloc[0:0])
    assert list(empty.columns) == BY_AREA_COLUMNS and empty.empty
