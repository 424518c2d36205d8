"""Good or better by the children's characteristics, from case judgements written by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from caseaudit.breakdowns import BREAKDOWN_COLUMNS, attribute_groups, by_case_attribute
from caseaudit.stats import wilson_interval
from tests.handmade import tiny, tiny_round


def test_each_group_adds_up_its_cases_overall_and_per_domain() -> None:
    audit = tiny_round("r1", [
        {"id": "C1", "disability": "yes", "ethnicity_group": "Black"},
        {"id": "C2", "disability": "yes"},
        {"id": "C3", "disability": "no"},
        {"id": "C4", "disability": "not recorded"},
    ])
    judged = pd.DataFrame(
        [("C1", "V", 4, 1, 0), ("C1", "P", 2, 0, 0),
         ("C2", "V", 3, 3, 1),
         ("C3", "V", 5, 4, 0), ("C3", "P", 2, 2, 0),
         ("C4", "V", 0, 0, 2),  # everything not applicable: no judgement, not a case judged
         ("C9", "V", 7, 7, 0)],  # no longer in the round's list: no attributes, left out
        columns=["case_id", "domain_id", "n", "good", "not_applicable"])

    table = by_case_attribute(judged, audit, tiny())

    assert list(table.columns) == BREAKDOWN_COLUMNS
    rows = table.set_index(["attribute", "group", "level", "key"])
    disabled = rows.loc[("disability", "yes", "overall", "overall")]
    assert (disabled["n"], disabled["good"], disabled["cases"]) == (9, 4, 2)
    assert disabled["share"] == pytest.approx(4 / 9)
    assert (disabled["ci_low"], disabled["ci_high"]) == pytest.approx(wilson_interval(4, 9))
    assert (disabled["attribute_label"], disabled["label"]) == ("Disability", "All criteria")
    plans = rows.loc[("disability", "yes", "domain", "P")]
    assert (plans["n"], plans["good"], plans["cases"], plans["label"]) == (2, 0, 1, "Plans")
    assert rows.loc[("disability", "no", "overall", "overall"), ["n", "good", "cases"]].tolist() \
        == [7, 6, 1]
    unrecorded = rows.loc[("disability", "not recorded", "overall", "overall")]
    assert (unrecorded["n"], unrecorded["cases"]) == (0, 0) and pd.isna(unrecorded["share"])
    assert rows.loc[("ethnicity_group", "Black", "domain", "V"), ["n", "good"]].tolist() == [4, 1]
    # every group of every attribute has its rows, those without cases too, in the schema's order
    assert table.loc[table["attribute"] == "age_band", "group"].unique().tolist() == \
        attribute_groups("age_band") == ["under 1", "1-4", "5-9", "10-15", "16-17"]
    assert rows.loc[("age_band", "16-17", "overall", "overall"), "n"] == 0
    # within an attribute the groups add up to the round (the cases it still lists)
    for attribute in ("age_band", "gender", "ethnicity_group", "disability", "plan_type"):
        overall = table[(table["attribute"] == attribute) & (table["level"] == "overall")]
        assert (overall["n"].sum(), overall["good"].sum(), overall["cases"].sum()) == (16, 10, 3)
