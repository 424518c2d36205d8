"""Disclosure control for anything a board or committee sees.

The rules follow the DfE children-in-need statistics: a count from 1 to 5 is shown as ``c``; a
true zero stays ``0``; and a percentage is never shown where its numerator or the remainder
(``n - good``) is suppressed, since ``share × n`` would give the hidden count back (secondary
suppression). The threshold is a setting (some partnerships use 10).

Derived figures (agreement, alpha, a mean difference, a chart point) follow the same rule on what
they rest on: they are hidden when the number of items (``n``) or of cases behind them
(``cases``) is small. Thirteen grades from one child's case are still one case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import settings

SUPPRESSED = "c"


def is_small(count: pd.Series | np.ndarray, threshold: int | None = None) -> np.ndarray:
    """True where a count must not be shown: from 1 up to the threshold."""
    limit = settings.SUPPRESSION_THRESHOLD if threshold is None else threshold
    values = np.asarray(count, dtype=float)
    return (values >= 1) & (values <= limit)


def share_hidden(table: pd.DataFrame, threshold: int | None = None) -> np.ndarray:
    """True where a row's share (and interval) must be hidden: ``n``, ``good`` or ``n - good``
    is a small count, so the share would reveal one."""
    n = table["n"].to_numpy(dtype=float)
    good = table["good"].to_numpy(dtype=float)
    return is_small(n, threshold) | is_small(good, threshold) | is_small(n - good, threshold)


def derived_hidden(table: pd.DataFrame, threshold: int | None = None) -> np.ndarray:
    """True where a figure derived from a row (an agreement share, alpha, a mean difference, a
    chart point) must not be shown: its ``n`` or, where the table has one, its ``cases`` is small,
    or there is nothing to show (``n`` of 0)."""
    n = table["n"].to_numpy(dtype=float)
    hidden = is_small(n, threshold) | (n == 0)
    if "cases" in table:
        hidden |= is_small(table["cases"].to_numpy(dtype=float), threshold)
    return hidden


def format_count(count: float, threshold: int | None = None) -> str:
    """A count for display: ``c`` when small, else the whole number."""
    if pd.isna(count):
        return ":"
    return SUPPRESSED if is_small(np.array([count]), threshold)[0] else f"{int(count):,}"


def render_summary(table: pd.DataFrame, threshold: int | None = None,
                   keep: tuple[str, ...] = ("domain", "criterion", "agency")) -> pd.DataFrame:
    """A summary table as text for a dashboard: counts, shares and intervals with ``c`` where
    suppressed and ``:`` where nothing was graded. The caller's frame is not changed."""
    hidden = share_hidden(table, threshold)
    out = table[[c for c in keep if c in table.columns]].copy()
    if "criterion" in out and "criterion_id" in table:
        out["criterion"] = table["criterion_id"].astype(str) + " " + table["criterion"].astype(str)
    out["Judgements (n)"] = [format_count(v, threshold) for v in table["n"]]
    shares, intervals = [], []
    for hide, n, share, low, high in zip(hidden, table["n"], table["share"], table["ci_low"],
                                         table["ci_high"], strict=True):
        if n == 0:
            shares.append(":")
            intervals.append(":")
        elif hide:
            shares.append(SUPPRESSED)
            intervals.append(SUPPRESSED)
        else:
            shares.append(f"{share:.0%}")
            intervals.append(f"{low:.0%} – {high:.0%}")
    out["Good or better"] = shares
    out["95% interval"] = intervals
    return out.rename(columns={"domain": "Domain", "criterion": "Criterion", "agency": "Agency"})
