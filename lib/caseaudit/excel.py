"""Excel returns: a workbook per agency to fill in offline, and its import.

Some agencies will only ever send a spreadsheet. The template makes a wrong answer hard to type
(grades are a drop-down of the scale's labels, headings are locked) and carries, on a hidden
sheet, which round, agency and framework version it was made for. An import is all or nothing
per file: every problem is listed with its sheet, row and column and what to do, and a file
imported twice adds nothing the second time.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from .errors import WorkbookError
from .framework import Framework
from .rounds import AuditRound
from .store import FormSave, Revision, Store, check_form

SHEET = "Return"
META_SHEET = "caseaudit"
TEMPLATE_VERSION = "1"
NOT_APPLICABLE_LABEL = "Not applicable"
COLUMNS = ["case_id", "domain", "criterion_id", "criterion", "question", "good_looks_like",
           "grade", "evidence_note", "auditor"]
HEADINGS = {"case_id": "Case", "domain": "Domain", "criterion_id": "Criterion id",
            "criterion": "Criterion", "question": "Question", "good_looks_like":
            "What good looks like", "grade": "Grade", "evidence_note": "Evidence note",
            "auditor": "Auditor"}
EDITABLE = ("grade", "evidence_note", "auditor")
FIRST_ROW = 3  # row 1: instructions, row 2: headings


class ExcelImportError(WorkbookError):
    """Raised when a return cannot be imported; lists every problem with its place. Nothing of
    the file is saved."""

    def __init__(self, path: str | Path, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        lines = [f"The return {self.path} was not imported ({len(problems)} problem(s)); "
                 "nothing from it was saved:"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


def _labels(framework: Framework, criterion_id: str) -> list[str]:
    scale = framework.scale_of(criterion_id)
    labels = [lvl.label for lvl in scale.levels]
    return [*labels, NOT_APPLICABLE_LABEL] if scale.not_applicable else labels


def write_template(audit: AuditRound, framework: Framework, agency: str, path: str | Path) -> int:
    """Write the return for ``agency``: a row per case and criterion it answers. Returns the
    number of rows to fill."""
    if agency not in audit.agencies:
        raise WorkbookError(f"Agency {agency!r} is not in round {audit.id}; choose one of "
                            f"{', '.join(audit.agencies)}.")
    auditors = [a.id for a in audit.auditors if a.agency == agency]
    if not auditors:
        raise WorkbookError(f"Round {audit.id} lists no auditors for {agency}; add them to its "
                            "audit.yaml first.")
    criteria = framework.criteria_for(agency)
    domain_of = {c.id: d.title for d, c in framework.criteria()}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = (f"{audit.title}: return for {agency}. Choose a grade from each drop-down and "
                "write an evidence note (required for the grades marked in the question). "
                "Pick your auditor id. A case with every criterion graded is submitted; a "
                "partly graded case is saved as a draft. Do not change the grey columns.")
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.row_dimensions[1].height = 48
    for col, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=col, value=HEADINGS[name])
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    grey = PatternFill("solid", fgColor="F2F2F2")
    row = FIRST_ROW
    validations: dict[tuple[str, ...], DataValidation] = {}
    auditor_list = DataValidation(type="list", formula1='"' + ",".join(auditors) + '"',
                                  allow_blank=True, showErrorMessage=True,
                                  errorTitle="Not an auditor of this round",
                                  error="Choose your auditor id from the list.")
    ws.add_data_validation(auditor_list)
    for case in audit.cases:
        if agency not in case.agencies:
            continue
        for criterion in criteria:
            scale = framework.scale_of(criterion.id)
            question = criterion.question
            if scale.note_required_for:
                needs = ", ".join(scale.label(c) for c in scale.note_required_for)
                question += f" (evidence note required for: {needs})"
            values = {"case_id": case.id, "domain": domain_of[criterion.id],
                      "criterion_id": criterion.id, "criterion": criterion.title,
                      "question": question, "good_looks_like": criterion.good_looks_like,
                      "grade": None, "evidence_note": None, "auditor": None}
            for col, name in enumerate(COLUMNS, start=1):
                cell = ws.cell(row=row, column=col, value=values[name])
                if name in EDITABLE:
                    cell.protection = Protection(locked=False)
                else:
                    cell.fill = grey
                    cell.alignment = Alignment(wrap_text=name in ("question", "good_looks_like"),
                                               vertical="top")
            labels = tuple(_labels(framework, criterion.id))
            if labels not in validations:
                dv = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle="Not on the scale",
                                    error="Choose a grade from the list.")
                ws.add_data_validation(dv)
                validations[labels] = dv
            validations[labels].add(ws.cell(row=row, column=COLUMNS.index("grade") + 1))
            auditor_list.add(ws.cell(row=row, column=COLUMNS.index("auditor") + 1))
            row += 1
    for name, width in {"case_id": 12, "domain": 18, "criterion_id": 8, "criterion": 26,
                        "question": 50, "good_looks_like": 50, "grade": 26,
                        "evidence_note": 50, "auditor": 14}.items():
        ws.column_dimensions[chr(ord("A") + COLUMNS.index(name))].width = width
    ws.freeze_panes = "A3"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let people widen columns
    meta = wb.create_sheet(META_SHEET)
    for i, (key, value) in enumerate([("round_id", audit.id), ("agency", agency),
                                      ("framework_id", framework.id),
                                      ("framework_version", framework.version),
                                      ("template_version", TEMPLATE_VERSION)], start=1):
        meta.cell(row=i, column=1, value=key)
        meta.cell(row=i, column=2, value=value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.save(path)
    return row - FIRST_ROW


@dataclass(frozen=True)
class ImportResult:
    """What an import did: revisions saved, and forms left alone because nothing changed."""

    path: str
    round_id: str
    agency: str
    saved: list[Revision]
    unchanged: int


def read_meta(path: str | Path) -> dict[str, str]:
    """The hidden sheet's facts (round, agency, framework version) of a return."""
    return _open(path)[1]


