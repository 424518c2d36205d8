"""The change verdict rules on frames written by hand: improved or declined only when the
interval for the difference excludes zero, not comparable when the framework changed the
criterion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from caseaudit.analysis import good_or_better
from caseaudit.change import (
    CHANGE_COLUMNS,
    RoundFigures,
    change_between,
    comparable_keys,
    no_change,
    trend,
)
from caseaudit.framework import Framework
from tests.handmade import tiny


def _figures(round_id: str, framework: Framework, counts: dict[str, tuple[int, int]]
             ) -> RoundFigures:
    """A round whose criteria have ``(good, n)`` as given; domains and overall add them up."""
    domain_of = {c.id: d.id for d, c in framework.criteria()}
    rows = [("criterion", cid, "agency grades", n, good, 0, n) for cid, (good, n) in counts.items()]
    for key in [*dict.fromkeys(domain_of[c] for c in counts), "overall"]:
        mine = [v for c, v in counts.items() if key in ("overall", domain_of[c])]
        rows.append(("overall" if key == "overall" else "domain", key, "agency grades",
                     sum(n for _, n in mine), sum(g for g, _ in mine), 0, sum(n for _, n in mine)))
    judgements = pd.DataFrame(rows, columns=["level", "key", "basis", "n", "good",
                                             "not_applicable", "cases"])
    return RoundFigures(round_id, f"label {round_id}", framework,
                        good_or_better(judgements, framework))


def _verdicts(table: pd.DataFrame) -> dict[tuple[str, str], str]:
    return dict(zip(zip(table["level"], table["key"], strict=True), table["verdict"], strict=True))


def test_only_an_interval_that_excludes_zero_is_a_change() -> None:
    framework = tiny()
    before = _figures("r1", framework, {"1.1": (48, 80), "1.2": (56, 70), "2.1": (5, 10)})
    after = _figures("r2", framework, {"1.1": (56, 70), "1.2": (48, 80), "2.1": (6, 10)})
    table = change_between(before, after)
    assert list(table.columns) == CHANGE_COLUMNS
    rows = table.set_index(["level", "key"])
    improved = rows.loc[("criterion", "1.1")]
    # Newcombe (1998) Table II example (a), method 10: 56/70 - 48/80 -> 0.0524 to 0.3339
    assert (improved["diff_low"], improved["diff_high"]) == pytest.approx((0.0524, 0.3339),
                                                                          abs=5e-5)
    assert improved["difference"] == pytest.approx(0.2)
    assert (improved["n_before"], improved["good_before"], improved["n_after"],
            improved["good_after"]) == (80, 48, 70, 56)
    assert (improved["round_before"], improved["round_after"]) == ("r1", "r2")
    assert _verdicts(table) == {
        ("overall", "overall"): "no clear change",  # 109/160 -> 110/160
        ("domain", "V"): "no clear change",  # 104/150 -> 104/150
        ("domain", "P"): "no clear change",
        ("criterion", "1.1"): "improved",
        ("criterion", "1.2"): "declined",
        ("criterion", "2.1"): "no clear change",  # 50% -> 60% on 10 cases: -0.31 to 0.46
    }
    assert rows.loc[("criterion", "2.1"), "diff_low"] < 0 < rows.loc[("criterion", "2.1"),
                                                                     "diff_high"]


def test_a_side_with_nothing_graded_is_no_clear_change() -> None:
    framework = tiny()
    table = change_between(_figures("r1", framework, {"1.1": (0, 0), "1.2": (9, 10)}),
                           _figures("r2", framework, {"1.1": (10, 10), "1.2": (0, 0)}))
    rows = table.set_index(["level", "key"])
    for key in ("1.1", "1.2", "2.1"):
        assert rows.loc[("criterion", key), "verdict"] == "no clear change"
        assert np.isnan(rows.loc[("criterion", key), "diff_low"])


def _reword_1_2(data: dict) -> None:
    data["domains"][0]["criteria"][1]["question"] = "Did the record use the child's own words?"


def _raise_the_bar(data: dict) -> None:
    data["scales"][0]["good_or_better"] = [1]


def _retitle(data: dict) -> None:
    data["domains"][0]["criteria"][0]["title"] = "Listened to"
    data["domains"][0]["criteria"][0]["good_looks_like"] = "Seen alone, and more than once."


def _add_to_plans(data: dict) -> None:
    data["domains"][1]["criteria"].append(
        {"id": "2.2", "title": "Reviewed", "question": "Was the plan reviewed?",
         "good_looks_like": "On time.", "scale": "four"})


@pytest.mark.parametrize(("edit", "comparable"), [
    (_reword_1_2, {("criterion", "1.1"), ("criterion", "2.1"), ("domain", "P")}),
    (_raise_the_bar, {("criterion", "1.2")}),
    (_retitle, {("criterion", "1.1"), ("criterion", "1.2"), ("criterion", "2.1"),
                ("domain", "V"), ("domain", "P"), ("overall", "overall")}),
    (_add_to_plans, {("criterion", "1.1"), ("criterion", "1.2"), ("criterion", "2.1"),
                     ("domain", "V")}),
])
def test_what_a_new_framework_version_leaves_comparable(edit, comparable) -> None:  # type: ignore[no-untyped-def]
    assert comparable_keys(tiny("1.0"), tiny("1.1", edit)) == comparable


def test_a_changed_criterion_is_not_compared_however_large_the_difference() -> None:
    before = _figures("r1", tiny("1.0"), {"1.1": (2, 40), "1.2": (2, 40), "2.1": (2, 40)})
    after = _figures("r2", tiny("1.1", _reword_1_2),
                     {"1.1": (38, 40), "1.2": (38, 40), "2.1": (38, 40)})
    table = change_between(before, after)
    verdicts = _verdicts(table)
    assert verdicts[("criterion", "1.1")] == verdicts[("criterion", "2.1")] == "improved"
    assert verdicts[("domain", "P")] == "improved"
    for key in (("criterion", "1.2"), ("domain", "V"), ("overall", "overall")):
        assert verdicts[key] == "not comparable"
        row = table.set_index(["level", "key"]).loc[key]
        assert np.isnan(row["difference"]) and np.isnan(row["diff_low"])
    # a criterion new in this version has nothing before it
    added = change_between(before, _figures("r2", tiny("1.1", _add_to_plans), {"2.2": (3, 4)}))
    row = added.set_index(["level", "key"]).loc[("criterion", "2.2")]
    assert (row["verdict"], row["n_before"], row["n_after"]) == ("not comparable", 0, 4)


def test_no_earlier_round_is_an_empty_frame_with_the_columns() -> None:
    empty = no_change()
    assert empty.empty and list(empty.columns) == CHANGE_COLUMNS
    assert empty["n_before"].dtype == "int64" and empty["diff_low"].dtype == "float64"


def test_the_trend_judges_each_round_against_the_one_before() -> None:
    framework = tiny()
    rounds = [_figures("r1", framework, {"1.1": (48, 80)}),
              _figures("r2", framework, {"1.1": (56, 70)}),
              _figures("r3", tiny("2.0", _raise_the_bar), {"1.1": (60, 70)})]
    table = trend(rounds)
    one = table[(table["level"] == "criterion") & (table["key"] == "1.1")]
    assert one["round_id"].tolist() == ["r1", "r2", "r3"]
    assert one["round_label"].tolist() == ["label r1", "label r2", "label r3"]
    assert one["verdict"].tolist() == ["", "improved", "not comparable"]
    assert one["n"].tolist() == [80, 70, 70] and one["share"].iloc[0] == pytest.approx(0.6)
    assert (table["round_id"] == "r1").sum() == 6  # overall, two domains, three criteria
    assert trend([]).empty
