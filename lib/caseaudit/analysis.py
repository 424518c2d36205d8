"""Summaries of a round: how often practice was graded good or better, with honest intervals.

Each figure is computed from the store's grade counts (a GROUP BY in the database, read by
:mod:`caseaudit.frames`), so a round of any size is summarised without loading its scores into
Python, and the functions here are tested on counts written by hand. Each proportion carries its
count ``n`` and a 95% Wilson interval because audit samples are small.

Before moderation there is no single grade per case, so the unit of the per-criterion figure is
an *agency judgement* (one agency's grade of one case); per criterion × agency it is a case.
Not-applicable answers are left out of ``n`` and counted separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .framework import Framework
from .rounds import AuditRound
from .stats import wilson_intervals

if TYPE_CHECKING:
    from .store import Store

SUMMARY_COLUMNS = ["n", "good", "share", "ci_low", "ci_high", "not_applicable"]


def _judgements(counts: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Grade counts with the three numbers every share is made of split out: ``n`` (judgements
    that are a grade), ``good`` (at a good-or-better level) and ``not_applicable``."""
    good_codes = {c.id: set(framework.scale_of(c.id).good_or_better)
                  for _, c in framework.criteria()}
    known = counts["criterion_id"].isin(list(good_codes))
    counts = counts.loc[known]
    is_na = counts["not_applicable"].to_numpy(dtype=bool)
    crit = counts["criterion_id"].to_numpy()
    # a not-applicable row has no grade: it is never good, whatever its grade column holds
    is_good = np.fromiter((not na and g in good_codes[c] for c, g, na
                           in zip(crit, counts["grade"].tolist(), is_na, strict=True)),
                          dtype=bool, count=len(counts))
    cnt = counts["count"].to_numpy()
    return counts.assign(
        n=np.where(is_na, 0, cnt), good=np.where(is_good, cnt, 0),
        not_applicable=np.where(is_na, cnt, 0),
    )


def _finish(grouped: pd.DataFrame) -> pd.DataFrame:
    low, high = wilson_intervals(grouped["good"].to_numpy(), grouped["n"].to_numpy())
    n = grouped["n"].to_numpy()
    share = np.divide(grouped["good"].to_numpy(), n, out=np.full(len(n), np.nan), where=n > 0)
    return grouped.assign(share=share, ci_low=low, ci_high=high)


def summarise_counts(
    counts: pd.DataFrame, framework: Framework, by: list[str]
) -> pd.DataFrame:
    """Good-or-better share per group of ``by`` (e.g. ``["round_id", "criterion_id"]``).

    ``counts`` is :meth:`Store.grade_counts` output; the caller's frame is not changed.
    """
    judged = _judgements(counts, framework)
    grouped = (judged.groupby(by, sort=False, observed=True)[["n", "good", "not_applicable"]]
               .sum().reset_index())
    return _finish(grouped)[[*by, *SUMMARY_COLUMNS]]


