"""An inspection review written by hand, with the frames of issue 11's contract: what the
disclosure and dashboard tests set their figures in, without a store or the impact analysis.

:func:`hand_review` returns an object shaped like :class:`caseaudit.review.InspectionReview`
(the same attributes), so the board-facing code is tested against exactly the figures it is given.
The progress frame also carries what a board must never see (an update's narrative, evidence and
who saved it, under :data:`PRIVATE`), so a test can look for it in every board-facing text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from caseaudit.action_plan import Action, ActionPlan, AreaPlan
from caseaudit.inspection import Finding, Inspection, LineOfEnquiry
from caseaudit.plan_links import LINK_COLUMNS
from caseaudit.rounds import Period
from caseaudit.stats import newcombe_intervals, wilson_intervals

TODAY = date(2026, 10, 15)
ROUNDS = ["2026-03-maca", "2026-06-maca", "2026-09-maca"]
#: Text that is in the review's frames and must never reach a board.
PRIVATE = ("Synthetic narrative: the lead met the family", "EVIDENCE-REF-77", "AUD-CSC-9",
           "CASE-0042")


@dataclass(frozen=True)
class HandReview:
    """The attributes of an InspectionReview."""

    inspection: Inspection
    plan: ActionPlan
    progress: pd.DataFrame
    by_area: pd.DataFrame
    impact: pd.DataFrame
    readiness: pd.DataFrame
    suggestions: pd.DataFrame
    today: date = TODAY
    as_of: datetime | None = None
    rounds: list[str] = field(default_factory=lambda: list(ROUNDS))
    provenance: dict[str, Any] = field(default_factory=dict)
    practice_weeks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LINK_COLUMNS))


def inspection() -> Inspection:
    return Inspection(
        id="2026-02-jtai", type="JTAI", theme="Child sexual abuse in the family environment",
        inspectorates=["Ofsted", "CQC", "HMICFRS", "HMI Probation"],
        visit=Period(start=date(2026, 2, 9), end=date(2026, 2, 13)), letter_date=date(2026, 5, 14),
        framework="jtai-csa-family",
        lines_of_enquiry=[LineOfEnquiry(id="identification", title="Identification",
                                        criteria=["1.1", "1.2"]),
                          LineOfEnquiry(id="assessment", title="Assessment, planning and "
                                        "decision-making", criteria=["2.1", "2.3"])],
        areas_for_improvement=[Finding(id=f"A{i}", title=f"Area {i} title", text=f"Area {i} text.")
                               for i in (1, 2, 3)],
        strengths=[Finding(id="S1", title="A strength", text="Strength text.")])


def _action(ident: str, start: date, due: date, criteria: list[str]) -> Action:
    return Action(id=ident, description=f"Action {ident} description", lead_agency="CSC",
                  lead_role="Head of Service", start=start, due=due,
                  success_measure="Audits show it", criteria=criteria)


def plan() -> ActionPlan:
    return ActionPlan(inspection="2026-02-jtai", areas=[
        AreaPlan(area="A1", outcome="Children are seen", governance_owner="Partnership board",
                 actions=[_action("A1.1", date(2026, 6, 1), date(2026, 9, 30), ["1.1"])]),
        AreaPlan(area="A2", outcome="Plans are shared", governance_owner="CSA subgroup",
                 actions=[_action("A2.1", date(2026, 6, 1), date(2026, 10, 31), ["2.1"]),
                          _action("A2.2", date(2026, 6, 1), date(2026, 11, 20), ["2.3"])]),
        AreaPlan(area="A3", outcome="Data is used", governance_owner="Partnership board",
                 actions=[_action("A3.1", date(2026, 6, 15), date(2026, 12, 31), [])])])


def progress(statuses: dict[str, str] | None = None) -> pd.DataFrame:
    """The progress frame of the contract (plus the columns a board must never see)."""
    chosen = {"A1.1": "on track", "A2.1": "at risk", "A2.2": "complete", "A3.1": "not started"}
    chosen |= statuses or {}
    rows = []
    for area, action in plan().all_actions():
        status = chosen[action.id]
        overdue = action.due < TODAY and status != "complete"
        soon = TODAY <= action.due <= date(2026, 11, 12) and status != "complete"
        rows.append(dict(area_id=area.area, area_title=f"Area {area.area[1:]} title",
                         action_id=action.id, description=action.description,
                         lead_agency=action.lead_agency, lead_role=action.lead_role,
                         start=action.start, due=action.due, status=status,
                         recorded_on=pd.NaT if status == "not started" else date(2026, 9, 1),
                         overdue=overdue, due_soon=soon,
                         days_overdue=(TODAY - action.due).days if overdue else 0,
                         narrative=PRIVATE[0], evidence=PRIVATE[1], saved_by=PRIVATE[2]))
    return pd.DataFrame(rows)


def by_area(frame: pd.DataFrame) -> pd.DataFrame:
    counts = pd.crosstab(frame["area_id"], frame["status"]).reindex(
        columns=["not started", "on track", "at risk", "off track", "complete"], fill_value=0)
    out = frame.groupby("area_id", sort=False).agg(area_title=("area_title", "first"),
                                                   actions=("action_id", "size"),
                                                   overdue=("overdue", "sum"))
    return out.join(counts).reset_index()[["area_id", "area_title", "actions", "not started",
                                           "on track", "at risk", "off track", "complete",
                                           "overdue"]]


def _side(n: float, good: float) -> tuple[float, float, float]:
    low, high = wilson_intervals(np.array([good], dtype=float), np.array([n], dtype=float))
    return (good / n if n else np.nan), float(low[0]), float(high[0])


def impact_row(level: str, area: str, action: str, criteria: str, before: tuple[int, int, int],
               after: tuple[int, int, int], verdict: str | None = None,
               rounds_after: str = "2026-09-maca", rounds_before: str = "2026-03-maca"
               ) -> dict[str, Any]:
    """One row of the impact frame: each side ``(n, good, cases)``; the verdict by the interval
    unless given."""
    row: dict[str, Any] = dict(level=level, area_id=area, action_id=action,
                               label=f"{action or area} label", criteria=criteria,
                               rounds_before=rounds_before, rounds_after=rounds_after)
    for side, (n, good, cases) in (("before", before), ("after", after)):
        share, low, high = _side(n, good)
        row |= {f"n_{side}": n, f"good_{side}": good, f"share_{side}": share,
                f"cases_{side}": cases, f"ci_low_{side}": low, f"ci_high_{side}": high}
    if before[0] and after[0]:
        lo, hi = newcombe_intervals(np.array([before[1]]), np.array([before[0]]),
                                    np.array([after[1]]), np.array([after[0]]))
        row |= dict(difference=row["share_after"] - row["share_before"], diff_low=float(lo[0]),
                    diff_high=float(hi[0]))
        if verdict is None:
            verdict = "improved" if lo[0] > 0 else "declined" if hi[0] < 0 else "no clear change"
    else:
        row |= dict(difference=np.nan, diff_low=np.nan, diff_high=np.nan)
    row |= dict(verdict=verdict or "not enough evidence yet", basis="moderated grades",
                reason=f"only 3 cases audited since the action started ({PRIVATE[3]})")
    return row


def impact() -> pd.DataFrame:
    """A1.1 improved clearly; A2.1 (2.1) fine but A2.2 (2.3) with 2 judgements not good after, so
    A2's pooled after side adds up from a hidden part; A3.1 has no criterion."""
    a21 = ((40, 20, 12), (42, 30, 12))
    a22 = ((30, 15, 10), (33, 31, 11))
    return pd.DataFrame([
        impact_row("area", "A1", "", "1.1", (60, 24, 15), (64, 50, 16)),
        impact_row("action", "A1", "A1.1", "1.1", (60, 24, 15), (64, 50, 16)),
        impact_row("area", "A2", "", "2.1, 2.3", (70, 35, 14), (75, 61, 15)),
        impact_row("action", "A2", "A2.1", "2.1", *a21),
        impact_row("action", "A2", "A2.2", "2.3", *a22),
        impact_row("area", "A3", "", "", (0, 0, 0), (0, 0, 0), "no audit criterion"),
        impact_row("action", "A3", "A3.1", "", (0, 0, 0), (0, 0, 0), "no audit criterion"),
    ])


