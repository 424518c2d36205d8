"""The report's findings on practice, on frames written by hand with the columns of issue 10's
contract: every figure as disclosure shows it, a hidden figure never drawn, listed or called a
change, and verdicts said only as the interval for the difference allows."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from caseaudit import disclosure, findings
from caseaudit.report import practice
from caseaudit.report.model import Bullets, Chart, Paragraph, Table
from caseaudit.stats import newcombe_intervals, wilson_intervals

BEFORE, AFTER = "2025-09-maca", "2026-03-maca"
LABELS = {BEFORE: "Sep 2025", AFTER: "Mar 2026"}
#: (level, key, label, domain) of a three-domain framework
AREAS = [("overall", "overall", "All criteria", ""),
         ("domain", "V", "Voice", "Voice"),
         ("criterion", "1.1", "1.1 Heard", "Voice"),
         ("criterion", "1.2", "1.2 Recorded", "Voice"),
         ("criterion", "1.3", "1.3 Understood", "Voice"),
         ("domain", "P", "Plans", "Plans"),
         ("criterion", "2.1", "2.1 Planned", "Plans"),
         ("criterion", "2.2", "2.2 Reviewed", "Plans"),
         ("domain", "S", "Support", "Support"),
         ("criterion", "3.1", "3.1 Helped", "Support")]


def _figures(counts: dict[str, tuple[int, int, int]], basis: str = "mixed") -> pd.DataFrame:
    """Good-or-better rows for AREAS from (n, good, cases) per key."""
    rows = [(level, key, label, domain, *counts[key]) for level, key, label, domain in AREAS]
    table = pd.DataFrame(rows, columns=["level", "key", "label", "domain", "n", "good", "cases"])
    low, high = wilson_intervals(table["good"].to_numpy(), table["n"].to_numpy())
    share = np.divide(table["good"], table["n"], out=np.full(len(table), np.nan),
                      where=table["n"].to_numpy() > 0)
    return table.assign(share=share, ci_low=low, ci_high=high, basis=basis)


#: 1.1 goes from 9% to 22% of 100 judgements (an improvement: the interval for the difference
#: excludes zero); 1.2 rests on 4 judgements after (hidden, whatever it did);
#: 2.1 goes from 50% to 56% of 50 (no clear change); Support rests on 3 cases before (hidden).
#: Domains add up to the whole and criteria to their domain, as the store counts them.
OLD = _figures({"overall": (400, 160, 43), "V": (250, 85, 40), "1.1": (100, 9, 30),
                "1.2": (100, 51, 30), "1.3": (50, 25, 20), "P": (100, 50, 20), "2.1": (50, 25, 20),
                "2.2": (50, 25, 20), "S": (50, 25, 3), "3.1": (50, 25, 3)})
NEW = _figures({"overall": (354, 164, 45), "V": (154, 56, 40), "1.1": (100, 22, 30),
                "1.2": (4, 4, 4), "1.3": (50, 30, 20), "P": (150, 83, 25), "2.1": (50, 28, 20),
                "2.2": (100, 55, 25), "S": (50, 25, 20), "3.1": (50, 25, 20)})


def _change(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The change frame of the contract, with Newcombe intervals and the verdict rules."""
    both = new.merge(old, on=["level", "key", "label", "domain"], suffixes=("_after", "_before"))
    low, high = newcombe_intervals(both["good_before"], both["n_before"], both["good_after"],
                                   both["n_after"])
    verdict = np.where(low > 0, "improved", np.where(high < 0, "declined", "no clear change"))
    return both.assign(round_before=BEFORE, round_after=AFTER,
                       difference=both["share_after"] - both["share_before"],
                       diff_low=low, diff_high=high, verdict=verdict)


def _trend() -> pd.DataFrame:
    columns = ["level", "key", "label", "domain", "n", "good", "share", "ci_low", "ci_high", "cases"]
    old = OLD[columns].assign(round_id=BEFORE, round_label="Sep 2025", verdict="")
    verdicts = _change(OLD, NEW).set_index("key")["verdict"]
    new = NEW[columns].assign(round_id=AFTER, round_label="Mar 2026",
                              verdict=NEW["key"].map(verdicts))
    return pd.concat([old, new], ignore_index=True)


def _strengths(figures: pd.DataFrame) -> pd.DataFrame:
    criteria = figures[figures["level"] == "criterion"].rename(columns={"key": "criterion_id"})
    strong = criteria.sort_values("ci_low", ascending=False).head(2).assign(kind="strength")
    weak = criteria.sort_values("ci_high").head(2).assign(kind="area for development")
    parts = [p.assign(rank=range(1, len(p) + 1)) for p in (strong, weak)]
    return pd.concat(parts, ignore_index=True)[
        ["kind", "criterion_id", "label", "domain", "n", "good", "share", "ci_low", "ci_high",
         "cases", "rank"]]


def _results(change: bool = True) -> SimpleNamespace:
    return SimpleNamespace(round_id=AFTER, labels=LABELS, good_or_better=NEW,
                           change=_change(OLD, NEW) if change else _change(OLD, NEW).iloc[0:0],
                           practice_trend=_trend(), strengths=_strengths(NEW))


