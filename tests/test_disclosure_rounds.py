"""Disclosure across rounds: a change between two rounds and a trend. A difference is hidden when
either round's figure is, so a hidden share never comes back as its neighbour plus the change; a
figure hidden on a round's own page (by its own counts or to protect another) is hidden at that
round on the trend and in the change too."""

from __future__ import annotations

import numpy as np
import pandas as pd

from caseaudit.disclosure import (
    change_for_board,
    change_for_chart,
    chart_note,
    good_or_better_for_board,
    share_hidden,
    symbol_key,
    trend_for_board,
    trend_for_chart,
)
from tests.disclosure_frames import good_or_better, recovered

_SIDE_COLUMNS = ("n", "good", "share", "cases")


def _change(before: pd.DataFrame, after: pd.DataFrame, verdicts: dict[str, str] | None = None
            ) -> pd.DataFrame:
    """A change frame with the contract's columns from two rounds' good-or-better frames."""
    keep = ["level", "key", "label", "domain"]
    left = before[keep + list(_SIDE_COLUMNS)].rename(columns={c: f"{c}_before" for c in _SIDE_COLUMNS})
    right = after[keep + list(_SIDE_COLUMNS)].rename(columns={c: f"{c}_after" for c in _SIDE_COLUMNS})
    frame = left.merge(right, on=keep)
    frame.insert(4, "round_before", "2025-03")
    frame.insert(5, "round_after", "2025-09")
    frame["difference"] = frame["share_after"] - frame["share_before"]
    frame["diff_low"] = frame["difference"] - 0.2
    frame["diff_high"] = frame["difference"] + 0.2
    frame["verdict"] = [(verdicts or {}).get(k, "no clear change") for k in frame["key"]]
    return frame


BEFORE = good_or_better({"1.1": (20, 10, 12), "1.2": (24, 12, 11), "1.3": (30, 15, 14)})
#: 1.1 in the later round: 11 of 13 good, so 2 not good, a small count
AFTER = good_or_better({"1.1": (13, 11, 9), "1.2": (26, 20, 12), "1.3": (31, 16, 14)})


def test_a_difference_is_hidden_when_either_round_is_so_neither_share_comes_back() -> None:
    change = _change(BEFORE, AFTER, {"1.2": "improved"})
    board = change_for_board(change).set_index("key")
    row = board.loc["1.1"]
    assert row["share_before"] == "50%" and row["n_before"] == "20"
    assert [row[c] for c in ("n_after", "share_after", "difference", "interval", "verdict")] == ["c"] * 5
    assert (row["state_before"], row["state_after"], row["state"]) == ("shown", "hidden", "hidden")
    # 1.2 is hidden in the later round to protect 1.1 (the domain adds up), so its change is too
    assert board.loc["1.2", ["share_after", "difference", "verdict"]].tolist() == ["c", "c", "c"]
    assert board.loc["1.3", ["difference", "interval", "verdict"]].tolist() == [
        "+2 points", "-18 to +22 points", "no clear change"]
    page = good_or_better_for_board(AFTER).set_index("key")
    assert (page["state"] == board["state_after"].reindex(page.index)).all()
    # no shown share plus a shown difference lands on a hidden share
    shown = change[(board["state"] == "shown").to_numpy()]
    hidden_after = set(board.index[board["state_after"] == "hidden"])
    assert not hidden_after & set(shown["key"])


def test_a_change_without_a_new_criterion_hides_what_the_round_page_hides() -> None:
    """1.4 is new in the later round, so the change has no row for it and the later round's
    criteria no longer add up to its domain there; the page hides 1.2 to protect 1.1, and a change
    showing 1.2 would let a reader take 1.1 back out of the page's domain."""
    after = good_or_better({"1.1": (13, 11, 9), "1.2": (26, 20, 12), "1.3": (31, 16, 14),
                            "1.4": (40, 20, 15)})
    page = good_or_better_for_board(after).set_index("key")
    assert page.loc["1.2", "state"] == "hidden"
    change = _change(BEFORE, after)
    alone = change_for_board(change).set_index("key")
    assert alone.loc["1.2", "share_after"] == "77%"  # the leak the pages close
    board = change_for_board(change, pages={"2025-09": after}).set_index("key")
    assert board.loc["1.2", ["share_after", "difference"]].tolist() == ["c", "c"]
    # a reader with both views: shown n after from either, the page's domain equation
    shown = set(page.index[page["state"] == "shown"]) | set(board.index[board["state_after"] == "shown"])
    values = after.set_index("key")["n"].to_dict()
    hidden = set(values) - shown
    assert recovered(values, hidden, [("1", ["1.1", "1.2", "1.3", "1.4"])]) == set()
    chart = change_for_chart(change, pages={"2025-09": after}).set_index("key")
    assert np.isnan(chart.loc["1.2", "share_after"]) and chart.loc["1.2", "n_after_text"] == "c"


