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
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from . import settings
from ._yaml import ReferenceProblems, read_yaml, validate_model
from .errors import FrameworkError, NotFoundError, PlanError, Problem, WorkbookError
from .framework import Identifier, _Strict
from .inspection import Inspection, framework_criteria_problem, inspection_dir

if TYPE_CHECKING:
    from .rounds import AuditRound

#: What an update may say about an action, in the order of a plan's life.
STATUSES = ("not started", "on track", "at risk", "off track", "complete")
NOT_STARTED = STATUSES[0]
COMPLETE = STATUSES[-1]

#: A lead agency that is the partnership as a whole rather than one agency of the framework.
PARTNERSHIP = "Partnership"

PLAN_FILE = "action_plan.yaml"


class PracticeWeekLink(_Strict):
    """An area for development of a practice week that an action answers: the week's round and
    the criterion (areas for development are criteria, as the week's summary ranks them).

    A link, not a copy: the week's figures stay in the store and its summary, and the action
    stays in the plan, so the week's report can name the actions answering it and the plan's
    pages can name the week, each reading the other's latest state."""

    round: Identifier
    criterion: str = Field(min_length=1)


class Action(_Strict):
    """One action: who leads it (an agency and a role, never a person's name), when, how success
    is judged, which audit criteria will show its impact, and which practice weeks' areas for
    development it answers."""

    id: Identifier
    description: str = Field(min_length=1)
    lead_agency: Identifier
    lead_role: str = Field(min_length=1, max_length=200)
    start: date
    due: date
    success_measure: str = Field(min_length=1)
    criteria: list[str] = Field(default_factory=list)
    from_practice_weeks: list[PracticeWeekLink] = Field(default_factory=list)

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


@dataclass(frozen=True)
class PlanChanges:
    """What a new version of a plan changes, by id: what ``caseaudit plan import`` reports, so
    that an audit lead sees a moved due date before the board does."""

    added: list[str]
    removed: list[str]
    changed: list[str]
    areas_changed: list[str]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.areas_changed)

    def describe(self) -> str:
        """One line per kind of change, or that nothing changed."""
        if not self:
            return "Nothing changed."
        parts = [f"{what}: {', '.join(ids)}" for what, ids in (
            ("Actions added", self.added), ("Actions removed", self.removed),
            ("Actions changed", self.changed),
            ("Areas whose outcome or governance owner changed", self.areas_changed)) if ids]
        return "\n".join(parts)


def compare_plans(old: ActionPlan | None, new: ActionPlan) -> PlanChanges:
    """How ``new`` differs from ``old`` (``None``: there was no plan, so every action is new).
    An action moved to another area counts as changed."""
    before = old.actions_by_id if old is not None else {}
    before_area = old.area_of if old is not None else {}
    after = new.actions_by_id
    old_areas = {a.area: (a.outcome, a.governance_owner) for a in old.areas} if old else {}
    return PlanChanges(
        added=[i for i in after if i not in before],
        removed=[i for i in before if i not in after],
        changed=[i for i in after if i in before and (after[i] != before[i]
                                                      or new.area_of[i] != before_area[i])],
        areas_changed=[a.area for a in new.areas if a.area in old_areas
                       and old_areas[a.area] != (a.outcome, a.governance_owner)])


def rounds_beside(inspections: str | Path) -> Path | None:
    """The audits folder beside a folder of inspections (``data/demo/inspections`` ->
    ``data/demo/audits``), where a plan's linked practice weeks are looked for, as the settings
    keep inspections beside their rounds; ``None`` when there is none there (then the setting's
    folder is read)."""
    folder = Path(inspections).expanduser().resolve().parent / "audits"
    return folder if folder.is_dir() else None


def plan_path(inspection: Inspection, inspections: str | Path | None = None) -> Path:
    """Where ``inspection``'s plan is kept."""
    return inspection_dir(inspection.id, inspections) / PLAN_FILE


def plan_problems(plan: ActionPlan, inspection: Inspection,
                  line_of: Callable[[tuple[str | int, ...]], int | None] | None = None,
                  audits: str | Path | None = None) -> list[Problem]:
    """What in ``plan`` does not fit ``inspection`` and its framework, or the practice weeks in
    ``audits`` (the setting's folder when ``None``) its actions link to: the checks shared by
    the YAML file and the Excel plan read back (``line_of`` places a problem in the YAML file)."""
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
    weeks: dict[str, AuditRound | str] = {}  # the practice weeks linked to, each read once
    known_areas = ", ".join(inspection.areas_by_id)
    for i, area in enumerate(plan.areas):
        if (why := _not_a_role(area.governance_owner, "CSA subgroup")) is not None:
            problems.append(Problem(f"areas[{i}].governance_owner", why,
                                    line(("areas", i, "governance_owner"))))
        if (why := _names_a_person(area.outcome)) is not None:
            problems.append(Problem(f"areas[{i}].outcome", why, line(("areas", i, "outcome"))))
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
            if (why := _not_a_role(action.lead_role, "Head of Service")) is not None:
                problems.append(Problem(f"{place}.lead_role", why, line((*loc, "lead_role"))))
            for field in ("description", "success_measure"):
                if (why := _names_a_person(getattr(action, field))) is not None:
                    problems.append(Problem(f"{place}.{field}", why, line((*loc, field))))
            for k, cid in enumerate(action.criteria):
                if framework is not None and (why := framework_criteria_problem(framework, cid)):
                    problems.append(Problem(f"{place}.criteria[{k}]", why,
                                            line((*loc, "criteria", k))))
            links = action.from_practice_weeks
            for k, link in enumerate(links):
                where = (*loc, "from_practice_weeks", k)
                if found := _link_problem(link, links[:k], weeks, audits):
                    field, why = found
                    problems.append(Problem(f"{place}.from_practice_weeks[{k}].{field}", why,
                                            line((*where, field))))
    return problems


