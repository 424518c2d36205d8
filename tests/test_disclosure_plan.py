"""The board-facing forms of an inspection review: a before or after share resting on a small
count is ``c``, and so is a change or verdict beside it; a pooled figure is hidden when a part it
adds up from is (an action of its area, a criterion hidden on a round's own page); counts of
actions are shown whole; and no narrative, recorder, case id or exact small count reaches a
board's text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from caseaudit import disclosure
from caseaudit.disclosure import (
    due_for_board,
    impact_for_board,
    impact_for_chart,
    inspection_for_board,
    progress_for_board,
    readiness_for_board,
    readiness_for_chart,
    suggestions_for_board,
    symbol_key,
)
from caseaudit.disclosure.secondary import determined, equations_from
from tests.disclosure_frames import good_or_better, recovered
from tests.review_frames import PRIVATE, ROUNDS, hand_review, impact, impact_row, progress


def _by(frame: pd.DataFrame, column: str = "action_id") -> pd.DataFrame:
    return frame.set_index(column)


def test_an_after_side_with_a_small_count_is_c_and_so_are_its_change_and_verdict() -> None:
    board = impact_for_board(hand_review())
    row = board[board["action_id"] == "A2.2"].iloc[0]  # 31 of 33 good after: 2 not good
    assert (row["after"], row["share_after"], row["n_after"], row["interval_after"]) == ("c",) * 4
    assert row["before"] == "50% (n=30)" and row["interval_before"] != "c"  # 15 of 30 is safe
    assert (row["change"], row["change_interval"], row["verdict"]) == ("c", "c", "c")
    assert row["state_after"] == "hidden" and row["state"] == "hidden"
    assert row["reason"].startswith("not shown: a side is hidden (c)")


def test_a_before_side_with_a_small_count_hides_the_change_but_not_the_after_side() -> None:
    frame = pd.DataFrame([impact_row("action", "A1", "A1.1", "1.1", (9, 4, 4), (64, 50, 16))])
    row = impact_for_board(hand_review(impact=frame)).iloc[0]
    assert row["before"] == "c" and row["after"] == "78% (n=64)"
    assert row["change"] == "c" and row["verdict"] == "c"


def test_shown_sides_give_the_change_its_interval_and_verdict_in_points() -> None:
    row = _by(impact_for_board(hand_review())).loc["A1.1"]
    assert row["before"] == "40% (n=60)" and row["after"] == "78% (n=64)"
    assert row["change"] == "+38 points" and row["change_interval"].endswith("points")
    assert row["verdict"] == "improved"
    assert row["reason"] == "the 95% interval for the change lies wholly above zero"


def test_an_area_that_adds_up_from_a_hidden_action_is_hidden_so_the_action_does_not_come_back() -> None:
    raw = impact().assign(key=lambda f: f["action_id"].where(f["action_id"] != "", f["area_id"]))
    board = impact_for_board(hand_review())
    state = dict(zip(raw["key"], board["state_after"], strict=True))
    assert state["A2"] == "hidden" and state["A2.1"] == "shown" and state["A2.2"] == "hidden"
    # a reader with a calculator knows A2 = A2.1 + A2.2 on each side
    values = {(k, c): raw.loc[i, c] for i, k in enumerate(raw["key"]) for c in ("n_after", "good_after")}
    hidden = {(k, c) for (k, c) in values if state[k] != "shown"}
    sums = [(("A2", c), [("A2.1", c), ("A2.2", c)]) for c in ("n_after", "good_after")]
    assert not recovered(values, hidden, sums)
    shown_area = hidden - {("A2", "n_after"), ("A2", "good_after")}
    assert recovered(values, shown_area, sums)  # had the area been shown, A2.2 would come back


def _page(criterion: tuple[int, int, int]) -> pd.DataFrame:
    """A round's page with criterion 2.3's figures as given, beside two safe criteria."""
    return good_or_better({"2.1": (30, 15, 14), "2.2": (31, 16, 14), "2.3": criterion},
                          domain="Assessment", domain_key="2")


def test_a_pooled_side_is_hidden_where_it_would_give_back_a_criterion_a_rounds_page_hides() -> None:
    # in June 2.3 had 2 judgements not good: June's page hides it (and another to protect it)
    pages = {ROUNDS[1]: _page((20, 18, 12)), ROUNDS[2]: _page((44, 32, 14))}
    frame = pd.DataFrame([impact_row("action", "A2", "A2.2", "2.3", (60, 24, 15), (64, 50, 16),
                                     rounds_after=f"{ROUNDS[1]}, {ROUNDS[2]}")])
    review = hand_review(impact=frame)
    assert impact_for_board(review).iloc[0]["after"] == "78% (n=64)"  # without the pages
    row = impact_for_board(review, pages=pages).iloc[0]  # 64 - 44 would give June's 20 back
    assert row["after"] == "c" and row["change"] == "c" and row["before"] == "40% (n=60)"
    # a page on other grades than the review pooled does not add up: nothing comes back
    other = {ROUNDS[1]: _page((21, 18, 12)), ROUNDS[2]: _page((44, 32, 14))}
    assert impact_for_board(review, pages=other).iloc[0]["after"] == "78% (n=64)"


def test_two_pooled_figures_over_overlapping_rounds_never_give_a_hidden_round_back() -> None:
    # 2.3 is hidden on all three pages; A7.1 pools two rounds, A8.1 the same two and a third,
    # so A8.1 - A7.1 would be the third round's 2.3 exactly
    cells = {ROUNDS[0]: (20, 18, 12), ROUNDS[1]: (20, 15, 12), ROUNDS[2]: (20, 17, 12)}
    pages = {r: _page(c) for r, c in cells.items()}
    first, both = ", ".join(ROUNDS[:2]), ", ".join(ROUNDS)
    frame = pd.DataFrame([
        impact_row("action", "A2", "A7.1", "2.3", (40, 33, 24), (0, 0, 0), rounds_before=first,
                   rounds_after=""),
        impact_row("action", "A2", "A8.1", "2.3", (60, 50, 36), (0, 0, 0), rounds_before=both,
                   rounds_after="")])
    board = impact_for_board(hand_review(impact=frame), pages=pages).set_index("action_id")
    assert (board["state_before"] == "shown").sum() == 1  # one of them, not both
    # the rounds' cells 0-2, then A7.1 and A8.1: A7.1 = 0 + 1, A8.1 = 0 + 1 + 2
    facts = equations_from([(3, [0, 1]), (4, [0, 1, 2])], 5)
    assert determined(facts, np.array([True, True, True, False, False]))[2]  # both shown: leaks
    shown = (board.loc[["A7.1", "A8.1"], "state_before"] == "shown").to_numpy()
    assert not determined(facts, np.array([True, True, True, *~shown])).any()


def test_verdicts_that_state_no_figure_are_said_in_words_with_a_reason_that_hides_small_counts() -> None:
    frame = pd.DataFrame([
        impact_row("action", "A1", "A1.1", "1.1", (60, 24, 15), (4, 3, 3), "not enough evidence yet"),
        impact_row("action", "A2", "A2.1", "2.1", (60, 24, 15), (0, 0, 0), rounds_after=""),
        impact_row("action", "A2", "A2.2", "2.3", (60, 24, 15), (0, 0, 0)),
        impact_row("action", "A3", "A3.1", "", (0, 0, 0), (0, 0, 0), "no audit criterion")])
    board = _by(impact_for_board(hand_review(impact=frame)))
    assert board.loc["A1.1", "verdict"] == "not enough evidence yet"
    assert board.loc["A1.1", "after"] == "c"
    assert board.loc["A1.1", "reason"] == (
        "not enough evidence yet: fewer than 6 cases audited since the action started on 1 June "
        "2026; a verdict needs at least 10 judgements from 5 cases")
    assert board.loc["A2.1", "reason"].endswith("no audit round has started since the action "
                                                "started on 1 June 2026")
    assert board.loc["A2.2", "reason"].startswith("not enough evidence yet: no case audited")
    assert board.loc["A2.2", "after"] == ":"  # nothing graded: a true zero, not a secret
    assert board.loc["A3.1", "verdict"] == "no audit criterion"
    assert "data, not audits" in board.loc["A3.1", "reason"]
    assert board.loc["A3.1", "before"] == ":" and board.loc["A3.1", "change"] == ":"


def test_a_short_baseline_is_named_as_the_reason_rather_than_the_rounds_since() -> None:
    frame = pd.DataFrame([
        impact_row("action", "A1", "A1.1", "1.1", (0, 0, 0), (60, 40, 20),
                   "not enough evidence yet", rounds_before=""),
        impact_row("action", "A2", "A2.1", "2.1", (8, 4, 4), (60, 40, 20),
                   "not enough evidence yet")])
    board = _by(impact_for_board(hand_review(impact=frame)))
    assert board.loc["A1.1", "reason"] == (
        "not enough evidence yet: no audit round ended before the action started on 1 June 2026, "
        "so there is nothing to compare with")
    assert board.loc["A2.1", "reason"].startswith(
        "not enough evidence yet: too few cases were audited before the action started on")
    assert all("since" not in reason for reason in board["reason"])


def test_a_threshold_of_ten_hides_more() -> None:
    row = _by(impact_for_board(hand_review(), threshold=10)).loc["A2.1"]  # 12 cases a side
    assert row["after"] != "c"
    row = _by(impact_for_board(hand_review(), threshold=12)).loc["A2.1"]
    assert row["after"] == "c" and row["verdict"] == "c"


def test_the_chart_form_draws_nothing_the_board_form_hides() -> None:
    review = hand_review()
    chart = impact_for_chart(review)
    board = impact_for_board(review)
    for side in ("before", "after"):
        hidden = (board[f"state_{side}"] != "shown").to_numpy()
        assert chart.loc[hidden, f"share_{side}"].isna().all()
        assert chart.loc[hidden, f"ci_low_{side}"].isna().all()
        assert (chart[f"n_{side}_text"] == board[f"n_{side}"]).all()
    assert chart.loc[(board["state"] != "shown").to_numpy(), "difference"].isna().all()
    assert not {"n_before", "good_after", "cases_after", "reason"} & set(chart.columns)


def test_counts_of_actions_are_shown_whole_however_small() -> None:
    board = progress_for_board(hand_review()).set_index("area_id")
    assert board.loc["A1", "on track"] == "1" and board.loc["A1", "actions"] == "1"
    assert board.loc["A2", "at risk"] == "1" and board.loc["A2", "complete"] == "1"
    assert board.loc["A3", "not started"] == "1"
    total = board.loc[""]
    assert total["area"] == "All areas" and total["actions"] == "4"
    assert total["overdue"] == "1"  # A1.1, on track but due on 30 September
    assert "c" not in board.to_numpy().ravel().tolist()
    assert board.loc["A2", "area"] == "A2 Area 2 title"


def test_overdue_actions_come_first_then_those_due_soon_and_complete_ones_never() -> None:
    frame = progress({"A1.1": "at risk", "A2.2": "on track"})  # A1.1 was due 30 September
    review = hand_review(progress=frame)
    due = due_for_board(review, within_days=30)
    assert list(due["action_id"]) == ["A1.1", "A2.1"]
    assert list(due["state"]) == ["overdue", "upcoming"]
    assert due.iloc[0]["when"] == "overdue by 15 days" and due.iloc[0]["due"] == "30 September 2026"
    assert due.iloc[1]["when"] == "due in 16 days"
    longer = due_for_board(review)  # six weeks: 20 November too
    assert list(longer["action_id"]) == ["A1.1", "A2.1", "A2.2"]
    done = due_for_board(hand_review(progress=progress({"A1.1": "complete"})))
    assert "A1.1" not in set(done["action_id"])
    assert set(due.columns) == {"area_id", "area_title", "action_id", "description", "lead_agency",
                                "lead_role", "due", "status", "when", "state"}


def test_a_line_is_hidden_when_one_of_its_criteria_is_and_goes_after_the_shown_lines() -> None:
    board = readiness_for_board(hand_review())
    # identification (75%) is the weakest line the board can see; assessment, hidden, follows
    assert list(board["line_id"]) == ["identification"] * 3 + ["assessment"] * 3
    assert list(board["criterion_id"]) == ["", "1.2", "1.1", "", "2.1", "2.3"]
    lines = board[board["level"] == "line"].set_index("line_id")
    criteria = board[board["level"] == "criterion"].set_index("criterion_id")
    assert criteria.loc["2.3", "share"] == "c" and criteria.loc["2.3", "trend"] == "c"
    assert lines.loc["assessment", "share"] == "c"  # 43 - 40 would give 2.3's 3 back
    assert criteria.loc["2.1", "share"] == "45%"
    assert lines.loc["identification", "share"] == "75%"
    assert lines.loc["identification", "trend"] == "improved"
    chart = readiness_for_chart(hand_review())
    assert list(chart["line_id"]) == ["identification", "assessment"]
    assert chart.loc[0, "share"] == pytest.approx(0.75) and pd.isna(chart.loc[1, "share"])


def test_a_hidden_criterion_is_not_placed_among_the_shown_ones_by_its_true_share() -> None:
    from tests.review_frames import readiness_row

    frame = pd.DataFrame([
        readiness_row("line", "assessment", "", 123, 61, 40),
        readiness_row("criterion", "assessment", "2.6", 40, 7, 40),    # 18%
        readiness_row("criterion", "assessment", "2.4", 40, 37, 40),   # 93%: 3 not good, hidden
        readiness_row("criterion", "assessment", "2.2", 43, 17, 40)])  # 40%
    # in this order the hidden 2.4 sits between 18% and 40%, which would tell roughly what it is
    board = readiness_for_board(hand_review(readiness=frame))
    criteria = board[board["level"] == "criterion"]
    assert list(criteria["criterion_id"]) == ["2.6", "2.2", "2.4"]
    assert list(criteria["share"])[-1] == "c"


def test_a_trend_is_hidden_when_the_round_before_hid_its_criterion() -> None:
    before = good_or_better({"1.1": (4, 3, 4), "1.2": (30, 20, 12), "1.3": (31, 16, 14)})
    board = readiness_for_board(hand_review(), pages={ROUNDS[-2]: before})
    criteria = board[board["level"] == "criterion"].set_index("criterion_id")
    assert criteria.loc["1.1", "share"] == "80%" and criteria.loc["1.1", "trend"] == "c"
    # the page hid 1.2 as well, to protect 1.1 from the domain's total
    assert criteria.loc["1.2", "share"] == "70%" and criteria.loc["1.2", "trend"] == "c"


def test_suggestions_and_the_inspection_read_whole() -> None:
    review = hand_review()
    said = suggestions_for_board(review)
    # the review's shortfall (3 more cases) would give back how many were audited: left out
    assert said.to_dict("records") == [{"criterion_id": "2.3", "label": "2.3 A criterion",
                                        "actions": "A2.2"}]
    facts = inspection_for_board(review)
    assert facts["statement_due"] == "21 August 2026" and facts["letter_date"] == "14 May 2026"
    assert facts["actions"] == "4" and facts["areas"] == "3"
    assert facts["inspectorates"] == "Ofsted, CQC, HMICFRS and HMI Probation"


def test_nothing_private_and_no_exact_small_count_in_any_board_text() -> None:
    review = hand_review()
    frames = [progress_for_board(review), due_for_board(review, within_days=400),
              impact_for_board(review), readiness_for_board(review), suggestions_for_board(review),
              pd.DataFrame([inspection_for_board(review)])]
    text = " ".join(str(v) for f in frames for v in f.to_numpy().ravel())
    for secret in PRIVATE:
        assert secret not in text
    assert "only 3 cases" not in text  # the review's own reason never reaches a board
    assert not {"narrative", "evidence", "saved_by", "recorded_on"} & {c for f in frames
                                                                       for c in f.columns}


def test_the_key_names_the_symbols_the_forms_use() -> None:
    board = impact_for_board(hand_review())
    assert [s for s, _ in symbol_key(board)] == ["c", ":"]
    assert disclosure.impact_for_board is impact_for_board
