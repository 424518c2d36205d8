"""The partnership overview dashboard: what a board member sees in Voila.

The notebook only calls :func:`overview_dashboard`. Everything shown is an aggregate with the
suppression rules applied; no case id, free text, code or traceback reaches the page (a failure
shows a plain sentence, and the details go to the server log).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from .agreement import (
    agreement_across_rounds,
    agreement_report,
    double_scorer_agreement,
)
from .analysis import RoundSummary, summarise_round
from .disclosure import SUPPRESSED, derived_hidden, format_count, render_summary
from .errors import WorkbookError
from .moderation import theme_counts, theme_titles
from .plots import (
    figure_png,
    plot_agency_heatmap,
    plot_agreement_trend,
    plot_alpha_by_criterion,
    plot_good_or_better,
    plot_leniency,
)
from .rounds import AuditRound, scan_rounds
from .store import Store, open_store

log = logging.getLogger("caseaudit")

_STYLE = """
<style>
.ca-cards {display:flex; flex-wrap:wrap; gap:12px; margin:8px 0 16px 0;}
.ca-card {border:1px solid #d0d7de; border-radius:6px; padding:10px 14px; min-width:150px;}
.ca-card .ca-value {font-size:1.6em; font-weight:600;}
.ca-card .ca-label {color:#555; font-size:0.9em;}
.ca-note {color:#555; font-size:0.9em;}
.ca-table th {text-align:left; padding:4px 12px 4px 0; border-bottom:1px solid #d0d7de;}
.ca-table td {padding:3px 12px 3px 0;}
</style>
"""


def _card(label: str, value: str, key: str) -> str:
    return (f'<div class="ca-card" data-figure="{key}"><div class="ca-value">{html.escape(value)}'
            f'</div><div class="ca-label">{html.escape(label)}</div></div>')


def render_headline(summary: RoundSummary, threshold: int | None = None) -> str:
    """The headline figures of a round as HTML cards (small counts suppressed)."""
    h = summary.headline
    share = "c" if format_count(h["good"], threshold) == "c" or \
        format_count(int(h["judgements"]) - int(h["good"]), threshold) == "c" else (
        ":" if not h["judgements"] else f"{h['share']:.0%}")
    interval = (f"95% interval {h['ci_low']:.0%} – {h['ci_high']:.0%}"
                if share not in ("c", ":") else "95% interval not shown")
    cards = [
        _card("cases audited, of " + format_count(h["cases_in_round"], threshold),
              format_count(h["cases_audited"], threshold), "cases_audited"),
        _card("forms submitted, of " + format_count(h["forms_expected"], threshold) + " expected",
              format_count(h["forms_submitted"], threshold), "forms_submitted"),
        _card(f"of agency judgements good or better ({interval})", share, "share_good"),
        _card("agency judgements graded", format_count(h["judgements"], threshold), "judgements"),
    ]
    return (_STYLE + f"<h2>{html.escape(summary.title)}</h2>"
            + '<div class="ca-cards">' + "".join(cards) + "</div>")


def render_overview(summary: RoundSummary, agencies: Sequence[str],
                    threshold: int | None = None) -> list[widgets.Widget]:
    """Everything the overview shows for one round, in order: headline, two charts, a table.

    Plain HTML and Image widgets rather than an Output widget: their content is state, so it
    needs no output capture (which stalls Voila's executor) and tests can read it directly.
    """
    chart = plot_good_or_better(summary.by_criterion, "Good or better, by criterion", threshold)
    heatmap = plot_agency_heatmap(summary.by_criterion_agency, list(agencies),
                                  "Good or better, by criterion and agency", threshold)
    table = render_summary(summary.by_criterion, threshold, keep=("domain", "criterion"))
    note = ('<p class="ca-note">Shares are of agency judgements on submitted forms, not-applicable '
            "answers left out. Counts from 1 to 5, and shares that would reveal them, are shown "
            "as <b>c</b>; <b>:</b> means nothing was graded.</p>")
    return [widgets.HTML(render_headline(summary, threshold)),
            _image(chart), _image(heatmap),
            widgets.HTML(note),
            widgets.HTML(_STYLE + table.to_html(index=False, classes="ca-table", border=0))]


_IMAGE_LAYOUT = widgets.Layout(max_width="990px", width="100%", height="auto")


def _leniency_rows(table: pd.DataFrame, threshold: int | None) -> str:
    """Each agency's mean difference from the meeting, hidden (``c``) where it rests on few
    grades or few cases."""
    rows = []
    for r, hide in zip(table.to_dict("records"), derived_hidden(table, threshold), strict=True):
        value = SUPPRESSED if hide else f"{r['mean_difference']:+.2f}"
        interval = SUPPRESSED if hide or pd.isna(r["ci_low"]) else \
            f"{r['ci_low']:+.2f} to {r['ci_high']:+.2f}"
        rows.append(f"<tr><td>{html.escape(str(r['agency']))}</td>"
                    f"<td>{format_count(r['n'], threshold)}</td><td>{value}</td>"
                    f"<td>{interval}</td></tr>")
    return ('<table class="ca-table" data-table="leniency"><tr><th>Agency</th>'
            "<th>Grades (n)</th><th>Mean difference from the meeting (levels; + more generous)"
            "</th><th>95% interval</th></tr>" + "".join(rows) + "</table>")


def _figures_sentence(row: dict[str, float], threshold: int | None, what: str) -> str:
    """Agreement figures in a sentence, or why they are not shown: nothing fully moderated yet,
    or too few grades or cases behind them (``c``)."""
    frame = pd.DataFrame([row])
    if not row["n"]:
        return (f"<p>No {what} yet: agreement is shown once the meeting has agreed every "
                "criterion and the overall grade of enough cases.</p>")
    if derived_hidden(frame, threshold)[0]:
        return f"<p>Too few {what}, or too few cases behind them, to show agreement (<b>c</b>).</p>"
    alpha = "not available" if pd.isna(row["alpha"]) else f"{row['alpha']:.2f}"
    return (f"<p>{int(row['n']):,} {what}: exact agreement <b>{row['exact']:.0%}</b>, within one "
            f"level <b>{row['within_one']:.0%}</b>, Krippendorff's ordinal alpha "
            f"<b>{alpha}</b>.</p>")


def _coverage_sentence(cover: pd.DataFrame, audit: AuditRound, threshold: int | None) -> str:
    """How many of the round's cases the meeting has fully moderated: the figures rest on those
    only, so the board must see how far they reach."""
    complete = int(cover["complete"].sum())
    partly = len(cover) - complete
    text = (f'<p data-figure="moderated">{format_count(complete, threshold)} of '
            f"{format_count(len(audit.cases), threshold)} cases moderated")
    if partly:
        text += (f"; {format_count(partly, threshold)} partly moderated, not counted until the "
                 "meeting has agreed every criterion and the overall grade")
    return text + ".</p>"


def render_consistency(store: Store, audit: AuditRound, threshold: int | None = None,
                       report: dict[str, pd.DataFrame] | None = None) -> str:
    """The moderated round's consistency figures: agreement with the meeting's grades and each
    agency's leniency, from fully moderated cases only, every figure through disclosure control
    (``""`` when the meeting has not moderated the round at all). No auditor is named or shown:
    the board reads agencies, not people. ``report`` is the round's
    :func:`~caseaudit.agreement.agreement_report`, if already made."""
    framework = audit.load_framework()
    report = report or agreement_report(store, audit, framework)
    if report["coverage"].empty:
        return ""
    overall = report["criteria"].set_index("criterion_id").loc["all criteria"].to_dict()
    figures = _coverage_sentence(report["coverage"], audit, threshold)
    figures += _figures_sentence(overall, threshold, "agency grades compared with the grade the "
                                 "multi-agency meeting agreed")
    doubles = double_scorer_agreement(store, audit, framework)
    if not doubles.empty:
        both = doubles.set_index("criterion_id").loc["all criteria"].to_dict()
        both["n"] = both["units"]
        figures += "<p>Independent double scoring:</p>" + _figures_sentence(
            both, threshold, "grades given by two or more auditors of the same agency")
    return (_STYLE + '<h3 data-section="consistency">How consistently agencies grade</h3>'
            + figures + (_leniency_rows(report["agencies"], threshold)
                         if not report["agencies"].empty else ""))


def render_agreement_trend(across: pd.DataFrame, titles: dict[str, str],
                           threshold: int | None = None) -> str:
    """Agreement with the meeting's grade in each moderated round, as a table: a round whose
    figures rest on few grades or few fully moderated cases shows ``c``, one with none ``:``."""
    rows = []
    for r, hide in zip(across.itertuples(), derived_hidden(across, threshold), strict=True):
        if not r.n:
            cells = [":"] * 3
        elif hide:
            cells = [SUPPRESSED] * 3
        else:
            cells = [f"{r.exact:.0%}", f"{r.within_one:.0%}",
                     ":" if pd.isna(r.alpha) else f"{r.alpha:.2f}"]
        rows.append(f"<tr><td>{html.escape(titles.get(r.round_id, r.round_id))}</td>"
                    f"<td>{format_count(r.cases, threshold)}</td>"
                    f"<td>{format_count(r.n, threshold)}</td>"
                    + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (_STYLE + '<h3 data-section="agreement-trend">Agreement with the meeting, round by '
            'round</h3><table class="ca-table" data-table="agreement-trend"><tr><th>Round</th>'
            "<th>Cases moderated</th><th>Grades compared (n)</th><th>Exact</th>"
            "<th>Within one level</th><th>Ordinal alpha</th></tr>" + "".join(rows) + "</table>"
            '<p class="ca-note">Agency grades on submitted forms against the grade the meeting '
            "agreed for the same case and criterion, in cases the meeting has fully moderated. "
            "Alpha is 1 for perfect agreement and 0 for agreement no better than chance.</p>")


def render_theme_counts(themes: pd.DataFrame, rounds: Sequence[AuditRound],
                        titles: dict[str, str], threshold: int | None = None) -> str:
    """Learning themes by round (cases tagged), small counts suppressed. Local free tags are
    free text, so only their total per round reaches a dashboard; a theme of any of the rounds'
    frameworks is named."""
    if themes.empty or len(themes.columns) == 0:
        return ""
    known = list(dict.fromkeys(t for named in theme_titles(rounds).values()
                               for t in named.values()))
    local = themes.loc[[t for t in themes.index if t not in known]].sum()
    table = themes.reindex([t for t in known if t in themes.index])
    if local.any():
        table.loc["Other (local tags)"] = local
    head = "".join(f"<th>{html.escape(titles.get(c, c))}</th>" for c in table.columns)
    body = "".join(
        f"<tr><td>{html.escape(str(theme))}</td>"
        + "".join(f"<td>{format_count(int(v), threshold)}</td>" for v in row) + "</tr>"
        for theme, row in table.iterrows())
    return (_STYLE + '<h3 data-section="themes">Learning themes (cases tagged by the meeting)</h3>'
            f'<table class="ca-table" data-table="themes"><tr><th>Theme</th>{head}</tr>{body}'
            "</table>")


def round_labels(rounds: Sequence[AuditRound]) -> dict[str, str]:
    """Short column and axis labels for rounds: the month they started, with the round id added
    where two rounds started in the same month (a practice week beside an audit, say)."""
    months = [f"{r.period.start:%b %Y}" for r in rounds]
    return {r.id: m if months.count(m) == 1 else f"{m} ({r.id})"
            for r, m in zip(rounds, months, strict=True)}


def render_agreement(store: Store, audit: AuditRound, rounds: Sequence[AuditRound],
                     threshold: int | None = None) -> list[widgets.Widget]:
    """The dashboard's agreement section for ``audit``: its consistency figures and charts when
    the meeting has moderated it, then agreement and learning themes in every moderated round up
    to it. Empty when no round up to it has been moderated. Agencies only: auditor-level
    leniency is for the QA lead's notebook."""
    history = list(rounds[: [r.id for r in rounds].index(audit.id) + 1])
    across = agreement_across_rounds(store, history)
    if across.empty:
        return []
    titles = round_labels(history)
    framework = audit.load_framework()
    items: list[widgets.Widget] = []
    if audit.id in set(across["round_id"]):  # moderated: its own figures and charts first
        report = agreement_report(store, audit, framework)
        items.append(widgets.HTML(render_consistency(store, audit, threshold, report)))
        agencies = report["agencies"]
        if (~derived_hidden(agencies, threshold)).any():
            items.append(_image(plot_leniency(agencies, title="Agencies against the meeting's "
                                              "grade", threshold=threshold)))
        criteria = report["criteria"]
        if (~derived_hidden(criteria, threshold)).any():
            criterion_titles = {cid: c.title for cid, c in framework.criteria_by_id.items()}
            items.append(_image(plot_alpha_by_criterion(
                criteria, criterion_titles, "Agreement with the meeting, by criterion",
                threshold)))
    else:
        items.append(widgets.HTML(
            '<h3 data-section="consistency">How consistently agencies grade</h3><p>The '
            "multi-agency meeting has not moderated this round yet; below are the rounds it "
            "has moderated before.</p>"))
    items.append(widgets.HTML(render_agreement_trend(across, titles, threshold)))
    if (~derived_hidden(across, threshold)).sum() >= 2:
        items.append(_image(plot_agreement_trend(across, titles, "Agreement with the meeting "
                                                 "over time", threshold)))
    moderated = [r for r in history if r.id in set(across["round_id"])]
    themes = render_theme_counts(theme_counts(store, moderated), moderated, titles, threshold)
    if themes:
        items.append(widgets.HTML(themes))
    return items


def _image(fig: Figure) -> widgets.Image:
    return widgets.Image(value=figure_png(fig), format="png", layout=_IMAGE_LAYOUT)


class OverviewDashboard:
    """A round picker above the overview of the chosen round (the latest by default)."""

    def __init__(self, store: Store | None = None, rounds: Sequence[AuditRound] | None = None,
                 threshold: int | None = None) -> None:
        self.threshold = threshold
        self.message = widgets.HTML()
        self.notice = widgets.HTML()  # round folders that could not be read, if any
        self.body = widgets.VBox()
        self.store = store
        self.rounds: list[AuditRound] = []
        try:
            self.store = store or open_store(create=False)
            if rounds is not None:
                self.rounds = list(rounds)
            else:  # one broken round folder must not take the others down
                found = scan_rounds()
                self.rounds = found.rounds
                self.notice.value = "".join(_problem("A round is not shown. " + b.message)
                                            for b in found.broken)
        except WorkbookError as exc:
            log.error("dashboard could not start: %s", exc)
            self.message.value = _problem("The dashboard cannot read the workbook: "
                                          + str(exc).splitlines()[0])
        options = [(f"{r.title} ({r.period.start:%b %Y})", r.id) for r in reversed(self.rounds)]
        self.picker = widgets.Dropdown(options=options, description="Audit round",
                                       layout=widgets.Layout(width="640px"),
                                       style={"description_width": "initial"})
        self.picker.observe(lambda change: self.show(change["new"]), names="value")

    def widget(self) -> widgets.VBox:
        """The whole dashboard, ready to display."""
        return widgets.VBox([self.picker, self.notice, self.message, self.body])

    def show(self, round_id: str | None) -> None:
        """Draw the overview of ``round_id`` into the dashboard."""
        self.body.children = ()
        if round_id is None or self.store is None:
            if not self.message.value:
                self.message.value = _problem("There are no audit rounds to show yet.")
            return
        audit = next(r for r in self.rounds if r.id == round_id)
        try:
            items = render_overview(summarise_round(self.store, audit), audit.agencies,
                                    self.threshold)
            items += render_agreement(self.store, audit, self.rounds, self.threshold)
        except WorkbookError as exc:
            log.error("dashboard could not show %s: %s", round_id, exc)
            self.message.value = _problem(str(exc).splitlines()[0])
            return
        except Exception:  # a page must never show a traceback; the log keeps it
            log.exception("dashboard failed for round %s", round_id)
            self.message.value = _problem("This view could not be drawn. The QA lead can find "
                                          "the details in the dashboard server's log.")
            return
        self.message.value = ""
        self.body.children = tuple(items)


def _problem(text: str) -> str:
    return f'<p class="ca-problem" style="color:#8a1c1c">{html.escape(text)}</p>'


def overview_dashboard(store: Store | None = None) -> widgets.VBox:
    """Build, draw and return the overview dashboard (the notebook's only call)."""
    board = OverviewDashboard(store)
    board.show(board.picker.value)
    return board.widget()
