"""Impact of an inspection's action plan, as the audits measure it; where a new inspection would
find the partnership weakest; and what the next round should sample.

An action names the audit criteria that will show whether it worked. Its impact is the change in
those criteria's good-or-better share between the rounds *before* it (each round whose period
ended before the action started) and the rounds *after* it (each round whose period started on or
after that day). A round whose period spans the start is neither: part of its practice came
before the action and part after, so it would blur the comparison either way.

Judgements are pooled over the linked criteria and over the rounds of each side, each round on
the best grade its cases have (:func:`caseaudit.analysis.good_or_better`: the meeting's agreed
grade where there is one), so the ``basis`` says "moderated", "agency grades" or "mixed". The
verdict follows :mod:`caseaudit.change` (Newcombe's interval for the difference, "no clear change"
unless it excludes zero), with three more outcomes, applied first:

* **no audit criterion**: the action's evidence is not from audits (it names no criterion);
* **not comparable**: a framework version changed a linked criterion between a round before and a
  round after (or one side's framework lacks it), so the two sides measure different things;
* **not enough evidence yet**: either side has fewer than :data:`~caseaudit.analysis.MIN_JUDGEMENTS`
  judgements or :data:`~caseaudit.analysis.MIN_CASES` cases, the same line below which a round's
  criterion is never called a strength: one case moves such a share by ten points or more.

Every row says why in plain words (``reason``). Functions of frames only: no store, no widgets;
:mod:`caseaudit.review` reads the store and calls them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .analysis import MIN_CASES, MIN_JUDGEMENTS, criterion_label
from .change import NO_CLEAR_CHANGE, NOT_COMPARABLE, RoundFigures, comparable_keys, verdicts
from .framework import Framework
from .stats import newcombe_intervals, wilson_intervals

if TYPE_CHECKING:
    from .action_plan import Action, ActionPlan
    from .inspection import Inspection
    from .rounds import Period

NOT_ENOUGH = "not enough evidence yet"
NO_CRITERION = "no audit criterion"
#: What ``basis`` says of pooled judgements: the values :meth:`Store.judgement_counts` gives.
MODERATED, AGENCY_GRADES, MIXED = "moderated", "agency grades", "mixed"

IMPACT_COLUMNS = ["level", "area_id", "action_id", "label", "criteria", "rounds_before",
                  "rounds_after", "n_before", "good_before", "share_before", "cases_before",
                  "ci_low_before", "ci_high_before", "n_after", "good_after", "share_after",
                  "cases_after", "ci_low_after", "ci_high_after", "difference", "diff_low",
                  "diff_high", "verdict", "basis", "reason"]
READINESS_COLUMNS = ["level", "line_id", "line_title", "criterion_id", "label", "round_id", "n",
                     "good", "share", "ci_low", "ci_high", "cases", "trend"]
SUGGESTION_COLUMNS = ["criterion_id", "label", "actions", "cases_needed"]
#: What a reason says started, for an action's row and an area's.
ACTION, AREA = "the action", "work on the area"


def _day(value: date) -> str:
    """``1 June 2026``: how a date reads in a reason."""
    return f"{value.day} {value:%B %Y}"


def _points(value: float) -> str:
    return f"{value * 100:+.0f}"


@dataclass(frozen=True, eq=False)
class _Round:
    """A round's figures with its criterion rows as a dict (``criterion id -> (n, good, cases,
    basis)``): every action, area and line looks criteria up in every round, and a dict lookup
    costs a thousandth of filtering the frame each time."""

    figures: RoundFigures
    criteria: dict[str, tuple[int, int, int, str]]

    @classmethod
    def of(cls, figures: RoundFigures) -> _Round:
        table = figures.good_or_better
        rows = table[table["level"] == "criterion"]
        return cls(figures, {k: (int(n), int(g), int(c), str(b)) for k, n, g, c, b in zip(
            rows["key"], rows["n"], rows["good"], rows["cases"], rows["basis"], strict=True)})

    @property
    def round_id(self) -> str:
        return self.figures.round_id

    @property
    def label(self) -> str:
        return self.figures.label

    @property
    def framework(self) -> Framework:
        return self.figures.framework

    def judged(self, criteria: Sequence[str]) -> int:
        return sum(self.criteria[c][0] for c in criteria if c in self.criteria)


def _pool(rounds: Sequence[_Round], criteria: Sequence[str]) -> dict[str, Any]:
    """Judgements on ``criteria`` added up over ``rounds``.

    ``cases`` is a lower bound on the distinct cases judged: in each round, the most cases any one
    of the criteria was judged on (a case judged on two criteria is still one case), added up over
    the rounds (each round audits its own sample of case files). A bound from below, so that a
    case counted twice never lifts a side over :data:`MIN_CASES`.
    """
    n = good = cases = 0
    bases: set[str] = set()
    for one in rounds:
        rows = [one.criteria[c] for c in criteria if c in one.criteria]
        n += sum(r[0] for r in rows)
        good += sum(r[1] for r in rows)
        cases += max((r[2] for r in rows), default=0)
        bases |= {r[3] for r in rows if r[0] > 0}
    return {"n": n, "good": good, "cases": cases, "bases": bases}


def _basis(bases: set[str]) -> str:
    """What pooled judgements rest on: one basis, or "mixed" (nothing judged: agency grades, as
    :func:`~caseaudit.analysis.good_or_better` says of a row with none)."""
    return next(iter(bases)) if len(bases) == 1 else MIXED if bases else AGENCY_GRADES


def _changed(before: Sequence[_Round], after: Sequence[_Round],
             criteria: Sequence[str]) -> tuple[str, _Round, _Round] | None:
    """The first linked criterion a framework version changed between a round before and a round
    after, with the two rounds; ``None`` when every pair measures the same thing."""
    known: dict[tuple[Any, Any], set[tuple[str, str]]] = {}
    for old in before:
        for new in after:
            pair = (old.framework.key, new.framework.key)
            if pair not in known:
                known[pair] = comparable_keys(old.framework, new.framework)
            for cid in criteria:
                if ("criterion", cid) not in known[pair]:
                    return cid, old, new
    return None


def _sides(rounds: Sequence[_Round], periods: Mapping[str, Period],
           start: date) -> tuple[list[_Round], list[_Round]]:
    before = [f for f in rounds if periods[f.round_id].end < start]
    after = [f for f in rounds if periods[f.round_id].start >= start]
    return before, after


def _impact_row(criteria: Sequence[str], start: date | None, rounds: Sequence[_Round],
                periods: Mapping[str, Period], since: str, confidence: float) -> dict[str, Any]:
    """The figures, verdict and reason of one action or area. ``since`` names what started:
    "the action" or "work on the area"."""
    if not criteria or start is None:
        empty = _pool([], [])
        reason = ("The action names no audit criterion: its evidence is not from case audits."
                  if since == ACTION else "None of the area's actions names an audit criterion: "
                  "their evidence is not from case audits.")
        return {"criteria": "", "rounds_before": "", "rounds_after": "",
                **_side(empty, "before"), **_side(empty, "after"), "difference": math.nan,
                "diff_low": math.nan, "diff_high": math.nan, "verdict": NO_CRITERION,
                "basis": "", "reason": reason}
    before, after = _sides(rounds, periods, start)
    old, new = _pool(before, criteria), _pool(after, criteria)
    low, high = newcombe_intervals([old["good"]], [old["n"]], [new["good"]], [new["n"]], confidence)
    changed = _changed(before, after, criteria)
    shares = [p["good"] / p["n"] if p["n"] else math.nan for p in (old, new)]
    verdict, reason = _verdict(old, new, float(low[0]), float(high[0]), shares, changed,
                               before, after, start, since, confidence)
    comparable = changed is None
    return {
        "criteria": ", ".join(criteria),
        "rounds_before": ", ".join(f.round_id for f in before),
        "rounds_after": ", ".join(f.round_id for f in after),
        **_side(old, "before", confidence), **_side(new, "after", confidence),
        "difference": shares[1] - shares[0] if comparable else math.nan,
        "diff_low": float(low[0]) if comparable else math.nan,
        "diff_high": float(high[0]) if comparable else math.nan,
        "verdict": verdict, "basis": _basis(old["bases"] | new["bases"]), "reason": reason,
    }


def _side(pooled: dict[str, Any], side: str, confidence: float = 0.95) -> dict[str, Any]:
    low, high = wilson_intervals([pooled["good"]], [pooled["n"]], confidence)
    return {f"n_{side}": pooled["n"], f"good_{side}": pooled["good"],
            f"share_{side}": pooled["good"] / pooled["n"] if pooled["n"] else math.nan,
            f"cases_{side}": pooled["cases"], f"ci_low_{side}": float(low[0]),
            f"ci_high_{side}": float(high[0])}


def _short(pooled: dict[str, Any]) -> bool:
    return pooled["n"] < MIN_JUDGEMENTS or pooled["cases"] < MIN_CASES


def _too_few(pooled: dict[str, Any]) -> str:
    cases = pooled["cases"]
    return (f"{'only ' if cases else ''}{cases or 'no'} case{'' if cases == 1 else 's'} "
            f"({pooled['n']} judgement{'' if pooled['n'] == 1 else 's'})")


def _verdict(old: dict[str, Any], new: dict[str, Any], low: float, high: float,
             shares: Sequence[float], changed: tuple[str, _Round, _Round] | None,
             before: Sequence[_Round], after: Sequence[_Round], start: date,
             since: str, confidence: float) -> tuple[str, str]:
    began = f"{since} started on {_day(start)}"
    need = f"at least {MIN_CASES} cases and {MIN_JUDGEMENTS} judgements are needed on each side"
    if changed is not None:
        cid, b, a = changed
        return NOT_COMPARABLE, (
            f"The framework changed criterion {cid} between the {b.label} round "
            f"({b.framework.id} {b.framework.version}) and the {a.label} round "
            f"({a.framework.id} {a.framework.version}): before and after measure different things.")
    if not after:
        return NOT_ENOUGH, f"No audit round has started since {began}."
    if _short(new):
        return NOT_ENOUGH, (f"{_too_few(new).capitalize()} audited on these criteria since "
                            f"{began}; {need}.")
    if not before:
        return NOT_ENOUGH, (f"No audit round ended before {began}: there is nothing to compare "
                            "with.")
    if _short(old):
        return NOT_ENOUGH, (f"{_too_few(old).capitalize()} audited on these criteria before "
                            f"{began}; {need}.")
    verdict = verdicts(np.array([low]), np.array([high]), np.array([True]))[0]
    moved = (f"The share good or better went from {shares[0]:.0%} in the {_rounds(before)} "
             f"before {began} to {shares[1]:.0%} in the {_rounds(after)} since")
    interval = f"the {confidence:.0%} interval for the change is {_points(low)} to {_points(high)} points"
    if verdict == NO_CLEAR_CHANGE:
        return verdict, f"{moved}; {interval}, which includes zero, so the difference may be chance."
    side = "above" if low > 0 else "below"
    return verdict, f"{moved}; {interval}, wholly {side} zero."


def _rounds(rounds: Sequence[_Round]) -> str:
    return "round" if len(rounds) == 1 else f"{len(rounds)} rounds"


def _criteria_of(actions: Sequence[Action]) -> list[str]:
    return list(dict.fromkeys(cid for action in actions for cid in action.criteria))


def action_impact(plan: ActionPlan, inspection: Inspection, figures: Sequence[RoundFigures],
                  periods: Mapping[str, Period], confidence: float = 0.95) -> pd.DataFrame:
    """Each area of ``plan`` (its actions' criteria, from the first of its actions with a criterion
    to start), then each of its actions, with the before and after figures and the verdict.

    ``figures`` are the rounds of the inspection's framework, oldest first, each with its
    :func:`~caseaudit.analysis.good_or_better` table; ``periods`` gives each round's period.
    """
    rounds = [_Round.of(f) for f in figures]
    rows = []
    for area in plan.areas:
        measured = [a for a in area.actions if a.criteria]
        start = min((a.start for a in measured), default=None)
        finding = inspection.areas_by_id.get(area.area)
        rows.append({"level": "area", "area_id": area.area, "action_id": "",
                     "label": f"{area.area} {finding.title}" if finding else area.area,
                     **_impact_row(_criteria_of(measured), start, rounds, periods,
                                   AREA, confidence)})
        for action in area.actions:
            rows.append({"level": "action", "area_id": area.area, "action_id": action.id,
                         "label": f"{action.id} {action.description}",
                         **_impact_row(list(action.criteria), action.start, rounds, periods,
                                       ACTION, confidence)})
    table = pd.DataFrame(rows, columns=IMPACT_COLUMNS)
    counts = [c for c in IMPACT_COLUMNS if c.startswith(("n_", "good_", "cases_"))]
    return table.astype({c: "int64" for c in counts})


def _latest_two(rounds: Sequence[_Round],
                criteria: Sequence[str]) -> tuple[_Round | None, _Round | None]:
    """The latest round with a judgement on any of ``criteria`` and the one with one before it."""
    judged = [f for f in rounds if f.judged(criteria) > 0]
    return (judged[-1] if judged else None, judged[-2] if len(judged) > 1 else None)


def _readiness_row(rounds: Sequence[_Round], criteria: Sequence[str],
                   confidence: float) -> dict[str, Any]:
    latest, previous = _latest_two(rounds, criteria)
    now = _pool([latest] if latest else [], criteria)
    low, high = wilson_intervals([now["good"]], [now["n"]], confidence)
    trend = ""
    if latest is not None and previous is not None:
        then = _pool([previous], criteria)
        d_low, d_high = newcombe_intervals([then["good"]], [then["n"]], [now["good"]], [now["n"]],
                                           confidence)
        same = _changed([previous], [latest], criteria) is None
        trend = verdicts(d_low, d_high, np.array([same]))[0]
    return {"round_id": latest.round_id if latest else "", "n": now["n"], "good": now["good"],
            "share": now["good"] / now["n"] if now["n"] else math.nan, "ci_low": float(low[0]),
            "ci_high": float(high[0]), "cases": now["cases"], "trend": trend}


def _weakest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By the high end of the interval, lowest first (the share the partnership can be fairly
    sure it does not exceed, as areas for development are ranked); unmeasured last."""
    return sorted(rows, key=lambda r: (math.isnan(r["ci_high"]), r["ci_high"], r["share"]))


