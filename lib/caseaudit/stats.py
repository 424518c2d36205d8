"""Statistics for small audit samples.

Audit samples are small (often 6-40 cases), where the textbook "p ± 1.96·SE" interval misbehaves
(it can run below 0 or above 1 and is too narrow). The Wilson score interval is the usual
recommendation for such samples (Newcombe 1998; Brown, Cai & DasGupta 2001); we use statsmodels'
implementation rather than our own.

A change between two rounds is a difference of two independent proportions, for which the textbook
interval has the same faults, and worse ones at 0 or 1. Newcombe's method 10 (the "hybrid score"
interval) is built from the two rounds' Wilson intervals, so a change is judged with the same
interval as each round's own figure, and it stays within [-1, 1].
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from statsmodels.stats.proportion import proportion_confint


def wilson_intervals(
    successes: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score intervals for many proportions at once (``NaN`` where ``n`` is 0).

    Parameters
    ----------
    successes, n
        equal-length arrays of counts, ``0 <= successes <= n``.
    confidence
        the coverage, between 0 and 1 (0.95 for a 95% interval).

    Returns
    -------
    (low, high)
        arrays of bounds, each within [0, 1].
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence!r}")
    k = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    if k.shape != total.shape:
        raise ValueError("successes and n must have the same length")
    if np.any(total < 0) or np.any(k < 0) or np.any(k > total):
        raise ValueError("counts must satisfy 0 <= successes <= n")
    low = np.full(k.shape, np.nan)
    high = np.full(k.shape, np.nan)
    has = total > 0
    if np.any(has):
        lo, hi = proportion_confint(k[has], total[has], alpha=1 - confidence, method="wilson")
        # the interval holds the share, and ends at 0 (none) or 1 (all) exactly: rounding gave
        # 25 of 25 an upper end of 0.9999999999999999, below the share it is drawn around
        share = k[has] / total[has]
        low[has] = np.where(k[has] == 0, 0.0, np.clip(np.minimum(lo, share), 0.0, 1.0))
        high[has] = np.where(k[has] == total[has], 1.0, np.clip(np.maximum(hi, share), 0.0, 1.0))
    return low, high


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for ``successes`` out of ``n``.

    Example
    -------
    >>> low, high = wilson_interval(81, 263)
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    """
    for name, value in (("successes", successes), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name} must be a whole number, not {value!r}")
    if n <= 0:
        raise ValueError(f"n must be at least 1 to form an interval, not {n}")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n={n}, not {successes}")
    low, high = wilson_intervals([successes], [n], confidence)
    return float(low[0]), float(high[0])


def newcombe_intervals(
    good_before: ArrayLike, n_before: ArrayLike, good_after: ArrayLike, n_after: ArrayLike,
    confidence: float = 0.95,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Intervals for ``good_after / n_after - good_before / n_before``, many at once (``NaN``
    where either ``n`` is 0).

    Newcombe RG (1998), "Interval estimation for the difference between independent proportions:
    comparison of eleven methods", Statistics in Medicine 17:873-890, method 10: with ``p`` each
    share and ``(l, u)`` its Wilson interval, the difference ``d = p_after - p_before`` runs from
    ``d - sqrt((p_after - l_after)² + (u_before - p_before)²)`` to
    ``d + sqrt((u_after - p_after)² + (p_before - l_before)²)``. Two rounds of an audit sample
    different cases, so the proportions are independent.

    Example
    -------
    >>> low, high = newcombe_intervals([48], [80], [56], [70])
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.0524, 0.3339)
    """
    before_low, before_high = wilson_intervals(good_before, n_before, confidence)
    after_low, after_high = wilson_intervals(good_after, n_after, confidence)
    k0, n0 = np.asarray(good_before, dtype=float), np.asarray(n_before, dtype=float)
    k1, n1 = np.asarray(good_after, dtype=float), np.asarray(n_after, dtype=float)
    if k0.shape != k1.shape:
        raise ValueError("the two rounds' counts must have the same length")
    with np.errstate(invalid="ignore", divide="ignore"):
        p0 = np.where(n0 > 0, k0 / np.where(n0 > 0, n0, 1), np.nan)
        p1 = np.where(n1 > 0, k1 / np.where(n1 > 0, n1, 1), np.nan)
    difference = p1 - p0
    low = difference - np.sqrt((p1 - after_low) ** 2 + (before_high - p0) ** 2)
    high = difference + np.sqrt((after_high - p1) ** 2 + (p0 - before_low) ** 2)
    return np.clip(low, -1.0, 1.0), np.clip(high, -1.0, 1.0)
