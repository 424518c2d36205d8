"""Audit rounds: one exercise (a MACA, a practice week...) with its cases, agencies and auditors.

A round lives in ``<audits>/<round-id>/audit.yaml``; its cases are listed inline or in a CSV file
beside it (which is how most partnerships keep a sample). Loading checks the round against its
framework, because a case naming an agency the round does not have would otherwise surface only as
a form that can never be completed.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, field_validator, model_validator

from . import settings
from ._input import read_input_text
from ._model import listed_twice
from ._yaml import ReferenceProblems, format_loc, read_yaml, validate_model
from .errors import FrameworkError, InputFileError, NotFoundError, Problem, RoundError, WorkbookError
from .framework import (
    Framework,
    Identifier,
    Version,
    _Strict,
    load_framework,
)
from .identifiers import identifier_problem
from .practice_week import PRACTICE_WEEK, Participant, framework_problems, round_problems
from .streams import Stream

log = logging.getLogger("caseaudit")

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
    theme: str = Field(default="", max_length=200, description="what the round looks at")
    streams: list[Identifier] = Field(
        default_factory=list, description="a practice week's streams, by their framework ids")
    participants: list[Participant] = Field(
        default_factory=list, description="a practice week's practitioners and observers")

    @model_validator(mode="after")
    def _consistent(self) -> AuditRound:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for field, ids in (("agencies", self.agencies), ("auditors", [a.id for a in self.auditors]),
                           ("moderators", self.moderators), ("cases", [c.id for c in self.cases])):
            problems += listed_twice(field, ids, by_id=field not in ("agencies", "moderators"))
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
        problems += round_problems(self)
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

    @cached_property
    def participants_by_id(self) -> dict[str, Participant]:
        """A practice week's participants by id."""
        return {p.id: p for p in self.participants}

    def stream(self, stream_id: str) -> Stream:
        """The framework's stream ``stream_id``, which must be one of this round's."""
        if stream_id not in self.streams:
            raise KeyError(f"stream '{stream_id}' is not one of round {self.id}'s streams")
        return self.load_framework().streams_by_id[stream_id]

    def expected_forms(self) -> list[tuple[str, str]]:
        """``(case_id, agency)`` for every form the round expects: one per agency involved; in a
        practice week, one collaborative case audit per case, by the case-holding agency (its
        first listed), since observations and feedback are counted as they come, not expected."""
        if self.kind == PRACTICE_WEEK:
            return [(c.id, c.agencies[0]) for c in self.cases]
        return [(c.id, a) for c in self.cases for a in c.agencies]

    def load_framework(self) -> Framework:
        """The framework this round scores against, at its version."""
        return load_framework(self.framework.id, self.framework.version)


#: A case list of ten thousand cases is about 1 MB; anything far larger is not a case list.
MAX_CASE_LIST_BYTES = 5_000_000
_SAVE_AS_CSV_UTF8 = "save it as CSV UTF-8 from Excel: File > Save As > CSV UTF-8 (Comma delimited)"


def _case_list_path(written: str, round_file: Path, line: int | None) -> Path:
    """The case list ``cases:`` names, which must be a file inside the round's own folder.

    A path leading elsewhere (``../other/cases.csv``, an absolute path, a link out of the folder)
    is refused before anything is read: otherwise the validation messages, which quote bad values,
    would show another file's contents to whoever runs the check. Only what audit.yaml says is
    echoed, never what is at the other end.
    """
    def refuse(message: str) -> RoundError:
        return RoundError(round_file, [Problem("cases", message, line)], "round")

    folder = round_file.parent.resolve()
    hint = "put the case list in the round's folder and write its file name, e.g. cases: cases.csv"
    if not written.strip():
        raise refuse(f"no case list is named; {hint}")
    named = Path(written.strip())
    if named.is_absolute() or written.strip().startswith("~"):
        raise refuse(f"the case list '{written}' is outside the round's folder; {hint}")
    if not Path(os.path.normpath(folder / named)).is_relative_to(folder):
        raise refuse(f"the case list '{written}' is outside the round's folder; {hint}")
    target = (folder / named).resolve()
    if not target.is_relative_to(folder):
        raise refuse(f"the case list '{written}' is a link to a file outside the round's folder; "
                     "copy the case list into the round's folder instead of linking to it")
    if target == folder or target.is_dir():
        raise refuse(f"'{written}' is a folder, not a case list; write the case list's file name, "
                     "e.g. cases: cases.csv")
    if not target.exists():
        raise refuse(f"the case list {written} does not exist beside audit.yaml ({folder / named})")
    return round_file.parent / named


