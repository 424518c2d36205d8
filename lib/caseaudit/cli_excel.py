"""What ``caseaudit excel-template`` and ``caseaudit import-excel`` do: an agency's case-audit
return (:mod:`caseaudit.excel`) or a practice week stream's (:mod:`caseaudit.excel_streams`).

Kept apart from :mod:`caseaudit.cli`, which declares the commands' options and hands over here,
so that each module stays readable. Each function imports what it uses, so that ``--help`` does
not wait for openpyxl or the store.
"""

from __future__ import annotations

from pathlib import Path

import click

from .errors import NotFoundError, WorkbookError


def write_return(round_id: str, agency: str | None, stream_id: str | None, auditor: str | None,
                 rows: int, output: Path, db: str | None, audits_dir: Path | None) -> str:
    """Write the return asked for and say what was written: ``agency``'s for a case audit, or
    ``auditor``'s for a practice week's ``stream_id``, numbered after the records saved in ``db``.
    """
    from .rounds import load_round

    if (agency is None) == (stream_id is None):
        raise WorkbookError("Say whose return to write: --agency ID for an agency's case-audit "
                            "return, or --stream ID --auditor ID for a practice week's stream "
                            "(one of them, not both).")
    audit = load_round(round_id, audits_dir)
    framework = audit.load_framework()
    if agency is not None:
        from .excel import write_template
        from .practice_week import PRACTICE_WEEK

        if audit.kind == PRACTICE_WEEK:
            raise WorkbookError(f"Round {audit.id} is a practice week: its returns are one per "
                                f"stream ({', '.join(audit.streams)}); write one with --stream "
                                "STREAM --auditor ID instead of --agency.")
        count = write_template(audit, framework, agency, output)
        return f"Wrote {output}: {count} rows to fill for {agency} in round {round_id}."
    if auditor is None:
        raise WorkbookError("Say who records the stream's return: --auditor ID (one of the "
                            "round's auditors).")
    from .excel_streams import stream_return_problem, write_stream_template
    from .store import open_store

    if (why := stream_return_problem(audit, stream_id, auditor)) is not None:  # type: ignore[arg-type]
        raise WorkbookError(f"No return was written: {why}.")
    store = open_store(db, create=False)
    try:
        records = store.stream_records(audit.id, status=None)
    finally:
        store.dispose()
    count = write_stream_template(audit, framework, stream_id, auditor, output,  # type: ignore[arg-type]
                                  records["record_id"].tolist(), rows)
    return (f"Wrote {output}: {count} {stream_id} records to fill for {auditor} in round "
            f"{round_id}.")


def import_returns(files: tuple[Path, ...], round_id: str | None, stream_id: str | None,
                   db: str | None, audits_dir: Path | None) -> int:
    """Import each file whole or not at all, saying what each did; returns how many failed.

    A file is read as a stream's return when its hidden sheet names a stream, when ``--stream``
    is given, or when its round is a practice week, so that each of those mismatches is refused
    with the stream's own words.
    """
    from .excel import ExcelImportError, import_return, read_meta
    from .excel_streams import import_stream_return
    from .practice_week import PRACTICE_WEEK
    from .rounds import load_round
    from .store import open_store

    store = open_store(db, create=False)
    failed = 0
    for path in files:
        try:
            meta = read_meta(path)
            audit = load_round(meta.get("round_id", ""), audits_dir)
            framework = audit.load_framework()
            if meta.get("stream") or stream_id or audit.kind == PRACTICE_WEEK:
                done = import_stream_return(store, audit, framework, path, stream_id, round_id)
                said = (f"{len(done.saved)} {done.stream_id} record(s) saved for {done.auditor} "
                        f"in {done.round_id}, {done.unchanged} unchanged")
            else:
                result = import_return(store, audit, framework, path, round_id)
                said = (f"{len(result.saved)} form(s) saved for {result.agency} in "
                        f"{result.round_id}, {result.unchanged} unchanged")
        except (ExcelImportError, NotFoundError) as exc:
            failed += 1
            click.echo(str(exc), err=True)
            continue
        click.echo(f"ok: {path}: {said}.")
    store.dispose()
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) not imported.", err=True)
    return failed
