"""The impact of an action plan on frames written by hand: the rounds before and after an action,
pooled; the verdict and its reason; the readiness view by line of enquiry; the sampling
suggestions."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import pytest

from caseaudit.action_plan import ActionPlan
from caseaudit.analysis import good_or_better
from caseaudit.change import RoundFigures
from caseaudit.framework import Framework
from caseaudit.impact import (
    IMPACT_COLUMNS,
    READINESS_COLUMNS,
    SUGGESTION_COLUMNS,
    action_impact,
    readiness,
    sampling_suggestions,
)
from caseaudit.inspection import Inspection
from caseaudit.rounds import Period
from tests.handmade import tiny

START = date(2026, 6, 1)


def _figures(round_id: str, framework: Framework,
             counts: dict[str, tuple[int, int, int]], basis: str = "agency grades") -> RoundFigures:
    """A round whose criteria have ``(good, n, cases)`` as given."""
    rows = [("criterion", cid, basis, n, good, 0, cases)
            for cid, (good, n, cases) in counts.items()]
    judgements = pd.DataFrame(rows, columns=["level", "key", "basis", "n", "good",
                                             "not_applicable", "cases"])
    return RoundFigures(round_id, f"{round_id} label", framework,
                        good_or_better(judgements, framework))


def _month(year: int, month: int) -> Period:
    return Period(start=date(year, month, 1), end=date(year, month, 28))


#: Quarterly rounds: two before 1 June 2026, one spanning it, two after.
PERIODS = {"r1": _month(2025, 12), "r2": _month(2026, 3),
           "r3": Period(start=date(2026, 5, 15), end=date(2026, 6, 14)),
           "r4": _month(2026, 9), "r5": _month(2026, 12)}


def _inspection() -> Inspection:
    return Inspection.model_validate({
        "id": "2026-02-test", "type": "JTAI", "theme": "A theme", "inspectorates": ["Ofsted"],
        "visit": {"start": "2026-02-09", "end": "2026-02-13"}, "letter_date": "2026-05-14",
        "framework": "tiny",
        "lines_of_enquiry": [{"id": "voice", "title": "The child's voice", "criteria": ["1.1", "1.2"]},
                             {"id": "plans", "title": "Plans", "criteria": ["2.1"]}],
        "areas_for_improvement": [{"id": "A1", "title": "Hearing children", "text": "Hear them."},
                                  {"id": "A2", "title": "Plans", "text": "Plan better."}]})


def _action(action_id: str, criteria: list[str], start: date = START) -> dict[str, Any]:
    return {"id": action_id, "description": f"Do {action_id}", "lead_agency": "CSC",
            "lead_role": "Head of Service", "start": start.isoformat(), "due": "2027-03-31",
            "success_measure": "Better", "criteria": criteria}


def _plan(*areas: tuple[str, list[dict[str, Any]]]) -> ActionPlan:
    return ActionPlan.model_validate({
        "inspection": "2026-02-test",
        "areas": [{"area": area, "outcome": "Children are heard", "governance_owner": "Board",
                   "actions": actions} for area, actions in areas]})


def _row(table: pd.DataFrame, action_id: str) -> pd.Series:
    return table.set_index("action_id").loc[action_id]


def _rounds(before: tuple[int, int, int], after: tuple[int, int, int],
            framework: Framework | None = None) -> list[RoundFigures]:
    """r1, r2 before (each ``before`` on 1.1 and 1.2), r3 spanning the start (all 1.1 judgements
    poor, so that counting it would show), r4, r5 after."""
    old = framework or tiny()
    new = framework or tiny()
    return [_figures("r1", old, {"1.1": before, "1.2": before}),
            _figures("r2", old, {"1.1": before, "1.2": before}),
            _figures("r3", old, {"1.1": (0, 50, 25)}),
            _figures("r4", new, {"1.1": after, "1.2": after}),
            _figures("r5", new, {"1.1": after, "1.2": after})]


def test_an_effect_after_the_start_is_found_and_the_round_spanning_it_left_out() -> None:
    # pooled over 1.1 and 1.2: 48 of 80 before (4 x 12 of 20), 56 of 70 after (4 x 14 of 17.5)
    rounds = _rounds((12, 20, 10), (14, 18, 9))
    rounds[3] = _figures("r4", tiny(), {"1.1": (14, 18, 9), "1.2": (14, 17, 8)})
    rounds[4] = _figures("r5", tiny(), {"1.1": (14, 18, 9), "1.2": (14, 17, 9)})
    table = action_impact(_plan(("A1", [_action("A1.1", ["1.1", "1.2"])])), _inspection(), rounds,
                          PERIODS)
    assert list(table.columns) == IMPACT_COLUMNS
    row = _row(table, "A1.1")
    assert (row["rounds_before"], row["rounds_after"]) == ("r1, r2", "r4, r5")
    assert (row["good_before"], row["n_before"], row["good_after"], row["n_after"]) == (48, 80, 56, 70)
    # Newcombe (1998) Table II example (a), method 10: 56/70 - 48/80 -> 0.0524 to 0.3339
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((0.0524, 0.3339), abs=5e-5)
    assert row["difference"] == pytest.approx(0.2)
    # Wilson 48/80 and 56/70, as the round's own figures would give them
    assert row["share_before"] == pytest.approx(0.6) and row["share_after"] == pytest.approx(0.8)
    assert row["ci_low_before"] < 0.6 < row["ci_high_before"]
    # cases: in each round the most cases of any one criterion (a lower bound), added up
    assert (row["cases_before"], row["cases_after"]) == (20, 18)
    assert row["verdict"] == "improved"
    assert row["criteria"] == "1.1, 1.2" and row["label"] == "A1.1 Do A1.1"
    assert "60%" in row["reason"] and "80%" in row["reason"] and "1 June 2026" in row["reason"]
    assert "above zero" in row["reason"]
    area = table[table["level"] == "area"].iloc[0]
    assert (area["area_id"], area["action_id"], area["label"]) == ("A1", "", "A1 Hearing children")
    assert (area["verdict"], area["n_after"]) == ("improved", 70)


def test_no_effect_is_no_clear_change_and_a_fall_is_a_decline() -> None:
    same = action_impact(_plan(("A1", [_action("A1.1", ["1.1", "1.2"])])), _inspection(),
                         _rounds((12, 20, 10), (12, 20, 10)), PERIODS)
    row = _row(same, "A1.1")
    assert row["verdict"] == "no clear change" and row["difference"] == pytest.approx(0.0)
    assert row["diff_low"] < 0 < row["diff_high"]
    assert "includes zero" in row["reason"]
    fall = _row(action_impact(_plan(("A1", [_action("A1.1", ["1.1"])])), _inspection(),
                              _rounds((18, 20, 10), (6, 20, 10)), PERIODS), "A1.1")
    assert fall["verdict"] == "declined" and "below zero" in fall["reason"]


def test_too_few_cases_since_the_start_is_not_enough_evidence_yet() -> None:
    # many judgements but only 3 cases after: several agencies graded the same few cases
    rounds = _rounds((12, 20, 10), (9, 10, 3))[:4]
    table = action_impact(_plan(("A1", [_action("A1.1", ["1.1"])])), _inspection(), rounds,
                          PERIODS)
    row = _row(table, "A1.1")
    assert (row["n_after"], row["cases_after"]) == (10, 3)
    assert row["verdict"] == "not enough evidence yet"
    assert row["reason"].startswith("Only 3 cases (10 judgements) audited on these criteria "
                                    "since the action started on 1 June 2026")
    # the figures are still there for whoever wants them
    assert row["share_after"] == pytest.approx(0.9)
    later = _row(action_impact(_plan(("A1", [_action("A1.1", ["1.1"], date(2027, 1, 4))])),
                               _inspection(), rounds, PERIODS), "A1.1")
    assert later["verdict"] == "not enough evidence yet" and later["rounds_after"] == ""
    assert later["reason"] == "No audit round has started since the action started on 4 January 2027."
    early = _row(action_impact(_plan(("A1", [_action("A1.1", ["1.1"], date(2025, 1, 6))])),
                               _inspection(), rounds, PERIODS), "A1.1")
    assert early["verdict"] == "not enough evidence yet" and early["rounds_before"] == ""
    assert "nothing to compare with" in early["reason"]


def _reword_1_2(data: dict) -> None:
    data["domains"][0]["criteria"][1]["question"] = "Did the record use the child's own words?"


def test_a_criterion_changed_between_before_and_after_is_not_comparable() -> None:
    rounds = _rounds((2, 20, 10), (19, 20, 10))
    changed = tiny("1.1", _reword_1_2)
    rounds[3] = _figures("r4", changed, {"1.1": (19, 20, 10), "1.2": (19, 20, 10)})
    rounds[4] = _figures("r5", changed, {"1.1": (19, 20, 10), "1.2": (19, 20, 10)})
    plan = _plan(("A1", [_action("A1.1", ["1.1", "1.2"]), _action("A1.2", ["1.1"])]))
    table = action_impact(plan, _inspection(), rounds, PERIODS)
    row = _row(table, "A1.1")
    assert row["verdict"] == "not comparable"
    assert math.isnan(row["difference"]) and math.isnan(row["diff_low"])
    assert "criterion 1.2" in row["reason"] and "tiny 1.0" in row["reason"]
    assert "tiny 1.1" in row["reason"]
    # the unchanged criterion alone is compared, however the other moved
    assert _row(table, "A1.2")["verdict"] == "improved"
    assert table.set_index("level").loc["area", "verdict"] == "not comparable"


def test_moderated_and_agency_grades_are_named_in_the_basis() -> None:
    framework = tiny()
    rounds = [_figures("r1", framework, {"1.1": (10, 20, 20)}, basis="moderated"),
              _figures("r4", framework, {"1.1": (15, 20, 20)}, basis="moderated"),
              _figures("r5", framework, {"1.1": (15, 20, 10)})]
    plan = _plan(("A1", [_action("A1.1", ["1.1"])]))
    assert _row(action_impact(plan, _inspection(), rounds[:2], PERIODS), "A1.1")["basis"] == "moderated"
    assert _row(action_impact(plan, _inspection(), rounds, PERIODS), "A1.1")["basis"] == "mixed"


def test_an_action_without_a_criterion_and_an_area_from_its_first_action() -> None:
    rounds = _rounds((12, 20, 10), (16, 20, 10))
    plan = _plan(("A1", [_action("A1.1", [], date(2025, 1, 6)), _action("A1.2", ["1.1"]),
                         _action("A1.3", ["1.2", "1.1"], date(2026, 9, 1))]),
                 ("A2", [_action("A2.1", [])]))
    table = action_impact(plan, _inspection(), rounds, PERIODS)
    assert list(table["action_id"]) == ["", "A1.1", "A1.2", "A1.3", "", "A2.1"]
    none = _row(table, "A1.1")
    assert (none["verdict"], none["criteria"], none["n_before"]) == ("no audit criterion", "", 0)
    assert none["reason"] == ("The action names no audit criterion: its evidence is not from "
                              "case audits.")
    # the area pools its actions' criteria from the first of them with a criterion to start
    area = table[table["area_id"] == "A1"].iloc[0]
    assert (area["criteria"], area["rounds_after"]) == ("1.1, 1.2", "r4, r5")
    assert area["n_after"] == 80 and "work on the area started on 1 June 2026" in area["reason"]
    # the September action's 'after' starts with the September round
    assert _row(table, "A1.3")["rounds_after"] == "r4, r5"
    assert _row(table, "A1.3")["rounds_before"] == "r1, r2, r3"
    area = table[table["area_id"] == "A2"].iloc[0]
    assert (area["verdict"], area["reason"]) == ("no audit criterion", (
        "None of the area's actions names an audit criterion: their evidence is not from case "
        "audits."))


def test_readiness_puts_the_weakest_line_first_with_its_latest_figures_and_trend() -> None:
    framework = tiny()
    rounds = [_figures("r1", framework, {"1.1": (10, 40, 20), "1.2": (30, 40, 20),
                                         "2.1": (30, 40, 20)}),
              _figures("r2", framework, {"1.1": (36, 40, 20), "1.2": (30, 40, 20)})]
    table = readiness(_inspection(), rounds)
    assert list(table.columns) == READINESS_COLUMNS
    assert list(zip(table["level"], table["line_id"], table["criterion_id"], strict=True)) == [
        ("line", "plans", ""), ("criterion", "plans", "2.1"),
        ("line", "voice", ""), ("criterion", "voice", "1.2"), ("criterion", "voice", "1.1")]
    rows = table.set_index(["line_id", "criterion_id"])
    # 2.1 was last judged in r1 (75%): its interval reaches lower than the voice line's 66 of 80
    assert rows.loc[("plans", "2.1"), ["round_id", "good", "n"]].tolist() == ["r1", 30, 40]
    assert rows.loc[("plans", ""), "trend"] == ""  # one round: nothing to compare
    assert rows.loc[("voice", ""), ["round_id", "good", "n", "cases"]].tolist() == ["r2", 66, 80, 20]
    assert rows.loc[("voice", "1.1"), "trend"] == "improved"  # 25% -> 90%
    assert rows.loc[("voice", "1.2"), "trend"] == "no clear change"
    assert rows.loc[("voice", "1.1"), "label"] == "1.1 Heard"
    assert rows.loc[("voice", ""), "label"] == "The child's voice"
    # a changed criterion's trend is not comparable
    changed = readiness(_inspection(), [rounds[0], _figures("r2", tiny("1.1", _reword_1_2), {
        "1.1": (36, 40, 20), "1.2": (39, 40, 20)})])
    assert changed.set_index(["line_id", "criterion_id"]).loc[("voice", "1.2"), "trend"] == (
        "not comparable")


def test_sampling_suggestions_name_the_criteria_of_actions_short_of_evidence() -> None:
    rounds = _rounds((12, 20, 10), (9, 10, 3))[:4]
    plan = _plan(("A1", [_action("A1.1", ["1.1"]), _action("A1.2", ["1.2", "1.1"],
                                                           date(2027, 1, 4)),
                         _action("A1.3", ["2.1"], date(2025, 1, 6)), _action("A1.4", [])]))
    table = action_impact(plan, _inspection(), rounds, PERIODS)
    suggestions = sampling_suggestions(table, tiny())
    assert list(suggestions.columns) == SUGGESTION_COLUMNS
    # A1.1 has 10 judgements from 3 cases since it started: 2 more cases; A1.2 has none: 10
    # (a case counted as a single judgement). A1.3 lacks a baseline, which sampling cannot give.
    assert suggestions.to_dict("records") == [
        {"criterion_id": "1.1", "label": "1.1 Heard", "actions": "A1.1, A1.2", "cases_needed": 10},
        {"criterion_id": "1.2", "label": "1.2 Recorded", "actions": "A1.2", "cases_needed": 10}]
    enough = action_impact(plan, _inspection(), _rounds((12, 20, 10), (16, 20, 10)), PERIODS)
    assert list(sampling_suggestions(enough, tiny())["actions"]) == ["A1.2", "A1.2"]
