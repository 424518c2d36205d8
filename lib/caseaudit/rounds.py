"""Audit rounds: one exercise (a MACA, a practice week...) with its cases, agencies and auditors.

A round lives in ``<audits>/<round-id>/audit.yaml``; its cases are listed inline or in a CSV file
beside it (which is how most partnerships keep a sample). Loading checks the round against its
framework, because a case naming an agency the round does not have would otherwise surface only as
a form that can never be completed.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, field_validator, model_validator

from . import settings
from ._yaml import ReferenceProblems, read_yaml, validate_model
from .errors import NotFoundError, Problem, RoundError
from .framework import (
    Framework,
    Identifier,
    Version,
    _Strict,
    load_framework,
)
from .identifiers import identifier_problem

Kind = Literal["maca", "practice_week", "thematic", "single_agency"]
AgeBand = Literal["under 1", "1-4", "5-9", "10-15", "16-17"]
Gender = Literal["female", "male", "other", "not recorded"]
EthnicityGroup = Literal["White", "Mixed", "Asian", "Black", "Other", "Not recorded"]
Disability = Literal["yes", "no", "not recorded"]
PlanType = Literal["early help", "child in need", "child protection", "looked after", "none"]

_CASE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")

#: The columns of a round's case list, in order.
CASE_COLUMNS = ["case_id", "agencies", "age_band", "gender", "ethnicity_group", "disability",
                "plan_type"]
ATTRIBUTE_COLUMNS = CASE_COLUMNS[2:]


class FrameworkRef(_Strict):
    """Which framework, at which version, a round scores against."""

    id: Identifier
    version: Version


class Period(_Strict):
    """The dates of practice the round looks at."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self


class Auditor(_Strict):
    """An auditor by pseudonymous id, with the agency they audit for."""

    id: Identifier
    agency: Identifier


class Case(_Strict):
    """A child's case file by pseudonymous id, the agencies involved, and attributes for analysis."""

    id: str
    agencies: list[Identifier] = Field(min_length=1)
    age_band: AgeBand
    gender: Gender
    ethnicity_group: EthnicityGroup
    disability: Disability
    plan_type: PlanType

    @field_validator("id", mode="before")
    @classmethod
    def _pseudonymous(cls, value: object) -> object:
        """Personal data is refused first, so the message says why, not just "bad characters"."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            problem = identifier_problem(value)
            if problem:
                raise ValueError(f"case id {value!r} {problem}")
            if not _CASE_ID_RE.match(value):
                raise ValueError(f"case id {value!r} may use only letters, digits, '.', '_' and '-' "
                                 "(no spaces), starting with a letter or digit, up to 60 characters")
        return value


class AuditRound(_Strict):
    """One audit exercise. ``cases`` is the inline list or, as written in the file, a CSV name."""

    id: Identifier
    title: str
    kind: Kind
    framework: FrameworkRef
    period: Period
    agencies: list[Identifier] = Field(min_length=1)
    auditors: list[Auditor] = Field(min_length=1)
    cases: list[Case] = Field(min_length=1)
    moderators: list[Identifier] = Field(
        default_factory=list,
        description="pseudonymous ids of the audit leads who record the multi-agency meeting's "
                    "grades (the round's auditors may record them too)")
    scorers_per_form: int = Field(
        default=1, ge=1, le=4,
        description="independent auditors per case and agency (2 or more: blind double scoring)")

    @model_validator(mode="after")
    def _consistent(self) -> AuditRound:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for field, ids in (("agencies", self.agencies), ("auditors", [a.id for a in self.auditors]),
                           ("moderators", self.moderators), ("cases", [c.id for c in self.cases])):
            first: dict[str, int] = {}
            for i, ident in enumerate(ids):
                if ident in first:
                    loc = (field, i) if field in ("agencies", "moderators") else (field, i, "id")
                    problems.append((loc, f"'{ident}' is listed twice (also at {field}[{first[ident]}]); "
                                     "each must be listed once"))
                first.setdefault(ident, i)
        for i, auditor in enumerate(self.auditors):
            if auditor.agency not in self.agencies:
                problems.append((("auditors", i, "agency"), f"auditor {auditor.id}'s agency "
                                 f"'{auditor.agency}' is not one of the round's agencies "
                                 f"({', '.join(self.agencies)})"))
        for i, case in enumerate(self.cases):
            for j, agency in enumerate(case.agencies):
                if agency not in self.agencies:
                    problems.append((("cases", i, "agencies", j), f"case {case.id} names agency "
                                     f"'{agency}', which is not in the round's agencies "
                                     f"({', '.join(self.agencies)}); add it to 'agencies' or "
                                     "correct the case"))
        if problems:
            raise ReferenceProblems(problems)
        return self

    @cached_property
    def cases_by_id(self) -> dict[str, Case]:
        """Cases by id."""
        return {c.id: c for c in self.cases}

    @cached_property
    def auditors_by_id(self) -> dict[str, Auditor]:
        """Auditors by id."""
        return {a.id: a for a in self.auditors}

    def expected_forms(self) -> list[tuple[str, str]]:
        """``(case_id, agency)`` for every form the round expects: one per agency involved."""
        return [(c.id, a) for c in self.cases for a in c.agencies]

    def load_framework(self) -> Framework:
        """The framework this round scores against, at its version."""
        return load_framework(self.framework.id, self.framework.version)


def _read_cases_csv(path: Path, round_file: Path) -> list[dict]:
    """Rows of a case list as dicts ready for validation; a wrong column is named with its fix."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RoundError(round_file, [Problem("cases", f"the case list {path.name} does not "
                                              f"exist beside audit.yaml ({path})")], "round") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in CASE_COLUMNS if c not in header]
    extra = [h for h in header if h not in CASE_COLUMNS]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            parts.append(f"unknown column(s) {', '.join(extra)}")
        raise RoundError(path, [Problem("header", f"{'; '.join(parts)}. The first row must be "
                                        f"exactly: {','.join(CASE_COLUMNS)}", 1)], "case list")
    rows = []
    for raw in reader:
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        row["id"] = row.pop("case_id")
        row["agencies"] = [a.strip() for a in row["agencies"].replace(",", ";").split(";")
                           if a.strip()]
        rows.append(row)
    if not rows:
        raise RoundError(path, [Problem("", "the case list has a header but no cases")],
                         "case list")
    return rows


