"""A round's good-or-better shares: bars by criterion, and a criterion × agency heatmap.

On a board page both come from one protected table, :func:`caseaudit.disclosure.cross_table_for_chart`
(the criteria's agencies add up to each criterion's total, which the bars show), so no hidden cell
can be worked out from a bar: the bars are the table's row totals, the heatmap its cells and
totals. A figure that is not shown is never drawn: its bar or cell says ``c`` (or ``:`` where
nothing was graded, ``x`` where an agency does not answer the criterion) as text, never as colour
alone, and the chart's note says how many were left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns

from .. import disclosure
from ..disclosure import NOTHING, STATE_SYMBOLS, TOTAL, chart_note
from .base import (
    GOOD,
    HEAT,
    INK,
    MUTED,
    NO_FIGURE,
    TICK_PT,
    Chart,
    finish,
    new_figure,
    percent,
    range_sentence,
    spread_words,
    text_on,
)


def criterion_labels(table: pd.DataFrame) -> list[str]:
    """Each row's criterion as a board reads it: its ``label``, or its id and title."""
    if "label" in table:
        return [str(label) for label in table["label"]]
    return [f"{cid} {title}" for cid, title in zip(table["criterion_id"], table["criterion"],
                                                     strict=True)]


def _mark(share: float, state: str) -> str:
    return percent(share) if state == "shown" else STATE_SYMBOLS.get(state, NOTHING)


def _bars(table: pd.DataFrame, ids: pd.Series, figures: pd.DataFrame, title: str | None,
          threshold: int | None, judged: str = "agency judgements") -> Chart:
    """Bars from a chart form (``label`` or criterion columns, ``share``, ``ci_low``, ``ci_high``,
    ``state``, ``n_text``), with ``figures`` as its table; ``judged`` says whose grades they are."""
    table = table.reset_index(drop=True)
    labels = criterion_labels(table)
    spread = range_sentence("criterion " + ids.reset_index(drop=True), table["share"])
    if title is None:
        title = (f"Good or better by criterion: {spread_words(spread)}" if spread
                 else "Good or better, by criterion: too few judgements to draw")
    plot = pd.DataFrame({"criterion": labels, "share": table["share"] * 100})
    fig, ax = new_figure(864, max(290, 31 * len(table) + 115))
    # order=labels and the limits keep a row for every criterion: left to itself, seaborn sizes
    # the axis to the bars it draws, and hidden (blank) rows at the end fall off the chart
    sns.barplot(data=plot, x="share", y="criterion", order=labels, color=GOOD, saturation=1,
                errorbar=None, ax=ax)
    ax.set_ylim(len(table) - 0.5, -0.5)
    y = np.arange(len(table))
    shown = (table["state"] == "shown").to_numpy()
    # never below zero: matplotlib refuses a negative error bar, and a share at an interval's end
    # (all or none good) may differ from it in the last decimal place
    lower = np.clip((table["share"] - table["ci_low"]).to_numpy() * 100, 0, None)
    upper = np.clip((table["ci_high"] - table["share"]).to_numpy() * 100, 0, None)
    ax.errorbar(plot["share"][shown], y[shown], xerr=[lower[shown], upper[shown]], fmt="none",
                ecolor=INK, elinewidth=1, capsize=3)
    for i, (state, share, n) in enumerate(zip(table["state"], table["share"], table["n_text"],
                                              strict=True)):
        ax.text(101, i, f"{_mark(share, state)}  n={n}", va="center", fontsize=TICK_PT - 1,
                color=MUTED)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Good or better (%), with 95% Wilson interval", fontsize=TICK_PT)
    ax.set_ylabel("")
    ax.tick_params(labelsize=TICK_PT)
    note = chart_note(table["state"], "bar", threshold)
    alt = (f"Bar chart of the share of {judged} graded good or better for each of "
           f"{len(table)} criteria" + (f", {spread_words(spread)}." if spread else
                                       ": no share can be shown.")
           + (f" {note}" if note else ""))
    return Chart(finish(fig, ax, title, despine={"left": True}), alt, figures, note)


