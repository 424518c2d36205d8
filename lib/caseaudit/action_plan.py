"""The action plan that answers an inspection: for each area for improvement, the outcome for
children it aims at, its actions, and the audit criteria that will show whether they worked.

The plan lives in ``<inspections>/<id>/action_plan.yaml`` beside the inspection it answers. It is
a document the partnership agrees and then changes rarely (an audit lead edits it, in YAML or
through the Excel round trip of :mod:`caseaudit.plan_excel`); progress on its actions is recorded
as updates in the store, which keep every revision. Loading checks the plan against its
inspection and framework, because an action naming an area or a criterion that does not exist
would otherwise show up only as an impact that can never be measured.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date
from functools import cached_property
from pathlib import Path

from pydantic import Field, model_validator

from ._yaml import ReferenceProblems, read_yaml, validate_model
from .errors import FrameworkError, NotFoundError, PlanError, Problem
from .framework import Identifier, _Strict
from .inspection import Inspection, framework_criteria_problem, inspection_dir

#: What an update may say about an action, in the order of a plan's life.
STATUSES = ("not started", "on track", "at risk", "off track", "complete")
NOT_STARTED = STATUSES[0]
COMPLETE = STATUSES[-1]

#: A lead agency that is the partnership as a whole rather than one agency of the framework.
PARTNERSHIP = "Partnership"

PLAN_FILE = "action_plan.yaml"


class Action(_Strict):
    """One action: who leads it (an agency and a role, never a person's name), when, how success
    is judged, and which audit criteria will show its impact."""

    id: Identifier
    description: str = Field(min_length=1)
    lead_agency: Identifier
    lead_role: str = Field(min_length=1, max_length=200)
    start: date
    due: date
    success_measure: str = Field(min_length=1)
    criteria: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> Action:
        if self.due < self.start:
            raise ReferenceProblems([(("due",), f"the action is due ({self.due}) before it "
                                      f"starts ({self.start}); correct one of the dates")])
        return self


class AreaPlan(_Strict):
    """The plan for one area for improvement of the inspection's letter."""

    area: Identifier
    outcome: str = Field(min_length=1)
    governance_owner: str = Field(min_length=1)
    actions: list[Action] = Field(default_factory=list)


class ActionPlan(_Strict):
    """The whole plan for one inspection."""

    inspection: Identifier
    areas: list[AreaPlan] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> ActionPlan:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        areas: set[str] = set()
        actions: set[str] = set()
        for i, area in enumerate(self.areas):
            if area.area in areas:
                problems.append((("areas", i, "area"), f"area '{area.area}' has two sections; "
                                 "merge their actions into one"))
            areas.add(area.area)
            for j, action in enumerate(area.actions):
                if action.id in actions:
                    problems.append((("areas", i, "actions", j, "id"), f"action id '{action.id}' "
                                     "is used twice; give each action its own"))
                actions.add(action.id)
        if problems:
            raise ReferenceProblems(problems)
        return self

    @cached_property
    def actions_by_id(self) -> dict[str, Action]:
        return {action.id: action for _, action in self.all_actions()}

    @cached_property
    def area_of(self) -> dict[str, str]:
        """Action id -> the id of the area for improvement it answers."""
        return {action.id: area.area for area, action in self.all_actions()}

    def all_actions(self) -> list[tuple[AreaPlan, Action]]:
        """Every action with its area's plan, in the plan's order."""
        return [(area, action) for area in self.areas for action in area.actions]


def plan_path(inspection: Inspection, inspections: str | Path | None = None) -> Path:
    """Where ``inspection``'s plan is kept."""
    return inspection_dir(inspection.id, inspections) / PLAN_FILE


def plan_problems(plan: ActionPlan, inspection: Inspection,
                  line_of: Callable[[tuple[str | int, ...]], int | None] | None = None
                  ) -> list[Problem]:
    """What in ``plan`` does not fit ``inspection`` and its framework: the checks shared by the
    YAML file and the Excel plan read back (``line_of`` places a problem in the YAML file)."""
    from .privacy import find_personal_data

    def line(loc: tuple[str | int, ...]) -> int | None:
        return line_of(loc) if line_of is not None else None

    problems: list[Problem] = []
    if plan.inspection != inspection.id:
        problems.append(Problem("inspection", f"the plan is for inspection '{plan.inspection}', "
                                f"not '{inspection.id}'; correct the id", line(("inspection",))))
    try:
        framework = inspection.load_framework()
    except (NotFoundError, FrameworkError) as exc:
        framework = None
        problems.append(Problem("inspection", "the inspection's framework cannot be used: "
                                f"{str(exc).splitlines()[0]}"))
    agencies = [*(framework.agency_ids if framework is not None else []), PARTNERSHIP]
    known_areas = ", ".join(inspection.areas_by_id)
    for i, area in enumerate(plan.areas):
        if area.area not in inspection.areas_by_id:
            problems.append(Problem(f"areas[{i}].area", f"area '{area.area}' is not one of "
                                    f"inspection {inspection.id}'s areas for improvement "
                                    f"({known_areas}); use one of those ids",
                                    line(("areas", i, "area"))))
        for j, action in enumerate(area.actions):
            place = f"areas[{i}].actions[{j}]"
            loc = ("areas", i, "actions", j)
            if framework is not None and action.lead_agency not in agencies:
                problems.append(Problem(f"{place}.lead_agency", f"lead agency "
                                        f"'{action.lead_agency}' is not one of "
                                        f"{', '.join(agencies)}; use one of those",
                                        line((*loc, "lead_agency"))))
            if any(f.kind == "name" for f in find_personal_data(action.lead_role)):
                problems.append(Problem(f"{place}.lead_role", f"'{action.lead_role}' looks like "
                                        "a person's name; write the role (e.g. 'Head of "
                                        "Service'), never a name", line((*loc, "lead_role"))))
            for k, cid in enumerate(action.criteria):
                if framework is not None and (why := framework_criteria_problem(framework, cid)):
                    problems.append(Problem(f"{place}.criteria[{k}]", why,
                                            line((*loc, "criteria", k))))
    return problems


def load_plan(inspection: Inspection, path: str | Path | None = None,
              inspections: str | Path | None = None) -> ActionPlan:
    """Load and validate ``inspection``'s action plan (its action_plan.yaml unless ``path``).

    Raises
    ------
    NotFoundError
        if there is no plan yet, saying how to start one.
    PlanError
        naming the file, place, line and what to do.
    """
    path = Path(path) if path is not None else plan_path(inspection, inspections)
    if not path.exists():
        raise NotFoundError(
            f"Inspection {inspection.id} has no action plan yet ({path}). Write one, or start "
            f"from the Excel template: caseaudit plan template --inspection {inspection.id} "
            "-o plan.xlsx")
    data, lines = read_yaml(path, PlanError, "action plan")
    plan = validate_model(ActionPlan, data, lines, path, PlanError, "action plan")
    problems = plan_problems(plan, inspection, lines.line)
    if problems:
        raise PlanError(path, problems, "action plan")
    return plan


def plan_yaml(plan: ActionPlan) -> str:
    """The plan as YAML a person can read and edit: dates as dates, fields in the model's order."""
    import yaml

    data = plan.model_dump(mode="json")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_plan(plan: ActionPlan, path: str | Path) -> Path:
    """Write ``plan`` to ``path`` whole or not at all (a temporary file beside it, then renamed
    over it), so that a failure never leaves half a plan."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".action_plan-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(plan_yaml(plan))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
