"""How far auditors agree: Krippendorff's alpha, Cohen's kappa and plain percent agreement.

Inspectors judge the quality of a partnership's own audits, so the partnership must show that
its auditors grade consistently. These are thin wrappers over well-kept implementations (the
``krippendorff`` package, scikit-learn), adding what the workbook needs: missing values as NaN or
None, the scale's own levels for the kappa weights, a bootstrap interval for alpha, and errors
that say what to do when there is too little to compare.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import krippendorff
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats
from sklearn.metrics import cohen_kappa_score

from .errors import WorkbookError
from .framework import Framework
from .moderation import coverage_of
from .rounds import AuditRound

if TYPE_CHECKING:
    from .store import Store

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
    if (data.shape[0] == 2 and not np.isnan(data).any() and level == "ordinal"
            and value_domain is not None):
        draws = _ordinal_pairs_bootstrap(data, list(value_domain), n_boot, rng)
        tail = (1 - confidence) / 2 * 100
        low, high = np.nanpercentile(draws, [tail, 100 - tail])
        return alpha, float(low), float(high)
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


def ordinal_alpha_from_pairs(counts: np.ndarray) -> np.ndarray:
    """Ordinal alpha of two raters from pair counts: ``counts[..., c, k]`` is how many units
    were rated c by one rater and k by the other (levels in order). Vectorised over leading
    axes, so a thousand bootstrap resamples cost one array operation (Krippendorff 2011, the
    coincidence-matrix form: each unit with two values adds one to o[c,k] and one to o[k,c])."""
    coincidences = counts + np.swapaxes(counts, -1, -2)
    n_c = coincidences.sum(axis=-1)
    n = n_c.sum(axis=-1, keepdims=True)
    levels = counts.shape[-1]
    cumulative = np.cumsum(n_c, axis=-1)
    c, k = np.meshgrid(np.arange(levels), np.arange(levels), indexing="ij")
    lo, hi = np.minimum(c, k), np.maximum(c, k)
    between = (np.take(cumulative, hi, axis=-1)
               - np.where(lo > 0, np.take(cumulative, np.maximum(lo - 1, 0), axis=-1), 0))
    delta = (between - (np.take(n_c, c, axis=-1) + np.take(n_c, k, axis=-1)) / 2) ** 2
    observed = (coincidences * delta).sum(axis=(-2, -1))
    expected = (n_c[..., :, None] * n_c[..., None, :] * delta).sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - (n[..., 0] - 1) * observed / expected


def _ordinal_pairs_bootstrap(data: np.ndarray, domain: list[float], n_boot: int,
                             rng: np.random.Generator) -> np.ndarray:
    """Bootstrap draws of ordinal alpha for two raters with no missing values, resampling units
    as a multinomial over the observed kinds of pair."""
    index = {v: i for i, v in enumerate(domain)}
    levels = len(domain)
    kinds = np.array([index[a] * levels + index[b] for a, b in zip(data[0], data[1],
                                                                   strict=True)])
    freq = np.bincount(kinds, minlength=levels * levels) / len(kinds)
    draws = rng.multinomial(len(kinds), freq, size=n_boot).reshape(n_boot, levels, levels)
    return ordinal_alpha_from_pairs(draws.astype(float))


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


# -- the agreement report ---------------------------------------------------------------------
# Functions of the frames the read step returns (caseaudit.frames); the few that take a store
# are thin "read, then compute" entry points for notebooks and benchmarks.


def pairs_from_counts(pair_counts: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Each submitted agency grade beside the moderated grade of the same case and criterion,
    as ordinal positions (0 = the scale's best level): one row per pair, with the criterion,
    agency and auditor. ``pair_counts`` is :meth:`Store.moderated_pair_counts` output, read for
    the fully moderated cases only (a case the meeting has half done would put a few criteria of
    one child's case into the figures).

    The store counts the pairs (a round of any size is a few thousand distinct rows), and they
    are expanded here: every statistic below is a function of the pairs, not of which case they
    are."""
    counts = pair_counts[pair_counts["criterion_id"].isin(list(framework.criteria_by_id))]
    counts = counts.reset_index(drop=True)
    counts["agency_pos"] = _positions(framework, counts["criterion_id"], counts["grade"])
    counts["moderated_pos"] = _positions(framework, counts["criterion_id"],
                                         counts["moderated_grade"])
    rows = np.repeat(counts.index.to_numpy(), counts["count"].to_numpy(int))
    return counts.loc[rows, ["criterion_id", "agency", "auditor", "agency_pos",
                             "moderated_pos"]].reset_index(drop=True)