def good_or_better_chart(by_criterion: pd.DataFrame, title: str | None = None,
                         threshold: int | None = None) -> Chart:
    """Horizontal bars of the good-or-better share per criterion, with 95% Wilson intervals and
    n; ``title=None`` writes one saying where the shares range (``""``: no title).

    ``by_criterion`` is :attr:`RoundSummary.by_criterion`; it is not changed. A board page draws
    :func:`criterion_totals_chart` instead, whose bars are protected with the heatmap beside them.
    """
    table = disclosure.shares_for_chart(by_criterion, threshold)
    figures = disclosure.render_summary(by_criterion, threshold, keep=("criterion",))
    return _bars(table, table["criterion_id"].astype(str), figures, title, threshold)


def criteria_chart(good_or_better: pd.DataFrame, domain: str | None = None,
                   title: str | None = None, threshold: int | None = None,
                   also: np.ndarray | None = None) -> Chart:
    """Bars of the good-or-better share of each criterion (of ``domain``, or all) from
    ``RoundResults.good_or_better`` (the meeting's agreed grade where it agreed one), protected as
    a whole, so a criterion hidden to keep its domain's total from giving another back is not
    drawn either; the chart's table of figures is the board form's text. ``also`` marks rows the
    page hides for a reason outside the frame (a practice week's answer counts)."""
    drawn = disclosure.good_or_better_for_chart(good_or_better, threshold, also=also)
    board = disclosure.good_or_better_for_board(good_or_better, threshold, also=also)
    mine = (drawn["level"] == "criterion") & (domain is None or drawn["domain"] == domain)
    mine = mine.to_numpy()
    text = board[mine]
    figures = pd.DataFrame({"Criterion": text["label"], "Judgements (n)": text["n"],
                            "Good or better": text["share"], "95% interval": text["interval"]})
    return _bars(drawn[mine], drawn.loc[mine, "key"].astype(str), figures.reset_index(drop=True),
                 title, threshold, judged="judgements")


def _cross(by_criterion_agency: pd.DataFrame, threshold: int | None,
           board: bool = False) -> pd.DataFrame:
    """The criterion × agency table with its totals, protected as a whole (chart or text form)."""
    frame = by_criterion_agency.assign(label=criterion_labels(by_criterion_agency))
    make = disclosure.cross_table_for_board if board else disclosure.cross_table_for_chart
    return make(frame, rows="criterion_id", columns="agency", threshold=threshold)


