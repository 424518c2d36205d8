"""The action plan in Excel: a workbook to write and edit the plan in, and its reading back.

Partnerships keep their statement of action in Excel, and the people who agree it (subgroup
chairs, agency leads) edit a spreadsheet, not YAML. The template has one row per action, with
its area's outcome and governance owner repeated on each of the area's rows, a drop-down of lead
agencies, date cells, and a reference sheet of the inspection's areas and the framework's
criteria; a hidden sheet says which inspection it is for. Reading it back is all or nothing,
like an Excel return (:mod:`caseaudit.excel`, whose safe opening it shares): every problem is
listed with its sheet, row and column and what to do, and only a plan that passes every check
of :func:`caseaudit.action_plan.plan_problems` comes back, for
:func:`caseaudit.action_plan.write_plan` to write whole.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import settings
from ._yaml import LineMap, validate_model
from .action_plan import PARTNERSHIP, ActionPlan, PracticeWeekLink, plan_problems
from .errors import PlanError, Problem
from .excel import (
    META_SHEET,
    ExcelImportError,
    cell_text,
    formula_problems,
    meta_of,
    open_xlsx,
    sheet_heading,
    write_meta,
)
from .inspection import Inspection

PLAN_SHEET = "Plan"
REFERENCE_SHEET = "Reference"
#: What the hidden sheet says the workbook is (an Excel return says nothing, or another kind).
KIND = "action plan"
TEMPLATE_VERSION = "2"  # 2: the practice weeks an action answers
#: How messages name the file.
WHAT = "plan workbook"
COLUMNS = ("area_id", "area_title", "outcome", "governance_owner", "action_id", "description",
           "lead_agency", "lead_role", "start", "due", "success_measure", "criteria",
           "from_practice_weeks")
HEADINGS = {
    "area_id": "Area", "area_title": "Area for improvement (not read back)",
    "outcome": "Intended outcome for children", "governance_owner": "Governance owner",
    "action_id": "Action id", "description": "Action", "lead_agency": "Lead agency",
    "lead_role": "Lead role (never a name)", "start": "Start", "due": "Due",
    "success_measure": "Success measure", "criteria": "Audit criteria (ids, comma-separated)",
    "from_practice_weeks": "Practice weeks answered (week: criterion; ...)",
}
FIRST_ROW = 3  # row 1: instructions, row 2: headings
#: Shown to help, never read back.
HINTS = ("area_title",)
AREA_FIELDS = ("outcome", "governance_owner")
ACTION_FIELDS = ("description", "lead_agency", "lead_role", "start", "due", "success_measure",
                 "criteria", "from_practice_weeks")
DATES = ("start", "due")
#: Blank rows below the plan that still get the drop-down and date formats, for new actions.
SPARE_ROWS = 60
#: The column a field of the model sits in, to place what the model's checks find.
_COLUMN_OF_FIELD = {"area": "area_id", "id": "action_id", "round": "from_practice_weeks",
                    "criterion": "from_practice_weeks", **{c: c for c in COLUMNS}}
_LETTER = {name: get_column_letter(i) for i, name in enumerate(COLUMNS, start=1)}
#: A column as a message names it: its letter and its heading's first words ("L (Audit criteria)").
_COLUMN = {name: f"{_LETTER[name]} ({HEADINGS[name].split(' (')[0]})" for name in COLUMNS}
#: A column's content in a sentence ("the lead role").
_NAME = {name: HEADINGS[name].split(" (")[0].lower() for name in COLUMNS}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y", "%d-%m-%Y")
_WIDTHS = {"area_id": 7, "area_title": 28, "outcome": 40, "governance_owner": 20,
           "action_id": 9, "description": 50, "lead_agency": 12, "lead_role": 26, "start": 12,
           "due": 12, "success_measure": 40, "criteria": 16, "from_practice_weeks": 30}


def _template_rows(inspection: Inspection, plan: ActionPlan | None) -> list[dict[str, object]]:
    """The rows of the Plan sheet: each area's actions in the inspection's order, and a row with
    only the area for an area the plan does not answer yet (or answers with no action)."""
    sections = {area.area: area for area in plan.areas} if plan is not None else {}
    rows: list[dict[str, object]] = []
    for finding in inspection.areas_for_improvement:
        base: dict[str, object] = {"area_id": finding.id, "area_title": finding.title}
        section = sections.get(finding.id)
        if section is None:
            rows.append(base)
            continue
        base |= {"outcome": section.outcome, "governance_owner": section.governance_owner}
        rows += [base | {"action_id": a.id, "description": a.description,
                         "lead_agency": a.lead_agency, "lead_role": a.lead_role, "start": a.start,
                         "due": a.due, "success_measure": a.success_measure,
                         "criteria": ", ".join(a.criteria),
                         "from_practice_weeks": _links_text(a.from_practice_weeks)}
                         for a in section.actions] or [base]
    return rows


def write_plan_template(inspection: Inspection, plan: ActionPlan | None, path: str | Path) -> int:
    """Write the plan workbook for ``inspection`` to ``path`` (whole or not at all), filled in
    from ``plan`` if given. Returns the number of actions written."""
    framework = inspection.load_framework()
    agencies = [*framework.agency_ids, PARTNERSHIP]
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN_SHEET
    sheet_heading(ws, f"Action plan for inspection {inspection.id} ({inspection.type}: "
                  f"{inspection.theme}). One row per action; repeat the area's id on each of its "
                  "rows (its outcome and governance owner once is enough). Lead role: a role, "
                  "never a person's name. Dates as dates. Audit criteria: ids from the Reference "
                  "sheet, comma-separated (leave blank when the evidence is data, not audits). "
                  "Practice weeks answered: the practice week's round id and the criterion of "
                  "its area for development, e.g. 2026-05-practice-week: OB3 (several: separate "
                  "them with ;). "
                  "Add rows for new actions; do not move, rename or delete columns. Then: "
                  f"caseaudit plan import <this file> --inspection {inspection.id}",
                  [HEADINGS[name] for name in COLUMNS], 62)
    for col, name in enumerate(COLUMNS, start=1):
        ws.cell(row=2, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[_LETTER[name]].width = _WIDTHS[name]
    rows = _template_rows(inspection, plan)
    grey = PatternFill("solid", fgColor="F2F2F2")
    last = FIRST_ROW + len(rows) + SPARE_ROWS - 1
    for row_no in range(FIRST_ROW, last + 1):
        values = rows[row_no - FIRST_ROW] if row_no - FIRST_ROW < len(rows) else {}
        for col, name in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=row_no, column=col, value=values.get(name))
            if name in HINTS:
                cell.fill = grey
            if name in DATES:
                cell.number_format = "d mmm yyyy"
            elif name in ("area_id", "action_id", "criteria", "from_practice_weeks"):
                cell.number_format = "@"  # "4.1" stays text, not the number 4.1
            cell.alignment = Alignment(wrap_text=name not in DATES, vertical="top")
    span = f"{FIRST_ROW}:{last}"

    def validation(name: str, dv: DataValidation) -> None:
        ws.add_data_validation(dv)
        start, end = span.split(":")
        dv.add(f"{_LETTER[name]}{start}:{_LETTER[name]}{end}")

    validation("lead_agency", DataValidation(
        type="list", formula1='"' + ",".join(agencies) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="Not a lead agency",
        error=f"Choose a lead agency from the list ({PARTNERSHIP}: the partnership as a whole)."))
    for name in DATES:
        validation(name, DataValidation(
            type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
            allow_blank=True, showErrorMessage=True, errorTitle="Not a date",
            error="Type a date, e.g. 30/06/2026."))
    ws.freeze_panes = "A3"
    _write_reference(wb, inspection, framework, agencies)
    write_meta(wb, [("kind", KIND), ("inspection_id", inspection.id),
                    ("framework_id", framework.id), ("framework_version", framework.version),
                    ("template_version", TEMPLATE_VERSION)])
    _save_whole(wb, Path(path))
    return sum(1 for row in rows if row.get("action_id"))


def _write_reference(wb: Workbook, inspection: Inspection, framework, agencies: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The Reference sheet: what the Plan sheet's ids mean (read-only, never read back)."""
    ref = wb.create_sheet(REFERENCE_SHEET)
    names = {a.id: a.name for a in framework.agencies} | {PARTNERSHIP: "The partnership as a whole"}
    blocks = [
        ("Areas for improvement", ("Area", "Title", "The letter's words"),
         [(a.id, a.title, a.text) for a in inspection.areas_for_improvement]),
        (f"Audit criteria (framework {framework.id}, version {framework.version})",
         ("Criterion id", "Domain", "Criterion"),
         [(c.id, d.title, c.title) for d, c in framework.criteria()]),
        ("Lead agencies", ("Id", "Agency", ""), [(a, names[a], "") for a in agencies]),
    ]
    row = 1
    for title, headings, lines in blocks:
        ref.cell(row=row, column=1, value=title).font = Font(bold=True, size=12)
        for col, heading in enumerate(headings, start=1):
            ref.cell(row=row + 1, column=col, value=heading or None).font = Font(bold=True)
        for i, line in enumerate(lines, start=row + 2):
            for col, value in enumerate(line, start=1):
                cell = ref.cell(row=i, column=col, value=value or None)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += len(lines) + 3
    for letter, width in (("A", 16), ("B", 40), ("C", 80)):
        ref.column_dimensions[letter].width = width
    ref.protection.sheet = True


