"""How far auditors agree: Krippendorff's alpha, Cohen's kappa and plain percent agreement.

Inspectors judge the quality of a partnership's own audits, so the partnership must show that
its auditors grade consistently. These are thin wrappers over well-kept implementations (the
``krippendorff`` package, scikit-learn), adding what the workbook needs: missing values as NaN or
None, the scale's own levels for the kappa weights, a bootstrap interval for alpha, and errors
that say what to do when there is too little to compare.
"""

from __future__ import annotations

from collections.abc import Sequence

import krippendorff
import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import cohen_kappa_score

from .errors import WorkbookError

LEVELS = ("nominal", "ordinal", "interval", "ratio")


class AgreementError(WorkbookError, ValueError):
    """Raised when agreement cannot be computed: fewer than two raters, no unit rated by two,
    or an unknown option. Nothing is written anywhere."""


def _matrix(ratings: ArrayLike) -> np.ndarray:
    try:
        data = np.array(ratings, dtype=float)  # None becomes NaN
    except (TypeError, ValueError) as exc:
        raise AgreementError(f"ratings must be numbers (grade codes) with NaN or None where a "
                             f"rater did not rate a unit: {exc}") from None
    if data.ndim != 2:
        raise AgreementError("ratings must be a table: one row per rater, one column per unit")
    return data


def _check_pairable(data: np.ndarray) -> None:
    raters = int((~np.isnan(data)).any(axis=1).sum())
    if raters < 2:
        raise AgreementError(f"agreement needs at least two raters; {raters} rated anything")
    pairable = int(((~np.isnan(data)).sum(axis=0) >= 2).sum())
    if pairable == 0:
        raise AgreementError("no unit was rated by two or more raters, so there is nothing to "
                             "compare; check that double scoring covered the same cases")


def krippendorff_alpha(ratings: ArrayLike, level: str = "ordinal",
                       value_domain: Sequence[float] | None = None) -> float:
    """Krippendorff's alpha for ``ratings`` (raters × units, NaN or None where not rated).

    Parameters
    ----------
    level
        ``nominal``, ``ordinal``, ``interval`` or ``ratio``.
    value_domain
        the ordered values the scale allows (its codes); needed for ordinal alpha to be
        computed over the whole scale rather than only the values observed.

    Example
    -------
    >>> round(krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 4]], "interval"), 3)
    0.889
    """
    if level not in LEVELS:
        raise AgreementError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    data = _matrix(ratings)
    _check_pairable(data)
    if np.nanmin(data) == np.nanmax(data):
        raise AgreementError("every rating is the same value, so alpha is undefined (there is "
                             "no variation to agree about)")
    kwargs = {"value_domain": list(value_domain)} if value_domain is not None else {}
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level, **kwargs))


def bootstrap_alpha(ratings: ArrayLike, level: str = "ordinal", n_boot: int = 1000,
                    confidence: float = 0.95, seed: int = 0,
                    value_domain: Sequence[float] | None = None) -> tuple[float, float, float]:
    """Alpha with a percentile bootstrap interval over units (cases): ``(alpha, low, high)``.

    Units are resampled with replacement, the usual approach for rater-agreement intervals
    (Hayes & Krippendorff 2007); resamples with no variation are skipped. Seeded, so a rerun
    gives the same interval.
    """
    data = _matrix(ratings)
    alpha = krippendorff_alpha(data, level, value_domain)
    rng = np.random.default_rng(seed)
    units = data.shape[1]
    draws = []
    for _ in range(n_boot):
        sample = data[:, rng.integers(0, units, size=units)]
        pairable = (~np.isnan(sample)).sum(axis=0) >= 2
        values = sample[:, pairable]
        if values.size == 0 or np.nanmin(values) == np.nanmax(values):
            continue
        kwargs = {"value_domain": list(value_domain)} if value_domain is not None else {}
        draws.append(krippendorff.alpha(reliability_data=sample, level_of_measurement=level,
                                        **kwargs))
    if len(draws) < n_boot // 2:
        raise AgreementError("too few cases vary for a bootstrap interval; rate more cases")
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return alpha, float(low), float(high)


def _pairs(rater_a: Sequence, rater_b: Sequence) -> tuple[list, list]:
    if len(rater_a) != len(rater_b):
        raise AgreementError(f"the two raters must rate the same units: {len(rater_a)} and "
                             f"{len(rater_b)} ratings given")
    kept = [(a, b) for a, b in zip(rater_a, rater_b, strict=True)
            if a is not None and b is not None and not (isinstance(a, float) and np.isnan(a))
            and not (isinstance(b, float) and np.isnan(b))]
    if not kept:
        raise AgreementError("no unit was rated by both raters, so there is nothing to compare")
    a, b = zip(*kept, strict=True)
    return list(a), list(b)


def cohen_kappa(rater_a: Sequence, rater_b: Sequence, weights: str | None = None,
                categories: Sequence | None = None) -> float:
    """Cohen's kappa between two raters, unweighted or with ``"linear"``/``"quadratic"`` weights
    over ``categories`` (the scale's levels in order; the observed levels when omitted). Pairs
    with a missing value are dropped.

    Example
    -------
    >>> round(cohen_kappa([1, 2, 3, 3], [1, 2, 3, 2]), 3)
    0.636
    """
    if weights not in (None, "linear", "quadratic"):
        raise AgreementError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    a, b = _pairs(rater_a, rater_b)
    labels = list(categories) if categories is not None else sorted(set(a) | set(b))
    unknown = sorted({str(v) for v in a + b if v not in labels})
    if unknown:
        raise AgreementError(f"ratings {', '.join(unknown)} are not among the categories "
                             f"{labels}")
    if len(set(a) | set(b)) < 2 and categories is None:
        raise AgreementError("both raters used a single category, so kappa is undefined")
    return float(cohen_kappa_score(a, b, weights=weights, labels=labels))


def percent_agreement(rater_a: Sequence, rater_b: Sequence, within: int = 0) -> float:
    """Share of units (rated by both) where the two grades differ by at most ``within`` levels:
    ``0`` for exact agreement, ``1`` for agreement within one level."""
    if within < 0:
        raise AgreementError("within must be 0 (exact) or more levels")
    a, b = _pairs(rater_a, rater_b)
    return float(np.mean(np.abs(np.array(a, dtype=float) - np.array(b, dtype=float)) <= within))
