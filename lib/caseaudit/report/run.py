"""Running the report notebook with papermill: what ``caseaudit report`` does.

Everything a person can get wrong (the format, the output's folder, the as-of time, an unknown
or incomparable round, an unknown inspection or one without a plan) is checked here first, in
this process, so a mistake costs a sentence rather than a kernel's start; the notebook then
builds and writes the report in its own kernel.
The executed notebook is thrown away: the report is the file the notebook wrote, with no code
in it. An error inside the notebook that a person caused comes back as its one-line message.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import errors, settings
from ..errors import WorkbookError
from . import INSPECTION_NOTEBOOK, NOTEBOOK, PRACTICE_WEEK_NOTEBOOK
from .build import (
    check_week_saved,
    inspections_folder,
    load_practice_week,
    load_report_inspection,
    load_report_rounds,
    parse_as_of,
    partnership_name,
)
from .writers import check_format, check_output

if TYPE_CHECKING:
    from ..rounds import AuditRound


def run_report(round_id: str, fmt: str, output: Path, compare: Sequence[str] = (),
               as_of: str | None = None, database: str | None = None,
               audits: str | Path | None = None, partnership: str | None = None,
               notebook: Path = NOTEBOOK, inspections: str | Path | None = None,
               week_notebook: Path = PRACTICE_WEEK_NOTEBOOK) -> Path:
    """Run the report ``notebook`` for ``round_id`` and return the file it wrote; for a practice
    week, its own ``week_notebook``, which reads the plans in ``inspections`` (see
    :func:`~.build.inspections_folder`) for the actions answering it."""
    fmt = check_format(fmt)
    target = check_output(output)
    moment = parse_as_of(as_of)
    week = load_practice_week(round_id, compare, audits)
    if week is not None:
        return _run_week(week, fmt, target, moment, database, audits, inspections, partnership,
                         week_notebook)
    if inspections is not None:
        raise WorkbookError("--inspections goes with --inspection, or with a practice week's "
                            f"--round; leave it out for the case audit {round_id}.")
    audit, others = load_report_rounds(round_id, compare, audits)
    _check_database(database)
    return _execute(notebook, target, {
        "round_id": audit.id, "compare": [o.id for o in others],
        "as_of": None if moment is None else moment.isoformat(), "fmt": fmt,
        "output": str(target), "database": settings.database_url(database),
        "audits": str(settings.audits_dir(audits)), "partnership": partnership_name(partnership)})


def run_inspection_report(inspection_id: str, fmt: str, output: Path, as_of: str | None = None,
                          database: str | None = None, audits: str | Path | None = None,
                          inspections: str | Path | None = None, partnership: str | None = None,
                          notebook: Path = INSPECTION_NOTEBOOK) -> Path:
    """Run the progress report ``notebook`` for ``inspection_id``'s action plan and return the
    file it wrote; the inspection and its plan are read here first, as a round is."""
    fmt = check_format(fmt)
    target = check_output(output)
    moment = parse_as_of(as_of)
    inspection, _ = load_report_inspection(inspection_id, inspections, audits)
    _check_database(database)
    return _execute(notebook, target, {
        "inspection_id": inspection.id, "as_of": None if moment is None else moment.isoformat(),
        "fmt": fmt, "output": str(target), "database": settings.database_url(database),
        "audits": str(settings.audits_dir(audits)),
        "inspections": str(inspections_folder(inspections, audits)),
        "partnership": partnership_name(partnership)})


def _run_week(week: AuditRound, fmt: str, target: Path, moment: datetime | None,
              database: str | None, audits: str | Path | None, inspections: str | Path | None,
              partnership: str | None, notebook: Path) -> Path:
    """Run the practice-week report ``notebook``, after saying in this process, at once, that
    nothing of the week had been saved by ``moment`` (a store opens in a moment; a kernel not)."""
    from ..store import open_store

    _check_database(database)
    store = open_store(database, create=False)
    try:
        check_week_saved(store, week, moment)
    finally:
        store.dispose()
    return _execute(notebook, target, {
        "round_id": week.id, "as_of": None if moment is None else moment.isoformat(), "fmt": fmt,
        "output": str(target), "database": settings.database_url(database),
        "audits": str(settings.audits_dir(audits)),
        "inspections": str(inspections_folder(inspections, audits)),
        "partnership": partnership_name(partnership)})


def _execute(notebook: Path, target: Path, parameters: dict[str, Any]) -> Path:
    """Run ``notebook`` with ``parameters`` in a fresh kernel, in a scratch folder thrown away
    after, and return ``target``, the file it was asked to write."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="caseaudit-report-") as folder:
        try:
            papermill.execute_notebook(str(notebook), str(Path(folder) / "report.ipynb"),
                                       parameters=parameters, kernel_name="python3",
                                       progress_bar=False, log_output=False, cwd=folder,
                                       kernel_manager_class=_kernel_manager_class())
        except PapermillExecutionError as exc:
            raise _sentence(exc) from None
    if not target.exists():
        raise WorkbookError(f"The report notebook ran but wrote no file at {target}.")
    return target


def _check_database(database: str | None) -> None:
    """A SQLite database file that is not there is said at once, in the store's own words; any
    other problem with a database (opening a large one runs a check that takes seconds) is said
    by the notebook, which opens it anyway."""
    url = settings.database_url(database)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        from ..store import open_store

        open_store(url, create=False)


def _kernel_manager_class() -> type:
    """A kernel manager whose kernel talks over CurveZMQ where supported (as the Voila server's
    do, see :class:`caseaudit.voila_app.EncryptedKernelManager`: the kernel's local ports carry
    the round's results) and whose log lines stay off the person's terminal."""
    import zmq
    from jupyter_client import KernelManager
    from traitlets import default

    class ReportKernelManager(KernelManager):
        if "transport_encryption" in KernelManager.class_trait_names():
            @default("transport_encryption")
            def _default_transport_encryption(self) -> str:
                return "auto" if zmq.has("curve") else "disabled"

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            # the kernel's own log lines (a warning at start, an interrupt at shutdown) are not
            # for the person who asked for a report; an error in a cell comes back as one line
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return ReportKernelManager


def _sentence(exc: Exception) -> WorkbookError:
    """A failure inside the kernel as one line: a workbook error's own message, anything else
    named with its type (the notebook holds no code a user wrote, so that is a bug to report)."""
    name, value = getattr(exc, "ename", ""), str(getattr(exc, "evalue", exc))
    known = getattr(errors, name, None)
    if isinstance(known, type) and issubclass(known, WorkbookError):
        return WorkbookError(value.splitlines()[0] if value else name)
    return WorkbookError(f"The report could not be made ({name}: {value.splitlines()[0] if value else ''}); "
                         "please report this as a bug.")