def _save_whole(wb: Workbook, path: Path) -> None:
    """Save beside ``path`` and rename over it, so that a failure leaves no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".plan-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        wb.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- reading back -----------------------------------------------------------------------------------

def _date_cell(value: object, heading: str) -> tuple[date | None, str | None]:
    """A date cell's date, or why it is not one. Text in a common shape is accepted too, since a
    date pasted from Word arrives as text."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = cell_text(value)
    if not text:
        return None, f"the {heading.lower()} date is missing; type it as a date, e.g. 30/06/2026"
    if isinstance(value, int | float):
        return None, (f"{text} is a number, not a date; type the {heading.lower()} date as a "
                      "date, e.g. 30/06/2026")
    for shape in _DATE_FORMATS:
        try:
            return datetime.strptime(text, shape).date(), None
        except ValueError:
            continue
    return None, f"'{text}' is not a date; type the {heading.lower()} date as a date, e.g. 30/06/2026"


def _criteria_cell(value: object) -> list[str]:
    """The criterion ids of a cell: comma-, semicolon- or space-separated. A number Excel made of
    one id ("4.1" typed into a cell not kept as text) is read back as the id it was."""
    if isinstance(value, float):
        return [format(value, "g")]
    return [part for part in re.split(r"[,;\s]+", cell_text(value)) if part]


