"""Exports of a round's responses for QA leads (CSV, Excel, Parquet).

Exports are for analysts, not boards: they hold every current score with its note. The file is
written beside its target and moved into place, so a failed export (a full disk, a folder that
cannot be written) never leaves half a file, and never touches an earlier export of the same name.

A note is whatever an auditor typed, so an export never lets a spreadsheet read one as a
formula (OWASP's "CSV injection"): in CSV a text value that starts like a formula gets a leading
apostrophe; in Excel every text value is a text cell, marked to stay text when edited. Numbers
stay numbers in both: only text can be read as a formula.

The Excel export is meant to be worked in, not only opened: a frozen header with filters, real
dates, ids kept as text (criterion "1.10" is not the number 1.1), each note's personal-data flag
from the check the scoring form warns with, and an "About this file" sheet saying what the file
holds, as of when, and who exported it, because an export outlives the moment it was made.

pandas and openpyxl are imported inside the functions, so that the command line names its
export formats without paying for them.
"""

from __future__ import annotations

import errno
import getpass
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import WorkbookError

if TYPE_CHECKING:
    import pandas as pd

    from .framework import Framework
    from .rounds import AuditRound
    from .store import Store

EXPORT_FORMATS = ("csv", "xlsx", "parquet")
#: What a spreadsheet may read as the start of a formula (OWASP's list for CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
RESPONSES_SHEET = "responses"
ABOUT_SHEET = "About this file"
#: How the Excel export shows a time (every time in an export is UTC, as its About sheet says).
TIME_FORMAT = "yyyy-mm-dd hh:mm"
#: Excel's "Text" number format: what is typed into the cell later stays text too.
TEXT_FORMAT = "@"

#: What each exported column holds, for the About sheet (a column without a line here fails a test).
COLUMN_MEANINGS = {
    "round_id": "The audit round.",
    "case_id": "The case's pseudonymous id (in a practice week, the record's: the case for a "
               "collaborative case audit, OBS-, FF- or PF- and a number for an observation or a "
               "feedback return).",
    "agency": "The agency whose view of the case the form records.",
    "auditor": "The auditor's pseudonymous id.",
    "domain_id": "The framework domain the criterion belongs to.",
    "criterion_id": "The criterion, as the framework numbers it (text: 1.10 is not 1.1).",
    "grade": "The grade's code on the criterion's scale (grade_label says it in words); blank "
             "when not graded or not applicable.",
    "grade_label": "The answer in words: the grade's label on the scale, or the words for no grade.",
    "good_or_better": "TRUE when the grade counts as good or better on the criterion's scale; "
                      "blank when there is no grade.",
    "not_applicable": "TRUE when the auditor marked the criterion not applicable to the case.",
    "note": "The auditor's evidence note, as written.",
    "personal_data_flag": "TRUE when the note looks like it holds personal data (the same check "
                          "that warns auditors in the scoring form).",
    "personal_data_found": "What the check found in the note (e.g. postcode; name), without "
                           "repeating it.",
    "status": "draft or submitted.",
    "revision_no": "How many times the form had been saved (1 is the first save).",
    "saved_by": "Who saved this revision of the form.",
    "saved_at": "When this revision was saved (UTC).",
    "framework_id": "The framework the form was scored against.",
    "framework_version": "That framework's version.",
}

#: A practice week's export adds its records' stream details after ``auditor``; what each holds.
STREAM_COLUMN_MEANINGS = {
    "stream_id": "The practice week's evidence stream the record belongs to (case_audit, "
                 "observation, family_feedback, practitioner_feedback).",
    "practitioner": "The participant's pseudonymous id: the case-holding practitioner, the "
                    "practitioner observed, or the practitioner giving feedback (blank: "
                    "anonymous, or family feedback).",
    "event_kind": "An observation's kind of event (home visit, strategy discussion...).",
    "event_date": "The date of the event observed, or of the feedback (yyyy-mm-dd).",
    "feedback_given": "An observation's: TRUE when feedback was given to the practitioner "
                      "afterwards.",
    "respondent": "Family feedback's: who gave it (child or young person, parent or carer, other "
                  "family member).",
    "consent": "Feedback's: consent to use what was said, given or declined (a declined return "
               "has no answers, so no rows here).",
}