def load_round_file(path: str | Path, check_framework: bool = True) -> AuditRound:
    """Load and validate ``audit.yaml`` (and its case list).

    With ``check_framework`` the framework and version must exist and every agency must be one of
    the framework's.

    Raises
    ------
    RoundError
        naming the file, place, line (or CSV row and column), and what to do.
    """
    path = Path(path)
    data, lines = read_yaml(path, RoundError, "round")
    csv_path: Path | None = None
    if isinstance(data, dict) and isinstance(data.get("cases"), str):
        csv_path = path.parent / data["cases"]
        data = {**data, "cases": _read_cases_csv(csv_path, path)}
    try:
        audit = validate_model(AuditRound, data, lines, path, RoundError, "round")
    except RoundError as exc:
        if csv_path is None:
            raise
        raise RoundError(path, [_csv_place(p, csv_path) for p in exc.problems], "round") from None
    problems: list[Problem] = []
    if path.parent.name != audit.id and path.name == "audit.yaml":
        problems.append(Problem("id", f"the round id '{audit.id}' differs from its folder name "
                                f"'{path.parent.name}'; rename one so they match",
                                lines.line(("id",))))
    if check_framework:
        try:
            framework = audit.load_framework()
        except NotFoundError as exc:
            problems.append(Problem("framework", str(exc), lines.line(("framework",))))
        else:
            for i, agency in enumerate(audit.agencies):
                if agency not in framework.agency_ids:
                    problems.append(Problem(
                        f"agencies[{i}]", f"agency '{agency}' is not one of the framework "
                        f"{framework.id}'s agencies ({', '.join(framework.agency_ids)})",
                        lines.line(("agencies", i))))
    if problems:
        raise RoundError(path, problems, "round")
    return audit


def _csv_place(problem: Problem, csv_path: Path) -> Problem:
    """Re-express ``cases[4].age_band`` as ``cases.csv row 6, column age_band``."""
    place = problem.place
    if place.startswith("cases["):
        index = int(place[len("cases["):place.index("]")])
        rest = place[place.index("]") + 1:].lstrip(".")
        column = rest.split("[")[0].split(".")[0]
        column = "case_id" if column == "id" else column
        where = f"{csv_path.name} row {index + 2}"  # row 1 is the header
        if column:
            where += f", column {column}"
        return Problem(where, problem.message)
    return problem


def round_dir(round_id: str, audits: str | Path | None = None) -> Path:
    """The folder of round ``round_id``."""
    return settings.audits_dir(audits) / round_id


def list_round_ids(audits: str | Path | None = None) -> list[str]:
    """Ids of the rounds in the audits folder (folders holding an audit.yaml), sorted."""
    folder = settings.audits_dir(audits)
    if not folder.is_dir():
        return []
    return sorted(p.parent.name for p in folder.glob("*/audit.yaml"))


def load_round(round_id: str, audits: str | Path | None = None) -> AuditRound:
    """The round ``round_id`` from the audits folder.

    Raises
    ------
    NotFoundError
        listing the rounds that exist.
    """
    path = round_dir(round_id, audits) / "audit.yaml"
    if not path.exists():
        known = ", ".join(list_round_ids(audits)) or "none"
        raise NotFoundError(
            f"There is no audit round '{round_id}' in {settings.audits_dir(audits)}. Rounds there: "
            f"{known}. Set {settings.AUDITS_ENV} if your rounds are kept elsewhere."
        )
    return load_round_file(path)


def load_rounds(audits: str | Path | None = None) -> list[AuditRound]:
    """Every round in the audits folder, ordered by the start of its period."""
    rounds = [load_round(r, audits) for r in list_round_ids(audits)]
    return sorted(rounds, key=lambda r: (r.period.start, r.id))


def write_round(audit: AuditRound, folder: str | Path) -> Path:
    """Write ``audit`` as ``folder/<id>/audit.yaml`` with its cases in ``cases.csv`` beside it.

    Output is byte-for-byte stable for the same round, so generated examples diff cleanly.
    """
    target = Path(folder) / audit.id
    target.mkdir(parents=True, exist_ok=True)
    head = audit.model_dump(mode="json", exclude={"cases"}, exclude_defaults=True)
    head["cases"] = "cases.csv"
    text = yaml.safe_dump(head, sort_keys=False, allow_unicode=True, width=100)
    (target / "audit.yaml").write_text(text, encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CASE_COLUMNS)
    for case in audit.cases:
        writer.writerow([case.id, ";".join(case.agencies),
                         *[getattr(case, col) for col in ATTRIBUTE_COLUMNS]])
    (target / "cases.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return target / "audit.yaml"
