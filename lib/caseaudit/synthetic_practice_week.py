"""The synthetic partnership's practice weeks: one each May, same theme, every stream, invented.

A practice week (domain.md (d)) gathers four streams of evidence; the demo holds one in May 2025
and one in May 2026 so that the week's summary has a previous week of the same theme to compare
with. Each week has what a real one has, where the summary and disclosure control care:

* 40 collaborative case audits (the round's cases, each audited by a senior leader of the
  case-holding agency with the practitioner who holds it), some of them moderated afterwards;
* 25 observations of practice over the framework's six kinds of event, a few kinds rare (their
  counts are small, so the board's pages must hide them), one kind not observed at all in 2026;
* 60 feedback returns: 35 from children and families (few from other family members) and 25
  from practitioners (some anonymous), consent mostly given and a few declined (a declined
  return keeps no answers and no words);
* every grade driven by a latent quality of the record, seeded, with a few criteria better in
  2026 than in 2025 (:data:`IMPROVED`), so the comparison has something true to find.

Free text is invented and says so ("Synthetic ..."), as the case audits' notes do. Python's own
``random.Random`` with a fixed seed, never the clock: the same seed gives the same weeks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from .framework import NOT_APPLICABLE, Answer, Framework, load_framework
from .practice_week import CONSENT, PRACTICE_WEEK, RESPONDENTS, Participant, next_record_id
from .rounds import Auditor, AuditRound, Case, FrameworkRef, Period, write_round
from .store import FormSave, ModerationSave, Store, StreamDetails
from .synthetic import _AGE, _DISABILITY, _ETHNICITY, _GENDER, _NOTES, _PLAN, DEFAULT_SEED, _grade, _pick

FRAMEWORK_ID = "practice-week"
FRAMEWORK_VERSION = "1.0"
THEME = "Child sexual abuse in the family environment"
#: The Monday each demo week starts (it runs to the Friday): the earlier one first.
WEEKS = (date(2025, 5, 12), date(2026, 5, 11))
STREAMS = ("case_audit", "observation", "family_feedback", "practitioner_feedback")
AGENCIES = ("CSC", "Pol", "Hlth", "Edu")
#: Who records: senior leaders (case audits, observations, practitioners' feedback) and the
#: workers who took the families' feedback. Roles' logins, never names.
AUDITORS = (("PW-LEAD-CSC-1", "CSC"), ("PW-LEAD-CSC-2", "CSC"), ("PW-LEAD-CSC-3", "CSC"),
            ("PW-LEAD-POL-1", "Pol"), ("PW-LEAD-HLTH-1", "Hlth"), ("PW-LEAD-EDU-1", "Edu"),
            ("PW-FB-CSC-1", "CSC"), ("PW-FB-HLTH-1", "Hlth"))
FAMILY_FEEDBACK_TAKERS = ("PW-FB-CSC-1", "PW-FB-HLTH-1")
MODERATOR = "AUDIT-LEAD"
#: The week's practitioners and observers, by role and agency (ids P-01, P-02... in this order).
PARTICIPANT_ROLES = (
    *[("Social worker", "CSC")] * 8, ("Senior practitioner", "CSC"), ("Senior practitioner", "CSC"),
    ("Team manager", "CSC"), ("Team manager", "CSC"), ("Independent reviewing officer", "CSC"),
    ("Family support worker", "CSC"), ("Detective constable", "Pol"), ("Detective constable", "Pol"),
    ("Police sergeant", "Pol"), ("Health visitor", "Hlth"), ("Health visitor", "Hlth"),
    ("School nurse", "Hlth"), ("Designated safeguarding lead", "Edu"),
    ("Designated safeguarding lead", "Edu"), ("Early years practitioner", "Edu"))
#: Who holds a case of each case-holding agency (the case audit's practitioner).
CASE_HOLDERS = {"CSC": ("Social worker", "Senior practitioner"), "Hlth": ("Health visitor",),
                "Edu": ("Designated safeguarding lead",)}
CASE_AUDITS = 40
#: Observations by kind of event, each week: rare kinds give counts the board must not see, and
#: in 2026 one kind was not observed at all (a true zero, which is shown).
OBSERVED = {2025: {"home visit": 9, "strategy discussion": 7, "child protection conference": 4,
                   "core group": 3, "supervision": 1, "other": 1},
            2026: {"home visit": 8, "strategy discussion": 6, "child protection conference": 6,
                   "core group": 3, "supervision": 2, "other": 0}}
#: Whose practice each kind of event shows (the observer is a leader of the same agency).
OBSERVED_AGENCIES = {"home visit": ("CSC", "Hlth"), "strategy discussion": ("CSC", "Pol"),
                     "child protection conference": ("CSC",), "core group": ("CSC", "Edu"),
                     "supervision": ("CSC",), "other": ("Hlth", "Edu")}
#: Families' returns by respondent: few from other family members (a small group).
FAMILY_RESPONDENTS = dict(zip(RESPONDENTS, (9, 23, 3), strict=True))
PRACTITIONER_RETURNS = 25
#: Returns whose person declined consent, by stream and year (small, so hidden on the board).
DECLINED = {2025: {"family_feedback": 3, "practitioner_feedback": 1},
            2026: {"family_feedback": 2, "practitioner_feedback": 2}}
#: Criteria whose practice is better in the 2026 week, by this much latent quality.
IMPROVED = {"CR2": 0.9, "CR3": 0.8, "OB2": 0.8, "FF2": 0.7, "PF2": 0.6}
#: Records first kept as a draft and finished later (a revision 2).
REVISED_SHARE = 0.15
#: Case audits moderated afterwards, each week.
MODERATED = 12

_REFLECTIONS = (
    "Synthetic reflection: I would have written down what the child told us in their own words.",
    "Synthetic reflection: I would bring the health visitor into planning earlier next time.",
    "Synthetic reflection: the plan needed dates; I would agree who does what by when.",
    "Synthetic reflection: I would check the history before the first visit, not after.",
    "")
_OBSERVER_NOTES = (
    "Synthetic observer's note: the practitioner kept the child's experience at the centre.",
    "Synthetic observer's note: next steps were agreed, with an owner for each.",
    "Synthetic observer's note: the purpose of the meeting was not shared at the start.",
    "Synthetic observer's note: the history was known and used well in the discussion.",
    "")
_FAMILY_WORDS = (
    "Synthetic feedback: the worker explained why they were involved and listened to us.",
    "Synthetic feedback: we had too many different workers and had to repeat our story.",
    "Synthetic feedback: things are calmer at home since the help started.",
    "Synthetic feedback: nobody asked the children what they thought.",
    "")
_PRACTITIONER_WORDS = (
    "Synthetic feedback: supervision helps me think about risk, when it happens.",
    "Synthetic feedback: I know how to escalate but have not needed to yet.",
    "Synthetic feedback: caseloads make it hard to see children as often as I should.",
    "Synthetic feedback: the multi-agency training on sexual abuse helped my practice.",
    "")


@dataclass(frozen=True)
class PracticeWeek:
    """A generated practice week: its round, the records to replay into a store (every stream's
    saves, in the order they were made) and the audit meeting's moderations of its case audits."""

    audit: AuditRound
    saves: list[FormSave]
    moderations: list[ModerationSave]


