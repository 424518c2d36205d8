"""The report's charts are the dashboards' (:mod:`caseaudit.plots`), so the board and the committee
see the same figure drawn the same way; this module only turns one into the report's
:class:`~.model.Chart`.

A plots chart draws from a ``*_for_chart`` form of :mod:`caseaudit.disclosure`, so it never draws
a bar or point that the report's tables write as ``c``. On a page its figures are a table the
reader can open; a report's image has no such table, so its text alternative states every figure
the chart's table holds after what the chart itself says (and what it leaves out).
"""

from __future__ import annotations

import pandas as pd

from .. import plots
from .model import Chart


def _said(figures: pd.DataFrame) -> str:
    """Each row of a chart's table of figures as words: its name, then each figure after its
    column's heading (a blank figure, such as a first round's verdict, is left out)."""
    if figures.empty:
        return ""
    rows = []
    for row in figures.astype(str).itertuples(index=False):
        parts = [f"{column.lower()} {value}" for column, value
                 in zip(figures.columns[1:], row[1:], strict=True) if value]
        rows.append(f"{row[0]}: " + ", ".join(parts))
    return " Its figures: " + "; ".join(rows) + "."


def report_chart(chart: plots.Chart) -> Chart:
    """``chart`` as the report's PNG at the size it was drawn (twice the pixels, so it stays sharp
    on paper), its title, and an alt text that states every figure."""
    fig = chart.figure
    png, _, _ = plots.chart_png(fig)
    width, height = (float(v) for v in fig.get_size_inches())
    title = " ".join(fig.get_suptitle().split())
    return Chart(title=title, png=png, alt=chart.alt + _said(chart.figures), width_in=width,
                 height_in=height)
