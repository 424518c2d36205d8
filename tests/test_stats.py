"""The Wilson and Newcombe intervals against published worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseaudit.stats import newcombe_intervals, wilson_interval, wilson_intervals


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


# Newcombe RG (1998). Interval estimation for the difference between independent proportions:
# comparison of eleven methods. Statistics in Medicine 17:873-890, Table II, method 10 (score
# interval built from Wilson intervals, no continuity correction), 95%, examples (a) to (h):
# (first proportion, second proportion) -> limits for first minus second. The same figures are
# in DescTools' tests of BinomDiffCI(method = "score") for (a), (b) and (g).
NEWCOMBE_TABLE_II = [
    ((56, 70), (48, 80), 0.0524, 0.3339),
    ((9, 10), (3, 10), 0.1705, 0.8090),
    ((6, 7), (2, 7), 0.0582, 0.8062),
    ((5, 56), (0, 29), -0.0381, 0.1926),
    ((0, 10), (0, 20), -0.1611, 0.2775),
    ((0, 10), (0, 10), -0.2775, 0.2775),
    ((10, 10), (0, 20), 0.6791, 1.0000),
    ((10, 10), (0, 10), 0.6075, 1.0000),
]


def test_newcombe_1998_table_2_method_10_all_at_once() -> None:
    after = [a for a, _, _, _ in NEWCOMBE_TABLE_II]
    before = [b for _, b, _, _ in NEWCOMBE_TABLE_II]
    low, high = newcombe_intervals([k for k, _ in before], [n for _, n in before],
                                   [k for k, _ in after], [n for _, n in after])
    assert low == pytest.approx([row[2] for row in NEWCOMBE_TABLE_II], abs=0.00005)
    assert high == pytest.approx([row[3] for row in NEWCOMBE_TABLE_II], abs=0.00005)


def test_a_decline_mirrors_the_improvement_and_an_empty_round_has_no_interval() -> None:
    # swapping the rounds negates the difference, so the interval is mirrored about zero
    up_low, up_high = newcombe_intervals([48], [80], [56], [70])
    down_low, down_high = newcombe_intervals([56], [70], [48], [80])
    assert (down_low[0], down_high[0]) == pytest.approx((-up_high[0], -up_low[0]))
    low, high = newcombe_intervals([3, 0], [10, 0], [0, 4], [0, 9])
    assert np.isnan(low).all() and np.isnan(high).all()
    with pytest.raises(ValueError):
        newcombe_intervals([1], [5], [1, 2], [5, 5])
    with pytest.raises(ValueError):
        newcombe_intervals([6], [5], [1], [5])


def test_an_interval_holds_its_share_and_ends_exactly_at_none_or_all() -> None:
    # Wilson's interval for x of n always contains x/n, with lower bound 0 at x = 0 and upper
    # bound 1 at x = n (Newcombe 1998, Table I, 0/20: 0.0000 to 0.1611); in floating point 25 of 25
    # came out at 0.9999999999999999, below the share a chart draws its error bar around
    assert wilson_interval(25, 25)[1] == 1.0 and wilson_interval(0, 25)[0] == 0.0
    low, high = wilson_intervals(np.arange(0, 41), np.full(41, 40))
    share = np.arange(0, 41) / 40
    assert (low <= share).all() and (share <= high).all()
