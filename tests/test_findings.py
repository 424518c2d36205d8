"""What the board reads first: sentences with their figures, only as disclosure shows them, and
trend and breakdown charts that leave hidden points out and say so. On frames written by hand
with the columns of the issue's contract."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd

from caseaudit.plots.practice import breakdown_chart, trend_chart
from caseaudit.stats import wilson_intervals
from caseaudit.ui.equality import attribute_sentence
from caseaudit.ui.findings import findings, render_findings, render_symbols
from caseaudit.ui.trends import trend_sentences

LABELS = {"r1": "Sep 2025", "r2": "Mar 2026"}
AREAS = [("overall", "overall", "All criteria", ""),
         ("domain", "1", "Voice of the child", "Voice of the child"),
         ("criterion", "1.1", "1.1 Seen", "Voice of the child"),
         ("criterion", "1.2", "1.2 Heard", "Voice of the child")]


def _figures(counts: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    """Good-or-better rows for AREAS from (n, good, cases) per key."""
    rows = [(level, key, label, domain, *counts[key]) for level, key, label, domain in AREAS]
    table = pd.DataFrame(rows, columns=["level", "key", "label", "domain", "n", "good", "cases"])
    low, high = wilson_intervals(table["good"].to_numpy(), table["n"].to_numpy())
    share = np.divide(table["good"], table["n"], out=np.full(len(table), np.nan),
                      where=table["n"].to_numpy() > 0)
    return table.assign(share=share, ci_low=low, ci_high=high, basis="agency grades")


BEFORE = _figures({"overall": (120, 40, 30), "1": (120, 40, 30), "1.1": (60, 6, 30),
                   "1.2": (60, 34, 30)})
AFTER = _figures({"overall": (120, 60, 30), "1": (120, 60, 30), "1.1": (60, 24, 30),
                  "1.2": (60, 36, 30)})


def _change(before: pd.DataFrame, after: pd.DataFrame, verdicts: list[str]) -> pd.DataFrame:
    both = before.merge(after, on=["level", "key", "label", "domain"], suffixes=("_before", "_after"))
    difference = both["share_after"] - both["share_before"]
    return pd.DataFrame({
        "level": both["level"], "key": both["key"], "label": both["label"],
        "domain": both["domain"], "round_before": "r1", "round_after": "r2",
        **{f"{c}_{s}": both[f"{c}_{s}"] for c in ("n", "good", "share", "cases")
           for s in ("before", "after")},
        "difference": difference, "diff_low": difference - 0.12, "diff_high": difference + 0.12,
        "verdict": verdicts})


def _results(change: pd.DataFrame, after: pd.DataFrame = AFTER) -> SimpleNamespace:
    criteria = after[after["level"] == "criterion"].rename(columns={"key": "criterion_id"})
    strengths = pd.concat([criteria.assign(kind="area for development", rank=[1, 2]),
                           criteria.iloc[::-1].assign(kind="strength", rank=[1, 2])])
    trend = pd.concat([BEFORE.assign(round_id="r1", round_label=LABELS["r1"], verdict=""),
                       after.assign(round_id="r2", round_label=LABELS["r2"], verdict="")])
    return SimpleNamespace(round_id="r2", labels=LABELS, good_or_better=after, change=change,
                           strengths=strengths.drop(columns=["level", "basis"]),
                           practice_trend=trend.drop(columns="basis"))


def _text(html_text: str) -> str:
    return re.sub(r"<[^>]+>", "", html_text)


def test_the_overview_says_what_changed_with_its_figures() -> None:
    # 1.1 went from 10% to 40%: improved (the interval for the difference is above zero)
    change = _change(BEFORE, AFTER, ["improved", "improved", "improved", "no clear change"])
    said = dict(findings(_results(change)))
    assert _text(said["headline"]).startswith("In Mar 2026, 50% of judgements were good or better")
    assert "120 judgements on 30 cases" in said["headline"]
    assert _text(said["overall-change"]).startswith("Against 33% in Sep 2025, that is an improvement")
    assert "<li>1.1 Seen: 10% to 40% (+30 points; 95% interval" in said["improved"]
    assert "1.2 Heard" not in said["improved"] and "declined" not in said
    assert _text(said["weakest"]) == "Weakest this round: 1.1 Seen (40%, n=60) and 1.2 Heard (60%, n=60)."
    section = render_findings(_results(change))
    assert "What changed since Sep 2025" in section and 'data-sentence="improved"' in section


def test_no_clear_change_is_said_as_such_never_as_a_change() -> None:
    change = _change(BEFORE, AFTER, ["no clear change"] * 4)
    said = dict(findings(_results(change)))
    assert "improved" not in said and "declined" not in said
    assert said["no-change"].startswith("No criterion or domain clearly improved or declined")


def test_a_change_resting_on_a_hidden_figure_is_neither_listed_nor_given() -> None:
    # 1.2 in the new round: 60 judgements, 57 good, so 3 not good: the share would reveal a 3
    after = _figures({"overall": (120, 81, 30), "1": (120, 81, 30), "1.1": (60, 24, 30),
                      "1.2": (60, 57, 30)})
    change = _change(BEFORE, after, ["improved", "improved", "improved", "improved"])
    sentences = findings(_results(change, after))
    text = " ".join(_text(t) for _, t in sentences)
    assert "1.2 Heard" not in dict(sentences)["improved"]
    assert "57%" not in text and "95% (" not in text  # 1.2's hidden share appears nowhere
    assert "(c)" in dict(sentences)["not-shown"]


def test_the_first_round_of_a_framework_says_there_is_nothing_to_compare() -> None:
    empty = _change(BEFORE, AFTER, ["improved"] * 4).iloc[0:0]
    said = dict(findings(_results(empty)))
    assert "first round of its framework" in said["first-round"]


def test_the_key_lists_only_the_symbols_the_page_uses() -> None:
    key = render_symbols([pd.DataFrame({"share": ["40%", "c"], "n": ["60", "c"]})])
    assert "<dt>c</dt>" in key and "<dt>:</dt>" not in key and "<dt>z</dt>" not in key
    assert "Every figure on this page is shown" in render_symbols([pd.DataFrame({"n": ["60"]})])


def _trend(hidden_last: bool) -> pd.DataFrame:
    rows = []
    for round_id, figures in (("r1", BEFORE), ("r2", AFTER)):
        rows.append(figures.assign(round_id=round_id, round_label=LABELS[round_id],
                                   verdict="" if round_id == "r1" else "no clear change"))
    trend = pd.concat(rows, ignore_index=True)
    trend.loc[(trend["round_id"] == "r2") & (trend["level"] == "domain"), "verdict"] = "improved"
    if hidden_last:  # 1.1 in the new round rests on 4 judgements
        last = (trend["round_id"] == "r2") & (trend["key"] == "1.1")
        trend.loc[last, ["n", "good", "share"]] = [4, 2, 0.5]
    return trend.drop(columns="basis")


def test_a_trend_says_its_verdicts_and_leaves_hidden_points_out() -> None:
    chart = trend_chart(_trend(hidden_last=True), "criterion", domain="Voice of the child")
    first = chart.figure.axes[0]
    line = first.get_lines()[0].get_ydata()
    assert line[0] == 10 and np.isnan(line[1])  # 1.1's hidden point is not drawn
    assert "c" in [t.get_text() for t in first.texts]
    assert chart.note.startswith("Not drawn: 1 point marked c")
    assert "change since Sep 2025 not shown (c)" in first.get_title(loc="left")
    assert "1.1 Seen: Sep 2025 10%, Mar 2026 c" in chart.alt
    domains = trend_chart(_trend(hidden_last=False), "domain")
    assert domains.figure.texts[0].get_text() == "Since Sep 2025: Voice of the child improved"
    assert "improved since Sep 2025" in domains.figure.axes[0].get_title(loc="left")


def test_trend_sentences_give_each_rounds_figure() -> None:
    from caseaudit import disclosure

    said = dict(trend_sentences(disclosure.trend_for_board(_trend(hidden_last=False))))
    assert said["overall"] == "Overall, good or better was Sep 2025 33%, Mar 2026 50% (2 rounds)."
    assert "<li>Voice of the child (domain): 33% to 50%</li>" in said["improved"]


def _breakdowns(groups: list[tuple[str, int, int, int]]) -> pd.DataFrame:
    table = pd.DataFrame([("disability", "Disability", g, "overall", "overall", "All criteria", n,
                           good, cases) for g, n, good, cases in groups],
                         columns=["attribute", "attribute_label", "group", "level", "key", "label",
                                  "n", "good", "cases"])
    low, high = wilson_intervals(table["good"].to_numpy(), table["n"].to_numpy())
    share = np.divide(table["good"], table["n"], out=np.full(len(table), np.nan),
                      where=table["n"].to_numpy() > 0)
    return table.assign(share=share, ci_low=low, ci_high=high)


def test_a_gap_between_groups_is_read_from_their_intervals() -> None:
    from caseaudit import disclosure

    apart = _breakdowns([("Disabled", 200, 40, 20), ("Not disabled", 200, 140, 20)])
    said = attribute_sentence(disclosure.breakdowns_for_chart(apart),
                              disclosure.breakdowns_for_board(apart))
    assert said.startswith("By disability: from 20% for “Disabled” (95% interval")
    assert "do not overlap" in said
    close = _breakdowns([("Disabled", 40, 18, 10), ("Not disabled", 40, 22, 10)])
    said = attribute_sentence(disclosure.breakdowns_for_chart(close),
                              disclosure.breakdowns_for_board(close))
    assert "overlap, so the gap may be chance" in said
    alone = _breakdowns([("no", 200, 120, 30), ("yes", 4, 2, 2), ("not known", 3, 1, 2)])
    said = attribute_sentence(disclosure.breakdowns_for_chart(alone),
                              disclosure.breakdowns_for_board(alone))
    assert said.startswith("By disability: only the group “no” has enough cases to show (60%, n=")
    assert said.endswith("so the groups cannot be compared. 2 groups are not shown (c).")


def test_a_small_group_is_not_drawn_and_cannot_be_worked_out() -> None:
    frame = _breakdowns([("Disabled", 4, 1, 2), ("Not disabled", 200, 100, 30),
                         ("Not known", 30, 12, 8)])
    chart = breakdown_chart(frame, "disability")
    assert chart.figures["Good or better"].tolist()[0] == "c"
    bars = [p.get_width() for p in chart.figure.axes[0].patches]
    assert bars[0] == 0  # nothing drawn for the hidden group
    assert chart.note.startswith("Not drawn:") and "25%" not in chart.alt


def test_when_every_count_is_small_no_sentence_gives_a_figure() -> None:
    change = _change(BEFORE, AFTER, ["improved", "improved", "improved", "no clear change"])
    sentences = findings(_results(change), threshold=10**6)
    text = " ".join(_text(t) for _, t in sentences)
    assert "%" not in text and "points" not in text, text
    assert dict(sentences)["headline"].endswith("not shown (c): it rests on too few judgements or cases.")
    assert "improved" not in dict(sentences)


def test_a_single_round_has_no_trend_to_judge() -> None:
    from caseaudit import disclosure

    first = _trend(hidden_last=False).query("round_id == 'r1'")
    chart = trend_chart(first, "domain")
    assert chart.figure.texts[0].get_text() == "Only one round so far: no trend yet"
    assert "first round" in chart.figure.axes[0].get_title(loc="left")
    said = dict(trend_sentences(disclosure.trend_for_board(first)))
    assert said["overall"] == "Overall, good or better was Sep 2025 33% (1 round)."
    assert "a trend needs two" in said["first-round"]


def test_the_committee_report_says_what_the_overview_says() -> None:
    from caseaudit.report import practice
    from caseaudit.report.model import Bullets

    change = _change(BEFORE, AFTER, ["improved", "improved", "improved", "no clear change"])
    results = _results(change)
    page = html.unescape(" ".join(_text(re.sub(r"</?(ul|li)>", " ", t)) for _, t in findings(results)))
    blocks = [*practice.headline(results, None), *practice.what_changed(results, None)]
    report = " ".join(" ".join(b.items) if isinstance(b, Bullets) else f"{b.lead} {b.text}"
                      for b in blocks)
    assert " ".join(page.split()) == " ".join(report.split())
    assert "Improved since Sep 2025" in report and "1.1 Seen: 10% to 40%" in report


def test_a_label_is_escaped_on_the_page_and_only_the_marked_words_are_bold() -> None:
    after = AFTER.assign(label=AFTER["label"].replace({"1.1 Seen": "1.1 Seen <script>"}))
    before = BEFORE.assign(label=after["label"])
    change = _change(before, after, ["improved", "improved", "improved", "no clear change"])
    said = dict(findings(_results(change, after)))
    assert "<script>" not in said["improved"] and "1.1 Seen &lt;script&gt;:" in said["improved"]
    assert said["improved"].startswith("<b>Improved</b> since Sep 2025")
    assert "<b>50%</b> of judgements" in said["headline"]
