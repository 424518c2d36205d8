"""Disclosure control of a practice week's summary, on records written by hand: small feedback
groups hidden whole, secondary suppression wherever a hidden count could be worked out from a
total (event kinds, feedback given, consent with the total returns), figures shown as worked
out by hand, and a comparison that hides what either week's page hides."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from caseaudit.disclosure import strengths_for_board
from caseaudit.disclosure.practice_week import StreamForBoard, week_for_board
from caseaudit.disclosure.secondary import determined, equations_from
from caseaudit.framework import load_framework
from caseaudit.practice_week_summary import week_summary
from tests.practice_week_frames import Week, example_week, hand_week, week_like
from tests.test_practice_week_summary import newcombe, wilson

THRESHOLD = 5


@pytest.fixture(scope="module")
def framework():  # type: ignore[no-untyped-def]
    return load_framework("practice-week", "1.0")


def _counts(stream: StreamForBoard, measure: str) -> dict[str, str]:
    rows = stream.counts[stream.counts["measure"] == measure]
    return dict(zip(rows["category"], rows["count"], strict=True))


def _levels(stream: StreamForBoard, criterion: str) -> dict[str, str]:
    rows = stream.levels[stream.levels["criterion_id"] == criterion]
    return dict(zip(rows["answer"], rows["count"], strict=True))


def _figure(stream: StreamForBoard, key: str, column: str = "share") -> str:
    table = stream.good_or_better
    return str(table.loc[table["key"] == key, column].iloc[0])


def _interval(good: int, n: int) -> str:
    low, high = wilson(good, n)
    return f"{low:.0%} – {high:.0%}"


def test_a_small_feedback_group_is_hidden_whole(framework) -> None:  # type: ignore[no-untyped-def]
    week = hand_week()  # family feedback: three returns, one declined
    for i in range(4):  # four practitioners answered, all positively
        week.add(f"PF-{i:03d}", "practitioner_feedback", {"PF1": 2, "PF2": 1, "PF3": 1},
                 consent="given", practitioner=f"P-0{i + 1}")
    board = week_for_board(week_summary(example_week(), framework, week.record_frame(),
                                        week.response_frame()), THRESHOLD)
    for stream_id in ("family_feedback", "practitioner_feedback"):
        stream = board.stream(stream_id)
        assert stream.records == "c"
        assert _counts(stream, "consent") == (
            {"given": "c", "declined": "c"} if stream_id == "family_feedback"
            else {"given": "c", "declined": "0"})
        assert set(stream.levels["count"]) <= {"c", "0"}
        assert set(stream.good_or_better["state"]) == {"hidden"}
        assert set(stream.good_or_better["share"]) == {"c"}
        assert set(stream.chart["share"].dropna()) == set()
    assert _levels(board.stream("practitioner_feedback"), "PF2")["Strongly agree"] == "c"
    assert _counts(board.stream("family_feedback"), "respondent")["other family member"] == "0"


def _observations(week: Week) -> Week:
    """Twenty observations: 12 home visits, 6 strategy discussions, 2 core groups; feedback given
    after 14; every answer good."""
    kinds = ["home visit"] * 12 + ["strategy discussion"] * 6 + ["core group"] * 2
    for i, kind in enumerate(kinds):
        week.add(f"OBS-{i:03d}", "observation", {"OB1": 2, "OB2": 2, "OB3": 2, "OB4": 1},
                 event_kind=kind, feedback_given=i < 14)
    return week


def _family(week: Week) -> Week:
    """Thirty family returns: 27 consented (10 strongly agree and 17 agree to FF1, all agree to
    FF2, all yes to FF3), 3 declined; 10 from children, 20 from parents."""
    for i in range(30):
        consented = i < 27
        week.add(f"FF-{i:03d}", "family_feedback",
                 {"FF1": 1 if i < 10 else 2, "FF2": 2, "FF3": 1} if consented else None,
                 consent="given" if consented else "declined",
                 respondent="child or young person" if i % 3 == 0 else "parent or carer")
    return week


def test_a_small_event_kind_is_hidden_with_the_next_smallest(framework) -> None:  # type: ignore[no-untyped-def]
    week = _observations(Week())
    stream = week_for_board(week_summary(example_week(), framework, week.record_frame(),
                                         week.response_frame()), THRESHOLD).stream("observation")
    # 2 core groups is small; with the total of 20 shown, 12 + 6 + 2 = 20 would give it back, so
    # the next smallest kind (6 strategy discussions) is hidden too; a true zero stays 0
    assert stream.records == "20"
    assert _counts(stream, "event kind") == {
        "home visit": "12", "strategy discussion": "c", "child protection conference": "0",
        "core group": "c", "supervision": "0", "other": "0"}
    assert _counts(stream, "feedback given") == {"yes": "14", "no": "6"}
    assert _figure(stream, "OB1") == "100%" and _figure(stream, "OB1", "interval") == _interval(20, 20)
    assert _figure(stream, "OB1", "n") == "20"
    assert _figure(stream, "overall", "n") == "80"  # 20 observations x 4 criteria (OB1-OB4)
    assert _levels(stream, "OB4") == {"Yes": "20", "No": "0"}


def test_few_declined_hide_the_total_returns_not_the_answers(framework) -> None:  # type: ignore[no-untyped-def]
    week = _family(Week())
    stream = week_for_board(week_summary(example_week(), framework, week.record_frame(),
                                         week.response_frame()), THRESHOLD).stream("family_feedback")
    # 3 declined is small; 30 returns less 27 consented would give it back, so the total is
    # hidden, and then the fewer of the respondent groups (30 = 10 children + 20 parents)
    assert _counts(stream, "consent") == {"given": "27", "declined": "c"}
    assert stream.records == "c"
    assert stream.answered == "27"  # what the page's answers rest on stays shown
    assert _counts(stream, "respondent") == {
        "child or young person": "c", "parent or carer": "20", "other family member": "0"}
    # the answers of the 27 who consented are all shown
    assert _levels(stream, "FF1") == {"Strongly agree": "10", "Agree": "17",
                                      "Neither agree nor disagree": "0", "Disagree": "0",
                                      "Strongly disagree": "0"}
    assert [_figure(stream, k) for k in ("FF1", "FF2", "FF3", "overall")] == ["100%"] * 4
    assert _figure(stream, "FF2", "interval") == _interval(27, 27)


def test_no_hidden_count_can_be_worked_out_from_the_shown_ones(framework) -> None:  # type: ignore[no-untyped-def]
    """The two streams above, checked as a reader would: with every shown figure put into every
    sum the page holds, no hidden figure is pinned down."""
    week = _family(_observations(Week()))
    board = week_for_board(week_summary(example_week(), framework, week.record_frame(),
                                        week.response_frame()), THRESHOLD)
    family = board.stream("family_feedback")
    # records = given + declined = child + parent + other
    figures = ["records", "given", "declined", "child", "parent", "other"]
    shown = [family.records, *_counts(family, "consent").values(), *_counts(family, "respondent").values()]
    equations = equations_from([(0, [1, 2]), (0, [3, 4, 5])], len(figures))
    assert not determined(equations, np.array([v == "c" for v in shown])).any()
    observation = board.stream("observation")
    kinds = list(_counts(observation, "event kind").values())
    yes_no = list(_counts(observation, "feedback given").values())
    shown = [observation.records, *kinds, *yes_no]
    equations = equations_from([(0, list(range(1, 7))), (0, [7, 8])], len(shown))
    assert not determined(equations, np.array([v == "c" for v in shown])).any()


def _case_audits(week: Week, prefix: str, grades: list[dict[str, int | str]]) -> Week:
    for i, answers in enumerate(grades):
        week.add(f"{prefix}-{i:03d}", "case_audit", answers)
    return week


def test_grades_and_the_comparison_as_worked_out_by_hand(framework) -> None:  # type: ignore[no-untyped-def]
    this = example_week()
    before = week_like(this, "2025-05-practice-week", "2025-05-12", "2025-05-16")
    old = _case_audits(Week(), "A", [{"CR1": 4, "CR2": 2, "CR3": 2 if i < 10 else 3}
                                     for i in range(20)])
    new = _case_audits(Week(), "B", [{"CR1": 2, "CR2": 2 if i < 10 else 3,
                                      "CR3": 2 if i < 11 else 3} for i in range(20)])
    previous = week_summary(before, framework, old.record_frame(), old.response_frame(),
                            label="May 2025")
    board = week_for_board(week_summary(this, framework, new.record_frame(), new.response_frame(),
                                        previous=previous, label="May 2026"), THRESHOLD)
    assert board.previous_label == "May 2025"
    stream = board.stream("case_audit")
    assert stream.records == "20"
    assert [_figure(stream, k) for k in ("CR1", "CR2", "CR3", "CR", "overall")] == [
        "100%", "50%", "55%", "68%", "68%"]
    assert [_figure(stream, k, "interval") for k in ("CR2", "CR3", "CR")] == [
        _interval(10, 20), _interval(11, 20), _interval(41, 60)]
    assert _figure(stream, "CP", "share") == ":"  # nothing graded in that domain
    assert _levels(stream, "CR3") == {"Outstanding": "0", "Good": "11",
                                      "Requires improvement to be good": "9", "Inadequate": "0"}
    change = stream.change.set_index("key")
    low, high = newcombe(0, 20, 20, 20)
    assert change.loc["CR1", ["share_before", "share_after", "difference", "verdict"]].tolist() == [
        "0%", "100%", "+100 points", "improved"]
    assert change.loc["CR1", "interval"] == f"{round(low * 100):+d} to {round(high * 100):+d} points"
    assert change.loc["CR2", ["difference", "verdict"]].tolist() == ["-50 points", "declined"]
    assert change.loc["CR3", "verdict"] == "no clear change"
    strengths = stream.strengths
    assert strengths[["kind", "criterion_id", "share"]].values.tolist() == [
        ["strength", "CR1", "100%"], ["area for development", "CR2", "50%"],
        ["area for development", "CR3", "55%"]]


def test_the_comparison_hides_what_the_previous_weeks_page_hides(framework) -> None:  # type: ignore[no-untyped-def]
    this = example_week()
    before = week_like(this, "2025-05-practice-week", "2025-05-12", "2025-05-16")
    old = _case_audits(Week(), "A", [{"CR1": 4, "CR2": 2} for _ in range(4)])  # four: all small
    new = _case_audits(Week(), "B", [{"CR1": 2, "CR2": 2 if i < 10 else 3} for i in range(20)])
    previous = week_summary(before, framework, old.record_frame(), old.response_frame())
    board = week_for_board(week_summary(this, framework, new.record_frame(), new.response_frame(),
                                        previous=previous), THRESHOLD)
    change = board.stream("case_audit").change.set_index("key")
    assert change.loc["CR1", ["n_before", "share_before", "difference", "interval", "verdict"]
                      ].tolist() == ["c", "c", "c", "c", "c"]
    assert change.loc["CR1", ["n_after", "share_after"]].tolist() == ["20", "100%"]
    chart = board.stream("case_audit").change_chart.set_index("key")
    assert pd.isna(chart.loc["CR1", "difference"]) and pd.isna(chart.loc["CR1", "share_before"])


def test_strengths_hide_what_a_board_form_page_hides() -> None:
    strengths = pd.DataFrame({
        "kind": ["strength"], "criterion_id": ["A"], "label": ["A words"], "domain": ["D"],
        "n": [40], "good": [30], "share": [0.75], "ci_low": [0.6], "ci_high": [0.86],
        "cases": [40], "rank": [1]})
    page = pd.DataFrame({"level": ["criterion"], "key": ["A"], "state": ["hidden"]})
    assert strengths_for_board(strengths, THRESHOLD)["share"].tolist() == ["75%"]
    assert strengths_for_board(strengths, THRESHOLD, good_or_better=page)["share"].tolist() == ["c"]


def test_the_themes_of_the_case_audits_are_counts_with_local_tags_totalled(framework) -> None:  # type: ignore[no-untyped-def]
    import json

    audit = example_week()
    cases = [c.id for c in audit.cases]
    heads = pd.DataFrame({"round_id": audit.id, "case_id": cases,
                          "revision_no": 1, "overall_grade": 2, "agreed": 6,
                          "themes": [json.dumps(["voice", "a local tag"] if i < 7 else ["risk"])
                                     for i in range(len(cases))]})
    week = hand_week()
    board = week_for_board(week_summary(audit, framework, week.record_frame(),
                                        week.response_frame(), heads), THRESHOLD)
    themes = board.themes[audit.id].to_dict()
    assert themes["The child's lived experience and voice"] == (
        "7" if len(cases) >= 7 else "c")
    assert "a local tag" not in themes and themes["Other (local tags)"] == themes[
        "The child's lived experience and voice"]
