"""Practice across rounds and across groups of children: a trend line with its interval band per
domain or criterion, and the good-or-better share by case attribute.

Both draw from the chart forms of :mod:`caseaudit.disclosure` (``trend_for_chart``,
``breakdowns_for_chart``): a round or group whose figure is hidden has no point, bar or band, the
chart writes ``c`` (or ``:`` where nothing was graded) where it would be, and the chart's note
says how many it left out. A verdict is written in words beside its line, never shown by colour.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import disclosure
from ..disclosure import NOT_COMPARABLE, STATE_SYMBOLS, chart_note
from ..times import listing
from .base import (
    CSS_DPI,
    GOOD,
    INK,
    MUTED,
    TICK_PT,
    Chart,
    finish,
    new_figure,
    percent,
    range_sentence,
    share_bars,
    spread_words,
)

#: Panels per row of a trend chart, and each panel's height in CSS pixels.
COLUMNS, PANEL_PX = 3, 190


def _symbol(state: str) -> str:
    return STATE_SYMBOLS.get(state, "")


def _point_text(share: float, state: str) -> str:
    return percent(share) if state == "shown" else _symbol(state)


def _verdict_words(verdict: str, previous: str | None) -> str:
    """A panel's verdict as words beside its line: the latest round against the one before."""
    if not verdict or previous is None:
        return "first round: no change to judge"
    if verdict in STATE_SYMBOLS.values():
        return f"change since {previous} not shown ({verdict})"
    if verdict == NOT_COMPARABLE:
        return f"not comparable with {previous}"
    return f"{verdict} since {previous}"


def _share_columns(rows: pd.DataFrame) -> dict[str, list[str]]:
    """A chart form's share and interval as its table of figures writes them, a symbol where
    the figure is not shown."""
    return {"Good or better": [_point_text(s, st) for s, st in zip(rows["share"], rows["state"],
                                                                   strict=True)],
            "95% interval": [f"{lo:.0%} – {hi:.0%}" if st == "shown" else _symbol(st)
                             for lo, hi, st in zip(rows["ci_low"], rows["ci_high"], rows["state"],
                                                   strict=True)]}


def _areas(levels: list[str]) -> str:
    return {"domain": "domains", "criterion": "criteria"}.get(levels[0], "areas") \
        if len(levels) == 1 else "areas"


