"""Change across rounds of one framework: the difference in good-or-better share, its interval,
and a verdict in words that never claims more than the figures hold.

The rules, in the order they are applied:

* **not comparable**: the framework version changed the criterion between the two rounds (its
  question, its scale's levels or which of them count as good or better), or the criterion is in
  only one of them. A domain is comparable only when it holds the same criteria in both versions,
  each comparable; the whole round only when every criterion is. A changed question measures
  something else, so no difference is given at all.
* **improved** / **declined**: the 95% interval for the difference (Newcombe's method 10, built
  from the two rounds' Wilson intervals) lies wholly above / below zero.
* **no clear change**: anything else, including a side with nothing graded. An audit sample of
  a few dozen cases moves by chance from round to round; a difference whose interval spans zero
  is not reported as a change in practice.

Functions of frames only (:func:`caseaudit.analysis.good_or_better` output per round), tested on
frames written by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .framework import Framework
from .stats import newcombe_intervals

IMPROVED = "improved"
DECLINED = "declined"
NO_CLEAR_CHANGE = "no clear change"
NOT_COMPARABLE = "not comparable"

#: The levels a change or trend is given for (an agency's figures follow the agency's own
#: grades, which the rounds' case samples do not hold steady).
LEVELS = ("overall", "domain", "criterion")

CHANGE_COLUMNS = ["level", "key", "label", "domain", "round_before", "round_after", "n_before",
                  "good_before", "share_before", "cases_before", "n_after", "good_after",
                  "share_after", "cases_after", "difference", "diff_low", "diff_high", "verdict"]
TREND_COLUMNS = ["level", "key", "label", "domain", "round_id", "round_label", "n", "good",
                 "share", "ci_low", "ci_high", "cases", "verdict"]


@dataclass(frozen=True)
class RoundFigures:
    """One round's good-or-better figures with what a comparison needs to know about them."""

    round_id: str
    label: str
    framework: Framework
    good_or_better: pd.DataFrame


def _criterion_definition(framework: Framework, criterion_id: str) -> tuple[object, ...]:
    """What a criterion measures: its question and its scale's levels and good-or-better line
    (a reworded title or a new "what good looks like" leaves the measure as it was)."""
    criterion = framework.criteria_by_id[criterion_id]
    scale = framework.scale_of(criterion_id)
    return (criterion.question.strip(), tuple((lv.code, lv.label) for lv in scale.levels),
            frozenset(scale.good_or_better))


def comparable_keys(before: Framework, after: Framework) -> set[tuple[str, str]]:
    """The ``(level, key)`` rows of ``after`` whose figures mean the same as in ``before``."""
    if before.key == after.key:
        same = {c for c in after.criteria_by_id}
    else:
        same = {cid for cid in after.criteria_by_id if cid in before.criteria_by_id
                and _criterion_definition(before, cid) == _criterion_definition(after, cid)}
    keys = {("criterion", cid) for cid in same}
    domains_before = {d.id: {c.id for c in d.criteria} for d in before.domains}
    for domain in after.domains:
        ids = {c.id for c in domain.criteria}
        if domains_before.get(domain.id) == ids and ids <= same:
            keys.add(("domain", domain.id))
    if set(before.criteria_by_id) == set(after.criteria_by_id) == same:
        keys.add(("overall", "overall"))
    return keys


def verdicts(low: np.ndarray, high: np.ndarray, comparable: np.ndarray) -> list[str]:
    """The verdict for each difference interval ``(low, high)`` (``NaN`` when a side has no
    judgements), by the rules in this module's docstring."""
    out = []
    for lo, hi, same in zip(low, high, comparable, strict=True):
        if not same:
            out.append(NOT_COMPARABLE)
        elif lo > 0:
            out.append(IMPROVED)
        elif hi < 0:
            out.append(DECLINED)
        else:  # spans zero, or NaN
            out.append(NO_CLEAR_CHANGE)
    return out


def _levels(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["level"].isin(LEVELS)]


def change_between(before: RoundFigures, after: RoundFigures,
                   confidence: float = 0.95) -> pd.DataFrame:
    """Each overall, domain and criterion row of ``after`` beside the same row of ``before``,
    with the difference in share (after minus before), its Newcombe interval and the verdict.
    Rows of ``after`` that ``before`` lacks have ``n_before`` 0 and are not comparable."""
    figures = ["n", "good", "share", "cases"]
    old = _levels(before.good_or_better)[["level", "key", *figures]]
    new = _levels(after.good_or_better)[["level", "key", "label", "domain", *figures]]
    table = new.merge(old, on=["level", "key"], how="left", suffixes=("_after", "_before"))
    table = table.fillna({"n_before": 0, "good_before": 0, "cases_before": 0}).astype(
        {"n_before": "int64", "good_before": "int64", "cases_before": "int64"})
    low, high = newcombe_intervals(table["good_before"].to_numpy(), table["n_before"].to_numpy(),
                                   table["good_after"].to_numpy(), table["n_after"].to_numpy(),
                                   confidence)
    keys = comparable_keys(before.framework, after.framework)
    same = np.array([(lv, k) in keys for lv, k in zip(table["level"], table["key"], strict=True)],
                    dtype=bool)
    difference = (table["share_after"] - table["share_before"]).to_numpy(dtype=float)
    table = table.assign(
        round_before=before.round_id, round_after=after.round_id,
        difference=np.where(same, difference, np.nan), diff_low=np.where(same, low, np.nan),
        diff_high=np.where(same, high, np.nan), verdict=verdicts(low, high, same))
    return table[CHANGE_COLUMNS].reset_index(drop=True)


def no_change() -> pd.DataFrame:
    """The change frame of a round with no earlier round of its framework: no rows."""
    return pd.DataFrame({column: pd.Series(dtype=_dtype(column)) for column in CHANGE_COLUMNS})


def _dtype(column: str) -> str:
    if column.startswith(("n_", "good_", "cases_")):
        return "int64"
    if column.startswith(("share_", "diff")):
        return "float64"
    return "object"


def trend(rounds: Sequence[RoundFigures], confidence: float = 0.95) -> pd.DataFrame:
    """Each round's overall, domain and criterion figures, oldest first, each with its verdict
    against the round before it in ``rounds`` ("" for the first)."""
    parts = []
    for i, figures in enumerate(rounds):
        rows = _levels(figures.good_or_better)[
            ["level", "key", "label", "domain", "n", "good", "share", "ci_low", "ci_high", "cases"]]
        if i == 0:
            verdict: pd.Series | list[str] = [""] * len(rows)
        else:
            change = change_between(rounds[i - 1], figures, confidence)
            verdict = rows[["level", "key"]].merge(
                change[["level", "key", "verdict"]], on=["level", "key"], how="left")["verdict"]
            verdict = verdict.fillna(NOT_COMPARABLE).tolist()
        parts.append(rows.assign(round_id=figures.round_id, round_label=figures.label,
                                 verdict=verdict))
    if not parts:
        return pd.DataFrame(columns=TREND_COLUMNS)
    return pd.concat(parts, ignore_index=True)[TREND_COLUMNS]