def readiness_row(level: str, line: str, criterion: str, n: int, good: int, cases: int,
                  trend: str = "no clear change") -> dict[str, Any]:
    share, low, high = _side(n, good)
    return dict(level=level, line_id=line, line_title=f"{line.capitalize()} title",
                criterion_id=criterion, label=criterion or line.capitalize(),
                round_id=ROUNDS[-1], n=n, good=good, share=share, ci_low=low, ci_high=high,
                cases=cases, trend=trend)


def readiness() -> pd.DataFrame:
    """Weakest line first: assessment (2.3 has 3 judgements, a small count), identification."""
    return pd.DataFrame([
        readiness_row("line", "assessment", "", 43, 20, 14),
        readiness_row("criterion", "assessment", "2.1", 40, 18, 14),
        readiness_row("criterion", "assessment", "2.3", 3, 2, 3),
        readiness_row("line", "identification", "", 80, 60, 16, "improved"),
        readiness_row("criterion", "identification", "1.1", 40, 32, 16, "improved"),
        readiness_row("criterion", "identification", "1.2", 40, 28, 16),
    ])


def suggestions() -> pd.DataFrame:
    return pd.DataFrame([dict(criterion_id="2.3", label="2.3 A criterion", actions="A2.2",
                              cases_needed=3)])


def hand_review(**changes: Any) -> HandReview:
    """The hand-made review, with any attribute replaced."""
    frame = progress()
    review = HandReview(inspection(), plan(), frame, by_area(frame), impact(), readiness(),
                        suggestions())
    return replace(review, **changes)
