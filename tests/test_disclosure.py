"""Disclosure control: the rules, the symbols and their key, the threshold setting, what a chart
says it left out, and the good-or-better and strengths frames a board sees."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from caseaudit import disclosure, settings
from caseaudit.disclosure import (
    SYMBOLS,
    chart_note,
    good_or_better_for_board,
    good_or_better_for_chart,
    share_hidden,
    strengths_for_board,
    symbol_key,
)
from caseaudit.errors import WorkbookError
from tests.disclosure_frames import good_or_better, recovered, with_shares

#: Every name the module offered before it became a package (the dashboard and plots use them).
EARLIER_NAMES = ("SUPPRESSED", "is_small", "share_hidden", "derived_hidden", "format_count",
                 "render_summary", "Formatter", "headline_for_board", "shares_for_chart",
                 "derived_for_chart", "derived_for_board", "coverage_for_board", "LOCAL_TAGS",
                 "themes_for_board")


def test_every_earlier_name_still_imports_from_caseaudit_disclosure() -> None:
    module = importlib.import_module("caseaudit.disclosure")
    assert [n for n in EARLIER_NAMES if not hasattr(module, n)] == []
    assert set(module.__all__) >= set(EARLIER_NAMES) and module.SUPPRESSED == "c"


# -- symbols and their key -----------------------------------------------------------------------


def test_the_symbols_are_the_dfe_ones_and_a_key_lists_only_those_used() -> None:
    assert list(SYMBOLS) == ["c", "z", ":", "x"]
    table = pd.DataFrame({"share": ["40%", "c", ":"], "n": ["20", "c", "0"]})
    key = symbol_key(table)
    assert [symbol for symbol, _ in key] == ["c", ":"]
    assert "1 to 5" in key[0][1] and "true zero is shown as 0" in key[1][1]
    assert "1 to 10" in symbol_key(["c"], threshold=10)[0][1]
    assert symbol_key([table, pd.DataFrame({"d": ["z", "x"]})]) == [
        (s, SYMBOLS[s].format(threshold=5)) for s in ("c", "z", ":", "x")]
    assert symbol_key(["40%", "12"]) == []  # nothing hidden: no key at all
    assert symbol_key(["ca", "xyz"]) == []  # words containing the letters are not symbols


# -- the threshold -------------------------------------------------------------------------------


def test_the_threshold_comes_from_the_environment_when_set(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    table = with_shares([dict(n=20, good=8)])
    assert not share_hidden(table)[0]
    monkeypatch.setenv(settings.SUPPRESSION_THRESHOLD_ENV, "10")
    assert settings.suppression_threshold() == 10
    assert share_hidden(table)[0]  # 8 good is now a small count
    assert not share_hidden(table, threshold=5)[0]  # a caller's own threshold still wins
    for bad in ("ten", "0", "-3", "2.5"):
        monkeypatch.setenv(settings.SUPPRESSION_THRESHOLD_ENV, bad)
        with pytest.raises(WorkbookError, match="whole number of at least 1"):
            share_hidden(table)
    monkeypatch.delenv(settings.SUPPRESSION_THRESHOLD_ENV)
    assert settings.suppression_threshold() == settings.SUPPRESSION_THRESHOLD == 5


def test_a_threshold_of_ten_hides_more_and_protects_it() -> None:
    frame = good_or_better({"1.1": (30, 15, 12), "1.2": (20, 8, 9), "1.3": (16, 8, 8),
                            "1.4": (40, 20, 14)})
    at_five = good_or_better_for_board(frame)
    assert (at_five["state"] == "shown").all()
    at_ten = good_or_better_for_board(frame, threshold=10)
    hidden = set(at_ten.loc[at_ten["state"] == "hidden", "key"])
    # 1.2 (8 good) and 1.3 (8 cases) are small at 10; the domain then gives back neither
    assert hidden == {"1.2", "1.3"}
    assert at_ten.set_index("key").loc["1.2", ["n", "good", "cases", "share", "interval"]].tolist() \
        == ["c"] * 5


# -- primary rules on the new frames -------------------------------------------------------------


def test_a_true_zero_stays_zero_and_nothing_graded_is_a_colon() -> None:
    frame = good_or_better({"1.1": (20, 0, 12), "1.2": (0, 0, 0), "1.3": (15, 15, 9)})
    board = good_or_better_for_board(frame).set_index("key")
    assert board.loc["1.1", ["n", "good", "share", "state"]].tolist() == ["20", "0", "0%", "shown"]
    assert board.loc["1.2", ["n", "share", "interval", "state"]].tolist() == ["0", ":", ":", "none"]
    assert board.loc["1.3", ["share", "state"]].tolist() == ["100%", "shown"]


def test_a_share_with_a_small_remainder_is_hidden_and_cannot_be_got_back() -> None:
    """37 of 40 good: the share (93%) and n would give 3 not good."""
    frame = good_or_better({"1.1": (40, 37, 18), "1.2": (24, 12, 11), "1.3": (30, 15, 14)})
    board = good_or_better_for_board(frame).set_index("key")
    assert board.loc["1.1", ["n", "good", "share", "interval"]].tolist() == ["c"] * 4
    # the domain (and overall) is criteria added up: one more criterion goes, the smallest
    assert board.loc["1.2", "state"] == "hidden" and board.loc["1.3", "state"] == "shown"
    assert board.loc["1", "share"] == "68%"
    rows = frame.set_index("key")
    hidden = set(board.index[board["state"] == "hidden"])
    sums = [("1", ["1.1", "1.2", "1.3"]), ("overall", ["1"])]
    for values in (rows["n"], rows["good"], rows["n"] - rows["good"]):  # each adds up
        assert recovered(values.to_dict(), hidden, sums) == set()
        assert recovered(values.to_dict(), {"1.1"}, sums) == {"1.1"}  # the small row alone leaks


def test_thirteen_grades_from_two_cases_are_hidden() -> None:
    frame = good_or_better({"1.1": (13, 7, 2), "1.2": (26, 13, 12), "1.3": (30, 15, 13)})
    assert not share_hidden(frame.iloc[[2]])[0]  # counts alone would show it
    board = good_or_better_for_board(frame).set_index("key")
    assert board.loc["1.1", "state"] == "hidden" and board.loc["1.1", "cases"] == "c"


def test_a_domain_on_moderated_grades_does_not_add_up_so_nothing_more_is_hidden() -> None:
    frame = good_or_better({"1.1": (3, 1, 3), "1.2": (26, 13, 12), "1.3": (30, 15, 13)})
    frame.loc[frame["level"] != "criterion", ["n", "good"]] = [[14, 8], [14, 8]]  # one per case
    board = good_or_better_for_board(frame).set_index("key")
    assert board["state"].to_dict() == {"overall": "shown", "1": "shown", "1.1": "hidden",
                                        "1.2": "shown", "1.3": "shown"}


def test_the_chart_draws_exactly_what_the_table_shows() -> None:
    frame = good_or_better({"1.1": (40, 37, 18), "1.2": (24, 12, 11), "1.3": (30, 15, 14),
                            "1.4": (0, 0, 0)})
    board = good_or_better_for_board(frame)
    chart = good_or_better_for_chart(frame)
    assert chart["state"].tolist() == board["state"].tolist()
    drawn = chart["share"].notna() & chart["ci_low"].notna() & chart["ci_high"].notna()
    assert drawn.tolist() == (board["state"] == "shown").tolist()
    assert chart["n_text"].tolist() == board["n"].tolist()
    assert not {"n", "good", "cases"} & set(chart.columns)
    assert chart_note(chart) == ("Not drawn: 2 bars marked c (fewer than 6 judgements or cases "
                                 "behind them, or they would reveal such a count); 1 bar marked : "
                                 "(nothing graded).")


def test_a_chart_note_is_empty_when_everything_is_drawn_and_counts_each_kind() -> None:
    assert chart_note(["shown", "shown"]) == ""
    assert chart_note(pd.Series(["hidden", "shown"]), "point", threshold=10) == (
        "Not drawn: 1 point marked c (fewer than 11 judgements or cases behind it, or it would "
        "reveal such a count).")
    note = chart_note(["not comparable", "not available", "not available"], "cell")
    assert note == ("Not drawn: 1 cell marked z (not comparable: the criterion changed); 2 cells "
                    "marked x (not available).")


# -- strengths -----------------------------------------------------------------------------------


def _strengths(rows: list[tuple[str, str, int, int, int]]) -> pd.DataFrame:
    frame = with_shares([dict(kind=kind, criterion_id=cid, label=f"{cid} A criterion",
                              domain="Voice of the child", n=n, good=good, cases=cases)
                         for kind, cid, n, good, cases in rows])
    frame["rank"] = frame.groupby("kind").cumcount() + 1
    return frame


def test_a_weak_area_stays_on_the_list_with_its_figures_hidden() -> None:
    strengths = _strengths([("strength", "1.3", 30, 24, 14), ("area for development", "1.1", 20, 4, 12),
                            ("area for development", "1.2", 24, 12, 11)])
    board = strengths_for_board(strengths)
    assert board["label"].tolist() == strengths["label"].tolist()  # nothing dropped or reordered
    assert board["share"].tolist() == ["80%", "c", "50%"]
    assert board["rank"].tolist() == [1, 1, 2]
    # with the round's frame, a criterion hidden there to protect 1.1 is hidden here too
    frame = good_or_better({"1.1": (20, 4, 12), "1.2": (24, 12, 11), "1.3": (30, 24, 14)})
    protected = strengths_for_board(strengths, good_or_better=frame)
    assert protected["share"].tolist() == ["80%", "c", "c"]
    assert np.array_equal(protected["state"].to_numpy(), np.array(["shown", "hidden", "hidden"]))


def test_the_package_keeps_every_module_short() -> None:
    package = importlib.import_module("caseaudit.disclosure").__path__[0]
    from pathlib import Path

    lengths = {p.name: len(p.read_text(encoding="utf-8").splitlines())
               for p in Path(package).glob("*.py")}
    assert max(lengths.values()) <= 500, lengths
    assert disclosure.__doc__ and "GSS" in disclosure.__doc__


def test_a_difference_of_one_point_is_said_in_the_singular() -> None:
    from caseaudit.disclosure.rules import format_difference

    assert [format_difference(d) for d in (0.01, -0.01, 0.0, 0.13, -0.02)] == [
        "+1 point", "-1 point", "0 points", "+13 points", "-2 points"]
