"""Secondary suppression: hiding enough other figures that no hidden one can be worked out.

A board's tables add up. The agencies' cells of a criterion add up to the criterion's total, the
groups of a breakdown add up to the whole, the criteria of a domain to the domain. Hiding a small
count is no use if its row total and the other cells of its row are shown: a subtraction gives it
back. Each of those "adds up" facts is an equation; a hidden figure is recoverable exactly when the
equations, with every shown figure put in, pin down its value, that is when its unit vector lies in
the row space of the equations restricted to the hidden figures. :func:`determined` tests that for
every hidden figure at once, which catches what one equation at a time misses (a hidden cell that
only a sum of several rows and columns gives back).

:func:`protect` then hides more, one figure at a time, until nothing hidden is determined: each time
the cell that shares an equation with a recoverable one, leaves the fewest recoverable figures
behind it, and is the smallest (then the first): the usual "smallest complementary cell" choice,
which for a single small cell with its margins hides the smallest other cell in its row or column,
then the smallest in the other, then the cell closing the rectangle. The choice depends only on the
figures, so the same table is hidden the same way on a dashboard, in a report and in an export.

Counts (``n``) and good-or-better counts (``good``, hence ``n - good``) add up the same way, and a
row is hidden whole, so one pattern protects all three. A true zero (``n`` of 0) is never hidden.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: A hidden figure is recoverable when its projection onto the equations' row space is this close to 1.
_PINNED = 1 - 1e-6


def determined(equations: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Which hidden figures the shown ones give back: True at each hidden column of ``equations``
    (one row per "adds up" fact, one column per figure, coefficients +1 / -1) whose value every
    solution shares."""
    out = np.zeros(len(hidden), dtype=bool)
    columns = np.flatnonzero(hidden)
    if not len(columns) or not len(equations):
        return out
    a = equations[:, columns]
    a = a[np.any(a != 0, axis=1)]
    if not len(a):
        return out
    _, singular, vt = np.linalg.svd(a, full_matrices=False)
    rank = int(np.sum(singular > 1e-9 * max(float(singular.max()), 1.0)))
    out[columns] = np.sum(vt[:rank] ** 2, axis=0) > _PINNED
    return out


def protect(equations: np.ndarray, hidden: np.ndarray, size: np.ndarray,
            eligible: np.ndarray) -> np.ndarray:
    """``hidden`` and as few more figures as it takes for none to be recoverable (see the module
    docstring for the choice). ``size`` orders the candidates (smallest first); ``eligible`` says
    which figures may be hidden to protect another (not a true zero, not a figure published
    elsewhere). Recoverable figures with no eligible figure beside them are left as they are:
    there is nothing this table can hide to protect them (a part that is its whole's only part)."""
    hidden = np.asarray(hidden, dtype=bool).copy()
    eligible = np.asarray(eligible, dtype=bool)
    size = np.asarray(size, dtype=float)
    touches = equations != 0
    stuck: set[int] = set()
    while True:
        pinned = [int(i) for i in np.flatnonzero(determined(equations, hidden)) if i not in stuck]
        if not pinned:
            return hidden
        beside = touches[touches[:, pinned].any(axis=1)].any(axis=0) & eligible & ~hidden
        candidates = np.flatnonzero(beside)
        if not len(candidates):
            stuck.update(pinned)
            continue

        def cost(cell: int) -> tuple[int, float, int]:
            trial = hidden.copy()
            trial[cell] = True
            return int(determined(equations, trial).sum()), float(size[cell]), cell

        hidden[min((int(c) for c in candidates), key=cost)] = True


def equations_from(sums: Sequence[tuple[int, Sequence[int]]], cells: int) -> np.ndarray:
    """The matrix of "whole = sum of parts" facts, each a whole's index and its parts' indices."""
    matrix = np.zeros((len(sums), cells))
    for row, (whole, parts) in enumerate(sums):
        matrix[row, list(parts)] = 1.0
        matrix[row, whole] = -1.0
    return matrix


def adds_up(n: np.ndarray, good: np.ndarray, whole: int, parts: Sequence[int]) -> bool:
    """True when the parts' ``n`` and ``good`` add up exactly to the whole's: only then can a
    subtraction give a hidden part back (a domain share on moderated grades over criteria on
    agency grades does not add up, and needs no protecting from them)."""
    if not len(parts):
        return False
    index = list(parts)
    return bool(np.isclose(n[index].sum(), n[whole]) and np.isclose(good[index].sum(), good[whole]))


def cross_equations(rows: int, columns: int) -> np.ndarray:
    """The equations of a ``rows`` × ``columns`` table laid out with a total column and a total row
    (cell ``(r, c)`` at ``r * (columns + 1) + c``): each row and each column adds up to its total,
    and the totals to the grand total."""
    width = columns + 1
    sums: list[tuple[int, list[int]]] = []
    for r in range(rows + 1):
        sums.append((r * width + columns, [r * width + c for c in range(columns)]))
    for c in range(columns + 1):
        sums.append((rows * width + c, [r * width + c for r in range(rows)]))
    return equations_from(sums, (rows + 1) * width)
