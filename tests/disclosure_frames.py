"""Frames written by hand with the columns of issue 10's contract, and a reader who does sums.

:func:`recovered` is the attacker the tests set against disclosure control: it knows every figure a
board is shown and every "adds up" fact of the table, and solves any fact with one unknown left,
again and again, as someone with a calculator and the published table would.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from caseaudit.stats import wilson_intervals

Sum = tuple[Hashable, Sequence[Hashable]]


def with_shares(rows: list[dict]) -> pd.DataFrame:
    """Rows with ``n`` and ``good`` completed with ``share``, ``ci_low`` and ``ci_high``."""
    frame = pd.DataFrame(rows)
    n = frame["n"].to_numpy(dtype=float)
    good = frame["good"].to_numpy(dtype=float)
    low, high = wilson_intervals(good, n)
    share = np.divide(good, n, out=np.full(len(n), np.nan), where=n > 0)
    return frame.assign(share=share, ci_low=low, ci_high=high)


def good_or_better(criteria: Mapping[str, tuple[int, int, int]], domain: str = "Voice of the child",
                   domain_key: str = "1", basis: str = "agency grades") -> pd.DataFrame:
    """One round's good-or-better frame: each criterion (id -> n, good, cases), their domain and
    the overall figure, each the sum of what it holds (as on agency grades)."""
    rows = [dict(level="criterion", key=key, label=f"{key} A criterion", domain=domain, n=n,
                 good=good, cases=cases, basis=basis) for key, (n, good, cases) in criteria.items()]
    n = sum(v[0] for v in criteria.values())
    good = sum(v[1] for v in criteria.values())
    cases = max(v[2] for v in criteria.values())
    rows.insert(0, dict(level="domain", key=domain_key, label=domain, domain=domain, n=n, good=good,
                        cases=cases, basis=basis))
    rows.insert(0, dict(level="overall", key="overall", label="All criteria", domain="", n=n,
                        good=good, cases=cases, basis=basis))
    return with_shares(rows)


def recovered(values: Mapping[Hashable, float], hidden: set[Hashable], sums: Sequence[Sum]) -> set:
    """The hidden figures a reader gets back from the shown ones by subtraction: every "whole =
    sum of parts" fact with one unknown left is solved, until none is."""
    known = {cell: value for cell, value in values.items() if cell not in hidden}
    solved = True
    while solved:
        solved = False
        for whole, parts in sums:
            unknown = [c for c in (whole, *parts) if c not in known]
            if len(unknown) != 1:
                continue
            cell = unknown[0]
            if cell == whole:
                known[cell] = sum(known[p] for p in parts)
            else:
                known[cell] = known[whole] - sum(known[p] for p in parts if p != cell)
            solved = True
    return {cell for cell in hidden if cell in known}
