"""Reading a practice week's stream return row by row (:mod:`caseaudit.excel_streams`).

Every problem is named by its sheet, row and column with what to do, and the whole file is read
before anything is saved, so one reply to the person who filled it lists everything to fix.
What the store's own check of a record finds (a field required on submit, a date outside the
week) is listed too, under the row it came from.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from . import settings
from .errors import WorkbookError
from .excel import SHEET, cell_text, formula_problems
from .excel_streams import _held_cases, columns
from .framework import Answer, Framework, is_grade
from .practice_week import CONSENT, RESPONDENTS, practice_week_problem, record_prefix
from .rounds import AuditRound

if TYPE_CHECKING:
    from .store import FormSave, Store, StreamDetails

_DATE_TYPED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YES_NO = {"yes": True, "no": False}


def parse_date(value: object) -> date | None:
    """A date cell (Excel's date, or ``2026-05-12`` or ``12/05/2026`` typed as text) as a date,
    ``None`` for a blank; ValueError for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    if match := _DATE_TYPED.match(text):
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


class RowReader:
    """Turns a stream return's rows into the store's saves, collecting every problem."""

    def __init__(self, store: Store, audit: AuditRound, framework: Framework, stream_id: str,
                 auditor: str) -> None:
        self.store, self.audit, self.framework = store, audit, framework
        self.stream_id, self.auditor = stream_id, auditor
        self.agency = audit.auditors_by_id[auditor].agency
        self.kind = framework.streams_by_id[stream_id].kind
        cols = columns(audit, framework, stream_id)
        self.names = [name for name, _ in cols]
        self.heading = dict(cols)
        self.letter = {name: get_column_letter(i + 1) for i, name in enumerate(self.names)}
        self.criteria = framework.stream_criteria(stream_id)
        records = store.stream_records(audit.id, status=None)
        self.owner = {r: (s, a) for r, s, a in zip(records["record_id"], records["stream_id"],
                                                   records["auditor"], strict=True)}
        self.held = set(_held_cases(audit, self.agency))
        self.first_row: dict[str, int] = {}
        self.problems: list[str] = []
        self.saves: list[FormSave] = []
        self.unchanged = 0

    def _formula_fix(self, i: int) -> str:
        name = self.names[i] if i < len(self.names) else ""
        what = self.heading.get(name, "this cell")
        if name == "record":
            return f"the {what.lower()} is a formula; do not edit the grey column (use a fresh template)"
        if name in ("text", "event_date") or name.endswith(":note"):
            return f"'{what}' is a formula; type it as plain text instead"
        return f"'{what}' is a formula; choose from the drop-down instead"

    def read(self, row_no: int, cells: tuple) -> None:  # type: ignore[type-arg]
        """Read one row: a blank row (its record id apart) is a record not started, left out."""
        values = [c.value for c in cells[:len(self.names)]]
        values += [None] * (len(self.names) - len(values))
        if all(v is None or str(v).strip() == "" for v in values[1:]):
            return
        where = f"sheet {SHEET}, row {row_no}"
        if formulas := formula_problems(cells[:len(self.names)], where, self._formula_fix):
            self.problems += formulas
            return
        value = dict(zip(self.names, values, strict=True))
        wrong: list[tuple[int, str]] = []  # listed in the order of the columns

        def refuse(name: str, problem: str) -> None:
            wrong.append((self.names.index(name), f"{where}, column {self.letter[name]}: {problem}"))

        record = cell_text(value["record"])
        self._check_record(record, row_no, refuse)
        details = self._details(value, refuse)
        grades, notes = self._answers(value, refuse)
        declined = details.consent == CONSENT[1]
        if declined and (grades or notes or details.text):
            refuse("consent", "consent was declined, so nothing the person said may be kept; clear "
                   "this row's answers and text (keep the row: a declined return is counted)")
        if wrong:
            self.problems += [problem for _, problem in sorted(wrong)]
            return
        complete = declined or all(c.id in grades for c in self.criteria)
        self._save(where, record, grades, notes, "submitted" if complete else "draft", details)

    def _check_record(self, record: str, row_no: int, refuse) -> None:  # type: ignore[no-untyped-def]
        """The record id: a case the auditor's agency holds, or an id of the stream's own, once
        in the file and nobody else's in the store."""
        column = self.heading["record"]
        if self.kind == "case audit":
            if record not in self.held:
                refuse("record", f"case {record!r} is not one of the cases {self.agency} holds in "
                       f"round {self.audit.id}; do not edit the {column} column")
                return
        elif not re.fullmatch(rf"{re.escape(record_prefix(self.stream_id))}-\d{{3,}}", record):
            refuse("record", f"{record!r} is not a record id of the stream '{self.stream_id}' "
                   f"({record_prefix(self.stream_id)}-001...); do not edit the {column} column")
            return
        owner = self.owner.get(record)
        if owner is not None and owner != (self.stream_id, self.auditor):
            refuse("record", f"record {record} is already saved as {owner[1]}'s {owner[0]} record; "
                   "copy this row into a fresh template (its records are numbered after those "
                   "already saved)")
        if record in self.first_row:
            refuse("record", f"record {record} is also on row {self.first_row[record]}; keep one "
                   "row per record (delete the copied row)")
        self.first_row.setdefault(record, row_no)

    def _details(self, value: dict, refuse) -> StreamDetails:  # type: ignore[no-untyped-def,type-arg]
        """The stream's fields of the row; what is wrong with each is refused in its column."""
        from .store import StreamDetails

        got: dict[str, object] = {}
        person = cell_text(value.get("practitioner"))
        if person and (why := practice_week_problem(self.audit, self.stream_id,
                                                    participant_id=person)):
            refuse("practitioner", why)
        got["practitioner"] = person or None
        kind = cell_text(value.get("event_kind"))
        if kind and (why := practice_week_problem(self.audit, self.stream_id, event_kind=kind,
                                                  framework=self.framework)):
            refuse("event_kind", why)
        got["event_kind"] = kind or None
        if "event_date" in value:
            try:
                got["event_date"] = parse_date(value["event_date"])
            except (ValueError, TypeError):
                refuse("event_date", f"{cell_text(value['event_date'])!r} is not a date; type it "
                       "as 2026-05-12")
        if "feedback_given" in value:
            said = cell_text(value["feedback_given"])
            if said and said.lower() not in _YES_NO:
                refuse("feedback_given", f"{said!r} is neither Yes nor No; choose one of them")
            got["feedback_given"] = _YES_NO.get(said.lower())
        if "respondent" in value:
            said = cell_text(value["respondent"])
            if said and said not in RESPONDENTS:
                refuse("respondent", f"{said!r} is not one of {', '.join(RESPONDENTS)}; choose "
                       "one of them")
            got["respondent"] = said or None
        if "consent" in value:
            said = cell_text(value["consent"])
            if not said:
                refuse("consent", "consent is not recorded; choose given or declined (nothing a "
                       "person said is kept without their consent)")
            elif said not in CONSENT:
                refuse("consent", f"{said!r} is not a consent; choose {' or '.join(CONSENT)}")
            got["consent"] = said or None
        text = cell_text(value["text"])
        if problem := settings.too_long(text, f"'{self.heading['text']}'"):
            refuse("text", problem)
        if self.kind != "observation":
            got.pop("event_kind")
        return StreamDetails(self.stream_id, text=text, **got)  # type: ignore[arg-type]

    def _answers(self, value: dict, refuse  # type: ignore[no-untyped-def,type-arg]
                 ) -> tuple[dict[str, Answer], dict[str, str]]:
        """Each criterion's answer (typed numbers read as codes) and evidence note."""
        grades: dict[str, Answer] = {}
        notes: dict[str, str] = {}
        for criterion in self.criteria:
            cid, scale = criterion.id, self.framework.scale_of(criterion.id)
            typed = value[cid]
            said = cell_text(typed)
            note = cell_text(value.get(f"{cid}:note"))
            if note and (problem := settings.too_long(note, "the evidence note")):
                refuse(f"{cid}:note", problem)
            elif note:
                notes[cid] = note
            if not said:
                continue
            try:
                answer = scale.parse_answer(said if isinstance(typed, str) else typed)
            except ValueError:
                labels = ", ".join(label for label, _ in scale.choices())
                refuse(cid, f"{said!r} is not on the scale of {cid}; choose one of {labels}")
                continue
            grades[cid] = answer
            if is_grade(answer) and answer in scale.note_required_for and not note:
                refuse(f"{cid}:note", f"a grade of {scale.label(answer)} for {cid} needs an "
                       "evidence note; write one")
        return grades, notes

    def _save(self, where: str, record: str, grades: dict[str, Answer], notes: dict[str, str],
              status: str, details: StreamDetails) -> None:
        """The row as a save through the store's own check, unless it holds what the record's
        latest revision holds (a return imported twice adds nothing)."""
        from .store import FormSave, check_form

        latest = self.store.latest_revision(self.audit.id, record, self.agency, self.auditor)
        save = FormSave(record, self.agency, self.auditor, grades, notes, status,
                        latest.revision_no if latest else None, saved_by=self.auditor,
                        details=details)
        try:
            codes, kept = check_form(self.audit, self.framework, save)
        except WorkbookError as exc:
            self.problems += [f"{where} (record {record}): {p}"
                              for p in getattr(exc, "problems", [str(exc)])]
            return
        if latest is not None and (latest.grades, latest.notes, latest.status, latest.details) == (
                codes, kept, status, details):
            self.unchanged += 1
            return
        self.saves.append(save)
