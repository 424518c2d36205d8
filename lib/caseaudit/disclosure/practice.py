"""Board-facing forms of the practice frames: good-or-better, change, trend, breakdowns, strengths.

Each ``*_for_board`` function returns the frame's descriptive columns as they are, its figures as
text (a number, or the symbol of :data:`~.rules.SYMBOLS` that stands for it) and each row's
``state`` ("shown", "hidden", "none", "not comparable", "not available"). Each ``*_for_chart``
function returns numbers, blank (NaN) wherever the figure is not shown, with ``state`` and
``n_text``, so a chart cannot draw what a table would hide; :func:`~.rules.chart_note` says what it
left out. Which rows are hidden is decided in :mod:`.hierarchy`, the same way for every view.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

import numpy as np
import pandas as pd

from .hierarchy import board_hidden, breakdown_hidden, round_hidden, rounds_hidden
from .rules import (
    NOT_COMPARABLE,
    NOTHING,
    STATE_SYMBOLS,
    format_count,
    format_difference,
    format_difference_interval,
    format_interval,
    format_share,
    states,
    text_where,
)

_FIGURES = ("n", "good", "share", "ci_low", "ci_high", "cases")
#: A round's id and its own good-or-better frame (``RoundResults.good_or_better``), for views of
#: several rounds that must hide whatever each round's page hides.
Pages = Mapping[str, pd.DataFrame] | None


def _state(rows: pd.DataFrame, hidden: np.ndarray, n: str = "n", share: str = "share") -> np.ndarray:
    """:func:`~.rules.states`, and ``not available`` where a graded row has no share."""
    state = states(hidden, rows[n].to_numpy(dtype=float))
    missing = rows[share].isna().to_numpy() if share in rows else np.zeros(len(rows), dtype=bool)
    return np.where((state == "shown") & missing, "not available", state)


def _count_text(values: pd.Series, state: np.ndarray, threshold: int | None) -> list[str]:
    """A count where its row is shown (a true zero as 0), the row's symbol where hidden; where
    nothing was graded, the count through :func:`~.rules.format_count` (0 stays 0)."""
    out = []
    for value, s in zip(values, state, strict=True):
        if s == "shown" or s == "not available":
            out.append(NOTHING if pd.isna(value) else f"{int(value):,}")
        elif s == "none":
            out.append(format_count(value, threshold))
        else:
            out.append(STATE_SYMBOLS[s])
    return out


def _figures_text(rows: pd.DataFrame, state: np.ndarray, threshold: int | None) -> pd.DataFrame:
    """The descriptive columns as they are, the figures as text, and ``state``."""
    out = rows.drop(columns=[c for c in _FIGURES if c in rows]).copy()
    for count in ("n", "good", "cases"):
        if count in rows:
            out[count] = _count_text(rows[count], state, threshold)
    out["share"] = text_where(state, (format_share(v) for v in rows["share"]))
    out["interval"] = text_where(state, (format_interval(lo, hi) for lo, hi
                                         in zip(rows["ci_low"], rows["ci_high"], strict=True)))
    out["state"] = state
    return out


def _figures_chart(rows: pd.DataFrame, state: np.ndarray, threshold: int | None) -> pd.DataFrame:
    """The frame with its shares and intervals blank where not shown, ``n_text`` and ``state``;
    the counts themselves are dropped (a chart writes n from ``n_text``)."""
    shown = state == "shown"
    out = rows.assign(**{c: rows[c].where(shown) for c in ("share", "ci_low", "ci_high") if c in rows},
                      n_text=_count_text(rows["n"], state, threshold), state=state)
    return out.drop(columns=[c for c in ("n", "good", "cases") if c in out])


# -- good or better ------------------------------------------------------------------------------


def good_or_better_for_board(frame: pd.DataFrame, threshold: int | None = None,
                             also: np.ndarray | None = None) -> pd.DataFrame:
    """``RoundResults.good_or_better`` as text: n, good, cases, share and its interval (``interval``),
    with every row that is small, rests on few cases, or would let one be worked out (criteria add
    up to their domain) hidden as ``c``. ``ci_low`` and ``ci_high`` give way to ``interval``.
    ``also`` marks rows hidden for a reason outside the frame (other figures on the same page)."""
    rows = frame.reset_index(drop=True)
    return _figures_text(rows, _state(rows, rounds_hidden(rows, threshold, also=also)), threshold)


def good_or_better_for_chart(frame: pd.DataFrame, threshold: int | None = None,
                             also: np.ndarray | None = None) -> pd.DataFrame:
    """``RoundResults.good_or_better`` as a chart may draw it: share, ci_low and ci_high blank
    where the row is not shown (the same rows :func:`good_or_better_for_board` hides)."""
    rows = frame.reset_index(drop=True)
    return _figures_chart(rows, _state(rows, rounds_hidden(rows, threshold, also=also)), threshold)


# -- change between two rounds -------------------------------------------------------------------

_SIDES = ("before", "after")


def _side_states(rows: pd.DataFrame, threshold: int | None, pages: Pages) -> dict[str, np.ndarray]:
    """Each round's rows hidden as that round's own page hides them."""
    out = {}
    for side in _SIDES:
        cases = f"cases_{side}" if f"cases_{side}" in rows else None
        hidden = rounds_hidden(rows, threshold, f"round_{side}", f"n_{side}", f"good_{side}", cases,
                               pages)
        out[side] = _state(rows, hidden, f"n_{side}", f"share_{side}")
    return out


def _difference_state(rows: pd.DataFrame, sides: dict[str, np.ndarray]) -> np.ndarray:
    """A difference is shown only where both its rounds are: a shown difference beside one shown
    share would give the other back. ``z`` (not comparable) where the criterion changed between
    them."""
    before, after = sides["before"], sides["after"]
    state = np.where((before == "none") | (after == "none"), "none",
                     np.where((before == "shown") & (after == "shown"), "shown", "hidden"))
    state = np.where((before == "not available") | (after == "not available"), "not available", state)
    state = np.where((state == "shown") & rows["difference"].isna().to_numpy(), "not available", state)
    comparable = rows["verdict"].astype(str).to_numpy() != NOT_COMPARABLE
    return np.where(comparable, state, NOT_COMPARABLE)


def _verdict_text(verdicts: pd.Series, state: np.ndarray) -> list[str]:
    return [str(v) if s in ("shown", NOT_COMPARABLE) else STATE_SYMBOLS[s]
            for v, s in zip(verdicts, state, strict=True)]


def change_for_board(frame: pd.DataFrame, threshold: int | None = None, pages: Pages = None
                    ) -> pd.DataFrame:
    """``RoundResults.change`` as text: each round's n and share (``c`` where that round's page
    hides it), the difference in percentage points, its interval and the verdict, hidden wherever
    either round is (``z`` where the rounds are not comparable); with ``state_before``,
    ``state_after`` and ``state`` (the difference's). Give ``pages`` (each round's id and its
    ``good_or_better`` frame) so that whatever a round's page hides is hidden here too: a change
    leaves out criteria new in the later round, so it cannot see every sum the page protects."""
    rows = frame.reset_index(drop=True)
    sides = _side_states(rows, threshold, pages)
    state = _difference_state(rows, sides)
    keep = [c for c in ("level", "key", "label", "domain", "round_before", "round_after") if c in rows]
    out = rows[keep].copy()
    for side in _SIDES:
        out[f"n_{side}"] = _count_text(rows[f"n_{side}"], sides[side], threshold)
        out[f"share_{side}"] = text_where(sides[side], (format_share(v) for v in rows[f"share_{side}"]))
    out["difference"] = text_where(state, (format_difference(v) for v in rows["difference"]))
    out["interval"] = text_where(state, (format_difference_interval(lo, hi) for lo, hi
                                         in zip(rows["diff_low"], rows["diff_high"], strict=True)))
    out["verdict"] = _verdict_text(rows["verdict"], state)
    out["state_before"], out["state_after"], out["state"] = sides["before"], sides["after"], state
    return out


def change_for_chart(frame: pd.DataFrame, threshold: int | None = None, pages: Pages = None
                    ) -> pd.DataFrame:
    """``RoundResults.change`` as a chart may draw it: each round's share blank where that round
    hides it, the difference and its interval blank unless both are shown, ``n_before_text``,
    ``n_after_text``, the verdict as :func:`change_for_board` writes it, and the three states."""
    rows = frame.reset_index(drop=True)
    sides = _side_states(rows, threshold, pages)
    state = _difference_state(rows, sides)
    out = rows.assign(
        **{f"share_{s}": rows[f"share_{s}"].where(sides[s] == "shown") for s in _SIDES},
        **{c: rows[c].where(state == "shown") for c in ("difference", "diff_low", "diff_high")},
        **{f"n_{s}_text": _count_text(rows[f"n_{s}"], sides[s], threshold) for s in _SIDES},
        verdict=_verdict_text(rows["verdict"], state),
        state_before=sides["before"], state_after=sides["after"], state=state)
    return out.drop(columns=[c for s in _SIDES for c in (f"n_{s}", f"good_{s}", f"cases_{s}") if c in out])


# -- trend across rounds -------------------------------------------------------------------------


def _trend_states(rows: pd.DataFrame, threshold: int | None, pages: Pages
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Each point's state, and its verdict's: a verdict against the previous round of the same
    figure is hidden when either point is, as a difference would be."""
    state = _state(rows, rounds_hidden(rows, threshold, pages=pages))
    verdict = state.copy()
    ids = [c for c in ("level", "key") if c in rows]
    if ids:
        for _, positions in rows.groupby(ids, sort=False).indices.items():
            for before, after in pairwise(positions):
                if state[before] != "shown" and verdict[after] == "shown":
                    verdict[after] = "hidden" if state[before] == "hidden" else state[before]
    return state, verdict


