"""Excel returns for a practice week's streams: one workbook per stream and person, and its import.

Observers and the people taking feedback often work away from the workbook, so each stream has
a return as the agency's case audit has (:mod:`caseaudit.excel`, whose helpers this reuses): a
row per record, its id filled in, the stream's own fields with drop-downs (kind of event,
practitioner, respondent, consent, yes or no), date cells, the stream's criteria with their
scale's drop-downs and the free-text column. The hidden sheet says which round, stream and person
it was made for, so a return sent to the wrong stream is refused rather than read as another
stream's. An import is all or nothing, through the store's own checks of a stream's record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .errors import WorkbookError
from .excel import SHEET, ExcelImportError, open_return, sheet_heading, write_meta
from .framework import Framework
from .practice_week import CONSENT, PRACTICE_WEEK, RESPONDENTS, next_record_id, practice_week_problem
from .rounds import AuditRound

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .store import Revision, Store

TEMPLATE_VERSION = "1"
FIRST_ROW = 3
LISTS_SHEET = "Lists"
PEOPLE_SHEET = "Participants"
QUESTIONS_SHEET = "Questions"
#: Blank records in a return of a stream other than the case audit (whose rows are its cases).
DEFAULT_ROWS = 10
#: A stream's own fields, in the order its return shows them (the criteria and the text follow).
FIELDS = {"case audit": ("record", "practitioner", "event_date"),
          "observation": ("record", "event_kind", "event_date", "practitioner", "feedback_given")}
_YES_NO = ("Yes", "No")
_GREY = PatternFill("solid", fgColor="F2F2F2")


def _fields(framework: Framework, stream_id: str) -> tuple[str, ...]:
    """A stream's own fields: a feedback stream asks who gave the feedback, a family by
    respondent (:data:`RESPONDENTS`), a practitioner by participant id (or anonymously)."""
    kind = framework.streams_by_id[stream_id].kind
    if kind == "feedback":
        person = "respondent" if stream_id == "family_feedback" else "practitioner"
        return ("record", person, "event_date", "consent")
    return FIELDS[kind]


def _heading(field: str, kind: str) -> str:
    """What a person reads at the top of a field's column, in the stream's words."""
    if field == "record":
        return "Case" if kind == "case audit" else "Record"
    if field == "practitioner":
        return {"case audit": "Practitioner (case holder)",
                "observation": "Practitioner observed"}.get(kind, "Practitioner (blank: anonymous)")
    if field == "event_date":
        return {"case audit": "Date audited (optional)", "observation": "Date of the event"}.get(
            kind, "Date given")
    return {"event_kind": "Kind of event", "feedback_given": "Feedback given afterwards",
            "respondent": "Respondent", "consent": "Consent"}[field]


_TEXT = {"case audit": "The practitioner's reflection (what they would do differently)",
         "observation": "Observer's note", "feedback": "What was said, in their own words"}


def columns(audit: AuditRound, framework: Framework, stream_id: str) -> list[tuple[str, str]]:
    """``(name, heading)`` of every column of a stream's return, in order: the stream's fields,
    each criterion (with an evidence-note column after it where its scale needs notes), the text.
    A criterion's column is named by its id, its note's by ``<id>:note``."""
    kind = framework.streams_by_id[stream_id].kind
    out = [(f, _heading(f, kind)) for f in _fields(framework, stream_id)]
    for criterion in framework.stream_criteria(stream_id):
        out.append((criterion.id, f"{criterion.id} {criterion.title}"))
        if framework.scale_of(criterion.id).note_required_for:
            out.append((f"{criterion.id}:note", f"{criterion.id} evidence note"))
    out.append(("text", _TEXT[kind]))
    return out


def stream_return_problem(audit: AuditRound, stream_id: str, auditor: str | None = None
                          ) -> str | None:
    """Why a return of ``stream_id`` by ``auditor`` cannot be made for ``audit``, or ``None``."""
    if (why := practice_week_problem(audit, stream_id)) is not None:
        return why
    if auditor is not None and auditor not in audit.auditors_by_id:
        return (f"{auditor} is not one of round {audit.id}'s auditors "
                f"({', '.join(audit.auditors_by_id)}); add them to the round's audit.yaml first")
    return None


def _held_cases(audit: AuditRound, agency: str) -> list[str]:
    """The cases whose collaborative audit ``agency`` records: those it holds (listed first)."""
    return [c.id for c in audit.cases if c.agencies[0] == agency]


def write_stream_template(audit: AuditRound, framework: Framework, stream_id: str, auditor: str,
                          path: str | Path, taken: Iterable[str] = (), rows: int = DEFAULT_ROWS
                          ) -> int:
    """Write ``auditor``'s return for ``stream_id``: for the case audit a row per case their
    agency holds, else ``rows`` records numbered after the ids already ``taken`` in the round.
    Returns the number of rows to fill.

    Raises
    ------
    WorkbookError
        the round is not a practice week, does not use the stream, or the auditor is not its.
    """
    if (why := stream_return_problem(audit, stream_id, auditor)) is not None:
        raise WorkbookError(f"No return was written: {why}.")
    agency = audit.auditors_by_id[auditor].agency
    stream = framework.streams_by_id[stream_id]
    if stream.kind == "case audit":
        records = _held_cases(audit, agency)
        if not records:
            raise WorkbookError(f"No return was written: {agency} holds none of round {audit.id}'s "
                                "cases (a case's first listed agency holds it); choose an auditor "
                                "of the agency that holds the cases.")
    else:
        records, used = [], list(taken)
        for _ in range(rows):
            records.append(next_record_id(used, stream_id))
            used.append(records[-1])
    cols = columns(audit, framework, stream_id)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    sheet_heading(ws, f"{audit.title}: {stream.title.lower()}, return of {auditor} ({agency}). "
                  "One row per record: choose from the drop-downs, type dates as 2026-05-12. A row "
                  "with every criterion graded is submitted; a partly filled row is saved as a "
                  "draft; a row left blank is not saved. Questions and participants are on the "
                  "next sheets. Do not change the grey column or the headings.",
                  [heading for _, heading in cols], 60)
    lists = _ListSheet(wb)
    validations = _validations(ws, lists, audit, framework, stream_id, cols)
    for row, record in enumerate(records, start=FIRST_ROW):
        for col, (name, _) in enumerate(cols, start=1):
            cell = ws.cell(row=row, column=col, value=record if name == "record" else None)
            if name == "record":
                cell.fill = _GREY
            else:
                cell.protection = Protection(locked=False)
            if name == "event_date":
                cell.number_format = "yyyy-mm-dd"
            if name in validations:
                validations[name].add(cell)
    for col, (name, _) in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(col)].width = 40 if name == "text" else \
            24 if name.endswith(":note") or name in ("practitioner", "event_kind") else 16
    ws.freeze_panes = "B3"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    _reference_sheets(wb, audit, framework, stream_id)
    write_meta(wb, [("round_id", audit.id), ("stream", stream_id), ("auditor", auditor),
                    ("agency", agency), ("framework_id", framework.id),
                    ("framework_version", framework.version),
                    ("template_version", TEMPLATE_VERSION)])
    wb.save(path)
    return len(records)


class _ListSheet:
    """A hidden sheet holding each drop-down's options, one column per list, so a long list (a
    week's participants) is not limited to the 255 characters of a list typed in the rule."""

    def __init__(self, wb: Workbook) -> None:
        self.ws = wb.create_sheet(LISTS_SHEET)
        self.ws.sheet_state = "hidden"
        self.ws.protection.sheet = True
        self.used: dict[tuple[str, ...], str] = {}

    def range_of(self, values: Iterable[str]) -> str:
        values = tuple(values)
        if values not in self.used:
            col = get_column_letter(len(self.used) + 1)
            for row, value in enumerate(values, start=1):
                self.ws[f"{col}{row}"] = value
            self.used[values] = f"{LISTS_SHEET}!${col}$1:${col}${len(values)}"
        return self.used[values]


