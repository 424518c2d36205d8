"""Secondary suppression in tables that add up: a criterion × agency table with its totals, the
groups of a breakdown, and the equations themselves. Each test sets a reader with a calculator
(:func:`tests.disclosure_frames.recovered`) against the table a board would see."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from caseaudit.disclosure import (
    breakdowns_for_board,
    breakdowns_for_chart,
    chart_note,
    cross_table_for_board,
    cross_table_for_chart,
)
from caseaudit.disclosure.secondary import cross_equations, determined, equations_from, protect
from tests.disclosure_frames import recovered, with_shares

AGENCIES = ["police", "health", "school"]
#: criterion -> (n, good) per agency; only 1.2 × police is small (3 judgements, 1 good)
CELLS = {"1.1": [(20, 10), (18, 9), (25, 12)],
         "1.2": [(3, 1), (15, 8), (22, 11)],
         "1.3": [(12, 6), (30, 14), (16, 8)]}


def _cross(cells: dict[str, list[tuple[int, int]]], agencies: list[str] = AGENCIES) -> pd.DataFrame:
    return with_shares([dict(key=key, label=f"{key} A criterion", agency=agency, n=n, good=good)
                        for key, row in cells.items() for agency, (n, good) in zip(agencies, row,
                                                                                   strict=True)])


def _sums(rows: list[str], columns: list[str]) -> list[tuple[tuple[str, str], list[tuple[str, str]]]]:
    """Every row and column equation of the table with its totals ("Total")."""
    every_row, every_column = [*rows, "Total"], [*columns, "Total"]
    return ([((r, "Total"), [(r, c) for c in columns]) for r in every_row]
            + [(("Total", c), [(r, c) for r in rows]) for c in every_column])


def _values(frame: pd.DataFrame, figure: str) -> dict[tuple[str, str], float]:
    """The true figures of the table and its totals: n, good or not good."""
    table = frame.assign(bad=frame["n"] - frame["good"]).pivot_table(
        index="key", columns="agency", values=figure, aggfunc="sum", sort=False)
    table["Total"] = table.sum(axis=1)
    table.loc["Total"] = table.sum(axis=0)
    return {(r, c): float(table.loc[r, c]) for r in table.index for c in table.columns}


def test_one_small_cell_with_its_totals_hides_the_smallest_complements_and_nothing_comes_back() -> None:
    frame = _cross(CELLS)
    board = cross_table_for_board(frame)
    hidden = {(r, c) for r, c, s in board[["key", "agency", "state"]].itertuples(index=False)
              if s == "hidden"}
    # the small cell; the smallest other in its column (1.3, 12) and in its row (health, 15);
    # and the cell closing the rectangle, so each row and column holds two unknowns
    assert hidden == {("1.2", "police"), ("1.3", "police"), ("1.2", "health"), ("1.3", "health")}
    sums = _sums(list(CELLS), AGENCIES)
    for figure in ("n", "good", "bad"):
        assert recovered(_values(frame, figure), hidden, sums) == set()
        # the naive table, the small cell alone hidden, gives it back from its row total
        assert recovered(_values(frame, figure), {("1.2", "police")}, sums) == {("1.2", "police")}
    shown = board[board["state"] == "shown"]
    assert len(shown) == 16 - 4 and (board.loc[board["state"] == "hidden", "n"] == "c").all()
    totals = board[board["margin"] != ""].set_index(["key", "agency"])
    assert totals.loc[("1.2", "Total"), ["n", "share"]].tolist() == ["40", "50%"]
    assert totals.loc[("Total", "Total"), "margin"] == "grand total"
    assert totals.loc[("Total", "police"), "label"] == "Total"


def test_the_heatmap_draws_only_the_shown_cells_and_says_so() -> None:
    frame = _cross(CELLS)
    board = cross_table_for_board(frame)
    chart = cross_table_for_chart(frame)
    assert chart["state"].tolist() == board["state"].tolist()
    assert (chart["share"].notna() == (chart["state"] == "shown")).all()
    assert chart["n_text"].tolist() == board["n"].tolist()
    assert chart_note(chart, "cell").startswith("Not drawn: 4 cells marked c")


def test_missing_pairs_and_empty_cells_keep_their_own_symbols() -> None:
    frame = _cross({"1.1": [(20, 10), (18, 9)], "1.2": [(0, 0), (22, 11)]}, ["police", "health"])
    frame = pd.concat([frame, _cross({"1.3": [(14, 7)]}, ["school"])], ignore_index=True)
    board = cross_table_for_board(frame).set_index(["key", "agency"])
    assert board.loc[("1.2", "police"), ["n", "share", "state"]].tolist() == ["0", ":", "none"]
    assert board.loc[("1.3", "police"), ["n", "share", "state"]].tolist() == ["x", "x",
                                                                            "not available"]
    assert (board["state"].isin(["shown", "none", "not available"])).all()
    answered = cross_table_for_board(frame, absent="not answered").set_index(["key", "agency"])
    assert answered.loc[("1.3", "police"), ["n", "share"]].tolist() == ["z", "z"]
    assert chart_note(cross_table_for_chart(frame, absent="not answered"), "cell") == (
        "Not drawn: 1 cell marked : (nothing graded); 4 cells marked z (the agency does not answer "
        "the criterion).")


def test_the_same_table_is_hidden_the_same_way_every_time() -> None:
    cells = {"1.1": [(4, 2), (18, 9), (25, 12)], "1.2": [(9, 9), (15, 8), (22, 11)],
             "1.3": [(12, 6), (30, 14), (2, 1)], "1.4": [(11, 6), (13, 7), (17, 8)]}
    first = cross_table_for_board(_cross(cells))
    assert first.equals(cross_table_for_board(_cross(cells)))
    hidden = {(r, c) for r, c, s in first[["key", "agency", "state"]].itertuples(index=False)
              if s == "hidden"}
    assert {("1.1", "police"), ("1.3", "school")} <= hidden  # 4 and 2 judgements
    for figure in ("n", "good", "bad"):
        assert recovered(_values(_cross(cells), figure), hidden, _sums(list(cells), AGENCIES)) == set()


def test_a_cell_only_a_sum_of_several_equations_gives_back_is_found_and_protected() -> None:
    """Two rectangles of hidden cells joined by one hidden cell: every row and column holds two
    unknowns, so no single equation gives anything back, yet adding rows 0-1 and taking away
    columns 0-1 leaves the joining cell alone. :func:`determined` finds it; protect() fixes it."""
    rows, columns = 4, 4
    equations = cross_equations(rows, columns)

    def at(r: int, c: int) -> int:
        return r * (columns + 1) + c

    pattern = np.zeros(equations.shape[1], dtype=bool)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]:
        pattern[at(r, c)] = True
    assert determined(equations, pattern).tolist().count(True) == 1
    assert determined(equations, pattern)[at(0, 2)]

    def rank_says(hidden: np.ndarray, cell: int) -> bool:  # independent of determined()
        a = equations[:, hidden]
        unit = np.eye(int(hidden.sum()))[list(np.flatnonzero(hidden)).index(cell)]
        return np.linalg.matrix_rank(np.vstack([a, unit])) == np.linalg.matrix_rank(a)

    assert rank_says(pattern, at(0, 2))
    size = np.arange(1, equations.shape[1] + 1, dtype=float)
    fixed = protect(equations, pattern, size, np.ones_like(pattern))
    assert (fixed >= pattern).all() and fixed.sum() > pattern.sum()
    assert not any(rank_says(fixed, cell) for cell in np.flatnonzero(fixed))


def test_a_whole_with_one_part_published_elsewhere_is_left_as_it_is() -> None:
    equations = equations_from([(0, [1, 2])], 3)
    # part 1 hidden, part 2 a true zero (never hidden), the whole published elsewhere
    kept = protect(equations, np.array([False, True, False]), np.array([10.0, 10.0, 0.0]),
                   np.array([False, True, False]))
    assert kept.tolist() == [False, True, False]


# -- breakdowns ----------------------------------------------------------------------------------


def _breakdown(groups: dict[str, tuple[int, int, int]], attribute: str = "disability",
               level: str = "overall", key: str = "overall") -> list[dict]:
    return [dict(attribute=attribute, attribute_label=attribute.replace("_", " ").capitalize(),
                 group=group, level=level, key=key, label="All criteria" if key == "overall" else key,
                 n=n, good=good, cases=cases) for group, (n, good, cases) in groups.items()]


def test_a_hidden_group_takes_the_next_smallest_with_it() -> None:
    rows = _breakdown({"Disabled": (14, 4, 3), "Not disabled": (90, 50, 30),
                       "Not recorded": (24, 12, 8)})
    rows += _breakdown({"Male": (60, 30, 20), "Female": (68, 36, 21)}, "gender")
    frame = with_shares(rows)
    board = breakdowns_for_board(frame)
    state = dict(zip(board["group"], board["state"], strict=True))
    assert state == {"Disabled": "hidden", "Not recorded": "hidden", "Not disabled": "shown",
                     "Male": "shown", "Female": "shown"}
    whole = {"n": 128, "good": 66, "bad": 62}
    for figure, total in whole.items():
        sub = frame[frame["attribute"] == "disability"].assign(bad=lambda f: f["n"] - f["good"])
        values = {**dict(zip(sub["group"], sub[figure], strict=True)), "whole": total}
        hidden = {g for g, s in state.items() if s == "hidden"}
        assert recovered(values, hidden, [("whole", list(sub["group"]))]) == set()
        assert recovered(values, {"Disabled"}, [("whole", list(sub["group"]))]) == {"Disabled"}
    chart = breakdowns_for_chart(frame)
    assert chart.loc[chart["state"] != "shown", "share"].isna().all()


def test_no_second_group_is_hidden_when_the_whole_is_hidden_too() -> None:
    # 3 good of 30 in all: the whole is hidden, so the group of 10 with 3 good is not recoverable
    frame = with_shares(_breakdown({"Disabled": (10, 3, 8), "Not disabled": (20, 0, 15)}))
    board = breakdowns_for_board(frame)
    assert board["state"].tolist() == ["hidden", "shown"]
    assert board["share"].tolist() == ["c", "0%"]


def test_a_group_by_domain_breakdown_is_protected_in_both_directions() -> None:
    """Each group's overall row is its domains added up, and each domain's whole is its groups:
    a group × domain table with totals, which one small cell must not leak from."""
    domains = {"Voice": {"A": (20, 10, 9), "B": (3, 1, 3), "C": (18, 9, 9)},
               "Safety": {"A": (22, 11, 9), "B": (16, 8, 8), "C": (25, 12, 11)}}
    rows: list[dict] = []
    for domain, groups in domains.items():
        rows += _breakdown(groups, "ethnicity_group", "domain", domain)
    for group in ("A", "B", "C"):
        n, good = (sum(domains[d][group][i] for d in domains) for i in (0, 1))
        rows += _breakdown({group: (n, good, 12)}, "ethnicity_group")
    frame = with_shares(rows)
    board = breakdowns_for_board(frame)
    hidden = {(g, k) for g, k, s in board[["group", "key", "state"]].itertuples(index=False)
              if s == "hidden"}
    assert ("B", "Voice") in hidden and len(hidden) >= 4
    groups, keys = ["A", "B", "C"], ["Voice", "Safety"]
    for figure in ("n", "good"):
        values = {(g, k): float(v) for g, k, v in frame[["group", "key", figure]].itertuples(index=False)}
        for k in [*keys, "overall"]:
            values[("whole", k)] = sum(values[(g, k)] for g in groups)
        sums = ([((g, "overall"), [(g, k) for k in keys]) for g in [*groups, "whole"]]
                + [(("whole", k), [(g, k) for g in groups]) for k in [*keys, "overall"]])
        assert recovered(values, hidden, sums) == set()
        assert recovered(values, {("B", "Voice")}, sums)  # naive: leaks


def test_every_pattern_of_one_small_cell_in_a_small_table_is_safe() -> None:
    """Wherever the one small cell of a 3 × 3 table sits, nothing hidden comes back."""
    for r, c in itertools.product(range(3), range(3)):
        cells = {f"1.{i}": [(10 + 3 * i + j, 5 + i) for j in range(3)] for i in range(3)}
        cells[f"1.{r}"][c] = (4, 2)
        frame = _cross(cells)
        board = cross_table_for_board(frame)
        hidden = {(k, a) for k, a, s in board[["key", "agency", "state"]].itertuples(index=False)
                  if s == "hidden"}
        assert (f"1.{r}", AGENCIES[c]) in hidden
        for figure in ("n", "good", "bad"):
            assert recovered(_values(frame, figure), hidden, _sums(list(cells), AGENCIES)) == set()


def test_random_small_tables_never_give_a_hidden_cell_back() -> None:
    """Forty seeded 4 × 3 tables with a few small cells: no hidden cell comes back by sums, one
    equation at a time or any combination of them (the rank of the equations says so)."""
    rng = np.random.default_rng(20250927)
    keys = ["1.1", "1.2", "1.3", "1.4"]
    for _ in range(40):
        cells = {}
        for key in keys:
            row = []
            for _ in AGENCIES:
                n = int(rng.integers(1, 6)) if rng.random() < 0.2 else int(rng.integers(8, 30))
                row.append((n, int(rng.binomial(n, 0.5))))
            cells[key] = row
        frame = _cross(cells)
        board = cross_table_for_board(frame)
        hidden = {(r, c) for r, c, s in board[["key", "agency", "state"]].itertuples(index=False)
                  if s == "hidden"}
        for figure in ("n", "good", "bad"):
            assert recovered(_values(frame, figure), hidden, _sums(keys, AGENCIES)) == set()
        equations = cross_equations(len(keys), len(AGENCIES))
        mask = (board["state"] == "hidden").to_numpy()
        a = equations[:, mask]
        for i in range(int(mask.sum())):
            unit = np.eye(int(mask.sum()))[i]
            assert np.linalg.matrix_rank(np.vstack([a, unit])) > np.linalg.matrix_rank(a)