def test_the_change_chart_blanks_what_the_table_hides() -> None:
    change = _change(BEFORE, AFTER)
    chart = change_for_chart(change).set_index("key")
    assert np.isnan(chart.loc["1.1", ["share_after", "difference", "diff_low", "diff_high"]]
                    .astype(float)).all()
    assert chart.loc["1.1", "share_before"] == 0.5 and chart.loc["1.1", "n_after_text"] == "c"
    assert chart.loc["1.3", "difference"] == change.set_index("key").loc["1.3", "difference"]
    assert not {c for s in ("before", "after") for c in (f"n_{s}", f"good_{s}", f"cases_{s}")} \
        & set(chart.columns)


def test_a_criterion_that_changed_is_not_comparable_and_nothing_graded_is_a_colon() -> None:
    before = good_or_better({"1.1": (20, 10, 12), "1.2": (0, 0, 0), "1.3": (30, 15, 14)})
    change = _change(before, AFTER, {"1.3": "not comparable"})
    board = change_for_board(change).set_index("key")
    assert board.loc["1.3", ["difference", "interval", "verdict", "state"]].tolist() == [
        "z", "z", "not comparable", "not comparable"]
    assert board.loc["1.2", ["share_before", "difference", "state"]].tolist() == [":", ":", "none"]
    assert [s for s, _ in symbol_key(board)] == ["c", "z", ":"]


def _trend(rounds: list[tuple[str, dict[str, tuple[int, int, int]]]]) -> pd.DataFrame:
    frames = []
    for i, (round_id, criteria) in enumerate(rounds):
        frame = good_or_better(criteria)
        frame.insert(4, "round_id", round_id)
        frame.insert(5, "round_label", f"Round {i + 1}")
        frame["verdict"] = "" if i == 0 else "no clear change"
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_a_latest_point_on_thirteen_grades_from_two_cases_is_not_drawn() -> None:
    trend = _trend([("2024-09", {"1.1": (24, 12, 12), "1.2": (30, 15, 13), "1.3": (28, 14, 14)}),
                    ("2025-03", {"1.1": (20, 14, 10), "1.2": (26, 13, 12), "1.3": (30, 15, 14)}),
                    ("2025-09", {"1.1": (13, 7, 2), "1.2": (29, 15, 13), "1.3": (32, 16, 15)})])
    trend.loc[(trend["key"] == "1.1") & (trend["round_id"] == "2025-09"), "verdict"] = "improved"
    latest = (trend["key"] == "1.1") & (trend["round_id"] == "2025-09")
    assert not share_hidden(trend[latest])[0]  # its counts alone would let it through
    chart = trend_for_chart(trend)
    point = chart[latest.to_numpy()].iloc[0]
    assert point["state"] == "hidden" and np.isnan(point["share"]) and np.isnan(point["ci_low"])
    assert point["n_text"] == "c" and point["verdict"] == "c"
    one = chart[(chart["key"] == "1.1").to_numpy()]
    assert one["share"].notna().tolist() == [True, True, False]
    assert chart_note(one, "point") == ("Not drawn: 1 point marked c (fewer than 6 judgements or "
                                        "cases behind it, or it would reveal such a count).")
    # the latest round's own page hides the same rows as the trend hides at that round
    page = good_or_better_for_board(trend[trend["round_id"] == "2025-09"])
    assert page["state"].tolist() == chart.loc[chart["round_id"] == "2025-09", "state"].tolist()
    board = trend_for_board(trend)
    assert board.loc[latest.to_numpy(), ["share", "verdict", "verdict_state"]].iloc[0].tolist() == [
        "c", "c", "hidden"]
    assert board.loc[(trend["round_id"] == "2024-09").to_numpy(), "verdict"].eq("").all()


def test_a_verdict_after_a_hidden_round_is_hidden_too() -> None:
    trend = _trend([("2024-09", {"1.1": (4, 2, 4), "1.2": (30, 15, 13), "1.3": (28, 14, 14)}),
                    ("2025-03", {"1.1": (20, 14, 10), "1.2": (26, 13, 12), "1.3": (30, 15, 14)})])
    board = trend_for_board(trend)
    second = board[(board["key"] == "1.1") & (board["round_id"] == "2025-03")].iloc[0]
    assert second["share"] == "70%" and second["state"] == "shown"
    assert second["verdict"] == "c" and second["verdict_state"] == "hidden"
