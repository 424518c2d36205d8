"""The committee report as a Word document (python-docx), for clerks to paste into papers.

What survives the paste is what Word itself understands: headings in the Heading 1 and
Heading 2 styles (the navigation pane and a contents table find them), real tables whose first
row is marked as a header row and repeats on each page, charts as pictures whose description
(``descr``, Word's alt text) states their figures, and the partnership's name and the date at
the top and in the document's properties.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from docx.table import Table as DocxTable

from .html_writer import PAGE_WIDTH_IN
from .model import Bullets, Chart, Paragraph, Report, Table


def _mark_header(table: DocxTable) -> None:
    """The first row is the table's header: bold, and repeated at the top of every page."""
    row = table.rows[0]
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def _table(document: Document, block: Table) -> None:  # type: ignore[valid-type]
    document.add_paragraph(block.caption, style="Caption")
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = text
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    _mark_header(table)
    if block.note:
        note = document.add_paragraph()
        run = note.add_run(block.note)
        run.font.size = Pt(8.5)


def _chart(document: Document, block: Chart) -> None:  # type: ignore[valid-type]
    width = min(block.width_in, PAGE_WIDTH_IN)
    document.add_picture(io.BytesIO(block.png), width=Inches(width))
    picture = document.inline_shapes[-1]
    properties = picture._inline.docPr
    properties.set("descr", block.alt)
    properties.set("title", block.title)


def render_docx(report: Report) -> bytes:
    """The report as DOCX bytes."""
    document = Document()
    core = document.core_properties
    core.title = report.title
    core.subject = report.partnership
    core.author = report.partnership
    core.last_modified_by = report.partnership
    core.comments = "; ".join(f"{k}: {v}" for k, v in report.provenance.items())
    core.language = "en-GB"
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(report.title, level=0)
    partnership = document.add_paragraph()
    partnership.add_run(report.partnership).bold = True
    document.add_paragraph(report.date)
    document.add_paragraph(report.subtitle)
    for section in report.sections:
        document.add_heading(section.title, level=section.level)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                paragraph = document.add_paragraph()
                if block.lead:
                    paragraph.add_run(block.lead + " ").bold = True
                paragraph.add_run(block.text)
            elif isinstance(block, Bullets):
                for item in block.items:
                    document.add_paragraph(item, style="List Bullet")
            elif isinstance(block, Table):
                _table(document, block)
            else:
                _chart(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
