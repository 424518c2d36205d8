"""The week's summary against figures worked out by hand (tests/practice_week_frames.py holds
the records): per stream, the records, each criterion's answers per level, good-or-better shares
with their Wilson intervals, the observations' event kinds, the feedback's consent, strengths and
areas for development, the learning themes, and the comparison with the previous week of the same
theme; a stream with no records; and no free text or id anywhere in it."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from caseaudit.framework import load_framework
from caseaudit.practice_week_summary import (
    NOT_ANSWERED,
    NOT_APPLICABLE_ANSWER,
    STRENGTH_RULE,
    WeekSummary,
    previous_week,
    stream_framework,
    week_summary,
)
from tests.practice_week_frames import NA, Week, example_week, hand_week, week_like

Z = 1.959963984540054


def wilson(good: int, n: int) -> tuple[float, float]:
    """The Wilson score interval, from its formula (not the library's code)."""
    p = good / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def newcombe(good0: int, n0: int, good1: int, n1: int) -> tuple[float, float]:
    """Newcombe's method 10 for ``good1/n1 - good0/n0``, from its formula."""
    (l0, u0), (l1, u1) = wilson(good0, n0), wilson(good1, n1)
    p0, p1 = good0 / n0, good1 / n1
    d = p1 - p0
    return d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)


@pytest.fixture(scope="module")
def framework():  # type: ignore[no-untyped-def]
    return load_framework("practice-week", "1.0")


@pytest.fixture(scope="module")
def summary(framework) -> WeekSummary:  # type: ignore[no-untyped-def]
    week = hand_week()
    return week_summary(example_week(), framework, week.record_frame(), week.response_frame(None))


def _row(frame: pd.DataFrame, level: str, key: str) -> pd.Series:
    found = frame[(frame["level"] == level) & (frame["key"] == key)]
    assert len(found) == 1, (level, key)
    return found.iloc[0]


def _levels(summary: WeekSummary, stream: str, criterion: str) -> dict[str, int]:
    table = summary.stream(stream).levels
    mine = table[table["criterion_id"] == criterion]
    return dict(zip(mine["answer"], mine["count"], strict=True))


def test_each_stream_counts_its_submitted_records_only(summary: WeekSummary) -> None:
    assert [s.stream_id for s in summary.streams] == [
        "case_audit", "observation", "family_feedback", "practitioner_feedback"]
    assert {s.stream_id: s.records for s in summary.streams} == {
        "case_audit": 3, "observation": 4, "family_feedback": 3, "practitioner_feedback": 0}
    assert summary.records == 10  # the draft observation is not counted
    assert summary.stream("family_feedback").answered == 2  # one declined


def test_case_audit_grades_by_criterion_domain_and_stream(summary: WeekSummary) -> None:
    ca = summary.stream("case_audit")
    assert _levels(summary, "case_audit", "CR1") == {
        "Outstanding": 1, "Good": 1, "Requires improvement to be good": 1, "Inadequate": 0,
        NOT_APPLICABLE_ANSWER: 0}
    assert _levels(summary, "case_audit", "CR2") == {
        "Outstanding": 0, "Good": 2, "Requires improvement to be good": 0, "Inadequate": 0,
        NOT_APPLICABLE_ANSWER: 1}
    assert _levels(summary, "case_audit", "CP2") == {"Yes": 2, "No": 1, NOT_APPLICABLE_ANSWER: 0}
    figures = ca.good_or_better
    # the stream's own criteria only: CR1-CR4 and CP1-CP2, two domains and the stream
    assert set(figures.loc[figures["level"] == "criterion", "key"]) == {
        "CR1", "CR2", "CR3", "CR4", "CP1", "CP2"}
    expected = {("criterion", "CR1"): (3, 2, 3), ("criterion", "CR2"): (2, 2, 2),
                ("criterion", "CR3"): (3, 0, 3), ("criterion", "CR4"): (3, 2, 3),
                ("criterion", "CP1"): (3, 2, 3), ("criterion", "CP2"): (3, 2, 3),
                ("domain", "CR"): (11, 6, 3), ("domain", "CP"): (6, 4, 3),
                ("overall", "overall"): (17, 10, 3)}
    for (level, key), (n, good, cases) in expected.items():
        row = _row(figures, level, key)
        assert (row["n"], row["good"], row["cases"]) == (n, good, cases), key
        assert row["share"] == pytest.approx(good / n)
        low, high = wilson(good, n)
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high)), key
    assert _row(figures, "criterion", "CR1")["label"] == "CR1 The child's story"


