"""A criterion × agency table with its totals, as a board may see it.

The table a heatmap draws is the one a reader can do sums on: each criterion's agencies add up to
the criterion's total, each agency's criteria to the agency's, and both to the grand total. A small
cell hidden on its own would come back by subtraction, so the table is protected as a whole
(:func:`~.secondary.protect` over :func:`~.secondary.cross_equations`), and the chart and the text
forms share that one pattern.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .rules import (
    NOT_ANSWERED,
    figure_hidden,
    format_interval,
    format_share,
    states,
    text_where,
)
from .secondary import cross_equations, protect

#: What a total row or column is called where the table has no word of its own for it.
TOTAL = "Total"


_ABSENT = ("not available", NOT_ANSWERED)


def _layout(frame: pd.DataFrame, rows: str, columns: str, threshold: int | None,
            total: str, absent: str) -> pd.DataFrame:
    """The table in long form, totals included, with each cell's figures and ``state``."""
    row_keys = list(dict.fromkeys(frame[rows].tolist()))
    col_keys = list(dict.fromkeys(frame[columns].tolist()))
    height, width = len(row_keys) + 1, len(col_keys) + 1
    sums = frame.groupby([rows, columns], sort=False)[["n", "good"]].sum()
    n = np.zeros((height, width))
    good = np.zeros((height, width))
    present = np.zeros((height, width), dtype=bool)
    has_cases = "cases" in frame
    cases = np.zeros((height, width))
    place_r = {k: i for i, k in enumerate(row_keys)}
    place_c = {k: j for j, k in enumerate(col_keys)}
    for (r, c), figures in sums.iterrows():
        i, j = place_r[r], place_c[c]
        n[i, j], good[i, j], present[i, j] = figures["n"], figures["good"], True
    if has_cases:
        for (r, c), value in frame.groupby([rows, columns], sort=False)["cases"].max().items():
            cases[place_r[r], place_c[c]] = value
    for grid in (n, good):
        grid[:-1, -1] = grid[:-1, :-1].sum(axis=1)
        grid[-1, :] = grid[:-1, :].sum(axis=0)
    # the distinct cases behind a total are at least as many as behind its largest cell
    cases[:-1, -1] = cases[:-1, :-1].max(axis=1, initial=0)
    cases[-1, :] = cases[:-1, :].max(axis=0, initial=0)
    present[:, -1] = present[-1, :] = True
    figures = pd.DataFrame({"n": n.ravel(), "good": good.ravel()})
    if has_cases:
        figures["cases"] = cases.ravel()
    hidden = protect(cross_equations(height - 1, width - 1), figure_hidden(figures, threshold),
                     n.ravel(), present.ravel() & (n.ravel() > 0))
    if absent not in _ABSENT:
        raise ValueError(f"absent must be one of {_ABSENT}, not {absent!r}")
    state = np.where(present.ravel(), states(hidden, n.ravel()), absent)
    from ..stats import wilson_intervals  # statsmodels, only when a table is drawn

    low, high = wilson_intervals(good.ravel(), n.ravel())
    share = np.divide(good.ravel(), n.ravel(), out=np.full(n.size, np.nan), where=n.ravel() > 0)
    label_of = (frame.drop_duplicates(rows).set_index(rows)["label"].to_dict()
                if "label" in frame else {})
    margin = np.full((height, width), "", dtype=object)
    margin[:-1, -1], margin[-1, :-1], margin[-1, -1] = "row total", "column total", "grand total"
    row_of = [*row_keys, total]
    col_of = [*col_keys, total]
    out = pd.DataFrame({
        rows: [row_of[i] for i in range(height) for _ in range(width)],
        columns: [col_of[j] for _ in range(height) for j in range(width)],
        "margin": margin.ravel(),
        "n": n.ravel(), "good": good.ravel(), "share": share, "ci_low": low, "ci_high": high,
        "state": state,
    })
    if label_of:
        out.insert(1, "label", [label_of.get(k, total) for k in out[rows]])
    return out


def cross_table_for_board(frame: pd.DataFrame, rows: str = "key", columns: str = "agency",
                          threshold: int | None = None, total: str = TOTAL,
                          absent: str = "not available") -> pd.DataFrame:
    """A criterion × agency table (one row of ``frame`` per pair, with ``n``, ``good`` and maybe
    ``cases`` and ``label``) in long form with its totals (``margin``: "", "row total", "column
    total", "grand total"; a total's key is ``total``), as text: ``n``, ``share``, ``interval`` and
    ``state``. Small cells are hidden (``c``), and so are as many others as it takes that none can
    be worked out from the totals; a pair the frame does not have is ``x`` (not available), or
    ``z`` with ``absent="not answered"`` where the frame holds every pair an agency answers; a
    pair with nothing graded is ``:``. Totals are the sums of the cells (``cases`` of a total: its largest
    cell's, a lower bound), so the table adds up on its own."""
    table = _layout(frame, rows, columns, threshold, total, absent)
    state = table["state"].to_numpy()
    n_text = text_where(state, (f"{int(v):,}" for v in table["n"]))
    n_text = ["0" if s == "none" else t for s, t in zip(state, n_text, strict=True)]
    return table.drop(columns=["n", "good", "share", "ci_low", "ci_high", "state"]).assign(
        n=n_text,
        share=text_where(state, (format_share(v) for v in table["share"])),
        interval=text_where(state, (format_interval(lo, hi) for lo, hi
                                    in zip(table["ci_low"], table["ci_high"], strict=True))),
        state=state)


def cross_table_for_chart(frame: pd.DataFrame, rows: str = "key", columns: str = "agency",
                          threshold: int | None = None, total: str = TOTAL,
                          absent: str = "not available") -> pd.DataFrame:
    """The table of :func:`cross_table_for_board` as a heatmap may draw it: ``share``, ``ci_low``
    and ``ci_high`` blank wherever the cell is not shown, ``n_text`` and ``state``."""
    table = _layout(frame, rows, columns, threshold, total, absent)
    state = table["state"].to_numpy()
    n_text = text_where(state, (f"{int(v):,}" for v in table["n"]))
    n_text = ["0" if s == "none" else t for s, t in zip(state, n_text, strict=True)]
    shown = state == "shown"
    return table.assign(**{c: table[c].where(shown) for c in ("share", "ci_low", "ci_high")},
                        n_text=n_text).drop(columns=["n", "good"])
