"""Charts of an inspection review: the actions of each area by status, each action's linked
criteria before and after it started, and the lines of enquiry from weakest to strongest.

The shares come from the chart forms of :mod:`caseaudit.disclosure.plan`, so a side it hides is not
drawn (its place says ``c``) and the chart's note says how many were left out; a verdict is
written in words beside its action, never shown by colour alone. The status chart draws counts of
actions, which are not about children, so it draws them all.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import disclosure
from ..disclosure import STATE_SYMBOLS, chart_note
from ..disclosure.plan import NO_CRITERION, Pages
from .base import (
    GOOD,
    INK,
    MUTED,
    NO_FIGURE,
    OKABE_ITO,
    TICK_PT,
    Chart,
    finish,
    new_figure,
    percent,
    range_sentence,
    share_bars,
    spread_words,
    text_on,
)

if TYPE_CHECKING:
    from ..review import InspectionReview

#: Each status's colour (Okabe and Ito's), in the order a plan's life runs; every segment also
#: carries its count, and the legend its name, so colour is never the only carrier.
STATUS_COLOURS = {"not started": NO_FIGURE, "on track": OKABE_ITO[2], "at risk": OKABE_ITO[1],
                  "off track": OKABE_ITO[5], "complete": OKABE_ITO[0]}


def _short(text: str, width: int = 46) -> str:
    return textwrap.shorten(str(text), width, placeholder="…")


def _count(text: str) -> int:
    return int(str(text).replace(",", ""))


def status_chart(progress: pd.DataFrame, title: str | None = None) -> Chart:
    """Stacked bars of each area's actions by status, from
    :func:`caseaudit.disclosure.progress_for_board` (its last row, all areas, is the title)."""
    areas = progress[progress["area_id"] != ""].reset_index(drop=True)
    total = progress[progress["area_id"] == ""].iloc[0]
    statuses = list(STATUS_COLOURS)
    counts = areas[statuses].map(_count)
    if title is None:
        title = (f"{total['actions']} actions: " + ", ".join(
            f"{total[s]} {s}" for s in statuses if _count(total[s])) +
            f"; {total['overdue']} overdue")
    fig, ax = new_figure(864, max(180, 30 * len(areas) + 120))
    y = np.arange(len(areas))
    left = np.zeros(len(areas))
    for status in statuses:
        values = counts[status].to_numpy(dtype=float)
        colour = STATUS_COLOURS[status]
        ax.barh(y, values, left=left, color=colour, height=0.7, label=status,
                edgecolor=MUTED if status == "not started" else colour, linewidth=0.6)
        for i, value in enumerate(values):
            if value:
                ax.text(left[i] + value / 2, i, f"{int(value)}", ha="center", va="center",
                        fontsize=TICK_PT - 1, color=text_on(colour))
        left += values
    for i, overdue in enumerate(areas["overdue"]):
        if _count(overdue):
            ax.text(left[i] + 0.1, i, f"{overdue} overdue", va="center", fontsize=TICK_PT - 1,
                    color=INK)
    ax.set_yticks(y, [_short(a, 40) for a in areas["area"]])
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.0, float(left.max())) * 1.25)
    ax.set_xlabel("Actions", fontsize=TICK_PT)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(labelsize=TICK_PT)
    ax.legend(ncols=len(statuses), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False,
              fontsize=TICK_PT - 1)
    figures = pd.DataFrame({"Area": progress["area"], "Actions": progress["actions"],
                            **{s.capitalize(): progress[s] for s in statuses},
                            "Overdue": progress["overdue"]})
    every = max(1, _count(total["actions"]))
    alt = (f"Stacked bar chart of the {total['actions']} actions of {len(areas)} areas for "
           "improvement by status: " + ", ".join(
               f"{total[s]} {s} ({_count(total[s]) / every:.0%})" for s in statuses)
           + f"; {total['overdue']} overdue.")
    return Chart(finish(fig, ax, title, despine={"left": True}), alt, figures)


def _side_mark(share: float, state: str) -> str:
    return percent(share) if state == "shown" else STATE_SYMBOLS.get(state, "")


def impact_chart(review: InspectionReview, title: str | None = None, threshold: int | None = None,
                 pages: Pages = None) -> Chart:
    """For each action with audit criteria: its criteria's good-or-better share in the rounds
    before it started (hollow) and after (filled), each with its 95% interval, and the verdict
    in words; a side not shown says ``c`` (or ``:``) where it would be."""
    drawn = disclosure.impact_for_chart(review, threshold, pages)
    board = disclosure.impact_for_board(review, threshold, pages)
    mine = ((drawn["level"] == "action")
            & (drawn["verdict"] != NO_CRITERION)).to_numpy()
    rows, text = drawn[mine].reset_index(drop=True), board[mine].reset_index(drop=True)
    if title is None:
        moved = {w: list(rows.loc[rows["verdict"] == w, "action_id"]) for w in ("improved", "declined")}
        said = [f"{', '.join(ids)} {word}" for word, ids in moved.items() if ids]
        title = ("Since the actions started: " + "; ".join(said) if said
                 else "No action shows a clear change yet")
    fig, ax = new_figure(864, max(200, 40 * len(rows) + 120))
    y = np.arange(len(rows))
    for side, offset, face in (("before", 0.17, "white"), ("after", -0.17, GOOD)):
        share = rows[f"share_{side}"].to_numpy(dtype=float) * 100
        low = rows[f"ci_low_{side}"].to_numpy(dtype=float) * 100
        high = rows[f"ci_high_{side}"].to_numpy(dtype=float) * 100
        ax.hlines(y + offset, low, high, color=INK if side == "after" else MUTED, linewidth=1.2)
        ax.scatter(share, y + offset, s=42, facecolor=face, edgecolor=GOOD, linewidth=1.5,
                   zorder=3, label=f"{side} the action started")
        for i, state in enumerate(rows[f"state_{side}"]):
            if state != "shown":
                ax.text(2, i + offset, f"{side}: {STATE_SYMBOLS.get(state, '')}", va="center",
                        fontsize=TICK_PT - 1, color=INK)
    for i, verdict in enumerate(text["verdict"]):
        ax.text(101, i, str(verdict), va="center", fontsize=TICK_PT - 1, color=INK)
    labels = [f"{a} {_short(lbl, 34)}" if not str(lbl).startswith(str(a)) else _short(lbl, 40)
              for a, lbl in zip(rows["action_id"], rows["label"], strict=True)]
    ax.set_yticks(y, labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Good or better (%), with 95% interval: hollow before the action, filled after",
                  fontsize=TICK_PT)
    ax.tick_params(labelsize=TICK_PT)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    states = pd.concat([rows["state_before"], rows["state_after"]], ignore_index=True)
    note = chart_note(states, "point", threshold)
    figures = pd.DataFrame({"Action": rows["action_id"], "Criteria": rows["criteria"],
                            "Before": text["before"], "95% interval before": text["interval_before"],
                            "After": text["after"], "95% interval after": text["interval_after"],
                            "Change": text["change"], "Verdict": text["verdict"]})
    said = "; ".join(f"{a}: {_side_mark(sb, stb)} before, {_side_mark(sa, sta)} after ({v})"
                     for a, sb, stb, sa, sta, v in zip(
                         rows["action_id"], rows["share_before"], rows["state_before"],
                         rows["share_after"], rows["state_after"], text["verdict"], strict=True))
    alt = (f"Dot chart of the good-or-better share of each of {len(rows)} actions' audit criteria "
           f"before and after the action started, with 95% intervals. {said}."
           + (f" {note}" if note else ""))
    return Chart(finish(fig, ax, title, despine={"left": True}), alt, figures, note)


def readiness_chart(review: InspectionReview, title: str | None = None, threshold: int | None = None,
                    pages: Pages = None) -> Chart:
    """Bars of each line of enquiry's good-or-better share in its latest round (its criteria
    pooled), weakest first, with 95% intervals, n and the trend in words."""
    rows = disclosure.readiness_for_chart(review, threshold, pages)
    labels = rows["line_title"].astype(str)
    spread = range_sentence(labels, rows["share"])
    if title is None:
        title = (f"Lines of enquiry, weakest first: {spread_words(spread)}" if spread
                 else "Lines of enquiry: too few judgements to draw")
    fig, ax = new_figure(864, max(170, 36 * len(rows) + 110))
    y = share_bars(ax, rows)
    for i, (s, state, n, trend) in enumerate(zip(rows["share"], rows["state"], rows["n_text"],
                                                 rows["trend"], strict=True)):
        words = f"{_side_mark(s, state)}  n={n}" + (f"  ({trend})" if trend else "")
        ax.text(101, i, words, va="center", fontsize=TICK_PT - 1, color=MUTED)
    ax.set_yticks(y, [_short(label, 40) for label in labels])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Good or better (%) in the latest round, with 95% Wilson interval",
                  fontsize=TICK_PT)
    ax.tick_params(labelsize=TICK_PT)
    note = chart_note(rows["state"], "bar", threshold)
    board = disclosure.readiness_for_board(review, threshold, pages)
    lines = board[board["level"] == "line"].reset_index(drop=True)
    figures = pd.DataFrame({"Line of enquiry": lines["line_title"], "Round": lines["round_id"],
                            "Judgements (n)": lines["n"], "Good or better": lines["share"],
                            "95% interval": lines["interval"], "Trend": lines["trend"]})
    alt = (f"Bar chart of the good-or-better share of {len(rows)} lines of enquiry in the latest "
           "round, weakest first" + (f": {spread_words(spread)}." if spread else
                                     ": no share can be shown.") + (f" {note}" if note else ""))
    return Chart(finish(fig, ax, title, despine={"left": True}), alt, figures, note)
