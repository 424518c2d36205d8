"""The report's charts, drawn from the chart forms of :mod:`caseaudit.disclosure` only.

A chart here is given a ``*_for_chart`` frame (shares and intervals already blank wherever the
board forms hide them, ``n_text`` and ``state``), never a results frame, so it cannot draw a bar
or point that the report's tables write as ``c``: that includes figures hidden by secondary
suppression (a criterion hidden so that another cannot be worked out from its domain). Each chart
comes with its text alternative, which states every figure as the chart shows it and says what it
leaves out (:func:`caseaudit.disclosure.chart_note`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import disclosure, plots
from .model import Chart

#: Okabe-Ito blue and the ink of the text: readable in greyscale and by colour-blind readers
BAR = "#0072B2"
INK = "#222222"
MUTED = "#555555"
WIDTH_IN = 8.0


def _figure(height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    return fig, fig.subplots()


def _said(state: str, share: float, low: float, high: float, n: str) -> str:
    if state == "shown":
        return f"{share:.0%} (95% interval {low:.0%} to {high:.0%}), n={n}"
    symbol = disclosure.STATE_SYMBOLS.get(state, disclosure.SUPPRESSED)
    return f"not drawn ({symbol}), n={n}"


def _chart(fig: Figure, title: str, alt: str) -> Chart:
    width, height = (float(v) for v in fig.get_size_inches())
    return Chart(title=title, png=plots.figure_png(fig), alt=alt, width_in=width, height_in=height)


def share_bars(drawn: pd.DataFrame, title: str, what: str) -> Chart:
    """Horizontal bars of good-or-better shares with 95% intervals, one per row of ``drawn`` (a
    ``good_or_better_for_chart`` or ``breakdowns_for_chart`` frame with a ``label``); a row not
    shown has no bar and says its symbol where the bar would be. ``what`` names the rows in the
    alt text ("criterion", "group")."""
    drawn = drawn.reset_index(drop=True)
    fig, ax = _figure(max(2.2, 0.34 * len(drawn) + 1.1))
    y = np.arange(len(drawn))
    shown = (drawn["state"] == "shown").to_numpy()
    share = drawn["share"].to_numpy(dtype=float) * 100
    ax.barh(y[shown], share[shown], color=BAR, height=0.7)
    ax.errorbar(share[shown], y[shown],
                xerr=[share[shown] - drawn["ci_low"].to_numpy(dtype=float)[shown] * 100,
                      drawn["ci_high"].to_numpy(dtype=float)[shown] * 100 - share[shown]],
                fmt="none", ecolor=INK, elinewidth=1, capsize=3)
    for i, (state, value, n) in enumerate(zip(drawn["state"], share, drawn["n_text"], strict=True)):
        note = (f"{value:.0f}%  n={n}" if state == "shown" else
                f"{disclosure.STATE_SYMBOLS.get(state, disclosure.SUPPRESSED)}  n={n}")
        ax.text(101, i, note, va="center", fontsize=8, color=MUTED)
    ax.set_yticks(y, [str(v) for v in drawn["label"]], fontsize=8)
    ax.set_ylim(len(drawn) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Good or better (%), with 95% interval", fontsize=9)
    ax.set_title(title, loc="left", fontsize=10)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    said = [f"{label}: {_said(s, v, lo, hi, n)}" for label, s, v, lo, hi, n in zip(
        drawn["label"], drawn["state"], drawn["share"], drawn["ci_low"], drawn["ci_high"],
        drawn["n_text"], strict=True)]
    note = disclosure.chart_note(drawn["state"], "bar")
    alt = (f"Bar chart, {title}: the share of judgements good or better for each {what}, with its "
           f"95% interval. " + "; ".join(said) + "." + (f" {note}" if note else ""))
    return _chart(fig, title, alt)


def trend_lines(drawn: pd.DataFrame, rounds: Sequence[str], labels: dict[str, str],
                title: str) -> Chart:
    """A small panel per area (``label``) with its share across ``rounds`` (oldest first) and the
    95% interval as a band, from a ``trend_for_chart`` frame: each panel is named, so no colour
    has to say which line is which, and a round whose figure is not shown has no point (the line
    breaks there rather than running through it)."""
    areas = list(dict.fromkeys(drawn["label"]))
    columns = min(4, len(areas))
    lines = -(-len(areas) // columns)
    fig = Figure(figsize=(WIDTH_IN, 0.4 + 1.9 * lines), layout="constrained")
    axes = fig.subplots(lines, columns, sharex=True, sharey=True, squeeze=False).ravel()
    x = np.arange(len(rounds))
    said = []
    for ax, label in zip(axes, areas, strict=False):
        rows = drawn[drawn["label"] == label].set_index("round_id").reindex(list(rounds))
        share = rows["share"].to_numpy(dtype=float) * 100
        ax.fill_between(x, rows["ci_low"].to_numpy(dtype=float) * 100,
                        rows["ci_high"].to_numpy(dtype=float) * 100, color=BAR, alpha=0.15,
                        linewidth=0)
        ax.plot(x, share, marker="o", markersize=4, color=BAR, linewidth=1.6)
        for xi, state in zip(x, rows["state"].fillna("none"), strict=True):
            if state != "shown":  # where the point would be, its symbol
                ax.text(xi, 4, disclosure.STATE_SYMBOLS.get(str(state), disclosure.SUPPRESSED),
                        ha="center", fontsize=8, color=MUTED)
        ax.set_title(textwrap.shorten(str(label), 30, placeholder="…"), fontsize=8, loc="left")
        ax.set_ylim(0, 100)
        ax.set_xlim(-0.3, len(rounds) - 0.7)
        ax.set_xticks(x, [labels.get(r, r) for r in rounds], fontsize=6.5)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        points = [f"{labels.get(r, r)} {_said(str(s), v, lo, hi, str(n))}"
                  for r, s, v, lo, hi, n in zip(rounds, rows["state"].fillna("none"), rows["share"],
                                                rows["ci_low"], rows["ci_high"],
                                                rows["n_text"].fillna(":"), strict=True)]
        said.append(f"{label}: " + ", ".join(points))
    for ax in axes[len(areas):]:
        ax.set_visible(False)
    fig.suptitle(title, x=0.01, ha="left", fontsize=10)
    fig.supylabel("Good or better (%)", fontsize=8)
    note = disclosure.chart_note(drawn["state"], "point")
    alt = (f"Line charts, {title}: for each area, the share of judgements good or better in each "
           "round, with its 95% interval as a band. " + "; ".join(said) + "."
           + (f" {note}" if note else ""))
    return _chart(fig, title, alt)