def _answer(scale_id: str, latent: float) -> int:
    """A latent quality as a level of the practice-week framework's scale ``scale_id``."""
    if scale_id == "ofsted4":
        return _grade(latent)
    if scale_id == "yes-no":
        return 1 if latent > -0.6 else 2
    for code, floor in enumerate((1.2, 0.2, -0.4, -1.3), start=1):  # agree5: 1 strongly agree
        if latent > floor:
            return code
    return 5


def _round(start: date, rng: random.Random, framework: Framework) -> AuditRound:
    """The week's round: its 40 cases (mostly held by children's social care), people, streams."""
    prefix = f"PW{start:%y%m}"
    cases = []
    for i in range(CASE_AUDITS):
        age = _pick(rng, _AGE)
        holder = "Hlth" if age == "under 1" and rng.random() < 0.5 else \
            "Edu" if rng.random() < 0.08 else "CSC"
        others = [a for a in AGENCIES if a != holder and rng.random() < 0.55]
        cases.append(Case(id=f"{prefix}-{i + 1:03d}", agencies=[holder, *others], age_band=age,
                          gender=_pick(rng, _GENDER), ethnicity_group=_pick(rng, _ETHNICITY),
                          disability=_pick(rng, _DISABILITY), plan_type=_pick(rng, _PLAN)))
    return AuditRound(
        id=f"{start:%Y-%m}-practice-week",
        title=f"Practice week: children at risk of sexual abuse in the family, {start:%B %Y}",
        kind=PRACTICE_WEEK, theme=THEME,
        framework=FrameworkRef(id=framework.id, version=framework.version),
        period=Period(start=start, end=start + timedelta(days=4)), agencies=list(AGENCIES),
        auditors=[Auditor(id=a, agency=agency) for a, agency in AUDITORS],
        moderators=[MODERATOR], cases=cases, streams=list(STREAMS),
        participants=[Participant(id=f"P-{i + 1:02d}", role=role, agency=agency)
                      for i, (role, agency) in enumerate(PARTICIPANT_ROLES)])


