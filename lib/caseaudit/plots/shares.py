"""A round's good-or-better shares: bars by criterion, and a criterion × agency heatmap.

Both draw from :func:`caseaudit.disclosure.shares_for_chart`, so a share whose counts would be
revealed is never drawn: its bar or cell says ``c`` instead, and a cell with nothing graded says
``:``, as text, never as colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns

from .. import disclosure
from ..disclosure import SUPPRESSED
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
    not_drawn,
    percent,
    range_sentence,
    spread_words,
    text_on,
)

NOTHING = ":"


def criterion_labels(table: pd.DataFrame) -> list[str]:
    """Each row's criterion as a board reads it: its ``label``, or its id and title."""
    if "label" in table:
        return [str(label) for label in table["label"]]
    return [f"{cid} {title}" for cid, title in zip(table["criterion_id"], table["criterion"],
                                                     strict=True)]


def _ids(table: pd.DataFrame) -> pd.Series:
    return pd.Series(table["criterion_id"] if "criterion_id" in table else table["key"],
                     dtype=str).reset_index(drop=True)


def good_or_better_chart(by_criterion: pd.DataFrame, title: str | None = None,
                         threshold: int | None = None) -> Chart:
    """Horizontal bars of the good-or-better share per criterion, with 95% Wilson intervals and
    n; ``title=None`` writes one saying where the shares range (``""``: no title).

    ``by_criterion`` is :attr:`RoundSummary.by_criterion`; it is not changed.
    """
    table = disclosure.shares_for_chart(by_criterion, threshold)
    labels = criterion_labels(table)
    spread = range_sentence("criterion " + _ids(table), table["share"])
    if title is None:
        title = (f"Good or better by criterion: {spread_words(spread)}" if spread
                 else "Good or better, by criterion: too few judgements to draw")
    plot = pd.DataFrame({"criterion": labels, "share": table["share"] * 100})
    fig, ax = new_figure(864, max(290, 31 * len(table) + 115))
    sns.barplot(data=plot, x="share", y="criterion", color=GOOD, saturation=1, errorbar=None,
                ax=ax)
    y = np.arange(len(table))
    shown = (table["state"] == "shown").to_numpy()
    lower = (table["share"] - table["ci_low"]).to_numpy() * 100
    upper = (table["ci_high"] - table["share"]).to_numpy() * 100
    ax.errorbar(plot["share"][shown], y[shown], xerr=[lower[shown], upper[shown]], fmt="none",
                ecolor=INK, elinewidth=1, capsize=3)
    for i, (state, share, n) in enumerate(zip(table["state"], table["share"], table["n_text"],
                                              strict=True)):
        note = {"shown": f"{percent(share)}  n={n}", "hidden": f"{SUPPRESSED}  n={n}"}.get(
            state, f"{NOTHING}  n={n}")
        ax.text(101, i, note, va="center", fontsize=TICK_PT - 1, color=MUTED)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Good or better (%), with 95% Wilson interval", fontsize=TICK_PT)
    ax.set_ylabel("")
    ax.tick_params(labelsize=TICK_PT)
    note = not_drawn(table["state"], ("bar", "bars"), threshold)
    alt = (f"Bar chart of the share of agency judgements graded good or better for each of "
           f"{len(table)} criteria" + (f", {spread_words(spread)}." if spread else
                                       ": no share can be shown.")
           + (f" {note}" if note else ""))
    figures = disclosure.render_summary(by_criterion, threshold, keep=("criterion",))
    return Chart(finish(fig, ax, title, despine={"left": True}), alt, figures, note)


def agency_heatmap_chart(by_criterion_agency: pd.DataFrame, agencies: list[str] | None = None,
                         title: str | None = None, threshold: int | None = None) -> Chart:
    """A criterion × agency heatmap of the good-or-better share. Each cell says its share and
    n; a suppressed cell says ``c`` and a cell with nothing graded ``:``, both on grey."""
    table = disclosure.shares_for_chart(by_criterion_agency, threshold)
    rows = list(dict.fromkeys(criterion_labels(table)))
    ids = list(dict.fromkeys(_ids(table)))
    cols = agencies or list(dict.fromkeys(table["agency"]))
    values = np.full((len(rows), len(cols)), np.nan)
    text = np.full((len(rows), len(cols)), NOTHING, dtype=object)
    states = np.full((len(rows), len(cols)), "none", dtype=object)
    row_of = {label: i for i, label in enumerate(rows)}
    col_of = {agency: j for j, agency in enumerate(cols)}
    for label, agency, share, state, n in zip(criterion_labels(table), table["agency"],
                                              table["share"], table["state"], table["n_text"],
                                              strict=True):
        if agency not in col_of:
            continue
        i, j = row_of[label], col_of[agency]
        states[i, j] = state
        if state == "hidden":
            text[i, j] = SUPPRESSED if n == SUPPRESSED else f"{SUPPRESSED}\nn={n}"
        elif state == "shown":
            values[i, j] = share * 100
            text[i, j] = f"{percent(share)}\nn={n}"
    cells = pd.DataFrame(values, index=rows, columns=cols)
    shown = cells.stack().dropna()
    spread = None
    if not shown.empty:
        low, high = shown.idxmin(), shown.idxmax()
        spread = (f"{shown[low]:.0f}% ({low[1]}, criterion {ids[rows.index(low[0])]})",
                  f"{shown[high]:.0f}% ({high[1]}, criterion {ids[rows.index(high[0])]})")
    if title is None:
        title = (f"Good or better by criterion and agency: {spread_words(spread)}"
                 if spread else "Good or better by criterion and agency: too few to draw")
    fig, ax = new_figure(864, max(290, 38 * len(rows) + 150))
    ax.set_facecolor(NO_FIGURE)  # a cell with no figure shows the grey behind it
    sns.heatmap(cells, vmin=0, vmax=100, cmap=HEAT, annot=False,
                cbar_kws={"label": "Good or better (%)", "shrink": 0.6}, linewidths=1,
                linecolor="white", ax=ax)
    for i in range(len(rows)):
        for j in range(len(cols)):
            colour = HEAT(values[i, j] / 100) if states[i, j] == "shown" else NO_FIGURE
            ax.text(j + 0.5, i + 0.5, text[i, j], ha="center", va="center",
                    fontsize=TICK_PT - 1, color=text_on(colour), linespacing=1.1)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(labelsize=TICK_PT)
    ax.tick_params(axis="x", labelrotation=0, top=True, labeltop=True, bottom=False,
                   labelbottom=False)
    note = not_drawn(pd.Series(states.ravel()), ("cell", "cells"), threshold)
    alt = (f"Heatmap of the share of judgements graded good or better for {len(rows)} criteria "
           f"(rows) and {len(cols)} agencies (columns), each cell giving its share and n"
           + (f"; {spread_words(spread)}." if spread else "; no share can be shown.")
           + (f" {note}" if note else ""))
    figures = pd.DataFrame(
        [[rows[i], *(text[i, j].replace("\n", " ") for j in range(len(cols)))]
         for i in range(len(rows))], columns=["Criterion", *cols])
    return Chart(finish(fig, ax, title, despine=None), alt, figures, note)