def criterion_totals(by_criterion_agency: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """Each criterion's total over the agencies as text, as the protected table shows it
    (``criterion_id``, ``label``, ``n``, ``share``, ``interval``, ``state``): the overview's table
    of figures, which must hide what the heatmap's protection hides."""
    board = _cross(by_criterion_agency, threshold, board=True)
    return board[board["margin"] == "row total"].reset_index(drop=True)


def criterion_totals_chart(by_criterion_agency: pd.DataFrame, title: str | None = None,
                           threshold: int | None = None) -> Chart:
    """Bars of each criterion's good-or-better share over every agency, taken from the same
    protected criterion × agency table as :func:`agency_heatmap_chart`."""
    table = _cross(by_criterion_agency, threshold)
    totals = table[table["margin"] == "row total"]
    text = criterion_totals(by_criterion_agency, threshold)
    figures = pd.DataFrame({"Criterion": text["label"], "Judgements (n)": text["n"],
                            "Good or better": text["share"], "95% interval": text["interval"]})
    return _bars(totals, totals["criterion_id"].astype(str), figures, title, threshold)


def agency_heatmap_chart(by_criterion_agency: pd.DataFrame, agencies: list[str] | None = None,
                         title: str | None = None, threshold: int | None = None) -> Chart:
    """A criterion × agency heatmap of the good-or-better share with each criterion's and each
    agency's total. Each cell says its share and n; a cell that is not shown says its symbol
    (``c``, ``:``, ``x``) on grey."""
    table = _cross(by_criterion_agency, threshold)
    ids = [k for k in dict.fromkeys(table["criterion_id"]) if k != TOTAL]
    label_of = dict(zip(table["criterion_id"], table["label"], strict=False))
    rows = [*ids, TOTAL]
    found = [a for a in dict.fromkeys(table["agency"]) if a != TOTAL]
    cols = [*(agencies or found), TOTAL]
    cell = table.set_index(["criterion_id", "agency"])
    values = np.full((len(rows), len(cols)), np.nan)
    text = np.full((len(rows), len(cols)), NOTHING, dtype=object)
    states = np.full((len(rows), len(cols)), "none", dtype=object)
    for i, row in enumerate(rows):
        for j, col in enumerate(cols):
            if (row, col) not in cell.index:
                continue  # an agency with nothing submitted: nothing graded
            found_cell = cell.loc[(row, col)]
            state, n = found_cell["state"], found_cell["n_text"]
            states[i, j] = state
            if state == "shown":
                values[i, j] = found_cell["share"] * 100
                text[i, j] = f"{percent(found_cell['share'])}\nn={n}"
            else:
                text[i, j] = STATE_SYMBOLS.get(state, NOTHING)
    names = [label_of.get(r, TOTAL) if r != TOTAL else "All criteria" for r in rows]
    cells = pd.DataFrame(values, index=names, columns=[c if c != TOTAL else "All agencies"
                                                       for c in cols])
    inner = cells.iloc[:-1, :-1].stack().dropna()
    spread = None
    if not inner.empty:
        low, high = inner.idxmin(), inner.idxmax()
        spread = (f"{inner[low]:.0f}% ({low[1]}, criterion {ids[names.index(low[0])]})",
                  f"{inner[high]:.0f}% ({high[1]}, criterion {ids[names.index(high[0])]})")
    if title is None:
        title = (f"Good or better by criterion and agency: {spread_words(spread)}" if spread
                 else "Good or better by criterion and agency: too few to draw")
    fig, ax = new_figure(864, max(290, 38 * len(rows) + 150))
    ax.set_facecolor(NO_FIGURE)  # a cell with no figure shows the grey behind it
    sns.heatmap(cells, vmin=0, vmax=100, cmap=HEAT, annot=False,
                cbar_kws={"label": "Good or better (%)", "shrink": 0.6}, linewidths=1,
                linecolor="white", ax=ax)
    for i in range(len(rows)):
        for j in range(len(cols)):
            colour = HEAT(values[i, j] / 100) if states[i, j] == "shown" else NO_FIGURE
            ax.text(j + 0.5, i + 0.5, text[i, j], ha="center", va="center",
                    fontsize=TICK_PT - 1, color=text_on(colour), linespacing=1.1,
                    fontweight="bold" if TOTAL in (rows[i], cols[j]) else "normal")
    ax.axvline(len(cols) - 1, color=INK, linewidth=1.5)  # the totals, set apart
    ax.axhline(len(rows) - 1, color=INK, linewidth=1.5)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(labelsize=TICK_PT)
    ax.tick_params(axis="x", labelrotation=0, top=True, labeltop=True, bottom=False,
                   labelbottom=False)
    note = chart_note(pd.Series(states[:-1, :-1].ravel()), "cell", threshold)
    alt = (f"Heatmap of the share of judgements graded good or better for {len(ids)} criteria "
           f"(rows) and {len(cols) - 1} agencies (columns), with totals, each cell giving its "
           "share and n" + (f"; {spread_words(spread)}." if spread else "; no share can be shown.")
           + (f" {note}" if note else ""))
    figures = pd.DataFrame([[names[i], *(text[i, j].replace("\n", " ") for j in range(len(cols)))]
                            for i in range(len(rows))], columns=["Criterion", *cells.columns])
    return Chart(finish(fig, ax, title, despine=None), alt, figures, note)