def test_observations_by_event_kind_and_feedback_given(summary: WeekSummary) -> None:
    counts = summary.stream("observation").counts
    kinds = counts[counts["measure"] == "event kind"]
    assert dict(zip(kinds["category"], kinds["count"], strict=True)) == {
        "home visit": 2, "strategy discussion": 1, "child protection conference": 0,
        "core group": 1, "supervision": 0, "other": 0}
    given = counts[counts["measure"] == "feedback given"]
    assert dict(zip(given["category"], given["count"], strict=True)) == {"yes": 3, "no": 1}
    figures = summary.stream("observation").good_or_better
    assert (_row(figures, "criterion", "OB1")["n"], _row(figures, "criterion", "OB1")["good"]) == (4, 3)
    assert (_row(figures, "criterion", "OB4")["n"], _row(figures, "criterion", "OB4")["good"]) == (4, 3)
    # OB1-OB4 on 4 records: 16 judgements, good 4 (OBS-001) + 3 (OB1 RI) + 1 (OB1 only) + 4 = 12
    assert (_row(figures, "overall", "overall")["n"], _row(figures, "overall", "overall")["good"]) == (16, 12)
    assert _levels(summary, "observation", "OB3") == {
        "Outstanding": 1, "Good": 2, "Requires improvement to be good": 1, "Inadequate": 0,
        NOT_APPLICABLE_ANSWER: 0}


def test_feedback_returns_consent_and_each_questions_answers(summary: WeekSummary) -> None:
    family = summary.stream("family_feedback")
    counts = family.counts
    assert dict(zip(counts.loc[counts["measure"] == "consent", "category"],
                    counts.loc[counts["measure"] == "consent", "count"], strict=True)) == {
        "given": 2, "declined": 1}
    assert dict(zip(counts.loc[counts["measure"] == "respondent", "category"],
                    counts.loc[counts["measure"] == "respondent", "count"], strict=True)) == {
        "child or young person": 1, "parent or carer": 2, "other family member": 0}
    # agree5 has no "not applicable"; the declined return answers nothing and is not "not answered"
    assert _levels(summary, "family_feedback", "FF1") == {
        "Strongly agree": 1, "Agree": 1, "Neither agree nor disagree": 0, "Disagree": 0,
        "Strongly disagree": 0}
    assert _levels(summary, "family_feedback", "FF2")["Disagree"] == 1
    assert _levels(summary, "family_feedback", "FF3") == {"Yes": 1, "No": 1, NOT_APPLICABLE_ANSWER: 0}
    figures = family.good_or_better
    assert [(_row(figures, "criterion", c)["n"], _row(figures, "criterion", c)["good"])
            for c in ("FF1", "FF2", "FF3")] == [(2, 2), (2, 0), (2, 1)]
    assert (_row(figures, "overall", "overall")["n"], _row(figures, "overall", "overall")["good"]) == (6, 3)


def test_a_record_that_leaves_a_question_is_counted_not_answered(framework) -> None:  # type: ignore[no-untyped-def]
    week = Week().add("OBS-001", "observation", {"OB1": 2}, event_kind="home visit",
                      feedback_given=True)
    summary = week_summary(example_week(), framework, week.record_frame(), week.response_frame())
    assert _levels(summary, "observation", "OB2")[NOT_ANSWERED] == 1
    assert NOT_ANSWERED not in _levels(summary, "observation", "OB1")


def test_a_stream_with_no_records(summary: WeekSummary) -> None:
    pf = summary.stream("practitioner_feedback")
    assert pf.records == 0 and pf.answered == 0
    assert (pf.good_or_better["n"] == 0).all() and pf.good_or_better["share"].isna().all()
    assert set(pf.good_or_better.loc[pf.good_or_better["level"] == "criterion", "key"]) == {
        "PF1", "PF2", "PF3"}
    assert (pf.levels["count"] == 0).all() and len(pf.levels) == 5 + 5 + 3
    assert pf.strengths.empty and pf.change.empty
    consent = pf.counts[pf.counts["measure"] == "consent"]
    assert consent["count"].tolist() == [0, 0]