def readiness(inspection: Inspection, figures: Sequence[RoundFigures],
              confidence: float = 0.95) -> pd.DataFrame:
    """Each line of enquiry (its criteria's judgements pooled) and each of its criteria, in the
    latest round with a judgement on it, with the trend against the round with one before that;
    the weakest line first, and within a line its weakest criterion first.

    ``figures`` are the rounds of the inspection's framework, oldest first. Criterion titles are
    the latest round's framework's.
    """
    titles: dict[str, str] = {}
    for one in figures:
        titles |= {cid: c.title for cid, c in one.framework.criteria_by_id.items()}
    rounds = [_Round.of(f) for f in figures]
    blocks = []
    for line in inspection.lines_of_enquiry:
        head = {"level": "line", "line_id": line.id, "line_title": line.title, "criterion_id": "",
                "label": line.title, **_readiness_row(rounds, line.criteria, confidence)}
        parts = [{"level": "criterion", "line_id": line.id, "line_title": line.title,
                  "criterion_id": cid,
                  "label": criterion_label(cid, titles[cid]) if cid in titles else cid,
                  **_readiness_row(rounds, [cid], confidence)} for cid in line.criteria]
        blocks.append((head, _weakest_first(parts)))
    order = _weakest_first([head for head, _ in blocks])
    rows = [row for head in order for h, parts in blocks if h is head for row in (head, *parts)]
    table = pd.DataFrame(rows, columns=READINESS_COLUMNS)
    return table.astype({"n": "int64", "good": "int64", "cases": "int64"})