def with_stream_details(store: Store, audit: AuditRound, frame: pd.DataFrame,
                        as_of: datetime | None = None) -> pd.DataFrame:
    """A practice week's responses with each record's stream details beside its answers (a
    case-audit round's are returned as they are): a QA lead rerunning the week's analysis by
    stream, kind of event or respondent needs them on every row, not in a second file to join.
    The record's own words (reflection, feedback) are not added: they stay in the form."""
    from .practice_week import PRACTICE_WEEK

    if audit.kind != PRACTICE_WEEK:
        return frame
    details = store.stream_records(audit.id, as_of=as_of, status=None).rename(
        columns={"record_id": "case_id"})
    details = details[["case_id", "agency", "auditor", *STREAM_COLUMN_MEANINGS]].copy()
    details["event_date"] = details["event_date"].dt.strftime("%Y-%m-%d").astype("string")
    merged = frame.merge(details, on=["case_id", "agency", "auditor"], how="left")
    at = list(frame.columns).index("auditor") + 1
    columns = list(frame.columns)
    return merged[[*columns[:at], *STREAM_COLUMN_MEANINGS, *columns[at:]]]


def responses_with_labels(store: Store, audit: AuditRound, framework: Framework | None = None,
                          as_of: datetime | None = None) -> pd.DataFrame:
    """The round's current responses (``as_of`` a past time when given) with each answer's label
    ("Not graded" for a note written before its grade), domain and good-or-better flag."""
    import pandas as pd

    from .framework import ANSWER_LABELS, NotGrade, answer_from_columns

    framework = framework or audit.load_framework()
    frame = store.current_responses(audit.id, as_of=as_of)
    domain_of = {c.id: d.id for d, c in framework.criteria()}
    labels, good = [], []
    for cid, grade, na in zip(frame["criterion_id"], frame["grade"], frame["not_applicable"],
                              strict=True):
        scale = framework.scale_of(str(cid)) if cid in framework.criteria_by_id else None
        answer = answer_from_columns(grade, na)
        if isinstance(answer, NotGrade):
            labels.append(ANSWER_LABELS[answer])
            good.append(pd.NA)
        elif scale is None:  # a criterion the round's framework no longer has
            labels.append("")
            good.append(pd.NA)
        else:
            labels.append(scale.label(answer))
            good.append(answer in scale.good_or_better)
    frame.insert(4, "domain_id", frame["criterion_id"].map(domain_of).astype("string"))
    frame.insert(7, "grade_label", pd.array(labels, dtype="string"))
    frame.insert(8, "good_or_better", pd.array(good, dtype="boolean"))
    return frame


