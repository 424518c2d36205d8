"""The trends dashboard: good or better in every round of a framework up to the chosen one, per
domain and per criterion, each line with its 95% band and its verdict beside it in words.

It renders ``RoundResults.practice_trend`` through :func:`caseaudit.disclosure.trend_for_board`
and ``trend_for_chart`` only: a round whose figure is hidden has no point, the chart says so under
it, and a verdict resting on a hidden point reads ``c``. Aggregates only; the notebook calls
:func:`trends_dashboard` and nothing else.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from .. import disclosure
from ..findings import round_pages, verdict_words
from ..plots import trend_chart
from ..results import RoundResults
from ..store import Store
from .board import STYLE, RoundDashboard, serve
from .charts import CHART_STYLE, chart_html
from .findings import FINDINGS_STYLE


def _series(rows: pd.DataFrame) -> str:
    return ", ".join(f"{label} {share}" for label, share in zip(rows["round_label"], rows["share"],
                                                                strict=True))


def trend_sentences(board: pd.DataFrame) -> list[tuple[str, str]]:
    """What the trend says, in sentences with their figures: the overall share round by round,
    the latest verdict, and the domains and criteria whose latest verdict is a change. ``board``
    is :func:`caseaudit.disclosure.trend_for_board` output."""
    rounds = list(dict.fromkeys(board["round_label"]))
    if not rounds:
        return [("no-rounds", "No round of this framework has been graded yet.")]
    overall = board[board["level"] == "overall"]
    said = [("overall", f"Overall, good or better was {_series(overall)} ({len(rounds)} "
                        f"{'round' if len(rounds) == 1 else 'rounds'}).")]
    if len(rounds) < 2:
        said.append(("first-round", "This is the first round of its framework: a trend needs two."))
        return said
    previous, latest = rounds[-2], rounds[-1]
    last = board[board["round_label"] == latest]
    verdict = str(last.loc[last["level"] == "overall", "verdict"].iloc[0]) if len(overall) else ""
    said.append(("overall-verdict", f"Since {previous}, the whole round shows "
                                    f"<b>{html.escape(verdict_words(verdict))}</b>."))
    before = board[board["round_label"] == previous].set_index(["level", "key"])["share"]
    for word in ("improved", "declined"):
        moved = last[(last["verdict"] == word) & last["level"].isin(["domain", "criterion"])]
        if len(moved):
            said.append((word, f"<b>{word.capitalize()}</b> since {previous}:<ul>" + "".join(
                f"<li>{html.escape(str(r['label']))}"
                f"{' (domain)' if r['level'] == 'domain' else ''}: "
                f"{before.get((r['level'], r['key']), ':')} to {r['share']}</li>"
                for _, r in moved.iterrows()) + "</ul>"))
    if not (last["verdict"].isin(["improved", "declined"])).any():
        said.append(("no-change", f"No domain or criterion clearly improved or declined since "
                                  f"{previous}."))
    return said


def render_trends(results: RoundResults, threshold: int | None = None) -> list[widgets.HTML]:
    """The trends page of a round: sentences, the domains' chart and each domain's criteria chart
    (the dashboard adds the key to the symbols used)."""
    trend = results.practice_trend
    pages = round_pages(results)
    board = disclosure.trend_for_board(trend, threshold, pages=pages)
    said = "".join(f'<li data-sentence="{kind}">{text}</li>' for kind, text in trend_sentences(board))
    head = (STYLE + FINDINGS_STYLE + f"<h2>Practice over time, up to {html.escape(results.title)}</h2>"
            '<section class="ca-findings" data-section="trend-findings" aria-label="What the trend '
            f'shows"><ul>{said}</ul></section>'
            '<p class="ca-note">Each line is the share of judgements good or better in a round, '
            "with its 95% interval as a band. A verdict says <i>improved</i> or <i>declined</i> "
            "only when the interval for the difference from the round before lies wholly above or "
            "below zero; otherwise <i>no clear change</i>.</p>")
    items = [widgets.HTML(head)]
    items.append(widgets.HTML(CHART_STYLE + '<h3 data-section="domains">By domain</h3>'
                              + chart_html(trend_chart(trend, "domain", threshold=threshold, pages=pages),
                                           "trend-domains")))
    domains = list(dict.fromkeys(board.loc[board["level"] == "criterion", "domain"]))
    for i, domain in enumerate(domains, start=1):
        chart = trend_chart(trend, "criterion", domain=domain, threshold=threshold, pages=pages)
        items.append(widgets.HTML(CHART_STYLE + f'<h3 data-section="domain-{i}">'
                                  f"{html.escape(str(domain))}</h3>"
                                  + chart_html(chart, f"trend-domain-{i}")))
    return items


class TrendsDashboard(RoundDashboard):
    """A round picker above the trend of practice up to the chosen round (the latest by default)."""

    page = "trends.ipynb"

    def view(self, results: RoundResults) -> list[widgets.HTML]:
        return render_trends(results, self.threshold)


def trends_dashboard(store: Store | None = None) -> TrendsDashboard:
    """Build and draw the trends dashboard (the notebook's only call)."""
    return serve(TrendsDashboard(store))  # type: ignore[return-value]