def _validations(ws: Worksheet, lists: _ListSheet, audit: AuditRound, framework: Framework,
                 stream_id: str, cols: list[tuple[str, str]]) -> dict[str, DataValidation]:
    """Each column's drop-down (or date rule), by column name."""
    def choose(values: Iterable[str], what: str) -> DataValidation:
        return DataValidation(type="list", formula1=lists.range_of(values), allow_blank=True,
                              showErrorMessage=True, errorTitle="Not on the list",
                              error=f"Choose {what} from the list.")

    people = [p.id for p in audit.participants]
    start, end = (audit.period.start - timedelta(days=14), audit.period.end + timedelta(days=14))
    out = {"practitioner": choose(people, "a participant's id"),
           "event_kind": choose(framework.streams_by_id[stream_id].event_kinds, "a kind of event"),
           "feedback_given": choose(_YES_NO, "Yes or No"),
           "respondent": choose(RESPONDENTS, "who gave the feedback"),
           "consent": choose(CONSENT, "whether consent was given"),
           "event_date": DataValidation(
               type="date", operator="between", allow_blank=True, showErrorMessage=True,
               formula1=f"DATE({start.year},{start.month},{start.day})",
               formula2=f"DATE({end.year},{end.month},{end.day})", errorTitle="Not a date of the week",
               error=f"Type a date between {start:%Y-%m-%d} and {end:%Y-%m-%d}.")}
    for criterion in framework.stream_criteria(stream_id):
        labels = [label for label, _ in framework.scale_of(criterion.id).choices()]
        out[criterion.id] = choose(labels, "an answer")
    out = {name: dv for name, dv in out.items() if name in dict(cols)}
    for dv in out.values():
        ws.add_data_validation(dv)
    return out