def flag_personal_data(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """``frame`` with each note's personal-data flag and what was found, placed after the note.

    The check is the scoring form's own (:func:`~caseaudit.privacy.find_personal_data`), so an
    export flags exactly the notes their auditors were warned about; ``today`` is the day the
    check counts a date as two or more years old from (the as-of day, for an export as of then).
    Each distinct note is checked once: many notes repeat.
    """
    import pandas as pd

    from .privacy import find_personal_data

    found: dict[str, str] = {}
    kinds = []
    for note in frame["note"].fillna(""):
        if note not in found:
            seen = dict.fromkeys(f.kind for f in find_personal_data(note, today)) if note else {}
            found[note] = "; ".join(seen)
        kinds.append(found[note])
    where = frame.columns.get_loc("note") + 1
    flagged = frame.copy()
    flagged.insert(where, "personal_data_found", pd.array(kinds, dtype="string"))
    flagged.insert(where, "personal_data_flag", [bool(k) for k in kinds])
    return flagged


def export_round(store: Store, audit: AuditRound, output: str | Path, fmt: str, *,
                 as_of: datetime | None = None, exported_by: str | None = None) -> int:
    """Write the round's current responses (``as_of`` a past time when given) to ``output`` as
    ``fmt``; returns the row count.

    ``exported_by`` names whoever exports, for the Excel file's About sheet; without it, the
    computer account running the export is named, and the sheet says that is what it is.

    Raises
    ------
    WorkbookError
        an unknown format, an as-of time in the future, a missing folder, a folder given as the
        output, or a folder that cannot be written (no permission, a full disk, the file open in
        another program); the target is then as it was before and no temporary file is left.
    """
    if fmt not in EXPORT_FORMATS:
        raise WorkbookError(f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    output = Path(output)
    if output.is_dir():
        raise WorkbookError(f"{output} is a folder; give the file to write, e.g. "
                            f"{output / (audit.id + '.' + fmt)}.")
    if not output.parent.exists():
        raise WorkbookError(f"The folder {output.parent} does not exist; create it or choose "
                            "another output path.")
    now = datetime.now(UTC)
    exported_at = now.replace(microsecond=0)
    if as_of is not None and _utc(as_of) > now:
        raise WorkbookError(f"The as-of time {_utc(as_of):%Y-%m-%d %H:%M} UTC is in the future; "
                            "leave out --as-of to export the round as it is now.")
    framework = audit.load_framework()
    frame = responses_with_labels(store, audit, framework, as_of)
    frame = flag_personal_data(frame, (_utc(as_of) if as_of is not None else exported_at).date())
    frame = with_stream_details(store, audit, frame, as_of)
    if exported_by is None or not exported_by.strip():
        by, how = _account(), "the computer account that ran the export (no --by was given)"
    else:
        by, how = exported_by.strip(), "named with --by"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=f".{fmt}", dir=output.parent)
    except OSError as exc:
        raise WorkbookError(_unwritable(output, exc)) from None
    os.close(fd)
    try:
        if fmt == "csv":
            text = frame.copy()
            text["saved_at"] = text["saved_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
            # with a byte-order mark, or Excel reads the file as the local code page and garbles
            # every accented letter and curly quote in the notes
            _csv_safe(text).to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8-sig")
        elif fmt == "xlsx":
            about = _about(audit, framework, frame, as_of, by, how, exported_at)
            _write_xlsx(frame, tmp, about)
        else:
            typed = frame.copy()
            typed["saved_at"] = typed["saved_at"].dt.tz_localize(UTC)
            typed.to_parquet(tmp, index=False)
        _move_into_place(tmp, output)
    except OSError as exc:
        raise WorkbookError(_unwritable(output, exc)) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return len(frame)


def _utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC time (a naive one is UTC already, as the store reads it)."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _account() -> str:
    """The name of the computer account running the export, or a plain word when it has none
    (a container may run as a user id with no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown account"


def _about(audit: AuditRound, framework: Framework, frame: pd.DataFrame, as_of: datetime | None,
           by: str, how: str, exported_at: datetime) -> list[tuple[str, object]]:
    """The lines of the About sheet: what the file holds, of which round, as of when, by whom."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        made_with = f"caseaudit {version('caseaudit')}"
    except PackageNotFoundError:  # run from a checkout that was never installed
        made_with = "caseaudit"
    versions = sorted({f"{i} {v}" for i, v in zip(frame["framework_id"], frame["framework_version"],
                                                   strict=True)} - {f"{framework.id} {framework.version}"})
    lines: list[tuple[str, object]] = [
        ("What this file holds", f"Every current score of round {audit.id}: one row per case, "
         "agency, auditor and criterion, with its grade and the auditor's evidence note. Notes "
         "are free text and may name people: keep this file as you keep case records."),
        ("Round", audit.id),
        ("Round title", audit.title),
        ("As of", _naive(as_of) if as_of is not None
         else "Now: the store as it stood when this file was exported"),
        ("Framework", framework.id),
        ("Framework version", framework.version),
    ]
    if versions:
        lines.append(("Also in the rows", "Forms saved under " + ", ".join(versions)
                      + " (see the framework columns)."))
    lines += [
        ("Exported by", by),
        ("How the exporter is known", how),
        ("Exported at", _naive(exported_at)),
        ("Rows", len(frame)),
        ("Times", "Every time in this file is UTC."),
        ("Personal data", "personal_data_flag is TRUE where a note looks like it holds personal "
         "data (a name, postcode, NHS number, phone number, e-mail address or date of birth), by "
         "the check that warns auditors in the scoring form; ask the auditor to rewrite it there."),
        ("Formulas", "Text that starts like a formula (=, +, -, @) is kept as text and never run."),
        ("Made with", made_with),
    ]
    return lines


def _naive(moment: datetime) -> datetime:
    """A UTC time without its zone: Excel has no time zones, and refuses an aware time."""
    return _utc(moment).replace(tzinfo=None)


def _move_into_place(tmp: str, output: Path) -> None:
    """Replace ``output`` with the finished file in one step; a refusal to replace an existing
    file (Windows refuses while the file is open in Excel) is told apart from an unwritable folder."""
    try:
        os.replace(tmp, output)
    except PermissionError as exc:
        if output.exists():
            raise _OpenElsewhere(exc.errno, exc.strerror) from None
        raise


class _OpenElsewhere(PermissionError):
    """The earlier export could not be replaced, though its folder could be written."""


def _text_columns(frame: pd.DataFrame) -> list[str]:
    from pandas.api.types import is_object_dtype, is_string_dtype

    return [c for c in frame.columns if is_object_dtype(frame[c]) or is_string_dtype(frame[c])]


def _csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with an apostrophe before every text value a spreadsheet would run as a
    formula, as OWASP advises: CSV has no types, so the text itself has to say it is text.
    Only text columns are touched, so a negative number stays a number."""
    safe = frame.copy()
    for col in _text_columns(safe):
        values = safe[col].astype("string")
        risky = values.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        if risky.any():
            safe[col] = values.mask(risky, "'" + values)
    return safe


def _write_xlsx(frame: pd.DataFrame, path: str, about: Sequence[tuple[str, object]]) -> None:
    """An Excel workbook of ``frame`` a person can work in, and its About sheet.

    Each cell gets its type from its column: text is a text cell in Excel's Text format (so an
    id typed over stays text), with Excel's quote prefix where it starts like a formula (which
    keeps it text when someone edits it, without the visible apostrophe a CSV needs); times are
    dates; numbers and TRUE/FALSE stay what they are; a missing value is an empty cell. Control
    characters, which an XLSX file cannot hold, are dropped. Written in openpyxl's streaming
    mode, so a large round costs one pass and little memory.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from pandas.api.types import is_datetime64_any_dtype

    book = Workbook(write_only=True)
    sheet = book.create_sheet(RESPONSES_SHEET)
    text = set(_text_columns(frame))
    times = {c for c in frame.columns if is_datetime64_any_dtype(frame[c])}
    for i, col in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = _width(frame, col, col in times)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    bold = Font(bold=True)

    def header(name: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        return cell

    def text_cell(value: str) -> WriteOnlyCell:
        # a cell's line break is "\n"; a bare "\r" would reach the file raw (with lxml installed)
        # and come back as "\n" anyway, so the note reads the same whichever writer ran
        cell = WriteOnlyCell(sheet, value=value.replace("\r\n", "\n").replace("\r", "\n"))
        cell.data_type = "s"  # openpyxl reads a leading "=" as a formula: this is text
        cell.number_format = TEXT_FORMAT
        cell.quotePrefix = value.startswith(FORMULA_PREFIXES)
        return cell

    def time_cell(value: datetime) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = TIME_FORMAT
        return cell

    sheet.append([header(col) for col in frame.columns])
    columns = []
    for col in frame.columns:
        values = frame[col]
        if col in text:
            values = values.astype("string").str.replace(ILLEGAL_CHARACTERS_RE.pattern, "", regex=True)
            columns.append([text_cell(v) if v else None for v in _plain(values)])
        elif col in times:
            columns.append([None if v is None else time_cell(v) for v in _plain(values)])
        else:
            columns.append(_plain(values))
    for row in zip(*columns, strict=True):
        sheet.append(row)

    info = book.create_sheet(ABOUT_SHEET)
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(label: str, value: object, heading: bool = False) -> list[WriteOnlyCell | None]:
        first = WriteOnlyCell(info, value=label)
        first.font = bold
        first.alignment = wrap
        if isinstance(value, str):
            second = text_cell(value) if value else None
        elif isinstance(value, datetime):
            second = time_cell(value)
        else:
            second = WriteOnlyCell(info, value=value)
        if second is not None:
            second.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
            if heading:
                second.font = bold
        return [first, second]

    info.append(line(ABOUT_SHEET, "", heading=True))
    for label, value in about:
        info.append(line(label, value))
    info.append([])
    info.append(line("Column", "What it holds", heading=True))
    for col in frame.columns:
        info.append(line(col, COLUMN_MEANINGS.get(col, STREAM_COLUMN_MEANINGS.get(col, ""))))
    book.save(path)


def _plain(values: pd.Series) -> list[object]:
    """The column's values as plain Python ones, ``None`` where one is missing, as openpyxl takes
    them (it writes neither pandas' NA nor NaN as an empty cell)."""
    return values.astype(object).where(values.notna(), None).tolist()


def _width(frame: pd.DataFrame, col: str, is_time: bool) -> float:
    """A column width that shows the header and most values whole: wide enough for nine values
    in ten, and never so wide that a long note pushes everything else off the screen."""
    if is_time:
        return max(len(col) + 3, len("2026-03-31 23:59") + 2)
    lengths = frame[col].astype("string").fillna("").str.len()
    typical = int(lengths.quantile(0.9)) if len(lengths) else 0
    return float(min(max(len(col) + 3, typical + 2, 8), 60))


def _unwritable(output: Path, exc: OSError) -> str:
    """What to do when the export cannot be written, from the operating system's reason."""
    folder = output.parent.resolve()
    head = f"The export to {output} was not written, and nothing was left behind"
    if isinstance(exc, _OpenElsewhere):
        return (f"{head}: the earlier {output.name} could not be replaced ({exc.strerror}). If it "
                "is open in Excel or another program, close it and export again, or export to "
                "another file name.")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc):
        return (f"{head}: the disk holding {folder} is full. Free some space there, or export to "
                "another folder.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"{head}: the folder {folder} cannot be written ({exc.strerror}). Export to a "
                "folder you can write to, or ask for permission to write to this one.")
    return f"{head}: {exc.strerror or exc} (in {folder}). Export to another folder."