class _Week:
    """What one week's records are drawn from: its round, the framework, the random stream and
    each criterion's baseline (the same both years, so only :data:`IMPROVED` moves)."""

    def __init__(self, audit: AuditRound, framework: Framework, rng: random.Random,
                 baseline: dict[str, float]) -> None:
        self.audit, self.framework, self.rng, self.baseline = audit, framework, rng, baseline
        self.effect = IMPROVED if audit.period.start.year >= WEEKS[-1].year else {}
        self.saves: list[FormSave] = []
        self.taken: dict[str, list[str]] = {}

    def people(self, agency: str, roles: tuple[str, ...] | None = None) -> list[str]:
        return [p.id for p in self.audit.participants
                if p.agency == agency and (roles is None or p.role in roles)]

    def leads(self, agency: str) -> list[str]:
        return [a.id for a in self.audit.auditors if a.agency == agency and "-LEAD-" in a.id]

    def day(self) -> date:
        return self.audit.period.start + timedelta(days=self.rng.randint(0, 4))

    def grades(self, stream_id: str, quality: float, not_applicable: frozenset[str] = frozenset(),
               forced: dict[str, int] | None = None) -> tuple[dict[str, Answer], dict[str, str]]:
        """Every criterion of the stream graded from the record's ``quality``; a note for the
        grades that need one (Outstanding, Inadequate)."""
        grades: dict[str, Answer] = {}
        notes: dict[str, str] = {}
        for criterion in self.framework.stream_criteria(stream_id):
            cid = criterion.id
            if cid in not_applicable:
                grades[cid] = NOT_APPLICABLE
                continue
            latent = (quality + self.baseline[cid] + self.effect.get(cid, 0.0)
                      + self.rng.gauss(0.0, 0.5))
            which = self.rng.random()  # drawn whatever the grade: a better grade shifts nothing
            code = (forced or {}).get(cid) or _answer(criterion.scale, latent)
            grades[cid] = code
            if code in self.framework.scale_of(cid).note_required_for:
                notes[cid] = _NOTES[code][int(which * len(_NOTES[code]))]
        return grades, notes

    def record(self, stream_id: str, record_id: str | None, agency: str, auditor: str,
               grades: dict[str, Answer], notes: dict[str, str], details: StreamDetails,
               day: date) -> str:
        """Save a record (a new id for every stream but the case audit), sometimes first as a
        draft holding half its answers, finished the next day."""
        if record_id is None:
            record_id = next_record_id(self.taken.setdefault(stream_id, []), stream_id)
        self.taken.setdefault(stream_id, []).append(record_id)
        saved_at = datetime(day.year, day.month, day.day, 9) + timedelta(
            minutes=self.rng.randint(0, 8 * 60))
        if self.rng.random() < REVISED_SHARE:
            half = dict(list(grades.items())[: len(grades) // 2])
            self.saves.append(FormSave(record_id, agency, auditor, half,
                                       {k: v for k, v in notes.items() if k in half}, "draft",
                                       None, saved_at=saved_at, details=details))
            self.saves.append(FormSave(record_id, agency, auditor, grades, notes, "submitted", 1,
                                       saved_at=saved_at + timedelta(hours=20), details=details))
        else:
            self.saves.append(FormSave(record_id, agency, auditor, grades, notes, "submitted",
                                       None, saved_at=saved_at, details=details))
        return record_id


def _case_audits(week: _Week) -> dict[str, float]:
    """Each case audited with the practitioner who holds it; returns each case's quality."""
    quality = {}
    for case in week.audit.cases:
        holder = case.agencies[0]
        quality[case.id] = q = week.rng.gauss(0.0, 0.8)
        skip = frozenset({"CR4"}) if case.age_band == "under 1" and week.rng.random() < 0.5 \
            else frozenset()
        grades, notes = week.grades("case_audit", q, skip)
        details = StreamDetails("case_audit", practitioner=week.rng.choice(
            week.people(holder, CASE_HOLDERS[holder])), text=week.rng.choice(_REFLECTIONS))
        week.record("case_audit", case.id, holder, week.rng.choice(week.leads(holder)), grades,
                    notes, details, week.day())
    return quality


def _observations(week: _Week) -> None:
    """The week's observations, kinds in a random order; consent to observe (OB4) almost always
    obtained, and the feedback conversation afterwards (the record's detail) mostly held."""
    kinds = [k for k, n in OBSERVED[week.audit.period.start.year].items() for _ in range(n)]
    week.rng.shuffle(kinds)
    for kind in kinds:
        agency = week.rng.choice(OBSERVED_AGENCIES[kind])
        feedback_given = week.rng.random() < 0.85
        skip = frozenset({"OB3"}) if kind == "supervision" and week.rng.random() < 0.5 \
            else frozenset()
        grades, notes = week.grades("observation", week.rng.gauss(0.0, 0.8), skip,
                                    {"OB4": 1 if week.rng.random() < 0.92 else 2})
        day = week.day()
        details = StreamDetails("observation", practitioner=week.rng.choice(week.people(agency)),
                                event_kind=kind, event_date=day, feedback_given=feedback_given,
                                text=week.rng.choice(_OBSERVER_NOTES))
        week.record("observation", None, agency, week.rng.choice(week.leads(agency)), grades, notes,
                    details, day)


def _feedback(week: _Week) -> None:
    """Families' and practitioners' returns; those whose person declined hold no answers."""
    year = week.audit.period.start.year
    families = [r for r, n in FAMILY_RESPONDENTS.items() for _ in range(n)]
    week.rng.shuffle(families)
    practitioners = [week.rng.choice([p.id for p in week.audit.participants])
                     if week.rng.random() < 0.6 else None for _ in range(PRACTITIONER_RETURNS)]
    for stream_id, people, words in (("family_feedback", families, _FAMILY_WORDS),
                                     ("practitioner_feedback", practitioners, _PRACTITIONER_WORDS)):
        declined = set(week.rng.sample(range(len(people)), DECLINED[year][stream_id]))
        for i, person in enumerate(people):
            consent = CONSENT[1] if i in declined else CONSENT[0]
            if stream_id == "family_feedback":
                auditor = week.rng.choice(FAMILY_FEEDBACK_TAKERS)
            else:
                auditor = week.rng.choice(week.leads(week.rng.choice(AGENCIES)))
            agency = week.audit.auditors_by_id[auditor].agency
            grades, notes = ({}, {}) if i in declined else week.grades(
                stream_id, week.rng.gauss(0.3, 0.9))
            day = week.day()
            family = stream_id == "family_feedback"
            details = StreamDetails(
                stream_id, practitioner=None if family else person, event_date=day,
                respondent=person if family else None, consent=consent,
                text="" if i in declined else week.rng.choice(words))
            week.record(stream_id, None, agency, auditor, grades, notes, details, day)


def _moderate(week: _Week, quality: dict[str, float]) -> list[ModerationSave]:
    """The meeting's agreed grades for some case audits, with strengths, areas for development
    and themes (its own random stream, so the records are the same with or without it)."""
    rng = random.Random(week.rng.random())
    submitted = {s.case_id: s for s in week.saves if s.details is not None
                 and s.details.stream_id == "case_audit" and s.status == "submitted"}
    themes = [t.id for t in week.framework.themes]
    end = week.audit.period.end
    meeting = datetime(end.year, end.month, end.day, 10) + timedelta(days=14)
    out = []
    for case in rng.sample(week.audit.cases, MODERATED):
        given = submitted[case.id].grades
        grades: dict[str, Answer] = {}
        rationales: dict[str, str] = {}
        for cid, answer in given.items():
            if answer is NOT_APPLICABLE:
                grades[cid] = NOT_APPLICABLE
                continue
            scale = week.framework.criteria_by_id[cid].scale
            code = _answer(scale, 0.8 * quality[case.id] + week.baseline[cid]
                           + week.effect.get(cid, 0.0) + rng.gauss(0.0, 0.3))
            grades[cid] = code
            if code != answer:
                rationales[cid] = "Synthetic rationale: agreed at the meeting after discussion."
        out.append(ModerationSave(
            case.id, grades, rationales, _grade(0.8 * quality[case.id] + rng.gauss(0.0, 0.3)),
            "Synthetic strengths: the practitioner knows the child well.",
            "Synthetic areas for development: plans need dates and owners.",
            rng.sample(themes, k=rng.randint(1, 2)), None, MODERATOR,
            meeting + timedelta(minutes=10 * len(out))))
    return out


def build_practice_weeks(seed: int = DEFAULT_SEED, framework: Framework | None = None
                         ) -> list[PracticeWeek]:
    """The demo's practice weeks (:data:`WEEKS`), in memory: no files, no database."""
    framework = framework or load_framework(FRAMEWORK_ID, FRAMEWORK_VERSION)
    rng = random.Random(seed * 104_729 + 12)
    baseline: dict[str, float] = {}
    for _, criterion in framework.criteria():
        baseline[criterion.id] = rng.gauss(0.0, 0.3)
    weeks = []
    for start in WEEKS:
        week = _Week(_round(start, rng, framework), framework, rng, baseline)
        quality = _case_audits(week)
        _observations(week)
        _feedback(week)
        weeks.append(PracticeWeek(week.audit, week.saves, _moderate(week, quality)))
    return weeks


def write_practice_weeks(weeks: list[PracticeWeek], audits_dir: str | Path, store: Store,
                         framework: Framework | None = None) -> list[Path]:
    """Write each week's audit.yaml and cases.csv under ``audits_dir`` and replay its records
    and moderations into ``store`` through the store's own checks, one transaction each."""
    framework = framework or load_framework(FRAMEWORK_ID, FRAMEWORK_VERSION)
    paths = []
    for week in weeks:
        paths.append(write_round(week.audit, audits_dir))
        store.save_forms(week.audit, framework, week.saves)
        store.save_moderations(week.audit, framework, week.moderations)
    return paths
