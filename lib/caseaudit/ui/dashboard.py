"""The partnership overview dashboard: what a board member sees in Voila.

The notebook only calls :func:`overview_dashboard`. The dashboard renders a round's
:class:`~caseaudit.results.RoundResults` and nothing else: it reads no store table and computes no
figure, and every number it shows comes from a board-facing form made by
:mod:`caseaudit.disclosure` (the charts make theirs the same way). No case id, free text, auditor,
code or traceback reaches the page (a failure shows a plain sentence, and the details go to the
server log).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import plots, settings
from ..analysis import RoundSummary
from ..disclosure import (
    coverage_for_board,
    derived_for_board,
    headline_for_board,
    themes_for_board,
)
from ..results import RoundResults
from ..store import Store
from .board import LOADING, STYLE, RoundDashboard, serve  # noqa: F401 (LOADING: what the page shows)
from .charts import CHART_STYLE, chart_html
from .findings import render_findings


def _card(label: str, value: str, key: str) -> str:
    return (f'<div class="ca-card" data-figure="{key}"><div class="ca-value">{html.escape(value)}'
            f'</div><div class="ca-label">{html.escape(label)}</div></div>')


def render_headline(summary: RoundSummary, threshold: int | None = None, opening: str = "") -> str:
    """The headline figures of a round as HTML cards (small counts suppressed), after the
    ``opening`` the page starts with (what changed since the last round)."""
    h = headline_for_board(summary.headline, threshold)
    cards = [
        _card("cases audited, of " + h["cases_in_round"], h["cases_audited"], "cases_audited"),
        _card("forms submitted, of " + h["forms_expected"] + " expected", h["forms_submitted"],
              "forms_submitted"),
        _card(f"of agency judgements good or better ({h['interval']})", h["share"], "share_good"),
        _card("agency judgements graded", h["judgements"], "judgements"),
    ]
    return (STYLE + f"<h2>{html.escape(summary.title)}</h2>" + opening
            + '<div class="ca-cards">' + "".join(cards) + "</div>")


def render_overview(results: RoundResults, threshold: int | None = None) -> list[widgets.HTML]:
    """Everything the overview shows of a round's forms, in order: what changed since the last
    round, the headline figures, two charts and a table.

    The charts and the table come from one criterion × agency table protected as a whole, so no
    hidden cell can be worked out from a criterion's total. Plain HTML widgets rather than an
    Output widget: their content is state, so it needs no output capture (which stalls Voila's
    executor) and tests can read it directly.
    """
    summary = results.summary
    cells = summary.by_criterion_agency
    chart = plots.criterion_totals_chart(cells, threshold=threshold)
    heatmap = plots.agency_heatmap_chart(cells, list(results.agencies), threshold=threshold)
    totals = plots.criterion_totals(cells, threshold)
    domain_of = dict(zip(summary.by_criterion["criterion_id"], summary.by_criterion["domain"],
                         strict=True))
    table = pd.DataFrame({"Domain": totals["criterion_id"].map(domain_of),
                          "Criterion": totals["label"], "Judgements (n)": totals["n"],
                          "Good or better": totals["share"], "95% interval": totals["interval"]})
    limit = settings.suppression_threshold() if threshold is None else threshold
    note = ('<p class="ca-note">Shares are of agency judgements on submitted forms, not-applicable '
            f"answers left out. Counts from 1 to {limit}, and shares that would reveal them, are "
            "shown as <b>c</b>; <b>:</b> means nothing was graded.</p>")
    return [widgets.HTML(render_headline(summary, threshold, render_findings(results, threshold))),
            _chart(chart, "good-or-better"), _chart(heatmap, "criterion-agency"),
            widgets.HTML(note),
            widgets.HTML(STYLE + table.to_html(index=False, classes="ca-table", border=0))]


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def _leniency_board(agencies: pd.DataFrame, threshold: int | None) -> pd.DataFrame:
    """Each agency's mean difference from the meeting, hidden (``c``) where it rests on few
    grades or few cases; an interval that could not be worked out shows ``c`` too."""
    return derived_for_board(agencies, {
        "mean_difference": lambda r: _signed(r["mean_difference"]),
        "interval": lambda r: "c" if pd.isna(r["ci_low"]) else
        f"{_signed(r['ci_low'])} to {_signed(r['ci_high'])}"}, keep=("agency",),
        threshold=threshold)


def _leniency_rows(board: pd.DataFrame) -> str:
    rows = "".join(f"<tr><td>{html.escape(str(r.agency))}</td><td>{r.n}</td>"
                   f"<td>{r.mean_difference}</td><td>{r.interval}</td></tr>"
                   for r in board.itertuples())
    return ('<table class="ca-table" data-table="leniency"><tr><th>Agency</th>'
            "<th>Grades (n)</th><th>Mean difference from the meeting (levels; + more generous)"
            "</th><th>95% interval</th></tr>" + rows + "</table>")


_AGREEMENT = {"exact": lambda r: f"{r['exact']:.0%}", "within_one": lambda r: f"{r['within_one']:.0%}",
              "alpha": lambda r: ":" if pd.isna(r["alpha"]) else f"{r['alpha']:.2f}"}


def _figures_sentence(row: dict[str, Any], threshold: int | None, what: str) -> str:
    """Agreement figures in a sentence, or why they are not shown: nothing fully moderated yet,
    or too few grades or cases behind them (``c``)."""
    board = derived_for_board(pd.DataFrame([row]), _AGREEMENT, threshold=threshold).iloc[0]
    if board["state"] == "none":
        return (f"<p>No {what} yet: agreement is shown once the meeting has agreed every "
                "criterion and the overall grade of enough cases.</p>")
    if board["state"] == "hidden":
        return f"<p>Too few {what}, or too few cases behind them, to show agreement (<b>c</b>).</p>"
    alpha = "not available" if board["alpha"] == ":" else board["alpha"]
    return (f"<p>{board['n']} {what}: exact agreement <b>{board['exact']}</b>, within one "
            f"level <b>{board['within_one']}</b>, Krippendorff's ordinal alpha "
            f"<b>{alpha}</b>.</p>")


def _coverage_sentence(results: RoundResults, threshold: int | None) -> str:
    """How many of the round's cases the meeting has fully moderated: the figures rest on those
    only, so the board must see how far they reach."""
    cover = coverage_for_board(results.coverage, int(results.summary.headline["cases_in_round"]),
                               threshold)
    text = f'<p data-figure="moderated">{cover["complete"]} of {cover["cases"]} cases moderated'
    if cover["partly"]:
        text += (f"; {cover['partly']} partly moderated, not counted until the meeting has "
                 "agreed every criterion and the overall grade")
    return text + ".</p>"


def render_consistency(results: RoundResults, threshold: int | None = None) -> str:
    """The moderated round's consistency figures: agreement with the meeting's grades and each
    agency's leniency, from fully moderated cases only (``""`` when the meeting has not
    moderated the round at all). No auditor is named or shown: the board reads agencies, not
    people."""
    if results.agreement is None or results.coverage.empty:
        return ""
    report = results.agreement
    overall = report["criteria"].set_index("criterion_id").loc["all criteria"].to_dict()
    figures = _coverage_sentence(results, threshold)
    figures += _figures_sentence(overall, threshold, "agency grades compared with the grade the "
                                 "multi-agency meeting agreed")
    doubles = results.double_scoring
    if not doubles.empty:
        both = doubles.set_index("criterion_id").loc["all criteria"].to_dict()
        both["n"] = both["units"]
        figures += "<p>Independent double scoring:</p>" + _figures_sentence(
            both, threshold, "grades given by two or more auditors of the same agency")
    if not report["agencies"].empty:
        figures += _leniency_rows(_leniency_board(report["agencies"], threshold))
    return (STYLE + '<h3 data-section="consistency">How consistently agencies grade</h3>'
            + figures)


def _trend_board(results: RoundResults, threshold: int | None) -> pd.DataFrame:
    return derived_for_board(results.trend, _AGREEMENT, keep=("round_id",), threshold=threshold)


def render_agreement_trend(results: RoundResults, threshold: int | None = None) -> str:
    """Agreement with the meeting's grade in each moderated round up to this one, as a table: a
    round whose figures rest on few grades or few fully moderated cases shows ``c``, one with
    none ``:``."""
    rows = "".join(
        f"<tr><td>{html.escape(results.labels.get(r.round_id, r.round_id))}</td>"
        f"<td>{r.cases}</td><td>{r.n}</td><td>{r.exact}</td><td>{r.within_one}</td>"
        f"<td>{r.alpha}</td></tr>" for r in _trend_board(results, threshold).itertuples())
    return (STYLE + '<h3 data-section="agreement-trend">Agreement with the meeting, round by '
            'round</h3><table class="ca-table" data-table="agreement-trend"><tr><th>Round</th>'
            "<th>Cases moderated</th><th>Grades compared (n)</th><th>Exact</th>"
            "<th>Within one level</th><th>Ordinal alpha</th></tr>" + rows + "</table>"
            '<p class="ca-note">Agency grades on submitted forms against the grade the meeting '
            "agreed for the same case and criterion, in cases the meeting has fully moderated. "
            "Alpha is 1 for perfect agreement and 0 for agreement no better than chance.</p>")


def render_theme_counts(results: RoundResults, threshold: int | None = None) -> str:
    """Learning themes by moderated round up to this one (cases tagged), small counts
    suppressed and local free tags only as a total (``""`` when nothing was tagged)."""
    table = themes_for_board(results.themes, results.framework_themes, threshold)
    if table.empty:
        return ""
    head = "".join(f"<th>{html.escape(results.labels.get(c, c))}</th>" for c in table.columns)
    body = "".join(f"<tr><td>{html.escape(str(theme))}</td>"
                   + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
                   for theme, row in table.iterrows())
    return (STYLE + '<h3 data-section="themes">Learning themes (cases tagged by the meeting)</h3>'
            f'<table class="ca-table" data-table="themes"><tr><th>Theme</th>{head}</tr>{body}'
            "</table>")


def render_agreement(results: RoundResults, threshold: int | None = None) -> list[widgets.HTML]:
    """The dashboard's agreement section: the round's consistency figures and charts when the
    meeting has moderated it, then agreement and learning themes in every moderated round up to
    it. Empty when no round up to it has been moderated. Agencies only: auditor-level leniency
    is for the QA lead's notebook."""
    if results.trend.empty:
        return []
    items: list[widgets.HTML] = []
    if results.agreement is not None:  # moderated: its own figures and charts first
        items.append(widgets.HTML(render_consistency(results, threshold)))
        agencies = results.agreement["agencies"]
        if (_leniency_board(agencies, threshold)["state"] == "shown").any():
            items.append(_chart(plots.leniency_chart(agencies, threshold=threshold), "leniency"))
        criteria = results.agreement["criteria"]
        if (derived_for_board(criteria, {}, threshold=threshold)["state"] == "shown").any():
            items.append(_chart(plots.alpha_chart(criteria, dict(results.criterion_titles),
                                                  threshold=threshold), "alpha"))
    else:
        items.append(widgets.HTML(
            '<h3 data-section="consistency">How consistently agencies grade</h3><p>The '
            "multi-agency meeting has not moderated this round yet; below are the rounds it "
            "has moderated before.</p>"))
    items.append(widgets.HTML(render_agreement_trend(results, threshold)))
    if (_trend_board(results, threshold)["state"] == "shown").sum() >= 2:
        items.append(_chart(plots.agreement_trend_chart(results.trend, dict(results.labels),
                                                        threshold=threshold), "agreement-over-time"))
    themes = render_theme_counts(results, threshold)
    if themes:
        items.append(widgets.HTML(themes))
    return items


def _chart(chart: plots.Chart, key: str) -> widgets.HTML:
    return widgets.HTML(CHART_STYLE + chart_html(chart, key))


class OverviewDashboard(RoundDashboard):
    """A round picker above the overview of the chosen round (the latest by default)."""

    page = "partnership_overview.ipynb"

    def view(self, results: RoundResults) -> list[widgets.HTML]:
        return [*render_overview(results, self.threshold), *render_agreement(results, self.threshold)]


def overview_dashboard(store: Store | None = None) -> OverviewDashboard:
    """Build and draw the overview dashboard (the notebook's only call); it displays as its
    widget, and :meth:`OverviewDashboard.refresh` brings it up to date later."""
    return serve(OverviewDashboard(store))  # type: ignore[return-value]
