"""Excel returns: a workbook per agency to fill in offline, and its import.

Some agencies will only ever send a spreadsheet. The template makes a wrong answer hard to type
(grades are a drop-down of the scale's labels, headings are locked) and carries, on a hidden
sheet, which round, agency and framework version it was made for. An import is all or nothing
per file: every problem is listed with its sheet, row and column and what to do, and a file
imported twice adds nothing the second time.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.escape import unescape
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from . import settings
from .errors import WorkbookError
from .framework import Framework, is_grade
from .rounds import AuditRound

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported by the import itself, not by the plan's Excel
    from openpyxl.worksheet.worksheet import Worksheet

    from .store import Revision, Store

SHEET = "Return"
META_SHEET = "caseaudit"
TEMPLATE_VERSION = "1"
COLUMNS = ["case_id", "domain", "criterion_id", "criterion", "question", "good_looks_like",
           "grade", "evidence_note", "auditor"]
HEADINGS = {"case_id": "Case", "domain": "Domain", "criterion_id": "Criterion id",
            "criterion": "Criterion", "question": "Question", "good_looks_like":
            "What good looks like", "grade": "Grade", "evidence_note": "Evidence note",
            "auditor": "Auditor"}
EDITABLE = ("grade", "evidence_note", "auditor")
FIRST_ROW = 3  # row 1: instructions, row 2: headings

#: A return unpacks to at most this many bytes. A template of 100 cases x 30 criteria with a
#: full-length note in every row unpacks to about 16 MB; a zip bomb (a small file that unpacks to
#: gigabytes of note) is refused from the zip's own directory, before anything is unpacked.
MAX_UNPACKED_BYTES = 50 * 2**20
#: Parts larger than a megabyte may be packed at most this tightly. A filled return packs 15 to 35
#: times; a bomb packs hundreds or thousands of times.
MAX_PACKING_RATIO = 100
_RATIO_FROM_BYTES = 2**20
#: Every Office file before .xlsx, and an encrypted .xlsx, is an OLE compound file.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Control characters XML cannot hold, raw or as character references; Excel writes them as
#: ``_x000B_`` instead, but other programs write them raw and openpyxl then cannot parse the file.
_RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_REFERENCE = re.compile(rb"&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});")
#: What a formula in each column means to the person who typed it.
_FORMULA_FIX = {
    "grade": "the grade is a formula; choose a grade from the drop-down instead",
    "evidence_note": "the evidence note is a formula; type the note as plain text instead",
    "auditor": "the auditor is a formula; choose your auditor id from the drop-down instead",
}


class ExcelImportError(WorkbookError):
    """Raised when a return (or another workbook read back, ``what`` it is: the action plan's)
    cannot be imported; lists every problem with its place. Nothing of the file is saved."""

    def __init__(self, path: str | Path, problems: list[str], what: str = "return") -> None:
        self.path = str(path)
        self.problems = problems
        lines = [f"The {what} {self.path} was not imported ({len(problems)} problem(s)); "
                 "nothing from it was saved:"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


def _labels(framework: Framework, criterion_id: str) -> list[str]:
    """The drop-down's options for a criterion: the scale's choices, as the forms offer them."""
    return [label for label, _ in framework.scale_of(criterion_id).choices()]


def write_meta(wb: Workbook, items: Sequence[tuple[str, str]]) -> None:
    """Record what the workbook was made for (read back by :func:`meta_of`) on a sheet Excel
    does not show and will not let anyone edit, so a file sent back is matched to its round or
    plan whatever was done to the visible sheets."""
    meta = wb.create_sheet(META_SHEET)
    for i, (key, value) in enumerate(items, start=1):
        meta.cell(row=i, column=1, value=key)
        meta.cell(row=i, column=2, value=value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True


def sheet_heading(ws: Worksheet, instructions: str, headings: Sequence[str], height: float
                  ) -> None:
    """What a person filling the sheet reads first: the instructions across the first row, then
    the column headings, bold on grey, in the second (the row every reader checks)."""
    ws["A1"] = instructions
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    ws.row_dimensions[1].height = height
    for col, heading in enumerate(headings, start=1):
        cell = ws.cell(row=2, column=col, value=heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")


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
    sheet_heading(ws, f"{audit.title}: return for {agency}. Choose a grade from each drop-down "
                  "and write an evidence note (required for the grades marked in the question). "
                  "Pick your auditor id. A case with every criterion graded is submitted; a "
                  "partly graded case is saved as a draft. Do not change the grey columns.",
                  [HEADINGS[name] for name in COLUMNS], 48)
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
    write_meta(wb, [("round_id", audit.id), ("agency", agency), ("framework_id", framework.id),
                    ("framework_version", framework.version),
                    ("template_version", TEMPLATE_VERSION)])
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
    return open_return(path)[1]


def open_return(path: str | Path):  # type: ignore[no-untyped-def]
    """A return's workbook and its hidden facts (see :func:`open_xlsx`): an agency's or a
    practice-week stream's (:mod:`caseaudit.excel_streams`), whose hidden sheet says which."""
    path = Path(path)
    wb = open_xlsx(path)
    if META_SHEET not in wb.sheetnames or SHEET not in wb.sheetnames:
        raise ExcelImportError(path, ["this workbook is not a caseaudit return (its hidden "
                                      f"'{META_SHEET}' sheet or its '{SHEET}' sheet is missing); "
                                      "fill in a template made by `caseaudit excel-template`"])
    return wb, meta_of(wb)


def meta_of(wb: Workbook) -> dict[str, str]:
    """The facts on a workbook's hidden sheet (what it was made for), as text."""
    return {str(r[0]): str(r[1]) for r in wb[META_SHEET].iter_rows(values_only=True)
            if r and r[0] is not None}


def open_xlsx(path: str | Path, what: str = "return") -> Workbook:
    """A workbook a person sends back (formulas kept as formulas, so that none is mistaken for a
    blank); refuses, before openpyxl unpacks anything, what is not a plain .xlsx, saying so in
    the words of ``what`` it should be (a return, a plan workbook)."""
    path = Path(path)

    def refuse(problem: str) -> ExcelImportError:
        return ExcelImportError(path, [problem], what)

    if not path.exists():
        raise refuse("the file does not exist")
    if path.is_dir():
        raise refuse(f"this is a folder, not a {what}; give the .xlsx file itself")
    if path.stat().st_size == 0:
        raise refuse(f"the file is empty (0 bytes); save the {what} from Excel again and resend it")
    with path.open("rb") as fh:
        if fh.read(len(OLE_MAGIC)) == OLE_MAGIC:
            raise refuse(_compound_file_problem(path, what))
    try:
        return load_workbook(_checked_package(path, what), data_only=False)
    except ExcelImportError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise refuse(f"this is not an Excel workbook (.xlsx) ({exc.__class__.__name__}); make sure "
                     f"you send the {what} itself, saved as .xlsx") from None
    except (ParseError, ValueError, TypeError) as exc:  # openpyxl's words for malformed XML
        raise refuse(f"the workbook is damaged and cannot be read ({exc}); open it in Excel, save "
                     "it again as .xlsx and resend it") from None


def _compound_file_problem(path: Path, what: str = "return") -> str:
    """Why an OLE compound file is not a return: Excel writes one for a password-protected
    workbook (an ``EncryptionInfo`` stream beside the encrypted package) and for a 97-2003 .xls."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            encrypted = ole.exists("EncryptionInfo")
            old_excel = ole.exists("Workbook") or ole.exists("Book")
    except OSError:
        encrypted = old_excel = False
    if encrypted:
        return (f"the {what} is password-protected; open it in Excel, remove the password "
                "(File > Info > Protect Workbook > Encrypt with Password, clear it), save it and "
                "send it again")
    if old_excel:
        return ("this is an old Excel 97-2003 file (.xls); open it in Excel, save it as an Excel "
                "Workbook (.xlsx) and send that")
    return ("this is an older Office file (perhaps a Word document), not an Excel workbook (.xlsx); "
            f"make sure you send the {what} itself, saved as .xlsx")


def _checked_package(path: Path, what: str = "return") -> Path | io.BytesIO:
    """The .xlsx package after checking its declared sizes (zipfile refuses a member that
    unpacks to more than it declares, so the directory can be trusted).

    Control characters written raw into its XML would stop openpyxl; they are rewritten the
    way Excel writes them (``_x000B_``), to be read and cleaned like any other.
    """
    with zipfile.ZipFile(path) as package:
        members = package.infolist()
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED_BYTES:
            raise ExcelImportError(path, [
                f"the file unpacks to {total / 2**20:,.1f} MB, more than a {what} can hold "
                f"({MAX_UNPACKED_BYTES // 2**20} MB); it is damaged or holds something other than "
                f"the {what}: fill in a fresh template and send that"], what)
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > _RATIO_FROM_BYTES and ratio > MAX_PACKING_RATIO:
                raise ExcelImportError(path, [
                    f"its part {member.filename} unpacks {ratio:,.0f} times larger than it is "
                    f"packed (a {what} packs at most {MAX_PACKING_RATIO} times); it is damaged or "
                    f"holds something other than the {what}: fill in a fresh template and send "
                    "that"], what)
        parts = {m.filename: package.read(m) for m in members if m.filename.endswith(".xml")
                 and m.filename.startswith(("xl/worksheets/", "xl/sharedStrings"))}
        spoilt = {name: _excel_escaped(data) for name, data in parts.items()
                  if _RAW_CONTROL.search(data) or _CONTROL_REFERENCE.search(data)}
        if not spoilt:
            return path
        rewritten = io.BytesIO()
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as out:
            for member in members:
                out.writestr(member, spoilt.get(member.filename) or package.read(member))
        rewritten.seek(0)
        return rewritten


def _excel_escaped(xml: bytes) -> bytes:
    """``xml`` with its control characters written as Excel writes them (``_x000B_``)."""
    def reference(match: re.Match[bytes]) -> bytes:
        digits = match.group(1).decode()
        code = int(digits[1:], 16) if digits.startswith("x") else int(digits)
        return b"_x%04X_" % code if code < 0x20 and code not in (0x09, 0x0A, 0x0D) else match.group(0)

    xml = _RAW_CONTROL.sub(lambda m: b"_x%04X_" % m.group(0)[0], xml)
    return _CONTROL_REFERENCE.sub(reference, xml)


def clean_text(value: str) -> str:
    """Text as the auditor meant it: Excel's ``_x000D_`` escapes decoded, Word's line and page
    breaks (vertical tab, form feed) as new lines, and every other control character dropped.

    They are dropped rather than refused because nobody can see them in Excel to delete them,
    and none of them means anything in a note.
    """
    text = unescape(value).replace("\r\n", "\n").translate({0x0B: "\n", 0x0C: "\n", 0x0D: "\n"})
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def cell_text(value: object) -> str:
    """A cell's value as clean text (see :func:`clean_text`), ``""`` for an empty cell."""
    return clean_text(str(value)).strip() if value is not None else ""


def formula_problems(cells: Iterable, where: str, fix: Callable[[int], str]) -> list[str]:  # type: ignore[type-arg]
    """A formula read with data_only gives ``None`` when Excel cached no value: a grade that
    silently vanishes. Every formula in a row is refused instead, naming its cell; ``fix`` says,
    for the column's index, what to type instead."""
    return [f"{where}, column {cell.column_letter}: {fix(i)}" for i, cell in enumerate(cells)
            if getattr(cell, "data_type", None) == "f"]


def _formula_fix(i: int) -> str:
    return _FORMULA_FIX.get(COLUMNS[i], f"the {HEADINGS[COLUMNS[i]].lower()} is a formula; do not "
                                        "edit the grey columns (use a fresh template)")


def import_return(store: Store, audit: AuditRound, framework: Framework, path: str | Path,
                  expected_round: str | None = None) -> ImportResult:
    """Import one filled return, all or nothing.

    Raises
    ------
    ExcelImportError
        listing every problem with its sheet, row and column; nothing is saved.
    """
    from .store import FormSave, check_form

    path = Path(path)
    wb, meta = open_return(path)
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
    answered: dict[tuple[str, str], tuple[int, tuple[str, str, str]]] = {}
    for row_no, cells in enumerate(ws.iter_rows(min_row=FIRST_ROW), start=FIRST_ROW):
        row = [c.value for c in cells]
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        where = f"sheet {SHEET}, row {row_no}"
        formulas = formula_problems(cells[:len(COLUMNS)], where, _formula_fix)
        if formulas:
            problems += formulas
            continue
        row += [None] * (len(COLUMNS) - len(row))
        case_id = cell_text(row[col["case_id"]])
        cid = cell_text(row[col["criterion_id"]])
        grade = cell_text(row[col["grade"]])
        note = cell_text(row[col["evidence_note"]])
        auditor = cell_text(row[col["auditor"]])
        case = audit.cases_by_id.get(case_id)
        if case is None or agency not in case.agencies:
            problems.append(f"{where}, column {letter['case_id']}: case {case_id!r} is not a case "
                            f"of {agency} in round {audit.id}; do not edit the case column")
            continue
        if cid not in {c.id for c in framework.criteria_for(agency)}:
            problems.append(f"{where}, column {letter['criterion_id']}: criterion {cid!r} is not "
                            f"on {agency}'s form; do not edit the criterion column")
            continue
        if (case_id, cid) in answered:
            # A copied row that says the same thing adds nothing and loses nothing, so it is
            # read once; one that disagrees cannot be settled here, so the return is refused.
            first_row, first_answer = answered[(case_id, cid)]
            if first_answer != (grade, note, auditor):
                problems.append(f"sheet {SHEET}, rows {first_row} and {row_no}: both are for case "
                                f"{case_id}, criterion {cid}, with different answers; keep one row "
                                "per case and criterion (delete the copied row)")
            continue
        answered[(case_id, cid)] = (row_no, (grade, note, auditor))
        if problem := settings.too_long(note, "the evidence note"):
            problems.append(f"{where}, column {letter['evidence_note']}: {problem}")
            continue
        form = forms.setdefault(case_id, {"grades": {}, "notes": {}, "auditors": set(),
                                          "rows": []})
        form["rows"].append(row_no)
        if grade:
            scale = framework.scale_of(cid)
            try:
                typed = row[col["grade"]]  # a number typed for a code stays a number
                answer = scale.parse_answer(grade if isinstance(typed, str) else typed)
            except ValueError:
                problems.append(f"{where}, column {letter['grade']}: {grade!r} is not on the scale; "
                                f"choose one of {', '.join(_labels(framework, cid))}")
                continue
            form["grades"][cid] = answer
            if is_grade(answer) and answer in scale.note_required_for and not note:
                problems.append(f"{where}, column {letter['evidence_note']}: a grade of "
                                f"{scale.label(answer)} needs an evidence note; write one")
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