def _reference_sheets(wb: Workbook, audit: AuditRound, framework: Framework, stream_id: str) -> None:
    """The questions behind the criteria's columns, and who the participants' ids are (by role
    and agency, never by name), for the person filling the return."""
    questions = wb.create_sheet(QUESTIONS_SHEET)
    sheet_heading(questions, "The questions each criterion's column answers.",
                  ["Criterion", "Question", "What good looks like", "Answers"], 20)
    for row, criterion in enumerate(framework.stream_criteria(stream_id), start=FIRST_ROW):
        scale = framework.scale_of(criterion.id)
        answers = ", ".join(label for label, _ in scale.choices())
        if scale.note_required_for:
            answers += " (evidence note required for: " + ", ".join(
                scale.label(c) for c in scale.note_required_for) + ")"
        for col, value in enumerate((f"{criterion.id} {criterion.title}", criterion.question,
                                     criterion.good_looks_like, answers), start=1):
            questions.cell(row=row, column=col, value=value).alignment = Alignment(
                wrap_text=True, vertical="top")
    people = wb.create_sheet(PEOPLE_SHEET)
    sheet_heading(people, f"Round {audit.id}'s participants.", ["Id", "Role", "Agency"], 20)
    for row, person in enumerate(audit.participants, start=FIRST_ROW):
        for col, value in enumerate((person.id, person.role, person.agency), start=1):
            people.cell(row=row, column=col, value=value)
    for sheet in (questions, people):
        sheet.protection.sheet = True
        for letter, width in zip("ABCD", (28, 60, 60, 40), strict=True):
            sheet.column_dimensions[letter].width = width


@dataclass(frozen=True)
class StreamImportResult:
    """What an import did: records saved, and records left alone because nothing changed."""

    path: str
    round_id: str
    stream_id: str
    auditor: str
    saved: list[Revision]
    unchanged: int


