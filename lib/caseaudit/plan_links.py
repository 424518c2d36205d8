"""The links between an inspection's action plan and practice weeks, read from both ends.

An action may say which practice weeks' areas for development it answers
(:class:`caseaudit.action_plan.PracticeWeekLink`): a link, not a copy, so neither side holds the
other's words or figures. The plan's pages read the links from the plan (:func:`plan_links`, with
each action's status from its progress); a practice week's report reads them the other way,
from every inspection's plan that names the week (:func:`actions_answering`), with each action's
latest status from the store. Only the plan's own words and a status: never an update's
narrative or who recorded it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .action_plan import NOT_STARTED, ActionPlan

if TYPE_CHECKING:
    from .rounds import AuditRound
    from .store import Store

LINK_COLUMNS = ["inspection_id", "area_id", "action_id", "description", "lead_agency",
                "lead_role", "due", "status", "overdue", "round_id", "week", "criterion",
                "criterion_title"]


def plan_links(plan: ActionPlan, progress: pd.DataFrame,
               weeks: Mapping[str, AuditRound]) -> pd.DataFrame:
    """One row per practice-week link of ``plan``'s actions, in the plan's order: the action
    (its area, words, lead, due date, and its status and whether overdue from ``progress``, as
    :func:`caseaudit.plan_progress.action_progress` gives them) and the week (its title from
    ``weeks``, the rounds by id) and criterion with its title. A week not in ``weeks`` (read
    before the plan was checked) keeps its id as its title."""
    status = {str(r.action_id): (str(r.status), bool(r.overdue))
              for r in progress.itertuples(index=False)} if len(progress) else {}
    rows = []
    for area, action in plan.all_actions():
        for link in action.from_practice_weeks:
            week = weeks.get(link.round)
            titles = ({c.id: c.title for _, c in week.load_framework().criteria()}
                      if week is not None else {})
            state, overdue = status.get(action.id, (NOT_STARTED, False))
            rows.append({"inspection_id": plan.inspection, "area_id": area.area,
                         "action_id": action.id, "description": action.description,
                         "lead_agency": action.lead_agency, "lead_role": action.lead_role,
                         "due": action.due, "status": state, "overdue": overdue,
                         "round_id": link.round,
                         "week": week.title if week is not None else link.round,
                         "criterion": link.criterion,
                         "criterion_title": titles.get(link.criterion, "")})
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def actions_answering(store: Store, week: AuditRound, *, inspections: str | Path | None = None,
                      audits: str | Path | None = None, as_of: datetime | None = None,
                      today: date | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Every action, in any inspection's plan in ``inspections``, that names a criterion of
    ``week``, with its latest status from the store (now or ``as_of`` a time; overdue against
    ``today``, else :func:`caseaudit.settings.today`), as :func:`plan_links` rows; and a sentence
    for each plan that could not be read, so a broken plan is said rather than its links lost
    without a word. An inspection without a plan yet links nothing."""
    from . import settings
    from .action_plan import load_plan, plan_path
    from .errors import WorkbookError
    from .inspection import list_inspection_ids, load_inspection
    from .plan_progress import action_progress

    today = today or (as_of.date() if as_of is not None else settings.today())
    frames, said = [], []
    for inspection_id in list_inspection_ids(inspections):
        try:
            inspection = load_inspection(inspection_id, inspections)
            if not plan_path(inspection, inspections).exists():
                continue
            plan = load_plan(inspection, inspections=inspections, audits=audits)
        except WorkbookError as exc:
            said.append(f"The action plan of inspection {inspection_id} could not be read, so "
                        f"any action it links to this week is not shown ({_first_line(exc)}). "
                        f"Check it with: caseaudit inspection check {inspection_id}")
            continue
        if not any(link.round == week.id for _, action in plan.all_actions()
                   for link in action.from_practice_weeks):
            continue
        progress = action_progress(plan, inspection, store.action_statuses(inspection.id, as_of),
                                   today)
        links = plan_links(plan, progress, {week.id: week})
        frames.append(links[links["round_id"] == week.id])
    if not frames:
        return pd.DataFrame(columns=LINK_COLUMNS), said
    return pd.concat(frames, ignore_index=True), said


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0].rstrip(":. ")
