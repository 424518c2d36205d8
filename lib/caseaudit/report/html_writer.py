"""The committee report as one self-contained HTML file.

Everything is in the file (the style sheet in the head, charts as ``data:`` URIs), so it can be
mailed or attached to committee papers and opens the same anywhere. The markup is what assistive
technology needs: one ``<h1>``, real ``<h2>``/``<h3>``, tables with a caption and ``<th scope>``,
and every chart's ``alt`` stating its figures. The same markup, with ``for_pdf``, feeds the PDF
writer (xhtml2pdf reads a smaller CSS, so the page size and fonts are given there).
"""

from __future__ import annotations

import base64
from html import escape

from .model import Bullets, Chart, Paragraph, Report, Table

_CSS = """
body {font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #1a1a1a;
      max-width: 52em; margin: 2em auto; padding: 0 1em; line-height: 1.45;}
h1 {font-size: 20pt; margin-bottom: 0.2em;}
h2 {font-size: 15pt; margin-top: 1.6em; border-bottom: 1px solid #999999;}
h3 {font-size: 12.5pt; margin-top: 1.2em;}
p.meta {color: #333333; margin: 0.1em 0;}
table {border-collapse: collapse; margin: 0.6em 0 0.2em 0; width: 100%;}
caption {text-align: left; font-weight: bold; padding: 0.3em 0;}
th, td {border: 1px solid #8c8c8c; padding: 3px 6px; text-align: left; vertical-align: top;}
thead th {background: #e8e8e8;}
tbody th {font-weight: normal;}
p.note {font-size: 9.5pt; color: #333333; margin-top: 0.2em;}
img {max-width: 100%; height: auto;}
"""

_PDF_CSS = """
@page {size: a4 portrait; margin: 1.8cm;}
body {font-family: Helvetica; font-size: 10pt; color: #1a1a1a;}
h1 {font-size: 18pt;} h2 {font-size: 14pt; margin-top: 12pt;} h3 {font-size: 11.5pt;}
table {border: 0.5pt solid #8c8c8c;}
th, td {border: 0.5pt solid #8c8c8c; padding: 2pt; text-align: left; vertical-align: top;}
thead th {background-color: #e8e8e8;}
tbody th {font-weight: normal;}
p.note {font-size: 8.5pt; color: #333333;}
"""

#: The widest a chart is drawn on a page, in inches (an A4 page's text width)
PAGE_WIDTH_IN = 6.3


def _paragraph(block: Paragraph) -> str:
    lead = f"<strong>{escape(block.lead)}</strong> " if block.lead else ""
    return f"<p>{lead}{escape(block.text)}</p>"


def _table(block: Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.header)
    rows = []
    for row in block.rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>' if block.row_headers
                 else f"<td>{escape(row[0])}</td>"]
        cells += [f"<td>{escape(v)}</td>" for v in row[1:]]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    note = f'<p class="note">{escape(block.note)}</p>' if block.note else ""
    return (f"<table><caption>{escape(block.caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{note}")


def _chart(block: Chart, for_pdf: bool) -> str:
    data = base64.b64encode(block.png).decode("ascii")
    scale = min(1.0, PAGE_WIDTH_IN / block.width_in)
    # its own size (96 CSS px an inch) in a browser, never wider than the column; in the PDF,
    # the page's text width
    width, height = ((f"{block.width_in * scale:.2f}in", f"{block.height_in * scale:.2f}in")
                     if for_pdf else (f"{round(block.width_in * 96)}", f"{round(block.height_in * 96)}"))
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.alt)}" '
            f'width="{width}" height="{height}"></figure>')


def render_html(report: Report, for_pdf: bool = False) -> str:
    """The report as an HTML document (UTF-8 text)."""
    body = [f"<h1>{escape(report.title)}</h1>",
            f'<p class="meta"><strong>{escape(report.partnership)}</strong></p>',
            f'<p class="meta">{escape(report.date)}</p>',
            f'<p class="meta">{escape(report.subtitle)}</p>']
    for section in report.sections:
        tag = f"h{section.level + 1}"
        body.append(f"<{tag}>{escape(section.title)}</{tag}>")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                body.append(_paragraph(block))
            elif isinstance(block, Bullets):
                body.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>")
            elif isinstance(block, Table):
                body.append(_table(block))
            else:
                body.append(_chart(block, for_pdf))
    meta = "".join(f'<meta name="caseaudit:{escape(k)}" content="{escape(v)}">'
                   for k, v in report.provenance.items())
    return ('<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{escape(report.partnership)}: {escape(report.title)}</title>"
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{meta}'
            f"<style>{_PDF_CSS if for_pdf else _CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def write_html(report: Report, target: str) -> None:
    """Write the report's HTML to ``target`` (a path the caller has chosen)."""
    with open(target, "w", encoding="utf-8") as file:
        file.write(render_html(report))
