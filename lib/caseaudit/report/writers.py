"""Writing a report file: the format chosen, and the file written whole or not at all.

A committee clerk must never pick up half a report: each writer renders to bytes first, and the
file appears under its name only when complete (written beside it, then renamed). Checks that
can fail before any work is done (the format, whether the folder can be written) are here too,
so the command line says so at once.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import WorkbookError
from . import REPORT_FORMATS
from .model import Report


def check_format(fmt: str) -> str:
    """``fmt`` in lower case if it is a report format, else the one-line reason."""
    if fmt.lower() not in REPORT_FORMATS:
        raise WorkbookError(f"Unknown report format '{fmt}': choose one of "
                            f"{', '.join(REPORT_FORMATS)}.")
    return fmt.lower()


def check_output(output: Path) -> Path:
    """``output`` made absolute, after checking a file can be written there (its folder exists and
    is writable, and it is not a folder itself): a failure costs a sentence, not a report's run."""
    target = output.expanduser().resolve()
    if target.is_dir():
        raise WorkbookError(f"{output} is a folder; give -o the report file's name, e.g. "
                            f"{output / 'report.html'}.")
    if not target.parent.is_dir():
        raise WorkbookError(f"Cannot write {output}: the folder {target.parent} does not exist.")
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".caseaudit-check-"):
            pass
    except OSError as exc:
        raise WorkbookError(f"Cannot write {output}: {exc.strerror or exc}.") from None
    return target


def render(report: Report, fmt: str) -> bytes:
    """The report in ``fmt`` as bytes (each writer imports its library only when asked for)."""
    fmt = check_format(fmt)
    if fmt == "html":
        from .html_writer import render_html

        return render_html(report).encode("utf-8")
    if fmt == "docx":
        from .docx_writer import render_docx

        return render_docx(report)
    from .pdf_writer import render_pdf

    return render_pdf(report)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_report(report: Report, fmt: str, output: str | os.PathLike[str]) -> Path:
    """Write ``report`` in ``fmt`` (html, docx or pdf) to ``output``, whole or not at all."""
    target = check_output(Path(output))
    data = render(report, fmt)
    handle, temporary = tempfile.mkstemp(prefix=".caseaudit-report-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file: mkstemp's is private
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