def _open(path: str | Path):  # type: ignore[no-untyped-def]
    path = Path(path)
    if not path.exists():
        raise ExcelImportError(path, ["the file does not exist"])
    if path.stat().st_size == 0:
        raise ExcelImportError(path, ["the file is empty (0 bytes); save the return from Excel "
                                      "again and resend it"])
    try:
        wb = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ExcelImportError(path, [f"this is not an Excel workbook (.xlsx) ({exc.__class__.__name__}); "
                                      "make sure you send the return itself, saved as .xlsx"]) from None
    if META_SHEET not in wb.sheetnames or SHEET not in wb.sheetnames:
        raise ExcelImportError(path, ["this workbook is not a caseaudit return (its hidden "
                                      f"'{META_SHEET}' sheet or its '{SHEET}' sheet is missing); "
                                      "fill in a template made by `caseaudit excel-template`"])
    meta = {str(r[0]): str(r[1]) for r in wb[META_SHEET].iter_rows(values_only=True)
            if r and r[0] is not None}
    return wb, meta


def import_return(store: Store, audit: AuditRound, framework: Framework, path: str | Path,
                  expected_round: str | None = None) -> ImportResult:
    """Import one filled return, all or nothing.

    Raises
    ------
    ExcelImportError
        listing every problem with its sheet, row and column; nothing is saved.
    """
    path = Path(path)
    wb, meta = _open(path)
    problems: list[str] = []
    if meta.get("round_id") != audit.id or (expected_round and expected_round != audit.id):
        raise ExcelImportError(path, [f"this return is for round {meta.get('round_id')}, not "
                                      f"{expected_round or audit.id}; import it into its own round"])
    if (meta.get("framework_id"), meta.get("framework_version")) != (framework.id,
                                                                      framework.version):
        raise ExcelImportError(path, [
            f"this return was made for framework {meta.get('framework_id')} version "
            f"{meta.get('framework_version')}, but round {audit.id} now uses {framework.id} "
            f"version {framework.version}; copy the answers into a new template "
            f"(caseaudit excel-template --round {audit.id} --agency {meta.get('agency')})"])
    agency = meta.get("agency", "")
    ws = wb[SHEET]
    header = [c.value for c in ws[2]]
    expected_header = [HEADINGS[c] for c in COLUMNS]
    if header[:len(COLUMNS)] != expected_header:
        for i, (got, want) in enumerate(zip(header, expected_header, strict=False)):
            if got != want:
                problems.append(f"sheet {SHEET}, row 2, column {chr(65 + i)}: the heading is "
                                f"{got!r} but should be {want!r}; columns must not be moved, "
                                "renamed or deleted (use a fresh template)")
                break
        else:
            problems.append(f"sheet {SHEET}, row 2: columns are missing; the headings must be "
                            f"{', '.join(expected_header)} (use a fresh template)")
        raise ExcelImportError(path, problems)
    col = {name: i for i, name in enumerate(COLUMNS)}
    letter = {name: chr(65 + i) for i, name in enumerate(COLUMNS)}
    forms: dict[str, dict] = {}
    for row_no, row in enumerate(ws.iter_rows(min_row=FIRST_ROW, values_only=True),
                                 start=FIRST_ROW):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        case_id = str(row[col["case_id"]] or "").strip()
        cid = str(row[col["criterion_id"]] or "").strip()
        grade = row[col["grade"]]
        note = str(row[col["evidence_note"]] or "").strip()
        auditor = str(row[col["auditor"]] or "").strip()
        where = f"sheet {SHEET}, row {row_no}"
        case = audit.cases_by_id.get(case_id)
        if case is None or agency not in case.agencies:
            problems.append(f"{where}, column {letter['case_id']}: case {case_id!r} is not a case "
                            f"of {agency} in round {audit.id}; do not edit the case column")
            continue
        if cid not in {c.id for c in framework.criteria_for(agency)}:
            problems.append(f"{where}, column {letter['criterion_id']}: criterion {cid!r} is not "
                            f"on {agency}'s form; do not edit the criterion column")
            continue
        form = forms.setdefault(case_id, {"grades": {}, "notes": {}, "auditors": set(),
                                          "rows": []})
        form["rows"].append(row_no)
        if grade is not None and str(grade).strip():
            scale = framework.scale_of(cid)
            text = str(grade).strip()
            try:
                code = None if text.casefold() == NOT_APPLICABLE_LABEL.casefold() and \
                    scale.not_applicable else scale.parse_grade(grade)
            except ValueError:
                problems.append(f"{where}, column {letter['grade']}: {text!r} is not on the scale; "
                                f"choose one of {', '.join(_labels(framework, cid))}")
                continue
            form["grades"][cid] = "n/a" if code is None else code
            if code is not None and code in scale.note_required_for and not note:
                problems.append(f"{where}, column {letter['evidence_note']}: a grade of "
                                f"{scale.label(code)} needs an evidence note; write one")
        if note:
            form["notes"][cid] = note
        if auditor:
            form["auditors"].add((auditor, row_no))
    saves: list[FormSave] = []
    unchanged = 0
    for case_id, form in forms.items():
        if not form["grades"] and not form["notes"]:
            continue  # not started: the form stays missing
        names = {a for a, _ in form["auditors"]}
        first_row = min(form["rows"])
        if len(names) != 1:
            what = "no auditor is chosen" if not names else \
                f"several auditors are chosen ({', '.join(sorted(names))})"
            problems.append(f"sheet {SHEET}, rows {first_row}-{max(form['rows'])}, column "
                            f"{letter['auditor']}: for case {case_id} {what}; choose one "
                            "auditor id for all of the case's rows")
            continue
        auditor = names.pop()
        complete = all(c.id in form["grades"] for c in framework.criteria_for(agency))
        latest = store.latest_revision(audit.id, case_id, agency, auditor)
        save = FormSave(case_id, agency, auditor, form["grades"], form["notes"],
                        "submitted" if complete else "draft",
                        latest.revision_no if latest else None, saved_by=auditor)
        try:
            codes, notes = check_form(audit, framework, save)
        except WorkbookError as exc:
            problems += [f"sheet {SHEET}, case {case_id}: {p}"
                         for p in getattr(exc, "problems", [str(exc)])]
            continue
        if latest is not None and (latest.grades, latest.notes, latest.status) == (
                codes, notes, save.status):
            unchanged += 1
            continue
        saves.append(save)
    if problems:
        raise ExcelImportError(path, problems)
    saved = store.save_forms(audit, framework, saves) if saves else []
    return ImportResult(str(path), audit.id, agency, saved, unchanged)