def _read_cases_csv(path: Path) -> tuple[list[dict], list[int], list[Problem]]:
    """Rows of a case list as dicts ready for validation, the row number of each, and the rows
    that could not be read as cases.

    Row numbers are the file's line numbers, which are Excel's row numbers for a sheet saved as
    CSV. A file that is not CSV text or has the wrong columns is refused here. A row with more or
    fewer values than the header is left out and returned as a problem, so that the other rows
    are still checked and one run of ``caseaudit validate`` lists every problem.
    """
    text = read_input_text(path, RoundError, "case list", max_bytes=MAX_CASE_LIST_BYTES,
                           how_to_save=_SAVE_AS_CSV_UTF8, unit="row")
    if not text.strip():
        raise RoundError(path, [Problem("", "the case list is empty; its first row must be: "
                                        f"{','.join(CASE_COLUMNS)}")], "case list")
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in CASE_COLUMNS if c not in header]
        extra = [h or "(a column with no name)" for h in header if h not in CASE_COLUMNS]
        twice = sorted({h for h in header if header.count(h) > 1})
        if missing or extra or twice:
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if extra:
                parts.append(f"unknown column(s) {', '.join(extra)}")
            if twice:
                parts.append(f"column(s) {', '.join(twice)} appear more than once")
            raise RoundError(path, [Problem("header", f"{'; '.join(parts)}. The first row must be "
                                            f"exactly: {','.join(CASE_COLUMNS)}", 1)], "case list")
        rows: list[dict] = []
        numbers: list[int] = []
        problems: list[Problem] = []
        for raw in reader:
            number = reader.line_num
            if None in raw or None in raw.values():
                count = len(header) + len(raw.get(None) or []) - list(raw.values()).count(None)
                fix = ("write the agencies with ';' between them (CSC;Pol), and put any value "
                       "holding a comma in quotes" if count > len(header)
                       else "fill in every column")
                problems.append(Problem(f"{path.name} row {number}", f"this row has {count} values "
                                        f"but the header has {len(header)} columns; {fix}"))
                continue
            row = {k.strip(): (v or "").strip() for k, v in raw.items()}
            if not any(row.values()):
                continue  # a row Excel left empty (",,,,,,") holds no case
            row["id"] = row.pop("case_id")
            row["agencies"] = [a.strip() for a in row["agencies"].replace(",", ";").split(";")
                               if a.strip()]
            rows.append(row)
            numbers.append(number)
    except csv.Error as exc:
        raise RoundError(path, [Problem(f"row {reader.line_num}", f"this cannot be read as CSV "
                                        f"({exc}); {_SAVE_AS_CSV_UTF8}")], "case list") from None
    if not rows and problems:
        raise RoundError(path, problems, "case list")
    if not rows:
        raise RoundError(path, [Problem("", "the case list has a header but no cases")],
                         "case list")
    return rows, numbers, problems


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
    row_numbers: list[int] = []
    problems: list[Problem] = []
    if isinstance(data, dict) and isinstance(data.get("cases"), str):
        csv_path = _case_list_path(data["cases"], path, lines.line(("cases",)))
        rows, row_numbers, problems = _read_cases_csv(csv_path)
        data = {**data, "cases": rows}
    try:
        audit = validate_model(AuditRound, data, lines, path, RoundError, "round")
    except RoundError as exc:
        if csv_path is None:
            raise
        placed = problems + [_csv_place(p, csv_path, row_numbers) for p in exc.problems]
        raise RoundError(path, sorted(placed, key=_row_order), "round") from None
    if path.parent.name != audit.id and path.name == "audit.yaml":
        problems.append(Problem("id", f"the round id '{audit.id}' differs from its folder name "
                                f"'{path.parent.name}'; rename one so they match",
                                lines.line(("id",))))
    if check_framework:
        try:
            framework = audit.load_framework()
        except NotFoundError as exc:
            problems.append(Problem("framework", str(exc), lines.line(("framework",))))
        except FrameworkError as exc:
            detail = (f": {exc.problems[0]}" if len(exc.problems) == 1 else
                      f" ({len(exc.problems)} problems); run `caseaudit validate {exc.path}` to "
                      "see them")
            problems.append(Problem("framework", f"the framework file {exc.path} cannot be used"
                                    f"{detail}", lines.line(("framework",))))
        else:
            problems += [Problem(format_loc(loc), message, lines.line(loc))
                         for loc, message in framework_problems(audit, framework)]
            for i, agency in enumerate(audit.agencies):
                if agency not in framework.agency_ids:
                    problems.append(Problem(
                        f"agencies[{i}]", f"agency '{agency}' is not one of the framework "
                        f"{framework.id}'s agencies ({', '.join(framework.agency_ids)})",
                        lines.line(("agencies", i))))
    if problems:
        raise RoundError(path, sorted(problems, key=_row_order), "round")
    return audit


