"""The equality dashboard: good or better by the children's characteristics (age band, gender,
ethnicity group, disability, plan type), over the round and per domain.

The national review of child sexual abuse in the family found identification weakest for disabled
children and for Black and minoritised children, so a board needs to see whether its own
practice differs by group, without being told more than the figures hold. Groups are small:
everything goes through :func:`caseaudit.disclosure.breakdowns_for_board` and
``breakdowns_for_chart`` (a hidden group hides the next smallest of its attribute, so none comes
back from the whole), and a sentence names a gap only with both intervals and whether they
overlap. Aggregates only; the notebook calls :func:`equality_dashboard` and nothing else.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from .. import disclosure
from ..plots import breakdown_chart
from ..results import RoundResults
from ..store import Store
from .board import STYLE, RoundDashboard, serve
from .charts import CHART_STYLE, chart_html
from .findings import FINDINGS_STYLE

WHY = ("The national review of child sexual abuse in the family environment found identification "
       "weakest for disabled children and for Black and minoritised children; these figures show "
       "whether practice here differs by group.")


def _apart(low: pd.Series, high: pd.Series) -> bool:
    """Whether two groups' 95% intervals do not overlap (the lower group's top is below the
    higher group's bottom): a reading of the intervals shown, not a test."""
    return float(low["ci_high"]) < float(high["ci_low"])


def attribute_sentence(chart_rows: pd.DataFrame, board_rows: pd.DataFrame) -> str:
    """One attribute's groups in a sentence: the lowest and highest shown group with their shares
    and n, and whether their intervals overlap. ``chart_rows`` and ``board_rows`` are the
    attribute's overall rows of the chart and board forms (same order)."""
    name = str(board_rows["attribute_label"].iloc[0])
    shown = chart_rows["state"].to_numpy() == "shown"
    hidden = int((chart_rows["state"] == "hidden").sum())
    left = (f" {hidden} {'group is' if hidden == 1 else 'groups are'} not shown (c)."
            if hidden else "")
    if not shown.any():
        return f"By {name.lower()}: no group has enough cases to show its figures.{left}"
    if shown.sum() == 1:
        only = board_rows[shown].iloc[0]
        return (f"By {name.lower()}: only the group “{html.escape(str(only['group']))}” has enough "
                f"cases to "
                f"show ({only['share']}, n={only['n']}), so the groups cannot be compared.{left}")
    figures = chart_rows[shown]
    low, high = figures.loc[figures["share"].idxmin()], figures.loc[figures["share"].idxmax()]
    # quoted: a group is a value of the attribute ("no", "10-15"), not always a noun
    words = {i: f"{board_rows.loc[i, 'share']} for “{html.escape(str(board_rows.loc[i, 'group']))}” "
                f"(95% interval {board_rows.loc[i, 'interval']}; n={board_rows.loc[i, 'n']})"
             for i in (low.name, high.name)}
    reading = ("their intervals do not overlap, so the gap is unlikely to be chance alone"
               if _apart(low, high) else "their intervals overlap, so the gap may be chance")
    return f"By {name.lower()}: from {words[low.name]} to {words[high.name]}; {reading}.{left}"


def _domain_table(board: pd.DataFrame, attribute: str) -> str:
    """The attribute's groups (columns) by domain (rows): share and n as text."""
    rows = board[(board["attribute"] == attribute) & (board["level"] == "domain")]
    groups = list(dict.fromkeys(rows["group"]))
    cells = rows.assign(text=[f"{s} (n={n})" if st == "shown" else s
                              for s, n, st in zip(rows["share"], rows["n"], rows["state"],
                                                  strict=True)])
    table = cells.pivot(index="label", columns="group", values="text").reindex(
        index=list(dict.fromkeys(rows["label"])), columns=groups)
    head = "".join(f'<th scope="col">{html.escape(str(g))}</th>' for g in groups)
    body = "".join(f'<tr><th scope="row">{html.escape(str(label))}</th>'
                   + "".join(f"<td>{html.escape(str(v))}</td>" for v in values) + "</tr>"
                   for label, values in zip(table.index, table.to_numpy(), strict=True))
    return (f'<table class="ca-table" data-table="{attribute}-by-domain"><caption>Good or '
            f'better by domain (share and n)</caption><tr><th scope="col">Domain</th>{head}</tr>'
            f"{body}</table>")


def render_equality(results: RoundResults, threshold: int | None = None) -> list[widgets.HTML]:
    """The equality page of a round: a sentence per attribute, then per attribute its chart and
    its table by domain (the dashboard adds the key to the symbols used)."""
    breakdowns = results.breakdowns
    board = disclosure.breakdowns_for_board(breakdowns, threshold)
    chart_form = disclosure.breakdowns_for_chart(breakdowns, threshold)
    attributes = list(dict.fromkeys(board["attribute"]))
    overall = (board["level"] == "overall").to_numpy()
    said = []
    for attribute in attributes:
        mine = overall & (board["attribute"] == attribute).to_numpy()
        said.append(f'<li data-sentence="{attribute}">'
                    f"{attribute_sentence(chart_form[mine], board[mine])}</li>")
    items = [widgets.HTML(
        STYLE + FINDINGS_STYLE + "<h2>Practice by children's characteristics, "
        f"{html.escape(results.title)}</h2><p>{WHY}</p>"
        '<section class="ca-findings" data-section="equality-findings" aria-label="What the '
        f'figures show"><ul>{"".join(said)}</ul></section>')]
    for attribute in attributes:
        chart = breakdown_chart(breakdowns, attribute, threshold=threshold)
        name = str(board.loc[board["attribute"] == attribute, "attribute_label"].iloc[0])
        items.append(widgets.HTML(
            STYLE + CHART_STYLE + f'<h3 data-section="{attribute}">{html.escape(name)}</h3>'
            + chart_html(chart, f"by-{attribute}") + _domain_table(board, attribute)))
    return items


class EqualityDashboard(RoundDashboard):
    """A round picker above the breakdowns of the chosen round (the latest by default)."""

    page = "equality.ipynb"

    def view(self, results: RoundResults) -> list[widgets.HTML]:
        return render_equality(results, self.threshold)


def equality_dashboard(store: Store | None = None) -> EqualityDashboard:
    """Build and draw the equality dashboard (the notebook's only call)."""
    return serve(EqualityDashboard(store))  # type: ignore[return-value]