def test_no_free_text_and_no_ids_in_the_summary(summary: WeekSummary) -> None:
    secrets = ["named worry", "PW2605-00", "OBS-00", "FF-00", "P-01", "P-02", "P-10",
               "PW-LEAD", "CSC"]
    for stream in summary.streams:
        for frame in (stream.good_or_better, stream.levels, stream.counts, stream.strengths,
                      stream.change):
            assert "note" not in frame.columns
            text = [str(v) for v in frame.to_numpy().ravel()] + list(map(str, frame.columns))
            assert not [t for t in text for s in secrets if s in t], stream.stream_id


def _twenty(week: Week, prefix: str, grades: list[dict[str, int | str]]) -> Week:
    for i, answers in enumerate(grades, start=1):
        week.add(f"{prefix}-{i:03d}", "case_audit", answers)
    return week


def test_the_comparison_with_the_previous_week_of_the_same_theme(framework) -> None:  # type: ignore[no-untyped-def]
    this = example_week()
    before = week_like(this, "2025-05-practice-week", "2025-05-12", "2025-05-16")
    # before: CR1 0/20, CR2 20/20, CR3 10/20; after: CR1 20/20, CR2 10/20, CR3 11/20
    old = _twenty(Week(), "A", [{"CR1": 4, "CR2": 2, "CR3": 2 if i < 10 else 3} for i in range(20)])
    new = _twenty(Week(), "B", [{"CR1": 2, "CR2": 2 if i < 10 else 3, "CR3": 2 if i < 11 else 3}
                                for i in range(20)])
    previous = week_summary(before, framework, old.record_frame(), old.response_frame(),
                            label="May 2025")
    summary = week_summary(this, framework, new.record_frame(), new.response_frame(),
                           previous=previous, label="May 2026")
    assert (summary.previous_id, summary.previous_label) == ("2025-05-practice-week", "May 2025")
    change = summary.stream("case_audit").change
    for key, (g0, g1, verdict) in {"CR1": (0, 20, "improved"), "CR2": (20, 10, "declined"),
                                   "CR3": (10, 11, "no clear change")}.items():
        row = _row(change, "criterion", key)
        assert (row["good_before"], row["n_before"], row["good_after"], row["n_after"]) == (g0, 20, g1, 20)
        assert row["difference"] == pytest.approx((g1 - g0) / 20)
        low, high = newcombe(g0, 20, g1, 20)
        assert (row["diff_low"], row["diff_high"]) == (pytest.approx(low), pytest.approx(high))
        assert row["verdict"] == verdict, key
        assert (row["round_before"], row["round_after"]) == ("2025-05-practice-week", this.id)
    overall = _row(change, "overall", "overall")
    assert (overall["good_before"], overall["n_before"], overall["good_after"], overall["n_after"]) == (
        30, 60, 41, 60)
    # streams the earlier week had no records in compare nothing with nothing
    assert (summary.stream("observation").change["n_before"] == 0).all()
    assert set(summary.stream("observation").change["verdict"]) == {"no clear change"}
    # strengths: above the stream's 41/60 (68%) and on 20 records; areas below it, the surest first
    strengths = summary.stream("case_audit").strengths
    assert strengths[["kind", "criterion_id", "rank"]].values.tolist() == [
        ["strength", "CR1", 1], ["area for development", "CR2", 1],
        ["area for development", "CR3", 2]]
    assert "at least 10 judgements from at least 5 records" in STRENGTH_RULE


def test_the_previous_week_is_the_latest_earlier_one_of_the_same_theme() -> None:
    this = example_week()
    same = week_like(this, "2025-05-pw", "2025-05-12", "2025-05-16",
                     theme="  child SEXUAL abuse in the family   environment ")
    older = week_like(this, "2024-05-pw", "2024-05-13", "2024-05-17")
    other = week_like(this, "2025-11-pw", "2025-11-10", "2025-11-14", theme="Neglect")
    later = week_like(this, "2026-11-pw", "2026-11-09", "2026-11-13")
    overlapping = week_like(this, "2026-05-early", "2026-05-04", "2026-05-11")  # ends as this starts
    rounds = [older, same, other, overlapping, this, later]
    assert previous_week(this, rounds) is same
    assert previous_week(this, [older, other, this]) is older
    assert previous_week(this, [other, this, later]) is None
    assert previous_week(older, rounds) is None


