"""Exports of a round's responses for QA leads (CSV, Excel, Parquet).

Exports are for analysts, not boards: they hold every current score with its note. The file is
written beside its target and moved into place, so a failed export (a full disk, a folder that
cannot be written) never leaves half a file, and never touches an earlier export of the same name.

A note is whatever an auditor typed, so an export never lets a spreadsheet read one as a
formula (OWASP's "CSV injection"): in CSV a text value that starts like a formula gets a leading
apostrophe; in Excel every text value is a text cell, marked to stay text when edited.

pandas is imported inside the functions, so that the command line names its export formats
without paying for it.
"""

from __future__ import annotations

import errno
import os
import tempfile
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


def responses_with_labels(store: Store, audit: AuditRound, framework: Framework | None = None
                          ) -> pd.DataFrame:
    """The round's current responses with each answer's label ("Not graded" for a note written
    before its grade), domain and good-or-better flag."""
    import pandas as pd

    from .framework import ANSWER_LABELS, NotGrade, answer_from_columns

    framework = framework or audit.load_framework()
    frame = store.current_responses(audit.id)
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


def export_round(store: Store, audit: AuditRound, output: str | Path, fmt: str) -> int:
    """Write the round's current responses to ``output`` as ``fmt``; returns the row count.

    Raises
    ------
    WorkbookError
        an unknown format, a missing folder, or a folder that cannot be written (no permission,
        a full disk); the target is then as it was before and no temporary file is left.
    """
    if fmt not in EXPORT_FORMATS:
        raise WorkbookError(f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    output = Path(output)
    if not output.parent.exists():
        raise WorkbookError(f"The folder {output.parent} does not exist; create it or choose "
                            "another output path.")
    frame = responses_with_labels(store, audit)
    frame["saved_at"] = frame["saved_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=f".{fmt}", dir=output.parent)
    except OSError as exc:
        raise WorkbookError(_unwritable(output, exc)) from None
    os.close(fd)
    try:
        if fmt == "csv":
            _csv_safe(frame).to_csv(tmp, index=False, lineterminator="\n")
        elif fmt == "xlsx":
            _write_xlsx(frame, tmp)
        else:
            frame.to_parquet(tmp, index=False)
        os.replace(tmp, output)
    except OSError as exc:
        raise WorkbookError(_unwritable(output, exc)) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return len(frame)


def _text_columns(frame: pd.DataFrame) -> list[str]:
    from pandas.api.types import is_object_dtype, is_string_dtype

    return [c for c in frame.columns if is_object_dtype(frame[c]) or is_string_dtype(frame[c])]


def _csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with an apostrophe before every text value a spreadsheet would run as a
    formula, as OWASP advises: CSV has no types, so the text itself has to say it is text."""
    safe = frame.copy()
    for col in _text_columns(safe):
        values = safe[col].astype("string")
        risky = values.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        if risky.any():
            safe[col] = values.mask(risky, "'" + values)
    return safe


def _write_xlsx(frame: pd.DataFrame, path: str) -> None:
    """An Excel sheet whose text cells hold exactly the text, and only text.

    openpyxl turns a string starting with ``=`` into a formula; those cells (and every other one
    that starts like a formula) are set back to text with Excel's quote prefix, which keeps them
    text when someone edits them. A visible apostrophe would change the note; a text cell does
    not need one. Control characters, which an XLSX file cannot hold, are dropped.
    """
    import pandas as pd
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    frame = frame.copy()
    text = _text_columns(frame)
    for col in text:
        frame[col] = frame[col].astype("string").str.replace(ILLEGAL_CHARACTERS_RE.pattern, "",
                                                             regex=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="responses", index=False)
        sheet = writer.sheets["responses"]
        for col in text:
            column = frame.columns.get_loc(col) + 1
            risky = frame[col].str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            for position in risky.to_numpy().nonzero()[0]:
                cell = sheet.cell(row=int(position) + 2, column=column)
                cell.value = frame[col].iloc[position]
                cell.data_type = "s"
                cell.quotePrefix = True


def _unwritable(output: Path, exc: OSError) -> str:
    """What to do when the export cannot be written, from the operating system's reason."""
    folder = output.parent.resolve()
    head = f"The export to {output} was not written, and nothing was left behind"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc):
        return (f"{head}: the disk holding {folder} is full. Free some space there, or export to "
                "another folder.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"{head}: the folder {folder} cannot be written ({exc.strerror}). Export to a "
                "folder you can write to, or ask for permission to write to this one.")
    return f"{head}: {exc.strerror or exc} (in {folder}). Export to another folder."
