"""An inspection and its letter, as data: the findings an action plan answers and the lines of
enquiry a future inspection will follow.

An inspection lives in ``<inspections>/<id>/inspection.yaml``, beside the audit rounds (see
:func:`caseaudit.settings.inspections_dir`). It is validated in full on load, with the file, line
and fix of every problem, because the plan, the progress updates and the committee's report all
hang off its area ids: a typo found after the plan is written costs a meeting.

The statement of action is due a number of *working* days after the letter (about 70 for a JTAI,
see domain.md (e)); the letter states the date, and the partnership's diary counts it with
England's bank holidays, so the count uses a maintained calendar (the ``holidays`` package) rather
than a list of our own that would go stale.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from . import settings
from ._yaml import ReferenceProblems, read_yaml, validate_model
from .errors import FrameworkError, InspectionError, NotFoundError, Problem
from .framework import Framework, Identifier, _Strict, load_framework
from .rounds import Period

#: Working days a JTAI letter gives for the written statement of action (domain.md (e)).
STATEMENT_WORKING_DAYS = 70

InspectionType = Literal["JTAI", "ILACS", "other"]


@functools.lru_cache(maxsize=8)
def _bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.UK(subdiv="ENG", years=range(first_year, last_year + 1)))


def working_days_after(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (Monday to Friday, less England's bank
    holidays, substitute days included): the letter's day itself is not counted, as the
    inspectorates count it (14 May 2026 + 70 = 21 August 2026, the seed letter's date)."""
    if days < 0:
        raise ValueError("days must not be negative")
    # 70 working days span about 100 calendar days; two spare years cover any sensible count
    bank = _bank_holidays(start.year, start.year + 2 + days // 250)
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in bank:
            days -= 1
    return day


class LineOfEnquiry(_Strict):
    """One line of enquiry of the inspection, with the audit criteria that show practice on it
    (for the readiness view: where a new inspection would find the partnership weakest)."""

    id: Identifier
    title: str = Field(min_length=1)
    criteria: list[str] = Field(default_factory=list)


class Finding(_Strict):
    """An area for improvement or a strength, as the letter words it (text only: a letter's
    names of people stay in the letter)."""

    id: Identifier
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)


class StatementOfAction(_Strict):
    """When the written statement of action is due: ``working_days`` after the letter, unless the
    letter gives a date that differs (``due``), which then wins."""

    working_days: int = Field(default=STATEMENT_WORKING_DAYS, ge=1, le=400)
    due: date | None = None


class Inspection(_Strict):
    """One inspection: what it looked at, when, and what its letter found."""

    id: Identifier
    type: InspectionType
    theme: str = Field(min_length=1)
    inspectorates: list[str] = Field(min_length=1)
    visit: Period
    letter_date: date
    framework: Identifier
    statement_of_action: StatementOfAction = Field(default_factory=StatementOfAction)
    lines_of_enquiry: list[LineOfEnquiry] = Field(default_factory=list)
    areas_for_improvement: list[Finding] = Field(min_length=1)
    strengths: list[Finding] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Inspection:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        if self.letter_date < self.visit.end:
            problems.append((("letter_date",), f"the letter ({self.letter_date}) is dated before "
                             f"the visit ended ({self.visit.end}); check both dates"))
        for field in ("lines_of_enquiry", "areas_for_improvement", "strengths"):
            seen: set[str] = set()
            for i, item in enumerate(getattr(self, field)):
                if item.id in seen:
                    problems.append(((field, i, "id"), f"the id '{item.id}' is used twice; "
                                     "give each one its own"))
                seen.add(item.id)
        clash = {a.id for a in self.areas_for_improvement} & {s.id for s in self.strengths}
        for i, strength in enumerate(self.strengths):
            if strength.id in clash:
                problems.append((("strengths", i, "id"), f"'{strength.id}' is also an area for "
                                 "improvement's id; give the strength another"))
        if problems:
            raise ReferenceProblems(problems)
        return self

    @property
    def statement_due(self) -> date:
        """When the written statement of action is due."""
        if self.statement_of_action.due is not None:
            return self.statement_of_action.due
        return working_days_after(self.letter_date, self.statement_of_action.working_days)

    @cached_property
    def areas_by_id(self) -> dict[str, Finding]:
        return {a.id: a for a in self.areas_for_improvement}

    @cached_property
    def lines_by_id(self) -> dict[str, LineOfEnquiry]:
        return {line.id: line for line in self.lines_of_enquiry}

    def load_framework(self) -> Framework:
        """The newest version of the framework whose criteria the lines and actions name."""
        return load_framework(self.framework)