def _row_order(problem: Problem) -> int:
    """Problems of the case list in the order of its rows, after those of audit.yaml."""
    row = re.match(r"^\S+ row (\d+)", problem.place)
    return int(row.group(1)) if row else 0


def _csv_place(problem: Problem, csv_path: Path, row_numbers: list[int]) -> Problem:
    """Re-express ``cases[4].age_band`` as ``cases.csv row 6, column age_band``."""
    place = problem.place
    if place.startswith("cases["):
        index = int(place[len("cases["):place.index("]")])
        rest = place[place.index("]") + 1:].lstrip(".")
        column = rest.split("[")[0].split(".")[0]
        column = "case_id" if column == "id" else column
        where = f"{csv_path.name} row {row_numbers[index]}"
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
        hint = f"Set {settings.AUDITS_ENV} if your rounds are kept elsewhere."
        folder = settings.audits_dir(audits)
        if folder != settings.DEMO_AUDITS_DIR and (settings.DEMO_AUDITS_DIR / round_id).is_dir():
            # the first thing a new user tries after `make demo`: point at the demo, not a dead end
            hint = (f"The demo partnership has a round '{round_id}': add --demo to the command "
                    f"(caseaudit --demo ...), or set {settings.AUDITS_ENV} if your rounds are kept "
                    "elsewhere.")
        raise NotFoundError(
            f"There is no audit round '{round_id}' in {folder}. Rounds there: {known}. {hint}")
    return load_round_file(path)


def _round_order(audit: AuditRound) -> tuple[date, str]:
    return (audit.period.start, audit.id)


def load_rounds(audits: str | Path | None = None) -> list[AuditRound]:
    """Every round in the audits folder, ordered by the start of its period.

    The first round that cannot be loaded raises its error, for a QA lead who wants to see it;
    the dashboards and apps use :func:`scan_rounds`, which shows the other rounds.
    """
    rounds = [load_round(r, audits) for r in list_round_ids(audits)]
    return sorted(rounds, key=_round_order)


@dataclass(frozen=True)
class BrokenRound:
    """A round folder that cannot be loaded, with one sentence for the partnership's QA lead.

    The sentence names the folder, the file and line (or row) of the first problem and the
    command that lists them all, but never the problem's own text: that may quote a value from
    the file (a case id typed as a child's name) and the sentence is shown on the board's
    dashboard.
    """

    folder: str
    message: str


@dataclass(frozen=True)
class RoundsFound:
    """The rounds of an audits folder that load, in :func:`load_rounds`'s order, and the rest."""

    rounds: list[AuditRound]
    broken: list[BrokenRound]


def scan_rounds(audits: str | Path | None = None) -> RoundsFound:
    """Every round that loads, and a :class:`BrokenRound` for each that does not.

    One broken folder must not take a dashboard down: the board still sees the other rounds,
    and a sentence says which folder is broken and how to find out why. Each broken folder is
    also logged, with the full problem, for whoever reads the server's log.
    """
    rounds: list[AuditRound] = []
    broken: list[BrokenRound] = []
    for round_id in list_round_ids(audits):
        try:
            rounds.append(load_round(round_id, audits))
        except WorkbookError as exc:
            log.error("round folder %s cannot be read: %s", round_id, exc)
            broken.append(BrokenRound(round_id, _broken_message(round_id, exc, audits)))
    return RoundsFound(sorted(rounds, key=_round_order), broken)


_ROW_PLACE = re.compile(r"^(?:(?P<file>\S+) )?row (?P<row>\d+)")


def _broken_message(round_id: str, exc: WorkbookError, audits: str | Path | None) -> str:
    """One sentence naming the folder, where its first problem is, and the command to run."""
    folder = round_dir(round_id, audits)
    try:
        shown = folder.relative_to(settings.PROJECT_DIR)
    except ValueError:
        shown = folder
    what = "it cannot be loaded"
    if isinstance(exc, InputFileError) and exc.problems:
        name = Path(exc.path).name
        first = exc.problems[0]
        row = _ROW_PLACE.match(first.place)
        if first.line is not None:
            what = f"{name} has a problem at line {first.line}"
        elif row:  # "row 7" of a case list, or "cases.csv row 7" of a round's case list
            what = f"{row['file'] or name} has a problem in row {row['row']}"
        else:
            what = f"{name} cannot be used"
        if len(exc.problems) > 1:
            what += f", and {len(exc.problems) - 1} more"
    return (f"The round folder {round_id} cannot be read: {what}. Run `caseaudit validate "
            f"{shown}` to see every problem and what to do.")


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