def _link_problem(link: PracticeWeekLink, before: list[PracticeWeekLink],
                  weeks: dict[str, AuditRound | str], audits: str | Path | None
                  ) -> tuple[str, str] | tuple[()]:
    """The field of ``link`` that is wrong and why, or ``()``: its round must be a practice week
    of the audits folder, its criterion one the week's streams grade, and the link not listed
    twice on one action (``weeks`` keeps each round read, so a plan reads a week once)."""
    from .practice_week import PRACTICE_WEEK, practice_week_problem
    from .rounds import list_round_ids

    week = _week(link.round, weeks, audits)
    if isinstance(week, str):
        folder = settings.audits_dir(audits)
        if (folder / link.round).exists():
            return ("round", f"round '{link.round}' cannot be read ({week.rstrip('.')}); correct "
                    "the round, or the link")
        known = [r for r in list_round_ids(audits)
                 if getattr(_week(r, weeks, audits), "kind", None) == PRACTICE_WEEK]
        return ("round", f"there is no round '{link.round}' in {folder}; name a practice week "
                + (f"({', '.join(known)})" if known else
                   f"(there is none there: set {settings.AUDITS_ENV} if your rounds are kept "
                   "elsewhere)"))
    if week.kind != PRACTICE_WEEK:
        return ("round", f"{practice_week_problem(week, '')}: only a practice week's area for "
                "development can be linked here")
    framework = week.load_framework()
    graded = [c.id for s in week.streams for c in framework.stream_criteria(s)]
    if link.criterion not in graded:
        unused = (" (it is in the framework, in a stream the week does not use)"
                  if link.criterion in framework.criteria_by_id else "")
        return ("criterion", f"criterion '{link.criterion}' is not one of practice week "
                f"{week.id}'s criteria{unused}; use one of {', '.join(graded)}")
    if link in before:
        return ("criterion", f"the link to {week.id} {link.criterion} is listed twice on this "
                "action; list it once")
    return ()


def _week(round_id: str, weeks: dict[str, AuditRound | str],
          audits: str | Path | None) -> AuditRound | str:
    """Round ``round_id`` of the audits folder, or the first line of why it cannot be read;
    read once and kept in ``weeks``."""
    from .rounds import load_round

    if round_id not in weeks:
        try:
            weeks[round_id] = load_round(round_id, audits)
        except WorkbookError as exc:
            weeks[round_id] = str(exc).splitlines()[0]
    return weeks[round_id]


def _names_a_person(text: str) -> str | None:
    """Why the plan's text ``text`` (an outcome, a description, a success measure) cannot be
    kept, or ``None``: it holds what looks like a person's name or contact details. The plan is
    shown to the board and printed in the committee's report, so it is refused, not flagged."""
    from .privacy import find_personal_data

    found = find_personal_data(text)
    if not found:
        return None
    what = "; ".join(f"{f.kind} '{f.text}'" for f in found)
    return (f"this looks like it names a person or their contact details ({what}); write roles "
            "or teams instead (e.g. 'the designated doctor'): the plan is shown to the board")


def _not_a_role(text: str, example: str) -> str | None:
    """Why ``text`` cannot stand as a lead role or governance owner, or ``None``: it holds what
    looks like a person's name or contact details. Roles are shown to the board and printed in the
    committee's report, so a name or an e-mail address there is refused, not merely flagged."""
    from .privacy import find_personal_data

    found = find_personal_data(text)
    if not found:
        return None
    what = "; ".join(f"{f.kind} '{f.text}'" for f in found)
    return (f"'{text}' looks like it names a person or their contact details ({what}); write the "
            f"role or body only (e.g. '{example}'): it is shown to the board")


def load_plan(inspection: Inspection, path: str | Path | None = None,
              inspections: str | Path | None = None,
              audits: str | Path | None = None) -> ActionPlan:
    """Load and validate ``inspection``'s action plan (its action_plan.yaml unless ``path``),
    its links to practice weeks against the rounds in ``audits`` (when ``None``: the audits
    folder beside the plan's inspections folder, see :func:`rounds_beside`, else the setting's).

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
    if audits is None:
        audits = rounds_beside(path.parent.parent)
    problems = plan_problems(plan, inspection, lines.line, audits)
    if problems:
        raise PlanError(path, problems, "action plan")
    return plan


def plan_yaml(plan: ActionPlan) -> str:
    """The plan as YAML a person can read and edit: dates as dates, fields in the model's order."""
    import yaml

    data = plan.model_dump()  # dates stay dates, written unquoted as YYYY-MM-DD
    for area in data["areas"]:
        for action in area["actions"]:
            if not action["from_practice_weeks"]:  # most actions answer no practice week
                del action["from_practice_weeks"]
    header = (f"# The action plan answering inspection {plan.inspection}. Edit it here, or in Excel "
              f"(caseaudit plan template / caseaudit plan import);\n# check it with: caseaudit "
              f"inspection check {plan.inspection}\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


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
