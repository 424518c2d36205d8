"""Statistics for small audit samples.

Audit samples are small (often 6-40 cases), where the textbook "p ± 1.96·SE" interval misbehaves
(it can run below 0 or above 1 and is too narrow). The Wilson score interval is the usual
recommendation for such samples (Newcombe 1998; Brown, Cai & DasGupta 2001); we use statsmodels'
implementation rather than our own.
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
        low[has] = np.clip(lo, 0.0, 1.0)
        high[has] = np.clip(hi, 0.0, 1.0)
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