def _text(blocks: list) -> str:  # type: ignore[type-arg]
    parts = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(f"{block.lead} {block.text}")
        elif isinstance(block, Bullets):
            parts += block.items
        elif isinstance(block, Table):
            parts += [" | ".join(row) for row in (block.header, *block.rows)]
        elif isinstance(block, Chart):
            parts.append(block.alt)
    return "\n".join(parts)


def test_what_changed_names_the_improvement_with_its_figures_and_nothing_hidden() -> None:
    board = disclosure.change_for_board(_change(OLD, NEW)).set_index("key")
    assert board.at["1.1", "state"] == "shown" and board.at["1.2", "state"] != "shown"
    said = _text(practice.what_changed(_results(), None))
    assert "Improved since Sep 2025 (the 95% interval for each change lies wholly above zero):" in said
    assert (f"\n1.1 Heard: 9% to 22% (+13 points; 95% interval {board.at['1.1', 'interval']})\n"
            in said)
    assert "2.1 Planned:" not in said  # no clear change is not listed as a change
    for _, row in board.iterrows():  # a change not shown is never listed
        if row["state"] != "shown":
            assert f"{findings.area(row)}:" not in said
    hidden = int(((board["state"] == "hidden") & (board["level"] != "overall")).sum())
    assert f"The change in {hidden} areas is not shown (c)" in said
    assert "Weakest this round:" in said and "Strongest this round:" in said


def test_with_nothing_to_compare_the_report_says_so_rather_than_inventing_a_change() -> None:
    said = _text(practice.what_changed(_results(change=False), None))
    assert "first round of its framework" in said
    assert "Improved" not in said and "Declined" not in said


def test_a_domain_shows_its_criteria_as_disclosure_does_and_draws_only_what_it_shows() -> None:
    sections = practice.domains(_results(), None)
    assert [s.title for s in sections] == ["Voice", "Plans", "Support"]
    board = disclosure.good_or_better_for_board(NEW).set_index("label")
    verdicts = disclosure.change_for_board(_change(OLD, NEW)).set_index("label")["verdict"]
    assert board.at["1.1 Heard", "state"] == "shown" and board.at["1.2 Recorded", "state"] == "hidden"
    for section in sections:
        sentence, chart, table = section.blocks
        assert isinstance(chart, Chart) and isinstance(table, Table)
        assert table.header[-1] == "Change since Sep 2025"
        domain = board.loc[section.title]
        assert (sentence.lead == domain["share"]) == (domain["state"] == "shown")
        for label, n, cases, share, interval, verdict in table.rows:
            row = board.loc[label]
            assert (n, cases, share, interval) == (row["n"], row["cases"], row["share"],
                                                   row["interval"])
            assert verdict == verdicts[label]
            # the alt text states every figure of the table, a hidden one as its symbol
            assert (f"{label}: judgements (n) {n}, good or better {share}, 95% interval "
                    f"{interval}" in chart.alt)
            if row["state"] != "shown":
                assert (share, interval) == ("c", "c")
    voice = sections[0].blocks
    assert "Not drawn: 2 bars marked c" in voice[1].alt  # 1.2, and 1.3 that would give it back
    assert "c: confidential" in voice[2].note


def test_trends_chart_and_table_leave_out_a_hidden_point() -> None:
    _, chart, table = practice.trends(_results(), [], None)
    assert table.header == ("Area", "Sep 2025", "Mar 2026")
    # protected as the trends dashboard protects it: every level, each round as its page shows it
    board = disclosure.trend_for_board(_trend(), pages=findings.round_pages(_results()))
    board = board[board["level"] != "criterion"]
    rows = {row[0]: row for row in table.rows}
    assert set(rows) == {"All criteria", "Voice", "Plans", "Support"}
    hidden = board[board["state"] == "hidden"]
    assert ("Support", BEFORE) in set(zip(hidden["label"], hidden["round_id"], strict=True))
    for _, row in board.iterrows():
        cell = rows[row["label"]][1 + [BEFORE, AFTER].index(row["round_id"])]
        assert cell == f"{row['share']} (n={row['n']})"
        point = f"{row['label']}: " if row["round_id"] == BEFORE else ", "
        assert f"{point}{LABELS[row['round_id']]} {row['share']}" in chart.alt
        assert (f"{row['label']}: round {LABELS[row['round_id']]}, good or better {row['share']}, "
                f"95% interval {row['interval']}, n {row['n']}" in chart.alt)
        if row["state"] != "shown":
            assert row["share"] == "c"
    assert "Not drawn:" in chart.alt


def test_trends_with_one_round_say_there_is_none_to_show() -> None:
    results = _results()
    results.practice_trend = results.practice_trend[results.practice_trend["round_id"] == AFTER]
    (only,) = practice.trends(results, [], None)
    assert "no trend to show" in only.text


def test_strengths_keep_a_hidden_criterion_named_without_its_figures() -> None:
    said = _text(practice.strengths(_results(), None))
    board = disclosure.strengths_for_board(_strengths(NEW), None, NEW)
    for _, row in board.iterrows():
        if row["state"] == "shown":
            assert (f"{row['label']}: {row['share']} good or better (95% interval "
                    f"{row['interval']}; {row['n']} judgements on {row['cases']} cases)") in said
        else:
            assert f"{row['label']}: figures not shown (c)" in said
    assert (board["state"] == "hidden").any() and (board["state"] == "shown").any()
