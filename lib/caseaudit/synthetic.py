"""A synthetic safeguarding partnership: rounds, cases, auditors and their grades, all invented.

The demo, the tests and the benchmarks run on this instead of real case files. It is built to
behave like the real thing where analysis cares:

* cases have realistic attribute mixes and involve a realistic set of agencies;
* each case has a latent quality of practice that drives every agency's grades for it;
* each auditor has their own leniency (some grade generously, some harshly);
* some criteria improve from round to round, others do not;
* after the example inspection's action plan starts (June 2026) the criteria of its action A3.1
  improve clearly, while those of A9.1 are left as they were, so the impact view has a known
  effect to find and a known absence of one;
* some answers are "not applicable" (no adult known to probation, no harmful sexual behaviour);
* in the latest round some forms are still drafts or missing, and some forms were revised;
* every earlier round was moderated: the meeting's agreed grades follow the case's practice
  without any auditor's leniency, so the agreement report has something true to recover.

The demo (:func:`write_demo`) adds the example inspection beside the rounds and progress updates
on its action plan: some actions complete, some at risk or off track, some never updated; and a
practice week each May with all four of its streams (:mod:`caseaudit.synthetic_practice_week`).

It uses Python's own ``random.Random`` (a fixed, documented algorithm), never the clock, so the
same seed gives the same partnership byte for byte.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from . import settings
from .action_plan import ActionPlan, load_plan
from .example_inspection import copy_example_inspection
from .framework import NOT_APPLICABLE, Answer, Framework, load_framework
from .inspection import load_inspection_file
from .rounds import Auditor, AuditRound, Case, FrameworkRef, Period, write_round
from .store import ActionUpdateSave, FormSave, ModerationSave, Store

if TYPE_CHECKING:  # it builds on this module's helpers
    from .synthetic_practice_week import PracticeWeek

DEFAULT_SEED = 2026
FRAMEWORK_ID = "jtai-csa-family"
FRAMEWORK_VERSION = "1.0"

#: Criteria that the synthetic action plan targets: they improve round on round.
IMPROVING = ("1.1", "2.3", "4.1", "4.2", "5.1", "5.2")
#: A criterion that slips, so that the analysis has something to find in both directions.
DECLINING = ("7.1",)
#: The effect the example inspection's action plan has: from rounds starting on this day (action
#: A3.1's start) these criteria's latent practice is this much better. A9.1's criteria (1.3, 6.3)
#: are left alone. A shift of a case's latent quality, not an extra random draw: rounds before it
#: are the same with or without it. A3.1's criteria are two that no trend already lifts (4.1 and
#: 4.2 improve round on round, and near the top of the scale a round's figure rests on the few
#: cases not graded good, which the board's pages hide), and the shift is moderate, so that the
#: board sees the verdict rather than a hidden figure.
ACTION_START = date(2026, 6, 1)
ACTION_EFFECT = {"4.4": 0.35, "4.5": 0.35}
#: The month the latest round starts in, unless said: the committed example round and tests.
LAST_ROUND = date(2026, 3, 1)
#: The demo partnership (`caseaudit demo-data`, the notebooks' tests): six quarterly rounds, the
#: last starting in September 2026, so two rounds follow the example inspection's action plan.
DEMO_ROUNDS = 6
DEMO_LAST_ROUND = date(2026, 9, 1)

AGENCY_INVOLVEMENT = {"CSC": 1.0, "Pol": 0.8, "Hlth": 0.85, "Edu": 0.8, "Prob": 0.35, "VCS": 0.3}
#: The audit lead who records the synthetic meetings' grades.
MODERATOR = "AUDIT-LEAD"
AUDITORS_PER_AGENCY = 2

_AGE = (("under 1", 6), ("1-4", 18), ("5-9", 30), ("10-15", 34), ("16-17", 12))
_GENDER = (("female", 56), ("male", 41), ("other", 1), ("not recorded", 2))
_ETHNICITY = (("White", 70), ("Mixed", 8), ("Asian", 9), ("Black", 8), ("Other", 3),
              ("Not recorded", 2))
_DISABILITY = (("no", 78), ("yes", 18), ("not recorded", 4))
_PLAN = (("child protection", 45), ("child in need", 30), ("looked after", 10),
         ("early help", 10), ("none", 5))

#: Probability that an agency answers "not applicable", by criterion (default 3%).
_NOT_APPLICABLE = {"2.3": 0.25, "4.3": 0.35, "6.3": 0.6, "1.4": 0.5, "2.6": 0.2, "7.2": 0.3}

_NOTES = {
    1: ("Synthetic note: practice here was exemplary and well recorded.",
        "Synthetic note: the record shows timely, reflective and joined-up work."),
    4: ("Synthetic note: no evidence of this in the record; escalated for learning.",
        "Synthetic note: significant gap, the record does not show this was considered."),
}


@dataclass(frozen=True)
class Partnership:
    """A generated partnership: its rounds and, per round, the saves to replay into a store."""

    seed: int
    rounds: list[AuditRound]
    saves: dict[str, list[FormSave]] = field(default_factory=dict)
    leniency: dict[str, float] = field(default_factory=dict)
    agency_effect: dict[str, float] = field(default_factory=dict)
    moderations: dict[str, list[ModerationSave]] = field(default_factory=dict)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _grade(latent: float) -> int:
    """Latent quality to an Ofsted-style code (1 Outstanding ... 4 Inadequate)."""
    if latent > 1.5:
        return 1
    if latent > 0.0:
        return 2
    if latent > -1.2:
        return 3
    return 4


def _round_dates(index: int, rounds: int, last: date = LAST_ROUND) -> tuple[date, date]:
    """Quarterly month-long rounds ending with the one that starts in ``last``'s month."""
    months_back = 3 * (rounds - 1 - index)
    year, month = last.year, last.month - months_back
    while month < 1:
        month += 12
        year -= 1
    start = date(year, month, 1)
    end = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
    return start, end


