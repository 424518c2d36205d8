"""Good or better on the best grade a case has: figures from frames written by hand, and the
store's count of those judgements checked against the answers saved."""

from __future__ import annotations

import pandas as pd
import pytest

from caseaudit.analysis import good_or_better
from caseaudit.stats import wilson_interval
from tests.handmade import tiny


def _judgements(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["level", "key", "basis", "n", "good", "not_applicable",
                                       "cases"])


def test_every_level_with_its_words_interval_and_basis() -> None:
    framework = tiny()
    judgements = _judgements([
        ("criterion", "1.1", "moderated", 4, 3, 0, 4),
        ("criterion", "1.2", "mixed", 6, 1, 1, 4),
        ("domain", "V", "mixed", 10, 4, 1, 4),
        ("overall", "overall", "mixed", 10, 4, 1, 4),
    ])
    agency_counts = pd.DataFrame({
        "round_id": "r", "criterion_id": ["1.1", "1.1", "2.1", "1.1"],
        "agency": ["CSC", "CSC", "CSC", "Pol"], "grade": pd.array([2, 4, 1, 3], dtype="Int64"),
        "not_applicable": False, "count": [5, 2, 1, 3]})
    statuses = pd.DataFrame({"case_id": ["A", "B", "C", "A", "B"],
                             "agency": ["CSC", "CSC", "CSC", "Pol", "Pol"],
                             "status": ["submitted", "submitted", "submitted", "submitted", "draft"]})

    table = good_or_better(judgements, framework, agency_counts, statuses)

    assert list(zip(table["level"], table["key"], strict=True)) == [
        ("overall", "overall"), ("domain", "V"), ("domain", "P"), ("criterion", "1.1"),
        ("criterion", "1.2"), ("criterion", "2.1"), ("agency", "CSC"), ("agency", "Pol")]
    rows = table.set_index(["level", "key"])
    assert rows.loc[("criterion", "1.2"), "label"] == "1.2 Recorded"
    assert rows.loc[("criterion", "1.2"), "domain"] == "Voice"
    assert rows.loc[("overall", "overall"), ["label", "domain"]].tolist() == ["All criteria", ""]
    assert rows.loc[("criterion", "1.1"), ["n", "good", "cases", "basis"]].tolist() == [
        4, 3, 4, "moderated"]
    assert rows.loc[("criterion", "1.1"), "share"] == 0.75
    assert (rows.loc[("criterion", "1.1"), "ci_low"], rows.loc[("criterion", "1.1"), "ci_high"]) \
        == pytest.approx(wilson_interval(3, 4))
    # nothing graded: a row all the same, with no share and no interval
    empty = rows.loc[("criterion", "2.1")]
    assert (empty["n"], empty["good"], empty["cases"], empty["basis"]) == (0, 0, 0, "agency grades")
    assert pd.isna(empty["share"]) and pd.isna(empty["ci_low"])
    # agencies on their own grades: CSC 6 of 8 good (1.1: 5 Good, 2 Inadequate; 2.1: 1 Outstanding)
    csc = rows.loc[("agency", "CSC")]
    assert (csc["n"], csc["good"], csc["cases"], csc["label"], csc["basis"]) == (
        8, 6, 3, "Children's social care", "agency grades")
    pol = rows.loc[("agency", "Pol")]
    assert (pol["n"], pol["good"], pol["cases"]) == (3, 0, 1)  # B's police form is a draft


def test_a_round_seen_only_for_its_trend_has_no_agency_rows() -> None:
    table = good_or_better(_judgements([]), tiny())
    assert set(table["level"]) == {"overall", "domain", "criterion"}
    assert (table["n"] == 0).all() and table["share"].isna().all()
