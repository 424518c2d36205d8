"""Exports of a round's responses for QA leads (CSV, Excel, Parquet).

Exports are for analysts, not boards: they hold every current score with its note. The file is
written beside its target and moved into place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from .errors import WorkbookError
from .framework import Framework
from .rounds import AuditRound
from .store import Store

EXPORT_FORMATS = ("csv", "xlsx", "parquet")


def responses_with_labels(store: Store, audit: AuditRound, framework: Framework | None = None
                          ) -> pd.DataFrame:
    """The round's current responses with each grade's label, domain and good-or-better flag."""
    framework = framework or audit.load_framework()
    frame = store.current_responses(audit.id)
    domain_of = {c.id: d.id for d, c in framework.criteria()}
    labels, good = [], []
    for cid, grade, na in zip(frame["criterion_id"], frame["grade"], frame["not_applicable"],
                              strict=True):
        scale = framework.scale_of(str(cid)) if cid in framework.criteria_by_id else None
        if na:
            labels.append("Not applicable")
            good.append(pd.NA)
        elif pd.isna(grade) or scale is None:
            labels.append("")
            good.append(pd.NA)
        else:
            labels.append(scale.label(int(grade)))
            good.append(int(grade) in scale.good_or_better)
    frame.insert(4, "domain_id", frame["criterion_id"].map(domain_of).astype("string"))
    frame.insert(7, "grade_label", pd.array(labels, dtype="string"))
    frame.insert(8, "good_or_better", pd.array(good, dtype="boolean"))
    return frame


def export_round(store: Store, audit: AuditRound, output: str | Path, fmt: str) -> int:
    """Write the round's current responses to ``output`` as ``fmt``; returns the row count."""
    if fmt not in EXPORT_FORMATS:
        raise WorkbookError(f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    output = Path(output)
    if not output.parent.exists():
        raise WorkbookError(f"The folder {output.parent} does not exist; create it or choose "
                            "another output path.")
    frame = responses_with_labels(store, audit)
    frame["saved_at"] = frame["saved_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=f".{fmt}", dir=output.parent)
    os.close(fd)
    try:
        if fmt == "csv":
            frame.to_csv(tmp, index=False, lineterminator="\n")
        elif fmt == "xlsx":
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                frame.to_excel(writer, sheet_name="responses", index=False)
        else:
            frame.to_parquet(tmp, index=False)
        os.replace(tmp, output)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return len(frame)
