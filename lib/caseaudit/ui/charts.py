"""A chart on a dashboard: the image at the size it was drawn for, with its text alternative.

A chart is an HTML ``<figure>`` rather than an Image widget because a page must say what the
chart shows to a reader who cannot see it (WCAG 1.1.1) and an Image widget can carry neither alt
text nor a description. The ``<img>`` has the width and height the figure was drawn at (its PNG
has twice as many pixels, for sharp text on a high-density screen), ``alt`` stating its main
figures, and ``aria-describedby`` pointing at the table of every figure it draws, which a sighted
reader can open too (a ``<details>`` element, so it works from the keyboard). What the chart
leaves out is said under it in words, never by colour or absence alone.
"""

from __future__ import annotations

import base64
import hashlib
import html

from ..plots import Chart, chart_png

#: Shared by every dashboard: the chart at its own size (it only shrinks on a narrower screen).
CHART_STYLE = """
<style>
.ca-figure {margin:12px 0 20px 0;}
.ca-figure img.ca-chart {display:block; max-width:100%; height:auto;}
.ca-figure figcaption {color:#333; font-size:0.95em; margin-top:4px; max-width:60em;}
.ca-figure details {margin-top:4px;}
.ca-figure summary {cursor:pointer; color:#0b5394; text-decoration:underline;}
.ca-figure summary:focus-visible {outline:3px solid #0072B2; outline-offset:2px;}
.ca-figure table {border-collapse:collapse; margin-top:6px;}
.ca-figure th, .ca-figure td {text-align:left; padding:2px 12px 2px 0;
                              border-bottom:1px solid #d0d7de;}
</style>
"""


def chart_html(chart: Chart, key: str) -> str:
    """``chart`` as a ``<figure>`` (``data-chart`` is ``key``): the image with its alt text, what
    it leaves out, and its figures as a table that describes it. The same chart gives the same
    HTML, so a redrawn page changes nothing it need not."""
    png, width, height = chart_png(chart.figure)
    ident = f"ca-{key}-{hashlib.sha256(png).hexdigest()[:10]}"
    table = chart.figures.to_html(index=False, border=0, classes="ca-chart-figures")
    note = f"<figcaption>{html.escape(chart.note)}</figcaption>" if chart.note else ""
    return (f'<figure class="ca-figure" data-chart="{html.escape(key)}">'
            f'<img class="ca-chart" src="data:image/png;base64,{base64.b64encode(png).decode()}" '
            f'width="{width}" height="{height}" alt="{html.escape(chart.alt)}" '
            f'aria-describedby="{ident}">{note}'
            f'<details id="{ident}"><summary>The chart\'s figures as a table</summary>{table}'
            "</details></figure>")
