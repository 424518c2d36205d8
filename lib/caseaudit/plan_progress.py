"""How the action plan is going: each action's latest status against a given day, and the counts
by area for improvement that the board's dashboard and the committee's report show.

Functions of frames: the plan and its inspection are the model, the statuses a frame the store
returns (:meth:`caseaudit.store.Store.action_statuses`, latest update per action), and ``today``
is passed in, never read from the clock here, so that "overdue" in a test or a report made for a
meeting does not move with the calendar (:func:`caseaudit.settings.today` gives the day to pass).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from .action_plan import COMPLETE, NOT_STARTED, STATUSES, ActionPlan
from .inspection import Inspection

#: Days ahead within which an action not yet complete counts as due soon.
SOON_DAYS = 28
PROGRESS_COLUMNS = ["area_id", "area_title", "action_id", "description", "lead_agency",
                    "lead_role", "start", "due", "status", "recorded_on", "overdue", "due_soon",
                    "days_overdue"]
BY_AREA_COLUMNS = ["area_id", "area_title", "actions", *STATUSES, "overdue"]


def _latest(statuses: pd.DataFrame | None) -> dict[str, tuple[str, object]]:
    """Action id -> (status, recorded_on) of its latest update (highest revision)."""
    if statuses is None or statuses.empty:
        return {}
    latest = statuses
    if "revision_no" in statuses.columns:
        latest = statuses.sort_values("revision_no", kind="stable")
    latest = latest.drop_duplicates("action_id", keep="last")
    unknown = sorted(set(latest["status"]) - set(STATUSES))
    if unknown:
        raise ValueError(f"statuses {unknown} are not among {STATUSES}")
    return {str(row.action_id): (str(row.status), row.recorded_on)
            for row in latest.itertuples(index=False)}


def action_progress(plan: ActionPlan, inspection: Inspection, statuses: pd.DataFrame | None,
                    today: date, soon_days: int = SOON_DAYS) -> pd.DataFrame:
    """One row per action of ``plan``, in the plan's order, with its latest status ("not
    started" when nothing has been recorded) and whether it is overdue or due soon on ``today``.

    An action is *overdue* when its due date is before ``today`` and it is not complete, so one
    due today is not yet overdue; *due soon* when it is due between ``today`` and ``soon_days``
    ahead, inclusive, and not complete. A complete action is never either: its due date is
    history. ``start``, ``due`` and ``recorded_on`` are datetime64 days (``recorded_on`` NaT for
    an action never updated); updates for actions no longer in the plan are left out.
    """
    latest = _latest(statuses)
    horizon = today + timedelta(days=soon_days)
    rows = []
    for area, action in plan.all_actions():
        status, recorded_on = latest.get(action.id, (NOT_STARTED, None))
        done = status == COMPLETE
        overdue = action.due < today and not done
        rows.append({
            "area_id": area.area,
            "area_title": inspection.areas_by_id[area.area].title
            if area.area in inspection.areas_by_id else area.area,
            "action_id": action.id, "description": action.description,
            "lead_agency": action.lead_agency, "lead_role": action.lead_role,
            "start": action.start, "due": action.due, "status": status,
            "recorded_on": recorded_on,
            "overdue": overdue,
            "due_soon": today <= action.due <= horizon and not done,
            "days_overdue": (today - action.due).days if overdue else 0,
        })
    frame = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    for column in ("start", "due", "recorded_on"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    return frame.astype({"overdue": bool, "due_soon": bool, "days_overdue": "int64"})


def progress_by_area(progress: pd.DataFrame) -> pd.DataFrame:
    """Per area for improvement (in the plan's order): how many actions, how many at each
    status, and how many overdue. Counts of actions are not about children and need no
    suppression."""
    if progress.empty:
        return pd.DataFrame(columns=BY_AREA_COLUMNS).astype(
            {c: "int64" for c in ["actions", *STATUSES, "overdue"]})
    keys = ["area_id", "area_title"]
    counts = pd.crosstab([progress["area_id"], progress["area_title"]], progress["status"])
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    grouped = progress.groupby(keys, sort=False)
    out = grouped.size().rename("actions").to_frame()
    out = out.join(counts).join(grouped["overdue"].sum().astype("int64"))
    out = out.reset_index()[BY_AREA_COLUMNS]
    out.columns.name = None
    return out.astype({c: "int64" for c in ["actions", *STATUSES, "overdue"]})