def trend_chart(trend: pd.DataFrame, level: str | Sequence[str] = "domain", domain: str | None = None,
                title: str | None = None, threshold: int | None = None,
                pages: Mapping[str, pd.DataFrame] | None = None) -> Chart:
    """Small multiples, one per domain (``level="domain"``), per criterion of ``domain``, or per
    area of several levels (``("overall", "domain")``): the good-or-better share in each round
    with its 95% band, and the latest verdict written beside.

    ``trend`` is ``RoundResults.practice_trend`` (every round of the framework, oldest first);
    ``pages`` each round's good-or-better frame, so a point its round's page hides is hidden here
    (:func:`caseaudit.disclosure.trend_for_chart`).
    """
    board = disclosure.trend_for_chart(trend, threshold, pages=pages)
    levels = [level] if isinstance(level, str) else list(level)
    rows = board[board["level"].isin(levels)]
    if domain is not None:
        rows = rows[rows["domain"] == domain]
    rows = rows.reset_index(drop=True)
    keys = list(dict.fromkeys(rows["key"]))
    rounds = list(dict.fromkeys(rows["round_label"]))
    latest = rows.groupby("key", sort=False).tail(1).set_index("key")
    previous = rounds[-2] if len(rounds) >= 2 else None
    moved = latest[latest["verdict"].isin(["improved", "declined"])]
    if title is None:
        if previous is None:
            title = "Only one round so far: no trend yet"
        elif len(moved):
            title = f"Since {previous}: " + "; ".join(
                f"{listing(list(moved.loc[moved['verdict'] == word, 'label']))} {word}"
                for word in ("improved", "declined") if (moved["verdict"] == word).any())
        else:
            title = f"No clear change since {previous} in any of these {len(keys)}"
    columns = min(COLUMNS, max(1, len(keys)))
    lines = max(1, math.ceil(len(keys) / columns))
    fig = Figure(figsize=(864 / CSS_DPI, (PANEL_PX * lines + 70) / CSS_DPI), layout="constrained")
    axes = fig.subplots(lines, columns, sharex=True, sharey=True, squeeze=False).ravel()
    x = np.arange(len(rounds))
    for ax, key in zip(axes, keys, strict=False):
        mine = rows[rows["key"] == key].set_index("round_label").reindex(rounds)
        share = mine["share"].to_numpy(dtype=float) * 100
        ax.fill_between(x, mine["ci_low"].to_numpy(dtype=float) * 100,
                        mine["ci_high"].to_numpy(dtype=float) * 100, color=GOOD, alpha=0.2,
                        linewidth=0)
        ax.plot(x, share, color=GOOD, marker="o", markersize=4, linewidth=1.8)
        for i, state in enumerate(mine["state"].fillna("none")):
            if state != "shown":  # the point is not drawn: say why where it would be
                ax.text(i, 6, _symbol(state), ha="center", fontsize=TICK_PT, color=INK)
        label = textwrap.shorten(str(mine["label"].dropna().iloc[0]), 44, placeholder="…")
        ax.set_title(f"{label}\n{_verdict_words(str(latest.loc[key, 'verdict']), previous)}",
                     loc="left", fontsize=TICK_PT, color=INK)
        ax.set_ylim(0, 100)
        ax.set_xticks(x, rounds, fontsize=TICK_PT - 1)
        ax.tick_params(axis="x", labelbottom=True)  # every panel names its rounds
        ax.tick_params(labelsize=TICK_PT - 1)
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in axes[len(keys):]:
        ax.set_visible(False)
    axes[0].set_ylabel("Good or better (%)", fontsize=TICK_PT - 1)
    note = chart_note(rows["state"], "point", threshold)
    figures = pd.DataFrame({
        "Area": rows["label"], "Round": rows["round_label"],
        **_share_columns(rows), "n": rows["n_text"], "Verdict": rows["verdict"]})
    said = "; ".join(
        f"{r.label}: " + ", ".join(f"{rl} {_point_text(s, st)}" for rl, s, st in zip(
            rows.loc[rows["key"] == k, "round_label"], rows.loc[rows["key"] == k, "share"],
            rows.loc[rows["key"] == k, "state"], strict=True))
        + (f" ({r.verdict})" if r.verdict else "")
        for k, r in latest.iterrows())
    alt = (f"Line charts of the good-or-better share in each of {len(rounds)} rounds, with 95% "
           f"interval bands, for {len(keys)} {_areas(levels)}. "
           f"{said}." + (f" {note}" if note else ""))
    return Chart(finish(fig, axes[0], title, despine=None), alt, figures, note)


def breakdown_chart(breakdowns: pd.DataFrame, attribute: str, title: str | None = None,
                    threshold: int | None = None) -> Chart:
    """Bars of the good-or-better share over the round for each group of ``attribute`` (say
    ``"disability"``), with 95% Wilson intervals and n; hidden groups say ``c`` and are not drawn.

    ``breakdowns`` is ``RoundResults.breakdowns``; disclosure is applied to the whole frame, so a
    group hidden to protect another stays hidden here.
    """
    board = disclosure.breakdowns_for_chart(breakdowns, threshold)
    rows = board[(board["attribute"] == attribute) & (board["level"] == "overall")]
    rows = rows.reset_index(drop=True)
    name = str(rows["attribute_label"].iloc[0]) if len(rows) else attribute
    spread = range_sentence(rows["group"].astype(str), rows["share"])
    if title is None:
        title = (f"Good or better by {name.lower()}: {spread_words(spread)}" if spread
                 else f"Good or better by {name.lower()}: too few cases to draw")
    fig, ax = new_figure(672, max(170, 34 * len(rows) + 100))
    y = share_bars(ax, rows)
    for i, (s, state, n) in enumerate(zip(rows["share"], rows["state"], rows["n_text"],
                                          strict=True)):
        ax.text(101, i, f"{_point_text(s, state)}  n={n}", va="center", fontsize=TICK_PT - 1,
                color=MUTED)
    ax.set_yticks(y, rows["group"].astype(str))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Good or better (%), with 95% Wilson interval", fontsize=TICK_PT)
    ax.tick_params(labelsize=TICK_PT)
    note = chart_note(rows["state"], "bar", threshold)
    figures = pd.DataFrame({
        "Group": rows["group"], "Judgements (n)": rows["n_text"],
        **_share_columns(rows)})
    alt = (f"Bar chart of the share of judgements good or better by {name.lower()}, for "
           f"{len(rows)} groups" + (f": {spread_words(spread)}." if spread
                                    else ": no share can be shown.")
           + (f" {note}" if note else ""))
    return Chart(finish(fig, ax, title, despine={"left": True}), alt, figures, note)
