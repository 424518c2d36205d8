"""Disclosure control for anything a board or committee sees.

The rules follow the DfE children-in-need statistics: a count from 1 to 5 is shown as ``c``; a
true zero stays ``0``; and a percentage is never shown where its numerator or the remainder
(``n - good``) is suppressed, since ``share × n`` would give the hidden count back. The threshold is
a setting (``CASEAUDIT_SUPPRESSION_THRESHOLD``; some partnerships use 10).

Symbols (:data:`SYMBOLS`, and :func:`symbol_key` for the key under a table) are the Government
Statistical Service's harmonised symbols as DfE's Explore education statistics uses them: ``c``
confidential, ``z`` not applicable, ``x`` not available (GSS, "Symbols in tables, definitions and
help", https://gss.civilservice.gov.uk/wp-content/uploads/2017/03/GSS-Website-Harmonised-Symbols-
Supporting-Documentation.pdf; the same set, ``c``, ``x``, ``z``, ``low``, with ``:`` and ``~`` as
legacy, is what DfE's data screener for Explore education statistics accepts,
github.com/dfe-analytical-services/eesyscreener). ``:`` keeps the meaning it has always had on the
dashboard, "nothing graded".

Secondary suppression (:mod:`.secondary`) hides more figures wherever the hidden ones could be
worked out: from a table's row or column totals (a criterion × agency table), from the parts of a
whole (criteria of a domain, groups of a breakdown), from a neighbouring round (a difference is
hidden when either round's figure is), and from a share and its n (:func:`share_hidden`).

Derived figures (agreement, alpha, a mean difference, a chart point) follow the same rule on what
they rest on: they are hidden when the number of items (``n``) or of cases behind them
(``cases``) is small. Thirteen grades from one child's case are still one case.

This package is the one place those rules are applied: a board-facing view (the dashboard, a
chart, a report, a board export) takes its text and its chart values from the ``*_for_board`` and
``*_for_chart`` functions, never from the results frames themselves, and a chart that leaves a
figure out says so under it (:func:`chart_note`).

An inspection review's forms (:mod:`.plan`) add one distinction: counts of *actions* (how many are
on track, overdue) are about the partnership's work, not children, and are shown whole; shares of
judgements before and after an action follow the rules above.
"""

from __future__ import annotations

from .board import (
    LOCAL_TAGS,
    Formatter,
    coverage_for_board,
    derived_for_board,
    derived_for_chart,
    headline_for_board,
    render_summary,
    shares_for_chart,
    themes_for_board,
)
from .crosstab import TOTAL, cross_table_for_board, cross_table_for_chart
from .plan import (
    answered_by,
    due_for_board,
    impact_for_board,
    impact_for_chart,
    inspection_for_board,
    links_for_board,
    progress_for_board,
    readiness_for_board,
    readiness_for_chart,
    suggestions_for_board,
)
from .practice import (
    breakdowns_for_board,
    breakdowns_for_chart,
    change_for_board,
    change_for_chart,
    good_or_better_for_board,
    good_or_better_for_chart,
    strengths_for_board,
    trend_for_board,
    trend_for_chart,
)
from .rules import (
    NOT_ANSWERED,
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    NOT_COMPARABLE,
    NOTHING,
    STATE_SYMBOLS,
    SUPPRESSED,
    SYMBOLS,
    chart_note,
    derived_hidden,
    figure_hidden,
    format_count,
    is_small,
    share_hidden,
    symbol_key,
)

__all__ = [
    "LOCAL_TAGS",
    "NOTHING",
    "NOT_ANSWERED",
    "NOT_APPLICABLE",
    "NOT_AVAILABLE",
    "NOT_COMPARABLE",
    "STATE_SYMBOLS",
    "SUPPRESSED",
    "SYMBOLS",
    "TOTAL",
    "Formatter",
    "answered_by",
    "breakdowns_for_board",
    "breakdowns_for_chart",
    "change_for_board",
    "change_for_chart",
    "chart_note",
    "coverage_for_board",
    "cross_table_for_board",
    "cross_table_for_chart",
    "derived_for_board",
    "derived_for_chart",
    "derived_hidden",
    "due_for_board",
    "figure_hidden",
    "format_count",
    "good_or_better_for_board",
    "good_or_better_for_chart",
    "headline_for_board",
    "impact_for_board",
    "impact_for_chart",
    "inspection_for_board",
    "is_small",
    "links_for_board",
    "progress_for_board",
    "readiness_for_board",
    "readiness_for_chart",
    "render_summary",
    "share_hidden",
    "shares_for_chart",
    "strengths_for_board",
    "suggestions_for_board",
    "symbol_key",
    "themes_for_board",
    "trend_for_board",
    "trend_for_chart",
]
