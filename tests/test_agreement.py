"""Agreement statistics against published worked examples."""

from __future__ import annotations

import math

import pytest

from caseaudit.agreement import (
    AgreementError,
    bootstrap_alpha,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
)

N = None
# Krippendorff K (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, Departmental Papers 43: the example of four observers
# and twelve units with missing values (section C), and its published alphas.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize(("level", "published"), [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011_example_with_missing_values(level: str, published: float) -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(published, abs=0.0005)


def _expand(table: list[list[int]]) -> tuple[list[int], list[int]]:
    a, b = [], []
    for i, row in enumerate(table, start=1):
        for j, count in enumerate(row, start=1):
            a += [i] * count
            b += [j] * count
    return a, b


def test_agresti_sexual_fun_unweighted_and_linear_weighted() -> None:
    # Agresti A (1990). Categorical Data Analysis, Wiley: husbands' and wives' ratings of sexual
    # fun (4 ordered categories, 91 couples), as the `SexualFun` data of R's vcd package, whose
    # Kappa() reports 0.1293 unweighted and 0.2374 with equal-spacing (linear) weights.
    table = [[7, 7, 2, 3], [2, 8, 3, 7], [1, 5, 4, 9], [2, 8, 9, 14]]
    husband, wife = _expand(table)
    assert cohen_kappa(husband, wife) == pytest.approx(0.1293, abs=0.00005)
    assert cohen_kappa(husband, wife, weights="linear") == pytest.approx(0.2374, abs=0.00005)
    assert cohen_kappa(husband, wife, weights="quadratic") > cohen_kappa(husband, wife,
                                                                         weights="linear")


def test_sas_skin_condition_simple_kappa() -> None:
    # SAS/STAT User's Guide, The FREQ Procedure, "Agreement Study": two dermatologists rate 85
    # patients terrible/poor/marginal/clear; the simple kappa coefficient is 0.3449.
    table = [[10, 4, 1, 0], [5, 10, 12, 2], [2, 4, 12, 5], [0, 2, 6, 13]]
    derm1, derm2 = _expand(table)
    assert cohen_kappa(derm1, derm2, categories=[1, 2, 3, 4]) == pytest.approx(0.3449, abs=0.00005)


def test_kappa_weights_use_the_whole_scale_when_given() -> None:
    a, b = [1, 2, 2, 4], [1, 4, 2, 4]  # level 3 unused: distances differ on the whole scale
    observed = cohen_kappa(a, b, weights="linear")
    whole_scale = cohen_kappa(a, b, weights="linear", categories=[1, 2, 3, 4])
    assert observed != pytest.approx(whole_scale)
    with pytest.raises(AgreementError, match="not among the categories"):
        cohen_kappa([1, 5], [1, 2], categories=[1, 2, 3, 4])


def test_missing_pairs_are_dropped() -> None:
    assert cohen_kappa([1, 2, None, 3, math.nan], [1, 2, 3, None, 2]) == cohen_kappa([1, 2], [1, 2])
    assert percent_agreement([1, 2, 3, None], [1, 3, 3, 2]) == pytest.approx(2 / 3)
    assert percent_agreement([1, 2, 3, None], [1, 3, 4, 2], within=1) == pytest.approx(1.0)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: krippendorff_alpha([[1, 2, 3]]), "at least two raters"),
    (lambda: krippendorff_alpha([[1, 2, N], [N, N, 3]]), "no unit was rated by two"),
    (lambda: krippendorff_alpha(KRIPPENDORFF_2011, "fuzzy"), "level must be one of"),
    (lambda: cohen_kappa([1, None], [None, 2]), "no unit was rated by both"),
    (lambda: cohen_kappa([1, 2], [1]), "must rate the same units"),
    (lambda: cohen_kappa([1, 2], [1, 2], weights="cubic"), "weights must be"),
    (lambda: percent_agreement([1], [1], within=-1), "within must be"),
])
def test_too_little_to_compare_is_a_clear_error(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AgreementError, match=message):
        call()


def test_bootstrap_interval_is_seeded_and_brackets_alpha() -> None:
    alpha, low, high = bootstrap_alpha(KRIPPENDORFF_2011, "interval", n_boot=300, seed=4)
    assert alpha == pytest.approx(0.849, abs=0.0005)
    assert low < alpha < high <= 1
    assert bootstrap_alpha(KRIPPENDORFF_2011, "interval", n_boot=300, seed=4) == (alpha, low, high)
