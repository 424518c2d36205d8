"""The primary rules, the symbols and the words a board reads beside them.

Everything else in :mod:`caseaudit.disclosure` decides *which* figures to hide; this module says
what hiding means (a count from 1 to the threshold, or a figure that would reveal one), how a hidden
or missing figure is written (the symbols of :data:`SYMBOLS`), and how a chart says what it left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .. import settings

SUPPRESSED = "c"
NOT_APPLICABLE = "z"
NOTHING = ":"
NOT_AVAILABLE = "x"

#: Every symbol a board-facing figure may be replaced by, in the order a key lists them. ``c``,
#: ``z`` and ``x`` are the GSS harmonised symbols DfE uses on Explore education statistics; ``:``
#: is the workbook's own "nothing graded", kept from before (GSS lists it as a legacy symbol).
SYMBOLS: dict[str, str] = {
    SUPPRESSED: "confidential: a count from 1 to {threshold}, or a figure from which such a count "
                "could be worked out, is not shown",
    NOT_APPLICABLE: "not applicable: the figure does not apply (an agency that does not answer the "
                    "criterion, or a criterion that changed between the two rounds)",
    NOTHING: "nothing graded: no judgement was made, so there is no figure (a true zero is shown as 0)",
    NOT_AVAILABLE: "not available: the figure could not be worked out from what was recorded",
}

#: The state (and the change verdict) of a figure with nothing to compare: the framework version
#: changed the criterion between the two rounds. Written ``z``.
NOT_COMPARABLE = "not comparable"

#: The state of a criterion × agency cell for an agency that does not answer the criterion.
NOT_ANSWERED = "not answered"

#: A row's ``state`` and the symbol written in place of its figures.
STATE_SYMBOLS = {"hidden": SUPPRESSED, "none": NOTHING, NOT_COMPARABLE: NOT_APPLICABLE,
                 NOT_ANSWERED: NOT_APPLICABLE, "not available": NOT_AVAILABLE}


def threshold_of(threshold: int | None) -> int:
    """``threshold`` where a caller gives one (a test, a partnership's own report), else the
    setting (:func:`caseaudit.settings.suppression_threshold`)."""
    return settings.suppression_threshold() if threshold is None else threshold


def is_small(count: pd.Series | np.ndarray, threshold: int | None = None) -> np.ndarray:
    """True where a count must not be shown: from 1 up to the threshold."""
    limit = threshold_of(threshold)
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


def figure_hidden(table: pd.DataFrame, threshold: int | None = None) -> np.ndarray:
    """True where a good-or-better row (``n``, ``good`` and maybe ``cases``) must be hidden before
    any other row is considered: :func:`share_hidden`, or few cases behind it. Thirteen grades
    from two children's cases describe two children, however many grades there are."""
    hidden = share_hidden(table, threshold)
    if "cases" in table:
        hidden |= is_small(table["cases"].to_numpy(dtype=float), threshold)
    return hidden


def states(hidden: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Each row's ``state``: ``none`` where nothing was graded (``n`` of 0), ``hidden`` where
    suppressed, else ``shown``."""
    n = np.asarray(n, dtype=float)
    return np.where(n == 0, "none", np.where(hidden, "hidden", "shown"))


def format_count(count: float, threshold: int | None = None) -> str:
    """A count for display: ``c`` when small, else the whole number."""
    if pd.isna(count):
        return NOTHING
    return SUPPRESSED if is_small(np.array([count]), threshold)[0] else f"{int(count):,}"


def format_share(share: float) -> str:
    """A share as a whole percentage, ``x`` where it could not be worked out."""
    return NOT_AVAILABLE if pd.isna(share) else f"{share:.0%}"


def format_interval(low: float, high: float) -> str:
    """An interval of shares as the dashboard has always written it (``25% – 60%``)."""
    if pd.isna(low) or pd.isna(high):
        return NOT_AVAILABLE
    return f"{low:.0%} – {high:.0%}"


def _points(value: float) -> int:
    return round(float(value) * 100)  # an int, so never -0


def format_difference(difference: float) -> str:
    """A difference of two shares in percentage points, signed (``+13 points``, ``-1 point``)."""
    if pd.isna(difference):
        return NOT_AVAILABLE
    points = _points(difference)
    return f"{points:+d} point{'s' if abs(points) != 1 else ''}" if points else "0 points"


def format_difference_interval(low: float, high: float) -> str:
    """The interval of a difference in percentage points (``-2 to +28 points``)."""
    if pd.isna(low) or pd.isna(high):
        return NOT_AVAILABLE
    return " to ".join(f"{p:+d}" if p else "0" for p in (_points(low), _points(high))) + " points"


def text_where(state: np.ndarray, written: Iterable[str]) -> list[str]:
    """``written`` where a row is shown, else the symbol of its state."""
    return [w if s == "shown" else STATE_SYMBOLS[s] for s, w in zip(state, written, strict=True)]


def symbol_key(used: Iterable[Any] | pd.DataFrame, threshold: int | None = None) -> list[tuple[str, str]]:
    """The rows of a key (symbol, meaning) for a page, a table or a report: only the symbols that
    appear in ``used`` (cell texts, or frames whose cells are searched), in :data:`SYMBOLS` order,
    so a reader is never told about a symbol they will not meet."""
    seen: set[str] = set()
    frames = [used] if isinstance(used, pd.DataFrame) else list(used)
    for item in frames:
        if isinstance(item, pd.DataFrame):
            seen.update(v for v in item.to_numpy().ravel().tolist() if isinstance(v, str))
        elif isinstance(item, str):
            seen.add(item.strip())
    limit = threshold_of(threshold)
    return [(symbol, meaning.format(threshold=limit)) for symbol, meaning in SYMBOLS.items()
            if symbol in seen]


_LEFT_OUT = {
    "hidden": "{c} (fewer than {more} {counted} or cases behind {them}, or {they} would reveal "
              "such a count)",
    "none": "{nothing} (nothing graded)",
    NOT_COMPARABLE: "{z} (not comparable: the criterion changed)",
    NOT_ANSWERED: "{z} (the agency does not answer the criterion)",
    "not available": "{x} (not available)",
}


def chart_note(state: Iterable[str] | pd.DataFrame | pd.Series, mark: str = "bar",
               threshold: int | None = None, counted: str = "judgements") -> str:
    """The sentence a chart carries under it when it leaves something out, e.g. "Not drawn: 2 bars
    marked c (fewer than 6 judgements or cases behind them, or they would reveal such a count)."

    ``state`` is the ``state`` column of a ``*_for_chart`` frame (or the frame itself); ``mark``
    is what the chart draws (bar, point, cell). Empty when everything is drawn, so a caller can
    always add it. A chart must say so because a missing bar otherwise reads as a zero."""
    if isinstance(state, pd.DataFrame):
        state = state["state"]
    counts = pd.Series(list(state), dtype=object).value_counts()
    parts = []
    for kind, words in _LEFT_OUT.items():
        k = int(counts.get(kind, 0))
        if not k:
            continue
        marks = f"{k} {mark}" + ("" if k == 1 else "s")
        reason = words.format(c="marked c", nothing="marked :", z="marked z", x="marked x",
                              more=threshold_of(threshold) + 1, counted=counted,
                              them="it" if k == 1 else "them", they="it" if k == 1 else "they")
        parts.append(f"{marks} {reason}")
    if not parts:
        return ""
    return "Not drawn: " + "; ".join(parts) + "."
