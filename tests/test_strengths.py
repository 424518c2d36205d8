"""Strengths and areas for development from good-or-better figures written by hand: ranked by
the share the round can be sure of, never named on a handful of cases."""

from __future__ import annotations

import pandas as pd

from caseaudit.analysis import MIN_CASES, MIN_JUDGEMENTS, _finish, strengths_and_areas


def _figures(overall: tuple[int, int], criteria: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    """Good-or-better rows: the overall ``(good, n)`` and per criterion ``(good, n, cases)``."""
    rows = [("overall", "overall", "All criteria", "", overall[1], overall[0], 99)]
    rows += [("criterion", key, f"{key} words", "Voice", n, good, cases)
             for key, (good, n, cases) in criteria.items()]
    table = pd.DataFrame(rows, columns=["level", "key", "label", "domain", "n", "good", "cases"])
    return _finish(table.assign(basis="moderated"))


def test_strengths_rank_by_the_share_the_round_can_be_sure_of() -> None:
    figures = _figures((100, 200), {
        "A": (18, 20, 20),  # 90% on 20: low end 0.70
        "B": (38, 40, 40),  # 95% on 40: low end 0.83, first
        "C": (10, 10, 10),  # 100% on 10: low end 0.72, above A though A's share is lower
        "D": (6, 6, 6),  # 100%, but on 6 judgements: never named
        "E": (11, 20, 2),  # above the line, on 20 judgements from only 2 cases: never named
        "F": (2, 20, 20),  # 10% on 20: high end 0.30
        "G": (0, 12, 12),  # 0% on 12: high end 0.24, weakest
        "H": (0, 4, 4),  # 0% on 4: too few to be named
        "I": (10, 20, 20),  # exactly the overall share: neither
    })
    table = strengths_and_areas(figures)
    strengths = table[table["kind"] == "strength"]
    areas = table[table["kind"] == "area for development"]
    assert strengths["criterion_id"].tolist() == ["B", "C", "A"]
    assert strengths["rank"].tolist() == [1, 2, 3]
    assert areas["criterion_id"].tolist() == ["G", "F"]
    assert areas["rank"].tolist() == [1, 2]
    first = strengths.iloc[0]
    assert (first["label"], first["domain"], first["n"], first["good"], first["cases"]) == (
        "B words", "Voice", 40, 38, 40)
    assert table["n"].min() >= MIN_JUDGEMENTS and table["cases"].min() >= MIN_CASES


def test_at_most_top_of_each_and_nothing_on_a_round_with_no_grades() -> None:
    figures = _figures((50, 100), {str(i): (20, 20, 20) for i in range(8)})
    assert strengths_and_areas(figures, top=3)["rank"].tolist() == [1, 2, 3]
    assert strengths_and_areas(_figures((0, 0), {"A": (0, 0, 0)})).empty