def _links_text(links: list[PracticeWeekLink]) -> str:
    """An action's practice-week links as its cell says them: ``week: criterion; ...``."""
    return "; ".join(f"{link.round}: {link.criterion}" for link in links)


def _links_cell(value: object) -> tuple[list[dict[str, str]], str | None]:
    """The practice-week links a cell holds (``week: criterion``, separated by ``;`` or new
    lines), or why it cannot be read: what :func:`_links_text` writes comes back the same."""
    links = []
    for part in (p.strip() for p in re.split(r"[;\n]+", cell_text(value))):
        if not part:
            continue
        week, colon, criterion = (piece.strip() for piece in part.partition(":"))
        if not (colon and week and criterion) or ":" in criterion:
            return [], (f"'{part}' is not a practice week and a criterion; write each as the "
                        "week's round id, a colon and the criterion, e.g. "
                        "2026-05-practice-week: OB3, separated by ;")
        links.append({"round": week, "criterion": criterion})
    return links, None


def _placed(problem: Problem) -> str:
    """A problem the model or the plan's checks found, at its sheet, row and column."""
    field = re.search(r"([A-Za-z_]+)(?:\[\d+\])?$", problem.place or "")
    column = _COLUMN_OF_FIELD.get(field.group(1)) if field else None
    where = f"sheet {PLAN_SHEET}"
    if problem.line is not None:
        where += f", row {problem.line}"
    if column is not None and problem.line is not None:
        where += f", column {_COLUMN[column]}"
    return f"{where}: {problem.message}"