def _trend_verdicts(verdicts: pd.Series, state: np.ndarray) -> list[str]:
    """Each verdict where shown; "" (the first round) and "not comparable" say nothing of a figure."""
    return [v if v in ("", NOT_COMPARABLE) or s == "shown" else STATE_SYMBOLS[s]
            for v, s in zip(verdicts.fillna("").astype(str), state, strict=True)]


def trend_for_board(frame: pd.DataFrame, threshold: int | None = None, pages: Pages = None
                   ) -> pd.DataFrame:
    """``RoundResults.practice_trend`` as text (as :func:`good_or_better_for_board`, one row per
    round), with the verdict hidden wherever its point or the previous one is; ``verdict_state``."""
    rows = frame.reset_index(drop=True)
    state, verdict = _trend_states(rows, threshold, pages)
    out = _figures_text(rows, state, threshold)
    out["verdict"] = _trend_verdicts(rows["verdict"], verdict)
    out["verdict_state"] = verdict
    return out


def trend_for_chart(frame: pd.DataFrame, threshold: int | None = None, pages: Pages = None
                   ) -> pd.DataFrame:
    """``RoundResults.practice_trend`` as a line chart may draw it: each round's share and interval
    blank where not shown (the line breaks there rather than running through a hidden point), the
    verdict as :func:`trend_for_board` writes it, ``n_text``, ``state`` and ``verdict_state``.
    ``pages`` as for :func:`change_for_board`."""
    rows = frame.reset_index(drop=True)
    state, verdict = _trend_states(rows, threshold, pages)
    out = _figures_chart(rows, state, threshold)
    out["verdict"] = _trend_verdicts(rows["verdict"], verdict)
    out["verdict_state"] = verdict
    return out


