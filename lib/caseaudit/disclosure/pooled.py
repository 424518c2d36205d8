"""Which figures of an inspection review to hide, where they pool figures published elsewhere.

An action's before and after sides pool its criteria over several rounds; an area pools its
actions; a line of enquiry pools its criteria in the latest round. Each of those cells (a criterion
in a round) is also on that round's own page, where it may be hidden. A pooled figure is a sum, so
beside the shown cells it can give a hidden one back, and two pooled figures over overlapping
rounds can give one back between them (A8.1's rounds before it started minus A7.1's are one round).

So every figure goes into one system, as :mod:`.secondary` treats a table: the pages' cells with
their "adds up" facts (criteria to domain, domains to overall, as :func:`.hierarchy.round_sums`
finds them), each pooled side equal to the sum of its cells wherever the counts add up exactly
(they do not where the review pooled other grades than the page shows, and then no subtraction
gives anything back), areas to their actions and lines to their criteria. A pooled figure that is
small is hidden; then :func:`.secondary.protect` hides more pooled figures, areas and lines before
actions, until no hidden figure, here or on a page, can be worked out. A page's own figures are
never changed here: they are published as the page shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .hierarchy import round_sums, rounds_hidden
from .rules import figure_hidden
from .secondary import adds_up, equations_from, protect

#: Added to an action's size so that an area (or a line) is hidden before an action to protect a
#: figure: the board reads the plan action by action.
_ACTION_LAST = 1e12


def ids(text: Any) -> list[str]:
    """``"4.1, 4.2"`` (or a list) as ids."""
    if isinstance(text, list | tuple):
        return [str(t) for t in text]
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    return [t.strip() for t in str(text).split(",") if t.strip()]


@dataclass
class _Cells:
    n: list[float] = field(default_factory=list)
    good: list[float] = field(default_factory=list)
    hidden: list[bool] = field(default_factory=list)
    eligible: list[bool] = field(default_factory=list)
    size: list[float] = field(default_factory=list)
    sums: list[tuple[int, list[int]]] = field(default_factory=list)

    def add(self, n: float, good: float, hidden: bool, eligible: bool, size: float) -> int:
        self.n.append(float(n))
        self.good.append(float(good))
        self.hidden.append(bool(hidden))
        self.eligible.append(bool(eligible) and n > 0)
        self.size.append(float(size))
        return len(self.n) - 1


@dataclass(frozen=True)
class Hidden:
    """What to hide: each impact row's sides, each readiness row, and each (round, criterion)
    its round's page hides (for a trend's verdict)."""

    before: np.ndarray
    after: np.ndarray
    readiness: np.ndarray
    on_pages: frozenset[tuple[str, str]]


def _primary(frame: pd.DataFrame, n: str, good: str, cases: str, threshold: int | None) -> np.ndarray:
    figures = pd.DataFrame({"n": frame[n], "good": frame[good]})
    if cases in frame:
        figures["cases"] = frame[cases]
    return figure_hidden(figures.fillna(0), threshold)


def _pages(cells: _Cells, pages: Mapping[str, pd.DataFrame], threshold: int | None
           ) -> dict[tuple[str, str], int]:
    """Each page's rows as cells with their facts; (round, criterion) -> cell."""
    at: dict[tuple[str, str], int] = {}
    for round_id, page in pages.items():
        rows = page.reset_index(drop=True)
        hidden = rounds_hidden(rows, threshold)
        count = rows["n"].to_numpy(dtype=float)
        good = rows["good"].to_numpy(dtype=float)
        base = len(cells.n)
        for i in range(len(rows)):
            cells.add(count[i], good[i], hidden[i], eligible=False, size=count[i])
        cells.sums += [(base + w, [base + p for p in parts])
                       for w, parts in round_sums(rows, count, good)]
        level = rows["level"].astype(str).to_numpy()
        for i, key in enumerate(rows["key"].astype(str)):
            if level[i] == "criterion":
                at[(str(round_id), key)] = base + i
    return at


def protected(impact: pd.DataFrame, readiness: pd.DataFrame, threshold: int | None = None,
              pages: Mapping[str, pd.DataFrame] | None = None) -> Hidden:
    """Which figures of a review's ``impact`` and ``readiness`` frames to hide (see the module
    docstring); ``pages`` each round's own good-or-better frame, as :func:`.practice.change_for_board`
    takes them."""
    cells = _Cells()
    at = _pages(cells, pages or {}, threshold)
    impact = impact.reset_index(drop=True)
    level = impact["level"].astype(str).to_numpy()
    sides: dict[str, list[int]] = {}
    for side in ("before", "after"):
        primary = _primary(impact, f"n_{side}", f"good_{side}", f"cases_{side}", threshold)
        n = impact[f"n_{side}"].fillna(0).to_numpy(dtype=float)
        good = impact[f"good_{side}"].fillna(0).to_numpy(dtype=float)
        mine = sides[side] = [cells.add(n[i], good[i], primary[i], True,
                                        n[i] + (_ACTION_LAST if level[i] == "action" else 0))
                              for i in range(len(impact))]
        for i, (rounds, criteria) in enumerate(zip(impact[f"rounds_{side}"], impact["criteria"],
                                                   strict=True)):
            parts = [at.get((r, c)) for r in ids(rounds) for c in ids(criteria)]
            if parts and None not in parts:
                cells.sums.append((mine[i], [p for p in parts if p is not None]))
        areas = impact["area_id"].astype(str).to_numpy()
        for a in np.flatnonzero(level == "area"):
            actions = np.flatnonzero((level == "action") & (areas == areas[a]))
            cells.sums.append((mine[a], [mine[i] for i in actions]))
    ready = readiness.reset_index(drop=True)
    primary = _primary(ready, "n", "good", "cases", threshold)
    kind = ready["level"].astype(str).to_numpy()
    lines = ready["line_id"].astype(str).to_numpy()
    n = ready["n"].fillna(0).to_numpy(dtype=float)
    good = ready["good"].fillna(0).to_numpy(dtype=float)
    rows: list[int] = []
    for i, (round_id, criterion) in enumerate(zip(ready["round_id"].astype(str),
                                                  ready["criterion_id"].astype(str), strict=True)):
        page = at.get((round_id, criterion)) if kind[i] == "criterion" else None
        if page is not None and cells.n[page] == n[i] and cells.good[page] == good[i]:
            cells.hidden[page] |= bool(primary[i])  # the page's own cell: the same figure
            rows.append(page)
        else:
            rows.append(cells.add(n[i], good[i], primary[i], True,
                                  n[i] + (_ACTION_LAST if kind[i] == "criterion" else 0)))
    for i in np.flatnonzero(kind == "line"):
        parts = np.flatnonzero((kind == "criterion") & (lines == lines[i]))
        cells.sums.append((rows[i], [rows[p] for p in parts]))
    count, good_count = np.array(cells.n), np.array(cells.good)
    sums = [(w, parts) for w, parts in cells.sums if adds_up(count, good_count, w, parts)]
    hidden = np.array(cells.hidden, dtype=bool)
    if sums:
        hidden = protect(equations_from(sums, len(count)), hidden, np.array(cells.size),
                         np.array(cells.eligible, dtype=bool))
    on_pages = frozenset(key for key, cell in at.items() if hidden[cell])
    return Hidden(before=hidden[sides["before"]], after=hidden[sides["after"]],
                  readiness=hidden[rows], on_pages=on_pages)