def read_plan_workbook(inspection: Inspection, path: str | Path,
                       audits: str | Path | None = None) -> ActionPlan:
    """The action plan in a plan workbook for ``inspection``, checked in full (its links to
    practice weeks against the rounds in ``audits``, the setting's folder when ``None``).

    Raises
    ------
    ExcelImportError
        listing every problem with its sheet, row, column and what to do; nothing is written.
    """
    path = Path(path)

    def refuse(problems: list[str]) -> ExcelImportError:
        return ExcelImportError(path, problems, WHAT)

    wb = open_xlsx(path, WHAT)
    fresh = f"caseaudit plan template --inspection {inspection.id} -o plan.xlsx"
    if META_SHEET not in wb.sheetnames or PLAN_SHEET not in wb.sheetnames:
        raise refuse([f"this workbook is not a caseaudit action plan (its hidden '{META_SHEET}' "
                      f"sheet or its '{PLAN_SHEET}' sheet is missing); start from a template "
                      f"made by `{fresh}`"])
    meta = meta_of(wb)
    if meta.get("kind") != KIND:
        raise refuse([f"this workbook is not a caseaudit action plan; start from a template made "
                      f"by `{fresh}`"])
    if meta.get("inspection_id") != inspection.id:
        raise refuse([f"this plan workbook is for inspection {meta.get('inspection_id')}, not "
                      f"{inspection.id}; import it with --inspection {meta.get('inspection_id')}"])
    ws = wb[PLAN_SHEET]
    header = [cell_text(c.value) for c in ws[2]][:len(COLUMNS)]
    expected = [HEADINGS[c] for c in COLUMNS]
    if header != expected:
        header += [""] * (len(COLUMNS) - len(header))
        i = next(i for i, (got, want) in enumerate(zip(header, expected, strict=True)) if got != want)
        found = f"{header[i]!r}" if header[i] else "empty"
        raise refuse([f"sheet {PLAN_SHEET}, row 2, column {get_column_letter(i + 1)}: the heading is "
                      f"{found} but should be {expected[i]!r}; columns must not be moved, renamed "
                      f"or deleted (make a fresh template with `{fresh}` and copy your rows into "
                      "it)"])
    framework = inspection.load_framework()
    problems, areas, rows = _read_rows(ws, [*framework.agency_ids, PARTNERSHIP])
    if not areas and not problems:
        raise refuse([f"sheet {PLAN_SHEET} has no actions (rows {FIRST_ROW} on are empty); fill in "
                      "the plan, or keep the one you have"])
    data = {"inspection": inspection.id, "areas": areas}
    try:
        plan = validate_model(ActionPlan, data, rows, path, PlanError, KIND)
    except PlanError as exc:
        problems += [_placed(p) for p in exc.problems]
        raise refuse(problems) from None
    problems += [_placed(p) for p in plan_problems(plan, inspection, rows.line, audits)]
    if problems:
        raise refuse(problems)
    return plan


