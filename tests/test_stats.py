"""The Wilson interval against published worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseaudit.stats import wilson_interval, wilson_intervals


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe RG (1998). Two-sided confidence intervals for the single proportion: comparison
        # of seven methods. Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score
        # interval without continuity correction), 95%.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_newcombe_1998_table_1(successes: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(successes, n)
    assert got == pytest.approx((low, high), abs=0.00005)


def test_the_interval_is_symmetric_under_complement() -> None:
    # The Wilson interval of k/n mirrors that of (n-k)/n: [1 - high, 1 - low]
    # (Brown, Cai & DasGupta 2001, Statistical Science 16:101-133, section 4.1.1).
    low, high = wilson_interval(3, 10)
    mirror_low, mirror_high = wilson_interval(7, 10)
    assert (low, high) == pytest.approx((1 - mirror_high, 1 - mirror_low))


def test_agresti_coull_1998_formula_at_90_percent() -> None:
    # Agresti A, Coull BA (1998). Approximate is better than "exact" for interval estimation of
    # binomial proportions. The American Statistician 52:119-126: the score interval is
    # (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n); checked here at z = 1.6449 (90%).
    k, n, z = 4, 17, 1.6448536269514722
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson_interval(k, n, confidence=0.90) == pytest.approx((centre - half, centre + half))


def test_many_at_once_match_one_at_a_time_and_n_zero_is_nan() -> None:
    low, high = wilson_intervals([81, 0, 5], [263, 0, 5])
    assert (low[0], high[0]) == pytest.approx(wilson_interval(81, 263))
    assert np.isnan(low[1]) and np.isnan(high[1])
    assert high[2] == pytest.approx(1.0) and 0 < low[2] < 1


@pytest.mark.parametrize(("k", "n", "confidence", "error"), [
    (5, 0, 0.95, ValueError), (6, 5, 0.95, ValueError), (-1, 5, 0.95, ValueError),
    (1, 5, 1.5, ValueError), (1.5, 5, 0.95, TypeError), (True, 5, 0.95, TypeError),
])
def test_impossible_counts_are_refused(k, n, confidence, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        wilson_interval(k, n, confidence)