def _order_criteria(table: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Framework order, with the domain and title a reader needs beside each criterion id."""
    info = pd.DataFrame(
        [(d.id, d.title, c.id, c.title) for d, c in framework.criteria()],
        columns=["domain_id", "domain", "criterion_id", "criterion"],
    )
    info["order"] = range(len(info))
    merged = info.merge(table, on="criterion_id", how="inner")
    return merged.sort_values(["order", *[c for c in ("agency",) if c in merged]]).drop(
        columns="order").reset_index(drop=True)


@dataclass(frozen=True)
class RoundSummary:
    """Everything the overview dashboard and the QA notebook show for one round."""

    round_id: str
    title: str
    headline: dict[str, float | int | str]
    by_criterion: pd.DataFrame
    by_criterion_agency: pd.DataFrame


def round_summary(audit: AuditRound, framework: Framework, counts: pd.DataFrame,
                  statuses: pd.DataFrame) -> RoundSummary:
    """Headline figures and good-or-better shares for one round, from the grade counts of its
    submitted forms (:meth:`Store.grade_counts`) and its forms' statuses
    (:meth:`Store.form_statuses`), read now or as of a time."""
    by_criterion = _order_criteria(summarise_counts(counts, framework, ["criterion_id"]), framework)
    by_agency = _order_criteria(
        summarise_counts(counts, framework, ["criterion_id", "agency"]), framework)
    submitted = statuses[statuses["status"] == "submitted"]
    totals = judgement_totals(counts, framework)
    low, high = wilson_intervals([totals["good"]], [totals["n"]])
    headline: dict[str, float | int | str] = {
        "cases_in_round": len(audit.cases),
        "cases_audited": int(submitted["case_id"].nunique()),
        "forms_expected": len(audit.expected_forms()),
        "forms_submitted": len(submitted),
        "agencies": len(audit.agencies),
        "criteria": len(framework.criteria_by_id),
        "judgements": totals["n"],
        "good": totals["good"],
        "share": totals["good"] / totals["n"] if totals["n"] else float("nan"),
        "ci_low": float(low[0]),
        "ci_high": float(high[0]),
    }
    return RoundSummary(audit.id, audit.title, headline, by_criterion, by_agency)


def summarise_round(
    store: Store,
    audit: AuditRound,
    framework: Framework | None = None,
    as_of: datetime | None = None,
) -> RoundSummary:
    """:func:`round_summary` of one round, read from the store now or ``as_of`` a time.

    Example
    -------
    >>> summary = summarise_round(open_store(), load_round("2026-03-maca"))  # doctest: +SKIP
    >>> summary.by_criterion[["criterion_id", "n", "share", "ci_low", "ci_high"]]  # doctest: +SKIP
    """
    return round_summary(audit, framework or audit.load_framework(),
                         store.grade_counts(audit.id, status="submitted", as_of=as_of),
                         store.form_statuses(audit.id, as_of))


def judgement_totals(counts: pd.DataFrame, framework: Framework) -> dict[str, int]:
    """Judgements and good-or-better judgements over every criterion of ``counts``."""
    judged = _judgements(counts, framework)
    return {"n": int(judged["n"].sum()), "good": int(judged["good"].sum()),
            "not_applicable": int(judged["not_applicable"].sum())}


def summarise_store(store: Store, frameworks: dict[str, Framework],
                    round_frameworks: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-criterion and per-criterion × agency figures for every round in the store at once.

    ``round_frameworks`` maps round id to a key of ``frameworks``; the counting happens in one
    GROUP BY, then each round's figures are computed against its own framework.
    """
    counts = store.grade_counts(None, status="submitted")
    per_criterion, per_agency = [], []
    for round_id, part in counts.groupby("round_id", sort=True):
        framework = frameworks[round_frameworks[str(round_id)]]
        per_criterion.append(summarise_counts(part, framework, ["round_id", "criterion_id"]))
        per_agency.append(summarise_counts(part, framework, ["round_id", "criterion_id", "agency"]))
    empty = pd.DataFrame(columns=["round_id", "criterion_id", *SUMMARY_COLUMNS])
    return (pd.concat(per_criterion, ignore_index=True) if per_criterion else empty,
            pd.concat(per_agency, ignore_index=True) if per_agency else empty)


#: The columns of :func:`good_or_better` (``RoundResults.good_or_better``).
GOOD_OR_BETTER_COLUMNS = ["level", "key", "label", "domain", "n", "good", "share", "ci_low",
                          "ci_high", "basis", "cases"]
#: What ``key`` and ``label`` say on the row of the whole round.
OVERALL = "overall"
OVERALL_LABEL = "All criteria"


def criterion_label(criterion_id: str, title: str) -> str:
    """``"1.2 The child's voice is heard"``: the id a QA lead searches for and the words a board
    reads."""
    return f"{criterion_id} {title}"


def _framework_rows(framework: Framework) -> pd.DataFrame:
    """Every criterion, domain and the overall row of a framework, in reading order: overall,
    then the domains, then the criteria, with the words a board reads."""
    rows = [("overall", OVERALL, OVERALL_LABEL, "")]
    rows += [("domain", d.id, d.title, d.title) for d in framework.domains]
    rows += [("criterion", c.id, criterion_label(c.id, c.title), d.title)
             for d, c in framework.criteria()]
    return pd.DataFrame(rows, columns=["level", "key", "label", "domain"])


def good_or_better(judgements: pd.DataFrame, framework: Framework,
                   agency_counts: pd.DataFrame | None = None,
                   statuses: pd.DataFrame | None = None) -> pd.DataFrame:
    """The round's good-or-better share overall, per domain, per criterion and per agency.

    ``judgements`` is :meth:`Store.judgement_counts` output: counted on the best grade a case has
    (the meeting's agreed answer where it agreed one, the agencies' grades otherwise), which the
    ``basis`` column names. Every criterion and domain of the framework has a row, with ``n`` 0
    when nothing was graded. The agency rows are each agency's own submitted grades
    (``agency_counts``, :meth:`Store.grade_counts`), since an agreed grade belongs to the case,
    not to one agency; their ``cases`` are the cases the agency submitted a form for
    (``statuses``, :meth:`Store.form_statuses`). Without ``agency_counts`` there are none (a
    round seen only for its trend).
    """
    table = _framework_rows(framework).merge(
        judgements[["level", "key", "basis", "n", "good", "cases"]], on=["level", "key"],
        how="left")
    table = table.fillna({"n": 0, "good": 0, "cases": 0, "basis": "agency grades"}).astype(
        {"n": "int64", "good": "int64", "cases": "int64"})
    if agency_counts is not None:
        names = {a.id: a.name for a in framework.agencies}
        by_agency = summarise_counts(agency_counts, framework, ["agency"])
        submitted = statuses[statuses["status"] == "submitted"] if statuses is not None else None
        cases = (submitted.groupby("agency")["case_id"].nunique() if submitted is not None
                 else pd.Series(dtype="int64"))
        order = {a: i for i, a in enumerate(framework.agency_ids)}
        by_agency = by_agency.assign(
            level="agency", key=by_agency["agency"].astype(str),
            label=[names.get(a, a) for a in by_agency["agency"]], domain="",
            basis="agency grades",
            cases=[int(cases.get(a, 0)) for a in by_agency["agency"]],
            order=[order.get(a, len(order)) for a in by_agency["agency"]],
        ).sort_values(["order", "key"])
        table = pd.concat([table, by_agency[table.columns]], ignore_index=True)
    return _finish(table)[GOOD_OR_BETTER_COLUMNS].reset_index(drop=True)


#: The columns of :func:`strengths_and_areas` (``RoundResults.strengths``).
STRENGTH_COLUMNS = ["kind", "criterion_id", "label", "domain", "n", "good", "share", "ci_low",
                    "ci_high", "cases", "rank"]
STRENGTH = "strength"
AREA_FOR_DEVELOPMENT = "area for development"
#: A criterion is named a strength or an area for development only on at least this many
#: judgements from at least :data:`MIN_CASES` cases: below that one case moves its share by
#: ten points or more.
MIN_JUDGEMENTS = 10
MIN_CASES = 5
#: How many of each are named.
TOP = 5


def strengths_and_areas(figures: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """The criteria the round's judgements most often rate good or better (strengths) and least
    often (areas for development), from :func:`good_or_better` output.

    The rule, so that nothing is called a strength on a handful of cases:

    1. only criteria with at least :data:`MIN_JUDGEMENTS` judgements from :data:`MIN_CASES`
       cases take part;
    2. a strength is above the round's overall share, an area for development below it;
    3. strengths are ranked by the low end of their Wilson interval, highest first, areas by the
       high end, lowest first: the share the round can be fairly sure of, so a criterion on
       many cases ranks above one with the same share on few;
    4. at most ``top`` of each.

    The meeting's free text (its strengths and areas for development per case) never comes
    here: it may name people, and a board sees aggregates only.
    """
    criteria = figures[(figures["level"] == "criterion") & (figures["n"] >= MIN_JUDGEMENTS)
                       & (figures["cases"] >= MIN_CASES)]
    overall = figures.loc[figures["level"] == "overall", "share"]
    line = float(overall.iloc[0]) if len(overall) else float("nan")  # NaN: nothing graded
    above, below = criteria[criteria["share"] > line], criteria[criteria["share"] < line]
    parts = [
        above.sort_values(["ci_low", "share"], ascending=False, kind="stable").head(top)
        .assign(kind=STRENGTH),
        below.sort_values(["ci_high", "share"], ascending=True, kind="stable").head(top)
        .assign(kind=AREA_FOR_DEVELOPMENT),
    ]
    parts = [p.assign(rank=range(1, len(p) + 1)) for p in parts]
    table = pd.concat(parts, ignore_index=True).rename(columns={"key": "criterion_id"})
    return table.astype({"rank": "int64"})[STRENGTH_COLUMNS]


def format_key_figures(summary: RoundSummary) -> str:
    """The round's key figures as stable plain text (what notebooks print and nbval checks)."""
    h = summary.headline
    lines = [
        f"Round {summary.round_id}",
        f"Forms submitted: {h['forms_submitted']} of {h['forms_expected']} expected; "
        f"cases audited: {h['cases_audited']} of {h['cases_in_round']}",
        (f"Good or better: {h['good']} of {h['judgements']} agency judgements = "
         f"{h['share']:.1%} (95% CI {h['ci_low']:.1%} to {h['ci_high']:.1%})")
        if h["judgements"] else "Good or better: nothing graded on submitted forms yet",
    ]
    table = summary.by_criterion
    for row in table.itertuples(index=False):
        if row.n:
            lines.append(f"  {row.criterion_id:>5} {row.good:>4}/{row.n:<4} {row.share:6.1%}  "
                         f"[{row.ci_low:.1%}, {row.ci_high:.1%}]")
        else:
            lines.append(f"  {row.criterion_id:>5}    0/0      :")
    return "\n".join(lines)