def import_stream_return(store: Store, audit: AuditRound, framework: Framework, path: str | Path,
                         expected_stream: str | None = None, expected_round: str | None = None
                         ) -> StreamImportResult:
    """Import one filled stream return, all or nothing; ``expected_stream`` and
    ``expected_round`` (the command's ``--stream``, ``--round``) refuse a return for another.

    Raises
    ------
    ExcelImportError
        naming the file, sheet, row and column of every problem and its fix; nothing is saved.
    """
    from .excel_stream_rows import RowReader

    path = Path(path)
    wb, meta = open_return(path)
    stream_id, auditor = meta.get("stream", ""), meta.get("auditor", "")

    def refuse(problem: str) -> ExcelImportError:
        return ExcelImportError(path, [problem])

    if meta.get("round_id") != audit.id or (expected_round and expected_round != audit.id):
        raise refuse(f"this return is for round {meta.get('round_id')}, not "
                     f"{expected_round or audit.id}; import it into its own round")
    if audit.kind != PRACTICE_WEEK:
        raise refuse(f"{practice_week_problem(audit, stream_id)} (a stream's return belongs to a "
                     "practice week)")
    if not stream_id:
        raise refuse(f"this is an agency's case-audit return, not a return of one of the practice "
                     f"week's streams; make one with caseaudit excel-template --round {audit.id} "
                     "--stream STREAM --auditor ID")
    if expected_stream is not None and expected_stream != stream_id:
        raise refuse(f"this return is for the stream '{stream_id}', not '{expected_stream}'; import "
                     f"it with --stream {stream_id}, or send the {expected_stream} return instead")
    if (why := stream_return_problem(audit, stream_id, auditor)) is not None:
        raise refuse(f"this return is for stream '{stream_id}' by {auditor}, but {why}")
    if (meta.get("framework_id"), meta.get("framework_version")) != (framework.id,
                                                                      framework.version):
        raise refuse(f"this return was made for framework {meta.get('framework_id')} version "
                     f"{meta.get('framework_version')}, but round {audit.id} now uses "
                     f"{framework.id} version {framework.version}; copy the answers into a new "
                     f"template (caseaudit excel-template --round {audit.id} --stream {stream_id} "
                     f"--auditor {auditor})")
    ws = wb[SHEET]
    if (problem := _header_problem(ws, audit, framework, stream_id)) is not None:
        raise refuse(problem)
    reader = RowReader(store, audit, framework, stream_id, auditor)
    for row_no, cells in enumerate(ws.iter_rows(min_row=FIRST_ROW), start=FIRST_ROW):
        reader.read(row_no, cells)
    if reader.problems:
        raise ExcelImportError(path, reader.problems)
    saved = store.save_forms(audit, framework, reader.saves) if reader.saves else []
    return StreamImportResult(str(path), audit.id, stream_id, auditor, saved, reader.unchanged)


def _header_problem(ws: Worksheet, audit: AuditRound, framework: Framework, stream_id: str
                    ) -> str | None:
    """Why the headings in row 2 are not this stream's: another stream's columns (a return
    copied from another stream's), or a column moved, renamed or deleted."""
    want = [heading for _, heading in columns(audit, framework, stream_id)]
    got = [cell.value for cell in ws[2]]
    got = got[:max(len(want), len([v for v in got if v is not None]))]
    if got == want:
        return None
    for other in audit.streams:
        if other != stream_id and got[:len(cols := columns(audit, framework, other))] == [
                h for _, h in cols] and len([v for v in got if v is not None]) == len(cols):
            return (f"sheet {SHEET}, row 2: the columns are those of a {other} return, but this "
                    f"file was made for the stream '{stream_id}'; copy the records into a fresh "
                    f"{stream_id} template, or make a {other} template for them")
    for i, heading in enumerate(want):
        if i >= len(got) or got[i] != heading:
            return (f"sheet {SHEET}, row 2, column {get_column_letter(i + 1)}: the heading is "
                    f"{got[i] if i < len(got) else None!r} but should be {heading!r}; columns must "
                    "not be moved, renamed or deleted (use a fresh template)")
    return (f"sheet {SHEET}, row 2, column {get_column_letter(len(want) + 1)}: a column was added; "
            "columns must not be added, moved or renamed (use a fresh template)")
