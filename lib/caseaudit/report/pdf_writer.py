"""The committee report as PDF, made from the report's HTML by xhtml2pdf (ReportLab underneath).

No browser is involved: a committee clerk's machine or a server without Chromium makes the same
file. The HTML is the HTML writer's, with the smaller style sheet xhtml2pdf understands and
charts sized to the page, so the PDF says exactly what the HTML says.
"""

from __future__ import annotations

import io
import logging

from xhtml2pdf import pisa

from ..errors import WorkbookError
from .html_writer import render_html
from .model import Report


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    buffer = io.BytesIO()
    # xhtml2pdf logs every CSS property it does not support at WARNING: noise for a user
    quiet = logging.getLogger("xhtml2pdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        status = pisa.CreatePDF(render_html(report, for_pdf=True), dest=buffer, encoding="utf-8")
    finally:
        quiet.setLevel(level)
    if status.err:
        raise WorkbookError(f"The PDF could not be made ({status.err} error(s) from xhtml2pdf); "
                            "the HTML format holds the same report.")
    return buffer.getvalue()