# -- breakdowns by case attribute ----------------------------------------------------------------


def breakdowns_for_board(frame: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """``RoundResults.breakdowns`` as text. Groups of an attribute add up to the whole, so where
    one group is hidden the next smallest is hidden too (unless the whole is): a board sees "c"
    for disabled children's cases in a group of four, and cannot get it back from the others."""
    rows = frame.reset_index(drop=True)
    return _figures_text(rows, _state(rows, breakdown_hidden(rows, threshold)), threshold)


def breakdowns_for_chart(frame: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """``RoundResults.breakdowns`` as a chart may draw it (the rows :func:`breakdowns_for_board`
    hides are blank)."""
    rows = frame.reset_index(drop=True)
    return _figures_chart(rows, _state(rows, breakdown_hidden(rows, threshold)), threshold)


# -- strengths and areas for development ---------------------------------------------------------


def strengths_for_board(frame: pd.DataFrame, threshold: int | None = None,
                        good_or_better: pd.DataFrame | None = None) -> pd.DataFrame:
    """``RoundResults.strengths`` as text. A criterion stays on the list with ``c`` for its figures
    where they are hidden (a weak area matters most when few were good); pass the round's
    ``good_or_better`` frame (or its board form) so a criterion hidden there to protect another is
    hidden here too."""
    rows = frame.reset_index(drop=True)
    hidden = round_hidden(rows.drop(columns=["level"], errors="ignore"), threshold)
    if good_or_better is not None and len(good_or_better):
        table = good_or_better.reset_index(drop=True)
        secret = board_hidden(table, threshold)
        criteria = table["level"].astype(str).to_numpy() == "criterion"
        hidden_ids = set(table.loc[criteria & secret, "key"].astype(str))
        hidden |= rows["criterion_id"].astype(str).isin(hidden_ids).to_numpy()
    return _figures_text(rows, _state(rows, hidden), threshold)