def test_learning_themes_of_the_fully_moderated_case_audits(framework) -> None:  # type: ignore[no-untyped-def]
    audit = example_week()
    heads = pd.DataFrame({
        "round_id": [audit.id] * 3, "case_id": ["PW2605-001", "PW2605-002", "PW2605-003"],
        "revision_no": [1, 1, 1], "overall_grade": [2, 2, None],
        "themes": [json.dumps(["voice", "risk"]), json.dumps(["voice", "our local tag"]),
                   json.dumps(["voice"])],
        "agreed": [6, 6, 6]})
    week = hand_week()
    summary = week_summary(audit, framework, week.record_frame(), week.response_frame(), heads)
    counts = summary.themes[audit.id].to_dict()
    # the third case has no overall grade yet, so is not counted
    assert counts == {"The child's lived experience and voice": 2,
                      "Understanding and analysing risk": 1, "our local tag": 1}
    assert "our local tag" not in summary.framework_themes
    assert "Understanding and analysing risk" in summary.framework_themes


def test_a_stream_framework_holds_its_own_domains_only(framework) -> None:  # type: ignore[no-untyped-def]
    own = stream_framework(framework, "observation")
    assert [d.id for d in own.domains] == ["OB"] and [s.id for s in own.streams] == ["observation"]
    assert own.key == framework.key


def test_a_case_audit_round_has_no_week_summary(framework) -> None:  # type: ignore[no-untyped-def]
    audit = week_like(example_week(), "x", "2026-01-01", "2026-01-02", kind="maca", streams=[],
                      participants=[], theme="")
    with pytest.raises(ValueError, match="not a practice week"):
        week_summary(audit, framework, Week().record_frame(), Week().response_frame())


def test_na_answers_are_counted_apart(framework) -> None:  # type: ignore[no-untyped-def]
    week = Week().add("PW2605-001", "case_audit", {"CR1": NA, "CR2": 1})
    summary = week_summary(example_week(), framework, week.record_frame(), week.response_frame())
    row = _row(summary.stream("case_audit").good_or_better, "criterion", "CR1")
    assert (row["n"], row["good"], row["cases"]) == (0, 0, 0)


def test_the_store_entry_point_reads_both_weeks(store, framework) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from caseaudit.practice_week_summary import practice_week_summary
    from tests.practice_week_store import PREVIOUS_ID, save_weeks

    before_anything = datetime.now(UTC)
    this, before = save_weeks(store, framework)
    summary = practice_week_summary(store, this, rounds=[before, this])
    assert {s.stream_id: s.records for s in summary.streams} == {
        "case_audit": 8, "observation": 12, "family_feedback": 14, "practitioner_feedback": 7}
    assert (summary.previous_id, summary.previous_label) == (PREVIOUS_ID, "May 2025")
    ca = summary.stream("case_audit")
    assert (_row(ca.good_or_better, "criterion", "CR1")[["n", "good"]].tolist()) == [8, 8]
    assert (_row(ca.good_or_better, "criterion", "CR2")[["n", "good"]].tolist()) == [8, 4]
    change = ca.change.set_index("key")
    assert change.loc["CR1", "verdict"] == "improved" and change.loc["CR3", "verdict"] == "declined"
    counts = summary.stream("observation").counts.set_index("category")["count"]
    assert counts[["home visit", "strategy discussion", "child protection conference",
                   "core group", "supervision"]].tolist() == [6, 3, 2, 1, 0]  # not the draft
    family = summary.stream("family_feedback")
    assert family.counts.set_index("category")["count"][["given", "declined"]].tolist() == [12, 2]
    assert _levels(summary, "family_feedback", "FF2") == {
        "Strongly agree": 0, "Agree": 6, "Neither agree nor disagree": 3, "Disagree": 3,
        "Strongly disagree": 0}
    assert practice_week_summary(store, this, rounds=[this]).previous is None
    then = practice_week_summary(store, this, as_of=before_anything, rounds=[before, this])
    assert then.records == 0 and then.previous is not None and then.previous.records == 0