def build_partnership(
    cases: int = 40,
    rounds: int = 4,
    seed: int = DEFAULT_SEED,
    framework: Framework | None = None,
    label: str = "maca",
    last: date = LAST_ROUND,
) -> Partnership:
    """Generate a partnership in memory (no files, no database).

    Parameters
    ----------
    cases
        cases per round.
    rounds
        quarterly rounds, the last starting in ``last``'s month.
    seed
        the same seed gives the same partnership (for the rounds two partnerships share, the
        same cases too, but for the latest round's drafts and missing moderation).
    label
        the end of each round id (``2026-03-<label>``).
    last
        the month the latest round starts in (the day is ignored); March 2026 unless said, as
        the committed example round was made.
    """
    if cases < 1 or rounds < 1:
        raise ValueError("cases and rounds must each be at least 1")
    framework = framework or load_framework(FRAMEWORK_ID, FRAMEWORK_VERSION)
    rng = random.Random(seed)
    agencies = list(AGENCY_INVOLVEMENT)
    auditors = [Auditor(id=f"AUD-{agency.upper()}-{k + 1}", agency=agency)
                for agency in agencies for k in range(AUDITORS_PER_AGENCY)]
    leniency = {a.id: round(rng.gauss(0.0, 0.3), 3) for a in auditors}
    agency_effect = {a: round(rng.gauss(0.0, 0.15), 3) for a in agencies}
    criteria = [c for _, c in framework.criteria()]
    baseline = {c.id: rng.gauss(0.0, 0.3) for c in criteria}
    trend = {c.id: 0.25 if c.id in IMPROVING else -0.15 if c.id in DECLINING else 0.0
             for c in criteria}

    out_rounds: list[AuditRound] = []
    saves: dict[str, list[FormSave]] = {}
    moderations: dict[str, list[ModerationSave]] = {}
    for r in range(rounds):
        start, end = _round_dates(r, rounds, last)
        effect = _effect(start)
        round_id = f"{start:%Y-%m}-{label}"
        prefix = f"M{start:%y%m}"
        latest = r == rounds - 1
        round_cases: list[Case] = []
        quality: dict[str, float] = {}
        for i in range(cases):
            age = _pick(rng, _AGE)
            involved = [a for a in agencies if rng.random() < AGENCY_INVOLVEMENT[a]
                        * (0.35 if a == "Edu" and age in ("under 1", "1-4") else 1.0)]
            if "CSC" not in involved:
                involved.insert(0, "CSC")
            case = Case(id=f"{prefix}-{i + 1:03d}", agencies=involved, age_band=age,
                        gender=_pick(rng, _GENDER), ethnicity_group=_pick(rng, _ETHNICITY),
                        disability=_pick(rng, _DISABILITY), plan_type=_pick(rng, _PLAN))
            round_cases.append(case)
            quality[case.id] = rng.gauss(0.0, 0.9)
        audit = AuditRound(
            id=round_id,
            title=f"Multi-agency case audit: CSA in the family environment, {start:%B %Y}",
            kind="maca", framework=FrameworkRef(id=framework.id, version=framework.version),
            period=Period(start=start, end=end), agencies=agencies, auditors=auditors,
            moderators=[MODERATOR], cases=round_cases)
        out_rounds.append(audit)
        round_saves: list[FormSave] = []
        opened = datetime(end.year, end.month, end.day, 9, 0) + timedelta(days=7)
        for case in round_cases:
            for agency in case.agencies:
                auditor = f"AUD-{agency.upper()}-{rng.randint(1, AUDITORS_PER_AGENCY)}"
                draw = rng.random()
                if latest and draw < 0.07:
                    continue  # not started yet
                status = "draft" if latest and draw < 0.15 else "submitted"
                grades: dict[str, Answer] = {}
                notes: dict[str, str] = {}
                for criterion in framework.criteria_for(agency):
                    if rng.random() < _NOT_APPLICABLE.get(criterion.id, 0.03):
                        grades[criterion.id] = NOT_APPLICABLE
                        continue
                    latent = (0.8 * quality[case.id] + baseline[criterion.id]
                              + trend[criterion.id] * r + effect.get(criterion.id, 0.0)
                              + leniency[auditor]
                              + agency_effect[agency] + rng.gauss(0.0, 0.6))
                    code = _grade(latent)
                    grades[criterion.id] = code
                    if code in _NOTES:
                        notes[criterion.id] = rng.choice(_NOTES[code])
                if status == "draft":  # a draft leaves the last few criteria ungraded
                    for cid in list(grades)[-rng.randint(1, 5):]:
                        grades.pop(cid)
                        notes.pop(cid, None)
                saved_at = opened + timedelta(minutes=rng.randint(0, 60 * 24 * 14))
                if rng.random() < 0.2:  # first saved as a draft, then finished later
                    first = dict(list(grades.items())[: len(grades) // 2])
                    round_saves.append(FormSave(
                        case.id, agency, auditor, first,
                        {k: v for k, v in notes.items() if k in first}, "draft", None,
                        saved_at=saved_at))
                    round_saves.append(FormSave(case.id, agency, auditor, grades, notes, status, 1,
                                                saved_at=saved_at + timedelta(hours=20)))
                else:
                    round_saves.append(FormSave(case.id, agency, auditor, grades, notes, status,
                                                None, saved_at=saved_at))
        saves[round_id] = round_saves
        if not latest:  # the latest round's audit meeting has not met yet
            moderations[round_id] = _moderate(
                random.Random(seed * 7919 + r), framework, audit, round_saves, quality,
                {cid: baseline[cid] + trend[cid] * r + effect.get(cid, 0.0) for cid in baseline},
                datetime(end.year, end.month, end.day, 10, 0) + timedelta(days=28))
    return Partnership(seed, out_rounds, saves, leniency, agency_effect, moderations)


def _effect(start: date) -> dict[str, float]:
    """The action plan's effect on a round starting on ``start``: none before the actions."""
    return ACTION_EFFECT if start >= ACTION_START else {}


def demo_partnership(seed: int = DEFAULT_SEED, cases: int = 40) -> Partnership:
    """The demo partnership: what `caseaudit demo-data` writes and the notebooks are tested on."""
    return build_partnership(cases=cases, rounds=DEMO_ROUNDS, seed=seed, last=DEMO_LAST_ROUND)


def _moderate(rng: random.Random, framework: Framework, audit: AuditRound,
              saves: list[FormSave], quality: dict[str, float], expected: dict[str, float],
              meeting: datetime) -> list[ModerationSave]:
    """The audit meeting's agreed grades: the case's practice without any auditor's leniency or
    agency's slant (its own random stream, so the forms are the same with or without it)."""
    final: dict[str, dict[str, dict[str, object]]] = {}
    for save in saves:  # a form's last save is what the meeting sees
        if save.status == "submitted":
            final.setdefault(save.case_id, {})[save.agency] = dict(save.grades)
    theme_ids = [t.id for t in framework.themes]
    out = []
    for case in audit.cases:
        criteria = [c.id for _, c in framework.criteria()
                    if set(framework.answered_by(c.id)) & set(case.agencies)]
        grades: dict[str, Answer] = {}
        rationales: dict[str, str] = {}
        for cid in criteria:
            given = [form[cid] for form in final.get(case.id, {}).values() if cid in form]
            if given and all(g is NOT_APPLICABLE for g in given):
                grades[cid] = NOT_APPLICABLE
                continue
            code = _grade(0.8 * quality[case.id] + expected[cid] + rng.gauss(0.0, 0.3))
            grades[cid] = code
            if any(g != code for g in given if g is not NOT_APPLICABLE):
                rationales[cid] = "Synthetic rationale: agreed at the meeting after discussion."
        themes = rng.sample(theme_ids, k=min(len(theme_ids), rng.randint(1, 2)))
        out.append(ModerationSave(case.id, grades, rationales,
                                  _grade(0.8 * quality[case.id] + rng.gauss(0.0, 0.3)),
                                  "Synthetic strengths.", "Synthetic areas for development.",
                                  themes, None, MODERATOR,
                                  meeting + timedelta(minutes=10 * len(out))))
    return out


def write_partnership(partnership: Partnership, audits_dir: str | Path, store: Store,
                      framework: Framework | None = None) -> list[Path]:
    """Write the rounds' audit.yaml and cases.csv under ``audits_dir`` and replay every save into
    ``store``, one transaction per round."""
    framework = framework or load_framework(FRAMEWORK_ID, FRAMEWORK_VERSION)
    paths = []
    for audit in partnership.rounds:
        paths.append(write_round(audit, audits_dir))
        store.save_forms(audit, framework, partnership.saves[audit.id])
        store.save_moderations(audit, framework, partnership.moderations.get(audit.id, []))
    return paths


#: Who records the demo's progress updates (a role's login, never a person's name).
PLAN_RECORDER = "BUSINESS-MANAGER"
#: Progress on the example plan's actions: (action, day recorded, status, narrative, evidence),
#: each action's in order. All recorded by mid-October 2026, so that a demo viewed "today" after
#: its last round has A1.1 at risk past its due date, A3.1 complete and A6.1 and A8.1 not started.
DEMO_UPDATES: tuple[tuple[str, date, str, str, str], ...] = (
    ("A1.1", date(2026, 6, 19), "on track", "Synthetic update: briefing for probation staff "
     "planned with the family safeguarding team.", "Synthetic evidence: briefing plan"),
    ("A3.1", date(2026, 6, 12), "on track", "Synthetic update: joint protection planning "
     "guidance drafted and agreed by the subgroup.", "Synthetic evidence: draft guidance"),
    ("A4.1", date(2026, 6, 26), "on track", "Synthetic update: prevention messages agreed with "
     "schools and the police.", "Synthetic evidence: subgroup minutes"),
    ("A9.1", date(2026, 7, 3), "on track", "Synthetic update: training on hearing the child's "
     "voice booked for all agencies.", "Synthetic evidence: training calendar"),
    ("A2.1", date(2026, 7, 10), "on track", "Synthetic update: data set agreed by the "
     "performance group.", "Synthetic evidence: data set specification"),
    ("A5.1", date(2026, 7, 24), "on track", "Synthetic update: designated safeguarding leads "
     "briefed on identifying concerns.", "Synthetic evidence: attendance summary"),
    ("A7.1", date(2026, 8, 14), "off track", "Synthetic update: the joint police and social care "
     "protocol is waiting for sign-off.", "Synthetic evidence: protocol draft"),
    ("A3.1", date(2026, 8, 27), "complete", "Synthetic update: guidance in use in every team; "
     "the next audit round will show its effect.", "Synthetic evidence: published guidance"),
    ("A1.1", date(2026, 9, 25), "at risk", "Synthetic update: briefings delayed by vacancies; a "
     "new date is agreed.", "Synthetic evidence: risk log"),
    ("A4.1", date(2026, 9, 30), "on track", "Synthetic update: sessions delivered in most "
     "secondary schools.", "Synthetic evidence: delivery tracker"),
    ("A9.1", date(2026, 10, 2), "on track", "Synthetic update: two thirds of practitioners "
     "trained so far.", "Synthetic evidence: training records summary"),
    ("A2.1", date(2026, 10, 9), "at risk", "Synthetic update: health data not yet shared; "
     "escalated to the board.", "Synthetic evidence: escalation note"),
)


def record_demo_progress(store: Store, plan: ActionPlan) -> int:
    """Save :data:`DEMO_UPDATES` for ``plan``'s actions through the store's own checks, each
    based on the action's update before it, and return how many were saved. Updates recorded
    after :func:`caseaudit.settings.today` are left out (the store refuses a date to come), so
    a demo generated earlier than its story shows the progress recorded by then."""
    today = settings.today()
    latest: dict[str, int] = {}
    saved_count = 0
    for action_id, recorded_on, status, narrative, evidence in DEMO_UPDATES:
        if recorded_on > today:
            continue
        saved = store.save_action_update(plan, ActionUpdateSave(
            plan.inspection, action_id, status, recorded_on, narrative, evidence, PLAN_RECORDER,
            latest.get(action_id),
            saved_at=datetime(recorded_on.year, recorded_on.month, recorded_on.day, 16, 0)))
        latest[action_id] = saved.revision_no
        saved_count += 1
    return saved_count


def write_demo(partnership: Partnership, audits_dir: str | Path, store: Store,
               practice_weeks: list[PracticeWeek] | None = None) -> Path:
    """The demo as `caseaudit demo-data` leaves it (and the notebooks' tests find it): the
    partnership's rounds and saves, its practice weeks (``practice_weeks``, default those of
    the partnership's seed), the example inspection and its plan in the ``inspections`` folder
    beside ``audits_dir`` (where :func:`caseaudit.settings.inspections_dir` looks), and progress
    recorded on the plan's actions. Returns the inspection's folder."""
    from .synthetic_practice_week import build_practice_weeks, write_practice_weeks

    write_partnership(partnership, audits_dir, store)
    if practice_weeks is None:
        practice_weeks = build_practice_weeks(partnership.seed)
    write_practice_weeks(practice_weeks, audits_dir, store)
    folder = copy_example_inspection(Path(audits_dir).parent / "inspections")
    inspection = load_inspection_file(folder / "inspection.yaml")
    record_demo_progress(store, load_plan(inspection, folder / "action_plan.yaml", audits=audits_dir))
    return folder

