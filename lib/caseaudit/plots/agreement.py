"""How consistently agencies grade: leniency against the meeting, ordinal alpha by criterion, and
agreement with the meeting round by round.

Each draws from :func:`caseaudit.disclosure.derived_for_chart`: a figure resting on few grades
or few cases is not drawn (``threshold=0`` draws every row, for the QA lead's notebook).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns

from .. import disclosure
from ..disclosure import STATE_SYMBOLS, SUPPRESSED, chart_note
from .base import (
    GOOD,
    INK,
    MUTED,
    OKABE_ITO,
    TICK_PT,
    Chart,
    finish,
    new_figure,
    percent,
    range_sentence,
    spread_words,
)


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def leniency_chart(table: pd.DataFrame, by: str = "agency", title: str | None = None,
                   threshold: int | None = None) -> Chart:
    """Each agency's (or auditor's) mean difference from the moderated grade with its interval:
    right of zero grades more generously than the meeting, left more harshly."""
    board = disclosure.derived_for_chart(table, ["mean_difference", "ci_low", "ci_high"], threshold)
    drawn = board[board["state"] == "shown"].reset_index(drop=True)
    spread = range_sentence(drawn[by].astype(str), drawn["mean_difference"], _signed)
    if title is None:
        title = (f"Against the meeting's grade (levels): harshest {spread[0]}, most generous "
                 f"{spread[1]}" if spread else "Against the meeting's grade: too few grades to draw")
    fig, ax = new_figure(672, 43 * len(drawn) + 135)
    y = np.arange(len(drawn))
    sns.scatterplot(x=drawn["mean_difference"], y=y, ax=ax, color=GOOD, s=50)
    ax.errorbar(drawn["mean_difference"], y,
                xerr=[drawn["mean_difference"] - drawn["ci_low"],
                      drawn["ci_high"] - drawn["mean_difference"]],
                fmt="none", ecolor=INK, elinewidth=1, capsize=3)
    ax.axvline(0, color="#888888", linewidth=1)
    ax.set_yticks(y, [f"{k} (n={n})" for k, n in zip(drawn[by], drawn["n_text"], strict=True)])
    ax.invert_yaxis()
    ax.set_xlabel("Mean difference from the moderated grade (levels; + more generous)",
                  fontsize=TICK_PT)
    ax.tick_params(labelsize=TICK_PT)
    note = chart_note(board["state"], "point", threshold, counted="grades")
    figures = pd.DataFrame({
        by.capitalize(): board[by], "Grades (n)": board["n_text"],
        "Mean difference": [_signed(v) if s == "shown" else SUPPRESSED if s == "hidden" else ":"
                            for v, s in zip(board["mean_difference"], board["state"], strict=True)]})
    alt = (f"Dot chart of each {by}'s mean difference from the grade the meeting agreed, in grade "
           "levels, with its 95% interval (right of zero: more generous)"
           + (f"; {spread_words(spread)}." if spread else "; nothing can be shown.")
           + (f" {note}" if note else ""))
    return Chart(finish(fig, ax, title, despine={"left": True}), alt, figures, note)


def alpha_chart(table: pd.DataFrame, titles: dict[str, str], title: str | None = None,
                threshold: int | None = None) -> Chart:
    """Ordinal alpha of agency grades against the meeting's grade per criterion, with its
    bootstrap interval; the dashed line is all criteria together.

    Criteria with a suppressed number of pairs say ``c`` and are not drawn; ``:`` marks a criterion
    whose grades did not vary enough to give an alpha. ``table`` is the ``criteria`` frame of
    :func:`caseaudit.agreement.agreement_report`.
    """
    table = disclosure.derived_for_chart(table, ["alpha", "ci_low", "ci_high"], threshold)
    overall = table[table["criterion_id"] == "all criteria"]
    table = table[table["criterion_id"] != "all criteria"].reset_index(drop=True)
    hidden = (table["state"] == "hidden").to_numpy()
    empty = (table["state"] == "none").to_numpy()
    missing = empty | (~hidden & table["alpha"].isna().to_numpy())  # too little variation: x
    shown = ~hidden & ~missing
    labels = [f"{cid} {titles.get(cid, '')}".strip() for cid in table["criterion_id"]]
    spread = range_sentence("criterion " + table["criterion_id"].astype(str),
                            table["alpha"].where(shown), lambda v: f"{v:.2f}")
    if title is None:
        title = (f"Agreement with the meeting (alpha) by criterion: {spread_words(spread)}"
                 if spread else "Agreement with the meeting, by criterion: too few to draw")
    y = np.arange(len(table))
    fig, ax = new_figure(864, max(290, 31 * len(table) + 115))
    sns.scatterplot(x=table["alpha"][shown], y=y[shown], color=GOOD, s=40, ax=ax)
    low = np.where(table["ci_low"].isna(), table["alpha"], table["ci_low"])
    high = np.where(table["ci_high"].isna(), table["alpha"], table["ci_high"])
    ax.errorbar(table["alpha"][shown], y[shown],
                xerr=[(table["alpha"] - low)[shown], (high - table["alpha"])[shown]],
                fmt="none", ecolor=INK, elinewidth=1, capsize=3)
    if not overall.empty and pd.notna(overall["alpha"].iloc[0]):  # blank unless shown
        ax.axvline(float(overall["alpha"].iloc[0]), color="#888888", linestyle="--", linewidth=1)
    marks = []
    states = np.where(hidden, "hidden", np.where(empty, "none",
                                                 np.where(missing, "not available", "shown")))
    for i, (state, n, alpha) in enumerate(zip(states, table["n_text"], table["alpha"],
                                                  strict=True)):
        mark = f"{alpha:.2f}" if state == "shown" else STATE_SYMBOLS[state]
        marks.append(mark)
        ax.text(1.02, i, f"{mark}  (n={n})", va="center", fontsize=TICK_PT - 1, color=MUTED,
                transform=ax.get_yaxis_transform())
    ax.set_yticks(y, labels)
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_xlim(min(-0.2, float(np.nanmin(low[shown])) - 0.05) if shown.any() else -0.2, 1.0)
    ax.set_xlabel("Krippendorff's ordinal alpha against the meeting's grade, with 95% "
                  "bootstrap interval", fontsize=TICK_PT)
    ax.tick_params(labelsize=TICK_PT)
    note = chart_note(states, "point", threshold, counted="pairs of grades")
    figures = pd.DataFrame({"Criterion": labels, "Pairs (n)": table["n_text"], "Alpha": marks})
    alt = (f"Dot chart of Krippendorff's ordinal alpha between agency grades and the meeting's "
           f"grade for each of {len(table)} criteria (1 is perfect agreement, 0 no better than "
           "chance)" + (f", {spread_words(spread)}." if spread else ": none can be shown.")
           + (f" {note}" if note else ""))
    return Chart(finish(fig, ax, title, despine={"left": True}), alt, figures, note)


_MEASURES = {"exact": "Exact agreement", "within_one": "Within one level", "alpha": "Ordinal alpha"}


def agreement_trend_chart(across: pd.DataFrame, labels: dict[str, str], title: str | None = None,
                          threshold: int | None = None) -> Chart:
    """Exact agreement, agreement within one level and ordinal alpha with the meeting's grade,
    one point per moderated round, oldest first; a round whose figures rest on few grades or few
    fully moderated cases has no point."""
    board = disclosure.derived_for_chart(across, list(_MEASURES), threshold)
    drawn = board[board["state"] == "shown"]
    long = drawn.melt(id_vars="round_id", value_vars=list(_MEASURES), var_name="measure",
                      value_name="value")
    long["round"] = long["round_id"].map(labels).fillna(long["round_id"])
    long["measure"] = long["measure"].map(_MEASURES)
    rounds = [labels.get(r, r) for r in drawn["round_id"]]
    if title is None:
        title = (f"Exact agreement with the meeting: {percent(drawn['exact'].iloc[0])} in "
                 f"{rounds[0]}, {percent(drawn['exact'].iloc[-1])} in {rounds[-1]}"
                 if len(drawn) >= 2 else "Agreement with the meeting over time")
    fig, ax = new_figure(672, 326)
    sns.lineplot(data=long, x="round", y="value", hue="measure", style="measure", markers=True,
                 dashes=False, sort=False, palette=list(OKABE_ITO[:3]), ax=ax)
    ax.set_ylim(min(0.0, float(long["value"].min()) - 0.05) if len(long) else 0.0, 1.0)
    ax.set_xlabel("")
    ax.set_ylabel("Agreement with the meeting", fontsize=TICK_PT)
    ax.tick_params(labelsize=TICK_PT)
    if len(long):
        ax.legend(title="", loc="lower right", fontsize=TICK_PT - 1)
    note = chart_note(board["state"], "round", threshold, counted="grades")
    figures = pd.DataFrame({
        "Round": [labels.get(r, r) for r in board["round_id"]],
        **{name: [(percent(v) if key != "alpha" else f"{v:.2f}") if s == "shown" and pd.notna(v)
                  else SUPPRESSED if s == "hidden" else ":"
                  for v, s in zip(board[key], board["state"], strict=True)]
           for key, name in _MEASURES.items()}})
    alt = (f"Line chart of agreement with the meeting's grade in {len(drawn)} moderated rounds: "
           + "; ".join(f"{r}: exact {percent(e)}, within one level {percent(w)}"
                       for r, e, w in zip(rounds, drawn["exact"], drawn["within_one"], strict=True))
           + "." + (f" {note}" if note else ""))
    return Chart(finish(fig, ax, title, despine={}), alt, figures, note)
