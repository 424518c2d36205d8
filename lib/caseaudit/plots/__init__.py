"""Charts for dashboards and reports (seaborn on matplotlib).

Figures are built as plain ``Figure`` objects, outside pyplot, so no backend can display them
twice or keep them alive; :func:`chart_png` turns them into the PNG a page shows at the size it
was drawn for, and :func:`figure_png` into one for a notebook. Every chart draws from the
board-facing form of its table (:mod:`caseaudit.disclosure`), so no caller can forget the
suppression rules: a figure whose counts would be revealed is not drawn, the chart says ``c``
where it would be and its note says how many were left out. ``threshold=0`` draws every row, for
the QA lead's notebook.

Each ``*_chart`` function returns a :class:`Chart`, the figure with its text alternative (what a
page or report shows beside it); each ``plot_*`` function returns the figure alone, for a
notebook. One palette and one size rule serve every chart (:mod:`caseaudit.plots.base`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure

from .agreement import agreement_trend_chart, alpha_chart, leniency_chart
from .base import (
    CSS_DPI,
    GOOD,
    OKABE_ITO,
    PIXEL_RATIO,
    Chart,
    chart_png,
    figure_png,
    png_size,
)
from .impact import impact_chart, readiness_chart, status_chart
from .practice import breakdown_chart, trend_chart
from .shares import (
    agency_heatmap_chart,
    criteria_chart,
    criterion_totals,
    criterion_totals_chart,
    good_or_better_chart,
)

__all__ = [
    "CSS_DPI",
    "GOOD",
    "OKABE_ITO",
    "PIXEL_RATIO",
    "Chart",
    "agency_heatmap_chart",
    "agreement_trend_chart",
    "alpha_chart",
    "breakdown_chart",
    "chart_png",
    "criteria_chart",
    "criterion_totals",
    "criterion_totals_chart",
    "figure_png",
    "good_or_better_chart",
    "impact_chart",
    "leniency_chart",
    "plot_agency_heatmap",
    "plot_agreement_trend",
    "plot_alpha_by_criterion",
    "plot_good_or_better",
    "plot_leniency",
    "png_size",
    "readiness_chart",
    "status_chart",
    "trend_chart",
]


def plot_good_or_better(by_criterion: pd.DataFrame, title: str = "",
                        threshold: int | None = None) -> Figure:
    """:func:`good_or_better_chart`'s figure."""
    return good_or_better_chart(by_criterion, title, threshold).figure


def plot_agency_heatmap(by_criterion_agency: pd.DataFrame, agencies: Sequence[str] | None = None,
                        title: str = "",
                        threshold: int | None = None) -> Figure:
    """:func:`agency_heatmap_chart`'s figure."""
    return agency_heatmap_chart(by_criterion_agency, list(agencies or ()) or None, title,
                                threshold).figure


def plot_leniency(table: pd.DataFrame, by: str = "agency", title: str = "",
                  threshold: int | None = None) -> Figure:
    """:func:`leniency_chart`'s figure."""
    return leniency_chart(table, by, title, threshold).figure


def plot_alpha_by_criterion(table: pd.DataFrame, titles: Mapping[str, str], title: str = "",
                            threshold: int | None = None) -> Figure:
    """:func:`alpha_chart`'s figure."""
    return alpha_chart(table, dict(titles), title, threshold).figure


def plot_agreement_trend(across: pd.DataFrame, labels: Mapping[str, str], title: str = "",
                         threshold: int | None = None) -> Figure:
    """:func:`agreement_trend_chart`'s figure."""
    return agreement_trend_chart(across, dict(labels), title, threshold).figure