def graded_pairs(store: Store, audit: AuditRound, framework: Framework) -> pd.DataFrame:
    """:func:`pairs_from_counts` for ``audit`` as the store holds it now."""
    from .frames import read_moderations

    moderation = read_moderations(store, [audit]).get(audit.id)
    return pairs_from_counts(moderation.pair_counts if moderation is not None
                             else _NO_PAIRS, framework)


_NO_PAIRS = pd.DataFrame(columns=["criterion_id", "agency", "auditor", "grade", "moderated_grade",
                                  "count"])


def cases_behind(statuses: pd.DataFrame, framework: Framework,
                 complete: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
    """How many fully moderated cases stand behind each agency's and each criterion's figures
    (cases where that agency, or an agency answering that criterion, submitted its form), from
    the round's :meth:`Store.form_statuses`.

    Disclosure control hides a figure resting on few cases however many grades it holds, since
    it describes those children's cases."""
    done = statuses[(statuses["status"] == "submitted")
                    & statuses["case_id"].isin(list(complete))]
    by_agency = done.groupby("agency")["case_id"].nunique().to_dict()
    cases_of = {agency: set(part) for agency, part in done.groupby("agency")["case_id"]}
    by_criterion = {cid: len(set().union(*(cases_of.get(a, set())
                                           for a in framework.answered_by(cid))))
                    for cid in framework.criteria_by_id}
    by_criterion["all criteria"] = int(done["case_id"].nunique())
    return {str(k): int(v) for k, v in by_agency.items()}, by_criterion


def _positions(framework: Framework, criteria: pd.Series, grades: pd.Series) -> list[int]:
    """Grades as ordinal positions on each criterion's scale (0 = best)."""
    return [framework.scale_of(c).position(int(g)) for c, g in zip(criteria, grades, strict=True)]


def _levels(framework: Framework, criterion_id: str) -> int:
    """How many levels a criterion's scale has ("all criteria": the longest scale)."""
    if criterion_id in framework.criteria_by_id:
        return len(framework.scale_of(criterion_id).levels)
    return max(len(scale.levels) for scale in framework.scales)


def _each_criterion_and_all(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """``(criterion_id, rows)`` per criterion, then ``("all criteria", frame)``."""
    groups = [(str(cid), part) for cid, part in frame.groupby("criterion_id", sort=False)]
    return [*groups, ("all criteria", frame)]


def _alpha_or_nan(ratings: np.ndarray, levels: int) -> float:
    try:
        return krippendorff_alpha(ratings, "ordinal", value_domain=range(levels))
    except AgreementError:
        return float("nan")


def _agreement_row(criterion_id: str, part: pd.DataFrame, levels: int) -> dict[str, object]:
    ratings = np.vstack([part["agency_pos"].to_numpy(float), part["moderated_pos"].to_numpy(float)])
    diff = (part["agency_pos"] - part["moderated_pos"]).abs()
    return {"criterion_id": criterion_id, "n": len(part),
            "alpha": _alpha_or_nan(ratings, levels) if len(part) else float("nan"),
            "exact": float((diff == 0).mean()) if len(part) else float("nan"),
            "within_one": float((diff <= 1).mean()) if len(part) else float("nan")}


def agreement_with_moderation(pairs: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Per criterion and overall: ordinal alpha of agency grades against the moderated grade,
    exact and within-one-level agreement, and the number of graded pairs."""
    rows = [_agreement_row(cid, part, _levels(framework, cid))
            for cid, part in _each_criterion_and_all(pairs)]
    order = {c: i for i, c in enumerate(framework.criteria_by_id)}
    table = pd.DataFrame(rows)
    return table.sort_values("criterion_id", key=lambda s: s.map(order).fillna(len(order)),
                             ignore_index=True)


def leniency(pairs: pd.DataFrame, by: str = "agency", confidence: float = 0.95) -> pd.DataFrame:
    """Each agency's (or auditor's) mean difference from the moderated grade, in scale levels:
    positive means more generous than the meeting. With a t interval over the graded pairs."""
    if by not in ("agency", "auditor"):
        raise AgreementError(f"by must be 'agency' or 'auditor', not {by!r}")
    rows = []
    for key, part in pairs.groupby(by, sort=True):
        diff = (part["moderated_pos"] - part["agency_pos"]).to_numpy(float)
        n = len(diff)
        mean = float(diff.mean())
        if n > 1 and diff.std(ddof=1) > 0:
            half = float(stats.t.ppf((1 + confidence) / 2, n - 1) * diff.std(ddof=1) / np.sqrt(n))
        else:
            half = float("nan")
        rows.append({by: key, "n": n, "mean_difference": mean, "ci_low": mean - half,
                     "ci_high": mean + half})
    return pd.DataFrame(rows, columns=[by, "n", "mean_difference", "ci_low", "ci_high"])


def alpha_by_criterion(pairs: pd.DataFrame, framework: Framework, n_boot: int = 500,
                       seed: int = 0) -> pd.DataFrame:
    """Ordinal alpha of agency grades against the moderated grade per criterion, with a seeded
    bootstrap interval (``NaN`` where a criterion has too few varied pairs)."""
    rows = []
    for cid in framework.criteria_by_id:
        part = pairs[pairs["criterion_id"] == cid]
        ratings = np.vstack([part["agency_pos"].to_numpy(float),
                             part["moderated_pos"].to_numpy(float)])
        try:
            alpha, low, high = bootstrap_alpha(ratings, "ordinal", n_boot=n_boot, seed=seed,
                                               value_domain=range(_levels(framework, cid)))
        except AgreementError:
            alpha = low = high = float("nan")
        rows.append({"criterion_id": cid, "n": len(part), "alpha": alpha, "ci_low": low,
                     "ci_high": high})
    return pd.DataFrame(rows)


def format_agreement_figures(table: pd.DataFrame) -> str:
    """The overall agreement figures as stable text (what notebooks print and nbval checks)."""
    overall = table.set_index("criterion_id").loc["all criteria"]
    return (f"{int(overall['n'])} agency grades against the moderated grade: ordinal alpha "
            f"{overall['alpha']:.3f}; exact agreement {overall['exact']:.1%}; within one level "
            f"{overall['within_one']:.1%}")


def latest_moderated_round(store: Store, rounds: Sequence[AuditRound]) -> AuditRound:
    """The most recent of ``rounds`` whose audit meeting has recorded moderations."""
    moderated = set(store.moderation_heads([r.id for r in rounds])["round_id"])
    found = [r for r in rounds if r.id in moderated]
    if not found:
        raise AgreementError("no round has moderations yet; agreement needs the meeting's grades")
    return found[-1]


def agreement_tables(pairs: pd.DataFrame, coverage: pd.DataFrame, statuses: pd.DataFrame,
                     framework: Framework, n_boot: int = 500) -> dict[str, pd.DataFrame]:
    """Everything the agreement notebook and the board show for a moderated round: ``criteria``
    (alpha with bootstrap interval, exact and within-one agreement), ``agencies`` and
    ``auditors`` (leniency), each with the fully moderated ``cases`` behind it, and ``coverage``
    (one row per moderated case, complete or not). From the round's :func:`pairs_from_counts`,
    coverage (:func:`caseaudit.moderation.coverage_of`) and form statuses."""
    complete = list(coverage.loc[coverage["complete"], "case_id"])
    table = agreement_with_moderation(pairs, framework)
    intervals = alpha_by_criterion(pairs, framework, n_boot=n_boot)[
        ["criterion_id", "ci_low", "ci_high"]]
    by_agency, by_criterion = cases_behind(statuses, framework, complete)
    criteria = table.merge(intervals, on="criterion_id", how="left")
    criteria["cases"] = criteria["criterion_id"].map(by_criterion).fillna(0).astype(int)
    agencies = leniency(pairs)
    agencies["cases"] = agencies["agency"].map(by_agency).fillna(0).astype(int)
    return {"criteria": criteria, "agencies": agencies, "auditors": leniency(pairs, by="auditor"),
            "coverage": coverage}


def agreement_report(store: Store, audit: AuditRound, framework: Framework,
                     n_boot: int = 500) -> dict[str, pd.DataFrame]:
    """:func:`agreement_tables` for ``audit`` as the store holds it now, with its ``pairs``."""
    from .frames import read_moderations

    moderation = read_moderations(store, [audit]).get(audit.id)
    counts = moderation.pair_counts if moderation is not None else _NO_PAIRS
    cover = moderation.coverage if moderation is not None else \
        coverage_of(store.moderation_heads([audit.id]), audit, framework)
    pairs = pairs_from_counts(counts, framework)
    return {"pairs": pairs,
            **agreement_tables(pairs, cover, store.form_statuses(audit.id), framework, n_boot)}


def double_scoring(responses: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Per criterion and overall: ordinal alpha, exact and within-one agreement between
    independent scorers of the same case and agency, with the ``cases`` the units come from.
    ``responses`` are the round's submitted grades (units with one scorer are left out)."""
    empty = pd.DataFrame(columns=["criterion_id", "units", "cases", "alpha", "exact",
                                  "within_one"])
    tidy = responses[responses["grade"].notna() & ~responses["not_applicable"].astype(bool)
                     & responses["criterion_id"].isin(list(framework.criteria_by_id))]
    tidy = tidy.assign(pos=_positions(framework, tidy["criterion_id"], tidy["grade"]))
    rows = []
    for cid, part in _each_criterion_and_all(tidy):
        groups = [(key[0], g["pos"].to_numpy(float))
                  for key, g in part.groupby(["case_id", "agency", "criterion_id"]) if len(g) >= 2]
        if not groups:
            continue
        units = [values for _, values in groups]
        width = max(len(u) for u in units)
        matrix = np.full((width, len(units)), np.nan)
        for j, values in enumerate(units):
            matrix[: len(values), j] = values
        spread = np.array([np.ptp(u) for u in units])
        rows.append({"criterion_id": cid, "units": len(units),
                     "cases": len({case for case, _ in groups}),
                     "alpha": _alpha_or_nan(matrix, _levels(framework, cid)),
                     "exact": float(np.mean(spread == 0)),
                     "within_one": float(np.mean(spread <= 1))})
    return pd.DataFrame(rows, columns=empty.columns) if rows else empty


def double_scorer_agreement(store: Store, audit: AuditRound, framework: Framework
                            ) -> pd.DataFrame:
    """:func:`double_scoring` for ``audit``'s submitted forms as the store holds them now."""
    from .frames import read_round

    return double_scoring(read_round(store, audit, moderations={}).double_scores, framework)


TREND_COLUMNS = ["round_id", "cases", "partly", "n", "alpha", "exact", "within_one"]


def agreement_over_rounds(moderated: Sequence[tuple[str, pd.DataFrame, pd.DataFrame, Framework]],
                          known: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per moderated round, in the order given, from ``(round_id, coverage, pair_counts,
    framework)``: the fully moderated ``cases`` and the ``partly`` moderated ones, graded pairs
    ``n`` (complete moderations only), ordinal alpha, exact and within-one agreement with the
    moderated grade, so a partnership can show whether its auditors converge. ``known`` holds
    a round's :func:`agreement_with_moderation` table where it is already computed."""
    rows = []
    for round_id, cover, counts, framework in moderated:
        if known and round_id in known:
            overall = known[round_id].set_index("criterion_id").loc["all criteria"].to_dict()
        else:
            overall = _agreement_row("all criteria", pairs_from_counts(counts, framework),
                                     _levels(framework, "all criteria"))
        rows.append({"round_id": round_id, "cases": int(cover["complete"].sum()),
                     "partly": int((~cover["complete"]).sum()), "n": int(overall["n"]),
                     "alpha": overall["alpha"], "exact": overall["exact"],
                     "within_one": overall["within_one"]})
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def agreement_across_rounds(store: Store, rounds: Sequence[AuditRound]) -> pd.DataFrame:
    """:func:`agreement_over_rounds` for ``rounds`` as the store holds them now."""
    from .frames import read_moderations

    return agreement_over_rounds([(m.audit.id, m.coverage, m.pair_counts, m.framework)
                                  for m in read_moderations(store, rounds).values()])
