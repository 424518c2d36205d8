"""One inspection review: everything the action-plan dashboard and the progress report show of an
inspection, computed once.

Like :mod:`caseaudit.results` for a round, this is the step between the store and the views: it
reads the inspection and its plan (files), the progress updates and the judgement counts of every
round of the inspection's framework (store, now or ``as_of`` a time), runs the analyses
(:mod:`caseaudit.plan_progress`, :mod:`caseaudit.impact`) and hands back plain frames. Nothing
here draws, and a board sees this object only through :mod:`caseaudit.disclosure`.

It is not cached: it costs one small GROUP BY per round of the framework (the store counts the
judgements; see ``bench/bench_impact.py`` for the figures on a million-row store) and the
analyses of a few dozen rows, less than a page view's drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import settings
from .action_plan import ActionPlan, load_plan
from .analysis import good_or_better
from .change import RoundFigures
from .impact import action_impact, readiness, sampling_suggestions
from .inspection import Inspection, load_inspection
from .plan_links import LINK_COLUMNS, plan_links
from .plan_progress import action_progress, progress_by_area
from .results import _package_version, round_labels
from .rounds import AuditRound, scan_rounds

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True, eq=False)  # compared by identity: frames have no single truth value
class InspectionReview:
    """An inspection's action plan, its progress and its impact, as tidy frames.

    ``progress`` is :func:`~caseaudit.plan_progress.action_progress` (each action's latest status
    against ``today``) and ``by_area`` its counts per area; ``impact``, ``readiness`` and
    ``suggestions`` are :mod:`caseaudit.impact`'s frames over ``rounds`` (the rounds of the
    inspection's framework with a judgement, oldest first). ``provenance`` says what the figures
    rest on: the inspection, the rounds and their framework versions, ``as_of``, ``today``, any
    round folder that could not be read, and the code that computed them. The updates' narratives
    never come here (the store's statuses leave them out), nor does anything naming a case.
    ``practice_weeks`` is :func:`~caseaudit.plan_links.plan_links`: each action's links to the
    practice weeks' areas for development it answers, with its status.
    """

    inspection: Inspection
    plan: ActionPlan
    progress: pd.DataFrame
    by_area: pd.DataFrame
    impact: pd.DataFrame
    readiness: pd.DataFrame
    suggestions: pd.DataFrame
    today: date
    as_of: datetime | None
    rounds: list[str]
    provenance: dict[str, Any]
    practice_weeks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LINK_COLUMNS))


def round_figures(store: Store, rounds: list[AuditRound],
                  as_of: datetime | None = None) -> list[RoundFigures]:
    """Each round's good-or-better figures on the best grade each case has, read now or ``as_of``
    a time; rounds with no judgement at all (not begun, or not by then) are left out, so that a
    round set up for next quarter is never counted as evidence after an action."""
    labels = round_labels(rounds)
    figures = []
    for audit in rounds:
        framework = audit.load_framework()
        counts = store.judgement_counts(audit.id, framework, as_of)
        if counts["n"].sum() == 0:
            continue
        figures.append(RoundFigures(audit.id, labels[audit.id], framework,
                                    good_or_better(counts, framework)))
    return figures


def inspection_review(store: Store, inspection_id: str, *,
                      inspections: str | Path | None = None, audits: str | Path | None = None,
                      today: date | None = None, as_of: datetime | None = None
                      ) -> InspectionReview:
    """The review of inspection ``inspection_id`` from its folder in ``inspections`` (see
    :func:`caseaudit.settings.inspections_dir`), the rounds in ``audits`` and ``store``, now or
    ``as_of`` a time; actions are overdue or due soon against ``today`` (default
    :func:`caseaudit.settings.today`).

    Example
    -------
    >>> review = inspection_review(open_store(), "2026-02-jtai")  # doctest: +SKIP
    >>> review.impact[["label", "verdict", "reason"]]  # doctest: +SKIP
    """
    inspection = load_inspection(inspection_id, inspections)
    plan = load_plan(inspection, inspections=inspections, audits=audits)
    today = today or settings.today()
    found = scan_rounds(audits)
    mine = [r for r in found.rounds if r.framework.id == inspection.framework]
    figures = round_figures(store, mine, as_of)
    periods = {r.id: r.period for r in mine}
    progress = action_progress(plan, inspection, store.action_statuses(inspection.id, as_of),
                               today)
    impact = action_impact(plan, inspection, figures, periods)
    latest = figures[-1].framework if figures else inspection.load_framework()
    used = {f.round_id for f in figures}
    return InspectionReview(
        inspection=inspection, plan=plan, progress=progress, by_area=progress_by_area(progress),
        impact=impact, readiness=readiness(inspection, figures),
        suggestions=sampling_suggestions(impact, latest), today=today, as_of=as_of,
        practice_weeks=plan_links(plan, progress, {r.id: r for r in found.rounds}),
        rounds=[f.round_id for f in figures],
        provenance={
            "inspection_id": inspection.id, "rounds": [f.round_id for f in figures],
            "framework_versions": {r.id: f"{r.framework.id} {r.framework.version}"
                                   for r in mine if r.id in used},
            "as_of": None if as_of is None else as_of.isoformat(), "today": today.isoformat(),
            "rounds_not_read": [b.folder for b in found.broken],
            "computed_with": _package_version()})