def _read_rows(ws, agencies: list[str]) -> tuple[list[str], list[dict[str, object]], LineMap]:  # type: ignore[no-untyped-def]
    """The Plan sheet's rows as the plan's data (areas in order of first appearance, actions in
    row order), with the row of every place in it, and the problems found row by row. A lead
    agency typed in other letters ("pol") is read as the agency's own id."""
    spelling = {agency.lower(): agency for agency in agencies}
    problems: list[str] = []
    sections: dict[str, dict[str, object]] = {}
    first_row: dict[tuple[str, str], int] = {}  # (area, field) -> the row that gave it
    action_rows: dict[str, list[int]] = {}
    row_of_action: dict[str, int] = {}
    for row_no, cells in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=len(COLUMNS)),
                                   start=FIRST_ROW):
        cells = cells[:len(COLUMNS)]
        values = dict(zip(COLUMNS, (c.value for c in cells), strict=False))
        if all(cell_text(values.get(n)) == "" for n in COLUMNS if n not in HINTS):
            continue
        where = f"sheet {PLAN_SHEET}, row {row_no}"
        formulas = formula_problems(cells, where, lambda i: (
            f"the {_NAME[COLUMNS[i]]} is a formula; type the value itself"))
        if formulas:
            problems += formulas
            continue

        def at(name: str, message: str, where: str = where) -> str:
            return f"{where}, column {_COLUMN[name]}: {message}"

        area_id = cell_text(values.get("area_id"))
        if not area_id:
            problems.append(at("area_id", "the area is missing; write the id of the area for "
                                          "improvement this action answers (see the Reference sheet)"))
            continue
        section = sections.setdefault(area_id, {"area": area_id, "outcome": "",
                                                "governance_owner": "", "actions": []})
        for name in AREA_FIELDS:
            text = cell_text(values.get(name))
            if not text:
                continue
            if not section[name]:
                section[name] = text
                first_row[(area_id, name)] = row_no
            elif text != section[name]:
                problems.append(at(name, f"area {area_id} is given a different "
                                         f"{_NAME[name]} on row "
                                         f"{first_row[(area_id, name)]}; make them the same, or "
                                         "leave it blank on all but the area's first row"))
        action_id = cell_text(values.get("action_id"))
        if not action_id and all(cell_text(values.get(n)) == "" for n in ACTION_FIELDS):
            continue  # the area's outcome and owner only
        if not action_id:
            problems.append(at("action_id", f"the action id is missing; give the action an id, "
                                            f"e.g. {area_id}.1"))
            continue
        if action_id in row_of_action:
            problems.append(at("action_id", f"action id '{action_id}' is also on row "
                                            f"{row_of_action[action_id]}; give each action its own"))
            continue
        row_of_action[action_id] = row_no
        action: dict[str, object] = {"id": action_id}
        ok = True
        for name in ("description", "lead_agency", "lead_role", "success_measure"):
            text = cell_text(values.get(name))
            if not text:
                problems.append(at(name, f"the {_NAME[name]} is missing; fill it in"))
                ok = False
            elif too_long := settings.too_long(text, f"the {_NAME[name]}"):
                problems.append(at(name, too_long))
                ok = False
            action[name] = spelling.get(text.lower(), text) if name == "lead_agency" else text
        for name in DATES:
            day, why = _date_cell(values.get(name), HEADINGS[name])
            if why is not None:
                problems.append(at(name, why))
                ok = False
            action[name] = day
        action["criteria"] = _criteria_cell(values.get("criteria"))
        links, why = _links_cell(values.get("from_practice_weeks"))
        if why is not None:
            problems.append(at("from_practice_weeks", why))
            ok = False
        action["from_practice_weeks"] = links
        if ok:
            actions = section["actions"]
            assert isinstance(actions, list)
            actions.append(action)
            action_rows.setdefault(area_id, []).append(row_no)
    # an area row of the template left as it was (no outcome, owner or action) is not a plan yet
    areas = [s for s in sections.values()
             if s["actions"] or s["outcome"] or s["governance_owner"]]
    for section in areas:
        area_id = str(section["area"])
        for name in AREA_FIELDS:
            if section[name]:
                continue
            row = min([*action_rows.get(area_id, []),
                       *(r for (a, _), r in first_row.items() if a == area_id)])
            problems.append(f"sheet {PLAN_SHEET}, row {row}, column {_COLUMN[name]}: area "
                            f"{area_id} has no "
                            f"{_NAME[name]}; write it on the area's first row")
            section[name] = "(missing)"  # reported here; the rest is still checked
    rows = LineMap(None)
    for i, section in enumerate(areas):
        area_id = str(section["area"])
        given = [r for (a, _), r in first_row.items() if a == area_id] + action_rows.get(area_id, [])
        rows.lines[("areas", i)] = min(given)
        rows.lines[("areas", i, "area")] = min(given)
        for name in AREA_FIELDS:
            if (area_id, name) in first_row:
                rows.lines[("areas", i, name)] = first_row[(area_id, name)]
        for j, row in enumerate(action_rows.get(area_id, [])):
            rows.lines[("areas", i, "actions", j)] = row
    return problems, areas, rows