def inspection_dir(inspection_id: str, inspections: str | Path | None = None) -> Path:
    """The folder of inspection ``inspection_id`` (its letter's data and its action plan)."""
    return settings.inspections_dir(inspections) / inspection_id


def list_inspection_ids(inspections: str | Path | None = None) -> list[str]:
    """Ids of the inspections in the inspections folder (folders holding an inspection.yaml)."""
    folder = settings.inspections_dir(inspections)
    if not folder.is_dir():
        return []
    return sorted(p.parent.name for p in folder.glob("*/inspection.yaml"))


def framework_criteria_problem(framework: Framework, criterion_id: str) -> str | None:
    """Why ``criterion_id`` cannot be linked (it is not in ``framework``), or ``None``: the one
    wording for a line of enquiry's and an action's criteria."""
    if criterion_id in framework.criteria_by_id:
        return None
    known = ", ".join(framework.criteria_by_id)
    return (f"criterion '{criterion_id}' is not in framework {framework.id} (version "
            f"{framework.version}); use one of its criteria: {known}")


def load_inspection_file(path: str | Path, check_framework: bool = True) -> Inspection:
    """Load and validate an inspection.yaml.

    With ``check_framework`` the framework must exist and every criterion a line of enquiry
    names must be one of its (newest version's) criteria.

    Raises
    ------
    InspectionError
        naming the file, place, line and what to do.
    """
    path = Path(path)
    data, lines = read_yaml(path, InspectionError, "inspection")
    inspection = validate_model(Inspection, data, lines, path, InspectionError, "inspection")
    problems: list[Problem] = []
    if path.name == "inspection.yaml" and path.parent.name != inspection.id:
        problems.append(Problem("id", f"the inspection id '{inspection.id}' differs from its "
                                f"folder name '{path.parent.name}'; rename one so they match",
                                lines.line(("id",))))
    if check_framework:
        try:
            framework = inspection.load_framework()
        except (NotFoundError, FrameworkError) as exc:
            first = str(exc).splitlines()[0]
            problems.append(Problem("framework", f"the framework cannot be used: {first}",
                                    lines.line(("framework",))))
        else:
            for i, line in enumerate(inspection.lines_of_enquiry):
                for j, cid in enumerate(line.criteria):
                    if (why := framework_criteria_problem(framework, cid)) is not None:
                        loc = ("lines_of_enquiry", i, "criteria", j)
                        problems.append(Problem(f"lines_of_enquiry[{i}].criteria[{j}]", why,
                                                lines.line(loc)))
    if problems:
        raise InspectionError(path, problems, "inspection")
    return inspection


def load_inspection(inspection_id: str, inspections: str | Path | None = None) -> Inspection:
    """The inspection ``inspection_id`` from the inspections folder.

    Raises
    ------
    NotFoundError
        listing the inspections that exist.
    """
    path = inspection_dir(inspection_id, inspections) / "inspection.yaml"
    if not path.exists():
        known = ", ".join(list_inspection_ids(inspections)) or "none"
        raise NotFoundError(
            f"There is no inspection '{inspection_id}' in {settings.inspections_dir(inspections)}. "
            f"Inspections there: {known}. Set {settings.INSPECTIONS_ENV} if your inspections are "
            "kept elsewhere.")
    return load_inspection_file(path)