def sampling_suggestions(impact: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """The criteria the next round should sample so that the actions still short of evidence
    since they started can be measured, from :func:`action_impact` output.

    An action is short when its verdict is "not enough evidence yet" for want of judgements after
    it started, with enough before it (a missing baseline cannot be made up by sampling now; that
    action's reason says so). ``cases_needed`` is the
    most cases any of a criterion's actions still needs, counting each case as a single judgement:
    a case graded by several agencies gives more, so the number is enough unless most answers
    turn out to be not applicable.
    """
    short = impact[(impact["level"] == "action") & (impact["verdict"] == NOT_ENOUGH)
                   & ((impact["n_after"] < MIN_JUDGEMENTS) | (impact["cases_after"] < MIN_CASES))
                   & (impact["n_before"] >= MIN_JUDGEMENTS) & (impact["cases_before"] >= MIN_CASES)]
    needs: dict[str, dict[str, int]] = {}
    for row in short.itertuples(index=False):
        cases = max(MIN_CASES - row.cases_after, MIN_JUDGEMENTS - row.n_after, 0)
        for cid in str(row.criteria).split(", "):
            needs.setdefault(cid, {})[row.action_id] = cases
    order = {cid: i for i, cid in enumerate(framework.criteria_by_id)}
    rows = [{"criterion_id": cid,
             "label": (criterion_label(cid, framework.criteria_by_id[cid].title)
                       if cid in framework.criteria_by_id else cid),
             "actions": ", ".join(actions), "cases_needed": max(actions.values())}
            for cid, actions in sorted(needs.items(), key=lambda kv: order.get(kv[0], len(order)))]
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS).astype({"cases_needed": "int64"})
